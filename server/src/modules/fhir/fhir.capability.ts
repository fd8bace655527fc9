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
  ['identifier', 'token', 'Any identifier a Patient was sent with (system|value, or value in any system; patients you may read), and the registry\'s: ABHA number (https://healthid.ndhm.gov.in or https://healthid.abdm.gov.in), ABHA address (https://healthid.ndhm.gov.in/abha-address), state patient number (https://swasthya.example/fhir/sid/state-patient-number)'],
  ['phone', 'token', 'Indian mobile number'],
  ['telecom', 'token', 'phone|<Indian mobile number>, the same as phone'],
  ['gender', 'token', 'male | female | other; narrows a search by name, identifier or phone'],
  ['birthdate', 'date', 'YYYY[-MM[-DD]] with prefixes eq, ne, gt, lt, ge, le; narrows a search by name, identifier or phone'],
];

const FACILITY_PARAMS: Param[] = [ID, ['name', 'string', 'Facility name, English or Hindi, contains'], ['identifier', 'token', 'HFR facility id (https://facility.ndhm.gov.in) or org unit id (https://swasthya.example/fhir/sid/org-unit), with or without the system']];

const DATE_DOC = 'YYYY[-MM[-DD]] with prefixes eq (default), ne, gt, lt, ge, le, sa, eb, compared by calendar day as the resource writes it';
const STATUS: Param = ['status', 'token', 'The status code; comma-separated values are ORed'];
const CODE = (path: string): Param => ['code', 'token', `${path}: system|code, code or system|; comma-separated values are ORed`];
const ENCOUNTER: Param = ['encounter', 'reference', 'Encounter/<id> or a bare id'];

/** Search parameters of the clinical types kept whole, besides _id, patient, subject and identifier. */
const STORED_PARAMS: Record<string, Param[]> = {
  Encounter: [STATUS, ['date', 'date', `Encounter.period: ${DATE_DOC}; an encounter without an end lasts its start day`]],
  Condition: [['clinical-status', 'token', 'Condition.clinicalStatus: active, recurrence, relapse, inactive, remission, resolved'], CODE('Condition.code'), ENCOUNTER],
  MedicationRequest: [STATUS, CODE('MedicationRequest.medicationCodeableConcept'), ENCOUNTER, ['authoredon', 'date', `MedicationRequest.authoredOn: ${DATE_DOC}`]],
  MedicationStatement: [STATUS, CODE('MedicationStatement.medicationCodeableConcept')],
};

/** Sort keys (`_sort`, `-` before a key for descending) of the types kept whole. */
const STORED_SORTS: Record<string, string[]> = { Encounter: ['date'], MedicationRequest: ['authoredon'] };

/** The references `_include` follows from a type, as Type:param → the type it reaches. */
export const INCLUDES: Record<string, Record<string, string>> = {
  Encounter: { 'Encounter:patient': 'Patient', 'Encounter:subject': 'Patient' },
  Condition: { 'Condition:patient': 'Patient', 'Condition:subject': 'Patient', 'Condition:encounter': 'Encounter' },
  MedicationRequest: { 'MedicationRequest:patient': 'Patient', 'MedicationRequest:subject': 'Patient', 'MedicationRequest:encounter': 'Encounter' },
  MedicationStatement: { 'MedicationStatement:patient': 'Patient', 'MedicationStatement:subject': 'Patient' },
};

/** What `_revinclude` brings into a search of a type: Type:param values whose reference points at it. */
export const revIncludesOf = (type: string): string[] =>
  Object.values(INCLUDES).flatMap((m) => Object.entries(m).filter(([, to]) => to === type).map(([v]) => v));

/** The search parameters a search of `type` applies: what the CapabilityStatement lists, and all a search echoes in its self link. */
function paramsOf(type: string): Param[] {
  if (type === 'Patient') return PATIENT_PARAMS;
  if (type === 'Organization' || type === 'Location') return FACILITY_PARAMS;
  if (type === 'Practitioner') return [ID, IDENTIFIER];
  return [ID, ...SUBJECT, IDENTIFIER, ...(STORED_PARAMS[type] ?? [])];
}

