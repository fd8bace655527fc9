import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Database, OrgUnitRow } from '../../db/types.js';
import { inScope, requirePermission, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { expiryInstant, isFutureBeyondOpen, type Period } from '../../platform/periods.js';
import { Lookup, type DataSetInfo, type IdScheme } from './hmis.lookup.js';
import type { RawSet, RawValue } from './hmis.datavalues.parse.js';
import { isNumericType, isZero, normalizeValue, numericValue, valueProblem } from './hmis.datavalues.validate.js';
import * as repo from './hmis.datavalues.repository.js';
import { DEFAULTS } from './hmis.metadata.types.js';
import { AppError } from '../../platform/errors.js';
import { completeChecked, guardCompletedReturns } from './hmis.returns.checks.js';

type Db = Kysely<Database>;

export interface DataValueImportOptions {
  dryRun?: boolean;
  importStrategy?: 'CREATE_AND_UPDATE' | 'CREATE' | 'UPDATE' | 'DELETE';
  idScheme?: IdScheme;
  dataElementIdScheme?: IdScheme;
  orgUnitIdScheme?: IdScheme;
  categoryOptionComboIdScheme?: IdScheme;
  dataSetIdScheme?: IdScheme;
  /** Clock for tests; defaults to now. */
  now?: Date;
}

export interface Conflict { object: string; value: string; errorCode: string; property: string; indexes: number[] }
export interface ImportSummary {
  responseType: 'ImportSummary';
  status: 'SUCCESS' | 'WARNING' | 'ERROR';
  description: string;
  importOptions: { dryRun: boolean; importStrategy: string; idSchemes: Record<string, IdScheme> };
  importCount: { imported: number; updated: number; ignored: number; deleted: number };
  conflicts: Conflict[];
  rejectedIndexes: number[];
  dataSetComplete: string | false;
}

/**
 * Imports data value sets (parsed from DHIS2 JSON, CSV or ADX) into one store. Each value is
 * checked on its own: an unknown element, org unit or option combo, a wrong value type, a period
 * outside the data set's window or an org unit outside the caller's area is a conflict and is not
 * stored; the rest are written in bulk. Identical values count as ignored.
 */
export async function importDataValues(db: Db, actor: Actor, sets: RawSet[], opts: DataValueImportOptions = {}): Promise<ImportSummary> {
  return writeImport(db, actor, await prepareImport(db, actor, sets, opts), opts);
}

type Completion = { ds: DataSetInfo; period: Period; unit: OrgUnitRow; aoc: string; at: Date };

/**
 * An import checked and ready to write: the values that passed, with for each the returns it writes
 * to, and the conflicts found. What it read (metadata, org units, approvals, lock exceptions) does not
 * depend on stored data values, so a batch can be prepared while the one before it is written.
 */
export interface PreparedImport {
  lookup: Lookup;
  schemes: Record<'dataElement' | 'orgUnit' | 'categoryOptionCombo' | 'dataSet', IdScheme>;
  strategy: NonNullable<DataValueImportOptions['importStrategy']>;
  conflicts: Map<string, Conflict>;
  rejected: Set<number>;
  /** Values to write, and in the same order the index of each in the import, its returns (see returnKey), period and org unit. */
  rows: repo.ValueRow[];
  rowAt: Written;
  deletes: repo.ValueKey[];
  deleteAt: Written;
  ignored: number;
  total: number;
  completions: Completion[];
}
interface Written { index: number[]; returns: string[][]; period: Period[]; unit: OrgUnitRow[] }
const written = (): Written => ({ index: [], returns: [], period: [], unit: [] });

/** Adds one conflict (by error, object and property, with the indexes of every value that has it) and refuses the value. */
function addConflict(conflicts: Map<string, Conflict>, rejected: Set<number>, index: number, object: string, property: string, errorCode: string, value: string) {
  const key = `${errorCode}|${object}|${property}`;
  const c = conflicts.get(key) ?? { object, value, errorCode, property, indexes: [] };
  c.indexes.push(index);
  conflicts.set(key, c);
  rejected.add(index);
}

/**
 * Checks every value of `sets` (permission, identifiers, scope, type, entry window, approval) and
 * builds the rows to write. Reads metadata and org units but writes nothing.
 */
export async function prepareImport(db: Db, actor: Actor, sets: RawSet[], opts: DataValueImportOptions = {}): Promise<PreparedImport> {
  requirePermission(actor, 'can_submit_data');
  const now = opts.now ?? new Date();
  const scheme = (s?: IdScheme) => (s ?? opts.idScheme ?? 'UID').toUpperCase() as IdScheme;
  const schemes = { dataElement: scheme(opts.dataElementIdScheme), orgUnit: scheme(opts.orgUnitIdScheme), categoryOptionCombo: scheme(opts.categoryOptionComboIdScheme), dataSet: scheme(opts.dataSetIdScheme) };
  const strategy = opts.importStrategy ?? 'CREATE_AND_UPDATE';
  const lookup = await Lookup.load(db);
  const unitRefs = new Set<string>();
  const periodTexts = new Set<string>();
  for (const s of sets) {
    if (s.orgUnit) unitRefs.add(s.orgUnit);
    if (s.period) periodTexts.add(s.period);
    for (const v of s.dataValues) {
      if (v.orgUnit) unitRefs.add(v.orgUnit);
      if (v.period) periodTexts.add(v.period);
    }
  }
  await lookup.preloadOrgUnits(unitRefs, schemes.orgUnit);

  const conflicts = new Map<string, Conflict>();
  const rejected = new Set<number>();
  const conflict = (index: number, object: string, property: string, errorCode: string, value: string) => addConflict(conflicts, rejected, index, object, property, errorCode, value);
  const periodIds = [...new Set([...periodTexts].map((p) => lookup.period(p)?.id ?? p))];
  const locks = await repo.approvalLocks(db, periodIds);
  const exceptions = await repo.lockExceptions(db, periodIds);
  const rows: repo.ValueRow[] = [];
  const deletes: repo.ValueKey[] = [];
  const rowAt = written();
  const deleteAt = written();
  // The returns a value writes to, built once per element's data sets, org unit, period and option combo.
  const returnsMemo = new Map<DataSetInfo[], Map<string, Map<Period, Map<string, string[]>>>>();
  let last: { dsl: DataSetInfo[]; unit: string; period: Period; aoc: string; keys: string[] } | undefined;
  const returnsOf = (dsl: DataSetInfo[], unit: string, period: Period, aoc: string) => {
    if (last && last.dsl === dsl && last.unit === unit && last.period === period && last.aoc === aoc) return last.keys;
    let byUnit = returnsMemo.get(dsl);
    if (!byUnit) returnsMemo.set(dsl, byUnit = new Map());
    let byPeriod = byUnit.get(unit);
    if (!byPeriod) byUnit.set(unit, byPeriod = new Map());
    let byAoc = byPeriod.get(period);
    if (!byAoc) byPeriod.set(period, byAoc = new Map());
    let keys = byAoc.get(aoc);
    if (!keys) byAoc.set(aoc, keys = dsl.map((d) => repo.returnKey(d.id, period.id, unit, aoc)));
    last = { dsl, unit, period, aoc, keys };
    return keys;
  };
  const memo = new Remembered(lookup, schemes);
  let ignored = 0;
  let index = -1;
  const completions: Completion[] = [];

  for (const set of sets) {
    const setDs = set.dataSet ? lookup.dataSet(set.dataSet, schemes.dataSet) : undefined;
    const setIndex = index + 1;
    if (set.dataSet && !setDs) conflict(setIndex, set.dataSet, 'dataSet', 'E7600', ambiguous(lookup, 'dataSet', set.dataSet, schemes.dataSet) ?? `Data set not found or not accessible: ${set.dataSet}`);
    const setAoc = resolveAoc(lookup, set, setDs, schemes.categoryOptionCombo);
    for (const v of set.dataValues) {
      index++;
      // Other requests are answered between slices of a large batch, not after all of it.
      if ((index & 4095) === 4095) await nextTurn();
      const problem = checkValue(lookup, memo, actor, set, setDs, setAoc, v, schemes, strategy, now, locks, exceptions);
      if ('error' in problem) {
        conflict(index, problem.object, problem.property, problem.error, problem.message);
        continue;
      }
      const { element, period, unit, coc, aoc, dataSets } = problem;
      const returns = returnsOf(dataSets, unit.id, period, aoc);
      // ADX: a text (non-numeric) element's value travels in the annotation, as DHIS2 writes and reads it.
      const textInAnnotation = v.annotation !== undefined && !isNumericType(element.valueType);
      const sent = textInAnnotation ? v.annotation : v.value;
      const comment = textInAnnotation ? null : v.annotation || (v.comment ?? null);
      const empty = sent === undefined || sent === null || sent === '';
      if (strategy === 'DELETE' || v.deleted || empty) {
        deletes.push({ de: element.id, period: period.id, ou: unit.id, coc, aoc });
        deleteAt.index.push(index); deleteAt.returns.push(returns); deleteAt.period.push(period); deleteAt.unit.push(unit);
        continue;
      }
      const value = normalizeValue(element.valueType, String(sent).trim());
      const bad = valueProblem(element.valueType, value);
      if (bad) { conflict(index, value, 'value', 'E7619', `${bad} (data element ${element.code ?? element.id} is ${element.valueType})`); continue; }
      if (!element.zeroIsSignificant && isZero(element.valueType, value)) { ignored++; continue; }
      rows.push({
        de: element.id, period: period.id, ou: unit.id, coc, aoc, value, num: numericValue(element.valueType, value), comment,
        followUp: !!v.followup, storedBy: v.storedBy ?? actor.username, periodType: period.type, start: period.startDate, end: period.endDate, path: unit.path, stateLgd: unit.state_lgd,
      });
      rowAt.index.push(index); rowAt.returns.push(returns); rowAt.period.push(period); rowAt.unit.push(unit);
    }
    if (set.completeDate !== undefined && setDs && set.period && set.orgUnit) {
      const period = lookup.period(set.period);
      const unit = lookup.orgUnit(set.orgUnit, schemes.orgUnit);
      if (period && unit && inScope(actor, unit.path) && setAoc) completions.push({ ds: setDs, period, unit, aoc: setAoc, at: completionInstant(actor, set.completeDate, now) });
    }
  }
  return { lookup, schemes, strategy, conflicts, rejected, rows, rowAt, deletes, deleteAt, ignored, total: index + 1, completions };
}

/**
 * Writes a prepared import: holds its returns against approval (refusing values of returns approved
 * since it was prepared), stores, updates and deletes values, checks completed returns' validation
 * rules, completes returns and records the audit. Leaves `p` as it was, so a transaction that is run
 * again (see importInTransaction) can write it again.
 */
export async function writeImport(db: Db, actor: Actor, p: PreparedImport, opts: DataValueImportOptions = {}): Promise<ImportSummary> {
  const { lookup, strategy, completions } = p;
  const conflicts = new Map([...p.conflicts].map(([k, c]) => [k, { ...c, indexes: [...c.indexes] }]));
  const rejected = new Set(p.rejected);
  const conflict = (index: number, object: string, property: string, errorCode: string, value: string) => addConflict(conflicts, rejected, index, object, property, errorCode, value);
  const allReturns = new Set<string[]>([...p.rowAt.returns, ...p.deleteAt.returns]);
  const returnKeys = () => [...allReturns].flat();

  // Returns approved since `locks` was read are locked now: their values are refused like the rest.
  const approvedMeanwhile = await repo.holdReturns(db, returnKeys());
  let rows = p.rows;
  let deletes = p.deletes;
  if (approvedMeanwhile.size) {
    const writable = (at: Written) => (_: unknown, i: number) => {
      if (!at.returns[i].some((k) => approvedMeanwhile.has(k))) return true;
      const c = lockedReturn(at.period[i], at.unit[i]);
      conflict(at.index[i], c.object, c.property, c.error, c.message);
      return false;
    };
    rows = rows.filter(writable(p.rowAt));
    deletes = deletes.filter(writable(p.deleteAt));
  }

  const counts = { imported: 0, updated: 0, ignored: p.ignored, deleted: 0 };
  const unique = repo.lastWins(rows);
  counts.ignored += rows.length - unique.length;
  const stored = await repo.upsertValues(db, unique, strategy);
  counts.imported += stored.inserted;
  counts.updated += stored.updated;
  counts.ignored += unique.length - stored.inserted - stored.updated;
  const removed = await repo.deleteValues(db, deletes);
  counts.deleted += removed;
  counts.ignored += deletes.length - removed;
  // A completed return's validation rules still hold after these values (or the write is refused).
  await guardCompletedReturns(db, lookup, returnKeys());
  let dataSetComplete: string | false = false;
  for (const c of completions) {
    // Completion goes through the data set's validation rules (validCompleteOnly); a refusal is a conflict, the values stay.
    try {
      await completeChecked(db, actor, { ds: c.ds, period: c.period, unit: c.unit, aoc: c.aoc, at: c.at, overwrite: actor.role === 'admin' });
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'conflict') throw e;
      conflicts.set(`E7644|${c.unit.id}|${c.period.id}`, { object: c.unit.id, value: e.message, errorCode: 'E7644', property: 'completeDate', indexes: [] });
      continue;
    }
    dataSetComplete = c.at.toISOString();
  }
  const list = [...conflicts.values()];
  const total = p.total;
  const status = !list.length ? 'SUCCESS' : rejected.size >= total && total > 0 ? 'ERROR' : 'WARNING';
  if (!opts.dryRun && (counts.imported || counts.updated || counts.deleted || completions.length)) {
    await recordAudit(db, actor, { action: 'import', entity: 'dataValueSet', orgPath: actor.orgPath, after: { ...counts, conflicts: list.length, completions: completions.map((c) => ({ dataSet: c.ds.id, period: c.period.id, orgUnit: c.unit.id })) } });
  }
  return {
    responseType: 'ImportSummary',
    status,
    description: status === 'SUCCESS' ? 'Import process completed successfully' : `Import process completed with ${list.length} conflict(s)`,
    importOptions: { dryRun: !!opts.dryRun, importStrategy: strategy, idSchemes: p.schemes },
    importCount: counts,
    conflicts: list,
    rejectedIndexes: [...rejected].sort((a, b) => a - b),
    dataSetComplete,
  };
}

