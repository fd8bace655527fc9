import { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../app.js';
import { BODY_LIMITS, megabytes, readText, refuseDeclaredOver } from '../../platform/body-limits.js';
import { badRequest } from '../../platform/errors.js';
import { actorOf, ErrorBody } from '../../platform/http.js';
import { todayIst } from '../../platform/periods.js';
import { exportDataValues, toAdxXml, toCsv } from './hmis.datavalues.export.js';
import type { DataValueImportOptions } from './hmis.datavalues.import.js';
import { importAdxStream } from './hmis.datavalues.adx.js';
import { fromJson } from './hmis.datavalues.parse.js';
import { BATCH_ROWS, importCsvStream, importSetsInBatches } from './hmis.datavalues.stream.js';

const CSV_TYPES = ['application/csv', 'text/csv'];
const XML_TYPES = ['application/adx+xml', 'application/xml', 'text/xml'];

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

/** The body's media type without parameters; JSON when none is given. */
const mediaType = (request: FastifyRequest) => String(request.headers['content-type'] ?? 'application/json').split(';')[0].trim().toLowerCase();

function parseJsonText(text: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text, (key, value) => (key === '__proto__' || key === 'constructor' ? undefined : value));
  } catch (e) {
    throw badRequest(`The body is not valid JSON: ${(e as Error).message}`, `बॉडी सही JSON नहीं है: ${(e as Error).message}`);
  }
}

export const hmisDataValueRoutes = ({ db }: AppDeps): FastifyPluginAsync => async (app) => {
  // Bodies reach the handler unread (after the permission hook), each kind with its own limit:
  // CSV and ADX stream into batches; JSON is read whole up to its (smaller) limit, then imported in batches.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(['application/json', ...CSV_TYPES, ...XML_TYPES], (_req, payload, done) => done(null, payload));

  app.post('/api/dataValueSets', {
    schema: {
      tags: ['hmis'],
      summary: `Import data values: DHIS2 JSON (up to ${megabytes(BODY_LIMITS.dataValueSetJson)}), CSV (application/csv) or ADX (application/adx+xml), both streamed, up to ${megabytes(BODY_LIMITS.dataValueSetStream)}; returns DHIS2's import summary`,
      querystring: ImportQuery, response: { 400: ErrorBody, 403: ErrorBody, 413: ErrorBody },
    },
  }, async (request) => {
    const actor = actorOf(request);
    const opts = request.query as DataValueImportOptions;
    const body = request.body as Readable | undefined;
    const type = mediaType(request);
    // PGlite has one connection: smaller batches let other requests in sooner.
    const batchRows = db.engine === 'pglite' ? 1000 : BATCH_ROWS;
    if (CSV_TYPES.includes(type)) {
      refuseDeclaredOver(request, BODY_LIMITS.dataValueSetStream, 'The CSV file');
      return importCsvStream(db.kysely, actor, body ?? Readable.from([]), opts, { batchRows });
    }
    if (XML_TYPES.includes(type)) {
      refuseDeclaredOver(request, BODY_LIMITS.dataValueSetStream, 'The ADX document');
      return importAdxStream(db.kysely, actor, body ?? Readable.from([]), opts, { batchRows });
    }
    refuseDeclaredOver(request, BODY_LIMITS.dataValueSetJson, 'The JSON data value set');
    const text = body ? await readText(body, BODY_LIMITS.dataValueSetJson, 'The JSON data value set') : '';
    return importSetsInBatches(db.kysely, actor, fromJson(parseJsonText(text)), opts, batchRows);
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
    if (format === 'adx') return reply.type('application/adx+xml; charset=utf-8').send(toAdxXml(out.values, out.dataSet ?? '', out.textElements));
    // DHIS2 writes completeDate as the calendar date; the day is India's, so 2019-06-05 stays 2019-06-05.
    const completed = out.complete.length === 1 ? todayIst(out.complete[0].completed_at) : undefined;
    return { dataSet: out.dataSet, ...(out.single ?? {}), ...(completed && out.single ? { completeDate: completed } : {}), dataValues: out.values };
  });
};
