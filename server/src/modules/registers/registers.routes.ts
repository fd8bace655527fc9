import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../app.js';
import { AppError } from '../../platform/errors.js';
import { actorOf, ErrorBody } from '../../platform/http.js';
import { requireRegisterOfficer } from './registers.access.js';
import { importRegister, MAX_REGISTER_BYTES } from './registers.import.js';
import { ConfirmBody, Decision, EmptyBody, FamilyListQuery, FamilyPage, ImportAnswer, MatchPage, MatchParams, MatchQuery, PanchayatCounts } from './registers.schema.js';
import { confirmMatch, listFamilies, listMatches, listRegisterPanchayats, rejectMatch } from './registers.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody, 415: ErrorBody };
const tags = ['families'];
/** The caller's role is checked before the body (a whole register) is read. */
const officerFirst = { onRequest: async (request: any) => { requireRegisterOfficer(actorOf(request)); } };

/** Families from the state's family register (issue 15, part 2): import, matches to patients, families by panchayat. */
export const registerRoutes = ({ db }: AppDeps): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const k = db.kysely;
  for (const type of ['text/csv', 'application/csv', 'text/plain']) {
    app.addContentTypeParser(type, { parseAs: 'string', bodyLimit: MAX_REGISTER_BYTES }, (_req, body, done) => done(null, body));
  }

  app.post('/api/families/import', {
    ...officerFirst, bodyLimit: MAX_REGISTER_BYTES,
    schema: {
      tags, summary: 'Import a family register extract (text/csv, layout in docs/registers.md; state or district officer, admin). All or nothing: a refused row is a 400 listing every refused row with line, field and reason (403 when rows lie outside your area). Importing again updates.',
      response: { 200: ImportAnswer, ...errors },
    },
  }, async (request) => {
    if (typeof request.body !== 'string') {
      throw new AppError('unsupported_media_type', { en: 'Send the register\'s CSV file itself as the body, with Content-Type text/csv', hi: 'रजिस्टर की CSV फ़ाइल ही भेजें (Content-Type text/csv)' });
    }
    return importRegister(k, actorOf(request), request.body);
  });

  app.get('/api/families', {
    schema: { tags, summary: 'Register families of a gram panchayat (or of your area), each with its members and who lacks an ABHA number; cursor paging by family number', querystring: FamilyListQuery, response: { 200: FamilyPage, ...errors } },
  }, async (request) => listFamilies(k, actorOf(request), request.query));

  app.get('/api/families/panchayats', {
    schema: { tags, summary: 'Gram panchayats of your area that have register families, with their number of families', response: { 200: PanchayatCounts, ...errors } },
  }, async (request) => listRegisterPanchayats(k, actorOf(request)));

  app.get('/api/families/matches', {
    schema: { tags, summary: 'Register members matched uncertainly to patients (status=review, the default), or decided ones, with the candidate patients (an audited read)', querystring: MatchQuery, response: { 200: MatchPage, ...errors } },
  }, async (request) => listMatches(k, actorOf(request), request.query));

  app.post('/api/families/matches/:id/confirm', {
    ...officerFirst,
    schema: { tags, summary: 'Confirm which patient a register member is: links them and adds the patient to the family; a second decision is 409', params: MatchParams, body: ConfirmBody, response: { 200: Decision, ...errors } },
  }, async (request) => k.transaction().execute((trx) => confirmMatch(trx, actorOf(request), request.params.id, request.body.patientId)));

  app.post('/api/families/matches/:id/reject', {
    ...officerFirst, preValidation: async (request: any) => { if (request.body == null) request.body = {}; },
    schema: { tags, summary: 'None of the candidates is this member: the member stays unlinked and leaves the review list', params: MatchParams, body: EmptyBody, response: { 200: Decision, ...errors } },
  }, async (request) => k.transaction().execute((trx) => rejectMatch(trx, actorOf(request), request.params.id)));
};
