import { sql, type Kysely } from 'kysely';

// Org units (geography and facilities share one id space, as DHIS2 organisation units do),
// users, sessions, login attempts and the audit log.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`
    create table org_units (
      id text primary key,
      level text not null check (level in ('country','state','district','block','panchayat','village','facility')),
      lgd_code integer,
      code text unique,
      name text not null,
      name_hi text,
      parent_id text references org_units(id),
      path text not null unique,
      state_lgd integer,
      opened_on date,
      closed_on date,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index org_units_level_lgd on org_units (level, lgd_code) where lgd_code is not null`.execute(db);
  await sql`create index org_units_path on org_units (path text_pattern_ops)`.execute(db);
  await sql`create index org_units_parent on org_units (parent_id)`.execute(db);
  await sql`create index org_units_lgd on org_units (lgd_code)`.execute(db);

  await sql`
    create table users (
      id text primary key,
      username text not null,
      password_hash text not null,
      role text not null,
      org_unit_id text not null references org_units(id),
      display_name text,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      created_by text
    )`.execute(db);
  await sql`create unique index users_username on users (lower(username))`.execute(db);

  await sql`
    create table sessions (
      token_hash text primary key,
      user_id text not null references users(id) on delete cascade,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      revoked_at timestamptz
    )`.execute(db);
  await sql`create index sessions_user on sessions (user_id)`.execute(db);

  await sql`
    create table login_attempts (
      id bigserial primary key,
      username text not null,
      ip text not null,
      success boolean not null,
      at timestamptz not null default now()
    )`.execute(db);
  await sql`create index login_attempts_username_at on login_attempts (lower(username), at)`.execute(db);
  await sql`create index login_attempts_ip_at on login_attempts (ip, at)`.execute(db);

  await sql`
    create table audit_log (
      id bigserial primary key,
      at timestamptz not null default now(),
      actor_id text,
      actor_username text,
      action text not null,
      entity text not null,
      entity_id text,
      org_unit_path text,
      purpose text,
      ip text,
      before jsonb,
      after jsonb
    )`.execute(db);
  await sql`create index audit_log_at on audit_log (at)`.execute(db);
  await sql`create index audit_log_entity on audit_log (entity, entity_id)`.execute(db);
  await sql`create index audit_log_actor on audit_log (actor_id, at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['audit_log', 'login_attempts', 'sessions', 'users', 'org_units']) {
    await sql`drop table if exists ${sql.table(t)} cascade`.execute(db);
  }
}
