// Presence before access. Staff who may not read a patient's record may still serve the patient in
// front of them, but only once the patient is shown to be present: a one-time code sent to the
// patient's own mobile on record, the health card's QR token, or (for someone with neither) a
// break-glass reason that is audited, told to the patient by SMS and reviewed by the officer of the
// patient's district. The proof is a grant for one staff member and one patient, for a few hours.
// Every operation that links a patient to a place calls requirePresence first.
import { timingSafeEqual } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, badRequest, fieldErrors } from '../../platform/errors.js';
import { uid } from '../../platform/ids.js';
import type { SmsSender } from '../../platform/sms.js';
import { outboxOf, type QueuedMessage } from '../../platform/outbox/index.js';
import { cachedUnit } from '../geo/geo.cache.js';
import { QR_PREFIX } from './patients.card.js';
import { checkOtp, consumeOtp, sendOtp } from './patients.otp.js';
import { canRead, loadPatient } from './patients.service.js';

type Db = Kysely<Database>;

/** How long a proof of presence lets its staff member act for the patient. */
export const PRESENCE_HOURS = 4;
/** A break-glass reason says why in words: at least this many characters. */
export const MIN_REASON = 10;
export const METHODS = ['otp', 'card', 'break_glass'] as const;
export type PresenceMethod = (typeof METHODS)[number];

/**
 * The refusal when presence is needed. It names no one: no name, number or place of the patient,
 * only what the caller sent and how to go on.
 */
export function presenceRequired(patientId: string): AppError {
  return new AppError('forbidden', {
    en: 'You may not read this patient\'s record, so first show that the patient is here: send a code to the patient\'s mobile (POST /api/patients/{id}/presence/code) and enter it, scan the health card, or give a reason (break-glass: audited, the patient is told by SMS and the district officer reviews it)',
    hi: 'आप इस मरीज़ का रिकॉर्ड नहीं देख सकते, इसलिए पहले दिखाएँ कि मरीज़ यहाँ मौजूद है: मरीज़ के मोबाइल पर कोड भेजकर दर्ज करें, हेल्थ कार्ड स्कैन करें, या कारण लिखें (ब्रेक-ग्लास: इसका ऑडिट होता है, मरीज़ को SMS जाता है और ज़िला अधिकारी इसकी समीक्षा करते हैं)',
  }, { reason: 'presence_required', patientId, methods: [...METHODS] });
}

/** Whether `actor` holds a live grant of presence for the patient. */
export async function hasPresence(db: Db, actor: Actor, patientId: string): Promise<boolean> {
  const live = await db.selectFrom('patient_presence').select('id')
    .where('user_id', '=', actor.userId).where('patient_id', '=', patientId).where('expires_at', '>', sql<Date>`now()`)
    .limit(1).executeTakeFirst();
  return !!live;
}

/**
 * Passes when `actor` may read the patient's record or has shown the patient present within the last
 * few hours; otherwise a 403 that says how to proceed and nothing about the patient. Call it before
 * anything that could reveal the patient (names in conflicts, sex, open registrations).
 */
export async function requirePresence(db: Db, actor: Actor, patientId: string): Promise<void> {
  if (await canRead(db, actor, patientId)) return;
  if (await hasPresence(db, actor, patientId)) return;
  throw presenceRequired(patientId);
}

/** Where the staff member works, for the grant and for the patient's SMS. */
async function actorPlace(db: Db, actor: Actor) {
  const unit = await cachedUnit(db, `id:${actor.orgUnitId}`, () => db.selectFrom('org_units').selectAll().where('id', '=', actor.orgUnitId).executeTakeFirst());
  return { id: actor.orgUnitId, path: unit?.path ?? actor.orgPath, name: unit?.name ?? actor.orgPath, nameHi: unit?.name_hi ?? null };
}

