// Payment batches of a block and month (the block accountant): the approved claims of the month's
// window and earlier, and those whose payment failed in an earlier batch, summed per ASHA and fund
// source into rows the bank pays. An ASHA with no account or a wrong IFSC is held back with the reason
// (her claims wait for the next batch) and the batch goes ahead without her. The bank's return file
// marks each row paid or failed; failed claims go into the next batch; an ASHA whose month is paid is
// told by SMS through the outbox.
import { requirePermission, type Actor } from '../../../platform/actor.js';
import { recordAudit } from '../../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound } from '../../../platform/errors.js';
import { uid } from '../../../platform/ids.js';
import type { Outbox } from '../../../platform/outbox/index.js';
import { todayIst } from '../../../platform/periods.js';
import { parseCsv } from '../asha.import.js';
import { inTransaction } from '../../../db/transaction.js';
import { maskAccount } from '../../../platform/bank.js';
import { accountProblem, actingArea, blockIn, ifscProblem, KNOWN_BANKS, requireAny, type Db } from '../asha.service.js';
import { paymentFile } from './batches.file.js';
import * as repo from './batches.repository.js';

type BatchRow = NonNullable<Awaited<ReturnType<typeof repo.batchById>>>;
const dto = (b: BatchRow) => ({
  id: b.id, block: { id: b.block_id, name: b.block_name }, month: b.month, status: b.status, total: Number(b.total), rows: Number(b.row_count),
  heldBack: (typeof b.held_back === 'string' ? JSON.parse(b.held_back) : b.held_back) as { ashaId: string; name: string; reason: string }[],
  createdAt: b.created_at.toISOString(),
});

export async function createBatch(db: Db, actor: Actor, input: { block: string; month: string }, opts: { banks?: readonly string[] } = {}) {
  requirePermission(actor, 'can_pay_asha');
  const block = await blockIn(db, actor, input.block);
  const banks = opts.banks ?? KNOWN_BANKS;
  const id = uid();
  const made = await inTransaction(db, async (trx) => {
    if (!(await repo.insertBatch(trx, { id, blockId: block.id, blockPath: block.path, month: input.month, by: actor.userId }))) {
      throw conflict(`Block ${block.name} already has an open batch for ${input.month}; finish it with the bank's return file first`, `ब्लॉक ${block.name} का ${input.month} का बैच पहले से खुला है; पहले बैंक की रिटर्न फ़ाइल लगाएँ`);
    }
    const waiting = await repo.waiting(trx, block.id, input.month);
    const heldBack: { ashaId: string; name: string; reason: string }[] = [];
    const payable: string[] = [];
    for (const w of waiting) {
      const reason = accountProblem(w.bank_account) ?? ifscProblem(w.ifsc, banks);
      if (reason) heldBack.push({ ashaId: w.asha_id, name: w.name, reason: `${reason}; ₹${w.amount} of ${w.claims} claim(s) wait for the next batch` });
      else payable.push(w.asha_id);
    }
    const { rows, total } = await repo.fill(trx, id, block.id, input.month, payable);
    if (!rows && !heldBack.length) {
      throw conflict(`No approved claims of ${input.month} or earlier are waiting in block ${block.name}`, `ब्लॉक ${block.name} में ${input.month} या पहले के कोई स्वीकृत दावे बाकी नहीं हैं`);
    }
    await repo.finish(trx, id, total, rows, heldBack);
    await recordAudit(trx, actor, { action: 'create', entity: 'asha_batch', entityId: id, orgPath: block.path, after: { month: input.month, rows, total, heldBack: heldBack.length } });
    return { rows, total, heldBack };
  });
  return { ...dto((await repo.batchById(db, id))!), ...made };
}

async function batchInArea(db: Db, actor: Actor, id: string) {
  requireAny(actor, ['can_pay_asha', 'can_manage_asha', 'can_approve_asha_claims']);
  const b = await repo.batchById(db, id);
  if (!b) throw notFound(`No batch has id ${id}`, `आईडी ${id} का कोई बैच नहीं है`);
  const area = await actingArea(db, actor);
  if (!b.block_path.startsWith(area) && !area.startsWith(b.block_path)) throw forbidden('This batch is of a block outside your area', 'यह बैच आपके क्षेत्र से बाहर के ब्लॉक का है');
  if (!b.block_path.startsWith(area)) throw forbidden('This batch is of a block outside your area', 'यह बैच आपके क्षेत्र से बाहर के ब्लॉक का है');
  return b;
}

