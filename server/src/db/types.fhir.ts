// FHIR version history and document receipts (migration 20261202T0200_create_fhir_history).
import type { ColumnType, Generated } from 'kysely';

type Json = ColumnType<unknown, string, string>;

/** One version of a row of fhir_resources, kept by a trigger. */
export interface FhirResourceVersionsTable {
  resource_type: string;
  id: string;
  version: number;
  patient_id: string | null;
  resource: Json;
  recorded_at: Date;
}

/** One version of a registry patient (the row, without the card token), kept by a trigger. */
export interface FhirPatientVersionsTable {
  patient_id: string;
  updated_at: Date;
  row: Json;
  /** The kept FHIR resource and registry fields beside it (patient_fhir) as they stood at this version, if any. */
  kept: Json | null;
  recorded_at: Generated<Date>;
}

/** A document Bundle received, by identifier and content digest, with the answer it got. */
export interface FhirDocumentReceiptsTable {
  identifier_system: string;
  identifier_value: string;
  digest: string;
  patient_id: string | null;
  response: Json | null;
  received_by: string | null;
  received_at: Generated<Date>;
}

export interface FhirHistoryTables {
  fhir_resource_versions: FhirResourceVersionsTable;
  fhir_patient_versions: FhirPatientVersionsTable;
  fhir_document_receipts: FhirDocumentReceiptsTable;
}
