import { sql, type Kysely } from 'kysely';

// FHIR resources kept whole as JSON (Encounter, Condition, MedicationRequest, MedicationStatement,
// Practitioner, and whatever else arrives inside an ABDM document bundle). Patients are not here: they
// live in `patients` and are mapped to FHIR on the way out. `patient_id` is the patient the resource is
// about (its subject), so that the patient privacy rule applies to it; `facility_path` is where it was
// written. Each update bumps `version` (FHIR meta.versionId).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table fhir_resources (
      id text not null check (id ~ '^[A-Za-z0-9.-]{1,64}$'),
      resource_type text not null check (resource_type ~ '^[A-Z][A-Za-z]{1,63}$'),
      patient_id text references patients(id),
      version integer not null default 1 check (version >= 1),
      resource jsonb not null,
      facility_path text,
      created_by text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (resource_type, id)
    )`.execute(db);
  await sql`create index fhir_resources_patient on fhir_resources (patient_id, resource_type)`.execute(db);
  await sql`create index fhir_resources_type_updated on fhir_resources (resource_type, updated_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists fhir_resources`.execute(db);
}
