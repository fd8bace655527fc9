// The only SQL of the outbox.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import type { MessageStatus, OutboxMessagesTable } from '../../db/types.outbox.js';
import type { Insertable } from 'kysely';

type Db = Kysely<Database>;

/** How long a try may hold a message before another instance may take it (the gateway times out in 10 s). */
const CLAIM_SECONDS = 60;

export async function insertMessages(db: Db, rows: Insertable<OutboxMessagesTable>[]) {
  if (rows.length) await db.insertInto('outbox_messages').values(rows).execute();
}

/**
 * Takes a message for one try: queued, or left 'sending' by an instance whose claim ran out. One
 * conditional UPDATE, so two instances (or the request and the queue) never send it both.
 */
export async function claim(db: Db, id: string) {
  return db.updateTable('outbox_messages')
    .set({ status: 'sending', attempts: sql`attempts + 1`, claimed_until: sql`now() + make_interval(secs => ${CLAIM_SECONDS})`, updated_at: sql`now()` })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'sending'), eb('claimed_until', '<', sql<Date>`now()`)])]))
    .returningAll()
    .executeTakeFirst();
}

export async function statusOf(db: Db, id: string): Promise<MessageStatus | undefined> {
  return (await db.selectFrom('outbox_messages').select('status').where('id', '=', id).executeTakeFirst())?.status;
}

export async function markSent(db: Db, id: string) {
  await db.updateTable('outbox_messages')
    .set({ status: 'sent', sent_at: sql`now()`, secrets: null, last_error: null, claimed_until: null, updated_at: sql`now()` })
    .where('id', '=', id).where('status', '=', 'sending').execute();
}

/** A try failed: back to the queue, or given up (its secrets dropped) when `final`. */
export async function markTried(db: Db, id: string, error: string, final: boolean) {
  await db.updateTable('outbox_messages')
    .set({ status: final ? 'failed' : 'queued', last_error: error.slice(0, 500), claimed_until: null, updated_at: sql`now()`, ...(final ? { secrets: null } : {}) })
    .where('id', '=', id).where('status', '=', 'sending').execute();
}

/**
 * Messages waiting (or claimed by an instance that died) for `minutes` that have no delivery job left
 * in the queue (pg-boss's jobs ran out while the message was busy elsewhere, or the queue was emptied):
 * the sweep gives them a job again.
 */
export async function orphaned(db: Db, jobsSchema: string, queue: string, minutes: number, limit: number) {
  const r = await sql<{ id: string }>`
    select m.id from outbox_messages m
    where (m.status = 'queued' or (m.status = 'sending' and m.claimed_until < now()))
      and m.updated_at < now() - make_interval(mins => ${minutes})
      and not exists (select 1 from ${sql.table(`${jobsSchema}.job`)} j where j.name = ${queue} and j.state < 'completed' and j.data->>'id' = m.id)
    order by m.created_at limit ${limit}`.execute(db);
  return r.rows;
}

export interface ListFilter {
  /** Messages of places under this path; null = all. */
  path: string | null;
  /** Also those tied to no place (public one-time codes): state-wide readers. */
  unplaced: boolean;
  status?: MessageStatus;
  channel?: 'sms' | 'email';
  aboutKind?: string;
  aboutId?: string;
  limit: number;
  offset: number;
}

function filtered(db: Db, f: ListFilter, withStatus: boolean) {
  let q = db.selectFrom('outbox_messages');
  if (f.path !== null) {
    const path = f.path;
    q = q.where((eb) => (f.unplaced ? eb.or([eb('org_path', 'like', `${path}%`), eb('org_path', 'is', null)]) : eb('org_path', 'like', `${path}%`)));
  }
  if (withStatus && f.status) q = q.where('status', '=', f.status);
  if (f.channel) q = q.where('channel', '=', f.channel);
  if (f.aboutKind) q = q.where('about_kind', '=', f.aboutKind);
  if (f.aboutId) q = q.where('about_id', '=', f.aboutId);
  return q;
}

export async function listMessages(db: Db, f: ListFilter) {
  const [items, counts] = await Promise.all([
    filtered(db, f, true).select(['id', 'channel', 'recipient', 'template', 'language', 'subject', 'text', 'status', 'attempts', 'last_error', 'expires_at', 'sent_at', 'created_at', 'updated_at', 'created_by', 'about_kind', 'about_id'])
      .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute(),
    filtered(db, f, false).select(['status', sql<number>`count(*)::int`.as('n')]).groupBy('status').execute(),
  ]);
  const summary: Record<MessageStatus, number> = { queued: 0, sending: 0, sent: 0, failed: 0 };
  for (const c of counts) summary[c.status] = Number(c.n);
  const total = f.status ? summary[f.status] : Object.values(summary).reduce((a, b) => a + b, 0);
  return { items, total, summary };
}

/** Counts by status, channel and whether tried of the messages about one thing (a reminder round, a ticket). */
export async function summaryAbout(db: Db, kind: string, id: string) {
  const rows = await db.selectFrom('outbox_messages').select(['status', 'channel', sql<boolean>`attempts > 0`.as('tried'), sql<number>`count(*)::int`.as('n')])
    .where('about_kind', '=', kind).where('about_id', '=', id).groupBy(['status', 'channel', sql`attempts > 0`]).execute();
  return rows.map((r) => ({ status: r.status, channel: r.channel, tried: !!r.tried, n: Number(r.n) }));
}

/** The latest message's status for each of these things (e.g. break-glass grants): about id → status. */
export async function statusesAbout(db: Db, kind: string, ids: string[]): Promise<Map<string, MessageStatus>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('outbox_messages').select(['about_id', 'status']).where('about_kind', '=', kind).where('about_id', 'in', ids)
    .orderBy('created_at').execute();
  return new Map(rows.map((r) => [r.about_id!, r.status]));
}
