// Ambulance positions benchmark: BENCH_VEHICLES vehicles (20,000 by default, seeded by SQL with their
// base facilities) sending positions to one API server process on PostgreSQL, first in HTTP batches
// (POST /api/positions), then as OwnTracks messages over MQTT (the local Mosquitto, MQTT_URL), while a
// dispatcher's live map (GET /api/ambulances/live, server-sent events) is open. Measures positions
// stored per second for each, the time from a position sent to its event on the live stream
// (ping to screen, under that load and one at a time), and GET /api/ambulances/nearest with every
// vehicle placed. Prints one JSON line, with the CPU milliseconds the server, its PostgreSQL sessions and
// the benchmark spent per 1,000 positions in each phase (comparable across runs on a busy machine).
//   npm run bench -- ambulances   (PostgreSQL from DATABASE_URL / BENCH_DATABASE_URL / TEST_DATABASE_URL;
//   MQTT_URL, default mqtt://127.0.0.1:1883; BENCH_VEHICLES, BENCH_SECONDS per phase (20), BENCH_BATCH
//   positions per batch (500), BENCH_CONNECTIONS HTTP connections (4), BENCH_MQTT_CLIENTS publishers (4),
//   BENCH_MQTT_RATE positions sent a second (10,000), BENCH_MQTT_WINDOW messages in flight at most (3,000),
//   BENCH_NEAREST queries (500))
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import mqtt from 'mqtt';
import { uid } from '../server/src/platform/ids.js';
import { resolveOrgUnit } from '../server/src/modules/geo/geo.service.js';
import { jsonClient, spawnServer, type Instance } from '../server/src/test/tele-load.js';
import { freshDatabase, ms, percentile } from './lib/common.js';
import { cpuMeter, namedUrl } from './lib/cpu.js';

const VEHICLES = Number(process.env.BENCH_VEHICLES ?? 20_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
const MQTT_CLIENTS = Number(process.env.BENCH_MQTT_CLIENTS ?? 4);
const NEAREST = Number(process.env.BENCH_NEAREST ?? 500);
/** Positions the fleet sends over MQTT a second (the goal: a state's fleet at 10,000 a second). */
const MQTT_RATE = Number(process.env.BENCH_MQTT_RATE ?? 10_000);
/**
 * MQTT positions sent and not yet on the live stream, at most: the server's MQTT session takes 5,000
 * unacknowledged (ambulances.mqtt.ts) and Mosquitto (default settings) queues 1,000 more for it, then
 * drops messages; a busy broker counts acknowledgements late, so the bench keeps well below.
 */
const MQTT_WINDOW = Number(process.env.BENCH_MQTT_WINDOW ?? 3000);
const MQTT_URL = process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883';
/** Vehicles spread over mainland India (about 3.5 million km², as a national fleet would be). */
const BOX = { south: 10, north: 30, west: 72, east: 88 };

const rand = (a: number, b: number) => a + Math.random() * (b - a);
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, p50Ms: ms(percentile(s, 50)), p99Ms: ms(percentile(s, 99)), maxMs: ms(s.at(-1) ?? 0) };
};

interface Vehicle { id: string; deviceId: string; lat: number; lon: number }

