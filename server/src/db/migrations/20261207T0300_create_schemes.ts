import { sql, type Kysely } from 'kysely';

// Health insurance schemes (modules/schemes, issue 15 parts 3–5): HIMCARE's set-up versioned by date,
// enrolments of register families with their cards and members, and claims from empanelled hospitals.
// Rules that must hold with several server instances live here:
//   - set-up rows carry valid_from; the row in force on a day is the latest valid_from ≤ that day
//     (primary keys: one version per scheme (and code) and day);
//   - one active enrolment per family, scheme and scheme year (partial unique index): of two
//     parallel enrolments one is stored, the other is a unique violation (409);
//   - a person is on a card once (partial unique index over members not removed); the limit of
//     members per card is enforced under a lock of the enrolment's row;
//   - a claim's moves are conditional updates `where status = <previous>`.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table scheme_settings (
      scheme text not null,
      valid_from date not null,
      name text not null,
      name_hi text,
      cover_amount numeric(12, 2) not null check (cover_amount > 0),
      members_per_card integer not null check (members_per_card between 1 and 50),
      windows jsonb not null default '[]',
      exclusions jsonb not null default '[]',
      review_claims_per_package integer not null default 10 check (review_claims_per_package >= 1),
      settle_within_days integer not null default 15 check (settle_within_days >= 1),
      created_by text references users(id),
      created_at timestamptz not null default now(),
      primary key (scheme, valid_from)
    )`.execute(db);

  await sql`
    create table scheme_categories (
      scheme text not null,
      code text not null check (code ~ '^[a-z0-9_-]{1,30}$'),
      valid_from date not null,
      name text not null,
      name_hi text,
      premium numeric(10, 2) not null check (premium >= 0),
      active boolean not null default true,
      created_by text references users(id),
      created_at timestamptz not null default now(),
      primary key (scheme, code, valid_from)
    )`.execute(db);

  await sql`
    create table scheme_packages (
      scheme text not null,
      code text not null check (code ~ '^[A-Z0-9._-]{1,30}$'),
      valid_from date not null,
      name text not null,
      name_hi text,
      rate numeric(12, 2) not null check (rate >= 0),
      preauth boolean not null,
      active boolean not null default true,
      created_by text references users(id),
      created_at timestamptz not null default now(),
      primary key (scheme, code, valid_from)
    )`.execute(db);

  await sql`
    create table scheme_hospitals (
      scheme text not null,
      facility_id text not null references facilities(id),
      facility_path text not null,
      empanelled_from date not null,
      ended_on date,
      created_by text references users(id),
      created_at timestamptz not null default now(),
      primary key (scheme, facility_id)
    )`.execute(db);

  await sql`
    create table scheme_enrolments (
      id text primary key,
      scheme text not null,
      family_id text not null references families(id),
      home_path text not null,
      scheme_year integer not null check (scheme_year between 2000 and 2200),
      category text not null,
      premium numeric(10, 2) not null,
      premium_paid_at timestamptz not null default now(),
      premium_reference text,
      card_number text not null unique,
      card_token text not null unique,
      status text not null default 'active' check (status in ('active', 'cancelled')),
      renewed_from text references scheme_enrolments(id),
      enrolled_by text references users(id),
      enrolled_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index scheme_enrolments_one_active on scheme_enrolments (scheme, family_id, scheme_year) where status = 'active'`.execute(db);
  await sql`create index scheme_enrolments_path on scheme_enrolments (home_path text_pattern_ops, id)`.execute(db);

  await sql`
    create table scheme_enrolment_members (
      enrolment_id text not null references scheme_enrolments(id),
      patient_id text not null references patients(id),
      added_by text references users(id),
      added_at timestamptz not null default now(),
      removed_by text references users(id),
      removed_at timestamptz
    )`.execute(db);
  await sql`create unique index scheme_members_once on scheme_enrolment_members (enrolment_id, patient_id) where removed_at is null`.execute(db);
  await sql`create index scheme_members_patient on scheme_enrolment_members (patient_id)`.execute(db);

  await sql`
    create table scheme_claims (
      id text primary key,
      scheme text not null,
      enrolment_id text not null references scheme_enrolments(id),
      patient_id text not null references patients(id),
      hospital_id text not null references facilities(id),
      hospital_path text not null,
      package_code text not null,
      package_rate numeric(12, 2) not null,
      preauth boolean not null,
      diagnosis text not null,
      procedure text,
      treatment text,
      admitted_on date not null,
      discharged_on date,
      amount numeric(12, 2) not null check (amount >= 0),
      status text not null check (status in ('preauth_pending', 'preauth_rejected', 'admitted', 'claimed', 'approved', 'deducted', 'rejected')),
      flags jsonb not null default '[]',
      filed_by text references users(id),
      filed_at timestamptz not null default now(),
      preauth_by text references users(id),
      preauth_at timestamptz,
      preauth_reason text,
      claimed_at timestamptz,
      settled_by text references users(id),
      settled_at timestamptz,
      settled_amount numeric(12, 2),
      settlement_reason text,
      check (discharged_on is null or discharged_on >= admitted_on),
      check (status not in ('deducted', 'rejected') or settlement_reason is not null)
    )`.execute(db);
  await sql`create index scheme_claims_patient on scheme_claims (patient_id, admitted_on)`.execute(db);
  await sql`create index scheme_claims_enrolment on scheme_claims (enrolment_id)`.execute(db);
  await sql`create index scheme_claims_hospital_package on scheme_claims (hospital_id, package_code, admitted_on)`.execute(db);
  await sql`create index scheme_claims_path on scheme_claims (hospital_path text_pattern_ops, filed_at)`.execute(db);
  await sql`create index scheme_claims_status on scheme_claims (scheme, status, claimed_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['scheme_claims', 'scheme_enrolment_members', 'scheme_enrolments', 'scheme_hospitals', 'scheme_packages', 'scheme_categories', 'scheme_settings']) {
    await sql`drop table if exists ${sql.table(t)}`.execute(db);
  }
}
