import { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../app.js';
import { BODY_LIMITS, megabytes, readText, refuseDeclaredOver } from '../../platform/body-limits.js';
import { badRequest } from '../../platform/errors.js';
import { actorOf, ErrorBody } from '../../platform/http.js';
import type { DataValueImportOptions } from './hmis.datavalues.import.js';
import { importAdxStream } from './hmis.datavalues.adx.js';
import { fromJson } from './hmis.datavalues.parse.js';
import { BATCH_ROWS, importCsvStream, importSetsInBatches } from './hmis.datavalues.stream.js';
import { answerDataValueSet, exportFormat, ExportQuery, type ExportFormat } from './dhis2/dhis2.datavalues.export.js';
import { readIdSchemes } from './dhis2/dhis2.datavalues.schemes.js';
import { importXmlStream } from './dhis2/dhis2.datavalues.xml.js';

const CSV_TYPES = ['application/csv', 'text/csv'];
const XML_TYPES = ['application/adx+xml', 'application/xml', 'text/xml'];

// UID, CODE or NAME in any case (ATTRIBUTE:… is refused by name: see readIdSchemes).
const Scheme = Type.String({ minLength: 1, maxLength: 80 });
const ImportQuery = Type.Object({
  dryRun: Type.Optional(Type.Boolean()),
  importStrategy: Type.Optional(Type.String({ enum: ['CREATE_AND_UPDATE', 'CREATE', 'UPDATE', 'DELETE'] })),
  idScheme: Type.Optional(Scheme), dataElementIdScheme: Type.Optional(Scheme), orgUnitIdScheme: Type.Optional(Scheme),
  categoryOptionComboIdScheme: Type.Optional(Scheme), dataSetIdScheme: Type.Optional(Scheme), categoryIdScheme: Type.Optional(Scheme), categoryOptionIdScheme: Type.Optional(Scheme),
}, { additionalProperties: false });

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
    const { categoryIdScheme: _c, categoryOptionIdScheme: _o, ...query } = request.query as DataValueImportOptions & Record<string, unknown>;
    const opts = { ...query, ...readIdSchemes(request.query as Record<string, unknown>) } as DataValueImportOptions;
    const body = request.body as Readable | undefined;
    const type = mediaType(request);
    // PGlite has one connection: smaller batches let other requests in sooner.
    const batchRows = db.engine === 'pglite' ? 1000 : BATCH_ROWS;
    if (CSV_TYPES.includes(type)) {
      refuseDeclaredOver(request, BODY_LIMITS.dataValueSetStream, 'The CSV file');
      return importCsvStream(db.kysely, actor, body ?? Readable.from([]), opts, { batchRows });
    }
    if (type === 'application/adx+xml') {
      refuseDeclaredOver(request, BODY_LIMITS.dataValueSetStream, 'The ADX document');
      return importAdxStream(db.kysely, actor, body ?? Readable.from([]), opts, { batchRows });
    }
    if (XML_TYPES.includes(type)) {
      // application/xml is ADX or DHIS2's DXF2 data value set, as its root element says.
      refuseDeclaredOver(request, BODY_LIMITS.dataValueSetStream, 'The XML document');
      return importXmlStream(db.kysely, actor, body ?? Readable.from([]), opts, { batchRows });
    }
    refuseDeclaredOver(request, BODY_LIMITS.dataValueSetJson, 'The JSON data value set');
    const text = body ? await readText(body, BODY_LIMITS.dataValueSetJson, 'The JSON data value set') : '';
    return importSetsInBatches(db.kysely, actor, fromJson(parseJsonText(text)), opts, batchRows);
  });

  app.get('/api/dataValueSets', {
    schema: { tags: ['hmis'], summary: 'Export data values as DHIS2 JSON, CSV, ADX or DXF2 XML (format= or Accept); dataElementIdScheme, orgUnitIdScheme, categoryOptionComboIdScheme, dataSetIdScheme, idScheme: UID, CODE or NAME', querystring: ExportQuery, response: { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
  }, async (request, reply) => answerDataValueSet(db.kysely, request, reply, exportFormat(request)));

  app.get('/api/dataValueSets.:format', {
    schema: {
      tags: ['hmis'], summary: 'Export data values by path suffix as DHIS2 has it: /api/dataValueSets.json, .csv, .xml (DXF2) or .adx',
      params: Type.Object({ format: Type.String({ enum: ['json', 'csv', 'xml', 'adx'] }) }), querystring: ExportQuery, response: { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request, reply) => answerDataValueSet(db.kysely, request, reply, exportFormat(request, (request.params as { format: ExportFormat }).format)));
};
