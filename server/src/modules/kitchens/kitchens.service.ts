// Didi ki Rasoi: kitchens, rates, days and bills. Each function checks permission and area first.
import { inTransaction } from '../../db/transaction.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { IFSC, maskAccount } from '../../platform/bank.js';
import { recordAudit } from '../../platform/audit.js';
import type { Outbox } from '../../platform/outbox/index.js';
import { badRequest, conflict, fieldErrors, forbidden, notFound } from '../../platform/errors.js';
import { uid } from '../../platform/ids.js';
import { todayIst } from '../../platform/periods.js';
import type { Permission } from '../../platform/roles.js';
import { getFacility } from '../facilities/facilities.service.js';
import { resolveOrgUnit } from '../geo/geo.service.js';
import { computeBill, dayFlags, monthDays, type Flag } from './kitchens.bill.js';
import * as repo from './kitchens.repository.js';
import type { DayInput, KitchenInput } from './kitchens.schema.js';

type Db = repo.Db;
const ANY: Permission[] = ['can_run_kitchen', 'can_manage_kitchens', 'can_pay_kitchens'];

function requireAny(actor: Actor, perms: Permission[]) {
  if (perms.some((p) => actor.permissions.has(p))) return;
  throw forbidden(`Your role (${actor.role}) does not have ${perms.join(' or ')}`, `आपकी भूमिका (${actor.role}) को ${perms.join(' या ')} की अनुमति नहीं है`);
}
function checkDay(day: string, field: string) {
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day) throw badRequest(`${field} ${day} is not a date; use YYYY-MM-DD`, `${field} ${day} तिथि नहीं है; YYYY-MM-DD लिखें`, { field });
  return day;
}
/** Only the state officer who pays sees the whole account number (an admin, too, sees it masked). */
const seesAccount = (actor: Actor) => actor.permissions.has('can_pay_kitchens') && actor.role !== 'admin';

const kitchenDto = (actor: Actor, r: repo.KitchenRow) => ({
  id: r.id, hospital: { id: r.facility_id, name: r.facility_name }, groupName: r.group_name, groupNameHi: r.group_name_hi,
  bankAccountMasked: maskAccount(r.bank_account), ...(seesAccount(actor) ? { bankAccount: r.bank_account } : {}), ifsc: r.ifsc, startedOn: r.started_on,
});

/** A kitchen in the caller's area, or 404 (another area's kitchen is not named). */
async function kitchenIn(db: Db, actor: Actor, id: string) {
  const k = await repo.kitchenById(db, id);
  if (!k || !k.facility_path.startsWith(actor.orgPath)) throw notFound(`No kitchen has id ${id} in your area`, `आपके क्षेत्र में आईडी ${id} की कोई रसोई नहीं है`);
  return k;
}

