import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { AppDeps } from '../../app.js';
import { BODY_LIMITS } from '../../platform/body-limits.js';
import { AppError, badRequest } from '../../platform/errors.js';
import { actorOf, ErrorBody, page, Paging } from '../../platform/http.js';
import { createAmbulance, getAmbulance, KINDS, listAmbulances, nearestAvailable, type Kind, type Service as ServiceName, SERVICES, setStatus, STATUSES, type CreateInput, type ListQuery, type Status } from './ambulances.js';
import { maintainPositionPartitions } from './ambulances.partitions.js';
import { registerAmbulanceEvents } from './ambulances.events.routes.js';
import { registerLiveStream } from './ambulances.stream.js';
import { crewRoutes, CrewT } from './ambulances.crew.js';
import { deviceKeyRoutes, KEY_HEADER } from './ambulances.keys.js';
import { normRoutes } from './ambulances.norms.js';
import { MAX_BATCH, parseDeviceTime, parseOsmAnd, parseTraccarJson, storeFixes, type Fix } from './ambulances.positions.js';

const Id = Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' });
const Service = Type.String({ enum: [...SERVICES] });
const Kind = Type.String({ enum: [...KINDS] });
const StatusT = Type.String({ enum: [...STATUSES] });
const CreateBody = Type.Object({
  registrationNumber: Type.String({ minLength: 1, maxLength: 20 }),
  service: Service,
  kind: Kind,
  baseFacilityId: Type.String({ minLength: 1, maxLength: 60 }),
  deviceId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[\\x21-\\x7e]+$', description: 'as the tracker sends it (its IMEI or Traccar identifier)' }),
}, { additionalProperties: false });
const StatusBody = Type.Object({ status: StatusT }, { additionalProperties: false });
const PositionT = Type.Union([Type.Null(), Type.Object({
  latitude: Type.Number(), longitude: Type.Number(), fixTime: Type.String(),
  speedKmh: Type.Union([Type.Number(), Type.Null()]), course: Type.Union([Type.Number(), Type.Null()]), battery: Type.Union([Type.Number(), Type.Null()]),
})]);
const AmbulanceT = Type.Object({
  id: Type.String(), registrationNumber: Type.String(), service: Type.String(), kind: Type.String(),
  baseFacilityId: Type.String(), baseFacilityName: Type.String(), deviceId: Type.String(), status: Type.String(),
  position: PositionT, createdAt: Type.String(), updatedAt: Type.String(),
  crew: Type.Optional(CrewT),
});
const ListQueryT = Type.Object({
  ...Paging,
  status: Type.Optional(StatusT), service: Type.Optional(Service), kind: Type.Optional(Kind),
  q: Type.Optional(Type.String({ maxLength: 20, description: 'part of the registration number' })),
}, { additionalProperties: false });
const StoreAnswer = Type.Object({
  accepted: Type.Integer(), duplicates: Type.Integer(),
  refused: Type.Array(Type.Object({ index: Type.Integer(), reason: Type.String() })),
});
const OsmAndQuery = Type.Object({
  id: Type.Optional(Type.String({ maxLength: 64 })), deviceid: Type.Optional(Type.String({ maxLength: 64 })),
  lat: Type.Optional(Type.String({ maxLength: 32 })), lon: Type.Optional(Type.String({ maxLength: 32 })),
  location: Type.Optional(Type.String({ maxLength: 64 })), timestamp: Type.Optional(Type.String({ maxLength: 40 })),
  speed: Type.Optional(Type.String({ maxLength: 32, description: 'knots' })), bearing: Type.Optional(Type.String({ maxLength: 32 })),
  heading: Type.Optional(Type.String({ maxLength: 32 })), altitude: Type.Optional(Type.String({ maxLength: 32 })),
  accuracy: Type.Optional(Type.String({ maxLength: 32 })), batt: Type.Optional(Type.String({ maxLength: 32 })),
  key: Type.Optional(Type.String({ maxLength: 128, description: 'the device key, when its vehicle has one (or the x-device-key header)' })),
}, { additionalProperties: true });
const BatchBody = Type.Object({
  positions: Type.Array(Type.Object({
    deviceId: Type.String({ minLength: 1, maxLength: 64 }),
    latitude: Type.Number(), longitude: Type.Number(),
    fixTime: Type.Union([Type.String({ minLength: 1, maxLength: 40 }), Type.Number()], { description: 'ISO 8601, or Unix seconds or milliseconds' }),
    speedKmh: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    course: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    altitude: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    accuracy: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    battery: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    key: Type.Optional(Type.String({ maxLength: 128, description: 'the device key, when its vehicle has one (or the x-device-key header for all)' })),
  }, { additionalProperties: false }), { minItems: 1, maxItems: MAX_BATCH }),
}, { additionalProperties: false });

