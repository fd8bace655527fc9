/**
 * Clinical FHIR resources kept whole in `fhir_resources`: Encounter, Condition, MedicationRequest,
 * MedicationStatement and Practitioner (create, read, update, search), and whatever else a bundle
 * brings (read, search). A resource about a patient follows the patient privacy rule: its subject must
 * be a patient the caller may read (403 otherwise), and every read is audited as `fhir_<type>`.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { forbidden } from '../../platform/errors.js';
import { uid } from '../../platform/ids.js';
import { canRead, facilityFor, loadPatient } from '../patients/patients.service.js';
import { maskAadhaarIdentifiers, maskForStorage } from './fhir.aadhaar.js';
import { FhirError, fhirNotFound, invalid, notAllowed, unprocessable, type Issue } from './fhir.outcome.js';
import * as repo from './fhir.repository.js';
import { ABHA_NUMBER_SYSTEMS, isObject, parseReference, versionFromEtag, type FhirResource } from './fhir.types.js';
import { parseAbhaNumber } from '../patients/patients.identity.js';

type Db = Kysely<Database>;

/** Audit entity of a resource type: `fhir_encounter`, `fhir_medicationrequest`. */
export const auditEntity = (type: string) => `fhir_${type.toLowerCase()}`;

export const PRIVACY = 'Only staff of a facility where this patient is registered or has been seen may read or write their records; if the patient is here, show it (a code to their mobile, their health card, or a break-glass reason) and register the visit';
export const PRIVACY_HI = 'यह रिकॉर्ड केवल उन्हीं संस्थानों के कर्मचारी देख या लिख सकते हैं जहाँ मरीज़ पंजीकृत है या दिखाया गया है; मरीज़ यहाँ है तो पहले यह दिखाएँ (उनके मोबाइल पर कोड, हेल्थ कार्ड या ब्रेक-ग्लास कारण), फिर विज़िट दर्ज करें';

/**
 * The registry patient a resource is about (`subject`, else `patient`), or null when it names none.
 * The reference may be `Patient/<id>` (or the state patient number), an absolute URL, or a logical
 * reference by ABHA number; it is rewritten to `Patient/<id>`. 422 when no such patient exists here,
 * 403 when the caller may not read them.
 */
export async function subjectPatient(db: Db, actor: Actor, r: FhirResource): Promise<string | null> {
  for (const field of ['subject', 'patient']) {
    const ref = r[field];
    if (!isObject(ref)) continue;
    const at = `${r.resourceType}.${field}`;
    let patientId: string | null = null;
    const parsed = parseReference(ref.reference);
    if (parsed) {
      if (parsed.type !== 'Patient') continue;
      const row = await loadPatient(db, parsed.id).catch(() => null);
      if (!row) throw unprocessable(`${at}: Patient/${parsed.id} does not exist on this server; create the Patient first and refer to the id it gets`, at, `${at}: Patient/${parsed.id} इस सर्वर पर नहीं है`);
      patientId = row.id;
    } else if (isObject(ref.identifier) && ABHA_NUMBER_SYSTEMS.includes(String(ref.identifier.system ?? '').replace(/\/+$/, ''))) {
      const abha = parseAbhaNumber(String(ref.identifier.value ?? ''));
      const row = abha.ok ? await repo.patientByAbha(db, { abha: abha.digits }) : undefined;
      if (!row) throw unprocessable(`${at}: no patient here has ABHA number ${ref.identifier.value}; register the patient first`, at);
      patientId = row.id;
    } else continue;
    if (!(await canRead(db, actor, patientId))) throw forbidden(PRIVACY, PRIVACY_HI);
    ref.reference = `Patient/${patientId}`;
    return patientId;
  }
  return null;
}

/** A stored row as the resource clients see: its id, version and time of last change in `meta`. */
export function storedResource(row: repo.StoredRow): FhirResource {
  const r = row.resource as FhirResource;
  maskAadhaarIdentifiers(r); // never served whole, even if stored so before it was masked
  return { ...r, resourceType: row.resource_type, id: row.id, meta: { ...(r.meta ?? {}), versionId: String(row.version), lastUpdated: row.updated_at.toISOString() } };
}

/** The resource with server-set `id` and `meta` (client versionId/lastUpdated dropped). */
function stamped(r: FhirResource, id: string, version: number, at: Date): FhirResource {
  const { versionId: _v, lastUpdated: _l, ...meta } = (isObject(r.meta) ? r.meta : {}) as Record<string, unknown>;
  return { ...r, id, meta: { ...meta, versionId: String(version), lastUpdated: at.toISOString() } };
}

