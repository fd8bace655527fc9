import { sql, type Kysely } from 'kysely';

// Ambulances, the rest of issue 12's fleet (modules/ambulances):
// - ambulance_crew: who is on a vehicle in a shift (driver, EMT), with their mobile numbers. One row
//   per member and shift. Shifts of the same role on the same vehicle must not overlap: the service
//   checks it under the vehicle's row lock (SELECT … FOR UPDATE), so two operators setting shifts at
//   once are served one after the other and the second sees the first (409). A member's shift is the
//   same once per vehicle, role and start (unique index).
// - district_populations: population of a district in a year (an entry or an import), for the
//   National Ambulance Service norm (1 BLS per 1 lakh, 1 ALS per 5 lakh); the latest year is used.
// - ambulance_device_keys: an optional per-device key (its SHA-256; the key is 32 random bytes,
//   shown once), checked on every position from HTTP devices when present.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table ambulance_crew (
      id text primary key,
      ambulance_id text not null references ambulances(id) on delete cascade,
      role text not null check (role in ('driver', 'emt')),
      name text not null check (length(btrim(name)) between 2 and 100),
      mobile text not null check (mobile ~ '^[6-9][0-9]{9}$'),
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      set_by text references users(id),
      set_at timestamptz not null default now(),
      check (ends_at > starts_at and ends_at <= starts_at + interval '24 hours')
    )`.execute(db);
  await sql`create unique index ambulance_crew_shift on ambulance_crew (ambulance_id, role, starts_at)`.execute(db);
  await sql`create index ambulance_crew_ends on ambulance_crew (ambulance_id, ends_at)`.execute(db);
  await sql`
    create table district_populations (
      district_id text not null references org_units(id),
      year integer not null check (year between 1951 and 2100),
      population integer not null check (population between 1 and 500000000),
      source text not null check (source in ('entry', 'import')),
      set_by text references users(id),
      set_at timestamptz not null default now(),
      primary key (district_id, year)
    )`.execute(db);
  await sql`
    create table ambulance_device_keys (
      ambulance_id text primary key references ambulances(id) on delete cascade,
      key_sha256 text not null check (key_sha256 ~ '^[0-9a-f]{64}$'),
      created_by text references users(id),
      created_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists ambulance_device_keys`.execute(db);
  await sql`drop table if exists district_populations`.execute(db);
  await sql`drop table if exists ambulance_crew`.execute(db);
}
