import { sql, type Kysely } from 'kysely';

// IDSP weekly surveillance: per facility, week (DHIS2 Weekly, Monday–Sunday) and form (S syndromic,
// P presumptive, L laboratory), one row per disease with cases and deaths. The week's dates, the
// facility's path and the state code are copied in so that "this district, these weeks" is one
// indexed range scan and the table can be sharded by state. A submission row per facility, week and
// form records who reported, so a nil report (nothing to report) still counts as reporting.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table surveillance_submissions (
      org_unit_id text not null references org_units(id) on delete cascade,
      week text not null,
      week_start date not null,
      week_end date not null,
      form text not null check (form in ('S', 'P', 'L')),
      ou_path text not null,
      state_lgd integer,
      submitted_by text,
      submitted_at timestamptz not null default now(),
      primary key (org_unit_id, week, form)
    )`.execute(db);
  await sql`create index surveillance_submissions_path on surveillance_submissions (ou_path text_pattern_ops, week_start)`.execute(db);

  await sql`
    create table surveillance_reports (
      org_unit_id text not null references org_units(id) on delete cascade,
      week text not null,
      week_start date not null,
      week_end date not null,
      form text not null check (form in ('S', 'P', 'L')),
      disease text not null,
      cases integer not null check (cases >= 0),
      deaths integer not null default 0 check (deaths >= 0),
      ou_path text not null,
      state_lgd integer,
      submitted_by text,
      submitted_at timestamptz not null default now(),
      primary key (org_unit_id, week, form, disease),
      foreign key (org_unit_id, week, form) references surveillance_submissions (org_unit_id, week, form) on delete cascade
    )`.execute(db);
  await sql`create index surveillance_reports_disease on surveillance_reports (state_lgd, disease, week_start, ou_path text_pattern_ops)`.execute(db);
  await sql`create index surveillance_reports_path on surveillance_reports (ou_path text_pattern_ops, week_start)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists surveillance_reports`.execute(db);
  await sql`drop table if exists surveillance_submissions`.execute(db);
}
