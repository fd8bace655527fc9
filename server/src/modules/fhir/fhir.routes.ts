import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../app.js';
import { actorOf } from '../../platform/http.js';
import { writeBundle } from './fhir.bundle.js';
import { capabilityStatement } from './fhir.capability.js';
import { readFacilityResource, searchFacilityResources, type FacilityType } from './fhir.facilities.js';
import { baseUrl, bodyResource, FHIR_BODY_LIMIT, installFhirHttp, sendRead, sendWritten } from './fhir.http.js';
import { fhirNotFound, installFhirErrors, notAllowed, type Issue } from './fhir.outcome.js';
import { createPatient, readFhirPatient, updatePatient } from './fhir.patient.js';
import { searchFhirPatients } from './fhir.patient.search.js';
import { pageOf, searchPage, searchset, type Query } from './fhir.search.js';
import { createUnless, ifNoneExistOf } from './fhir.conditional.js';
import { history, historyBundle, vread } from './fhir.history.js';
import { validateWrite } from './fhir.profiles.js';
import { createStored, readStored, searchStored, updateStored } from './fhir.store.js';
import { ID_PATTERN, isStoredType, TYPE_PATTERN } from './fhir.types.js';

const tags = ['fhir'];
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const TypeParams = Type.Object({ type: Type.String({ minLength: 1, maxLength: 64 }) });
const TypeIdParams = Type.Object({ type: Type.String({ minLength: 1, maxLength: 64 }), id: Type.String({ minLength: 1, maxLength: 64 }) });
const VersionParams = Type.Object({ type: Type.String({ minLength: 1, maxLength: 64 }), id: Type.String({ minLength: 1, maxLength: 64 }), vid: Type.String({ minLength: 1, maxLength: 64 }) });
const FhirBody = Type.Any({ description: 'A FHIR R4 resource as JSON (application/fhir+json)' });

const idOf = (request: FastifyRequest) => {
  const id = (request.params as { id: string }).id;
  if (!ID_PATTERN.test(id)) throw fhirNotFound(`${id} is not a FHIR id (1–64 letters, digits, - and .)`);
  return id;
};
const typeOf = (request: FastifyRequest) => {
  const type = (request.params as { type: string }).type;
  if (!TYPE_PATTERN.test(type)) throw fhirNotFound(`${type} is not a resource type`);
  return type;
};
const ifMatch = (request: FastifyRequest) => (typeof request.headers['if-match'] === 'string' ? request.headers['if-match'] : undefined);

/**
 * FHIR R4 under /fhir, JSON only: metadata, Patient (the registry), Encounter, Condition,
 * MedicationRequest, MedicationStatement and Practitioner (kept whole), Organization and Location (the
 * facility registry, read-only), and transaction/document bundles. Errors are OperationOutcomes; the
 * plugin has its own body parser, sign-in hook and error handler, so the rest of the API is unchanged.
 */
