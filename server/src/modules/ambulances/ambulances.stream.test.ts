import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { uid } from '../../platform/ids.js';
import { resolveOrgUnit } from '../geo/geo.service.js';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { announceLive } from './ambulances.live.js';
import { LiveHub } from './ambulances.stream.js';
import type { Db } from '../../db/connect.js';
import type { NotifyHandler } from '../../db/listener.js';

// The live map's stream over a real HTTP server (app.listen on port 0), read with fetch as a browser
// reads it: the snapshot of the caller's area, then what happens there, and nothing from elsewhere.

interface Sse { event: string; data: any; at: number }

/** Opens the stream and collects its events; `next` waits for one that matches (consumed in order). */
async function openStream(base: string, token: string) {
  const ctrl = new AbortController();
  const res = await fetch(`${base}/api/ambulances/live`, { headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` }, signal: ctrl.signal });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
  const events: Sse[] = [];
  let wake = () => {};
  let text = '';
  void (async () => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      const blocks = text.split('\n\n');
      text = blocks.pop() ?? '';
      for (const b of blocks) {
        const lines = b.split('\n');
        const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
        const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
        if (event && data) events.push({ event, data: JSON.parse(data), at: Date.now() });
      }
      wake();
    }
  })().catch(() => undefined);
  let cursor = 0;
  return {
    events,
    /** The first event from the cursor on that matches; the cursor moves past it. */
    async next(match: (e: Sse) => boolean, ms = 5_000): Promise<Sse> {
      const deadline = Date.now() + ms;
      for (;;) {
        const i = events.findIndex((e, k) => k >= cursor && match(e));
        if (i >= 0) { cursor = i + 1; return events[i]; }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching event within ${ms} ms; got ${JSON.stringify(events.slice(cursor)).slice(0, 600)}`);
        await new Promise<void>((r) => { const timer = setTimeout(r, Math.min(left, 100)); wake = () => { clearTimeout(timer); r(); }; });
      }
    },
    close: () => ctrl.abort(),
  };
}
type Stream = Awaited<ReturnType<typeof openStream>>;

const positionsOf = (s: Stream, ambulanceId: string) =>
  s.events.filter((e) => e.event === 'live').flatMap((e) => e.data as any[]).filter((x) => x.type === 'position' && x.ambulanceId === ambulanceId);

