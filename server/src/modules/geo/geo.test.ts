import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { ensureReferenceGeography, unitId } from './geo.service.js';
import { REF_DISTRICTS, REF_STATES } from './geo.reference.js';

for (const engine of testEngines()) {
  describe(`geography [${engine}]`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(engine); });
    after(async () => { await t.close(); });

    test('every state and UT, and the districts of four states, are built in', async () => {
      const states = await t.req('GET', '/api/geo/units/IN/children', t.adminToken);
      assert.equal(states.status, 200);
      assert.equal(states.body.items.length, 36);
      assert.equal(REF_STATES.length, 36);
      for (const [state, n] of [[6, 22], [2, 12], [10, 38], [7, 11]] as const) {
        const d = await t.req('GET', `/api/geo/units/state:${state}/children`, t.adminToken);
        assert.equal(d.body.items.length, n, `state ${state}`);
        assert.equal(REF_DISTRICTS[state].length, n);
      }
    });

    test('LGD codes from the issue resolve to the right places, with Hindi names', async () => {
      const expect: [string, string, string, string][] = [
        ['6', 'state', 'Haryana', 'हरियाणा'], ['63', 'district', 'Hisar', 'हिसार'], ['2', 'state', 'Himachal Pradesh', 'हिमाचल प्रदेश'],
        ['22', 'district', 'Mandi', 'मंडी'], ['10', 'state', 'Bihar', 'बिहार'], ['212', 'district', 'Patna', 'पटना'], ['7', 'state', 'Delhi', 'दिल्ली'],
        ['state:22', 'state', 'Chhattisgarh', 'छत्तीसगढ़'],
      ];
      for (const [code, level, name, hi] of expect) {
        const r = await t.req('GET', `/api/geo/units/${code}`, t.adminToken);
        assert.equal(r.status, 200, code);
        assert.deepEqual([r.body.level, r.body.name, r.body.nameHi], [level, name, hi], code);
      }
      const mandi = await t.req('GET', '/api/geo/units/22', t.adminToken);
      assert.equal(mandi.body.id, unitId('district', 22));
      assert.equal(mandi.body.stateLgd, 2);
      const byId = await t.req('GET', `/api/geo/units/${mandi.body.id}`, t.adminToken);
      assert.deepEqual(byId.body, mandi.body);
      const himachal = await t.req('GET', '/api/geo/units/state:2', t.adminToken);
      assert.ok(mandi.body.path.startsWith(himachal.body.path), 'materialised path nests the district under its state');
    });

    test('districts for public forms: no sign-in, one state or all', async () => {
      const hp = await t.req('GET', '/api/public/districts?state=2', null);
      assert.equal(hp.status, 200);
      assert.ok(hp.body.items.some((d: any) => d.lgdCode === 22 && d.name === 'Mandi' && d.nameHi === 'मंडी'));
      assert.ok(hp.body.items.every((d: any) => d.state.lgdCode === 2));
      const all = await t.req('GET', '/api/public/districts', null);
      assert.ok(all.body.items.length > hp.body.items.length);
      assert.equal((await t.req('GET', '/api/public/districts?state=abc', null)).status, 400);
    });

    test('map settings: no sign-in; no tile server unless the state configures one', async () => {
      const none = await t.req('GET', '/api/public/map', null);
      assert.equal(none.status, 200);
      assert.deepEqual(none.body, { tileUrl: null, attribution: null });
      const tiled = await startTestApp(engine, { config: { tileUrl: 'https://tiles.example.in/{z}/{x}/{y}.png', tileAttribution: '© State GIS' } });
      try {
        assert.deepEqual((await tiled.req('GET', '/api/public/map', null)).body, { tileUrl: 'https://tiles.example.in/{z}/{x}/{y}.png', attribution: '© State GIS' });
      } finally {
        await tiled.close();
      }
    });

    test('unknown and malformed codes', async () => {
      const unknown = await t.req('GET', '/api/geo/units/4242', t.adminToken);
      assert.equal(unknown.status, 404);
      assert.match(unknown.body.error.message, /LGD code 4242/);
      const bad = await t.req('GET', '/api/geo/units/hisar!', t.adminToken);
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /neither an org unit id/);
    });

    test('loading the reference geography again adds nothing', async () => {
      const added = await t.db.kysely.transaction().execute((trx) => ensureReferenceGeography(trx));
      assert.equal(added, 0);
    });

    test('boundaries are an empty FeatureCollection until imported', async () => {
      const r = await t.req('GET', '/api/geo/boundaries?orgUnit=state:2', t.adminToken);
      assert.equal(r.status, 200);
      assert.equal(r.body.type, 'FeatureCollection');
      assert.ok(Array.isArray(r.body.features));
    });
  });
}
