// Ambulance events over HTTP, and the offline sweep's timer (ambulances.events.ts reads the events).
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../app.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { badRequest } from '../../platform/errors.js';
import { actorOf, ErrorBody, page, Paging } from '../../platform/http.js';
import { getAmbulance } from './ambulances.js';
import { configureEvents, EVENT_KINDS, sweepOffline, toEvent, type EventKind } from './ambulances.events.js';

type Db = Kysely<Database>;

/** How often the offline sweep runs. */
export const SWEEP_EVERY_MS = 60_000;

export interface EventQuery { kind?: EventKind; from?: string; to?: string; limit?: number; offset?: number }

function time(v: string | undefined, field: 'from' | 'to'): Date | null {
  if (v === undefined || v === '') return null;
  const t = /^\d{4}-\d{2}-\d{2}$/.test(v) ? Date.parse(`${v}T00:00:00+05:30`) : Date.parse(v);
  if (!Number.isFinite(t)) {
    throw badRequest(`${field} must be a date (YYYY-MM-DD, Indian time) or a date and time (ISO 8601), not "${v.slice(0, 40)}"`,
      `${field} तारीख (YYYY-MM-DD) या तारीख और समय (ISO 8601) होना चाहिए`, { field });
  }
  return new Date(t);
}

/**
 * Events of the vehicles based in the caller's area (or of one vehicle), newest first: `kind`, `from`
 * (inclusive) and `to` (exclusive; a bare date runs to the end of that day).
 */
export async function listEvents(db: Db, actor: Actor, q: EventQuery, ambulanceId?: string) {
  requirePermission(actor, 'can_read_ambulances');
  // Outside the caller's area a vehicle is as if there were none (404).
  if (ambulanceId !== undefined) await getAmbulance(db, actor, ambulanceId);
  const from = time(q.from, 'from');
  let to = time(q.to, 'to');
  if (to && q.to && /^\d{4}-\d{2}-\d{2}$/.test(q.to)) to = new Date(to.getTime() + 86_400_000);
  if (from && to && from >= to) throw badRequest('from must be before to', 'from, to से पहले होना चाहिए', { field: 'from' });
  const limit = q.limit ?? 50;
  const offset = q.offset ?? 0;
  let query = db.selectFrom('ambulance_events as e')
    .innerJoin('ambulances as a', 'a.id', 'e.ambulance_id')
    .innerJoin('org_units as b', 'b.id', 'a.base_facility_id')
    .leftJoin('org_units as f', 'f.id', 'e.facility_id')
    .where('b.path', 'like', `${actor.orgPath}%`);
  if (ambulanceId !== undefined) query = query.where('e.ambulance_id', '=', ambulanceId);
  if (q.kind) query = query.where('e.kind', '=', q.kind);
  if (from) query = query.where('e.at', '>=', from);
  if (to) query = query.where('e.at', '<', to);
  const [rows, count] = await Promise.all([
    query.select(['e.id', 'e.ambulance_id', 'e.kind', 'e.at', 'e.latitude', 'e.longitude', 'e.facility_id', 'e.details', 'a.registration_number', 'f.name as facility_name'])
      .orderBy('e.at', 'desc').orderBy('e.id', 'desc').limit(limit).offset(offset).execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => ({ ...toEvent(r), registrationNumber: r.registration_number, facilityName: r.facility_name ?? null })),
    total: Number(count.n), limit, offset,
  };
}

const EventT = Type.Object({
  id: Type.String(), ambulanceId: Type.String(), registrationNumber: Type.String(),
  kind: Type.String({ enum: [...EVENT_KINDS] }), at: Type.String(),
  latitude: Type.Union([Type.Number(), Type.Null()]), longitude: Type.Union([Type.Number(), Type.Null()]),
  facilityId: Type.Union([Type.String(), Type.Null()]), facilityName: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Any()),
});
const EventQueryT = Type.Object({
  ...Paging,
  kind: Type.Optional(Type.String({ enum: [...EVENT_KINDS] })),
  from: Type.Optional(Type.String({ maxLength: 40, description: 'YYYY-MM-DD (Indian time) or ISO 8601; inclusive' })),
  to: Type.Optional(Type.String({ maxLength: 40, description: 'YYYY-MM-DD (to the end of that day) or ISO 8601; exclusive' })),
}, { additionalProperties: false });
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const tags = ['ambulances'];

/** The event settings from the config, the offline sweep every minute (stopped on close), and the event routes. */
export function registerAmbulanceEvents(app: FastifyInstance, { db, config }: Pick<AppDeps, 'db' | 'config'>): void {
  configureEvents(db.kysely, config.ambulanceEvents, app.log);
  let running = false;
  const sweep = async () => {
    if (running) return;
    running = true;
    try { await sweepOffline(db.kysely); } catch (e) { app.log.warn({ err: (e as Error).message }, 'ambulance events: offline sweep failed'); } finally { running = false; }
  };
  // On the shared scheduler (platform/jobs): once a minute across all instances.
  app.jobs.every('ambulances.offline-sweep', SWEEP_EVERY_MS / 1000, sweep);

  app.get('/api/ambulances/events', {
    schema: { tags, summary: 'Events (online, offline, overspeed, geofence_enter, geofence_exit, long_halt) of the vehicles based in the caller\'s area, newest first', querystring: EventQueryT, response: { 200: page(EventT), ...errors } },
  }, async (request) => listEvents(db.kysely, actorOf(request), request.query as EventQuery));
  app.get('/api/ambulances/:id/events', {
    schema: { tags, summary: 'One vehicle\'s events, newest first; outside the caller\'s area 404', params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' }) }), querystring: EventQueryT, response: { 200: page(EventT), ...errors } },
  }, async (request) => listEvents(db.kysely, actorOf(request), request.query as EventQuery, (request.params as { id: string }).id));
}
