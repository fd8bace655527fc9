import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../app.js';
import type { ReferralStatus } from '../../db/types.js';
import { actorOf, ErrorBody } from '../../platform/http.js';
import { patientConsultations, readConsultation, saveConsultation } from './telemedicine.clinical.js';
import {
  ConsultationBody, DispenseBody, FhirQuery, FormularyQuery, IdParams, PrescriptionBody, ReferralBody, ReferralListQuery, ReferralStatusBody, StockBody, StockQuery,
  type ConsultationInput, type DispenseInput, type PrescriptionInput, type ReferralInput, type ReferralListInput, type StockInput,
} from './telemedicine.clinical.schema.js';
import { exportRecord, type RecordType } from './telemedicine.fhir.js';
import { searchFormulary } from './telemedicine.formulary.js';
import * as rx from './telemedicine.prescriptions.js';
import { canReadRequest, loadRequest } from './telemedicine.queue.js';
import { createReferral, listReferrals, moveReferral, referralDestinations } from './telemedicine.referrals.js';
import { forbidden } from '../../platform/errors.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const created = { 201: Type.Any(), ...errors };
const tags = ['telemedicine'];
type Id = { id: string };

/** The clinical side of a teleconsultation: the record, e-prescriptions and dispensing, the spoke's stock, referrals, FHIR export. */
export const teleClinicalRoutes = ({ db }: AppDeps): FastifyPluginAsync => async (app) => {
  const k = db.kysely;

  app.put('/api/telemedicine/requests/:id/consultation', {
    schema: { tags, summary: 'Write the consultation record (the consulting doctor): notes, ICD-10 diagnoses, advice, follow-up date; fields left out are kept', params: IdParams, body: ConsultationBody, response: errors },
  }, async (request) => k.transaction().execute((trx) => saveConsultation(trx, actorOf(request), (request.params as Id).id, request.body as ConsultationInput)));

  app.get('/api/telemedicine/requests/:id/consultation', {
    schema: { tags, summary: 'The consultation record with its prescriptions (whoever may read the request); audited', params: IdParams, response: errors },
  }, async (request) => readConsultation(k, actorOf(request), (request.params as Id).id));

  app.get('/api/telemedicine/formulary', {
    schema: { tags, summary: 'Search the formulary (generic names in English or Hindi); with requestId, the stock at that request\'s spoke', querystring: FormularyQuery, response: errors },
  }, async (request) => {
    const actor = actorOf(request);
    const q = request.query as { q?: string; requestId?: string; limit?: number };
    let stockAt: string | null = null;
    if (q.requestId) {
      const row = await loadRequest(k, q.requestId);
      if (!(await canReadRequest(k, actor, row))) throw forbidden('You may not read this consultation', 'आप यह परामर्श नहीं देख सकते');
      stockAt = row.spoke_id;
    }
    return searchFormulary(k, actor, q.q, q.limit, stockAt);
  });

  app.post('/api/telemedicine/requests/:id/prescriptions', {
    schema: { tags, summary: 'Prescribe from the formulary (the consulting doctor): lines with dose, frequency (OD, BD, TDS…) and days', params: IdParams, body: PrescriptionBody, response: created },
  }, async (request, reply) => reply.status(201).send(await k.transaction().execute((trx) => rx.createPrescription(trx, actorOf(request), (request.params as Id).id, request.body as PrescriptionInput))));

  app.get('/api/telemedicine/prescriptions/:id', {
    schema: { tags, summary: 'A prescription\'s lines, each with whether the spoke has it in stock and how many', params: IdParams, response: errors },
  }, async (request) => rx.readPrescription(k, actorOf(request), (request.params as Id).id));

  app.get('/api/telemedicine/prescriptions/:id.pdf', {
    schema: { tags, summary: 'The prescription to print or share (PDF, Hindi and English) with the doctor\'s name and registration', params: IdParams, response: errors },
  }, async (request, reply) => {
    const out = await rx.prescriptionPdf(k, actorOf(request), (request.params as Id).id);
    return reply.type('application/pdf').header('content-disposition', `inline; filename="${out.name}"`).send(out.pdf);
  });

  app.post('/api/telemedicine/prescriptions/:id/dispense', {
    schema: { tags, summary: 'Record what the spoke handed over; its stock goes down, and more than is in stock is refused', params: IdParams, body: DispenseBody, response: errors },
  }, async (request) => k.transaction().execute((trx) => rx.dispense(trx, actorOf(request), (request.params as Id).id, request.body as DispenseInput)));

  app.get('/api/telemedicine/stock', {
    schema: { tags, summary: 'A facility\'s stock of formulary medicines (all=true: every medicine, 0 where none)', querystring: StockQuery, response: errors },
  }, async (request) => rx.listStock(k, actorOf(request), request.query as { facilityId?: string; all?: boolean }));

  app.put('/api/telemedicine/stock', {
    schema: { tags, summary: 'Set what is on the shelf now for some medicines (staff who dispense there)', body: StockBody, response: errors },
  }, async (request) => k.transaction().execute((trx) => rx.setStock(trx, actorOf(request), request.body as StockInput)));

  app.get('/api/telemedicine/requests/:id/fhir', {
    schema: { tags, summary: 'The consultation as an ABDM FHIR document Bundle: OPConsultRecord or PrescriptionRecord', params: IdParams, querystring: FhirQuery, response: errors },
  }, async (request, reply) => {
    const bundle = await exportRecord(k, actorOf(request), (request.params as Id).id, ((request.query as { type?: string }).type ?? 'OPConsultRecord') as RecordType);
    return reply.type('application/fhir+json; charset=utf-8').send(JSON.stringify(bundle));
  });

  app.get('/api/patients/:id/consultations', {
    schema: { tags: ['patients'], summary: 'A patient\'s teleconsultations: records, prescriptions, referrals (staff who may read the record); audited', params: IdParams, response: errors },
  }, async (request) => patientConsultations(k, actorOf(request), (request.params as Id).id));

  app.post('/api/referrals', {
    schema: { tags, summary: 'Refer a patient to another hospital (doctor or spoke staff); the destination may then read the record', body: ReferralBody, response: created },
  }, async (request, reply) => reply.status(201).send(await k.transaction().execute((trx) => createReferral(trx, actorOf(request), request.body as ReferralInput))));

  app.get('/api/referrals', {
    schema: { tags, summary: 'Incoming referrals (to my facility or area) or outgoing ones (from it, or made by me), emergencies first', querystring: ReferralListQuery, response: errors },
  }, async (request) => listReferrals(k, actorOf(request), request.query as ReferralListInput));

  app.get('/api/referrals/destinations', {
    schema: {
      tags, summary: 'Hospitals in my state to refer to, by name in either script', response: errors,
      querystring: Type.Object({ q: Type.String({ minLength: 1, maxLength: 100 }), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })) }, { additionalProperties: false }),
    },
  }, async (request) => { const q = request.query as { q: string; limit?: number }; return referralDestinations(k, actorOf(request), q.q, q.limit); });

  app.post('/api/referrals/:id/status', {
    schema: { tags, summary: 'Move a referral on: the destination acknowledges, records arrival, then seen; the referrer may cancel before arrival', params: IdParams, body: ReferralStatusBody, response: errors },
  }, async (request) => k.transaction().execute((trx) => moveReferral(trx, actorOf(request), (request.params as Id).id, (request.body as { status: ReferralStatus }).status)));
};
