import { sql, type Kysely } from 'kysely';

// Facility search looks names up in Hindi as well as English, and by PIN code.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index org_units_name_hi_trgm on org_units using gin (name_hi gin_trgm_ops)`.execute(db);
  await sql`create index facilities_pincode on facilities (pincode)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists facilities_pincode`.execute(db);
  await sql`drop index if exists org_units_name_hi_trgm`.execute(db);
}
