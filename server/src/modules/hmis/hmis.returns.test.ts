import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { periodOfType, todayIst } from '../../platform/periods.js';

/** This month: open for entry whatever the date the tests run on. */
const NOW = periodOfType('Monthly', todayIst()).id;

for (const engine of testEngines()) {
  describe(`monthly returns: timeliness, reporting rates, defaulters, approval [${engine}]`, () => {
    let t: TestApp;
    let de11: string;
    const f: Record<string, string> = {};
    before(async () => {
      t = await startTestApp(engine);
      const form = await t.req('GET', '/api/hmis/dataSets/HMIS_MONTHLY/form', t.adminToken);
      de11 = form.body.sections.flatMap((s: any) => s.elements).find((e: any) => e.code === '1.1').id;
      // Panchkula (LGD 70): three registered facilities expected to report, one listed one not.
      const mk = async (name: string, o: Record<string, unknown>) => (await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name, orgUnit: 70, latitude: 30.69, longitude: 76.86, ...o }))).body.id;
      f.a = await mk('PHC Pinjore', { type: 'PHC' });
      f.b = await mk('PHC Raipur Rani', { type: 'PHC' });
      f.c = await mk('Private Hospital Sector 6', { type: 'PRIVATE_HOSPITAL', ownership: 'private', phone: '0172 2580000' });
      f.d = await mk('Clinic not yet registered', { type: 'CLINIC', ownership: 'private', portalStatus: 'listed' });
    });
    after(async () => { await t.close(); });

    const send = (token: string, orgUnit: string, period: string, value: string, completeDate?: string) =>
      t.req('POST', '/api/dataValueSets', token, { dataSet: 'HMIS_MONTHLY', period, orgUnit, ...(completeDate ? { completeDate } : {}), dataValues: [{ dataElement: de11, value }] });

    test('on time by the 5th in IST: 23:59 on 5 December counts, 00:01 on 6 December is late', async () => {
      const a = await send(t.adminToken, f.a, '202411', '12', '2024-12-05T23:59:00+05:30');
      assert.equal(a.body.status, 'SUCCESS', JSON.stringify(a.body.conflicts));
      await send(t.adminToken, f.b, '202411', '9', '2024-12-06T00:01:00+05:30');
      const r = await t.req('GET', '/api/hmis/reporting-rates?dataSet=HMIS_MONTHLY&period=202411&orgUnit=70', t.adminToken);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual([r.body.expected, r.body.actual, r.body.actualOnTime, r.body.rate, r.body.rateOnTime], [3, 2, 1, 66.67, 33.33]);
      const q = await t.req('GET', '/api/hmis/reporting-rates?dataSet=HMIS_MONTHLY&period=2024Q4&orgUnit=70', t.adminToken);
      assert.deepEqual([q.body.expected, q.body.actual], [9, 2]);
      const own = await t.req('GET', '/api/hmis/reporting-rates?dataSet=HMIS_MONTHLY&period=202411&orgUnit=70&by=ownership', t.adminToken);
      const rows = Object.fromEntries(own.body.rows.map((x: any) => [x.key, [x.expected, x.actual]]));
      assert.deepEqual(rows, { private: [1, 0], public: [2, 2] });
      const dateOnly = await send(t.adminToken, f.c, '202410', '3', '2024-11-05');
      assert.equal(dateOnly.body.status, 'SUCCESS');
      const oct = await t.req('GET', '/api/hmis/reporting-rates?dataSet=HMIS_MONTHLY&period=202410&orgUnit=70', t.adminToken);
      assert.deepEqual([oct.body.actual, oct.body.actualOnTime], [1, 1], 'a date means that day in IST');
    });

    test('defaulters: who has not completed, with contact details; reminders reach them', async () => {
      const d = await t.req('GET', '/api/hmis/defaulters?dataSet=HMIS_MONTHLY&period=202411&orgUnit=70', t.adminToken);
      assert.deepEqual(d.body.items.map((i: any) => i.name), ['Private Hospital Sector 6']);
      assert.equal(d.body.items[0].phone, '0172 2580000');
      const officer = await t.userWith('district_officer', 70);
      const r = await t.req('POST', '/api/hmis/defaulters/reminders', officer.token, { dataSet: 'HMIS_MONTHLY', period: '202411', orgUnit: '70' });
      // An in-app notice; no SMS: the facility's only number is a landline, and it has no e-mail (hmis.reminders.test.ts sends real ones).
      assert.equal(r.body.inApp, 1, JSON.stringify(r.body));
      assert.deepEqual(r.body.messages, { queued: 0, sent: 0, failed: 0, gaveUp: 0, waiting: 0 });
      assert.deepEqual(r.body.withoutContact.map((x: any) => x.name), ['Private Hospital Sector 6']);
      const op = await t.userWith('facility_operator', f.c);
      const n = await t.req('GET', '/api/hmis/notifications', op.token);
      assert.match(n.body.items[0].title, /202411/);
    });

    test('the district screen and the approval journey; approved data is locked', async () => {
      const officer = await t.userWith('district_officer', 70);
      const opA = await t.userWith('facility_operator', f.a);
      const list = await t.req('GET', '/api/hmis/returns?dataSet=HMIS_MONTHLY&period=202411&orgUnit=70', officer.token);
      await send(t.adminToken, f.a, NOW, '12', new Date().toISOString());
      await send(t.adminToken, f.b, NOW, '3');
      const st = Object.fromEntries(list.body.items.map((i: any) => [i.name, i.status]));
      assert.deepEqual(st, { 'PHC Pinjore': 'completed_on_time', 'PHC Raipur Rani': 'completed_late', 'Private Hospital Sector 6': 'not_started' });

      const step = (token: string, action: string, orgUnit: string, reason?: string) => t.req('POST', `/api/hmis/returns/${action}`, token, { dataSet: 'HMIS_MONTHLY', period: NOW, orgUnit, ...(reason ? { reason } : {}) });
      assert.equal((await step(opA.token, 'approve', f.a)).status, 403, 'a facility cannot approve itself');
      const ap = await step(officer.token, 'approve', f.a);
      assert.equal(ap.status, 200, JSON.stringify(ap.body));
      assert.equal(ap.body.status, 'approved');
      const write = await send(opA.token, f.a, NOW, '13');
      assert.equal(write.body.conflicts[0]?.errorCode, 'E7643');
      assert.equal((await step(opA.token, 'uncomplete', f.a)).status, 409);
      assert.equal((await step(officer.token, 'accept', f.a)).status, 403, 'only the state accepts');
      const state = await t.userWith('state_officer', 6);
      assert.equal((await step(state.token, 'accept', f.a)).body.status, 'accepted');
      assert.equal((await step(officer.token, 'unapprove', f.a, 'wrong figures')).status, 409, 'the district cannot undo the state');
      assert.equal((await step(state.token, 'unapprove', f.a)).status, 400, 'a reason is required');
      assert.equal((await step(state.token, 'unapprove', f.a, 'ANC figure looks wrong')).body.status, 'completed_on_time');
      assert.equal((await step(officer.token, 'approve', f.b)).status, 409, 'a draft cannot be approved');
      const back = await step(officer.token, 'return', f.a, 'Please recheck 1.1');
      assert.equal(back.body.status, 'returned');
      assert.equal(back.body.reason, 'Please recheck 1.1');
      assert.equal((await send(opA.token, f.a, NOW, '14')).body.importCount.updated, 1, 'returned data can be corrected');
      const again = await step(opA.token, 'complete', f.a);
      assert.equal(again.body.status, 'completed_on_time');
      const screen = await t.req('GET', `/api/hmis/returns?dataSet=HMIS_MONTHLY&period=${NOW}&orgUnit=70`, officer.token);
      assert.deepEqual(Object.fromEntries(screen.body.items.map((i: any) => [i.name, i.status])), { 'PHC Pinjore': 'completed_on_time', 'PHC Raipur Rani': 'draft', 'Private Hospital Sector 6': 'not_started' });
      const audit = await t.req('GET', '/api/audit?entity=hmisReturn', t.adminToken);
      assert.ok(audit.body.items.some((i: any) => i.purpose === 'ANC figure looks wrong'));
      const mandi = await t.userWith('district_officer', 22);
      assert.equal((await step(mandi.token, 'approve', f.b)).status, 403);
      assert.equal((await t.req('GET', '/api/hmis/returns?dataSet=HMIS_MONTHLY&period=202411&orgUnit=70', mandi.token)).status, 403);
      assert.equal((await t.req('GET', '/api/hmis/reporting-rates?dataSet=HMIS_MONTHLY&period=202411&orgUnit=70', mandi.token)).status, 403);
      assert.equal((await t.req('GET', '/api/hmis/defaulters?dataSet=HMIS_MONTHLY&period=202411&orgUnit=70', mandi.token)).status, 403);
    });

    test('entry closes after expiryDays and is not open for future months, except for admins', async () => {
      const op = await t.userWith('facility_operator', f.b);
      const old = await send(op.token, f.b, '202401', '5');
      assert.equal(old.body.conflicts[0]?.errorCode, 'E7641');
      assert.match(old.body.conflicts[0].value, /closed for entry/);
      const future = await send(op.token, f.b, '203001', '5');
      assert.equal(future.body.conflicts[0]?.errorCode, 'E7642');
      assert.equal((await send(t.adminToken, f.b, '202401', '5')).body.status, 'SUCCESS');
      const officer = await t.userWith('district_officer', 70);
      const ex = { dataSet: 'HMIS_MONTHLY', period: '202402', orgUnit: f.b };
      assert.equal((await t.req('POST', '/api/hmis/lock-exceptions', officer.token, ex)).status, 400, 'a reason is required');
      assert.equal((await t.req('POST', '/api/hmis/lock-exceptions', op.token, { ...ex, reason: 'me' })).status, 403, 'a facility cannot grant itself');
      assert.equal((await t.req('POST', '/api/hmis/lock-exceptions', officer.token, { ...ex, reason: 'register was lost in the flood' })).status, 201);
      assert.equal((await send(op.token, f.b, '202402', '6')).body.status, 'SUCCESS', 'the exception opens that period');
      assert.equal((await send(op.token, f.b, '202403', '6')).body.conflicts[0]?.errorCode, 'E7641', 'and only that one');
    });

    test('bad periods and unknown data sets are 4xx with a message', async () => {
      const bad = await t.req('GET', '/api/hmis/reporting-rates?dataSet=HMIS_MONTHLY&period=202413&orgUnit=70', t.adminToken);
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /202413/);
      assert.equal((await t.req('GET', '/api/hmis/reporting-rates?dataSet=NOPE&period=202411&orgUnit=70', t.adminToken)).status, 404);
    });
  });
}
