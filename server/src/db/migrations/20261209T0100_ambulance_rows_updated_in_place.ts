import { sql, type Kysely } from 'kysely';

// Every fix updates its vehicle's latest position and event state row: at a state's rate, thousands
// of row updates a second. An update that changes no indexed column and finds room on its page is a
// HOT update (no index entry written); these two tables are laid out so most updates are:
// - ambulance_latest_positions: the GiST index for the nearest search is on the position rounded to
//   a grid of 0.05° (grid_latitude, grid_longitude, stored generated columns), which changes only when
//   a vehicle crosses into another cell (at 40 km/h about every 7 minutes), not at every fix;
//   nearestAvailable allows for the rounding. Half of each page is left free (fillfactor 50).
// - ambulance_event_state: no index besides its key (the offline sweep reads the table, one row per
//   vehicle, once a minute), half of each page free.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table ambulance_latest_positions set (fillfactor = 50)`.execute(db);
  // Adding the columns rewrites the table, with the new fillfactor.
  await sql`alter table ambulance_latest_positions
    add column grid_latitude double precision generated always as (round(latitude * 20) / 20) stored,
    add column grid_longitude double precision generated always as (round(longitude * 20) / 20) stored`.execute(db);
  await sql`create index ambulance_latest_positions_grid on ambulance_latest_positions using gist (point(grid_longitude, grid_latitude))`.execute(db);
  await sql`drop index if exists ambulance_latest_positions_point`.execute(db);
  await sql`drop index if exists ambulance_event_state_online`.execute(db);
  await sql`alter table ambulance_event_state set (fillfactor = 50)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table ambulance_event_state reset (fillfactor)`.execute(db);
  await sql`create index if not exists ambulance_event_state_online on ambulance_event_state (last_fix_time) where online`.execute(db);
  await sql`create index if not exists ambulance_latest_positions_point on ambulance_latest_positions using gist (point(longitude, latitude))`.execute(db);
  await sql`drop index if exists ambulance_latest_positions_grid`.execute(db);
  await sql`alter table ambulance_latest_positions drop column grid_latitude, drop column grid_longitude`.execute(db);
  await sql`alter table ambulance_latest_positions reset (fillfactor)`.execute(db);
}
