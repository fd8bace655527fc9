import { sql, type Kysely } from 'kysely';
import type { Database, OrgUnitRow } from '../../db/types.js';
import type { Actor } from '../../platform/actor.js';
import type { Period } from '../../platform/periods.js';
import { copyField as f, copyLines } from '../../db/copy.js';

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

/**
 * One row per key; a key sent twice keeps its last value, as if sent in order (in the place of its
 * first). Keys are told apart by nested maps of their parts, which a bulk file sends in runs of one
 * facility-month, so no key string is built per row.
 */
export function lastWins<T extends ValueKey>(rows: T[]): T[] {
  const out: T[] = [];
  const groups = new Map<string, Map<string, Map<string, number>>>();
  let group: Map<string, Map<string, number>> | undefined;
  let ou: string | undefined;
  let period: string | undefined;
  let aoc: string | undefined;
  for (const r of rows) {
    if (r.ou !== ou || r.period !== period || r.aoc !== aoc || !group) {
      ({ ou, period, aoc } = r);
      const g = r.ou + SEP + r.period + SEP + r.aoc;
      group = groups.get(g);
      if (!group) groups.set(g, group = new Map());
    }
    let cocs = group.get(r.de);
    if (!cocs) group.set(r.de, cocs = new Map());
    const at = cocs.get(r.coc);
    if (at === undefined) { cocs.set(r.coc, out.length); out.push(r); } else out[at] = r;
  }
  return out;
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

const SEP = '\u0001';

const RETURNED = sql.raw('data_element_id, coc_id, period, period_type, ou_path, org_unit_id, state_lgd, num_value');

/** Rows from which new values are written by COPY rather than by INSERT. */
const COPY_FROM = 1000;

const COLUMNS = ['data_element_id', 'period', 'org_unit_id', 'coc_id', 'aoc_id', 'value', 'num_value', 'comment', 'follow_up', 'stored_by', 'period_type', 'period_start', 'period_end', 'ou_path', 'state_lgd'];
const asColumns = (r: ValueRow) => [r.de, r.period, r.ou, r.coc, r.aoc, r.value, r.num, r.comment, r.followUp, r.storedBy, r.periodType, r.start, r.end, r.path, r.stateLgd];
/** A row as a line of COPY text in COLUMNS order, without the array of asColumns. */
const asCopyLine = (r: ValueRow) => `${f(r.de)}\t${f(r.period)}\t${f(r.ou)}\t${f(r.coc)}\t${f(r.aoc)}\t${f(r.value)}\t${f(r.num)}\t${f(r.comment)}\t${f(r.followUp)}\t${f(r.storedBy)}\t${f(r.periodType)}\t${f(r.start)}\t${f(r.end)}\t${f(r.path)}\t${f(r.stateLgd)}\n`;

/**
 * Changes to the analytics aggregate, summed in memory while values are written and applied in
 * one statement at the end: its rows are locked only from then until commit, so imports of the
 * same district and month can write their values side by side.
 */
class AggregateDeltas {
  /** Sums by group (district, period, ownership, type: one object each), element and option combo: no key string per value. */
  private readonly sums = new Map<AggregateGroup, Map<string, Map<string, { sum: number; count: number }>>>();
  private readonly groupsByKey = new Map<string, AggregateGroup>();
  /** Per org unit and period, its group. */
  private readonly groupOf = new Map<string, Map<string, AggregateGroup>>();
  constructor(private readonly classes: Map<string, { ownership: string; type: string }>) {}

  add(r: { de: string; coc: string; period: string; periodType: string; path: string; ou: string; stateLgd: number | null }, sum: number, count: number) {
    if (r.periodType !== 'Monthly' || (sum === 0 && count === 0)) return;
    let byPeriod = this.groupOf.get(r.ou);
    if (!byPeriod) this.groupOf.set(r.ou, byPeriod = new Map());
    let g = byPeriod.get(r.period);
    if (!g) {
      const parts = r.path.split('/');
      const c = this.classes.get(r.ou);
      const district = parts[3] || r.ou;
      const tail = `${SEP}${c?.ownership ?? ''}${SEP}${c?.type ?? ''}`;
      const key = r.period + SEP + district + SEP + tail;
      g = this.groupsByKey.get(key);
      if (!g) this.groupsByKey.set(key, g = { period: r.period, district, tail, state: parts[2] ?? '', stateLgd: r.stateLgd });
      byPeriod.set(r.period, g);
    }
    let byElement = this.sums.get(g);
    if (!byElement) this.sums.set(g, byElement = new Map());
    let byCoc = byElement.get(r.de);
    if (!byCoc) byElement.set(r.de, byCoc = new Map());
    const x = byCoc.get(r.coc);
    if (x) { x.sum += sum; x.count += count; } else byCoc.set(r.coc, { sum, count });
  }

  /** Adds the sums to hmis_agg_district_month, in key order so that concurrent writers lock its rows in one order. */
  async apply(db: Db) {
    const all: [string, { sum: number; count: number; state: string; stateLgd: number | null }][] = [];
    for (const [g, byElement] of this.sums) {
      for (const [de, byCoc] of byElement) for (const [coc, x] of byCoc) all.push([de + SEP + g.period + SEP + g.district + SEP + coc + g.tail, { ...x, state: g.state, stateLgd: g.stateLgd }]);
    }
    all.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (let i = 0; i < all.length; i += BATCH) {
      const b = all.slice(i, i + BATCH).map(([k, v]) => [k.split(SEP), v] as const);
      const col = (j: number) => b.map(([k]) => k[j]);
      await sql`insert into hmis_agg_district_month as g (data_element_id, period, district_id, coc_id, ownership, facility_type, state_id, state_lgd, value_sum, value_count, updated_at)
        select x.*, now() from unnest(${col(0)}::text[], ${col(1)}::text[], ${col(2)}::text[], ${col(3)}::text[], ${col(4)}::text[], ${col(5)}::text[],
          ${b.map(([, v]) => v.state)}::text[], ${b.map(([, v]) => v.stateLgd)}::int[], ${b.map(([, v]) => String(v.sum))}::numeric[], ${b.map(([, v]) => v.count)}::int[]) as x
        on conflict (data_element_id, period, district_id, coc_id, ownership, facility_type)
          do update set value_sum = g.value_sum + excluded.value_sum, value_count = g.value_count + excluded.value_count, updated_at = excluded.updated_at`.execute(db);
    }
    this.sums.clear();
  }
}
interface AggregateGroup { period: string; district: string; tail: string; state: string; stateLgd: number | null }

/** Ownership and facility type of the org units in `ids` that are facilities (the aggregate's groups). */
async function facilityClasses(db: Db, ids: string[]) {
  const out = new Map<string, { ownership: string; type: string }>();
  for (let i = 0; i < ids.length; i += BATCH) {
    const rows = await db.selectFrom('facilities').select(['id', 'ownership', 'type']).where('id', '=', sql<string>`any(${ids.slice(i, i + BATCH)}::text[])`).execute();
    for (const r of rows) out.set(r.id, { ownership: r.ownership ?? '', type: r.type ?? '' });
  }
  return out;
}

/**
 * What is stored already for the facility-months of `rows`, by key: an index lookup per
 * facility-month (a semi-join on the pairs let the planner scan the whole table instead).
 */
async function storedValues(db: Db, rows: ValueRow[]) {
  const pairs = [...new Set(rows.map((r) => `${r.ou}\u0001${r.period}`))].map((p) => p.split('\u0001'));
  const out = new Map<string, { value: string; comment: string | null; followUp: boolean }>();
  for (let i = 0; i < pairs.length; i += BATCH) {
    const b = pairs.slice(i, i + BATCH);
    const found = await sql<{ de: string; period: string; ou: string; coc: string; aoc: string; value: string; comment: string | null; follow_up: boolean }>`
      select d.data_element_id as de, d.period, d.org_unit_id as ou, d.coc_id as coc, d.aoc_id as aoc, d.value, d.comment, d.follow_up
      from unnest(${b.map((p) => p[0])}::text[], ${b.map((p) => p[1])}::text[]) as k(ou, period)
      cross join lateral (select * from hmis_data_values v where v.org_unit_id = k.ou and v.period = k.period) d`.execute(db);
    for (const r of found.rows) out.set(keyOf(r), { value: r.value, comment: r.comment, followUp: r.follow_up });
  }
  return out;
}

/** Stores new values: COPY on a PostgreSQL server, multi-row inserts on PGlite. A key stored meanwhile by another writer fails with 23505. */
async function insertNew(db: Db, rows: ValueRow[]) {
  if (!rows.length) return;
  // COPY pays for itself on bulk files; a form's few values go in one statement.
  if (rows.length >= COPY_FROM && await copyLines(db, 'hmis_data_values', COLUMNS, (function* () { for (const r of rows) yield asCopyLine(r); })())) return;
  for (let i = 0; i < rows.length; i += BATCH) {
    const b = rows.slice(i, i + BATCH).map(asColumns);
    const col = (j: number) => b.map((r) => r[j]);
    await sql`insert into hmis_data_values (${sql.raw(COLUMNS.join(', '))}) select * from unnest(
      ${col(0)}::text[], ${col(1)}::text[], ${col(2)}::text[], ${col(3)}::text[], ${col(4)}::text[], ${col(5)}::text[], ${col(6)}::float8[], ${col(7)}::text[],
      ${col(8)}::bool[], ${col(9)}::text[], ${col(10)}::text[], ${col(11)}::date[], ${col(12)}::date[], ${col(13)}::text[], ${col(14)}::int[])`.execute(db);
  }
}

/**
 * SQLSTATEs after which the caller runs its transaction again: a key another transaction stored
 * first (unique violation), or two writers of the same new keys in opposite orders (deadlock).
 */
export const RETRY_CODES = new Set(['23505', '40P01']);

/**
 * Writes values (one row per key; see lastWins). What is stored for their facility-months is read
 * first: new keys are stored in bulk, keys whose value, comment or follow-up changed are updated
 * under a row lock (so that concurrent writers cannot both count from the same old value), and
 * identical ones are left alone. The analytics aggregate takes new values and the differences of
 * changed ones. Call it in a transaction, and retry that transaction when it fails with one of
 * RETRY_CODES: a key was stored by another writer between the read and the write.
 */
export async function upsertValues(db: Db, rows: ValueRow[], strategy: string): Promise<{ inserted: number; updated: number }> {
  if (!rows.length) return { inserted: 0, updated: 0 };
  const stored = await storedValues(db, rows);
  const fresh: ValueRow[] = [];
  const changed: [string, ValueRow][] = [];
  for (const r of rows) {
    // Into facility-months with nothing stored yet (a bulk file's usual case), no key is built.
    const key = stored.size ? keyOf(r) : '';
    const old = stored.size ? stored.get(key) : undefined;
    if (!old) { if (strategy !== 'UPDATE') fresh.push(r); } else if (strategy !== 'CREATE' && (old.value !== r.value || old.comment !== r.comment || old.followUp !== r.followUp)) changed.push([key, r]);
  }
  // Changed rows are locked in key order, so that two writers of the same keys wait on each other
  // rather than deadlock. New rows are not sorted (a sort cost a third of an import's time): two
  // writers storing the same new keys in opposite orders deadlock, one fails, and is retried.
  changed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const deltas = new AggregateDeltas(await facilityClasses(db, [...new Set(rows.map((r) => r.ou))]));
  await insertNew(db, fresh);
  for (const r of fresh) if (r.num !== null) deltas.add(r, r.num, 1);
  let updated = 0;
  for (let i = 0; i < changed.length; i += BATCH) {
    const b = changed.slice(i, i + BATCH).map(([, r]) => r);
    const col = <K extends keyof ValueRow>(k: K) => b.map((r) => r[k]);
    const r = await sql<{ de: string; coc: string; period: string; period_type: string; ou_path: string; ou: string; state_lgd: number | null; num: number | null; old_num: number | null }>`
      with src as materialized (select * from unnest(${col('de')}::text[], ${col('period')}::text[], ${col('ou')}::text[], ${col('coc')}::text[], ${col('aoc')}::text[],
          ${col('value')}::text[], ${col('num')}::float8[], ${col('comment')}::text[], ${col('followUp')}::bool[], ${col('storedBy')}::text[])
          as s(de, period, ou, coc, aoc, value, num, comment, follow_up, stored_by)),
      old as (
        select o.data_element_id, o.period, o.org_unit_id, o.coc_id, o.aoc_id, o.num_value as old_num
        from hmis_data_values o join src k on o.data_element_id = k.de and o.period = k.period and o.org_unit_id = k.ou and o.coc_id = k.coc and o.aoc_id = k.aoc
        order by 1, 2, 3, 4, 5
        for update of o)
      update hmis_data_values d set value = s.value, num_value = s.num, comment = s.comment, follow_up = s.follow_up, stored_by = s.stored_by, updated_at = now()
      from src s, old
      where d.data_element_id = s.de and d.period = s.period and d.org_unit_id = s.ou and d.coc_id = s.coc and d.aoc_id = s.aoc
        and old.data_element_id = d.data_element_id and old.period = d.period and old.org_unit_id = d.org_unit_id and old.coc_id = d.coc_id and old.aoc_id = d.aoc_id
        and (d.value is distinct from s.value or d.comment is distinct from s.comment or d.follow_up is distinct from s.follow_up)
      returning d.data_element_id as de, d.coc_id as coc, d.period, d.period_type, d.ou_path, d.org_unit_id as ou, d.state_lgd, d.num_value as num, old.old_num`.execute(db);
    updated += r.rows.length;
    for (const x of r.rows) {
      const sum = (x.num ?? 0) - (x.old_num ?? 0);
      const count = (x.num !== null ? 1 : 0) - (x.old_num !== null ? 1 : 0);
      deltas.add({ de: x.de, coc: x.coc, period: x.period, periodType: x.period_type, path: x.ou_path, ou: x.ou, stateLgd: x.state_lgd }, sum, count);
    }
  }
  await deltas.apply(db);
  return { inserted: fresh.length, updated };
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
  const locked = new Set(rows.map((r) => returnKey(r.data_set_id, r.period, r.org_unit_id, r.aoc_id)));
  return { isLocked: (ds, period, ou, aoc) => locked.size > 0 && locked.has(returnKey(ds, period, ou, aoc)) };
}

/** Namespace of the advisory locks that stand for a return (the second key is hashtext of its returnKey). */
export const RETURN_LOCK = 727301;

/** The key of a return in approvalLocks and holdReturns. */
export const returnKey = (dataSetId: string, period: string, orgUnitId: string, aoc: string) => `${dataSetId}|${period}|${orgUnitId}|${aoc}`;

/**
 * Holds returns against approval until the transaction ends, before values are written to them:
 * their completion rows are locked FOR SHARE (approving locks the same row FOR UPDATE, so one waits
 * for the other, on any number of server instances). Answers the keys (see returnKey) among them
 * that are approved or accepted now, read after the lock: approved since approvalLocks was read.
 */
export async function holdReturns(db: Db, keys: Iterable<string>): Promise<Set<string>> {
  const sorted = [...new Set(keys)].sort();
  const locked = new Set<string>();
  // Writers share each return's lock; completing one takes it exclusively, so its validation rules
  // are judged on values no one is writing (hmis.returns.checks.ts).
  if (sorted.length) await sql`select pg_advisory_xact_lock_shared(${sql.lit(RETURN_LOCK)}, hashtext(s.k)) from (select k from unnest(${sorted}::text[]) as k order by k) as s`.execute(db);
  for (let i = 0; i < sorted.length; i += BATCH) {
    const b = sorted.slice(i, i + BATCH).map((k) => k.split('|'));
    const col = (j: number) => b.map((k) => k[j]);
    const k = sql`unnest(${col(0)}::text[], ${col(1)}::text[], ${col(2)}::text[], ${col(3)}::text[]) as k(ds, period, ou, aoc)`;
    await sql`select 1 from hmis_complete_registrations c join ${k} on c.data_set_id = k.ds and c.period = k.period and c.org_unit_id = k.ou and c.aoc_id = k.aoc
      order by c.data_set_id, c.period, c.org_unit_id, c.aoc_id for share of c`.execute(db);
    const { rows } = await sql<{ ds: string; period: string; ou: string; aoc: string }>`
      select s.data_set_id as ds, s.period, s.org_unit_id as ou, s.aoc_id as aoc from hmis_return_states s
      join ${k} on s.data_set_id = k.ds and s.period = k.period and s.org_unit_id = k.ou and s.aoc_id = k.aoc
      where s.state in ('approved', 'accepted')`.execute(db);
    for (const r of rows) locked.add(returnKey(r.ds, r.period, r.ou, r.aoc));
  }
  return locked;
}

/** Facilities allowed to enter periods their data set has closed (DHIS2 lock exceptions). */
export async function lockExceptions(db: Db, periods: string[]): Promise<Set<string>> {
  if (!periods.length) return new Set();
  const rows = await db.selectFrom('hmis_lock_exceptions').select(['data_set_id', 'org_unit_id', 'period']).where('period', 'in', periods).execute();
  return new Set(rows.map((r) => `${r.data_set_id}|${r.period}|${r.org_unit_id}`));
}
