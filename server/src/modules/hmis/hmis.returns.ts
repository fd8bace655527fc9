import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, requireScope, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { isTimely, parsePeriod, type Period } from '../../platform/periods.js';
import { resolveOrgUnit } from '../geo/geo.service.js';
import { complianceScope, completions } from './hmis.compliance.js';
import * as dvRepo from './hmis.datavalues.repository.js';
import { completeChecked, describeRules, failingRules, lockReturns, type FailingRule, type RuleComment } from './hmis.returns.checks.js';
import { Lookup } from './hmis.lookup.js';
import { DEFAULTS } from './hmis.metadata.types.js';
import { uid } from '../../platform/ids.js';
import { mobileNumber, type NewMessage, type Outbox } from '../../platform/outbox/index.js';

type Db = Kysely<Database>;
export type ReturnAction = 'complete' | 'uncomplete' | 'return' | 'approve' | 'accept' | 'unapprove';
export interface ReturnRef {
  dataSet: string; period: string; orgUnit: string; reason?: string;
  /** Completing: one explanation per failing validation rule, where the data set allows completing anyway. */
  comments?: RuleComment[];
  /** Approving: the approver has seen the failing validation rules (and their comments) and approves anyway. */
  confirmFailingRules?: boolean;
}

/** Who may take each step: the facility completes; block or district reviews and approves; the state accepts. */
const RULES: Record<ReturnAction, { permission: 'can_submit_data' | 'can_approve_data'; roles?: string[]; needsReason?: boolean }> = {
  complete: { permission: 'can_submit_data' },
  uncomplete: { permission: 'can_submit_data' },
  return: { permission: 'can_approve_data', needsReason: true },
  approve: { permission: 'can_approve_data', roles: ['admin', 'block_officer', 'district_officer', 'state_officer'] },
  accept: { permission: 'can_approve_data', roles: ['admin', 'state_officer'] },
  unapprove: { permission: 'can_approve_data', needsReason: true },
};

/**
 * One step of the monthly return's journey. Approved and accepted returns are locked against
 * data entry; returning or un-approving needs a reason; every step is in the audit log.
 */