const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['ambulances'];

/** One device fix over OsmAnd (query string, form body, or the newer client's JSON). */
async function osmand(db: AppDeps['db'], request: FastifyRequest, reply: FastifyReply) {
  const query = (request.query ?? {}) as Record<string, string | string[]>;
  const body = request.body;
  let fix: Fix;
  // As Traccar: the query's parameters, else the form body's; a JSON body is the newer client's.
  if (Object.keys(query).length > 0) fix = parseOsmAnd(query);
  else if (body && typeof body === 'object' && (request.headers['content-type'] ?? '').includes('form-urlencoded')) fix = parseOsmAnd(body as Record<string, string>);
  else if (body && typeof body === 'object') fix = parseTraccarJson(body);
  else throw badRequest('Send the position as OsmAnd parameters (id, lat, lon, timestamp, speed) or the Traccar Client JSON body', undefined, { field: 'id' });
  // The device key, when the vehicle has one (ambulances.keys.ts): x-device-key, or key= in the query or form.
  const formKey = body && typeof body === 'object' ? (body as Record<string, unknown>).key : undefined;
  const key = request.headers[KEY_HEADER] ?? query.key ?? formKey;
  fix.key = typeof key === 'string' ? key : Array.isArray(key) ? String(key[key.length - 1]) : undefined;
  const result = await storeFixes(db.kysely, [fix], 'osmand');
  if (result.refused[0]?.reason === 'bad_device_key') {
    throw new AppError('unauthenticated', { en: `GPS device ${fix.deviceId} needs its device key (key= or the ${KEY_HEADER} header)`, hi: `GPS डिवाइस ${fix.deviceId} के लिए उसकी डिवाइस कुंजी चाहिए` }, { reason: 'bad_device_key', field: 'key' });
  }
  if (result.refused[0]?.reason === 'unknown_device') {
    throw badRequest(`No ambulance has GPS device ${fix.deviceId}; register the vehicle with this device id first`, `GPS डिवाइस ${fix.deviceId} किसी एम्बुलेंस में दर्ज नहीं है`, { field: 'id' });
  }
  // A refused fix (outside India, from the future) is still 200, so the device does not resend it for ever.
  return reply.status(200).send(result);
}

