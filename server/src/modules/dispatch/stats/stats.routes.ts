import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../../app.js';
import { inTransaction } from '../../../db/transaction.js';
import { actorOf, ErrorBody } from '../../../platform/http.js';
import { getTargets, MAX_MONTHS, monthlySeries, putTargets, ranking, responseTimes, type TargetsInput } from './stats.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const tags = ['ambulances'];
// Months and codes are checked in the service, so a bad one gets a message naming it (in Hindi too).
const Month = (description: string) => Type.Optional(Type.String({ maxLength: 7, description }));
const Service = Type.Optional(Type.String({ maxLength: 3, description: '108 or 102; both when absent' }));
const District = Type.Optional(Type.String({ minLength: 1, maxLength: 60, description: 'a district in your area (LGD code or id)' }));
const State = Type.Optional(Type.String({ minLength: 1, maxLength: 60, description: 'a state (LGD code or id); your own when absent' }));
const Num = Type.Union([Type.Number(), Type.Null()]);
const Str = Type.Union([Type.String(), Type.Null()]);

const Measures = {
  calls: Type.Integer({ description: 'calls received in the period' }),
  reached: Type.Integer({ description: 'calls an ambulance reached (at scene)' }),
  withinTarget: Type.Integer({ description: 'calls reached within the call-to-scene target' }),
  withinTargetShare: Type.Union([Type.Number({ description: 'withinTarget / reached' }), Type.Null()]),
  callToDispatchP50: Num, callToDispatchP90: Num,
  dispatchToSceneP50: Num, dispatchToSceneP90: Num,
  callToSceneP50: Num, callToSceneP90: Num,
  callToHospitalP50: Num, callToHospitalP90: Num,
};
const Fleet = {
  vehicles: Type.Integer({ description: 'vehicles of the service based in the district now' }),
  offRoadNow: Type.Integer(),
  trips: Type.Integer({ description: 'trips those vehicles were assigned in the period (declined, timed-out and never-started ones not counted)' }),
  tripsPerVehiclePerDay: Num,
};
const Unit = { districtId: Type.String(), name: Type.String(), nameHi: Str, lgdCode: Num };
const Figures = Type.Object({
  from: Type.String(), to: Type.String(), days: Type.Integer(), service: Str,
  districts: Type.Array(Type.Object({ ...Unit, service: Type.String(), targetUrbanMinutes: Type.Integer(), targetRuralMinutes: Type.Integer(), ...Measures, ...Fleet })),
  totals: Type.Array(Type.Object({ service: Type.String(), ...Measures, ...Fleet })),
});
const Monthly = Type.Object({
  from: Type.String(), to: Type.String(), districtId: Str,
  series: Type.Array(Type.Object({ service: Type.String(), items: Type.Array(Type.Object({ month: Type.String(), ...Measures })) })),
});
const StateT = Type.Object({ id: Type.String(), name: Type.String(), nameHi: Str, lgdCode: Num });
const RankingT = Type.Object({
  month: Type.String(), service: Type.String(), state: StateT,
  items: Type.Array(Type.Object({ rank: Type.Union([Type.Integer(), Type.Null()]), ...Unit, ...Measures })),
});
const Targets = Type.Object({
  state: StateT, canEdit: Type.Boolean(),
  items: Type.Array(Type.Object({ service: Type.String(), area: Type.String(), callToSceneMinutes: Type.Integer(), defaultMinutes: Type.Integer(), source: Type.String({ enum: ['state', 'default'] }) })),
  districts: Type.Array(Type.Object({ ...Unit, service: Type.String(), area: Type.String(), callToSceneMinutes: Type.Integer() })),
});
const TargetsBody = Type.Object({
  state: State,
  district: Type.Optional(Type.String({ minLength: 1, maxLength: 60, description: 'set this district\'s own targets (they override the state\'s)' })),
  items: Type.Array(Type.Object({
    service: Type.String({ enum: ['108', '102'] }),
    area: Type.String({ enum: ['urban', 'rural'] }),
    callToSceneMinutes: Type.Union([Type.Integer({ minimum: 1, maximum: 240 }), Type.Null()], { description: 'minutes from the call to the ambulance at the scene; null goes back to the state\'s (or the default)' }),
  }, { additionalProperties: false }), { minItems: 1, maxItems: 4 }),
}, { additionalProperties: false });

/** Response times of 108 and 102 per district, month and state, and the state's targets (issue 12). */
export const responseTimeRoutes = ({ db }: AppDeps): FastifyPluginAsync => async (app) => {
  const k = db.kysely;

  app.get('/api/dispatch/response-times', {
    schema: {
      tags, summary: 'Per district and service in your area: calls, calls reached, call-to-dispatch, dispatch-to-scene, call-to-scene and call-to-hospital medians and 90th percentiles (minutes), share within target, trips per vehicle per day, vehicles off road now',
      querystring: Type.Object({ from: Month('first month, YYYY-MM (IST); last month when absent'), to: Month(`last month, YYYY-MM; at most ${MAX_MONTHS} months`), service: Service, district: District, state: State }, { additionalProperties: false }),
      response: { 200: Figures, ...errors },
    },
  }, async (request) => responseTimes(k, actorOf(request), request.query as Record<string, string>));

  app.get('/api/dispatch/response-times/monthly', {
    schema: {
      tags, summary: 'The same figures month by month (the last 12 when no period is given), for your area or one district',
      querystring: Type.Object({ from: Month('first month, YYYY-MM'), to: Month('last month, YYYY-MM'), service: Service, district: District, state: State }, { additionalProperties: false }),
      response: { 200: Monthly, ...errors },
    },
  }, async (request) => monthlySeries(k, actorOf(request), request.query as Record<string, string>));

  app.get('/api/dispatch/ranking', {
    schema: {
      tags, summary: 'Districts of your state ranked by the share of calls reached within target, then by the 90th percentile of call to scene',
      querystring: Type.Object({ month: Month('YYYY-MM; last month when absent'), service: Service, state: State }, { additionalProperties: false }),
      response: { 200: RankingT, ...errors },
    },
  }, async (request) => ranking(k, actorOf(request), request.query as Record<string, string>));

  app.get('/api/dispatch/targets', {
    schema: { tags, summary: 'The state\'s call-to-scene targets by service and area (defaults where none is set), and districts\' own', querystring: Type.Object({ state: State }, { additionalProperties: false }), response: { 200: Targets, ...errors } },
  }, async (request) => getTargets(k, actorOf(request), request.query as { state?: string }));

  app.put('/api/dispatch/targets', {
    schema: { tags, summary: 'Set the state\'s targets (or a district\'s own); state officers and the administrator', body: TargetsBody, response: { 200: Targets, ...errors } },
  }, async (request) => inTransaction(k, (trx) => putTargets(trx, actorOf(request), request.body as TargetsInput)));
};
