import { sql, type Kysely } from 'kysely';

// A FHIR Patient is kept as it was sent, beside the registry row made from it.
//
// - patient_fhir: the Patient resource as received (every identifier, telecom, contact, address,
//   extension…; no id and no meta.versionId/lastUpdated, which the server sets), and `registry`, the
//   registry fields (name, sex, birth date, mobile, ABHA, Aadhaar's last four digits, home, address line)
//   as they stood when it was kept. When the registry is changed another way afterwards, the FHIR view
//   shows the registry's value for that element and keeps the rest (see fhir.patient.view.ts).
//   No whole Aadhaar number is ever kept, as in fhir_resources.
// - patient_identifiers: each identifier of a kept Patient (system, or '' when it has none, and value),
//   so `identifier=<system>|<value>` and `identifier=<value>` are index look-ups.
export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(`
    create table patient_fhir (
      patient_id text primary key references patients(id),
      resource jsonb not null check (jsonb_typeof(resource) = 'object'),
      registry jsonb not null,
      stored_at timestamptz not null default now(),
      constraint patient_fhir_no_whole_aadhaar check (not jsonb_path_exists(resource,
        '$.** ? (@.system like_regex "uidai[.]gov[.]in" flag "i" && @.value like_regex "([0-9०-९][^0-9०-९]*){5}")'))
    )`).execute(db);
  await sql`
    create table patient_identifiers (
      patient_id text not null references patients(id),
      system text not null default '',
      value text not null,
      primary key (patient_id, system, value)
    )`.execute(db);
  await sql`create index patient_identifiers_value on patient_identifiers (value, system)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists patient_identifiers`.execute(db);
  await sql`drop table if exists patient_fhir`.execute(db);
}
