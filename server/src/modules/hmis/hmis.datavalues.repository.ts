import { sql, type Kysely } from 'kysely';
import type { Database, OrgUnitRow } from '../../db/types.js';
import type { Actor } from '../../platform/actor.js';
import type { Period } from '../../platform/periods.js';

type Db = Kysely<Database>;

export interface ValueKey { de: string; period: string; ou: string; coc: string; aoc: string }
export interface ValueRow extends ValueKey {
  value: string;
  num: number | null;
  comment: string | null;
  followUp: boolean;
  storedBy: string;
  periodType: string;
  start: string;
  end: string;
  path: string;
  stateLgd: number | null;
}

const keyOf = (k: ValueKey) => `${k.de}|${k.period}|${k.ou}|${k.coc}|${k.aoc}`;

/** One row per key; a key sent twice keeps its last value, as if sent in order. */
export function lastWins<T extends ValueKey>(rows: T[]): T[] {
  const m = new Map<string, T>();
  for (const r of rows) m.set(keyOf(r), r);
  return [...m.values()];
}

const BATCH = 5000;

/**
 * The statement that adds `deltas` (rows of data_element_id, coc_id, period, period_type, ou_path,
 * org_unit_id, state_lgd, d_sum, d_count) to the analytics aggregate hmis_agg_district_month, in
 * key order so that concurrent writers lock its rows in the same order. Only monthly values count.
 */
function applyAggregateDeltas(deltas: ReturnType<typeof sql>, as?: { ownership: string; type: string }) {
  const ownership = as ? sql`${as.ownership}::text` : sql`coalesce(f.ownership, '')`;
  const type = as ? sql`${as.type}::text` : sql`coalesce(f.type, '')`;
  return sql`insert into hmis_agg_district_month as g (data_element_id, coc_id, period, district_id, ownership, facility_type, state_id, state_lgd, value_sum, value_count, updated_at)
    select x.data_element_id, x.coc_id, x.period, coalesce(nullif(split_part(x.ou_path, '/', 4), ''), x.org_unit_id) as district_id,
           ${ownership} as ownership, ${type} as facility_type, split_part(x.ou_path, '/', 3) as state_id,
           max(x.state_lgd), coalesce(sum(x.d_sum), 0), sum(x.d_count)::int, now()
    from (${deltas}) as x left join facilities f on f.id = x.org_unit_id
    where x.period_type = 'Monthly'
    group by 1, 2, 3, 4, 5, 6, 7
    order by 1, 3, 4, 2, 5, 6
    on conflict (data_element_id, period, district_id, coc_id, ownership, facility_type)
      do update set value_sum = g.value_sum + excluded.value_sum, value_count = g.value_count + excluded.value_count, updated_at = excluded.updated_at`;
}

const RETURNED = sql.raw('data_element_id, coc_id, period, period_type, ou_path, org_unit_id, state_lgd, num_value');

/**
 * Writes values in batches of one statement each (arrays unnested into rows). Only rows whose
 * value, comment or follow-up changed are touched; the statement reports which it inserted.
 * Each statement also applies its change to the analytics aggregate: new rows add their value,
 * updated rows the difference from the old value, read under a row lock so that concurrent
 * writers of the same key cannot both count from the same old value.
 */
