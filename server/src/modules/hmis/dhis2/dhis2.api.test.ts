import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../../test/harness.js';
import { importAndCompare, OTHER_DATABASE, readTestdata } from './dhis2.roundtrip.fixture.js';

for (const engine of testEngines()) {
  describe(`DHIS2 Web API: per-type endpoints, system info, suffixes [${engine}]`, () => {
    let t: TestApp;
    let hisar: string;
    let facility: string;
    before(async () => {
      t = await startTestApp(engine);
      hisar = (await t.req('GET', '/api/geo/units/63', t.adminToken)).body.id;
      facility = (await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'Adampur PHC' }))).body.id;
    });
    after(async () => { await t.close(); });

    test('lists are paged the DHIS2 way: pager, page, pageSize, paging=false; id,displayName by default', async () => {
      const first = await t.req('GET', '/api/dataElements?pageSize=20', t.adminToken);
      assert.equal(first.status, 200);
      const { pager } = first.body;
      assert.equal(pager.page, 1);
      assert.equal(pager.pageSize, 20);
      assert.ok(pager.total > 40);
      assert.equal(pager.pageCount, Math.ceil(pager.total / 20));
      assert.match(pager.nextPage, /\/api\/dataElements\?pageSize=20&page=2$/);
      assert.equal(pager.prevPage, undefined);
      assert.equal(first.body.dataElements.length, 20);
      assert.deepEqual(Object.keys(first.body.dataElements[0]).sort(), ['displayName', 'id']);
      const seen = new Set<string>();
      for (let page = 1; page <= pager.pageCount; page++) {
        const r = await t.req('GET', `/api/dataElements?pageSize=20&page=${page}`, t.adminToken);
        for (const d of r.body.dataElements) seen.add(d.id);
      }
      assert.equal(seen.size, pager.total, 'every page reached, each element once');
      const all = await t.req('GET', '/api/dataElements?paging=false&fields=id', t.adminToken);
      assert.equal(all.body.pager, undefined);
      assert.equal(all.body.dataElements.length, pager.total);
      const defaultSize = await t.req('GET', '/api/categoryOptionCombos', t.adminToken);
      assert.equal(defaultSize.body.pager.pageSize, 50);
    });

    test('fields= and filter= on lists and objects', async () => {
      const ds = await t.req('GET', '/api/dataSets?filter=code:eq:HMIS_MONTHLY&fields=id,name,periodType,dataSetElements[dataElement[id,code]]', t.adminToken);
      assert.equal(ds.body.dataSets.length, 1);
      const set = ds.body.dataSets[0];
      assert.equal(set.periodType, 'Monthly');
      assert.ok(set.dataSetElements.every((e: any) => e.dataElement.id && 'code' in e.dataElement));
      const one = await t.req('GET', `/api/dataSets/${set.id}`, t.adminToken);
      assert.equal(one.status, 200);
      assert.equal(one.body.displayName, set.name, 'one object has every property (*) by default');
      const json = await t.req('GET', `/api/dataSets/${set.id}.json?fields=id,code`, t.adminToken);
      assert.deepEqual(json.body, { id: set.id, code: 'HMIS_MONTHLY' });
      assert.equal((await t.req('GET', '/api/dataSets/NoSuchSet01', t.adminToken)).status, 404);
      const byName = await t.req('GET', '/api/dataElements?filter=name:ilike:anc&paging=false&fields=name', t.adminToken);
      assert.ok(byName.body.dataElements.length > 0 && byName.body.dataElements.every((d: any) => /anc/i.test(d.name)));
      const two = await t.req('GET', '/api/categoryCombos?filter=name:eq:default&filter=id:eq:bjDvmb4bfuf&fields=id,name,categories[id,name]', t.adminToken);
      assert.deepEqual(two.body.categoryCombos, [{ id: 'bjDvmb4bfuf', name: 'default', categories: [{ id: 'GLevLNI9wkl', name: 'default' }] }]);
      const orCombo = await t.req('GET', '/api/categoryCombos?filter=id:eq:bjDvmb4bfuf&filter=id:eq:nothing&rootJunction=OR&fields=id', t.adminToken);
      assert.equal(orCombo.body.categoryCombos.length, 1);
      const cocs = await t.req('GET', '/api/categoryOptionCombos?filter=categoryCombo.id:eq:bjDvmb4bfuf&fields=id,categoryCombo[id,name]', t.adminToken);
      assert.deepEqual(cocs.body.categoryOptionCombos, [{ id: 'HllvX50cXC0', categoryCombo: { id: 'bjDvmb4bfuf', name: 'default' } }]);
      const renamed = await t.req('GET', '/api/dataSets?fields=id,name~rename(title),dataSetElements~size&filter=code:eq:HMIS_MONTHLY', t.adminToken);
      assert.equal(renamed.body.dataSets[0].title, set.name);
      assert.equal(renamed.body.dataSets[0].dataSetElements, set.dataSetElements.length);
      const bad = await t.req('GET', '/api/dataElements?filter=name', t.adminToken);
      assert.equal(bad.status, 400);
    });

    test('org units: the caller\'s area only, with DHIS2 path, level and parent', async () => {
      const officer = await t.userWith('district_officer', 22); // Mandi, Himachal
      const mine = await t.req('GET', '/api/organisationUnits?paging=false&fields=id,name,path,level,parent', officer.token);
      assert.equal(mine.status, 200);
      assert.ok(mine.body.organisationUnits.length >= 1);
      assert.ok(!mine.body.organisationUnits.some((o: any) => o.id === hisar || o.id === facility), 'nothing of Hisar');
      assert.equal((await t.req('GET', `/api/organisationUnits/${facility}`, officer.token)).status, 404);
      const meta = await t.req('GET', '/api/metadata?organisationUnits=true', officer.token);
      assert.ok(!meta.body.organisationUnits.some((o: any) => o.id === hisar));
      const unit = await t.req('GET', `/api/organisationUnits/${facility}?fields=id,name,path,level,parent[id,name],openingDate`, t.adminToken);
      assert.equal(unit.body.parent.name, 'Hisar');
      assert.ok(unit.body.path.endsWith(`/${hisar}/${facility}`) && !unit.body.path.endsWith('/'));
      assert.equal(unit.body.level, unit.body.path.split('/').length - 1);
      assert.match(unit.body.openingDate, /^\d{4}-\d{2}-\d{2}T00:00:00\.000$/);
      const assigned = await t.req('POST', '/api/metadata', t.adminToken, { dataSets: [{ id: 'ScopeDs0001', name: 'Scope test', periodType: 'Monthly', organisationUnits: [{ id: facility }] }] });
      assert.equal(assigned.body.status, 'OK', JSON.stringify(assigned.body));
      assert.deepEqual((await t.req('GET', '/api/dataSets/ScopeDs0001?fields=organisationUnits', t.adminToken)).body, { organisationUnits: [{ id: facility }] });
      assert.deepEqual((await t.req('GET', '/api/dataSets/ScopeDs0001?fields=organisationUnits', officer.token)).body, { organisationUnits: [] }, 'assignments outside the area are left out');
      const officerMeta = await t.req('GET', '/api/metadata?dataSets=true&fields=id,organisationUnits', officer.token);
      assert.ok(!JSON.stringify(officerMeta.body).includes(facility));
      const districts = await t.req('GET', '/api/organisationUnits?level=3&query=hisar&fields=id,name,level', t.adminToken);
      assert.ok(districts.body.organisationUnits.some((o: any) => o.id === hisar && o.level === 3));
      assert.ok(districts.body.organisationUnits.every((o: any) => o.level === 3 && /hisar/i.test(o.name)), 'districts whose name has "hisar" (Hisar, Lakhisarai)');
      const token = await t.req('GET', '/api/organisationUnits?filter=identifiable:token:adampur phc&fields=id', t.adminToken);
      assert.deepEqual(token.body.organisationUnits, [{ id: facility }]);
      const children = await t.req('GET', `/api/organisationUnits/${hisar}?includeChildren=true&fields=id,parent`, t.adminToken);
      assert.equal(children.body.organisationUnits[0].id, hisar);
      assert.ok(children.body.organisationUnits.slice(1).every((o: any) => o.parent.id === hisar) && children.body.organisationUnits.some((o: any) => o.id === facility));
      const descendants = await t.req('GET', `/api/organisationUnits/${hisar}?includeDescendants=true&fields=id`, t.adminToken);
      assert.ok(descendants.body.organisationUnits.length >= children.body.organisationUnits.length);
      const citizen = await t.userWith('citizen', 6);
      for (const url of ['/api/organisationUnits', '/api/dataElements', '/api/metadata', `/api/dataSets/x`]) assert.equal((await t.req('GET', url, citizen.token)).status, 403, url);
    });

    test('.json and .csv suffixes', async () => {
      const json = await t.req('GET', '/api/dataElements.json?pageSize=5', t.adminToken);
      assert.equal(json.body.dataElements.length, 5);
      const metadata = await t.req('GET', '/api/metadata.json?dataSets=true&fields=id', t.adminToken);
      assert.ok(metadata.body.dataSets.length >= 1 && metadata.body.system);
      const res = await t.app.inject({ method: 'GET', url: `/api/organisationUnits.csv?fields=id,code,name,level,path&filter=parent.id:eq:${hisar}`, headers: { authorization: `Bearer ${t.adminToken}` } });
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /^text\/csv/);
      const rows = parse(res.body, { columns: true }) as Record<string, string>[];
      assert.deepEqual(Object.keys(rows[0]), ['id', 'code', 'name', 'level', 'path']);
      const row = rows.find((r) => r.id === facility)!;
      assert.equal(row.name, 'Adampur PHC');
      const plain = await t.app.inject({ method: 'GET', url: '/api/categoryCombos.csv?fields=id,name,categories&filter=id:eq:bjDvmb4bfuf', headers: { authorization: `Bearer ${t.adminToken}` } });
      assert.equal(plain.body, 'id,name,categories\nbjDvmb4bfuf,default,GLevLNI9wkl\n');
      const defaults = await t.app.inject({ method: 'GET', url: '/api/dataSets.csv', headers: { authorization: `Bearer ${t.adminToken}` } });
      assert.match(defaults.body, /^id,displayName\n/);
      const negotiated = await t.app.inject({ method: 'GET', url: '/api/dataSets?fields=code', headers: { authorization: `Bearer ${t.adminToken}`, accept: 'text/csv' } });
      assert.match(negotiated.headers['content-type'] as string, /^text\/csv/);
      assert.match(negotiated.body, /^code\n(.*\n)*HMIS_MONTHLY\n/);
    });

    test('locale= gives display names from DHIS2 translations', async () => {
      const en = await t.req('GET', '/api/dataElements?filter=code:eq:1.1&fields=id,name,displayName', t.adminToken);
      const hi = await t.req('GET', '/api/dataElements?filter=code:eq:1.1&fields=id,name,displayName&locale=hi', t.adminToken);
      assert.equal(en.body.dataElements[0].displayName, en.body.dataElements[0].name);
      assert.equal(hi.body.dataElements[0].name, en.body.dataElements[0].name);
      assert.match(hi.body.dataElements[0].displayName, /[\u0900-\u097F]/, 'the Hindi name');
    });

    test('system/info: DHIS2\'s shape, signed-in only', async () => {
      const r = await t.req('GET', '/api/system/info', t.adminToken);
      assert.equal(r.status, 200);
      assert.equal(r.body.calendar, 'iso8601');
      assert.equal(r.body.dateFormat, 'yyyy-mm-dd');
      assert.match(r.body.version, /^2\.\d+\.\d+$/);
      assert.match(r.body.serverDate, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$/);
      assert.ok(Math.abs(Date.parse(`${r.body.serverDate}Z`) - Date.now()) < 60_000);
      assert.ok(r.body.contextPath);
      assert.equal((await t.req('GET', '/api/system/info')).status, 401);
      const citizen = await t.userWith('citizen', 6);
      assert.equal((await t.req('GET', '/api/system/info', citizen.token)).status, 200);
    });

    test('versioned paths (/api/40/…) as DHIS2 clients call them, with the same permission checks', async () => {
      const meta = await t.req('GET', '/api/40/metadata?dataSets=true&fields=id,code', t.adminToken);
      assert.equal(meta.status, 200);
      assert.ok(meta.body.dataSets.some((d: any) => d.code === 'HMIS_MONTHLY'));
      assert.equal((await t.req('GET', '/api/33/system/info', t.adminToken)).body.calendar, 'iso8601');
      assert.equal((await t.req('GET', '/api/40/dataElements?pageSize=1', t.adminToken)).body.pager.pageSize, 1);
      assert.equal((await t.req('GET', '/api/40/metadata')).status, 401);
      const citizen = await t.userWith('citizen', 6);
      assert.equal((await t.req('GET', '/api/40/metadata', citizen.token)).status, 403);
      const officer = await t.userWith('district_officer', 63);
      assert.equal((await t.req('POST', '/api/40/metadata', officer.token, { categoryOptions: [] })).status, 403, 'the permission before the body holds on a versioned path');
      assert.equal((await t.req('GET', '/api/400/metadata', t.adminToken)).status, 404);
    });

    test("DHIS2's own test files that need a database of their own round-trip here", async () => {
      const summary: string[] = [];
      for (const f of OTHER_DATABASE) {
        const result = await importAndCompare(t, f, readTestdata(f), hisar);
        assert.deepEqual(result.differences, [], `${f}: what came back differs`);
        summary.push(result.summary);
      }
      console.log(`DHIS2 files round-tripped [${engine}]:\n  ${summary.join('\n  ')}`);
    });
  });
}
