import { sql, type Kysely } from 'kysely';

// A return whose validation rules fail is not completed by accident. Each data set carries DHIS2's
// validCompleteOnly (on for India's HMIS monthly return) and Swasthya's allow_complete_with_comments
// (DHIS2 has no such flag): the facility may then complete anyway by explaining every failing rule.
// Those explanations belong to the completion and go when it does (uncomplete, sent back).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table hmis_data_sets add column valid_complete_only boolean not null default false`.execute(db);
  await sql`alter table hmis_data_sets add column allow_complete_with_comments boolean not null default false`.execute(db);
  await sql`update hmis_data_sets set valid_complete_only = true where code = 'HMIS_MONTHLY'`.execute(db);
  await sql`
    create table hmis_completion_comments (
      data_set_id text not null,
      period text not null,
      org_unit_id text not null,
      aoc_id text not null,
      rule_id text not null references hmis_validation_rules(id) on delete cascade,
      comment text not null check (length(btrim(comment)) > 0),
      left_value double precision,
      right_value double precision,
      commented_by text not null,
      created_at timestamptz not null default now(),
      primary key (data_set_id, period, org_unit_id, aoc_id, rule_id),
      foreign key (data_set_id, period, org_unit_id, aoc_id)
        references hmis_complete_registrations (data_set_id, period, org_unit_id, aoc_id) on delete cascade
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists hmis_completion_comments`.execute(db);
  await sql`alter table hmis_data_sets drop column if exists allow_complete_with_comments`.execute(db);
  await sql`alter table hmis_data_sets drop column if exists valid_complete_only`.execute(db);
}