export async function createKitchen(db: Db, actor: Actor, input: KitchenInput) {
  requireAny(actor, ['can_manage_kitchens', 'can_run_kitchen']);
  const problems: { field: string; message: string; messageHi?: string }[] = [];
  const account = input.bankAccount.replace(/[\s-]/g, '');
  if (!/^[0-9]{9,18}$/.test(account)) problems.push({ field: 'bankAccount', message: 'the bank account number must be 9 to 18 digits', messageHi: 'बैंक खाता संख्या 9 से 18 अंकों की हो' });
  const ifsc = input.ifsc.trim().toUpperCase();
  if (!IFSC.test(ifsc)) problems.push({ field: 'ifsc', message: `IFSC ${input.ifsc} is not valid: 4 letters, a zero, then 6 letters or digits (e.g. SBIN0001234)`, messageHi: 'IFSC सही नहीं है: 4 अक्षर, शून्य, फिर 6 अक्षर या अंक (जैसे SBIN0001234)' });
  if (!input.groupName.trim()) problems.push({ field: 'groupName', message: 'give the self-help group\'s name', messageHi: 'स्वयं सहायता समूह का नाम दें' });
  const members = input.members.map((m, i) => {
    const mobile = m.mobile ? m.mobile.replace(/[\s-]/g, '').replace(/^(\+91|0091|0)/, '') : null;
    if (mobile && !/^[6-9][0-9]{9}$/.test(mobile)) problems.push({ field: `members/${i}/mobile`, message: `member ${i + 1}: mobile must be 10 digits starting with 6-9`, messageHi: `सदस्य ${i + 1}: मोबाइल 6-9 से शुरू होने वाले 10 अंक हों` });
    if (!m.name.trim()) problems.push({ field: `members/${i}/name`, message: `member ${i + 1}: give a name`, messageHi: `सदस्य ${i + 1}: नाम दें` });
    return { name: m.name.trim(), mobile, role: m.role?.trim() || null };
  });
  checkDay(input.startedOn, 'startedOn');
  if (problems.length) throw fieldErrors(problems);
  // The hospital: a facility of the registry inside the caller's area (a facility operator: their own).
  let facility;
  try {
    facility = await getFacility(db, { ...actor, permissions: new Set([...actor.permissions, 'can_read_facility']) }, input.hospitalId);
  } catch (e) {
    if ((e as { status?: number }).status === 404) throw badRequest(`No facility has id ${input.hospitalId}; pick the hospital from the list`, `आईडी ${input.hospitalId} वाला कोई संस्थान नहीं है`, { field: 'hospitalId' });
    throw e;
  }
  const unit = await repo.unitById(db, facility.id);
  if (!unit) throw badRequest(`Facility ${facility.name} is not placed in the hierarchy`, undefined, { field: 'hospitalId' });
  return inTransaction(db, async (trx) => {
    const id = uid();
    try {
      await repo.insertKitchen(trx, {
        id, facility_id: facility.id, facility_path: unit.path, state_lgd: unit.state_lgd, group_name: input.groupName.trim(), group_name_hi: input.groupNameHi?.trim() || null,
        bank_account: account, ifsc, started_on: input.startedOn, created_by: actor.userId,
      }, members);
    } catch (e) {
      if ((e as { code?: string }).code === '23505') throw conflict(`${facility.name} already has a running kitchen`, `${facility.name} में पहले से रसोई चल रही है`, { field: 'hospitalId' });
      throw e;
    }
    await recordAudit(trx, actor, { action: 'create', entity: 'kitchen', entityId: id, orgPath: unit.path, after: { hospital: facility.id, groupName: input.groupName, members: members.length, ifsc, bankAccount: maskAccount(account) } });
    return { id };
  });
}

export async function listKitchens(db: Db, actor: Actor, q: { district?: string; cursor?: string; limit?: number }) {
  requireAny(actor, ANY);
  let path = actor.orgPath;
  if (q.district) {
    const unit = await resolveOrgUnit(db, q.district, ['district'], 'district');
    if (unit.level !== 'district') throw badRequest(`${q.district} is not a district; give its id or LGD code`, `${q.district} जिला नहीं है`, { field: 'district' });
    if (unit.path.startsWith(actor.orgPath)) path = unit.path;
    else if (!actor.orgPath.startsWith(unit.path)) throw forbidden(`District ${unit.name} is outside your area`, `जिला ${unit.name} आपके क्षेत्र से बाहर है`);
  }
  const limit = q.limit ?? 50;
  const rows = await repo.kitchensUnder(db, { path, after: q.cursor, limit: limit + 1 });
  const page = rows.slice(0, limit);
  await recordAudit(db, actor, { action: 'read', entity: 'kitchen', orgPath: path, purpose: seesAccount(actor) ? 'kitchens with bank accounts' : 'kitchens', after: { results: page.length } });
  return { items: page.map((r) => kitchenDto(actor, r)), nextCursor: rows.length > limit ? page[page.length - 1].id : null };
}

export async function getKitchen(db: Db, actor: Actor, id: string) {
  requireAny(actor, ANY);
  const k = await kitchenIn(db, actor, id);
  const members = await repo.membersOf(db, id);
  await recordAudit(db, actor, { action: 'read', entity: 'kitchen', entityId: id, orgPath: k.facility_path, purpose: seesAccount(actor) ? 'members and bank account' : 'members' });
  return { ...kitchenDto(actor, k), members };
}

// ---- rates --------------------------------------------------------------------------------------------

