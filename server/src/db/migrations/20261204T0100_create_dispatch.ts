import { sql, type Kysely } from 'kysely';

// Dispatch of ambulances (modules/dispatch): a call comes in, a vehicle is sent on a trip, each step of
// the trip is stamped with its time and who did it. The rules live in the database so that several
// server instances and dispatchers cannot break them:
//   - a vehicle has at most one active trip (partial unique index on ambulance_id);
//   - a call has at most one active trip (partial unique index on call_id);
//   - a trip's status moves only along the steps (the service updates `where status = <previous>`).
// Response times are read from the stamps: call (dispatch_calls.created_at) → assigned → at scene →
// at hospital.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table dispatch_calls (
      id text primary key,
      service text not null check (service in ('108', '102')),
      kind text check (kind in ('BLS', 'ALS', 'PTV')),
      caller_name text,
      caller_phone text not null check (caller_phone ~ '^[0-9+]{6,15}$'),
      latitude double precision not null check (latitude between -90 and 90),
      longitude double precision not null check (longitude between -180 and 180),
      village_id text references org_units(id),
      district_id text not null references org_units(id),
      area text not null default 'rural' check (area in ('urban', 'rural')),
      complaint text not null check (length(complaint) between 1 and 500),
      pregnancy_id text references pregnancies(id),
      patient_id text references patients(id),
      destination_facility_id text references facilities(id),
      status text not null default 'waiting'
        check (status in ('waiting', 'assigned', 'en_route', 'at_scene', 'left_scene', 'at_hospital', 'closed', 'cancelled')),
      cancel_reason text,
      created_by text references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      closed_at timestamptz
    )`.execute(db);
  await sql`create index dispatch_calls_district_created on dispatch_calls (district_id, created_at desc)`.execute(db);
  await sql`create index dispatch_calls_open on dispatch_calls (district_id) where status not in ('closed', 'cancelled')`.execute(db);
  await sql`
    create table dispatch_trips (
      id text primary key,
      call_id text not null references dispatch_calls(id),
      ambulance_id text not null references ambulances(id),
      status text not null default 'assigned'
        check (status in ('assigned', 'en_route', 'at_scene', 'left_scene', 'at_hospital', 'completed', 'declined', 'timed_out', 'cancelled')),
      distance_km real,
      eta_minutes real,
      destination_facility_id text references facilities(id),
      assigned_at timestamptz not null default now(),
      assigned_by text references users(id),
      en_route_at timestamptz,
      at_scene_at timestamptz,
      left_scene_at timestamptz,
      at_hospital_at timestamptz,
      acknowledged_at timestamptz,
      acknowledged_by text references users(id),
      completed_at timestamptz,
      ended_reason text,
      updated_at timestamptz not null default now()
    )`.execute(db);
  // The rules of dispatch: one active trip per vehicle, one active trip per call.
  await sql`create unique index dispatch_trips_one_per_vehicle on dispatch_trips (ambulance_id) where status in ('assigned', 'en_route', 'at_scene', 'left_scene', 'at_hospital')`.execute(db);
  await sql`create unique index dispatch_trips_one_per_call on dispatch_trips (call_id) where status in ('assigned', 'en_route', 'at_scene', 'left_scene', 'at_hospital')`.execute(db);
  await sql`create index dispatch_trips_call on dispatch_trips (call_id)`.execute(db);
  await sql`create index dispatch_trips_destination on dispatch_trips (destination_facility_id) where status in ('left_scene', 'at_hospital')`.execute(db);
  await sql`
    create table dispatch_steps (
      id bigint generated always as identity primary key,
      call_id text not null references dispatch_calls(id),
      trip_id text references dispatch_trips(id),
      step text not null,
      at timestamptz not null default now(),
      by_user text references users(id),
      by_system text,
      note text
    )`.execute(db);
  await sql`create index dispatch_steps_call on dispatch_steps (call_id, at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists dispatch_steps`.execute(db);
  await sql`drop table if exists dispatch_trips`.execute(db);
  await sql`drop table if exists dispatch_calls`.execute(db);
}