export async function upsertValues(db: Db, rows: ValueRow[], strategy: string): Promise<{ inserted: number; updated: number }> {
  let inserted = 0;
  let updated = 0;
  // In the aggregate's key order, so that concurrent imports take its row locks in one order across batches.
  // Grouped by aggregate key, groups in key order: linear, where a sort of every row was not.
  const groups = new Map<string, ValueRow[]>();
  for (const r of rows) {
    const k = `${r.de}\u0001${r.period}\u0001${r.path.split('/', 4)[3] ?? ''}\u0001${r.coc}`;
    const g = groups.get(k);
    if (g) g.push(r); else groups.set(k, [r]);
  }
  rows = [...groups.keys()].sort().flatMap((k) => groups.get(k)!);
  for (let i = 0; i < rows.length; i += BATCH) {
    const b = rows.slice(i, i + BATCH);
    const col = <K extends keyof ValueRow>(k: K) => b.map((r) => r[k]);
    const source = sql`select * from unnest(
      ${col('de')}::text[], ${col('period')}::text[], ${col('ou')}::text[], ${col('coc')}::text[], ${col('aoc')}::text[],
      ${col('value')}::text[], ${col('num')}::float8[], ${col('comment')}::text[], ${col('followUp')}::bool[], ${col('storedBy')}::text[],
      ${col('periodType')}::text[], ${col('start')}::date[], ${col('end')}::date[], ${col('path')}::text[], ${col('stateLgd')}::int[])
      as s(de, period, ou, coc, aoc, value, num, comment, follow_up, stored_by, pt, ps, pe, path, st)`;
    let remaining = b.length;
    if (strategy !== 'UPDATE') {
      // New keys first: a key another writer inserts meanwhile is skipped here and updated below.
      const r = await sql<{ n: number }>`
        with ins as (
          insert into hmis_data_values (data_element_id, period, org_unit_id, coc_id, aoc_id, value, num_value, comment, follow_up, stored_by, period_type, period_start, period_end, ou_path, state_lgd)
          ${source} on conflict do nothing returning ${RETURNED}),
        agg as (${applyAggregateDeltas(sql`select ${RETURNED}, num_value::numeric as d_sum, 1 as d_count from ins where num_value is not null`)} returning 1)
        select count(*)::int as n from ins`.execute(db);
      const n = Number(r.rows[0]?.n ?? 0);
      inserted += n;
      remaining -= n;
    }
    if (strategy !== 'CREATE' && remaining > 0) {
      // Existing keys: lock them, then update those whose value, comment or follow-up changed.
      const r = await sql<{ n: number }>`
        with src as materialized (${source}),
        upd as (
          update hmis_data_values d set value = s.value, num_value = s.num, comment = s.comment, follow_up = s.follow_up, stored_by = s.stored_by, updated_at = now()
          from src s, (
            select o.data_element_id, o.period, o.org_unit_id, o.coc_id, o.aoc_id, o.num_value as old_num
            from hmis_data_values o join src k on o.data_element_id = k.de and o.period = k.period and o.org_unit_id = k.ou and o.coc_id = k.coc and o.aoc_id = k.aoc
            order by 1, 2, 3, 4, 5
            for update of o) old
          where d.data_element_id = s.de and d.period = s.period and d.org_unit_id = s.ou and d.coc_id = s.coc and d.aoc_id = s.aoc
            and old.data_element_id = d.data_element_id and old.period = d.period and old.org_unit_id = d.org_unit_id and old.coc_id = d.coc_id and old.aoc_id = d.aoc_id
            and (d.value is distinct from s.value or d.comment is distinct from s.comment or d.follow_up is distinct from s.follow_up)
          returning d.data_element_id, d.coc_id, d.period, d.period_type, d.ou_path, d.org_unit_id, d.state_lgd, d.num_value, old.old_num),
        agg as (${applyAggregateDeltas(sql`select ${RETURNED}, coalesce(num_value::numeric, 0) - coalesce(old_num::numeric, 0) as d_sum,
            (num_value is not null)::int - (old_num is not null)::int as d_count from upd where num_value is distinct from old_num`)} returning 1)
        select count(*)::int as n from upd`.execute(db);
      updated += Number(r.rows[0]?.n ?? 0);
    }
  }
  return { inserted, updated };
}

/** Deletes values by key and takes what they held out of the analytics aggregate, in one statement per batch. */
export async function deleteValues(db: Db, keys: ValueKey[]): Promise<number> {
  let deleted = 0;
  const unique = lastWins(keys);
  for (let i = 0; i < unique.length; i += BATCH) {
    const b = unique.slice(i, i + BATCH);
    const col = (k: keyof ValueKey) => b.map((r) => r[k]);
    const r = await sql<{ n: number }>`
      with del as (
        delete from hmis_data_values d using unnest(${col('de')}::text[], ${col('period')}::text[], ${col('ou')}::text[], ${col('coc')}::text[], ${col('aoc')}::text[]) as k(de, period, ou, coc, aoc)
        where d.data_element_id = k.de and d.period = k.period and d.org_unit_id = k.ou and d.coc_id = k.coc and d.aoc_id = k.aoc
        returning d.data_element_id, d.coc_id, d.period, d.period_type, d.ou_path, d.org_unit_id, d.state_lgd, d.num_value),
      agg as (${applyAggregateDeltas(sql`select ${RETURNED}, -num_value::numeric as d_sum, -1 as d_count from del where num_value is not null`)} returning 1)
      select count(*)::int as n from del`.execute(db);
    deleted += Number(r.rows[0]?.n ?? 0);
  }
  return deleted;
}

