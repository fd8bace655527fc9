// Claims from empanelled hospitals (issue 15, part 5), in the manner of PM-JAY's transaction
// management: pre-authorisation (where the package needs it) → approval → admission and discharge →
// claim → settlement by the scheme's officer (approved, deducted with reason, rejected). Each step
// keeps its time, so the days each took show, and the dues past the state's promise (15 days).
// Signals for review are flags on the claim, never silent refusals, and name no one: the hospital
// that files learns nothing of the family or of other hospitals' claims from them.
import { inTransaction } from '../../db/transaction.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { uid } from '../../platform/ids.js';
import { todayIst } from '../../platform/periods.js';
import type { SchemeClaimStatus } from '../../db/types.js';
import { recordAdmission } from '../patients/patients.admissions.js';
import { bare, dotted, ICD } from '../patients/patients.visits.js';
import * as repo from './schemes.repository.js';
import type { ClaimInput } from './schemes.schema.js';
import { checkDay, iso, requireAny, requireSchemeState, schemeOf, settingsIn } from './schemes.service.js';

type Db = repo.Db;
export interface Flag { code: string; message: string; messageHi?: string }
const DAY = 86_400_000;
const money = (n: number) => Math.round(n * 100) / 100;

/**
 * The caller's scope for filing, before the body is read (the route's onRequest): the permission, the
 * scheme's state (a hospital of another state files none, empanelled or not), and an empanelled
 * hospital at or under the caller's place (a facility's operator: their own hospital).
 */
export async function requireFilingScope(db: Db, actor: Actor, schemeName: string) {
  requirePermission(actor, 'can_file_scheme_claims');
  const scheme = await requireSchemeState(db, actor, schemeName);
  if (!(await repo.anyHospitalUnder(db, scheme, actor.orgPath))) throw forbidden(`Your hospital is not empanelled in ${scheme.toUpperCase()}; the state empanels hospitals`, 'आपका अस्पताल योजना में सूचीबद्ध नहीं है');
}

/** The hospital the caller files for: empanelled, and the caller's own (or under the caller's area). Checked before anything else is looked at. */
async function hospitalFor(db: Db, actor: Actor, scheme: string, hospitalId: string) {
  const h = await repo.hospital(db, scheme, hospitalId);
  const unit = h ? null : await repo.unitById(db, hospitalId);
  const path = h?.facility_path ?? unit?.path;
  if (!path || !path.startsWith(actor.orgPath)) throw forbidden('You file claims for your own hospital only', 'आप केवल अपने अस्पताल के दावे दर्ज कर सकते हैं');
  if (!h || h.ended_on) throw forbidden(`${unit?.name ?? h?.name} is not empanelled in ${scheme.toUpperCase()}; the state empanels hospitals`, `यह अस्पताल योजना में सूचीबद्ध नहीं है`);
  return h;
}

/** The flags of a claim as filed: each a signal for the officer, none a refusal. */
async function flagsOf(db: Db, scheme: string, c: { id?: string; enrolmentId: string; patientId: string; hospitalId: string; packageCode: string; rate: number; admittedOn: string; dischargedOn: string | null; amount: number }): Promise<Flag[]> {
  const flags: Flag[] = [];
  const settings = await settingsIn(db, scheme, c.admittedOn);
  if (await repo.overlapping(db, c.patientId, c.admittedOn, c.dischargedOn, c.id)) {
    flags.push({ code: 'overlapping_admission', message: 'This member has another admission at overlapping dates', messageHi: 'इस सदस्य की एक और भर्ती इन्हीं तारीखों में है' });
  }
  if (c.amount > c.rate) {
    flags.push({ code: 'above_package_rate', message: `The amount (₹${c.amount}) is above the package rate (₹${c.rate})`, messageHi: `राशि (₹${c.amount}) पैकेज दर (₹${c.rate}) से अधिक है` });
  }
  const used = Number((await repo.usedOf(db, c.enrolmentId, c.id)).used);
  if (used + c.amount > settings.coverAmount) {
    flags.push({ code: 'past_family_cover', message: `With this claim the family passes its yearly cover (₹${settings.coverAmount})`, messageHi: `इस दावे से परिवार का वार्षिक कवर (₹${settings.coverAmount}) पार हो जाता है` });
  }
  const { n } = await repo.hospitalPackageCount(db, c.hospitalId, c.packageCode, c.admittedOn);
  const count = n + (c.id ? 0 : 1);
  if (count > settings.reviewClaimsPerPackage) {
    flags.push({ code: 'many_claims_hospital_package', message: `${count} claims from this hospital for package ${c.packageCode} in 30 days (review above ${settings.reviewClaimsPerPackage})`, messageHi: `30 दिनों में इस अस्पताल से पैकेज ${c.packageCode} के ${count} दावे` });
  }
  return flags;
}

