// Claims: made on the ASHA's phone (offline; each carries the id the phone gave it, so a phone that
// syncs twice makes one claim), checked (asha.checks.ts), then verified (asha.verify.ts) and paid
// (batches/). The ASHA sees every claim of hers, who holds it, when it should be paid, and each month's
// amounts paid and pending.
import type { Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, badRequest, conflict } from '../../platform/errors.js';
import { uid } from '../../platform/ids.js';
import type { DocumentStore } from '../../platform/objectstore.js';
import { checkUpload, DOCUMENT_EXT } from '../patients/patients.documents.js';
import { checkDay, rateOn } from './asha.catalogue.js';
import { checkClaim } from './asha.checks.js';
import * as repo from './asha.repository.js';
import type { ClaimInput } from './asha.schema.js';
import { inTransaction } from '../../db/transaction.js';
import { actingArea, blockIn, expectedPay, requireAny, windowOf, workerOfActor, type Db } from './asha.service.js';

export interface Ctx { db: Db; files: DocumentStore }

const HOLDER: Record<string, 'anm' | 'mo' | 'accountant' | 'bank' | null> = {
  submitted: 'anm', recommended: 'mo', approved: 'accountant', batched: 'bank', failed: 'accountant', paid: null, rejected: null,
};

export function claimDto(r: repo.ClaimRow) {
  const flags = (typeof r.flags === 'string' ? JSON.parse(r.flags) : r.flags) as { code: string; message: string; messageHi?: string }[];
  return {
    id: r.id, clientId: r.client_id, activityCode: r.activity_code, nameEn: r.name_en, nameHi: r.name_hi, ashaId: r.asha_id, ashaName: r.asha_name,
    beneficiaryPatientId: r.beneficiary_patient_id, pregnancyNumber: r.pregnancy_number, doneOn: r.done_on, claimMonth: r.claim_month,
    amount: Number(r.amount), fundSource: r.fund_source, status: r.status,
    // A submitted claim escalated past the ANM is with the MO; one escalated past the MO, with the district.
    holder: r.status === 'submitted' && Number(r.escalated_level) > 0 ? 'mo' : HOLDER[r.status] ?? null,
    expectedPayOn: r.status === 'paid' || r.status === 'rejected' ? null : expectedPay(r.status === 'failed' ? nextMonth(r.claim_month) : r.claim_month),
    rejectReason: r.reject_reason, flags, flagged: flags.length > 0, approveNote: r.approve_note, batchId: r.batch_id, paidOn: r.paid_on, utr: r.utr,
    submittedAt: (r.submitted_at instanceof Date ? r.submitted_at : new Date(r.submitted_at)).toISOString(), escalatedLevel: Number(r.escalated_level),
  };
}
const nextMonth = (m: string) => { const [y, mo] = m.split('-').map(Number); return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`; };

/** A photo sent as a data: URL (JPEG or PNG), through the checks every uploaded document passes; stored, its key returned. */
export async function storePhoto(files: DocumentStore, photo: string | undefined): Promise<string | null> {
  if (!photo) return null;
  const m = /^data:(image\/(?:jpeg|png));base64,([A-Za-z0-9+/=\s]+)$/.exec(photo);
  if (!m) throw badRequest('photo must be a data: URL of a JPEG or PNG image (data:image/jpeg;base64,…)', 'फ़ोटो JPEG या PNG (data:image/jpeg;base64,…) होनी चाहिए', { field: 'photo' });
  const bytes = Buffer.from(m[2], 'base64');
  let type: string;
  try {
    type = checkUpload({ bytes, declaredType: m[1] });
  } catch (e) {
    if (e instanceof AppError) throw badRequest(`photo: ${e.msg.en}`, e.msg.hi ? `फ़ोटो: ${e.msg.hi}` : undefined, { field: 'photo' });
    throw e;
  }
  const key = `asha/${uid()}.${DOCUMENT_EXT[type]}`;
  await files.put(key, bytes);
  return key;
}

/** Files a claim; the same clientId again answers the claim already made (`created` false). */
export async function fileClaim(ctx: Ctx, actor: Actor, input: ClaimInput, now = new Date()) {
  const { db } = ctx;
  const worker = await workerOfActor(db, actor);
  const clientId = input.clientId.toLowerCase();
  const existing = await repo.claimByClientId(db, clientId);
  if (existing) return sameAgain(db, existing, worker.id);
  checkDay(input.doneOn, 'doneOn');
  const activity = await rateOn(db, input.activityCode, input.doneOn, worker.state_lgd);
  const w = await windowOf(db, worker.state_lgd);
  const checked = await checkClaim(db, actor, worker, w, { activity, beneficiaryPatientId: input.beneficiaryPatientId, pregnancyNumber: input.pregnancyNumber, doneOn: input.doneOn, hasPhoto: !!input.photo }, now);
  const photoKey = await storePhoto(ctx.files, input.photo);
  const id = uid();
  const stored = await inTransaction(db, async (trx) => {
    const row = await repo.insertClaim(trx, {
      id, client_id: clientId, asha_id: worker.id, activity_code: activity.code, beneficiary_patient_id: checked.beneficiaryId,
      pregnancy_number: checked.pregnancyNumber, done_on: input.doneOn, claim_month: checked.month, amount: activity.amount, fund_source: activity.fundSource,
      flags: JSON.stringify(checked.flags), photo_key: photoKey, sub_centre_path: worker.sub_centre_path, block_id: worker.block_id, state_lgd: worker.state_lgd,
      submitted_at: now, status_at: now, recommended_by: null, recommended_at: null, approved_by: null, approved_at: null, approve_note: null,
      rejected_by: null, rejected_at: null, reject_reason: null, batch_id: null, paid_on: null, utr: null, fail_reason: null,
    });
    if (!row) return false;
    await recordAudit(trx, actor, { action: 'create', entity: 'asha_claim', entityId: id, orgPath: worker.sub_centre_path, after: { activity: activity.code, amount: activity.amount, doneOn: input.doneOn, beneficiary: checked.beneficiaryId, flags: checked.flags.map((f) => f.code) } });
    return true;
  });
  // A sync of the same claim that committed first: this one is the same claim again.
  if (!stored) return sameAgain(db, (await repo.claimByClientId(db, clientId))!, worker.id);
  return { created: true, claim: { id, status: 'submitted', amount: activity.amount, flags: checked.flags, claimMonth: checked.month } };
}

async function sameAgain(db: Db, c: NonNullable<Awaited<ReturnType<typeof repo.claimByClientId>>>, ashaId: string) {
  if (c.asha_id !== ashaId) throw conflict('This clientId belongs to another claim; the phone must make a new id for each claim', 'यह clientId किसी दूसरे दावे का है; हर दावे के लिए नया id बनाएँ', { field: 'clientId' });
  const flags = typeof c.flags === 'string' ? JSON.parse(c.flags) : c.flags;
  return { created: false, claim: { id: c.id, status: c.status, amount: Number(c.amount), flags, claimMonth: c.claim_month } };
}

/** The ASHA's own claims, newest work first, and per claim month the amounts paid and pending. */
export async function myClaims(db: Db, actor: Actor) {
  const worker = await workerOfActor(db, actor);
  const rows = await repo.claimsOfAsha(db, worker.id);
  await recordAudit(db, actor, { action: 'read', entity: 'asha_claim', orgPath: worker.sub_centre_path, purpose: 'own claims', after: { results: rows.length } });
  const items = rows.map(claimDto);
  const months = new Map<string, { month: string; paid: number; pending: number; paidOn: string | null }>();
  for (const c of items) {
    const m = months.get(c.claimMonth) ?? { month: c.claimMonth, paid: 0, pending: 0, paidOn: null };
    if (c.status === 'paid') { m.paid += c.amount; if (c.paidOn && (!m.paidOn || c.paidOn > m.paidOn)) m.paidOn = c.paidOn; }
    else if (c.status !== 'rejected') m.pending += c.amount;
    months.set(c.claimMonth, m);
  }
  return { items, months: [...months.values()].sort((a, b) => b.month.localeCompare(a.month)) };
}

export const CLAIM_STATUSES = ['submitted', 'recommended', 'approved', 'batched', 'paid', 'failed', 'rejected'];

/** Claims in the caller's area (verifiers, the accountant, officers), paged by id; beneficiary ids make it an audited read. */
export async function listClaims(db: Db, actor: Actor, q: { status?: string; block?: string; cursor?: string; limit?: number }) {
  requireAny(actor, ['can_recommend_asha_claims', 'can_approve_asha_claims', 'can_pay_asha', 'can_manage_asha']);
  const area = await actingArea(db, actor);
  const statuses = q.status ? q.status.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
  const bad = statuses?.filter((s) => !CLAIM_STATUSES.includes(s)) ?? [];
  if (bad.length) throw badRequest(`status ${bad.join(', ')} is not known; use ${CLAIM_STATUSES.join(', ')}`, `स्थिति ${bad.join(', ')} मान्य नहीं है`, { field: 'status' });
  const block = q.block ? await blockIn(db, actor, q.block, area) : undefined;
  const limit = q.limit ?? 100;
  const rows = await repo.claimsInArea(db, { path: block && block.path.length > area.length ? block.path : area, statuses, blockId: block?.id, after: q.cursor, limit: limit + 1 });
  const page = rows.slice(0, limit);
  await recordAudit(db, actor, { action: 'read', entity: 'asha_claim', orgPath: area, purpose: 'claims list', after: { results: page.length, status: q.status ?? null } });
  return { items: page.map(claimDto), nextCursor: rows.length > limit ? page[page.length - 1].id : null };
}
