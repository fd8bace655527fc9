// Demo fleet: a few 108 and 102 vehicles of Hisar at their bases, each with a first position, so the
// dispatcher's live map shows something out of the box. Added only where Hisar has no vehicle yet.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { stableUid } from '../../platform/ids.js';
import { storeFixes } from './ambulances.positions.js';

type Db = Kysely<Database>;

const FLEET: { reg: string; service: '108' | '102'; kind: 'BLS' | 'ALS' | 'PTV'; base: string; lat: number; lon: number; status?: 'off_road' }[] = [
  { reg: 'HR 39 GA 1081', service: '108', kind: 'ALS', base: 'hisar-dh', lat: 29.1608, lon: 75.7262 },
  { reg: 'HR 39 GA 1082', service: '108', kind: 'BLS', base: 'hisar-dh', lat: 29.1489, lon: 75.7091 },
  { reg: 'HR 39 GA 1083', service: '108', kind: 'BLS', base: 'hisar-sdh-hansi', lat: 29.1034, lon: 75.9588 },
  { reg: 'HR 39 GA 1084', service: '108', kind: 'BLS', base: 'hisar-sdh-barwala', lat: 29.3651, lon: 75.9050 },
  { reg: 'HR 39 GB 1021', service: '102', kind: 'PTV', base: 'hisar-dh', lat: 29.1570, lon: 75.7301 },
  { reg: 'HR 39 GB 1022', service: '102', kind: 'BLS', base: 'hisar-sdh-hansi', lat: 29.0987, lon: 75.9702 },
  { reg: 'HR 39 GA 1085', service: '108', kind: 'BLS', base: 'hisar-sdh-barwala', lat: 29.3690, lon: 75.9122, status: 'off_road' },
];

/** Registers the demo fleet of Hisar (when it has none) and stores a first fix for each vehicle. */
export async function seedDemoAmbulances(db: Db): Promise<{ vehicles: number }> {
  const bases = FLEET.map((v) => stableUid(`demo:${v.base}`));
  const known = await db.selectFrom('facilities').select('id').where('id', 'in', [...new Set(bases)]).execute();
  if (known.length === 0) return { vehicles: 0 };
  const already = await db.selectFrom('ambulances').select('id').where('base_facility_id', 'in', [...new Set(bases)]).limit(1).execute();
  if (already.length) return { vehicles: 0 };
  const have = new Set(known.map((k) => k.id));
  const rows = FLEET.map((v, i) => ({
    id: stableUid(`demo:ambulance:${v.reg}`), registration_number: v.reg, service: v.service, kind: v.kind, base_facility_id: bases[i],
    device_id: `demo-${v.reg.replace(/ /g, '').toLowerCase()}`, status: (v.status ?? 'available') as 'available' | 'off_road', created_by: null,
  })).filter((r) => have.has(r.base_facility_id));
  if (!rows.length) return { vehicles: 0 };
  await db.insertInto('ambulances').values(rows).execute();
  const now = new Date();
  await storeFixes(db, rows.map((r) => {
    const v = FLEET.find((f) => f.reg === r.registration_number)!;
    return { deviceId: r.device_id, latitude: v.lat, longitude: v.lon, fixTime: now, speedKmh: 0 };
  }), 'batch', now);
  return { vehicles: rows.length };
}
