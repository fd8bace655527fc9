import type { Kysely } from 'kysely';
import type { Database, OrgUnitRow } from '../../../db/types.js';
import { requirePermission, requireScope, type Actor } from '../../../platform/actor.js';
import { AppError, badRequest, notFound } from '../../../platform/errors.js';
import { parsePeriod, tryParsePeriod } from '../../../platform/periods.js';
import { resolveOrgUnit } from '../../geo/geo.service.js';
import { completionInstant, type Conflict } from '../hmis.datavalues.import.js';
import { Lookup, type IdScheme } from '../hmis.lookup.js';
import { DEFAULTS } from '../hmis.metadata.types.js';
import { returnKey } from '../hmis.datavalues.repository.js';
import { returnStep } from '../hmis.returns.js';
import { lockReturns } from '../hmis.returns.checks.js';
import * as repo from './dhis2.complete.repository.js';

type Db = Kysely<Database>;

/** One registration as DHIS2 sends it (POST /api/completeDataSetRegistrations). */
export interface Registration {
  dataSet?: unknown; period?: unknown; organisationUnit?: unknown; orgUnit?: unknown; attributeOptionCombo?: unknown;
  date?: unknown; storedBy?: unknown; completed?: unknown;
}
export interface CompleteImportOptions { dryRun?: boolean; idScheme?: IdScheme; dataSetIdScheme?: IdScheme; orgUnitIdScheme?: IdScheme; categoryOptionComboIdScheme?: IdScheme; now?: Date }

export interface CompleteImportSummary {
  responseType: 'ImportSummary';
  status: 'SUCCESS' | 'WARNING' | 'ERROR';
  description: string;
  importOptions: { dryRun: boolean; idSchemes: Record<string, IdScheme> };
  importCount: { imported: number; updated: number; ignored: number; deleted: number };
  conflicts: Conflict[];
  rejectedIndexes: number[];
}

class DryRun extends Error { constructor() { super('dry run'); } }
const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : undefined);

/**
 * DHIS2's complete data set registrations, imported one by one: each completes (or, with
 * `completed: false`, un-completes) its return through the returns service, in its own transaction,
 * so every rule of completion holds (permission, the caller's area, an approved return being locked,
 * the data set's completion checks). What a registration breaks is a conflict naming it by index;
 * the rest go on. A registration already completed is ignored: the first completion stands, so
 * sending again cannot make an on-time return late. `date` counts for an admin migrating history.
 */