/**
 * Keeps a new resource (already checked and with references resolved) under `id`; audited as a create.
 * Used by create and by bundles. Aadhaar numbers are cut to their last four digits, said in `notes`.
 */
export async function storeNew(db: Db, actor: Actor, r: FhirResource, patientId: string | null, id = uid(), notes: Issue[] = []): Promise<FhirResource> {
  const at = new Date();
  const out = stamped(r, id, 1, at);
  notes.push(...maskForStorage(out));
  const facility = await facilityFor(db, actor, undefined);
  const facilityPath = facility?.path ?? null;
  await repo.insertResource(db, { id, type: r.resourceType, patientId, resource: out, facilityPath, createdBy: actor.username, at });
  await recordAudit(db, actor, { action: 'create', entity: auditEntity(r.resourceType), entityId: id, orgPath: facilityPath ?? actor.orgPath, after: { patient: patientId, version: 1 } });
  return out;
}

/** Replaces a stored resource with its next version; audited as an update. Aadhaar numbers as in storeNew. */
export async function storeVersion(db: Db, actor: Actor, before: repo.StoredRow, r: FhirResource, patientId: string | null, notes: Issue[] = []): Promise<FhirResource> {
  const at = new Date();
  const version = before.version + 1;
  const out = stamped(r, before.id, version, at);
  notes.push(...maskForStorage(out));
  await repo.replaceResource(db, { id: before.id, type: before.resource_type, patientId, resource: out, version, at });
  await recordAudit(db, actor, { action: 'update', entity: auditEntity(before.resource_type), entityId: before.id, orgPath: before.facility_path ?? actor.orgPath, before: { patient: before.patient_id, version: before.version }, after: { patient: patientId, version } });
  return out;
}

/** Creates a clinical resource; the server assigns the id (any id sent is ignored, as FHIR says). What was changed goes into `notes`. */
export async function createStored(db: Db, actor: Actor, r: FhirResource, notes: Issue[] = []): Promise<FhirResource> {
  requirePermission(actor, 'can_update_patient');
  const body = structuredClone(r);
  const patientId = await subjectPatient(db, actor, body);
  return storeNew(db, actor, body, patientId, uid(), notes);
}

/** Reads a stored resource of any type; 403 when it is about a patient the caller may not read. */
export async function readStored(db: Db, actor: Actor, type: string, id: string): Promise<FhirResource> {
  requirePermission(actor, 'can_read_patient');
  const row = await repo.findResource(db, type, id);
  if (!row) throw fhirNotFound(`No ${type} has id ${id}`, `आईडी ${id} वाला कोई ${type} नहीं मिला`);
  if (row.patient_id && !(await canRead(db, actor, row.patient_id))) throw forbidden(PRIVACY, PRIVACY_HI);
  await recordAudit(db, actor, { action: 'read', entity: auditEntity(type), entityId: id, orgPath: actor.orgPath, purpose: 'care' });
  return storedResource(row);
}

/**
 * Replaces a stored resource (PUT). The body's id must be the URL's; unknown ids are 405 (this server
 * assigns ids); `If-Match` with another version is 412.
 */
export async function updateStored(db: Db, actor: Actor, type: string, id: string, r: FhirResource, ifMatch?: string, notes: Issue[] = []): Promise<FhirResource> {
  requirePermission(actor, 'can_update_patient');
  if (r.id !== id) throw invalid(`${type}.id must be ${id}, as in the URL${r.id ? `, not ${r.id}` : ''}`, `${type}.id`);
  const before = await repo.lockResource(db, type, id);
  if (!before) throw notAllowed(`No ${type} has id ${id}; this server assigns ids, so create it with POST /fhir/${type}`);
  if (before.patient_id && !(await canRead(db, actor, before.patient_id))) throw forbidden(PRIVACY, PRIVACY_HI);
  if (ifMatch && versionFromEtag(ifMatch) !== String(before.version)) {
    throw new FhirError(412, 'conflict', { en: `${type}/${id} is at version ${before.version}, not ${versionFromEtag(ifMatch)}; read it again`, hi: 'रिकॉर्ड बदल चुका है; फिर से पढ़ें' });
  }
  const body = structuredClone(r);
  const patientId = await subjectPatient(db, actor, body);
  return storeVersion(db, actor, before, body, patientId, notes);
}

/** Stored-resource search lives with the rest of search (parameters, sorting, includes). */
export { searchStored } from './fhir.search.store.js';