export async function returnStep(db: Db, actor: Actor, action: ReturnAction, ref: ReturnRef, now = new Date()) {
  const rule = RULES[action];
  requirePermission(actor, rule.permission);
  if (rule.roles && !rule.roles.includes(actor.role)) {
    throw forbidden(`Only ${rule.roles.join(', ')} may ${action} a return`, 'आपको यह चरण करने की अनुमति नहीं है');
  }
  if (rule.needsReason && !ref.reason?.trim()) throw badRequest(`A reason is required to ${action} a return`, 'कारण बताना आवश्यक है', { field: 'reason' });
  const lookup = await Lookup.load(db);
  const ds = lookup.dataSet(ref.dataSet, 'UID');
  if (!ds) throw notFound(`No data set has id or code ${ref.dataSet}`, `डेटा सेट ${ref.dataSet} नहीं मिला`);
  const period = parsePeriod(ref.period);
  if (period.type !== ds.periodType) throw badRequest(`Data set ${ds.code ?? ds.id} is ${ds.periodType}; ${period.id} is ${period.type}`, 'अवधि का प्रकार डेटा सेट से मेल नहीं खाता', { field: 'period' });
  const unit = await resolveOrgUnit(db, ref.orgUnit);
  requireScope(actor, unit.path, unit.name);
  if (['approve', 'accept', 'return', 'unapprove'].includes(action) && unit.id === actor.orgUnitId && actor.role !== 'admin') {
    throw conflict('A return is reviewed by the level above the unit that filed it', 'रिपोर्ट की समीक्षा ऊपर के स्तर द्वारा की जाती है');
  }
  const key = { data_set_id: ds.id, period: period.id, org_unit_id: unit.id, aoc_id: DEFAULTS.categoryOptionCombo };
  // The return's own lock first (value writers share it): its rules are judged on values no one is writing.
  await lockReturns(db, [dvRepo.returnKey(key.data_set_id, key.period, key.org_unit_id, key.aoc_id)], 'exclusive');
  let failing: FailingRule[] | undefined;
  const where = (t: 'hmis_complete_registrations' | 'hmis_return_states') => db.selectFrom(t).selectAll().where('data_set_id', '=', key.data_set_id).where('period', '=', key.period).where('org_unit_id', '=', key.org_unit_id).where('aoc_id', '=', key.aoc_id);
  // The return's rows are locked until this step commits: two steps on one return (approve and send
  // back, say) take turns and the second sees what the first did; value writes hold the completion
  // row FOR SHARE (holdReturns), so an approval waits for them and they, after it, see it approved.
  const completion = await where('hmis_complete_registrations').forUpdate().executeTakeFirst();
  const state = await where('hmis_return_states').forUpdate().executeTakeFirst();
  const locked = state?.state === 'approved' || state?.state === 'accepted';
  const del = (t: 'hmis_complete_registrations' | 'hmis_return_states') => db.deleteFrom(t).where('data_set_id', '=', key.data_set_id).where('period', '=', key.period).where('org_unit_id', '=', key.org_unit_id).where('aoc_id', '=', key.aoc_id).execute();
  const setState = (s: 'returned' | 'approved' | 'accepted') => db.insertInto('hmis_return_states').values({ ...key, state: s, reason: ref.reason ?? null, ou_path: unit.path, updated_by: actor.username })
    .onConflict((oc) => oc.columns(['data_set_id', 'period', 'org_unit_id', 'aoc_id']).doUpdateSet({ state: s, reason: ref.reason ?? null, updated_by: actor.username, updated_at: now })).execute();

  switch (action) {
    case 'complete':
      if (locked) throw conflict('This return is approved and locked', 'यह रिपोर्ट स्वीकृत और लॉक है');
      failing = (await completeChecked(db, actor, { ds, period, unit, aoc: key.aoc_id, at: now, comments: ref.comments })).failingRules;
      if (state?.state === 'returned') await del('hmis_return_states');
      break;
    case 'uncomplete':
      if (locked) throw conflict('This return is approved and locked; ask the district to un-approve it', 'यह रिपोर्ट स्वीकृत है; पहले जिले से अस्वीकृत कराएँ');
      if (!completion) throw conflict('This return is not completed', 'यह रिपोर्ट पूर्ण नहीं है');
      await del('hmis_complete_registrations');
      break;
    case 'return':
      if (!completion) throw conflict('Only a completed return can be sent back', 'केवल पूर्ण रिपोर्ट ही वापस भेजी जा सकती है');
      if (locked) throw conflict('Un-approve the return before sending it back', 'वापस भेजने से पहले अस्वीकृत करें');
      await del('hmis_complete_registrations');
      await setState('returned');
      await notify(db, unit.id, 'returned', `Return ${period.id} sent back`, `${actor.username}: ${ref.reason}`, ds.id, period.id, actor);
      break;
    case 'approve':
      if (!completion) throw conflict('Only a completed return can be approved', 'केवल पूर्ण रिपोर्ट ही स्वीकृत की जा सकती है');
      if (locked) throw conflict(`This return is already ${state!.state}`, 'यह रिपोर्ट पहले से स्वीकृत है');
      failing = await failingRules(db, { dataSetId: ds.id, elementIds: ds.elementIds, periodId: period.id, orgUnitId: unit.id, aoc: key.aoc_id });
      if (failing.length && ref.confirmFailingRules !== true) {
        throw conflict(`This return fails ${failing.length} validation rule(s): ${describeRules(failing, 'en')}. Read them and the facility's comments, then approve with confirmFailingRules: true.`,
          `यह रिपोर्ट ${failing.length} सत्यापन नियम पूरे नहीं करती: ${describeRules(failing, 'hi')}। इन्हें और संस्थान की टिप्पणियाँ पढ़कर पुष्टि के साथ स्वीकृत करें।`,
          { reason: 'confirm_failing_rules', failingRules: failing });
      }
      await setState('approved');
      break;
    case 'accept':
      if (state?.state !== 'approved') throw conflict('The district must approve the return before the state accepts it', 'राज्य द्वारा स्वीकार करने से पहले जिले की स्वीकृति आवश्यक है');
      await setState('accepted');
      break;
    case 'unapprove':
      if (!locked) throw conflict('This return is not approved', 'यह रिपोर्ट स्वीकृत नहीं है');
      if (state!.state === 'accepted' && !['admin', 'state_officer'].includes(actor.role)) throw conflict('The state has accepted this return; only the state can undo that', 'राज्य द्वारा स्वीकार की गई रिपोर्ट केवल राज्य बदल सकता है');
      await del('hmis_return_states');
      break;
  }
  await recordAudit(db, actor, { action: 'update', entity: 'hmisReturn', entityId: `${ds.id}/${period.id}/${unit.id}`, orgPath: unit.path, purpose: ref.reason ?? null,
    before: { completed: completion?.completed_at?.toISOString() ?? null, state: state?.state ?? null },
    after: { action, ...(failing?.length ? { failingRules: failing.map((f) => ({ rule: f.rule.code ?? f.rule.id, left: f.leftValue, right: f.rightValue, comment: f.comment?.text ?? null })) } : {}) } });
  return { ...(await returnStatus(db, ds.id, ds.timelyDays, period, unit.id)), ...(failing ? { failingRules: failing } : {}) };
}

