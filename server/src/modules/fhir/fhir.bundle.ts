/**
 * A `transaction` or `document` Bundle posted to /fhir (ABDM OPConsultRecord, PrescriptionRecord,
 * DischargeSummary… documents): all of it is kept, or nothing, in one database transaction.
 *
 * 1. Patients: found again by ABHA number or address (either ABDM system) or state patient number, else
 *    registered (via 'fhir'). A patient found but not readable by the caller is 403.
 * 2. Every other entry gets a server id; an Organization or Location that is a facility here (by HFR id
 *    or the org-unit identifier this server writes), a Practitioner or Organization already kept under
 *    the same identifier (HPR id, medical registration number…), and an entry whose request.ifNoneExist
 *    finds one resource, are reused instead.
 * A document Bundle posted again (same Bundle.identifier, same content) is answered as the first time
 * and stores nothing (fhir.documents.ts).
 * 3. References (`urn:uuid:…`, `Patient/1`, full URLs) are rewritten to the new ids, and each resource
 *    is kept in `fhir_resources` whatever its type, with the bundle's patient when it is about one.
 * The answer is a `transaction-response` Bundle with each entry's status and location (the version kept).
 */
import { isDeepStrictEqual } from 'node:util';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { forbidden } from '../../platform/errors.js';
import { uid } from '../../platform/ids.js';
import { canRead, facilityFor, linkFacility, loadPatient } from '../patients/patients.service.js';
import { bodyResource } from './fhir.http.js';
import { inContext, invalid, notAllowed, operationOutcome, type Issue } from './fhir.outcome.js';
import { createPatient, updatePatient } from './fhir.patient.js';
import { patientVersion, readPatientResource } from './fhir.patient.map.js';
import { requirePresence } from '../patients/patients.presence.js';
import * as repo from './fhir.repository.js';
import { conditionOf, existingMatch, lockIdentifiers } from './fhir.conditional.js';
import { documentKeyOf, receivedBefore, rememberAnswer } from './fhir.documents.js';
import { facilityByIdentifiers } from './fhir.facilities.js';
import { validateWrite, warningsByEntry } from './fhir.profiles.js';
import { storeNew, storeVersion, subjectPatient } from './fhir.store.js';
import { isObject, parseReference, SHARED_TYPES, SYSTEM, TYPE_PATTERN, type FhirResource } from './fhir.types.js';

type Db = Kysely<Database>;
const PRIVACY = 'Only staff of a facility where this patient is registered or has been seen may change their records';

/** One entry on its way in, and what became of it. */
interface Planned {
  index: number;
  type: string;
  resource: FhirResource;
  fullUrl?: string;
  method: 'POST' | 'PUT';
  url?: string;
  /** request.ifNoneExist: a search; when it finds one resource, that one is the entry's (nothing is created). */
  ifNoneExist?: string;
  /** `Type/id` on this server. */
  target?: string;
  /** Kept already (a practitioner found again, an Organization that is a facility): nothing to write. */
  reused?: boolean;
  existing?: repo.StoredRow;
  status?: string;
  version?: string;
  lastUpdated?: string;
  /** What the server changed in the entry (an Aadhaar number cut to its last four digits), told in its response. */
  notes: Issue[];
}