/** The live map as a dispatcher's screen reads it: every position event, matched to when it was sent. */
function liveStream(base: string, token: string) {
  const sent = new Map<string, number>();
  const latencies: number[] = [];
  let positions = 0;
  let snapshotVehicles = -1;
  let closed = false;
  let onSnapshot: () => void = () => {};
  const ready = new Promise<void>((r) => { onSnapshot = r; });
  const req = http.get(`${base}/api/ambulances/live`, { headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` } }, (res) => {
    res.setEncoding('utf8');
    // The server drops a screen more than 4 MB behind (ambulances.stream.ts): noted, not reconnected.
    res.on('close', () => { closed = true; });
    let buf = '';
    res.on('data', (chunk: string) => {
      buf += chunk;
      let cut: number;
      while ((cut = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
        if (event === 'snapshot') { snapshotVehicles = JSON.parse(data).vehicles.length; onSnapshot(); }
        if (event !== 'live') continue;
        const now = performance.now();
        for (const e of JSON.parse(data) as { type: string; ambulanceId: string; fixTime: string }[]) {
          if (e.type !== 'position') continue;
          positions++;
          const key = `${e.ambulanceId}|${e.fixTime}`;
          const at = sent.get(key);
          if (at !== undefined) { latencies.push(now - at); sent.delete(key); }
        }
      }
    });
  });
  return {
    ready, sent, latencies,
    get positions() { return positions; },
    get snapshotVehicles() { return snapshotVehicles; },
    get closed() { return closed; },
    close: () => req.destroy(),
  };
}

/** Facilities across the box and vehicles based at them (with a first position near the base), by multi-row inserts. */
async function seed(k: any, n: number): Promise<Vehicle[]> {
  const district = await resolveOrgUnit(k, 'district:63');
  const bases = Array.from({ length: Math.max(10, Math.ceil(n / 20)) }, (_, i) => ({ id: uid(), i, lat: round6(rand(BOX.south, BOX.north)), lon: round6(rand(BOX.west, BOX.east)) }));
  for (let i = 0; i < bases.length; i += 1000) {
    const part = bases.slice(i, i + 1000);
    await k.insertInto('org_units').values(part.map((b) => ({ id: b.id, level: 'facility', name: `Bench base ${b.i}`, parent_id: district.id, path: `${district.path}${b.id}/`, state_lgd: 6 }))).execute();
    await k.insertInto('facilities').values(part.map((b) => ({ id: b.id, type: 'CHC', ownership: 'public', system: 'allopathic', portal_status: 'registered', state_lgd: 6, latitude: b.lat, longitude: b.lon }))).execute();
  }
  const vehicles: Vehicle[] = [];
  const statuses = ['available', 'available', 'available', 'available', 'available', 'available', 'available', 'dispatched', 'on_trip', 'off_road'];
  // A minute ago, and online: the phases measure a fleet at work, not 20,000 vehicles coming online at once.
  const fixTime = new Date(Date.now() - 60_000);
  for (let i = 0; i < n; i += 2000) {
    const rows = [];
    const latest = [];
    for (let j = i; j < Math.min(n, i + 2000); j++) {
      const b = bases[j % bases.length];
      const v: Vehicle = { id: uid(), deviceId: `86${String(j).padStart(13, '0')}`, lat: round6(b.lat + rand(-0.2, 0.2)), lon: round6(b.lon + rand(-0.2, 0.2)) };
      vehicles.push(v);
      const service = j % 10 < 7 ? '108' : '102';
      rows.push({
        id: v.id, registration_number: `BR ${String(Math.floor(j / 10000)).padStart(2, '0')} AM ${String(j % 10000).padStart(4, '0')}`,
        service, kind: service === '102' ? (j % 2 ? 'BLS' : 'PTV') : (j % 5 === 0 ? 'ALS' : 'BLS'),
        base_facility_id: b.id, device_id: v.deviceId, status: statuses[Math.floor(j / 10) % statuses.length],
      });
      latest.push({ ambulance_id: v.id, fix_time: fixTime, latitude: v.lat, longitude: v.lon, speed_kmh: 0, service: rows[rows.length - 1].service, kind: rows[rows.length - 1].kind });
    }
    await k.insertInto('ambulances').values(rows).execute();
    await k.insertInto('ambulance_latest_positions').values(latest).execute();
    await k.insertInto('ambulance_event_state').values(latest.map((l) => ({ ambulance_id: l.ambulance_id, last_fix_time: l.fix_time, last_latitude: l.latitude, last_longitude: l.longitude, online: true }))).execute();
  }
  await sql`analyze ambulances`.execute(k);
  await sql`analyze ambulance_latest_positions`.execute(k);
  await sql`analyze ambulance_event_state`.execute(k);
  return vehicles;
}

/** A vehicle's next fix: a little further along (about 10 s at 20–60 km/h). */
function move(v: Vehicle) {
  v.lat = round6(Math.min(BOX.north, Math.max(BOX.south, v.lat + rand(-0.0015, 0.0015))));
  v.lon = round6(Math.min(BOX.east, Math.max(BOX.west, v.lon + rand(-0.0015, 0.0015))));
  return { latitude: v.lat, longitude: v.lon, speedKmh: Math.round(rand(20, 60)) };
}

/** A fix time not given before: now to the millisecond, later than the vehicle's last one. */
const lastFix = new Map<string, number>();
function fixTime(v: Vehicle): string {
  const t = Math.max(Date.now(), (lastFix.get(v.id) ?? 0) + 1);
  lastFix.set(v.id, t);
  return new Date(t).toISOString();
}

async function positionsStored(k: any, source: string): Promise<number> {
  const r = await sql<{ n: string }>`select count(*) as n from ambulance_positions where source = ${source}`.execute(k);
  return Number(r.rows[0].n);
}

/** HTTP: CONNECTIONS clients posting batches of BATCH positions (the vehicles in turn) for SECONDS. */
async function httpPhase(base: string, vehicles: Vehicle[], live: ReturnType<typeof liveStream>) {
  const post = jsonClient([base], CONNECTIONS);
  let next = 0;
  let accepted = 0;
  let refused = 0;
  let batches = 0;
  const errors: string[] = [];
  const requestMs: number[] = [];
  const t0 = performance.now();
  const end = t0 + SECONDS * 1000;
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (performance.now() < end && errors.length < 10) {
      const positions = [];
      const at = performance.now();
      for (let j = 0; j < BATCH; j++) {
        const v = vehicles[next++ % vehicles.length];
        const f = fixTime(v);
        live.sent.set(`${v.id}|${f}`, at);
        positions.push({ deviceId: v.deviceId, fixTime: f, ...move(v) });
      }
      const r = await post('POST', '/api/positions', null, { positions });
      requestMs.push(performance.now() - at);
      if (r.status !== 200) { errors.push(`${r.status} ${JSON.stringify(r.body).slice(0, 200)}`); continue; }
      batches++;
      accepted += r.body.accepted;
      refused += r.body.refused.length;
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, accepted, refused, batches, errors, requestMs };
}

/**
 * MQTT: the fleet sends OwnTracks locations (QoS 1, the vehicles in turn) at MQTT_RATE a second, as
 * vehicles do, whether or not the server keeps up (an open loop), for SECONDS, through MQTT_CLIENTS
 * publishers; only when more than `window` positions are sent and not yet on the live stream does
 * sending pause (a server that falls behind shows as fewer positions offered and later screens, not
 * as messages the broker drops from its queue). Then waits for the rest to be stored.
 */
async function mqttPhase(k: any, vehicles: Vehicle[], live: ReturnType<typeof liveStream>) {
  const clients = await Promise.all(Array.from({ length: MQTT_CLIENTS }, (_, i) => mqtt.connectAsync(MQTT_URL, { clientId: `swasthya-bench-${process.pid}-${i}`, clean: true })));
  const window = Math.max(10, Math.min(MQTT_WINDOW, Math.floor(vehicles.length / 2)));
  let next = 0;
  let published = 0;
  let pubacks = 0;
  let windowFullTicks = 0;
  let ticks = 0;
  // Positions of this phase seen on the live stream (those of the HTTP phase may still be arriving).
  const seenAtStart = live.latencies.length;
  const t0 = performance.now();
  const end = t0 + SECONDS * 1000;
  let lastProgress = performance.now();
  let lastSeen = 0;
  while (performance.now() < end) {
    const seen = live.latencies.length - seenAtStart;
    if (seen !== lastSeen) { lastSeen = seen; lastProgress = performance.now(); }
    if (published - seen > 0 && performance.now() - lastProgress > 10_000) break; // nothing stored for 10 s: stop sending
    const due = Math.floor(((performance.now() - t0) / 1000) * MQTT_RATE) - published;
    const room = window - (published - seen);
    const n = Math.min(due, room);
    ticks++;
    if (due > room) windowFullTicks++;
    for (let j = 0; j < n; j++) {
      const v = vehicles[next++ % vehicles.length];
      // OwnTracks sends whole seconds; each vehicle's fixes one second apart.
      const tst = Math.floor(Date.now() / 1000);
      const last = lastFix.get(v.id) ?? 0;
      const t = Math.max(tst, Math.floor(last / 1000) + 1);
      lastFix.set(v.id, t * 1000);
      const m = move(v);
      live.sent.set(`${v.id}|${new Date(t * 1000).toISOString()}`, performance.now());
      published++;
      clients[published % clients.length].publish(`owntracks/bench/${v.deviceId}`, JSON.stringify({ _type: 'location', tst: t, lat: m.latitude, lon: m.longitude, vel: m.speedKmh, cog: 90, acc: 8, batt: 80 }), { qos: 1 }, (e) => { if (!e) pubacks++; });
    }
    await sleep(5);
  }
  const sendSeconds = (performance.now() - t0) / 1000;
  // The rest: until every message is on the live stream (stored), or nothing more comes for 5 s.
  let doneAt = performance.now();
  for (let seen = live.latencies.length - seenAtStart; seen < published && performance.now() - doneAt < 5000; seen = live.latencies.length - seenAtStart) {
    if (seen !== lastSeen) { lastSeen = seen; doneAt = performance.now(); }
    await sleep(5);
  }
  if (live.latencies.length - seenAtStart >= published) doneAt = performance.now();
  const stored = await positionsStored(k, 'mqtt');
  await Promise.all(clients.map((c) => c.endAsync()));
  return { published, pubacks, stored, window, windowFull: windowFullTicks / Math.max(1, ticks), sendSeconds, seconds: (doneAt - t0) / 1000 };
}

/** One position at a time, each waited for on the live stream: ping to screen without a queue. */
async function quietPings(base: string, vehicles: Vehicle[], live: ReturnType<typeof liveStream>, n: number) {
  const post = jsonClient([base], 1);
  const from = live.latencies.length;
  for (let i = 0; i < n; i++) {
    const v = vehicles[(i * 7919) % vehicles.length];
    const f = fixTime(v);
    const key = `${v.id}|${f}`;
    live.sent.set(key, performance.now());
    await post('POST', '/api/positions', null, { positions: [{ deviceId: v.deviceId, fixTime: f, ...move(v) }] });
    for (let w = 0; live.sent.has(key) && !live.closed && w < 2000; w++) await sleep(1);
    await sleep(20);
  }
  return live.latencies.slice(from);
}

async function main() {
  if (!(process.env.DATABASE_URL ?? process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL)) {
    console.log(JSON.stringify({ bench: 'ambulances', skipped: 'needs PostgreSQL: set BENCH_DATABASE_URL or TEST_DATABASE_URL (the server, the broker and the database are measured together)' }));
    return;
  }
  const machine = { cores: os.cpus().length, loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100) };
  const { db, engine, drop, url } = await freshDatabase(fs.mkdtempSync(path.join(os.tmpdir(), 'swasthya-bench-')));
  const password = `Bench-${randomBytes(6).toString('hex')}`;
  let server: Instance | null = null;
  let live: ReturnType<typeof liveStream> | null = null;
  try {
    // The server migrates the fresh schema and subscribes to OwnTracks topics on the broker.
    process.env.MQTT_URL = MQTT_URL;
    const appName = `swasthya-bench-ambulances-${process.pid}`;
    server = await spawnServer(namedUrl(url!, appName), password);
    const adminUrl = (process.env.DATABASE_URL ?? process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL)!;
    const meter = cpuMeter(adminUrl, server.pid, appName);
    // CPU milliseconds per 1,000 positions stored: comparable across runs on a busy machine, where rates are not.
    const per1000 = (c: { serverMs: number; postgresMs: number; benchMs: number }, n: number) => ({
      serverMs: ms((c.serverMs * 1000) / Math.max(1, n)), postgresMs: ms((c.postgresMs * 1000) / Math.max(1, n)), benchMs: ms((c.benchMs * 1000) / Math.max(1, n)),
    });
    const k = db.kysely;
    let t = performance.now();
    const vehicles = await seed(k, VEHICLES);
    const seedSeconds = (performance.now() - t) / 1000;
    const api = jsonClient([server.base], 2);
    const token = (await api('POST', '/api/auth/login', null, { username: 'admin', password })).body.token as string;

    live = liveStream(server.base, token);
    t = performance.now();
    await live.ready;
    const snapshotMs = performance.now() - t;

    await meter.start();
    const h = await httpPhase(server.base, vehicles, live);
    await sleep(1000);
    const httpCpu = per1000(await meter.stop(), h.accepted);
    const httpLatency = live.latencies.splice(0);
    const httpStored = await positionsStored(k, 'batch');

    live.sent.clear();
    await meter.start();
    const m = await mqttPhase(k, vehicles, live);
    await sleep(1000);
    const mqttCpu = per1000(await meter.stop(), m.stored);
    const mqttLatency = live.latencies.splice(0);
    live.sent.clear();

    const quiet = await quietPings(server.base, vehicles, live, 200);

    // Nearest available with every vehicle placed, one query at a time (after 20 to warm up).
    const nearestMs: number[] = [];
    let nearestItems = 0;
    for (let i = 0; i < NEAREST + 20; i++) {
      const q = `latitude=${rand(BOX.south, BOX.north).toFixed(5)}&longitude=${rand(BOX.west, BOX.east).toFixed(5)}&service=${i % 3 ? '108' : '102'}`;
      const s = performance.now();
      const r = await api('GET', `/api/ambulances/nearest?${q}`, token);
      if (r.status !== 200) throw new Error(`nearest: ${r.status} ${JSON.stringify(r.body)}`);
      if (i >= 20) { nearestMs.push(performance.now() - s); nearestItems += r.body.items.length; }
    }

    const positions = await sql<{ n: string }>`select count(*) as n from ambulance_positions`.execute(k);
    const events = await sql<{ kind: string; n: string }>`select kind, count(*) as n from ambulance_events group by kind order by kind`.execute(k);
    console.log(JSON.stringify({
      bench: 'ambulances', engine, machine: { ...machine, loadAverageAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100) },
      vehicles: VEHICLES, seedSeconds: ms(seedSeconds), snapshotMs: ms(snapshotMs), snapshotVehicles: live.snapshotVehicles, liveStreamClosedByServer: live.closed,
      http: {
        seconds: ms(h.seconds), batchSize: BATCH, connections: CONNECTIONS, batches: h.batches, accepted: h.accepted, refused: h.refused, stored: httpStored,
        storedPerSecond: Math.round(h.accepted / h.seconds), batchRequest: stats(h.requestMs), errors: h.errors.slice(0, 3),
        pingToScreen: stats(httpLatency), cpuPer1000: httpCpu,
      },
      mqtt: {
        clients: MQTT_CLIENTS, ratePerSecond: MQTT_RATE, window: m.window, windowFull: ms(m.windowFull), published: m.published,
        offeredPerSecond: Math.round(m.published / m.sendSeconds), pubacks: m.pubacks, stored: m.stored, lost: m.published - m.stored,
        sendSeconds: ms(m.sendSeconds), seconds: ms(m.seconds), storedPerSecond: Math.round(m.stored / m.seconds),
        pingToScreen: stats(mqttLatency), cpuPer1000: mqttCpu,
      },
      pingToScreenOneAtATime: stats(quiet),
      nearest: { queries: nearestMs.length, meanItems: ms(nearestItems / Math.max(1, nearestMs.length)), ...stats(nearestMs) },
      positionsInDatabase: Number(positions.rows[0].n),
      events: Object.fromEntries(events.rows.map((r) => [r.kind, Number(r.n)])),
    }));
  } finally {
    live?.close();
    await server?.stop();
    await drop();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