async function returnStatus(db: Db, dataSetId: string, timelyDays: number, period: Period, orgUnitId: string) {
  const c = await db.selectFrom('hmis_complete_registrations').selectAll().where('data_set_id', '=', dataSetId).where('period', '=', period.id).where('org_unit_id', '=', orgUnitId).executeTakeFirst();
  const s = await db.selectFrom('hmis_return_states').selectAll().where('data_set_id', '=', dataSetId).where('period', '=', period.id).where('org_unit_id', '=', orgUnitId).executeTakeFirst();
  const values = await db.selectFrom('hmis_data_values').select((eb) => eb.fn.countAll<number>().as('n')).where('org_unit_id', '=', orgUnitId).where('period', '=', period.id).executeTakeFirstOrThrow();
  return { dataSet: dataSetId, period: period.id, orgUnit: orgUnitId, ...statusOf(c?.completed_at ?? null, s?.state ?? null, s?.reason ?? null, Number(values.n), period, timelyDays) };
}

export type ReturnStatus = 'not_started' | 'draft' | 'completed_on_time' | 'completed_late' | 'returned' | 'approved' | 'accepted';

export function statusOf(completedAt: Date | null, state: string | null, reason: string | null, values: number, period: Period, timelyDays: number) {
  let status: ReturnStatus;
  if (state === 'approved' || state === 'accepted') status = state;
  else if (state === 'returned' && !completedAt) status = 'returned';
  else if (completedAt) status = isTimely(period, timelyDays, completedAt) ? 'completed_on_time' : 'completed_late';
  else status = values > 0 ? 'draft' : 'not_started';
  return { status, completedAt: completedAt?.toISOString() ?? null, reason: state === 'returned' ? reason : null, values, locked: state === 'approved' || state === 'accepted' };
}

/** The district's screen: every expected facility's status for the month. */
const STATUS_ORDER = ['completed_late', 'completed_on_time', 'returned', 'draft', 'not_started', 'approved', 'accepted'] as const;

/**
 * Each facility's return for the period, with a count by status over all of them, those awaiting the
 * officer first. With `status` the
 * items are that status's only; with `limit` (and `offset`) one page of them, and `total` says how many
 * there are in all (a district has hundreds of facilities).
 */
