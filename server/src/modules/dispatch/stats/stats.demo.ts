// Demo calls and trips of last month (IST) for Hisar's demo fleet, so the response-times screen shows
// figures out of the box: 40 calls to 108 (urban and rural), 12 to 102, a few first vehicles that
// declined, a few calls never reached. Times are fixed (no randomness) so a browser test can rely on them.
// Added only when Hisar has vehicles and no calls yet.
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/types.js';
import { stableUid } from '../../../platform/ids.js';

type Db = Kysely<Database>;

export const DEMO_CALLS = { '108': 40, '102': 12 } as const;
const IST_MS = 330 * 60_000;

/** Calls (service, area, minutes to dispatch and to scene, to hospital) for the demo, in a fixed pattern. */
function plan() {
  const out: { service: '108' | '102'; area: 'urban' | 'rural'; day: number; hour: number; dispatch: number; scene: number | null; hospital: number | null; declinedFirst: boolean }[] = [];
  for (let i = 0; i < DEMO_CALLS['108']; i++) {
    const urban = i % 2 === 0;
    // Call to scene 11–38 minutes, spread; every tenth call never reached (cancelled by the caller).
    const scene = i % 10 === 9 ? null : (urban ? 11 : 17) + ((i * 7) % 22);
    out.push({ service: '108', area: urban ? 'urban' : 'rural', day: 1 + (i % 27), hour: 6 + (i % 15), dispatch: 1 + (i % 4), scene, hospital: scene === null ? null : scene + 18 + (i % 9), declinedFirst: i % 8 === 3 });
  }
  for (let i = 0; i < DEMO_CALLS['102']; i++) {
    const scene = 18 + ((i * 5) % 20);
    out.push({ service: '102', area: i % 3 === 0 ? 'urban' : 'rural', day: 2 + i * 2, hour: 8 + (i % 10), dispatch: 2 + (i % 3), scene, hospital: scene + 25, declinedFirst: false });
  }
  return out;
}

export async function seedDemoResponseTimes(db: Db, now = new Date()): Promise<{ calls: number }> {
  const hisar = await db.selectFrom('org_units').select(['id', 'path']).where('level', '=', 'district').where('lgd_code', '=', 63).executeTakeFirst();
  if (!hisar) return { calls: 0 };
  const fleet = await db.selectFrom('ambulances as a').innerJoin('org_units as b', 'b.id', 'a.base_facility_id')
    .select(['a.id', 'a.service']).where('b.path', 'like', `${hisar.path}%`).where('a.status', '<>', 'off_road').orderBy('a.registration_number').execute();
  const by = { '108': fleet.filter((a) => a.service === '108'), '102': fleet.filter((a) => a.service === '102') };
  if (!by['108'].length || !by['102'].length) return { calls: 0 };
  const any = await db.selectFrom('dispatch_calls').select('id').where('district_id', '=', hisar.id).limit(1).execute();
  if (any.length) return { calls: 0 };
  // Last month in IST.
  const ist = new Date(now.getTime() + IST_MS);
  const year = ist.getUTCFullYear(), month = ist.getUTCMonth() - 1;
  const calls = plan();
  const trips: Database['dispatch_trips'][] = [];
  const rows = calls.map((c, i) => {
    const created = new Date(Date.UTC(year, month, c.day, c.hour, (i * 13) % 60) - IST_MS);
    const plus = (m: number | null) => (m === null ? null : new Date(created.getTime() + m * 60_000));
    const id = stableUid(`demo:call:${i}`);
    const vehicles = by[c.service];
    const vehicle = vehicles[i % vehicles.length];
    if (c.declinedFirst && vehicles.length > 1) {
      const other = vehicles[(i + 1) % vehicles.length];
      trips.push({ id: stableUid(`demo:trip:${i}:declined`), call_id: id, ambulance_id: other.id, status: 'declined', assigned_at: plus(0)!, ended_reason: 'crew busy with a patient at base', updated_at: plus(1)! } as never);
    }
    trips.push({
      id: stableUid(`demo:trip:${i}`), call_id: id, ambulance_id: vehicle.id, status: c.scene === null ? 'cancelled' : 'completed',
      assigned_at: plus(c.dispatch)!, en_route_at: plus(c.dispatch + 1), at_scene_at: plus(c.scene), left_scene_at: plus(c.scene === null ? null : c.scene + 8),
      at_hospital_at: plus(c.hospital), completed_at: plus(c.hospital === null ? c.dispatch + 6 : c.hospital + 15),
      ended_reason: c.scene === null ? 'caller cancelled: patient taken by family' : null, updated_at: plus(c.hospital ?? c.dispatch + 6)!,
    } as never);
    return {
      id, service: c.service, kind: null, caller_name: null, caller_phone: `98${String(12000000 + i * 7919).slice(0, 8)}`,
      latitude: 29.15 + ((i % 7) - 3) * 0.03, longitude: 75.72 + ((i % 5) - 2) * 0.04, district_id: hisar.id, area: c.area,
      complaint: c.service === '102' ? 'labour pains' : ['road accident', 'chest pain', 'fall from height', 'snake bite', 'breathlessness'][i % 5],
      status: c.scene === null ? 'cancelled' as const : 'closed' as const, cancel_reason: c.scene === null ? 'patient taken by family' : null,
      created_at: created, updated_at: created, closed_at: plus(c.hospital ?? c.dispatch + 6),
    };
  });
  await db.insertInto('dispatch_calls').values(rows as never).execute();
  await db.insertInto('dispatch_trips').values(trips as never).execute();
  return { calls: rows.length };
}
