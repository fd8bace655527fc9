import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../app.js';
import { actorOf, ErrorBody, page } from '../../platform/http.js';
import { defaultEstimator, type RouteEstimator } from './dispatch.estimate.js';
import { AssignBody, Assigned, CallBody, CallDetail, CallListItem, CallListQueryT, Cancelled, CreatedCall, Declined, Id, Incoming, ReasonBody, StepBody, Trip } from './dispatch.schema.js';
import { cancelCall, createCall, getCall, listCalls } from './dispatch.service.js';
import { onAmbulanceEvents } from '../ambulances/ambulances.events.js';
import { acknowledgeTrip, arriveAtHospital, assignCall, declineTrip, incoming, stepTrip, sweepSilentVehicles } from './dispatch.trips.js';

const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['dispatch'];
const ById = Type.Object({ id: Id });

/** How often the upkeep looks for silent vehicles (at most every 15 s; sooner for a short acceptance time). */
const sweepEveryMs = (acceptSeconds: number) => Math.max(1_000, Math.min(15_000, (acceptSeconds * 1000) / 4));

/** The 108/102 control room: calls, the vehicle sent, each step of its trip, the receiving hospital (issue 12). */
export const dispatchRoutes = ({ db, config }: AppDeps, opts: { estimator?: RouteEstimator } = {}): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const estimator = opts.estimator ?? defaultEstimator;
  const acceptSeconds = config.dispatchAcceptSeconds ?? 120;

  // A vehicle silent for acceptSeconds after it was assigned is replaced by the next (dispatch.trips.ts).
  let sweeping = false;
  const sweep = async () => {
    if (sweeping) return;
    sweeping = true;
    try {
      const r = await sweepSilentVehicles(db.kysely, { acceptSeconds, estimator });
      if (r.timedOut.length) app.log.info({ timedOut: r.timedOut.map((x) => x.tripId) }, 'dispatch: silent vehicles replaced');
    } catch (e) {
      app.log.warn({ err: (e as Error).message }, 'dispatch: the silent-vehicle sweep failed');
    } finally {
      sweeping = false;
    }
  };
  // On the shared scheduler (platform/jobs): once per period across all instances.
  plain.jobs.every('dispatch.silent-vehicles', Math.round(sweepEveryMs(acceptSeconds) / 1000), sweep);

  // A vehicle entering its trip's destination facility (the geofence events) has arrived at hospital.
  const stopListening = onAmbulanceEvents(async (evDb, events) => {
    if (evDb !== db.kysely) return;
    for (const e of events) {
      if (e.kind === 'geofence_enter' && e.facilityId) await arriveAtHospital(evDb, e.ambulanceId, e.facilityId, new Date(e.at));
    }
  });
  app.addHook('onClose', async () => { stopListening(); });

  app.post('/api/dispatch/calls', {
    schema: { tags, summary: 'Take a call (dispatcher): the place (village, or the point on the map) must lie in the caller\'s area; for 102 a known pregnancy registration number links the woman', body: CallBody, response: { 201: CreatedCall, ...errors } },
  }, async (request, reply) => reply.status(201).send(await createCall(db.kysely, actorOf(request), request.body)));

  app.get('/api/dispatch/calls', {
    schema: { tags, summary: 'Calls in the caller\'s area, open ones first, newest first, each with its latest trip; the caller\'s number masked', querystring: CallListQueryT, response: { 200: page(CallListItem), ...errors } },
  }, async (request) => listCalls(db.kysely, actorOf(request), request.query));

  app.get('/api/dispatch/calls/:id', {
    schema: { tags, summary: 'One call with the caller\'s number (an audited read), its trips and every step with its time and who', params: ById, response: { 200: CallDetail, ...errors } },
  }, async (request) => getCall(db.kysely, actorOf(request), request.params.id));

  app.post('/api/dispatch/calls/:id/assign', {
    // `{}` or no body at all: the nearest available vehicle.
    preValidation: async (request) => { if (request.body == null) request.body = {}; },
    schema: { tags, summary: 'Send a vehicle: the one named if available, else the nearest available of the call\'s service and kind; 409 when none is free or it was just taken', params: ById, body: AssignBody, response: { 200: Assigned, ...errors } },
  }, async (request) => assignCall(db.kysely, actorOf(request), request.params.id, request.body, estimator));

  app.post('/api/dispatch/calls/:id/cancel', {
    schema: { tags, summary: 'Cancel an open call; a vehicle on it is free again', params: ById, body: ReasonBody, response: { 200: Cancelled, ...errors } },
  }, async (request) => cancelCall(db.kysely, actorOf(request), request.params.id, request.body.reason));

  app.post('/api/dispatch/trips/:id/steps', {
    schema: { tags, summary: 'The next step of a trip, in order (dispatcher, or the operator of the vehicle\'s base); left_scene names the destination facility, or a note says nobody was carried', params: ById, body: StepBody, response: { 200: Trip, ...errors } },
  }, async (request) => stepTrip(db.kysely, actorOf(request), request.params.id, request.body));

  app.post('/api/dispatch/trips/:id/decline', {
    schema: { tags, summary: 'The vehicle cannot go: it is free again and the call goes to the next nearest available vehicle (or waits)', params: ById, body: ReasonBody, response: { 200: Declined, ...errors } },
  }, async (request) => declineTrip(db.kysely, actorOf(request), request.params.id, request.body.reason, estimator));

  app.get('/api/dispatch/incoming', {
    schema: { tags, summary: 'Ambulances heading to (left the scene) or at the caller\'s facility', response: { 200: Incoming, ...errors } },
  }, async (request) => incoming(db.kysely, actorOf(request), estimator));

  app.post('/api/dispatch/trips/:id/acknowledge', {
    schema: { tags, summary: 'The receiving facility has seen the ambulance coming: stamped once with who', params: ById, response: { 200: Trip, ...errors } },
  }, async (request) => acknowledgeTrip(db.kysely, actorOf(request), request.params.id));
};
