/**
 * Versions over FHIR: vread (`GET /fhir/<type>/<id>/_history/<vid>`) and the instance history
 * (`GET /fhir/<type>/<id>/_history`, a `history` Bundle, newest first, paged with _count and _offset).
 *
 * Every version is kept by the database itself (triggers of migration 20261202T0200): a stored resource's
 * versions in fhir_resource_versions, a registry patient's in fhir_patient_versions as registry rows,
 * made into Patients as a read makes them, whatever changed the row (FHIR, the plain API, a merge).
 * Facilities (Organization, Location from the registry) have their current version only.
 *
 * Access and audit are those of a read: a patient the caller may not read is 403 (a stored resource is
 * refused when any of its versions was about such a patient), an unknown id 404, and every vread and
 * history read is audited as a read of the resource.
 */
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { forbidden } from '../../platform/errors.js';
import { uid } from '../../platform/ids.js';
import { canRead, loadPatient, readPatient } from '../patients/patients.service.js';
import { maskAadhaarIdentifiers } from './fhir.aadhaar.js';
import { readFacilityResource } from './fhir.facilities.js';
import { baseUrl } from './fhir.http.js';
import { fhirNotFound } from './fhir.outcome.js';
import { patientResource } from './fhir.patient.js';
import * as repo from './fhir.repository.js';
import type { Page } from './fhir.search.js';
import { auditEntity, PRIVACY, PRIVACY_HI } from './fhir.store.js';
import { etag, type FhirResource } from './fhir.types.js';

type Db = Kysely<Database>;

/** One version, and whether it is the first (a create) or a later one (an update). */
export interface Version { resource: FhirResource; first: boolean }

const isFacilityType = (type: string) => type === 'Organization' || type === 'Location';
const noVersion = (type: string, id: string, vid: string) =>
  fhirNotFound(`${type}/${id} has no version ${vid}; GET /fhir/${type}/${id}/_history lists its versions`, `${type}/${id} का संस्करण ${vid} नहीं है`);

/** A kept version of a stored resource as clients see it: id, versionId and lastUpdated in meta; Aadhaar masked. */
function fromVersion(type: string, id: string, v: repo.VersionRow): FhirResource {
  const r = v.resource as FhirResource;
  maskAadhaarIdentifiers(r);
  return { ...r, resourceType: type, id, meta: { ...(r.meta ?? {}), versionId: String(v.version), lastUpdated: v.recorded_at.toISOString() } };
}

/** A stored resource the caller may read in every version: 404 when unknown, 403 as a read. */
async function readableStored(db: Db, actor: Actor, type: string, id: string) {
  requirePermission(actor, 'can_read_patient');
  const row = await repo.findResource(db, type, id);
  if (!row) throw fhirNotFound(`No ${type} has id ${id}`, `आईडी ${id} वाला कोई ${type} नहीं मिला`);
  const patients = new Set([row.patient_id, ...(await repo.versionPatients(db, type, id))].filter((p): p is string => !!p));
  for (const p of patients) if (!(await canRead(db, actor, p))) throw forbidden(PRIVACY, PRIVACY_HI);
  return row;
}

/** Every version of a patient, newest first; the read is checked and audited as a read of the patient. */
async function patientHistory(db: Db, actor: Actor, id: string): Promise<FhirResource[]> {
  await readPatient(db, actor, id, 'care');
  const row = await loadPatient(db, id);
  const versions = await repo.patientVersions(db, row.id);
  if (!versions.length) return [await patientResource(db, row)];
  const out: FhirResource[] = [];
  for (const v of versions) out.push(await patientResource(db, v.row, v.kept));
  return out;
}

/** One version of a resource (vread). */
export async function vread(db: Db, actor: Actor, type: string, id: string, vid: string): Promise<FhirResource> {
  if (type === 'Patient') {
    const found = (await patientHistory(db, actor, id)).find((r) => r.meta?.versionId === vid);
    if (!found) throw noVersion(type, id, vid);
    return found;
  }
  if (isFacilityType(type) && !(await repo.findResource(db, type, id))) {
    const current = await readFacilityResource(db, actor, type, id);
    if (current.meta?.versionId !== vid) throw fhirNotFound(`${type}/${id} is a facility of the registry; only its current version (${current.meta?.versionId}) is kept`);
    return current;
  }
  await readableStored(db, actor, type, id);
  await recordAudit(db, actor, { action: 'read', entity: auditEntity(type), entityId: id, orgPath: actor.orgPath, purpose: 'care', after: { version: vid } });
  const v = /^\d{1,9}$/.test(vid) ? await repo.resourceVersion(db, type, id, Number(vid)) : undefined;
  if (!v) throw noVersion(type, id, vid);
  return fromVersion(type, id, v);
}

/** One page of the versions of a resource, newest first, with how many there are. */
export async function history(db: Db, actor: Actor, type: string, id: string, page: Page): Promise<{ versions: Version[]; total: number }> {
  if (type === 'Patient') {
    const all = await patientHistory(db, actor, id);
    return { versions: all.slice(page.offset, page.offset + page.count).map((resource) => ({ resource, first: resource === all[all.length - 1] })), total: all.length };
  }
  if (isFacilityType(type) && !(await repo.findResource(db, type, id))) {
    const current = await readFacilityResource(db, actor, type, id);
    return { versions: page.offset === 0 && page.count > 0 ? [{ resource: current, first: true }] : [], total: 1 };
  }
  await readableStored(db, actor, type, id);
  const { rows, total } = await repo.resourceVersions(db, type, id, page);
  await recordAudit(db, actor, { action: 'read', entity: auditEntity(type), entityId: id, orgPath: actor.orgPath, purpose: 'care', after: { history: true, versions: rows.map((r) => r.version) } });
  return { versions: rows.map((r) => ({ resource: fromVersion(type, id, r), first: r.version === 1 })), total };
}

/** The `history` Bundle of one page: self, next and previous links; each entry with its request and response. */
export function historyBundle(request: FastifyRequest, type: string, id: string, page: Page, versions: Version[], total: number) {
  const base = baseUrl(request);
  const link = (offset: number) => `${base}/${type}/${id}/_history?_count=${page.count}&_offset=${offset}`;
  const links = [{ relation: 'self', url: link(page.offset) }];
  if (page.count > 0 && page.offset + page.count < total) links.push({ relation: 'next', url: link(page.offset + page.count) });
  if (page.count > 0 && page.offset > 0) links.push({ relation: 'previous', url: link(Math.max(0, page.offset - page.count)) });
  return {
    resourceType: 'Bundle',
    id: uid(),
    meta: { lastUpdated: new Date().toISOString() },
    type: 'history',
    total,
    link: links,
    entry: versions.map(({ resource, first }) => ({
      fullUrl: `${base}/${type}/${id}`,
      resource,
      request: first ? { method: 'POST', url: type } : { method: 'PUT', url: `${type}/${id}` },
      response: {
        status: first ? '201 Created' : '200 OK',
        ...(resource.meta?.versionId ? { etag: etag(resource.meta.versionId), location: `${type}/${id}/_history/${resource.meta.versionId}` } : {}),
        ...(resource.meta?.lastUpdated ? { lastModified: resource.meta.lastUpdated } : {}),
      },
    })),
  };
}
