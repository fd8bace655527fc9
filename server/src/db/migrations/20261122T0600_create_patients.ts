import { sql, type Kysely } from 'kysely';

// Patients: one row per person in the state, found from any institution. The name is kept as typed
// (Devanagari or Latin), romanised, and as a script-independent phonetic key that search matches by
// trigrams. Aadhaar is never stored whole: only its last four digits. The home address is a place in
// the LGD hierarchy (district, block, village) whose path bounds who may see the patient in lists.
// A patient is linked to each facility where they registered or were seen; only that facility's
// staff read the full record (canRead in patients.service.ts). The health card's QR code carries
// card_token, a random value that an authorised scanner resolves to the patient.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create sequence patient_number_seq`.execute(db);
  await sql`
    create table patients (
      id text primary key,
      state_number text not null unique,
      name text not null,
      name_hi text,
      name_latin text not null,
      name_key text not null,
      sex text not null check (sex in ('male', 'female', 'other')),
      birth_date date not null,
      birth_date_estimated boolean not null default false,
      mobile text,
      mobile_verified_at timestamptz,
      abha_number text unique,
      abha_address text unique,
      aadhaar_last4 text check (aadhaar_last4 ~ '^[0-9]{4}$'),
      blood_group text,
      card_token text not null unique,
      address_line text,
      home_id text not null references org_units(id),
      home_path text not null,
      state_lgd integer,
      registered_via text not null check (registered_via in ('counter', 'online', 'survey', 'fhir')),
      registered_at_facility_id text references org_units(id),
      merged_into text references patients(id),
      created_by text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index patients_name_key_trgm on patients using gin (name_key gin_trgm_ops)`.execute(db);
  await sql`create index patients_name_key on patients (name_key text_pattern_ops)`.execute(db);
  await sql`create index patients_mobile on patients (mobile)`.execute(db);
  await sql`create index patients_home on patients (home_path text_pattern_ops)`.execute(db);

  // Where a patient is registered or seen: the facilities whose staff may read the record.
  await sql`
    create table patient_facilities (
      patient_id text not null references patients(id) on delete cascade,
      facility_id text not null references org_units(id),
      facility_path text not null,
      first_seen timestamptz not null default now(),
      last_seen timestamptz not null default now(),
      primary key (patient_id, facility_id)
    )`.execute(db);
  await sql`create index patient_facilities_path on patient_facilities (facility_path text_pattern_ops)`.execute(db);

  // OPD registrations: a token per department per facility per day (IST).
  await sql`
    create table opd_registrations (
      id text primary key,
      patient_id text not null references patients(id),
      facility_id text not null references org_units(id),
      department text not null,
      day date not null,
      token integer not null,
      status text not null default 'waiting' check (status in ('waiting', 'called', 'seen', 'left')),
      created_by text,
      created_at timestamptz not null default now(),
      unique (facility_id, department, day, token)
    )`.execute(db);
  await sql`create index opd_registrations_patient on opd_registrations (patient_id, day)`.execute(db);

  // One-time codes that confirm a mobile number (stored hashed, a few tries each).
  await sql`
    create table otp_challenges (
      id text primary key,
      mobile text not null,
      purpose text not null,
      code_hash text not null,
      ip text,
      attempts integer not null default 0,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index otp_challenges_mobile on otp_challenges (mobile, created_at)`.execute(db);
  await sql`create index otp_challenges_ip on otp_challenges (ip, created_at)`.execute(db);

  // Pregnancies (ANC registration) and the ultrasound scans checked against their number.
  await sql`
    create table pregnancies (
      id text primary key,
      registration_number text not null unique,
      patient_id text not null references patients(id),
      facility_id text not null references org_units(id),
      facility_path text not null,
      lmp date,
      status text not null default 'open' check (status in ('open', 'closed')),
      closed_reason text,
      created_by text,
      created_at timestamptz not null default now(),
      closed_at timestamptz
    )`.execute(db);
  await sql`create index pregnancies_patient on pregnancies (patient_id)`.execute(db);
  await sql`
    create table ultrasound_scans (
      id text primary key,
      pregnancy_id text references pregnancies(id),
      registration_number text not null,
      facility_id text not null references org_units(id),
      facility_path text not null,
      outcome text not null check (outcome in ('accepted', 'refused')),
      refusal text,
      indication text,
      created_by text,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index ultrasound_scans_path on ultrasound_scans (facility_path text_pattern_ops, created_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['ultrasound_scans', 'pregnancies', 'otp_challenges', 'opd_registrations', 'patient_facilities', 'patients']) {
    await sql`drop table if exists ${sql.table(t)}`.execute(db);
  }
  await sql`drop sequence if exists patient_number_seq`.execute(db);
}
