import { sql, type Kysely } from 'kysely';

// Where each facility's return stands after completion: returned to the facility, approved by
// the district (locked), accepted by the state. History lives in the audit log.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table hmis_return_states (
      data_set_id text not null references hmis_data_sets(id) on delete cascade,
      period text not null,
      org_unit_id text not null references org_units(id) on delete cascade,
      aoc_id text not null references hmis_category_option_combos(id),
      state text not null check (state in ('returned','approved','accepted')),
      reason text,
      ou_path text not null,
      updated_by text,
      updated_at timestamptz not null default now(),
      primary key (data_set_id, period, org_unit_id, aoc_id)
    )`.execute(db);
  await sql`create index hmis_return_states_path on hmis_return_states (data_set_id, period, ou_path text_pattern_ops)`.execute(db);
  await sql`
    create table hmis_notifications (
      id bigserial primary key,
      org_unit_id text not null references org_units(id) on delete cascade,
      kind text not null,
      title text not null,
      body text not null,
      data_set_id text,
      period text,
      created_by text,
      created_at timestamptz not null default now(),
      read_at timestamptz
    )`.execute(db);
  await sql`create index hmis_notifications_ou on hmis_notifications (org_unit_id, created_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists hmis_notifications`.execute(db);
  await sql`drop table if exists hmis_return_states`.execute(db);
}