/**
 * Keeps HMIS data with a facility whose ownership, type or place changed (call it in the same
 * transaction, after the facility's rows are updated): its values leave their old group in the
 * analytics aggregate and join the new one, and a move carries its data to the new path.
 */
export async function regroupFacility(db: Db, facilityId: string, before: { ownership: string; type: string }, newPath?: string): Promise<void> {
  const values = sql`select ${RETURNED} from hmis_data_values where org_unit_id = ${facilityId} and num_value is not null`;
  await sql`with x as (${values}) ${applyAggregateDeltas(sql`select ${RETURNED}, -num_value::numeric as d_sum, -1 as d_count from x`, before)}`.execute(db);
  if (newPath) {
    for (const t of ['hmis_data_values', 'hmis_complete_registrations', 'hmis_return_states', 'surveillance_reports', 'surveillance_submissions']) {
      await sql`update ${sql.table(t)} set ou_path = ${newPath} where org_unit_id = ${facilityId}`.execute(db);
    }
  }
  await sql`with x as (${values}) ${applyAggregateDeltas(sql`select ${RETURNED}, num_value::numeric as d_sum, 1 as d_count from x`)}`.execute(db);
}

/** @deprecated use regroupFacility */
export const reclassifyFacility = (db: Db, facilityId: string, before: { ownership: string; type: string }) => regroupFacility(db, facilityId, before);

/**
 * Registers a return as complete. A later completion does not move the first one (so sending
 * again cannot make an on-time return late), except an admin's backdating of history.
 */
export async function complete(db: Db, dataSetId: string, period: Period, unit: OrgUnitRow, aoc: string, at: Date, actor: Actor, overwrite: boolean) {
  const q = db.insertInto('hmis_complete_registrations').values({
    data_set_id: dataSetId, period: period.id, org_unit_id: unit.id, aoc_id: aoc, completed_at: at, completed_by: actor.username,
    period_start: period.startDate, period_end: period.endDate, ou_path: unit.path,
  });
  await (overwrite
    ? q.onConflict((oc) => oc.columns(['data_set_id', 'period', 'org_unit_id', 'aoc_id']).doUpdateSet({ completed_at: at, completed_by: actor.username }))
    : q.onConflict((oc) => oc.doNothing())).execute();
}

/** Approved or accepted returns, against which writes are refused. */
export interface ApprovalLocks { isLocked(dataSetId: string, period: string, orgUnitId: string, aoc: string): boolean }
export async function approvalLocks(db: Db, periods: string[]): Promise<ApprovalLocks> {
  const rows = periods.length
    ? await db.selectFrom('hmis_return_states').select(['data_set_id', 'period', 'org_unit_id', 'aoc_id']).where('state', 'in', ['approved', 'accepted']).where('period', 'in', periods).execute()
    : [];
  const locked = new Set(rows.map((r) => `${r.data_set_id}|${r.period}|${r.org_unit_id}|${r.aoc_id}`));
  return { isLocked: (ds, period, ou, aoc) => locked.has(`${ds}|${period}|${ou}|${aoc}`) };
}

/** Facilities allowed to enter periods their data set has closed (DHIS2 lock exceptions). */
export async function lockExceptions(db: Db, periods: string[]): Promise<Set<string>> {
  if (!periods.length) return new Set();
  const rows = await db.selectFrom('hmis_lock_exceptions').select(['data_set_id', 'org_unit_id', 'period']).where('period', 'in', periods).execute();
  return new Set(rows.map((r) => `${r.data_set_id}|${r.period}|${r.org_unit_id}`));
}
