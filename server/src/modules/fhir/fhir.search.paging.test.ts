// A FHIR client library pages through a 1,000-patient name search by its next links and meets each
// patient exactly once, with the same total on every page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'fhir-kit-client';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';

const FIRST = ['Aarti', 'Bhavna', 'Chanda', 'Deepa', 'Ekta', 'Farida', 'Gunjan', 'Hema', 'Indu', 'Jyoti', 'Kiran', 'Lata', 'Manju', 'Neha', 'Omvati', 'Pinki', 'Rekha', 'Sushila', 'Tara', 'Vimla'];
const PEOPLE = 1000;

for (const engine of testEngines()) {
  describe(`FHIR client paging a 1,000-patient name search [${engine}]`, () => {
    let t: TestApp;
    let token: string;
    let base: string;
    const registered = new Set<string>();

    before(async () => {
      t = await startTestApp(engine);
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const address = t.app.server.address();
      assert.ok(address && typeof address === 'object');
      base = `http://127.0.0.1:${address.port}/fhir`;
      const f = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Barwala' }));
      assert.equal(f.status, 201, JSON.stringify(f.body));
      token = (await t.userWith('facility_operator', f.body.id)).token;
      // 1,000 women sharing the surname Chauhan, registered at the counter twenty at a time.
      for (let i = 0; i < PEOPLE; i += 20) {
        await Promise.all(Array.from({ length: Math.min(20, PEOPLE - i) }, async (_, j) => {
          const n = i + j;
          const r = await t.req('POST', '/api/patients', token, { name: `${FIRST[n % FIRST.length]} Chauhan`, sex: 'female', age: 18 + (n % 60), address: { district: 63 } });
          assert.equal(r.status, 201, JSON.stringify(r.body));
          registered.add(r.body.id);
        }));
      }
      assert.equal(registered.size, PEOPLE);
    });
    after(async () => { await t.close(); });

    test('fhir-kit-client follows next links to the end: 1,000 distinct patients, total 1,000 on every page', async () => {
      const client = new Client({ baseUrl: base, customHeaders: { Authorization: `Bearer ${token}` } });
      const seen: string[] = [];
      let pages = 0;
      let bundle: any = await client.search({ resourceType: 'Patient', searchParams: { name: 'chauhan', _count: 100 } });
      while (bundle) {
        pages++;
        assert.ok(pages <= 11, 'paging ends');
        assert.equal(bundle.total, PEOPLE, `total on page ${pages}`);
        seen.push(...(bundle.entry ?? []).map((e: any) => e.resource.id));
        bundle = await client.nextPage({ bundle });
      }
      assert.equal(pages, 10);
      assert.equal(new Set(seen).size, seen.length, 'no patient on two pages');
      assert.equal(seen.length, PEOPLE);
      for (const id of seen) assert.ok(registered.has(id), `${id} is one of those registered`);
      const counted: any = await client.search({ resourceType: 'Patient', searchParams: { name: 'chauhan', _summary: 'count' } });
      assert.deepEqual([counted.total, counted.entry?.length ?? 0], [PEOPLE, 0]);
    });

    test('sorted by birth date (sixty birth years shared by a thousand people), the pages still give each patient once, in order', async () => {
      const client = new Client({ baseUrl: base, customHeaders: { Authorization: `Bearer ${token}` } });
      const seen: { id: string; birthDate: string }[] = [];
      let bundle: any = await client.search({ resourceType: 'Patient', searchParams: { name: 'chauhan', _sort: '-birthdate', _count: 100, _total: 'none' } });
      assert.equal(new URL(bundle.link[0].url).searchParams.get('_sort'), '-birthdate');
      while (bundle) {
        assert.equal(bundle.total, undefined, '_total=none: nothing counted');
        seen.push(...(bundle.entry ?? []).map((e: any) => ({ id: e.resource.id, birthDate: e.resource.birthDate })));
        assert.ok(seen.length <= PEOPLE, 'paging ends');
        bundle = await client.nextPage({ bundle });
      }
      assert.equal(new Set(seen.map((s) => s.id)).size, PEOPLE, 'each patient once');
      for (let i = 1; i < seen.length; i++) {
        const [a, b] = [seen[i - 1], seen[i]];
        assert.ok(a.birthDate > b.birthDate || (a.birthDate === b.birthDate && a.id < b.id), `${i}: ${JSON.stringify([a, b])} out of order`);
      }
    });
  });
}
