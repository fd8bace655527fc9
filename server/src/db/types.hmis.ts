// HMIS (metadata, data values, returns, aggregates) and weekly surveillance tables (see modules/hmis, modules/dhis2, modules/surveillance).
import type { ColumnType, Generated } from 'kysely';
import type { DateOnly } from './types.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** Columns every HMIS metadata table has. */
interface MetaCommon {
  id: string;
  code: string | null;
  name: string;
  short_name: string | null;
  translations: ColumnType<unknown, string | undefined, string>;
  updated_at: Generated<Date>;
}

export interface HmisCategoryOptionsTable extends MetaCommon { start_date: DateOnly | null; end_date: DateOnly | null }
export interface HmisCategoriesTable extends MetaCommon { data_dimension_type: Generated<string> }
export interface HmisCategoryCategoryOptionsTable { category_id: string; option_id: string; sort_order: number }
export interface HmisCategoryCombosTable extends MetaCommon { data_dimension_type: Generated<string>; skip_total: Generated<boolean> }
export interface HmisCategoryComboCategoriesTable { combo_id: string; category_id: string; sort_order: number }
export interface HmisCategoryOptionCombosTable extends MetaCommon { combo_id: string; ignore_approval: Generated<boolean> }
export interface HmisCocOptionsTable { coc_id: string; option_id: string }
export interface HmisDataElementsTable extends MetaCommon {
  form_name: string | null;
  description: string | null;
  value_type: string;
  aggregation_type: Generated<string>;
  domain_type: Generated<string>;
  zero_is_significant: Generated<boolean>;
  category_combo_id: string;
}
export interface HmisDataSetsTable extends MetaCommon {
  period_type: string;
  timely_days: Generated<number>;
  expiry_days: Generated<number>;
  open_future_periods: Generated<number>;
  category_combo_id: string;
  form_type: Generated<string>;
  version: Generated<number>;
  facility_types: ColumnType<string[], string[] | undefined, string[]>;
  valid_complete_only: Generated<boolean>;
  allow_complete_with_comments: Generated<boolean>;
}
export interface HmisDataSetElementsTable { data_set_id: string; data_element_id: string; category_combo_id: string | null }
export interface HmisDataSetOrgUnitsTable { data_set_id: string; org_unit_id: string }
export interface HmisSectionsTable extends MetaCommon { data_set_id: string; sort_order: Generated<number> }
export interface HmisSectionElementsTable { section_id: string; data_element_id: string; sort_order: number }
export interface HmisValidationRulesTable extends MetaCommon {
  description: string | null;
  instruction: string | null;
  left_expression: string;
  left_missing: Generated<string>;
  right_expression: string;
  right_missing: Generated<string>;
  operator: string;
  importance: Generated<string>;
  period_type: Generated<string>;
}
export interface HmisIndicatorTypesTable extends MetaCommon { factor: Generated<number>; number: Generated<boolean> }
export interface HmisIndicatorsTable extends MetaCommon {
  description: string | null;
  numerator: string;
  denominator: string;
  indicator_type_id: string;
  annualized: Generated<boolean>;
  decimals: number | null;
}
export interface HmisGroupsTable extends MetaCommon { kind: string; members: ColumnType<string[], string[] | undefined, string[]> }

export interface HmisDataValuesTable {
  data_element_id: string;
  period: string;
  org_unit_id: string;
  coc_id: string;
  aoc_id: string;
  value: string;
  num_value: number | null;
  comment: string | null;
  follow_up: Generated<boolean>;
  stored_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  period_type: string;
  period_start: DateOnly;
  period_end: DateOnly;
  ou_path: string;
  state_lgd: number | null;
}
export interface HmisCompleteRegistrationsTable {
  data_set_id: string;
  period: string;
  org_unit_id: string;
  aoc_id: string;
  completed_at: Timestamp;
  completed_by: string | null;
  period_start: DateOnly;
  period_end: DateOnly;
  ou_path: string;
  created_at: Generated<Date>;
}