async function stateOf(db: Db, actor: Actor) {
  const unit = await repo.unitById(db, actor.orgUnitId);
  if (!unit?.state_lgd) throw badRequest('Rates are a state\'s: sign in as an officer of the state', 'दरें राज्य की होती हैं: राज्य के अधिकारी के रूप में लॉग इन करें');
  return unit;
}

/** A new rate version for the caller's state (state level only): it applies to days from effectiveFrom; days before keep theirs. */
export async function addRate(db: Db, actor: Actor, input: { kind: 'patient_day' | 'attendant_meal'; amount: number; effectiveFrom: string }) {
  requirePermission(actor, 'can_manage_kitchens');
  if (actor.orgPath.split('/').filter(Boolean).length > 2) throw forbidden('Kitchen rates are the state\'s: a state officer sets them', 'रसोई की दरें राज्य तय करता है: राज्य अधिकारी');
  checkDay(input.effectiveFrom, 'effectiveFrom');
  const state = await stateOf(db, actor);
  input = { ...input, amount: Math.round(input.amount * 100) / 100 };
  return inTransaction(db, async (trx) => {
    const added = await repo.insertRate(trx, { state_lgd: state.state_lgd!, kind: input.kind, effective_from: input.effectiveFrom, amount: input.amount, created_by: actor.userId });
    if (!added) throw conflict(`The ${input.kind} rate already has a version from ${input.effectiveFrom}`, `${input.effectiveFrom} से यह दर पहले से है`, { field: 'effectiveFrom' });
    await recordAudit(trx, actor, { action: 'update', entity: 'kitchen_rate', entityId: input.kind, orgPath: state.path, after: input });
    return { stateLgd: state.state_lgd!, kind: input.kind, amount: input.amount, effectiveFrom: input.effectiveFrom };
  });
}

export async function listRates(db: Db, actor: Actor) {
  requireAny(actor, ANY);
  const state = await stateOf(db, actor);
  return { items: (await repo.ratesOf(db, state.state_lgd!)).map((r) => ({ stateLgd: r.state_lgd, kind: r.kind, amount: Number(r.amount), effectiveFrom: r.effective_from })) };
}

// ---- days -------------------------------------------------------------------------------------------------

const dayDto = (d: { day: string; inpatients: number; meals_served: number; attendant_meals: number; correction_reason: string | null }, beds?: number | null) => ({
  date: d.day, inpatients: d.inpatients, mealsServed: d.meals_served, attendantMeals: d.attendant_meals, correctionReason: d.correction_reason, flags: dayFlags(d, beds),
});

/**
 * The hospital's count of a day. One row per kitchen and day: a second entry is 409 unless it says
 * `correctionReason`, which replaces the figures and keeps the reason. A month with a bill is closed.
 */
export async function recordDay(db: Db, actor: Actor, id: string, input: DayInput) {
  requirePermission(actor, 'can_run_kitchen');
  const k = await kitchenIn(db, actor, id);
  checkDay(input.date, 'date');
  if (input.date > todayIst()) throw badRequest(`${input.date} is in the future; enter a day that has passed`, `${input.date} आने वाली तिथि है`, { field: 'date' });
  if (input.date < k.started_on) throw badRequest(`The kitchen started on ${k.started_on}; ${input.date} is before it`, `रसोई ${k.started_on} से चल रही है`, { field: 'date' });
  const set = { inpatients: input.inpatients, meals_served: input.mealsServed, attendant_meals: input.attendantMeals ?? 0 };
  return inTransaction(db, async (trx) => {
    await repo.lockKitchen(trx, id);
    const bill = await repo.billOf(trx, id, input.date.slice(0, 7));
    if (bill) throw conflict(`The bill of ${input.date.slice(0, 7)} is ${bill.status}; its days can no longer change`, `${input.date.slice(0, 7)} का बिल जमा हो चुका है; उसके दिन बदले नहीं जा सकते`, { field: 'date' });
    let created = true;
    if (input.correctionReason) {
      created = false;
      const done = await repo.correctDay(trx, id, input.date, { ...set, correction_reason: input.correctionReason.trim(), entered_by: actor.userId });
      if (!done) throw conflict(`${input.date} has no entry to correct; enter it without correctionReason`, `${input.date} की कोई प्रविष्टि नहीं है`, { field: 'correctionReason' });
    } else {
      const done = await repo.insertDay(trx, { kitchen_id: id, day: input.date, ...set, correction_reason: null, entered_by: actor.userId });
      if (!done) throw conflict(`${input.date} is already entered; to change it, send it again with correctionReason`, `${input.date} की प्रविष्टि पहले से है; बदलने के लिए कारण (correctionReason) के साथ भेजें`, { field: 'date' });
    }
    await recordAudit(trx, actor, { action: created ? 'create' : 'update', entity: 'kitchen_day', entityId: `${id}/${input.date}`, orgPath: k.facility_path, after: { ...input } });
    return { created, day: dayDto({ day: input.date, ...set, correction_reason: input.correctionReason?.trim() ?? null }, await bedsOf(trx, actor, k.facility_id)) };
  });
}

