import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { maintainPositionPartitions, positionPartitions } from './ambulances.partitions.js';
import { haversineKm, leastKmAtPlaneDegrees } from './ambulances.js';

const URL = '/api/ambulances';
let seq = 0;
const reg = () => `HR 39 TS ${String(1000 + ++seq)}${Math.floor(Math.random() * 9)}`;
const dev = () => `86${Date.now() % 1e9}${++seq}`;

test('the least distance at a plane distance in degrees is never more than the great-circle distance, and close to it in India', () => {
  let worst = 1;
  for (let i = 0; i < 20000; i++) {
    const lat = 6 + Math.random() * 31.6;
    const lon = 68 + Math.random() * 29.5;
    const [dlat, dlon] = [(Math.random() - 0.5) * (i % 10 ? 1 : 20), (Math.random() - 0.5) * (i % 10 ? 1 : 20)];
    const lat2 = Math.max(-89, Math.min(89, lat + dlat));
    const plane = Math.hypot(lat2 - lat, dlon);
    const real = haversineKm(lat, lon, lat2, lon + dlon);
    const least = leastKmAtPlaneDegrees(lat, plane);
    assert.ok(least <= real + 1e-9, `${least} km > ${real} km from ${lat},${lon} by ${dlat},${dlon}`);
    if (plane < 1) worst = Math.min(worst, least / real);
  }
  // Within a degree, at least cos(38.6°) of the distance: searches read few candidates before they are sure.
  assert.ok(worst > 0.78, `worst ratio ${worst}`);
  assert.equal(leastKmAtPlaneDegrees(20, 0), 0);
  assert.equal(leastKmAtPlaneDegrees(20, -0.1), 0);
});

