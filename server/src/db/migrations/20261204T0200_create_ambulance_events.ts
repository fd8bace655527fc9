import { sql, type Kysely } from 'kysely';

// Ambulance events (modules/ambulances/ambulances.events.ts): online/offline, overspeed, entering and
// leaving a facility's geofence, long halts. Each vehicle has one state row, locked (FOR UPDATE) while a
// batch of its fixes is read for events, so parallel batches of one vehicle cannot both see the same
// transition. An event is unique per vehicle, kind, time and facility: a second writer's copy is dropped.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table ambulance_event_state (
      ambulance_id text primary key references ambulances(id) on delete cascade,
      last_fix_time timestamptz,
      last_latitude double precision,
      last_longitude double precision,
      online boolean not null default false,
      overspeeding boolean not null default false,
      inside_facility_id text references facilities(id) on delete set null,
      halted_since timestamptz,
      halt_latitude double precision,
      halt_longitude double precision,
      halt_reported boolean not null default false,
      updated_at timestamptz not null default now()
    )`.execute(db);
  // The offline sweep: vehicles still online whose newest fix is older than the limit.
  await sql`create index ambulance_event_state_online on ambulance_event_state (last_fix_time) where online`.execute(db);
  await sql`
    create table ambulance_events (
      id bigint generated always as identity primary key,
      ambulance_id text not null references ambulances(id) on delete cascade,
      kind text not null check (kind in ('online', 'offline', 'overspeed', 'geofence_enter', 'geofence_exit', 'long_halt')),
      at timestamptz not null,
      latitude double precision,
      longitude double precision,
      facility_id text references facilities(id) on delete set null,
      details jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index ambulance_events_once on ambulance_events (ambulance_id, kind, at, coalesce(facility_id, ''))`.execute(db);
  await sql`create index ambulance_events_vehicle_at on ambulance_events (ambulance_id, at desc)`.execute(db);
  await sql`create index ambulance_events_at on ambulance_events (at desc)`.execute(db);
  // Geofences: facilities near a fix, found by a box on latitude then longitude.
  await sql`create index facilities_position on facilities (latitude, longitude) where latitude is not null and longitude is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists facilities_position`.execute(db);
  await sql`drop table if exists ambulance_events`.execute(db);
  await sql`drop table if exists ambulance_event_state`.execute(db);
}