export async function importRegistrations(db: Db, actor: Actor, body: unknown, opts: CompleteImportOptions = {}): Promise<CompleteImportSummary> {
  requirePermission(actor, 'can_submit_data');
  const list = body && typeof body === 'object' && !Array.isArray(body) ? (body as { completeDataSetRegistrations?: unknown }).completeDataSetRegistrations : undefined;
  if (!Array.isArray(list)) {
    throw badRequest('The body must be {"completeDataSetRegistrations": [{"dataSet", "period", "organisationUnit", …}]}', 'बॉडी में completeDataSetRegistrations सूची होनी चाहिए');
  }
  const scheme = (s?: IdScheme) => s ?? opts.idScheme ?? 'UID';
  const schemes = { dataSet: scheme(opts.dataSetIdScheme), orgUnit: scheme(opts.orgUnitIdScheme), categoryOptionCombo: scheme(opts.categoryOptionComboIdScheme) };
  const now = opts.now ?? new Date();
  const lookup = await Lookup.load(db);
  const rows = list.map((r) => (r && typeof r === 'object' && !Array.isArray(r) ? r as Registration : null));
  await lookup.preloadOrgUnits(rows.map((r) => text(r?.organisationUnit ?? r?.orgUnit)).filter((x): x is string => !!x), schemes.orgUnit);

  const conflicts: Conflict[] = [];
  const rejected: number[] = [];
  const count = { imported: 0, updated: 0, ignored: 0, deleted: 0 };
  const refuse = (index: number, object: string, property: string, errorCode: string, value: string) => {
    conflicts.push({ object, property, errorCode, value, indexes: [index] });
    rejected.push(index);
  };
  for (const [index, r] of rows.entries()) {
    if (!r) { refuse(index, '(none)', 'completeDataSetRegistration', 'E7600', 'A registration must be an object with dataSet, period and organisationUnit'); continue; }
    const dsRef = text(r.dataSet);
    const ouRef = text(r.organisationUnit ?? r.orgUnit);
    const peRef = text(r.period);
    const ds = lookup.dataSet(dsRef, schemes.dataSet);
    if (!ds) { refuse(index, dsRef ?? '(none)', 'dataSet', 'E7600', named(lookup, 'dataSet', dsRef, schemes.dataSet) ?? `Data set not found or not accessible: ${dsRef ?? '(missing)'}`); continue; }
    const period = peRef ? tryParsePeriod(peRef) : null;
    if (!period) { refuse(index, peRef ?? '(none)', 'period', 'E7611', `Period not valid: ${peRef ?? '(missing)'}; use a DHIS2 ISO period such as 202411`); continue; }
    const unit = lookup.orgUnit(ouRef, schemes.orgUnit);
    if (!unit) { refuse(index, ouRef ?? '(none)', 'organisationUnit', 'E7612', named(lookup, 'orgUnit', ouRef, schemes.orgUnit) ?? `Organisation unit not found or not accessible: ${ouRef ?? '(missing)'}`); continue; }
    const aocRef = text(r.attributeOptionCombo);
    const aoc = aocRef ? lookup.coc(aocRef, schemes.categoryOptionCombo) : lookup.cocs.get(DEFAULTS.categoryOptionCombo);
    if (!aoc || aoc.id !== DEFAULTS.categoryOptionCombo) {
      refuse(index, aocRef ?? '(none)', 'attributeOptionCombo', 'E7614', aoc ? `Returns are completed for the default attribute option combo only; ${aocRef} is not it` : `Attribute option combo not found or not accessible: ${aocRef}`);
      continue;
    }
    const complete = !(r.completed === false || r.completed === 'false');
    const date = text(r.date);
    if (date && !/^\d{4}-\d{2}-\d{2}([T ][\d:.]+([zZ]|[+-]\d{2}:?\d{2})?)?$/.test(date)) { refuse(index, date, 'date', 'E7616', `date ${date} is not a date; use YYYY-MM-DD or YYYY-MM-DDTHH:mm:ss`); continue; }
    try {
      // The return's own lock (the one its steps take) before reading whether it is completed: of two
      // registrations of one return sent at once, one completes it and the other finds it completed.
      const changed = await db.transaction().execute(async (trx) => {
        await lockReturns(trx, [returnKey(ds.id, period.id, unit.id, aoc.id)], 'exclusive');
        if (complete === !!await repo.completedAt(trx, ds.id, period.id, unit.id, aoc.id)) return false;
        await returnStep(trx, actor, complete ? 'complete' : 'uncomplete', { dataSet: ds.id, period: period.id, orgUnit: unit.id }, complete ? completionInstant(actor, date ?? '', now) : now);
        if (opts.dryRun) throw new DryRun();
        return true;
      }).catch((e) => { if (e instanceof DryRun) return true; throw e; });
      if (!changed) count.ignored++;
      else if (complete) count.imported++; else count.deleted++;
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      // The returns service's refusal, coded as the data value import codes it: outside the area, failing validation rules, approved and locked.
      const code = e.status === 403 ? 'E7615' : e.details?.reason === 'validation_rules_fail' ? 'E7644' : e.status === 409 ? 'E7643' : 'E7600';
      refuse(index, `${ds.id}/${period.id}/${unit.id}`, 'completeDataSetRegistration', code, e.msg.en);
    }
  }
  const status = !conflicts.length ? 'SUCCESS' : rejected.length >= rows.length && rows.length > 0 ? 'ERROR' : 'WARNING';
  return {
    responseType: 'ImportSummary', status,
    description: status === 'SUCCESS' ? 'Import process completed successfully' : `Import process completed with ${conflicts.length} conflict(s)`,
    importOptions: { dryRun: !!opts.dryRun, idSchemes: schemes }, importCount: count, conflicts, rejectedIndexes: rejected,
  };
}

function named(lookup: Lookup, kind: 'dataSet' | 'orgUnit', ref: string | undefined, scheme: IdScheme) {
  const ids = lookup.clash(kind, ref, scheme);
  return ids ? `The name "${ref}" is ambiguous: ${ids.length} ${kind === 'dataSet' ? 'data sets' : 'organisation units'} have it (${ids.join(', ')}); send their UID or CODE instead` : undefined;
}

export interface RegistrationQuery {
  dataSet: string[]; period: string[]; startDate?: string; endDate?: string; orgUnit: string[]; children?: boolean;
  idScheme?: IdScheme; dataSetIdScheme?: IdScheme; orgUnitIdScheme?: IdScheme; categoryOptionComboIdScheme?: IdScheme;
}

