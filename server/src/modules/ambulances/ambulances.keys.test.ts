import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';

const URL = '/api/ambulances';
let seq = 0;
const reg = () => `HR 39 KY ${String(1000 + ++seq)}${Math.floor(Math.random() * 9)}`;
const dev = () => `key-${Date.now() % 1e9}-${++seq}`;

for (const engine of testEngines()) {
  describe(`ambulances: per-device keys [${engine}]`, () => {
    let t: TestApp;
    let base: string;
    let officer: string;
    let dispatcher: string;
    before(async () => {
      t = await startTestApp(engine);
      base = (await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'CHC Uklana', type: 'CHC' }))).body.id;
      officer = (await t.userWith('district_officer', 63)).token;
      dispatcher = (await t.userWith('dispatcher', 63)).token;
    });
    after(async () => { await t.close(); });
    const vehicle = async () => {
      const deviceId = dev();
      const r = await t.req('POST', URL, officer, { registrationNumber: reg(), service: '108', kind: 'BLS', baseFacilityId: base, deviceId });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return { id: r.body.id as string, deviceId };
    };
    const fix = (deviceId: string, extra = '', headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'GET', url: `/api/positions/osmand?id=${deviceId}&lat=29.16&lon=75.73&timestamp=${Math.floor(Date.now() / 1000) - ++seq}${extra}`, headers });

    test('a key is made once (shown once, stored as its SHA-256); then OsmAnd needs it: none or wrong 401 bad_device_key, key= or the header 200', async () => {
      const v = await vehicle();
      assert.equal((await fix(v.deviceId)).statusCode, 200, 'no key yet: the device id is enough');
      const made = await t.req('POST', `${URL}/${v.id}/device-key`, officer);
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const key = made.body.key as string;
      assert.ok(key.length >= 43);
      const stored = await t.db.kysely.selectFrom('ambulance_device_keys').select('key_sha256').where('ambulance_id', '=', v.id).executeTakeFirstOrThrow();
      assert.equal(stored.key_sha256, createHash('sha256').update(key).digest('hex'));
      assert.ok(!JSON.stringify(await t.db.kysely.selectFrom('audit_log').select(['after']).where('entity_id', '=', v.id).execute()).includes(key), 'the key is not in the audit log');

      const none = await fix(v.deviceId);
      assert.equal(none.statusCode, 401, none.body);
      assert.equal(JSON.parse(none.body).error.details.reason, 'bad_device_key');
      assert.equal((await fix(v.deviceId, '&key=wrong-key')).statusCode, 401);
      assert.equal((await fix(v.deviceId, `&key=${key}x`)).statusCode, 401);
      const good = await fix(v.deviceId, `&key=${encodeURIComponent(key)}`);
      assert.equal(good.statusCode, 200, good.body);
      assert.equal(JSON.parse(good.body).accepted, 1);
      assert.equal((await fix(v.deviceId, '', { 'x-device-key': key })).statusCode, 200);
      // As a form POST and as the Traccar Client's JSON with the header.
      const form = await t.app.inject({ method: 'POST', url: '/api/positions/osmand', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `id=${v.deviceId}&lat=29.17&lon=75.74&key=${encodeURIComponent(key)}` });
      assert.equal(form.statusCode, 200, form.body);
      const json = { device_id: v.deviceId, location: { timestamp: new Date(Date.now() - 5000).toISOString(), coords: { latitude: 29.18, longitude: 75.75 } } };
      assert.equal((await t.app.inject({ method: 'POST', url: '/api/positions/osmand', headers: { 'content-type': 'application/json' }, payload: json })).statusCode, 401);
      assert.equal((await t.app.inject({ method: 'POST', url: '/api/positions/osmand', headers: { 'content-type': 'application/json', 'x-device-key': key }, payload: json })).statusCode, 200);

      // A new key replaces the old; deleting it makes the device id enough again.
      const next = await t.req('POST', `${URL}/${v.id}/device-key`, officer);
      assert.equal((await fix(v.deviceId, `&key=${encodeURIComponent(key)}`)).statusCode, 401);
      assert.equal((await fix(v.deviceId, `&key=${encodeURIComponent(next.body.key)}`)).statusCode, 200);
      assert.equal((await t.req('DELETE', `${URL}/${v.id}/device-key`, officer)).status, 204);
      assert.equal((await t.req('DELETE', `${URL}/${v.id}/device-key`, officer)).status, 404);
      assert.equal((await fix(v.deviceId)).statusCode, 200);
    });

    test('batches: each position checked (its own key or the header), refused ones by index; other devices unaffected', async () => {
      const keyed = await vehicle();
      const open = await vehicle();
      const key = (await t.req('POST', `${URL}/${keyed.id}/device-key`, officer)).body.key as string;
      const at = (s: number) => new Date(Date.now() - s * 1000).toISOString();
      const batch = (positions: object[], headers: Record<string, string> = {}) =>
        t.app.inject({ method: 'POST', url: '/api/positions', headers: { 'content-type': 'application/json', ...headers }, payload: { positions } });
      const r = await batch([
        { deviceId: keyed.deviceId, latitude: 29.1, longitude: 75.7, fixTime: at(100) },
        { deviceId: keyed.deviceId, latitude: 29.1, longitude: 75.7, fixTime: at(90), key },
        { deviceId: keyed.deviceId, latitude: 29.1, longitude: 75.7, fixTime: at(80), key: 'nope' },
        { deviceId: open.deviceId, latitude: 29.1, longitude: 75.7, fixTime: at(70) },
      ]);
      assert.equal(r.statusCode, 200, r.body);
      const body = JSON.parse(r.body);
      assert.equal(body.accepted, 2);
      assert.deepEqual(body.refused, [{ index: 0, reason: 'bad_device_key' }, { index: 2, reason: 'bad_device_key' }]);
      const h = JSON.parse((await batch([
        { deviceId: keyed.deviceId, latitude: 29.1, longitude: 75.7, fixTime: at(60) },
        { deviceId: keyed.deviceId, latitude: 29.1, longitude: 75.7, fixTime: at(50) },
      ], { 'x-device-key': key })).body);
      assert.equal(h.accepted, 2);
      assert.deepEqual(h.refused, []);
    });

    test('who may: district officer and admin; a dispatcher 403; another district 404', async () => {
      const v = await vehicle();
      assert.equal((await t.req('POST', `${URL}/${v.id}/device-key`, dispatcher)).status, 403);
      assert.equal((await t.req('DELETE', `${URL}/${v.id}/device-key`, dispatcher)).status, 403);
      const mandi = (await t.userWith('district_officer', 22)).token;
      assert.equal((await t.req('POST', `${URL}/${v.id}/device-key`, mandi)).status, 404);
      assert.equal((await t.req('POST', `${URL}/nope/device-key`, officer)).status, 404);
      assert.equal((await t.req('POST', `${URL}/${v.id}/device-key`, t.adminToken)).status, 201);
      assert.equal((await t.req('POST', `${URL}/${v.id}/device-key`)).status, 401);
    });
  });
}
