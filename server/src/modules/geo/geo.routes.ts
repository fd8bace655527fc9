import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../app.js';
import { actorOf, ErrorBody } from '../../platform/http.js';
import { BoundaryQuery, CodeParam, OrgUnit } from './geo.schema.js';
import * as geo from './geo.service.js';
import { IMPORT_LEVELS, importUnits, MAX_GEO_IMPORT_BYTES, type ImportLevel } from './geo.import.api.js';

export const geoRoutes = ({ db, config }: AppDeps): FastifyPluginAsync => async (app) => {
  app.get('/api/geo/units/:code', {
    schema: { tags: ['geo'], summary: 'One geographic unit by LGD code or id', params: CodeParam, response: { 200: OrgUnit, 404: ErrorBody } },
  }, async (request) => geo.getUnit(db.kysely, actorOf(request), (request.params as { code: string }).code));

  app.get('/api/geo/units/:code/children', {
    schema: { tags: ['geo'], summary: 'The units directly under a unit', params: CodeParam, response: { 200: Type.Object({ items: Type.Array(OrgUnit) }) } },
  }, async (request) => ({ items: await geo.getChildren(db.kysely, actorOf(request), (request.params as { code: string }).code) }));

  for (const type of ['text/csv', 'application/csv', 'text/plain']) {
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: MAX_GEO_IMPORT_BYTES }, (_req, body, done) => done(null, body));
  }
  app.post('/api/geo/units/import', {
    bodyLimit: MAX_GEO_IMPORT_BYTES,
    schema: {
      tags: ['geo'],
      summary: 'Import LGD blocks or villages (CSV in LGD\'s layout, as `swasthya import lgd`/`import villages` read it) under units in your area; all or nothing, every refused row named by its line',
      querystring: Type.Object({ level: Type.String({ enum: [...IMPORT_LEVELS] }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ level: Type.String(), added: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer(), under: Type.Optional(Type.String()) }), 400: ErrorBody, 403: ErrorBody, 413: ErrorBody, 415: ErrorBody },
    },
  }, async (request) => importUnits(db.kysely, actorOf(request), (request.query as { level: ImportLevel }).level, request.body));

  app.get('/api/public/districts', {
    config: { public: true },
    schema: {
      tags: ['geo'], summary: 'Districts (LGD), for forms filled in without signing in', response: { 400: ErrorBody },
      querystring: Type.Object({ state: Type.Optional(Type.Integer({ minimum: 1, maximum: 99, description: 'state LGD code' })) }, { additionalProperties: false }),
    },
  }, async (request) => geo.publicDistricts(db.kysely, (request.query as { state?: number }).state));

  app.get('/api/public/map', {
    config: { public: true },
    schema: {
      tags: ['geo'], summary: 'Map settings: the tile server the state configures (SWASTHYA_TILE_URL), or null for district outlines only',
      response: { 200: Type.Object({ tileUrl: Type.Union([Type.String(), Type.Null()]), attribution: Type.Union([Type.String(), Type.Null()]) }) },
    },
  }, async () => ({ tileUrl: config.tileUrl ?? null, attribution: config.tileAttribution ?? null }));

  app.get('/api/geo/boundaries', {
    schema: { tags: ['geo'], summary: 'District outlines under a unit, as GeoJSON', querystring: BoundaryQuery },
  }, async (request) => geo.getBoundaries(db.kysely, actorOf(request), (request.query as { orgUnit: string }).orgUnit));
};
