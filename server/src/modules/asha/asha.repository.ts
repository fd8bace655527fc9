// The SQL of ASHA incentives (register, catalogue, claims). Batches keep theirs in batches.repository.ts.
import { sql, type Insertable } from 'kysely';
import type { AshaClaimsTable, AshaVillagesTable, AshaWorkersTable } from '../../db/types.js';
import type { Db } from './asha.service.js';

export const unitById = (db: Db, id: string) => db.selectFrom('org_units').selectAll().where('id', '=', id).executeTakeFirst();

/** The block a path lies in (its ancestor of level block), or undefined. */
export function blockOfPath(db: Db, path: string) {
  const ids = path.split('/').filter(Boolean);
  return db.selectFrom('org_units').selectAll().where('id', 'in', ids.length ? ids : ['-']).where('level', '=', 'block').executeTakeFirst();
}

export const settings = (db: Db, stateLgd: number) => db.selectFrom('asha_settings').selectAll().where('state_lgd', '=', stateLgd).executeTakeFirst();

export const activeWorkerByMobile = (db: Db, mobile: string) =>
  db.selectFrom('asha_workers').select('id').where('mobile', '=', mobile).where('active_to', 'is', null).executeTakeFirst();
export const usernameTaken = async (db: Db, name: string) =>
  !!(await db.selectFrom('users').select('id').where(sql<string>`lower(username)`, '=', name.toLowerCase()).executeTakeFirst());

export async function insertWorker(db: Db, w: Insertable<AshaWorkersTable>, villages: AshaVillagesTable[]) {
  await db.insertInto('asha_workers').values(w).execute();
  if (villages.length) await db.insertInto('asha_villages').values(villages).execute();
}

export const workerByUser = (db: Db, userId: string) => db.selectFrom('asha_workers').selectAll().where('user_id', '=', userId).executeTakeFirst();
export const workerById = (db: Db, id: string) => db.selectFrom('asha_workers').selectAll().where('id', '=', id).executeTakeFirst();

