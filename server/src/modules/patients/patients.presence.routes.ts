import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../app.js';
import { actorOf, ErrorBody } from '../../platform/http.js';
import type { SmsSender } from '../../platform/sms.js';
import { listBreakGlass, reviewBreakGlass, type BreakGlassQuery } from './patients.breakglass.js';
import { METHODS, recordPresence, sendPresenceCode, type PresenceInput } from './patients.presence.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };
const tags = ['patients'];
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 40 }) });

const PresenceBody = Type.Object({
  method: Type.String({ enum: [...METHODS], description: 'otp: the code sent to the patient\'s mobile; card: the health card\'s QR text; break_glass: a reason (audited, the patient is told, the district reviews it)' }),
  challengeId: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'otp: from POST /api/patients/{id}/presence/code' })),
  code: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'otp: the six digits; card: the QR code text (SWASTHYA-CARD:…)' })),
  reason: Type.Optional(Type.String({ maxLength: 500, description: 'break_glass: why, in at least 10 characters' })),
}, { additionalProperties: false });

const BreakGlassQueryS = Type.Object({
  orgUnit: Type.Optional(Type.String({ maxLength: 60, description: 'a part of your area (default: all of it)' })),
  status: Type.Optional(Type.String({ enum: ['open', 'reviewed', 'all'], default: 'open' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
}, { additionalProperties: false });

/** Presence before access: codes to the patient's mobile, grants of presence, and the district's review of break-glass. */
export const presenceRoutes = ({ db, sms }: AppDeps & { sms: SmsSender }): FastifyPluginAsync => async (app) => {
  const k = db.kysely;

  app.post('/api/patients/:id/presence/code', {
    schema: { tags, summary: 'Send a one-time code to the patient\'s own mobile on record (only its last four digits are shown)', params: IdParams, response: { 202: Type.Any(), ...errors } },
  }, async (request, reply) => reply.status(202).send(await sendPresenceCode(k, sms, actorOf(request), (request.params as { id: string }).id)));

  app.post('/api/patients/:id/presence', {
    schema: { tags, summary: 'Show that the patient is present (code, health card or break-glass reason): lets you register them here for 4 hours; audited', params: IdParams, body: PresenceBody, response: { 201: Type.Any(), ...errors } },
  }, async (request, reply) => reply.status(201).send(await recordPresence(k, sms, actorOf(request), (request.params as { id: string }).id, request.body as PresenceInput)));

  app.get('/api/break-glass', {
    schema: { tags, summary: 'Break-glass access to patients of my area, for review (district officer); newest first', querystring: BreakGlassQueryS, response: errors },
  }, async (request) => listBreakGlass(k, actorOf(request), request.query as BreakGlassQuery));

  app.post('/api/break-glass/:id/review', {
    schema: { tags, summary: 'Mark a break-glass access reviewed', params: IdParams, body: Type.Object({ note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }), response: errors },
  }, async (request) => reviewBreakGlass(k, actorOf(request), (request.params as { id: string }).id, (request.body as { note?: string } | undefined)?.note));
};