export const fhirRoutes = ({ db }: AppDeps): FastifyPluginAsync => async (app) => {
  await app.register(async (fhir) => {
    installFhirHttp(fhir, db);
    installFhirErrors(fhir);
    const k = db.kysely;

    fhir.get('/metadata', {
      config: { public: true },
      schema: { tags, summary: 'FHIR CapabilityStatement: resources, interactions and search parameters supported (no sign-in needed)', security: [] },
    }, async (request) => capabilityStatement(baseUrl(request)));

    fhir.post('/', {
      bodyLimit: FHIR_BODY_LIMIT,
      schema: { tags, summary: 'Keep a transaction or document Bundle (ABDM OPConsultRecord, PrescriptionRecord…) all or nothing; answers a transaction-response Bundle', body: FhirBody },
    }, async (request) => k.transaction().execute((trx) => writeBundle(trx, actorOf(request), request.body)));

    // ------------------------------------------------------------ Patient: the state registry
    fhir.get('/Patient', {
      schema: { tags, summary: 'Search patients: name (either script), identifier (any system|value, or a value), phone, _id, gender, birthdate, _count, _offset' },
    }, async (request) => {
      const q = request.query as Query;
      const page = searchPage(request, 'Patient');
      const r = await searchFhirPatients(k, actorOf(request), q, page);
      return searchset(request, 'Patient', page, r.entries, r.more, r.total);
    });

    fhir.post('/Patient', {
      bodyLimit: FHIR_BODY_LIMIT,
      schema: { tags, summary: 'Register a patient from a FHIR Patient, kept as sent (registered via fhir, at your facility)', body: FhirBody },
    }, async (request, reply) => {
      const actor = actorOf(request);
      const resource = bodyResource(request.body, 'Patient');
      const checked = await validateWrite(k, resource);
      const condition = ifNoneExistOf(request.headers['if-none-exist'], 'Patient');
      const out = await k.transaction().execute((trx) => createUnless(trx, actor, 'Patient', condition, () => createPatient(trx, actor, resource)));
      if ('existing' in out) return sendWritten(request, reply, out.existing, 200);
      return sendWritten(request, reply, out.created.resource, 201, [...checked, ...out.created.notes]);
    });

    fhir.get('/Patient/:id', {
      schema: { tags, summary: 'Read a patient (staff of a facility where they are registered or seen); audited, purpose care', params: IdParams },
    }, async (request, reply) => sendRead(reply, await readFhirPatient(k, actorOf(request), idOf(request))));

    fhir.put('/Patient/:id', {
      bodyLimit: FHIR_BODY_LIMIT,
      schema: { tags, summary: 'Replace a patient\'s kept Patient and the registry fields derived from it; If-Match honoured', params: IdParams, body: FhirBody },
    }, async (request, reply) => {
      const actor = actorOf(request);
      const id = idOf(request);
      const resource = bodyResource(request.body, 'Patient');
      const notes: Issue[] = await validateWrite(k, resource);
      const out = await k.transaction().execute((trx) => updatePatient(trx, actor, id, resource, ifMatch(request), notes));
      return sendWritten(request, reply, out, 200, notes);
    });

    // ------------------------------------------------------------ Organization, Location: the facility registry
    for (const type of ['Organization', 'Location'] as FacilityType[]) {
      fhir.get(`/${type}`, {
        schema: { tags, summary: `Search facilities as ${type}s: name, _id, identifier (HFR id), _count, _offset` },
      }, async (request) => {
        const q = request.query as Query;
        const page = searchPage(request, type);
        const r = await searchFacilityResources(k, actorOf(request), type, q, page);
        return searchset(request, type, page, r.entries, r.more, r.total);
      });
      fhir.get(`/${type}/:id`, {
        schema: { tags, summary: `Read a facility as a${type === 'Organization' ? 'n' : ''} ${type}`, params: IdParams },
      }, async (request, reply) => sendRead(reply, await readFacilityResource(k, actorOf(request), type, idOf(request))));
    }

    // ------------------------------------------------------------ Clinical resources kept whole
    fhir.get('/:type', {
      schema: { tags, summary: 'Search Encounter, Condition, MedicationRequest, MedicationStatement, Practitioner (or any type kept from a bundle): patient/subject, _id, identifier, status, date, code, encounter… (see /fhir/metadata), _sort, _include, _revinclude, _summary=count, _total, _count, _offset', params: TypeParams },
    }, async (request) => {
      const type = typeOf(request);
      const q = request.query as Query;
      const page = searchPage(request, type);
      const r = await searchStored(k, actorOf(request), type, q, page);
      return searchset(request, type, page, r.entries, r.more, r.total);
    });

    // A type this server does not take directly is a 405 before the permission check and the body.
    const writable = async (request: FastifyRequest) => { if (!isStoredType(typeOf(request))) throw refusedWrite(typeOf(request)); };
    fhir.post('/:type', {
      bodyLimit: FHIR_BODY_LIMIT, onRequest: writable,
      schema: { tags, summary: 'Create an Encounter, Condition, MedicationRequest, MedicationStatement or Practitioner; the server assigns the id', params: TypeParams, body: FhirBody },
    }, async (request, reply) => {
      const type = typeOf(request);
      const actor = actorOf(request);
      if (!isStoredType(type)) throw refusedWrite(type);
      const resource = bodyResource(request.body, type);
      const notes: Issue[] = await validateWrite(k, resource);
      const condition = ifNoneExistOf(request.headers['if-none-exist'], type);
      const out = await k.transaction().execute((trx) => createUnless(trx, actor, type, condition, () => createStored(trx, actor, resource, notes)));
      if ('existing' in out) return sendWritten(request, reply, out.existing, 200);
      return sendWritten(request, reply, out.created, 201, notes);
    });

    fhir.get('/:type/:id', {
      schema: { tags, summary: 'Read a kept resource; 403 when it is about a patient you may not read; audited as fhir_<type>', params: TypeIdParams },
    }, async (request, reply) => sendRead(reply, await readStored(k, actorOf(request), typeOf(request), idOf(request))));

    fhir.put('/:type/:id', {
      bodyLimit: FHIR_BODY_LIMIT, onRequest: writable,
      schema: { tags, summary: 'Replace a kept Encounter, Condition, MedicationRequest, MedicationStatement or Practitioner (new version); If-Match honoured', params: TypeIdParams, body: FhirBody },
    }, async (request, reply) => {
      const type = typeOf(request);
      const actor = actorOf(request);
      const id = idOf(request);
      if (!isStoredType(type)) throw refusedWrite(type);
      const resource = bodyResource(request.body, type);
      const notes: Issue[] = await validateWrite(k, resource);
      const out = await k.transaction().execute((trx) => updateStored(trx, actor, type, id, resource, ifMatch(request), notes));
      return sendWritten(request, reply, out, 200, notes);
    });

    // ------------------------------------------------------------ Versions: vread and instance history
    fhir.get('/:type/:id/_history', {
      schema: { tags, summary: 'The versions of a resource, newest first (a history Bundle; _count, _offset); access and audit as a read', params: TypeIdParams },
    }, async (request) => {
      const [type, id] = [typeOf(request), idOf(request)];
      const page = pageOf(request.query as Query);
      const r = await history(k, actorOf(request), type, id, page);
      return historyBundle(request, type, id, page, r.versions, r.total);
    });
    fhir.get('/:type/:id/_history/:vid', {
      schema: { tags, summary: 'One version of a resource (vread), with its ETag and Last-Modified; access and audit as a read', params: VersionParams },
    }, async (request, reply) => {
      const vid = (request.params as { vid: string }).vid;
      if (!ID_PATTERN.test(vid)) throw fhirNotFound(`${vid} is not a version id`);
      return sendRead(reply, await vread(k, actorOf(request), typeOf(request), idOf(request), vid));
    });

    fhir.delete('/:type/:id', {
      schema: { tags, summary: 'Not supported: health records are not deleted over FHIR (405)', params: TypeIdParams },
    }, async (request) => {
      actorOf(request);
      throw notAllowed('Deleting is not supported: health records are kept; correct them with PUT', 'हटाना संभव नहीं; रिकॉर्ड PUT से सुधारें');
    });
  }, { prefix: '/fhir' });
};

/** 405 for writes to a type this server does not take directly. */
function refusedWrite(type: string) {
  if (type === 'Organization' || type === 'Location') {
    return notAllowed(`${type}s come from the facility registry and are read-only here; change the facility with /api/facilities`, `${type} केवल पढ़ने के लिए है; संस्थान /api/facilities से बदलें`);
  }
  return notAllowed(`${type} is not created or updated directly; send it inside a transaction or document Bundle to /fhir (this server takes Patient, Encounter, Condition, MedicationRequest, MedicationStatement and Practitioner directly)`);
}
