import { sql, type Kysely } from 'kysely';

// The door-to-door health-card survey: enumerators (ASHAs, CHOs) are assigned villages or wards;
// households they record on a phone, offline, are synced later. Each household carries the
// phone's own id for it, so a sync sent twice (a lost answer on a bad connection) stores it once.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table survey_assignments (
      user_id text not null references users(id),
      area_id text not null references org_units(id),
      area_path text not null,
      assigned_by text,
      assigned_at timestamptz not null default now(),
      primary key (user_id, area_id)
    )`.execute(db);
  await sql`
    create table survey_households (
      user_id text not null references users(id),
      client_id text not null,
      family_id text references families(id),
      area_id text not null references org_units(id),
      area_path text not null,
      members integer not null,
      recorded_at timestamptz,
      synced_at timestamptz not null default now(),
      primary key (user_id, client_id)
    )`.execute(db);
  await sql`create index survey_households_area on survey_households (area_path text_pattern_ops)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists survey_households`.execute(db);
  await sql`drop table if exists survey_assignments`.execute(db);
}