export interface HmisReturnStatesTable {
  data_set_id: string;
  period: string;
  org_unit_id: string;
  aoc_id: string;
  state: 'returned' | 'approved' | 'accepted';
  reason: string | null;
  ou_path: string;
  updated_by: string | null;
  updated_at: Generated<Date>;
}
/** Why a return was completed although a validation rule failed: one comment per rule, kept with the completion. */
export interface HmisCompletionCommentsTable {
  data_set_id: string;
  period: string;
  org_unit_id: string;
  aoc_id: string;
  rule_id: string;
  comment: string;
  left_value: number | null;
  right_value: number | null;
  commented_by: string;
  created_at: Generated<Date>;
}
export interface HmisNotificationsTable {
  id: Generated<number>;
  org_unit_id: string;
  kind: string;
  title: string;
  body: string;
  data_set_id: string | null;
  period: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  read_at: Timestamp | null;
}

export interface SurveillanceSubmissionsTable {
  org_unit_id: string;
  week: string;
  week_start: DateOnly;
  week_end: DateOnly;
  form: 'S' | 'P' | 'L';
  ou_path: string;
  state_lgd: number | null;
  submitted_by: string | null;
  submitted_at: Timestamp;
}
export interface SurveillanceReportsTable {
  org_unit_id: string;
  week: string;
  week_start: DateOnly;
  week_end: DateOnly;
  form: 'S' | 'P' | 'L';
  disease: string;
  cases: number;
  deaths: Generated<number>;
  ou_path: string;
  state_lgd: number | null;
  submitted_by: string | null;
  submitted_at: Timestamp;
}

/** Monthly sums per data element, option combo, district, ownership and facility type, kept current by every write. */
export interface HmisAggDistrictMonthTable {
  data_element_id: string;
  coc_id: string;
  period: string;
  district_id: string;
  ownership: string;
  facility_type: string;
  state_id: string;
  state_lgd: number | null;
  value_sum: number;
  value_count: number;
  updated_at: Generated<Date>;
}

export interface HmisLockExceptionsTable {
  data_set_id: string;
  org_unit_id: string;
  period: string;
  ou_path: string;
  granted_by: string | null;
  reason: string | null;
  created_at: Generated<Date>;
}

export interface HmisTables {
  hmis_lock_exceptions: HmisLockExceptionsTable;
  surveillance_submissions: SurveillanceSubmissionsTable;
  surveillance_reports: SurveillanceReportsTable;
  hmis_return_states: HmisReturnStatesTable;
  hmis_completion_comments: HmisCompletionCommentsTable;
  hmis_notifications: HmisNotificationsTable;
  hmis_data_values: HmisDataValuesTable;
  hmis_agg_district_month: HmisAggDistrictMonthTable;
  hmis_complete_registrations: HmisCompleteRegistrationsTable;
  hmis_category_options: HmisCategoryOptionsTable;
  hmis_categories: HmisCategoriesTable;
  hmis_category_category_options: HmisCategoryCategoryOptionsTable;
  hmis_category_combos: HmisCategoryCombosTable;
  hmis_category_combo_categories: HmisCategoryComboCategoriesTable;
  hmis_category_option_combos: HmisCategoryOptionCombosTable;
  hmis_coc_options: HmisCocOptionsTable;
  hmis_data_elements: HmisDataElementsTable;
  hmis_data_sets: HmisDataSetsTable;
  hmis_data_set_elements: HmisDataSetElementsTable;
  hmis_data_set_org_units: HmisDataSetOrgUnitsTable;
  hmis_sections: HmisSectionsTable;
  hmis_section_elements: HmisSectionElementsTable;
  hmis_validation_rules: HmisValidationRulesTable;
  hmis_indicator_types: HmisIndicatorTypesTable;
  hmis_indicators: HmisIndicatorsTable;
  hmis_groups: HmisGroupsTable;
}
