import { sql, type Kysely } from 'kysely';

// Ambulances (108 emergency, 102 mother-and-child transport) and the positions their GPS devices send
// (modules/ambulances). A registration number (letters and digits only, any case) and a device id are
// each used once, held by unique indexes so two registrations at once cannot both win.
// Positions are partitioned by day (UTC) so old days are dropped whole (ambulances.partitions.ts);
// the partitions around today are made here, the rest on demand and by the daily maintenance.
// A fix is stored once per device and time (primary key; inserts use ON CONFLICT DO NOTHING).
// The latest fix of each vehicle is kept apart for fast reads, replaced only by a newer fix.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table ambulances (
      id text primary key,
      registration_number text not null check (length(btrim(registration_number)) between 4 and 20),
      service text not null check (service in ('108', '102')),
      kind text not null check (kind in ('BLS', 'ALS', 'PTV')),
      base_facility_id text not null references facilities(id),
      device_id text not null check (length(device_id) between 1 and 64),
      status text not null default 'available' check (status in ('available', 'dispatched', 'on_trip', 'off_road')),
      created_by text references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index ambulances_registration_number on ambulances (upper(regexp_replace(registration_number, '[^A-Za-z0-9]', '', 'g')))`.execute(db);
  await sql`create unique index ambulances_device_id on ambulances (device_id)`.execute(db);
  await sql`create index ambulances_base_facility on ambulances (base_facility_id)`.execute(db);
  await sql`
    create table ambulance_positions (
      ambulance_id text not null,
      fix_time timestamptz not null,
      received_at timestamptz not null default now(),
      latitude double precision not null,
      longitude double precision not null,
      speed_kmh real,
      course real,
      altitude real,
      accuracy real,
      battery real,
      source text not null,
      primary key (ambulance_id, fix_time)
    ) partition by range (fix_time)`.execute(db);
  const today = new Date();
  today.setUTCHours(0, 0, 0, 0);
  for (let d = -1; d <= 2; d++) {
    const from = new Date(today.getTime() + d * 86_400_000);
    const to = new Date(from.getTime() + 86_400_000);
    const name = `ambulance_positions_p${from.toISOString().slice(0, 10).replace(/-/g, '')}`;
    await sql`create table if not exists ${sql.id(name)} partition of ambulance_positions for values from (${sql.lit(from.toISOString())}) to (${sql.lit(to.toISOString())})`.execute(db);
  }
  await sql`
    create table ambulance_latest_positions (
      ambulance_id text primary key references ambulances(id) on delete cascade,
      fix_time timestamptz not null,
      received_at timestamptz not null default now(),
      latitude double precision not null,
      longitude double precision not null,
      speed_kmh real,
      course real,
      battery real
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists ambulance_latest_positions`.execute(db);
  await sql`drop table if exists ambulance_positions`.execute(db);
  await sql`drop table if exists ambulances`.execute(db);
}
