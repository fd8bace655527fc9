import { sql, type Kysely } from 'kysely';

// Data values keyed as DHIS2 keys them (element, period, org unit, option combo, attribute option
// combo), with the period's dates and the org unit's path copied in so that analytics can
// aggregate up the hierarchy and over periods straight from this table, current as data lands.
// Completions keep the instant; on-time is reckoned on read from the data set's timelyDays.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table hmis_data_values (
      data_element_id text not null references hmis_data_elements(id),
      period text not null,
      org_unit_id text not null references org_units(id) on delete cascade,
      coc_id text not null references hmis_category_option_combos(id),
      aoc_id text not null references hmis_category_option_combos(id),
      value text not null,
      num_value double precision,
      comment text,
      follow_up boolean not null default false,
      stored_by text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      period_type text not null,
      period_start date not null,
      period_end date not null,
      ou_path text not null,
      state_lgd integer,
      primary key (data_element_id, period, org_unit_id, coc_id, aoc_id)
    )`.execute(db);
  await sql`create index hmis_data_values_ou_period on hmis_data_values (org_unit_id, period)`.execute(db);
  await sql`create index hmis_data_values_path on hmis_data_values (ou_path text_pattern_ops, period_start)`.execute(db);
  await sql`create index hmis_data_values_de_period on hmis_data_values (data_element_id, period_start)`.execute(db);

  await sql`
    create table hmis_complete_registrations (
      data_set_id text not null references hmis_data_sets(id) on delete cascade,
      period text not null,
      org_unit_id text not null references org_units(id) on delete cascade,
      aoc_id text not null references hmis_category_option_combos(id),
      completed_at timestamptz not null,
      completed_by text,
      period_start date not null,
      period_end date not null,
      ou_path text not null,
      created_at timestamptz not null default now(),
      primary key (data_set_id, period, org_unit_id, aoc_id)
    )`.execute(db);
  await sql`create index hmis_complete_path on hmis_complete_registrations (data_set_id, period, ou_path text_pattern_ops)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists hmis_complete_registrations`.execute(db);
  await sql`drop table if exists hmis_data_values`.execute(db);
}
