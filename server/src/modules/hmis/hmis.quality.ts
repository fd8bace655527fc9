import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, requireScope, type Actor } from '../../platform/actor.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { parsePeriod, previousPeriod, type Period } from '../../platform/periods.js';
import { resolveOrgUnit } from '../geo/geo.service.js';
import { complianceScope } from './hmis.compliance.js';
import { violates, type ValueSource } from './hmis.expression.js';
import { Lookup, type DataSetInfo } from './hmis.lookup.js';
import { hi } from './hmis.metadata.service.js';

type Db = Kysely<Database>;

/** How many earlier periods of a facility's own history outliers are judged against. */
const HISTORY = 12;
/** Modified z-score above which a value is an outlier (Iglewicz and Hoaglin). */
export const Z_LIMIT = 3.5;

export interface Stats { n: number; median: number; mad: number; min: number; max: number }

export function stats(xs: number[]): Stats | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const med = (a: number[]) => (a.length % 2 ? a[(a.length - 1) / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2);
  const median = med(s);
  const mad = med(s.map((x) => Math.abs(x - median)).sort((a, b) => a - b));
  return { n: s.length, median, mad, min: s[0], max: s[s.length - 1] };
}

/** The modified z-score of x against a history; when the spread is 0, a large jump still counts. */
export function zScore(x: number, st: Stats): number {
  if (st.mad > 0) return (0.6745 * (x - st.median)) / st.mad;
  const diff = Math.abs(x - st.median);
  return diff > 10 && diff > 0.5 * Math.abs(st.median) ? Math.sign(x - st.median) * Infinity : 0;
}

async function dataSetOf(db: Db, ref: string): Promise<{ lookup: Lookup; ds: DataSetInfo }> {
  const lookup = await Lookup.load(db);
  const ds = lookup.dataSet(ref, 'UID');
  if (!ds) throw notFound(`No data set has id or code ${ref}`, `डेटा सेट ${ref} नहीं मिला`);
  return { lookup, ds };
}

function earlier(period: Period, n: number): string[] {
  return Array.from({ length: n }, (_, i) => previousPeriod(period, i + 1).id);
}

/** A facility's own earlier values per item and option combo, for outlier checks while typing. */
export async function history(db: Db, actor: Actor, dataSetRef: string, q: { orgUnit: string; period: string }) {
  requirePermission(actor, 'can_read_data');
  const { ds } = await dataSetOf(db, dataSetRef);
  const unit = await resolveOrgUnit(db, q.orgUnit);
  requireScope(actor, unit.path, unit.name);
  const period = parsePeriod(q.period);
  if (period.type !== ds.periodType) throw badRequest(`Period ${period.id} is not ${ds.periodType}`, 'अवधि का प्रकार मेल नहीं खाता', { field: 'period' });
  const rows = await db.selectFrom('hmis_data_values').select(['data_element_id', 'coc_id', 'num_value'])
    .where('org_unit_id', '=', unit.id).where('period', 'in', earlier(period, HISTORY)).where('num_value', 'is not', null)
    .where('data_element_id', 'in', [...ds.elementIds, '-']).execute();
  const by = new Map<string, number[]>();
  for (const r of rows) by.set(`${r.data_element_id}|${r.coc_id}`, [...(by.get(`${r.data_element_id}|${r.coc_id}`) ?? []), r.num_value!]);
  return {
    orgUnit: unit.id, period: period.id,
    items: [...by].map(([k, xs]) => { const [dataElement, categoryOptionCombo] = k.split('|'); return { dataElement, categoryOptionCombo, ...stats(xs)! }; }),
  };
}

/** Values of the period, across a district, far from each facility's own history. */
export async function outliers(db: Db, actor: Actor, q: { dataSet: string; period: string; orgUnit: string }) {
  const s = await complianceScope(db, actor, q);
  const { lookup } = await dataSetOf(db, q.dataSet);
  const period = s.periods[0];
  const elementIds = [...s.ds.elementIds, '-'];
  const current = await db.selectFrom('hmis_data_values as v').innerJoin('org_units as o', 'o.id', 'v.org_unit_id')
    .select(['v.org_unit_id', 'o.name', 'v.data_element_id', 'v.coc_id', 'v.num_value'])
    .where('v.period', '=', period.id).where('v.ou_path', 'like', `${s.area.path}%`).where('v.data_element_id', 'in', elementIds).where('v.num_value', 'is not', null).execute();
  if (!current.length) return { items: [] };
  const past = await db.selectFrom('hmis_data_values').select(['org_unit_id', 'data_element_id', 'coc_id', 'num_value'])
    .where('period', 'in', earlier(period, HISTORY)).where('ou_path', 'like', `${s.area.path}%`).where('data_element_id', 'in', elementIds).where('num_value', 'is not', null).execute();
  const by = new Map<string, number[]>();
  for (const r of past) by.set(`${r.org_unit_id}|${r.data_element_id}|${r.coc_id}`, [...(by.get(`${r.org_unit_id}|${r.data_element_id}|${r.coc_id}`) ?? []), r.num_value!]);
  const items = [];
  for (const v of current) {
    const st = stats(by.get(`${v.org_unit_id}|${v.data_element_id}|${v.coc_id}`) ?? []);
    if (!st || st.n < 3) continue;
    const z = zScore(v.num_value!, st);
    if (Math.abs(z) <= Z_LIMIT) continue;
    const de = lookup.elements.get(v.data_element_id);
    items.push({ orgUnit: v.org_unit_id, name: v.name, dataElement: v.data_element_id, code: de?.code ?? null, categoryOptionCombo: v.coc_id, value: v.num_value, median: st.median, zScore: Number.isFinite(z) ? Math.round(z * 100) / 100 : null });
  }
  items.sort((a, b) => Math.abs(b.zScore ?? 1e9) - Math.abs(a.zScore ?? 1e9));
  return { dataSet: s.ds.id, period: period.id, orgUnit: { id: s.area.id, name: s.area.name }, items };
}

