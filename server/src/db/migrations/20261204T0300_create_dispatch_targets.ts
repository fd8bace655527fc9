import { sql, type Kysely } from 'kysely';

// The state's response-time targets for ambulances (modules/dispatch/stats): minutes from the call to
// the vehicle at the scene, per state, service (108, 102) and area of the call (urban, rural), and
// optionally per district (a district's own target overrides the state's). Where a state has set none,
// the service's defaults apply (108: urban 20, rural 30; 102: 30 and 30), kept in the code.
// One target per state, district (or none), service and area: a unique index over the district with
// "none" as '' (so two state-level rows cannot both exist), and the upsert names that index.
// Also an index of trips by vehicle and assignment time, for trips per vehicle per day.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table dispatch_targets (
      id bigint generated always as identity primary key,
      state_id text not null references org_units(id),
      district_id text references org_units(id),
      service text not null check (service in ('108', '102')),
      area text not null check (area in ('urban', 'rural')),
      call_to_scene_minutes integer not null check (call_to_scene_minutes between 1 and 240),
      updated_by text references users(id),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index dispatch_targets_one on dispatch_targets (state_id, (coalesce(district_id, '')), service, area)`.execute(db);
  // Trips per vehicle per day reads each vehicle's trips of a period (stats.repository.ts `fleet`).
  await sql`create index dispatch_trips_vehicle_assigned on dispatch_trips (ambulance_id, assigned_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists dispatch_trips_vehicle_assigned`.execute(db);
  await sql`drop table if exists dispatch_targets`.execute(db);
}
