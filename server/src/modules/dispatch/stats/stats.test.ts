import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../../test/harness.js';
import { resolveOrgUnit } from '../../geo/geo.service.js';
import { uid } from '../../../platform/ids.js';

// Calls and trips are put straight into the tables, with times chosen so that every percentile can be
// worked out by hand (percentile_cont: the value at (n − 1) × p in the sorted list, linearly interpolated).
// The month is March 2025 in IST.
const MONTH = '2025-03';
const at = (day: number, hhmm: string, plusMinutes = 0) => new Date(Date.parse(`2025-03-${String(day).padStart(2, '0')}T${hhmm}:00+05:30`) + plusMinutes * 60_000);

let seq = 0;
const reg = () => `HR 39 RT ${String(1000 + ++seq)}`;
const dev = () => `rt-${randomBytes(5).toString('hex')}`;

interface TripSpec { ambulance: string; status: string; assigned: number; scene?: number; hospital?: number; enRoute?: number }

for (const engine of testEngines()) {
  describe(`response times [${engine}]`, () => {
    let t: TestApp;
    let hisar: string;
    let rohtak: string;
    let mandi: string;
    let hisarOfficer: string;
    let mandiOfficer: string;
    let haryanaOfficer: string;
    let himachalOfficer: string;
    let dispatcher: string;
    let cho: string;
    const amb: Record<string, string> = {};

    async function call(district: string, service: '108' | '102', area: 'urban' | 'rural', created: Date, trips: TripSpec[]) {
      const id = uid();
      await t.db.kysely.insertInto('dispatch_calls').values({
        id, service, caller_phone: '9876543210', latitude: 29.15, longitude: 75.72, district_id: district, area,
        complaint: 'road accident', status: 'closed', created_at: created,
      } as never).execute();
      for (const tr of trips) {
        const plus = (m: number | undefined) => (m === undefined ? null : new Date(created.getTime() + m * 60_000));
        await t.db.kysely.insertInto('dispatch_trips').values({
          id: uid(), call_id: id, ambulance_id: tr.ambulance, status: tr.status as never,
          assigned_at: plus(tr.assigned)!, en_route_at: plus(tr.enRoute ?? (tr.scene !== undefined ? tr.assigned + 1 : undefined)),
          at_scene_at: plus(tr.scene), at_hospital_at: plus(tr.hospital),
          completed_at: tr.status === 'completed' ? plus((tr.hospital ?? tr.scene ?? tr.assigned) + 10) : null,
        }).execute();
      }
      return id;
    }

    before(async () => {
      t = await startTestApp(engine);
      hisar = (await resolveOrgUnit(t.db.kysely, 'district:63')).id;
      rohtak = (await resolveOrgUnit(t.db.kysely, 'district:73')).id;
      mandi = (await resolveOrgUnit(t.db.kysely, 'district:22')).id;
      const base = async (orgUnit: string) => {
        const r = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ type: 'CHC', orgUnit }));
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body.id as string;
      };
      const hisarBase = await base('63');
      const rohtakBase = await base('73');
      const mandiBase = await base('22');
      const vehicle = async (key: string, service: '108' | '102', baseFacilityId: string) => {
        const r = await t.req('POST', '/api/ambulances', t.adminToken, { registrationNumber: reg(), service, kind: service === '102' ? 'PTV' : 'BLS', baseFacilityId, deviceId: dev() });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        amb[key] = r.body.id;
      };
      await vehicle('h1', '108', hisarBase);
      await vehicle('h2', '108', hisarBase);
      await vehicle('h102', '102', hisarBase);
      await vehicle('r1', '108', rohtakBase);
      await vehicle('m1', '108', mandiBase);
      assert.equal((await t.req('PATCH', `/api/ambulances/${amb.h2}`, t.adminToken, { status: 'off_road' })).status, 200);

      hisarOfficer = (await t.userWith('district_officer', 63)).token;
      mandiOfficer = (await t.userWith('district_officer', 22)).token;
      haryanaOfficer = (await t.userWith('state_officer', 'state:6')).token;
      himachalOfficer = (await t.userWith('state_officer', 'state:2')).token;
      dispatcher = (await t.userWith('dispatcher', 63)).token;
      cho = (await t.userWith('cho', hisarBase)).token;

      // Hisar 108, five calls in March (IST). Call to scene 12, 25, 28, 40 (and one never reached).
      await call(hisar, '108', 'urban', at(3, '10:00'), [{ ambulance: amb.h1, status: 'completed', assigned: 2, scene: 12, hospital: 40 }]);
      await call(hisar, '108', 'urban', at(5, '14:00'), [{ ambulance: amb.h2, status: 'completed', assigned: 3, scene: 25, hospital: 50 }]);
      // The first vehicle declined (with a stray scene time that must not count); the second went.
      await call(hisar, '108', 'rural', at(9, '08:00'), [
        { ambulance: amb.h1, status: 'declined', assigned: 1, scene: 3 },
        { ambulance: amb.h2, status: 'completed', assigned: 5, scene: 28, hospital: 60 },
      ]);
      await call(hisar, '108', 'rural', at(20, '22:00'), [{ ambulance: amb.h1, status: 'completed', assigned: 4, scene: 40 }]);
      // Just after midnight IST on 1 March (still February in UTC): March. Its only trip timed out.
      await call(hisar, '108', 'urban', at(1, '00:10'), [{ ambulance: amb.h2, status: 'timed_out', assigned: 2 }]);
      // February in IST (20 minutes before midnight, the vehicle there before midnight too): not March.
      await call(hisar, '108', 'urban', new Date(Date.parse('2025-02-28T23:40:00+05:30')), [{ ambulance: amb.h1, status: 'completed', assigned: 1, scene: 5, hospital: 20 }]);
      // Hisar 102, rural: 20 and 35 minutes.
      await call(hisar, '102', 'rural', at(7, '11:00'), [{ ambulance: amb.h102, status: 'completed', assigned: 2, scene: 20, hospital: 45 }]);
      await call(hisar, '102', 'rural', at(8, '11:00'), [{ ambulance: amb.h102, status: 'completed', assigned: 6, scene: 35, hospital: 70 }]);
      // Rohtak 108, urban: 10 and 15 minutes, both within 20.
      await call(rohtak, '108', 'urban', at(12, '09:00'), [{ ambulance: amb.r1, status: 'completed', assigned: 1, scene: 10, hospital: 30 }]);
      await call(rohtak, '108', 'urban', at(13, '09:00'), [{ ambulance: amb.r1, status: 'completed', assigned: 2, scene: 15, hospital: 35 }]);
      // Mandi (Himachal) 108.
      await call(mandi, '108', 'rural', at(14, '09:00'), [{ ambulance: amb.m1, status: 'completed', assigned: 3, scene: 33, hospital: 80 }]);
    });
    after(async () => { await t?.close(); });

    const figures = async (token: string, query = '') => {
      const r = await t.req('GET', `/api/dispatch/response-times?from=${MONTH}&to=${MONTH}${query}`, token);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body;
    };
    const row = (body: any, district: string, service: string) => body.districts.find((d: any) => d.districtId === district && d.service === service);

    test('Hisar 108: percentiles as worked out by hand, the declined trip and the February call ignored', async () => {
      const body = await figures(hisarOfficer);
      const h = row(body, hisar, '108');
      assert.ok(h, JSON.stringify(body));
      assert.equal(h.calls, 5);
      assert.equal(h.reached, 4);
      // call to dispatch: 2, 3, 5, 4 → sorted 2 3 4 5: p50 3.5, p90 at 2.7 → 4 + 0.7 × 1 = 4.7 (the declined vehicle's 1 minute would make it 1)
      assert.equal(h.callToDispatchP50, 3.5);
      assert.equal(h.callToDispatchP90, 4.7);
      // dispatch to scene: 10, 22, 23, 36: p50 22.5, p90 23 + 0.7 × 13 = 32.1
      assert.equal(h.dispatchToSceneP50, 22.5);
      assert.equal(h.dispatchToSceneP90, 32.1);
      // call to scene: 12, 25, 28, 40: p50 26.5, p90 28 + 0.7 × 12 = 36.4
      assert.equal(h.callToSceneP50, 26.5);
      assert.equal(h.callToSceneP90, 36.4);
      // call to hospital: 40, 50, 60: p50 50, p90 at 1.8 → 50 + 0.8 × 10 = 58
      assert.equal(h.callToHospitalP50, 50);
      assert.equal(h.callToHospitalP90, 58);
      // targets by default: urban 20 (12 yes, 25 no), rural 30 (28 yes, 40 no)
      assert.equal(h.targetUrbanMinutes, 20);
      assert.equal(h.targetRuralMinutes, 30);
      assert.equal(h.withinTarget, 2);
      assert.equal(h.withinTargetShare, 0.5);
      // two 108 vehicles, one off road; 4 trips (declined and timed out not counted) over 31 days: 4 / 62
      assert.equal(h.vehicles, 2);
      assert.equal(h.offRoadNow, 1);
      assert.equal(h.trips, 4);
      assert.equal(h.tripsPerVehiclePerDay, 0.06);
      assert.equal(body.days, 31);
    });

    test('Hisar 102 beside it; the district officer sees only Hisar, the state officer both districts of Haryana', async () => {
      const body = await figures(hisarOfficer);
      const h = row(body, hisar, '102');
      assert.equal(h.calls, 2);
      assert.equal(h.callToSceneP50, 27.5);
      assert.equal(h.callToSceneP90, 33.5);
      assert.equal(h.withinTargetShare, 0.5);
      assert.equal(h.targetRuralMinutes, 30);
      assert.deepEqual([...new Set(body.districts.map((d: any) => d.districtId))], [hisar]);
      const state = await figures(haryanaOfficer);
      assert.deepEqual([...new Set(state.districts.map((d: any) => d.name))].sort(), ['Hisar', 'Rohtak']);
      assert.equal(row(state, rohtak, '108').withinTargetShare, 1);
      assert.equal(row(state, rohtak, '108').callToSceneP90, 14.5);
      // The state's total for 108 is over all its calls: 12, 25, 28, 40, 10, 15 → p50 (15 + 25) / 2 = 20
      const total108 = state.totals.find((x: any) => x.service === '108');
      assert.equal(total108.calls, 7);
      assert.equal(total108.callToSceneP50, 20);
      // one service only, one district
      const only = await figures(haryanaOfficer, '&service=102&district=63');
      assert.deepEqual(only.districts.map((d: any) => `${d.name} ${d.service}`), ['Hisar 102']);
      assert.equal((await figures(dispatcher)).districts.length, 2);
    });

    test('monthly series: February holds the call made 20 minutes before midnight IST; April is empty', async () => {
      const r = await t.req('GET', '/api/dispatch/response-times/monthly?from=2025-02&to=2025-04&district=63&service=108', hisarOfficer);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.series.length, 1);
      const items = r.body.series[0].items;
      assert.deepEqual(items.map((i: any) => [i.month, i.calls, i.reached]), [['2025-02', 1, 1], ['2025-03', 5, 4], ['2025-04', 0, 0]]);
      assert.equal(items[1].callToSceneP90, 36.4);
      assert.equal(items[2].callToSceneP50, null);
      assert.equal(items[2].withinTargetShare, null);
    });

    test('ranking: the districts of Haryana by share within target, then p90; a district officer sees their own state\'s', async () => {
      const r = await t.req('GET', `/api/dispatch/ranking?month=${MONTH}&service=108`, hisarOfficer);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.state.lgdCode, 6);
      assert.deepEqual(r.body.items.slice(0, 2).map((i: any) => [i.rank, i.name, i.withinTargetShare]), [[1, 'Rohtak', 1], [2, 'Hisar', 0.5]]);
      assert.ok(r.body.items.length >= 20, 'every district of Haryana is listed');
      assert.equal(r.body.items[2].rank, null);
      assert.ok(!JSON.stringify(r.body).includes(mandi));
      assert.equal((await t.req('GET', `/api/dispatch/ranking?month=${MONTH}&state=2`, hisarOfficer)).status, 403);
      const himachal = await t.req('GET', `/api/dispatch/ranking?month=${MONTH}`, himachalOfficer);
      assert.equal(himachal.body.items[0].name, 'Mandi');
      assert.equal(himachal.body.items[0].callToSceneP50, 33);
    });

    test('scope: other districts and states are 403, roles without can_read_ambulances 403, no token 401', async () => {
      assert.equal((await t.req('GET', `/api/dispatch/response-times?from=${MONTH}&to=${MONTH}&district=73`, hisarOfficer)).status, 403);
      assert.equal((await t.req('GET', `/api/dispatch/response-times?from=${MONTH}&to=${MONTH}&district=63`, mandiOfficer)).status, 403);
      assert.equal((await t.req('GET', '/api/dispatch/response-times/monthly?district=63', himachalOfficer)).status, 403);
      assert.equal((await t.req('GET', `/api/dispatch/response-times?state=6&from=${MONTH}&to=${MONTH}`, himachalOfficer)).status, 403);
      assert.equal((await t.req('GET', '/api/dispatch/response-times', cho)).status, 403);
      assert.equal((await t.req('GET', '/api/dispatch/ranking', cho)).status, 403);
      assert.equal((await t.req('GET', '/api/dispatch/targets', cho)).status, 403);
      assert.equal((await t.req('GET', '/api/dispatch/response-times')).status, 401);
      const mandiView = await figures(mandiOfficer);
      assert.deepEqual(mandiView.districts.map((d: any) => d.name), ['Mandi']);
    });

    test('bad months and services are 400 naming the field', async () => {
      const cases: [string, string][] = [
        ['/api/dispatch/response-times?from=2025-13&to=2025-13', 'from'],
        ['/api/dispatch/response-times?from=2025-04&to=2025-03', 'from'],
        ['/api/dispatch/response-times?from=2023-01&to=2025-03', 'from'],
        ['/api/dispatch/response-times?from=2025-03&to=2025-03&service=104', 'service'],
        ['/api/dispatch/response-times/monthly?from=March&to=2025-03', 'from'],
        ['/api/dispatch/ranking?month=2025-3', 'month'],
        ['/api/dispatch/response-times?district=nowhere!', 'district'],
      ];
      for (const [url, field] of cases) {
        const r = await t.req('GET', url, haryanaOfficer);
        assert.equal(r.status, 400, `${url} → ${r.status} ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error.details.field, field, url);
      }
      assert.equal((await t.req('GET', '/api/dispatch/ranking', t.adminToken)).status, 400, 'the country admin names a state');
    });

    test('targets: the state officer sets the state\'s and a district\'s own; the figures follow; others 403', async () => {
      const first = await t.req('GET', '/api/dispatch/targets', hisarOfficer);
      assert.equal(first.status, 200);
      assert.equal(first.body.canEdit, false);
      assert.deepEqual(first.body.items.map((i: any) => `${i.service} ${i.area} ${i.callToSceneMinutes} ${i.source}`), ['108 urban 20 default', '108 rural 30 default', '102 urban 30 default', '102 rural 30 default']);
      const put = (token: string, body: unknown) => t.req('PUT', '/api/dispatch/targets', token, body);
      assert.equal((await put(hisarOfficer, { items: [{ service: '108', area: 'urban', callToSceneMinutes: 25 }] })).status, 403);
      assert.equal((await put(himachalOfficer, { state: '6', items: [{ service: '108', area: 'urban', callToSceneMinutes: 25 }] })).status, 403);
      assert.equal((await put(haryanaOfficer, { district: '22', items: [{ service: '108', area: 'urban', callToSceneMinutes: 25 }] })).status, 403);
      const bad = await put(haryanaOfficer, { items: [{ service: '108', area: 'urban', callToSceneMinutes: 5 }, { service: '108', area: 'urban', callToSceneMinutes: 6 }] });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.details.field, 'items.1');
      assert.equal((await put(haryanaOfficer, { items: [{ service: '108', area: 'urban', callToSceneMinutes: 0 }] })).status, 400);

      // 108 urban 25 for Haryana: 12 and 25 now within → 3 of 4
      const set = await put(haryanaOfficer, { items: [{ service: '108', area: 'urban', callToSceneMinutes: 25 }] });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      assert.equal(set.body.items[0].source, 'state');
      assert.equal(row(await figures(hisarOfficer), hisar, '108').withinTargetShare, 0.75);
      // Hisar's own 108 urban 10: 12 and 25 both late → 1 of 4; Rohtak keeps the state's
      assert.equal((await put(haryanaOfficer, { district: '63', items: [{ service: '108', area: 'urban', callToSceneMinutes: 10 }] })).status, 200);
      const own = await figures(haryanaOfficer);
      assert.equal(row(own, hisar, '108').withinTargetShare, 0.25);
      assert.equal(row(own, hisar, '108').targetUrbanMinutes, 10);
      assert.equal(row(own, rohtak, '108').targetUrbanMinutes, 25);
      const seen = await t.req('GET', '/api/dispatch/targets', hisarOfficer);
      assert.deepEqual(seen.body.districts.map((d: any) => `${d.name} ${d.service} ${d.area} ${d.callToSceneMinutes}`), ['Hisar 108 urban 10']);
      // null takes Hisar back to the state's
      assert.equal((await put(haryanaOfficer, { district: '63', items: [{ service: '108', area: 'urban', callToSceneMinutes: null }] })).status, 200);
      assert.equal(row(await figures(hisarOfficer), hisar, '108').withinTargetShare, 0.75);
      const audit = await t.db.kysely.selectFrom('audit_log').select('entity_id').where('entity', '=', 'dispatch_targets').execute();
      assert.equal(audit.length, 3);
    });

    test('parallel changes of one target: every answer 200, one row, the value one of those sent', async () => {
      const sent = [21, 22, 23, 24, 26, 27];
      const answers = await Promise.all(sent.map((m) => t.req('PUT', '/api/dispatch/targets', haryanaOfficer, { items: [{ service: '102', area: 'urban', callToSceneMinutes: m }] })));
      assert.deepEqual(answers.map((a) => a.status), sent.map(() => 200), JSON.stringify(answers.map((a) => a.body)));
      const state = (await resolveOrgUnit(t.db.kysely, 'state:6')).id;
      const rows = await t.db.kysely.selectFrom('dispatch_targets').select('call_to_scene_minutes').where('state_id', '=', state).where('service', '=', '102').where('area', '=', 'urban').where('district_id', 'is', null).execute();
      assert.equal(rows.length, 1);
      assert.ok(sent.includes(rows[0].call_to_scene_minutes));
    });
  });
}