/** Vehicles of 108 and 102, and the positions their trackers send (issue 12). */
export const ambulanceRoutes = ({ db, config }: AppDeps): FastifyPluginAsync => async (app) => {
  // Position partitions: the coming days made and the days past retention dropped, at start and every 6 hours.
  const upkeep = () => maintainPositionPartitions(db.kysely).then(
    (r) => { if (r.dropped.length) app.log.info({ dropped: r.dropped }, 'ambulance positions: old days dropped'); },
    (e: Error) => app.log.warn({ err: e.message }, 'ambulance positions: partition upkeep failed'),
  );
  // Each instance at its start (positions need today's partition); then every 6 hours once across all
  // instances on the shared scheduler (platform/jobs).
  app.jobs.every('ambulances.partitions', 6 * 3600, upkeep);
  app.addHook('onReady', async () => { await upkeep(); });
  // OwnTracks over MQTT when MQTT_URL is set (ambulances.mqtt.ts).
  const mqttUrl = process.env.MQTT_URL;
  if (mqttUrl) {
    // Loaded only then: the MQTT client library is a noticeable part of the server's start.
    const { startOwnTracks } = await import('./ambulances.mqtt.js');
    const sub = startOwnTracks(db.kysely, mqttUrl, app.log);
    app.addHook('onClose', async () => { await sub.close(); });
  }

  // The live map's stream (ambulances.stream.ts).
  registerLiveStream(app, db);

  // Crew on shift, device keys, population norms (ambulances.crew.ts, .keys.ts, .norms.ts; the norms' CSV parser in its own scope).
  crewRoutes(app, db.kysely);
  deviceKeyRoutes(app, db.kysely);
  await app.register(async (sub) => normRoutes(sub, db.kysely));

  // Events: the settings, the offline sweep (every minute) and GET …/events (ambulances.events.routes.ts).
  registerAmbulanceEvents(app, { db, config });

  // OsmAnd devices may post their parameters as a form; only here, and small.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: BODY_LIMITS.devicePosition }, (_req, body, done) => {
    const out: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(String(body))) out[k] = v;
    done(null, out);
  });

  app.post('/api/ambulances', {
    schema: { tags, summary: 'Register an ambulance (admin; a district officer within the district): registration number and device id each once (409)', body: CreateBody, response: { 201: AmbulanceT, ...errors } },
  }, async (request, reply) => reply.status(201).send(await createAmbulance(db.kysely, actorOf(request), request.body as CreateInput)));

  app.get('/api/ambulances', {
    schema: { tags, summary: 'Ambulances based in the caller\'s area, by registration number, with their latest positions', querystring: ListQueryT, response: { 200: page(AmbulanceT), ...errors } },
  }, async (request) => listAmbulances(db.kysely, actorOf(request), request.query as ListQuery));

  app.get('/api/ambulances/nearest', {
    schema: {
      tags, summary: 'Available vehicles of a service in the caller\'s area, nearest first (straight line × detour factor, at an assumed speed)',
      querystring: Type.Object({
        latitude: Type.Number({ minimum: -90, maximum: 90 }), longitude: Type.Number({ minimum: -180, maximum: 180 }), service: Service,
        kind: Type.Optional(Kind), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Type.Intersect([AmbulanceT, Type.Object({ distanceKm: Type.Number(), etaMinutes: Type.Integer() })])) }), ...errors },
    },
  }, async (request) => nearestAvailable(db.kysely, actorOf(request), request.query as { latitude: number; longitude: number; service: ServiceName; kind?: Kind; limit?: number }));

  app.get('/api/ambulances/:id', {
    schema: { tags, summary: 'One ambulance, its status and latest position (null before the first fix)', params: Type.Object({ id: Id }), response: { 200: AmbulanceT, ...errors } },
  }, async (request) => getAmbulance(db.kysely, actorOf(request), (request.params as { id: string }).id));

  app.patch('/api/ambulances/:id', {
    schema: { tags, summary: 'Change an ambulance\'s status (available, dispatched, on_trip, off_road); a move its status does not allow is 409', params: Type.Object({ id: Id }), body: StatusBody, response: { 200: AmbulanceT, ...errors } },
  }, async (request) => setStatus(db.kysely, actorOf(request), (request.params as { id: string }).id, (request.body as { status: Status }).status));

  const deviceConfig = { public: true };
  app.get('/api/positions/osmand', {
    config: deviceConfig,
    schema: { tags, summary: 'A GPS fix in Traccar\'s OsmAnd protocol (no token: the device id is the key); unknown device 400', security: [], querystring: OsmAndQuery, response: { 200: StoreAnswer, 400: ErrorBody } },
  }, async (request, reply) => osmand(db, request, reply));
  app.post('/api/positions/osmand', {
    config: deviceConfig,
    bodyLimit: BODY_LIMITS.devicePosition,
    schema: { tags, summary: 'The same fix as a form POST, or the JSON body of newer Traccar Client versions (speed m/s)', security: [], querystring: OsmAndQuery, response: { 200: StoreAnswer, 400: ErrorBody, 413: ErrorBody } },
  }, async (request, reply) => osmand(db, request, reply));

  app.post('/api/positions', {
    config: deviceConfig,
    bodyLimit: BODY_LIMITS.positionBatch,
    schema: { tags, summary: `Up to ${MAX_BATCH} buffered fixes at once (no token: each fix's device id is its key); refused ones listed by index`, security: [], body: BatchBody, response: { 200: StoreAnswer, 400: ErrorBody, 413: ErrorBody } },
  }, async (request) => {
    const { positions } = request.body as Static<typeof BatchBody>;
    const headerKey = typeof request.headers[KEY_HEADER] === 'string' ? request.headers[KEY_HEADER] as string : undefined;
    const now = new Date();
    const fixes: Fix[] = [];
    const badTime: { index: number; reason: string }[] = [];
    positions.forEach((p, index) => {
      let fixTime: Date;
      try { fixTime = parseDeviceTime(String(p.fixTime), 'fixTime'); } catch { badTime.push({ index, reason: 'invalid_time' }); fixTime = new Date(NaN); }
      fixes.push({ ...p, fixTime, key: p.key ?? headerKey });
    });
    const result = await storeFixes(db.kysely, fixes, 'batch', now);
    const refused = [...result.refused.filter((r) => !badTime.some((b) => b.index === r.index)), ...badTime].sort((a, b) => a.index - b.index);
    return { ...result, refused };
  });
};
