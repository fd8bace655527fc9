// In-patient episodes on the patient's record (migration 20261208T0100_create_patient_admissions).
import type { Generated } from 'kysely';
import type { DateOnly } from './types.js';

export interface PatientAdmissionsTable {
  id: string;
  patient_id: string;
  facility_id: string;
  facility_path: string;
  state_lgd: number | null;
  admitted_on: DateOnly;
  discharged_on: DateOnly | null;
  diagnoses: string[];
  procedure: string | null;
  treatment: string | null;
  /** What wrote the episode ('himcare': a claim) and its id there; one episode per source id. */
  source: string;
  source_id: string;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface AdmissionTables {
  patient_admissions: PatientAdmissionsTable;
}
