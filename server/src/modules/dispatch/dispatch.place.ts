// Which district a call belongs to: from its village when the dispatcher picked one, else from the
// point on the map (an imported district outline holding it, else the nearest headquarters of a
// district in the caller's area). A place outside the caller's area is 403, as any other.
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';
import type { Kysely } from 'kysely';
import type { Database, OrgUnitRow } from '../../db/types.js';
import { inScope, requireScope, type Actor } from '../../platform/actor.js';
import { badRequest, forbidden } from '../../platform/errors.js';
import { distanceKm, HQ_RADIUS_KM } from '../facilities/facilities.placement.js';
import { DISTRICT_HQ } from '../geo/geo.headquarters.js';
import * as geoRepo from '../geo/geo.repository.js';

type Db = Kysely<Database>;

const HQ_BY_LGD = new Map(Object.values(DISTRICT_HQ).flat().filter((h) => h[0]).map((h) => [h[0], { name: h[1], lat: h[2], lon: h[3] }]));

export interface CallPlace { district: OrgUnitRow; village: OrgUnitRow | null }

export async function placeCall(db: Db, actor: Actor, at: { latitude: number; longitude: number; villageId?: string }): Promise<CallPlace> {
  if (at.villageId) {
    const village = await geoRepo.findById(db, at.villageId);
    if (!village || village.level !== 'village') {
      throw badRequest(`No village has id ${at.villageId}; pick the village from the list, or leave it out and place the call on the map`, `आईडी ${at.villageId} वाला कोई गाँव नहीं है; सूची से गाँव चुनें या नक्शे पर स्थान दें`, { field: 'villageId' });
    }
    requireScope(actor, village.path, `Village ${village.name}`);
    const district = await geoRepo.districtOf(db, village.path);
    if (!district) throw badRequest(`Village ${village.name} lies in no district`, `गाँव ${village.name} किसी जिले में नहीं है`, { field: 'villageId' });
    return { district, village };
  }
  const outside = () => forbidden(
    `${at.latitude}, ${at.longitude} is outside your area; a control room of that district takes this call`,
    `${at.latitude}, ${at.longitude} आपके क्षेत्र से बाहर है; उस जिले का नियंत्रण कक्ष यह कॉल लेगा`,
  );
  // An imported outline says exactly where the point is.
  const outlines = await geoRepo.districtOutlines(db);
  const holder = outlines.find((o) => booleanPointInPolygon([at.longitude, at.latitude], o.geometry as Polygon | MultiPolygon));
  if (holder) {
    const district = await geoRepo.findById(db, holder.id);
    if (!district || !inScope(actor, district.path)) throw outside();
    return { district, village: null };
  }
  // Else the nearest headquarters of a district in the caller's area, within HQ_RADIUS_KM.
  const own = await geoRepo.districtOf(db, actor.orgPath);
  const districts = own && inScope(actor, own.path) ? [own] : await db.selectFrom('org_units').selectAll().where('level', '=', 'district').where('path', 'like', `${actor.orgPath}%`).where('closed_on', 'is', null).execute();
  let best: { district: OrgUnitRow; km: number } | undefined;
  for (const d of districts) {
    const hq = d.lgd_code !== null ? HQ_BY_LGD.get(d.lgd_code) : undefined;
    if (!hq) continue;
    const km = distanceKm(at.latitude, at.longitude, hq.lat, hq.lon);
    if (!best || km < best.km) best = { district: d, km };
  }
  if (!best || best.km > HQ_RADIUS_KM) throw outside();
  return { district: best.district, village: null };
}
