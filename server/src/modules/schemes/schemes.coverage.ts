// A scheme by area (issue 15, part 6): for each panchayat (or block, or district) of the caller's area,
// the register's families and members, the families with a card of the scheme year (coverage), the
// claims (utilisation per 1,000 members), the amounts paid and pending, and the commonest diagnoses.
// Only counts and sums leave here: no names, no card numbers, so nothing personal is read or audited.
// The public page gets the same figures by district or block, with diagnoses named only where at
// least SMALL_CELL claims share them (a rarer one could point to a person in a small place).
import { sql } from 'kysely';
import type { Actor } from '../../platform/actor.js';
import { badRequest } from '../../platform/errors.js';
import { todayIst } from '../../platform/periods.js';
import { shapesOf } from '../geo/geo.service.js';
import { registerCountsByPanchayat } from '../registers/registers.service.js';
import * as repo from './schemes.repository.js';
import { requireAny, schemeOf } from './schemes.service.js';

type Db = repo.Db;
export const COVERAGE_LEVELS = ['district', 'block', 'panchayat'] as const;
export type CoverageLevel = (typeof COVERAGE_LEVELS)[number];
/** Claims a diagnosis needs before the public page names it. */
export const SMALL_CELL = 5;

export interface CoverageRow {
  unitId: string;
  name: string;
  nameHi: string | null;
  lgdCode: number | null;
  families: number;
  familiesEnrolled: number;
  /** familiesEnrolled ÷ families (0 when the register has none there). */
  coverage: number;
  members: number;
  claims: number;
  claimsPer1000Members: number;
  paid: number;
  pending: number;
  topDiagnoses: { code: string; name: string | null; nameHi: string | null; claims: number }[];
}

const round = (n: number, d: number) => Math.round(n * 10 ** d) / 10 ** d;

/** The units of `by` level inside `path`: the rows of the figures and the shapes of the map. */
const unitsOf = (db: Db, path: string, by: CoverageLevel) =>
  sql<{ id: string; name: string; name_hi: string | null; lgd_code: number | null; path: string }>`
    select id, name, name_hi, lgd_code, path from org_units
    where level = ${by} and path like ${`${path}%`} and closed_on is null
    order by name, id`.execute(db);

/**
 * The figures for every unit of `by` level inside `path`. Each table is summed per gram panchayat from
 * an index of its own (the register's families and members, from the registers module; the cards of the
 * year and their claims, by the panchayat the card was issued in), then the panchayats are rolled up to
 * the level asked for: each to the deepest unit whose path begins its own, found by its path's prefixes.
 */
