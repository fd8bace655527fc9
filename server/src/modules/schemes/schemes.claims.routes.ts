import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../app.js';
import { actorOf, ErrorBody } from '../../platform/http.js';
import { Claim, ClaimBody, ClaimFiled, ClaimPage, ClaimQuery, DischargeBody, IdParams, PreauthBody, SchemeParams, SettleBody } from './schemes.schema.js';
import { decidePreauth, discharge, fileClaim, getClaim, listClaims, requireFilingScope, settle } from './schemes.claims.js';
import { requireSchemeState } from './schemes.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['schemes'];
const base = '/api/schemes/:scheme/claims';

/**
 * Claims from empanelled hospitals (issue 15, part 5). Each write's permission is checked before its
 * body is read (platform/route-permissions.ts), then the scheme's state (a user of another state 403);
 * the hospital named in a claim is then checked to be the caller's own before anything else of the
 * body is looked at.
 */
export const claimRoutes = ({ db }: AppDeps): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const k = db.kysely;
  // The scheme is its state's: a user of another state is refused after the permission check (onRequest), before the body is parsed.
  const ownState = { preParsing: async (request: FastifyRequest, _reply: unknown, payload: unknown) => { await requireSchemeState(k, actorOf(request), (request.params as { scheme: string }).scheme); return payload; } };

  app.post(base, {
    // Scope before the body is read: an empanelled hospital of the caller's (the hospital named inside is checked next).
    onRequest: async (request) => requireFilingScope(k, actorOf(request), (request.params as { scheme: string }).scheme),
    schema: { tags, summary: 'File a claim (an empanelled hospital\'s operator, for their hospital): 201 {id, status, flags}; pre-authorisation asked where the package needs it; flags are signals for review, never refusals', params: SchemeParams, body: ClaimBody, response: { 201: ClaimFiled, ...errors } },
  }, async (request, reply) => reply.status(201).send(await fileClaim(k, actorOf(request), request.params.scheme, request.body)));

  app.get(base, {
    schema: { tags, summary: 'Claims of the caller\'s area (a hospital: its own), newest first, with the days each step took and the dues (claims awaiting settlement, and those past the promised days); an audited read', params: SchemeParams, querystring: ClaimQuery, response: { 200: ClaimPage, ...errors } },
  }, async (request) => listClaims(k, actorOf(request), request.params.scheme, request.query));

  app.get(`${base}/:id`, {
    schema: { tags, summary: 'One claim; an audited read', params: IdParams, response: { 200: Claim, ...errors } },
  }, async (request) => getClaim(k, actorOf(request), request.params.scheme, request.params.id));

  app.post(`${base}/:id/preauth`, {
    ...ownState,
    schema: { tags, summary: 'Decide a pre-authorisation (the scheme\'s officer): approve, or reject with a reason; a parallel second decision is 409', params: IdParams, body: PreauthBody, response: { 200: Claim, ...errors } },
  }, async (request) => decidePreauth(k, actorOf(request), request.params.scheme, request.params.id, request.body));

  app.post(`${base}/:id/discharge`, {
    ...ownState,
    schema: { tags, summary: 'Discharge and claim (the hospital\'s operator): the final amount and treatment; the flags are looked at again', params: IdParams, body: DischargeBody, response: { 200: Claim, ...errors } },
  }, async (request) => discharge(k, actorOf(request), request.params.scheme, request.params.id, request.body));

  app.post(`${base}/:id/settle`, {
    ...ownState,
    schema: { tags, summary: 'Settle a claim (the scheme\'s officer): approved, deducted (amount and reason) or rejected (reason); a parallel second settlement is 409', params: IdParams, body: SettleBody, response: { 200: Claim, ...errors } },
  }, async (request) => settle(k, actorOf(request), request.params.scheme, request.params.id, request.body));
};
