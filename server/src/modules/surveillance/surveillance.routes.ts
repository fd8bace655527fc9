import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../app.js';
import { actorOf, ErrorBody } from '../../platform/http.js';
import {
  Alerts, AreaWeekQuery, Burden, BurdenQuery, DiseaseList, ReportBody, Rising, StoredReport, Trends, TrendsQuery,
  type AreaWeekInput, type BurdenInput, type ReportInput, type TrendsInput,
} from './surveillance.schema.js';
import * as svc from './surveillance.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const tags = ['surveillance'];

/** IDSP weekly S/P/L reporting, trends against past years, burden by area and outbreak alerts. */
export const surveillanceRoutes = ({ db }: AppDeps): FastifyPluginAsync => async (app) => {
  const k = db.kysely;

  app.get('/api/surveillance/diseases', {
    schema: { tags, summary: 'IDSP diseases and syndromes by form (S, P, L), in English and Hindi, with alert thresholds', response: { 200: DiseaseList, ...errors } },
  }, async (request) => svc.diseaseList(actorOf(request)));

  app.post('/api/surveillance/reports', {
    schema: { tags, summary: "A facility's weekly S, P or L report; sending it again replaces that week's form", body: ReportBody, response: { 201: StoredReport, ...errors } },
  }, async (request, reply) => {
    const actor = actorOf(request);
    const stored = await k.transaction().execute((trx) => svc.submitReport(trx, actor, request.body as ReportInput));
    return reply.status(201).send(stored);
  });

  app.get('/api/surveillance/trends', {
    schema: { tags, summary: 'Weekly cases of a disease in an area against the mean and SD of the same weeks in the previous 3 years', querystring: TrendsQuery, response: { 200: Trends, ...errors } },
  }, async (request) => svc.trends(k, actorOf(request), request.query as TrendsInput));

  app.get('/api/surveillance/rising', {
    schema: { tags, summary: 'Diseases whose last 4 weeks exceed mean + 2 SD of the same weeks in past years, ranked by excess', querystring: AreaWeekQuery, response: { 200: Rising, ...errors } },
  }, async (request) => svc.risingDiseases(k, actorOf(request), request.query as AreaWeekInput));

  app.get('/api/surveillance/burden', {
    schema: { tags, summary: 'Where a disease is heaviest: districts or blocks ranked by cases, with cases per reporting facility', querystring: BurdenQuery, response: { 200: Burden, ...errors } },
  }, async (request) => svc.burden(k, actorOf(request), request.query as BurdenInput));

  app.get('/api/surveillance/alerts', {
    schema: { tags, summary: 'Districts that crossed an alert threshold in a week (absolute or mean + 2 SD of past years)', querystring: AreaWeekQuery, response: { 200: Alerts, ...errors } },
  }, async (request) => svc.alerts(k, actorOf(request), request.query as AreaWeekInput));
};
