/**
 * Swasthya's metadata as DHIS2 objects, in the shape DHIS2's metadata export writes and its metadata
 * import (and Swasthya's, hmis.metadata.import.ts) reads back: owner properties, references as
 * `{ "id": … }`, names in other languages as `translations`. Computed display properties
 * (`displayName`…) are added for the API's `fields=` and left out of `:owner`.
 *
 * Where DHIS2 requires a property Swasthya may not have, the export fills it from what Swasthya
 * does have, and says so here: `shortName` (required on nameable objects) is the name cut to 50
 * characters; an org unit's `openingDate` (required) is the day Swasthya recorded it when no opening
 * day is known. Both come back unchanged on a second round.
 */
import type { Kysely } from 'kysely';
import type { Database, OrgUnitRow } from '../../../db/types.js';
import { requirePermission, type Actor } from '../../../platform/actor.js';
import { stableUid } from '../../../platform/ids.js';
import { assignedUnitsUnder, metadataRows, orgUnitsUnder, type MetadataRows } from './dhis2.metadata.repository.js';
import type { Obj } from './dhis2.fields.js';

type Db = Kysely<Database>;

/** The object types the DHIS2 API serves, in the order a metadata export lists them (references first). */
export const EXPORT_TYPES = [
  'organisationUnitLevels', 'organisationUnits', 'categoryOptions', 'categories', 'categoryCombos', 'categoryOptionCombos', 'dataElements',
  'dataSets', 'sections', 'validationRules', 'indicatorTypes', 'indicators', 'dataElementGroups', 'indicatorGroups', 'validationRuleGroups',
] as const;
export type ExportType = (typeof EXPORT_TYPES)[number];
export const isExportType = (s: string): s is ExportType => (EXPORT_TYPES as readonly string[]).includes(s);

const ref = (id: string | null | undefined) => (id ? { id } : undefined);
const stamp = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString().slice(0, 23) : undefined);
const dayStamp = (d: string | null | undefined) => (d ? `${String(d).slice(0, 10)}T00:00:00.000` : undefined);
const short = (shortName: string | null, name: string) => shortName ?? name.slice(0, 50);
const translations = (t: unknown) => (Array.isArray(t) ? t : []);

