/**
 * FHIR R4 basics shared by the module: the identifier systems Swasthya reads and writes, the resource
 * types it stores, and small helpers for ids and references. No I/O.
 */

/** A FHIR resource as JSON: only `resourceType` is known for certain. */
export interface FhirResource {
  resourceType: string;
  id?: string;
  meta?: { versionId?: string; lastUpdated?: string; [k: string]: unknown };
  [k: string]: unknown;
}

/** The FHIR version this server speaks. */
export const FHIR_VERSION = '4.0.1';
/** The media type of every response. */
export const FHIR_JSON = 'application/fhir+json';

/**
 * Identifier systems. ABHA numbers are read under both the NDHM-era system (used in ABDM's published
 * examples) and the newer ABDM one, and written under both so that either kind of client finds them.
 */
export const SYSTEM = {
  abhaNumber: 'https://healthid.ndhm.gov.in',
  abhaNumberAbdm: 'https://healthid.abdm.gov.in',
  abhaAddress: 'https://healthid.ndhm.gov.in/abha-address',
  abhaAddressAbdm: 'https://healthid.abdm.gov.in/abha-address',
  stateNumber: 'https://swasthya.example/fhir/sid/state-patient-number',
  hfr: 'https://facility.ndhm.gov.in',
  orgUnit: 'https://swasthya.example/fhir/sid/org-unit',
  facilityType: 'https://swasthya.example/fhir/CodeSystem/facility-type',
  language: 'http://hl7.org/fhir/StructureDefinition/language',
  v2IdentifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  security: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
} as const;

/** Systems under which an ABHA number is accepted. */
export const ABHA_NUMBER_SYSTEMS: readonly string[] = [SYSTEM.abhaNumber, SYSTEM.abhaNumberAbdm];
/** Systems under which an ABHA address is accepted (ABDM has published both forms). */
export const ABHA_ADDRESS_SYSTEMS: readonly string[] = [
  SYSTEM.abhaAddress, SYSTEM.abhaAddressAbdm, 'https://healthid.ndhm.gov.in/phr-address', 'https://phr.abdm.gov.in',
];

/** Clinical resource types kept whole in `fhir_resources`, with create, read, update and search. */
export const STORED_TYPES = ['Encounter', 'Condition', 'MedicationRequest', 'MedicationStatement', 'Practitioner'] as const;
export type StoredType = (typeof STORED_TYPES)[number];
export const isStoredType = (t: string): t is StoredType => (STORED_TYPES as readonly string[]).includes(t);

/**
 * Other types that arrive inside ABDM document bundles (OPConsultRecord, PrescriptionRecord,
 * DischargeSummary, DiagnosticReport and Immunization records): stored as they come, read and searched.
 * Any other type in a bundle is stored too; these are the ones the CapabilityStatement names.
 */
export const BUNDLE_ONLY_TYPES = [
  'Composition', 'DocumentReference', 'Binary', 'Observation', 'DiagnosticReport', 'AllergyIntolerance', 'Procedure',
  'ServiceRequest', 'Appointment', 'Immunization', 'ImmunizationRecommendation', 'Specimen', 'CarePlan',
] as const;

/** Types that are never about one patient: kept without a patient even when they come in a patient's bundle. */
export const SHARED_TYPES: ReadonlySet<string> = new Set([
  'Practitioner', 'PractitionerRole', 'Organization', 'Location', 'Medication', 'Substance', 'Device', 'HealthcareService', 'Endpoint',
]);

/** A FHIR logical id: 1–64 letters, digits, '-' and '.'. */
export const ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;
/** A resource type name as FHIR spells them (Patient, MedicationRequest). */
export const TYPE_PATTERN = /^[A-Z][A-Za-z]{1,63}$/;

/** A reference split into type and id; absolute URLs and `/_history/n` suffixes are accepted. */
export function parseReference(ref: unknown): { type: string; id: string } | null {
  if (typeof ref !== 'string') return null;
  const m = /(?:^|\/)([A-Z][A-Za-z]{1,63})\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]+)?$/.exec(ref.trim());
  return m ? { type: m[1], id: m[2] } : null;
}

/** The id a `patient=`/`subject=` search value names: `Patient/x`, an absolute URL, or a bare id. */
export function patientIdOf(value: string): string | null {
  const ref = parseReference(value);
  if (ref) return ref.type === 'Patient' ? ref.id : null;
  return ID_PATTERN.test(value.trim()) ? value.trim() : null;
}

/** `W/"3"` for version 3; the version back from an `If-Match` header. */
export const etag = (version: string) => `W/"${version}"`;
export const versionFromEtag = (header: string) => /^(?:W\/)?"?([^"]+)"?$/.exec(header.trim())?.[1] ?? header.trim();

/** True for a plain JSON object (not an array, not null). */
export const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
