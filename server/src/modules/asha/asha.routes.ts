import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../app.js';
import { actorOf, ErrorBody } from '../../platform/http.js';
import { AppError } from '../../platform/errors.js';
import { documentStoreFor } from '../../platform/objectstore.js';
import { addRate, listActivities } from './asha.catalogue.js';
import { fileClaim, listClaims, myClaims, type Ctx } from './asha.claims.js';
import { importWorkers } from './asha.import.js';
import {
  Activities, ActivitiesQuery, Activity, Batch, BatchBody, BatchList, BatchesQuery, BatchParams, Claim, ClaimBody, ClaimParams, ClaimsPage, ClaimsQuery, CodeParams,
  ImportQuery, ImportResult, MineAnswer, NoteBody, NoticeParams, NoticeSeen, NoticesPage, NoticesQuery, RateBody, ReasonBody, ResubmitBody, ReturnsResult, Timeliness, TimelinessQuery, WorkerBody, WorkerCreated, WorkersPage, WorkersQuery,
} from './asha.schema.js';
import { listWorkers, registerWorker } from './asha.service.js';
import { approve, recommend, reject, resubmit } from './asha.verify.js';
import { Type } from '@sinclair/typebox';
import { batchFile, createBatch, getBatch, listBatches, readReturns } from './batches/batches.service.js';
import { escalationSweep } from './asha.escalation.js';
import { timeliness } from './asha.timeliness.js';
import { listNotices, markNoticeSeen } from './asha.notices.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['asha'];
const CSV_LIMIT = 5 * 1024 * 1024;
const ClaimAnswer = Type.Object({ id: Type.String(), status: Type.String(), amount: Type.Integer(), flags: Type.Array(Type.Object({ code: Type.String(), message: Type.String(), messageHi: Type.Optional(Type.String()) })), claimMonth: Type.String() });

