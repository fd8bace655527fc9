// Tables of the patient side: patients and their facilities, OPD, pregnancies and ultrasound,
// families and merges, visits and codes, documents, the survey, and FHIR resources kept whole.
import type { ColumnType, Generated } from 'kysely';
import type { DateOnly, Json } from './types.js';

export interface PatientsTable {
  id: string;
  state_number: string;
  name: string;
  name_hi: string | null;
  name_latin: string;
  name_key: string;
  sex: 'male' | 'female' | 'other';
  birth_date: DateOnly;
  birth_date_estimated: Generated<boolean>;
  mobile: string | null;
  mobile_verified_at: Date | null;
  abha_number: string | null;
  abha_address: string | null;
  aadhaar_last4: string | null;
  blood_group: string | null;
  card_token: string;
  card_issued_at: Date | null;
  /** Generated from name_key by the database. */
  name_words: ColumnType<string[], never, never>;
  address_line: string | null;
  home_id: string;
  home_path: string;
  state_lgd: number | null;
  registered_via: 'counter' | 'online' | 'survey' | 'fhir';
  registered_at_facility_id: string | null;
  merged_into: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface PatientFacilitiesTable {
  patient_id: string;
  facility_id: string;
  facility_path: string;
  first_seen: Generated<Date>;
  last_seen: Generated<Date>;
}
export interface OpdRegistrationsTable {
  id: string;
  patient_id: string;
  facility_id: string;
  department: string;
  day: DateOnly;
  token: number;
  status: Generated<OpdTokenStatus>;
  created_by: string | null;
  created_at: Generated<Date>;
  called_at: Date | null;
  with_doctor_at: Date | null;
  done_at: Date | null;
  absent_at: Date | null;
  recalled_at: Date | null;
  status_at: Date | null;
  status_by: string | null;
}
/** An OPD token's states through the day (migration 20261203T0400). */
export type OpdTokenStatus = 'waiting' | 'called' | 'with_doctor' | 'done' | 'absent';
export interface OtpChallengesTable {
  id: string;
  mobile: string;
  purpose: string;
  code_hash: string;
  ip: string | null;
  attempts: Generated<number>;
  expires_at: Date;
  used_at: Date | null;
  created_at: Generated<Date>;
}
export interface PregnanciesTable {
  id: string;
  registration_number: string;
  patient_id: string;
  facility_id: string;
  facility_path: string;
  lmp: DateOnly | null;
  status: Generated<'open' | 'closed'>;
  closed_reason: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  closed_at: Date | null;
}
export interface UltrasoundScansTable {
  id: string;
  pregnancy_id: string | null;
  registration_number: string;
  facility_id: string;
  facility_path: string;
  outcome: 'accepted' | 'refused';
  refusal: string | null;
  indication: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
}

/** A FHIR resource kept whole (see migration 20261122T0610). */
export interface FhirResourcesTable {
  id: string;
  resource_type: string;
  patient_id: string | null;
  version: Generated<number>;
  resource: Json;
  facility_path: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface FamiliesTable {
  id: string;
  family_number: string;
  external_id: string | null;
  head_patient_id: string | null;
  home_id: string;
  home_path: string;
  address_line: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** From the state's family register (modules/registers, migration 20261207T0100). */
  state_lgd: number | null;
  panchayat_id: string | null;
  category: string | null;
  source: Generated<'swasthya' | 'register'>;
  imported_at: Date | null;
  /** Register members of the family, kept by the register's import (migration 20261208T0210). */
  member_count: Generated<number>;
}
export interface FamilyMembersTable {
  family_id: string;
  patient_id: string;
  relation: string;
  added_by: string | null;
  added_at: Generated<Date>;
}
export interface PatientMergesTable {
  id: string;
  from_id: string;
  into_id: string;
  reason: string;
  moved: Json;
  merged_by: string | null;
  merged_at: Generated<Date>;
  undone_by: string | null;
  undone_at: Date | null;
}

export interface IcdCodesTable { code: string; title: string; title_hi: string | null }
export interface OpdVisitsTable {
  id: string;
  patient_id: string;
  facility_id: string;
  facility_path: string;
  opd_registration_id: string | null;
  visited_at: Generated<Date>;
  period: string;
  age_years: number;
  sex: string;
  complaint: string | null;
  vitals: Json;
  diagnoses: string[];
  notes: string | null;
  prescriptions: Json;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface PatientNameWordsTable { word: string; skeleton: ColumnType<string, never, never> }

export interface PatientDocumentsTable {
  id: string;
  patient_id: string;
  visit_id: string | null;
  facility_id: string;
  facility_path: string;
  media_type: string;
  bytes: number;
  sha256: string;
  storage_key: string;
  title: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface SurveyAssignmentsTable { user_id: string; area_id: string; area_path: string; assigned_by: string | null; assigned_at: Generated<Date> }
export interface SurveyHouseholdsTable {
  user_id: string;
  client_id: string;
  family_id: string | null;
  area_id: string;
  area_path: string;
  members: number;
  recorded_at: Date | null;
  synced_at: Generated<Date>;
}
