// The live map's feed: GET /api/ambulances/live as server-sent events. A stream first sends a
// snapshot of the caller's area (vehicles with status and latest position, open calls), then the
// events announced on LIVE_CHANNEL (ambulances.live.ts) that concern that area, and a keep-alive
// comment every 15 s. Each server instance LISTENs once (LiveHub); an announcement is read once,
// the places it concerns resolved once (cached), and written to every stream of that area: a fix
// reaches the screen as soon as its transaction commits. When the listening connection was lost
// and is back (payload null), each stream gets a fresh snapshot, since events may have been missed.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import type { Db } from '../../db/connect.js';
import type { Database } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { actorOf, ErrorBody } from '../../platform/http.js';
import { LIVE_CHANNEL, type LiveEvent } from './ambulances.live.js';

type K = Kysely<Database>;

/** A comment line this often keeps proxies and browsers from closing a quiet stream. */
export const KEEP_ALIVE_MS = 15_000;
/** A client this far behind (bytes queued) is dropped; it reconnects and starts from a snapshot. */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;
const OPEN_CALL = ['waiting', 'assigned', 'en_route', 'at_scene', 'left_scene', 'at_hospital'] as const;
const ACTIVE_TRIP = ['assigned', 'en_route', 'at_scene', 'left_scene', 'at_hospital'] as const;

export interface LiveVehicle {
  id: string; registrationNumber: string; service: string; kind: string; status: string;
  baseFacilityId: string; baseFacilityName: string;
  position: { latitude: number; longitude: number; fixTime: string; speedKmh: number | null } | null;
}
/** A call as the map shows it: where, what, its state and the vehicle sent (never the caller's phone). */
export interface LiveCall {
  id: string; service: string; kind: string | null; complaint: string; latitude: number; longitude: number;
  districtId: string; status: string; createdAt: string;
  trip: { id: string; ambulanceId: string; registrationNumber: string; status: string } | null;
}
export interface Snapshot { at: string; vehicles: LiveVehicle[]; calls: LiveCall[] }
/** What a stream sends after its snapshot: vehicles' positions, statuses and events as announced; calls whole, with their state. */
export type StreamEvent = Exclude<LiveEvent, { type: 'call' }> | { type: 'call'; call: LiveCall };

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

async function vehiclesIn(db: K, orgPath: string): Promise<LiveVehicle[]> {
  const rows = await db.selectFrom('ambulances as a')
    .innerJoin('org_units as f', 'f.id', 'a.base_facility_id')
    .leftJoin('ambulance_latest_positions as p', 'p.ambulance_id', 'a.id')
    .select(['a.id', 'a.registration_number', 'a.service', 'a.kind', 'a.status', 'a.base_facility_id', 'f.name', 'p.latitude', 'p.longitude', 'p.fix_time', 'p.speed_kmh'])
    .where('f.path', 'like', `${orgPath}%`)
    .orderBy('a.registration_number').execute();
  return rows.map((r) => ({
    id: r.id, registrationNumber: r.registration_number, service: r.service, kind: r.kind, status: r.status,
    baseFacilityId: r.base_facility_id, baseFacilityName: r.name,
    position: r.fix_time == null || r.latitude == null || r.longitude == null ? null
      : { latitude: r.latitude, longitude: r.longitude, fixTime: iso(r.fix_time), speedKmh: r.speed_kmh == null ? null : Number(r.speed_kmh) },
  }));
}

function callQuery(db: K) {
  return db.selectFrom('dispatch_calls as c')
    .innerJoin('org_units as d', 'd.id', 'c.district_id')
    .leftJoin('dispatch_trips as t', (j) => j.onRef('t.call_id', '=', 'c.id').on('t.status', 'in', [...ACTIVE_TRIP]))
    .leftJoin('ambulances as a', 'a.id', 't.ambulance_id')
    .select(['c.id', 'c.service', 'c.kind', 'c.complaint', 'c.latitude', 'c.longitude', 'c.district_id', 'c.status', 'c.created_at', 'd.path',
      't.id as trip_id', 't.ambulance_id', 't.status as trip_status', 'a.registration_number']);
}
type CallRow = Awaited<ReturnType<ReturnType<typeof callQuery>['execute']>>[number];
const toCall = (r: CallRow): LiveCall => ({
  id: r.id, service: r.service, kind: r.kind, complaint: r.complaint, latitude: r.latitude, longitude: r.longitude,
  districtId: r.district_id, status: r.status, createdAt: iso(r.created_at),
  trip: r.trip_id && r.ambulance_id ? { id: r.trip_id, ambulanceId: r.ambulance_id, registrationNumber: r.registration_number ?? '', status: r.trip_status ?? 'assigned' } : null,
});