/** ASHA incentives (issue 14): the register, the catalogue, claims and their verification, payment batches, timeliness. */
export const ashaRoutes = ({ db, config }: AppDeps): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const ctx: Ctx = { db: db.kysely, files: documentStoreFor(config) };
  const outbox = plain.outbox;
  const log = (m: string) => app.log.warn(m);
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: CSV_LIMIT }, (_req, body, done) => done(null, body));

  // Claims left too long at one level: escalated and the next officer told (asha.escalation.ts), every 10 minutes across instances.
  plain.jobs.every('asha.escalate', 600, async () => {
    const done = await escalationSweep(ctx.db, outbox, new Date(), log);
    if (done.length) app.log.info({ escalated: done.length }, 'asha: claims escalated');
  });

  app.post('/api/asha/workers', {
    schema: { tags, summary: 'Register an ASHA and make her account (role asha); set its password with POST /api/users/{username}/password', body: WorkerBody, response: { 201: WorkerCreated, ...errors } },
  }, async (request, reply) => reply.status(201).send(await registerWorker(ctx.db, actorOf(request), request.body)));

  app.get('/api/asha/workers', {
    schema: { tags, summary: 'The ASHA register of the caller\'s area or a block, by name (cursor paging); account numbers masked except for the block accountant', querystring: WorkersQuery, response: { 200: WorkersPage, ...errors } },
  }, async (request) => listWorkers(ctx.db, actorOf(request), request.query));

  app.post('/api/asha/workers/import', {
    bodyLimit: CSV_LIMIT,
    schema: { tags, summary: 'Import the register from CSV (text/csv): name, name_hi, mobile, sub_centre_id, village_ids (;-separated), bank_account, ifsc, active_from; row by row', querystring: ImportQuery, response: { 200: ImportResult, ...errors } },
  }, async (request) => {
    const body = request.body;
    if (typeof body !== 'string') {
      throw new AppError('unsupported_media_type', { en: 'Send the CSV file itself as the body with Content-Type text/csv', hi: 'CSV फ़ाइल को ही Content-Type text/csv के साथ भेजें' });
    }
    return importWorkers(ctx.db, actorOf(request), body, request.query.banks);
  });

  app.get('/api/asha/activities', {
    schema: { tags, summary: 'The incentive catalogue with the amounts in force today, or ?on=YYYY-MM-DD', querystring: ActivitiesQuery, response: { 200: Activities, ...errors } },
  }, async (request) => listActivities(ctx.db, actorOf(request), request.query.on));

  app.post('/api/asha/activities/:code/rates', {
    schema: { tags, summary: 'A new rate of an activity for work done from effectiveFrom (state officer); earlier work keeps its amount', params: CodeParams, body: RateBody, response: { 201: Activity, ...errors } },
  }, async (request, reply) => reply.status(201).send(await addRate(ctx.db, actorOf(request), request.params.code, request.body)));

  app.post('/api/asha/claims', {
    bodyLimit: 15 * 1024 * 1024,
    schema: { tags, summary: 'A claim from the ASHA\'s phone: 201 when new, 200 with the same claim when this clientId was synced before', body: ClaimBody, response: { 200: ClaimAnswer, 201: ClaimAnswer, ...errors } },
  }, async (request, reply) => {
    const r = await fileClaim(ctx, actorOf(request), request.body);
    return reply.status(r.created ? 201 : 200).send(r.claim);
  });

  app.get('/api/asha/claims/mine', {
    schema: { tags, summary: 'The ASHA\'s own claims with status, who holds each, expected pay day; months paid and pending', response: { 200: MineAnswer, ...errors } },
  }, async (request) => myClaims(ctx.db, actorOf(request)));

  app.get('/api/asha/claims', {
    schema: { tags, summary: 'Claims in the caller\'s area (verifiers, accountant, officers): ?status= (one or several, commas), ?block=, cursor paging', querystring: ClaimsQuery, response: { 200: ClaimsPage, ...errors } },
  }, async (request) => listClaims(ctx.db, actorOf(request), request.query));

  const emptyBody = { preValidation: async (request: any) => { if (request.body == null) request.body = {}; } };
  app.post('/api/asha/claims/:id/recommend', { ...emptyBody, schema: { tags, summary: 'The ANM/CHO recommends a submitted claim', params: ClaimParams, body: NoteBody, response: { 200: Claim, ...errors } } },
    async (request) => recommend(ctx.db, actorOf(request), request.params.id, request.body?.note));
  app.post('/api/asha/claims/:id/approve', { ...emptyBody, schema: { tags, summary: 'The MO in charge approves a recommended claim (a flagged one with a note)', params: ClaimParams, body: NoteBody, response: { 200: Claim, ...errors } } },
    async (request) => approve(ctx.db, actorOf(request), request.params.id, request.body?.note));
  app.post('/api/asha/claims/:id/reject', { schema: { tags, summary: 'Reject with a reason the ASHA sees', params: ClaimParams, body: ReasonBody, response: { 200: Claim, ...errors } } },
    async (request) => reject(ctx.db, actorOf(request), request.params.id, request.body.reason));
  app.post('/api/asha/claims/:id/resubmit', { ...emptyBody, schema: { tags, summary: 'The ASHA sends a rejected claim again, with what she changed', params: ClaimParams, body: ResubmitBody, response: { 200: Claim, ...errors } } },
    async (request) => resubmit(ctx, actorOf(request), request.params.id, request.body ?? {}));

  app.post('/api/asha/batches', {
    schema: { tags, summary: 'The block accountant makes the month\'s payment batch of a block: approved claims of the month\'s window and failed ones from earlier batches', body: BatchBody, response: { 201: Batch, ...errors } },
  }, async (request, reply) => reply.status(201).send(await createBatch(ctx.db, actorOf(request), request.body)));

  app.get('/api/asha/batches', {
    schema: { tags, summary: 'Batches of the caller\'s area or a block, newest first', querystring: BatchesQuery, response: { 200: BatchList, ...errors } },
  }, async (request) => listBatches(ctx.db, actorOf(request), request.query));

  app.get('/api/asha/batches/:id', {
    schema: { tags, summary: 'A batch with its rows (one per ASHA and fund source)', params: BatchParams, response: { 200: Batch, ...errors } },
  }, async (request) => getBatch(ctx.db, actorOf(request), request.params.id));

  app.get('/api/asha/batches/:id/file', {
    schema: { tags, summary: 'The batch\'s payment file (CSV, PFMS-style layout; see batches/batches.file.ts)', params: BatchParams, response: errors },
  }, async (request, reply) => {
    const f = await batchFile(ctx.db, actorOf(request), request.params.id);
    return reply.type('text/csv; charset=utf-8').header("content-disposition", `attachment; filename="${f.name}"`).send(f.text as any);
  });

  app.post('/api/asha/batches/:id/returns', {
    bodyLimit: CSV_LIMIT,
    schema: { tags, summary: 'The bank\'s return file (text/csv: reference,status,reason,utr; status PAID or FAILED)', params: BatchParams, response: { 200: ReturnsResult, ...errors } },
  }, async (request) => {
    const body = request.body;
    if (typeof body !== 'string') {
      throw new AppError('unsupported_media_type', { en: 'Send the bank\'s return file itself as the body with Content-Type text/csv', hi: 'बैंक की रिटर्न फ़ाइल को Content-Type text/csv के साथ भेजें' });
    }
    return readReturns(ctx.db, actorOf(request), request.params.id, body, outbox, log);
  });

  app.get('/api/asha/timeliness', {
    schema: { tags, summary: 'Days from claim to payment by block (median, 90th percentile) for claim months from..to', querystring: TimelinessQuery, response: { 200: Timeliness, ...errors } },
  }, async (request) => timeliness(ctx.db, actorOf(request), request.query));

  app.get('/api/asha/notices', {
    schema: { tags, summary: 'Escalated claims the caller is told of: the MO in charge those of the block, the district officer those of the district; newest first, cursor paging', querystring: NoticesQuery, response: { 200: NoticesPage, ...errors } },
  }, async (request) => listNotices(ctx.db, actorOf(request), request.query));

  app.post('/api/asha/notices/:id/seen', {
    ...emptyBody,
    schema: { tags, summary: 'Mark an escalation notice seen (for the caller; again is the same)', params: NoticeParams, response: { 200: NoticeSeen, ...errors } },
  }, async (request) => markNoticeSeen(ctx.db, actorOf(request), request.params.id));
};
