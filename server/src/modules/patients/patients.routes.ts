import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../app.js';
import type { OpdTokenStatus } from '../../db/types.js';
import { actorOf, ErrorBody } from '../../platform/http.js';
import * as care from './patients.care.js';
import * as families from './patients.families.js';
import * as visits from './patients.visits.js';
import * as survey from './patients.survey.js';
import { addDocument, DOCUMENT_TYPES, listDocuments, MAX_DOCUMENT_BYTES, readDocument } from './patients.documents.js';
import { documentStoreFor } from '../../platform/objectstore.js';
import { cardData, cardPdf, resolveCard, type CardSize } from './patients.card.js';
import {
  DuplicateQuery, NewPatientBody, OpdBody, PregnancyBody, QueueQuery, ReadQuery, SearchQuery, TokenStatusBody, UltrasoundBody, UltrasoundSummaryQuery,
  type DuplicateInput, type NewPatientInput, type OpdInput, type PregnancyInput, type QueueInput, type SearchInput, type TokenStatusInput, type UltrasoundInput, type UltrasoundSummaryInput,
} from './patients.schema.js';
import * as opd from './patients.opd.js';
import * as edit from './patients.edit.js';
import * as search from './patients.search.js';
import * as svc from './patients.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const created = { 201: Type.Any(), ...errors };
const tags = ['patients'];
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 40 }) });