/** The caller's area now: every vehicle based there, and the calls still open there (oldest first). */
export async function liveSnapshot(db: K, actor: Actor): Promise<Snapshot> {
  requirePermission(actor, 'can_read_ambulances');
  const [vehicles, calls] = await Promise.all([
    vehiclesIn(db, actor.orgPath),
    callQuery(db).where('d.path', 'like', `${actor.orgPath}%`).where('c.status', 'in', [...OPEN_CALL]).orderBy('c.created_at').limit(500).execute(),
  ]);
  return { at: new Date().toISOString(), vehicles, calls: calls.map(toCall) };
}

interface Stream { orgPath: string; send(events: StreamEvent[]): void; resync(): void; end(): void }

/** One per server instance: listens once on LIVE_CHANNEL and hands each announcement to the streams of its area. */
export class LiveHub {
  private readonly streams = new Set<Stream>();
  /** Where each vehicle is based (its base facility's path); a vehicle does not change base. */
  private readonly vehiclePaths = new Map<string, string>();
  private stop: (() => Promise<void>) | null = null;
  private starting: Promise<void> | null = null;
  /** Announcements are handled one after another, so that a stream sees them in order. */
  private chain: Promise<void> = Promise.resolve();
  /** Announcements heard (for tests and the benchmark). */
  heard = 0;

  constructor(private readonly db: Db, private readonly log?: { warn(o: object, m: string): void }) {}

  private start() {
    return this.starting ??= (async () => {
      if (!this.db.listen) return;
      // Where every vehicle is based, read once before the first announcement is handled: looked up
      // announcement by announcement instead, a fleet's first round of fixes after a start (20,000
      // vehicles: hundreds of announcements, each a query behind the ingest's) held the streams
      // seconds behind. Vehicles registered later are looked up when first heard of.
      this.chain = this.learnPaths().catch((e: Error) => this.log?.warn({ err: e.message }, 'ambulance live: vehicles\' places could not be read'));
      this.stop = await this.db.listen(LIVE_CHANNEL, (payload) => {
        this.chain = this.chain.then(() => this.handle(payload)).catch((e: Error) => this.log?.warn({ err: e.message }, 'ambulance live: an announcement could not be handled'));
      });
    })();
  }

  private async learnPaths() {
    const rows = await this.db.kysely.selectFrom('ambulances as a').innerJoin('org_units as f', 'f.id', 'a.base_facility_id')
      .select(['a.id', 'f.path']).execute();
    for (const r of rows) this.vehiclePaths.set(r.id, r.path);
  }

  private async handle(payload: string | null) {
    this.heard++;
    if (payload === null) {
      for (const s of [...this.streams]) s.resync();
      return;
    }
    if (!this.streams.size) return;
    let events: LiveEvent[];
    try {
      const parsed = JSON.parse(payload) as unknown;
      events = (Array.isArray(parsed) ? parsed : [parsed]) as LiveEvent[];
    } catch {
      return;
    }
    // Places of vehicles not seen yet, in one query.
    const unknown = [...new Set(events.flatMap((e) => e.type !== 'call' && !this.vehiclePaths.has(e.ambulanceId) ? [e.ambulanceId] : []))];
    for (let i = 0; i < unknown.length; i += 1000) {
      const rows = await this.db.kysely.selectFrom('ambulances as a').innerJoin('org_units as f', 'f.id', 'a.base_facility_id')
        .select(['a.id', 'f.path']).where('a.id', 'in', unknown.slice(i, i + 1000)).execute();
      for (const r of rows) this.vehiclePaths.set(r.id, r.path);
    }
    // Calls are sent whole (their place, complaint, state and vehicle), read once for every stream.
    const callIds = [...new Set(events.flatMap((e) => (e.type === 'call' ? [e.callId] : [])))];
    const calls = new Map<string, { path: string; call: LiveCall }>();
    for (let i = 0; i < callIds.length; i += 1000) {
      for (const r of await callQuery(this.db.kysely).where('c.id', 'in', callIds.slice(i, i + 1000)).execute()) calls.set(r.id, { path: r.path, call: toCall(r) });
    }
    const placed: { path: string; event: StreamEvent }[] = [];
    for (const e of events) {
      if (e.type === 'call') {
        const c = calls.get(e.callId);
        if (c) placed.push({ path: c.path, event: { type: 'call', call: c.call } });
      } else {
        const path = this.vehiclePaths.get(e.ambulanceId);
        if (path) placed.push({ path, event: e });
      }
    }
    for (const s of [...this.streams]) {
      const mine = placed.filter((p) => p.path.startsWith(s.orgPath)).map((p) => p.event);
      if (mine.length) s.send(mine);
    }
  }