export async function returnStatuses(db: Db, actor: Actor, q: { dataSet: string; period: string; orgUnit: string; status?: string; limit?: number; offset?: number }) {
  const s = await complianceScope(db, actor, q);
  const done = new Map((await completions(db, s)).map((c) => [`${c.org_unit_id}|${c.period}`, c.completed_at]));
  const states = new Map((await db.selectFrom('hmis_return_states').selectAll().where('data_set_id', '=', s.ds.id).where('period', 'in', s.periods.map((p) => p.id)).where('ou_path', 'like', `${s.area.path}%`).execute()).map((r) => [`${r.org_unit_id}|${r.period}`, r]));
  const counts = new Map((await db.selectFrom('hmis_data_values').select(['org_unit_id', 'period']).select((eb) => eb.fn.countAll<number>().as('n'))
    .where('period', 'in', s.periods.map((p) => p.id)).where('ou_path', 'like', `${s.area.path}%`).where('data_element_id', 'in', [...s.ds.elementIds, '-'])
    .groupBy(['org_unit_id', 'period']).execute()).map((r) => [`${r.org_unit_id}|${r.period}`, Number(r.n)]));
  const items = s.units.flatMap((u) => s.periods.map((p) => {
    const k = `${u.id}|${p.id}`;
    const st = states.get(k);
    return { id: u.id, name: u.name, nameHi: u.nameHi, type: u.type, ownership: u.ownership, period: p.id, district: u.districtName, districtHi: u.districtNameHi, block: u.blockName, blockHi: u.blockNameHi, ...statusOf(done.get(k) ?? null, st?.state ?? null, st?.reason ?? null, counts.get(k) ?? 0, p, s.ds.timelyDays) };
  }));
  const summary: Record<string, number> = {};
  for (const i of items) summary[i.status] = (summary[i.status] ?? 0) + 1;
  // Those awaiting the officer come first (completed, to approve or send back), then the ones sent back,
  // drafts and those not started, then the approved and accepted; by the units' order within each.
  const rank = (st: string) => STATUS_ORDER.indexOf(st as (typeof STATUS_ORDER)[number]);
  const chosen = (q.status ? items.filter((i) => i.status === q.status) : items)
    .map((i, n) => ({ i, n })).sort((a, b) => rank(a.i.status) - rank(b.i.status) || a.n - b.n).map((x) => x.i);
  const offset = q.offset ?? 0;
  const page = q.limit === undefined ? chosen.slice(offset) : chosen.slice(offset, offset + q.limit);
  return { dataSet: s.ds.id, period: s.period.id, orgUnit: { id: s.area.id, name: s.area.name }, summary, total: chosen.length, offset, items: page };
}

async function notify(db: Db, orgUnitId: string, kind: string, title: string, body: string, dataSet: string, period: string, actor: Actor) {
  await db.insertInto('hmis_notifications').values({ org_unit_id: orgUnitId, kind, title, body, data_set_id: dataSet, period, created_by: actor.username }).execute();
}

/**
 * Reminds every defaulter (or the ones named): an in-app notification, and an SMS to the facility's
 * mobile and an e-mail to its address, written to the outbox with this transaction (`round` names
 * them all). A facility with neither (a landline only) is listed in `withoutContact`. The caller
 * tries the messages after commit (`reminderOutcome`); what was sent and what failed is then known.
 */
export async function remindDefaulters(db: Db, actor: Actor, q: { dataSet: string; period: string; orgUnit: string; only?: string[] }, outbox: Outbox) {
  requirePermission(actor, 'can_approve_data');
  const { defaulters } = await import('./hmis.compliance.js');
  const list = await defaulters(db, actor, q);
  const targets = q.only?.length ? list.items.filter((i) => q.only!.includes(i.id)) : list.items;
  const paths = new Map(targets.length ? (await db.selectFrom('org_units').select(['id', 'path']).where('id', 'in', targets.map((t) => t.id)).execute()).map((u) => [u.id, u.path]) : []);
  const round = uid();
  const messages: NewMessage[] = [];
  const withoutContact: { id: string; name: string; phone: string | null }[] = [];
  for (const d of targets) {
    await notify(db, d.id, 'reminder', `Monthly report ${d.period} is due`, `${d.name}: please complete the ${d.period} return. / कृपया ${d.period} की मासिक रिपोर्ट जमा करें।`, list.dataSet, d.period, actor);
    const common = {
      template: 'hmis.reminder', params: { facility: d.name, facilityHi: d.nameHi ?? d.name, period: d.period },
      about: { kind: 'hmis_reminder', id: round }, createdBy: actor.username, orgPath: paths.get(d.id) ?? null,
    };
    const mobile = mobileNumber(d.phone);
    if (mobile) messages.push({ ...common, to: mobile, channel: 'sms' });
    if (d.email) messages.push({ ...common, to: d.email, channel: 'email' });
    if (!mobile && !d.email) withoutContact.push({ id: d.id, name: d.name, phone: d.phone });
  }
  const queued = await outbox.queue(db, messages, { deliverAfterCommit: true });
  await recordAudit(db, actor, { action: 'create', entity: 'reminder', entityId: round, orgPath: actor.orgPath, after: { dataSet: list.dataSet, period: list.period, facilities: targets.length, messages: queued.length, withoutContact: withoutContact.length } });
  return { round, facilities: targets.length, withoutContact, messageIds: queued.map((m) => m.id) };
}

