import { sql, type Kysely } from 'kysely';

// Diagnosis codes (ICD-10, loaded by `swasthya import icd10`) and OPD visits: complaint, vitals,
// diagnoses, notes and prescriptions. Each visit carries its IST month so that the facility's
// monthly HMIS counts (OPD attendance, disease counts) are recounted from its visits as they happen.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table icd_codes (code text primary key, title text not null, title_hi text)`.execute(db);
  await sql`create index icd_codes_title_trgm on icd_codes using gin (title gin_trgm_ops)`.execute(db);
  await sql`
    create table opd_visits (
      id text primary key,
      patient_id text not null references patients(id),
      facility_id text not null references org_units(id),
      facility_path text not null,
      opd_registration_id text references opd_registrations(id),
      visited_at timestamptz not null default now(),
      period text not null,
      age_years integer not null,
      sex text not null,
      complaint text,
      vitals jsonb not null default '{}'::jsonb,
      diagnoses text[] not null default '{}',
      notes text,
      prescriptions jsonb not null default '[]'::jsonb,
      created_by text,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index opd_visits_facility_period on opd_visits (facility_id, period)`.execute(db);
  await sql`create index opd_visits_patient on opd_visits (patient_id, visited_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists opd_visits`.execute(db);
  await sql`drop table if exists icd_codes`.execute(db);
}
