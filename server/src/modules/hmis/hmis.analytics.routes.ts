import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../app.js';
import { actorOf, ErrorBody } from '../../platform/http.js';
import { analytics, analyticsCsv, analyticsXlsx, type AnalyticsQuery } from './hmis.analytics.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const Query = Type.Object({
  dx: Type.String({ minLength: 1, maxLength: 4000, description: '; separated data element ids or codes, element.optionCombo operands, indicator ids or codes' }),
  pe: Type.String({ minLength: 1, maxLength: 2000, description: '; separated DHIS2 periods (202411, 2024Q4, 2024April, 2024) or LAST_12_MONTHS, THIS_MONTH, LAST_MONTH, THIS_FINANCIAL_YEAR' }),
  ou: Type.String({ minLength: 1, maxLength: 60, description: 'org unit id, code or LGD code' }),
  level: Type.Optional(Type.String({ enum: ['state', 'district', 'block', 'facility'] })),
  by: Type.Optional(Type.String({ enum: ['ownership', 'type'] })),
  format: Type.Optional(Type.String({ enum: ['json', 'csv', 'xlsx'] })),
}, { additionalProperties: false });
const Item = Type.Object({ name: Type.String(), nameHi: Type.Union([Type.String(), Type.Null()]), code: Type.Optional(Type.String()) });
const Result = Type.Object({
  headers: Type.Array(Type.String()),
  rows: Type.Array(Type.Object({ dx: Type.String(), pe: Type.String(), ou: Type.String(), value: Type.Number(), by: Type.Optional(Type.String()) })),
  metaData: Type.Object({
    items: Type.Record(Type.String(), Item),
    dx: Type.Array(Type.String()), pe: Type.Array(Type.String()), ou: Type.Array(Type.String()), by: Type.Optional(Type.Array(Type.String())),
  }),
  lastDataAt: Type.Union([Type.String(), Type.Null()]),
});

export const hmisAnalyticsRoutes = ({ db }: AppDeps): FastifyPluginAsync => async (app) => {
  app.get('/api/hmis/analytics', {
    schema: {
      tags: ['hmis'],
      summary: 'Analytics: data elements and indicators by period and org unit, summed up the hierarchy and into quarters and years; current as data lands',
      querystring: Query,
      response: { 200: Result, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request, reply) => {
    const q = request.query as AnalyticsQuery & { format?: string };
    const result = await analytics(db.kysely, actorOf(request), q);
    if (q.format === 'csv') return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="analytics.csv"').send(analyticsCsv(result));
    if (q.format === 'xlsx') return reply.type(XLSX).header('content-disposition', 'attachment; filename="analytics.xlsx"').send(await analyticsXlsx(result));
    return result;
  });
};