/**
 * After commit: tries the round's messages (for at most `budgetMs`; the rest stay queued) and says
 * what happened: in-app notices; messages queued, sent, failed (tried and not delivered: retried
 * later, `gaveUp` of them no more) and waiting (not tried yet); facilities with no mobile or e-mail.
 */
export async function reminderOutcome(outbox: Outbox, r: Awaited<ReturnType<typeof remindDefaulters>>, budgetMs = 10_000) {
  await outbox.deliver(r.messageIds, { budgetMs });
  const messages = { queued: r.messageIds.length, sent: 0, failed: 0, gaveUp: 0, waiting: 0 };
  for (const x of await outbox.summaryAbout('hmis_reminder', r.round)) {
    if (x.status === 'sent') messages.sent += x.n;
    else if (x.status === 'failed') { messages.failed += x.n; messages.gaveUp += x.n; } else if (x.tried && x.status === 'queued') messages.failed += x.n;
    else messages.waiting += x.n;
  }
  return { round: r.round, facilities: r.facilities, inApp: r.facilities, channels: ['in-app', 'sms', 'email'], messages, withoutContact: r.withoutContact };
}

export async function notifications(db: Db, actor: Actor) {
  return { items: await db.selectFrom('hmis_notifications as n').innerJoin('org_units as o', 'o.id', 'n.org_unit_id').selectAll('n').select('o.name as org_unit_name')
    .where('o.path', 'like', `${actor.orgPath}%`).orderBy('n.id', 'desc').limit(100).execute() };
}

/** Lets a facility enter a period its data set has closed (DHIS2 lock exception); officers above it grant one. */
export async function grantLockException(db: Db, actor: Actor, ref: ReturnRef) {
  requirePermission(actor, 'can_approve_data');
  if (!ref.reason?.trim()) throw badRequest('A reason is required for an exception', 'अपवाद के लिए कारण आवश्यक है', { field: 'reason' });
  const lookup = await Lookup.load(db);
  const ds = lookup.dataSet(ref.dataSet, 'UID');
  if (!ds) throw notFound(`No data set has id or code ${ref.dataSet}`, `डेटा सेट ${ref.dataSet} नहीं मिला`);
  const period = parsePeriod(ref.period);
  const unit = await resolveOrgUnit(db, ref.orgUnit);
  requireScope(actor, unit.path, unit.name);
  if (unit.id === actor.orgUnitId && actor.role !== 'admin') throw conflict('An exception is granted by the level above the facility', 'अपवाद ऊपर के स्तर द्वारा दिया जाता है');
  await db.insertInto('hmis_lock_exceptions').values({ data_set_id: ds.id, org_unit_id: unit.id, period: period.id, ou_path: unit.path, granted_by: actor.username, reason: ref.reason })
    .onConflict((oc) => oc.columns(['data_set_id', 'org_unit_id', 'period']).doUpdateSet({ granted_by: actor.username, reason: ref.reason ?? null })).execute();
  await recordAudit(db, actor, { action: 'create', entity: 'lockException', entityId: `${ds.id}/${period.id}/${unit.id}`, orgPath: unit.path, purpose: ref.reason });
  return { dataSet: ds.id, period: period.id, orgUnit: unit.id, grantedBy: actor.username, reason: ref.reason };
}
