import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { Database, FacilityUpgradesTable, NewFacility, NewOrgUnit } from '../../db/types.js';

type Db = Kysely<Database>;

export interface FacilityFilter {
  /** Materialised path every result must lie under. */
  under: string;
  type?: string;
  ownership?: string;
  system?: string;
  portalStatus?: string;
  hwc?: boolean;
  hubId?: string;
  q?: string;
}

/** One facility row with its org unit and the state, district and block above it. */
function selectFacilities(db: Db) {
  return db
    .selectFrom('facilities as f')
    .innerJoin('org_units as o', 'o.id', 'f.id')
    .leftJoin('org_units as s', (j) => j.onRef('s.id', '=', sql`split_part(o.path, '/', 3)`))
    .leftJoin('org_units as d', (j) => j.onRef('d.id', '=', sql`split_part(o.path, '/', 4)`).on('d.level', '=', 'district'))
    .leftJoin('org_units as b', (j) => j.onRef('b.id', '=', sql`split_part(o.path, '/', 5)`).on('b.level', '=', 'block'))
    .selectAll('f')
    .select([
      'o.name', 'o.name_hi', 'o.parent_id', 'o.path', 'o.opened_on', 'o.closed_on',
      's.id as s_id', 's.lgd_code as s_lgd', 's.name as s_name', 's.name_hi as s_name_hi',
      'd.id as d_id', 'd.lgd_code as d_lgd', 'd.name as d_name', 'd.name_hi as d_name_hi',
      'b.id as b_id', 'b.lgd_code as b_lgd', 'b.name as b_name', 'b.name_hi as b_name_hi',
    ]);
}
export type FacilityJoinedRow = Awaited<ReturnType<ReturnType<typeof selectFacilities>['executeTakeFirstOrThrow']>>;

function applyFilter<QB extends { where: (...a: any[]) => QB }>(qb: QB, f: FacilityFilter): QB {
  let q = qb.where('o.path', 'like', `${f.under}%`);
  if (f.type) q = q.where('f.type', '=', f.type);
  if (f.ownership) q = q.where('f.ownership', '=', f.ownership);
  if (f.system) q = q.where('f.system', '=', f.system);
  if (f.portalStatus) q = q.where('f.portal_status', '=', f.portalStatus);
  if (f.hwc !== undefined) q = q.where('f.hwc', '=', f.hwc);
  if (f.hubId) q = q.where('f.hub_id', '=', f.hubId);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    const exact = f.q.trim();
    // One indexed look-up per way of naming a facility (trigram indexes on both names), joined by
    // UNION: an OR across two tables would scan every facility.
    q = q.where('o.id', 'in', (eb: any) => eb
      .selectFrom('org_units').select('id').where('name', 'ilike', like)
      .union(eb.selectFrom('org_units').select('id').where('name_hi', 'ilike', like))
      .union(eb.selectFrom('facilities').select('id').where('hfr_id', '=', exact.toUpperCase()))
      .union(eb.selectFrom('facilities').select('id').where('pincode', '=', exact))
      .union(eb.selectFrom('org_units').select('id').where('id', '=', exact)));
  }
  return q;
}

function filtered(db: Db, f: FacilityFilter) {
  return applyFilter(db.selectFrom('facilities as f').innerJoin('org_units as o', 'o.id', 'f.id') as any, f) as ReturnType<typeof baseJoin>;
}
const baseJoin = (db: Db) => db.selectFrom('facilities as f').innerJoin('org_units as o', 'o.id', 'f.id');

/**
 * One page in name order and the total, in one pass over the matches (a window count); the
 * state, district and block are joined for the page's rows only.
 */