type Checked =
  | { error: string; object: string; property: string; message: string }
  | { element: NonNullable<ReturnType<Lookup['element']>>; period: Period; unit: OrgUnitRow; coc: string; aoc: string; dataSets: DataSetInfo[] };

/** Look-ups a value needs, remembered: a bulk file sends the same org unit, period and option combos row after row. */
class Remembered {
  private unitRef: string | undefined;
  private unit: OrgUnitRow | null = null;
  private periodText: string | undefined;
  private period_: Period | null = null;
  private aocRef: string | undefined;
  private aoc_: string | null = null;
  private readonly sets = new Map<string, Map<string, DataSetInfo[]>>();
  constructor(private readonly lookup: Lookup, private readonly schemes: Record<string, IdScheme>) {}
  orgUnit(ref: string | undefined): OrgUnitRow | null {
    if (ref !== this.unitRef || !this.unit) { this.unitRef = ref; this.unit = this.lookup.orgUnit(ref, this.schemes.orgUnit); }
    return this.unit;
  }
  period(text: string | undefined): Period | null {
    if (text !== this.periodText || !this.period_) { this.periodText = text; this.period_ = this.lookup.period(text); }
    return this.period_;
  }
  /** The id of the attribute option combo `ref` names, or null. */
  aoc(ref: string): string | null {
    if (ref !== this.aocRef || !this.aoc_) { this.aocRef = ref; this.aoc_ = this.lookup.coc(ref, this.schemes.categoryOptionCombo)?.id ?? null; }
    return this.aoc_;
  }
  dataSetsFor(elementId: string, periodType: string): DataSetInfo[] {
    let byType = this.sets.get(elementId);
    if (!byType) this.sets.set(elementId, byType = new Map());
    let hit = byType.get(periodType);
    if (!hit) byType.set(periodType, hit = this.lookup.dataSetsFor(elementId, periodType));
    return hit;
  }
}

