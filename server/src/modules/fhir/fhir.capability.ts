/**
 * The CapabilityStatement at /fhir/metadata: exactly the resources, interactions and search
 * parameters this server implements (JSON only, FHIR 4.0.1).
 */
import { BUNDLE_ONLY_TYPES, FHIR_JSON, FHIR_VERSION, STORED_TYPES } from './fhir.types.js';

type Param = [name: string, type: string, documentation: string];

const ID: Param = ['_id', 'token', 'The logical id'];
const SUBJECT: Param[] = [
  ['patient', 'reference', 'Patient/<id> or a bare id; 403 when you may not read that patient'],
  ['subject', 'reference', 'Same as patient'],
];
const IDENTIFIER: Param = ['identifier', 'token', 'system|value (either may be left out); comma-separated values are ORed'];

const PATIENT_PARAMS: Param[] = [
  ID,
  ['name', 'string', 'Name in Devanagari or Latin letters; small misspellings match (ramesh finds रमेश)'],
  ['identifier', 'token', 'ABHA number (https://healthid.ndhm.gov.in or https://healthid.abdm.gov.in), ABHA address (https://healthid.ndhm.gov.in/abha-address), state patient number (https://swasthya.example/fhir/sid/state-patient-number)'],
  ['phone', 'token', 'Indian mobile number'],
  ['telecom', 'token', 'phone|<Indian mobile number>, the same as phone'],
  ['gender', 'token', 'male | female | other; narrows a search by name, identifier or phone'],
  ['birthdate', 'date', 'YYYY[-MM[-DD]] with prefixes eq, ne, gt, lt, ge, le; narrows a search by name, identifier or phone'],
];

const FACILITY_PARAMS: Param[] = [ID, ['name', 'string', 'Facility name, English or Hindi, contains'], ['identifier', 'token', 'HFR facility id (https://facility.ndhm.gov.in)']];

/** The search parameters a search of `type` applies: what the CapabilityStatement lists, and all a search echoes in its self link. */
function paramsOf(type: string): Param[] {
  if (type === 'Patient') return PATIENT_PARAMS;
  if (type === 'Organization' || type === 'Location') return FACILITY_PARAMS;
  if (type === 'Practitioner') return [ID, IDENTIFIER];
  return [ID, ...SUBJECT, IDENTIFIER];
}

/** Names of the search parameters of `type` (any type kept from a bundle takes _id, patient, subject, identifier). */
export const searchParamNames = (type: string): string[] => paramsOf(type).map(([name]) => name);

function resource(type: string, interactions: string[], params: Param[], documentation: string) {
  return {
    type,
    documentation,
    interaction: interactions.map((code) => ({ code })),
    versioning: interactions.includes('update') ? 'versioned-update' : 'versioned',
    readHistory: false,
    updateCreate: false,
    conditionalCreate: false,
    conditionalUpdate: false,
    conditionalDelete: 'not-supported',
    searchParam: params.map(([name, type, doc]) => ({ name, type, documentation: doc })),
  };
}

/** The CapabilityStatement, with `base` as the endpoint address. */
export function capabilityStatement(base: string) {
  const crud = ['read', 'create', 'update', 'search-type'];
  return {
    resourceType: 'CapabilityStatement',
    id: 'swasthya',
    url: `${base}/metadata`,
    version: '0.1.0',
    name: 'SwasthyaFhirServer',
    title: 'Swasthya FHIR R4 endpoint',
    status: 'active',
    experimental: false,
    date: '2026-11-22',
    publisher: 'Swasthya',
    kind: 'instance',
    software: { name: 'Swasthya', version: '0.1.0' },
    implementation: { description: 'Swasthya state health information system: patient registry and clinical records over FHIR R4', url: base },
    fhirVersion: FHIR_VERSION,
    format: ['json', FHIR_JSON],
    rest: [{
      mode: 'server',
      documentation: 'JSON only. Paging with _count (0–100, default 20; 0 answers the total only) and _offset, or follow the next link. Search parameters not listed here (_sort, _include, _summary, modifiers…) are ignored and left out of the self link; with Prefer: handling=strict they are a 400 naming them. Reads answer ETag and Last-Modified; no version history is kept (no vread or _history). Errors are OperationOutcome resources.',
      security: { cors: false, description: 'Send Authorization: Bearer <token>, the session token from POST /api/auth/login. Only /metadata answers without one.' },
      resource: [
        resource('Patient', crud, PATIENT_PARAMS,
          'The state patient registry. Patients you may not read (not registered or seen at your facility) appear in searches with name, gender and birth year only, tagged REDACTED; reading them is 403.'),
        ...STORED_TYPES.map((type) => resource(type, crud, paramsOf(type),
          'Kept as sent; the subject must be a patient on this server whom you may read.')),
        resource('Organization', ['read', 'search-type'], paramsOf('Organization'),
          'Health facilities from the facility registry (read-only).'),
        resource('Location', ['read', 'search-type'], paramsOf('Location'),
          'Health facilities from the facility registry, with position (read-only).'),
        ...BUNDLE_ONLY_TYPES.map((type) => resource(type, ['read', 'search-type'], paramsOf(type),
          'Kept from transaction and document bundles (any resource type in a bundle is kept and readable).')),
      ],
      interaction: [{ code: 'transaction', documentation: 'POST a transaction or document Bundle (e.g. an ABDM OPConsultRecord) to the base: kept whole or not at all' }],
    }],
  };
}
