// SQL of the telemedicine counts: requests grouped by day, hub, spoke, specialty, district or state
// with waiting-time percentiles; doctors' time online against time in consultation; national
// counts by state. Every query takes the area as a materialised-path prefix.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/types.js';

type Db = Kysely<Database>;

export type StatsBy = 'day' | 'hub' | 'spoke' | 'specialty' | 'district' | 'state';

export interface Window {
  /** First and last day (IST dates, inclusive). */
  from: string;
  to: string;
  /** The same window as instants: from 00:00 IST on `from` to 00:00 IST the day after `to`. */
  start: Date;
  end: Date;
}

export interface StatsRow {
  key: string | null;
  requests: number;
  consultations: number;
  completed: number;
  no_shows: number;
  waits: number;
  wait_p50: number | null;
  wait_p90: number | null;
  wait_p95: number | null;
}

/** A request counts as a consultation once the doctor has started it. */
const STARTED = sql`r.started_at is not null and r.status in ('in_consultation', 'completed')`;
/** Waiting time in minutes: from joining the queue to being called by a doctor. */
const WAIT = sql`extract(epoch from (r.called_at - r.queued_at))::float8 / 60`;

const KEY: Record<StatsBy, RawBuilder<unknown>> = {
  day: sql`to_char(r.day, 'YYYY-MM-DD')`,
  hub: sql`r.hub_id`,
  spoke: sql`r.spoke_id`,
  specialty: sql`r.specialty`,
  district: sql`r.district_lgd::text`,
  state: sql`r.state_lgd::text`,
};

/** Requests of the window whose hub or spoke lies under `path`. */
function inArea(path: string, w: Window) {
  const like = `${path}%`;
  return sql`r.day between ${w.from}::date and ${w.to}::date and (r.hub_path like ${like} or r.spoke_path like ${like})`;
}

const MEASURES = sql`
  count(*)::int as requests,
  (count(*) filter (where ${STARTED}))::int as consultations,
  (count(*) filter (where r.status = 'completed'))::int as completed,
  (count(*) filter (where r.status = 'no_show'))::int as no_shows,
  (count(*) filter (where r.called_at is not null))::int as waits,
  percentile_cont(0.5) within group (order by ${WAIT}) filter (where r.called_at is not null) as wait_p50,
  percentile_cont(0.9) within group (order by ${WAIT}) filter (where r.called_at is not null) as wait_p90,
  percentile_cont(0.95) within group (order by ${WAIT}) filter (where r.called_at is not null) as wait_p95`;

/** Counts and waiting-time percentiles per group, and the same for the whole area (key null). */
export async function requestStats(db: Db, path: string, w: Window, by: StatsBy): Promise<{ rows: StatsRow[]; total: StatsRow }> {
  const key = KEY[by];
  const grouped = await sql<StatsRow>`
    select ${key} as key, ${MEASURES}
    from tele_requests r
    where ${inArea(path, w)}
    group by 1`.execute(db);
  const total = await sql<StatsRow>`
    select null::text as key, ${MEASURES}
    from tele_requests r
    where ${inArea(path, w)}`.execute(db);
  return { rows: grouped.rows, total: total.rows[0]! };
}

export interface NamedUnit { id: string; key: string; name: string; name_hi: string | null; lgd_code: number | null }

/** Facilities by id (hubs and spokes). */
export async function unitsById(db: Db, ids: string[]): Promise<NamedUnit[]> {
  if (!ids.length) return [];
  return db.selectFrom('org_units').select(['id', 'id as key', 'name', 'name_hi', 'lgd_code']).where('id', 'in', ids).execute();
}

/** Districts or states by LGD code. */
export async function unitsByLgd(db: Db, level: 'district' | 'state', codes: number[]): Promise<NamedUnit[]> {
  if (!codes.length) return [];
  const rows = await db.selectFrom('org_units').select(['id', 'name', 'name_hi', 'lgd_code']).where('level', '=', level).where('lgd_code', 'in', codes).execute();
  return rows.map((r) => ({ ...r, key: String(r.lgd_code) }));
}

export interface UtilisationRow {
  user_id: string;
  name: string;
  name_hi: string | null;
  hub_id: string;
  hub_name: string;
  hub_name_hi: string | null;
  specialties: string[];
  online_minutes: number;
  consulting_minutes: number;
  consultations: number;
}

/**
 * Per doctor whose hub lies under `path`: minutes online (intervals between a change of status to
 * `online` and the next change, from tele_duty_log, cut to the window and to now), minutes in
 * consultation (started → ended, cut the same way) and consultations started in the window.
 */