/**
 * Files a claim (the admission, with pre-authorisation asked where the package needs it). The card,
 * the member on it and the package are checked; what the checks find is said without naming anyone.
 */
export async function fileClaim(db: Db, actor: Actor, schemeName: string, input: ClaimInput) {
  requirePermission(actor, 'can_file_scheme_claims');
  const scheme = await requireSchemeState(db, actor, schemeName);
  const h = await hospitalFor(db, actor, scheme, input.hospitalId);
  checkDay(input.admittedOn, 'admittedOn');
  if (input.dischargedOn) checkDay(input.dischargedOn, 'dischargedOn');
  const today = todayIst();
  if (input.admittedOn > today) throw badRequest(`admittedOn ${input.admittedOn} is in the future`, `भर्ती तिथि ${input.admittedOn} आने वाली है`, { field: 'admittedOn' });
  if (input.dischargedOn && input.dischargedOn > today) throw badRequest(`dischargedOn ${input.dischargedOn} is in the future`, `छुट्टी तिथि आने वाली है`, { field: 'dischargedOn' });
  if (input.dischargedOn && input.dischargedOn < input.admittedOn) throw badRequest('dischargedOn is before admittedOn', 'छुट्टी की तिथि भर्ती से पहले है', { field: 'dischargedOn' });
  if (input.admittedOn < h.empanelled_from) throw badRequest(`The hospital is empanelled from ${h.empanelled_from}; an admission before it is not covered`, `अस्पताल ${h.empanelled_from} से सूचीबद्ध है`, { field: 'admittedOn' });
  const diagnosis = bare(input.diagnosis.trim().toUpperCase());
  if (!ICD.test(diagnosis)) throw badRequest(`${input.diagnosis} is not an ICD-10 code (like K80.2 or O80)`, `${input.diagnosis} ICD-10 कोड नहीं है`, { field: 'diagnosis' });
  const e = await repo.enrolmentByCard(db, scheme, input.cardNumber.trim());
  if (!e || e.status !== 'active') throw badRequest(`No active card has number ${input.cardNumber}`, `${input.cardNumber} नंबर का कोई सक्रिय कार्ड नहीं है`, { field: 'cardNumber' });
  if (Number(input.admittedOn.slice(0, 4)) !== e.scheme_year) throw badRequest(`Card ${e.card_number} is for ${e.scheme_year}; an admission on ${input.admittedOn} needs that year's card`, `कार्ड ${e.scheme_year} का है`, { field: 'cardNumber' });
  const members = await repo.activeMembers(db, e.id);
  if (!members.some((m) => m.patient_id === input.memberPatientId)) throw badRequest(`This patient is not a member on card ${e.card_number}`, `यह मरीज़ कार्ड ${e.card_number} का सदस्य नहीं है`, { field: 'memberPatientId' });
  const code = input.packageCode.trim().toUpperCase();
  const pkg = await repo.packageOn(db, scheme, code, input.admittedOn);
  if (!pkg || !pkg.active) throw badRequest(`No package ${code} is in force on ${input.admittedOn}; pick one from the scheme's packages`, `${input.admittedOn} को ${code} पैकेज लागू नहीं है`, { field: 'packageCode' });
  const rate = Number(pkg.rate);
  const amount = money(input.amount);
  const status: SchemeClaimStatus = pkg.preauth ? 'preauth_pending' : input.dischargedOn ? 'claimed' : 'admitted';
  return inTransaction(db, async (trx) => {
    // Claims of one card take turns, so two filed together both see each other for the cover.
    await repo.lockEnrolment(trx, e.id);
    const flags = await flagsOf(trx, scheme, { enrolmentId: e.id, patientId: input.memberPatientId, hospitalId: h.facility_id, packageCode: code, rate, admittedOn: input.admittedOn, dischargedOn: input.dischargedOn ?? null, amount });
    const id = uid();
    await repo.insertClaim(trx, {
      id, scheme, enrolment_id: e.id, panchayat_id: e.panchayat_id, scheme_year: e.scheme_year, patient_id: input.memberPatientId, hospital_id: h.facility_id, hospital_path: h.facility_path, package_code: code, package_rate: rate, preauth: pkg.preauth,
      diagnosis, procedure: input.procedure?.trim() || null, treatment: input.treatment?.trim() || null, admitted_on: input.admittedOn, discharged_on: input.dischargedOn ?? null,
      amount, status, flags: JSON.stringify(flags), filed_by: actor.userId, claimed_at: status === 'claimed' ? new Date() : null,
    });
    // The admission goes on the patient's record too (an in-patient episode, not an OPD visit): a
    // pre-authorisation is asked for a patient already admitted, so it is written whatever the decision.
    await recordAdmission(trx, actor, {
      patientId: input.memberPatientId, facilityId: h.facility_id, admittedOn: input.admittedOn, dischargedOn: input.dischargedOn ?? null,
      diagnoses: [diagnosis], procedure: input.procedure, treatment: input.treatment, source: scheme, sourceId: id,
    });
    await recordAudit(trx, actor, { action: 'create', entity: 'scheme_claim', entityId: id, orgPath: h.facility_path, after: { card: e.card_number, patient: input.memberPatientId, package: code, diagnosis, admittedOn: input.admittedOn, dischargedOn: input.dischargedOn ?? null, amount, status, flags: flags.map((f) => f.code) } });
    return { id, status, flags };
  });
}

