import { sql, type Kysely } from 'kysely';

// Grievance redressal (modules/grievances, issue 13): tickets, what happened to each (events, the
// citizen-visible ones marked), attachments, the officers' notices, the numbers handed to citizens,
// routing and deadlines per type, the state's working-day calendar. Rules that must hold with
// several server instances live here:
//   - a ticket number is unique (unique index), drawn from a per-district, per-month counter row
//     (an upsert, so two filings never get the same number);
//   - a resolved ticket has its resolution text (check);
//   - status moves are conditional updates `where status = <previous>` in the service, and the
//     escalation `where escalated_level = <previous>`, so a move or an escalation happens once.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table grievances (
      id text primary key,
      ticket_number text not null,
      type text not null check (type in ('service_refused', 'staff_behaviour', 'money_asked', 'medicines_not_given', 'cleanliness', 'waiting', 'ambulance_late', 'other')),
      status text not null default 'new' check (status in ('new', 'assigned', 'in_progress', 'waiting_for_citizen', 'resolved', 'closed', 'reopened')),
      level text not null check (level in ('facility', 'district', 'state')),
      source text not null check (source in ('public', 'helpline', 'help_desk')),
      language text,
      mobile text not null check (mobile ~ '^[0-9]{10}$'),
      name text,
      description text not null check (length(description) between 1 and 4000),
      facility_id text references facilities(id),
      district_id text not null references org_units(id),
      state_lgd integer,
      org_path text not null,
      helpline_call_id text,
      assigned_to text references users(id),
      escalated_level integer not null default 0,
      escalated_at timestamptz,
      first_response_due timestamptz not null,
      first_responded_at timestamptz,
      resolution_due timestamptz not null,
      extension_reason text,
      extended_at timestamptz,
      resolution text,
      resolved_at timestamptz,
      closed_at timestamptz,
      rating_satisfied boolean,
      rating_score integer check (rating_score between 1 and 5),
      rating_comment text,
      rated_at timestamptz,
      appeal_level text check (appeal_level in ('facility', 'district', 'state')),
      appeal_opened_at timestamptz,
      appeal_due timestamptz,
      appeal_decided_at timestamptz,
      created_by text references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (status not in ('resolved', 'closed') or resolution is not null or closed_at is not null)
    )`.execute(db);
  await sql`create unique index grievances_ticket_number on grievances (ticket_number)`.execute(db);
  await sql`create index grievances_path on grievances (org_path text_pattern_ops, created_at desc)`.execute(db);
  await sql`create index grievances_district_created on grievances (district_id, created_at)`.execute(db);
  await sql`create index grievances_facility_created on grievances (facility_id, created_at) where facility_id is not null`.execute(db);
  await sql`create index grievances_mobile on grievances (mobile)`.execute(db);
  // What the escalation sweep reads: open tickets by their deadlines.
  await sql`create index grievances_open_due on grievances (resolution_due) where status not in ('resolved', 'closed')`.execute(db);

  await sql`
    create table grievance_events (
      id bigint generated always as identity primary key,
      grievance_id text not null references grievances(id),
      at timestamptz not null default now(),
      kind text not null,
      text text,
      visible boolean not null,
      from_status text,
      to_status text,
      by_user text references users(id),
      by_role text,
      by_citizen boolean not null default false
    )`.execute(db);
  await sql`create index grievance_events_ticket on grievance_events (grievance_id, id)`.execute(db);

  await sql`
    create table grievance_attachments (
      id text primary key,
      grievance_id text not null references grievances(id),
      media_type text not null,
      bytes integer not null,
      sha256 text not null,
      storage_key text not null,
      title text,
      by_citizen boolean not null,
      created_by text references users(id),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index grievance_attachments_ticket on grievance_attachments (grievance_id)`.execute(db);

  await sql`
    create table grievance_sequences (
      district_id text not null references org_units(id),
      month text not null,
      last integer not null,
      primary key (district_id, month)
    )`.execute(db);

  // A row per state and type overrides the defaults in grievances.rules.ts.
  await sql`
    create table grievance_routing (
      state_lgd integer not null,
      type text not null,
      level text not null check (level in ('facility', 'district', 'state')),
      first_response_days integer not null check (first_response_days between 1 and 60),
      resolution_days integer not null check (resolution_days between 1 and 120),
      updated_by text references users(id),
      updated_at timestamptz not null default now(),
      primary key (state_lgd, type)
    )`.execute(db);

  await sql`
    create table grievance_calendars (
      state_lgd integer primary key,
      weekend_days integer[] not null default '{0,6}',
      updated_by text references users(id),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table grievance_holidays (
      state_lgd integer not null,
      day date not null,
      name text not null,
      primary key (state_lgd, day)
    )`.execute(db);

  // Short-lived access for the citizen after a code (tracking, adding information, photos, rating).
  await sql`
    create table grievance_access (
      token_hash text primary key,
      grievance_id text not null references grievances(id),
      expires_at timestamptz not null,
      created_at timestamptz not null default now()
    )`.execute(db);

  // Notices to the officers of a level (escalations, appeals): their inbox.
  await sql`
    create table grievance_notifications (
      id bigint generated always as identity primary key,
      grievance_id text not null references grievances(id),
      org_unit_id text not null references org_units(id),
      org_path text not null,
      level text not null,
      kind text not null,
      text text not null,
      at timestamptz not null default now()
    )`.execute(db);
  await sql`create index grievance_notifications_path on grievance_notifications (org_path text_pattern_ops, at desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['grievance_notifications', 'grievance_access', 'grievance_holidays', 'grievance_calendars', 'grievance_routing', 'grievance_sequences', 'grievance_attachments', 'grievance_events', 'grievances']) {
    await sql`drop table if exists ${sql.table(t)}`.execute(db);
  }
}