export async function listBatches(db: Db, actor: Actor, q: { block?: string }) {
  requireAny(actor, ['can_pay_asha', 'can_manage_asha', 'can_approve_asha_claims']);
  const area = await actingArea(db, actor);
  const path = q.block ? (await blockIn(db, actor, q.block, area)).path : area;
  return { items: (await repo.batchesUnder(db, path)).map(dto) };
}

export async function getBatch(db: Db, actor: Actor, id: string) {
  const b = await batchInArea(db, actor, id);
  const rows = await repo.rowsOf(db, id);
  await recordAudit(db, actor, { action: 'read', entity: 'asha_batch', entityId: id, orgPath: b.block_path, purpose: 'batch rows' });
  return {
    ...dto(b),
    items: rows.map((r) => ({ reference: r.reference, ashaId: r.asha_id, name: r.name, fundSource: r.fund_source, amount: Number(r.amount), claims: Number(r.claims), bankAccountMasked: maskAccount(r.bank_account)!, ifsc: r.ifsc, status: r.status, utr: r.utr, reason: r.reason })),
  };
}

/** The payment file (the accountant only: it carries whole account numbers; audited). */
export async function batchFile(db: Db, actor: Actor, id: string) {
  requirePermission(actor, 'can_pay_asha');
  const b = await batchInArea(db, actor, id);
  const rows = await repo.rowsOf(db, id);
  await recordAudit(db, actor, { action: 'read', entity: 'asha_batch', entityId: id, orgPath: b.block_path, purpose: 'payment file with bank accounts' });
  return { name: `asha-${b.month}-${b.id}.csv`, text: paymentFile(b, rows) };
}

/** Reads the bank's return file: reference,status,reason,utr (a header row optional; status PAID or FAILED). */
export async function readReturns(db: Db, actor: Actor, id: string, text: string, outbox: Outbox | undefined, log?: (m: string) => void) {
  requirePermission(actor, 'can_pay_asha');
  const b = await batchInArea(db, actor, id);
  const lines = parseCsv(text.replace(/^\uFEFF/, ''));
  if (lines.length && /^reference$/i.test(lines[0][0]?.trim() ?? '')) lines.shift();
  if (!lines.length) throw badRequest('The return file is empty; each line: reference,status,reason,utr', 'रिटर्न फ़ाइल खाली है; हर पंक्ति: reference,status,reason,utr');
  const on = todayIst();
  const result = await inTransaction(db, async (trx) => {
    let paid = 0;
    let failed = 0;
    const unknown: string[] = [];
    const paidRefs: string[] = [];
    for (const [n, l] of lines.entries()) {
      const [reference = '', status = '', reason = '', utr = ''] = l.map((x) => x.trim());
      const s = status.toUpperCase();
      if (s !== 'PAID' && s !== 'FAILED') throw badRequest(`Line ${n + 1}: status must be PAID or FAILED, not "${status}"`, `पंक्ति ${n + 1}: स्थिति PAID या FAILED हो`);
      const row = await repo.settleRow(trx, b.id, reference, s === 'PAID', { utr: utr || null, reason: s === 'FAILED' ? (reason || 'failed at the bank') : null, on });
      if (!row) { unknown.push(reference); continue; }
      if (s === 'PAID') { paid++; paidRefs.push(reference); } else failed++;
    }
    await repo.closeIfDone(trx, b.id);
    await recordAudit(trx, actor, { action: 'update', entity: 'asha_batch', entityId: b.id, orgPath: b.block_path, purpose: 'bank return file', after: { paid, failed, unknown: unknown.length } });
    // Each ASHA paid is told, in the same transaction (the outbox sends after commit).
    const months = await repo.paidMonths(trx, b.id, paidRefs);
    const ids: string[] = [];
    if (outbox && months.length) {
      const queued = await outbox.queue(trx, months.map((m) => ({
        to: m.mobile, template: 'text', language: 'both' as const, about: { kind: 'asha_payment', id: b.id }, createdBy: actor.username, orgPath: b.block_path,
        params: {
          en: `Swasthya: your ASHA incentive of Rs ${m.amount} for ${m.month} has been paid to account ${maskAccount(m.account)}.`,
          hi: `स्वास्थ्य: ${m.month} की आपकी आशा प्रोत्साहन राशि ₹${m.amount} खाते ${maskAccount(m.account)} में भेज दी गई है।`,
        },
      })), { deliverAfterCommit: true });
      ids.push(...queued.map((q) => q.id));
    }
    return { paid, failed, unknown, ids };
  });
  if (outbox && result.ids.length) await outbox.deliver(result.ids).catch((e: Error) => log?.(`asha: payment SMS not sent yet: ${e.message}`));
  return { paid: result.paid, failed: result.failed, unknown: result.unknown };
}
