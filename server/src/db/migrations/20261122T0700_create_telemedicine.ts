import { sql, type Kysely } from 'kysely';

// Telemedicine, e-Sanjeevani style. Hubs (facilities with specialists) offer specialties; spokes
// (HWCs, sub-centres) are linked to one or more hubs; a centre records its equipment. Doctors keep
// a roster and mark themselves online, on a break or offline. Requests wait in a queue per hub and
// specialty, ordered by priority and arrival, and are claimed with FOR UPDATE SKIP LOCKED so that two
// API instances never hand one patient to two doctors. Consultations, prescriptions, dispensing and
// referrals hang off the request.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table tele_hub_specialties (
      hub_id text not null references facilities(id) on delete cascade,
      specialty text not null,
      home_opd boolean not null default false,
      primary key (hub_id, specialty)
    )`.execute(db);
  await sql`
    create table tele_spoke_hubs (
      spoke_id text not null references facilities(id) on delete cascade,
      hub_id text not null references facilities(id) on delete cascade,
      linked_at timestamptz not null default now(),
      primary key (spoke_id, hub_id)
    )`.execute(db);
  await sql`create index tele_spoke_hubs_hub on tele_spoke_hubs (hub_id)`.execute(db);
  await sql`
    create table tele_equipment (
      facility_id text not null references facilities(id) on delete cascade,
      kind text not null check (kind in ('desktop','webcam','headset','printer','connectivity')),
      installed integer not null default 0 check (installed >= 0),
      on_order integer not null default 0 check (on_order >= 0),
      working integer not null default 0 check (working >= 0),
      updated_at timestamptz not null default now(),
      updated_by text,
      primary key (facility_id, kind)
    )`.execute(db);
  await sql`
    create table tele_doctors (
      user_id text primary key references users(id) on delete cascade,
      hub_id text not null references facilities(id),
      hpr_id text unique,
      registration_number text,
      council text,
      specialties text[] not null,
      qualification text,
      name text not null,
      name_hi text
    )`.execute(db);
  await sql`create index tele_doctors_hub on tele_doctors (hub_id)`.execute(db);
  await sql`
    create table tele_rosters (
      id text primary key,
      hub_id text not null references facilities(id) on delete cascade,
      specialty text not null,
      user_id text not null references users(id) on delete cascade,
      weekday smallint not null check (weekday between 0 and 6),
      starts text not null check (starts ~ '^[0-2][0-9]:[0-5][0-9]$'),
      ends text not null check (ends ~ '^[0-2][0-9]:[0-5][0-9]$'),
      created_by text,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index tele_rosters_hub on tele_rosters (hub_id, specialty, weekday)`.execute(db);
  await sql`
    create table tele_duty (
      user_id text primary key references users(id) on delete cascade,
      hub_id text not null references facilities(id),
      specialty text not null,
      status text not null check (status in ('online','break','offline')),
      since timestamptz not null default now(),
      seen_at timestamptz not null default now()
    )`.execute(db);
  // Every change of a doctor's status, for utilisation (time in consultation / time online).
  await sql`
    create table tele_duty_log (
      id bigserial primary key,
      user_id text not null references users(id) on delete cascade,
      hub_id text not null,
      specialty text not null,
      status text not null,
      at timestamptz not null default now()
    )`.execute(db);
  await sql`create index tele_duty_log_user on tele_duty_log (user_id, at)`.execute(db);
  await sql`create index tele_duty_queue on tele_duty (hub_id, specialty) where status = 'online'`.execute(db);
  await sql`
    create table tele_tokens (
      hub_id text not null,
      specialty text not null,
      day date not null,
      last integer not null,
      primary key (hub_id, specialty, day)
    )`.execute(db);
  // priority: 0 emergency, 1 follow-up with this doctor, 2 elderly or pregnant, 3 everyone else.
  await sql`
    create table tele_requests (
      id text primary key,
      token integer not null,
      day date not null,
      hub_id text not null references facilities(id),
      hub_path text not null,
      specialty text not null,
      patient_id text not null references patients(id),
      channel text not null check (channel in ('spoke','home')),
      spoke_id text references facilities(id),
      spoke_path text,
      state_lgd integer,
      district_lgd integer,
      priority smallint not null check (priority between 0 and 3),
      priority_reason text,
      preferred_doctor_id text references users(id),
      complaint text,
      vitals jsonb,
      status text not null check (status in ('waiting','called','in_consultation','completed','no_show','expired','cancelled')),
      queued_at timestamptz not null default now(),
      requeues smallint not null default 0,
      called_at timestamptz,
      doctor_id text references users(id),
      started_at timestamptz,
      ended_at timestamptz,
      expires_at timestamptz not null,
      room_url text,
      access_key_hash text,
      client_seen_at timestamptz,
      requested_by text,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index tele_requests_queue on tele_requests (hub_id, specialty, priority, queued_at) where status = 'waiting'`.execute(db);
  await sql`create index tele_requests_patient on tele_requests (patient_id, created_at)`.execute(db);
  await sql`create index tele_requests_spoke on tele_requests (spoke_id, created_at)`.execute(db);
  await sql`create index tele_requests_doctor on tele_requests (doctor_id, status)`.execute(db);
  await sql`create index tele_requests_day on tele_requests (day, hub_id)`.execute(db);
  await sql`create unique index tele_requests_token on tele_requests (hub_id, specialty, day, token)`.execute(db);

  await sql`
    create table tele_consultations (
      request_id text primary key references tele_requests(id),
      patient_id text not null references patients(id),
      doctor_id text not null references users(id),
      notes text,
      diagnoses jsonb not null default '[]',
      advice text,
      follow_up_on date,
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index tele_consultations_patient on tele_consultations (patient_id)`.execute(db);
  await sql`
    create table tele_formulary (
      code text primary key,
      generic_name text not null,
      name_hi text,
      strength text not null,
      form text not null,
      active boolean not null default true
    )`.execute(db);
  await sql`
    create table tele_prescriptions (
      id text primary key,
      request_id text not null references tele_requests(id),
      patient_id text not null references patients(id),
      doctor_id text not null references users(id),
      spoke_id text references facilities(id),
      issued_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index tele_prescriptions_request on tele_prescriptions (request_id)`.execute(db);
  await sql`create index tele_prescriptions_spoke on tele_prescriptions (spoke_id, issued_at)`.execute(db);
  await sql`
    create table tele_prescription_items (
      id text primary key,
      prescription_id text not null references tele_prescriptions(id) on delete cascade,
      line smallint not null,
      formulary_code text references tele_formulary(code),
      medicine text not null,
      strength text,
      form text,
      dose text not null,
      frequency text not null,
      days integer not null check (days between 1 and 365),
      instructions text,
      dispensed_quantity integer,
      dispensed_at timestamptz,
      dispensed_by text
    )`.execute(db);
  await sql`create index tele_prescription_items_rx on tele_prescription_items (prescription_id, line)`.execute(db);
  await sql`
    create table facility_stock (
      facility_id text not null references facilities(id) on delete cascade,
      formulary_code text not null references tele_formulary(code),
      quantity integer not null check (quantity >= 0),
      updated_at timestamptz not null default now(),
      primary key (facility_id, formulary_code)
    )`.execute(db);
  await sql`
    create table referrals (
      id text primary key,
      patient_id text not null references patients(id),
      request_id text references tele_requests(id),
      from_facility_id text references facilities(id),
      from_path text,
      to_facility_id text not null references facilities(id),
      to_path text not null,
      specialty text,
      urgency text not null check (urgency in ('routine','urgent','emergency')),
      reason text not null,
      status text not null check (status in ('referred','acknowledged','arrived','seen','cancelled')),
      referred_by text not null,
      referred_at timestamptz not null default now(),
      acknowledged_at timestamptz,
      acknowledged_by text,
      arrived_at timestamptz,
      seen_at timestamptz,
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index referrals_to on referrals (to_path text_pattern_ops, status)`.execute(db);
  await sql`create index referrals_patient on referrals (patient_id)`.execute(db);
  // National consultation counts by state (as the national portal publishes them), for the ranking.
  await sql`
    create table tele_state_counts (
      state_lgd integer not null,
      state_name text not null,
      day date not null,
      consultations integer not null check (consultations >= 0),
      source text not null,
      primary key (state_lgd, day)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['tele_state_counts', 'referrals', 'facility_stock', 'tele_prescription_items', 'tele_prescriptions', 'tele_formulary',
    'tele_consultations', 'tele_requests', 'tele_tokens', 'tele_duty_log', 'tele_duty', 'tele_rosters', 'tele_doctors', 'tele_equipment',
    'tele_spoke_hubs', 'tele_hub_specialties']) {
    await sql`drop table if exists ${sql.table(t)}`.execute(db);
  }
}
