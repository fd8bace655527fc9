import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { childRow, resolveOrgUnit } from '../geo/geo.service.js';

for (const engine of testEngines()) {
  describe(`health-card survey [${engine}]`, () => {
    let t: TestApp;
    let asha: { token: string; username: string };
    let officer: string;
    const village: Record<string, string> = {};
    before(async () => {
      t = await startTestApp(engine);
      const hisar = await resolveOrgUnit(t.db.kysely, 'district:63');
      for (const [lgd, name, hi] of [[64001, 'Ladwa', 'लाडवा'], [64002, 'Mangali', 'मंगाली']] as const) {
        const row = childRow(hisar, 'village', lgd, name, hi);
        await t.db.kysely.insertInto('org_units').values(row).execute();
        village[name] = row.id;
      }
      asha = await t.userWith('asha', village.Ladwa);
      officer = (await t.userWith('district_officer', 63)).token;
    });
    after(async () => { await t.close(); });

    const household = (clientId: string, over: Record<string, unknown> = {}) => ({
      clientId, area: village.Ladwa, addressLine: 'House 12, Ladwa', recordedAt: '2026-11-20T10:15:00+05:30',
      members: [
        { name: 'रामफल', sex: 'male', age: 52, relation: 'head', mobile: '9416000001' },
        { name: 'संतोष देवी', sex: 'female', age: 47, relation: 'spouse' },
        { name: 'Sunny', sex: 'male', age: 19, relation: 'son', abha: '91-4444-5555-6666' },
      ],
      ...over,
    });

    test('an officer assigns a village; the ASHA syncs households once each, refused ones say why', async () => {
      assert.equal((await t.req('POST', '/api/survey/assignments', asha.token, { username: asha.username, area: village.Ladwa })).status, 403);
      const district = await t.req('POST', '/api/survey/assignments', officer, { username: asha.username, area: 'district:63' });
      assert.equal(district.status, 400, 'coverage is by village and ward: a larger area is refused');
      assert.equal(district.body.error.details.field, 'area');
      const assigned = await t.req('POST', '/api/survey/assignments', officer, { username: asha.username, area: village.Ladwa });
      assert.equal(assigned.status, 201, JSON.stringify(assigned.body));
      assert.deepEqual((await t.req('GET', '/api/survey/assignments', asha.token)).body.items.map((a: any) => a.name), ['Ladwa']);

      const body = { households: [
        household('phone-1'),
        household('phone-2', { members: [{ name: 'Kamla', sex: 'female', age: 60, relation: 'head', aadhaar: '123412341234' }] }),
        household('phone-3', { area: village.Mangali }),
      ] };
      const first = await t.req('POST', '/api/survey/sync', asha.token, body);
      assert.equal(first.status, 200, JSON.stringify(first.body));
      const [a, b, c] = first.body.results;
      assert.equal(a.status, 'created');
      assert.match(a.familyNumber, /^F06\d{9}$/);
      assert.equal(a.stateNumbers.length, 3);
      assert.deepEqual([b.status, b.problems[0].member, b.problems[0].field], ['refused', 0, 'aadhaar']);
      assert.deepEqual([c.status, c.problems[0].field], ['refused', 'area'], 'Mangali is not hers');
      assert.match(c.problems[0].message, /Mangali is not one of your assigned areas/);
      assert.match(c.problems[0].messageHi, /आपको सौंपा गया क्षेत्र नहीं है/, 'the phone can show the reason in Hindi');
      assert.ok(b.problems[0].messageHi, 'a refused field carries its Hindi message too');

      const again = await t.req('POST', '/api/survey/sync', asha.token, { households: [household('phone-1')] });
      assert.deepEqual(again.body.results[0], { clientId: 'phone-1', status: 'already_synced', familyNumber: a.familyNumber }, 'a sync sent twice stores once');
      const people = await t.db.kysely.selectFrom('patients').select(['registered_via']).where('registered_via', '=', 'survey').execute();
      assert.equal(people.length, 3, 'nothing half-written from the refused households');

      const family = await t.req('GET', `/api/families/${a.familyNumber}`, officer);
      assert.equal(family.status, 403, 'officers see coverage, not families');
    });

    test('the district sees coverage by village', async () => {
      const cov = await t.req('GET', '/api/survey/coverage?orgUnit=63', officer);
      assert.equal(cov.status, 200, JSON.stringify(cov.body));
      assert.deepEqual(cov.body.items.map((v: any) => [v.name, v.households, v.people, v.withAbha, v.withCard, v.enumerators]), [['Ladwa', 1, 3, 1, 0, 1]]);
      assert.equal((await t.req('GET', '/api/survey/coverage?orgUnit=22', officer)).status, 403);
      assert.equal((await t.req('GET', '/api/survey/coverage?orgUnit=63', asha.token)).status, 403);
    });
  });
}
