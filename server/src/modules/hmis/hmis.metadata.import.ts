import type { Kysely } from 'kysely';
import type { Database, OrgUnitLevel, OrgUnitRow } from '../../db/types.js';
import { inScope, requirePermission, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { isUid, stableUid } from '../../platform/ids.js';
import { isPeriodType } from '../../platform/periods.js';
import { FACILITY_TYPES } from '../facilities/facilities.schema.js';
import * as repo from './hmis.metadata.repository.js';
import { shapeProblems } from './hmis.metadata.shape.js';
import type { Table } from './hmis.metadata.repository.js';
import {
  MISSING_VALUE_STRATEGIES, NOT_OBJECTS, OPERATORS, SUPPORTED, VALUE_TYPES,
  type Dhis2Metadata, type ErrorReport, type Klass, type MetadataImportReport, type Obj, type ObjectReport, type Ref, type Stats, type TypeReport,
} from './hmis.metadata.types.js';

type Db = Kysely<Database>;

/** Where each DHIS2 type is stored. */
const TABLE: Record<Exclude<Klass, 'organisationUnits'>, Table> = {
  categoryOptions: 'hmis_category_options', categories: 'hmis_categories', categoryCombos: 'hmis_category_combos',
  categoryOptionCombos: 'hmis_category_option_combos', dataElements: 'hmis_data_elements', dataSets: 'hmis_data_sets',
  sections: 'hmis_sections', validationRules: 'hmis_validation_rules', indicatorTypes: 'hmis_indicator_types',
  indicators: 'hmis_indicators', dataElementGroups: 'hmis_groups', indicatorGroups: 'hmis_groups', validationRuleGroups: 'hmis_groups',
};

export interface ImportOptions { dryRun?: boolean; importStrategy?: 'CREATE_AND_UPDATE' | 'CREATE' | 'UPDATE'; atomicMode?: 'ALL' | 'NONE' }

const refId = (r: Ref) => (r && typeof r === 'object' && typeof r.id === 'string' ? r.id : null);
const refs = (xs: unknown) => (Array.isArray(xs) ? xs.map((x) => refId(x as Ref)).filter((x): x is string => !!x) : []);
const EXPR_TOKEN = /#\{([A-Za-z][A-Za-z0-9]{10})(?:\.([A-Za-z][A-Za-z0-9]{10}|\*))?(?:\.([A-Za-z][A-Za-z0-9]{10}|\*))?\}/g;

/**
 * Imports DHIS2 metadata JSON (the object types Swasthya keeps, see SUPPORTED): every object is
 * checked first, references included; with atomicMode ALL (the default, as in DHIS2) one error
 * means nothing is written. Unknown object types and dangling org unit assignments are warnings.
 */
export async function importMetadata(db: Db, actor: Actor, payload: Dhis2Metadata, opts: ImportOptions = {}): Promise<MetadataImportReport> {
  requirePermission(actor, 'can_update_metadata');
  const strategy = opts.importStrategy ?? 'CREATE_AND_UPDATE';
  const atomic = opts.atomicMode ?? 'ALL';
  const warnings: string[] = [];
  // A payload DHIS2 could not read (an entry that is not an object, a property of the wrong type) is refused whole.
  const malformed = shapeProblems((payload ?? {}) as Record<string, unknown>);
  if (malformed.length) {
    const total = (k: keyof Stats) => malformed.reduce((a, r) => a + r.stats[k], 0);
    return {
      status: 'ERROR', importParams: { dryRun: !!opts.dryRun, importStrategy: strategy, atomicMode: atomic },
      stats: { created: 0, updated: 0, deleted: 0, ignored: total('ignored'), total: total('total') }, typeReports: malformed, warnings,
    };
  }
  const objects = new Map<Klass, Obj[]>();
  for (const [key, value] of Object.entries(payload ?? {})) {
    if (NOT_OBJECTS.has(key)) continue;
    if (!(SUPPORTED as readonly string[]).includes(key)) {
      warnings.push(`${key}: ${Array.isArray(value) ? value.length : 0} object(s) ignored; Swasthya does not keep this type`);
      continue;
    }
    if (!Array.isArray(value)) {
      warnings.push(`${key}: expected a list of objects; ignored`);
      continue;
    }
    objects.set(key as Klass, key === 'organisationUnits' ? parentsFirst(value as Obj[]) : (value as Obj[]));
  }
  // Give objects without an id one (stable when they have a code), as DHIS2 does.
  for (const [klass, list] of objects) for (const o of list) if (!o.id) o.id = o.code ? stableUid(`${klass}:${o.code}`) : stableUid(`${klass}:${JSON.stringify(o)}`);

  const inPayload = new Map<string, Set<string>>([...objects].map(([k, l]) => [k, new Set(l.map((o) => o.id!))]));
  const existing = await repo.existingIds(db, objects);
  const has = (klass: Klass, id: string) => inPayload.get(klass)?.has(id) || existing.get(klass)?.has(id) || false;

  const reports: TypeReport[] = [];
  const plan = new repo.WritePlan();
  const ctx: Ctx = { db, actor, has, existing, warnings, plan, inPayload, objects };
  for (const klass of SUPPORTED) {
    const list = objects.get(klass);
    if (!list?.length) continue;
    const stats: Stats = { created: 0, updated: 0, deleted: 0, ignored: 0, total: list.length };
    const objectReports: ObjectReport[] = [];
    for (const [index, o] of list.entries()) {
      const errors: ErrorReport[] = [];
      const err = (errorCode: string, message: string, errorProperty?: string, value?: string) =>
        errors.push({ errorCode, message, mainKlass: klass, errorProperty, value });
      if (!isUid(o.id!)) err('E4014', `Invalid UID \`${o.id}\` for property \`id\``, 'id', o.id);
      if (!o.name && klass !== 'categoryOptionCombos') err('E4000', 'Missing required property `name`', 'name');
      const exists = existing.get(klass)?.has(o.id!) ?? false;
      if (strategy === 'CREATE' && exists) err('E5000', `Found matching object for reference \`${o.id}\`; importStrategy CREATE does not update`, 'id', o.id);
      if (strategy === 'UPDATE' && !exists) err('E5001', `No matching object for reference \`${o.id}\`; importStrategy UPDATE does not create`, 'id', o.id);
      if (!errors.length) await PLANNERS[klass](ctx, o, err);
      if (errors.length) {
        stats.ignored++;
        objectReports.push({ klass, uid: o.id ?? null, index: sentAt.get(o) ?? index, errorReports: errors });
      } else if (exists) stats.updated++;
      else stats.created++;
    }
    reports.push({ klass, stats, objectReports });
  }
  await repo.checkCodes(db, objects, reports);
  const failed = reports.some((r) => r.objectReports.length);
  const status = failed ? 'ERROR' : warnings.length ? 'WARNING' : 'OK';
  const willWrite = !opts.dryRun && !(failed && atomic === 'ALL');
  if (willWrite) {
    const failedIds = new Set(reports.flatMap((r) => r.objectReports.map((o) => o.uid)));
    await plan.execute(db, failedIds);
    await repo.generateMissingOptionCombos(db);
    await recordAudit(db, actor, { action: 'import', entity: 'metadata', orgPath: actor.orgPath, after: { counts: Object.fromEntries(reports.map((r) => [r.klass, r.stats])), warnings: warnings.length } });
  }
  if (failed && atomic === 'ALL') for (const r of reports) { r.stats.ignored = r.stats.total; r.stats.created = r.stats.updated = 0; }
  const total = (k: keyof Stats) => reports.reduce((a, r) => a + r.stats[k], 0);
  return {
    status,
    importParams: { dryRun: !!opts.dryRun, importStrategy: strategy, atomicMode: atomic },
    stats: { created: total('created'), updated: total('updated'), deleted: 0, ignored: total('ignored'), total: total('total') },
    typeReports: reports,
    warnings,
  };
}

interface Ctx {
  db: Db;
  actor: Actor;
  has(klass: Klass, id: string): boolean;
  existing: Map<string, Set<string>>;
  warnings: string[];
  plan: repo.WritePlan;
  inPayload: Map<string, Set<string>>;
  objects: Map<Klass, Obj[]>;
}
type Err = (code: string, message: string, property?: string, value?: string) => void;

function needRef(ctx: Ctx, err: Err, klass: Klass, id: string | null, property: string, required = true) {
  if (!id) { if (required) err('E4000', `Missing required property \`${property}\``, property); return; }
  if (!ctx.has(klass, id)) err('E5002', `Invalid reference \`${id}\` (${klass}) on object property \`${property}\``, property, id);
}

const common = (o: Obj) => ({
  id: o.id!, code: o.code ?? null, name: String(o.name ?? o.id), short_name: o.shortName ?? null,
  translations: JSON.stringify(Array.isArray(o.translations) ? o.translations : []),
});

function checkExpression(ctx: Ctx, where: string, expr: unknown) {
  if (typeof expr !== 'string' || !expr.trim()) return;
  const opens = (expr.match(/\{/g) ?? []).length;
  const closes = (expr.match(/\}/g) ?? []).length;
  if (opens !== closes || /#(?!\{)/.test(expr)) ctx.warnings.push(`${where}: expression "${expr}" is malformed (a #{…} is not closed); it is kept as written and will be skipped when evaluated`);
  for (const m of expr.matchAll(EXPR_TOKEN)) {
    if (!ctx.has('dataElements', m[1])) ctx.warnings.push(`${where}: expression refers to unknown data element ${m[1]}`);
  }
}

const PLANNERS: Record<Klass, (ctx: Ctx, o: Obj, err: Err) => Promise<void> | void> = {
  async organisationUnits(ctx, o, err) {
    const current = await repo.orgUnit(ctx.db, o.id!);
    if (current) {
      if (!inScope(ctx.actor, current.path)) err('E1102', `Org unit ${current.name} is outside your area`, 'id', o.id);
      return; // matched by id: geography and facilities keep their own names and places
    }
    const parentId = refId(o.parent);
    const parent: OrgUnitRow | undefined = parentId ? await repo.orgUnit(ctx.db, parentId) ?? ctx.plan.pendingOrgUnit(parentId) : undefined;
    if (!parent) return err('E5002', `Parent \`${parentId ?? '(none)'}\` of org unit ${o.name} does not exist; create it first or send it in the same payload before its children`, 'parent', parentId ?? undefined);
    if (!inScope(ctx.actor, parent.path)) return err('E1102', `Parent ${parent.name} is outside your area`, 'parent', parentId!);
    const level = childLevel(ctx, parent, o);
    if (!level) return err('E4030', `Org unit ${o.name} cannot be created under the facility ${parent.name}`, 'parent', parentId!);
    ctx.plan.orgUnit({ id: o.id!, level, code: o.code ?? null, name: String(o.name), name_hi: hindi(o), parent_id: parent.id, path: `${parent.path}${o.id}/`, state_lgd: parent.state_lgd, opened_on: day(o.openingDate), closed_on: day(o.closedDate) });
  },
  categoryOptions(ctx, o) {
    ctx.plan.upsert('hmis_category_options', { ...common(o), start_date: day(o.startDate), end_date: day(o.endDate) });
  },
  categories(ctx, o, err) {
    const options = refs(o.categoryOptions);
    if (!options.length) err('E4000', 'A category needs at least one category option', 'categoryOptions');
    for (const id of options) needRef(ctx, err, 'categoryOptions', id, 'categoryOptions');
    ctx.plan.upsert('hmis_categories', { ...common(o), data_dimension_type: o.dataDimensionType ?? 'DISAGGREGATION' });
    ctx.plan.links('hmis_category_category_options', 'category_id', o.id!, options.map((option_id, i) => ({ category_id: o.id!, option_id, sort_order: i })));
  },
  categoryCombos(ctx, o, err) {
    const cats = refs(o.categories);
    for (const id of cats) needRef(ctx, err, 'categories', id, 'categories');
    ctx.plan.upsert('hmis_category_combos', { ...common(o), data_dimension_type: o.dataDimensionType ?? 'DISAGGREGATION', skip_total: !!o.skipTotal });
    ctx.plan.links('hmis_category_combo_categories', 'combo_id', o.id!, cats.map((category_id, i) => ({ combo_id: o.id!, category_id, sort_order: i })));
  },
  categoryOptionCombos(ctx, o, err) {
    const combo = refId(o.categoryCombo);
    needRef(ctx, err, 'categoryCombos', combo, 'categoryCombo');
    const options = refs(o.categoryOptions);
    for (const id of options) needRef(ctx, err, 'categoryOptions', id, 'categoryOptions');
    ctx.plan.upsert('hmis_category_option_combos', { ...common(o), name: String(o.name ?? options.join(', ')), combo_id: combo!, ignore_approval: !!o.ignoreApproval });
    ctx.plan.links('hmis_coc_options', 'coc_id', o.id!, options.map((option_id) => ({ coc_id: o.id!, option_id })));
  },
  dataElements(ctx, o, err) {
    if (!VALUE_TYPES.includes(o.valueType)) err('E4000', `valueType \`${o.valueType}\` is not one of DHIS2's value types`, 'valueType', String(o.valueType));
    if (o.domainType && o.domainType !== 'AGGREGATE') err('E4000', `domainType ${o.domainType}: only AGGREGATE data elements belong to HMIS returns`, 'domainType', o.domainType);
    const combo = refId(o.categoryCombo) ?? 'bjDvmb4bfuf';
    needRef(ctx, err, 'categoryCombos', combo, 'categoryCombo');
    ctx.plan.upsert('hmis_data_elements', {
      ...common(o), form_name: o.formName ?? null, description: o.description ?? null, value_type: o.valueType,
      aggregation_type: o.aggregationType ?? 'SUM', domain_type: 'AGGREGATE', zero_is_significant: !!o.zeroIsSignificant, category_combo_id: combo,
    });
  },
  async dataSets(ctx, o, err) {
    if (!isPeriodType(o.periodType)) err('E4000', `periodType \`${o.periodType}\` is not a DHIS2 period type`, 'periodType', String(o.periodType));
    for (const k of ['timelyDays', 'expiryDays', 'openFuturePeriods'] as const) {
      if (o[k] !== undefined && !(Number.isFinite(o[k]) && o[k] >= 0)) err('E4000', `${k} must be a number of at least 0`, k, String(o[k]));
    }
    const combo = refId(o.categoryCombo) ?? 'bjDvmb4bfuf';
    needRef(ctx, err, 'categoryCombos', combo, 'categoryCombo');
    const elements = (Array.isArray(o.dataSetElements) ? o.dataSetElements : []).map((e: Obj) => ({ de: refId(e.dataElement), cc: refId(e.categoryCombo) }));
    for (const e of elements) { needRef(ctx, err, 'dataElements', e.de, 'dataSetElements.dataElement'); if (e.cc) needRef(ctx, err, 'categoryCombos', e.cc, 'dataSetElements.categoryCombo'); }
    // Swasthya's extension: assign by facility type; a payload that does not say keeps what is set.
    const types: string[] = Array.isArray(o.facilityTypes) ? o.facilityTypes : await repo.dataSetFacilityTypes(ctx.db, o.id!);
    for (const t of types) if (!(FACILITY_TYPES as readonly string[]).includes(t)) err('E4000', `facilityTypes: ${t} is not a facility type`, 'facilityTypes', t);
    const ous: string[] = [];
    for (const id of refs(o.organisationUnits)) {
      const unit = (await repo.orgUnit(ctx.db, id)) ?? ctx.plan.pendingOrgUnit(id);
      if (!unit) { ctx.warnings.push(`dataSets ${o.id}: org unit ${id} does not exist; its assignment was skipped`); continue; }
      if (!inScope(ctx.actor, unit.path)) { err('E1102', `Org unit ${unit.name} is outside your area`, 'organisationUnits', id); continue; }
      ous.push(id);
    }
    const version = await repo.nextDataSetVersion(ctx.db, o.id!, elements.map((e: { de: string | null }) => e.de!), o.version);
    // DHIS2's validCompleteOnly, and Swasthya's allowCompleteWithComments (no DHIS2 equivalent): a payload that does not say keeps what is set.
    const flags = await repo.dataSetCompletionFlags(ctx.db, o.id!);
    ctx.plan.upsert('hmis_data_sets', {
      ...common(o), period_type: o.periodType, timely_days: o.timelyDays ?? 15, expiry_days: o.expiryDays ?? 0,
      open_future_periods: o.openFuturePeriods ?? 0, category_combo_id: combo, form_type: o.formType ?? 'DEFAULT', version, facility_types: types,
      valid_complete_only: typeof o.validCompleteOnly === 'boolean' ? o.validCompleteOnly : flags.validCompleteOnly,
      allow_complete_with_comments: typeof o.allowCompleteWithComments === 'boolean' ? o.allowCompleteWithComments : flags.allowCompleteWithComments,
    });
    ctx.plan.links('hmis_data_set_elements', 'data_set_id', o.id!, elements.map((e: { de: string | null; cc: string | null }) => ({ data_set_id: o.id!, data_element_id: e.de!, category_combo_id: e.cc })));
    if (o.organisationUnits !== undefined) ctx.plan.links('hmis_data_set_org_units', 'data_set_id', o.id!, ous.map((org_unit_id) => ({ data_set_id: o.id!, org_unit_id })));
  },
  sections(ctx, o, err) {
    const ds = refId(o.dataSet);
    needRef(ctx, err, 'dataSets', ds, 'dataSet');
    const des = refs(o.dataElements);
    for (const id of des) needRef(ctx, err, 'dataElements', id, 'dataElements');
    ctx.plan.upsert('hmis_sections', { ...common(o), data_set_id: ds!, sort_order: Number(o.sortOrder ?? 0) });
    ctx.plan.links('hmis_section_elements', 'section_id', o.id!, des.map((data_element_id, i) => ({ section_id: o.id!, data_element_id, sort_order: i })));
  },
  validationRules(ctx, o, err) {
    if (!OPERATORS.includes(o.operator)) err('E4000', `operator \`${o.operator}\` is not a DHIS2 validation operator`, 'operator', String(o.operator));
    for (const side of ['leftSide', 'rightSide'] as const) {
      const s = o[side];
      if (!s || typeof s.expression !== 'string') { err('E4000', `Missing required property \`${side}.expression\``, `${side}.expression`); continue; }
      if (s.missingValueStrategy && !MISSING_VALUE_STRATEGIES.includes(s.missingValueStrategy)) err('E4000', `${side}.missingValueStrategy \`${s.missingValueStrategy}\` is not known`, `${side}.missingValueStrategy`);
      checkExpression(ctx, `validationRules ${o.id} ${side}`, s.expression);
    }
    ctx.plan.upsert('hmis_validation_rules', {
      ...common(o), description: o.description ?? null, instruction: o.instruction ?? null,
      left_expression: o.leftSide?.expression ?? '', left_missing: o.leftSide?.missingValueStrategy ?? 'NEVER_SKIP',
      right_expression: o.rightSide?.expression ?? '', right_missing: o.rightSide?.missingValueStrategy ?? 'NEVER_SKIP',
      operator: o.operator, importance: o.importance ?? 'MEDIUM', period_type: o.periodType ?? 'Monthly',
    });
  },
  indicatorTypes(ctx, o) {
    ctx.plan.upsert('hmis_indicator_types', { ...common(o), factor: Number(o.factor ?? 1), number: !!o.number });
  },
  indicators(ctx, o, err) {
    needRef(ctx, err, 'indicatorTypes', refId(o.indicatorType), 'indicatorType');
    if (typeof o.numerator !== 'string' || typeof o.denominator !== 'string') err('E4000', 'An indicator needs a numerator and a denominator', 'numerator');
    checkExpression(ctx, `indicators ${o.id} numerator`, o.numerator);
    checkExpression(ctx, `indicators ${o.id} denominator`, o.denominator);
    ctx.plan.upsert('hmis_indicators', {
      ...common(o), description: o.description ?? null, numerator: String(o.numerator ?? ''), denominator: String(o.denominator ?? ''),
      indicator_type_id: refId(o.indicatorType)!, annualized: !!o.annualized, decimals: o.decimals ?? null,
    });
  },
  dataElementGroups: group('dataElementGroups', 'dataElements', 'dataElements'),
  indicatorGroups: group('indicatorGroups', 'indicators', 'indicators'),
  validationRuleGroups: group('validationRuleGroups', 'validationRules', 'validationRules'),
};

function group(kind: Klass, memberKlass: Klass, property: string) {
  return (ctx: Ctx, o: Obj, err: Err) => {
    const members = refs(o[property]);
    for (const id of members) needRef(ctx, err, memberKlass, id, property);
    ctx.plan.upsert(TABLE[kind as Exclude<Klass, 'organisationUnits'>], { ...common(o), kind, members });
  };
}

function childLevel(ctx: Ctx, parent: OrgUnitRow, o: Obj): OrgUnitLevel | null {
  const hasChildren = (ctx.objects.get('organisationUnits') ?? []).some((c) => refId(c.parent) === o.id);
  switch (parent.level) {
    case 'country': return 'state';
    case 'state': return 'district';
    case 'district': return hasChildren ? 'block' : 'facility';
    case 'block': return hasChildren ? 'panchayat' : 'facility';
    case 'panchayat': return hasChildren ? 'village' : 'facility';
    case 'village': return 'facility';
    default: return null;
  }
}

function hindi(o: Obj): string | null {
  const t = (Array.isArray(o.translations) ? o.translations : []).find((x: Obj) => x.locale?.startsWith('hi') && x.property === 'NAME');
  return t?.value ?? null;
}

function day(v: unknown): string | null {
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : null;
}

/** Where each org unit stood in the payload, for its report, when parentsFirst moved it. */
const sentAt = new WeakMap<Obj, number>();

/**
 * Org units in an order where a parent sent in the same payload comes before its children, as
 * DHIS2 orders them itself (its own test files list the root after its children).
 */
function parentsFirst(list: Obj[]): Obj[] {
  list.forEach((o, i) => sentAt.set(o, i));
  const byId = new Map(list.filter((o) => typeof o.id === 'string').map((o) => [o.id as string, o]));
  const out: Obj[] = [];
  const seen = new Set<Obj>();
  const place = (o: Obj) => {
    if (seen.has(o)) return;
    seen.add(o);
    const parent = byId.get(refId(o.parent) ?? '');
    if (parent) place(parent);
    out.push(o);
  };
  list.forEach(place);
  return out;
}
