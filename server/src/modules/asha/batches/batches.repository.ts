// The SQL of payment batches. A batch takes its block's claims in one conditional UPDATE (status
// approved or failed → batched), so claims taken by a batch made at the same moment are not taken
// again; asha_batch_claims' partial unique index (one pending row per claim) holds it in the database.
import { sql } from 'kysely';
import type { Db } from '../asha.service.js';

/** ASHAs with claims waiting for a batch in a block up to a claim month, with their account details. */
export async function waiting(db: Db, blockId: string, month: string) {
  const { rows } = await sql<{ asha_id: string; name: string; bank_account: string | null; ifsc: string | null; claims: number; amount: number }>`
    select w.id as asha_id, w.name, w.bank_account, w.ifsc, count(*)::int as claims, sum(c.amount)::int as amount
    from asha_claims c join asha_workers w on w.id = c.asha_id
    where c.block_id = ${blockId} and c.status in ('approved', 'failed') and c.claim_month <= ${month}
    group by w.id, w.name, w.bank_account, w.ifsc`.execute(db);
  return rows;
}

export async function insertBatch(db: Db, b: { id: string; blockId: string; blockPath: string; month: string; by: string }) {
  return db.insertInto('asha_batches').values({ id: b.id, block_id: b.blockId, block_path: b.blockPath, month: b.month, created_by: b.by, held_back: '[]' })
    .onConflict((oc) => oc.columns(['block_id', 'month']).where('status', '=', 'open').doNothing()).returning('id').executeTakeFirst();
}

/** Takes the waiting claims of the given ASHAs into the batch, makes its rows (one per ASHA and fund source) and links each claim to its row. */
export async function fill(db: Db, batchId: string, blockId: string, month: string, ashaIds: string[]) {
  if (!ashaIds.length) return { rows: 0, total: 0 };
  await sql`update asha_claims set status = 'batched', batch_id = ${batchId}, status_at = now()
    where block_id = ${blockId} and status in ('approved', 'failed') and claim_month <= ${month} and asha_id = any(${ashaIds}::text[])`.execute(db);
  await sql`insert into asha_batch_rows (batch_id, reference, asha_id, fund_source, amount, claims, bank_account, ifsc)
    select ${batchId}, ${batchId} || '-' || lpad((row_number() over (order by w.name, w.id, c.fund_source))::text, 5, '0'), c.asha_id, c.fund_source, sum(c.amount)::int, count(*)::int, w.bank_account, w.ifsc
    from asha_claims c join asha_workers w on w.id = c.asha_id
    where c.batch_id = ${batchId} and c.status = 'batched'
    group by c.asha_id, c.fund_source, w.name, w.id, w.bank_account, w.ifsc`.execute(db);
  await sql`insert into asha_batch_claims (batch_id, reference, claim_id)
    select c.batch_id, r.reference, c.id from asha_claims c
    join asha_batch_rows r on r.batch_id = c.batch_id and r.asha_id = c.asha_id and r.fund_source = c.fund_source
    where c.batch_id = ${batchId} and c.status = 'batched'`.execute(db);
  const { rows } = await sql<{ rows: number; total: number }>`select count(*)::int as rows, coalesce(sum(amount), 0)::int as total from asha_batch_rows where batch_id = ${batchId}`.execute(db);
  return rows[0];
}

export async function finish(db: Db, batchId: string, total: number, rowCount: number, heldBack: unknown) {
  await db.updateTable('asha_batches').set({ total, row_count: rowCount, held_back: JSON.stringify(heldBack) }).where('id', '=', batchId).execute();
}

export const batchById = (db: Db, id: string) => db.selectFrom('asha_batches as b').innerJoin('org_units as o', 'o.id', 'b.block_id')
  .selectAll('b').select(['o.name as block_name']).where('b.id', '=', id).executeTakeFirst();

export const batchesUnder = (db: Db, path: string) => db.selectFrom('asha_batches as b').innerJoin('org_units as o', 'o.id', 'b.block_id')
  .selectAll('b').select(['o.name as block_name']).where('b.block_path', 'like', `${path.replace(/[\\%_]/g, '\\$&')}%`).orderBy('b.created_at', 'desc').limit(200).execute();

export const rowsOf = (db: Db, batchId: string) => db.selectFrom('asha_batch_rows as r').innerJoin('asha_workers as w', 'w.id', 'r.asha_id')
  .selectAll('r').select(['w.name', 'w.mobile', 'w.name_hi']).where('r.batch_id', '=', batchId).orderBy('r.reference').execute();

/** Marks one pending row of the batch paid or failed, with its claims; null when the row is not pending in this batch. */
export async function settleRow(db: Db, batchId: string, reference: string, paid: boolean, o: { utr: string | null; reason: string | null; on: string }) {
  const row = await db.updateTable('asha_batch_rows').set({ status: paid ? 'paid' : 'failed', utr: o.utr, reason: o.reason, returned_at: new Date() })
    .where('batch_id', '=', batchId).where('reference', '=', reference).where('status', '=', 'pending').returning(['asha_id', 'amount', 'fund_source']).executeTakeFirst();
  if (!row) return null;
  await sql`update asha_claims c set status = ${paid ? 'paid' : 'failed'}, status_at = now(), paid_on = ${paid ? o.on : null}, utr = ${o.utr}, fail_reason = ${paid ? null : o.reason}
    from asha_batch_claims bc where bc.batch_id = ${batchId} and bc.reference = ${reference} and bc.claim_id = c.id and c.status = 'batched'`.execute(db);
  await sql`update asha_batch_claims set pending = false where batch_id = ${batchId} and reference = ${reference}`.execute(db);
  return row;
}

export async function closeIfDone(db: Db, batchId: string) {
  await sql`update asha_batches set status = 'closed', closed_at = now() where id = ${batchId} and status = 'open'
    and not exists (select 1 from asha_batch_rows where batch_id = ${batchId} and status = 'pending')`.execute(db);
}

/** Per ASHA of a batch's paid rows: the claim months paid, to tell her. */
export async function paidMonths(db: Db, batchId: string, references: string[]) {
  if (!references.length) return [];
  const { rows } = await sql<{ asha_id: string; mobile: string; month: string; amount: number; account: string }>`
    select c.asha_id, w.mobile, c.claim_month as month, sum(c.amount)::int as amount, w.bank_account as account
    from asha_batch_claims bc join asha_claims c on c.id = bc.claim_id join asha_workers w on w.id = c.asha_id
    where bc.batch_id = ${batchId} and bc.reference = any(${references}::text[]) and c.status = 'paid'
    group by c.asha_id, w.mobile, c.claim_month, w.bank_account`.execute(db);
  return rows;
}
