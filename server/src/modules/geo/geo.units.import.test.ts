import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, testEngines, type TestApp } from '../../test/harness.js';

const CSV = { 'content-type': 'text/csv' };
const BLOCKS_HEADER = 'S.No.,State Code,State Name,District Code,District Name,Block Code,Block Version,Block Name ,Block Name';
const VILLAGES_HEADER = 'S.No.,State Code,State Name,District Code,District Name,Block Code,Village Code,Village Name (In English),Village Name (In Local)';

for (const engine of testEngines()) {
  describe(`demo blocks and villages [${engine}]`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(engine, { demo: true }); });
    after(async () => { await t.close(); });

    test('each demo district lists its blocks (LGD codes where LGD has blocks), each block its panchayats (Mandi, Hisar) or villages; an ASHA is assigned one', async () => {
      const hisar = await t.req('GET', '/api/geo/units/63/children', t.adminToken);
      assert.equal(hisar.status, 200);
      const blocks = hisar.body.items.filter((u: any) => u.level === 'block');
      assert.deepEqual(blocks.map((b: any) => b.lgdCode).sort(), [484, 485, 486, 487, 488, 489, 490, 491, 492]);
      assert.ok(blocks.some((b: any) => b.name === 'Hansi-I'));
      for (const [district, n] of [['63', 9], ['22', 14], ['212', 23], ['district:80', 3], ['district:671', 3]] as const) {
        const r = await t.req('GET', `/api/geo/units/${district}/children`, t.adminToken);
        const bs = r.body.items.filter((u: any) => u.level === 'block');
        assert.equal(bs.length, n, `blocks of ${district}`);
        // Mandi's and Hisar's blocks hold gram panchayats, each with its villages; the others villages.
        const withPanchayats = district === '63' || district === '22';
        for (const b of bs) {
          const v = await t.req('GET', `/api/geo/units/${b.id}/children`, t.adminToken);
          assert.equal(v.status, 200);
          assert.ok(v.body.items.length >= 1 && v.body.items.every((u: any) => u.level === (withPanchayats ? 'panchayat' : 'village')), `places of ${b.name}`);
          if (!withPanchayats) continue;
          for (const p of v.body.items) {
            const pv = await t.req('GET', `/api/geo/units/${p.id}/children`, t.adminToken);
            assert.ok(pv.body.items.length >= 1 && pv.body.items.every((u: any) => u.level === 'village'), `villages of ${p.name}`);
          }
        }
      }
      const patnaSadar = await t.req('GET', '/api/geo/units/block:1965', t.adminToken);
      assert.deepEqual([patnaSadar.body.name, patnaSadar.body.nameHi], ['Patna Sadar', 'पटना सदर']);

      const panchayat = (await t.req('GET', `/api/geo/units/${blocks[0].id}/children`, t.adminToken)).body.items[0];
      const mandiGps = await t.db.kysely.selectFrom('org_units').select(['code', 'path']).where('level', '=', 'panchayat').where('code', 'like', 'GP-22-%').execute();
      assert.ok(mandiGps.length >= 20, `Mandi has its demo panchayats (${mandiGps.length})`);
      const village = (await t.req('GET', `/api/geo/units/${panchayat.id}/children`, t.adminToken)).body.items[0];
      assert.equal(village.parentId, panchayat.id);
      const officer = (await t.userWith('district_officer', 63)).token;
      const asha = await t.userWith('asha', village.id);
      const assigned = await t.req('POST', '/api/survey/assignments', officer, { username: asha.username, area: village.id });
      assert.equal(assigned.status, 201, JSON.stringify(assigned.body));
    });
  });

  describe(`POST /api/geo/units/import [${engine}]`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(engine); });
    after(async () => { await t.close(); });

    const blocks = `${BLOCKS_HEADER}\n1,6,HARYANA,63,HISAR,484,1,ADAMPUR,\n2,6,HARYANA,63,HISAR,485,1,AGROHA,अग्रोहा\n`;
    const villages = `${VILLAGES_HEADER}\n1,6,HARYANA,63,HISAR,484,60001,ADAMPUR MANDI,\n2,6,HARYANA,63,HISAR,485,60002,SIWANI BOLAN,सिवानी बोलान\n`;

    test('a block officer (no can_import_geo) is refused before the body is read; a district officer outside their district; a state admin imports blocks then villages', async () => {
      const officer = (await t.userWith('block_officer', 63)).token;
      const refused = await t.req('POST', '/api/geo/units/import?level=blocks', officer, blocks, CSV);
      assert.equal(refused.status, 403, JSON.stringify(refused.body));
      const garbage = await t.req('POST', '/api/geo/units/import?level=blocks', officer, '\u0000not csv', CSV);
      assert.equal(garbage.status, 403);
      assert.equal(await t.db.kysely.selectFrom('org_units').where('level', '=', 'block').select('id').executeTakeFirst(), undefined);
      const mandiOfficer = (await t.userWith('district_officer', 22)).token;
      const outside = await t.req('POST', '/api/geo/units/import?level=blocks', mandiOfficer, blocks, CSV);
      assert.equal(outside.status, 403, JSON.stringify(outside.body));
      assert.match(outside.body.error.details.rows[0].reason, /outside your area/);

      const admin = (await t.userWith('admin', 'state:6')).token;
      const b = await t.req('POST', '/api/geo/units/import?level=blocks', admin, blocks, CSV);
      assert.equal(b.status, 200, JSON.stringify(b.body));
      assert.deepEqual(b.body, { level: 'blocks', added: 2, updated: 0, unchanged: 0 });
      const v = await t.req('POST', '/api/geo/units/import?level=villages', admin, villages, CSV);
      assert.equal(v.status, 200, JSON.stringify(v.body));
      assert.deepEqual(v.body, { level: 'villages', added: 2, updated: 0, unchanged: 0, under: 'block' });
      const agroha = await t.req('GET', '/api/geo/units/block:485/children', t.adminToken);
      assert.deepEqual(agroha.body.items.map((u: any) => [u.name, u.nameHi, u.lgdCode]), [['Siwani Bolan', 'सिवानी बोलान', 60002]]);
      const again = await t.req('POST', '/api/geo/units/import?level=villages', admin, villages, CSV);
      assert.deepEqual(again.body, { level: 'villages', added: 0, updated: 0, unchanged: 2, under: 'block' });
      const audit = await t.db.kysely.selectFrom('audit_log').where('action', '=', 'import').where('entity', '=', 'geo').select('id').execute();
      assert.equal(audit.length, 3);
    });

    test('bad rows are refused with their line numbers and nothing is written; another state is outside a state admin\'s area', async () => {
      const admin = (await t.userWith('admin', 'state:6')).token;
      const bad = `${VILLAGES_HEADER}\n1,6,HARYANA,63,HISAR,484,60011,KHARA,\n2,6,HARYANA,63,HISAR,99999,60012,NOWHERE,\n3,6,HARYANA,63,HISAR,484,x1,BAD CODE,\n4,6,HARYANA,63,HISAR,484,60011,REPEATED,\n`;
      const r = await t.req('POST', '/api/geo/units/import?level=villages', admin, bad, { ...CSV, 'accept-language': 'en' });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.deepEqual(r.body.error.details.rows.map((x: any) => x.line), [3, 4, 5]);
      assert.match(r.body.error.message, /line 3: Block Code 99999 is not a known block/);
      assert.match(r.body.error.message, /nothing was imported/);
      assert.equal(await t.db.kysely.selectFrom('org_units').where('lgd_code', '=', 60011).select('id').executeTakeFirst(), undefined);

      const mandi = `${BLOCKS_HEADER}\n1,2,HIMACHAL PRADESH,22,MANDI,175,3,BALH,\n`;
      const outside = await t.req('POST', '/api/geo/units/import?level=blocks', admin, mandi, CSV);
      assert.equal(outside.status, 403, JSON.stringify(outside.body));
      assert.match(outside.body.error.details.rows[0].reason, /outside your area/);
      const hp = (await t.userWith('admin', 'state:2')).token;
      assert.equal((await t.req('POST', '/api/geo/units/import?level=blocks', hp, mandi, CSV)).status, 200);

      const nul = await t.req('POST', '/api/geo/units/import?level=blocks', admin, `${BLOCKS_HEADER}\n1,6,HARYANA,63,HISAR,9002,1,AB,अ\u0000ब\n`, CSV);
      assert.equal(nul.status, 400, JSON.stringify(nul.body));
      assert.match(nul.body.error.details.rows[0].reason, /control character/);

      const wrongList = await t.req('POST', '/api/geo/units/import?level=blocks', admin, villages, CSV);
      assert.equal(wrongList.status, 400);
      assert.match(wrongList.body.error.message, /not the LGD block list/);
      const json = await t.req('POST', '/api/geo/units/import?level=blocks', admin, { rows: [] });
      assert.equal(json.status, 415);
      const noLevel = await t.req('POST', '/api/geo/units/import', admin, blocks, CSV);
      assert.equal(noLevel.status, 400);
    });
  });
}
