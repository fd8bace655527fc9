import { sql, type Kysely } from 'kysely';

// The gram panchayat of a card (its family's when the card was issued) and of a claim (its card's), with
// the claim's scheme year (its card's), so that the figures by panchayat count cards and claims from
// indexes of their own instead of joining every card to its family (modules/schemes/schemes.coverage.ts).
// Filled for the cards and claims already there by 20261208T0240.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table scheme_enrolments add column panchayat_id text references org_units(id)`.execute(db);
  await sql`alter table scheme_claims add column panchayat_id text references org_units(id), add column scheme_year integer`.execute(db);
  await sql`create index scheme_enrolments_panchayat on scheme_enrolments (scheme, scheme_year, panchayat_id) where status = 'active'`.execute(db);
  await sql`create index scheme_claims_panchayat on scheme_claims (scheme, scheme_year, panchayat_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists scheme_claims_panchayat`.execute(db);
  await sql`drop index if exists scheme_enrolments_panchayat`.execute(db);
  await sql`alter table scheme_claims drop column if exists panchayat_id, drop column if exists scheme_year`.execute(db);
  await sql`alter table scheme_enrolments drop column if exists panchayat_id`.execute(db);
}
