// The only SQL of the helpline. Functions take the database or a transaction first.
import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import type { HelplineAmbulanceStatus, HelplineQueue } from '../../db/types.helpline.js';

type Db = Kysely<Database>;

export async function insertCall(db: Db, row: Insertable<Database['helpline_calls']>) {
  await db.insertInto('helpline_calls').values(row).execute();
}

export async function insertTransfer(db: Db, row: Insertable<Database['helpline_transfers']>) {
  await db.insertInto('helpline_transfers').values(row).execute();
}

/** Records what became of an ambulance call: sent on to dispatch, or waiting for a place (and why). */
export async function setAmbulance(db: Db, id: string, s: { status: HelplineAmbulanceStatus; dispatchCallId?: string | null; problem?: string | null; place?: { latitude: number | null; longitude: number | null; villageId: string | null } }) {
  await db.updateTable('helpline_calls').set({
    ambulance_status: s.status, dispatch_call_id: s.dispatchCallId ?? null, ambulance_problem: s.problem ?? null, updated_at: sql`now()`,
    ...(s.place ? { latitude: s.place.latitude, longitude: s.place.longitude, village_id: s.place.villageId } : {}),
  }).where('id', '=', id).execute();
}

/**
 * An ambulance call waiting for a place is taken for passing to dispatch by one request: the update
 * applies only while it waits (or was left pending over a minute ago by a request that failed midway).
 */
export async function takeForDispatch(db: Db, id: string): Promise<boolean> {
  const r = await db.updateTable('helpline_calls').set({ ambulance_status: 'pending', updated_at: sql`now()` })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('ambulance_status', '=', 'awaiting_place'), eb.and([eb('ambulance_status', '=', 'pending'), eb('updated_at', '<', sql<Date>`now() - interval '1 minute'`)])]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

function callQuery(db: Db) {
  return db.selectFrom('helpline_calls as c')
    .innerJoin('users as u', 'u.id', 'c.agent_id')
    .leftJoin('helpline_transfers as t', 't.call_id', 'c.id')
    .selectAll('c')
    .select(['u.username as agent_username', 'u.display_name as agent_name', 't.id as transfer_id', 't.queue as transfer_queue', 't.status as transfer_status']);
}
export type CallRow = Awaited<ReturnType<ReturnType<typeof callQuery>['executeTakeFirstOrThrow']>>;

export const loadCall = (db: Db, id: string) => callQuery(db).where('c.id', '=', id).executeTakeFirst();

/** Calls of a state, newest first; only one agent's, or only ambulance calls still waiting for a place, when asked. */
export async function listCalls(db: Db, statePath: string, q: { agentId?: string; waiting?: boolean; limit: number; offset: number }) {
  let base = db.selectFrom('helpline_calls as c').where('c.state_path', '=', statePath);
  if (q.agentId) base = base.where('c.agent_id', '=', q.agentId);
  if (q.waiting) base = base.where('c.ambulance_status', 'in', ['pending', 'awaiting_place']);
  const ids = base.select('c.id');
  const rows = await callQuery(db).where('c.id', 'in', ids.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').limit(q.limit).offset(q.offset))
    .orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').execute();
  const { n } = await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return { rows, total: Number(n) };
}

function transferQuery(db: Db) {
  return db.selectFrom('helpline_transfers as t')
    .innerJoin('helpline_calls as c', 'c.id', 't.call_id')
    .leftJoin('users as u', 'u.id', 't.claimed_by')
    .selectAll('t')
    .select(['c.language', 'c.category', 'c.protocol', 'c.disposition', 'c.red_flags', 'c.caller_mobile', 'u.username as claimed_username', 'u.display_name as claimed_name']);
}
export type TransferRow = Awaited<ReturnType<ReturnType<typeof transferQuery>['executeTakeFirstOrThrow']>>;

export const loadTransfer = (db: Db, id: string) => transferQuery(db).where('t.id', '=', id).executeTakeFirst();

/** Calls waiting in the given queues of a state, the most urgent disposition first, then the longest waiting. */
export async function waitingTransfers(db: Db, statePath: string, queues: HelplineQueue[]) {
  return transferQuery(db).where('t.state_path', '=', statePath).where('t.status', '=', 'waiting').where('t.queue', 'in', queues)
    .orderBy(sql`case c.disposition when 'emergency' then 0 when 'doctor_today' then 1 else 2 end`).orderBy('t.created_at').orderBy('t.id')
    .limit(200).execute();
}

/** Calls one person picked up and has not closed. */
export async function claimedBy(db: Db, userId: string) {
  return transferQuery(db).where('t.claimed_by', '=', userId).where('t.status', '=', 'claimed').orderBy('t.claimed_at').limit(200).execute();
}

/**
 * Picks up a waiting call: the update applies only where the transfer is still waiting (in a queue
 * and state the caller may take), so of two pick-ups at once one updates the row and the other finds
 * it claimed (PostgreSQL re-checks the condition on the row the first one changed). True for the winner.
 */
export async function claimTransfer(db: Db, id: string, userId: string, statePath: string, queues: HelplineQueue[]): Promise<boolean> {
  const r = await db.updateTable('helpline_transfers').set({ status: 'claimed', claimed_by: userId, claimed_at: sql`now()` })
    .where('id', '=', id).where('status', '=', 'waiting').where('state_path', '=', statePath).where('queue', 'in', queues).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Closes a picked-up call, by the one who picked it up only. */
export async function closeTransfer(db: Db, id: string, userId: string, note: string): Promise<boolean> {
  const r = await db.updateTable('helpline_transfers').set({ status: 'closed', closed_at: sql`now()`, closing_note: note })
    .where('id', '=', id).where('status', '=', 'claimed').where('claimed_by', '=', userId).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertOutbound(db: Db, row: Insertable<Database['helpline_outbound_calls']>) {
  return db.insertInto('helpline_outbound_calls').values(row).returning(['id', 'created_at']).executeTakeFirstOrThrow();
}

/** The latest outbound call per pregnancy among `ids`. */
export async function lastOutbound(db: Db, ids: string[]) {
  if (!ids.length) return new Map<string, { result: string; created_at: Date; note: string | null }>();
  const rows = await db.selectFrom('helpline_outbound_calls').select(['pregnancy_id', 'result', 'created_at', 'note'])
    .distinctOn('pregnancy_id').where('pregnancy_id', 'in', ids).orderBy('pregnancy_id').orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  return new Map(rows.map((r) => [r.pregnancy_id!, r]));
}
