// A return whose validation rules fail is not completed, or approved, by accident.
//
// A data set with validCompleteOnly (DHIS2's flag) refuses completion while any of its rules fails;
// with allowCompleteWithComments (Swasthya's, DHIS2 has none) the facility completes anyway by
// explaining every failing rule, and the explanations are kept with the completion. The district
// sees the failing rules and the explanations, and approves such a return only when it confirms.
//
// Every completion path (the return's own step, a data value set's completeDate, DHIS2's
// completeDataSetRegistrations) goes through completeChecked. Rules are evaluated on the values as
// committed, under the return's lock: completing takes it exclusively, value writers share it
// (holdReturns), so a value written at the same time either lands before the rules are evaluated
// or after the completion, when guardCompletedReturns refuses it if it makes a rule fail.
import { sql, type Kysely } from 'kysely';
import type { Database, OrgUnitRow } from '../../db/types.js';
import { requirePermission, requireScope, type Actor } from '../../platform/actor.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import { parsePeriod, type Period } from '../../platform/periods.js';
import { recordAudit } from '../../platform/audit.js';
import { resolveOrgUnit } from '../geo/geo.service.js';
import * as dvRepo from './hmis.datavalues.repository.js';
import { Lookup } from './hmis.lookup.js';
import { DEFAULTS } from './hmis.metadata.types.js';
import { check, rulesFor, sourceOf } from './hmis.quality.js';

type Db = Kysely<Database>;

/** Takes the return's lock for the rest of the transaction: exclusively to complete or review it, shared to write values. */
export async function lockReturns(db: Db, keys: Iterable<string>, mode: 'exclusive' | 'shared') {
  const sorted = [...new Set(keys)].sort();
  if (!sorted.length) return;
  const fn = sql.raw(mode === 'exclusive' ? 'pg_advisory_xact_lock' : 'pg_advisory_xact_lock_shared');
  await sql`select ${fn}(${sql.lit(dvRepo.RETURN_LOCK)}, hashtext(s.k)) from (select k from unnest(${sorted}::text[]) as k order by k) as s`.execute(db);
}

export interface RuleComment { rule: string; comment: string }
export interface FailingRule {
  rule: { id: string; code: string | null; name: string; nameHi: string | null; instruction: string | null; instructionHi: string | null; importance: string; operator: string };
  leftValue: number | null;
  rightValue: number | null;
  comment: { text: string; by: string; at: string } | null;
}

interface ReturnOf { dataSetId: string; elementIds: Set<string>; periodId: string; orgUnitId: string; aoc: string }

/** The data set's rules that fail on the return's values as they are now, with the comments kept for them. */
export async function failingRules(db: Db, r: ReturnOf): Promise<FailingRule[]> {
  const values = await db.selectFrom('hmis_data_values').select(['data_element_id', 'coc_id', 'num_value'])
    .where('org_unit_id', '=', r.orgUnitId).where('period', '=', r.periodId).where('aoc_id', '=', r.aoc).execute();
  const failing = check(await rulesFor(db, { elementIds: r.elementIds }), sourceOf(values));
  if (!failing.length) return [];
  const comments = new Map((await storedComments(db, r)).map((c) => [c.rule_id, c]));
  return failing.map((f) => {
    const c = comments.get(f.rule.id);
    return { rule: { ...f.rule, code: f.rule.code ?? null }, leftValue: f.leftValue, rightValue: f.rightValue, comment: c ? { text: c.comment, by: c.commented_by, at: c.created_at.toISOString() } : null };
  });
}

const storedComments = (db: Db, r: ReturnOf) => db.selectFrom('hmis_completion_comments').selectAll()
  .where('data_set_id', '=', r.dataSetId).where('period', '=', r.periodId).where('org_unit_id', '=', r.orgUnitId).where('aoc_id', '=', r.aoc).execute();

const num = (v: number | null) => (v === null ? '–' : String(v));
/** "name (left 12, right 3)" for each rule, in one language. */
export function describeRules(rules: FailingRule[], lang: 'en' | 'hi') {
  return rules.map((f) => lang === 'hi'
    ? `${f.rule.nameHi ?? f.rule.name} (बायाँ पक्ष ${num(f.leftValue)}, दायाँ पक्ष ${num(f.rightValue)})`
    : `${f.rule.name} (left ${num(f.leftValue)}, right ${num(f.rightValue)})`).join('; ');
}

async function completionFlags(db: Db, dataSetId: string) {
  const r = await db.selectFrom('hmis_data_sets').select(['valid_complete_only', 'allow_complete_with_comments']).where('id', '=', dataSetId).executeTakeFirstOrThrow();
  return { validCompleteOnly: r.valid_complete_only, allowCompleteWithComments: r.allow_complete_with_comments };
}

export interface CompleteArgs {
  ds: { id: string; elementIds: Set<string> };
  period: Period;
  unit: OrgUnitRow;
  aoc: string;
  at: Date;
  /** Move an earlier completion's time (an admin's backdating of history). */
  overwrite?: boolean;
  /** One explanation per failing rule, by rule id or code, where the data set allows completing anyway. */
  comments?: RuleComment[];
}

