import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { AppDeps } from '../../app.js';
import { actorOf, ErrorBody, page, Paging } from '../../platform/http.js';
import { createFavourite, deleteFavourite, listFavourites, updateFavourite } from './hmis.favourites.js';

const Id = Type.String({ minLength: 1, maxLength: 100, pattern: '^[\\w-]+$' });
const Month = Type.String({ pattern: '^\\d{4}(0[1-9]|1[0-2])$', description: 'YYYYMM' });
const Selection = Type.Object({
  items: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100, description: 'data element ids' }),
  indicators: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100, description: 'indicator ids' }),
  preset: Type.String({ enum: ['LAST_12_MONTHS', 'THIS_FINANCIAL_YEAR', 'QUARTERS', 'RANGE'] }),
  from: Type.Optional(Month),
  to: Type.Optional(Month),
  ou: Type.String({ minLength: 1, maxLength: 60, description: 'org unit id, code or LGD code' }),
  level: Type.String({ enum: ['state', 'district', 'block', 'facility'] }),
  by: Type.Optional(Type.String({ enum: ['ownership', 'type'] })),
}, { additionalProperties: false });
const Name = Type.String({ minLength: 1, maxLength: 120 });
const CreateBody = Type.Object({ name: Name, selection: Selection }, { additionalProperties: false });
const UpdateBody = Type.Object({ name: Type.Optional(Name), selection: Type.Optional(Selection) }, { additionalProperties: false });
const Favourite = Type.Object({ id: Type.String(), name: Type.String(), selection: Selection, createdAt: Type.String(), updatedAt: Type.String() });
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['hmis'];

/** Saved analytics selections, each user's own (DHIS2's favourites). */
export const hmisFavouriteRoutes = ({ db }: AppDeps): FastifyPluginAsync => async (app) => {
  app.get('/api/hmis/analytics/favourites', {
    schema: { tags, summary: "The caller's own saved analytics selections, by name", querystring: Type.Object(Paging, { additionalProperties: false }), response: { 200: page(Favourite), ...errors } },
  }, async (request) => {
    const q = request.query as { limit?: number; offset?: number };
    return listFavourites(db.kysely, actorOf(request), q.limit ?? 50, q.offset ?? 0);
  });
  app.post('/api/hmis/analytics/favourites', {
    schema: { tags, summary: 'Save the analytics selection under a name (one name once per user: 409)', body: CreateBody, response: { 201: Favourite, ...errors } },
  }, async (request, reply) => reply.status(201).send(await createFavourite(db.kysely, actorOf(request), request.body as Static<typeof CreateBody>)));
  app.patch('/api/hmis/analytics/favourites/:id', {
    schema: { tags, summary: "Rename one of the caller's favourites, or save a new selection in it", params: Type.Object({ id: Id }), body: UpdateBody, response: { 200: Favourite, ...errors } },
  }, async (request) => updateFavourite(db.kysely, actorOf(request), (request.params as { id: string }).id, request.body as Static<typeof UpdateBody>));
  app.delete('/api/hmis/analytics/favourites/:id', {
    schema: { tags, summary: "Delete one of the caller's favourites", params: Type.Object({ id: Id }), response: { 204: Type.Null(), ...errors } },
  }, async (request, reply) => {
    await deleteFavourite(db.kysely, actorOf(request), (request.params as { id: string }).id);
    return reply.status(204).send();
  });
};
