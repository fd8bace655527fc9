// SQL of the response-time figures (the only place with SQL in dispatch/stats). Durations are in
// minutes, percentiles by percentile_cont in PostgreSQL; months are reckoned in IST.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/types.js';

type Db = Kysely<Database>;

export type Service = '108' | '102';
export type Area = 'urban' | 'rural';

/** Call-to-scene minutes where the state has set no target (issue 12: 108 urban 20, rural 30; 102 30 and 30). */
export const DEFAULT_TARGETS: Record<Service, Record<Area, number>> = {
  '108': { urban: 20, rural: 30 },
  '102': { urban: 30, rural: 30 },
};

export interface Filter {
  start: Date;
  end: Date;
  /** Calls of districts under this path. */
  areaPath: string;
  service?: Service;
  districtId?: string;
}

export interface FigureRow {
  district_id: string | null;
  service: Service;
  month: string | null;
  calls: number;
  reached: number;
  within_target: number;
  to_dispatch_p50: number | null; to_dispatch_p90: number | null;
  dispatch_to_scene_p50: number | null; dispatch_to_scene_p90: number | null;
  to_scene_p50: number | null; to_scene_p90: number | null;
  to_hospital_p50: number | null; to_hospital_p90: number | null;
}

const defaultsValues = () => sql.join((Object.keys(DEFAULT_TARGETS) as Service[]).flatMap((s) =>
  (['urban', 'rural'] as Area[]).map((a) => sql`(${sql.lit(s)}, ${sql.lit(a)}, ${sql.lit(DEFAULT_TARGETS[s][a])})`)));

/**
 * Calls of the period and area with their response: the trip that reached the scene (the first to
 * get there), else the latest trip assigned; declined and timed-out trips never count, nor a
 * cancelled one that did not reach the scene. Grouped by district and service (with a row per service
 * for the whole area, district_id null) or by month and service.
 */
export async function figures(db: Db, f: Filter, by: 'district' | 'month'): Promise<FigureRow[]> {
  const groups = by === 'district' ? sql`grouping sets ((district_id, service), (service))` : sql`month, service`;
  const { rows } = await sql<FigureRow>`
    with c as (
      select c.id, c.district_id, d.parent_id as state_id, c.service, c.area, c.created_at,
        to_char((c.created_at at time zone 'UTC') + interval '330 minutes', 'YYYY-MM') as month
      from dispatch_calls c
      join org_units d on d.id = c.district_id
      where c.created_at >= ${f.start} and c.created_at < ${f.end}
        and d.path like ${`${f.areaPath}%`}
        ${f.districtId ? sql`and c.district_id = ${f.districtId}` : sql``}
        ${f.service ? sql`and c.service = ${f.service}` : sql``}
    ),
    r as (
      select distinct on (t.call_id) t.call_id, t.assigned_at, t.at_scene_at, t.at_hospital_at
      from dispatch_trips t
      where t.call_id in (select id from c)
        and t.status not in ('declined', 'timed_out')
        and (t.status <> 'cancelled' or t.at_scene_at is not null)
      order by t.call_id, (t.at_scene_at is null), t.at_scene_at, t.assigned_at desc, t.id
    ),
    defaults (service, area, minutes) as (values ${defaultsValues()}),
    m as (
      select c.district_id, c.service, c.month,
        (extract(epoch from (r.assigned_at - c.created_at)) / 60)::float8 as to_dispatch,
        (extract(epoch from (r.at_scene_at - r.assigned_at)) / 60)::float8 as dispatch_to_scene,
        (extract(epoch from (r.at_scene_at - c.created_at)) / 60)::float8 as to_scene,
        (extract(epoch from (r.at_hospital_at - c.created_at)) / 60)::float8 as to_hospital,
        coalesce(td.call_to_scene_minutes, ts.call_to_scene_minutes, df.minutes) as target
      from c
      left join r on r.call_id = c.id
      left join dispatch_targets td on td.district_id = c.district_id and td.service = c.service and td.area = c.area
      left join dispatch_targets ts on ts.state_id = c.state_id and ts.district_id is null and ts.service = c.service and ts.area = c.area
      join defaults df on df.service = c.service and df.area = c.area
    )
    select ${by === 'district' ? sql`district_id, null::text as month` : sql`null::text as district_id, month`}, service,
      count(*)::int as calls,
      count(to_scene)::int as reached,
      (count(*) filter (where to_scene <= target))::int as within_target,
      percentile_cont(0.5) within group (order by to_dispatch) as to_dispatch_p50,
      percentile_cont(0.9) within group (order by to_dispatch) as to_dispatch_p90,
      percentile_cont(0.5) within group (order by dispatch_to_scene) as dispatch_to_scene_p50,
      percentile_cont(0.9) within group (order by dispatch_to_scene) as dispatch_to_scene_p90,
      percentile_cont(0.5) within group (order by to_scene) as to_scene_p50,
      percentile_cont(0.9) within group (order by to_scene) as to_scene_p90,
      percentile_cont(0.5) within group (order by to_hospital) as to_hospital_p50,
      percentile_cont(0.9) within group (order by to_hospital) as to_hospital_p90
    from m
    group by ${groups}
    order by 1, 2, 3`.execute(db);
  return rows;
}

