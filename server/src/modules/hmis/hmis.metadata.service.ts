import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { notFound } from '../../platform/errors.js';

type Db = Kysely<Database>;
interface Translation { property?: string; locale?: string; value?: string }

/** The Hindi text of a property from DHIS2 translations, if any. */
export function hi(translations: unknown, property: 'NAME' | 'FORM_NAME' | 'SHORT_NAME' | 'INSTRUCTION' = 'NAME'): string | null {
  const list = Array.isArray(translations) ? (translations as Translation[]) : [];
  return list.find((t) => t.property === property && t.locale?.toLowerCase().startsWith('hi'))?.value ?? null;
}

export async function listDataSets(db: Db, actor: Actor) {
  requirePermission(actor, 'can_read_metadata');
  const rows = await db.selectFrom('hmis_data_sets as d')
    .leftJoin('hmis_data_set_elements as e', 'e.data_set_id', 'd.id')
    .select(['d.id', 'd.code', 'd.name', 'd.short_name', 'd.translations', 'd.period_type', 'd.timely_days', 'd.expiry_days', 'd.open_future_periods', 'd.version', 'd.facility_types', 'd.valid_complete_only', 'd.allow_complete_with_comments'])
    .select((eb) => eb.fn.count<number>('e.data_element_id').as('elements'))
    .groupBy('d.id')
    .orderBy('d.name')
    .execute();
  return {
    items: rows.map((r) => ({
      id: r.id, code: r.code, name: r.name, nameHi: hi(r.translations), shortName: r.short_name, periodType: r.period_type,
      timelyDays: r.timely_days, expiryDays: r.expiry_days, openFuturePeriods: r.open_future_periods, version: r.version,
      facilityTypes: r.facility_types, validCompleteOnly: r.valid_complete_only, allowCompleteWithComments: r.allow_complete_with_comments, elementCount: Number(r.elements),
    })),
  };
}

/** Indicators with their formulas and factor, for pickers (analytics accepts their ids or codes). */
export async function listIndicators(db: Db, actor: Actor) {
  requirePermission(actor, 'can_read_metadata');
  const rows = await db.selectFrom('hmis_indicators as i').innerJoin('hmis_indicator_types as t', 't.id', 'i.indicator_type_id')
    .select(['i.id', 'i.code', 'i.name', 'i.short_name', 'i.translations', 'i.description', 'i.numerator', 'i.denominator', 'i.annualized', 'i.decimals', 't.factor', 't.name as type_name'])
    .orderBy('i.name').execute();
  return {
    items: rows.map((r) => ({
      id: r.id, code: r.code, name: r.name, nameHi: hi(r.translations), shortName: r.short_name, description: r.description,
      numerator: r.numerator, denominator: r.denominator, factor: r.factor, type: r.type_name, annualized: r.annualized, decimals: r.decimals,
    })),
  };
}

/**
 * Everything a data entry screen needs for one data set: sections in order with their elements,
 * each element's option combos (the columns), and the validation rules that touch them.
 */
export async function dataSetForm(db: Db, actor: Actor, id: string) {
  requirePermission(actor, 'can_read_metadata');
  const ds = await db.selectFrom('hmis_data_sets').selectAll().where((eb) => eb.or([eb('id', '=', id), eb('code', '=', id)])).executeTakeFirst();
  if (!ds) throw notFound(`No data set has id or code ${id}`, `आईडी या कोड ${id} वाला कोई डेटा सेट नहीं मिला`);
  const elements = await db.selectFrom('hmis_data_set_elements as dse')
    .innerJoin('hmis_data_elements as de', 'de.id', 'dse.data_element_id')
    .select(['de.id', 'de.code', 'de.name', 'de.short_name', 'de.form_name', 'de.translations', 'de.value_type', 'de.zero_is_significant', 'de.aggregation_type', 'dse.category_combo_id as dse_combo_id'])
    .select((eb) => eb.fn.coalesce('dse.category_combo_id', 'de.category_combo_id').as('combo_id'))
    .where('dse.data_set_id', '=', ds.id)
    .execute();
  const comboIds = [...new Set(elements.map((e) => e.combo_id))];
  const cocs = comboIds.length ? await db.selectFrom('hmis_category_option_combos').select(['id', 'name', 'combo_id', 'translations']).where('combo_id', 'in', comboIds).orderBy('name').execute() : [];
  const sections = await db.selectFrom('hmis_sections').selectAll().where('data_set_id', '=', ds.id).orderBy('sort_order').orderBy('name').execute();
  const members = sections.length ? await db.selectFrom('hmis_section_elements').selectAll().where('section_id', 'in', sections.map((s) => s.id)).orderBy('sort_order').execute() : [];
  const elementIds = new Set(elements.map((e) => e.id));
  const rules = (await db.selectFrom('hmis_validation_rules').selectAll().execute())
    .filter((r) => [...`${r.left_expression} ${r.right_expression}`.matchAll(/#\{([A-Za-z][A-Za-z0-9]{10})/g)].some((m) => elementIds.has(m[1])));

  const byId = new Map(elements.map((e) => [e.id, e]));
  const combos = new Map<string, { id: string; name: string; nameHi: string | null }[]>();
  for (const c of cocs) combos.set(c.combo_id, [...(combos.get(c.combo_id) ?? []), { id: c.id, name: c.name, nameHi: hi(c.translations) }]);
  const elementDto = (e: (typeof elements)[number]) => ({
    id: e.id, code: e.code, name: e.name, nameHi: hi(e.translations), formName: e.form_name ?? e.name,
    formNameHi: hi(e.translations, 'FORM_NAME') ?? hi(e.translations), valueType: e.value_type, zeroIsSignificant: e.zero_is_significant,
    shortName: e.short_name, aggregationType: e.aggregation_type, translations: e.translations, dataSetCategoryCombo: e.dse_combo_id,
    categoryCombo: { id: e.combo_id, categoryOptionCombos: combos.get(e.combo_id) ?? [] },
  });
  const placed = new Set(members.map((m) => m.data_element_id));
  const out = sections.map((s) => ({
    id: s.id, code: s.code, name: s.name, nameHi: hi(s.translations),
    elements: members.filter((m) => m.section_id === s.id && byId.has(m.data_element_id)).map((m) => elementDto(byId.get(m.data_element_id)!)),
  }));
  const rest = elements.filter((e) => !placed.has(e.id)).sort((a, b) => (a.code ?? a.name).localeCompare(b.code ?? b.name, 'en', { numeric: true }));
  if (rest.length) out.push({ id: 'other', code: null, name: sections.length ? 'Other items' : ds.name, nameHi: sections.length ? 'अन्य मद' : hi(ds.translations), elements: rest.map(elementDto) });
  return {
    dataSet: {
      id: ds.id, code: ds.code, name: ds.name, nameHi: hi(ds.translations), shortName: ds.short_name, translations: ds.translations, periodType: ds.period_type, timelyDays: ds.timely_days,
      expiryDays: ds.expiry_days, openFuturePeriods: ds.open_future_periods, version: ds.version, categoryCombo: ds.category_combo_id,
      validCompleteOnly: ds.valid_complete_only, allowCompleteWithComments: ds.allow_complete_with_comments,
    },
    sections: out,
    validationRules: rules.map((r) => ({
      id: r.id, name: r.name, nameHi: hi(r.translations), instruction: r.instruction, instructionHi: hi(r.translations, 'INSTRUCTION'), operator: r.operator, importance: r.importance,
      leftSide: { expression: r.left_expression, missingValueStrategy: r.left_missing },
      rightSide: { expression: r.right_expression, missingValueStrategy: r.right_missing },
    })),
  };
}
