import type { Kysely } from 'kysely';
import type { Database, OrgUnitLevel } from '../../db/types.js';
import { requirePermission, requireScope, type Actor } from '../../platform/actor.js';
import { badRequest } from '../../platform/errors.js';
import { parsePeriod, periodOfType, periodsWithin, previousPeriod, todayIst, type Period } from '../../platform/periods.js';
import { resolveOrgUnit } from '../geo/geo.service.js';
import * as repo from './hmis.analytics.repository.js';
import { regroupFacility } from './hmis.datavalues.repository.js';
import { hi } from './hmis.metadata.service.js';
import { evaluateTree, ExpressionError, parse, termsOf, type Expr } from './hmis.expression.js';

type Db = Kysely<Database>;

export interface AnalyticsQuery { dx: string; pe: string; ou: string; level?: string; by?: string }
export interface AnalyticsRow { dx: string; pe: string; ou: string; value: number; by?: string }
export interface MetaItem { name: string; nameHi: string | null; code?: string }
export interface AnalyticsResult {
  headers: string[];
  rows: AnalyticsRow[];
  metaData: { items: Record<string, MetaItem>; dx: string[]; pe: string[]; ou: string[]; by?: string[] };
  lastDataAt: string | null;
}

const LEVELS: OrgUnitLevel[] = ['country', 'state', 'district', 'block', 'facility'];
const ROW_LEVELS = ['state', 'district', 'block', 'facility'];
const MAX_ITEMS = 100;
const MAX_PERIODS = 120;
const RELATIVE = ['LAST_12_MONTHS', 'THIS_MONTH', 'LAST_MONTH', 'THIS_FINANCIAL_YEAR'];

const list = (s: string) => s.split(';').map((x) => x.trim()).filter(Boolean);
const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;

// ---------------------------------------------------------------- dx: elements, operands, indicators

/** An indicator formula parsed once; a 400 naming the indicator when it cannot be. */
function parseExpression(text: string, what: string): Expr {
  try {
    return parse(text);
  } catch (e) {
    const why = e instanceof ExpressionError ? e.message : 'it cannot be read';
    throw badRequest(`dx: ${what} has an expression that cannot be evaluated (${why}): ${text}`, `dx: ${what} का सूत्र पढ़ा नहीं जा सका: ${text}`, { field: 'dx' });
  }
}

/** Evaluates with missing items as 0; null when no item had data or a division by zero happened. */
function evaluate(e: Expr, value: (de: string, coc: string | null) => number | undefined): number | null {
  const r = evaluateTree(e, (o) => value(o.de, o.coc) ?? null);
  return r.present > 0 ? r.value : null;
}

type Item =
  | { kind: 'element'; id: string; de: string }
  | { kind: 'operand'; id: string; de: string; coc: string }
  | { kind: 'indicator'; id: string; numerator: Expr; denominator: Expr; factor: number };

