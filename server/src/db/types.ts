import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type {
  PatientsTable, PatientFacilitiesTable, OpdRegistrationsTable, OtpChallengesTable,
  PregnanciesTable, UltrasoundScansTable, FhirResourcesTable, FamiliesTable, FamilyMembersTable,
  PatientMergesTable, IcdCodesTable, OpdVisitsTable, PatientNameWordsTable, PatientDocumentsTable,
  SurveyAssignmentsTable, SurveyHouseholdsTable,
} from './types.patients.js';

import type { TelemedicineTables } from './types.telemedicine.js';
import type { PresenceTables } from './types.presence.js';
import type { FhirHistoryTables } from './types.fhir.js';
import type { FavouriteTables } from './types.favourites.js';
import type { AmbulanceTables } from './types.ambulances.js';
import type { DispatchTables } from './types.dispatch.js';
import type { GrievanceTables } from './types.grievances.js';
import type { HelplineTables } from './types.helpline.js';
import type { OutboxTables } from './types.outbox.js';
import type { AshaTables } from './types.asha.js';
import type { KitchenTables } from './types.kitchens.js';
import type { RegisterTables } from './types.registers.js';
import type { SchemeTables } from './types.schemes.js';
import type { AdmissionTables } from './types.admissions.js';

export type * from './types.patients.js';
export type * from './types.telemedicine.js';
export type * from './types.presence.js';
export type * from './types.fhir.js';
export type * from './types.favourites.js';
export type * from './types.ambulances.js';
export type * from './types.dispatch.js';
export type * from './types.grievances.js';
export type * from './types.helpline.js';
export type * from './types.outbox.js';
export type * from './types.asha.js';
export type * from './types.kitchens.js';
export type * from './types.registers.js';
export type * from './types.schemes.js';
export type * from './types.admissions.js';

/** Timestamps come back as Date and go in as Date or ISO string. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** `date` columns travel as 'YYYY-MM-DD' strings (parsers are set so in connect.ts). */
export type DateOnly = string;
export type Json = ColumnType<unknown, string, string>;

export type OrgUnitLevel = 'country' | 'state' | 'district' | 'block' | 'panchayat' | 'village' | 'facility';

export interface OrgUnitsTable {
  id: string;
  level: OrgUnitLevel;
  lgd_code: number | null;
  code: string | null;
  name: string;
  name_hi: string | null;
  parent_id: string | null;
  path: string;
  state_lgd: number | null;
  opened_on: DateOnly | null;
  closed_on: DateOnly | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface UsersTable {
  id: string;
  username: string;
  password_hash: string;
  role: string;
  org_unit_id: string;
  display_name: string | null;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  created_by: string | null;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
}

/** Sign-in failures since window_start: per (user name, address), per address (username ''), per name (ip ''). */
export interface LoginFailuresTable {
  username: string;
  ip: string;
  failures: number;
  window_start: Generated<Date>;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Generated<Date>;
  actor_id: string | null;
  actor_username: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  org_unit_path: string | null;
  purpose: string | null;
  ip: string | null;
  before: Json | null;
  after: Json | null;
  /** Every patient a read returned (one row per request, not per patient); null for other rows. */
  patient_ids: string[] | null;
}

export interface FacilitiesTable {
  id: string;
  type: string;
  ownership: 'public' | 'private';
  system: 'allopathic' | 'ayush';
  ayush_system: string | null;
  beds: number | null;
  latitude: number | null;
  longitude: number | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  pincode: string | null;
  hfr_id: string | null;
  portal_status: 'listed' | 'registered';
  registered_on: DateOnly | null;
  hwc: Generated<boolean>;
  hwc_since: DateOnly | null;
  desktops: Generated<number>;
  webcams: Generated<number>;
  hub_id: string | null;
  source: Generated<string>;
  source_ref: string | null;
  state_lgd: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface FacilityUpgradesTable {
  id: Generated<number>;
  facility_id: string;
  kind: 'hwc' | 'type' | 'beds';
  from_type: string | null;
  to_type: string | null;
  from_beds: number | null;
  to_beds: number | null;
  upgraded_on: DateOnly;
  note: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface GeoBoundariesTable {
  org_unit_id: string;
  geometry: Json;
  source: string | null;
  updated_at: Generated<Date>;
}

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

export interface Database extends TelemedicineTables, PresenceTables, FhirHistoryTables, FavouriteTables, AmbulanceTables, DispatchTables, GrievanceTables, HelplineTables, OutboxTables, AshaTables, KitchenTables, RegisterTables, SchemeTables, AdmissionTables {
  survey_assignments: SurveyAssignmentsTable;
  survey_households: SurveyHouseholdsTable;
  patient_documents: PatientDocumentsTable;
  patient_name_words: PatientNameWordsTable;
  icd_codes: IcdCodesTable;
  opd_visits: OpdVisitsTable;
  families: FamiliesTable;
  family_members: FamilyMembersTable;
  patient_merges: PatientMergesTable;
  fhir_resources: FhirResourcesTable;
  patients: PatientsTable;
  patient_facilities: PatientFacilitiesTable;
  opd_registrations: OpdRegistrationsTable;
  otp_challenges: OtpChallengesTable;
  pregnancies: PregnanciesTable;
  ultrasound_scans: UltrasoundScansTable;
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
  org_units: OrgUnitsTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
  audit_log: AuditLogTable;
  facilities: FacilitiesTable;
  facility_upgrades: FacilityUpgradesTable;
  geo_boundaries: GeoBoundariesTable;
}

export type OrgUnitRow = Selectable<OrgUnitsTable>;
export type NewOrgUnit = Insertable<OrgUnitsTable>;
export type UserRow = Selectable<UsersTable>;
export type FacilityRow = Selectable<FacilitiesTable>;
export type NewFacility = Insertable<FacilitiesTable>;
export type FacilityPatch = Updateable<FacilitiesTable>;
export type FacilityUpgradeRow = Selectable<FacilityUpgradesTable>;
