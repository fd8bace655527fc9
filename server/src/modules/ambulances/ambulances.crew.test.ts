import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';

const URL = '/api/ambulances';
let seq = 0;
const reg = () => `HR 39 CR ${String(1000 + ++seq)}${Math.floor(Math.random() * 9)}`;
const dev = () => `crew-${Date.now() % 1e9}-${++seq}`;
const hours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

for (const engine of testEngines()) {
  describe(`ambulances: crew on shift and the base facility's status changes [${engine}]`, () => {
    let t: TestApp;
    let base: string;
    let otherBase: string;
    let officer: string;
    let dispatcher: string;
    let operator: string;
    let otherOperator: string;
    let stateOfficer: string;
    let cho: string;
    const vehicle = async () => {
      const r = await t.req('POST', URL, officer, { registrationNumber: reg(), service: '108', kind: 'BLS', baseFacilityId: base, deviceId: dev() });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.id as string;
    };
    before(async () => {
      t = await startTestApp(engine);
      base = (await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'CHC Adampur', type: 'CHC' }))).body.id;
      otherBase = (await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Agroha', type: 'PHC' }))).body.id;
      officer = (await t.userWith('district_officer', 63)).token;
      dispatcher = (await t.userWith('dispatcher', 63)).token;
      operator = (await t.userWith('facility_operator', base)).token;
      otherOperator = (await t.userWith('facility_operator', otherBase)).token;
      stateOfficer = (await t.userWith('state_officer', 'state:6')).token;
      cho = (await t.userWith('cho', base)).token;
    });
    after(async () => { await t.close(); });

    test('the base operator sets the crew; it shows in the vehicle (with mobiles, audited) and the list (names only)', async () => {
      const id = await vehicle();
      const put = await t.req('PUT', `${URL}/${id}/crew`, operator, {
        from: hours(-1), to: hours(11),
        driver: { name: ' Ramesh  Kumar ', mobile: '+91 98765-43210' }, emt: { name: 'Sunita Devi', mobile: '9812345678' },
      });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      assert.equal(put.body.driver.name, 'Ramesh Kumar');
      assert.equal(put.body.driver.mobile, '9876543210');

      const one = await t.req('GET', `${URL}/${id}`, dispatcher);
      assert.equal(one.status, 200);
      assert.equal(one.body.crew.driver.name, 'Ramesh Kumar');
      assert.equal(one.body.crew.driver.mobile, '9876543210');
      assert.equal(one.body.crew.emt.mobile, '9812345678');
      const list = await t.req('GET', `${URL}?limit=200`, dispatcher);
      const row = list.body.items.find((a: any) => a.id === id);
      assert.equal(row.crew.emt.name, 'Sunita Devi');
      assert.equal(row.crew.emt.mobile, undefined, 'no mobile numbers in the list');
      const crew = await t.req('GET', `${URL}/${id}/crew`, operator);
      assert.equal(crew.status, 200, JSON.stringify(crew.body));
      assert.equal(crew.body.onShift.driver.mobile, '9876543210');
      assert.equal(crew.body.shifts.length, 1);

      // Every read of the mobile numbers is in the audit log: the vehicle read and the crew read.
      const reads = await t.db.kysely.selectFrom('audit_log').select(['action', 'actor_username', 'purpose'])
        .where('entity', '=', 'ambulance_crew').where('entity_id', '=', id).where('action', '=', 'read').execute();
      assert.equal(reads.length, 2, JSON.stringify(reads));
      // A vehicle without a crew shows none and audits nothing.
      const empty = await vehicle();
      assert.deepEqual((await t.req('GET', `${URL}/${empty}`, dispatcher)).body.crew, { driver: null, emt: null });
      const none = await t.db.kysely.selectFrom('audit_log').select('id').where('entity', '=', 'ambulance_crew').where('entity_id', '=', empty).execute();
      assert.equal(none.length, 0);
    });

    test('a second PUT of the same shift replaces it; an overlapping shift is 409; bad input 400 naming the field', async () => {
      const id = await vehicle();
      const from = hours(1);
      assert.equal((await t.req('PUT', `${URL}/${id}/crew`, dispatcher, { from, to: hours(13), driver: { name: 'Mahesh', mobile: '9876500001' } })).status, 200);
      const again = await t.req('PUT', `${URL}/${id}/crew`, dispatcher, { from, to: hours(9), driver: { name: 'Mahesh Singh', mobile: '9876500001' }, emt: { name: 'Kavita', mobile: '9876500002' } });
      assert.equal(again.status, 200, JSON.stringify(again.body));
      const crew = await t.req('GET', `${URL}/${id}/crew`, dispatcher);
      assert.equal(crew.body.shifts.length, 1);
      assert.equal(crew.body.shifts[0].driver.name, 'Mahesh Singh');
      assert.equal(crew.body.onShift.driver, null, 'the shift has not begun');

      const clash = await t.req('PUT', `${URL}/${id}/crew`, officer, { from: hours(8), to: hours(16), emt: { name: 'Pooja', mobile: '9876500003' } });
      assert.equal(clash.status, 409, JSON.stringify(clash.body));
      assert.equal(clash.body.error.details.field, 'from');
      // The driver is free from hour 9: another role's shift does not clash.
      assert.equal((await t.req('PUT', `${URL}/${id}/crew`, officer, { from: hours(9), to: hours(17), driver: { name: 'Pooja', mobile: '9876500003' } })).status, 200);

      const bad = async (body: object, field: string) => {
        const r = await t.req('PUT', `${URL}/${id}/crew`, officer, body);
        assert.equal(r.status, 400, JSON.stringify(r.body));
        assert.equal(r.body.error.details.field, field, JSON.stringify(r.body));
      };
      await bad({ from: hours(20), to: hours(21), driver: { name: 'Ram', mobile: '12345' } }, 'driver.mobile');
      await bad({ from: hours(20), to: hours(21), driver: { name: 'Ram', mobile: '5876543210' } }, 'driver.mobile');
      await bad({ from: hours(20), to: hours(19), driver: { name: 'Ram', mobile: '9876543210' } }, 'to');
      await bad({ from: hours(20), to: hours(45), driver: { name: 'Ram', mobile: '9876543210' } }, 'to');
      await bad({ from: hours(-10), to: hours(-2), driver: { name: 'Ram', mobile: '9876543210' } }, 'to');
      await bad({ from: 'tomorrow morning', to: hours(21), driver: { name: 'Ram', mobile: '9876543210' } }, 'from');
      await bad({ from: hours(20), to: hours(21) }, 'driver');
      await bad({ from: hours(20), to: hours(21), emt: { name: ' R ', mobile: '9876543210' } }, 'emt.name');
    });

    test('who may: another base\'s operator 404, a state officer or CHO 403; out of the area 404', async () => {
      const id = await vehicle();
      const body = { from: hours(0), to: hours(8), driver: { name: 'Ravi', mobile: '9876500009' } };
      assert.equal((await t.req('PUT', `${URL}/${id}/crew`, otherOperator, body)).status, 404);
      assert.equal((await t.req('GET', `${URL}/${id}/crew`, otherOperator)).status, 404);
      assert.equal((await t.req('PUT', `${URL}/${id}/crew`, stateOfficer, body)).status, 403);
      assert.equal((await t.req('PUT', `${URL}/${id}/crew`, cho, body)).status, 403);
      assert.equal((await t.req('GET', `${URL}/${id}/crew`, cho)).status, 403);
      const mandi = (await t.userWith('dispatcher', 22)).token;
      assert.equal((await t.req('PUT', `${URL}/${id}/crew`, mandi, body)).status, 404);
      assert.equal((await t.req('GET', `${URL}/${id}/crew`, mandi)).status, 404);
      assert.equal((await t.req('GET', `${URL}/${id}/crew`, stateOfficer)).status, 200);
      // The base operator sees its own vehicles only.
      const mine = await t.req('GET', `${URL}?limit=200`, operator);
      assert.equal(mine.status, 200);
      assert.ok(mine.body.items.length > 0 && mine.body.items.every((a: any) => a.baseFacilityId === base));
      assert.equal((await t.req('GET', `${URL}?limit=200`, otherOperator)).body.items.length, 0);
    });

    test('the base operator sets available ↔ off_road, never a vehicle on a call', async () => {
      const id = await vehicle();
      const to = (status: string, token = operator) => t.req('PATCH', `${URL}/${id}`, token, { status });
      assert.equal((await to('off_road')).body.status, 'off_road');
      assert.equal((await to('available')).body.status, 'available');
      assert.equal((await to('dispatched')).status, 403);
      assert.equal((await to('dispatched', dispatcher)).body.status, 'dispatched');
      assert.equal((await to('available')).status, 403, 'a dispatched vehicle is the control room\'s');
      assert.equal((await to('off_road')).status, 403);
      assert.equal((await to('off_road', otherOperator)).status, 404);
      assert.equal((await to('off_road', cho)).status, 403);
    });

    test('parallel overlapping shifts: one 200, the rest 409, never 500; the same shift sent at once stays one shift', async () => {
      const id = await vehicle();
      const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => t.req('PUT', `${URL}/${id}/crew`, i % 2 ? officer : operator, {
        from: hours(2 + i * 0.25), to: hours(10 + i * 0.25), driver: { name: `Driver ${i}`, mobile: `98765000${10 + i}` },
      })));
      assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409, 409, 409, 409, 409], JSON.stringify(answers.map((a) => a.body)));
      const [f, e] = [hours(20), hours(28)];
      const same = await Promise.all(Array.from({ length: 4 }, (_, i) => t.req('PUT', `${URL}/${id}/crew`, dispatcher, {
        from: f, to: e, emt: { name: `EMT ${i}`, mobile: `98765000${30 + i}` },
      })));
      assert.ok(same.every((a) => a.status === 200), JSON.stringify(same.map((a) => a.body)));
      const rows = await t.db.kysely.selectFrom('ambulance_crew').select(['role', 'starts_at']).where('ambulance_id', '=', id).execute();
      assert.equal(rows.filter((r) => r.role === 'emt').length, 1);
      assert.equal(rows.filter((r) => r.role === 'driver').length, 1);
    });
  });
}