/** The entries of a bundle, checked for shape: each has a resource with a resourceType. */
function planOf(bundle: FhirResource): Planned[] {
  const entries = bundle.entry === undefined ? [] : bundle.entry;
  if (!Array.isArray(entries)) throw invalid('Bundle.entry must be a list', 'Bundle.entry', undefined, 'structure');
  return entries.map((e: unknown, index: number) => {
    const at = `Bundle.entry[${index}]`;
    if (!isObject(e) || !isObject(e.resource)) throw invalid(`${at} has no resource; this server takes only entries that carry one (POST or PUT)`, `${at}.resource`, undefined, 'required');
    const type = e.resource.resourceType;
    if (typeof type !== 'string' || !TYPE_PATTERN.test(type)) throw invalid(`${at}.resource.resourceType is missing or not a resource type`, `${at}.resource.resourceType`);
    const method = String(isObject(e.request) && e.request.method ? e.request.method : 'POST').toUpperCase();
    if (method !== 'POST' && method !== 'PUT') throw invalid(`${at}.request.method ${method} is not supported in a bundle here; use POST or PUT`, `${at}.request.method`, undefined, 'not-supported');
    const url = isObject(e.request) && typeof e.request.url === 'string' ? e.request.url : undefined;
    // The entry's address must be its resource's type (POST Patient, PUT Patient/1): an operation
    // (POST ValueSet/$lookup) or another type is refused rather than its resource kept as something else.
    const named = url?.split('?')[0].replace(/\/+$/, '').split('/').at(method === 'PUT' ? -2 : -1);
    if (url !== undefined && named !== type) {
      const why = method === 'PUT' && url.includes('?') ? 'is a conditional update, which this server does not take in a bundle' : `does not name the entry's ${type}`;
      throw invalid(`${at}.request.url ${JSON.stringify(url)} ${why}; use ${method} ${method === 'PUT' ? `${type}/<id>` : type} (operations are not taken in a bundle either)`, `${at}.request.url`, undefined, 'not-supported');
    }
    const ifNoneExist = method === 'POST' && isObject(e.request) && typeof e.request.ifNoneExist === 'string' && e.request.ifNoneExist.trim() ? e.request.ifNoneExist : undefined;
    return { index, type, resource: e.resource as FhirResource, fullUrl: typeof e.fullUrl === 'string' ? e.fullUrl : undefined, method, url, ifNoneExist, notes: [] };
  });
}

/** Rewrites, in place, every `reference` in `value` that `resolve` knows. */
export function rewriteReferences(value: unknown, resolve: (ref: string) => string | undefined): void {
  if (Array.isArray(value)) { value.forEach((v) => rewriteReferences(v, resolve)); return; }
  if (!isObject(value)) return;
  for (const [k, v] of Object.entries(value)) {
    if (k === 'reference' && typeof v === 'string') {
      const to = resolve(v);
      if (to) value[k] = to;
    } else if (typeof v === 'object' && v !== null) rewriteReferences(v, resolve);
  }
}

/** The id a PUT entry names: its request.url (`Type/id`), else the resource's id. */
function putId(p: Planned): string {
  const ref = p.url ? parseReference(p.url.split('?')[0]) : null;
  const id = ref?.type === p.type ? ref.id : p.resource.id;
  if (!id) throw invalid(`Bundle.entry[${p.index}].request.url must name the ${p.type} to update (${p.type}/<id>)`, `Bundle.entry[${p.index}].request.url`);
  return id;
}

/** The resource an entry's ifNoneExist finds, made the entry's target (200, nothing created); false when it finds none. */
async function placeByCondition(db: Db, actor: Actor, p: Planned): Promise<boolean> {
  if (!p.ifNoneExist) return false;
  const found = await existingMatch(db, actor, p.type, conditionOf(p.type, p.ifNoneExist, `Bundle.entry[${p.index}].request.ifNoneExist`), 'ifNoneExist');
  if (!found) return false;
  Object.assign(p, { target: `${p.type}/${found.id}`, reused: true, status: '200 OK', version: found.meta?.versionId, lastUpdated: found.meta?.lastUpdated });
  return true;
}