async function figures(db: Db, scheme: string, year: number, path: string, by: CoverageLevel): Promise<CoverageRow[]> {
  const like = `${path}%`;
  const units = await unitsOf(db, path, by);
  if (!units.rows.length) return [];
  const inScope = sql`(select id from org_units where level = 'panchayat' and path like ${like})`;
  const [panchayats, register, cards, claims, diagnoses] = await Promise.all([
    sql<{ id: string; path: string }>`select id, path from org_units where level = 'panchayat' and path like ${like}`.execute(db),
    registerCountsByPanchayat(db, path),
    sql<{ panchayat_id: string; n: string }>`
      select panchayat_id, count(*) as n from scheme_enrolments
      where scheme = ${scheme} and scheme_year = ${year} and status = 'active' and panchayat_id in ${inScope}
      group by panchayat_id`.execute(db),
    sql<{ panchayat_id: string; n: string; paid: string | null; pending: string | null }>`
      select panchayat_id, count(*) as n,
        sum(coalesce(settled_amount, 0)) filter (where status in ('approved', 'deducted')) as paid,
        sum(amount) filter (where status = 'claimed') as pending
      from scheme_claims
      where scheme = ${scheme} and scheme_year = ${year} and panchayat_id in ${inScope} and status <> 'preauth_rejected'
      group by panchayat_id`.execute(db),
    sql<{ panchayat_id: string; code: string; n: string; title: string | null; title_hi: string | null }>`
      select d.panchayat_id, d.code, d.n, i.title, i.title_hi
      from (
        select panchayat_id, diagnosis as code, count(*) as n from scheme_claims
        where scheme = ${scheme} and scheme_year = ${year} and panchayat_id in ${inScope} and status <> 'preauth_rejected'
        group by panchayat_id, diagnosis
      ) d left join icd_codes i on i.code = d.code`.execute(db),
  ]);

  type Row = CoverageRow & { dx: Map<string, { code: string; name: string | null; nameHi: string | null; claims: number }> };
  const out = new Map<string, Row>();
  const unitByPath = new Map<string, string>();
  for (const u of units.rows) {
    unitByPath.set(u.path, u.id);
    out.set(u.id, {
      unitId: u.id, name: u.name, nameHi: u.name_hi, lgdCode: u.lgd_code,
      families: 0, familiesEnrolled: 0, coverage: 0, members: 0, claims: 0, claimsPer1000Members: 0, paid: 0, pending: 0, topDiagnoses: [], dx: new Map(),
    });
  }
  // Each panchayat's row: the unit at the longest prefix of its path (its own path first).
  const rowOf = new Map<string, Row>();
  for (const p of panchayats.rows) {
    const parts = p.path.split('/').filter(Boolean);
    for (let n = parts.length; n > 0; n--) {
      const unit = unitByPath.get(`/${parts.slice(0, n).join('/')}/`);
      if (unit) { rowOf.set(p.id, out.get(unit)!); break; }
    }
  }
  for (const r of register) {
    const row = rowOf.get(r.panchayatId);
    if (!row) continue;
    row.families += r.families;
    row.members += r.members;
  }
  for (const r of cards.rows) {
    const row = rowOf.get(r.panchayat_id);
    if (row) row.familiesEnrolled += Number(r.n);
  }
  for (const r of claims.rows) {
    const row = rowOf.get(r.panchayat_id);
    if (!row) continue;
    row.claims += Number(r.n);
    row.paid += Number(r.paid ?? 0);
    row.pending += Number(r.pending ?? 0);
  }
  for (const d of diagnoses.rows) {
    const row = rowOf.get(d.panchayat_id);
    if (!row) continue;
    const cur = row.dx.get(d.code) ?? { code: d.code, name: d.title, nameHi: d.title_hi, claims: 0 };
    cur.claims += Number(d.n);
    row.dx.set(d.code, cur);
  }
  return [...out.values()].map(({ dx, ...row }) => ({
    ...row,
    coverage: row.families ? round(row.familiesEnrolled / row.families, 4) : 0,
    claimsPer1000Members: row.members ? round((row.claims * 1000) / row.members, 1) : 0,
    paid: round(row.paid, 2),
    pending: round(row.pending, 2),
    topDiagnoses: [...dx.values()].sort((a, b) => b.claims - a.claims || a.code.localeCompare(b.code)).slice(0, 3),
  }));
}

function yearOf(year: number | undefined): number {
  const y = year ?? Number(todayIst().slice(0, 4));
  if (!Number.isInteger(y) || y < 2000 || y > 2200) throw badRequest(`year ${year} is not a scheme year`, `वर्ष ${year} योजना वर्ष नहीं है`, { field: 'year' });
  return y;
}

const totalsOf = (items: CoverageRow[]) => {
  const t = items.reduce((a, r) => ({
    families: a.families + r.families, familiesEnrolled: a.familiesEnrolled + r.familiesEnrolled, members: a.members + r.members,
    claims: a.claims + r.claims, paid: a.paid + r.paid, pending: a.pending + r.pending,
  }), { families: 0, familiesEnrolled: 0, members: 0, claims: 0, paid: 0, pending: 0 });
  return {
    ...t, paid: round(t.paid, 2), pending: round(t.pending, 2),
    coverage: t.families ? round(t.familiesEnrolled / t.families, 4) : 0,
    claimsPer1000Members: t.members ? round((t.claims * 1000) / t.members, 1) : 0,
  };
};

/** Coverage and use of a scheme by panchayat (block, district) in the caller's area. */
export async function coverage(db: Db, actor: Actor, schemeName: string, q: { by?: CoverageLevel; year?: number }) {
  requireAny(actor, ['can_read_schemes', 'can_manage_schemes', 'can_enrol_schemes', 'can_settle_scheme_claims']);
  const scheme = schemeOf(schemeName);
  const year = yearOf(q.year);
  const by = q.by ?? 'panchayat';
  const items = await figures(db, scheme, year, actor.orgPath, by);
  return { scheme, year, by, items, totals: totalsOf(items) };
}

