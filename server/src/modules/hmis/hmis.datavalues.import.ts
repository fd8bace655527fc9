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
  requirePermission(actor, 'can_submit_data');
  const now = opts.now ?? new Date();
  const scheme = (s?: IdScheme) => (s ?? opts.idScheme ?? 'UID').toUpperCase() as IdScheme;
  const schemes = { dataElement: scheme(opts.dataElementIdScheme), orgUnit: scheme(opts.orgUnitIdScheme), categoryOptionCombo: scheme(opts.categoryOptionComboIdScheme), dataSet: scheme(opts.dataSetIdScheme) };
  const strategy = opts.importStrategy ?? 'CREATE_AND_UPDATE';
  const lookup = await Lookup.load(db);
  await lookup.preloadOrgUnits(sets.flatMap((s) => [s.orgUnit, ...s.dataValues.map((v) => v.orgUnit)]).filter((x): x is string => !!x), schemes.orgUnit);

  const conflicts = new Map<string, Conflict>();
  const rejected = new Set<number>();
  const conflict = (index: number, object: string, property: string, errorCode: string, value: string) => {
    const key = `${errorCode}|${object}|${property}`;
    const c = conflicts.get(key) ?? { object, value, errorCode, property, indexes: [] };
    c.indexes.push(index);
    conflicts.set(key, c);
    rejected.add(index);
  };
  const periodIds = [...new Set(sets.flatMap((s) => [s.period, ...s.dataValues.map((v) => v.period)]).filter((p): p is string => !!p).map((p) => lookup.period(p)?.id ?? p))];
  const locks = await repo.approvalLocks(db, periodIds);
  const exceptions = await repo.lockExceptions(db, periodIds);
  let rows: repo.ValueRow[] = [];
  let deletes: repo.ValueKey[] = [];
  // The returns each accepted value or delete writes to, held against approval before writing.
  const targets = new Map<object, { index: number; returns: string[]; period: Period; unit: OrgUnitRow }>();
  let ignored = 0;
  let index = -1;
  const completions: { ds: DataSetInfo; period: Period; unit: OrgUnitRow; aoc: string; at: Date }[] = [];

  for (const set of sets) {
    const setDs = set.dataSet ? lookup.dataSet(set.dataSet, schemes.dataSet) : undefined;
    const setIndex = index + 1;
    if (set.dataSet && !setDs) conflict(setIndex, set.dataSet, 'dataSet', 'E7600', ambiguous(lookup, 'dataSet', set.dataSet, schemes.dataSet) ?? `Data set not found or not accessible: ${set.dataSet}`);
    const setAoc = resolveAoc(lookup, set, setDs, schemes.categoryOptionCombo);
    for (const v of set.dataValues) {
      index++;
      const problem = checkValue(lookup, actor, set, setDs, setAoc, v, schemes, strategy, now, locks, exceptions);
      if ('error' in problem) {
        conflict(index, problem.object, problem.property, problem.error, problem.message);
        continue;
      }
      const { element, period, unit, coc, aoc } = problem;
      const key: repo.ValueKey = { de: element.id, period: period.id, ou: unit.id, coc, aoc };
      const target = { index, returns: lookup.dataSetsFor(element.id, period.type).map((d) => repo.returnKey(d.id, period.id, unit.id, aoc)), period, unit };
      // ADX: a text (non-numeric) element's value travels in the annotation, as DHIS2 writes and reads it.
      const textInAnnotation = v.annotation !== undefined && !isNumericType(element.valueType);
      const sent = textInAnnotation ? v.annotation : v.value;
      const comment = textInAnnotation ? null : v.annotation || (v.comment ?? null);
      const empty = sent === undefined || sent === null || sent === '';
      if (strategy === 'DELETE' || v.deleted || empty) { deletes.push(key); targets.set(key, target); continue; }
      const value = normalizeValue(element.valueType, String(sent).trim());
      const bad = valueProblem(element.valueType, value);
      if (bad) { conflict(index, value, 'value', 'E7619', `${bad} (data element ${element.code ?? element.id} is ${element.valueType})`); continue; }
      if (!element.zeroIsSignificant && isZero(element.valueType, value)) { ignored++; continue; }
      const row: repo.ValueRow = {
        de: key.de, period: key.period, ou: key.ou, coc: key.coc, aoc: key.aoc, value, num: numericValue(element.valueType, value), comment,
        followUp: !!v.followup, storedBy: v.storedBy ?? actor.username, periodType: period.type, start: period.startDate, end: period.endDate, path: unit.path, stateLgd: unit.state_lgd,
      };
      rows.push(row);
      targets.set(row, target);
    }
    if (set.completeDate !== undefined && setDs && set.period && set.orgUnit) {
      const period = lookup.period(set.period);
      const unit = lookup.orgUnit(set.orgUnit, schemes.orgUnit);
      if (period && unit && inScope(actor, unit.path) && setAoc) completions.push({ ds: setDs, period, unit, aoc: setAoc, at: completionInstant(actor, set.completeDate, now) });
    }
  }

  // Returns approved since `locks` was read are locked now: their values are refused like the rest.
  const approvedMeanwhile = await repo.holdReturns(db, [...targets.values()].flatMap((t) => t.returns));
  if (approvedMeanwhile.size) {
    const writable = (x: object) => {
      const t = targets.get(x)!;
      if (!t.returns.some((k) => approvedMeanwhile.has(k))) return true;
      const c = lockedReturn(t.period, t.unit);
      conflict(t.index, c.object, c.property, c.error, c.message);
      return false;
    };
    rows = rows.filter(writable);
    deletes = deletes.filter(writable);
  }

  const counts = { imported: 0, updated: 0, ignored, deleted: 0 };
  const unique = repo.lastWins(rows);
  counts.ignored += rows.length - unique.length;
  const written = await repo.upsertValues(db, unique, strategy);
  counts.imported += written.inserted;
  counts.updated += written.updated;
  counts.ignored += unique.length - written.inserted - written.updated;
  const removed = await repo.deleteValues(db, deletes);
  counts.deleted += removed;
  counts.ignored += deletes.length - removed;
  // A completed return's validation rules still hold after these values (or the write is refused).
  await guardCompletedReturns(db, lookup, [...targets.values()].flatMap((t) => t.returns));
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
  const total = index + 1;
  const status = !list.length ? 'SUCCESS' : rejected.size >= total && total > 0 ? 'ERROR' : 'WARNING';
  if (!opts.dryRun && (counts.imported || counts.updated || counts.deleted || completions.length)) {
    await recordAudit(db, actor, { action: 'import', entity: 'dataValueSet', orgPath: actor.orgPath, after: { ...counts, conflicts: list.length, completions: completions.map((c) => ({ dataSet: c.ds.id, period: c.period.id, orgUnit: c.unit.id })) } });
  }
  return {
    responseType: 'ImportSummary',
    status,
    description: status === 'SUCCESS' ? 'Import process completed successfully' : `Import process completed with ${list.length} conflict(s)`,
    importOptions: { dryRun: !!opts.dryRun, importStrategy: strategy, idSchemes: schemes },
    importCount: counts,
    conflicts: list,
    rejectedIndexes: [...rejected].sort((a, b) => a - b),
    dataSetComplete,
  };
}

