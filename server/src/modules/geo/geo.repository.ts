import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, NewOrgUnit, OrgUnitLevel, OrgUnitRow } from '../../db/types.js';

type Db = Kysely<Database>;

export async function findById(db: Db, id: string): Promise<OrgUnitRow | undefined> {
  return db.selectFrom('org_units').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findByCode(db: Db, code: string): Promise<OrgUnitRow | undefined> {
  return db.selectFrom('org_units').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function findByLgd(db: Db, code: number, levels: OrgUnitLevel[]): Promise<OrgUnitRow[]> {
  return db.selectFrom('org_units').selectAll().where('lgd_code', '=', code).where('level', 'in', levels).execute();
}

export async function findCountry(db: Db): Promise<OrgUnitRow | undefined> {
  return db.selectFrom('org_units').selectAll().where('level', '=', 'country').executeTakeFirst();
}

export async function findChildren(db: Db, parentId: string): Promise<OrgUnitRow[]> {
  return db
    .selectFrom('org_units')
    .selectAll()
    .where('parent_id', '=', parentId)
    .where('level', '!=', 'facility')
    .orderBy('name')
    .execute();
}

export async function findManyByIds(db: Db, ids: string[]): Promise<OrgUnitRow[]> {
  if (!ids.length) return [];
  return db.selectFrom('org_units').selectAll().where('id', 'in', ids).execute();
}

/** Units of `level` with these LGD codes, keyed by code. */
export async function mapByLgd(db: Db, level: OrgUnitLevel, codes?: number[]): Promise<Map<number, OrgUnitRow>> {
  let q = db.selectFrom('org_units').selectAll().where('level', '=', level);
  if (codes) {
    if (!codes.length) return new Map();
    q = q.where('lgd_code', 'in', codes);
  }
  const rows = await q.execute();
  return new Map(rows.map((r) => [r.lgd_code as number, r]));
}

export async function insertUnits(db: Db, rows: NewOrgUnit[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await db.insertInto('org_units').values(rows.slice(i, i + 500)).execute();
  }
}

export async function updateNames(db: Db, id: string, name: string, nameHi: string | null): Promise<void> {
  await db
    .updateTable('org_units')
    .set({ name, name_hi: nameHi, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export async function countByLevel(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('org_units')
    .select(['level', sql<number>`count(*)::int`.as('n')])
    .groupBy('level')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.level, r.n]));
}

/** The outlines stored under a path (of one level when named). */
export async function boundariesUnder(db: Db, path: string, level?: OrgUnitLevel) {
  let q = db
    .selectFrom('geo_boundaries as b')
    .innerJoin('org_units as u', 'u.id', 'b.org_unit_id')
    .select(['u.id', 'u.lgd_code', 'u.name', 'u.name_hi', 'u.level', 'b.geometry'])
    .where('u.path', 'like', `${path}%`);
  if (level) q = q.where('u.level', '=', level);
  return q.execute();
}

/** These units with their outline where one is stored (null where none is). */
export async function unitsWithOutlines(db: Db, ids: string[]) {
  if (!ids.length) return [];
  return db
    .selectFrom('org_units as u')
    .leftJoin('geo_boundaries as b', 'b.org_unit_id', 'u.id')
    .select(['u.id', 'u.level', 'u.lgd_code', 'u.state_lgd', 'b.geometry'])
    .where('u.id', 'in', ids)
    .execute();
}

export async function upsertBoundary(db: Db, orgUnitId: string, geometry: unknown, source: string): Promise<void> {
  await db
    .insertInto('geo_boundaries')
    .values({ org_unit_id: orgUnitId, geometry: JSON.stringify(geometry), source })
    .onConflict((oc) =>
      oc.column('org_unit_id').doUpdateSet({ geometry: JSON.stringify(geometry), source, updated_at: sql`now()` }),
    )
    .execute();
}

/** Refreshes planner statistics after a bulk import (PGlite has no autovacuum to do it). */
export async function analyzeUnits(db: Db): Promise<void> {
  await sql`analyze org_units`.execute(db);
}

/** Every stored district outline with its district and state, for placing a point. */
export async function districtOutlines(db: Db, districtId?: string) {
  let q = db
    .selectFrom('geo_boundaries as b')
    .innerJoin('org_units as u', 'u.id', 'b.org_unit_id')
    .select(['u.id', 'u.lgd_code', 'u.name', 'u.name_hi', 'u.state_lgd', 'b.geometry'])
    .where('u.level', '=', 'district');
  if (districtId) q = q.where('u.id', '=', districtId);
  return q.execute();
}

/** The district a unit lies in (itself when it is one). */
export async function districtOf(db: Db, unitPath: string): Promise<OrgUnitRow | undefined> {
  const ids = unitPath.split('/').filter(Boolean);
  if (!ids.length) return undefined;
  return db.selectFrom('org_units').selectAll().where('level', '=', 'district').where('id', 'in', ids).executeTakeFirst();
}

/** Locks a unit's row for the rest of the transaction (adding under a parent, renaming a child of it). */
export async function lockUnit(trx: Transaction<Database>, id: string): Promise<void> {
  await trx.selectFrom('org_units').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
}

/** A unit of `level` under `parentId` with this name (case and spaces aside), other than `exceptId`. */
export async function siblingNamed(db: Db, parentId: string, level: OrgUnitLevel, name: string, exceptId?: string): Promise<OrgUnitRow | undefined> {
  let q = db.selectFrom('org_units').selectAll()
    .where('parent_id', '=', parentId).where('level', '=', level)
    .where(sql<string>`lower(btrim(name))`, '=', name.trim().toLowerCase());
  if (exceptId) q = q.where('id', '!=', exceptId);
  return q.executeTakeFirst();
}

export async function updateUnit(db: Db, id: string, set: { name?: string; name_hi?: string | null; lgd_code?: number | null; code?: string | null }): Promise<OrgUnitRow> {
  return db.updateTable('org_units').set({ ...set, updated_at: sql`now()` }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** Escapes `%`, `_` and `\` for a LIKE pattern. */
const likeText = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export interface UnitPage { items: (OrgUnitRow & { child_count: number })[]; total: number }

/**
 * A page of places (blocks, panchayats, villages) with how many places each holds: the children of
 * a unit, or, with `q`, every place under it whose name (English or Hindi) contains `q`.
 */
export async function pageUnits(db: Db, parent: OrgUnitRow, opts: { q?: string; offset: number; limit: number }): Promise<UnitPage> {
  let q = db.selectFrom('org_units as u').where('u.level', 'in', ['state', 'district', 'block', 'panchayat', 'village']);
  if (opts.q) {
    const pattern = `%${likeText(opts.q.trim())}%`;
    q = q.where('u.path', 'like', `${likeText(parent.path)}%`).where('u.id', '!=', parent.id)
      .where((eb) => eb.or([eb('u.name', 'ilike', pattern), eb('u.name_hi', 'ilike', pattern)]));
  } else {
    q = q.where('u.parent_id', '=', parent.id);
  }
  const [{ n }] = await q.select(sql<number>`count(*)::int`.as('n')).execute();
  const items = await q.selectAll('u')
    .select((eb) => eb.selectFrom('org_units as c').whereRef('c.parent_id', '=', 'u.id').where('c.level', '!=', 'facility')
      .select(sql<number>`count(*)::int`.as('c')).as('child_count'))
    .orderBy(sql`lower(u.name)`).orderBy('u.id')
    .offset(opts.offset).limit(opts.limit).execute();
  return { items: items.map((r) => ({ ...r, child_count: Number(r.child_count ?? 0) })), total: n };
}
