import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../app.js';
import { actorOf, ErrorBody } from '../../platform/http.js';
import {
  Facility, FacilityPatchBody, IdParam, ListQuery, NewFacilityBody, RegistrationBody, SummaryQuery, UpgradeBody,
  type FacilityPatchInput, type ListQueryInput, type NewFacilityInput, type UpgradeInput,
} from './facilities.schema.js';
import * as svc from './facilities.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export const facilityRoutes = ({ db }: AppDeps): FastifyPluginAsync => async (app) => {
  const k = db.kysely;
  const id = (r: { params: unknown }) => (r.params as { id: string }).id;

  app.get('/api/facilities', {
    schema: { tags: ['facilities'], summary: 'Search the facility registry', querystring: ListQuery, response: errors },
  }, async (request) => svc.listFacilities(k, actorOf(request), request.query as ListQueryInput));

  app.get('/api/facilities/points', {
    schema: { tags: ['facilities'], summary: 'Facility coordinates for a map', querystring: ListQuery, response: errors },
  }, async (request) => svc.facilityPoints(k, actorOf(request), request.query as ListQueryInput));

  app.get('/api/facilities/summary', {
    schema: { tags: ['facilities'], summary: 'Registration compliance under an org unit', querystring: SummaryQuery, response: errors },
  }, async (request) => svc.facilitySummary(k, actorOf(request), (request.query as { orgUnit: string }).orgUnit));

  app.get('/api/facilities/:id', {
    schema: { tags: ['facilities'], summary: 'One facility with its upgrade history', params: IdParam, response: { 200: Facility, ...errors } },
  }, async (request) => svc.getFacility(k, actorOf(request), id(request)));

  app.post('/api/facilities', {
    schema: { tags: ['facilities'], summary: 'Register a facility', body: NewFacilityBody, response: { 201: Facility, ...errors, 409: ErrorBody } },
  }, async (request, reply) => {
    const actor = actorOf(request);
    const f = await k.transaction().execute((trx) => svc.createFacility(trx, actor, request.body as NewFacilityInput));
    return reply.status(201).send(f);
  });

  app.patch('/api/facilities/:id', {
    schema: { tags: ['facilities'], summary: 'Change a facility', params: IdParam, body: FacilityPatchBody, response: { 200: Facility, ...errors, 409: ErrorBody } },
  }, async (request) => {
    const actor = actorOf(request);
    return k.transaction().execute((trx) => svc.updateFacility(trx, actor, id(request), request.body as FacilityPatchInput));
  });

  app.post('/api/facilities/:id/registration', {
    schema: { tags: ['facilities'], summary: 'Mark a listed facility registered on the portal', params: IdParam, body: RegistrationBody, response: { 200: Facility, ...errors } },
  }, async (request) => {
    const actor = actorOf(request);
    const date = (request.body as { date?: string } | undefined)?.date;
    return k.transaction().execute((trx) => svc.registerFacility(trx, actor, id(request), date));
  });

  app.post('/api/facilities/:id/upgrades', {
    schema: { tags: ['facilities'], summary: 'Record an upgrade (HWC, type, beds) with its date', params: IdParam, body: UpgradeBody, response: { 200: Facility, ...errors } },
  }, async (request) => {
    const actor = actorOf(request);
    return k.transaction().execute((trx) => svc.upgradeFacility(trx, actor, id(request), request.body as UpgradeInput));
  });

  app.delete('/api/facilities/:id', {
    schema: { tags: ['facilities'], summary: 'Remove a facility from the registry', params: IdParam, response: { 204: { type: 'null' }, ...errors } },
  }, async (request, reply) => {
    const actor = actorOf(request);
    await k.transaction().execute((trx) => svc.deleteFacility(trx, actor, id(request)));
    return reply.status(204).send();
  });
};
