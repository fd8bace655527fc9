import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { childRow, resolveOrgUnit } from '../geo/geo.service.js';
import { newPregnancyRegistrationNumber } from '../patients/patients.identity.js';
import { StraightLineEstimator } from './dispatch.estimate.js';
import { arriveAtHospital, sweepSilentVehicles } from './dispatch.trips.js';

const CALLS = '/api/dispatch/calls';
let seq = 0;
const reg = () => `HR 39 DS ${String(1000 + ++seq)}${Math.floor(Math.random() * 9)}`;
const dev = () => `dsp-${Date.now() % 1e9}-${++seq}`;

for (const engine of testEngines()) {
  describe(`dispatch: calls, vehicles sent, trips [${engine}]`, () => {
    let t: TestApp;
    let base: string;
    let hospital: string;
    let otherFacility: string;
    let hisarDistrict: string;
    let village: string;
    let mandiVillage: string;
    let dispatcher: string;
    let mandiDispatcher: string;
    let baseOperator: string;
    let hospitalOperator: string;
    let otherOperator: string;
    let hospitalDoctor: string;
    let cho: string;
    let officer: string;

    const ok = async (p: Promise<{ status: number; body: any }>, status = 200) => {
      const r = await p;
      assert.equal(r.status, status, JSON.stringify(r.body));
      return r.body;
    };
    /** A vehicle based at the CHC, its tracker at (lat, lon). */
    const vehicle = async (lat: number, lon: number, service = '108', kind = 'BLS') => {
      const deviceId = dev();
      const a = await ok(t.req('POST', '/api/ambulances', t.adminToken, { registrationNumber: reg(), service, kind, baseFacilityId: base, deviceId }), 201);
      await ok(t.req('GET', `/api/positions/osmand?id=${deviceId}&lat=${lat}&lon=${lon}`));
      return a.id as string;
    };
    /** Nothing else available: the test's own vehicles are the only candidates. */
    const clearFleet = () => t.db.kysely.updateTable('ambulances').set({ status: 'off_road' }).where('status', '=', 'available').execute();
    const call = async (over: Record<string, unknown> = {}, token = dispatcher) =>
      ok(t.req('POST', CALLS, token, { callerPhone: '98765 43210', callerName: 'Ramesh', latitude: 29.15, longitude: 75.72, complaint: 'road accident, two injured', service: '108', ...over }), 201);
    const status = async (id: string) => (await ok(t.req('GET', `/api/ambulances/${id}`, dispatcher))).status as string;
    const step = (trip: string, body: Record<string, unknown>, token = dispatcher) => t.req('POST', `/api/dispatch/trips/${trip}/steps`, token, body);

    before(async () => {
      t = await startTestApp(engine);
      base = (await ok(t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'CHC Barwala', type: 'CHC' })), 201)).id;
      hospital = (await ok(t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'Civil Hospital Hisar', type: 'DH', latitude: 29.16, longitude: 75.73 })), 201)).id;
      otherFacility = (await ok(t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Adampur', type: 'PHC' })), 201)).id;
      const hisar = await resolveOrgUnit(t.db.kysely, 'district:63');
      hisarDistrict = hisar.id;
      const v = childRow(hisar, 'village', 64201, 'Sarsod', 'सरसोद');
      const m = childRow(await resolveOrgUnit(t.db.kysely, 'district:22'), 'village', 64202, 'Kataula', 'कटौला');
      await t.db.kysely.insertInto('org_units').values([v, m]).execute();
      village = v.id;
      mandiVillage = m.id;
      dispatcher = (await t.userWith('dispatcher', 63)).token;
      mandiDispatcher = (await t.userWith('dispatcher', 22)).token;
      baseOperator = (await t.userWith('facility_operator', base)).token;
      hospitalOperator = (await t.userWith('facility_operator', hospital)).token;
      otherOperator = (await t.userWith('facility_operator', otherFacility)).token;
      hospitalDoctor = (await t.userWith('doctor', hospital)).token;
      cho = (await t.userWith('cho', otherFacility)).token;
      officer = (await t.userWith('state_officer', 'state:6')).token;
    });
    after(async () => { await t.close(); });

    test('a call is taken in the district it lies in: 201 waiting, the number masked in the list and whole (audited) in the call', async () => {
      const c = await call();
      assert.equal(c.status, 'waiting');
      assert.equal(c.districtId, hisarDistrict);
      assert.equal(c.callerPhoneMasked, '******3210');
      assert.equal(c.area, 'rural');
      const byVillage = await call({ villageId: village, area: 'urban', kind: 'ALS' });
      assert.equal(byVillage.districtId, hisarDistrict);
      assert.equal(byVillage.villageId, village);
      const list = await ok(t.req('GET', `${CALLS}?status=open&limit=200`, dispatcher));
      const item = list.body?.items ?? list.items;
      const mine = item.find((x: any) => x.id === c.id);
      assert.equal(mine.callerPhoneMasked, '******3210');
      assert.equal(mine.callerPhone, undefined);
      assert.equal(mine.trip, null);
      assert.ok(list.total >= 2);
      // A state officer reads the state's list (figures, the map); the call itself with the number is the control room's.
      assert.ok((await ok(t.req('GET', `${CALLS}?status=all`, officer))).items.some((x: any) => x.id === c.id));
      assert.equal((await t.req('GET', `${CALLS}/${c.id}`, officer)).status, 403);
      const full = await ok(t.req('GET', `${CALLS}/${c.id}`, dispatcher));
      assert.equal(full.callerPhone, '9876543210');
      assert.equal(full.callerName, 'Ramesh');
      assert.deepEqual(full.trips, []);
      assert.equal(full.steps[0].step, 'call_received');
      assert.ok(full.steps[0].by.userId);
      const audit = await t.db.kysely.selectFrom('audit_log').select(['action', 'entity']).where('entity_id', '=', c.id).execute();
      assert.ok(audit.some((a) => a.action === 'read' && a.entity === 'dispatch_call'), JSON.stringify(audit));
    });

    test('outside the area: a point or a village elsewhere 403, another district\'s call 404; roles without dispatch 403; bad input 400 naming the field', async () => {
      // Mandi (Himachal) from Hisar's control room, and Hisar from Mandi's.
      assert.equal((await t.req('POST', CALLS, dispatcher, { callerPhone: '9876543210', latitude: 31.71, longitude: 76.93, complaint: 'fall', service: '108' })).status, 403);
      assert.equal((await t.req('POST', CALLS, dispatcher, { callerPhone: '9876543210', latitude: 29.15, longitude: 75.72, villageId: mandiVillage, complaint: 'fall', service: '108' })).status, 403);
      assert.equal((await t.req('POST', CALLS, mandiDispatcher, { callerPhone: '9876543210', latitude: 29.15, longitude: 75.72, complaint: 'fall', service: '108' })).status, 403);
      const c = await call();
      assert.equal((await t.req('GET', `${CALLS}/${c.id}`, mandiDispatcher)).status, 404);
      assert.equal((await t.req('POST', `${CALLS}/${c.id}/assign`, mandiDispatcher, {})).status, 404);
      assert.equal((await t.req('POST', `${CALLS}/${c.id}/cancel`, mandiDispatcher, { reason: 'x' })).status, 404);
      assert.ok(!(await ok(t.req('GET', `${CALLS}?status=all`, mandiDispatcher))).items.some((x: any) => x.id === c.id));
      for (const token of [cho, baseOperator]) {
        assert.equal((await t.req('POST', CALLS, token, { callerPhone: '9876543210', latitude: 29.15, longitude: 75.72, complaint: 'fall', service: '108' })).status, 403);
        assert.equal((await t.req('POST', `${CALLS}/${c.id}/assign`, token, {})).status, 403);
      }
      const badPhone = await t.req('POST', CALLS, dispatcher, { callerPhone: '12', latitude: 29.15, longitude: 75.72, complaint: 'fall', service: '108' });
      assert.equal(badPhone.status, 400);
      assert.equal(badPhone.body.error.details.field, 'callerPhone');
      const badVillage = await t.req('POST', CALLS, dispatcher, { callerPhone: '9876543210', latitude: 29.15, longitude: 75.72, villageId: hisarDistrict, complaint: 'fall', service: '108' });
      assert.equal(badVillage.status, 400);
      assert.equal(badVillage.body.error.details.field, 'villageId');
      assert.equal((await t.req('POST', CALLS, dispatcher, { callerPhone: '9876543210', latitude: 29.15, longitude: 75.72, complaint: 'fall', service: '104' })).status, 400);
      const als102 = await t.req('POST', CALLS, dispatcher, { callerPhone: '9876543210', latitude: 29.15, longitude: 75.72, complaint: 'labour pains', service: '102', kind: 'ALS' });
      assert.equal(als102.body.error.details.field, 'kind');
    });

    test('102: a known pregnancy registration number links the woman (an audited read); an unknown one is 400', async () => {
      const woman = await ok(t.req('POST', '/api/patients', hospitalOperator, { name: 'Sunita Devi', sex: 'female', age: 26, address: { district: 63 } }), 201);
      const preg = await ok(t.req('POST', '/api/pregnancies', hospitalOperator, { patientId: woman.id, facilityId: hospital }), 201);
      const spaced = `${preg.registrationNumber.slice(0, 4)} ${preg.registrationNumber.slice(4, 8)} ${preg.registrationNumber.slice(8)}`;
      const c = await call({ service: '102', complaint: 'labour pains', pregnancyRegistrationNumber: spaced });
      assert.equal(c.pregnancyId, preg.id);
      assert.equal(c.patientId, woman.id);
      const audit = await t.db.kysely.selectFrom('audit_log').select(['action', 'purpose']).where('entity', '=', 'pregnancy').where('entity_id', '=', preg.id).where('action', '=', 'read').execute();
      assert.equal(audit.length, 1);
      for (const number of [newPregnancyRegistrationNumber(), '12345']) {
        const r = await t.req('POST', CALLS, dispatcher, { callerPhone: '9876543210', latitude: 29.15, longitude: 75.72, complaint: 'labour pains', service: '102', pregnancyRegistrationNumber: number });
        assert.equal(r.status, 400, JSON.stringify(r.body));
        assert.equal(r.body.error.details.field, 'pregnancyRegistrationNumber');
      }
    });

    test('assign: the nearest available of the service and kind, by straight line × 1.3 at 40 km/h; the call and the vehicle move on; a second assign 409', async () => {
      await clearFleet();
      const far = await vehicle(29.40, 75.72);
      const near = await vehicle(29.20, 75.72);
      const als = await vehicle(29.16, 75.72, '108', 'ALS');
      const other = await vehicle(29.15, 75.72, '102', 'PTV');
      const c = await call({ kind: 'BLS' });
      const a = await ok(t.req('POST', `${CALLS}/${c.id}/assign`, dispatcher, {}));
      assert.equal(a.ambulanceId, near);
      assert.equal(a.distanceKm, 7.2);
      assert.equal(a.etaMinutes, 11);
      assert.ok(a.tripId && a.registrationNumber);
      assert.equal(await status(near), 'dispatched');
      const listed = (await ok(t.req('GET', `${CALLS}?status=open&limit=200`, dispatcher))).items.find((x: any) => x.id === c.id);
      assert.equal(listed.status, 'assigned');
      assert.deepEqual({ ...listed.trip, assignedAt: undefined }, { id: a.tripId, ambulanceId: near, registrationNumber: a.registrationNumber, status: 'assigned', distanceKm: 7.2, etaMinutes: 11, assignedAt: undefined });
      assert.equal((await t.req('POST', `${CALLS}/${c.id}/assign`, dispatcher, {})).status, 409);
      // Any kind when the call names none: the ALS is nearest.
      const anyKind = await call();
      assert.equal((await ok(t.req('POST', `${CALLS}/${anyKind.id}/assign`, dispatcher, {}))).ambulanceId, als);
      // A named vehicle: busy 409, another service 400, free 200.
      const named = await call();
      assert.equal((await t.req('POST', `${CALLS}/${named.id}/assign`, dispatcher, { ambulanceId: near })).status, 409);
      assert.equal((await t.req('POST', `${CALLS}/${named.id}/assign`, dispatcher, { ambulanceId: other })).body.error.details.field, 'ambulanceId');
      assert.equal((await ok(t.req('POST', `${CALLS}/${named.id}/assign`, dispatcher, { ambulanceId: far }))).ambulanceId, far);
      // None left: 409, and the call waits.
      const none = await call();
      const r = await t.req('POST', `${CALLS}/${none.id}/assign`, dispatcher, {});
      assert.equal(r.status, 409);
      assert.equal(r.body.error.details.reason, 'none_available');
      // The body may be left out altogether.
      assert.equal((await t.req('POST', `${CALLS}/${none.id}/assign`, dispatcher)).status, 409);
      assert.equal((await ok(t.req('GET', `${CALLS}/${none.id}`, dispatcher))).status, 'waiting');
    });

    test('steps in order, stamped with who; the hospital sees it coming and acknowledges; the geofence marks arrival (idempotent); back in service frees the vehicle and closes the call', async () => {
      await clearFleet();
      const amb = await vehicle(29.17, 75.72);
      const c = await call();
      const { tripId } = await ok(t.req('POST', `${CALLS}/${c.id}/assign`, dispatcher, {}));
      assert.equal((await step(tripId, { step: 'at_scene' })).status, 409);
      assert.equal((await step(tripId, { step: 'en_route' }, otherOperator)).status, 404);
      assert.equal((await step(tripId, { step: 'en_route' }, cho)).status, 403);
      assert.equal((await step(tripId, { step: 'en_route' }, mandiDispatcher)).status, 404);
      // The crew's base operator reports for the crew.
      const enRoute = await ok(step(tripId, { step: 'en_route' }, baseOperator));
      assert.equal(enRoute.status, 'en_route');
      assert.ok(enRoute.enRouteAt);
      assert.equal(await status(amb), 'on_trip');
      assert.equal((await step(tripId, { step: 'en_route' })).status, 409);
      await ok(step(tripId, { step: 'at_scene' }));
      const noDest = await step(tripId, { step: 'left_scene' });
      assert.equal(noDest.status, 400);
      assert.equal(noDest.body.error.details.field, 'destinationFacilityId');
      assert.equal((await step(tripId, { step: 'left_scene', destinationFacilityId: 'Nope0000000' })).status, 400);
      assert.equal((await t.req('GET', '/api/dispatch/incoming', hospitalOperator)).body.items.some((x: any) => x.tripId === tripId), false);
      const left = await ok(step(tripId, { step: 'left_scene', destinationFacilityId: hospital }));
      assert.equal(left.destinationFacilityId, hospital);
      assert.equal(left.destinationFacilityName, 'Civil Hospital Hisar');
      assert.equal((await step(tripId, { step: 'back_in_service' })).status, 409);
      // The receiving hospital: its staff see the vehicle coming, others do not.
      const inc = (await ok(t.req('GET', '/api/dispatch/incoming', hospitalDoctor))).items.find((x: any) => x.tripId === tripId);
      assert.equal(inc.status, 'left_scene');
      assert.equal(inc.registrationNumber, enRoute.registrationNumber);
      assert.equal(inc.complaint, 'road accident, two injured');
      assert.equal(typeof inc.etaMinutes, 'number');
      assert.equal(inc.acknowledgedAt, null);
      assert.equal((await ok(t.req('GET', '/api/dispatch/incoming', otherOperator))).items.some((x: any) => x.tripId === tripId), false);
      assert.equal((await t.req('GET', '/api/dispatch/incoming', dispatcher)).status, 403);
      assert.equal((await t.req('POST', `/api/dispatch/trips/${tripId}/acknowledge`, otherOperator)).status, 404);
      const ack = await ok(t.req('POST', `/api/dispatch/trips/${tripId}/acknowledge`, hospitalDoctor));
      assert.ok(ack.acknowledgedAt);
      const again = await ok(t.req('POST', `/api/dispatch/trips/${tripId}/acknowledge`, hospitalOperator));
      assert.equal(again.acknowledgedAt, ack.acknowledgedAt);
      // The geofence: arrival stamped at its time, once.
      const at = new Date();
      assert.equal(await arriveAtHospital(t.db.kysely, amb, otherFacility, at), null);
      const arrived = await arriveAtHospital(t.db.kysely, amb, hospital, at);
      assert.equal(arrived?.status, 'at_hospital');
      assert.equal(arrived?.atHospitalAt, at.toISOString());
      const twice = await arriveAtHospital(t.db.kysely, amb, hospital, new Date());
      assert.equal(twice?.atHospitalAt, at.toISOString());
      assert.equal((await step(tripId, { step: 'at_hospital' })).status, 409);
      const inc2 = (await ok(t.req('GET', '/api/dispatch/incoming', hospitalOperator))).items.find((x: any) => x.tripId === tripId);
      assert.equal(inc2.status, 'at_hospital');
      assert.equal(inc2.acknowledgedBy.userId.length > 0, true);
      const done = await ok(step(tripId, { step: 'back_in_service' }, baseOperator));
      assert.equal(done.status, 'completed');
      assert.equal(await status(amb), 'available');
      const full = await ok(t.req('GET', `${CALLS}/${c.id}`, dispatcher));
      assert.equal(full.status, 'closed');
      assert.ok(full.closedAt);
      assert.deepEqual(full.steps.map((s: any) => s.step), ['call_received', 'assigned', 'en_route', 'at_scene', 'left_scene', 'acknowledged', 'at_hospital', 'back_in_service']);
      const geofence = full.steps.find((s: any) => s.step === 'at_hospital');
      assert.equal(geofence.bySystem, 'geofence');
      assert.equal(geofence.by, null);
      assert.equal(geofence.at, at.toISOString());
      assert.ok(full.steps.find((s: any) => s.step === 'en_route').by.name.startsWith('facility_operator_'));
      assert.equal(full.trips[0].atHospitalAt, at.toISOString());
      assert.equal((await step(tripId, { step: 'en_route' })).status, 409);
      assert.equal((await ok(t.req('GET', `${CALLS}?status=closed&limit=200`, dispatcher))).items.some((x: any) => x.id === c.id), true);
      assert.equal((await ok(t.req('GET', `${CALLS}?status=open&limit=200`, dispatcher))).items.some((x: any) => x.id === c.id), false);
    });

    test('the geofence: a vehicle entering its trip\'s destination arrives at hospital by itself', async () => {
      await clearFleet();
      const deviceId = dev();
      const amb = (await ok(t.req('POST', '/api/ambulances', t.adminToken, { registrationNumber: reg(), service: '108', kind: 'BLS', baseFacilityId: base, deviceId }), 201)).id;
      const now = Math.floor(Date.now() / 1000);
      const fix = (lat: number, lon: number, secondsAgo: number) => ok(t.req('GET', `/api/positions/osmand?id=${deviceId}&lat=${lat}&lon=${lon}&timestamp=${now - secondsAgo}`));
      await fix(29.20, 75.80, 60);
      const c = await call();
      const { tripId } = await ok(t.req('POST', `${CALLS}/${c.id}/assign`, dispatcher, { ambulanceId: amb }));
      for (const s of ['en_route', 'at_scene']) await ok(step(tripId, { step: s }));
      await ok(step(tripId, { step: 'left_scene', destinationFacilityId: hospital }));
      await fix(29.19, 75.78, 30);
      await fix(29.16, 75.73, 10);
      const full = await ok(t.req('GET', `${CALLS}/${c.id}`, dispatcher));
      assert.equal(full.trips[0].status, 'at_hospital', JSON.stringify(full.steps));
      assert.equal(full.status, 'at_hospital');
      const arrived = full.steps.find((s: any) => s.step === 'at_hospital');
      assert.equal(arrived.bySystem, 'geofence');
      // Stamped with the time of the fix inside the geofence.
      assert.equal(arrived.at, new Date((now - 10) * 1000).toISOString());
    });

    test('nobody carried: left_scene with a note, then back in service; no at_hospital', async () => {
      await clearFleet();
      const amb = await vehicle(29.17, 75.72);
      const c = await call();
      const { tripId } = await ok(t.req('POST', `${CALLS}/${c.id}/assign`, dispatcher, {}));
      for (const s of ['en_route', 'at_scene']) await ok(step(tripId, { step: s }));
      await ok(step(tripId, { step: 'left_scene', note: 'patient refused to go; first aid given' }));
      assert.equal((await step(tripId, { step: 'at_hospital' })).status, 409);
      assert.equal((await ok(step(tripId, { step: 'back_in_service' }))).status, 'completed');
      assert.equal(await status(amb), 'available');
    });

    test('decline: the vehicle is free, the call goes to the next nearest by itself, or waits when there is none', async () => {
      await clearFleet();
      const first = await vehicle(29.16, 75.72);
      const second = await vehicle(29.25, 75.72);
      const c = await call();
      const a = await ok(t.req('POST', `${CALLS}/${c.id}/assign`, dispatcher, {}));
      assert.equal(a.ambulanceId, first);
      assert.equal((await t.req('POST', `/api/dispatch/trips/${a.tripId}/decline`, otherOperator, { reason: 'x' })).status, 404);
      const d = await ok(t.req('POST', `/api/dispatch/trips/${a.tripId}/decline`, baseOperator, { reason: 'flat tyre' }));
      assert.equal(d.status, 'declined');
      assert.equal(d.callStatus, 'assigned');
      assert.equal(d.next.ambulanceId, second);
      assert.equal(await status(first), 'available');
      assert.equal(await status(second), 'dispatched');
      assert.equal((await t.req('POST', `/api/dispatch/trips/${a.tripId}/decline`, dispatcher, { reason: 'again' })).status, 409);
      // The second declines too: the first declined this call already, so the call waits.
      const d2 = await ok(t.req('POST', `/api/dispatch/trips/${d.next.tripId}/decline`, dispatcher, { reason: 'crew not on shift' }));
      assert.equal(d2.next, null);
      assert.equal(d2.callStatus, 'waiting');
      const full = await ok(t.req('GET', `${CALLS}/${c.id}`, dispatcher));
      assert.equal(full.status, 'waiting');
      assert.deepEqual(full.trips.map((x: any) => x.status), ['declined', 'declined']);
      assert.equal(full.trips[0].endedReason, 'flat tyre');
      const reassigned = full.steps.find((s: any) => s.step === 'assigned' && s.bySystem === 'reassign');
      assert.ok(reassigned);
      // A dispatcher may still send it by hand.
      assert.equal((await ok(t.req('POST', `${CALLS}/${c.id}/assign`, dispatcher, { ambulanceId: first }))).ambulanceId, first);
    });

    test('a silent vehicle: not en route within the acceptance time, timed out by the sweep and replaced; one en route is left alone', async () => {
      await clearFleet();
      // Earlier tests' trips are under way: only this test's are due.
      await t.db.kysely.updateTable('dispatch_trips').set({ status: 'en_route' }).where('status', '=', 'assigned').execute();
      const silent = await vehicle(29.16, 75.72);
      const next = await vehicle(29.22, 75.72);
      const moving = await vehicle(29.30, 75.72);
      const c = await call();
      const a = await ok(t.req('POST', `${CALLS}/${c.id}/assign`, dispatcher, { ambulanceId: silent }));
      const c2 = await call();
      const b = await ok(t.req('POST', `${CALLS}/${c2.id}/assign`, dispatcher, { ambulanceId: moving }));
      await ok(step(b.tripId, { step: 'en_route' }));
      assert.deepEqual((await sweepSilentVehicles(t.db.kysely, { acceptSeconds: 120 })).timedOut, []);
      const later = new Date(Date.now() + 121_000);
      const swept = await sweepSilentVehicles(t.db.kysely, { acceptSeconds: 120, now: later, estimator: new StraightLineEstimator() });
      assert.deepEqual(swept.timedOut.map((x) => x.tripId), [a.tripId]);
      assert.equal(swept.timedOut[0].next?.ambulanceId, next);
      assert.equal(await status(silent), 'available');
      assert.equal(await status(moving), 'on_trip');
      const full = await ok(t.req('GET', `${CALLS}/${c.id}`, dispatcher));
      assert.deepEqual(full.trips.map((x: any) => x.status), ['timed_out', 'assigned']);
      assert.equal(full.steps.find((s: any) => s.step === 'timed_out').bySystem, 'timeout');
      // The replacement was assigned just now: not due a minute from now.
      assert.deepEqual((await sweepSilentVehicles(t.db.kysely, { acceptSeconds: 120, now: new Date(Date.now() + 60_000) })).timedOut, []);
    });

    test('the sweeps run on the shared scheduler (once per period across instances): silent vehicles, vehicles gone offline, position partitions', async () => {
      for (const name of ['dispatch.silent-vehicles', 'ambulances.offline-sweep', 'ambulances.partitions']) await t.app.jobs.runNow(name);
    });

    test('cancel frees the vehicle; a cancelled call cannot be cancelled or assigned again', async () => {
      await clearFleet();
      const amb = await vehicle(29.16, 75.72);
      const c = await call();
      await ok(t.req('POST', `${CALLS}/${c.id}/assign`, dispatcher, {}));
      assert.equal((await t.req('POST', `${CALLS}/${c.id}/cancel`, dispatcher, { reason: '' })).status, 400);
      const x = await ok(t.req('POST', `${CALLS}/${c.id}/cancel`, dispatcher, { reason: 'caller found a private vehicle' }));
      assert.equal(x.freedAmbulanceId, amb);
      assert.equal(await status(amb), 'available');
      assert.equal((await t.req('POST', `${CALLS}/${c.id}/cancel`, dispatcher, { reason: 'again' })).status, 409);
      assert.equal((await t.req('POST', `${CALLS}/${c.id}/assign`, dispatcher, {})).status, 409);
      const full = await ok(t.req('GET', `${CALLS}/${c.id}`, dispatcher));
      assert.equal(full.status, 'cancelled');
      assert.equal(full.cancelReason, 'caller found a private vehicle');
      assert.equal(full.trips[0].status, 'cancelled');
    });

    test('races: one vehicle named by two calls at once, two calls for the only free vehicle, two assigns of one call: exactly one 200, the others 409', async () => {
      for (let round = 0; round < 3; round++) {
        await clearFleet();
        const only = await vehicle(29.16, 75.72);
        const [c1, c2] = [await call(), await call()];
        const named = await Promise.all([c1, c2].map((c) => t.req('POST', `${CALLS}/${c.id}/assign`, dispatcher, { ambulanceId: only })));
        assert.deepEqual(named.map((r) => r.status).sort(), [200, 409], JSON.stringify(named.map((r) => r.body)));

        await clearFleet();
        const single = await vehicle(29.16, 75.72);
        const calls = [await call(), await call(), await call()];
        const auto = await Promise.all(calls.map((c) => t.req('POST', `${CALLS}/${c.id}/assign`, dispatcher, {})));
        assert.deepEqual(auto.map((r) => r.status).sort(), [200, 409, 409], JSON.stringify(auto.map((r) => r.body)));
        assert.equal(auto.find((r) => r.status === 200)!.body.ambulanceId, single);

        await clearFleet();
        await vehicle(29.16, 75.72);
        await vehicle(29.17, 75.72);
        const one = await call();
        const same = await Promise.all(Array.from({ length: 4 }, () => t.req('POST', `${CALLS}/${one.id}/assign`, dispatcher, {})));
        assert.deepEqual(same.map((r) => r.status).sort(), [200, 409, 409, 409], JSON.stringify(same.map((r) => r.body)));
        const active = await t.db.kysely.selectFrom('dispatch_trips').select('id').where('call_id', '=', one.id).where('status', '=', 'assigned').execute();
        assert.equal(active.length, 1);
        // The vehicle not sent is still available.
        const free = await t.db.kysely.selectFrom('ambulances').select('id').where('status', '=', 'available').execute();
        assert.equal(free.length, 1);
      }
      // No vehicle ever holds two active trips.
      const doubled = await t.db.kysely.selectFrom('dispatch_trips').select('ambulance_id').where('status', 'in', ['assigned', 'en_route', 'at_scene', 'left_scene', 'at_hospital'])
        .groupBy('ambulance_id').having((eb) => eb.fn.countAll(), '>', 1).execute();
      assert.deepEqual(doubled, []);
    });

    test('parallel steps and declines of one trip: one wins, the rest 409, never 500', async () => {
      await clearFleet();
      await vehicle(29.16, 75.72);
      const c = await call();
      const { tripId } = await ok(t.req('POST', `${CALLS}/${c.id}/assign`, dispatcher, {}));
      const answers = await Promise.all([
        step(tripId, { step: 'en_route' }), step(tripId, { step: 'en_route' }, baseOperator),
        t.req('POST', `/api/dispatch/trips/${tripId}/decline`, dispatcher, { reason: 'no crew' }),
        t.req('POST', `${CALLS}/${c.id}/cancel`, dispatcher, { reason: 'duplicate call' }),
      ]);
      assert.equal(answers.filter((r) => r.status >= 500).length, 0, JSON.stringify(answers.map((r) => r.body)));
      assert.ok(answers.every((r) => r.status === 200 || r.status === 409), JSON.stringify(answers.map((r) => [r.status, r.body])));
    });
  });
}
