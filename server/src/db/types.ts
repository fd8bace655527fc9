import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type {
  PatientsTable, PatientFacilitiesTable, OpdRegistrationsTable, OtpChallengesTable,
  PregnanciesTable, UltrasoundScansTable, FhirResourcesTable, FamiliesTable, FamilyMembersTable,
  PatientMergesTable, IcdCodesTable, OpdVisitsTable, PatientNameWordsTable, PatientDocumentsTable,
  SurveyAssignmentsTable, SurveyHouseholdsTable,
} from './types.patients.js';

import type { HmisTables } from './types.hmis.js';
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

export type * from './types.hmis.js';
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

export interface Database extends HmisTables, TelemedicineTables, PresenceTables, FhirHistoryTables, FavouriteTables, AmbulanceTables, DispatchTables, GrievanceTables, HelplineTables, OutboxTables, AshaTables, KitchenTables, RegisterTables, SchemeTables, AdmissionTables {
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
