import { sql, type Kysely } from 'kysely';

// ASHA incentives (modules/asha, issue 14): the register of ASHAs and the villages each serves, the
// incentive catalogue with dated rate versions, claims from the phone, verification, payment batches
// with their rows, escalation notices, and the state's claim window. Rules held by the database:
//   - a claim made on a phone is stored once: unique (client_id), so a phone that syncs twice, or two
//     syncs at once, make one claim;
//   - a rate has one version per activity and day (primary key), amounts are whole rupees >= 0;
//   - one open batch per block and month (partial unique index), and a claim is in at most one open
//     batch row (partial unique index on asha_batch_claims where the row is pending);
//   - status moves are conditional updates `where status = <previous>` in the service.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table asha_workers (
      id text primary key,
      user_id text not null unique references users(id),
      name text not null check (length(name) between 1 and 200),
      name_hi text,
      mobile text not null check (mobile ~ '^[6-9][0-9]{9}$'),
      sub_centre_id text not null references org_units(id),
      sub_centre_path text not null,
      block_id text not null references org_units(id),
      block_path text not null,
      state_lgd integer,
      bank_account text check (bank_account is null or bank_account ~ '^[0-9]{9,18}$'),
      ifsc text,
      active_from date not null,
      active_to date,
      created_by text references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index asha_workers_mobile_active on asha_workers (mobile) where active_to is null`.execute(db);
  await sql`create index asha_workers_block on asha_workers (block_path text_pattern_ops, name)`.execute(db);
  await sql`
    create table asha_villages (
      asha_id text not null references asha_workers(id) on delete cascade,
      village_id text not null references org_units(id),
      village_path text not null,
      primary key (asha_id, village_id)
    )`.execute(db);

  await sql`
    create table asha_activities (
      code text primary key,
      name_en text not null,
      name_hi text not null,
      variant text check (variant in ('rural', 'urban')),
      fund_source text not null check (fund_source in ('NHM', 'STATE')),
      evidence text[] not null default '{}',
      beneficiary_kind text not null check (beneficiary_kind in ('mother', 'child', 'tb', 'none')),
      per_beneficiary_limit integer,
      per_month_limit integer,
      linked_record text check (linked_record in ('delivery', 'immunisation', 'opd_visit', 'household')),
      component_of text references asha_activities(code),
      sort_order integer not null default 0
    )`.execute(db);
  await sql`
    create table asha_rates (
      activity_code text not null references asha_activities(code),
      effective_from date not null,
      amount integer not null check (amount >= 0),
      created_by text,
      created_at timestamptz not null default now(),
      primary key (activity_code, effective_from)
    )`.execute(db);

  await sql`
    create table asha_settings (
      state_lgd integer primary key,
      window_start_day integer not null default 26 check (window_start_day between 1 and 28),
      entry_deadline_day integer not null default 5 check (entry_deadline_day between 1 and 28),
      escalation_days integer not null default 7 check (escalation_days between 1 and 60)
    )`.execute(db);

  await sql`
    create table asha_batches (
      id text primary key,
      block_id text not null references org_units(id),
      block_path text not null,
      month text not null check (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      status text not null default 'open' check (status in ('open', 'closed')),
      total integer not null default 0,
      row_count integer not null default 0,
      held_back jsonb not null default '[]',
      created_by text references users(id),
      created_at timestamptz not null default now(),
      closed_at timestamptz
    )`.execute(db);
  await sql`create unique index asha_batches_one_open on asha_batches (block_id, month) where status = 'open'`.execute(db);

  await sql`
    create table asha_claims (
      id text primary key,
      client_id uuid not null,
      asha_id text not null references asha_workers(id),
      activity_code text not null references asha_activities(code),
      beneficiary_patient_id text,
      pregnancy_number text,
      done_on date not null,
      claim_month text not null,
      amount integer not null check (amount >= 0),
      fund_source text not null,
      status text not null default 'submitted' check (status in ('submitted', 'recommended', 'approved', 'batched', 'paid', 'failed', 'rejected')),
      flags jsonb not null default '[]',
      photo_key text,
      sub_centre_path text not null,
      block_id text not null,
      state_lgd integer,
      submitted_at timestamptz not null default now(),
      status_at timestamptz not null default now(),
      recommended_by text, recommended_at timestamptz,
      approved_by text, approved_at timestamptz, approve_note text,
      rejected_by text, rejected_at timestamptz, reject_reason text,
      escalated_level integer not null default 0,
      batch_id text references asha_batches(id),
      paid_on date,
      utr text,
      fail_reason text,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index asha_claims_client_id on asha_claims (client_id)`.execute(db);
  await sql`create index asha_claims_asha on asha_claims (asha_id, done_on)`.execute(db);
  await sql`create index asha_claims_block_status on asha_claims (block_id, status, claim_month)`.execute(db);
  await sql`create index asha_claims_path on asha_claims (sub_centre_path text_pattern_ops, status)`.execute(db);
  await sql`create index asha_claims_batch on asha_claims (batch_id) where batch_id is not null`.execute(db);
  await sql`create index asha_claims_beneficiary on asha_claims (beneficiary_patient_id, activity_code) where beneficiary_patient_id is not null`.execute(db);

  // One row per ASHA and fund source in a batch (what the bank pays), and the claims it pays.
  await sql`
    create table asha_batch_rows (
      batch_id text not null references asha_batches(id),
      reference text not null,
      asha_id text not null references asha_workers(id),
      fund_source text not null,
      amount integer not null,
      claims integer not null,
      bank_account text not null,
      ifsc text not null,
      status text not null default 'pending' check (status in ('pending', 'paid', 'failed')),
      utr text,
      reason text,
      returned_at timestamptz,
      primary key (batch_id, reference),
      unique (batch_id, asha_id, fund_source)
    )`.execute(db);
  await sql`create unique index asha_batch_rows_reference on asha_batch_rows (reference)`.execute(db);
  await sql`
    create table asha_batch_claims (
      batch_id text not null,
      reference text not null,
      claim_id text not null references asha_claims(id),
      pending boolean not null default true,
      primary key (batch_id, claim_id),
      foreign key (batch_id, reference) references asha_batch_rows(batch_id, reference)
    )`.execute(db);
  // A claim is in one open (unpaid, unreturned) batch row at a time.
  await sql`create unique index asha_batch_claims_one_pending on asha_batch_claims (claim_id) where pending`.execute(db);

  await sql`
    create table asha_notices (
      id bigserial primary key,
      claim_id text not null references asha_claims(id),
      org_path text not null,
      level text not null,
      text text not null,
      at timestamptz not null default now()
    )`.execute(db);
  await sql`create index asha_notices_path on asha_notices (org_path text_pattern_ops, at desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['asha_notices', 'asha_batch_claims', 'asha_batch_rows', 'asha_claims', 'asha_batches', 'asha_settings', 'asha_rates', 'asha_activities', 'asha_villages', 'asha_workers']) {
    await sql`drop table if exists ${sql.table(t)}`.execute(db);
  }
}
