// Paging a name search: every page of one query reads the same search step (as spelt, corrected,
// by beginning, by near words), so the registry API and FHIR's next links reach each person once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'fhir-kit-client';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';

const FIRST = ['Priya', 'Asha', 'Kamla', 'Geeta', 'Meena', 'Sarla', 'Usha', 'Nirmala', 'Poonam', 'Anita', 'Savitri', 'Pushpa'];

for (const engine of testEngines()) {
  describe(`patient name search paging [${engine}]`, () => {
    let t: TestApp;
    let token: string;
    let base: string;
    const ids: Record<string, Set<string>> = { devi: new Set(), rajinder: new Set(), rajinderSingh: new Set() };
    before(async () => {
      t = await startTestApp(engine);
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const address = t.app.server.address();
      assert.ok(address && typeof address === 'object');
      base = `http://127.0.0.1:${address.port}/fhir`;
      const f = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Adampur' }));
      assert.equal(f.status, 201, JSON.stringify(f.body));
      token = (await t.userWith('facility_operator', f.body.id)).token;
      const register = async (group: string, name: string, i: number) => {
        const r = await t.req('POST', '/api/patients', token, { name, sex: i % 2 ? 'female' : 'male', age: 20 + (i % 50), address: { district: 63 } });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        ids[group].add(r.body.id);
      };
      // 120 people found by "devi" only through near words (no one is called just "Devi"), 25 called
      // exactly "Rajinder" and 25 "Rajinder Singh", five at a time.
      const jobs: (() => Promise<void>)[] = [];
      for (let i = 0; i < 120; i++) jobs.push(() => register('devi', `${FIRST[i % FIRST.length]} Devi`, i));
      for (let i = 0; i < 25; i++) jobs.push(() => register('rajinder', 'Rajinder', i), () => register('rajinderSingh', 'Rajinder Singh', i));
      for (let i = 0; i < jobs.length; i += 5) await Promise.all(jobs.slice(i, i + 5).map((j) => j()));
    });
    after(async () => { await t.close(); });

    /** Every page of `q` at 20 a page, following `more`, as ids in order. */
    const pageThrough = async (q: string) => {
      const seen: string[] = [];
      let pages = 0;
      for (let offset = 0; ; offset += 20) {
        const r = await t.req('GET', `/api/patients?q=${encodeURIComponent(q)}&limit=20&offset=${offset}`, token);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        pages++;
        seen.push(...r.body.items.map((p: any) => p.id));
        if (r.body.more) assert.equal(r.body.items.length, 20, `${q}: a page before the last is full (offset ${offset})`);
        else break;
        assert.ok(pages < 20, 'paging ends');
      }
      return { seen, pages };
    };
    const sameSet = (seen: string[], want: Set<string>, what: string) => {
      assert.equal(new Set(seen).size, seen.length, `${what}: no patient on two pages`);
      assert.equal(seen.length, want.size, `${what}: ${seen.length} found of ${want.size}`);
      for (const id of seen) assert.ok(want.has(id), `${what}: ${id} was not to be found`);
    };

    test('API: a name found only through near words (misspelt, or beside a word near no name) pages through everyone once', async () => {
      for (const q of ['devi', 'dewi', 'Devee', 'Devi Qzxw']) {
        const { seen, pages } = await pageThrough(q);
        sameSet(seen, ids.devi, q);
        assert.equal(pages, 6, q);
      }
    });

    test('API: each step (as spelt, corrected, by beginning) is kept for every page', async () => {
      sameSet((await pageThrough('rajinder')).seen, ids.rajinder, 'as spelt');
      sameSet((await pageThrough('Rajnder')).seen, ids.rajinder, 'corrected');
      sameSet((await pageThrough('rajind')).seen, ids.rajinder, 'corrected, not by beginning');
      sameSet((await pageThrough('Rajinder S')).seen, ids.rajinderSingh, 'by beginning');
      // A page past the last is empty and says there is no more, whichever step found them.
      for (const [q, offset] of [['devi', 120], ['Rajnder', 40], ['rajind', 40], ['Rajinder%20S', 40]] as const) {
        const r = await t.req('GET', `/api/patients?q=${q}&limit=20&offset=${offset}`, token);
        assert.equal(r.status, 200);
        assert.deepEqual([r.body.items.length, r.body.more], [0, false], q);
      }
    });

    test('FHIR: a client library follows next links through a near-word name search, each patient once; total counts them', async () => {
      const c = new Client({ baseUrl: base, customHeaders: { Authorization: `Bearer ${token}` } });
      for (const name of ['devi', 'Dewi']) {
        let bundle: any = await c.search({ resourceType: 'Patient', searchParams: { name, _count: 20 } });
        const seen: string[] = [];
        let pages = 0;
        while (bundle) {
          pages++;
          assert.ok(pages <= 7, 'paging ends');
          assert.equal(bundle.total, 120, `${name}: total on page ${pages}`);
          seen.push(...(bundle.entry ?? []).map((e: any) => e.resource.id));
          bundle = await c.nextPage({ bundle });
        }
        sameSet(seen, ids.devi, `FHIR name=${name}`);
        assert.equal(pages, 6, name);
      }
      const last: any = await c.search({ resourceType: 'Patient', searchParams: { name: 'devi', _count: 20, _offset: 100 } });
      assert.equal(last.entry.length, 20);
      assert.equal(last.total, 120);
      const counted: any = await c.search({ resourceType: 'Patient', searchParams: { name: 'dewi', _count: 0 } });
      assert.deepEqual([counted.total, counted.entry?.length ?? 0], [120, 0], '_count=0 answers the total only');
      for (const [name, want] of [['Rajnder', 25], ['Rajinder S', 25], ['nobody-like-this', 0]] as const) {
        const b: any = await c.search({ resourceType: 'Patient', searchParams: { name, _count: 10, _offset: 10 } });
        assert.equal(b.total, want, `${name}: total`);
      }
      assert.ok(!last.link.some((l: any) => l.relation === 'next'), 'no next link on the last page');
    });
  });
}
