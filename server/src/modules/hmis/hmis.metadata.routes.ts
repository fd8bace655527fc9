import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../app.js';
import { actorOf, ErrorBody } from '../../platform/http.js';
import { importMetadata, type ImportOptions } from './hmis.metadata.import.js';
import { dataSetForm, listDataSets, listIndicators } from './hmis.metadata.service.js';
import { setCompletionRules } from './hmis.returns.checks.js';

const ImportQuery = Type.Object({
  dryRun: Type.Optional(Type.Boolean()),
  importStrategy: Type.Optional(Type.String({ enum: ['CREATE_AND_UPDATE', 'CREATE', 'UPDATE'] })),
  atomicMode: Type.Optional(Type.String({ enum: ['ALL', 'NONE'] })),
}, { additionalProperties: false });

export const hmisMetadataRoutes = ({ db }: AppDeps): FastifyPluginAsync => async (app) => {
  app.post('/api/metadata', {
    bodyLimit: 20 * 1024 * 1024,
    schema: {
      tags: ['hmis'], summary: 'Import DHIS2 metadata JSON (categories, data elements, data sets, validation rules, indicators, org units)',
      querystring: ImportQuery, body: Type.Object({}, { additionalProperties: true }), response: { 200: Type.Any(), 409: Type.Any(), 400: ErrorBody, 403: ErrorBody },
    },
  }, async (request, reply) => {
    const actor = actorOf(request);
    const report = await db.kysely.transaction().execute((trx) =>
      importMetadata(trx, actor, request.body as Record<string, unknown>, request.query as ImportOptions));
    return reply.status(report.status === 'ERROR' ? 409 : 200).send(report);
  });

  app.get('/api/hmis/dataSets', { schema: { tags: ['hmis'], summary: 'Data sets (forms) with their periods and deadlines' } },
    async (request) => listDataSets(db.kysely, actorOf(request)));

  app.patch('/api/hmis/dataSets/:id', {
    schema: {
      tags: ['hmis'], summary: "A data set's completion rules: validCompleteOnly (DHIS2's: no completion while a validation rule fails) and allowCompleteWithComments (Swasthya's: complete anyway with a comment per failing rule)",
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 60 }) }),
      body: Type.Object({ validCompleteOnly: Type.Optional(Type.Boolean()), allowCompleteWithComments: Type.Optional(Type.Boolean()) }, { additionalProperties: false, minProperties: 1 }),
      response: { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => {
    const actor = actorOf(request);
    return db.kysely.transaction().execute((trx) => setCompletionRules(trx, actor, (request.params as { id: string }).id, request.body as { validCompleteOnly?: boolean }));
  });

  app.get('/api/hmis/indicators', { schema: { tags: ['hmis'], summary: 'Indicators: numerator and denominator formulas, factor, names in Hindi and English' } },
    async (request) => listIndicators(db.kysely, actorOf(request)));

  app.get('/api/hmis/dataSets/:id/form', {
    schema: { tags: ['hmis'], summary: 'A data set as a form: sections, items with codes, option combos, validation rules', params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 60 }) }), response: { 404: ErrorBody } },
  }, async (request) => dataSetForm(db.kysely, actorOf(request), (request.params as { id: string }).id));
};
