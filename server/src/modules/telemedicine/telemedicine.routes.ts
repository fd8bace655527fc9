import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../app.js';
import type { SmsSender } from '../../platform/sms.js';
import { actorOf, ErrorBody } from '../../platform/http.js';
import * as network from './telemedicine.network.js';
import * as queue from './telemedicine.queue.js';
import { auditNamedView, namedFor, requestView, withoutPatient } from './telemedicine.views.js';
import { QueueEvents, streamRequest, streamView } from './telemedicine.events.js';
import { publicTelemedicineRoutes } from './telemedicine.public.routes.js';
import { tellHomePatientCalled } from './telemedicine.notices.js';
import {
  DoctorBody, DutyBody, EquipmentBody, HubSpecialtiesBody, IdParams, LinkBody, LiveQueueQuery, NewRequestBody, QueueBody, RequestsQuery, RosterBody,
  type NewRequestBodyInput,
} from './telemedicine.schema.js';
import { SPECIALTIES, PRIORITY_NAMES } from './telemedicine.specialties.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const created = { 201: Type.Any(), ...errors };
const tags = ['telemedicine'];
type Id = { id: string };

/** Telemedicine: the hub-and-spoke network, duty and rosters, the queue and its live updates. */
export const telemedicineRoutes = (deps: AppDeps & { sms: SmsSender }): FastifyPluginAsync => async (app) => {
  const k = deps.db.kysely;
  const settings = deps.config;
  const events = new QueueEvents(deps.db);
  // Live streams end before the server closes (else a shutdown waits for every waiting room).
  app.addHook('preClose', async () => { events.endStreams(); });
  app.addHook('onClose', async () => { await events.close(); });

  app.get('/api/telemedicine/specialties', { schema: { tags, summary: 'Specialty codes with their names, and queue priorities', response: errors } },
    async () => ({ items: Object.entries(SPECIALTIES).map(([code, n]) => ({ code, name: n.en, nameHi: n.hi })), priorities: PRIORITY_NAMES }));

  // ---- network ----
  app.get('/api/telemedicine/hubs', {
    schema: { tags, summary: 'Hubs I can consult (a spoke\'s linked hubs) or manage (hubs in my area), with doctors online and queues', querystring: Type.Object({ spokeId: Type.Optional(Type.String({ maxLength: 60 })) }, { additionalProperties: false }), response: errors },
  }, async (request) => network.listHubs(k, actorOf(request), request.query as { spokeId?: string }));
  app.get('/api/telemedicine/hubs/events', {
    schema: { tags, summary: 'The hubs list as server-sent events (Accept: text/event-stream; otherwise once, as JSON): doctors online and people waiting, sent again whenever one of its queues changes', querystring: Type.Object({ spokeId: Type.Optional(Type.String({ maxLength: 60 })) }, { additionalProperties: false }), response: errors },
  }, async (request, reply) => {
    const actor = actorOf(request);
    const q = request.query as { spokeId?: string };
    // Names and counts only (no patient): nothing to audit. A client that does not ask for a stream gets the list once.
    if (!String(request.headers.accept ?? '').includes('text/event-stream')) return network.listHubs(k, actor, q);
    await streamView(request, reply, events, () => network.listHubs(k, actor, q), (v) => v.items.flatMap((h) => h.specialties.map((s) => `${h.id}|${s.code}`)));
  });
  app.get('/api/telemedicine/hubs/:id', { schema: { tags, summary: 'A hub: specialties, spokes, doctors and their duty, equipment', params: IdParams, response: errors } },
    async (request) => network.hubDetail(k, actorOf(request), (request.params as Id).id));
  app.put('/api/telemedicine/hubs/:id/specialties', { schema: { tags, summary: 'Set the specialties a hub offers; homeOpd opens one to citizens at home', params: IdParams, body: HubSpecialtiesBody, response: errors } },
    async (request) => network.setHubSpecialties(k, actorOf(request), (request.params as Id).id, (request.body as { items: { specialty: string; homeOpd?: boolean }[] }).items));
  app.post('/api/telemedicine/links', { schema: { tags, summary: 'Link a spoke to a hub', body: LinkBody, response: created } },
    async (request, reply) => { const b = request.body as { spokeId: string; hubId: string }; return reply.status(201).send(await network.linkSpoke(k, actorOf(request), b.spokeId, b.hubId)); });
  app.delete('/api/telemedicine/links', { schema: { tags, summary: 'Unlink a spoke from a hub', querystring: LinkBody, response: errors } },
    async (request) => { const b = request.query as { spokeId: string; hubId: string }; return network.linkSpoke(k, actorOf(request), b.spokeId, b.hubId, false); });
  app.post('/api/telemedicine/doctors', { schema: { tags, summary: 'Add or update a doctor\'s telemedicine profile (HPR id, registration, specialties)', body: DoctorBody, response: created } },
    async (request, reply) => reply.status(201).send(await network.upsertDoctor(k, actorOf(request), request.body as network.DoctorInput)));
  app.put('/api/telemedicine/equipment/:id', { schema: { tags, summary: 'A centre\'s equipment: installed, on order, working', params: IdParams, body: EquipmentBody, response: errors } },
    async (request) => network.setEquipment(k, actorOf(request), (request.params as Id).id, (request.body as { items: { kind: string; installed: number }[] }).items));
  app.get('/api/telemedicine/readiness', {
    schema: { tags, summary: 'Centres, equipment and readiness in an area', querystring: Type.Object({ area: Type.Optional(Type.String({ maxLength: 60 })) }, { additionalProperties: false }), response: errors },
  }, async (request) => network.readiness(k, actorOf(request), (request.query as { area?: string }).area));

  // ---- rosters and duty ----
  app.get('/api/telemedicine/rosters', { schema: { tags, summary: 'A hub\'s weekly roster, with who is on shift now but not online', querystring: Type.Object({ hubId: Type.String({ maxLength: 60 }) }, { additionalProperties: false }), response: errors } },
    async (request) => network.roster(k, actorOf(request), (request.query as { hubId: string }).hubId));
  app.post('/api/telemedicine/rosters', { schema: { tags, summary: 'Roster a doctor for a specialty on a weekday', body: RosterBody, response: created } },
    async (request, reply) => reply.status(201).send(await network.addRoster(k, actorOf(request), request.body as Parameters<typeof network.addRoster>[2])));
  app.delete('/api/telemedicine/rosters/:id', { schema: { tags, summary: 'Remove a roster entry', params: IdParams, response: errors } },
    async (request) => network.removeRoster(k, actorOf(request), (request.params as Id).id));
  app.post('/api/telemedicine/duty', { schema: { tags, summary: 'A doctor goes online for a hub specialty, takes a break or goes offline', body: DutyBody, response: errors } },
    async (request) => network.setDuty(k, actorOf(request), request.body as Parameters<typeof network.setDuty>[2]));

  // ---- the queue ----
  app.post('/api/telemedicine/requests', { schema: { tags, summary: 'Ask a hub specialty for a consultation (CHO at a spoke): the request joins its queue', body: NewRequestBody, response: created } },
    async (request, reply) => {
      const body = request.body as NewRequestBodyInput;
      return reply.status(201).send(await queue.createRequest(k, actorOf(request), { ...body, priority: body.priority as queue.NewRequestInput['priority'] }, settings));
    });
  app.get('/api/telemedicine/requests', { schema: { tags, summary: 'A spoke\'s requests of a day, or (mine=true) a doctor\'s current patients', querystring: RequestsQuery, response: errors } },
    async (request) => queue.listRequests(k, actorOf(request), request.query as Parameters<typeof queue.listRequests>[2]));
  app.get('/api/telemedicine/requests/:id', { schema: { tags, summary: 'A request: status, position and estimated wait', params: IdParams, response: errors } },
    async (request) => queue.getRequest(k, actorOf(request), (request.params as Id).id));
  app.get('/api/telemedicine/requests/:id/events', { schema: { tags, summary: 'Server-sent events: the request\'s status, position and wait as they change', params: IdParams, response: errors } },
    async (request, reply) => {
      const { id } = request.params as Id;
      const actor = actorOf(request);
      await queue.readableRequest(k, actor, id);
      // Who sees the patient by name is settled (and audited) once, when the stream opens.
      const named = (await namedFor(k, actor, [await requestView(k, id)])).size > 0;
      if (named) await auditNamedView(k, actor, [id]);
      await streamRequest(request, reply, events, async () => { const v = await requestView(k, id); return named ? v : withoutPatient(v); });
    });
  app.post('/api/telemedicine/next', {
    schema: { tags, summary: 'The doctor takes the next patient of the queue: 200 with the request, 204 when nobody waits', body: QueueBody, response: { 200: Type.Any(), 204: Type.Null(), ...errors } },
  }, async (request, reply) => {
    const claimed = await queue.claimNext(k, actorOf(request), request.body as { hubId: string; specialty: string });
    if (!claimed) return reply.status(204).send();
    // The citizen at home hears of it by SMS too (kept and retried by the outbox; the claim stands if that fails).
    if (claimed.channel === 'home') await tellHomePatientCalled(k, app.outbox, claimed.id).catch((e: Error) => request.log.warn({ err: e.message }, 'telemedicine: the called notice was not queued'));
    return claimed;
  });
  app.post('/api/telemedicine/requests/:id/start', { schema: { tags, summary: 'Start the call: the video room link', params: IdParams, response: errors } },
    async (request) => queue.startConsultation(k, actorOf(request), (request.params as Id).id, settings));
  app.post('/api/telemedicine/requests/:id/no-answer', { schema: { tags, summary: 'The patient did not answer: re-queued once, then no-show', params: IdParams, response: errors } },
    async (request) => queue.noAnswer(k, actorOf(request), (request.params as Id).id));
  app.post('/api/telemedicine/requests/:id/complete', { schema: { tags, summary: 'End the consultation', params: IdParams, response: errors } },
    async (request) => queue.completeConsultation(k, actorOf(request), (request.params as Id).id));
  app.post('/api/telemedicine/requests/:id/cancel', { schema: { tags, summary: 'Withdraw a request not yet started (the requesting centre)', params: IdParams, response: errors } },
    async (request) => queue.cancelRequest(k, actorOf(request), (request.params as Id).id));
  app.get('/api/telemedicine/queue', { schema: { tags, summary: 'The live queue of a hub and the doctors on duty (hub manager)', querystring: LiveQueueQuery, response: errors } },
    async (request) => queue.liveQueue(k, actorOf(request), request.query as { hubId: string; specialty?: string }));

  await publicTelemedicineRoutes(app, deps, events);
};
