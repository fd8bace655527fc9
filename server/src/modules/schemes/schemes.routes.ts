import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../app.js';
import { actorOf, ErrorBody } from '../../platform/http.js';
import { badRequest } from '../../platform/errors.js';
import {
  CardParams, CategoryAnswer, Coverage, CoverageQuery, CoverageShapes, CoverageShapesQuery, PublicCoverage, PublicCoverageQuery, PublicCoverageShapesQuery, CategoryBody, EmptyBody, Enrolled, EnrolBody, Enrolment, EnrolmentPage, EnrolmentQuery, HospitalAnswer, HospitalBody, Hospitals,
  IdParams, MemberBody, MemberParams, OnQuery, PackageAnswer, PackageBody, RenewBody, SchemeParams, SettingsAnswer, SettingsBody, Setup,
} from './schemes.schema.js';
import { schemeCardPdf } from './schemes.card.js';
import { addCategory, addMember, addPackage, addSettings, empanel, enrol, getEnrolment, getSetup, listEnrolments, listHospitals, removeMember, renew, requireSchemeState } from './schemes.service.js';
import { claimRoutes } from './schemes.claims.routes.js';
import { coverage, coverageShapes, publicCoverage, publicCoverageShapes } from './schemes.coverage.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['schemes'];
const emptyBody = { preValidation: async (request: any) => { if (request.body == null) request.body = {}; } };
const base = '/api/schemes/:scheme';