/**
 * Completes a return if its validation rules allow it (call it in a transaction; the return's
 * lock is taken here). Refused with a 409 listing each failing rule with its values, in English and
 * Hindi, when the data set is validCompleteOnly and does not allow comments, or when a failing rule
 * has no comment; otherwise the completion is registered and the comments kept with it.
 */
export async function completeChecked(db: Db, actor: Actor, a: CompleteArgs): Promise<{ failingRules: FailingRule[] }> {
  const ret: ReturnOf = { dataSetId: a.ds.id, elementIds: a.ds.elementIds, periodId: a.period.id, orgUnitId: a.unit.id, aoc: a.aoc };
  await lockReturns(db, [dvRepo.returnKey(a.ds.id, a.period.id, a.unit.id, a.aoc)], 'exclusive');
  const flags = await completionFlags(db, a.ds.id);
  const failing = flags.validCompleteOnly ? (await failingRules(db, ret)).map((f) => ({ ...f, comment: null })) : [];
  const given = new Map<string, string>();
  for (const c of a.comments ?? []) if (c.comment?.trim()) given.set(c.rule, c.comment.trim());
  const commentOf = (f: FailingRule) => given.get(f.rule.id) ?? (f.rule.code ? given.get(f.rule.code) : undefined);
  if (failing.length && !flags.allowCompleteWithComments) {
    throw conflict(`This return cannot be completed while ${failing.length} validation rule(s) fail: ${describeRules(failing, 'en')}. Correct the values and complete again.`,
      `${failing.length} सत्यापन नियम पूरे नहीं होते, इसलिए यह रिपोर्ट पूर्ण नहीं की जा सकती: ${describeRules(failing, 'hi')}। आँकड़े सुधारकर फिर से पूर्ण करें।`,
      { reason: 'validation_rules_fail', commentsAllowed: false, failingRules: failing });
  }
  const missing = failing.filter((f) => !commentOf(f));
  if (missing.length) {
    throw conflict(`Explain each failing validation rule to complete this return; no comment was given for: ${describeRules(missing, 'en')}`,
      `रिपोर्ट पूर्ण करने के लिए हर असफल सत्यापन नियम का कारण लिखें; इन नियमों पर टिप्पणी नहीं दी गई: ${describeRules(missing, 'hi')}`,
      { reason: 'validation_rules_fail', commentsAllowed: true, failingRules: failing, missingComments: missing.map((f) => f.rule.id) });
  }
  await dvRepo.complete(db, a.ds.id, a.period, a.unit, a.aoc, a.at, actor, !!a.overwrite);
  if (failing.length) {
    await db.insertInto('hmis_completion_comments').values(failing.map((f) => ({
      data_set_id: a.ds.id, period: a.period.id, org_unit_id: a.unit.id, aoc_id: a.aoc, rule_id: f.rule.id, comment: commentOf(f)!,
      left_value: f.leftValue, right_value: f.rightValue, commented_by: actor.username,
    }))).onConflict((oc) => oc.columns(['data_set_id', 'period', 'org_unit_id', 'aoc_id', 'rule_id']).doUpdateSet((eb) => ({
      comment: eb.ref('excluded.comment'), left_value: eb.ref('excluded.left_value'), right_value: eb.ref('excluded.right_value'), commented_by: eb.ref('excluded.commented_by'), created_at: new Date(),
    }))).execute();
  }
  return { failingRules: failing.map((f) => ({ ...f, comment: { text: commentOf(f)!, by: actor.username, at: a.at.toISOString() } })) };
}

/**
 * After values are written: a completed return of a validCompleteOnly data set must still pass its
 * rules, or carry a comment for each that fails. Refuses the write (409) otherwise; the return can
 * be marked incomplete, corrected and completed again.
 */
export async function guardCompletedReturns(db: Db, lookup: Lookup, keys: Iterable<string>) {
  const all = [...new Set(keys)].map((k) => k.split('|'));
  for (let i = 0; i < all.length; i += 5000) {
    const b = all.slice(i, i + 5000);
    const col = (j: number) => b.map((k) => k[j]);
    // Of these returns, the completed ones of validCompleteOnly data sets: one query however many the import touched.
    const { rows } = await sql<{ ds: string; period: string; ou: string; aoc: string }>`
      select c.data_set_id as ds, c.period, c.org_unit_id as ou, c.aoc_id as aoc
      from unnest(${col(0)}::text[], ${col(1)}::text[], ${col(2)}::text[], ${col(3)}::text[]) as k(ds, period, ou, aoc)
      join hmis_complete_registrations c on c.data_set_id = k.ds and c.period = k.period and c.org_unit_id = k.ou and c.aoc_id = k.aoc
      join hmis_data_sets d on d.id = c.data_set_id and d.valid_complete_only`.execute(db);
    for (const r of rows) {
      const ds = lookup.dataSets.get(r.ds);
      if (!ds) continue;
      const uncommented = (await failingRules(db, { dataSetId: r.ds, elementIds: ds.elementIds, periodId: r.period, orgUnitId: r.ou, aoc: r.aoc })).filter((f) => !f.comment);
      if (uncommented.length) {
        throw conflict(`The ${r.period} return is completed and these values would make its validation rules fail: ${describeRules(uncommented, 'en')}. Mark the return incomplete first, or correct the values.`,
          `${r.period} की रिपोर्ट पूर्ण है और ये आँकड़े उसके सत्यापन नियम तोड़ देंगे: ${describeRules(uncommented, 'hi')}। पहले रिपोर्ट को अपूर्ण करें या आँकड़े सुधारें।`,
          { reason: 'validation_rules_fail', orgUnit: r.ou, period: r.period, failingRules: uncommented });
      }
    }
  }
}

