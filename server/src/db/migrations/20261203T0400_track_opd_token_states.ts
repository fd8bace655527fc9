import { sql, type Kysely } from 'kysely';

// An OPD token is worked through the day: waiting → called → with_doctor → done, or absent (from
// waiting or called; an absent token can be recalled to waiting). Each row keeps when it last
// entered each state and who made the last change; the audit log keeps every change.
//
// The old states are renamed: 'seen' (a visit was recorded against the token) is now 'done', and
// 'left' is now 'absent'. PostgreSQL holds the list of states; the services move a token from one
// state to the next with a conditional update, so two counters never both call one token.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table opd_registrations drop constraint if exists opd_registrations_status_check`.execute(db);
  await sql`
    alter table opd_registrations
      add column if not exists called_at timestamptz,
      add column if not exists with_doctor_at timestamptz,
      add column if not exists done_at timestamptz,
      add column if not exists absent_at timestamptz,
      add column if not exists recalled_at timestamptz,
      add column if not exists status_at timestamptz,
      add column if not exists status_by text`.execute(db);
  await sql`update opd_registrations set status = 'done', done_at = coalesce(done_at, created_at) where status = 'seen'`.execute(db);
  await sql`update opd_registrations set status = 'absent', absent_at = coalesce(absent_at, created_at) where status = 'left'`.execute(db);
  await sql`update opd_registrations set status_at = created_at where status_at is null`.execute(db);
  await sql`
    alter table opd_registrations add constraint opd_registrations_status_check
      check (status in ('waiting', 'called', 'with_doctor', 'done', 'absent'))`.execute(db);
  // A state's time is there once the token has reached it.
  await sql`
    alter table opd_registrations add constraint opd_registrations_state_times
      check ((status <> 'called' or called_at is not null) and (status <> 'with_doctor' or with_doctor_at is not null)
        and (status <> 'done' or done_at is not null) and (status <> 'absent' or absent_at is not null))`.execute(db);
  // The counter screen reads one facility's day, by state.
  await sql`create index if not exists opd_registrations_queue on opd_registrations (facility_id, day, status, token)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists opd_registrations_queue`.execute(db);
  await sql`alter table opd_registrations drop constraint if exists opd_registrations_state_times`.execute(db);
  await sql`alter table opd_registrations drop constraint if exists opd_registrations_status_check`.execute(db);
  await sql`update opd_registrations set status = case status when 'done' then 'seen' when 'absent' then 'left' when 'with_doctor' then 'called' else status end`.execute(db);
  await sql`alter table opd_registrations add constraint opd_registrations_status_check check (status in ('waiting', 'called', 'seen', 'left'))`.execute(db);
  await sql`
    alter table opd_registrations
      drop column if exists called_at, drop column if exists with_doctor_at, drop column if exists done_at,
      drop column if exists absent_at, drop column if exists recalled_at, drop column if exists status_at, drop column if exists status_by`.execute(db);
}
