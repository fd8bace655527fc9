import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../../app.js';
import { actorOf, ErrorBody } from '../../../platform/http.js';
import { EXPORT_TYPES } from './dhis2.metadata.export.js';
import { exportMetadata, getObject, listCsv, listObjects } from './dhis2.metadata.service.js';
import { systemInfo } from './dhis2.system.js';

type Query = Record<string, string | string[] | undefined>;

const text = Type.String({ maxLength: 4000 });
const many = Type.Array(text, { maxItems: 50 });
const Common = {
  locale: Type.Optional(Type.String({ maxLength: 20 })),
  fields: Type.Optional(many),
  filter: Type.Optional(many),
  order: Type.Optional(many),
  rootJunction: Type.Optional(Type.String({ enum: ['AND', 'OR', 'and', 'or'] })),
};
/** DHIS2's parameters are open-ended (`dataElements:fields=…`); the ones Swasthya reads are typed. */
const MetadataQuery = Type.Object({
  ...Common,
  defaults: Type.Optional(Type.String({ enum: ['INCLUDE', 'EXCLUDE', 'include', 'exclude'] })),
  download: Type.Optional(Type.Boolean()),
  skipSharing: Type.Optional(Type.Boolean()),
}, { additionalProperties: true });
const ListQuery = Type.Object({
  ...Common,
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 50_000 })),
  paging: Type.Optional(Type.Boolean()),
  separator: Type.Optional(Type.String({ minLength: 1, maxLength: 1, pattern: '^[,;\\t|]$' })),
  arraySeparator: Type.Optional(Type.String({ minLength: 1, maxLength: 3 })),
  skipHeader: Type.Optional(Type.Boolean()),
  level: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
  query: Type.Optional(Type.String({ maxLength: 230 })),
}, { additionalProperties: true });
const ObjectQuery = Type.Object({ fields: Type.Optional(many), locale: Common.locale, includeChildren: Type.Optional(Type.Boolean()), includeDescendants: Type.Optional(Type.Boolean()) }, { additionalProperties: true });
const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 60 }) });

const wantsCsv = (request: FastifyRequest) => {
  const accept = String(request.headers.accept ?? '');
  return /\b(text|application)\/csv\b/.test(accept) && !/json/.test(accept);
};

/** The URL of another page of the same list, as DHIS2 writes nextPage and prevPage. */
function pageUrl(request: FastifyRequest) {
  return (page: number) => {
    const url = new URL(request.url, `${request.protocol}://${request.host}`);
    url.searchParams.set('page', String(page));
    return url.toString();
  };
}

/**
 * DHIS2's Web API for metadata: `/api/metadata`, one list and one object endpoint per type
 * (`/api/dataElements`, `/api/dataElements/{id}`, …), each list also as `.json` and `.csv`, and
 * `/api/system/info`. Reading needs `can_read_metadata`; org units are the caller's area only.
 */
export const dhis2MetadataRoutes = ({ db }: AppDeps): FastifyPluginAsync => async (app) => {
  app.get('/api/system/info', { schema: { tags: ['dhis2'], summary: `DHIS2's system info: the DHIS2 API version Swasthya follows, server date, calendar, date format` } },
    async (request) => { actorOf(request); return systemInfo(request); });

  for (const path of ['/api/metadata', '/api/metadata.json']) {
    app.get(path, {
      schema: {
        tags: ['dhis2'], querystring: MetadataQuery, response: { 400: ErrorBody, 403: ErrorBody },
        summary: 'Export metadata in DHIS2\'s metadata format (what POST /api/metadata and DHIS2 import): every type, or those named (?dataElements=true), with fields= and filter=',
      },
    }, async (request, reply) => {
      const q = request.query as Query & { download?: boolean };
      const out = await exportMetadata(db.kysely, actorOf(request), q);
      if (q.download) reply.header('content-disposition', 'attachment; filename="metadata.json"');
      return reply.type('application/json; charset=utf-8').send(out);
    });
  }

  for (const type of EXPORT_TYPES) {
    const list = async (request: FastifyRequest) => {
      const q = request.query as Query & { page?: number; pageSize?: number; paging?: boolean };
      return listObjects(db.kysely, actorOf(request), type, q, { page: q.page, pageSize: q.pageSize, paging: q.paging, url: pageUrl(request) });
    };
    const schema = { tags: ['dhis2'], querystring: ListQuery, response: { 400: ErrorBody, 403: ErrorBody } };
    const csv = async (request: FastifyRequest, reply: FastifyReply) => {
      const q = request.query as Query & { page?: number; pageSize?: number; paging?: boolean; separator?: string; arraySeparator?: string; skipHeader?: boolean };
      const text = await listCsv(db.kysely, actorOf(request), type, q, { page: q.page, pageSize: q.pageSize, paging: q.paging, url: pageUrl(request), separator: q.separator, arraySeparator: q.arraySeparator, skipHeader: q.skipHeader });
      return reply.type('text/csv; charset=utf-8').send(text);
    };
    // As in DHIS2, the list path answers CSV to a client that asks for it (Accept: text/csv) and JSON otherwise.
    app.get(`/api/${type}`, { schema: { ...schema, summary: `DHIS2's ${type}: paged (pager, page, pageSize, paging=false), with fields= and filter=; CSV with Accept: text/csv` } },
      async (request, reply) => (wantsCsv(request) ? csv(request, reply) : list(request)));
    app.get(`/api/${type}.json`, { schema: { ...schema, summary: `DHIS2's ${type} as JSON (as /api/${type})` } }, list);
    app.get(`/api/${type}.csv`, { schema: { ...schema, summary: `DHIS2's ${type} as CSV: one column per simple field asked for (fields=), lists of references as ids joined by ;` } }, csv);
    app.get(`/api/${type}/:id`, {
      schema: { tags: ['dhis2'], summary: `One of DHIS2's ${type} by id (also {id}.json), with fields=`, params: IdParam, querystring: ObjectQuery, response: { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
    }, async (request) => {
      const id = (request.params as { id: string }).id.replace(/\.json$/, '');
      return getObject(db.kysely, actorOf(request), type, id, request.query as Query);
    });
  }
};
