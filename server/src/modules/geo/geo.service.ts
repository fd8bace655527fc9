import type { Kysely } from 'kysely';
import type { Database, NewOrgUnit, OrgUnitLevel, OrgUnitRow } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { isUid, stableUid } from '../../platform/ids.js';
import * as repo from './geo.repository.js';
import { REF_DISTRICTS, REF_STATES } from './geo.reference.js';
import { DISTRICT_HQ } from './geo.headquarters.js';

type Db = Kysely<Database>;

export const GEO_LEVELS: OrgUnitLevel[] = ['state', 'district', 'block', 'panchayat', 'village'];
/** How a bare LGD code is read when the parameter does not name a level. */
export const DEFAULT_LEVEL_ORDER: OrgUnitLevel[] = ['district', 'state', 'block', 'panchayat', 'village'];

export interface OrgUnitDto {
  id: string;
  level: OrgUnitLevel;
  lgdCode: number | null;
  name: string;
  nameHi: string | null;
  parentId: string | null;
  path: string;
  stateLgd: number | null;
}

export function toDto(r: OrgUnitRow): OrgUnitDto {
  return {
    id: r.id,
    level: r.level,
    lgdCode: r.lgd_code,
    name: r.name,
    nameHi: r.name_hi,
    parentId: r.parent_id,
    path: r.path,
    stateLgd: r.state_lgd,
  };
}

export const COUNTRY_ID = stableUid('country:IN');
export const unitId = (level: OrgUnitLevel, lgd: number) => stableUid(`${level}:${lgd}`);

/**
 * Finds an org unit from what a person or another system typed: an org unit id, `IN`/`india`, a
 * level-qualified LGD code (`district:22`) or a bare LGD code read at the first of `levels` that has it.
 */
export async function resolveOrgUnit(
  db: Db,
  ref: string | number,
  levels: OrgUnitLevel[] = DEFAULT_LEVEL_ORDER,
  field = 'orgUnit',
): Promise<OrgUnitRow> {
  const text = String(ref).trim();
  if (/^(in|india)$/i.test(text)) {
    const country = await repo.findCountry(db);
    if (!country) throw notFound('The country unit is missing; run the migrations', 'देश इकाई नहीं मिली');
    return country;
  }
  const qualified = /^(state|district|block|panchayat|village):(\d{1,9})$/i.exec(text);
  if (qualified || /^\d{1,9}$/.test(text)) {
    const code = Number(qualified ? qualified[2] : text);
    const wanted = qualified ? [qualified[1].toLowerCase() as OrgUnitLevel] : levels;
    const rows = await repo.findByLgd(db, code, wanted);
    for (const level of wanted) {
      const hit = rows.find((r) => r.level === level);
      if (hit) return hit;
    }
    throw notFound(
      `No ${wanted.join(' or ')} has LGD code ${code}`,
      `LGD कोड ${code} वाली कोई इकाई (${wanted.join(' / ')}) नहीं मिली`,
    );
  }
  const row = isUid(text) ? await repo.findById(db, text) : undefined;
  if (row) return row;
  const byCode = text.length <= 50 ? await repo.findByCode(db, text) : undefined;
  if (byCode) return byCode;
  if (isUid(text)) throw notFound(`No org unit has id or code ${text}`, `आईडी या कोड ${text} वाली कोई इकाई नहीं मिली`);
  throw badRequest(
    `${field}=${JSON.stringify(text)} is neither an org unit id (11 letters and digits), an org unit code, nor an LGD code (digits, optionally as district:63)`,
    `${field}=${JSON.stringify(text)} न तो इकाई आईडी है, न इकाई कोड और न ही LGD कोड`,
    { field },
  );
}

export async function getUnit(db: Db, actor: Actor, ref: string): Promise<OrgUnitDto> {
  requirePermission(actor, 'can_read_geo');
  return toDto(await resolveOrgUnit(db, ref, DEFAULT_LEVEL_ORDER, 'lgdCode'));
}

export async function getChildren(db: Db, actor: Actor, ref: string): Promise<OrgUnitDto[]> {
  requirePermission(actor, 'can_read_geo');
  const unit = await resolveOrgUnit(db, ref, DEFAULT_LEVEL_ORDER, 'lgdCode');
  return (await repo.findChildren(db, unit.id)).map(toDto);
}

/**
 * GeoJSON of the outlines of one level stored under a unit (district outlines for a state, say). The
 * level defaults to district, as the facility map and the analytics map draw districts: panchayat
 * outlines, once a state imports them, are asked for by name.
 */
