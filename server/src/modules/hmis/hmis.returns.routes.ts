import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../app.js';
import { actorOf, ErrorBody } from '../../platform/http.js';
import { defaulters, reportingRates } from './hmis.compliance.js';
import { returnReview } from './hmis.returns.checks.js';
import { grantLockException, notifications, reminderOutcome, remindDefaulters, returnStatuses, returnStep, type ReturnAction, type ReturnRef } from './hmis.returns.js';

const Q = {
  dataSet: Type.String({ minLength: 1, maxLength: 60 }),
  period: Type.String({ minLength: 4, maxLength: 30 }),
  orgUnit: Type.String({ minLength: 1, maxLength: 60 }),
};
const RatesQuery = Type.Object({ ...Q, by: Type.Optional(Type.String({ enum: ['district', 'block', 'facility', 'type', 'ownership'] })) }, { additionalProperties: false });
const ScopeQuery = Type.Object(Q, { additionalProperties: false });
const STATUSES = ['not_started', 'draft', 'completed_on_time', 'completed_late', 'returned', 'approved', 'accepted'];
const ReturnsQuery = Type.Object({
  ...Q,
  status: Type.Optional(Type.String({ enum: STATUSES, description: 'only the returns of this status' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'a page of this many (all when absent)' })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
}, { additionalProperties: false });
const StepBody = Type.Object({ ...Q, reason: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });
const ActionBody = Type.Object({
  ...Q, reason: Type.Optional(Type.String({ maxLength: 1000 })),
  comments: Type.Optional(Type.Array(Type.Object({ rule: Type.String({ minLength: 1, maxLength: 60 }), comment: Type.String({ maxLength: 2000 }) }, { additionalProperties: false }), { maxItems: 500 })),
  confirmFailingRules: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
const RemindBody = Type.Object({ ...Q, only: Type.Optional(Type.Array(Type.String({ maxLength: 60 }), { maxItems: 5000 })) }, { additionalProperties: false });
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export const hmisReturnRoutes = ({ db }: AppDeps): FastifyPluginAsync => async (app) => {
  const k = db.kysely;
  app.get('/api/hmis/reporting-rates', {
    schema: { tags: ['hmis'], summary: 'Reporting rates as DHIS2 defines them: expected, actual, on time; optionally by district, block, facility, type or ownership', querystring: RatesQuery, response: errors },
  }, async (request) => reportingRates(k, actorOf(request), request.query as { dataSet: string; period: string; orgUnit: string; by?: string }));

  app.get('/api/hmis/defaulters', {
    schema: { tags: ['hmis'], summary: 'Facilities with no completed return for the period, with contact details', querystring: ScopeQuery, response: errors },
  }, async (request) => defaulters(k, actorOf(request), request.query as ReturnRef));

  app.post('/api/hmis/defaulters/reminders', {
    schema: { tags: ['hmis'], summary: 'Remind defaulters: an in-app notice, and an SMS and e-mail through the outbox; says how many messages were queued, sent, failed (retried later) and waiting, and which facilities have no mobile or e-mail', body: RemindBody, response: errors },
  }, async (request) => {
    const actor = actorOf(request);
    const round = await k.transaction().execute((trx) => remindDefaulters(trx, actor, request.body as ReturnRef & { only?: string[] }, app.outbox));
    return reminderOutcome(app.outbox, round);
  });

  app.get('/api/hmis/returns', {
    schema: { tags: ['hmis'], summary: "Each facility's return for the period: not started, draft, completed on time or late, returned, approved, accepted; a count by status, and a page of one status's returns with status, limit and offset", querystring: ReturnsQuery, response: errors },
  }, async (request) => returnStatuses(k, actorOf(request), request.query as ReturnRef & { status?: string; limit?: number; offset?: number }));

  app.get('/api/hmis/returns/review', {
    schema: { tags: ['hmis'], summary: "One return as the district reviews it: status, the validation rules that fail now, and the facility's comments on them", querystring: ScopeQuery, response: errors },
  }, async (request) => returnReview(k, actorOf(request), request.query as ReturnRef));

  app.post('/api/hmis/returns/:action', {
    schema: {
      tags: ['hmis'],
      summary: 'A step of the return: complete (with a comment per failing validation rule where the data set allows it), uncomplete, return (with reason), approve (confirmFailingRules when rules fail), accept, unapprove (with reason)',
      params: Type.Object({ action: Type.String({ enum: ['complete', 'uncomplete', 'return', 'approve', 'accept', 'unapprove'] }) }), body: ActionBody, response: errors,
    },
  }, async (request) => {
    const actor = actorOf(request);
    const { action } = request.params as { action: ReturnAction };
    return k.transaction().execute((trx) => returnStep(trx, actor, action, request.body as ReturnRef));
  });

  app.post('/api/hmis/lock-exceptions', {
    schema: { tags: ['hmis'], summary: 'Let a facility enter a period its data set has closed (with a reason)', body: StepBody, response: { 201: Type.Any(), ...errors } },
  }, async (request, reply) => {
    const actor = actorOf(request);
    return reply.status(201).send(await k.transaction().execute((trx) => grantLockException(trx, actor, request.body as ReturnRef)));
  });

  app.get('/api/hmis/notifications', { schema: { tags: ['hmis'], summary: 'Reminders and returned reports for your area' } },
    async (request) => notifications(k, actorOf(request)));
};
