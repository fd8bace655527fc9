import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../app.js';
import { actorOf, ErrorBody } from '../../platform/http.js';
import { exportDataValues, toAdxXml, toCsv } from './hmis.datavalues.export.js';
import type { DataValueImportOptions } from './hmis.datavalues.import.js';
import { importInTransaction } from './hmis.datavalues.run.js';
import { fromAdx, fromCsv, fromJson, type RawSet } from './hmis.datavalues.parse.js';

const Scheme = Type.String({ enum: ['UID', 'CODE', 'uid', 'code'] });
const ImportQuery = Type.Object({
  dryRun: Type.Optional(Type.Boolean()),
  importStrategy: Type.Optional(Type.String({ enum: ['CREATE_AND_UPDATE', 'CREATE', 'UPDATE', 'DELETE'] })),
  idScheme: Type.Optional(Scheme), dataElementIdScheme: Type.Optional(Scheme), orgUnitIdScheme: Type.Optional(Scheme),
  categoryOptionComboIdScheme: Type.Optional(Scheme), dataSetIdScheme: Type.Optional(Scheme),
}, { additionalProperties: false });
const list = Type.Union([Type.String(), Type.Array(Type.String())]);
const ExportQuery = Type.Object({
  dataSet: Type.Optional(list), period: Type.Optional(list), orgUnit: Type.Optional(list), startDate: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
  endDate: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })), children: Type.Optional(Type.Boolean()), idScheme: Type.Optional(Scheme),
  format: Type.Optional(Type.String({ enum: ['json', 'csv', 'adx'] })),
}, { additionalProperties: false });

const asList = (v: string | string[] | undefined) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap((x) => x.split(';')).filter(Boolean));

export const hmisDataValueRoutes = ({ db }: AppDeps): FastifyPluginAsync => async (app) => {
  for (const type of ['application/csv', 'text/csv', 'application/adx+xml', 'application/xml', 'text/xml']) {
    app.addContentTypeParser(type, { parseAs: 'string', bodyLimit: 200 * 1024 * 1024 }, (_req, body, done) => done(null, body));
  }

  app.post('/api/dataValueSets', {
    bodyLimit: 200 * 1024 * 1024,
    schema: { tags: ['hmis'], summary: 'Import data values: DHIS2 JSON, CSV (application/csv) or ADX (application/adx+xml); returns DHIS2\'s import summary', querystring: ImportQuery, response: { 400: ErrorBody, 403: ErrorBody } },
  }, async (request) => {
    const actor = actorOf(request);
    const type = String(request.headers['content-type'] ?? 'application/json').split(';')[0].trim().toLowerCase();
    const sets: RawSet[] = type.includes('csv') ? fromCsv(String(request.body ?? '')) : type.includes('xml') ? fromAdx(String(request.body ?? '')) : fromJson(request.body);
    return importInTransaction(db.kysely, actor, sets, request.query as DataValueImportOptions);
  });

  app.get('/api/dataValueSets', {
    schema: { tags: ['hmis'], summary: 'Export data values as DHIS2 JSON, CSV or ADX (format= or Accept)', querystring: ExportQuery, response: { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
  }, async (request, reply) => {
    const q = request.query as Record<string, any>;
    const accept = String(request.headers.accept ?? '');
    const format = q.format ?? (/csv/.test(accept) ? 'csv' : /xml/.test(accept) ? 'adx' : 'json');
    const out = await exportDataValues(db.kysely, actorOf(request), {
      dataSet: asList(q.dataSet), period: asList(q.period), orgUnit: asList(q.orgUnit), startDate: q.startDate, endDate: q.endDate, children: q.children, idScheme: q.idScheme,
    });
    if (format === 'csv') return reply.type('application/csv; charset=utf-8').send(toCsv(out.values));
    if (format === 'adx') return reply.type('application/adx+xml; charset=utf-8').send(toAdxXml(out.values, out.dataSet ?? ''));
    const completed = out.complete.length === 1 ? out.complete[0].completed_at.toISOString() : undefined;
    return { dataSet: out.dataSet, ...(out.single ?? {}), ...(completed && out.single ? { completeDate: completed } : {}), dataValues: out.values };
  });
};
