import { sql, type Kysely } from 'kysely';

// Presence before access: staff who may not read a patient's record may link the patient to their
// place (an OPD token, a visit, a pregnancy, a teleconsultation, a family, a merge, a document) only
// once the patient is shown to be present: a one-time code to the patient's own mobile, the
// health card's QR token, or a break-glass reason. Each proof is a short-lived grant for one staff
// member and one patient; break-glass grants are reviewed by the officer of the patient's district.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table patient_presence (
      id text primary key,
      patient_id text not null references patients(id),
      user_id text not null references users(id),
      username text not null,
      role text not null,
      org_unit_id text not null references org_units(id),
      org_unit_path text not null,
      method text not null check (method in ('otp', 'card', 'break_glass')),
      reason text,
      patient_home_path text not null,
      sms_sent boolean not null default false,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      reviewed_by text,
      reviewed_at timestamptz,
      review_note text,
      check (method <> 'break_glass' or length(reason) >= 10),
      check (expires_at > created_at)
    )`.execute(db);
  await sql`create index patient_presence_live on patient_presence (user_id, patient_id, expires_at)`.execute(db);
  await sql`create index patient_presence_review on patient_presence (patient_home_path text_pattern_ops, created_at) where method = 'break_glass'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists patient_presence`.execute(db);
}
