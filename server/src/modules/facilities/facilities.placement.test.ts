import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { importBoundaries } from '../geo/geo.boundaries.js';
import { importFacilities } from './facilities.import.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const HP_FILE = path.resolve(repoRoot, '../shared/data/geo/hp_districts.geojson');
const have = fs.existsSync(HP_FILE);

// Lucknow, far from Hisar; a point 3 km inside Kullu, 22 km from Mandi's headquarters.
const LUCKNOW = { latitude: 26.85, longitude: 80.95 };
const KULLU_NEAR_MANDI = { latitude: 31.87, longitude: 77.08 };

for (const engine of testEngines()) {
  describe(`facility coordinates lie in their district [${engine}]`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(engine); });
    after(async () => { await t.close(); });

    test('a point far from the district is refused, naming where it lies, in English and Hindi', async () => {
      const r = await t.req('POST', '/api/facilities', t.adminToken, facilityBody(LUCKNOW));
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.error.details.field, 'latitude/longitude');
      assert.equal(r.body.error.message, 'latitude/longitude: 26.85, 80.95 lies near Lucknow (Uttar Pradesh), not in Hisar; check the coordinates');
      const hi = await t.req('POST', '/api/facilities', t.adminToken, facilityBody(LUCKNOW), { 'accept-language': 'hi' });
      assert.equal(hi.status, 400);
      assert.equal(hi.body.error.message, 'latitude/longitude: 26.85, 80.95 Lucknow (उत्तर प्रदेश) के पास है, हिसार में नहीं; निर्देशांक जाँचें');

      const near = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ latitude: 29.4, longitude: 75.95 }));
      assert.equal(near.status, 201, JSON.stringify(near.body));
      const moved = await t.req('PATCH', `/api/facilities/${near.body.id}`, t.adminToken, LUCKNOW);
      assert.equal(moved.status, 400);
      assert.match(moved.body.error.message, /lies near Lucknow \(Uttar Pradesh\), not in Hisar/);
      const toMandi = await t.req('PATCH', `/api/facilities/${near.body.id}`, t.adminToken, { orgUnit: '22' });
      assert.equal(toMandi.status, 400, 'moving to a district 300 km away without new coordinates is refused');
      assert.match(toMandi.body.error.message, /lies near Hisar \(Haryana\), not in Mandi/);
      const both = await t.req('PATCH', `/api/facilities/${near.body.id}`, t.adminToken, { orgUnit: '22', latitude: 31.7, longitude: 76.93 });
      assert.equal(both.status, 200, JSON.stringify(both.body));
    });

    test('with the district outline imported, a point outside it is refused even near the headquarters', { skip: !have && 'hp_districts.geojson is missing' }, async () => {
      const before = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ orgUnit: '22', ...KULLU_NEAR_MANDI }));
      assert.equal(before.status, 201, 'without an outline, 22 km from the headquarters is plausible');
      const r = await importBoundaries(t.db.kysely, fs.readFileSync(HP_FILE, 'utf8'));
      assert.equal(r.stored, 12);

      const out = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ orgUnit: '22', ...KULLU_NEAR_MANDI }));
      assert.equal(out.status, 400, JSON.stringify(out.body));
      assert.equal(out.body.error.message, 'latitude/longitude: 31.87, 77.08 lies in Kullu (Himachal Pradesh), not in Mandi; check the coordinates');
      const hi = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ orgUnit: '22', ...KULLU_NEAR_MANDI }), { 'accept-language': 'hi' });
      assert.equal(hi.body.error.message, 'latitude/longitude: 31.87, 77.08 Kullu (हिमाचल प्रदेश) में है, मंडी में नहीं; निर्देशांक जाँचें');
      for (const p of [{ latitude: 31.7, longitude: 76.93 }, { latitude: 31.7, longitude: 77.0 }]) {
        const ok = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ orgUnit: '22', ...p }));
        assert.equal(ok.status, 201, JSON.stringify(ok.body));
      }
      // An edit that leaves the coordinates alone is not blocked by an old misplaced point.
      assert.equal((await t.req('PATCH', `/api/facilities/${before.body.id}`, t.adminToken, { beds: 4 })).status, 200);
      assert.equal((await t.req('PATCH', `/api/facilities/${before.body.id}`, t.adminToken, { latitude: 31.88 })).status, 400);
    });

    test('the directory import keeps a misplaced row without its coordinates, listing it with its line', async () => {
      const csv = [
        'Sr_No,Location_Coordinates,Hospital_Name,District,Address_First_Line,State,Pincode,Telephone',
        '1,"29.16, 75.72",Civil Hospital Hisar,Hisar,Red Square Market,Haryana,125001,01662-123456',
        '2,"26.85, 80.95",Lucknow Nursing Home,Hisar,Somewhere,Haryana,125001,0',
        '3,,Sunrise Clinic,Hisar,Main Road,Haryana,125001,0',
      ].join('\n');
      const r = await t.db.kysely.transaction().execute((trx) => importFacilities(trx, csv));
      assert.deepEqual([r.read, r.imported, r.refused.length], [3, 3, 0]);
      assert.deepEqual(r.warnings.misplaced, [{
        line: 3, srNo: '2', name: 'Lucknow Nursing Home', state: 'Haryana', district: 'Hisar',
        reason: 'latitude/longitude 26.85, 80.95 lies near Lucknow (Uttar Pradesh), not in Hisar; check the coordinates; kept without coordinates',
      }]);
      const kept = await t.db.kysely.selectFrom('facilities').select(['latitude', 'longitude']).where('source_ref', '=', '2').executeTakeFirstOrThrow();
      assert.deepEqual(kept, { latitude: null, longitude: null });
    });
  });
}