/** Patients: registration at a counter, search in both scripts, records under the privacy rule, OPD tokens, pregnancies and ultrasound checks. */
export const patientRoutes = ({ db, config }: AppDeps): FastifyPluginAsync => async (app) => {
  const k = db.kysely;
  const documents = documentStoreFor(config);
  await documents.check(); // a missing bucket or wrong keys stop startup with a message saying which
  // Uploads arrive as the raw file with its media type; what it really is is read from its bytes.
  app.addContentTypeParser([...DOCUMENT_TYPES], { parseAs: 'buffer', bodyLimit: MAX_DOCUMENT_BYTES }, (_req, body, done) => done(null, body));

  app.post('/api/patients', {
    schema: { tags, summary: 'Register a patient at a facility counter; warnings (e.g. an ABHA check digit) come back with the new record', body: NewPatientBody, response: created },
  }, async (request, reply) => {
    const actor = actorOf(request);
    // One write statement inside; no transaction needed (and the org unit cache then applies).
    const created = await svc.registerPatient(k, actor, request.body as NewPatientInput, 'counter');
    return reply.status(201).send(created);
  });

  app.get('/api/patients', {
    schema: { tags, summary: 'Find patients by name (Devanagari or Latin, small misspellings allowed), mobile, ABHA or state number', querystring: SearchQuery, response: errors },
  }, async (request) => search.searchPatients(k, actorOf(request), request.query as SearchInput));

  app.get('/api/patients/duplicates', {
    schema: { tags, summary: 'Likely duplicates of a person about to be registered', querystring: DuplicateQuery, response: errors },
  }, async (request) => search.likelyDuplicates(k, actorOf(request), request.query as DuplicateInput));

  app.get('/api/patients/:id', {
    schema: { tags, summary: 'A patient\'s record (staff of a facility where they are registered or seen); the read is audited with its purpose', params: IdParams, querystring: ReadQuery, response: errors },
  }, async (request) => svc.readPatient(k, actorOf(request), (request.params as { id: string }).id, (request.query as { purpose?: string }).purpose));

  app.get('/api/patients/:id/access-log', {
    schema: { tags, summary: 'Who read this record, when and why', params: IdParams, response: errors },
  }, async (request) => svc.accessLog(k, actorOf(request), (request.params as { id: string }).id));

  app.get('/api/patients/:id/card', {
    schema: { tags, summary: 'The health card\'s contents, with the text of its QR code', params: IdParams, response: errors },
  }, async (request) => cardData(k, actorOf(request), (request.params as { id: string }).id));

  app.get('/api/patients/:id/card.pdf', {
    schema: {
      tags, summary: 'The printable health card (PDF): A6, or ID-1 (bank-card size)', params: IdParams,
      querystring: Type.Object({ size: Type.Optional(Type.String({ enum: ['a6', 'id1'], default: 'a6' })) }, { additionalProperties: false }), response: errors,
    },
  }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const size = ((request.query as { size?: string }).size ?? 'a6') as CardSize;
    const pdf = await cardPdf(k, actorOf(request), id, size);
    return reply.type('application/pdf').header('content-disposition', `inline; filename="health-card-${id}.pdf"`).send(pdf);
  });

  app.post('/api/cards/resolve', {
    schema: { tags, summary: 'Resolve a scanned health card QR code to the patient (staff only; audited)', body: Type.Object({ code: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }), response: errors },
  }, async (request) => resolveCard(k, actorOf(request), (request.body as { code: string }).code));

  app.post('/api/families', {
    schema: {
      tags, summary: 'Register a household in the state family register, with its head', response: created,
      body: Type.Object({ headPatientId: Type.String({ minLength: 1, maxLength: 40 }), externalId: Type.Optional(Type.String({ maxLength: 40, description: 'the state\'s own family id, e.g. Him Parivar' })), addressLine: Type.Optional(Type.String({ maxLength: 300 })) }, { additionalProperties: false }),
    },
  }, async (request, reply) => reply.status(201).send(await k.transaction().execute((trx) => families.createFamily(trx, actorOf(request), request.body as { headPatientId: string }))));

  app.get('/api/families/:id', {
    schema: { tags, summary: 'A family with its members, and who lacks an ABHA or a health card', params: IdParams, response: errors },
  }, async (request) => families.familyView(k, actorOf(request), (request.params as { id: string }).id));

  app.post('/api/families/:id/members', {
    schema: {
      tags, summary: 'Add a registered patient to a family with their relation to the head', params: IdParams, response: errors,
      body: Type.Object({ patientId: Type.String({ minLength: 1, maxLength: 40 }), relation: Type.String({ enum: families.RELATIONS.filter((r) => r !== 'head') }) }, { additionalProperties: false }),
    },
  }, async (request) => k.transaction().execute((trx) => families.addFamilyMember(trx, actorOf(request), (request.params as { id: string }).id, request.body as { patientId: string; relation: string })));

  app.post('/api/patients/:id/merge', {
    schema: {
      tags, summary: 'Merge a duplicate patient into another (audited; undo with the merge id)', params: IdParams, response: errors,
      body: Type.Object({ into: Type.String({ minLength: 1, maxLength: 40 }), reason: Type.String({ minLength: 3, maxLength: 300 }) }, { additionalProperties: false }),
    },
  }, async (request) => {
    const { into, reason } = request.body as { into: string; reason: string };
    return k.transaction().execute((trx) => families.mergePatients(trx, actorOf(request), (request.params as { id: string }).id, into, reason));
  });

  app.patch('/api/patients/:id', {
    // Permission and scope from the URL, before a byte of the body is read.
    onRequest: async (request) => { await edit.requireEditable(k, actorOf(request), (request.params as { id: string }).id); },
    schema: { tags, summary: 'Edit a patient\'s demographics on the version read (`version`; a record changed since is 409); audited with what changed', params: IdParams, body: edit.EditPatientBody, response: errors },
  }, async (request) => k.transaction().execute((trx) => edit.editPatient(trx, actorOf(request), (request.params as { id: string }).id, request.body as edit.EditPatientInput)));

  app.get('/api/patients/:id/merges', {
    schema: { tags, summary: 'The merges this record took part in, as the duplicate or as the record kept, with their undoing', params: IdParams, response: errors },
  }, async (request) => edit.mergeHistory(k, actorOf(request), (request.params as { id: string }).id));

  app.post('/api/patients/merges/:id/undo', {
    schema: { tags, summary: 'Undo a merge of duplicate patients', params: IdParams, response: errors },
  }, async (request) => k.transaction().execute((trx) => families.undoMerge(trx, actorOf(request), (request.params as { id: string }).id)));

  app.post('/api/opd/visits', {
    schema: {
      tags, summary: 'Record an OPD visit (complaint, vitals, ICD-10 diagnoses, prescriptions); the facility\'s monthly HMIS counts follow', response: created,
      body: Type.Object({
        patientId: Type.String({ minLength: 1, maxLength: 40 }),
        facilityId: Type.Optional(Type.String({ maxLength: 60 })),
        opdRegistrationId: Type.Optional(Type.String({ maxLength: 40 })),
        complaint: Type.Optional(Type.String({ maxLength: 1000 })),
        vitals: Type.Optional(Type.Record(Type.String({ maxLength: 30 }), Type.Number())),
        diagnoses: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 10 }), { maxItems: 20 })),
        notes: Type.Optional(Type.String({ maxLength: 5000 })),
        prescriptions: Type.Optional(Type.Array(Type.Object({
          drug: Type.String({ minLength: 1, maxLength: 200 }), dose: Type.Optional(Type.String({ maxLength: 100 })),
          frequency: Type.Optional(Type.String({ maxLength: 100 })), days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
        }, { additionalProperties: false }), { maxItems: 30 })),
      }, { additionalProperties: false }),
    },
  }, async (request, reply) => reply.status(201).send(await k.transaction().execute((trx) => visits.recordVisit(trx, actorOf(request), request.body as visits.VisitInput))));

  app.get('/api/patients/:id/visits', {
    schema: { tags, summary: 'A patient\'s OPD visits, newest first', params: IdParams, response: errors },
  }, async (request) => visits.listVisits(k, actorOf(request), (request.params as { id: string }).id));

  app.get('/api/codes/icd10', {
    schema: {
      tags, summary: 'Find ICD-10 codes by code prefix or English or Hindi words of the title: the built-in list (ICD-10-CM, Hindi names for the HMIS and IDSP conditions) with the state\'s own (swasthya import icd10); `more` says whether offset + limit has a next page',
      querystring: Type.Object({ q: Type.String({ minLength: 1, maxLength: 100 }), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })), offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })) }, { additionalProperties: false }), response: errors,
    },
  }, async (request) => {
    const q = request.query as { q: string; limit?: number; offset?: number };
    return visits.searchCodes(k, actorOf(request), q.q, q.limit, q.offset);
  });

  app.post('/api/patients/:id/documents', {
    bodyLimit: MAX_DOCUMENT_BYTES,
    schema: {
      tags, summary: 'Attach a PDF or image (the file as the body, Content-Type application/pdf or image/jpeg|png|webp, at most 10 MB)', params: IdParams,
      querystring: Type.Object({ title: Type.Optional(Type.String({ maxLength: 200 })), visitId: Type.Optional(Type.String({ maxLength: 40 })) }, { additionalProperties: false }), response: created,
    },
  }, async (request, reply) => {
    const q = request.query as { title?: string; visitId?: string };
    const declaredType = String(request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const doc = await addDocument(k, documents, actorOf(request), (request.params as { id: string }).id, { bytes: request.body as Buffer, declaredType, ...q });
    return reply.status(201).send(doc);
  });

  app.get('/api/patients/:id/documents', {
    schema: { tags, summary: 'The documents on a patient\'s record', params: IdParams, response: errors },
  }, async (request) => listDocuments(k, actorOf(request), (request.params as { id: string }).id));

  app.get('/api/documents/:id', {
    schema: { tags, summary: 'A document\'s file (audited read)', params: IdParams, response: errors },
  }, async (request, reply) => {
    const d = await readDocument(k, documents, actorOf(request), (request.params as { id: string }).id);
    return reply.type(d.mediaType).header('content-disposition', `inline; filename="${d.name}"`).header('x-content-type-options', 'nosniff').send(d.bytes);
  });

  const { address: _a, facilityId: _f, ...memberFields } = NewPatientBody.properties;
  app.post('/api/survey/sync', {
    bodyLimit: 5 * 1024 * 1024,
    schema: {
      tags, summary: 'Sync households recorded offline in the health-card survey; each is stored or refused on its own, once per phone id', response: errors,
      body: Type.Object({
        households: Type.Array(Type.Object({
          clientId: Type.String({ minLength: 1, maxLength: 60, description: 'the phone\'s own id for the household' }),
          area: Type.String({ minLength: 1, maxLength: 60, description: 'village or ward (org unit id or LGD code)' }),
          addressLine: Type.Optional(Type.String({ maxLength: 300 })),
          familyExternalId: Type.Optional(Type.String({ maxLength: 40 })),
          recordedAt: Type.Optional(Type.String({ format: 'date-time' })),
          members: Type.Array(Type.Object({ ...memberFields, relation: Type.String({ maxLength: 30 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 30 }),
        }, { additionalProperties: false }), { maxItems: 200 }),
      }, { additionalProperties: false }),
    },
  }, async (request) => survey.syncHouseholds(k, actorOf(request), (request.body as { households: survey.SurveyHousehold[] }).households));

  app.post('/api/survey/assignments', {
    schema: { tags, summary: 'Assign a village or ward to an enumerator (ASHA or CHO)', response: created, body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 60 }), area: Type.String({ minLength: 1, maxLength: 60 }) }, { additionalProperties: false }) },
  }, async (request, reply) => reply.status(201).send(await survey.assignArea(k, actorOf(request), request.body as { username: string; area: string })));

  app.get('/api/survey/assignments', { schema: { tags, summary: 'The areas assigned to me', response: errors } },
    async (request) => survey.myAssignments(k, actorOf(request)));

  app.get('/api/survey/coverage', {
    schema: { tags, summary: 'Survey coverage by village or ward: households, people, with ABHA, with a card', querystring: Type.Object({ orgUnit: Type.String({ minLength: 1, maxLength: 60 }) }, { additionalProperties: false }), response: errors },
  }, async (request) => survey.coverage(k, actorOf(request), (request.query as { orgUnit: string }).orgUnit));

  app.post('/api/opd/registrations', {
    schema: { tags, summary: 'OPD registration: the next token of a department today', body: OpdBody, response: created },
  }, async (request, reply) => reply.status(201).send(await care.registerOpd(k, actorOf(request), request.body as OpdInput)));

  app.get('/api/opd/queue', {
    schema: { tags, summary: 'The OPD queue of a facility for a day: tokens per state (counts) and a page of tokens, of one state or all', querystring: QueueQuery, response: errors },
  }, async (request) => opd.opdQueue(k, actorOf(request), request.query as QueueInput));

  app.post('/api/opd/registrations/:id/status', {
    // Permission and the token's facility in the caller's area before the body is read.
    onRequest: async (request) => { await opd.requireToken(k, actorOf(request), (request.params as { id: string }).id); },
    schema: { tags, summary: 'Work an OPD token: call it, mark it with the doctor, done or absent, or recall an absent token; a move its state does not allow is 409', params: IdParams, body: TokenStatusBody, response: errors },
  }, async (request) => opd.setTokenStatus(k, actorOf(request), (request.params as { id: string }).id, (request.body as TokenStatusInput).status as OpdTokenStatus));

  app.post('/api/pregnancies', {
    schema: { tags, summary: 'Register a pregnancy (ANC): issues its 12-digit registration number', body: PregnancyBody, response: created },
  }, async (request, reply) => reply.status(201).send(await care.registerPregnancy(k, actorOf(request), request.body as PregnancyInput)));

  app.post('/api/pregnancies/:id/close', {
    schema: { tags, summary: 'Close a pregnancy registration (by its number)', params: IdParams, body: Type.Object({ reason: Type.String({ minLength: 3, maxLength: 300 }) }, { additionalProperties: false }), response: errors },
  }, async (request) => care.closePregnancy(k, actorOf(request), (request.params as { id: string }).id, (request.body as { reason: string }).reason));

  app.post('/api/ultrasounds', {
    schema: { tags, summary: 'An ultrasound centre verifies a pregnancy registration number before a scan; refusals are logged', body: UltrasoundBody, response: created },
  }, async (request, reply) => reply.status(201).send(await care.recordUltrasound(k, actorOf(request), request.body as UltrasoundInput)));

  app.get('/api/ultrasounds/summary', {
    schema: { tags, summary: 'Scans per centre and refused attempts in an area', querystring: UltrasoundSummaryQuery, response: errors },
  }, async (request) => care.ultrasoundSummary(k, actorOf(request), request.query as UltrasoundSummaryInput));
};
