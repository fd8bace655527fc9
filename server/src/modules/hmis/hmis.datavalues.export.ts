import { sql, type Kysely } from 'kysely';
import type { Database, OrgUnitRow } from '../../db/types.js';
import { requirePermission, requireScope, type Actor } from '../../platform/actor.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { parsePeriod, toAdx, todayIst } from '../../platform/periods.js';
import { resolveOrgUnit } from '../geo/geo.service.js';
import { isNumericType } from './hmis.datavalues.validate.js';
import { Lookup, type IdScheme } from './hmis.lookup.js';

type Db = Kysely<Database>;

export interface ExportQuery {
  dataSet: string[];
  period: string[];
  startDate?: string;
  endDate?: string;
  orgUnit: string[];
  children?: boolean;
  idScheme?: IdScheme;
  /** DHIS2's per-kind schemes for what is written (UID, CODE or NAME; idScheme where not given). */
  dataElementIdScheme?: IdScheme;
  orgUnitIdScheme?: IdScheme;
  categoryOptionComboIdScheme?: IdScheme;
  dataSetIdScheme?: IdScheme;
}

export interface ExportedValue {
  dataElement: string; period: string; orgUnit: string; categoryOptionCombo: string; attributeOptionCombo: string;
  value: string; storedBy: string | null; created: string; lastUpdated: string; comment: string | null; followup: boolean;
}

/** DHIS2's data value set export: the values of the data sets' elements for the periods and org units named. */
export async function exportDataValues(db: Db, actor: Actor, q: ExportQuery) {
  requirePermission(actor, 'can_read_data');
  if (!q.dataSet.length) throw badRequest('dataSet is required (one or more data set ids or codes)', 'dataSet आवश्यक है', { field: 'dataSet' });
  if (!q.orgUnit.length) throw badRequest('orgUnit is required', 'orgUnit आवश्यक है', { field: 'orgUnit' });
  if (!q.period.length && !(q.startDate && q.endDate)) throw badRequest('Give period, or startDate and endDate', 'period, या startDate और endDate दें', { field: 'period' });
  const lookup = await Lookup.load(db);
  const scheme = (q.idScheme ?? 'UID').toUpperCase() as IdScheme;
  const out = {
    de: (q.dataElementIdScheme ?? scheme).toUpperCase() as IdScheme, ou: (q.orgUnitIdScheme ?? scheme).toUpperCase() as IdScheme,
    coc: (q.categoryOptionComboIdScheme ?? scheme).toUpperCase() as IdScheme, ds: (q.dataSetIdScheme ?? scheme).toUpperCase() as IdScheme,
  };
  // The data sets asked for are named by id or code (or name, under a NAME scheme).
  const dataSets = q.dataSet.map((ref) => {
    const ds = lookup.dataSet(ref, out.ds === 'NAME' ? 'NAME' : scheme);
    if (!ds) throw notFound(`No data set has id or code ${ref}`, `डेटा सेट ${ref} नहीं मिला`);
    return ds;
  });
  const periods = q.period.map((p) => parsePeriod(p));
  const units: OrgUnitRow[] = [];
  for (const ref of q.orgUnit) {
    const u = await resolveOrgUnit(db, ref);
    requireScope(actor, u.path, u.name);
    units.push(u);
  }
  const elementIds = [...new Set(dataSets.flatMap((d) => [...d.elementIds]))];
  if (!elementIds.length) return { values: [] as ExportedValue[], complete: [], textElements: new Set<string>(), completeDates: new Map<string, string>() };
  let query = db.selectFrom('hmis_data_values as v')
    .innerJoin('hmis_data_elements as de', 'de.id', 'v.data_element_id')
    .innerJoin('org_units as o', 'o.id', 'v.org_unit_id')
    .innerJoin('hmis_category_option_combos as c', 'c.id', 'v.coc_id')
    .innerJoin('hmis_category_option_combos as a', 'a.id', 'v.aoc_id')
    .select(['v.period', 'v.value', 'v.stored_by', 'v.created_at', 'v.updated_at', 'v.comment', 'v.follow_up', 'de.value_type', 'de.id as de_id', 'de.code as de_code', 'de.name as de_name',
      'o.id as ou_id', 'o.code as ou_code', 'o.name as ou_name', 'c.id as coc_id', 'c.code as coc_code', 'c.name as coc_name', 'a.id as aoc_id', 'a.code as aoc_code', 'a.name as aoc_name'])
    .where('v.data_element_id', 'in', elementIds)
    .where((eb) => eb.or(units.map((u) => (q.children ? eb('v.ou_path', 'like', `${u.path}%`) : eb('v.org_unit_id', '=', u.id)))));
  if (periods.length) query = query.where('v.period', 'in', periods.map((p) => p.id));
  else query = query.where('v.period_start', '>=', q.startDate!).where('v.period_end', '<=', q.endDate!);
  const rows = await query.orderBy('v.org_unit_id').orderBy('v.period').orderBy('de.id').orderBy('c.id').execute();
  const pick = (id: string, code: string | null, name?: string | null, as: IdScheme = scheme) => (as === 'CODE' && code ? code : as === 'NAME' && name ? name : id);
  const values: ExportedValue[] = rows.map((r) => ({
    dataElement: pick(r.de_id, r.de_code, r.de_name, out.de), period: r.period, orgUnit: pick(r.ou_id, r.ou_code, r.ou_name, out.ou), categoryOptionCombo: pick(r.coc_id, r.coc_code, r.coc_name, out.coc),
    attributeOptionCombo: pick(r.aoc_id, r.aoc_code, r.aoc_name, out.coc), value: r.value, storedBy: r.stored_by, created: r.created_at.toISOString(),
    lastUpdated: r.updated_at.toISOString(), comment: r.comment, followup: r.follow_up,
  }));
  const textElements = new Set(rows.filter((r) => !isNumericType(r.value_type)).map((r) => pick(r.de_id, r.de_code, r.de_name, out.de)));
  const complete = await db.selectFrom('hmis_complete_registrations').selectAll()
    .where('data_set_id', 'in', dataSets.map((d) => d.id))
    .where((eb) => eb.or(units.map((u) => (q.children ? eb('ou_path', 'like', `${u.path}%`) : eb('org_unit_id', '=', u.id)))))
    .$if(periods.length > 0, (qb) => qb.where('period', 'in', periods.map((p) => p.id)))
    .execute();
  // Each completed return's calendar day in India, keyed as the ADX groups are (period|orgUnit|attributeOptionCombo, as written).
  const unitRefs = new Map(rows.map((r) => [r.ou_id, pick(r.ou_id, r.ou_code, r.ou_name, out.ou)]));
  for (const u of units) unitRefs.set(u.id, pick(u.id, u.code, u.name, out.ou));
  const completeDates = new Map(complete.map((c) => {
    const aoc = lookup.cocs.get(c.aoc_id);
    return [`${c.period}|${unitRefs.get(c.org_unit_id) ?? c.org_unit_id}|${aoc ? pick(aoc.id, aoc.code, aoc.name, out.coc) : c.aoc_id}`, todayIst(c.completed_at)] as const;
  }));
  return { values, complete, textElements, completeDates, dataSet: dataSets.length === 1 ? pick(dataSets[0].id, dataSets[0].code, dataSets[0].name, out.ds) : undefined, single: units.length === 1 && !q.children && periods.length === 1 ? { period: periods[0].id, orgUnit: pick(units[0].id, units[0].code, units[0].name, out.ou) } : undefined };
}