/** Drops undefined properties, so that the JSON carries only what is known. */
function clean(o: Obj): Obj {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

function display(o: Obj): Obj {
  o.displayName = o.name;
  if (o.shortName !== undefined) o.displayShortName = o.shortName;
  if (o.formName !== undefined || o.valueType !== undefined) o.displayFormName = o.formName ?? o.name;
  if (o.description !== undefined) o.displayDescription = o.description;
  return o;
}

function groupBy<T, K extends keyof T>(rows: T[], key: K, value: (r: T) => unknown = (r) => r) {
  const out = new Map<string, unknown[]>();
  for (const r of rows) out.set(String(r[key]), [...(out.get(String(r[key])) ?? []), value(r)]);
  return out;
}

/** The metadata objects of Swasthya as DHIS2 writes them, type by type. */
export function metadataObjects(m: MetadataRows, inScopeUnits: Set<string> | null): Record<Exclude<ExportType, 'organisationUnits' | 'organisationUnitLevels'>, Obj[]> {
  const catOptions = groupBy(m.categoryOptions, 'category_id', (r) => ({ id: r.option_id }));
  const comboCats = groupBy(m.comboCategories, 'combo_id', (r) => ({ id: r.category_id }));
  const cocOptions = groupBy(m.cocOptions, 'coc_id', (r) => ({ id: r.option_id }));
  const comboCocs = groupBy([...m.cocs].sort((a, b) => a.id.localeCompare(b.id)), 'combo_id', (r) => ({ id: r.id }));
  const dsElements = groupBy(m.dataSetElements, 'data_set_id', (r) => clean({ dataSet: { id: r.data_set_id }, dataElement: { id: r.data_element_id }, categoryCombo: ref(r.category_combo_id) }));
  const dsUnits = groupBy(m.dataSetUnits.filter((r) => !inScopeUnits || inScopeUnits.has(r.org_unit_id)), 'data_set_id', (r) => ({ id: r.org_unit_id }));
  const secElements = groupBy(m.sectionElements, 'section_id', (r) => ({ id: r.data_element_id }));
  const sectionsOf = groupBy([...m.sections].sort((a, b) => a.sort_order - b.sort_order || a.id.localeCompare(b.id)), 'data_set_id', (r) => ({ id: r.id }));
  const base = (r: { id: string; code: string | null; name: string; translations: unknown; updated_at: Date }) =>
    ({ id: r.id, code: r.code ?? undefined, name: r.name, lastUpdated: stamp(r.updated_at), translations: translations(r.translations) });
  const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));
  const group = (kind: string, member: string) => byId(m.groups.filter((g) => g.kind === kind)).map((g) => display(clean({
    ...base(g), shortName: short(g.short_name, g.name), [member]: [...g.members].map((id) => ({ id })),
  })));
  return {
    categoryOptions: byId(m.options).map((r) => display(clean({ ...base(r), shortName: short(r.short_name, r.name), startDate: dayStamp(r.start_date as string | null), endDate: dayStamp(r.end_date as string | null) }))),
    categories: byId(m.categories).map((r) => display(clean({ ...base(r), shortName: short(r.short_name, r.name), dataDimensionType: r.data_dimension_type, dataDimension: true, categoryOptions: catOptions.get(r.id) ?? [] }))),
    categoryCombos: byId(m.combos).map((r) => display(clean({ ...base(r), dataDimensionType: r.data_dimension_type, skipTotal: r.skip_total, categories: comboCats.get(r.id) ?? [], categoryOptionCombos: comboCocs.get(r.id) ?? [] }))),
    categoryOptionCombos: byId(m.cocs).map((r) => display(clean({ ...base(r), ignoreApproval: r.ignore_approval, categoryCombo: { id: r.combo_id }, categoryOptions: cocOptions.get(r.id) ?? [] }))),
    dataElements: byId(m.elements).map((r) => display(clean({
      ...base(r), shortName: short(r.short_name, r.name), formName: r.form_name ?? undefined, description: r.description ?? undefined,
      valueType: r.value_type, aggregationType: r.aggregation_type, domainType: r.domain_type, zeroIsSignificant: r.zero_is_significant, categoryCombo: { id: r.category_combo_id },
    }))),
    dataSets: byId(m.dataSets).map((r) => display(clean({
      ...base(r), shortName: short(r.short_name, r.name), periodType: r.period_type, timelyDays: r.timely_days, expiryDays: r.expiry_days,
      openFuturePeriods: r.open_future_periods, version: r.version, formType: r.form_type,
      // DHIS2's completion rule, and Swasthya's own (completing with a comment per failing rule).
      validCompleteOnly: r.valid_complete_only, allowCompleteWithComments: r.allow_complete_with_comments,
      categoryCombo: { id: r.category_combo_id }, dataSetElements: dsElements.get(r.id) ?? [], organisationUnits: dsUnits.get(r.id) ?? [],
      sections: sectionsOf.get(r.id) ?? [],
      // Swasthya's own: the facility types the return is assigned to (DHIS2 ignores unknown properties).
      facilityTypes: [...r.facility_types],
    }))),
    sections: byId(m.sections).map((r) => display(clean({ ...base(r), sortOrder: r.sort_order, dataSet: { id: r.data_set_id }, dataElements: secElements.get(r.id) ?? [] }))),
    validationRules: byId(m.rules).map((r) => display(clean({
      ...base(r), description: r.description ?? undefined, instruction: r.instruction ?? undefined, importance: r.importance, operator: r.operator, periodType: r.period_type,
      leftSide: { expression: r.left_expression, missingValueStrategy: r.left_missing }, rightSide: { expression: r.right_expression, missingValueStrategy: r.right_missing },
    }))),
    indicatorTypes: byId(m.indicatorTypes).map((r) => display(clean({ ...base(r), factor: r.factor, number: r.number }))),
    indicators: byId(m.indicators).map((r) => display(clean({
      ...base(r), shortName: short(r.short_name, r.name), description: r.description ?? undefined, numerator: r.numerator, denominator: r.denominator,
      indicatorType: { id: r.indicator_type_id }, annualized: r.annualized, decimals: r.decimals ?? undefined,
    }))),
    dataElementGroups: group('dataElementGroups', 'dataElements'),
    indicatorGroups: group('indicatorGroups', 'indicators'),
    validationRuleGroups: group('validationRuleGroups', 'validationRules'),
  };
}