/** Names of the search parameters of `type` (any type kept from a bundle takes _id, patient, subject, identifier). */
export const searchParamNames = (type: string): string[] => paramsOf(type).map(([name]) => name);

/** Keys `_sort` takes on a search of `type` (each also with a leading `-`); a Patient's name is its whole name in Latin letters. Facilities are listed in name order only. */
export function sortKeysOf(type: string): string[] {
  if (type === 'Patient') return ['_lastUpdated', '_id', 'birthdate', 'name'];
  if (type === 'Organization' || type === 'Location') return [];
  return ['_lastUpdated', '_id', ...(STORED_SORTS[type] ?? [])];
}

/** `_include` values a search of `type` follows. */
export const includesOf = (type: string): string[] => Object.keys(INCLUDES[type] ?? {});

function resource(type: string, interactions: string[], params: Param[], documentation: string) {
  const sorts = sortKeysOf(type);
  const includes = interactions.includes('search-type') ? includesOf(type) : [];
  const revincludes = interactions.includes('search-type') ? revIncludesOf(type) : [];
  return {
    type,
    documentation,
    interaction: interactions.map((code) => ({ code })),
    versioning: interactions.includes('update') ? 'versioned-update' : 'versioned',
    readHistory: interactions.includes('vread'),
    updateCreate: false,
    conditionalCreate: interactions.includes('create'),
    conditionalUpdate: false,
    conditionalDelete: 'not-supported',
    ...(includes.length ? { searchInclude: includes } : {}),
    ...(revincludes.length ? { searchRevInclude: revincludes } : {}),
    searchParam: [
      ...params.map(([name, type, doc]) => ({ name, type, documentation: doc })),
      ...(sorts.length ? [{ name: '_sort', type: 'special', documentation: `Sort keys: ${sorts.join(', ')} (a leading - sorts descending); ties are broken by id, so pages never repeat or skip` }] : []),
    ],
  };
}

/** The CapabilityStatement, with `base` as the endpoint address. */
export function capabilityStatement(base: string) {
  const crud = ['read', 'vread', 'history-instance', 'create', 'update', 'search-type'];
  const kept = ['read', 'vread', 'history-instance', 'search-type'];
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
      documentation: 'JSON only. Paging with _count (0–100, default 20; 0 answers the total only) and _offset, or follow the next link. _summary=count answers the total only; _total=none skips counting (estimate and accurate count). _sort takes the keys each type lists under _sort; _include and _revinclude the values in searchInclude and searchRevInclude (not :iterate), bringing only resources you may read. Search parameters and values not listed here (modifiers, _elements, other _summary values…) are ignored and left out of the self link; with Prefer: handling=strict they are a 400 naming them. Reads and vreads answer ETag and Last-Modified; every version is kept (vread, and _history of an instance, newest first, paged), and Location points at the version written; facilities have their current version only. Creates take If-None-Exist (and transaction entries request.ifNoneExist) with the search parameters of the type: none found creates, one found is answered with 200, more than one is 412. A document Bundle posted again (same identifier and content) is answered as the first time and stores nothing. Errors are OperationOutcome resources.',
      security: { cors: false, description: 'Send Authorization: Bearer <token>, the session token from POST /api/auth/login. Only /metadata answers without one.' },
      resource: [
        resource('Patient', crud, PATIENT_PARAMS,
          'The state patient registry. Patients you may not read (not registered or seen at your facility) appear in searches with name, gender and birth year only, tagged REDACTED; reading them is 403.'),
        ...STORED_TYPES.map((type) => resource(type, crud, paramsOf(type),
          'Kept as sent; the subject must be a patient on this server whom you may read.')),
        resource('Organization', kept, paramsOf('Organization'),
          'Health facilities from the facility registry (read-only).'),
        resource('Location', kept, paramsOf('Location'),
          'Health facilities from the facility registry, with position (read-only).'),
        ...BUNDLE_ONLY_TYPES.map((type) => resource(type, kept, paramsOf(type),
          'Kept from transaction and document bundles (any resource type in a bundle is kept and readable).')),
      ],
      interaction: [{ code: 'transaction', documentation: 'POST a transaction or document Bundle (e.g. an ABDM OPConsultRecord) to the base: kept whole or not at all' }],
    }],
  };
}