/** The completed returns of the data sets, periods and org units asked for (and below them with children), in DHIS2's shape. */
export async function listRegistrations(db: Db, actor: Actor, q: RegistrationQuery) {
  requirePermission(actor, 'can_read_data');
  if (!q.dataSet.length) throw badRequest('dataSet is required (one or more data set ids or codes)', 'dataSet आवश्यक है', { field: 'dataSet' });
  if (!q.orgUnit.length) throw badRequest('orgUnit is required', 'orgUnit आवश्यक है', { field: 'orgUnit' });
  if (!q.period.length && !(q.startDate && q.endDate)) throw badRequest('Give period, or startDate and endDate', 'period, या startDate और endDate दें', { field: 'period' });
  const lookup = await Lookup.load(db);
  const scheme = q.idScheme ?? 'UID';
  const dataSets = q.dataSet.map((ref) => {
    const ds = lookup.dataSet(ref, scheme === 'NAME' || q.dataSetIdScheme === 'NAME' ? 'NAME' : scheme);
    if (!ds) throw notFound(`No data set has id or code ${ref}`, `डेटा सेट ${ref} नहीं मिला`);
    return ds;
  });
  const periods = q.period.map((p) => parsePeriod(p).id);
  const units: OrgUnitRow[] = [];
  for (const ref of q.orgUnit) {
    const u = await resolveOrgUnit(db, ref);
    requireScope(actor, u.path, u.name);
    units.push(u);
  }
  const rows = await repo.registrations(db, { dataSetIds: dataSets.map((d) => d.id), periods, startDate: q.startDate, endDate: q.endDate, units, children: !!q.children });
  const pick = (as: IdScheme, id: string, code: string | null, name: string | null) => (as === 'CODE' && code ? code : as === 'NAME' && name ? name : id);
  const ds = q.dataSetIdScheme ?? scheme;
  const ou = q.orgUnitIdScheme ?? scheme;
  const coc = q.categoryOptionComboIdScheme ?? scheme;
  return {
    completeDataSetRegistrations: rows.map((r) => {
      const set = lookup.dataSets.get(r.data_set_id);
      const aoc = lookup.cocs.get(r.aoc_id);
      return {
        dataSet: pick(ds, r.data_set_id, set?.code ?? null, set?.name ?? null), period: r.period,
        organisationUnit: pick(ou, r.org_unit_id, r.ou_code, r.ou_name), attributeOptionCombo: pick(coc, r.aoc_id, aoc?.code ?? null, aoc?.name ?? null),
        date: istLocal(r.completed_at), storedBy: r.completed_by, completed: true,
      };
    }),
  };
}

/** An instant as India's wall-clock time without a zone (2019-06-05T00:00:00.000), as DHIS2 writes dates, so the day is kept and reads back the same. */
export function istLocal(at: Date): string {
  return new Date(at.getTime() + 5.5 * 3600_000).toISOString().slice(0, 23);
}

/** DELETE as DHIS2 has it (ds, pe, ou; multiOu for the units below): un-completes each return through the returns service. */
export async function deleteRegistrations(db: Db, actor: Actor, q: { ds: string[]; pe: string; ou: string; multiOu?: boolean }) {
  requirePermission(actor, 'can_submit_data');
  if (!q.ds.length) throw badRequest('ds (one or more data sets) is required', 'ds आवश्यक है', { field: 'ds' });
  const unit = await resolveOrgUnit(db, q.ou, undefined, 'ou');
  requireScope(actor, unit.path, unit.name);
  const period = parsePeriod(q.pe, 'pe');
  const lookup = await Lookup.load(db);
  const targets: { ds: string; ou: string }[] = [];
  for (const ref of q.ds) {
    const ds = lookup.dataSet(ref, 'UID');
    if (!ds) throw notFound(`No data set has id or code ${ref}`, `डेटा सेट ${ref} नहीं मिला`);
    const units = q.multiOu ? await repo.completedUnder(db, ds.id, period.id, unit.path) : [unit.id];
    for (const ou of units) targets.push({ ds: ds.id, ou });
  }
  let deleted = 0;
  await db.transaction().execute(async (trx) => {
    for (const t of targets) {
      if (!await repo.completedAt(trx, t.ds, period.id, t.ou, DEFAULTS.categoryOptionCombo)) continue;
      await returnStep(trx, actor, 'uncomplete', { dataSet: t.ds, period: period.id, orgUnit: t.ou });
      deleted++;
    }
  });
  return { deleted };
}
