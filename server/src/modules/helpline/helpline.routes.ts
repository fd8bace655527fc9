import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../app.js';
import { requirePermission } from '../../platform/actor.js';
import { actorOf, ErrorBody, page } from '../../platform/http.js';
import { callersByMobile } from '../patients/patients.callers.js';
import { pregnanciesDueList, logOutbound } from './helpline.outbound.js';
import { DISPOSITIONS, PROTOCOLS } from './helpline.protocols.js';
import {
  CallBody, CallDetail, CallersQuery, Callers, CallListItem, CallListQueryT, Claimed, CloseBody, CreatedCall, DueList, DueQuery, Id,
  OutboundBody, OutboundCreated, PlaceBody, Protocols, TransferItem, TransferQuery, Transfers,
} from './helpline.schema.js';
import { addPlace, callerNumber, getCall, listCalls, logCall } from './helpline.service.js';
import { claimTransfer, closeTransfer, listTransfers } from './helpline.transfers.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['helpline'];
const ById = Type.Object({ id: Id });

/** The 104 health helpline (issue 13, part 1): calls, the symptom protocols, transfers to a doctor or counsellor, outbound calls from lists. */
export const helplineRoutes = ({ db }: AppDeps): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const k = db.kysely;

  app.get('/api/helpline/protocols', {
    schema: { tags, summary: 'The symptom protocols: each complaint\'s red-flag questions (English and Hindi) and the disposition a "yes" leads to', response: { 200: Protocols, ...errors } },
  }, async (request) => {
    const actor = actorOf(request);
    if (!actor.permissions.has('can_take_helpline_transfers')) requirePermission(actor, 'can_log_helpline_calls');
    return { dispositions: [...DISPOSITIONS], items: PROTOCOLS.map((p) => ({ ...p, flags: p.flags.map((f) => ({ ...f })) })) };
  });

  app.get('/api/helpline/callers', {
    schema: { tags, summary: 'Patients registered with the mobile called from, in the agent\'s state (name, sex, age, village); each shown is an audited read', querystring: CallersQuery, response: { 200: Callers, ...errors } },
  }, async (request) => {
    const actor = actorOf(request);
    requirePermission(actor, 'can_log_helpline_calls');
    const phone = callerNumber(request.query.mobile);
    return { mobile: phone.number, items: phone.mobile ? await callersByMobile(k, actor, phone.mobile) : [] };
  });

  app.post('/api/helpline/calls', {
    schema: { tags, summary: 'Log a call (helpline agent): caller, language, category; for medical advice the protocol\'s red flags (the disposition is worked out from them), advice, outcome; a transfer waits in a queue; an ambulance call goes to dispatch or waits for a place', body: CallBody, response: { 201: CreatedCall, ...errors } },
  }, async (request, reply) => reply.status(201).send(await logCall(k, actorOf(request), request.body)));

  app.get('/api/helpline/calls', {
    schema: { tags, summary: 'Calls of the agent\'s state (or their own: mine=true; ambulance calls waiting for a place: waiting=true), newest first; callers\' numbers masked', querystring: CallListQueryT, response: { 200: page(CallListItem), ...errors } },
  }, async (request) => listCalls(k, actorOf(request), request.query));

  app.get('/api/helpline/calls/:id', {
    schema: { tags, summary: 'One call with the caller\'s number and the answers (an audited read)', params: ById, response: { 200: CallDetail, ...errors } },
  }, async (request) => getCall(k, actorOf(request), request.params.id));

  app.post('/api/helpline/calls/:id/place', {
    schema: { tags, summary: 'Add the place to an ambulance call waiting for one (coordinates, or a village with an outline) and pass it to dispatch; 409 when it was already passed', params: ById, body: PlaceBody, response: { 200: Type.Object({ id: Type.String(), ambulance: Type.Object({ status: Type.String(), dispatchCallId: Type.Union([Type.String(), Type.Null()]), problem: Type.Union([Type.String(), Type.Null()]) }) }), ...errors } },
  }, async (request) => addPlace(k, actorOf(request), request.params.id, request.body));

  app.get('/api/helpline/transfers', {
    schema: { tags, summary: 'Transferred calls waiting in the caller\'s queues (doctors: the doctors\' queue; helpline agents: the counsellors\'), emergencies first; status=mine: those the caller picked up', querystring: TransferQuery, response: { 200: Transfers, ...errors } },
  }, async (request) => listTransfers(k, actorOf(request), request.query));

  app.post('/api/helpline/transfers/:id/claim', {
    schema: { tags, summary: 'Pick up a waiting call; 409 when someone picked it up first', params: ById, response: { 200: Claimed, ...errors } },
  }, async (request) => claimTransfer(k, actorOf(request), request.params.id));

  app.post('/api/helpline/transfers/:id/close', {
    schema: { tags, summary: 'Close a call one picked up, saying what was done', params: ById, body: CloseBody, response: { 200: TransferItem, ...errors } },
  }, async (request) => closeTransfer(k, actorOf(request), request.params.id, request.body.note));

  app.get('/api/helpline/outbound/pregnancies-due', {
    schema: { tags, summary: 'Open pregnancies of the agent\'s state due within `days` days (high-risk only unless risk=all), with the mobile to ring and the latest call\'s result; each woman listed is an audited read', querystring: DueQuery, response: { 200: DueList, ...errors } },
  }, async (request) => pregnanciesDueList(k, actorOf(request), request.query));

  app.post('/api/helpline/outbound', {
    schema: { tags, summary: 'Record an outbound call\'s result (reached, not reached, switched off, wrong number, call back, refused)', body: OutboundBody, response: { 201: OutboundCreated, ...errors } },
  }, async (request, reply) => reply.status(201).send(await logOutbound(k, actorOf(request), request.body)));
};
