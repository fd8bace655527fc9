import { sql, type Kysely } from 'kysely';

// Documents attached to a patient (and optionally a visit): PDFs and images whose type was read from
// their first bytes. The bytes live in a document store (files under the data directory); the row
// keeps where, how big and their SHA-256.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table patient_documents (
      id text primary key,
      patient_id text not null references patients(id),
      visit_id text references opd_visits(id),
      facility_id text not null references org_units(id),
      facility_path text not null,
      media_type text not null check (media_type in ('application/pdf', 'image/jpeg', 'image/png', 'image/webp')),
      bytes integer not null check (bytes > 0),
      sha256 text not null,
      storage_key text not null,
      title text,
      created_by text,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index patient_documents_patient on patient_documents (patient_id, created_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists patient_documents`.execute(db);
}