const otpPurpose = (patientId: string) => `presence:${patientId}`;
const ROLE_HI: Record<string, string> = {
  admin: 'प्रशासक', state_officer: 'राज्य अधिकारी', district_officer: 'ज़िला अधिकारी', block_officer: 'खंड अधिकारी', facility_operator: 'संस्थान संचालक',
  doctor: 'डॉक्टर', cho: 'सीएचओ', ultrasound_operator: 'अल्ट्रासाउंड संचालक', helpline_agent: 'हेल्पलाइन कर्मी', dispatcher: 'डिस्पैचर', asha: 'आशा',
};
const istDate = (d: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Kolkata', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(d);

/**
 * Sends a one-time code to the patient's own mobile on record. The staff member sees only the last
 * four digits (XXXXXX1234). Limits per number and per address are those of every code (patients.otp.ts).
 */
export async function sendPresenceCode(db: Db, sms: SmsSender, actor: Actor, patientRef: string) {
  requirePermission(actor, 'can_search_patient');
  const patient = await loadPatient(db, patientRef);
  if (!patient.mobile) {
    throw badRequest('No mobile number is on this patient\'s record: scan the health card, or give a reason (break-glass)',
      'इस मरीज़ के रिकॉर्ड में कोई मोबाइल नंबर नहीं है: हेल्थ कार्ड स्कैन करें, या कारण लिखें (ब्रेक-ग्लास)', { field: 'method', reason: 'no_mobile' });
  }
  const sent = await sendOtp(db, sms, patient.mobile, otpPurpose(patient.id), actor.ip, { createdBy: actor.username, orgPath: patient.home_path });
  await recordAudit(db, actor, { action: 'create', entity: 'presence_code', entityId: patient.id, orgPath: actor.orgPath, after: { challengeId: sent.challengeId } });
  return { challengeId: sent.challengeId, sentTo: sent.sentTo, expiresAt: sent.expiresAt };
}

export interface PresenceInput { method: PresenceMethod; challengeId?: string; code?: string; reason?: string }

/** Checks what each method needs, all problems at once. */
function checkInput(input: PresenceInput) {
  const problems: { field: string; message: string; messageHi: string }[] = [];
  if (input.method === 'otp') {
    if (!input.challengeId) problems.push({ field: 'challengeId', message: 'is required: the challengeId that came back when the code was sent', messageHi: 'आवश्यक है: कोड भेजने पर मिला challengeId' });
    if (!input.code?.trim()) problems.push({ field: 'code', message: 'is required: the six digits the patient received', messageHi: 'आवश्यक है: मरीज़ को मिले छह अंक' });
  } else if (input.method === 'card') {
    if (!input.code?.trim()) problems.push({ field: 'code', message: 'is required: scan the QR code on the health card or type the text under it', messageHi: 'आवश्यक है: हेल्थ कार्ड का QR कोड स्कैन करें या उसके नीचे का पाठ लिखें' });
  } else if ((input.reason?.trim().length ?? 0) < MIN_REASON) {
    problems.push({ field: 'reason', message: `say why in at least ${MIN_REASON} characters (for example: unconscious, brought by ambulance, no card or phone)`, messageHi: `कम से कम ${MIN_REASON} अक्षरों में कारण लिखें (जैसे: बेहोश, एम्बुलेंस से लाए गए, कार्ड या फ़ोन नहीं)` });
  }
  if (problems.length) throw fieldErrors(problems);
}

const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Records that the patient is present, shown by a code sent to their mobile, their health card, or
 * a break-glass reason. The grant lets this staff member link the patient to their place for
 * PRESENCE_HOURS hours; it is audited. Break-glass tells the patient by SMS (where a mobile is on
 * record) and goes to the review list of the patient's district.
 */
export async function recordPresence(db: Db, sms: SmsSender, actor: Actor, patientRef: string, input: PresenceInput) {
  requirePermission(actor, 'can_search_patient');
  const patient = await loadPatient(db, patientRef);
  checkInput(input);
  if (input.method === 'otp') {
    // Outside the transaction: a wrong try counts even though nothing else is written.
    if (!patient.mobile) throw badRequest('No mobile number is on this patient\'s record', 'इस मरीज़ के रिकॉर्ड में कोई मोबाइल नंबर नहीं है', { field: 'method', reason: 'no_mobile' });
    await checkOtp(db, input.challengeId!, input.code!, patient.mobile, otpPurpose(patient.id));
  } else if (input.method === 'card') {
    const text = input.code!.trim();
    const token = text.startsWith(QR_PREFIX) ? text.slice(QR_PREFIX.length) : text;
    if (!sameText(token, patient.card_token)) {
      throw badRequest('This is not this patient\'s health card (or the card was replaced); scan the card again or use another way', 'यह इस मरीज़ का हेल्थ कार्ड नहीं है (या कार्ड बदला गया है); फिर से स्कैन करें या दूसरा तरीका अपनाएँ', { field: 'code' });
    }
  }
  const place = await actorPlace(db, actor);
  const reason = input.method === 'break_glass' ? input.reason!.trim().slice(0, 500) : null;
  const grant = {
    id: uid(), patient_id: patient.id, user_id: actor.userId, username: actor.username, role: actor.role, org_unit_id: place.id, org_unit_path: place.path,
    method: input.method, reason, patient_home_path: patient.home_path, expires_at: new Date(Date.now() + PRESENCE_HOURS * 3_600_000),
  };
  const tell = input.method === 'break_glass' && patient.mobile;
  let message: QueuedMessage | null = null;
  const write = async (trx: Db) => {
    if (input.method === 'otp') await consumeOtp(trx, input.challengeId!);
    await trx.insertInto('patient_presence').values(grant).execute();
    await recordAudit(trx, actor, {
      action: 'create', entity: 'patient_presence', entityId: patient.id, orgPath: place.path, purpose: input.method === 'break_glass' ? 'break_glass' : 'presence',
      after: { grant: grant.id, method: input.method, reason, expiresAt: grant.expires_at.toISOString() },
    });
    if (tell) {
      // The patient's message is written with the grant (the outbox): a gateway that is down delays it, never loses it.
      const when = istDate(new Date());
      [message] = await outboxOf(sms).queue(trx, {
        to: patient.mobile!, template: 'presence.break_glass', about: { kind: 'break_glass', id: grant.id }, createdBy: actor.username, orgPath: patient.home_path,
        params: { place: place.name, placeHi: place.nameHi ?? place.name, role: actor.role.replace(/_/g, ' '), roleHi: ROLE_HI[actor.role] ?? actor.role, when, reason: reason ?? '' },
      }, { deliverAfterCommit: !db.isTransaction });
    }
  };
  if (db.isTransaction) await write(db); else await db.transaction().execute(write);
  let smsSent = false;
  if (message && !db.isTransaction) {
    // Tried at once after commit; the list of break-glass openings says whether the patient was told.
    smsSent = (await outboxOf(sms).deliver([(message as QueuedMessage).id]))[(message as QueuedMessage).id] === 'sent';
    if (smsSent) await db.updateTable('patient_presence').set({ sms_sent: true }).where('id', '=', grant.id).execute();
  }
  return { id: grant.id, patientId: patient.id, method: input.method, expiresAt: grant.expires_at.toISOString(), ...(input.method === 'break_glass' ? { patientTold: smsSent } : {}) };
}