const CSV_HEADER = 'dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby,lastupdated,comment,followup';
const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function toCsv(values: ExportedValue[]): string {
  return [CSV_HEADER, ...values.map((v) => [v.dataElement, v.period, v.orgUnit, v.categoryOptionCombo, v.attributeOptionCombo, v.value, v.storedBy, v.lastUpdated, v.comment, v.followup].map(csvCell).join(','))].join('\n') + '\n';
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * ADX: one group per data set, period and org unit. ADX values are numbers, so as DHIS2 writes it a
 * non-numeric element (`textElements`) has value="0" and its value in the annotation. A group whose
 * return is completed carries its completeDate (`completeDates`, keyed period|orgUnit|attributeOptionCombo).
 */
export function toAdxXml(values: ExportedValue[], dataSet: string, textElements: Set<string> = new Set(), completeDates: Map<string, string> = new Map()): string {
  const groups = new Map<string, ExportedValue[]>();
  for (const v of values) groups.set(`${v.period}|${v.orgUnit}|${v.attributeOptionCombo}`, [...(groups.get(`${v.period}|${v.orgUnit}|${v.attributeOptionCombo}`) ?? []), v]);
  const body = [...groups.values()].map((vs) => {
    const g = vs[0];
    const dv = vs.map((v) => {
      const text = textElements.has(v.dataElement);
      const annotation = text ? v.value : v.comment;
      return `    <dataValue dataElement="${xml(v.dataElement)}" categoryOptionCombo="${xml(v.categoryOptionCombo)}" value="${text ? '0' : xml(v.value)}"${annotation ? `><annotation>${xml(annotation)}</annotation></dataValue>` : '/>'}`;
    }).join('\n');
    const done = completeDates.get(`${g.period}|${g.orgUnit}|${g.attributeOptionCombo}`);
    return `  <group dataSet="${xml(dataSet)}" period="${toAdx(parsePeriod(g.period))}" orgUnit="${xml(g.orgUnit)}" attributeOptionCombo="${xml(g.attributeOptionCombo)}"${done ? ` completeDate="${done}"` : ''}>\n${dv}\n  </group>`;
  }).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<adx xmlns="urn:ihe:qrph:adx:2015" exported="${new Date().toISOString()}">\n${body}\n</adx>\n`;
}
void sql;