/** Finds the bundle's Patient in the registry by ABHA number/address or state number, or registers it. */
async function placePatient(db: Db, actor: Actor, p: Planned, facility: { id: string; path: string } | null) {
  if (p.method === 'PUT') {
    const id = putId(p);
    const out = await updatePatient(db, actor, id, { ...p.resource, id }, undefined, p.notes);
    Object.assign(p, { target: `Patient/${id}`, status: '200 OK', version: out.meta!.versionId, lastUpdated: out.meta!.lastUpdated });
    return;
  }
  if (await placeByCondition(db, actor, p)) return;
  const facts = readPatientResource(p.resource);
  let found = await repo.patientByAbha(db, { abha: facts.abha, abhaAddress: facts.abhaAddress });
  if (!found) {
    const number = (Array.isArray(p.resource.identifier) ? p.resource.identifier : [])
      .find((i: any) => isObject(i) && i.system === SYSTEM.stateNumber && typeof i.value === 'string');
    if (number) found = await loadPatient(db, number.value).catch(() => undefined);
  }
  if (found) {
    // Linking a registered patient to this facility needs the record's read right or the patient's
    // presence, like every other link; the refusal names no one.
    await requirePresence(db, actor, found.id);
    if (facility) await linkFacility(db, found.id, facility);
    Object.assign(p, { target: `Patient/${found.id}`, status: '200 OK', version: patientVersion(found), lastUpdated: found.updated_at.toISOString() });
    return;
  }
  const created = await createPatient(db, actor, p.resource);
  p.notes.push(...created.notes);
  Object.assign(p, { target: `Patient/${created.row.id}`, status: '201 Created', version: created.resource.meta!.versionId, lastUpdated: created.resource.meta!.lastUpdated });
}

/** Where a non-Patient entry goes: an existing resource (PUT), one found again, or a new id. */
async function placeOther(db: Db, actor: Actor, p: Planned) {
  if (p.method === 'PUT') {
    const id = putId(p);
    const existing = await repo.lockResource(db, p.type, id);
    if (!existing) throw notAllowed(`No ${p.type} has id ${id}; this server assigns ids, so POST it instead`);
    if (existing.patient_id && !(await canRead(db, actor, existing.patient_id))) throw forbidden(PRIVACY);
    Object.assign(p, { target: `${p.type}/${id}`, existing });
    return;
  }
  if (await placeByCondition(db, actor, p)) return;
  const identifiers = (Array.isArray(p.resource.identifier) ? p.resource.identifier : []).filter((i: any) => isObject(i) && typeof i.system === 'string' && typeof i.value === 'string');
  // A facility of the registry, by its HFR id or the org-unit identifier this server writes.
  const facility = p.type === 'Organization' || p.type === 'Location' ? await facilityByIdentifiers(db, identifiers) : undefined;
  if (facility) {
    Object.assign(p, { target: `${p.type}/${facility.id}`, reused: true, status: '200 OK' });
    p.notes.push(matchedNote(p.type, facility.id, 'a facility of the registry'));
    return;
  }
  if (p.type === 'Practitioner' || p.type === 'Organization') {
    // Held until commit: two bundles naming the same new doctor or hospital at once keep it once.
    await lockIdentifiers(db, p.type, identifiers);
    for (const i of identifiers) {
      const found = await repo.findByIdentifier(db, p.type, i.system, i.value);
      if (found) {
        Object.assign(p, { target: `${p.type}/${found.id}`, reused: true, status: '200 OK', version: String(found.version), lastUpdated: found.updated_at.toISOString() });
        const same = isDeepStrictEqual(withoutServerFields(found.resource), withoutServerFields(p.resource));
        p.notes.push(matchedNote(p.type, found.id, `kept here already under ${i.system}|${i.value}${same ? '' : ', and it differs from this entry'}`));
        return;
      }
    }
  }
  p.target = `${p.type}/${uid()}`;
}

/** A resource without what the server sets (id, meta.versionId, meta.lastUpdated), to compare what senders wrote. */
function withoutServerFields(r: Record<string, any>): Record<string, any> {
  const { id: _id, meta, ...rest } = r;
  const { versionId: _v, lastUpdated: _l, ...kept } = isObject(meta) ? meta : {};
  return Object.keys(kept).length ? { ...rest, meta: kept } : rest;
}

/** Told in the entry's response: the entry is an existing resource, which references now point to; its own content is not stored. */
function matchedNote(type: string, id: string, what: string): Issue {
  return {
    severity: 'information', code: 'informational', expression: [type],
    diagnostics: `This ${type} is ${type}/${id}, ${what}; references to the entry point to it and the entry's content is not stored`,
  };
}

/**
 * Keeps a transaction or document bundle, all or nothing (call inside a transaction), and returns the
 * transaction-response Bundle.
 */
