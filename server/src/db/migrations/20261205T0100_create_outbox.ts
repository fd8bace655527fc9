import { sql, type Kysely } from 'kysely';

// One outbox for every SMS and e-mail the system sends (platform/outbox): a message is written in the
// same transaction as the change it tells of, delivered after commit, retried through the job queue
// (pg-boss, schema pgboss) until sent or given up, and kept as the record of what was sent to whom.
// Secrets (one-time codes) are kept apart from the text, which holds a placeholder, and are cleared
// once the message is sent or given up.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table outbox_messages (
      id text primary key,
      channel text not null check (channel in ('sms', 'email')),
      recipient text not null,
      template text not null,
      language text not null check (language in ('hi', 'en', 'both')),
      subject text,
      text text not null,
      secrets jsonb,
      status text not null default 'queued' check (status in ('queued', 'sending', 'sent', 'failed')),
      attempts integer not null default 0,
      last_error text,
      claimed_until timestamptz,
      expires_at timestamptz,
      sent_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      created_by text,
      about_kind text,
      about_id text,
      org_path text,
      check (status <> 'sent' or sent_at is not null)
    )`.execute(db);
  await sql`create index outbox_messages_created on outbox_messages (created_at desc, id)`.execute(db);
  await sql`create index outbox_messages_about on outbox_messages (about_kind, about_id)`.execute(db);
  await sql`create index outbox_messages_place on outbox_messages (org_path text_pattern_ops, created_at desc)`.execute(db);
  await sql`create index outbox_messages_open on outbox_messages (status, created_at) where status in ('queued', 'sending')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists outbox_messages`.execute(db);
}
