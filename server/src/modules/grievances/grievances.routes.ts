import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../app.js';
import { actorOf, ErrorBody } from '../../platform/http.js';
import { documentStoreFor } from '../../platform/objectstore.js';
import type { SmsSender } from '../../platform/sms.js';
import { DOCUMENT_TYPES, MAX_DOCUMENT_BYTES } from '../patients/patients.documents.js';
import * as actions from './grievances.actions.js';
import { addAttachment, readAttachment } from './grievances.attachments.js';
import { escalationSweep } from './grievances.escalation.js';
import { figures } from './grievances.figures.js';
import {
  AssignBody, Attachment, AttachmentParams, AttachmentQuery, Calendar, CalendarBody, CalendarQuery, CloseBody, EmptyBody, Figures, FiguresQuery,
  Filed, InterimBody, ListPage, ListQuery, MessageBody, NoteBody, Notifications, ReasonBody, ResolveBody, RoutingBody, RoutingParams, Settings, SettingsQuery,
  StaffFileBody, Ticket, TicketParams,
} from './grievances.schema.js';
import { fileGrievance, getTicket, listTickets, notifications, type Ctx } from './grievances.service.js';
import { getCalendar, getSettings, setCalendar, setRouting } from './grievances.settings.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['grievances'];
/** How often overdue tickets are looked for (escalateOverdue is safe to run on every instance at once). */
const SWEEP_MS = 60_000;

