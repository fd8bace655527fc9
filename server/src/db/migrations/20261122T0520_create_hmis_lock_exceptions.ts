import { sql, type Kysely } from 'kysely';

// DHIS2's lock exceptions: a facility allowed to enter a period after the data set closed it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table hmis_lock_exceptions (
      data_set_id text not null references hmis_data_sets(id) on delete cascade,
      org_unit_id text not null references org_units(id) on delete cascade,
      period text not null,
      ou_path text not null,
      granted_by text,
      reason text,
      created_at timestamptz not null default now(),
      primary key (data_set_id, org_unit_id, period)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists hmis_lock_exceptions`.execute(db);
}
