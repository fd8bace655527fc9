import { sql, type Kysely } from 'kysely';

// A user's saved analytics selections (DHIS2's Data Visualizer "favourites"): the items, periods,
// place, level and split of the Analytics screen under a name. Each belongs to one user and is seen
// by that user only; a name is used once per user (case and surrounding spaces aside), which the
// unique index holds even for two saves at once.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table hmis_analytics_favourites (
      id text primary key,
      user_id text not null references users(id) on delete cascade,
      name text not null check (length(btrim(name)) between 1 and 120),
      selection jsonb not null check (jsonb_typeof(selection) = 'object'),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index hmis_analytics_favourites_user_name on hmis_analytics_favourites (user_id, lower(btrim(name)))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists hmis_analytics_favourites`.execute(db);
}