// ---- reading claims ---------------------------------------------------------------------------------------------

const READ_CLAIMS = ['can_file_scheme_claims', 'can_settle_scheme_claims', 'can_read_schemes'] as const;
const days = (from: Date | null, to: Date | null) => (from && to ? Math.floor((new Date(to).getTime() - new Date(from).getTime()) / DAY) : null);

function claimDto(c: repo.ClaimRow, names: Map<string, string>, settleWithin: number, now = new Date()) {
  const pending = c.status === 'claimed' ? days(c.claimed_at, now) : null;
  return {
    id: c.id, cardNumber: c.card_number, patientId: c.patient_id, hospital: { id: c.hospital_id, name: c.hospital_name }, packageCode: c.package_code, packageName: names.get(c.package_code) ?? null,
    packageRate: Number(c.package_rate), preauth: c.preauth, diagnosis: dotted(c.diagnosis), procedure: c.procedure, treatment: c.treatment, admittedOn: c.admitted_on, dischargedOn: c.discharged_on,
    amount: Number(c.amount), status: c.status, flags: (typeof c.flags === 'string' ? JSON.parse(c.flags) : c.flags) as Flag[],
    filedAt: iso(c.filed_at)!, preauthAt: iso(c.preauth_at), preauthReason: c.preauth_reason, claimedAt: iso(c.claimed_at), settledAt: iso(c.settled_at),
    settledAmount: c.settled_amount == null ? null : Number(c.settled_amount), settlementReason: c.settlement_reason,
    days: { preauth: days(c.filed_at, c.preauth_at), settlement: days(c.claimed_at, c.settled_at), pending },
    overdue: pending != null && pending > settleWithin,
  };
}

async function packageNames(db: Db, scheme: string) {
  return new Map((await repo.packagesOn(db, scheme, todayIst())).map((p: any) => [p.code as string, p.name as string]));
}

