import { sql, type Kysely } from 'kysely';

// In-patient episodes on the patient's record (modules/patients/patients.admissions.ts): an admission
// at a hospital with its dates, ICD-10 diagnoses, procedure and treatment. Written today by HIMCARE's
// claims (issue 15, part 5: "the treatment is also written to the patient's record"), one episode per
// claim (unique source and source id, so the discharge updates the episode the filing wrote).
// Kept apart from opd_visits: a visit counts in the facility's HMIS OPD figures, an admission does not.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table patient_admissions (
      id text primary key,
      patient_id text not null references patients(id),
      facility_id text not null references org_units(id),
      facility_path text not null,
      state_lgd integer,
      admitted_on date not null,
      discharged_on date,
      diagnoses text[] not null default '{}',
      procedure text,
      treatment text,
      source text not null check (length(source) between 1 and 40),
      source_id text not null check (length(source_id) between 1 and 60),
      created_by text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (source, source_id),
      check (discharged_on is null or discharged_on >= admitted_on)
    )`.execute(db);
  await sql`create index patient_admissions_patient on patient_admissions (patient_id, admitted_on desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists patient_admissions`.execute(db);
}
