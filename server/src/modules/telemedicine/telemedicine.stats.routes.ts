import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../app.js';
import { actorOf, ErrorBody } from '../../platform/http.js';
import { STATS_BY, teleRanking, teleStats, teleUtilisation, type StatsQuery, type UtilisationQuery } from './telemedicine.stats.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const tags = ['telemedicine'];
// Dates are checked in the service, so a bad one gets a message naming it (in Hindi too).
const day = (description: string) => Type.String({ maxLength: 10, description });
const Period = { from: day('first day, YYYY-MM-DD (IST)'), to: day('last day, YYYY-MM-DD (IST); at most 366 days after from') };
const OrgUnit = Type.Optional(Type.String({ minLength: 1, maxLength: 60, description: 'narrow to a state, district, block or facility in your area (LGD code or id)' }));
const Num = Type.Union([Type.Number(), Type.Null()]);
const Str = Type.Union([Type.String(), Type.Null()]);

const Measures = {
  requests: Type.Integer({ description: 'requests that joined a queue on these days, whatever became of them' }),
  consultations: Type.Integer({ description: 'requests a doctor started (in consultation or completed)' }),
  completed: Type.Integer(),
  noShows: Type.Integer(),
  noShowRate: Type.Union([Type.Number({ description: 'no_show / (completed + no_show)' }), Type.Null()]),
  waitP50Minutes: Type.Union([Type.Number({ description: 'median of called_at − queued_at over requests a doctor called' }), Type.Null()]),
  waitP90Minutes: Num,
  waitP95Minutes: Num,
};
const Stats = Type.Object({
  from: Type.String(), to: Type.String(), by: Type.String(),
  rows: Type.Array(Type.Object({ key: Type.String(), name: Type.String(), nameHi: Str, orgUnitId: Str, lgdCode: Num, ...Measures })),
  total: Type.Object({ key: Type.String(), ...Measures }),
});
const Utilisation = Type.Object({
  from: Type.String(), to: Type.String(),
  items: Type.Array(Type.Object({
    doctorId: Type.String(), name: Type.String(), nameHi: Str, hubId: Type.String(), hubName: Type.String(), hubNameHi: Str,
    specialties: Type.Array(Type.String()), onlineMinutes: Type.Number(), consultingMinutes: Type.Number(),
    utilisation: Type.Union([Type.Number({ description: 'consulting minutes / online minutes' }), Type.Null()]), consultations: Type.Integer(),
  })),
  total: Type.Object({ onlineMinutes: Type.Number(), consultingMinutes: Type.Number(), utilisation: Num, consultations: Type.Integer() }),
});
const Ranking = Type.Object({
  from: Type.String(), to: Type.String(), total: Type.Number(), days: Type.Integer({ description: 'days of the period with national counts' }),
  latestDay: Str, sources: Type.Array(Type.String()),
  items: Type.Array(Type.Object({
    rank: Type.Integer(), stateLgd: Type.Integer(), name: Type.String(), nameHi: Str, consultations: Type.Number(), share: Num, days: Type.Integer(),
    ownConsultations: Type.Union([Type.Integer({ description: 'consultations recorded in Swasthya for this state, in your area' }), Type.Null()]),
  })),
  own: Type.Array(Type.Object({ stateLgd: Type.Integer(), name: Type.String(), nameHi: Str, consultations: Type.Integer() })),
});

/** Telemedicine counts, waiting times, doctors' utilisation and the national ranking of states. */
export const teleStatsRoutes = ({ db }: AppDeps): FastifyPluginAsync => async (app) => {
  const k = db.kysely;

  app.get('/api/telemedicine/stats', {
    schema: {
      tags, summary: 'Consultations, no-shows and waiting-time percentiles by day, hub, spoke, specialty, district or state, for requests whose hub or spoke is in your area',
      querystring: Type.Object({ ...Period, by: Type.Optional(Type.String({ enum: STATS_BY, default: 'day' })), orgUnit: OrgUnit }, { additionalProperties: false }),
      response: { 200: Stats, ...errors },
    },
  }, async (request) => teleStats(k, actorOf(request), request.query as StatsQuery));

  app.get('/api/telemedicine/utilisation', {
    schema: {
      tags, summary: 'Per doctor: minutes online, minutes in consultation, utilisation (their ratio) and consultations; doctors see their own',
      querystring: Type.Object({ ...Period, hubId: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })), orgUnit: OrgUnit }, { additionalProperties: false }),
      response: { 200: Utilisation, ...errors },
    },
  }, async (request) => teleUtilisation(k, actorOf(request), request.query as UtilisationQuery));

  app.get('/api/telemedicine/ranking', {
    schema: {
      tags, summary: 'States ranked by national teleconsultations over the period, with their share, beside the consultations Swasthya recorded',
      querystring: Type.Object(Period, { additionalProperties: false }),
      response: { 200: Ranking, ...errors },
    },
  }, async (request) => teleRanking(k, actorOf(request), request.query as { from: string; to: string }));
};
