import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';
import type { Kysely } from 'kysely';
import type { Database, OrgUnitRow } from '../../db/types.js';
import type { FieldProblem } from '../../platform/errors.js';
import { DISTRICT_HQ } from '../geo/geo.headquarters.js';
import { REF_STATES } from '../geo/geo.reference.js';
import * as geoRepo from '../geo/geo.repository.js';

type Db = Kysely<Database>;

/**
 * How far from its district headquarters a facility may be when the district has no imported
 * outline. 150 km covers the whole of all but a handful of India's largest districts (Leh, Kutch,
 * Lahaul and Spiti reach farther); import the outlines
 * (`swasthya import boundaries`) to check those exactly.
 */
export const HQ_RADIUS_KM = 150;

interface Outline { id: string; name: string; stateLgd: number | null; geometry: Polygon | MultiPolygon }
interface Hq { lgd: number; name: string; stateLgd: number; lat: number; lon: number }

const HQS: Hq[] = Object.entries(DISTRICT_HQ).flatMap(([s, rows]) => rows.map(([lgd, name, lat, lon]) => ({ lgd, name, stateLgd: Number(s), lat, lon })));
const HQ_BY_LGD = new Map(HQS.filter((h) => h.lgd).map((h) => [h.lgd, h]));
const STATES = new Map(REF_STATES.map((s) => [s.lgd, s]));

/** Great-circle distance in km (haversine, mean Earth radius). */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(a)));
}

const inside = (o: Outline, lat: number, lon: number) => booleanPointInPolygon([lon, lat], o.geometry);
const toOutline = (r: { id: string; name: string; state_lgd: number | null; geometry: unknown }): Outline => ({ id: r.id, name: r.name, stateLgd: r.state_lgd, geometry: r.geometry as Polygon | MultiPolygon });

/**
 * Checks facility coordinates against their district. One per import (outlines are read once) or
 * per request; outlines are only read when needed.
 */
export class Placement {
  private all?: Promise<Outline[]>;
  private own = new Map<string, Promise<Outline | undefined>>();
  constructor(private db: Db) {}

  private outlines() {
    return (this.all ??= geoRepo.districtOutlines(this.db).then((rows) => rows.map(toOutline)));
  }
  private outlineOf(districtId: string) {
    let p = this.own.get(districtId);
    if (!p) {
      p = this.all ? this.all.then((xs) => xs.find((x) => x.id === districtId)) : geoRepo.districtOutlines(this.db, districtId).then((rows) => (rows[0] ? toOutline(rows[0]) : undefined));
      this.own.set(districtId, p);
    }
    return p;
  }

  /** Where a point lies: the district whose outline holds it, else the nearest district headquarters. */
  async whereIs(lat: number, lon: number): Promise<{ name: string; state: string; stateHi: string; km?: number } | null> {
    const state = (lgd: number | null) => (lgd !== null ? STATES.get(lgd) : undefined);
    const hit = (await this.outlines()).find((o) => inside(o, lat, lon));
    if (hit) return { name: hit.name, state: state(hit.stateLgd)?.name ?? '', stateHi: state(hit.stateLgd)?.hi ?? '' };
    let best: Hq | undefined;
    let bestKm = Infinity;
    for (const h of HQS) {
      const d = distanceKm(lat, lon, h.lat, h.lon);
      if (d < bestKm) { best = h; bestKm = d; }
    }
    return best ? { name: best.name, state: state(best.stateLgd)?.name ?? '', stateHi: state(best.stateLgd)?.hi ?? '', km: Math.round(bestKm) } : null;
  }

  /**
   * Problems with a facility's coordinates in `district`: outside the district's imported outline,
   * or, without one, more than HQ_RADIUS_KM from its headquarters. None when either is unknown.
   */
  async problems(district: OrgUnitRow | undefined, lat: number | null | undefined, lon: number | null | undefined): Promise<FieldProblem[]> {
    if (!district || lat === null || lat === undefined || lon === null || lon === undefined) return [];
    const outline = await this.outlineOf(district.id);
    let why: { en: string; hi: string };
    if (outline) {
      if (inside(outline, lat, lon)) return [];
      why = { en: `is outside the imported outline of ${district.name}`, hi: `${district.name_hi ?? district.name} की सीमा से बाहर है` };
    } else {
      const hq = district.lgd_code !== null ? HQ_BY_LGD.get(district.lgd_code) : undefined;
      if (!hq) return [];
      const km = distanceKm(lat, lon, hq.lat, hq.lon);
      if (km <= HQ_RADIUS_KM) return [];
      why = { en: `is ${Math.round(km)} km from ${hq.name}, the headquarters of ${district.name} (at most ${HQ_RADIUS_KM} km)`, hi: `${district.name_hi ?? district.name} के मुख्यालय ${hq.name} से ${Math.round(km)} किमी दूर है (अधिकतम ${HQ_RADIUS_KM} किमी)` };
    }
    const at = `${lat}, ${lon}`;
    const where = await this.whereIs(lat, lon);
    const same = where?.name === district.name;
    const message = where && !same
      ? `${at} lies ${where.km === undefined ? 'in' : 'near'} ${where.name} (${where.state}), not in ${district.name}; check the coordinates`
      : `${at} ${why.en}; check the coordinates`;
    const messageHi = where && !same
      ? `${at} ${where.name} (${where.stateHi || where.state}) ${where.km === undefined ? 'में' : 'के पास'} है, ${district.name_hi ?? district.name} में नहीं; निर्देशांक जाँचें`
      : `${at} ${why.hi}; निर्देशांक जाँचें`;
    return [{ field: 'latitude/longitude', message, messageHi }];
  }
}
