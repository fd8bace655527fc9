import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../app.js';
import { ErrorBody } from '../../platform/http.js';
import { documentStoreFor } from '../../platform/objectstore.js';
import type { SmsSender } from '../../platform/sms.js';
import { DOCUMENT_TYPES, MAX_DOCUMENT_BYTES } from '../patients/patients.documents.js';
import { requireMobile } from '../patients/patients.identity.js';
import { checkOtp, sendOtp } from '../patients/patients.otp.js';
import { addCitizenAttachment } from './grievances.attachments.js';
import { addInformation, grantAccess, OTP_PURPOSE, rate, reopenByCitizen, trackTicket } from './grievances.citizen.js';
import { publicFigures } from './grievances.figures.js';
import {
  Attachment, AttachmentQuery, Filed, InformationBody, OtpBody, OtpSent, PublicFacilities, PublicFacilitiesQuery, PublicFigures, PublicFiguresQuery, PublicFileBody, PublicReopenBody,
  PublicTicket, RatingBody, TicketParams, TrackQuery,
} from './grievances.schema.js';
import { checkFiling, fileGrievance, publicFacilities, type Ctx } from './grievances.service.js';

const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody, 415: ErrorBody, 429: ErrorBody };
const tags = ['grievances'];
const config = { public: true };

/**
 * The citizen's side, without signing in: a one-time code confirms the mobile (3 codes per number per
 * 15 minutes, 20 per address per hour, 5 tries per code: patients.otp.ts), then file, track, add
 * information or files, reopen, rate. Aggregate figures are public.
 */
export const publicGrievanceRoutes = ({ db, config: appConfig, sms }: AppDeps & { sms: SmsSender }): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const ctx: Ctx = { db: db.kysely, sms, log: (m) => app.log.warn(m) };
  const files = documentStoreFor(appConfig);
  app.addContentTypeParser([...DOCUMENT_TYPES], { parseAs: 'buffer', bodyLimit: MAX_DOCUMENT_BYTES }, (_req, body, done) => done(null, body));

  app.post('/api/public/grievances/otp', {
    config,
    schema: { tags, summary: 'Send a one-time code to the citizen\'s mobile, to file or follow a grievance (3 per number per 15 minutes)', body: OtpBody, response: { 202: OtpSent, ...errors } },
  }, async (request, reply) => {
    const mobile = requireMobile(request.body.mobile);
    return reply.status(202).send({ ...(await sendOtp(ctx.db, sms, mobile, OTP_PURPOSE, request.ip)), channel: sms.kind });
  });

  app.post('/api/public/grievances', {
    config,
    schema: { tags, summary: 'File a grievance with the code sent to the mobile: 201 with the ticket number (also sent by SMS) and an access token for 30 minutes (to add photos)', body: PublicFileBody, response: { 201: Filed, ...errors } },
  }, async (request, reply) => {
    const { challengeId, code, ...input } = request.body;
    const filing = { ...input, source: 'public' as const };
    // What can be checked without the code is checked first: a typing mistake costs no code.
    const { mobile } = await checkFiling(ctx.db, filing);
    await checkOtp(ctx.db, challengeId, code, mobile, OTP_PURPOSE);
    const filed = await fileGrievance(ctx.db, null, filing, { sms, log: ctx.log });
    return reply.status(201).send({ ...filed, ...(await grantAccess(ctx.db, filed.id)) });
  });

  app.get('/api/public/grievances/facilities', {
    config,
    schema: { tags, summary: 'Public facilities of a district by name, for the form (names and types only)', querystring: PublicFacilitiesQuery, response: { 200: PublicFacilities, 400: ErrorBody, 404: ErrorBody } },
  }, async (request) => publicFacilities(ctx.db, request.query));

  app.get('/api/public/grievances/figures', {
    config,
    schema: { tags, summary: 'Grievances filed, resolved, resolved within the deadline and open, by district and month (YYYYMM) and type: counts only, no names, no text', querystring: PublicFiguresQuery, response: { 200: PublicFigures, 400: ErrorBody } },
  }, async (request) => publicFigures(ctx.db, request.query));

  app.get('/api/public/grievances/:ticketNumber', {
    config,
    schema: { tags, summary: 'Follow a grievance: ?mobile=&challengeId=&code= (a code sent to the mobile it was filed from), or ?accessToken= from an earlier answer; its status and the history the citizen may see', params: TicketParams, querystring: TrackQuery, response: { 200: PublicTicket, ...errors } },
  }, async (request) => trackTicket(ctx.db, request.params.ticketNumber, request.query));

  app.post('/api/public/grievances/:ticketNumber/information', {
    config,
    schema: { tags, summary: 'Add information to one\'s grievance (a ticket waiting for it goes back to the officer)', params: TicketParams, body: InformationBody, response: { 200: PublicTicket, ...errors } },
  }, async (request) => {
    const { text, ...access } = request.body;
    return addInformation(ctx, request.params.ticketNumber, access, text);
  });

  app.post('/api/public/grievances/:ticketNumber/reopen', {
    config,
    schema: { tags, summary: 'Reopen a resolved grievance within 15 days of its resolution', params: TicketParams, body: PublicReopenBody, response: { 200: PublicTicket, ...errors } },
  }, async (request) => {
    const { reason, ...access } = request.body;
    return reopenByCitizen(ctx, request.params.ticketNumber, access, reason);
  });

  app.post('/api/public/grievances/:ticketNumber/rating', {
    config,
    schema: { tags, summary: 'Rate the resolution: satisfied closes it; not satisfied (the first time) opens an appeal to the next level, decided within 30 days', params: TicketParams, body: RatingBody, response: { 200: PublicTicket, ...errors } },
  }, async (request) => {
    const { satisfied, score, comment, ...access } = request.body;
    return rate(ctx, request.params.ticketNumber, access, { satisfied, score, comment });
  });

  app.post('/api/public/grievances/:ticketNumber/attachments', {
    config,
    bodyLimit: MAX_DOCUMENT_BYTES,
    schema: { tags, summary: 'Attach a photo or PDF to one\'s grievance (?accessToken= from filing or tracking; the file as the body, at most 10 MB)', params: TicketParams, querystring: AttachmentQuery, response: { 201: Attachment, ...errors } },
  }, async (request, reply) => {
    const declaredType = String(request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    return reply.status(201).send(await addCitizenAttachment(ctx.db, files, request.params.ticketNumber, request.query.accessToken, { bytes: request.body, declaredType, title: request.query.title }));
  });
};
