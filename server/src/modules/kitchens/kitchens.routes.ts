import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../app.js';
import { actorOf, ErrorBody } from '../../platform/http.js';
import type { Outbox } from '../../platform/outbox/index.js';
import {
  Bill, BillParams, Created, DayAnswer, DayBody, Days, EmptyBody, IdParams, Kitchen, KitchenBody, KitchenPage, ListQuery, MonthQuery, PayBody, Rate, RateBody, Rates,
} from './kitchens.schema.js';
import { addRate, approveBill, createKitchen, getBill, getKitchen, listDays, listKitchens, listRates, payBill, recordDay, submitBill } from './kitchens.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['kitchens'];
const emptyBody = { preValidation: async (request: any) => { if (request.body == null) request.body = {}; } };

/** Didi ki Rasoi (issue 15, part 7): hospital kitchens run by self-help groups, their days and monthly bills. */
export const kitchenRoutes = ({ db }: AppDeps): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const k = db.kysely;
  // The group is told of its bill's steps by SMS through the shared outbox (absent in a bare app: then nobody is told).
  const outbox = (plain as unknown as { outbox?: Outbox }).outbox;

  app.post('/api/kitchens', {
    schema: { tags, summary: 'Register a hospital\'s kitchen run by a self-help group (district or state officer, or the hospital\'s operator): 201 {id}', body: KitchenBody, response: { 201: Created, ...errors } },
  }, async (request, reply) => reply.status(201).send(await createKitchen(k, actorOf(request), request.body)));

  app.get('/api/kitchens', {
    schema: { tags, summary: 'Kitchens in the caller\'s area (or a district of it); bank accounts masked except to the officer who pays', querystring: ListQuery, response: { 200: KitchenPage, ...errors } },
  }, async (request) => listKitchens(k, actorOf(request), request.query));

  app.post('/api/kitchens/rates', {
    schema: { tags, summary: 'A new rate version for the caller\'s state (state level): patient_day or attendant_meal, for days from effectiveFrom', body: RateBody, response: { 201: Rate, ...errors } },
  }, async (request, reply) => reply.status(201).send(await addRate(k, actorOf(request), request.body)));

  app.get('/api/kitchens/rates', {
    schema: { tags, summary: 'The caller\'s state\'s kitchen rates, every version', response: { 200: Rates, ...errors } },
  }, async (request) => listRates(k, actorOf(request)));

  app.get('/api/kitchens/:id', {
    schema: { tags, summary: 'One kitchen with its group\'s members (an audited read)', params: IdParams, response: { 200: Kitchen, ...errors } },
  }, async (request) => getKitchen(k, actorOf(request), request.params.id));

  app.post('/api/kitchens/:id/days', {
    schema: { tags, summary: 'The hospital\'s count of a day (its operator): 201; the same day again is 409 unless it carries correctionReason (200, replaced)', params: IdParams, body: DayBody, response: { 200: DayAnswer, 201: DayAnswer, ...errors } },
  }, async (request, reply) => {
    const r = await recordDay(k, actorOf(request), request.params.id, request.body);
    return reply.status(r.created ? 201 : 200).send(r.day);
  });

  app.get('/api/kitchens/:id/days', {
    schema: { tags, summary: 'A kitchen\'s days of a month', params: IdParams, querystring: MonthQuery, response: { 200: Days, ...errors } },
  }, async (request) => listDays(k, actorOf(request), request.params.id, request.query.month));

  app.get('/api/kitchens/:id/bills', {
    schema: { tags, summary: 'The monthly bill: computed from the days at the rates in force each day (draft), or as submitted, approved, paid', params: IdParams, querystring: MonthQuery, response: { 200: Bill, ...errors } },
  }, async (request) => getBill(k, actorOf(request), request.params.id, request.query.month));

  app.post('/api/kitchens/:id/bills/:month/submit', {
    ...emptyBody,
    schema: { tags, summary: 'Submit a past month\'s bill (the hospital\'s operator); its days are then closed', params: BillParams, body: EmptyBody, response: { 200: Bill, ...errors } },
  }, async (request) => submitBill(k, actorOf(request), request.params.id, request.params.month, outbox));

  app.post('/api/kitchens/:id/bills/:month/approve', {
    ...emptyBody,
    schema: { tags, summary: 'Approve a submitted bill (district or state officer); a parallel second approval is 409', params: BillParams, body: EmptyBody, response: { 200: Bill, ...errors } },
  }, async (request) => approveBill(k, actorOf(request), request.params.id, request.params.month, outbox));

  app.post('/api/kitchens/:id/bills/:month/pay', {
    schema: { tags, summary: 'Record the payment of an approved bill (the state officer who pays), with its reference (UTR)', params: BillParams, body: PayBody, response: { 200: Bill, ...errors } },
  }, async (request) => payBill(k, actorOf(request), request.params.id, request.params.month, request.body.reference, outbox));
};