export interface FleetRow { district_id: string | null; service: Service; vehicles: number; off_road: number; trips: number }

/**
 * Vehicles based in the area by district (of their base facility) and service, those off road now,
 * and the trips they made in the period (assigned then; declined and timed-out ones, and cancelled
 * ones that never set off, are not trips). With a row per service for the whole area.
 */
export async function fleet(db: Db, f: Filter): Promise<FleetRow[]> {
  // The period's trips counted per vehicle first (index dispatch_trips_vehicle_assigned), then summed by district.
  const { rows } = await sql<FleetRow>`
    with v as (
      select a.id, a.service, a.status, split_part(b.path, '/', 4) as district_id
      from ambulances a
      join org_units b on b.id = a.base_facility_id
      where b.path like ${`${f.areaPath}%`}
        ${f.districtId ? sql`and split_part(b.path, '/', 4) = ${f.districtId}` : sql``}
        ${f.service ? sql`and a.service = ${f.service}` : sql``}
    ),
    tr as (
      select t.ambulance_id, count(*) as n
      from dispatch_trips t
      join v on v.id = t.ambulance_id
      where t.assigned_at >= ${f.start} and t.assigned_at < ${f.end}
        and t.status not in ('declined', 'timed_out')
        and (t.status <> 'cancelled' or t.en_route_at is not null)
      group by t.ambulance_id
    )
    select v.district_id, v.service,
      count(*)::int as vehicles,
      (count(*) filter (where v.status = 'off_road'))::int as off_road,
      coalesce(sum(tr.n), 0)::int as trips
    from v
    left join tr on tr.ambulance_id = v.id
    group by grouping sets ((v.district_id, v.service), (v.service))
    order by 1, 2`.execute(db);
  return rows;
}

export interface UnitRow { id: string; name: string; name_hi: string | null; lgd_code: number | null; path: string; parent_id: string | null }

export async function unitsById(db: Db, ids: string[]): Promise<UnitRow[]> {
  if (!ids.length) return [];
  return db.selectFrom('org_units').select(['id', 'name', 'name_hi', 'lgd_code', 'path', 'parent_id']).where('id', 'in', ids).execute();
}

export async function districtsOf(db: Db, stateId: string): Promise<UnitRow[]> {
  return db.selectFrom('org_units').select(['id', 'name', 'name_hi', 'lgd_code', 'path', 'parent_id'])
    .where('parent_id', '=', stateId).where('level', '=', 'district').orderBy('name').execute();
}

export interface TargetRow { state_id: string; district_id: string | null; service: Service; area: Area; call_to_scene_minutes: number; updated_at: Date }

export async function targetsOfStates(db: Db, stateIds: string[]): Promise<TargetRow[]> {
  if (!stateIds.length) return [];
  return db.selectFrom('dispatch_targets').select(['state_id', 'district_id', 'service', 'area', 'call_to_scene_minutes', 'updated_at'])
    .where('state_id', 'in', stateIds).execute();
}

/** One target set (or replaced, also when another request sets it at the same moment: the unique index decides). */
export async function upsertTarget(db: Db, row: { stateId: string; districtId: string | null; service: Service; area: Area; minutes: number; userId: string }) {
  await sql`
    insert into dispatch_targets (state_id, district_id, service, area, call_to_scene_minutes, updated_by)
    values (${row.stateId}, ${row.districtId}, ${row.service}, ${row.area}, ${row.minutes}, ${row.userId})
    on conflict (state_id, (coalesce(district_id, '')), service, area)
    do update set call_to_scene_minutes = excluded.call_to_scene_minutes, updated_by = excluded.updated_by, updated_at = now()`.execute(db);
}

export async function deleteTarget(db: Db, row: { stateId: string; districtId: string | null; service: Service; area: Area }) {
  let q = db.deleteFrom('dispatch_targets').where('state_id', '=', row.stateId).where('service', '=', row.service).where('area', '=', row.area);
  q = row.districtId ? q.where('district_id', '=', row.districtId) : q.where('district_id', 'is', null);
  await q.execute();
}
