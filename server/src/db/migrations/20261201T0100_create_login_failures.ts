import { sql, type Kysely } from 'kysely';

// Sign-in failures counted in PostgreSQL, shared by every server instance. One row per key:
// (user name, address) for the lock that backs off a guesser from one address; ('', address) for the
// per-address limit; (user name, '') for all addresses together, which only tightens the per-address
// tries when a name is under attack. A row counts failures (and sign-ins still being checked) since
// `window_start`; it is incremented with one INSERT … ON CONFLICT DO UPDATE before a password is
// checked, so parallel requests cannot all get through. `login_attempts` (counted with a separate
// SELECT, then an INSERT) goes: the audit log keeps every sign-in and failed sign-in.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table login_failures (
      username text not null,
      ip text not null,
      failures integer not null check (failures >= 0),
      window_start timestamptz not null default now(),
      primary key (username, ip),
      check (username <> '' or ip <> '')
    )`.execute(db);
  await sql`create index login_failures_window on login_failures (window_start)`.execute(db);
  await sql`drop table if exists login_attempts`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists login_failures`.execute(db);
  await sql`
    create table if not exists login_attempts (
      id bigserial primary key,
      username text not null,
      ip text not null,
      success boolean not null,
      at timestamptz not null default now()
    )`.execute(db);
  await sql`create index if not exists login_attempts_username_at on login_attempts (lower(username), at)`.execute(db);
  await sql`create index if not exists login_attempts_ip_at on login_attempts (ip, at)`.execute(db);
}
