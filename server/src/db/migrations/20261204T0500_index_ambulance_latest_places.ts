import { sql, type Kysely } from 'kysely';

// The nearest available ambulances (modules/ambulances, nearestAvailable) are looked for in widening
// boxes around the place before ranking every vehicle: this index finds the latest positions inside a
// box (a band of latitude, then longitude) without reading the whole fleet (20,000 vehicles: from tens
// of milliseconds to a few).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index ambulance_latest_positions_place on ambulance_latest_positions (latitude, longitude)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists ambulance_latest_positions_place`.execute(db);
}