/** Grievance redressal for officers, help desks and the helpline (issue 13, parts 2, 3 and 5). */
export const grievanceRoutes = ({ db, config, sms }: AppDeps & { sms: SmsSender }): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const ctx: Ctx = { db: db.kysely, sms, log: (m) => app.log.warn(m) };
  const files = documentStoreFor(config);
  // Attachments arrive as the raw file with its media type; what it really is is read from its bytes.
  app.addContentTypeParser([...DOCUMENT_TYPES], { parseAs: 'buffer', bodyLimit: MAX_DOCUMENT_BYTES }, (_req, body, done) => done(null, body));

  // Escalation of overdue tickets (grievances.escalation.ts), on a timer until the shared scheduler takes it.
  let timer: NodeJS.Timeout | undefined;
  let sweeping = false;
  const sweep = async () => {
    if (sweeping) return;
    sweeping = true;
    try {
      const done = await escalationSweep(ctx);
      if (done.length) app.log.info({ escalated: done.map((e) => e.ticketNumber) }, 'grievances: overdue tickets escalated');
    } catch (e) {
      app.log.warn({ err: (e as Error).message }, 'grievances: the escalation sweep failed');
    } finally {
      sweeping = false;
    }
  };
  // On the shared scheduler (platform/jobs: once per minute across all instances) when the app has one,
  // else on a timer of this instance (escalateOverdue is safe either way).
  const jobs = (plain as unknown as { jobs?: { every(name: string, seconds: number, handler: () => Promise<void>): void } }).jobs;
  if (jobs) jobs.every('grievances.escalate', SWEEP_MS / 1000, sweep);
  else {
    app.addHook('onReady', async () => { timer = setInterval(sweep, SWEEP_MS); timer.unref(); });
    app.addHook('onClose', async () => { if (timer) clearInterval(timer); });
  }

  app.post('/api/grievances', {
    schema: { tags, summary: 'File a grievance for a citizen (a facility\'s help desk, the helpline): 201 with its ticket number; the citizen gets it by SMS', body: StaffFileBody, response: { 201: Filed, ...errors } },
  }, async (request, reply) => {
    const actor = actorOf(request);
    const source = request.body.source ?? (actor.role === 'helpline_agent' ? 'helpline' : 'help_desk');
    return reply.status(201).send(await fileGrievance(ctx.db, actor, { ...request.body, source }, { sms, log: ctx.log }));
  });

  app.get('/api/grievances', {
    schema: { tags, summary: 'Tickets in the caller\'s area, newest first; ?status= (one, several with commas, or open), ?district=, ?facility=, ?type=, ?level=, ?overdue=true', querystring: ListQuery, response: { 200: ListPage, ...errors } },
  }, async (request) => listTickets(ctx.db, actorOf(request), request.query));

  app.get('/api/grievances/figures', {
    schema: { tags, summary: 'Figures in the caller\'s area for months from..to (YYYYMM): volume, response and resolution against deadlines, ageing, repeated complaints', querystring: FiguresQuery, response: { 200: Figures, ...errors } },
  }, async (request) => figures(ctx.db, actorOf(request), request.query));

  app.get('/api/grievances/notifications', {
    schema: { tags, summary: 'Notices to the caller\'s level and area: escalations, appeals', response: { 200: Notifications, ...errors } },
  }, async (request) => notifications(ctx.db, actorOf(request)));

  app.get('/api/grievances/settings', {
    schema: { tags, summary: 'The level each type goes to in a state (the caller\'s own by default) and its deadlines in working days', querystring: SettingsQuery, response: { 200: Settings, ...errors } },
  }, async (request) => getSettings(ctx.db, actorOf(request), request.query));

  app.put('/api/grievances/settings/:type', {
    schema: { tags, summary: 'Set the level and deadlines of a type (state officer, admin); tickets filed after follow them', params: RoutingParams, body: RoutingBody, response: { 200: Settings, ...errors } },
  }, async (request) => setRouting(ctx.db, actorOf(request), request.params.type, request.body));

  app.get('/api/grievances/calendar', {
    schema: { tags, summary: 'The state\'s working calendar: weekend days and gazetted holidays', querystring: CalendarQuery, response: { 200: Calendar, ...errors } },
  }, async (request) => getCalendar(ctx.db, actorOf(request), request.query));

  app.put('/api/grievances/calendar', {
    schema: { tags, summary: 'Change the state\'s working calendar (state officer, admin): weekend days, holidays to add or remove', body: CalendarBody, response: { 200: Calendar, ...errors } },
  }, async (request) => setCalendar(ctx.db, actorOf(request), request.body));

  app.get('/api/grievances/:ticketNumber', {
    schema: { tags, summary: 'One ticket in full with its history and files (an audited read: mobile, description)', params: TicketParams, response: { 200: Ticket, ...errors } },
  }, async (request) => getTicket(ctx.db, actorOf(request), request.params.ticketNumber));

  const move = <B>(path: string, summary: string, body: unknown, run: (actor: ReturnType<typeof actorOf>, t: string, b: B) => Promise<any>) =>
    app.post(`/api/grievances/:ticketNumber/${path}`, {
      ...(body === EmptyBody ? { preValidation: async (request: any) => { if (request.body == null) request.body = {}; } } : {}),
      schema: { tags, summary, params: TicketParams, body: body as any, response: { 200: Ticket, ...errors } },
    }, async (request) => run(actorOf(request), (request.params as { ticketNumber: string }).ticketNumber, request.body as B));

  move<{ userId?: string }>('assign', 'Assign to an officer over the ticket (the caller by default): new or reopened → assigned', AssignBody, (a, t, b) => actions.assign(ctx, a, t, b.userId));
  move('start', 'Start work: assigned → in_progress', EmptyBody, (a, t) => actions.start(ctx, a, t));
  move<{ message: string }>('reply', 'Reply to the citizen (they see it): → in_progress', MessageBody, (a, t, b) => actions.reply(ctx, a, t, b.message));
  move<{ note: string }>('notes', 'An internal note, never shown to the citizen', NoteBody, (a, t, b) => actions.note(ctx, a, t, b.note));
  move<{ message: string }>('wait', 'Ask the citizen for something: → waiting_for_citizen', MessageBody, (a, t, b) => actions.waitForCitizen(ctx, a, t, b.message));
  move<{ reason: string; extendDays: number }>('interim', 'Interim reply: extends the resolution deadline once by working days, with a reason the citizen sees', InterimBody, (a, t, b) => actions.interim(ctx, a, t, b.reason, b.extendDays));
  move<{ resolution: string }>('resolve', 'Resolve, saying how (required; the citizen sees it): → resolved', ResolveBody, (a, t, b) => actions.resolve(ctx, a, t, b.resolution));
  move<{ note?: string }>('close', 'Close a resolved ticket', CloseBody, (a, t, b) => actions.close(ctx, a, t, b?.note));
  move<{ reason: string }>('reopen', 'Reopen a resolved or closed ticket', ReasonBody, (a, t, b) => actions.reopen(ctx, a, t, b.reason));

  app.post('/api/grievances/:ticketNumber/attachments', {
    bodyLimit: MAX_DOCUMENT_BYTES,
    schema: { tags, summary: 'Attach a photo or PDF (the file as the body, Content-Type application/pdf or image/jpeg|png|webp, at most 10 MB)', params: TicketParams, querystring: AttachmentQuery, response: { 201: Attachment, ...errors } },
  }, async (request, reply) => {
    const declaredType = String(request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    return reply.status(201).send(await addAttachment(ctx.db, files, actorOf(request), request.params.ticketNumber, { bytes: request.body, declaredType, title: request.query.title }));
  });

  app.get('/api/grievances/:ticketNumber/attachments/:id', {
    schema: { tags, summary: 'An attachment\'s file (audited read)', params: AttachmentParams, response: errors },
  }, async (request, reply) => {
    const f = await readAttachment(ctx.db, files, actorOf(request), request.params.ticketNumber, request.params.id);
    return reply.type(f.mediaType).header('content-disposition', `inline; filename="${f.name}"`).header('x-content-type-options', 'nosniff').send(f.bytes as any);
  });
};