export async function listDays(db: Db, actor: Actor, id: string, month: string) {
  requireAny(actor, ANY);
  const k = await kitchenIn(db, actor, id);
  const { from, to } = monthDays(month);
  const beds = await bedsOf(db, actor, k.facility_id);
  return { items: (await repo.daysOf(db, id, from, to)).map((d) => dayDto(d, beds)) };
}

// ---- bills --------------------------------------------------------------------------------------------------

type BillRow = NonNullable<Awaited<ReturnType<typeof repo.billOf>>>;
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const storedDto = (b: BillRow) => ({
  kitchenId: b.kitchen_id, month: b.month, status: b.status, amount: Number(b.amount), days: b.days, patientDays: Number(b.patient_days), attendantMeals: b.attendant_meals,
  flags: (typeof b.flags === 'string' ? JSON.parse(b.flags) : b.flags) as Flag[], submittedAt: iso(b.submitted_at), approvedAt: iso(b.approved_at), paidAt: iso(b.paid_at), paymentReference: b.payment_reference,
});

/** The hospital's beds in the registry (null when it has none on record), to check the in-patient counts against. */
async function bedsOf(db: Db, actor: Actor, facilityId: string): Promise<number | null> {
  const f = await getFacility(db, { ...actor, permissions: new Set([...actor.permissions, 'can_read_facility']) }, facilityId).catch(() => null);
  return f?.beds ?? null;
}

async function compute(db: Db, actor: Actor, k: repo.KitchenRow, month: string) {
  const { from, to } = monthDays(month);
  const days = await repo.daysOf(db, k.id, from, to);
  const rates = k.state_lgd == null ? [] : await repo.ratesFor(db, k.state_lgd, to);
  return computeBill(days, rates, await bedsOf(db, actor, k.facility_id));
}

/** The month's bill: as stored once submitted, else computed now from the days (status draft). */
export async function getBill(db: Db, actor: Actor, id: string, month: string) {
  requireAny(actor, ANY);
  const k = await kitchenIn(db, actor, id);
  const stored = await repo.billOf(db, id, month);
  if (stored) return storedDto(stored);
  return { kitchenId: id, month, status: 'draft', ...(await compute(db, actor, k, month)), submittedAt: null, approvedAt: null, paidAt: null, paymentReference: null };
}

export async function submitBill(db: Db, actor: Actor, id: string, month: string, outbox?: Outbox) {
  requirePermission(actor, 'can_run_kitchen');
  const k = await kitchenIn(db, actor, id);
  if (month >= todayIst().slice(0, 7)) throw badRequest(`${month} has not ended; a month's bill is submitted after its last day`, `${month} अभी समाप्त नहीं हुआ है`, { field: 'month' });
  let told: string[] = [];
  const answer = await inTransaction(db, async (trx) => {
    await repo.lockKitchen(trx, id);
    const bill = await compute(trx, actor, k, month);
    if (bill.days === 0) throw badRequest(`No days are entered for ${month}; enter the days first`, `${month} के कोई दिन दर्ज नहीं हैं`, { field: 'month' });
    const added = await repo.insertBill(trx, { kitchen_id: id, month, status: 'submitted', amount: bill.amount, days: bill.days, patient_days: bill.patientDays, attendant_meals: bill.attendantMeals, flags: JSON.stringify(bill.flags), submitted_by: actor.userId });
    if (!added) throw conflict(`The bill of ${month} is already submitted`, `${month} का बिल पहले ही जमा है`);
    await recordAudit(trx, actor, { action: 'create', entity: 'kitchen_bill', entityId: `${id}/${month}`, orgPath: k.facility_path, after: bill });
    const stored = (await repo.billOf(trx, id, month))!;
    told = await tellGroup(trx, outbox, actor, k, stored);
    return storedDto(stored);
  });
  deliver(outbox, told);
  return answer;
}