/** The validation rules of a data set: those whose every item belongs to it. */
export async function rulesFor(db: Db, ds: { elementIds: Set<string> }) {
  const rows = await db.selectFrom('hmis_validation_rules').selectAll().execute();
  return rows.filter((r) => [...`${r.left_expression} ${r.right_expression}`.matchAll(/#\{([A-Za-z][A-Za-z0-9]{10})/g)].every((m) => ds.elementIds.has(m[1])) && /#\{/.test(r.left_expression + r.right_expression));
}

export function sourceOf(values: { data_element_id: string; coc_id: string; num_value: number | null }[]): ValueSource {
  const total = new Map<string, number>();
  const one = new Map<string, number>();
  for (const v of values) {
    if (v.num_value === null) continue;
    total.set(v.data_element_id, (total.get(v.data_element_id) ?? 0) + v.num_value);
    one.set(`${v.data_element_id}.${v.coc_id}`, v.num_value);
  }
  return (o) => (o.coc ? one.get(`${o.de}.${o.coc}`) ?? null : total.get(o.de) ?? null);
}

type RuleRow = Awaited<ReturnType<typeof rulesFor>>[number];
const ruleDto = (r: RuleRow) => ({ id: r.id, code: r.code, name: r.name, nameHi: hi(r.translations), instruction: r.instruction, instructionHi: hi(r.translations, 'INSTRUCTION'), importance: r.importance, operator: r.operator });
/** The rules that fail on the values of `source`, each with its left and right side's values. */
export const check = (rules: RuleRow[], source: ValueSource) => rules.flatMap((r) => {
  const v = violates(r.operator, { expression: r.left_expression, missingValueStrategy: r.left_missing }, { expression: r.right_expression, missingValueStrategy: r.right_missing }, source);
  return v ? [{ rule: ruleDto(r), leftValue: v.left, rightValue: v.right }] : [];
});

/** The data set's validation rules run against one facility's return. */
export async function runValidation(db: Db, actor: Actor, q: { dataSet: string; period: string; orgUnit: string }) {
  requirePermission(actor, 'can_read_data');
  const { ds } = await dataSetOf(db, q.dataSet);
  const unit = await resolveOrgUnit(db, q.orgUnit);
  requireScope(actor, unit.path, unit.name);
  const period = parsePeriod(q.period);
  const values = await db.selectFrom('hmis_data_values').select(['data_element_id', 'coc_id', 'num_value']).where('org_unit_id', '=', unit.id).where('period', '=', period.id).execute();
  return { dataSet: ds.id, period: period.id, orgUnit: unit.id, violations: check(await rulesFor(db, ds), sourceOf(values)) };
}

/** Violations of every return in an area for the period (the district's data-quality list). */
export async function areaViolations(db: Db, actor: Actor, q: { dataSet: string; period: string; orgUnit: string }) {
  const s = await complianceScope(db, actor, q);
  const rules = await rulesFor(db, s.ds);
  const values = await db.selectFrom('hmis_data_values').select(['org_unit_id', 'data_element_id', 'coc_id', 'num_value'])
    .where('period', 'in', s.periods.map((p) => p.id)).where('ou_path', 'like', `${s.area.path}%`).where('data_element_id', 'in', [...s.ds.elementIds, '-']).execute();
  const byUnit = new Map<string, typeof values>();
  for (const v of values) byUnit.set(v.org_unit_id, [...(byUnit.get(v.org_unit_id) ?? []), v]);
  const names = new Map(s.units.map((u) => [u.id, u.name]));
  const items = [...byUnit].flatMap(([ou, vs]) => check(rules, sourceOf(vs)).map((x) => ({ orgUnit: ou, name: names.get(ou) ?? ou, ...x })));
  return { dataSet: s.ds.id, period: s.period.id, orgUnit: { id: s.area.id, name: s.area.name }, items };
}