export function listWorkers(db: Db, q: { path: string; q?: string; after?: string; limit: number }) {
  let query = db.selectFrom('asha_workers as w').innerJoin('users as u', 'u.id', 'w.user_id').innerJoin('org_units as s', 's.id', 'w.sub_centre_id')
    .select(['w.id', 'w.name', 'w.name_hi', 'w.mobile', 'u.username', 'w.sub_centre_id', 's.name as sub_centre_name', 'w.bank_account', 'w.ifsc', 'w.active_from', 'w.active_to', 'w.block_id'])
    .where((eb) => eb.or([eb('w.sub_centre_path', 'like', `${q.path.replace(/[\\%_]/g, '\\$&')}%`), eb('w.block_path', 'like', `${q.path.replace(/[\\%_]/g, '\\$&')}%`)]));
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, '\\$&')}%`;
    query = query.where((eb) => eb.or([eb('w.name', 'ilike', like), eb('w.name_hi', 'ilike', like), eb('w.mobile', 'like', like)]));
  }
  if (q.after) {
    const [name, id] = q.after.split('\u0001');
    query = query.where((eb) => eb.or([eb('w.name', '>', name), eb.and([eb('w.name', '=', name), eb('w.id', '>', id ?? '')])]));
  }
  return query.orderBy('w.name').orderBy('w.id').limit(q.limit).execute();
}

export function villagesOf(db: Db, ashaIds: string[]) {
  if (!ashaIds.length) return Promise.resolve([]);
  return db.selectFrom('asha_villages as v').innerJoin('org_units as o', 'o.id', 'v.village_id')
    .select(['v.asha_id', 'v.village_id', 'o.path as village_path', 'o.name']).where('v.asha_id', 'in', ashaIds).orderBy('o.name').execute();
}

// ---- catalogue ---------------------------------------------------------------------------------------

/**
 * Every activity with the rate in force on `day` in a state (activities with no rate yet in force are
 * left out): the latest version from that day or before among the state's own (state_lgd) and the
 * national ones (0); on the same day the state's own wins. `stateLgd` 0 or null: national rates only.
 */
export function activitiesOn(db: Db, day: string, code?: string, stateLgd?: number | null) {
  const states = stateLgd ? [0, stateLgd] : [0];
  let q = db.selectFrom('asha_activities as a')
    .innerJoinLateral((eb) => eb.selectFrom('asha_rates as r').select(['r.amount', 'r.effective_from', 'r.state_lgd']).whereRef('r.activity_code', '=', 'a.code')
      .where('r.state_lgd', 'in', states).where('r.effective_from', '<=', day).orderBy('r.effective_from', 'desc').orderBy('r.state_lgd', 'desc').limit(1).as('r'), (j) => j.onTrue())
    .selectAll('a').select(['r.amount', 'r.effective_from', 'r.state_lgd as rate_state_lgd']);
  if (code) q = q.where('a.code', '=', code);
  return q.orderBy('a.sort_order').execute();
}
export const activity = (db: Db, code: string) => db.selectFrom('asha_activities').selectAll().where('code', '=', code).executeTakeFirst();
/** A rate version of a state (its LGD code) or national (0); undefined when that state already has one from that day. */
export async function insertRate(db: Db, code: string, stateLgd: number, effectiveFrom: string, amount: number, by: string) {
  return db.insertInto('asha_rates').values({ activity_code: code, state_lgd: stateLgd, effective_from: effectiveFrom, amount, created_by: by })
    .onConflict((oc) => oc.columns(['activity_code', 'state_lgd', 'effective_from']).doNothing()).returning('amount').executeTakeFirst();
}

// ---- claims ---------------------------------------------------------------------------------------------

export const claimByClientId = (db: Db, clientId: string) => db.selectFrom('asha_claims').selectAll().where('client_id', '=', clientId).executeTakeFirst();
export const claimById = (db: Db, id: string) => db.selectFrom('asha_claims').selectAll().where('id', '=', id).executeTakeFirst();

export async function insertClaim(db: Db, c: Insertable<AshaClaimsTable>) {
  return db.insertInto('asha_claims').values(c).onConflict((oc) => oc.column('client_id').doNothing()).returning('id').executeTakeFirst();
}

/** Earlier live (not rejected) claims of an activity for a beneficiary (and pregnancy), with who made them. */
export function claimsForBeneficiary(db: Db, code: string, patientId: string, pregnancy: string | null, exceptId?: string) {
  let q = db.selectFrom('asha_claims').select(['id', 'asha_id', 'done_on', 'pregnancy_number']).where('activity_code', '=', code)
    .where('beneficiary_patient_id', '=', patientId).where('status', '<>', 'rejected');
  if (pregnancy) q = q.where((eb) => eb.or([eb('pregnancy_number', '=', pregnancy), eb('pregnancy_number', 'is', null)]));
  if (exceptId) q = q.where('id', '<>', exceptId);
  return q.execute();
}
export async function countInMonth(db: Db, ashaId: string, code: string, month: string, exceptId?: string) {
  let q = db.selectFrom('asha_claims').select(sql<number>`count(*)::int`.as('n')).where('asha_id', '=', ashaId).where('activity_code', '=', code)
    .where('claim_month', '=', month).where('status', '<>', 'rejected');
  if (exceptId) q = q.where('id', '<>', exceptId);
  return Number((await q.executeTakeFirst())?.n ?? 0);
}

const claimColumns = ['c.id', 'c.client_id', 'c.asha_id', 'w.name as asha_name', 'c.activity_code', 'a.name_en', 'a.name_hi', 'c.beneficiary_patient_id', 'c.pregnancy_number',
  'c.done_on', 'c.claim_month', 'c.amount', 'c.fund_source', 'c.status', 'c.flags', 'c.approve_note', 'c.reject_reason', 'c.batch_id', 'c.paid_on', 'c.utr',
  'c.submitted_at', 'c.escalated_level', 'c.sub_centre_path'] as const;
const claimsJoined = (db: Db) => db.selectFrom('asha_claims as c').innerJoin('asha_activities as a', 'a.code', 'c.activity_code').innerJoin('asha_workers as w', 'w.id', 'c.asha_id');
export type ClaimRow = Awaited<ReturnType<typeof claimsOfAsha>>[number];

export const claimsOfAsha = (db: Db, ashaId: string) =>
  claimsJoined(db).select(claimColumns).where('c.asha_id', '=', ashaId).orderBy('c.done_on', 'desc').orderBy('c.id').limit(1000).execute();
export const claimJoined = (db: Db, id: string) => claimsJoined(db).select(claimColumns).where('c.id', '=', id).executeTakeFirst();

export function claimsInArea(db: Db, q: { path: string; statuses?: string[]; blockId?: string; after?: string; limit: number }) {
  let query = claimsJoined(db).select(claimColumns).where('c.sub_centre_path', 'like', `${q.path.replace(/[\\%_]/g, '\\$&')}%`);
  if (q.statuses?.length) query = query.where('c.status', 'in', q.statuses as any);
  if (q.blockId) query = query.where('c.block_id', '=', q.blockId);
  if (q.after) query = query.where('c.id', '>', q.after);
  return query.orderBy('c.id').limit(q.limit).execute();
}

/** A conditional move: only when the claim is still in one of `from` (a parallel move makes this update nothing). */
export async function moveClaim(db: Db, id: string, from: string[], set: Record<string, unknown>) {
  const r = await db.updateTable('asha_claims').set(set as any).where('id', '=', id).where('status', 'in', from as any).returning(['id', 'status']).executeTakeFirst();
  return r ?? null;
}

// ---- escalation notices ------------------------------------------------------------------------------

const likePrefix = (path: string) => `${path.replace(/[\\%_]/g, '\\$&')}%`;

/** Notices of `levels` under `path`, newest first, with their claim and whether `userId` has seen each. */
export function noticesIn(db: Db, q: { path: string; levels: string[]; userId: string; before?: string; unseen: boolean; limit: number }) {
  let query = db.selectFrom('asha_notices as n').innerJoin('asha_claims as c', 'c.id', 'n.claim_id').innerJoin('asha_activities as a', 'a.code', 'c.activity_code')
    .innerJoin('asha_workers as w', 'w.id', 'c.asha_id')
    .leftJoin('asha_notice_reads as r', (j) => j.onRef('r.notice_id', '=', 'n.id').on('r.user_id', '=', q.userId))
    .select([sql<string>`n.id::text`.as('id'), 'n.level', 'n.text', 'n.at', 'n.claim_id', 'c.status', 'c.status_at', 'c.activity_code', 'a.name_en', 'a.name_hi', 'c.amount',
      'c.claim_month', 'w.name as asha_name', 'w.name_hi as asha_name_hi', 'r.seen_at'])
    .where('n.org_path', 'like', likePrefix(q.path)).where('n.level', 'in', q.levels);
  if (q.before && /^[0-9]{1,18}$/.test(q.before)) query = query.where(sql<boolean>`n.id < ${q.before}::bigint`);
  if (q.unseen) query = query.where('r.notice_id', 'is', null);
  return query.orderBy('n.id', 'desc').limit(q.limit).execute();
}

/** The notice, if it is of one of `levels` and under `path`. */
export function noticeIn(db: Db, id: string, path: string, levels: string[]) {
  if (!/^[0-9]{1,18}$/.test(id)) return Promise.resolve(undefined);
  return db.selectFrom('asha_notices').select(sql<string>`id::text`.as('id')).where(sql<boolean>`id = ${id}::bigint`)
    .where('org_path', 'like', likePrefix(path)).where('level', 'in', levels).executeTakeFirst();
}

export async function markNoticeSeen(db: Db, noticeId: string, userId: string, at: Date) {
  await db.insertInto('asha_notice_reads').values({ notice_id: noticeId, user_id: userId, seen_at: at })
    .onConflict((oc) => oc.columns(['notice_id', 'user_id']).doNothing()).execute();
}