const LEVEL_NAMES: Record<string, string> = { country: 'Country', state: 'State', district: 'District', block: 'Block', panchayat: 'Panchayat', village: 'Village', facility: 'Facility' };
const depth = (path: string) => path.split('/').filter(Boolean).length;
/** DHIS2's path: ids from the root, each after a slash, no slash at the end. */
export const dhis2Path = (path: string) => `/${path.split('/').filter(Boolean).join('/')}`;

export function orgUnitObjects(units: OrgUnitRow[]): { organisationUnits: Obj[]; organisationUnitLevels: Obj[] } {
  const levels = new Map<number, Set<string>>();
  const organisationUnits = units.map((u) => {
    const level = depth(u.path);
    levels.set(level, (levels.get(level) ?? new Set()).add(LEVEL_NAMES[u.level] ?? u.level));
    return display(clean({
      id: u.id, code: u.code ?? undefined, name: u.name, shortName: u.name.slice(0, 50), lastUpdated: stamp(u.updated_at),
      openingDate: dayStamp(u.opened_on) ?? dayStamp(new Date(u.created_at).toISOString()), closedDate: dayStamp(u.closed_on),
      level, path: dhis2Path(u.path), parent: ref(u.parent_id),
      translations: u.name_hi ? [{ property: 'NAME', locale: 'hi', value: u.name_hi }] : [],
    }));
  });
  const organisationUnitLevels = [...levels.entries()].sort((a, b) => a[0] - b[0]).map(([level, names]) => display({
    id: stableUid(`organisationUnitLevel:${level}`), name: [...names].join(' or '), level, translations: [],
  }));
  return { organisationUnits, organisationUnitLevels };
}

const DISPLAY_OF: Record<string, string> = { NAME: 'displayName', SHORT_NAME: 'displayShortName', FORM_NAME: 'displayFormName', DESCRIPTION: 'displayDescription' };

/** DHIS2's `locale=`: display properties from the translations in that language, where there are any. */
function localise(o: Obj, locale: string) {
  const lang = locale.toLowerCase().split(/[-_]/)[0];
  for (const t of Array.isArray(o.translations) ? o.translations : []) {
    const target = DISPLAY_OF[t?.property];
    if (target && typeof t.value === 'string' && String(t.locale ?? '').toLowerCase().split(/[-_]/)[0] === lang) o[target] = t.value;
  }
}

export interface MetadataSet { objects: Partial<Record<ExportType, Obj[]>>; lookup(id: string): Obj | undefined }

/**
 * The DHIS2 objects of the types asked for, and a lookup by id over them (for nested fields).
 * Org units are the caller's area only; data set assignments outside it are left out too.
 */
export async function loadMetadataSet(db: Db, actor: Actor, types: ReadonlySet<ExportType>, locale?: string): Promise<MetadataSet> {
  requirePermission(actor, 'can_read_metadata');
  const needUnits = types.has('organisationUnits') || types.has('organisationUnitLevels');
  const units = needUnits ? await orgUnitsUnder(db, actor.orgPath) : [];
  const ou = orgUnitObjects(units);
  const rows = await metadataRows(db);
  const meta = metadataObjects(rows, types.has('dataSets') ? await assignedUnitsUnder(db, actor.orgPath) : new Set());
  const all: Record<ExportType, Obj[]> = { ...meta, ...ou };
  if (locale) for (const list of Object.values(all)) for (const o of list) localise(o, locale);
  const index = new Map<string, Obj>();
  for (const list of Object.values(all)) for (const o of list) if (!index.has(o.id)) index.set(o.id, o);
  const objects: Partial<Record<ExportType, Obj[]>> = {};
  for (const t of EXPORT_TYPES) if (types.has(t)) objects[t] = all[t];
  return { objects, lookup: (id) => index.get(id) };
}
