import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { resolveOrgUnit } from '../geo/geo.service.js';
import { onAmbulanceEvents, sweepOffline, type AmbulanceEvent } from './ambulances.events.js';

// Civil Hospital Hisar as the demo seeds it; CHC Barwala, the vehicles' base, 30 km to the north-east.
const HOSPITAL = { latitude: 29.1592, longitude: 75.7235 };
const BASE = { latitude: 29.3667, longitude: 75.9083 };
const MIN = 60_000;
let seq = 0;
const reg = () => `HR 39 EV ${String(1000 + ++seq)}${Math.floor(Math.random() * 9)}`;
const dev = () => `ev-${Date.now() % 1e9}-${++seq}`;
/** A point `m` metres north and `e` metres east of p. */
const offset = (p: { latitude: number; longitude: number }, n: number, e: number) => ({
  latitude: Math.round((p.latitude + n / 111_320) * 1e6) / 1e6,
  longitude: Math.round((p.longitude + e / (111_320 * Math.cos((p.latitude * Math.PI) / 180))) * 1e6) / 1e6,
});

for (const engine of testEngines()) {
  describe(`ambulances: events [${engine}]`, () => {
    let t: TestApp;
    let hospital: string;
    let base: string;
    let hisarOfficer: string;
    let mandiOfficer: string;
    let dispatcher: string;
    const heard: AmbulanceEvent[] = [];
    let stopListening = () => {};
    before(async () => {
      // Offline after 60 minutes here, so that fixes of the last hour still bring a vehicle online.
      t = await startTestApp(engine, { config: { ambulanceEvents: { offlineMinutes: 60, overspeedKmh: 100, geofenceMetres: 200, longHaltMinutes: 20 } } });
      const h = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'Civil Hospital Hisar', type: 'DH', ...HOSPITAL }));
      assert.equal(h.status, 201, JSON.stringify(h.body));
      hospital = h.body.id;
      const b = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'CHC Barwala', type: 'CHC', ...BASE }));
      assert.equal(b.status, 201, JSON.stringify(b.body));
      base = b.body.id;
      hisarOfficer = (await t.userWith('district_officer', 63)).token;
      mandiOfficer = (await t.userWith('district_officer', 22)).token;
      dispatcher = (await t.userWith('dispatcher', 63)).token;
      stopListening = onAmbulanceEvents(async (db, events) => { if (db === t.db.kysely) heard.push(...events); });
    });
    after(async () => { stopListening(); await t.close(); });

    const vehicle = async () => {
      const deviceId = dev();
      const a = await t.req('POST', '/api/ambulances', hisarOfficer, { registrationNumber: reg(), service: '108', kind: 'ALS', baseFacilityId: base, deviceId });
      assert.equal(a.status, 201, JSON.stringify(a.body));
      return { id: a.body.id as string, deviceId };
    };
    type P = { latitude: number; longitude: number; at: number; speedKmh?: number | null };
    const send = async (deviceId: string, fixes: P[]) => {
      const r = await t.req('POST', '/api/positions', null, { positions: fixes.map((f) => ({ deviceId, latitude: f.latitude, longitude: f.longitude, fixTime: new Date(f.at).toISOString(), speedKmh: f.speedKmh })) });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.refused, []);
      return r.body as { accepted: number; duplicates: number };
    };
    const eventsOf = async (id: string, token = dispatcher, query = '') => {
      const r = await t.req('GET', `/api/ambulances/${id}/events?limit=200${query}`, token);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return (r.body.items as any[]).reverse();
    };
    /** From `from` towards `to` in `n` steps, a minute apart, starting at time `at`. */
    const drive = (from: { latitude: number; longitude: number }, to: { latitude: number; longitude: number }, n: number, at: number, speeds: number[]): P[] =>
      Array.from({ length: n }, (_, i) => ({
        latitude: Math.round((from.latitude + ((to.latitude - from.latitude) * i) / (n - 1)) * 1e6) / 1e6,
        longitude: Math.round((from.longitude + ((to.longitude - from.longitude) * i) / (n - 1)) * 1e6) / 1e6,
        at: at + i * MIN, speedKmh: speeds[i] ?? 40,
      }));

    let driven: { id: string; deviceId: string; fixes: P[] };

    test('a vehicle driving into Civil Hospital Hisar\'s geofence and out: online, one overspeed, enter and exit the hospital', async () => {
      const v = await vehicle();
      const t0 = Date.now() - 50 * MIN;
      // 3 km north-east of the hospital to 60 m from it; above 100 km/h for three fixes.
      const approach = drive(offset(HOSPITAL, 2000, 2000), offset(HOSPITAL, 40, 40), 8, t0, [50, 105, 118, 112, 70, 40, 20, 8]);
      const inside = [{ ...offset(HOSPITAL, 20, 10), at: t0 + 8 * MIN, speedKmh: 0 }, { ...offset(HOSPITAL, 25, 5), at: t0 + 9 * MIN, speedKmh: 0 }];
      const away = drive(offset(HOSPITAL, -150, 0), offset(HOSPITAL, -1500, -200), 4, t0 + 10 * MIN, [25, 40, 50, 55]);
      await send(v.deviceId, approach.slice(0, 5));
      await send(v.deviceId, [...approach.slice(5), ...inside, ...away]);
      const got = await eventsOf(v.id);
      assert.deepEqual(got.map((e) => e.kind), ['online', 'overspeed', 'geofence_enter', 'geofence_exit'], JSON.stringify(got));
      const [online, overspeed, enter, exit] = got;
      assert.equal(online.at, new Date(t0).toISOString());
      assert.equal(overspeed.at, new Date(t0 + MIN).toISOString());
      assert.deepEqual(overspeed.details, { speedKmh: 105, limitKmh: 100 });
      assert.equal(enter.facilityId, hospital);
      assert.equal(enter.facilityName, 'Civil Hospital Hisar');
      assert.equal(enter.at, new Date(t0 + 7 * MIN).toISOString());
      assert.ok(enter.details.metres < 200);
      assert.equal(exit.facilityId, hospital);
      assert.equal(exit.at, new Date(t0 + 11 * MIN).toISOString(), 'still inside 150 m from the gate; out at 600 m');
      assert.ok(got.every((e) => e.ambulanceId === v.id && e.registrationNumber));
      // Listeners heard them once they were stored.
      assert.deepEqual(heard.filter((e) => e.ambulanceId === v.id).map((e) => e.kind), ['online', 'overspeed', 'geofence_enter', 'geofence_exit']);
      driven = { ...v, fixes: [...approach, ...inside, ...away] };
    });

    test('a repeated fix makes no second event, a late fix none at all', async () => {
      const before = (await eventsOf(driven.id)).length;
      const again = await send(driven.deviceId, driven.fixes);
      assert.equal(again.accepted, 0);
      assert.equal(again.duplicates, driven.fixes.length);
      // Late (older than the newest fix), inside the hospital and fast: stored, but no event.
      const late = await send(driven.deviceId, [{ ...offset(HOSPITAL, 0, 0), at: driven.fixes[9].at + 30_000, speedKmh: 150 }]);
      assert.equal(late.accepted, 1);
      assert.equal((await eventsOf(driven.id)).length, before);
    });

    test('the base is a facility too: leaving and coming back to it; halted at a facility is no long halt', async () => {
      const v = await vehicle();
      const t0 = Date.now() - 55 * MIN;
      // At the base (the first fix only says where the vehicle is), out, back, and 25 minutes parked there.
      const out = drive(offset(BASE, 10, 10), offset(BASE, 1000, 0), 3, t0, [0, 30, 40]);
      const back = drive(offset(BASE, 600, 0), offset(BASE, 30, 0), 2, t0 + 3 * MIN, [30, 5]);
      const parked = Array.from({ length: 26 }, (_, i) => ({ ...offset(BASE, 30 + (i % 3) * 5, 0), at: t0 + (5 + i) * MIN, speedKmh: 0 }));
      await send(v.deviceId, [...out, ...back, ...parked]);
      const got = await eventsOf(v.id);
      assert.deepEqual(got.map((e) => e.kind), ['online', 'geofence_exit', 'geofence_enter'], JSON.stringify(got));
      assert.ok(got.slice(1).every((e) => e.facilityId === base && e.details.base === true));
    });

    test('a long halt away from any facility: one event after 20 minutes, with the trip when the vehicle is at the scene', async () => {
      const v = await vehicle();
      const district = await resolveOrgUnit(t.db.kysely, 'district:63');
      const scene = { latitude: 29.3012, longitude: 75.6021 };
      const call = `ev-call-${seq}`;
      await t.db.kysely.insertInto('dispatch_calls').values({ id: call, service: '108', caller_phone: '9876543210', ...scene, district_id: district.id, complaint: 'road accident', status: 'at_scene' }).execute();
      await t.db.kysely.insertInto('dispatch_trips').values({ id: `ev-trip-${seq}`, call_id: call, ambulance_id: v.id, status: 'at_scene' }).execute();
      const t0 = Date.now() - 45 * MIN;
      const arrive = drive(offset(scene, 3000, 0), offset(scene, 0, 0), 4, t0, [60, 60, 40, 0]);
      // 30 minutes at the scene, the fix wandering by up to 30 m, speed 0 or unknown.
      const halted = Array.from({ length: 30 }, (_, i) => ({ ...offset(scene, (i % 4) * 10, (i % 3) * 10), at: t0 + (4 + i) * MIN, speedKmh: i % 5 === 0 ? null : 0.5 }));
      await send(v.deviceId, [...arrive, ...halted.slice(0, 10)]);
      await send(v.deviceId, halted.slice(10));
      const got = await eventsOf(v.id, dispatcher, '&kind=long_halt');
      assert.equal(got.length, 1, JSON.stringify(got));
      assert.equal(got[0].at, new Date(t0 + 23 * MIN).toISOString(), 'halted from the 4th fix (speed 0), 20 minutes later');
      assert.deepEqual([got[0].latitude, got[0].longitude], [scene.latitude, scene.longitude]);
      assert.equal(got[0].details.minutes, 20);
      assert.equal(got[0].details.tripId, `ev-trip-${seq}`);
      assert.equal(got[0].details.atScene, true);
      // Moving on and halting again elsewhere is a new halt.
      await send(v.deviceId, [...drive(offset(scene, 0, 500), offset(scene, 0, 3000), 3, t0 + 34 * MIN, [40, 50, 50])]);
      assert.equal((await eventsOf(v.id, dispatcher, '&kind=long_halt')).length, 1);
    });

    test('area lists: the district sees its vehicles\' events, another district none; filters by kind and time; bad input 400', async () => {
      const mine = await t.req('GET', '/api/ambulances/events?limit=200', hisarOfficer);
      assert.equal(mine.status, 200, JSON.stringify(mine.body));
      assert.ok(mine.body.items.some((e: any) => e.ambulanceId === driven.id));
      assert.equal(mine.body.total, mine.body.items.length);
      const theirs = await t.req('GET', '/api/ambulances/events', mandiOfficer);
      assert.equal(theirs.status, 200);
      assert.equal(theirs.body.total, 0);
      assert.equal((await t.req('GET', `/api/ambulances/${driven.id}/events`, mandiOfficer)).status, 404);
      const cho = (await t.userWith('cho', hospital)).token;
      assert.equal((await t.req('GET', '/api/ambulances/events', cho)).status, 403);
      const enters = await t.req('GET', '/api/ambulances/events?kind=geofence_enter&limit=200', dispatcher);
      assert.ok(enters.body.items.length >= 2 && enters.body.items.every((e: any) => e.kind === 'geofence_enter'));
      const overspeed = (await eventsOf(driven.id, dispatcher, '&kind=overspeed'))[0];
      const window = await eventsOf(driven.id, dispatcher, `&from=${encodeURIComponent(overspeed.at)}&to=${encodeURIComponent(new Date(Date.parse(overspeed.at) + 1000).toISOString())}`);
      assert.deepEqual(window.map((e) => e.id), [overspeed.id]);
      const bad = await t.req('GET', '/api/ambulances/events?from=yesterday', dispatcher);
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.details.field, 'from');
      assert.equal((await t.req('GET', '/api/ambulances/events?kind=flying', dispatcher)).status, 400);
      assert.equal((await t.req('GET', '/api/ambulances/events?from=2026-12-02&to=2026-12-01', dispatcher)).status, 400);
    });

    test('parallel batches of one vehicle: each transition once', async () => {
      const v = await vehicle();
      const t0 = Date.now() - 30 * MIN;
      await send(v.deviceId, [{ ...offset(HOSPITAL, 3000, 0), at: t0, speedKmh: 60 }]);
      // Eight devices' worth of buffered fixes at once, all inside the hospital's geofence and too fast:
      // read one at a time each would be an entry and an overspeed.
      const batches = Array.from({ length: 8 }, (_, b) => Array.from({ length: 5 }, (_, i) => ({ ...offset(HOSPITAL, 50, 10 * i), at: t0 + MIN + (b * 5 + i) * 1000, speedKmh: 120 })));
      const answers = await Promise.all(batches.map((fixes) => t.req('POST', '/api/positions', null, { positions: fixes.map((f) => ({ deviceId: v.deviceId, latitude: f.latitude, longitude: f.longitude, fixTime: new Date(f.at).toISOString(), speedKmh: f.speedKmh })) })));
      assert.deepEqual(answers.map((a) => a.status), Array(8).fill(200), JSON.stringify(answers.map((a) => a.body)));
      const got = await eventsOf(v.id);
      assert.deepEqual(got.map((e) => e.kind).sort(), ['geofence_enter', 'online', 'overspeed'], JSON.stringify(got));
    });

    test('parallel batches holding the same vehicles in different orders (new ones among them): no deadlock, each fix once, latest the newest', async () => {
      const fleet = await Promise.all(Array.from({ length: 6 }, () => vehicle()));
      const t0 = Date.now() - 20 * MIN;
      // Half have been heard before; the other half send their first fixes in these batches.
      for (const v of fleet.slice(0, 3)) await send(v.deviceId, [{ ...offset(BASE, 3000, 0), at: t0, speedKmh: 30 }]);
      const fixes = fleet.flatMap((v, k) => Array.from({ length: 4 }, (_, i) => ({ deviceId: v.deviceId, ...offset(BASE, 4000 + 100 * k, 50 * i), at: t0 + (i + 1) * MIN, speedKmh: 30 })));
      // Eight devices' buffers resent at once, each in another order: the same rows met in opposite orders.
      const orders = Array.from({ length: 8 }, (_, b) => (b % 2 ? [...fixes].reverse() : fixes.map((_, i) => fixes[(i * (b + 3)) % fixes.length])));
      const answers = await Promise.all(orders.map((list) => t.req('POST', '/api/positions', null, {
        positions: list.map((f) => ({ deviceId: f.deviceId, latitude: f.latitude, longitude: f.longitude, fixTime: new Date(f.at).toISOString(), speedKmh: f.speedKmh })),
      })));
      assert.deepEqual(answers.map((a) => a.status), Array(8).fill(200), JSON.stringify(answers.map((a) => a.body)));
      assert.equal(answers.reduce((n, a) => n + a.body.accepted, 0), fixes.length, 'each fix stored once');
      for (const [k, v] of fleet.entries()) {
        const a = await t.req('GET', `/api/ambulances/${v.id}`, dispatcher);
        assert.equal(a.body.position.fixTime, new Date(t0 + 4 * MIN).toISOString());
        assert.equal(a.body.position.latitude, offset(BASE, 4000 + 100 * k, 150).latitude);
        assert.equal((await eventsOf(v.id)).filter((e) => e.kind === 'online').length, 1);
      }
    });

    test('offline after the sweep (its time: the last fix + the limit), once; online again at the next fix', async () => {
      const v = await vehicle();
      const last = Date.now() - 20 * MIN;
      await send(v.deviceId, [{ ...offset(BASE, 2000, 0), at: last - MIN, speedKmh: 30 }, { ...offset(BASE, 2500, 0), at: last, speedKmh: 30 }]);
      // Not yet: 20 minutes of a 60-minute limit.
      assert.ok(!(await sweepOffline(t.db.kysely)).some((e) => e.ambulanceId === v.id));
      const later = new Date(Date.now() + 45 * MIN);
      const swept = await sweepOffline(t.db.kysely, later);
      const mine = swept.filter((e) => e.ambulanceId === v.id);
      assert.equal(mine.length, 1);
      assert.equal(mine[0].at, new Date(last + 60 * MIN).toISOString());
      assert.deepEqual([mine[0].latitude, mine[0].longitude], [offset(BASE, 2500, 0).latitude, offset(BASE, 2500, 0).longitude]);
      assert.ok(!(await sweepOffline(t.db.kysely, later)).some((e) => e.ambulanceId === v.id), 'a second sweep: no second offline');
      // A fix from before the vehicle went silent is late; the next fresh one brings it online.
      await send(v.deviceId, [{ ...offset(BASE, 2000, 0), at: last - 2 * MIN, speedKmh: 30 }]);
      await send(v.deviceId, [{ ...offset(BASE, 2600, 0), at: Date.now() - 1000, speedKmh: 20 }]);
      // In the order stored (the sweep ran "45 minutes ahead", so its event's time is later than the fresh fix).
      const got = (await eventsOf(v.id)).sort((a, b) => Number(a.id) - Number(b.id));
      assert.deepEqual(got.map((e) => e.kind), ['online', 'offline', 'online'], JSON.stringify(got));
      assert.equal(got[2].details.previousFixAt, new Date(last).toISOString());
    });
  });
}
