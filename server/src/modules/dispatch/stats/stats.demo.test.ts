import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../../test/harness.js';
import { DEMO_CALLS, seedDemoResponseTimes } from './stats.demo.js';
import { monthIst } from './stats.service.js';

for (const engine of testEngines()) {
  describe(`response times: demo calls [${engine}]`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(engine); });
    after(async () => { await t?.close(); });

    test('last month\'s demo calls of Hisar give figures at once; seeded once only', async () => {
      const base = (await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ type: 'DH' }))).body.id;
      assert.equal((await seedDemoResponseTimes(t.db.kysely)).calls, 0, 'no fleet, no calls');
      for (const [i, service] of (['108', '108', '102'] as const).entries()) {
        const r = await t.req('POST', '/api/ambulances', t.adminToken, { registrationNumber: `HR 39 DM 10${i}1`, service, kind: service === '102' ? 'PTV' : 'BLS', baseFacilityId: base, deviceId: `demo-rt-${i}` });
        assert.equal(r.status, 201, JSON.stringify(r.body));
      }
      assert.equal((await seedDemoResponseTimes(t.db.kysely)).calls, DEMO_CALLS['108'] + DEMO_CALLS['102']);
      assert.equal((await seedDemoResponseTimes(t.db.kysely)).calls, 0, 'the second time adds nothing');
      const month = monthIst(new Date(), 1);
      const r = await t.req('GET', `/api/dispatch/response-times?from=${month}&to=${month}&district=63`, t.adminToken);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const h108 = r.body.districts.find((d: any) => d.service === '108');
      assert.equal(h108.calls, 40);
      assert.equal(h108.reached, 36);
      assert.ok(h108.callToSceneP50 > 15 && h108.callToSceneP90 < 40, JSON.stringify(h108));
      assert.ok(h108.withinTargetShare > 0.5 && h108.withinTargetShare < 1, JSON.stringify(h108));
      assert.equal(r.body.districts.find((d: any) => d.service === '102').calls, 12);
      const rank = await t.req('GET', `/api/dispatch/ranking?state=6&month=${month}`, t.adminToken);
      assert.equal(rank.body.items[0].name, 'Hisar');
      assert.equal(rank.body.items[0].rank, 1);
    });
  });
}
