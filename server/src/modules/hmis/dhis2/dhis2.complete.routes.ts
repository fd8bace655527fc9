import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../../app.js';
import { actorOf, ErrorBody } from '../../../platform/http.js';
import { readIdSchemes } from './dhis2.datavalues.schemes.js';
import { deleteRegistrations, importRegistrations, listRegistrations } from './dhis2.complete.js';

const list = Type.Union([Type.String({ maxLength: 2000 }), Type.Array(Type.String({ maxLength: 200 }), { maxItems: 1000 })]);
const Scheme = Type.String({ minLength: 1, maxLength: 80 });
const schemes = { idScheme: Type.Optional(Scheme), dataSetIdScheme: Type.Optional(Scheme), orgUnitIdScheme: Type.Optional(Scheme), categoryOptionComboIdScheme: Type.Optional(Scheme) };
const ListQuery = Type.Object({
  dataSet: Type.Optional(list), period: Type.Optional(list), orgUnit: Type.Optional(list), children: Type.Optional(Type.Boolean()),
  startDate: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })), endDate: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })), ...schemes,
}, { additionalProperties: false });
const ImportQuery = Type.Object({ dryRun: Type.Optional(Type.Boolean()), ...schemes }, { additionalProperties: false });
const DeleteQuery = Type.Object({ ds: list, pe: Type.String({ minLength: 4, maxLength: 30 }), ou: Type.String({ minLength: 1, maxLength: 60 }), multiOu: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
const Registration = Type.Object({
  dataSet: Type.Optional(Type.String({ maxLength: 230 })), period: Type.Optional(Type.String({ maxLength: 30 })), organisationUnit: Type.Optional(Type.String({ maxLength: 230 })),
  attributeOptionCombo: Type.Optional(Type.String({ maxLength: 230 })), date: Type.Optional(Type.String({ maxLength: 40 })), storedBy: Type.Optional(Type.String({ maxLength: 255 })),
  completed: Type.Optional(Type.Boolean()),
});
const Body = Type.Object({ completeDataSetRegistrations: Type.Array(Type.Any(), { maxItems: 10_000 }) });
const ListAnswer = Type.Object({ completeDataSetRegistrations: Type.Array(Registration) });

const asList = (v: string | string[] | undefined) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap((x) => x.split(/[;,]/)).filter(Boolean));

/** DHIS2's /api/completeDataSetRegistrations: list, import (each through the returns service's completion) and delete. */
export const dhis2CompleteRoutes = ({ db }: AppDeps): FastifyPluginAsync => async (app) => {
  const k = db.kysely;
  app.get('/api/completeDataSetRegistrations', {
    schema: { tags: ['hmis'], summary: "Completed returns in DHIS2's shape: dataSet, period (or startDate and endDate), orgUnit, children", querystring: ListQuery, response: { 200: ListAnswer, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
  }, async (request) => {
    const q = request.query as Record<string, any>;
    return listRegistrations(k, actorOf(request), { dataSet: asList(q.dataSet), period: asList(q.period), orgUnit: asList(q.orgUnit), startDate: q.startDate, endDate: q.endDate, children: q.children, ...readIdSchemes(q) });
  });

  app.post('/api/completeDataSetRegistrations', {
    schema: {
      tags: ['hmis'], summary: "Complete returns as DHIS2 sends them ({completeDataSetRegistrations: [...]}); each is completed (completed: false un-completes) by the returns' rules; DHIS2's import summary with a conflict per refused registration",
      querystring: ImportQuery, body: Body, response: { 400: ErrorBody, 403: ErrorBody, 413: ErrorBody },
    },
  }, async (request) => importRegistrations(k, actorOf(request), request.body, { ...(request.query as { dryRun?: boolean }), ...readIdSchemes(request.query as Record<string, unknown>) }));

  app.delete('/api/completeDataSetRegistrations', {
    schema: { tags: ['hmis'], summary: 'Un-complete returns as DHIS2 does: ds (one or more), pe, ou, multiOu for the units below', querystring: DeleteQuery, response: { 204: Type.Null(), 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody } },
  }, async (request, reply) => {
    const q = request.query as { ds: string | string[]; pe: string; ou: string; multiOu?: boolean };
    await deleteRegistrations(k, actorOf(request), { ds: asList(q.ds), pe: q.pe, ou: q.ou, multiOu: q.multiOu });
    return reply.status(204).send();
  });
};