/** The state of the public figures: the one named (LGD code), else the scheme's own (HIMCARE: Himachal Pradesh). */
async function publicState(db: Db, scheme: string, asked: number | undefined) {
  const lgd = asked ?? (await repo.schemeState(db, scheme))?.state_lgd;
  if (lgd == null) throw badRequest(`${scheme.toUpperCase()} is tied to no state; name one (state=<LGD code>)`, 'राज्य का LGD कोड दें (state=)', { field: 'state' });
  const state = await db.selectFrom('org_units').select(['path', 'name', 'name_hi']).where('level', '=', 'state').where('lgd_code', '=', lgd).executeTakeFirst();
  if (!state) throw badRequest(`No state has LGD code ${lgd}`, `LGD कोड ${lgd} का कोई राज्य नहीं है`, { field: 'state' });
  return { lgd, state };
}

/**
 * The public page's figures: by district or block of one state (LGD code), aggregates only; a
 * diagnosis is named only where at least SMALL_CELL claims share it.
 */
export async function publicCoverage(db: Db, schemeName: string, q: { state?: number; by?: 'district' | 'block'; year?: number }) {
  const scheme = schemeOf(schemeName);
  const year = yearOf(q.year);
  // Without a state: the scheme's own (HIMCARE: Himachal Pradesh), as the public page asks.
  const { lgd, state } = await publicState(db, scheme, q.state);
  const by = q.by ?? 'district';
  const items = (await figures(db, scheme, year, state.path, by)).map((r) => ({ ...r, topDiagnoses: r.topDiagnoses.filter((d) => d.claims >= SMALL_CELL) }));
  return { scheme, year, by, state: { lgdCode: lgd, name: state.name, nameHi: state.name_hi }, items, totals: totalsOf(items) };
}

/**
 * The map of the figures: a GeoJSON FeatureCollection with a feature for each unit of the level that
 * has a shape (its imported outline, or a district's headquarters point, shape 'headquarters'), its id
 * the unit's, and the units with neither in `noShape`, to be listed beside the map. Geography only (the
 * figures come from /coverage and are joined on unitId); nothing is drawn that was not imported or known.
 */
async function shapes(db: Db, path: string, by: CoverageLevel) {
  const units = (await unitsOf(db, path, by)).rows;
  const known = await shapesOf(db, units.map((u) => u.id));
  const features = [];
  const noShape = [];
  for (const u of units) {
    const unit = { unitId: u.id, name: u.name, nameHi: u.name_hi, lgdCode: u.lgd_code };
    const s = known.get(u.id);
    if (!s) noShape.push(unit);
    else if (s.kind === 'outline') features.push({ type: 'Feature' as const, id: u.id, properties: { ...unit, shape: 'outline' as const }, geometry: s.geometry });
    else features.push({ type: 'Feature' as const, id: u.id, properties: { ...unit, shape: 'headquarters' as const }, geometry: { type: 'Point', coordinates: [s.longitude, s.latitude] } });
  }
  return { by, type: 'FeatureCollection' as const, features, noShape };
}

/** The shapes of the officers' coverage map: the units of `by` level in the caller's area. */
export async function coverageShapes(db: Db, actor: Actor, schemeName: string, q: { by?: CoverageLevel }) {
  requireAny(actor, ['can_read_schemes', 'can_manage_schemes', 'can_enrol_schemes', 'can_settle_scheme_claims']);
  schemeOf(schemeName);
  return shapes(db, actor.orgPath, q.by ?? 'panchayat');
}

/** The shapes of the public map: districts or blocks of the state of the public figures. */
export async function publicCoverageShapes(db: Db, schemeName: string, q: { state?: number; by?: 'district' | 'block' }) {
  const scheme = schemeOf(schemeName);
  const { state } = await publicState(db, scheme, q.state);
  return shapes(db, state.path, q.by ?? 'district');
}
