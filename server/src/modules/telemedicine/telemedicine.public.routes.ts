// OPD from home: a citizen confirms their mobile with a one-time code, books a specialty OPD, and
// follows their place in the queue on a waiting-room page (no account: the booking returns a key).
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../app.js';
import { badRequest, forbidden } from '../../platform/errors.js';
import { ErrorBody } from '../../platform/http.js';
import type { SmsSender } from '../../platform/sms.js';
import { requireMobile } from '../patients/patients.identity.js';
import { checkOtp, consumeOtp, sendOtp } from '../patients/patients.otp.js';
import type { NewPatientInput } from '../patients/patients.schema.js';
import { loadPatient, registerPatient } from '../patients/patients.service.js';
import { QueueEvents, streamRequest } from './telemedicine.events.js';
import { listHubs, notifyQueue } from './telemedicine.network.js';
import { cancelRequest, checkKey, createRequest, requestForKey } from './telemedicine.queue.js';
import { prescriptionPdfForRequest } from './telemedicine.prescriptions.js';
import { reopenBookings } from './telemedicine.opd.js';
import { FindPlaceBody, HomeBookingBody, IdParams, KeyQuery, type FindPlaceInput, type HomeBookingInput } from './telemedicine.schema.js';

const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };
const tags = ['telemedicine'];
const PURPOSE = 'teleconsultation';

export async function publicTelemedicineRoutes(app: FastifyInstance, deps: AppDeps & { sms: SmsSender }, events: QueueEvents) {
  const k = deps.db.kysely;
  const config = { public: true };

  app.get('/api/public/telemedicine/opds', { config, schema: { tags, summary: 'Specialty OPDs open to patients at home, with doctors online and people waiting', response: errors } },
    async () => listHubs(k, null, { homeOpd: true }));

  app.post('/api/public/telemedicine/otp', {
    config, schema: { tags, summary: 'Send a one-time code to the mobile that books the OPD', body: Type.Object({ mobile: Type.String({ minLength: 10, maxLength: 20 }) }, { additionalProperties: false }), response: { 202: Type.Any(), ...errors } },
  }, async (request, reply) => {
    const mobile = requireMobile((request.body as { mobile: string }).mobile);
    return reply.status(202).send({ ...(await sendOtp(k, deps.sms, mobile, PURPOSE, request.ip)), channel: deps.sms.kind });
  });

  app.post('/api/public/telemedicine/requests', {
    config, schema: { tags, summary: 'Book a specialty OPD from home: a token, the place in the queue, and the key of the waiting room', body: HomeBookingBody, response: { 201: Type.Any(), ...errors } },
  }, async (request, reply) => {
    const b = request.body as HomeBookingInput;
    const mobile = requireMobile(b.mobile);
    if (!b.stateNumber === !b.patient) throw badRequest('Give either stateNumber (already registered) or patient (new)', 'या तो पंजीकरण नंबर दें या नए मरीज़ का विवरण', { field: 'patient' });
    await checkOtp(k, b.challengeId, b.code, mobile, PURPOSE);
    const booked = await k.transaction().execute(async (trx) => {
      await consumeOtp(trx, b.challengeId);
      let patientId: string;
      if (b.stateNumber) {
        const p = await loadPatient(trx, b.stateNumber);
        // The code proves the mobile; it must be the one on the record.
        if (p.mobile !== mobile) throw forbidden('This mobile number is not the one on that patient\'s record', 'यह मोबाइल नंबर उस मरीज़ के रिकॉर्ड वाला नहीं है');
        patientId = p.id;
      } else {
        const p = await registerPatient(trx, null, { ...(b.patient as NewPatientInput), mobile }, 'online', true);
        patientId = p.id;
      }
      let preferredDoctorId: string | undefined;
      if (b.sameDoctor) {
        const last = await trx.selectFrom('tele_requests').select('doctor_id').where('patient_id', '=', patientId).where('hub_id', '=', b.hubId)
          .where('specialty', '=', b.specialty).where('status', '=', 'completed').orderBy('ended_at', 'desc').limit(1).executeTakeFirst();
        if (!last?.doctor_id) throw badRequest('No earlier consultation in this OPD to follow up: book without asking for the same doctor', 'इस ओपीडी में पहले कोई परामर्श नहीं हुआ; वही डॉक्टर माँगे बिना बुक करें', { field: 'sameDoctor' });
        preferredDoctorId = last.doctor_id;
      }
      return createRequest(trx, null, { patientId, hubId: b.hubId, specialty: b.specialty, complaint: b.complaint, preferredDoctorId }, deps.config, { channel: 'home' });
    });
    await notifyQueue(k, booked.hub.id, booked.specialty);
    return reply.status(201).send(booked);
  });

  app.post('/api/public/telemedicine/find', {
    config, schema: { tags, summary: 'Find my place: the open OPD bookings of a mobile, confirmed by a code sent to it, each with a new key to its waiting room', body: FindPlaceBody, response: { 200: Type.Any(), ...errors } },
  }, async (request) => {
    const b = request.body as FindPlaceInput;
    const mobile = requireMobile(b.mobile);
    // Counted as a try whatever happens next (five per code, three codes per number in 15 minutes).
    await checkOtp(k, b.challengeId, b.code, mobile, PURPOSE);
    return k.transaction().execute(async (trx) => {
      await consumeOtp(trx, b.challengeId);
      return reopenBookings(trx, mobile);
    });
  });

  app.get('/api/public/telemedicine/requests/:id', { config, schema: { tags, summary: 'The waiting room: status, position and estimated wait', params: IdParams, querystring: KeyQuery, response: errors } },
    async (request) => requestForKey(k, (request.params as { id: string }).id, (request.query as { key: string }).key));

  app.get('/api/public/telemedicine/requests/:id/events', { config, schema: { tags, summary: 'The waiting room as server-sent events', params: IdParams, querystring: KeyQuery, response: errors } },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const { key } = request.query as { key: string };
      // The first view checks the key: a wrong one is a 404 before the stream starts.
      await streamRequest(request, reply, events, () => requestForKey(k, id, key));
    });

  app.get('/api/public/telemedicine/requests/:id/prescription.pdf', { config, schema: { tags, summary: 'The e-prescription of the consultation, as PDF', params: IdParams, querystring: KeyQuery, response: errors } },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      await checkKey(k, id, (request.query as { key: string }).key);
      const { pdf, name } = await prescriptionPdfForRequest(k, id);
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${name}"`).send(pdf);
    });

  app.post('/api/public/telemedicine/requests/:id/cancel', { config, schema: { tags, summary: 'Leave the queue', params: IdParams, querystring: KeyQuery, response: errors } },
    async (request) => {
      const { id } = request.params as { id: string };
      await checkKey(k, id, (request.query as { key: string }).key);
      return cancelRequest(k, null, id);
    });
}
