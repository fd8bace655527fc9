import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../app.js';
import { actorOf, ErrorBody } from '../../platform/http.js';
import { areaViolations, history, outliers, runValidation } from './hmis.quality.js';

const Q = { dataSet: Type.String({ minLength: 1, maxLength: 60 }), period: Type.String({ minLength: 4, maxLength: 30 }), orgUnit: Type.String({ minLength: 1, maxLength: 60 }) };
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody };
type Ref = { dataSet: string; period: string; orgUnit: string };

export const hmisQualityRoutes = ({ db }: AppDeps): FastifyPluginAsync => async (app) => {
  const k = db.kysely;
  app.get('/api/hmis/dataSets/:id/history', {
    schema: { tags: ['hmis'], summary: "A facility's own earlier values (median, spread, range) for outlier warnings while typing", params: Type.Object({ id: Type.String({ maxLength: 60 }) }), querystring: Type.Object({ orgUnit: Q.orgUnit, period: Q.period }, { additionalProperties: false }), response: errors },
  }, async (request) => history(k, actorOf(request), (request.params as { id: string }).id, request.query as { orgUnit: string; period: string }));

  app.get('/api/hmis/outliers', {
    schema: { tags: ['hmis'], summary: "Values far from each facility's own history (modified z-score > 3.5)", querystring: Type.Object(Q, { additionalProperties: false }), response: errors },
  }, async (request) => outliers(k, actorOf(request), request.query as Ref));

  app.post('/api/hmis/validation/run', {
    schema: { tags: ['hmis'], summary: "Run the data set's validation rules on one facility's return", body: Type.Object(Q, { additionalProperties: false }), response: errors },
  }, async (request) => runValidation(k, actorOf(request), request.body as Ref));

  app.get('/api/hmis/validation/violations', {
    schema: { tags: ['hmis'], summary: 'Validation rule violations of every return in an area', querystring: Type.Object(Q, { additionalProperties: false }), response: errors },
  }, async (request) => areaViolations(k, actorOf(request), request.query as Ref));
};