/** The return as the district reviews it before approving: its status, failing rules and the facility's comments. */
export async function returnReview(db: Db, actor: Actor, q: { dataSet: string; period: string; orgUnit: string }) {
  requirePermission(actor, 'can_read_data');
  const lookup = await Lookup.load(db);
  const ds = lookup.dataSet(q.dataSet, 'UID');
  if (!ds) throw notFound(`No data set has id or code ${q.dataSet}`, `डेटा सेट ${q.dataSet} नहीं मिला`);
  const period = parsePeriod(q.period);
  if (period.type !== ds.periodType) throw badRequest(`Data set ${ds.code ?? ds.id} is ${ds.periodType}; ${period.id} is ${period.type}`, 'अवधि का प्रकार डेटा सेट से मेल नहीं खाता', { field: 'period' });
  const unit = await resolveOrgUnit(db, q.orgUnit);
  requireScope(actor, unit.path, unit.name);
  const ret: ReturnOf = { dataSetId: ds.id, elementIds: ds.elementIds, periodId: period.id, orgUnitId: unit.id, aoc: DEFAULTS.categoryOptionCombo };
  const [flags, failing, comments, completion, state] = await Promise.all([
    completionFlags(db, ds.id), failingRules(db, ret), storedComments(db, ret),
    db.selectFrom('hmis_complete_registrations').select(['completed_at', 'completed_by']).where('data_set_id', '=', ds.id).where('period', '=', period.id).where('org_unit_id', '=', unit.id).where('aoc_id', '=', ret.aoc).executeTakeFirst(),
    db.selectFrom('hmis_return_states').select(['state', 'reason']).where('data_set_id', '=', ds.id).where('period', '=', period.id).where('org_unit_id', '=', unit.id).where('aoc_id', '=', ret.aoc).executeTakeFirst(),
  ]);
  return {
    dataSet: ds.id, period: period.id, orgUnit: { id: unit.id, name: unit.name, nameHi: unit.name_hi },
    validCompleteOnly: flags.validCompleteOnly, allowCompleteWithComments: flags.allowCompleteWithComments,
    completedAt: completion?.completed_at?.toISOString() ?? null, completedBy: completion?.completed_by ?? null, state: state?.state ?? null,
    failingRules: failing,
    comments: comments.map((c) => ({ rule: c.rule_id, comment: c.comment, leftValue: c.left_value, rightValue: c.right_value, by: c.commented_by, at: c.created_at.toISOString(), stillFailing: failing.some((f) => f.rule.id === c.rule_id) })),
  };
}

/** Sets a data set's completion rules: DHIS2's validCompleteOnly, Swasthya's allowCompleteWithComments. */
export async function setCompletionRules(db: Db, actor: Actor, id: string, body: { validCompleteOnly?: boolean; allowCompleteWithComments?: boolean }) {
  requirePermission(actor, 'can_update_metadata');
  const ds = await db.selectFrom('hmis_data_sets').select(['id', 'valid_complete_only', 'allow_complete_with_comments']).where((eb) => eb.or([eb('id', '=', id), eb('code', '=', id)])).forUpdate().executeTakeFirst();
  if (!ds) throw notFound(`No data set has id or code ${id}`, `आईडी या कोड ${id} वाला कोई डेटा सेट नहीं मिला`);
  const next = { valid_complete_only: body.validCompleteOnly ?? ds.valid_complete_only, allow_complete_with_comments: body.allowCompleteWithComments ?? ds.allow_complete_with_comments };
  await db.updateTable('hmis_data_sets').set({ ...next, updated_at: new Date() }).where('id', '=', ds.id).execute();
  await recordAudit(db, actor, { action: 'update', entity: 'hmisDataSet', entityId: ds.id, orgPath: actor.orgPath,
    before: { validCompleteOnly: ds.valid_complete_only, allowCompleteWithComments: ds.allow_complete_with_comments }, after: { validCompleteOnly: next.valid_complete_only, allowCompleteWithComments: next.allow_complete_with_comments } });
  return { id: ds.id, validCompleteOnly: next.valid_complete_only, allowCompleteWithComments: next.allow_complete_with_comments };
}
