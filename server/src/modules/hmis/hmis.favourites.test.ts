import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, testEngines, type TestApp } from '../../test/harness.js';

const URL = '/api/hmis/analytics/favourites';
const selection = (over: Record<string, unknown> = {}) => ({ items: ['de1'], indicators: [], preset: 'LAST_12_MONTHS', ou: '63', level: 'block', ...over });

for (const engine of testEngines()) {
  describe(`saved analytics favourites, each user's own [${engine}]`, () => {
    let t: TestApp;
    let hisar: string;
    let hisar2: string;
    let mandi: string;
    let asha: string;
    before(async () => {
      t = await startTestApp(engine);
      hisar = (await t.userWith('district_officer', 63)).token;
      hisar2 = (await t.userWith('district_officer', 63)).token;
      mandi = (await t.userWith('district_officer', 22)).token;
      asha = (await t.userWith('asha', 63)).token;
    });
    after(async () => { await t.close(); });

    test('save, list, rename, open after a new sign-in, delete', async () => {
      const made = await t.req('POST', URL, hisar, { name: '  ANC by block ', selection: selection({ preset: 'RANGE', from: '202404', to: '202503', by: 'ownership' }) });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      assert.equal(made.body.name, 'ANC by block');
      assert.deepEqual(made.body.selection, selection({ preset: 'RANGE', from: '202404', to: '202503', by: 'ownership' }));
      const list = await t.req('GET', URL, hisar);
      assert.equal(list.status, 200);
      assert.equal(list.body.total, 1);
      assert.equal(list.body.items[0].id, made.body.id);
      const renamed = await t.req('PATCH', `${URL}/${made.body.id}`, hisar, { name: 'ANC 2024-25' });
      assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
      assert.equal(renamed.body.name, 'ANC 2024-25');
      assert.deepEqual(renamed.body.selection.from, '202404');
      const del = await t.req('DELETE', `${URL}/${made.body.id}`, hisar);
      assert.equal(del.status, 204);
      assert.equal((await t.req('GET', URL, hisar)).body.total, 0);
      assert.equal((await t.req('DELETE', `${URL}/${made.body.id}`, hisar)).status, 404);
    });

    test('another user neither sees, renames nor deletes it; the same name is theirs to use', async () => {
      const mine = await t.req('POST', URL, hisar, { name: 'Institutional deliveries', selection: selection() });
      assert.equal(mine.status, 201);
      const theirs = await t.req('GET', URL, hisar2);
      assert.equal(theirs.status, 200);
      assert.ok(!theirs.body.items.some((f: any) => f.id === mine.body.id));
      assert.equal((await t.req('PATCH', `${URL}/${mine.body.id}`, hisar2, { name: 'taken over' })).status, 404);
      assert.equal((await t.req('DELETE', `${URL}/${mine.body.id}`, hisar2)).status, 404);
      assert.equal((await t.req('POST', URL, hisar2, { name: 'Institutional deliveries', selection: selection() })).status, 201);
      assert.equal((await t.req('GET', URL, hisar)).body.items.find((f: any) => f.id === mine.body.id).name, 'Institutional deliveries');
    });

    test('one name once per user, whatever its case or spaces: 409 on save and on rename', async () => {
      assert.equal((await t.req('POST', URL, hisar, { name: 'Immunisation', selection: selection() })).status, 201);
      const again = await t.req('POST', URL, hisar, { name: ' immunisation ', selection: selection() });
      assert.equal(again.status, 409, JSON.stringify(again.body));
      assert.equal(again.body.error.details.field, 'name');
      assert.match(again.body.error.message, /already have a favourite named/);
      const other = await t.req('POST', URL, hisar, { name: 'TB', selection: selection() });
      assert.equal((await t.req('PATCH', `${URL}/${other.body.id}`, hisar, { name: 'IMMUNISATION' })).status, 409);
    });

    test('parallel saves of one name: one 201, the rest 409, never a 500', async () => {
      const u = (await t.userWith('district_officer', 63)).token;
      const answers = await Promise.all(Array.from({ length: 8 }, () => t.req('POST', URL, u, { name: 'Race', selection: selection() })));
      const statuses = answers.map((a) => a.status).sort();
      assert.deepEqual(statuses, [201, 409, 409, 409, 409, 409, 409, 409], JSON.stringify(answers.map((a) => a.body)));
      assert.equal((await t.req('GET', URL, u)).body.total, 1);
    });

    test('a place outside the area is 403; a role without analytics is 403; bad input is 400', async () => {
      assert.equal((await t.req('POST', URL, mandi, { name: 'Hisar', selection: selection() })).status, 403);
      assert.equal((await t.req('GET', URL, asha)).status, 403);
      assert.equal((await t.req('POST', URL, asha, { name: 'x', selection: selection() })).status, 403);
      const blank = await t.req('POST', URL, hisar, { name: '   ', selection: selection() });
      assert.equal(blank.status, 400);
      assert.equal(blank.body.error.details.field, 'name');
      assert.equal((await t.req('POST', URL, hisar, { name: 'empty', selection: selection({ items: [] }) })).status, 400);
      assert.equal((await t.req('POST', URL, hisar, { name: 'bad month', selection: selection({ from: '202413' }) })).status, 400);
      assert.equal((await t.req('POST', URL, hisar, { name: 'extra', selection: { ...selection(), sql: 'drop' } })).status, 400);
    });

    test('the list is paged', async () => {
      const u = (await t.userWith('block_officer', 63)).token;
      for (const n of ['a', 'b', 'c']) assert.equal((await t.req('POST', URL, u, { name: n, selection: selection() })).status, 201);
      const p = await t.req('GET', `${URL}?limit=2&offset=2`, u);
      assert.equal(p.body.total, 3);
      assert.deepEqual(p.body.items.map((f: any) => f.name), ['c']);
    });
  });
}
