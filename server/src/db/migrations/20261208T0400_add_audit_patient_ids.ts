import { sql, type Kysely } from 'kysely';

// Batched read audit: one audit_log row per request names every patient it returned, in
// `patient_ids` (a search page, a FHIR search Bundle), instead of one row per patient. A patient's
// "who read my record" finds such rows through the GIN index as it finds single reads by entity_id.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table audit_log add column patient_ids text[]`.execute(db);
  await sql`create index audit_log_patient_ids on audit_log using gin (patient_ids) where patient_ids is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists audit_log_patient_ids`.execute(db);
  await sql`alter table audit_log drop column if exists patient_ids`.execute(db);
}