async function resolveItems(db: Db, dx: string, items: Record<string, MetaItem>): Promise<Item[]> {
  const refs = [...new Set(list(dx))];
  if (!refs.length) throw badRequest('dx is empty; give data element, operand or indicator ids or codes separated by ;', 'dx खाली है', { field: 'dx' });
  if (refs.length > MAX_ITEMS) throw badRequest(`dx has ${refs.length} items; ask for at most ${MAX_ITEMS}`, `dx में अधिकतम ${MAX_ITEMS} मद`, { field: 'dx' });
  // Only the metadata named: each reference whole, and split at each dot into element and option combo.
  const splits = refs.flatMap((r) => [...r.matchAll(/\./g)].map((m) => [r.slice(0, m.index), r.slice(m.index! + 1)]));
  const meta = await repo.loadMetadata(db, { elements: [...refs, ...splits.map((x) => x[0])], cocs: splits.map((x) => x[1]), indicators: refs });
  const formulaTerms = meta.indicators.flatMap((i) => [...`${i.numerator} ${i.denominator}`.matchAll(/#\{([^.}\s]+)(?:\.([^.}\s]+))?\}/g)]);
  const more = await repo.loadMetadata(db, {
    elements: formulaTerms.map((m) => m[1]).filter((id) => !meta.elements.some((e) => e.id === id || e.code === id)),
    cocs: formulaTerms.map((m) => m[2]).filter((id): id is string => !!id && !meta.cocs.some((c) => c.id === id || c.code === id)),
    indicators: [],
  });
  meta.elements.push(...more.elements);
  meta.cocs.push(...more.cocs);
  const index = <T extends repo.MetaRow>(rows: T[]) => {
    const m = new Map<string, T>();
    for (const r of rows) if (r.code) m.set(r.code, r);
    for (const r of rows) m.set(r.id, r); // ids win over codes
    return m;
  };
  const elements = index(meta.elements), cocs = index(meta.cocs), indicators = index(meta.indicators);
  const named = (r: repo.MetaRow): MetaItem => ({ name: r.name, nameHi: hi(r.translations), ...(r.code ? { code: r.code } : {}) });
  const out: Item[] = [];
  const unknown: string[] = [];
  for (const ref of refs) {
    const ind = meta.indicators.find((x) => x.id === ref) ?? (elements.has(ref) ? undefined : indicators.get(ref));
    const de = elements.get(ref);
    if (ind) {
      const what = `indicator ${ind.code ?? ind.id}`;
      const numerator = parseExpression(ind.numerator, what), denominator = parseExpression(ind.denominator, what);
      const missing = [...termsOf(numerator), ...termsOf(denominator)].filter((t) => !elements.has(t.de) || (t.coc !== null && !cocs.has(t.coc)));
      if (missing.length) throw badRequest(`dx: ${what} refers to unknown data element ${missing[0].de}${missing[0].coc ? `.${missing[0].coc}` : ''}`, `dx: ${what} में अज्ञात डेटा तत्व`, { field: 'dx' });
      const id = (t: { de: string; coc: string | null }) => { t.de = elements.get(t.de)!.id; if (t.coc) t.coc = cocs.get(t.coc)!.id; };
      [...termsOf(numerator), ...termsOf(denominator)].forEach(id);
      out.push({ kind: 'indicator', id: ind.id, numerator, denominator, factor: Number(ind.factor) || 1 });
      items[ind.id] = named(ind);
      continue;
    }
    if (de) {
      out.push({ kind: 'element', id: de.id, de: de.id });
      items[de.id] = named(de);
      continue;
    }
    // An operand: element and option combo joined by the last dot that splits the reference into two known items (codes such as 1.1.1 hold dots).
    let found: Item | undefined;
    for (let k = ref.lastIndexOf('.'); k > 0 && !found; k = ref.lastIndexOf('.', k - 1)) {
      const e = elements.get(ref.slice(0, k)), c = cocs.get(ref.slice(k + 1));
      if (e && c) {
        found = { kind: 'operand', id: `${e.id}.${c.id}`, de: e.id, coc: c.id };
        const ne = named(e), nc = named(c);
        items[found.id] = { name: `${ne.name} ${nc.name}`, nameHi: ne.nameHi || nc.nameHi ? `${ne.nameHi ?? ne.name} ${nc.nameHi ?? nc.name}` : null };
      }
    }
    if (found) out.push(found); else unknown.push(ref);
  }
  if (unknown.length) {
    throw badRequest(`dx: no data element, operand (element.optionCombo) or indicator has id or code ${unknown.join(', ')}`,
      `dx: ${unknown.join(', ')} नाम का कोई डेटा तत्व या संकेतक नहीं मिला`, { field: 'dx', value: unknown.join(';') });
  }
  const seen = new Set<string>();
  return out.filter((x) => !seen.has(x.id) && seen.add(x.id));
}

// ---------------------------------------------------------------- pe: fixed and relative periods

interface AskedPeriod { id: string; months: string[]; period: Period }

const MONTH_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTH_HI = ['जनवरी', 'फ़रवरी', 'मार्च', 'अप्रैल', 'मई', 'जून', 'जुलाई', 'अगस्त', 'सितंबर', 'अक्टूबर', 'नवंबर', 'दिसंबर'];

/** 'November 2024', 'October–December 2024', 'April 2024–March 2025'; the id for types that are not month-based. */
export function periodName(p: Period): MetaItem {
  const [sy, sm] = [+p.startDate.slice(0, 4), +p.startDate.slice(5, 7) - 1];
  const [ey, em] = [+p.endDate.slice(0, 4), +p.endDate.slice(5, 7) - 1];
  const monthBased = p.startDate.endsWith('-01') && p.type !== 'Daily' && !p.type.startsWith('Weekly') && p.type !== 'BiWeekly';
  if (!monthBased) return { name: p.id, nameHi: p.id };
  if (p.type === 'Yearly') return { name: `${sy}`, nameHi: `${sy}` };
  const name = (m: string[]) => (sy === ey && sm === em ? `${m[sm]} ${sy}` : sy === ey ? `${m[sm]}–${m[em]} ${sy}` : `${m[sm]} ${sy}–${m[em]} ${ey}`);
  return { name: name(MONTH_EN), nameHi: name(MONTH_HI) };
}

export function resolvePeriods(pe: string, now: Date, items: Record<string, MetaItem>): AskedPeriod[] {
  const refs = list(pe);
  if (!refs.length) throw badRequest('pe is empty; give periods such as 202411;2024Q4;2024April or LAST_12_MONTHS', 'pe खाली है', { field: 'pe' });
  const thisMonth = periodOfType('Monthly', todayIst(now));
  const out: AskedPeriod[] = [];
  const add = (p: Period) => {
    if (out.some((x) => x.id === p.id)) return;
    const months = p.type === 'Monthly' ? [p] : periodsWithin(p, 'Monthly');
    if (!months.length) {
      throw badRequest(`pe: ${p.id} is shorter than a month; analytics adds monthly data up, so ask for a month (202411), quarter (2024Q4), year (2024) or financial year (2024April)`,
        `pe: ${p.id} एक महीने से छोटी अवधि है; महीना, तिमाही या वर्ष दें`, { field: 'pe', value: p.id });
    }
    out.push({ id: p.id, months: months.map((m) => m.id), period: p });
    items[p.id] = periodName(p);
  };
  for (const ref of refs) {
    switch (ref.toUpperCase()) {
      case 'THIS_MONTH': add(thisMonth); break;
      case 'LAST_MONTH': add(previousPeriod(thisMonth)); break;
      case 'LAST_12_MONTHS': for (let k = 12; k >= 1; k--) add(previousPeriod(thisMonth, k)); break;
      case 'THIS_FINANCIAL_YEAR': periodsWithin(periodOfType('FinancialApril', todayIst(now)), 'Monthly').forEach(add); break;
      default:
        if (/^[A-Z][A-Z0-9]*_[A-Z0-9_]+$/.test(ref)) {
          throw badRequest(`pe: ${ref} is not a relative period Swasthya knows; use ${RELATIVE.join(', ')} or DHIS2 periods such as 202411`, `pe: ${ref} अज्ञात सापेक्ष अवधि है`, { field: 'pe', value: ref });
        }
        add(parsePeriod(ref, 'pe'));
    }
    if (out.length > MAX_PERIODS) throw badRequest(`pe asks for more than ${MAX_PERIODS} periods`, `pe में अधिकतम ${MAX_PERIODS} अवधियाँ`, { field: 'pe' });
  }
  return out;
}

// ---------------------------------------------------------------- the query

const BY_NAMES: Record<string, MetaItem> = {
  public: { name: 'Public', nameHi: 'सरकारी' },
  private: { name: 'Private', nameHi: 'निजी' },
  unknown: { name: 'Not a facility', nameHi: 'स्वास्थ्य केंद्र नहीं' },
};

/**
 * DHIS2-style analytics: data elements, operands and indicators (`dx`) by period (`pe`, monthly
 * data summed into longer periods) and org unit (`ou`, rows at `level`), optionally split by
 * facility ownership or type (`by`). District and state rows come from the aggregate kept current
 * by every write; block and facility rows from the values themselves.
 */
export async function analytics(db: Db, actor: Actor, q: AnalyticsQuery, now = new Date()): Promise<AnalyticsResult> {
  requirePermission(actor, 'can_read_data');
  const items: Record<string, MetaItem> = {};
  if (q.by !== undefined && q.by !== 'ownership' && q.by !== 'type') throw badRequest(`by must be ownership or type, not ${q.by}`, 'by में ownership या type दें', { field: 'by' });
  if (q.level !== undefined && !ROW_LEVELS.includes(q.level)) throw badRequest(`level must be one of ${ROW_LEVELS.join(', ')}, not ${q.level}`, `level इनमें से एक हो: ${ROW_LEVELS.join(', ')}`, { field: 'level' });
  const periods = resolvePeriods(q.pe, now, items);
  // The org unit and the items are looked up together; errors are reported in a fixed order.
  const [unitResult, dxResult] = await Promise.allSettled([resolveOrgUnit(db, q.ou, undefined, 'ou'), resolveItems(db, q.dx, items)]);
  if (unitResult.status === 'rejected') throw unitResult.reason;
  const unit = unitResult.value;
  requireScope(actor, unit.path, unit.name);
  const level = (q.level ?? unit.level) as OrgUnitLevel;
  if (LEVELS.indexOf(level) < LEVELS.indexOf(unit.level) || (level !== unit.level && !LEVELS.includes(unit.level))) {
    throw badRequest(`level ${level} is not below ou ${unit.name} (${unit.level}); give a level under it, or leave level out for the unit itself`,
      `level ${level}, ${unit.name} (${unit.level}) के नीचे का स्तर नहीं है`, { field: 'level' });
  }
  if (dxResult.status === 'rejected') throw dxResult.reason;
  const dx = dxResult.value;
  const elementIds = [...new Set(dx.flatMap((d) => (d.kind === 'indicator' ? [...termsOf(d.numerator), ...termsOf(d.denominator)].map((t) => t.de) : [d.de])))];
  const months = [...new Set(periods.flatMap((p) => p.months))];
  const by = q.by as repo.By;
  const sq: repo.SumQuery = { elementIds, months, path: unit.path, unitId: unit.id, unitLevel: unit.level, level, by };
  // Names of the rows' org units: every unit of the level (small levels), or for facilities those with data.
  const [sums, levelUnits] = await Promise.all([
    repo.aggregateAnswers(sq) ? repo.sumsFromAggregate(db, sq) : repo.sumsFromValues(db, sq),
    level === unit.level || level === 'facility' ? Promise.resolve(null) : repo.unitsAt(db, unit.path, level),
  ]);

  // Totals per (element | element.coc) × month × ou × group, then per asked period.
  const cell = new Map<string, number>();
  const groups = new Map<string, { ou: string; by: string }>();
  let last: Date | null = null;
  for (const s of sums) {
    const g = `${s.ou}|${s.by}`;
    groups.set(g, { ou: s.ou, by: s.by });
    for (const k of [`${s.de}|`, `${s.de}|${s.coc}`]) cell.set(`${k}|${s.period}|${g}`, (cell.get(`${k}|${s.period}|${g}`) ?? 0) + Number(s.sum));
    const at = s.last ? new Date(s.last) : null;
    if (at && (!last || at > last)) last = at;
  }
  const value = (p: AskedPeriod, g: string) => (de: string, coc: string | null) => {
    let total: number | undefined;
    for (const m of p.months) {
      const v = cell.get(`${de}|${coc ?? ''}|${m}|${g}`);
      if (v !== undefined) total = (total ?? 0) + v;
    }
    return total;
  };

  const ouIds = [...new Set([...groups.values()].map((g) => g.ou))];
  const units = level === unit.level ? [unit] : levelUnits ?? await repo.unitsById(db, ouIds);
  for (const u of units) items[u.id] = { name: u.name, nameHi: u.name_hi, ...(u.code ? { code: u.code } : {}) };
  const ouOrder = [...units].sort((a, b) => a.name.localeCompare(b.name)).map((u) => u.id);
  const ouRank = new Map(ouOrder.map((id, i) => [id, i]));
  const sortedGroups = [...groups.entries()].sort(([, a], [, b]) => (ouRank.get(a.ou) ?? 1e9) - (ouRank.get(b.ou) ?? 1e9) || a.by.localeCompare(b.by));

  const rows: AnalyticsRow[] = [];
  for (const d of dx) {
    for (const p of periods) {
      for (const [g, { ou, by: byKey }] of sortedGroups) {
        const get = value(p, g);
        let v: number | null | undefined;
        if (d.kind === 'element') v = get(d.de, null);
        else if (d.kind === 'operand') v = get(d.de, d.coc);
        else {
          const n = evaluate(d.numerator, get), den = evaluate(d.denominator, get);
          v = n === null || den === null || den === 0 ? null : round((n / den) * d.factor, 2);
        }
        if (v === null || v === undefined) continue;
        rows.push({ dx: d.id, pe: p.id, ou, value: d.kind === 'indicator' ? v : round(v, 6), ...(by ? { by: byKey || 'unknown' } : {}) });
      }
    }
  }
  const byKeys = by ? [...new Set(rows.map((r) => r.by!))].sort() : undefined;
  for (const k of byKeys ?? []) items[k] = BY_NAMES[k] ?? { name: k, nameHi: null };
  return {
    headers: ['dx', 'pe', 'ou', 'value', ...(by ? ['by'] : [])],
    rows,
    metaData: { items, dx: dx.map((d) => d.id), pe: periods.map((p) => p.id), ou: ouOrder.filter((id) => level !== 'facility' || groups.size === 0 || ouIds.includes(id)), ...(byKeys ? { by: byKeys } : {}) },
    lastDataAt: last ? last.toISOString() : null,
  };
}

/**
 * For the facilities module: after a facility's ownership or type changed, in the same transaction,
 * so that `by=ownership` / `by=type` rows from the aggregate follow the facility.
 */
export async function facilityReclassified(db: Db, facilityId: string, before: { ownership: string; type: string }, newPath?: string): Promise<void> {
  await regroupFacility(db, facilityId, before, newPath);
}

// ---------------------------------------------------------------- CSV and Excel

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

function table(r: AnalyticsResult): { header: string[]; lines: (string | number)[][] } {
  const name = (id: string) => r.metaData.items[id]?.name ?? id;
  const by = r.headers.includes('by');
  return {
    header: ['dx', 'dx_name', 'pe', 'pe_name', 'ou', 'ou_name', ...(by ? ['by', 'by_name'] : []), 'value'],
    lines: r.rows.map((x) => [x.dx, name(x.dx), x.pe, name(x.pe), x.ou, name(x.ou), ...(by ? [x.by!, name(x.by!)] : []), x.value]),
  };
}

export function analyticsCsv(r: AnalyticsResult): string {
  const t = table(r);
  return [t.header, ...t.lines].map((l) => l.map(csvCell).join(',')).join('\n') + '\n';
}

export async function analyticsXlsx(r: AnalyticsResult): Promise<Buffer> {
  const t = table(r);
  // ExcelJS is loaded for a download only (it is a large part of the server's start otherwise).
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Analytics');
  ws.addRow(t.header).font = { bold: true };
  for (const l of t.lines) ws.addRow(l);
  ws.columns.forEach((c) => { c.width = 18; });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