export async function utilisation(db: Db, path: string, w: Window, opts: { userId?: string }): Promise<UtilisationRow[]> {
  const self = opts.userId ? sql`and d.user_id = ${opts.userId}` : sql``;
  const start = w.start.toISOString(), end = w.end.toISOString();
  const { rows } = await sql<UtilisationRow>`
    with docs as (
      select d.user_id, d.name, d.name_hi, d.hub_id, d.specialties, h.name as hub_name, h.name_hi as hub_name_hi
      from tele_doctors d join org_units h on h.id = d.hub_id
      where h.path like ${`${path}%`} ${self}
    ),
    log as (
      select l.user_id, l.status, l.at, coalesce(lead(l.at) over (partition by l.user_id order by l.at, l.id), now()) as until
      from tele_duty_log l
      where l.user_id in (select user_id from docs) and l.at < ${end}::timestamptz
    ),
    online as (
      select user_id, sum(extract(epoch from (least(until, ${end}::timestamptz) - greatest(at, ${start}::timestamptz))))::float8 / 60 as minutes
      from log
      where status = 'online' and least(until, ${end}::timestamptz) > greatest(at, ${start}::timestamptz)
      group by user_id
    ),
    consulting as (
      select r.doctor_id as user_id,
        coalesce(sum(extract(epoch from (least(coalesce(r.ended_at, now()), ${end}::timestamptz) - greatest(r.started_at, ${start}::timestamptz))))
          filter (where least(coalesce(r.ended_at, now()), ${end}::timestamptz) > greatest(r.started_at, ${start}::timestamptz)), 0)::float8 / 60 as minutes,
        (count(*) filter (where r.started_at >= ${start}::timestamptz))::int as consultations
      from tele_requests r
      where r.doctor_id in (select user_id from docs) and ${STARTED}
        and r.started_at < ${end}::timestamptz and coalesce(r.ended_at, now()) > ${start}::timestamptz
      group by r.doctor_id
    )
    select docs.*, coalesce(online.minutes, 0)::float8 as online_minutes, coalesce(consulting.minutes, 0)::float8 as consulting_minutes,
      coalesce(consulting.consultations, 0)::int as consultations
    from docs
    left join online on online.user_id = docs.user_id
    left join consulting on consulting.user_id = docs.user_id
    order by docs.hub_name, docs.name, docs.user_id`.execute(db);
  return rows;
}

export interface NationalRow { state_lgd: number; state_name: string; consultations: number; days: number; rank: number }

/** National consultations by state summed over the window's days, ranked (ties share a rank). */
export async function nationalCounts(db: Db, w: Window): Promise<{ rows: NationalRow[]; days: number; sources: string[]; latest: string | null }> {
  const { rows } = await sql<NationalRow>`
    select c.state_lgd, max(c.state_name) as state_name, sum(c.consultations)::float8 as consultations,
      count(distinct c.day)::int as days, (rank() over (order by sum(c.consultations) desc))::int as rank
    from tele_state_counts c
    where c.day between ${w.from}::date and ${w.to}::date
    group by c.state_lgd
    order by rank, state_name`.execute(db);
  const meta = await sql<{ days: number; latest: string | null; sources: string[] | null }>`
    select count(distinct day)::int as days, to_char(max(day), 'YYYY-MM-DD') as latest, array_agg(distinct source) as sources
    from tele_state_counts where day between ${w.from}::date and ${w.to}::date`.execute(db);
  const m = meta.rows[0]!;
  return { rows, days: m.days, latest: m.latest, sources: (m.sources ?? []).filter(Boolean).sort() };
}

/** Consultations recorded in Swasthya itself, by state, for requests in the area. */
export async function ownByState(db: Db, path: string, w: Window): Promise<{ state_lgd: number | null; consultations: number }[]> {
  const { rows } = await sql<{ state_lgd: number | null; consultations: number }>`
    select r.state_lgd, (count(*) filter (where ${STARTED}))::int as consultations
    from tele_requests r
    where ${inArea(path, w)}
    group by r.state_lgd`.execute(db);
  return rows;
}

export interface StateCountInput { state_lgd: number; state_name: string; day: string; consultations: number; source: string }

/** Inserts national counts; a state's count for a day already held is replaced. */
export async function upsertStateCounts(db: Db, rows: StateCountInput[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await db.insertInto('tele_state_counts').values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.columns(['state_lgd', 'day']).doUpdateSet((eb) => ({
        consultations: eb.ref('excluded.consultations'), state_name: eb.ref('excluded.state_name'), source: eb.ref('excluded.source'),
      })))
      .execute();
  }
}