export async function list(db: Db, f: FacilityFilter, page: { limit: number; offset: number }) {
  const ids = await filtered(db, f)
    .select(['f.id', sql<number>`(count(*) over ())::int`.as('total')])
    .orderBy('o.name')
    .orderBy('f.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  let total = ids[0]?.total ?? 0;
  if (!ids.length && page.offset > 0) {
    total = (await filtered(db, f).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;
  }
  if (!ids.length) return { rows: [] as FacilityJoinedRow[], total };
  const rows = await selectFacilities(db).where('f.id', 'in', ids.map((r) => r.id)).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return { rows: ids.map((r) => byId.get(r.id)!).filter(Boolean), total };
}

export async function points(db: Db, f: FacilityFilter, limit: number) {
  return (await filtered(db, f)
    .select(['f.id', 'o.name', 'f.type', 'f.ownership', 'f.portal_status', 'f.latitude', 'f.longitude'])
    .where('f.latitude', 'is not', null)
    .limit(limit)
    .execute()) as { id: string; name: string; type: string; ownership: string; portal_status: string; latitude: number; longitude: number }[];
}

export async function findById(db: Db, id: string): Promise<FacilityJoinedRow | undefined> {
  return selectFacilities(db).where('f.id', '=', id).executeTakeFirst();
}

/** Locks the facility row for an update; only inside a transaction. */
export async function lockById(trx: Transaction<Database>, id: string) {
  return trx.selectFrom('facilities').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function upgrades(db: Db, id: string) {
  return db.selectFrom('facility_upgrades').selectAll().where('facility_id', '=', id).orderBy('upgraded_on').orderBy('id').execute();
}

export async function insert(db: Db, unit: NewOrgUnit, facility: NewFacility) {
  await db.insertInto('org_units').values(unit).execute();
  await db.insertInto('facilities').values(facility).execute();
}

/** Bulk insert for imports and demo data: org units first, then facilities, in chunks. */
export async function insertMany(db: Db, units: NewOrgUnit[], facilities: NewFacility[]) {
  for (let i = 0; i < units.length; i += 400) {
    await db.insertInto('org_units').values(units.slice(i, i + 400)).execute();
    await db.insertInto('facilities').values(facilities.slice(i, i + 400)).execute();
  }
}

export async function update(db: Db, id: string, unit: { name?: string; name_hi?: string | null; parent_id?: string; path?: string; opened_on?: string | null; closed_on?: string | null }, facility: Partial<NewFacility>) {
  if (Object.keys(unit).length) {
    await db.updateTable('org_units').set({ ...unit, updated_at: sql`now()` }).where('id', '=', id).execute();
  }
  await db.updateTable('facilities').set({ ...facility, updated_at: sql`now()` }).where('id', '=', id).execute();
}

export async function remove(db: Db, id: string) {
  await db.deleteFrom('facilities').where('id', '=', id).execute();
  await db.deleteFrom('org_units').where('id', '=', id).execute();
}

export async function insertUpgrade(db: Db, u: Insertable<FacilityUpgradesTable>) {
  await db.insertInto('facility_upgrades').values(u).execute();
}

export async function summary(db: Db, under: string) {
  return db
    .selectFrom('facilities as f')
    .innerJoin('org_units as o', 'o.id', 'f.id')
    .where('o.path', 'like', `${under}%`)
    .select([
      'f.type',
      sql<number>`count(*)::int`.as('total'),
      sql<number>`count(*) filter (where f.portal_status = 'registered')::int`.as('registered'),
      sql<number>`count(*) filter (where f.portal_status = 'registered' and f.system = 'ayush')::int`.as('registered_ayush'),
      sql<number>`count(*) filter (where f.ownership = 'private')::int`.as('private_total'),
      sql<number>`count(*) filter (where f.ownership = 'private' and f.portal_status = 'registered')::int`.as('private_registered'),
      sql<number>`count(*) filter (where f.hwc)::int`.as('hwc'),
    ])
    .groupBy('f.type')
    .execute();
}

export async function existsHfr(db: Db, hfrId: string, exceptId?: string) {
  let q = db.selectFrom('facilities').select('id').where('hfr_id', '=', hfrId);
  if (exceptId) q = q.where('id', '!=', exceptId);
  return !!(await q.executeTakeFirst());
}

export async function hasDependants(db: Db, id: string) {
  const row = await db
    .selectFrom('org_units')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('parent_id', '=', id)
    .executeTakeFirstOrThrow();
  const users = await db.selectFrom('users').select(sql<number>`count(*)::int`.as('n')).where('org_unit_id', '=', id).executeTakeFirstOrThrow();
  return row.n + users.n;
}

/** Whether any HMIS or surveillance data was reported for the org unit (such a facility is closed, not deleted). */
export async function hasReportedData(db: Db, id: string): Promise<boolean> {
  const row = await sql<{ found: boolean }>`select exists (select 1 from hmis_data_values where org_unit_id = ${id})
    or exists (select 1 from hmis_complete_registrations where org_unit_id = ${id})
    or exists (select 1 from surveillance_reports where org_unit_id = ${id}) as found`.execute(db);
  return !!row.rows[0]?.found;
}

/** The facilities that came from `source` (id, parent and path), keyed by their reference in that source. */
export async function bySourceRef(db: Db, source: string): Promise<Map<string, { id: string; parentId: string | null; path: string }>> {
  const rows = await db
    .selectFrom('facilities as f')
    .innerJoin('org_units as o', 'o.id', 'f.id')
    .select(['f.id', 'f.source_ref', 'o.parent_id', 'o.path'])
    .where('f.source', '=', source)
    .where('f.source_ref', 'is not', null)
    .execute();
  return new Map(rows.map((r) => [r.source_ref as string, { id: r.id, parentId: r.parent_id, path: r.path }]));
}

/**
 * Bulk insert-or-update for imports, in chunks. A facility that exists (same id) gets its place,
 * name and the fields listed in `refresh` from the import; everything else people have edited
 * since (type, registration, HWC status, beds) stays.
 */
export async function upsertMany(
  db: Db,
  units: NewOrgUnit[],
  facilities: NewFacility[],
  refresh: readonly (keyof NewFacility & string)[],
) {
  for (let i = 0; i < units.length; i += 500) {
    await db
      .insertInto('org_units')
      .values(units.slice(i, i + 500))
      .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        parent_id: eb.ref('excluded.parent_id'),
        path: eb.ref('excluded.path'),
        state_lgd: eb.ref('excluded.state_lgd'),
        updated_at: sql`now()`,
      })))
      .execute();
    await db
      .insertInto('facilities')
      .values(facilities.slice(i, i + 500))
      .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({
        ...Object.fromEntries(refresh.map((c) => [c, eb.ref(`excluded.${c}` as any)])),
        updated_at: sql`now()`,
      })))
      .execute();
  }
}

/** Refreshes planner statistics after a bulk import (PGlite has no autovacuum to do it). */
export async function analyzeRegistry(db: Db) {
  await sql`analyze org_units, facilities`.execute(db);
}
