import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../app.js';
import { actorOf, ErrorBody } from '../../platform/http.js';
import { centreChecks, familyOf, listPregnancies, type CheckLogInput } from './patients.maternal.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const tags = ['patients'];
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 40 }) });
const date = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });

const CheckLogQuery = Type.Object({
  facilityId: Type.Optional(Type.String({ maxLength: 60, description: 'the centre; default: your own' })),
  from: Type.Optional(date),
  to: Type.Optional(date),
  outcome: Type.Optional(Type.String({ enum: ['accepted', 'refused'] })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
}, { additionalProperties: false });

/** Reads for the maternal and family screens: a woman's pregnancies, a person's family, a centre's log of number checks. */
export const maternalRoutes = ({ db }: AppDeps): FastifyPluginAsync => async (app) => {
  const k = db.kysely;

  app.get('/api/patients/:id/pregnancies', {
    schema: { tags, summary: 'A woman\'s pregnancy registrations (numbers, status, scans against each), newest first; the read is audited', params: IdParams, response: errors },
  }, async (request) => listPregnancies(k, actorOf(request), (request.params as { id: string }).id));

  app.get('/api/patients/:id/family', {
    schema: { tags, summary: 'The family a person belongs to and their relation to its head (null when none); the read is audited', params: IdParams, response: errors },
  }, async (request) => familyOf(k, actorOf(request), (request.params as { id: string }).id));

  app.get('/api/ultrasounds/checks', {
    schema: { tags, summary: 'An ultrasound centre\'s own checks of registration numbers (accepted and refused, with the reason), newest first, with counts; `more` says whether there is a next page', querystring: CheckLogQuery, response: errors },
  }, async (request) => centreChecks(k, actorOf(request), request.query as CheckLogInput));
};
