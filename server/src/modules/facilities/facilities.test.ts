import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';

for (const engine of testEngines()) {
  describe(`facility registry [${engine}]`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(engine); });
    after(async () => { await t.close(); });

    test('create, read, update, delete with an audit trail', async () => {
      const created = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Mangali', nameHi: 'प्राथमिक स्वास्थ्य केंद्र मंगाली', beds: 6, hfrId: 'IN0610000001', pincode: '125001' }));
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const f = created.body;
      assert.match(f.id, /^[A-Za-z][A-Za-z0-9]{10}$/);
      assert.equal(f.district.lgdCode, 63);
      assert.equal(f.district.name, 'Hisar');
      assert.equal(f.state.lgdCode, 6);
      assert.equal(f.portalStatus, 'registered');
      assert.match(f.registeredOn, /^\d{4}-\d{2}-\d{2}$/);

      const got = await t.req('GET', `/api/facilities/${f.id}`, t.adminToken);
      assert.equal(got.status, 200);
      assert.equal(got.body.nameHi, 'प्राथमिक स्वास्थ्य केंद्र मंगाली');

      const patched = await t.req('PATCH', `/api/facilities/${f.id}`, t.adminToken, { beds: 10, webcams: 2 });
      assert.equal(patched.status, 200);
      assert.equal(patched.body.beds, 10);
      assert.equal(patched.body.webcams, 2);
      assert.equal(patched.body.upgrades.at(-1).kind, 'beds');

      const audit = await t.req('GET', `/api/audit?entity=facility&entityId=${f.id}`, t.adminToken);
      assert.equal(audit.status, 200);
      assert.deepEqual(audit.body.items.map((i: any) => i.action), ['update', 'create']);
      assert.equal(audit.body.items[0].before.beds, 6);
      assert.equal(audit.body.items[0].after.beds, 10);
      assert.equal(audit.body.items[0].actorUsername, 'admin');

      assert.equal((await t.req('DELETE', `/api/facilities/${f.id}`, t.adminToken)).status, 204);
      assert.equal((await t.req('GET', `/api/facilities/${f.id}`, t.adminToken)).status, 404);
      const gone = await t.req('GET', `/api/audit?entity=facility&entityId=${f.id}&action=delete`, t.adminToken);
      assert.equal(gone.body.items[0].before.name, 'PHC Mangali');
    });

    test('validation names each field, in Hindi when asked', async () => {
      const r = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ type: 'SC', ownership: 'private', latitude: 51.5, longitude: -0.12, pincode: '012345' }));
      assert.equal(r.status, 400);
      const fields = r.body.error.details.fields.map((f: any) => f.field).sort();
      assert.deepEqual(fields, ['latitude', 'longitude', 'ownership', 'pincode']);
      assert.match(r.body.error.message, /outside India/);
      const hi = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ latitude: 51.5 }), { 'accept-language': 'hi' });
      assert.match(hi.body.error.message, /भारत से बाहर/);
      const ayush = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ type: 'AYUSH', system: 'allopathic' }));
      assert.equal(ayush.status, 400);
      assert.equal(ayush.body.error.details.fields[0].field, 'system');
      const noPlace = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ orgUnit: 'state:6' }));
      assert.equal(noPlace.status, 400);
      assert.match(noPlace.body.error.message, /district or block/);
      const unknownDistrict = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ orgUnit: 9999 }));
      assert.equal(unknownDistrict.status, 404);
    });

    test('an HFR id belongs to one facility only', async () => {
      const a = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ hfrId: 'IN0610000099' }));
      assert.equal(a.status, 201);
      const b = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ hfrId: 'IN0610000099' }));
      assert.equal(b.status, 409);
      assert.equal(b.body.error.details.field, 'hfrId');
    });

    test('list filters and pages', async () => {
      const tag = `Filt${Date.now()}`;
      for (let i = 0; i < 7; i++) {
        const r = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: `${tag} Clinic ${i}`, type: 'CLINIC', ownership: 'private', portalStatus: i < 3 ? 'listed' : 'registered', orgUnit: '22', latitude: 31.7, longitude: 76.93 }));
        assert.equal(r.status, 201, JSON.stringify(r.body));
      }
      const page1 = await t.req('GET', `/api/facilities?district=22&q=${tag}&limit=5`, t.adminToken);
      assert.equal(page1.status, 200);
      assert.equal(page1.body.total, 7);
      assert.equal(page1.body.items.length, 5);
      const page2 = await t.req('GET', `/api/facilities?district=22&q=${tag}&limit=5&offset=5`, t.adminToken);
      assert.equal(page2.body.items.length, 2);
      const names = new Set([...page1.body.items, ...page2.body.items].map((f: any) => f.name));
      assert.equal(names.size, 7);
      const listed = await t.req('GET', `/api/facilities?district=22&q=${tag.toLowerCase()}&portalStatus=listed&ownership=private&type=CLINIC`, t.adminToken);
      assert.equal(listed.body.total, 3);
      const elsewhere = await t.req('GET', `/api/facilities?district=63&q=${tag}`, t.adminToken);
      assert.equal(elsewhere.body.total, 0);
      const badType = await t.req('GET', '/api/facilities?type=HOSPITAL', t.adminToken);
      assert.equal(badType.status, 400);
      assert.match(badType.body.error.message, /querystring.type/);
      const badLimit = await t.req('GET', '/api/facilities?limit=100000', t.adminToken);
      assert.equal(badLimit.status, 400);
    });

    test('registration, HWC and type upgrades are recorded with dates', async () => {
      const sc = (await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ type: 'SC', portalStatus: 'listed' }))).body;
      assert.equal(sc.portalStatus, 'listed');
      assert.equal(sc.registeredOn, null);
      const reg = await t.req('POST', `/api/facilities/${sc.id}/registration`, t.adminToken, { date: '2025-04-01' });
      assert.equal(reg.status, 200);
      assert.equal(reg.body.portalStatus, 'registered');
      assert.equal(reg.body.registeredOn, '2025-04-01');
      const hwc = await t.req('POST', `/api/facilities/${sc.id}/upgrades`, t.adminToken, { kind: 'hwc', date: '2025-06-15' });
      assert.equal(hwc.status, 200);
      assert.equal(hwc.body.hwc, true);
      assert.equal(hwc.body.hwcSince, '2025-06-15');
      const again = await t.req('POST', `/api/facilities/${sc.id}/upgrades`, t.adminToken, { kind: 'hwc', date: '2025-06-16' });
      assert.equal(again.status, 400);

      const phc = (await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ beds: 6 }))).body;
      const chc = await t.req('POST', `/api/facilities/${phc.id}/upgrades`, t.adminToken, { kind: 'type', toType: 'CHC', beds: 30, date: '2024-10-02', note: 'upgraded under NHM' });
      assert.equal(chc.status, 200);
      assert.equal(chc.body.type, 'CHC');
      assert.equal(chc.body.beds, 30);
      assert.deepEqual(chc.body.upgrades.map((u: any) => [u.kind, u.fromType, u.toType, u.fromBeds, u.toBeds, u.date]), [['type', 'PHC', 'CHC', 6, 30, '2024-10-02']]);
      const future = await t.req('POST', `/api/facilities/${phc.id}/upgrades`, t.adminToken, { kind: 'beds', beds: 40, date: '2999-01-01' });
      assert.equal(future.status, 400);
    });

    test('summary counts registered, AYUSH, private and by type', async () => {
      // Panchkula (70) has nothing else in this database.
      const mk = (o: Record<string, unknown>) => t.req('POST', '/api/facilities', t.adminToken, facilityBody({ orgUnit: 70, latitude: 30.69, longitude: 76.86, ...o }));
      await mk({ type: 'PHC' });
      await mk({ type: 'AYUSH', system: 'ayush', ayushSystem: 'ayurveda' });
      await mk({ type: 'PRIVATE_HOSPITAL', ownership: 'private' });
      await mk({ type: 'NURSING_HOME', ownership: 'private', portalStatus: 'listed' });
      const s = await t.req('GET', '/api/facilities/summary?orgUnit=70', t.adminToken);
      assert.equal(s.status, 200);
      assert.equal(s.body.registered, 3);
      assert.equal(s.body.registeredAyush, 1);
      assert.deepEqual(s.body.private, { total: 2, registered: 1 });
      assert.deepEqual(s.body.byType.NURSING_HOME, { total: 1, registered: 0 });
      assert.equal(s.body.listed, 1);
      const byId = await t.req('GET', `/api/facilities/summary?orgUnit=${s.body.orgUnit.id}`, t.adminToken);
      assert.deepEqual(byId.body, s.body);
      const state = await t.req('GET', '/api/facilities/summary?orgUnit=state:6', t.adminToken);
      assert.ok(state.body.registered >= 3);
      const bad = await t.req('GET', '/api/facilities/summary?orgUnit=not-a-unit!', t.adminToken);
      assert.equal(bad.status, 400);
    });

    test('points for the map carry coordinates only', async () => {
      const r = await t.req('GET', '/api/facilities/points?district=63', t.adminToken);
      assert.equal(r.status, 200);
      assert.ok(r.body.items.length > 0);
      for (const p of r.body.items) assert.equal(typeof p.latitude, 'number');
    });
  });
}