/** Health insurance schemes (issue 15, parts 3–5: HIMCARE): set-up by date, enrolments and cards, claims. */
export const schemeRoutes = (deps: AppDeps): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const k = deps.db.kysely;
  // The scheme is its state's: a user of another state is refused after the permission check (onRequest), before the body is parsed.
  const ownState = { preParsing: async (request: FastifyRequest, _reply: unknown, payload: unknown) => { await requireSchemeState(k, actorOf(request), (request.params as { scheme: string }).scheme); return payload; } };

  app.get(`${base}/coverage`, {
    schema: { tags, summary: 'Coverage (families with a card ÷ families in the register), claims per 1,000 members, amounts paid and pending and the commonest diagnoses, by panchayat, block or district of the caller\'s area: counts only', params: SchemeParams, querystring: CoverageQuery, response: { 200: Coverage, ...errors } },
  }, async (request) => coverage(k, actorOf(request), request.params.scheme, request.query));

  app.get('/api/public/schemes/:scheme/coverage', {
    config: { public: true },
    schema: { tags, summary: 'The public figures of a scheme by district or block of a state: aggregates only; a diagnosis named only where five claims or more share it', params: SchemeParams, querystring: PublicCoverageQuery, response: { 200: PublicCoverage, ...errors } },
  }, async (request) => publicCoverage(k, request.params.scheme, request.query));

  app.get(`${base}/coverage/map`, {
    schema: { tags, summary: 'The map of the coverage figures: the outline (or, for a district without one, the headquarters point) of each panchayat, block or district of the caller\'s area, as GeoJSON keyed by unit id; units with neither listed in noShape. Geography only', params: SchemeParams, querystring: CoverageShapesQuery, response: { 200: CoverageShapes, ...errors } },
  }, async (request) => coverageShapes(k, actorOf(request), request.params.scheme, request.query));

  app.get('/api/public/schemes/:scheme/coverage/map', {
    config: { public: true },
    schema: { tags, summary: 'The map of the public figures: the outline (or headquarters point) of each district or block of the state, as GeoJSON keyed by unit id; units with neither listed in noShape. Geography only', params: SchemeParams, querystring: PublicCoverageShapesQuery, response: { 200: CoverageShapes, ...errors } },
  }, async (request) => publicCoverageShapes(k, request.params.scheme, request.query));

  app.get(`${base}/setup`, {
    schema: { tags, summary: 'The scheme\'s set-up in force on a day (default today): cover, members per card, windows, exclusions, categories, packages; and every version', params: SchemeParams, querystring: OnQuery, response: { 200: Setup, ...errors } },
  }, async (request) => getSetup(k, actorOf(request), request.params.scheme, request.query.on));

  app.post(`${base}/setup`, {
    ...ownState,
    schema: { tags, summary: 'A new version of the settings from validFrom (state level): what it does not name is kept', params: SchemeParams, body: SettingsBody, response: { 201: SettingsAnswer, ...errors } },
  }, async (request, reply) => reply.status(201).send(await addSettings(k, actorOf(request), request.params.scheme, request.body)));

  app.post(`${base}/categories`, {
    ...ownState,
    schema: { tags, summary: 'A category\'s premium (new or changed) from validFrom (state level)', params: SchemeParams, body: CategoryBody, response: { 201: CategoryAnswer, ...errors } },
  }, async (request, reply) => reply.status(201).send(await addCategory(k, actorOf(request), request.params.scheme, request.body)));

  app.post(`${base}/packages`, {
    ...ownState,
    schema: { tags, summary: 'A package\'s rate and pre-authorisation (new or changed) from validFrom (state level)', params: SchemeParams, body: PackageBody, response: { 201: PackageAnswer, ...errors } },
  }, async (request, reply) => reply.status(201).send(await addPackage(k, actorOf(request), request.params.scheme, request.body)));

  app.get(`${base}/hospitals`, {
    schema: { tags, summary: 'Empanelled hospitals in the caller\'s area', params: SchemeParams, response: { 200: Hospitals, ...errors } },
  }, async (request) => listHospitals(k, actorOf(request), request.params.scheme));

  app.post(`${base}/hospitals`, {
    ...ownState,
    schema: { tags, summary: 'Empanel a hospital of the registry (state level)', params: SchemeParams, body: HospitalBody, response: { 201: HospitalAnswer, ...errors } },
  }, async (request, reply) => reply.status(201).send(await empanel(k, actorOf(request), request.params.scheme, request.body)));

  app.post(`${base}/enrolments`, {
    ...ownState,
    schema: { tags, summary: 'Enrol a register family in a category inside an open window: premium recorded paid, card issued; one active card per family and year (409)', params: SchemeParams, body: EnrolBody, response: { 201: Enrolled, ...errors } },
  }, async (request, reply) => reply.status(201).send(await enrol(k, actorOf(request), request.params.scheme, request.body)));

  app.get(`${base}/enrolments`, {
    schema: { tags, summary: 'Cards of the caller\'s area (or of one family), newest first; an audited read', params: SchemeParams, querystring: EnrolmentQuery, response: { 200: EnrolmentPage, ...errors } },
  }, async (request) => listEnrolments(k, actorOf(request), request.params.scheme, request.query));

  app.get(`${base}/enrolments/:id`, {
    schema: { tags, summary: 'A card with its members and the cover used; an audited read', params: IdParams, response: { 200: Enrolment, ...errors } },
  }, async (request) => getEnrolment(k, actorOf(request), request.params.scheme, request.params.id));

  app.post(`${base}/enrolments/:id/renew`, {
    ...ownState,
    ...emptyBody,
    schema: { tags, summary: 'Renew a card for the next scheme year (its members carried over)', params: IdParams, body: RenewBody, response: { 201: Enrolled, ...errors } },
  }, async (request, reply) => reply.status(201).send(await renew(k, actorOf(request), request.params.scheme, request.params.id, request.body)));

  app.post(`${base}/enrolments/:id/members`, {
    ...ownState,
    schema: { tags, summary: 'Add a member of the family to the card, within the members per card (409 when full)', params: IdParams, body: MemberBody, response: { 200: Enrolled, ...errors } },
  }, async (request) => addMember(k, actorOf(request), request.params.scheme, request.params.id, request.body.patientId));

  app.post(`${base}/enrolments/:id/members/:patientId/remove`, {
    ...ownState,
    ...emptyBody,
    schema: { tags, summary: 'Remove a member from the card', params: MemberParams, body: EmptyBody, response: { 200: Enrolled, ...errors } },
  }, async (request) => removeMember(k, actorOf(request), request.params.scheme, request.params.id, request.params.patientId));

  app.get(`${base}/cards/:file`, {
    schema: { tags, summary: 'The printable bilingual card (PDF, A6) with its QR code: /cards/{cardNumber}.pdf; an audited read', params: CardParams },
  }, async (request, reply) => {
    const m = /^([A-Za-z0-9-]{4,40})\.pdf$/.exec(request.params.file);
    if (!m) throw badRequest(`${request.params.file} is not a card file; ask for /cards/{cardNumber}.pdf`, 'कार्ड फ़ाइल /cards/{cardNumber}.pdf माँगें', { field: 'file' });
    const { pdf, cardNumber } = await schemeCardPdf(k, actorOf(request), request.params.scheme, m[1]);
    return reply.type('application/pdf').header('content-disposition', `inline; filename="himcare-${cardNumber}.pdf"`).header('cache-control', 'no-store').send(pdf);
  });

  await plain.register(claimRoutes(deps));
};