for (const engine of testEngines()) {
  describe(`ambulances: the live map's stream [${engine}]`, () => {
    let t: TestApp;
    let base: string;
    let hisarDispatcher: string;
    let mandiOfficer: string;
    let cho: string;
    const hisarVehicle = { id: '', deviceId: `live-h-${Date.now() % 1e8}` };
    const mandiVehicle = { id: '', deviceId: `live-m-${Date.now() % 1e8}` };
    const streams: Stream[] = [];
    const post = async (deviceId: string, latitude: number, longitude: number, fixTime: Date) => {
      const res = await fetch(`${base}/api/positions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ positions: [{ deviceId, latitude, longitude, fixTime: fixTime.toISOString(), speedKmh: 32 }] }) });
      assert.equal(res.status, 200);
      const body = await res.json() as { accepted: number };
      assert.equal(body.accepted, 1, JSON.stringify(body));
    };

    before(async () => {
      t = await startTestApp(engine);
      base = await t.app.listen({ port: 0, host: '127.0.0.1' });
      const f1 = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'CHC Live Hisar', type: 'CHC' }));
      const f2 = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'CHC Live Mandi', type: 'CHC', orgUnit: '22' }));
      assert.equal(f2.status, 201, JSON.stringify(f2.body));
      const hisarOfficer = (await t.userWith('district_officer', 63)).token;
      mandiOfficer = (await t.userWith('district_officer', 22)).token;
      hisarDispatcher = (await t.userWith('dispatcher', 63)).token;
      cho = (await t.userWith('cho', f1.body.id)).token;
      const a1 = await t.req('POST', '/api/ambulances', hisarOfficer, { registrationNumber: 'HR 39 LV 0001', service: '108', kind: 'BLS', baseFacilityId: f1.body.id, deviceId: hisarVehicle.deviceId });
      assert.equal(a1.status, 201, JSON.stringify(a1.body));
      hisarVehicle.id = a1.body.id;
      const a2 = await t.req('POST', '/api/ambulances', mandiOfficer, { registrationNumber: 'HP 33 LV 0002', service: '108', kind: 'BLS', baseFacilityId: f2.body.id, deviceId: mandiVehicle.deviceId });
      assert.equal(a2.status, 201, JSON.stringify(a2.body));
      mandiVehicle.id = a2.body.id;
    });
    after(async () => {
      for (const s of streams) s.close();
      await t.close();
    });

    test('the stream starts with a snapshot of the caller\'s area; without the event-stream Accept header the snapshot once as JSON; 401 and 403', async () => {
      const hisar = await openStream(base, hisarDispatcher);
      streams.push(hisar);
      const snap = await hisar.next((e) => e.event === 'snapshot');
      assert.ok(snap.data.vehicles.some((v: any) => v.id === hisarVehicle.id && v.status === 'available' && v.registrationNumber === 'HR 39 LV 0001'));
      assert.ok(!snap.data.vehicles.some((v: any) => v.id === mandiVehicle.id));
      assert.ok(Array.isArray(snap.data.calls));
      const once = await t.req('GET', '/api/ambulances/live', mandiOfficer);
      assert.equal(once.status, 200);
      assert.deepEqual(once.body.vehicles.map((v: any) => v.id), [mandiVehicle.id]);
      assert.equal((await t.req('GET', '/api/ambulances/live', cho)).status, 403);
      assert.equal((await t.req('GET', '/api/ambulances/live', null)).status, 401);
      const refused = await fetch(`${base}/api/ambulances/live`, { headers: { accept: 'text/event-stream', authorization: `Bearer ${cho}` } });
      assert.equal(refused.status, 403);
      hisar.close();
    });

    test('a position posted to /api/positions reaches the stream of its area in under 2 s, and not the stream of another district', async () => {
      const hisar = await openStream(base, hisarDispatcher);
      const mandi = await openStream(base, mandiOfficer);
      streams.push(hisar, mandi);
      await hisar.next((e) => e.event === 'snapshot');
      await mandi.next((e) => e.event === 'snapshot');
      const sent = Date.now();
      await post(hisarVehicle.deviceId, 29.1701, 75.7302, new Date(sent - 2_000));
      const got = await hisar.next((e) => e.event === 'live' && e.data.some((x: any) => x.type === 'position' && x.ambulanceId === hisarVehicle.id));
      const p = got.data.find((x: any) => x.ambulanceId === hisarVehicle.id);
      assert.equal(p.latitude, 29.1701);
      assert.equal(p.longitude, 75.7302);
      assert.equal(p.speedKmh, 32);
      assert.ok(got.at - sent < 2_000, `ping to stream took ${got.at - sent} ms`);
      // Mandi's own vehicle then moves: once its stream has that, the Hisar fix (announced earlier, in order) would have come before it.
      await post(mandiVehicle.deviceId, 31.5301, 76.9101, new Date());
      await mandi.next((e) => e.event === 'live' && e.data.some((x: any) => x.ambulanceId === mandiVehicle.id));
      assert.deepEqual(positionsOf(mandi, hisarVehicle.id), []);
      assert.deepEqual(positionsOf(hisar, mandiVehicle.id), []);
      hisar.close();
      mandi.close();
    });

    test('a late fix is stored but not sent: the map hears only fixes that move the latest position', async () => {
      const hisar = await openStream(base, hisarDispatcher);
      streams.push(hisar);
      await hisar.next((e) => e.event === 'snapshot');
      const now = Date.now();
      await post(hisarVehicle.deviceId, 29.1801, 75.7401, new Date(now - 1_000));
      await hisar.next((e) => e.event === 'live' && e.data.some((x: any) => x.ambulanceId === hisarVehicle.id && x.latitude === 29.1801));
      // Buffered while out of coverage: older than the latest.
      await post(hisarVehicle.deviceId, 29.1111, 75.7111, new Date(now - 60_000));
      await post(hisarVehicle.deviceId, 29.1901, 75.7501, new Date(now));
      await hisar.next((e) => e.event === 'live' && e.data.some((x: any) => x.ambulanceId === hisarVehicle.id && x.latitude === 29.1901));
      assert.deepEqual(positionsOf(hisar, hisarVehicle.id).map((x) => x.latitude), [29.1801, 29.1901]);
      const v = await t.req('GET', `/api/ambulances/${hisarVehicle.id}`, hisarDispatcher);
      assert.equal(v.body.position.latitude, 29.1901);
      hisar.close();
    });

    test('one LISTEN per instance; after a lost and regained listening connection (null) each stream is sent a fresh snapshot', async () => {
      let listens = 0;
      let heard: NotifyHandler = () => {};
      const fake: Db = { kysely: t.db.kysely, engine: t.db.engine, close: async () => {}, listen: async (_channel, h) => { listens++; heard = h; return async () => {}; } };
      const hub = new LiveHub(fake);
      const resyncs: string[] = [];
      const sent: unknown[] = [];
      const stream = (name: string, orgPath: string) => ({ orgPath, send: (e: unknown[]) => sent.push(...e), resync: () => resyncs.push(name), end: () => {} });
      const district = await resolveOrgUnit(t.db.kysely, 'district:63');
      await hub.add(stream('a', district.path));
      await hub.add(stream('b', district.path));
      assert.equal(listens, 1);
      heard(null);
      heard('not json');
      heard(JSON.stringify([{ type: 'position', ambulanceId: hisarVehicle.id, latitude: 29.2, longitude: 75.7, fixTime: new Date().toISOString(), speedKmh: null }]));
      for (let i = 0; i < 50 && hub.heard < 3; i++) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(resyncs.sort(), ['a', 'b']);
      assert.equal(sent.length, 2, 'the fix went to both streams of its area; the unreadable payload was ignored');
      await hub.close();
    });

    test('where vehicles are based is read once when the hub starts, not announcement by announcement; a vehicle registered later is looked up when first heard of', async () => {
      let queries = 0;
      const counting = t.db.kysely.withPlugin({ transformQuery: (a) => { queries++; return a.node; }, transformResult: async (a) => a.result });
      let heard: NotifyHandler = () => {};
      const fake: Db = { kysely: counting, engine: t.db.engine, close: async () => {}, listen: async (_channel, h) => { heard = h; return async () => {}; } };
      const hub = new LiveHub(fake);
      const sent: any[] = [];
      await hub.add({ orgPath: '', send: (e: unknown[]) => sent.push(...e), resync: () => {}, end: () => {} });
      const fix = (ambulanceId: string) => JSON.stringify([{ type: 'position', ambulanceId, latitude: 29.2, longitude: 75.7, fixTime: new Date().toISOString(), speedKmh: null }]);
      const until = async (n: number) => { for (let i = 0; i < 100 && hub.heard < n; i++) await new Promise((r) => setTimeout(r, 20)); };
      heard(fix(hisarVehicle.id));
      heard(fix(mandiVehicle.id));
      await until(2);
      assert.deepEqual(sent.map((e) => e.ambulanceId), [hisarVehicle.id, mandiVehicle.id]);
      assert.equal(queries, 1, 'one query for the whole fleet before the first announcement');
      const { base_facility_id: baseId } = await t.db.kysely.selectFrom('ambulances').select('base_facility_id').where('id', '=', hisarVehicle.id).executeTakeFirstOrThrow();
      const later = uid();
      await t.db.kysely.insertInto('ambulances').values({ id: later, registration_number: `HR 97 LT ${later.slice(-4)}`, service: '108', kind: 'BLS', base_facility_id: baseId, device_id: `later-${later}` }).execute();
      heard(fix(later));
      heard(fix(later));
      await until(4);
      assert.deepEqual(sent.slice(2).map((e) => e.ambulanceId), [later, later]);
      assert.equal(queries, 2, 'the new vehicle looked up once');
      await hub.close();
      await t.db.kysely.deleteFrom('ambulances').where('id', '=', later).execute();
    });

    test('a status change and a call reach the streams of their area, the call whole but without the caller\'s phone', async () => {
      const hisar = await openStream(base, hisarDispatcher);
      const mandi = await openStream(base, mandiOfficer);
      streams.push(hisar, mandi);
      await hisar.next((e) => e.event === 'snapshot');
      await mandi.next((e) => e.event === 'snapshot');
      assert.equal((await t.req('PATCH', `/api/ambulances/${hisarVehicle.id}`, hisarDispatcher, { status: 'off_road' })).status, 200);
      await hisar.next((e) => e.event === 'live' && e.data.some((x: any) => x.type === 'vehicle' && x.ambulanceId === hisarVehicle.id && x.status === 'off_road'));
      assert.equal((await t.req('PATCH', `/api/ambulances/${hisarVehicle.id}`, hisarDispatcher, { status: 'available' })).status, 200);
      // A call as the dispatch service makes it (its table, and the announcement in its transaction).
      const district = await resolveOrgUnit(t.db.kysely, 'district:63');
      const callId = uid();
      await t.db.kysely.insertInto('dispatch_calls').values({ id: callId, service: '108', caller_phone: '9876543210', latitude: 29.16, longitude: 75.72, district_id: district.id, complaint: 'Road accident near the bus stand' }).execute();
      await announceLive(t.db.kysely, [{ type: 'call', callId, districtId: district.id, status: 'waiting' }]);
      const got = await hisar.next((e) => e.event === 'live' && e.data.some((x: any) => x.type === 'call' && x.call.id === callId));
      const call = got.data.find((x: any) => x.type === 'call').call;
      assert.equal(call.status, 'waiting');
      assert.equal(call.complaint, 'Road accident near the bus stand');
      assert.equal(call.latitude, 29.16);
      assert.equal(call.trip, null);
      assert.ok(!JSON.stringify(got.data).includes('9876543210'));
      // A new stream's snapshot holds the open call.
      const late = await openStream(base, hisarDispatcher);
      streams.push(late);
      const snap = await late.next((e) => e.event === 'snapshot');
      assert.ok(snap.data.calls.some((c: any) => c.id === callId));
      assert.ok(!JSON.stringify(snap.data).includes('9876543210'));
      // Mandi heard neither (its own vehicle's fix, announced after, arrives first).
      await post(mandiVehicle.deviceId, 31.5401, 76.9201, new Date());
      await mandi.next((e) => e.event === 'live' && e.data.some((x: any) => x.ambulanceId === mandiVehicle.id));
      const mandiAll = JSON.stringify(mandi.events);
      assert.ok(!mandiAll.includes(callId) && !mandiAll.includes(hisarVehicle.id));
      hisar.close();
      mandi.close();
      late.close();
    });

    test('a state-sized fleet: a snapshot of 20,000 vehicles (over 4 MB) keeps the stream open, and positions follow it', { timeout: 120_000 }, async () => {
      const { base_facility_id: baseId } = await t.db.kysely.selectFrom('ambulances').select('base_facility_id').where('id', '=', hisarVehicle.id).executeTakeFirstOrThrow();
      await sql`insert into ambulances (id, registration_number, service, kind, base_facility_id, device_id)
        select 'bulk' || g, 'HR 98 BK ' || lpad(g::text, 5, '0'), '108', 'BLS', ${baseId}, 'bulk-dev-' || g from generate_series(1, 20000) g`.execute(t.db.kysely);
      await sql`insert into ambulance_latest_positions (ambulance_id, fix_time, latitude, longitude, speed_kmh, service, kind)
        select 'bulk' || g, now() - interval '1 minute', 29.1 + (g % 100) / 1000.0, 75.6 + (g / 100) / 1000.0, 20, '108', 'BLS' from generate_series(1, 20000) g`.execute(t.db.kysely);
      const state = await openStream(base, t.adminToken);
      streams.push(state);
      const snap = await state.next((e) => e.event === 'snapshot', 30_000);
      assert.ok(snap.data.vehicles.length > 20_000);
      assert.ok(JSON.stringify(snap.data).length > 4 * 1024 * 1024, 'the snapshot is larger than the backlog a client may have');
      await post(hisarVehicle.deviceId, 29.1801, 75.7402, new Date());
      const got = await state.next((e) => e.event === 'live' && e.data.some((x: any) => x.type === 'position' && x.ambulanceId === hisarVehicle.id), 10_000);
      assert.equal(got.data.find((x: any) => x.ambulanceId === hisarVehicle.id).latitude, 29.1801);
      state.close();
    });
  });
}