/** A claim of the caller's area (a hospital's operator: their hospital's), or 404. */
async function claimIn(db: Db, actor: Actor, scheme: string, id: string) {
  const c = await repo.claimById(db, scheme, id);
  if (!c || !c.hospital_path.startsWith(actor.orgPath)) throw notFound(`No claim has id ${id} in your area`, `आपके क्षेत्र में आईडी ${id} का कोई दावा नहीं है`);
  return c;
}

export async function listClaims(db: Db, actor: Actor, schemeName: string, q: { status?: string; overdue?: boolean; cursor?: string; limit?: number }) {
  requireAny(actor, [...READ_CLAIMS]);
  const scheme = schemeOf(schemeName);
  const settings = await settingsIn(db, scheme, todayIst());
  const overdueBefore = new Date(Date.now() - settings.settleWithinDays * DAY);
  const limit = q.limit ?? 50;
  const rows = await repo.claimsUnder(db, scheme, { path: actor.orgPath, status: q.status, overdueBefore: q.overdue ? overdueBefore : undefined, after: q.cursor, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const dues = await repo.duesUnder(db, scheme, actor.orgPath, overdueBefore);
  const names = await packageNames(db, scheme);
  await recordAudit(db, actor, { action: 'read', entity: 'scheme_claim', orgPath: actor.orgPath, purpose: 'claims', after: { status: q.status ?? null, overdue: !!q.overdue, results: page.length } });
  return {
    items: page.map((c) => claimDto(c, names, settings.settleWithinDays)), nextCursor: rows.length > limit ? page[page.length - 1].id : null,
    dues: { pending: dues.pending, pendingAmount: Number(dues.pending_amount), overdue: dues.overdue, overdueAmount: Number(dues.overdue_amount), settleWithinDays: settings.settleWithinDays },
  };
}

export async function getClaim(db: Db, actor: Actor, schemeName: string, id: string) {
  requireAny(actor, [...READ_CLAIMS]);
  const scheme = schemeOf(schemeName);
  const c = await claimIn(db, actor, scheme, id);
  const settings = await settingsIn(db, scheme, todayIst());
  await recordAudit(db, actor, { action: 'read', entity: 'scheme_claim', entityId: id, orgPath: c.hospital_path, purpose: 'claim' });
  return claimDto(c, await packageNames(db, scheme), settings.settleWithinDays);
}

// ---- the steps ---------------------------------------------------------------------------------------------------

async function move(db: Db, actor: Actor, scheme: string, id: string, from: SchemeClaimStatus, set: Record<string, unknown>, what: string, extra?: (trx: Db, c: repo.ClaimRow) => Promise<Record<string, unknown>>) {
  const c = await claimIn(db, actor, scheme, id);
  return inTransaction(db, async (trx) => {
    const more = extra ? await extra(trx, c) : {};
    const moved = await repo.moveClaim(trx, id, from, { ...set, ...more });
    if (!moved) {
      const now = await repo.claimById(trx, scheme, id);
      throw conflict(`The claim is ${now?.status}, not ${from.replace('_', ' ')}; it cannot be ${what}`, `दावा ${now?.status} है; यह कदम अभी नहीं हो सकता`);
    }
    await recordAudit(trx, actor, { action: 'update', entity: 'scheme_claim', entityId: id, orgPath: c.hospital_path, before: { status: from }, after: { ...set, ...more } });
    const settings = await settingsIn(trx, scheme, todayIst());
    return claimDto((await repo.claimById(trx, scheme, id))!, await packageNames(trx, scheme), settings.settleWithinDays);
  });
}

/** The scheme's officer decides a pre-authorisation: approved, the patient is admitted on the scheme; rejected, with a reason. */
export async function decidePreauth(db: Db, actor: Actor, schemeName: string, id: string, input: { approve: boolean; reason?: string }) {
  requirePermission(actor, 'can_settle_scheme_claims');
  const scheme = await requireSchemeState(db, actor, schemeName);
  if (!input.approve && !input.reason?.trim()) throw badRequest('Say why the pre-authorisation is rejected (reason)', 'पूर्व-अनुमोदन अस्वीकार करने का कारण लिखें', { field: 'reason' });
  return move(db, actor, scheme, id, 'preauth_pending', {
    status: input.approve ? 'admitted' : 'preauth_rejected', preauth_by: actor.userId, preauth_at: new Date(), preauth_reason: input.reason?.trim() || null,
  }, input.approve ? 'approved' : 'rejected');
}

/** The hospital discharges the patient and claims: the final amount and treatment; the flags are looked at again; the episode on the patient's record gets its discharge. */
export async function discharge(db: Db, actor: Actor, schemeName: string, id: string, input: { dischargedOn: string; amount?: number; treatment?: string; procedure?: string }) {
  requirePermission(actor, 'can_file_scheme_claims');
  const scheme = await requireSchemeState(db, actor, schemeName);
  checkDay(input.dischargedOn, 'dischargedOn');
  if (input.dischargedOn > todayIst()) throw badRequest(`dischargedOn ${input.dischargedOn} is in the future`, 'छुट्टी तिथि आने वाली है', { field: 'dischargedOn' });
  return move(db, actor, scheme, id, 'admitted', { status: 'claimed', discharged_on: input.dischargedOn, claimed_at: new Date() }, 'claimed', async (trx, c) => {
    if (input.dischargedOn < c.admitted_on) throw badRequest(`dischargedOn is before the admission (${c.admitted_on})`, 'छुट्टी की तिथि भर्ती से पहले है', { field: 'dischargedOn' });
    await repo.lockEnrolment(trx, c.enrolment_id);
    const amount = input.amount == null ? Number(c.amount) : money(input.amount);
    const flags = await flagsOf(trx, scheme, { id, enrolmentId: c.enrolment_id, patientId: c.patient_id, hospitalId: c.hospital_id, packageCode: c.package_code, rate: Number(c.package_rate), admittedOn: c.admitted_on, dischargedOn: input.dischargedOn, amount });
    await recordAdmission(trx, actor, {
      patientId: c.patient_id, facilityId: c.hospital_id, admittedOn: String(c.admitted_on), dischargedOn: input.dischargedOn,
      diagnoses: [c.diagnosis], procedure: input.procedure ?? c.procedure, treatment: input.treatment ?? c.treatment, source: scheme, sourceId: id,
    });
    return { amount, flags: JSON.stringify(flags), ...(input.treatment ? { treatment: input.treatment.trim() } : {}), ...(input.procedure ? { procedure: input.procedure.trim() } : {}) };
  });
}

/** The scheme's officer settles a claim: approved in full, deducted (a lower amount, with the reason) or rejected (with the reason). */
export async function settle(db: Db, actor: Actor, schemeName: string, id: string, input: { decision: 'approved' | 'deducted' | 'rejected'; amount?: number; reason?: string }) {
  requirePermission(actor, 'can_settle_scheme_claims');
  const scheme = await requireSchemeState(db, actor, schemeName);
  const reason = input.reason?.trim();
  if (input.decision !== 'approved' && !reason) throw badRequest(`A claim ${input.decision} says why (reason)`, 'कटौती या अस्वीकृति का कारण लिखें', { field: 'reason' });
  if (input.decision === 'deducted' && input.amount == null) throw badRequest('Give the amount paid after the deduction (amount)', 'कटौती के बाद की राशि दें', { field: 'amount' });
  return move(db, actor, scheme, id, 'claimed', { status: input.decision, settled_by: actor.userId, settled_at: new Date(), settlement_reason: reason || null }, input.decision, async (_trx, c) => {
    const claimed = Number(c.amount);
    if (input.decision === 'deducted' && !(input.amount! < claimed)) throw badRequest(`A deduction pays less than the claim (₹${claimed})`, `कटौती के बाद राशि दावे (₹${claimed}) से कम हो`, { field: 'amount' });
    return { settled_amount: input.decision === 'approved' ? claimed : input.decision === 'deducted' ? money(input.amount!) : 0 };
  });
}
