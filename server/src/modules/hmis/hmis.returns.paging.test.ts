import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';

const URL = '/api/hmis/returns?dataSet=HMIS_MONTHLY&period=202411&orgUnit=70';

for (const engine of testEngines()) {
  describe(`the returns list in pages, filtered by status [${engine}]`, () => {
    let t: TestApp;
    let done: string;
    before(async () => {
      t = await startTestApp(engine);
      const form = await t.req('GET', '/api/hmis/dataSets/HMIS_MONTHLY/form', t.adminToken);
      const de11 = form.body.sections.flatMap((s: any) => s.elements).find((e: any) => e.code === '1.1').id;
      const ids: string[] = [];
      for (const n of ['A', 'B', 'C', 'D', 'E']) {
        const r = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: `PHC ${n} Panchkula`, type: 'PHC', orgUnit: 70, latitude: 30.69, longitude: 76.86 }));
        assert.equal(r.status, 201, JSON.stringify(r.body));
        ids.push(r.body.id);
      }
      done = ids[2];
      const v = await t.req('POST', '/api/dataValueSets', t.adminToken, { dataSet: 'HMIS_MONTHLY', period: '202411', orgUnit: done, completeDate: '2024-12-03', dataValues: [{ dataElement: de11, value: '4' }] });
      assert.equal(v.body.status, 'SUCCESS', JSON.stringify(v.body));
    });
    after(async () => { await t.close(); });

    test('without paging every return comes, with the total; with limit and offset one page of them', async () => {
      const all = await t.req('GET', URL, t.adminToken);
      assert.equal(all.status, 200, JSON.stringify(all.body));
      assert.equal(all.body.items.length, 5);
      assert.equal(all.body.total, 5);
      const p1 = await t.req('GET', `${URL}&limit=2`, t.adminToken);
      const p3 = await t.req('GET', `${URL}&limit=2&offset=4`, t.adminToken);
      assert.deepEqual([p1.body.items.length, p1.body.total, p3.body.items.length, p3.body.offset], [2, 5, 1, 4]);
      assert.deepEqual([...p1.body.items, ...(await t.req('GET', `${URL}&limit=2&offset=2`, t.adminToken)).body.items, ...p3.body.items].map((i: any) => i.id), all.body.items.map((i: any) => i.id));
      assert.deepEqual(p1.body.summary, all.body.summary, 'the count by status is of all returns, not of the page');
      assert.equal(all.body.items[0].id, done, 'the completed return, awaiting approval, comes first');
    });

    test('status keeps one status only, and the total counts that status', async () => {
      const r = await t.req('GET', `${URL}&status=completed_on_time&limit=10`, t.adminToken);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.items.map((i: any) => i.id), [done]);
      assert.equal(r.body.total, 1);
      assert.equal(r.body.summary.not_started, 4);
      assert.equal((await t.req('GET', `${URL}&status=lost`, t.adminToken)).status, 400);
      assert.equal((await t.req('GET', `${URL}&limit=0`, t.adminToken)).status, 400);
    });
  });
}
