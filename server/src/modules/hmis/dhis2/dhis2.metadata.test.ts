import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../../test/harness.js';
import { hasShared, readShared } from '../../../test/shared.js';
import { importAndCompare, KEPT, ONE_DATABASE, readTestdata, withoutTimes } from './dhis2.roundtrip.fixture.js';

const E2E = ['fixtures', 'dhis2', 'dhis2-core_e2e_aggregate_metadata.json'] as const;

for (const engine of testEngines()) {
  describe(`DHIS2 metadata export and round trip [${engine}]`, () => {
    let t: TestApp;
    let hisar: string;
    before(async () => {
      t = await startTestApp(engine);
      hisar = (await t.req('GET', '/api/geo/units/63', t.adminToken)).body.id;
    });
    after(async () => { await t.close(); });

    test('GET /api/metadata is a DHIS2 metadata export: system block, one list per type, references as {id}', async () => {
      const r = await t.req('GET', '/api/metadata', t.adminToken);
      assert.equal(r.status, 200);
      assert.deepEqual(Object.keys(r.body.system).sort(), ['date', 'rev', 'version']);
      assert.match(r.body.system.version, /^2\.\d+\.\d+$/);
      for (const type of [...KEPT, 'organisationUnitLevels']) assert.ok(Array.isArray(r.body[type]), `${type} is listed`);
      const monthly = r.body.dataSets.find((d: any) => d.code === 'HMIS_MONTHLY');
      assert.equal(monthly.periodType, 'Monthly');
      assert.equal(monthly.validCompleteOnly, true, 'DHIS2\'s completion rule, on for the monthly return');
      assert.equal(typeof monthly.allowCompleteWithComments, 'boolean');
      assert.ok(monthly.dataSetElements.length > 50);
      assert.deepEqual(Object.keys(monthly.dataSetElements[0].dataElement), ['id']);
      assert.equal(monthly.displayName, undefined, 'computed display properties are not part of :owner');
      const de = r.body.dataElements.find((d: any) => d.id === monthly.dataSetElements[0].dataElement.id);
      assert.ok(de.shortName && de.valueType && de.aggregationType && de.domainType && de.categoryCombo.id, 'what DHIS2 requires of a data element is there');
      const india = r.body.organisationUnits[0];
      assert.equal(india.level, 1);
      assert.equal(india.path, `/${india.id}`);
      const haryana = r.body.organisationUnits.find((o: any) => o.parent?.id === india.id);
      assert.equal(haryana.path, `/${india.id}/${haryana.id}`);
      assert.ok(r.body.organisationUnitLevels.some((l: any) => l.level === 3 && /District/.test(l.name)));
    });

    test('type filters, filter= and fields= (nested) on /api/metadata', async () => {
      const r = await t.req('GET', '/api/metadata?dataSets=true&dataElements=true&fields=id,name,code', t.adminToken);
      assert.deepEqual(Object.keys(r.body).sort(), ['dataElements', 'dataSets', 'system']);
      assert.deepEqual(Object.keys(r.body.dataSets[0]).sort(), ['code', 'id', 'name'].filter((k) => k in r.body.dataSets[0]).sort());
      const one = await t.req('GET', '/api/metadata?dataSets=true&filter=code:eq:HMIS_MONTHLY&fields=id,dataSetElements[dataElement[id,name,code]]', t.adminToken);
      assert.equal(one.body.dataSets.length, 1);
      const el = one.body.dataSets[0].dataSetElements[0].dataElement;
      assert.ok(el.id && el.name && el.code, 'a reference is looked up when more than its id is asked for');
      const perType = await t.req('GET', '/api/metadata?dataElements:fields=id&dataElements:filter=name:ilike:ANC&categoryCombos=true&categoryCombos:fields=id,name', t.adminToken);
      assert.ok(perType.body.dataElements.length > 0 && perType.body.dataElements.every((d: any) => Object.keys(d).join() === 'id'));
      assert.ok(perType.body.categoryCombos.some((c: any) => c.name === 'default'));
      const noDefaults = await t.req('GET', '/api/metadata?categoryCombos=true&defaults=EXCLUDE', t.adminToken);
      assert.ok(!noDefaults.body.categoryCombos.some((c: any) => c.id === 'bjDvmb4bfuf'));
      const all = await t.req('GET', '/api/metadata.json?indicators=true&fields=:all', t.adminToken);
      assert.ok(all.body.indicators[0].displayName, ':all includes display properties');
      const excluded = await t.req('GET', '/api/metadata?dataSets=false&indicators=false', t.adminToken);
      assert.ok(!('dataSets' in excluded.body) && 'dataElements' in excluded.body);
      const bad = await t.req('GET', '/api/metadata?filter=name:around:x', t.adminToken);
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /property:operator:value/);
      assert.equal((await t.req('GET', '/api/metadata?fields=id,dataSetElements[dataElement[id]', t.adminToken)).status, 400);
    });

    test("DHIS2's own test files: imported, exported, same ids, codes, names and links", async () => {
      // Files meant for separate DHIS2 databases reuse codes; those in ONE_DATABASE go into one
      // Swasthya together, the rest into the API test's (dhis2.api.test.ts).
      const files = [...ONE_DATABASE.map((f) => ({ name: f, payload: readTestdata(f) })), ...(hasShared(...E2E) ? [{ name: 'e2e aggregate metadata', payload: JSON.parse(readShared(...E2E)) }] : [])];
      const summary: string[] = [];
      for (const { name, payload } of files) {
        const result = await importAndCompare(t, name, payload, hisar);
        assert.deepEqual(result.differences, [], `${name}: what came back differs`);
        summary.push(result.summary);
      }
      console.log(`DHIS2 files round-tripped [${engine}]:\n  ${summary.join('\n  ')}`);
    });

    test('export → import into a fresh Swasthya → export again is identical', async () => {
      const facility = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'Round Trip PHC' }));
      assert.equal(facility.status, 201, JSON.stringify(facility.body));
      // DHIS2's file with sections and a disaggregated element (again, if the test before imported it).
      await importAndCompare(t, 'dataset_with_sections.json', readTestdata('dataset_with_sections.json'), hisar);
      const first = (await t.req('GET', '/api/metadata', t.adminToken)).body;
      assert.ok(first.dataElements.some((d: any) => d.id === 'nHwIqKAudKN'));
      const fresh = await startTestApp(engine);
      try {
        const r = await fresh.req('POST', '/api/metadata', fresh.adminToken, first);
        assert.equal(r.status, 200, JSON.stringify(r.body).slice(0, 800));
        assert.equal(r.body.stats.ignored, 0);
        const second = (await fresh.req('GET', '/api/metadata', fresh.adminToken)).body;
        const [a, b] = [withoutTimes(first), withoutTimes(second)];
        for (const type of Object.keys(a)) assert.deepEqual(b[type], a[type], `${type} differs after the round trip`);
        assert.deepEqual(Object.keys(b).sort(), Object.keys(a).sort());
        assert.ok(second.organisationUnits.some((o: any) => o.id === facility.body.id && o.name === 'Round Trip PHC'));
      } finally {
        await fresh.close();
      }
    });
  });
}
