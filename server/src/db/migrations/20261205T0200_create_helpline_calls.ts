import { sql, type Kysely } from 'kysely';

// The 104 health helpline's calls (modules/helpline, issue 13 part 1):
//   - helpline_calls: each call an agent logs (caller, language, category, the symptom protocol's
//     red flags and the disposition the server worked out from them, advice, outcome), and for an
//     ambulance call the dispatch call it became or why it waits (ambulance_status);
//   - helpline_transfers: a transferred call waiting in the doctors' or counsellors' queue; one
//     transfer per call; a pick-up moves it from waiting to claimed only where it is still waiting
//     (a conditional update), so two pick-ups at once leave one winner;
//   - helpline_outbound_calls: calls made from a list (pregnancies due this week) with their result.
// Every row carries its state's path (state_path) so that a state sees only its own.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table helpline_calls (
      id text primary key,
      state_path text not null,
      agent_id text not null references users(id),
      caller_mobile text not null check (caller_mobile ~ '^[0-9+]{6,15}$'),
      caller_name text check (length(caller_name) <= 100),
      patient_id text references patients(id),
      caller_known boolean not null default false,
      language text not null check (language ~ '^[a-z]{2,3}$'),
      category text not null check (category in ('medical_advice', 'counselling', 'information', 'complaint', 'ambulance', 'other')),
      protocol text,
      answers jsonb,
      red_flags text[] not null default '{}',
      disposition text check (disposition in ('self_care', 'visit_phc', 'doctor_today', 'emergency')),
      advice text check (length(advice) <= 2000),
      notes text check (length(notes) <= 2000),
      outcome text not null check (outcome in ('resolved', 'transferred', 'dropped')),
      latitude double precision check (latitude between -90 and 90),
      longitude double precision check (longitude between -180 and 180),
      village_id text references org_units(id),
      complaint text check (length(complaint) <= 500),
      ambulance_status text check (ambulance_status in ('pending', 'dispatched', 'awaiting_place')),
      ambulance_problem text,
      dispatch_call_id text references dispatch_calls(id),
      duration_seconds integer check (duration_seconds between 0 and 86400),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((category = 'medical_advice') = (protocol is not null) and (protocol is null) = (disposition is null)),
      check ((category = 'ambulance') = (ambulance_status is not null))
    )`.execute(db);
  await sql`create index helpline_calls_state_created on helpline_calls (state_path, created_at desc)`.execute(db);
  await sql`create index helpline_calls_agent_created on helpline_calls (agent_id, created_at desc)`.execute(db);
  await sql`create index helpline_calls_waiting_place on helpline_calls (state_path) where ambulance_status in ('pending', 'awaiting_place')`.execute(db);
  await sql`
    create table helpline_transfers (
      id text primary key,
      call_id text not null unique references helpline_calls(id),
      state_path text not null,
      queue text not null check (queue in ('doctor', 'counsellor')),
      status text not null default 'waiting' check (status in ('waiting', 'claimed', 'closed')),
      reason text check (length(reason) <= 500),
      claimed_by text references users(id),
      claimed_at timestamptz,
      closed_at timestamptz,
      closing_note text check (length(closing_note) <= 2000),
      created_at timestamptz not null default now(),
      check ((status = 'waiting') = (claimed_by is null))
    )`.execute(db);
  await sql`create index helpline_transfers_waiting on helpline_transfers (state_path, queue, created_at) where status = 'waiting'`.execute(db);
  await sql`create index helpline_transfers_claimed_by on helpline_transfers (claimed_by) where status = 'claimed'`.execute(db);
  await sql`
    create table helpline_outbound_calls (
      id text primary key,
      state_path text not null,
      agent_id text not null references users(id),
      list text not null check (list in ('pregnancies_due')),
      pregnancy_id text references pregnancies(id),
      patient_id text references patients(id),
      result text not null check (result in ('reached', 'not_reached', 'switched_off', 'wrong_number', 'call_back', 'refused')),
      note text check (length(note) <= 1000),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index helpline_outbound_pregnancy on helpline_outbound_calls (pregnancy_id, created_at desc)`.execute(db);
  // The outbound list (patients.maternal.ts pregnanciesDue) reads open pregnancies by LMP.
  await sql`create index if not exists pregnancies_open_lmp on pregnancies (lmp) where status = 'open'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists pregnancies_open_lmp`.execute(db);
  await sql`drop table if exists helpline_outbound_calls`.execute(db);
  await sql`drop table if exists helpline_transfers`.execute(db);
  await sql`drop table if exists helpline_calls`.execute(db);
}