const STATUS_HI: Record<string, string> = { submitted: 'जमा किया गया', approved: 'स्वीकृत', paid: 'भुगतान हो गया' };

/**
 * The group sees its bill's status: each member with a mobile is told by SMS when the bill is submitted,
 * approved and paid (queued in the same transaction; the outbox sends after commit).
 */
async function tellGroup(trx: Db, outbox: Outbox | undefined, actor: Actor, k: repo.KitchenRow, bill: BillRow): Promise<string[]> {
  if (!outbox) return [];
  const mobiles = [...new Set((await repo.membersOf(trx, k.id)).map((m) => m.mobile).filter((m): m is string => !!m))];
  if (!mobiles.length) return [];
  const amount = Number(bill.amount).toLocaleString('en-IN');
  const paid = bill.status === 'paid' ? ` to account ${maskAccount(k.bank_account)} (ref ${bill.payment_reference})` : '';
  const paidHi = bill.status === 'paid' ? ` खाते ${maskAccount(k.bank_account)} में (संदर्भ ${bill.payment_reference})` : '';
  const queued = await outbox.queue(trx, mobiles.map((to) => ({
    to, template: 'text', language: 'both' as const, about: { kind: 'kitchen_bill', id: `${k.id}/${bill.month}` }, createdBy: actor.username, orgPath: k.facility_path,
    params: {
      en: `Swasthya: the Didi ki Rasoi bill of ${k.facility_name} for ${bill.month}, Rs ${amount}, is ${bill.status}${paid}.`,
      hi: `स्वास्थ्य: ${k.facility_name} की दीदी की रसोई का ${bill.month} का बिल, ₹${amount}: ${STATUS_HI[bill.status] ?? bill.status}${paidHi}।`,
    },
  })), { deliverAfterCommit: true });
  return queued.map((q) => q.id);
}
const deliver = (outbox: Outbox | undefined, ids: string[]) => { if (outbox && ids.length) void outbox.deliver(ids).catch(() => undefined); };

async function move(db: Db, actor: Actor, id: string, month: string, perm: Permission, from: 'submitted' | 'approved', set: Record<string, unknown>, what: string, outbox?: Outbox) {
  requirePermission(actor, perm);
  const k = await kitchenIn(db, actor, id);
  let told: string[] = [];
  const answer = await inTransaction(db, async (trx) => {
    const moved = await repo.moveBill(trx, id, month, from, set);
    if (!moved) {
      const now = await repo.billOf(trx, id, month);
      if (!now) throw notFound(`${month} has no submitted bill`, `${month} का कोई बिल जमा नहीं है`);
      throw conflict(`The bill of ${month} is ${now.status}, not ${from}; it cannot be ${what}`, `${month} का बिल ${now.status} है`);
    }
    await recordAudit(trx, actor, { action: 'update', entity: 'kitchen_bill', entityId: `${id}/${month}`, orgPath: k.facility_path, before: { status: from }, after: { status: moved.status } });
    const bill = (await repo.billOf(trx, id, month))!;
    told = await tellGroup(trx, outbox, actor, k, bill);
    return storedDto(bill);
  });
  deliver(outbox, told);
  return answer;
}

export const approveBill = (db: Db, actor: Actor, id: string, month: string, outbox?: Outbox) =>
  move(db, actor, id, month, 'can_manage_kitchens', 'submitted', { status: 'approved', approved_by: actor.userId, approved_at: new Date() }, 'approved', outbox);
export const payBill = (db: Db, actor: Actor, id: string, month: string, reference: string, outbox?: Outbox) =>
  move(db, actor, id, month, 'can_pay_kitchens', 'approved', { status: 'paid', paid_by: actor.userId, paid_at: new Date(), payment_reference: reference.trim() }, 'paid', outbox);