export async function writeBundle(db: Db, actor: Actor, body: unknown): Promise<FhirResource> {
  const bundle = bodyResource(body, 'Bundle');
  if (bundle.type !== 'transaction' && bundle.type !== 'document') {
    throw invalid(`Bundle.type ${JSON.stringify(bundle.type)} is not accepted here; POST a transaction or a document bundle`, 'Bundle.type', 'यहाँ केवल transaction या document बंडल भेजें', 'not-supported');
  }
  requirePermission(actor, 'can_update_patient');
  const document = documentKeyOf(bundle);
  const before = document ? await receivedBefore(db, actor, document) : null;
  if (before) return before;
  const warnings = warningsByEntry(await validateWrite(db, bundle));
  const plan = planOf(bundle);
  for (const p of plan) p.notes.push(...(warnings.get(p.index) ?? []));
  const facility = await facilityFor(db, actor, undefined);
  const at = (p: Planned, e: unknown) => inContext(e, `Bundle.entry[${p.index}] (${p.type})`, `Bundle.entry[${p.index}].resource`);

  for (const p of plan.filter((x) => x.type === 'Patient')) {
    try { await placePatient(db, actor, p, facility); } catch (e) { throw at(p, e); }
  }
  const others = plan.filter((x) => x.type !== 'Patient');
  for (const p of others) {
    try { await placeOther(db, actor, p); } catch (e) { throw at(p, e); }
  }

  // References: the fullUrl of each entry first, then `Type/id` of each resource where no fullUrl took it.
  const targets = new Map<string, string>();
  for (const p of plan) if (p.fullUrl) targets.set(p.fullUrl, p.target!);
  for (const p of plan) {
    for (const key of [p.resource.id ? `${p.type}/${p.resource.id}` : '', p.method === 'PUT' && p.url ? p.url : '']) {
      if (key && !targets.has(key)) targets.set(key, p.target!);
    }
  }
  const resolve = (ref: string) => {
    const exact = targets.get(ref);
    if (exact) return exact;
    if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) return undefined; // another server's URL or an unknown urn
    const parsed = parseReference(ref);
    return parsed ? targets.get(`${parsed.type}/${parsed.id}`) : undefined;
  };
  const patients = [...new Set(plan.filter((p) => p.type === 'Patient').map((p) => p.target!.split('/')[1]))];
  const bundlePatient = patients.length === 1 ? patients[0] : null;

  for (const p of others) {
    if (p.reused) continue;
    try {
      const resource = structuredClone(p.resource);
      rewriteReferences(resource, resolve);
      const own = await subjectPatient(db, actor, resource);
      const patientId = own ?? (SHARED_TYPES.has(p.type) ? null : bundlePatient);
      const id = p.target!.split('/')[1];
      const out = p.existing ? await storeVersion(db, actor, p.existing, { ...resource, id }, patientId, p.notes) : await storeNew(db, actor, resource, patientId, id, p.notes);
      Object.assign(p, { status: p.existing ? '200 OK' : '201 Created', version: out.meta!.versionId, lastUpdated: out.meta!.lastUpdated });
    } catch (e) {
      throw at(p, e);
    }
  }

  await recordAudit(db, actor, {
    action: 'import', entity: 'fhir_bundle', orgPath: facility?.path ?? actor.orgPath,
    after: { type: bundle.type, id: bundle.id ?? null, entries: plan.length, patient: bundlePatient },
  });
  const response: FhirResource = {
    resourceType: 'Bundle',
    id: uid(),
    type: 'transaction-response',
    meta: { lastUpdated: new Date().toISOString() },
    entry: plan.map((p) => ({
      response: {
        status: p.status!,
        location: p.version ? `${p.target!}/_history/${p.version}` : p.target!,
        ...(p.version ? { etag: `W/"${p.version}"` } : {}),
        ...(p.lastUpdated ? { lastModified: p.lastUpdated } : {}),
        ...(p.notes.length ? { outcome: operationOutcome(p.notes.map((n) => ({ ...n, expression: n.expression?.map((x) => x.replace(/^[A-Z][A-Za-z]+/, `Bundle.entry[${p.index}].resource`)) }))) } : {}),
      },
    })),
  };
  if (document) await rememberAnswer(db, document, bundlePatient, response);
  return response;
}
