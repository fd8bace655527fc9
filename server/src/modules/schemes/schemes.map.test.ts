import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, testEngines, type TestApp } from '../../test/harness.js';

/**
 * The coverage map's geography (issue 15, part 6): outlines of gram panchayats imported by LGD code
 * through POST /api/geo/boundaries (made-up squares near Mandi, not real boundaries), then served for
 * the units of the figures, within the caller's area; a district without an outline is its
 * headquarters point, and a unit with neither is listed, never drawn.
 */

/** A square of `size` degrees with its south-west corner at (lon, lat), closed. */
const square = (lon: number, lat: number, size = 0.02) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]],
});
const feature = (properties: Record<string, unknown>, geometry: unknown) => ({ type: 'Feature', properties, geometry });

for (const engine of testEngines()) {
  describe(`HIMCARE coverage map [${engine}]`, () => {
    let t: TestApp;
    const tok: Record<string, string> = {};
    const H = '/api/schemes/himcare';
    const n = 600000 + Math.floor(Math.random() * 300000);
    const lgd = { gpA: n, gpB: n + 1, wardC: n + 2, hisarGp: n + 3, block: 9000 + (n % 900) };
    const ids: Record<string, string> = {};

    const ok = async (p: Promise<{ status: number; body: any }>, status = 200) => {
      const r = await p;
      assert.equal(r.status, status, JSON.stringify(r.body));
      return r.body;
    };
    const unit = async (parent: string, level: string, name: string, lgdCode: number) =>
      (await ok(t.req('POST', '/api/geo/units', t.adminToken, { parent, level, name, lgdCode }), 201)).id as string;

    before(async () => {
      t = await startTestApp(engine);
      tok.state = (await t.userWith('state_officer', 'state:2')).token;
      tok.district = (await t.userWith('district_officer', 22)).token;
      tok.kullu = (await t.userWith('district_officer', 20)).token;
      ids.block = await unit('district:22', 'block', `Map Block ${n}`, lgd.block);
      ids.gpA = await unit(ids.block, 'panchayat', `Map GP A ${n}`, lgd.gpA);
      ids.gpB = await unit(ids.block, 'panchayat', `Map GP B ${n}`, lgd.gpB);
      ids.wardC = await unit(ids.block, 'panchayat', `Map Ward C ${n}`, lgd.wardC);
      const hisarBlock = await unit('district:63', 'block', `Hisar Map Block ${n}`, lgd.block + 1);
      ids.hisarGp = await unit(hisarBlock, 'panchayat', `Hisar Map GP ${n}`, lgd.hisarGp);
    });
    after(async () => { await t.close(); });

    test('outlines of panchayats and wards are imported by LGD code; units outside the area and unknown codes are not placed', async () => {
      const doc = {
        type: 'FeatureCollection',
        features: [
          // A panchayat carries its district's code too: the most specific level is read.
          feature({ Dist_LGD: 22, GP_LGD: lgd.gpA, GP_NAME: 'Map GP A' }, square(76.9, 31.7)),
          // LGD's own column name for a local body (a ward here).
          feature({ 'Local Body Code': String(lgd.wardC), 'Local Body Name (In English)': 'Map Ward C' }, square(76.95, 31.7)),
          feature({ gp_lgd: lgd.hisarGp }, square(75.7, 29.1)),
          feature({ gp_lgd: 99999999 }, square(76.8, 31.6)),
          feature({ gp_lgd: lgd.gpB }, { type: 'Point', coordinates: [76.9, 31.75] }),
        ],
      };
      const r = await ok(t.req('POST', '/api/geo/boundaries', tok.district, doc));
      assert.equal(r.read, 5);
      assert.equal(r.stored, 2);
      assert.deepEqual(r.unplaced.map((u: any) => [u.feature, u.reason]), [
        [3, `Hisar Map GP ${n} (panchayat ${lgd.hisarGp}) is outside your area`],
        [4, 'no panchayat has LGD code 99999999'],
        [5, 'its geometry is a Point; only Polygon and MultiPolygon outlines are stored'],
      ]);
      // A bare lgd_code is read at the level the import names.
      const bare = await ok(t.req('POST', `/api/geo/boundaries?level=panchayat`, t.adminToken, { type: 'FeatureCollection', features: [feature({ lgd_code: lgd.hisarGp }, square(75.7, 29.1))] }));
      assert.equal(bare.stored, 1);
      // A GIS export's own media type; importing again replaces the outline.
      const geojson = JSON.stringify({ type: 'FeatureCollection', features: [feature({ gp_lgd: lgd.gpA }, square(76.9, 31.7))] });
      assert.equal((await ok(t.req('POST', '/api/geo/boundaries', tok.district, geojson, { 'content-type': 'application/geo+json' }))).stored, 1);
      assert.equal((await t.req('POST', '/api/geo/boundaries', tok.district, '{"type":', { 'content-type': 'application/geo+json' })).status, 400);
      assert.equal((await t.req('POST', '/api/geo/boundaries', tok.district, { type: 'Topology' })).status, 400);
      const doctor = (await t.userWith('doctor', 22)).token;
      assert.equal((await t.req('POST', '/api/geo/boundaries', doctor, doc)).status, 403, 'importing needs can_import_geo');
      assert.equal((await t.req('POST', '/api/geo/boundaries', null, doc)).status, 401);
    });

    test('the officers\' map: each unit of the figures with its outline, the rest listed; only the caller\'s area', async () => {
      const m = await ok(t.req('GET', `${H}/coverage/map?by=panchayat`, tok.district));
      assert.equal(m.type, 'FeatureCollection');
      assert.equal(m.by, 'panchayat');
      const a = m.features.find((f: any) => f.id === ids.gpA);
      assert.ok(a, 'GP A has its outline');
      assert.equal(a.properties.shape, 'outline');
      assert.equal(a.properties.lgdCode, lgd.gpA);
      assert.equal(a.geometry.type, 'Polygon');
      assert.deepEqual(a.geometry.coordinates[0][0], [76.9, 31.7]);
      assert.ok(m.features.some((f: any) => f.id === ids.wardC), 'the ward has its outline');
      assert.ok(m.noShape.some((u: any) => u.unitId === ids.gpB && u.name === `Map GP B ${n}`), 'GP B has no outline: listed, not drawn');
      assert.ok(!m.features.some((f: any) => f.id === ids.gpB));
      const all = JSON.stringify(m);
      assert.ok(!all.includes(ids.hisarGp), 'nothing of Hisar');
      // The same units as the figures' rows.
      const figures = await ok(t.req('GET', `${H}/coverage?by=panchayat`, tok.district));
      assert.deepEqual(new Set(figures.items.map((r: any) => r.unitId)), new Set([...m.features.map((f: any) => f.id), ...m.noShape.map((u: any) => u.unitId)]));
      // Kullu's officer sees none of Mandi's.
      const kullu = await ok(t.req('GET', `${H}/coverage/map?by=panchayat`, tok.kullu));
      assert.ok(!JSON.stringify(kullu).includes(ids.gpA));
      // By district, a district without an imported outline is its headquarters town, a point.
      const byDistrict = await ok(t.req('GET', `${H}/coverage/map?by=district`, tok.state));
      const mandi = byDistrict.features.find((f: any) => f.properties.lgdCode === 22);
      assert.equal(mandi.properties.shape, 'headquarters');
      assert.deepEqual(mandi.geometry, { type: 'Point', coordinates: [76.9308, 31.7118] });
      assert.equal(byDistrict.features.length + byDistrict.noShape.length, 12);
      const operator = (await t.userWith('facility_operator', 22)).token;
      assert.equal((await t.req('GET', `${H}/coverage/map`, operator)).status, 403);
      assert.equal((await t.req('GET', `${H}/coverage/map?by=village`, tok.district)).status, 400);
      assert.equal((await t.req('GET', `${H}/coverage/map`, null)).status, 401);
    });

    test('the public map: districts or blocks of the scheme\'s state, without signing in', async () => {
      const districts = await ok(t.req('GET', '/api/public/schemes/himcare/coverage/map', null));
      assert.equal(districts.by, 'district');
      assert.equal(districts.features.length, 12, 'each of Himachal\'s 12 districts at its headquarters');
      assert.ok(districts.features.every((f: any) => f.properties.shape === 'headquarters' && f.geometry.type === 'Point'));
      // A district outline imported: that district is drawn by it.
      await ok(t.req('POST', '/api/geo/boundaries', t.adminToken, { type: 'FeatureCollection', features: [feature({ Dist_LGD: 22 }, square(76.5, 31.4, 0.6))] }));
      const after = await ok(t.req('GET', '/api/public/schemes/himcare/coverage/map?by=district', null));
      assert.equal(after.features.find((f: any) => f.properties.lgdCode === 22).properties.shape, 'outline');
      // The geography API keeps answering district outlines unless asked for another level (the facility map draws those).
      const geo = await ok(t.req('GET', '/api/geo/boundaries?orgUnit=district:22', tok.district));
      assert.deepEqual(geo.features.map((f: any) => f.properties.level), ['district']);
      const gps = await ok(t.req('GET', '/api/geo/boundaries?orgUnit=district:22&level=panchayat', tok.district));
      assert.deepEqual(new Set(gps.features.map((f: any) => f.properties.id)), new Set([ids.gpA, ids.wardC]));
      const blocks = await ok(t.req('GET', '/api/public/schemes/himcare/coverage/map?by=block', null));
      assert.ok(blocks.noShape.some((u: any) => u.unitId === ids.block), 'a block without an outline is listed');
      assert.equal((await t.req('GET', '/api/public/schemes/himcare/coverage/map?by=panchayat', null)).status, 400, 'the public map stops at blocks');
      assert.equal((await t.req('GET', '/api/public/schemes/himcare/coverage/map?state=98', null)).status, 400);
    });
  });
}
