import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';

const NORMS = '/api/ambulances/norms';
let seq = 0;
const reg = () => `HR 39 NM ${String(1000 + ++seq)}${Math.floor(Math.random() * 9)}`;
const dev = () => `norm-${Date.now() % 1e9}-${++seq}`;

for (const engine of testEngines()) {
  describe(`ambulances: population norms per district [${engine}]`, () => {
    let t: TestApp;
    let haryana: string;
    let himachal: string;
    let hisarOfficer: string;
    let dispatcher: string;
    let operator: string;
    let base: string;
    const csv = (token: string, body: string) => t.req('POST', `${NORMS}/population/import`, token, body, { 'content-type': 'text/csv' });
    before(async () => {
      t = await startTestApp(engine);
      haryana = (await t.userWith('state_officer', 'state:6')).token;
      himachal = (await t.userWith('state_officer', 'state:2')).token;
      hisarOfficer = (await t.userWith('district_officer', 63)).token;
      dispatcher = (await t.userWith('dispatcher', 63)).token;
      base = (await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'DH Hisar', type: 'DH' }))).body.id;
      operator = (await t.userWith('facility_operator', base)).token;
    });
    after(async () => { await t.close(); });

    test('without a population a district says so; with one, the norm (1 BLS per lakh, 1 ALS per 5 lakh), vehicles and the gap', async () => {
      const before = await t.req('GET', `${NORMS}?state=6`, haryana);
      assert.equal(before.status, 200, JSON.stringify(before.body));
      const hisar0 = before.body.items.find((d: any) => d.lgdCode === 63);
      assert.ok(hisar0, 'Hisar is listed');
      assert.equal(hisar0.population, null);
      assert.equal(hisar0.required, null);
      assert.equal(hisar0.gap, null);
      assert.ok(before.body.items.length > 1, 'every district of Haryana');

      // Census 2011: Hisar 17,43,931.
      const put = await t.req('PUT', `${NORMS}/population`, haryana, { districtId: 63, population: 1743931, year: 2011 });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      for (const [service, kind] of [['108', 'BLS'], ['108', 'BLS'], ['102', 'BLS'], ['108', 'ALS'], ['102', 'PTV']]) {
        const r = await t.req('POST', '/api/ambulances', hisarOfficer, { registrationNumber: reg(), service, kind, baseFacilityId: base, deviceId: dev() });
        assert.equal(r.status, 201, JSON.stringify(r.body));
      }
      const r = await t.req('GET', NORMS, hisarOfficer);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.state.lgdCode, 6, 'the caller\'s own state when none is given');
      assert.deepEqual(r.body.items.map((d: any) => d.lgdCode), [63], 'a district officer sees the own district');
      const h = r.body.items[0];
      assert.equal(h.population, 1743931);
      assert.equal(h.year, 2011);
      assert.deepEqual(h.required, { bls: 18, als: 4 });
      assert.equal(h.vehicles.bls, 3);
      assert.equal(h.vehicles.als, 1);
      assert.equal(h.vehicles.ptv, 1);
      assert.equal(h.vehicles.service102, 2);
      assert.deepEqual(h.gap, { bls: 15, als: 3 });
      // A later year is the one used; the same year again replaces it.
      assert.equal((await t.req('PUT', `${NORMS}/population`, haryana, { districtId: 63, population: 2100000, year: 2026 })).status, 200);
      assert.equal((await t.req('PUT', `${NORMS}/population`, haryana, { districtId: 63, population: 2000000, year: 2026 })).status, 200);
      const later = (await t.req('GET', `${NORMS}?state=6`, dispatcher)).body.items.find((d: any) => d.lgdCode === 63);
      assert.equal(later.population, 2000000);
      assert.deepEqual(later.required, { bls: 20, als: 4 });
      // The base operator reads the norms of its own district.
      assert.equal((await t.req('GET', NORMS, operator)).status, 200);
    });

    test('who may: state officers and admin enter; district officers, dispatchers 403; another state 403; bad values 400', async () => {
      assert.equal((await t.req('PUT', `${NORMS}/population`, hisarOfficer, { districtId: 63, population: 1000, year: 2011 })).status, 403);
      assert.equal((await t.req('PUT', `${NORMS}/population`, dispatcher, { districtId: 63, population: 1000, year: 2011 })).status, 403);
      assert.equal((await t.req('PUT', `${NORMS}/population`, himachal, { districtId: 63, population: 1000, year: 2011 })).status, 403);
      assert.equal((await t.req('GET', `${NORMS}?state=6`, himachal)).status, 403);
      assert.equal((await t.req('GET', `${NORMS}?state=2`, hisarOfficer)).status, 403);
      assert.equal((await t.req('GET', `${NORMS}?state=98`, haryana)).status, 404);
      const cho = (await t.userWith('cho', base)).token;
      assert.equal((await t.req('GET', NORMS, cho)).status, 403);
      const bad = await t.req('PUT', `${NORMS}/population`, haryana, { districtId: 99999, population: 1000, year: 2011 });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.details.field, 'districtId');
      const year = await t.req('PUT', `${NORMS}/population`, haryana, { districtId: 63, population: 1000, year: 2999 });
      assert.equal(year.status, 400);
      assert.equal((await t.req('PUT', `${NORMS}/population`, haryana, { districtId: 63, population: 0, year: 2011 })).status, 400);
      assert.equal((await t.req('PUT', `${NORMS}/population`, t.adminToken, { districtId: 22, population: 437903, year: 2011 })).status, 200);
    });

    test('import: all or nothing, every refused row named by its line; outside the area 403', async () => {
      const haryanaDistricts = (await t.req('GET', `${NORMS}?state=6`, haryana)).body.items.map((d: any) => d.lgdCode).filter((c: number) => c !== 63).slice(0, 2);
      const [a, b] = haryanaDistricts;
      const broken = await csv(haryana, `district_lgd_code,population,year\n${a},1000000,2011\n${b},lots,2011\n99999,5,2011\n${a},1000,2011\n`);
      assert.equal(broken.status, 400, JSON.stringify(broken.body));
      assert.deepEqual(broken.body.error.details.rows.map((r: any) => r.line), [3, 4, 5]);
      const untouched = (await t.req('GET', `${NORMS}?state=6`, haryana)).body.items.find((d: any) => d.lgdCode === a);
      assert.equal(untouched.population, null, 'nothing stored from a file with a refused row');

      const outside = await csv(haryana, `district_lgd_code,population,year\n${a},1000000,2011\n22,437903,2011\n`);
      assert.equal(outside.status, 403, JSON.stringify(outside.body));
      assert.equal((await csv(hisarOfficer, `district_lgd_code,population,year\n63,1,2011\n`)).status, 403);

      const good = await csv(haryana, `\uFEFFdistrict_lgd_code,population,year\r\n${a},"10,00,000",2011\r\n${b},250000,2011\r\n`);
      assert.equal(good.status, 200, JSON.stringify(good.body));
      assert.equal(good.body.imported, 2);
      const items = (await t.req('GET', `${NORMS}?state=6`, haryana)).body.items;
      assert.equal(items.find((d: any) => d.lgdCode === a).population, 1000000);
      assert.deepEqual(items.find((d: any) => d.lgdCode === b).required, { bls: 3, als: 1 });

      assert.equal((await csv(haryana, 'code,people\n63,5\n')).status, 400);
      assert.equal((await csv(haryana, 'district_lgd_code,population,year\n')).status, 400);
      assert.equal((await t.req('POST', `${NORMS}/population/import`, haryana, { rows: [] })).status, 415);
    });
  });
}