for (const engine of testEngines()) {
  describe(`ambulances: fleet [${engine}]`, () => {
    let t: TestApp;
    let hisarFacility: string;
    let mandiFacility: string;
    let hisarOfficer: string;
    let mandiOfficer: string;
    let dispatcher: string;
    let cho: string;
    before(async () => {
      t = await startTestApp(engine);
      const f1 = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'CHC Barwala', type: 'CHC' }));
      assert.equal(f1.status, 201, JSON.stringify(f1.body));
      hisarFacility = f1.body.id;
      const f2 = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'CHC Sundernagar', type: 'CHC', orgUnit: '22' }));
      assert.equal(f2.status, 201, JSON.stringify(f2.body));
      mandiFacility = f2.body.id;
      hisarOfficer = (await t.userWith('district_officer', 63)).token;
      mandiOfficer = (await t.userWith('district_officer', 22)).token;
      dispatcher = (await t.userWith('dispatcher', 63)).token;
      cho = (await t.userWith('cho', hisarFacility)).token;
    });
    after(async () => { await t.close(); });

    test('a district officer registers an ambulance at a base in the district: 201, available, no position yet', async () => {
      const r = await t.req('POST', URL, hisarOfficer, { registrationNumber: ' hr39ga 1082 ', service: '108', kind: 'ALS', baseFacilityId: hisarFacility, deviceId: '862301041234567' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.status, 'available');
      assert.equal(r.body.registrationNumber, 'HR39GA 1082');
      assert.equal(r.body.position, null);
      const got = await t.req('GET', `${URL}/${r.body.id}`, dispatcher);
      assert.equal(got.status, 200);
      assert.equal(got.body.deviceId, '862301041234567');
      assert.equal(got.body.position, null);
    });

    test('outside the district: 403 to register, 404 to read; roles without the permission 403', async () => {
      assert.equal((await t.req('POST', URL, mandiOfficer, { registrationNumber: reg(), service: '108', kind: 'BLS', baseFacilityId: hisarFacility, deviceId: dev() })).status, 403);
      assert.equal((await t.req('POST', URL, dispatcher, { registrationNumber: reg(), service: '108', kind: 'BLS', baseFacilityId: hisarFacility, deviceId: dev() })).status, 403);
      assert.equal((await t.req('GET', URL, cho)).status, 403);
      const mine = await t.req('POST', URL, mandiOfficer, { registrationNumber: reg(), service: '102', kind: 'PTV', baseFacilityId: mandiFacility, deviceId: dev() });
      assert.equal(mine.status, 201, JSON.stringify(mine.body));
      assert.equal((await t.req('GET', `${URL}/${mine.body.id}`, hisarOfficer)).status, 404);
      assert.equal((await t.req('PATCH', `${URL}/${mine.body.id}`, dispatcher, { status: 'off_road' })).status, 404);
      const list = await t.req('GET', `${URL}?limit=200`, hisarOfficer);
      assert.equal(list.status, 200);
      assert.ok(!list.body.items.some((a: any) => a.id === mine.body.id));
      assert.ok(list.body.items.every((a: any) => a.baseFacilityId === hisarFacility));
    });

    test('bad input is 400 naming the field', async () => {
      const bad = await t.req('POST', URL, hisarOfficer, { registrationNumber: '!!', service: '108', kind: 'BLS', baseFacilityId: hisarFacility, deviceId: dev() });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.details.field, 'registrationNumber');
      assert.equal((await t.req('POST', URL, hisarOfficer, { registrationNumber: reg(), service: '104', kind: 'BLS', baseFacilityId: hisarFacility, deviceId: dev() })).status, 400);
      const als102 = await t.req('POST', URL, hisarOfficer, { registrationNumber: reg(), service: '102', kind: 'ALS', baseFacilityId: hisarFacility, deviceId: dev() });
      assert.equal(als102.status, 400);
      assert.equal(als102.body.error.details.field, 'kind');
      const nobase = await t.req('POST', URL, hisarOfficer, { registrationNumber: reg(), service: '108', kind: 'BLS', baseFacilityId: 'nope', deviceId: dev() });
      assert.equal(nobase.status, 400);
      assert.equal(nobase.body.error.details.field, 'baseFacilityId');
    });

    test('registration number (any spacing or case) and device id each once: parallel registrations, one 201 and the rest 409', async () => {
      const number = reg();
      const spaced = [number, number.replace(/ /g, ''), number.toLowerCase(), number.replace(/ /g, '-')];
      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => t.req('POST', URL, hisarOfficer, { registrationNumber: spaced[i % 4], service: '108', kind: 'BLS', baseFacilityId: hisarFacility, deviceId: dev() })));
      assert.deepEqual(answers.map((a) => a.status).sort(), [201, 409, 409, 409, 409, 409, 409, 409], JSON.stringify(answers.map((a) => a.body)));
      assert.ok(answers.filter((a) => a.status === 409).every((a) => a.body.error.details.field === 'registrationNumber'));
      const device = dev();
      const same = await Promise.all(Array.from({ length: 8 }, () => t.req('POST', URL, hisarOfficer, { registrationNumber: reg(), service: '108', kind: 'BLS', baseFacilityId: hisarFacility, deviceId: device })));
      assert.deepEqual(same.map((a) => a.status).sort(), [201, 409, 409, 409, 409, 409, 409, 409], JSON.stringify(same.map((a) => a.body)));
      assert.ok(same.filter((a) => a.status === 409).every((a) => a.body.error.details.field === 'deviceId'));
    });

    test('status moves: available → dispatched → on_trip → available, off_road and back; a move not allowed is 409', async () => {
      const a = await t.req('POST', URL, hisarOfficer, { registrationNumber: reg(), service: '108', kind: 'BLS', baseFacilityId: hisarFacility, deviceId: dev() });
      const to = (status: string, token = dispatcher) => t.req('PATCH', `${URL}/${a.body.id}`, token, { status });
      assert.equal((await to('on_trip')).status, 409);
      assert.equal((await to('dispatched')).body.status, 'dispatched');
      assert.equal((await to('off_road')).status, 409);
      assert.equal((await to('on_trip')).body.status, 'on_trip');
      assert.equal((await to('available')).body.status, 'available');
      assert.equal((await to('off_road', hisarOfficer)).body.status, 'off_road');
      assert.equal((await to('dispatched')).status, 409);
      assert.equal((await to('available')).body.status, 'available');
      assert.equal((await to('flying')).status, 400);
      assert.equal((await to('off_road', cho)).status, 403);
      // Parallel dispatches of one vehicle: exactly one wins.
      const race = await Promise.all(Array.from({ length: 8 }, () => to('dispatched')));
      const statuses = race.map((r) => r.status);
      assert.equal(statuses.filter((s) => s >= 500).length, 0, JSON.stringify(race.map((r) => r.body)));
      assert.equal((await t.req('GET', `${URL}/${a.body.id}`, dispatcher)).body.status, 'dispatched');
    });

    test('nearest available: of the service, with a position, in the area, nearest first with distance × 1.3 and an ETA at 40 km/h', async () => {
      const make = async (service: string, kind: string, lat: number, lon: number) => {
        const deviceId = dev();
        const a = await t.req('POST', URL, hisarOfficer, { registrationNumber: reg(), service, kind, baseFacilityId: hisarFacility, deviceId });
        assert.equal(a.status, 201, JSON.stringify(a.body));
        assert.equal((await t.req('GET', `/api/positions/osmand?id=${deviceId}&lat=${lat}&lon=${lon}`)).status, 200);
        return a.body.id as string;
      };
      const far = await make('108', 'BLS', 29.40, 75.72);
      const near = await make('108', 'ALS', 29.20, 75.72);
      const busy = await make('108', 'BLS', 29.16, 75.72);
      const other = await make('102', 'PTV', 29.15, 75.72);
      assert.equal((await t.req('PATCH', `${URL}/${busy}`, dispatcher, { status: 'dispatched' })).status, 200);
      const r = await t.req('GET', `${URL}/nearest?latitude=29.15&longitude=75.72&service=108`, dispatcher);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const ids = r.body.items.map((x: any) => x.id);
      assert.ok(ids.indexOf(near) >= 0 && ids.indexOf(near) < ids.indexOf(far), JSON.stringify(ids));
      assert.ok(!ids.includes(busy) && !ids.includes(other));
      const n = r.body.items.find((x: any) => x.id === near);
      // 0.05° of latitude is 5.56 km; × 1.3 = 7.2 km; at 40 km/h 11 minutes.
      assert.equal(n.distanceKm, 7.2);
      assert.equal(n.etaMinutes, 11);
      assert.deepEqual((await t.req('GET', `${URL}/nearest?latitude=29.15&longitude=75.72&service=108&kind=BLS`, dispatcher)).body.items.map((x: any) => x.id).includes(near), false);
      assert.equal((await t.req('GET', `${URL}/nearest?latitude=29.15&longitude=75.72&service=108`, mandiOfficer)).body.items.length, 0);
      assert.equal((await t.req('GET', `${URL}/nearest?latitude=29.15&longitude=75.72&service=108`, cho)).status, 403);
      assert.equal((await t.req('GET', `${URL}/nearest?latitude=north&longitude=75.72&service=108`, dispatcher)).status, 400);
    });

    test('nearest available read from the index outwards: the same answer as ranking every vehicle, whatever the limit', async () => {
      const place = { lat: 20, lon: 80 };
      const kmN = 1 / 111.195;
      const kmE = 1 / (111.195 * Math.cos((20 * Math.PI) / 180));
      const make = async (lat: number, lon: number) => {
        const deviceId = dev();
        const a = await t.req('POST', URL, hisarOfficer, { registrationNumber: reg(), service: '102', kind: 'BLS', baseFacilityId: hisarFacility, deviceId });
        assert.equal(a.status, 201, JSON.stringify(a.body));
        assert.equal((await t.req('GET', `/api/positions/osmand?id=${deviceId}&lat=${lat.toFixed(6)}&lon=${lon.toFixed(6)}`)).status, 200);
        return a.body.id as string;
      };
      const a = await make(place.lat + 10 * kmN, place.lon); // 10 km north
      const corner = await make(place.lat + 40 * kmN, place.lon + 40 * kmE); // 57 km, inside the 50 km box's corner
      const east = await make(place.lat, place.lon + 52 * kmE); // 52 km, just outside that box
      const south = await make(place.lat - 150 * kmN, place.lon);
      const west = await make(place.lat, place.lon - 600 * kmE); // in the largest box only
      const hisar = await make(29.15, 75.72); // over 1,000 km (with the other tests' vehicles there)
      const near = (limit: number) => t.req('GET', `${URL}/nearest?latitude=${place.lat}&longitude=${place.lon}&service=102&limit=${limit}`, dispatcher);
      const all = (await near(50)).body.items;
      assert.deepEqual(all.slice(0, 5).map((x: any) => x.id), [a, east, corner, south, west]);
      assert.ok(all.slice(5).some((x: any) => x.id === hisar));
      for (let k = 1; k <= all.length + 1; k++) {
        const r = await near(k);
        assert.equal(r.status, 200);
        assert.deepEqual(r.body.items, all.slice(0, k), `limit ${k}`);
      }
    });

    test('nearest available: a vehicle nearer on the ground than in degrees is still found first (more are read until the answer is sure)', async () => {
      // At 25° N a degree of longitude is 0.906 of a degree of latitude: 0.47° east is 47.4 km, 0.45° north 50.0 km.
      const place = { lat: 25, lon: 85 };
      const make = async (lat: number, lon: number) => {
        const deviceId = dev();
        const a = await t.req('POST', URL, hisarOfficer, { registrationNumber: reg(), service: '102', kind: 'PTV', baseFacilityId: hisarFacility, deviceId });
        assert.equal(a.status, 201, JSON.stringify(a.body));
        assert.equal((await t.req('GET', `/api/positions/osmand?id=${deviceId}&lat=${lat.toFixed(6)}&lon=${lon.toFixed(6)}`)).status, 200);
        return a.body.id as string;
      };
      const north: string[] = [];
      for (let i = 0; i < 16; i++) north.push(await make(place.lat + 0.45 + i * 0.0005, place.lon + (i % 2 ? 0.0004 : -0.0004)));
      const east = await make(place.lat, place.lon + 0.47);
      const r = await t.req('GET', `${URL}/nearest?latitude=${place.lat}&longitude=${place.lon}&service=102&kind=PTV&limit=1`, dispatcher);
      assert.equal(r.status, 200);
      assert.deepEqual(r.body.items.map((x: any) => x.id), [east]);
      const two = await t.req('GET', `${URL}/nearest?latitude=${place.lat}&longitude=${place.lon}&service=102&kind=PTV&limit=2`, dispatcher);
      assert.deepEqual(two.body.items.map((x: any) => x.id), [east, north[0]]);
    });

    test('nearest available: a vehicle whose rounded grid point is further than others\' but which is nearer on the ground comes first', async () => {
      // The index holds positions rounded to 0.05°. From 22.02° N: 22.026° rounds to 22.05 (0.03° away
      // on the grid, 0.67 km on the ground); 22.0075–22.012° round to 22.00 (0.02° on the grid, 0.9–1.4 km).
      const place = { lat: 22.02, lon: 78 };
      const make = async (lat: number) => {
        const deviceId = dev();
        const a = await t.req('POST', URL, hisarOfficer, { registrationNumber: reg(), service: '102', kind: 'PTV', baseFacilityId: hisarFacility, deviceId });
        assert.equal(a.status, 201, JSON.stringify(a.body));
        assert.equal((await t.req('GET', `/api/positions/osmand?id=${deviceId}&lat=${lat.toFixed(6)}&lon=${place.lon}`)).status, 200);
        return a.body.id as string;
      };
      for (let i = 0; i < 16; i++) await make(22.012 - i * 0.0003);
      const nearest = await make(22.026);
      const r = await t.req('GET', `${URL}/nearest?latitude=${place.lat}&longitude=${place.lon}&service=102&kind=PTV&limit=1`, dispatcher);
      assert.equal(r.status, 200);
      assert.deepEqual(r.body.items.map((x: any) => [x.id, x.distanceKm]), [[nearest, 0.9]]);
    });

    test('nearest available: a vehicle whose service is changed (by SQL: no screen changes it) is searched under its new service', async () => {
      const deviceId = dev();
      const a = await t.req('POST', URL, hisarOfficer, { registrationNumber: reg(), service: '108', kind: 'ALS', baseFacilityId: hisarFacility, deviceId });
      assert.equal(a.status, 201, JSON.stringify(a.body));
      assert.equal((await t.req('GET', `/api/positions/osmand?id=${deviceId}&lat=12.5&lon=92.7`)).status, 200);
      const near = async (service: string, kind: string) => (await t.req('GET', `${URL}/nearest?latitude=12.5&longitude=92.7&service=${service}&kind=${kind}&limit=1`, dispatcher)).body.items.map((x: any) => x.id);
      assert.deepEqual(await near('108', 'ALS'), [a.body.id]);
      await t.db.kysely.updateTable('ambulances').set({ service: '102', kind: 'PTV' }).where('id', '=', a.body.id).execute();
      assert.deepEqual(await near('102', 'PTV'), [a.body.id]);
      assert.notDeepEqual(await near('108', 'ALS'), [a.body.id]);
      await t.db.kysely.updateTable('ambulances').set({ service: '108', kind: 'BLS' }).where('id', '=', a.body.id).execute();
    });

    test('the list is paged and filtered', async () => {
      const u = (await t.userWith('district_officer', 63)).token;
      const all = await t.req('GET', `${URL}?limit=2&offset=0&service=108`, u);
      assert.equal(all.status, 200);
      assert.ok(all.body.total >= 3);
      assert.equal(all.body.items.length, 2);
      const next = await t.req('GET', `${URL}?limit=2&offset=2&service=108`, u);
      assert.ok(!next.body.items.some((x: any) => all.body.items.some((y: any) => y.id === x.id)));
      const byQ = await t.req('GET', `${URL}?q=hr39ga1082`, u);
      assert.equal(byQ.body.total, 1);
    });
  });

  describe(`ambulances: positions from devices [${engine}]`, () => {
    let t: TestApp;
    let token: string;
    let amb: string;
    const device = '358240051111110';
    before(async () => {
      t = await startTestApp(engine);
      const f = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'CH Hisar', type: 'DH' }));
      token = (await t.userWith('dispatcher', 63)).token;
      const a = await t.req('POST', URL, t.adminToken, { registrationNumber: 'HR 20 AB 1234', service: '108', kind: 'BLS', baseFacilityId: f.body.id, deviceId: device });
      assert.equal(a.status, 201, JSON.stringify(a.body));
      amb = a.body.id;
    });
    after(async () => { await t.close(); });
    const pos = async () => (await t.req('GET', `${URL}/${amb}`, token)).body.position;
    const secs = (d: Date) => Math.floor(d.getTime() / 1000);

    test('OsmAnd GET without a token: speed in knots, Unix seconds; the vehicle shows the position', async () => {
      const at = new Date(Date.now() - 60_000);
      const r = await t.req('GET', `/api/positions/osmand?id=${device}&lat=29.1492&lon=75.7217&timestamp=${secs(at)}&speed=10&bearing=90&altitude=215&accuracy=8&batt=76&hdop=0.9`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.accepted, 1);
      const p = await pos();
      assert.equal(p.latitude, 29.1492);
      assert.equal(p.longitude, 75.7217);
      assert.equal(p.speedKmh, 18.5);
      assert.equal(p.fixTime, new Date(secs(at) * 1000).toISOString());
      assert.equal(p.battery, 76);
    });

    test('timestamps in milliseconds, ISO 8601 and yyyy-MM-dd HH:mm:ss; location=lat,lon; deviceid; heading', async () => {
      const t1 = new Date(Date.now() - 50_000);
      assert.equal((await t.req('GET', `/api/positions/osmand?deviceid=${device}&location=29.15,75.72&timestamp=${t1.getTime()}&heading=45`)).status, 200);
      assert.equal((await pos()).fixTime, t1.toISOString());
      assert.equal((await pos()).course, 45);
      const t2 = new Date(Math.floor((Date.now() - 40_000) / 1000) * 1000);
      assert.equal((await t.req('GET', `/api/positions/osmand?id=${device}&lat=29.16&lon=75.73&timestamp=${encodeURIComponent(t2.toISOString())}`)).status, 200);
      assert.equal((await pos()).fixTime, t2.toISOString());
      const t3 = new Date(Math.floor((Date.now() - 30_000) / 1000) * 1000);
      const plain = t3.toISOString().slice(0, 19).replace('T', ' ');
      assert.equal((await t.req('GET', `/api/positions/osmand?id=${device}&lat=29.17&lon=75.74&timestamp=${encodeURIComponent(plain)}`)).status, 200);
      assert.equal((await pos()).fixTime, t3.toISOString());
      assert.equal((await pos()).latitude, 29.17);
    });

    test('form POST, and the newer Traccar Client JSON (speed in m/s); no timestamp means now', async () => {
      const t4 = new Date(Math.floor((Date.now() - 20_000) / 1000) * 1000);
      const form = await t.app.inject({ method: 'POST', url: '/api/positions/osmand', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `id=${device}&lat=29.18&lon=75.75&timestamp=${secs(t4)}&speed=20` });
      assert.equal(form.statusCode, 200, form.body);
      assert.equal((await pos()).latitude, 29.18);
      assert.equal((await pos()).speedKmh, 37);
      const t5 = new Date(Date.now() - 10_000);
      const json = await t.req('POST', '/api/positions/osmand', null, { location: { timestamp: t5.toISOString(), coords: { latitude: 29.19, longitude: 75.76, speed: 10, heading: 180, altitude: 210, accuracy: 5 }, is_moving: true, odometer: 1200, battery: { level: 0.55, is_charging: false } }, device_id: device });
      assert.equal(json.status, 200, JSON.stringify(json.body));
      const p = await pos();
      assert.equal(p.latitude, 29.19);
      assert.equal(p.speedKmh, 36);
      assert.equal(p.battery, 55);
      const before = Date.now();
      assert.equal((await t.req('GET', `/api/positions/osmand?id=${device}&lat=29.2&lon=75.77`)).status, 200);
      assert.ok(Date.parse((await pos()).fixTime) >= before - 1000);
    });

    test('unknown device and malformed fixes are 400; no coordinates is 400', async () => {
      const r = await t.req('GET', '/api/positions/osmand?id=000000000000000&lat=29.1&lon=75.7');
      assert.equal(r.status, 400);
      assert.equal(r.body.error.details.field, 'id');
      assert.equal((await t.req('GET', `/api/positions/osmand?id=${device}&lat=abc&lon=75.7`)).status, 400);
      assert.equal((await t.req('GET', `/api/positions/osmand?id=${device}`)).status, 400);
      assert.equal((await t.req('GET', `/api/positions/osmand?id=${device}&lat=29&lon=75&timestamp=yesterday`)).status, 400);
    });

    test('batch: impossible fixes refused with reasons, a late fix stored without moving the latest, a duplicate dropped', async () => {
      const latest = await pos();
      const now = Date.now();
      const iso = (ms: number) => new Date(ms).toISOString();
      const late = iso(now - 3_600_000);
      const r = await t.req('POST', '/api/positions', null, { positions: [
        { deviceId: device, latitude: 29.3, longitude: 75.8, fixTime: late, speedKmh: 40 },
        { deviceId: device, latitude: 0, longitude: 0, fixTime: iso(now - 5_000) },
        { deviceId: device, latitude: 51.5, longitude: -0.12, fixTime: iso(now - 4_000) },
        { deviceId: device, latitude: 29.3, longitude: 75.8, fixTime: iso(now - 3_000), speedKmh: 480 },
        { deviceId: device, latitude: 29.3, longitude: 75.8, fixTime: iso(now + 3_600_000) },
        { deviceId: 'nobody', latitude: 29.3, longitude: 75.8, fixTime: iso(now - 2_000) },
        { deviceId: device, latitude: 29.3, longitude: 75.8, fixTime: 'soon' },
        { deviceId: device, latitude: 29.3, longitude: 75.8, fixTime: iso(now - 400 * 86_400_000) },
      ] });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.accepted, 1);
      assert.deepEqual(r.body.refused, [
        { index: 1, reason: 'null_island' }, { index: 2, reason: 'outside_india' }, { index: 3, reason: 'impossible_speed' },
        { index: 4, reason: 'future_fix' }, { index: 5, reason: 'unknown_device' }, { index: 6, reason: 'invalid_time' }, { index: 7, reason: 'older_than_kept' },
      ]);
      assert.deepEqual(await pos(), latest, 'a late fix does not move the latest position');
      const stored = await t.db.kysely.selectFrom('ambulance_positions').select('latitude').where('ambulance_id', '=', amb).where('fix_time', '=', new Date(late)).execute();
      assert.equal(stored.length, 1);
      const again = await t.req('POST', '/api/positions', null, { positions: [{ deviceId: device, latitude: 29.4, longitude: 75.9, fixTime: late }, { deviceId: device, latitude: 29.4, longitude: 75.9, fixTime: late }] });
      assert.equal(again.body.accepted, 0);
      assert.equal(again.body.duplicates, 2);
      const kept = await t.db.kysely.selectFrom('ambulance_positions').select('latitude').where('ambulance_id', '=', amb).where('fix_time', '=', new Date(late)).execute();
      assert.deepEqual(kept.map((k) => k.latitude), [29.3], 'the first fix stays');
    });

    test('parallel fixes out of order: the latest position is the newest fix, each fix stored once', async () => {
      const base = Date.now() - 120_000;
      const times = Array.from({ length: 24 }, (_, i) => base + i * 1000).sort(() => Math.random() - 0.5);
      const answers = await Promise.all([...times, ...times.slice(0, 8)].map((ms, i) => t.req('GET', `/api/positions/osmand?id=${device}&lat=${29 + (ms - base) / 1e7}&lon=75.5&timestamp=${ms}&n=${i}`)));
      assert.ok(answers.every((a) => a.status === 200), JSON.stringify(answers.find((a) => a.status !== 200)?.body));
      assert.equal(answers.reduce((n, a) => n + a.body.accepted, 0), 24);
      const newest = Math.max(...times);
      const p = await pos();
      // The earlier tests stored fixes up to now; three newer ones (a little ahead, as device clocks run) in parallel, out of order.
      assert.ok(Date.parse(p.fixTime) >= newest);
      const top = Date.now() + 2000;
      await Promise.all([top - 5000, top, top - 3000].map((ms) => t.req('GET', `/api/positions/osmand?id=${device}&lat=29.5&lon=${75 + (ms % 1000) / 1e4}&timestamp=${ms}`)));
      assert.equal((await pos()).fixTime, new Date(top).toISOString());
    });

    test('over the body limits: 413', async () => {
      const big = await t.app.inject({ method: 'POST', url: '/api/positions/osmand', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `id=${device}&x=${'a'.repeat(20_000)}` });
      assert.equal(big.statusCode, 413);
      const many = await t.req('POST', '/api/positions', null, { positions: Array.from({ length: 2001 }, () => ({ deviceId: device, latitude: 29, longitude: 75, fixTime: new Date().toISOString() })) });
      assert.ok(many.status === 400 || many.status === 413, String(many.status));
    });

    test('partitions by day: upkeep makes the coming days, drops days past retention whole, a fix on a missing day makes its partition', async () => {
      const now = new Date();
      const r = await maintainPositionPartitions(t.db.kysely, { keepDays: 120, ahead: 3, now });
      const names = await positionPartitions(t.db.kysely);
      for (let d = 0; d <= 3; d++) assert.ok(names.includes(`ambulance_positions_p${new Date(now.getTime() + d * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '')}`), JSON.stringify(names));
      assert.ok(Array.isArray(r.dropped));
      // A fix 10 days old: its day has no partition until it comes.
      const old = new Date(now.getTime() - 10 * 86_400_000);
      const oldName = `ambulance_positions_p${old.toISOString().slice(0, 10).replace(/-/g, '')}`;
      assert.ok(!(await positionPartitions(t.db.kysely)).includes(oldName));
      const b = await t.req('POST', '/api/positions', null, { positions: [{ deviceId: device, latitude: 29.1, longitude: 75.7, fixTime: old.toISOString() }] });
      assert.equal(b.body.accepted, 1, JSON.stringify(b.body));
      assert.ok((await positionPartitions(t.db.kysely)).includes(oldName));
      // With 5 days kept, that day is dropped whole (and its fix with it); today's stay.
      const d = await maintainPositionPartitions(t.db.kysely, { keepDays: 5, now });
      assert.ok(d.dropped.includes(oldName), JSON.stringify(d));
      const left = await t.db.kysely.selectFrom('ambulance_positions').select('fix_time').where('fix_time', '<', new Date(now.getTime() - 6 * 86_400_000)).execute();
      assert.equal(left.length, 0);
      assert.ok((await positionPartitions(t.db.kysely)).length >= 4);
    });
  });
}
