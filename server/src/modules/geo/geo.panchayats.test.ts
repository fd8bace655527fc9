import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, testEngines, type TestApp } from '../../test/harness.js';

const CSV = { 'content-type': 'text/csv', 'accept-language': 'en' };
const BLOCKS_HEADER = 'S.No.,State Code,State Name,District Code,District Name,Block Code,Block Version,Block Name ,Block Name';
const VILLAGES_HEADER = 'S.No.,State Code,State Name,District Code,District Name,Block Code,Village Code,Village Name (In English),Village Name (In Local)';
// LGD's local-body list (one row per gram panchayat) and its village–gram panchayat mapping (one row per village).
const GP_HEADER = 'S.No.,State Code,District Code,Development Block Code,Local Body Code,Local Body Version,Local Body Name (In English),Local Body Name (In Local),Local Body Type Name';
const MAP_HEADER = 'S.No.,State Code,District Code,Development Block Code,Local Body Code,Local Body Name (In English),Local Body Name (In Local),Local Body Type Name,Village Code,Village Name (In English)';

for (const engine of testEngines()) {
  describe(`POST /api/geo/units/import?level=panchayats [${engine}]`, () => {
    let t: TestApp;
    let admin: string;
    before(async () => {
      t = await startTestApp(engine);
      admin = (await t.userWith('admin', 'state:6')).token;
      const blocks = `${BLOCKS_HEADER}\n1,6,HARYANA,63,HISAR,484,1,ADAMPUR,\n2,6,HARYANA,63,HISAR,485,1,AGROHA,\n`;
      assert.equal((await t.req('POST', '/api/geo/units/import?level=blocks', admin, blocks, CSV)).status, 200);
      const villages = `${VILLAGES_HEADER}\n1,6,HARYANA,63,HISAR,484,60001,ADAMPUR MANDI,\n2,6,HARYANA,63,HISAR,484,60002,KHARA BARWALA,\n3,6,HARYANA,63,HISAR,485,60003,SIWANI BOLAN,सिवानी बोलान\n`;
      assert.equal((await t.req('POST', '/api/geo/units/import?level=villages', admin, villages, CSV)).status, 200);
    });
    after(async () => { await t.close(); });

    const gps = `${GP_HEADER}\n1,6,63,484,170001,1,ADAMPUR,आदमपुर,Gram Panchayat\n2,6,63,485,170002,1,SIWANI BOLAN,सिवानी बोलान,Gram Panchayat\n`;
    const mapping = `${MAP_HEADER}\n1,6,63,484,170001,ADAMPUR,आदमपुर,Gram Panchayat,60001,ADAMPUR MANDI\n2,6,63,484,170001,ADAMPUR,आदमपुर,Gram Panchayat,60002,KHARA BARWALA\n3,6,63,485,170002,SIWANI BOLAN,सिवानी बोलान,Gram Panchayat,60003,SIWANI BOLAN\n`;

    test('a Mandi officer is refused Hisar\'s panchayats; a block officer has no import; a Hisar officer imports the list, again changes nothing', async () => {
      const mandi = (await t.userWith('district_officer', 22)).token;
      const outside = await t.req('POST', '/api/geo/units/import?level=panchayats', mandi, gps, CSV);
      assert.equal(outside.status, 403, JSON.stringify(outside.body));
      assert.match(outside.body.error.details.rows[0].reason, /Development Block Code 484 \(Adampur\) is outside your area/);
      const blockOfficer = (await t.userWith('block_officer', 63)).token;
      assert.equal((await t.req('POST', '/api/geo/units/import?level=panchayats', blockOfficer, gps, CSV)).status, 403);
      assert.equal(await t.db.kysely.selectFrom('org_units').where('level', '=', 'panchayat').select('id').executeTakeFirst(), undefined);

      const hisar = (await t.userWith('district_officer', 63)).token;
      const r = await t.req('POST', '/api/geo/units/import?level=panchayats', hisar, gps, CSV);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body, { level: 'panchayats', added: 2, updated: 0, unchanged: 0, villagesMoved: 0, villagesUnchanged: 0 });
      const again = await t.req('POST', '/api/geo/units/import?level=panchayats', hisar, gps, CSV);
      assert.deepEqual(again.body, { level: 'panchayats', added: 0, updated: 0, unchanged: 2, villagesMoved: 0, villagesUnchanged: 0 });
      const adampur = await t.req('GET', '/api/geo/units/block:484/children', t.adminToken);
      assert.deepEqual(adampur.body.items.map((u: any) => [u.level, u.name, u.nameHi, u.lgdCode]).filter((x: any) => x[0] === 'panchayat'), [['panchayat', 'Adampur', 'आदमपुर', 170001]]);
    });

    test('the village–panchayat mapping puts each village under its panchayat with its id, survey and path; again changes nothing', async () => {
      const before = await t.db.kysely.selectFrom('org_units').selectAll().where('level', '=', 'village').where('lgd_code', '=', 60001).executeTakeFirstOrThrow();
      const officer = (await t.userWith('district_officer', 63)).token;
      const asha = await t.userWith('asha', before.id);
      assert.equal((await t.req('POST', '/api/survey/assignments', officer, { username: asha.username, area: before.id })).status, 201);

      const r = await t.req('POST', '/api/geo/units/import?level=panchayats', admin, mapping, CSV);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body, { level: 'panchayats', added: 0, updated: 0, unchanged: 2, villagesMoved: 3, villagesUnchanged: 0 });
      const gp = await t.db.kysely.selectFrom('org_units').selectAll().where('level', '=', 'panchayat').where('lgd_code', '=', 170001).executeTakeFirstOrThrow();
      const moved = await t.db.kysely.selectFrom('org_units').selectAll().where('id', '=', before.id).executeTakeFirstOrThrow();
      assert.deepEqual([moved.parent_id, moved.path], [gp.id, `${gp.path}${before.id}/`]);
      const assignment = await t.db.kysely.selectFrom('survey_assignments').select('area_path').where('area_id', '=', before.id).executeTakeFirstOrThrow();
      assert.equal(assignment.area_path, moved.path, 'stored copies of the path follow the village');

      // The hierarchy: block → panchayats → villages.
      const block = await t.req('GET', '/api/geo/units/block:484/children', t.adminToken);
      assert.deepEqual(block.body.items.map((u: any) => [u.level, u.lgdCode]), [['panchayat', 170001]]);
      const villages = await t.req('GET', `/api/geo/units/${gp.id}/children`, t.adminToken);
      assert.deepEqual(villages.body.items.map((u: any) => [u.level, u.lgdCode]).sort(), [['village', 60001], ['village', 60002]]);
      const places = await t.req('GET', '/api/geo/units/panchayat:170001/places', t.adminToken);
      assert.equal(places.status, 200);
      assert.deepEqual(places.body.ancestors.map((u: any) => u.level), ['state', 'district', 'block']);

      const again = await t.req('POST', '/api/geo/units/import?level=panchayats', admin, mapping, CSV);
      assert.deepEqual(again.body, { level: 'panchayats', added: 0, updated: 0, unchanged: 2, villagesMoved: 0, villagesUnchanged: 3 });
    });

    test('parallel imports take turns: the same new panchayat is added once, a village sent to two panchayats ends under one with the path to match', async () => {
      const one = `${MAP_HEADER}\n1,6,63,485,170030,BOLAN KHURD,,Gram Panchayat,60003,SIWANI BOLAN\n`;
      const two = `${MAP_HEADER}\n1,6,63,485,170031,BOLAN KALAN,,Gram Panchayat,60003,SIWANI BOLAN\n`;
      const [a, b, c] = await Promise.all([
        t.req('POST', '/api/geo/units/import?level=panchayats', admin, one, CSV),
        t.req('POST', '/api/geo/units/import?level=panchayats', admin, one, CSV),
        t.req('POST', '/api/geo/units/import?level=panchayats', admin, two, CSV),
      ]);
      assert.deepEqual([a.status, b.status, c.status], [200, 200, 200], JSON.stringify([a.body, b.body, c.body]));
      assert.deepEqual([a.body.added + b.body.added, a.body.unchanged + b.body.unchanged], [1, 1]);
      const v = await t.db.kysely.selectFrom('org_units').selectAll().where('level', '=', 'village').where('lgd_code', '=', 60003).executeTakeFirstOrThrow();
      const parent = await t.db.kysely.selectFrom('org_units').selectAll().where('id', '=', v.parent_id!).executeTakeFirstOrThrow();
      assert.ok([170030, 170031].includes(parent.lgd_code!));
      assert.equal(v.path, `${parent.path}${v.id}/`);
    });

    test('bad rows are refused with their lines and nothing is written', async () => {
      const bad = [
        MAP_HEADER,
        '1,6,63,484,170009,KHARAR,,Gram Panchayat,60002,KHARA BARWALA',
        '2,6,63,484,170010,NOWHERE,,Gram Panchayat,69999,NOWHERE',
        '3,6,63,99999,170011,LOST,,Gram Panchayat,60003,SIWANI BOLAN',
        '4,6,63,484,170012,ADAMPUR,,Panchayat Samiti,60001,ADAMPUR MANDI',
        '5,6,63,484,170009,KHARAR,,Gram Panchayat,60002,KHARA BARWALA',
        '6,6,63,484,170013,OTHER,,Gram Panchayat,60002,KHARA BARWALA',
        '7,6,63,484,x,BROKEN,,Gram Panchayat,60001,ADAMPUR MANDI',
      ].join('\n');
      const r = await t.req('POST', '/api/geo/units/import?level=panchayats', admin, bad, CSV);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.deepEqual(r.body.error.details.rows.map((x: any) => x.line), [3, 4, 5, 7, 8]);
      assert.match(r.body.error.message, /line 3: Village Code 69999 is not a known village/);
      assert.match(r.body.error.message, /line 4: Development Block Code 99999 is not a known block/);
      assert.match(r.body.error.message, /line 5: Local Body Code 170012 is a Panchayat Samiti, not a gram panchayat or ward/);
      assert.match(r.body.error.message, /line 7: Village Code 60002 is mapped to Local Body Code 170009 on line 2 already/);
      assert.equal(await t.db.kysely.selectFrom('org_units').where('level', '=', 'panchayat').where('lgd_code', '=', 170009).select('id').executeTakeFirst(), undefined);
      const village = await t.db.kysely.selectFrom('org_units').select('parent_id').where('level', '=', 'village').where('lgd_code', '=', 60002).executeTakeFirstOrThrow();
      const gp = await t.db.kysely.selectFrom('org_units').select('id').where('level', '=', 'panchayat').where('lgd_code', '=', 170001).executeTakeFirstOrThrow();
      assert.equal(village.parent_id, gp.id, 'nothing moved');

      const intermediate = `S.No.,Local Body Code,Local Body Name (In English),Local Body Type Name,Intermediate/Block Panchayat Code\n1,170020,X,Gram Panchayat,4130\n`;
      const wrong = await t.req('POST', '/api/geo/units/import?level=panchayats', admin, intermediate, CSV);
      assert.equal(wrong.status, 400);
      assert.match(wrong.body.error.message, /no "Development Block Code" column .*intermediate panchayat code is another series/);
    });
  });
}
