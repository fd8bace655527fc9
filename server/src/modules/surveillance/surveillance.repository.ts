import { sql, type Kysely } from 'kysely';
import type { Database, OrgUnitRow } from '../../db/types.js';
import type { Form } from './surveillance.diseases.js';

type Db = Kysely<Database>;

export interface SubmissionKey {
  facility: Pick<OrgUnitRow, 'id' | 'path' | 'state_lgd'>;
  week: { id: string; startDate: string; endDate: string };
  form: Form;
  submittedBy: string | null;
  submittedAt: Date;
}
export interface CountRow { disease: string; cases: number; deaths: number }

/**
 * Replaces a facility's report for one week and form: the submission row is upserted and the
 * disease rows swapped for `counts`. Returns whether a report was there before.
 */
export async function replaceReport(db: Db, k: SubmissionKey, counts: CountRow[]): Promise<boolean> {
  const base = {
    org_unit_id: k.facility.id, week: k.week.id, week_start: k.week.startDate, week_end: k.week.endDate, form: k.form,
    ou_path: k.facility.path, state_lgd: k.facility.state_lgd, submitted_by: k.submittedBy, submitted_at: k.submittedAt,
  };
  const old = await db.deleteFrom('surveillance_reports')
    .where('org_unit_id', '=', k.facility.id).where('week', '=', k.week.id).where('form', '=', k.form)
    .returning('disease').execute();
  const sub = await db.insertInto('surveillance_submissions').values(base)
    .onConflict((oc) => oc.columns(['org_unit_id', 'week', 'form']).doUpdateSet({ submitted_by: k.submittedBy, submitted_at: k.submittedAt }))
    .returning(sql<boolean>`xmax <> 0`.as('existed')).executeTakeFirstOrThrow();
  if (counts.length) {
    await db.insertInto('surveillance_reports')
      .values(counts.map((c) => ({ ...base, disease: c.disease, cases: c.cases, deaths: c.deaths }))).execute();
  }
  return old.length > 0 || sub.existed;
}

/** Cases and deaths per disease and week in an area, for the given week ids (and disease, if named). */
export async function casesByWeek(db: Db, q: { path: string; stateLgd: number | null; weeks: string[]; disease?: string }) {
  let query = db.selectFrom('surveillance_reports')
    .select(['disease', 'week', (eb) => eb.fn.sum<number>('cases').as('cases'), (eb) => eb.fn.sum<number>('deaths').as('deaths')])
    .where('week', 'in', q.weeks).where('ou_path', 'like', `${q.path}%`)
    .groupBy(['disease', 'week']);
  if (q.stateLgd !== null) query = query.where('state_lgd', '=', q.stateLgd);
  if (q.disease) query = query.where('disease', '=', q.disease);
  return query.execute();
}

/** Cases and deaths per district, disease and week in an area, for the given week ids. */
export async function casesByDistrictWeek(db: Db, q: { path: string; stateLgd: number | null; weeks: string[] }) {
  const rows = await sql<{ district: string; name: string; name_hi: string | null; disease: string; week: string; cases: number; deaths: number }>`
    select r.district, o.name, o.name_hi, r.disease, r.week, r.cases, r.deaths
    from (
      select split_part(ou_path, '/', 4) as district, disease, week, sum(cases) as cases, sum(deaths) as deaths
      from surveillance_reports
      where week in (${sql.join(q.weeks)}) and ou_path like ${`${q.path}%`}
        ${q.stateLgd !== null ? sql`and state_lgd = ${q.stateLgd}` : sql``}
      group by 1, 2, 3
    ) r
    join org_units o on o.id = r.district and o.level = 'district'`.execute(db);
  return rows.rows;
}

export interface BurdenRow {
  area: string; name: string | null; name_hi: string | null; level: string | null;
  cases: number; deaths: number; facilities: number;
}

/**
 * Cases of one disease between two weeks, summed per area one level below `path` (district: the
 * 4th path segment, block: the 5th), with the number of facilities that sent that form.
 */
export async function burdenByArea(db: Db, q: {
  path: string; stateLgd: number | null; disease: string; form: Form; from: string; to: string; segment: 4 | 5;
}): Promise<BurdenRow[]> {
  const state = q.stateLgd !== null ? sql`and state_lgd = ${q.stateLgd}` : sql``;
  const rows = await sql<BurdenRow>`
    with r as (
      select split_part(ou_path, '/', ${sql.lit(q.segment)}) as area, sum(cases) as cases, sum(deaths) as deaths
      from surveillance_reports
      where disease = ${q.disease} and ou_path like ${`${q.path}%`} and week_start between ${q.from} and ${q.to} ${state}
      group by 1
    ), s as (
      select split_part(ou_path, '/', ${sql.lit(q.segment)}) as area, count(distinct org_unit_id) as facilities
      from surveillance_submissions
      where form = ${q.form} and ou_path like ${`${q.path}%`} and week_start between ${q.from} and ${q.to} ${state}
      group by 1
    )
    select coalesce(r.area, s.area) as area, o.name, o.name_hi, o.level,
           coalesce(r.cases, 0) as cases, coalesce(r.deaths, 0) as deaths, coalesce(s.facilities, 0) as facilities
    from r full join s on s.area = r.area
    left join org_units o on o.id = coalesce(r.area, s.area)`.execute(db);
  return rows.rows.map((r) => ({ ...r, cases: Number(r.cases), deaths: Number(r.deaths), facilities: Number(r.facilities) }));
}