  async add(stream: Stream): Promise<() => void> {
    await this.start();
    this.streams.add(stream);
    return () => { this.streams.delete(stream); };
  }

  /** Ends every open stream: call before the HTTP server closes (they would hold it open). */
  endStreams() {
    for (const s of [...this.streams]) s.end();
  }

  async close() {
    this.endStreams();
    await this.stop?.();
  }
}

/** Sends the snapshot, then the area's events, until the client goes away or the server closes. */
async function stream(request: FastifyRequest, reply: FastifyReply, hub: LiveHub, db: K, actor: Actor) {
  // Listening before the snapshot is read: nothing announced meanwhile is lost (it is held until the
  // snapshot is written; an event the snapshot already holds changes nothing on the map).
  let held: StreamEvent[][] | null = [];
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let res: FastifyReply['raw'] | null = null;
  let remove = () => {};
  const end = () => {
    if (closed) return;
    closed = true;
    clearInterval(timer);
    remove();
    res?.end();
  };
  // A snapshot is as big as the area's fleet (a state's 20,000 vehicles make about 5 MB): it does not
  // count against the client's backlog, which is what is queued beyond the last snapshot.
  let snapshotBytes = 0;
  const write = (text: string) => {
    if (closed || !res) return;
    res.write(text);
    if (res.writableLength > MAX_QUEUED_BYTES + snapshotBytes) end();
  };
  const snapshot = (s: Snapshot) => {
    const text = `event: snapshot\ndata: ${JSON.stringify(s)}\n\n`;
    snapshotBytes = Buffer.byteLength(text);
    write(text);
  };
  const send = (events: StreamEvent[]) => write(`event: live\ndata: ${JSON.stringify(events)}\n\n`);
  let resyncing = false;
  remove = await hub.add({
    orgPath: actor.orgPath,
    send: (events) => { if (held) held.push(events); else send(events); },
    resync: () => {
      if (resyncing || closed || held) return;
      resyncing = true;
      liveSnapshot(db, actor).then(snapshot, () => undefined).finally(() => { resyncing = false; });
    },
    end,
  });
  let first: Snapshot;
  try {
    first = await liveSnapshot(db, actor);
  } catch (e) {
    remove();
    throw e;
  }
  reply.hijack();
  res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  request.raw.on('close', end);
  if (request.raw.destroyed) { end(); return; }
  write('retry: 3000\n\n');
  snapshot(first);
  const pending = held;
  held = null;
  for (const events of pending) send(events);
  timer = setInterval(() => write(': keep-alive\n\n'), KEEP_ALIVE_MS);
}

/** GET /api/ambulances/live: the live map's stream (or, without Accept: text/event-stream, the snapshot once as JSON). */
export function registerLiveStream(app: FastifyInstance, db: Db): LiveHub {
  const hub = new LiveHub(db, app.log);
  app.addHook('preClose', async () => { hub.endStreams(); });
  app.addHook('onClose', async () => { await hub.close(); });
  app.get('/api/ambulances/live', {
    schema: {
      tags: ['ambulances'],
      summary: 'The live map of the caller\'s area as server-sent events (Accept: text/event-stream): `snapshot` (vehicles with status and latest position, open calls), then `live` events (position, vehicle, call) as they happen, and keep-alive comments. Without that Accept header, the snapshot once as JSON',
      response: { 200: Type.Any(), 401: ErrorBody, 403: ErrorBody },
    },
  }, async (request, reply) => {
    const actor = actorOf(request);
    requirePermission(actor, 'can_read_ambulances');
    if (!String(request.headers.accept ?? '').includes('text/event-stream')) return liveSnapshot(db.kysely, actor);
    await stream(request, reply, hub, db.kysely, actor);
  });
  return hub;
}