export async function getBoundaries(db: Db, actor: Actor, ref: string, level: OrgUnitLevel = 'district') {
  requirePermission(actor, 'can_read_geo');
  const unit = await resolveOrgUnit(db, ref);
  const rows = await repo.boundariesUnder(db, unit.path, level);
  return {
    type: 'FeatureCollection' as const,
    features: rows.map((r) => ({
      type: 'Feature' as const,
      properties: { id: r.id, lgdCode: r.lgd_code, name: r.name, nameHi: r.name_hi, level: r.level },
      geometry: r.geometry,
    })),
  };
}

/** Where a unit is drawn: its stored outline, else (a district) its headquarters town, a point. */
export type UnitShape =
  | { kind: 'outline'; geometry: { type: string; coordinates: unknown[] } }
  | { kind: 'headquarters'; latitude: number; longitude: number };

/**
 * The shapes of these units for a map, keyed by id: the outline imported for the unit
 * (`swasthya import boundaries`, POST /api/geo/boundaries), else, for a district, its headquarters
 * point (DISTRICT_HQ, a real town, not a made-up centre). A unit with neither is left out: the caller
 * lists it as having no outline. No permission check: the caller has checked its own.
 */
export async function shapesOf(db: Db, ids: string[]): Promise<Map<string, UnitShape>> {
  const out = new Map<string, UnitShape>();
  if (!ids.length) return out;
  const rows = await repo.unitsWithOutlines(db, ids);
  for (const r of rows) {
    if (r.geometry) out.set(r.id, { kind: 'outline', geometry: r.geometry as { type: string; coordinates: unknown[] } });
    else if (r.level === 'district' && r.lgd_code != null && r.state_lgd != null) {
      const hq = DISTRICT_HQ[r.state_lgd]?.find((d) => d[0] === r.lgd_code);
      if (hq) out.set(r.id, { kind: 'headquarters', latitude: hq[2], longitude: hq[3] });
    }
  }
  return out;
}

export function childRow(parent: OrgUnitRow, level: OrgUnitLevel, lgd: number, name: string, nameHi: string | null): NewOrgUnit {
  const id = unitId(level, lgd);
  return {
    id,
    level,
    lgd_code: lgd,
    name,
    name_hi: nameHi,
    parent_id: parent.id,
    path: `${parent.path}${id}/`,
    state_lgd: level === 'state' ? lgd : parent.state_lgd,
  };
}

/**
 * Loads the built-in geography (India, every state and UT, the districts of Haryana, Himachal
 * Pradesh, Bihar and Delhi). Idempotent: only what is missing is added.
 */
export async function ensureReferenceGeography(db: Db): Promise<number> {
  let added = 0;
  let country = await repo.findCountry(db);
  if (!country) {
    const row: NewOrgUnit = { id: COUNTRY_ID, level: 'country', code: 'IN', name: 'India', name_hi: 'भारत', path: `/${COUNTRY_ID}/`, parent_id: null, lgd_code: null, state_lgd: null };
    await repo.insertUnits(db, [row]);
    country = (await repo.findCountry(db))!;
    added++;
  }
  const states = await repo.mapByLgd(db, 'state');
  const newStates = REF_STATES.filter((s) => !states.has(s.lgd)).map((s) => childRow(country!, 'state', s.lgd, s.name, s.hi));
  await repo.insertUnits(db, newStates);
  added += newStates.length;
  const allStates = await repo.mapByLgd(db, 'state');
  const districts = await repo.mapByLgd(db, 'district');
  const newDistricts: NewOrgUnit[] = [];
  for (const [stateLgd, list] of Object.entries(REF_DISTRICTS)) {
    const state = allStates.get(Number(stateLgd))!;
    for (const d of list) if (!districts.has(d.lgd)) newDistricts.push(childRow(state, 'district', d.lgd, d.name, d.hi));
  }
  await repo.insertUnits(db, newDistricts);
  return added + newDistricts.length;
}

/**
 * Districts for forms citizens fill in without signing in (the LGD list is public): all, or those
 * of one state (LGD code). Names only.
 */
export async function publicDistricts(db: Db, state?: number) {
  let q = db.selectFrom('org_units as d').innerJoin('org_units as s', 's.id', 'd.parent_id')
    .select(['d.id', 'd.lgd_code', 'd.name', 'd.name_hi', 's.lgd_code as state_lgd', 's.name as state_name', 's.name_hi as state_name_hi'])
    .where('d.level', '=', 'district').where('d.closed_on', 'is', null);
  if (state !== undefined) q = q.where('s.lgd_code', '=', state);
  const rows = await q.orderBy('s.name').orderBy('d.name').execute();
  return { items: rows.map((r) => ({ id: r.id, lgdCode: r.lgd_code, name: r.name, nameHi: r.name_hi, state: { lgdCode: r.state_lgd, name: r.state_name, nameHi: r.state_name_hi } })) };
}