function checkValue(lookup: Lookup, memo: Remembered, actor: Actor, set: RawSet, setDs: DataSetInfo | undefined, setAoc: string | null, v: RawValue,
  schemes: Record<string, IdScheme>, strategy: string, now: Date, locks: repo.ApprovalLocks, exceptions: Set<string>): Checked {
  const element = lookup.element(v.dataElement, schemes.dataElement);
  if (!element) return { error: 'E7610', object: v.dataElement ?? '(none)', property: 'dataElement', message: ambiguous(lookup, 'element', v.dataElement, schemes.dataElement) ?? `Data element not found or not accessible: ${v.dataElement ?? '(missing)'}` };
  const periodText = v.period ?? set.period;
  const period = memo.period(periodText);
  if (!period) return { error: 'E7611', object: periodText ?? '(none)', property: 'period', message: `Period not valid: ${periodText ?? '(missing)'}; use a DHIS2 ISO period such as 202411` };
  const ouRef = v.orgUnit ?? set.orgUnit;
  const unit = memo.orgUnit(ouRef);
  if (!unit) return { error: 'E7612', object: ouRef ?? '(none)', property: 'orgUnit', message: ambiguous(lookup, 'orgUnit', ouRef, schemes.orgUnit) ?? `Organisation unit not found or not accessible: ${ouRef ?? '(missing)'}` };
  if (!inScope(actor, unit.path)) return { error: 'E7615', object: unit.id, property: 'orgUnit', message: `Organisation unit ${unit.name} is outside your area` };
  let coc = v.categoryOptionCombo ? lookup.coc(v.categoryOptionCombo, schemes.categoryOptionCombo)
    : v.categoryOptions ? lookup.cocFromOptions(element.comboId, v.categoryOptions) : lookup.cocs.get(DEFAULTS.categoryOptionCombo);
  if (!coc) return { error: 'E7613', object: v.categoryOptionCombo ?? JSON.stringify(v.categoryOptions ?? {}), property: 'categoryOptionCombo', message: ambiguous(lookup, 'coc', v.categoryOptionCombo, schemes.categoryOptionCombo) ?? `Category option combo not found or not accessible: ${v.categoryOptionCombo ?? JSON.stringify(v.categoryOptions)}` };
  if (coc.comboId !== element.comboId) {
    if (coc.id === DEFAULTS.categoryOptionCombo && !v.categoryOptionCombo) coc = undefined;
    return { error: 'E7620', object: coc?.id ?? '(default)', property: 'categoryOptionCombo', message: `Category option combo ${coc?.id ?? 'default'} is not part of the category combo of data element ${element.code ?? element.id}; give one of its option combos` };
  }
  const aoc = v.attributeOptionCombo ? memo.aoc(v.attributeOptionCombo) : setAoc;
  if (!aoc) return { error: 'E7614', object: v.attributeOptionCombo ?? set.attributeOptionCombo ?? '(none)', property: 'attributeOptionCombo', message: ambiguous(lookup, 'coc', v.attributeOptionCombo ?? set.attributeOptionCombo, schemes.categoryOptionCombo) ?? `Attribute option combo not found or not accessible: ${v.attributeOptionCombo ?? set.attributeOptionCombo}` };
  if (element.periodTypes.size && !element.periodTypes.has(period.type)) {
    return { error: 'E7617', object: period.id, property: 'period', message: `Period ${period.id} is ${period.type}, but data element ${element.code ?? element.id} is collected ${[...element.periodTypes].join(' or ')}` };
  }
  const sets = memo.dataSetsFor(element.id, period.type);
  const ds = setDs ?? sets[0];
  if (ds && actor.role !== 'admin') {
    const closed = windowProblem(ds, period, now);
    if (closed && !(closed.error === 'E7641' && exceptions.has(`${ds.id}|${period.id}|${unit.id}`))) return closed;
  }
  const lockedBy = sets.find((d) => locks.isLocked(d.id, period.id, unit.id, aoc));
  if (lockedBy) return lockedReturn(period, unit);
  void strategy;
  return { element, period, unit, coc: coc.id, aoc, dataSets: sets };
}

