import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../app.js';
import { actorOf, ErrorBody } from '../../platform/http.js';
import { requirePermission } from '../../platform/actor.js';
import { BoundaryQuery, CodeParam, NewPlaceBody, OrgUnit, Place, PlaceChangeBody, PlacePage, PlacesQuery } from './geo.schema.js';
import { addPlace, changePlace, listPlaces, type NewPlace, type PlaceChange } from './geo.units.js';
import * as geo from './geo.service.js';
import { IMPORT_LEVELS, importOutlines, importUnits, MAX_GEO_IMPORT_BYTES, type ImportLevel } from './geo.import.api.js';
import { OUTLINE_LEVELS, type OutlineLevel } from './geo.boundaries.js';

export const geoRoutes = ({ db, config }: AppDeps): FastifyPluginAsync => async (app) => {
  app.get('/api/geo/units/:code', {
    schema: { tags: ['geo'], summary: 'One geographic unit by LGD code or id', params: CodeParam, response: { 200: OrgUnit, 404: ErrorBody } },
  }, async (request) => geo.getUnit(db.kysely, actorOf(request), (request.params as { code: string }).code));

  app.get('/api/geo/units/:code/children', {
    schema: { tags: ['geo'], summary: 'The units directly under a unit', params: CodeParam, response: { 200: Type.Object({ items: Type.Array(OrgUnit) }) } },
  }, async (request) => ({ items: await geo.getChildren(db.kysely, actorOf(request), (request.params as { code: string }).code) }));

  app.get('/api/geo/units/:code/places', {
    schema: {
      tags: ['geo'], summary: 'A unit, its ancestors and a page of its places (blocks, panchayats, villages) with counts; with q, the places under it whose English or Hindi name holds q',
      params: CodeParam, querystring: PlacesQuery, response: { 200: PlacePage, 400: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => listPlaces(db.kysely, actorOf(request), (request.params as { code: string }).code, request.query as { q?: string; offset?: number; limit?: number }));

  app.post('/api/geo/units', {
    schema: {
      tags: ['geo'], summary: 'Add one block, panchayat or village under a unit of your area (a repeated name under the parent, or an LGD code in use, is a 409)',
      body: NewPlaceBody, response: { 201: Place, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request, reply) => reply.status(201).send(await addPlace(db.kysely, actorOf(request), request.body as NewPlace)));

  app.patch('/api/geo/units/:code', {
    schema: {
      tags: ['geo'], summary: 'Rename a block, panchayat or village of your area in English or Hindi, or correct its LGD or local code',
      params: CodeParam, body: PlaceChangeBody, response: { 200: Place, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request) => changePlace(db.kysely, actorOf(request), (request.params as { code: string }).code, request.body as PlaceChange));

  for (const type of ['text/csv', 'application/csv', 'text/plain']) {
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: MAX_GEO_IMPORT_BYTES }, (_req, body, done) => done(null, body));
  }
  app.post('/api/geo/units/import', {
    bodyLimit: MAX_GEO_IMPORT_BYTES,
    schema: {
      tags: ['geo'],
      summary: 'Import LGD blocks, villages or gram panchayats (CSV in LGD\'s layout, as `swasthya import lgd`/`import villages`/`import panchayats` read it) under units in your area; all or nothing, every refused row named by its line',
      querystring: Type.Object({ level: Type.String({ enum: [...IMPORT_LEVELS] }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ level: Type.String(), added: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer(), under: Type.Optional(Type.String()), villagesMoved: Type.Optional(Type.Integer()), villagesUnchanged: Type.Optional(Type.Integer()) }), 400: ErrorBody, 403: ErrorBody, 409: ErrorBody, 413: ErrorBody, 415: ErrorBody },
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
    schema: { tags: ['geo'], summary: 'The outlines of one level (default district; block, panchayat, village) stored under a unit, as GeoJSON', querystring: BoundaryQuery },
  }, async (request) => {
    const q = request.query as { orgUnit: string; level?: OutlineLevel };
    return geo.getBoundaries(db.kysely, actorOf(request), q.orgUnit, q.level);
  });

  app.addContentTypeParser('application/geo+json', { parseAs: 'string', bodyLimit: MAX_GEO_IMPORT_BYTES }, (_req, body, done) => done(null, body));
  app.post('/api/geo/boundaries', {
    // The permission before a large body is read; the service checks it again.
    onRequest: async (request) => { requirePermission(actorOf(request), 'can_import_geo'); },
    bodyLimit: MAX_GEO_IMPORT_BYTES,
    schema: {
      tags: ['geo'],
      summary: 'Store outlines (a GeoJSON FeatureCollection of Polygons and MultiPolygons) of districts, blocks, gram panchayats and wards or villages of your area, each placed by its LGD code (dist_lgd, block_lgd, gp_lgd or local_body_code, ward_lgd, village_lgd; a bare lgd_code at `level`, default district), as `swasthya import boundaries` reads them (docs/geo.md). Stores what it can place and lists the rest with the reason; a unit outside your area is not placed',
      querystring: Type.Object({ level: Type.Optional(Type.String({ enum: [...OUTLINE_LEVELS], description: 'the level a bare lgd_code names (default district)' })) }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          read: Type.Integer(), stored: Type.Integer(),
          unplaced: Type.Array(Type.Object({ feature: Type.Integer(), name: Type.String(), reason: Type.String() })),
          points: Type.Object({ before: Type.Integer(), after: Type.Integer() }),
        }),
        400: ErrorBody, 403: ErrorBody, 413: ErrorBody, 415: ErrorBody,
      },
    },
  }, async (request) => importOutlines(db.kysely, actorOf(request), request.body, (request.query as { level?: OutlineLevel }).level));
};
