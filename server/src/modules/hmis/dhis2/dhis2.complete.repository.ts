import type { Kysely } from 'kysely';
import type { Database, OrgUnitRow } from '../../../db/types.js';

type Db = Kysely<Database>;

/** When a return was completed, or null. */
export async function completedAt(db: Db, dataSetId: string, period: string, orgUnitId: string, aocId: string): Promise<Date | null> {
  const r = await db.selectFrom('hmis_complete_registrations').select('completed_at')
    .where('data_set_id', '=', dataSetId).where('period', '=', period).where('org_unit_id', '=', orgUnitId).where('aoc_id', '=', aocId).executeTakeFirst();
  return r?.completed_at ?? null;
}

/** Org units under `path` (itself included) with a completed return of the data set for the period. */
export async function completedUnder(db: Db, dataSetId: string, period: string, path: string): Promise<string[]> {
  const rows = await db.selectFrom('hmis_complete_registrations').select('org_unit_id')
    .where('data_set_id', '=', dataSetId).where('period', '=', period).where('ou_path', 'like', `${path}%`).orderBy('org_unit_id').execute();
  return rows.map((r) => r.org_unit_id);
}

/** Completed returns of the data sets for the periods (or those within startDate–endDate) at the units (or below them). */
export async function registrations(db: Db, q: { dataSetIds: string[]; periods: string[]; startDate?: string; endDate?: string; units: OrgUnitRow[]; children: boolean }) {
  let query = db.selectFrom('hmis_complete_registrations as c').innerJoin('org_units as o', 'o.id', 'c.org_unit_id')
    .select(['c.data_set_id', 'c.period', 'c.org_unit_id', 'c.aoc_id', 'c.completed_at', 'c.completed_by', 'o.code as ou_code', 'o.name as ou_name'])
    .where('c.data_set_id', 'in', q.dataSetIds)
    .where((eb) => eb.or(q.units.map((u) => (q.children ? eb('c.ou_path', 'like', `${u.path}%`) : eb('c.org_unit_id', '=', u.id)))));
  if (q.periods.length) query = query.where('c.period', 'in', q.periods);
  else query = query.where('c.period_start', '>=', q.startDate!).where('c.period_end', '<=', q.endDate!);
  return query.orderBy('c.org_unit_id').orderBy('c.period').orderBy('c.data_set_id').limit(100_000).execute();
}