const KIND_NAMES = { element: 'data elements', coc: 'category option combos', dataSet: 'data sets', orgUnit: 'organisation units' } as const;
/** The refusal of a name two objects share (NAME scheme), naming both, or undefined. */
function ambiguous(lookup: Lookup, kind: keyof typeof KIND_NAMES, ref: string | undefined, scheme: IdScheme): string | undefined {
  const ids = lookup.clash(kind, ref, scheme);
  return ids ? `The name "${ref}" is ambiguous: ${ids.length} ${KIND_NAMES[kind]} have it (${ids.join(', ')}); send their UID or CODE instead` : undefined;
}

function lockedReturn(period: Period, unit: OrgUnitRow) {
  return { error: 'E7643', object: unit.id, property: 'orgUnit', message: `The ${period.id} return of ${unit.name} is approved and locked; ask the district to un-approve it first` };
}

const windowCache = new WeakMap<Date, Map<string, Extract<Checked, { error: string }> | null>>();
/** Whether entry for a data set's period is closed (expiryDays) or not yet open (openFuturePeriods); memoised per import. */
function windowProblem(ds: DataSetInfo, period: Period, now: Date): Extract<Checked, { error: string }> | null {
  let memo = windowCache.get(now);
  if (!memo) { memo = new Map(); windowCache.set(now, memo); }
  const key = `${ds.id}|${period.id}`;
  if (memo.has(key)) return memo.get(key)!;
  let out: Extract<Checked, { error: string }> | null = null;
  const expiry = expiryInstant(period, ds.expiryDays);
  if (expiry && now >= expiry) out = { error: 'E7641', object: period.id, property: 'period', message: `Period ${period.id} closed for entry on ${expiry.toISOString().slice(0, 10)} (expiryDays ${ds.expiryDays}); ask the district for an exception` };
  else if (isFutureBeyondOpen(period, ds.openFuturePeriods, now)) out = { error: 'E7642', object: period.id, property: 'period', message: `Period ${period.id} is in the future; data set ${ds.code ?? ds.id} is not open for it yet` };
  memo.set(key, out);
  return out;
}

function resolveAoc(lookup: Lookup, set: RawSet, ds: DataSetInfo | undefined, scheme: IdScheme): string | null {
  if (set.attributeOptionCombo) return lookup.coc(set.attributeOptionCombo, scheme)?.id ?? null;
  if (set.attributeCategoryOptions && ds) return lookup.cocFromOptions(ds.comboId, set.attributeCategoryOptions)?.id ?? null;
  return DEFAULTS.categoryOptionCombo;
}

/** When the return counts as completed: the server's clock, or for an admin migrating history the date given. */
export function completionInstant(actor: Actor, given: string, now: Date): Date {
  if (actor.role !== 'admin' || !given) return now;
  if (/^\d{4}-\d{2}-\d{2}$/.test(given)) return new Date(`${given}T00:00:00+05:30`);
  const withZone = /([zZ]|[+-]\d{2}:?\d{2})$/.test(given) ? given : `${given}+05:30`;
  const t = new Date(withZone);
  return Number.isNaN(t.getTime()) ? now : t;
}