type Checked =
  | { error: string; object: string; property: string; message: string }
  | { element: NonNullable<ReturnType<Lookup['element']>>; period: Period; unit: OrgUnitRow; coc: string; aoc: string };

function checkValue(lookup: Lookup, actor: Actor, set: RawSet, setDs: DataSetInfo | undefined, setAoc: string | null, v: RawValue,
  schemes: Record<string, IdScheme>, strategy: string, now: Date, locks: repo.ApprovalLocks, exceptions: Set<string>): Checked {
  const element = lookup.element(v.dataElement, schemes.dataElement);
  if (!element) return { error: 'E7610', object: v.dataElement ?? '(none)', property: 'dataElement', message: ambiguous(lookup, 'element', v.dataElement, schemes.dataElement) ?? `Data element not found or not accessible: ${v.dataElement ?? '(missing)'}` };
  const periodText = v.period ?? set.period;
  const period = lookup.period(periodText);
  if (!period) return { error: 'E7611', object: periodText ?? '(none)', property: 'period', message: `Period not valid: ${periodText ?? '(missing)'}; use a DHIS2 ISO period such as 202411` };
  const ouRef = v.orgUnit ?? set.orgUnit;
  const unit = lookup.orgUnit(ouRef, schemes.orgUnit);
  if (!unit) return { error: 'E7612', object: ouRef ?? '(none)', property: 'orgUnit', message: ambiguous(lookup, 'orgUnit', ouRef, schemes.orgUnit) ?? `Organisation unit not found or not accessible: ${ouRef ?? '(missing)'}` };
  if (!inScope(actor, unit.path)) return { error: 'E7615', object: unit.id, property: 'orgUnit', message: `Organisation unit ${unit.name} is outside your area` };
  let coc = v.categoryOptionCombo ? lookup.coc(v.categoryOptionCombo, schemes.categoryOptionCombo)
    : v.categoryOptions ? lookup.cocFromOptions(element.comboId, v.categoryOptions) : lookup.cocs.get(DEFAULTS.categoryOptionCombo);
  if (!coc) return { error: 'E7613', object: v.categoryOptionCombo ?? JSON.stringify(v.categoryOptions ?? {}), property: 'categoryOptionCombo', message: ambiguous(lookup, 'coc', v.categoryOptionCombo, schemes.categoryOptionCombo) ?? `Category option combo not found or not accessible: ${v.categoryOptionCombo ?? JSON.stringify(v.categoryOptions)}` };
  if (coc.comboId !== element.comboId) {
    if (coc.id === DEFAULTS.categoryOptionCombo && !v.categoryOptionCombo) coc = undefined;
    return { error: 'E7620', object: coc?.id ?? '(default)', property: 'categoryOptionCombo', message: `Category option combo ${coc?.id ?? 'default'} is not part of the category combo of data element ${element.code ?? element.id}; give one of its option combos` };
  }
  const aoc = v.attributeOptionCombo ? lookup.coc(v.attributeOptionCombo, schemes.categoryOptionCombo)?.id ?? null : setAoc;
  if (!aoc) return { error: 'E7614', object: v.attributeOptionCombo ?? set.attributeOptionCombo ?? '(none)', property: 'attributeOptionCombo', message: ambiguous(lookup, 'coc', v.attributeOptionCombo ?? set.attributeOptionCombo, schemes.categoryOptionCombo) ?? `Attribute option combo not found or not accessible: ${v.attributeOptionCombo ?? set.attributeOptionCombo}` };
  if (element.periodTypes.size && !element.periodTypes.has(period.type)) {
    return { error: 'E7617', object: period.id, property: 'period', message: `Period ${period.id} is ${period.type}, but data element ${element.code ?? element.id} is collected ${[...element.periodTypes].join(' or ')}` };
  }
  const sets = lookup.dataSetsFor(element.id, period.type);
  const ds = setDs ?? sets[0];
  if (ds && actor.role !== 'admin') {
    const closed = windowProblem(ds, period, now);
    if (closed && !(closed.error === 'E7641' && exceptions.has(`${ds.id}|${period.id}|${unit.id}`))) return closed;
  }
  const lockedBy = sets.find((d) => locks.isLocked(d.id, period.id, unit.id, aoc));
  if (lockedBy) return lockedReturn(period, unit);
  void strategy;
  return { element, period, unit, coc: coc.id, aoc };
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
