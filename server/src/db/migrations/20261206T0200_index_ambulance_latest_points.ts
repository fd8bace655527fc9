import { sql, type Kysely } from 'kysely';

// The nearest available ambulances (modules/ambulances, nearestAvailable) are read in one query that
// walks this GiST index from the place outwards (K nearest by `point <-> point`), instead of widening
// boxes over a b-tree of (latitude, longitude) in several round trips, which at 20,000 vehicles spread
// over a state often reached the widest box.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index ambulance_latest_positions_point on ambulance_latest_positions using gist (point(longitude, latitude))`.execute(db);
  await sql`drop index if exists ambulance_latest_positions_place`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`create index if not exists ambulance_latest_positions_place on ambulance_latest_positions (latitude, longitude)`.execute(db);
  await sql`drop index if exists ambulance_latest_positions_point`.execute(db);
}
