import { sql, type Kysely } from 'kysely';

// Each health insurance scheme is one state's (HIMCARE is Himachal Pradesh's): its set-up, enrolments,
// claims and settlements are for users posted in that state or above it (modules/schemes). The state
// is its LGD code, as org_units.state_lgd holds it for every unit. HIMCARE's row is data: 20261209T0210.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table scheme_states (
      scheme text primary key check (scheme ~ '^[a-z0-9_-]{1,30}$'),
      state_lgd integer not null check (state_lgd > 0),
      created_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists scheme_states`.execute(db);
}
