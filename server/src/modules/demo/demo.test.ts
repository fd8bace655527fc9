import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, startTestApp, testEngines, type TestApp } from '../../test/harness.js';

for (const engine of testEngines()) {
  describe(`demo data [${engine}]`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(engine, { demo: true }); });
    after(async () => { await t.close(); });

    test('Hisar: 266 registered, 53 AYUSH, 149 private of which 95 registered and 54 listed', async () => {
      const r = await t.req('GET', '/api/facilities/summary?orgUnit=63', t.adminToken);
      assert.equal(r.status, 200);
      assert.equal(r.body.registered, 266);
      assert.equal(r.body.registeredAyush, 53);
      assert.deepEqual(r.body.private, { total: 149, registered: 95 });
      assert.equal(r.body.listed, 54);
      const listed = await t.req('GET', '/api/facilities?district=63&ownership=private&portalStatus=listed&limit=1', t.adminToken);
      assert.equal(listed.body.total, 54);
    });

    test('Mandi: PHC Nerchowk with 303 sub-centres linked to it', async () => {
      const hub = await t.req('GET', '/api/facilities?district=22&q=PHC%20Nerchowk', t.adminToken);
      assert.equal(hub.body.total, 1);
      const phc = hub.body.items[0];
      assert.equal(phc.type, 'PHC');
      const spokes = await t.req('GET', `/api/facilities?hub=${phc.id}&type=SC&limit=1`, t.adminToken);
      assert.equal(spokes.body.total, 303);
      const s = await t.req('GET', '/api/facilities/summary?orgUnit=22', t.adminToken);
      assert.equal(s.body.byType.SC.total, 303);
    });

    test('ASHA incentives: the demo ASHA signs in and sees her claims, one rejected with its reason; the demo CHO sees the one waiting for her', async () => {
      const asha = await t.login('asha.demo', ADMIN_PASSWORD);
      const mine = await t.req('GET', '/api/asha/claims/mine', asha);
      assert.equal(mine.status, 200, JSON.stringify(mine.body));
      assert.deepEqual(mine.body.items.map((c: any) => c.status).sort(), ['approved', 'rejected', 'submitted']);
      assert.match(mine.body.items.find((c: any) => c.status === 'rejected').rejectReason, /CBAC/);
      const cho = await t.login('cho.spoke', ADMIN_PASSWORD);
      const queue = await t.req('GET', '/api/asha/claims?status=submitted', cho);
      assert.equal(queue.status, 200, JSON.stringify(queue.body));
      assert.equal(queue.body.items.length, 1);
    });

    test('telemedicine: PHC Nerchowk is the hub of its 303 sub-centres, its demo doctor signs in and sees a month of consultations', async () => {
      const hub = (await t.req('GET', '/api/facilities?district=22&q=PHC%20Nerchowk', t.adminToken)).body.items[0];
      const detail = await t.req('GET', `/api/telemedicine/hubs/${hub.id}`, t.adminToken);
      assert.equal(detail.status, 200, JSON.stringify(detail.body));
      assert.equal(detail.body.spokes.total, 303);
      assert.ok(detail.body.specialties.some((s: any) => s.code === 'general_medicine' && s.homeOpd));
      assert.ok(detail.body.doctors.some((d: any) => d.username === 'dr.nerchowk' && d.registrationNumber));
      const doctor = await t.login('dr.nerchowk', ADMIN_PASSWORD);
      const online = await t.req('POST', '/api/telemedicine/duty', doctor, { hubId: hub.id, specialty: 'general_medicine', status: 'online' });
      assert.equal(online.status, 200, JSON.stringify(online.body));
      const cmo = await t.login('cmo.mandi', ADMIN_PASSWORD);
      const ready = await t.req('GET', '/api/telemedicine/readiness?area=22', cmo);
      assert.ok(ready.body.centres >= 304 && ready.body.ready > 0 && ready.body.notReady > 0, JSON.stringify(ready.body));
      const cho = await t.login('cho.spoke', ADMIN_PASSWORD);
      const stock = await t.req('GET', '/api/telemedicine/stock', cho);
      assert.equal(stock.status, 200, JSON.stringify(stock.body));
      const items = stock.body.items as { quantity: number }[];
      assert.ok(items.filter((s) => s.quantity > 0).length >= 15 && items.some((s) => s.quantity === 0), 'the spoke has medicines in stock, and some run out');
      const done = await t.db.kysely.selectFrom('tele_requests').select((eb) => eb.fn.countAll<number>().as('n')).where('hub_id', '=', hub.id).where('status', '=', 'completed').executeTakeFirstOrThrow();
      assert.ok(Number(done.n) > 300, `a month of completed consultations (${done.n})`);
    });

    test('Patna and Delhi have facilities; every demo coordinate lies near its district', async () => {
      for (const [code, lat, lon, r] of [[63, 29.15, 75.72, 0.45], [22, 31.65, 76.95, 0.45], [212, 25.55, 85.15, 0.4], ['state:7', 28.62, 77.15, 0.3]] as const) {
        const p = await t.req('GET', `/api/facilities/points?orgUnit=${code}`, t.adminToken);
        assert.ok(p.body.items.length > 10, `${code} has facilities`);
        for (const f of p.body.items) {
          assert.ok(Math.abs(f.latitude - lat) < r && Math.abs(f.longitude - lon) < r * 1.3, `${f.name} at ${f.latitude},${f.longitude} is far from ${code}`);
        }
      }
    });

    test('upgrade history is there: sub-centres to HWC, PHC to CHC', async () => {
      const chc = await t.req('GET', '/api/facilities?district=63&type=CHC&limit=1', t.adminToken);
      const detail = await t.req('GET', `/api/facilities/${chc.body.items[0].id}`, t.adminToken);
      assert.ok(detail.body.upgrades.some((u: any) => u.kind === 'type' && u.fromType === 'PHC' && u.toType === 'CHC'));
      const hwc = await t.req('GET', '/api/facilities?district=22&type=SC&hwc=true&limit=1', t.adminToken);
      assert.ok(hwc.body.total > 100);
    });
  });
}
