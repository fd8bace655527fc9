// Verification: the ANM/CHO of the sub-centre (or of a facility above it) recommends, the block's
// medical officer in charge (a block officer, or a doctor of a facility in the block) approves; either
// may reject with a reason, and the ASHA may resubmit a rejected claim. A flagged claim is approved
// only with a note. Every move is a conditional update on the status read, so of two officers acting
// at once one succeeds and the other gets 409; every move is audited.
import { requirePermission, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { checkDay, rateOn } from './asha.catalogue.js';
import { checkClaim } from './asha.checks.js';
import { claimDto, storePhoto, type Ctx } from './asha.claims.js';
import * as repo from './asha.repository.js';
import { inTransaction } from '../../db/transaction.js';
import { actingArea, windowOf, workerOfActor, type Db } from './asha.service.js';

async function claimInArea(db: Db, actor: Actor, id: string) {
  const c = await repo.claimById(db, id);
  const area = await actingArea(db, actor);
  if (!c || !c.sub_centre_path.startsWith(area)) {
    if (c && actor.permissions.has('can_manage_asha') && !c.sub_centre_path.startsWith(actor.orgPath)) throw forbidden('This claim is outside your area', 'यह दावा आपके क्षेत्र से बाहर है');
    if (c) throw forbidden('This claim is of an ASHA outside your area', 'यह दावा आपके क्षेत्र से बाहर की आशा का है');
    throw notFound(`No claim has id ${id}`, `आईडी ${id} का कोई दावा नहीं है`);
  }
  return c;
}

const lost = (status: string) => conflict(`The claim is no longer ${status}: someone acted on it at the same time; reload it`, `दावा अब ${status} नहीं है: किसी ने उसी समय कार्रवाई की; फिर से खोलें`);

async function answer(db: Db, id: string) {
  return claimDto((await repo.claimJoined(db, id))!);
}

export async function recommend(db: Db, actor: Actor, id: string, note?: string, now = new Date()) {
  requirePermission(actor, 'can_recommend_asha_claims');
  const c = await claimInArea(db, actor, id);
  if (c.status !== 'submitted') throw conflict(`The claim is ${c.status}; only a submitted claim is recommended`, `दावा ${c.status} है; केवल जमा दावे की सिफ़ारिश होती है`);
  await inTransaction(db, async (trx) => {
    const moved = await repo.moveClaim(trx, id, ['submitted'], { status: 'recommended', status_at: now, recommended_by: actor.userId, recommended_at: now });
    if (!moved) throw lost('submitted');
    await recordAudit(trx, actor, { action: 'update', entity: 'asha_claim', entityId: id, orgPath: c.sub_centre_path, purpose: 'recommend', before: { status: 'submitted' }, after: { status: 'recommended', note: note ?? null } });
  });
  return answer(db, id);
}

export async function approve(db: Db, actor: Actor, id: string, note?: string, now = new Date()) {
  requirePermission(actor, 'can_approve_asha_claims');
  const c = await claimInArea(db, actor, id);
  // The MO acts on a recommended claim, or on one the ANM left past the escalation deadline.
  const from = c.escalated_level > 0 ? ['recommended', 'submitted'] : ['recommended'];
  if (!from.includes(c.status)) throw conflict(`The claim is ${c.status}; it must be recommended by the ANM first`, `दावा ${c.status} है; पहले एएनएम की सिफ़ारिश चाहिए`);
  const flags = (typeof c.flags === 'string' ? JSON.parse(c.flags) : c.flags) as { code: string }[];
  if (flags.length && !note?.trim()) {
    throw badRequest(`This claim is flagged (${flags.map((f) => f.code).join(', ')}); approve it with a note saying why it is right, or reject it`, `यह दावा चिह्नित है (${flags.map((f) => f.code).join(', ')}); सही होने का कारण लिखकर स्वीकृत करें या अस्वीकार करें`, { field: 'note' });
  }
  await inTransaction(db, async (trx) => {
    const moved = await repo.moveClaim(trx, id, from, { status: 'approved', status_at: now, approved_by: actor.userId, approved_at: now, approve_note: note?.trim() || null });
    if (!moved) throw lost(c.status);
    await recordAudit(trx, actor, { action: 'update', entity: 'asha_claim', entityId: id, orgPath: c.sub_centre_path, purpose: 'approve', before: { status: c.status }, after: { status: 'approved', note: note ?? null, flags: flags.map((f) => f.code) } });
  });
  return answer(db, id);
}

export async function reject(db: Db, actor: Actor, id: string, reason: string, now = new Date()) {
  if (!actor.permissions.has('can_recommend_asha_claims')) requirePermission(actor, 'can_approve_asha_claims');
  const c = await claimInArea(db, actor, id);
  const from = actor.permissions.has('can_approve_asha_claims') ? ['submitted', 'recommended'] : ['submitted'];
  if (!from.includes(c.status)) throw conflict(`The claim is ${c.status}; it can no longer be rejected here`, `दावा ${c.status} है; अब अस्वीकार नहीं हो सकता`);
  if (!reason.trim()) throw badRequest('Say why the claim is rejected; the ASHA sees it', 'अस्वीकार करने का कारण लिखें; आशा इसे देखेगी', { field: 'reason' });
  await inTransaction(db, async (trx) => {
    const moved = await repo.moveClaim(trx, id, [c.status], { status: 'rejected', status_at: now, rejected_by: actor.userId, rejected_at: now, reject_reason: reason.trim() });
    if (!moved) throw lost(c.status);
    await recordAudit(trx, actor, { action: 'update', entity: 'asha_claim', entityId: id, orgPath: c.sub_centre_path, purpose: 'reject', before: { status: c.status }, after: { status: 'rejected', reason } });
  });
  return answer(db, id);
}

/** The ASHA sends a rejected claim again, with what she changed; it is checked again from the start. */
export async function resubmit(ctx: Ctx, actor: Actor, id: string, input: { activityCode?: string; beneficiaryPatientId?: string; pregnancyNumber?: string; doneOn?: string; photo?: string; note?: string }, now = new Date()) {
  const { db } = ctx;
  const worker = await workerOfActor(db, actor);
  const c = await repo.claimById(db, id);
  if (!c || c.asha_id !== worker.id) throw notFound(`You have no claim with id ${id}`, `आपका आईडी ${id} का कोई दावा नहीं है`);
  if (c.status !== 'rejected') throw conflict(`The claim is ${c.status}; only a rejected claim is sent again`, `दावा ${c.status} है; केवल अस्वीकृत दावा फिर से भेजा जाता है`);
  const doneOn = input.doneOn ? checkDay(input.doneOn, 'doneOn') : c.done_on;
  const activity = await rateOn(db, input.activityCode ?? c.activity_code, doneOn, worker.state_lgd);
  const w = await windowOf(db, worker.state_lgd);
  const photoKey = input.photo ? await storePhoto(ctx.files, input.photo) : c.photo_key;
  const checked = await checkClaim(db, actor, worker, w, {
    activity, beneficiaryPatientId: input.beneficiaryPatientId ?? c.beneficiary_patient_id, pregnancyNumber: input.pregnancyNumber ?? c.pregnancy_number, doneOn, hasPhoto: !!photoKey, exceptId: id,
  }, now);
  await inTransaction(db, async (trx) => {
    const moved = await repo.moveClaim(trx, id, ['rejected'], {
      status: 'submitted', status_at: now, submitted_at: now, activity_code: activity.code, amount: activity.amount, fund_source: activity.fundSource, done_on: doneOn, claim_month: checked.month,
      beneficiary_patient_id: checked.beneficiaryId, pregnancy_number: checked.pregnancyNumber, photo_key: photoKey, flags: JSON.stringify(checked.flags),
      escalated_level: 0, recommended_by: null, recommended_at: null,
    });
    if (!moved) throw lost('rejected');
    await recordAudit(trx, actor, { action: 'update', entity: 'asha_claim', entityId: id, orgPath: c.sub_centre_path, purpose: 'resubmit', before: { status: 'rejected', reason: c.reject_reason }, after: { status: 'submitted', note: input.note ?? null, flags: checked.flags.map((f) => f.code) } });
  });
  return answer(db, id);
}
