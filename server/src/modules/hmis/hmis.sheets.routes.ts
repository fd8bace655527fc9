import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../app.js';
import { actorOf, ErrorBody } from '../../platform/http.js';
import { AppError } from '../../platform/errors.js';
import { importInTransaction } from './hmis.datavalues.run.js';
import { csvTemplate, MAX_SHEET_BYTES, readSheet, xlsxTemplate } from './hmis.sheets.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TemplateQuery = Type.Object({
  orgUnit: Type.String({ minLength: 1, maxLength: 60 }), period: Type.String({ minLength: 4, maxLength: 30 }),
  format: Type.Optional(Type.String({ enum: ['xlsx', 'csv'] })),
}, { additionalProperties: false });

export const hmisSheetRoutes = ({ db }: AppDeps): FastifyPluginAsync => async (app) => {
  for (const type of [XLSX, 'application/octet-stream', 'text/csv', 'application/csv']) {
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: MAX_SHEET_BYTES }, (_req, body, done) => done(null, body));
  }

  app.get('/api/hmis/dataSets/:id/template', {
    schema: { tags: ['hmis'], summary: 'The offline sheet for a facility and period: Excel (default) or CSV, with current values filled in', params: Type.Object({ id: Type.String({ maxLength: 60 }) }), querystring: TemplateQuery, response: { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
  }, async (request, reply) => {
    const q = { ...(request.query as { orgUnit: string; period: string; format?: string }), dataSet: (request.params as { id: string }).id };
    const name = `${q.dataSet}-${q.period}-${q.orgUnit}`.replace(/[^A-Za-z0-9_-]/g, '_');
    if (q.format === 'csv') {
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(await csvTemplate(db.kysely, actorOf(request), q));
    }
    return reply.type(XLSX).header('content-disposition', `attachment; filename="${name}.xlsx"`).send(await xlsxTemplate(db.kysely, actorOf(request), q));
  });

  app.post('/api/hmis/sheets', {
    bodyLimit: MAX_SHEET_BYTES,
    schema: { tags: ['hmis'], summary: 'Upload a filled offline sheet (.xlsx or .csv, up to 10 MB); returns the DHIS2 import summary', querystring: Type.Object({ dryRun: Type.Optional(Type.Boolean()) }, { additionalProperties: false }), response: { 400: ErrorBody, 403: ErrorBody, 413: ErrorBody, 415: ErrorBody } },
  }, async (request) => {
    const actor = actorOf(request);
    if (!Buffer.isBuffer(request.body)) {
      // A JSON body reaches here parsed; the sheet is a file.
      throw new AppError('unsupported_media_type', { en: `Send the filled sheet as the file itself: Content-Type ${XLSX} (.xlsx) or text/csv`, hi: 'भरी हुई शीट फ़ाइल के रूप में भेजें: .xlsx या CSV' });
    }
    const sets = await readSheet(request.body);
    return importInTransaction(db.kysely, actor, sets, { dryRun: !!(request.query as { dryRun?: boolean }).dryRun });
  });
};
