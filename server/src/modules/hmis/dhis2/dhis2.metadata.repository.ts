import type { Kysely } from 'kysely';
import type { Database } from '../../../db/types.js';

type Db = Kysely<Database>;

/** Every metadata table Swasthya keeps in DHIS2's model, read whole (metadata is small). */
export async function metadataRows(db: Db) {
  const [options, categories, categoryOptions, combos, comboCategories, cocs, cocOptions, elements, dataSets, dataSetElements, dataSetUnits,
    sections, sectionElements, rules, indicatorTypes, indicators, groups] = await Promise.all([
    db.selectFrom('hmis_category_options').selectAll().execute(),
    db.selectFrom('hmis_categories').selectAll().execute(),
    db.selectFrom('hmis_category_category_options').selectAll().orderBy('category_id').orderBy('sort_order').execute(),
    db.selectFrom('hmis_category_combos').selectAll().execute(),
    db.selectFrom('hmis_category_combo_categories').selectAll().orderBy('combo_id').orderBy('sort_order').execute(),
    db.selectFrom('hmis_category_option_combos').selectAll().execute(),
    db.selectFrom('hmis_coc_options').selectAll().orderBy('coc_id').orderBy('option_id').execute(),
    db.selectFrom('hmis_data_elements').selectAll().execute(),
    db.selectFrom('hmis_data_sets').selectAll().execute(),
    db.selectFrom('hmis_data_set_elements').selectAll().orderBy('data_set_id').orderBy('data_element_id').execute(),
    db.selectFrom('hmis_data_set_org_units').selectAll().orderBy('data_set_id').orderBy('org_unit_id').execute(),
    db.selectFrom('hmis_sections').selectAll().execute(),
    db.selectFrom('hmis_section_elements').selectAll().orderBy('section_id').orderBy('sort_order').execute(),
    db.selectFrom('hmis_validation_rules').selectAll().execute(),
    db.selectFrom('hmis_indicator_types').selectAll().execute(),
    db.selectFrom('hmis_indicators').selectAll().execute(),
    db.selectFrom('hmis_groups').selectAll().execute(),
  ]);
  return {
    options, categories, categoryOptions, combos, comboCategories, cocs, cocOptions, elements, dataSets, dataSetElements, dataSetUnits,
    sections, sectionElements, rules, indicatorTypes, indicators, groups,
  };
}
export type MetadataRows = Awaited<ReturnType<typeof metadataRows>>;

/** A LIKE pattern for paths starting with `path` (its %, _ and backslash taken literally). */
const likePrefix = (path: string) => `${path.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Org units at or under `orgPath` (the caller's area), parents before children. */
export async function orgUnitsUnder(db: Db, orgPath: string) {
  return db.selectFrom('org_units').selectAll()
    .where('path', 'like', likePrefix(orgPath))
    .orderBy((eb) => eb.fn('length', ['path'])).orderBy('path')
    .execute();
}

/** Which org units assigned to data sets lie at or under `orgPath` (the caller's area). */
export async function assignedUnitsUnder(db: Db, orgPath: string): Promise<Set<string>> {
  const rows = await db.selectFrom('hmis_data_set_org_units as a').innerJoin('org_units as o', 'o.id', 'a.org_unit_id')
    .select('a.org_unit_id').distinct()
    .where('o.path', 'like', likePrefix(orgPath))
    .execute();
  return new Set(rows.map((r) => r.org_unit_id));
}
