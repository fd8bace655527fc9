import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, testEngines, type TestApp } from '../../test/harness.js';

for (const engine of testEngines()) {
  describe(`places: add, rename, list [${engine}]`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(engine); });
    after(async () => { await t.close(); });

    test('the admin adds a block under a district and a village under it; the district lists them with counts, paged, and finds them by either name', async () => {
      const block = await t.req('POST', '/api/geo/units', t.adminToken, { parent: 'district:63', level: 'block', name: '  Test  Block ', nameHi: 'टेस्ट ब्लॉक' });
      assert.equal(block.status, 201, JSON.stringify(block.body));
      assert.equal(block.body.name, 'Test Block');
      assert.equal(block.body.level, 'block');
      assert.equal(block.body.lgdCode, null);
      for (let i = 1; i <= 7; i++) {
        const v = await t.req('POST', '/api/geo/units', t.adminToken, { parent: block.body.id, level: 'village', name: `Gaon ${i}`, nameHi: `गाँव ${i}`, ...(i === 1 ? { lgdCode: 990001 } : {}) });
        assert.equal(v.status, 201, JSON.stringify(v.body));
      }
      const hisar = await t.req('GET', '/api/geo/units/district:63/places', t.adminToken);
      assert.equal(hisar.status, 200, JSON.stringify(hisar.body));
      assert.equal(hisar.body.unit.level, 'district');
      assert.deepEqual(hisar.body.ancestors.map((a: any) => a.level), ['state']);
      assert.deepEqual(hisar.body.canAdd, ['block', 'village']);
      const listed = hisar.body.items.find((u: any) => u.id === block.body.id);
      assert.equal(listed.childCount, 7);
      const page1 = await t.req('GET', `/api/geo/units/${block.body.id}/places?limit=5`, t.adminToken);
      assert.equal(page1.body.total, 7);
      assert.deepEqual(page1.body.items.map((u: any) => u.name), ['Gaon 1', 'Gaon 2', 'Gaon 3', 'Gaon 4', 'Gaon 5']);
      const page2 = await t.req('GET', `/api/geo/units/${block.body.id}/places?limit=5&offset=5`, t.adminToken);
      assert.deepEqual(page2.body.items.map((u: any) => u.name), ['Gaon 6', 'Gaon 7']);
      const byHindi = await t.req('GET', `/api/geo/units/district:63/places?q=${encodeURIComponent('गाँव 3')}`, t.adminToken);
      assert.deepEqual(byHindi.body.items.map((u: any) => u.name), ['Gaon 3']);
      const byEnglish = await t.req('GET', '/api/geo/units/district:63/places?q=gaon%207', t.adminToken);
      assert.deepEqual(byEnglish.body.items.map((u: any) => u.nameHi), ['गाँव 7']);
      const pct = await t.req('GET', '/api/geo/units/district:63/places?q=%25', t.adminToken);
      assert.equal(pct.body.total, 0, 'a % in the search is a character, not a wildcard');
      const audit = await t.db.kysely.selectFrom('audit_log').where('entity', '=', 'org_unit').where('action', '=', 'create').select('entity_id').execute();
      assert.equal(audit.length, 8);
    });

    test('a district officer adds and renames inside the district only; a role without the permission is refused before the body is read', async () => {
      const officer = (await t.userWith('district_officer', 63)).token;
      const b = await t.req('POST', '/api/geo/units', officer, { parent: '63', level: 'block', name: 'Officer Block' });
      assert.equal(b.status, 201, JSON.stringify(b.body));
      const mandi = await t.req('POST', '/api/geo/units', officer, { parent: 'district:22', level: 'block', name: 'Not Mine' });
      assert.equal(mandi.status, 403, JSON.stringify(mandi.body));
      const p = await t.req('POST', '/api/geo/units', officer, { parent: b.body.id, level: 'panchayat', name: 'Panchayat One' });
      assert.equal(p.status, 201);
      const v = await t.req('POST', '/api/geo/units', officer, { parent: p.body.id, level: 'village', name: 'Chak' });
      assert.equal(v.status, 201);
      const renamed = await t.req('PATCH', `/api/geo/units/${v.body.id}`, officer, { name: 'Chak Khurd', nameHi: 'चक खुर्द', lgdCode: 990101 });
      assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
      assert.deepEqual([renamed.body.name, renamed.body.nameHi, renamed.body.lgdCode], ['Chak Khurd', 'चक खुर्द', 990101]);
      const byLgd = await t.req('GET', '/api/geo/units/village:990101', officer);
      assert.equal(byLgd.body.id, v.body.id);
      const audit = await t.db.kysely.selectFrom('audit_log').where('entity_id', '=', v.body.id).where('action', '=', 'update').select(['before', 'after']).executeTakeFirstOrThrow();
      assert.match(JSON.stringify(audit.before), /"Chak"/);
      assert.match(JSON.stringify(audit.after), /Chak Khurd/);

      const mandiBlock = await t.req('POST', '/api/geo/units', t.adminToken, { parent: 'district:22', level: 'block', name: 'Mandi Test' });
      assert.equal(mandiBlock.status, 201);
      const other = await t.req('PATCH', `/api/geo/units/${mandiBlock.body.id}`, officer, { name: 'Taken Over' });
      assert.equal(other.status, 403, JSON.stringify(other.body));
      const district = await t.req('PATCH', '/api/geo/units/district:63', officer, { name: 'Renamed' });
      assert.ok([403, 404].includes(district.status), JSON.stringify(district.body));
      const state = (await t.userWith('state_officer', 'state:2')).token;
      assert.equal((await t.req('POST', '/api/geo/units', state, { parent: '63', level: 'block', name: 'X' })).status, 403);

      const doctor = (await t.userWith('block_officer', 63)).token;
      const garbage = await t.req('POST', '/api/geo/units', doctor, '{not json');
      assert.equal(garbage.status, 403);
      const garbagePatch = await t.req('PATCH', `/api/geo/units/${v.body.id}`, doctor, '{not json');
      assert.equal(garbagePatch.status, 403);
    });

    test('bad input is a 400 naming the field; a repeated name or LGD code is a 409', async () => {
      const hi = { 'accept-language': 'en' };
      const b = await t.req('POST', '/api/geo/units', t.adminToken, { parent: '63', level: 'block', name: 'Rules Block', lgdCode: 990201 });
      assert.equal(b.status, 201);
      const devanagari = await t.req('POST', '/api/geo/units', t.adminToken, { parent: b.body.id, level: 'village', name: 'गाँव', nameHi: 'Gaon' }, hi);
      assert.equal(devanagari.status, 400);
      assert.deepEqual(devanagari.body.error.details.fields.map((f: any) => f.field), ['name', 'nameHi']);
      const wrongLevel = await t.req('POST', '/api/geo/units', t.adminToken, { parent: '63', level: 'panchayat', name: 'P' }, hi);
      assert.equal(wrongLevel.status, 400);
      assert.match(wrongLevel.body.error.message, /under a district add a block or village/);
      const same = await t.req('POST', '/api/geo/units', t.adminToken, { parent: '63', level: 'block', name: 'rules  BLOCK' }, hi);
      assert.equal(same.status, 409, JSON.stringify(same.body));
      assert.equal(same.body.error.details.field, 'name');
      const lgd = await t.req('POST', '/api/geo/units', t.adminToken, { parent: '63', level: 'block', name: 'Another', lgdCode: 990201 }, hi);
      assert.equal(lgd.status, 409);
      assert.equal(lgd.body.error.details.field, 'lgdCode');
      const two = await t.req('POST', '/api/geo/units', t.adminToken, { parent: '63', level: 'block', name: 'Second Block' });
      const rename = await t.req('PATCH', `/api/geo/units/${two.body.id}`, t.adminToken, { name: 'Rules Block' }, hi);
      assert.equal(rename.status, 409);
      const caseOnly = await t.req('PATCH', `/api/geo/units/${b.body.id}`, t.adminToken, { name: 'Rules block' });
      assert.equal(caseOnly.status, 200, 'a unit may change the case of its own name');
      const nothing = await t.req('PATCH', `/api/geo/units/${b.body.id}`, t.adminToken, {});
      assert.equal(nothing.status, 400);
      const digitsCode = await t.req('POST', '/api/geo/units', t.adminToken, { parent: '63', level: 'block', name: 'Coded', code: '12345' });
      assert.equal(digitsCode.status, 400);
      const coded = await t.req('POST', '/api/geo/units', t.adminToken, { parent: '63', level: 'block', name: 'Coded', code: 'HSR-B-01' });
      assert.equal(coded.status, 201);
      const codeAgain = await t.req('POST', '/api/geo/units', t.adminToken, { parent: '63', level: 'block', name: 'Coded 2', code: 'HSR-B-01' });
      assert.equal(codeAgain.status, 409);
      assert.equal((await t.req('GET', '/api/geo/units/HSR-B-01', t.adminToken)).body.id, coded.body.id);
    });

    test('parallel adds of one name, or one LGD code, make one unit; the others get 409, never 500', async () => {
      const b = await t.req('POST', '/api/geo/units', t.adminToken, { parent: '63', level: 'block', name: 'Race Block' });
      const same = await Promise.all(Array.from({ length: 8 }, () => t.req('POST', '/api/geo/units', t.adminToken, { parent: b.body.id, level: 'village', name: 'Rampur' })));
      assert.deepEqual(same.map((r) => r.status).sort(), [201, 409, 409, 409, 409, 409, 409, 409], JSON.stringify(same.map((r) => r.body)));
      const code = await Promise.all(Array.from({ length: 8 }, (_, i) => t.req('POST', '/api/geo/units', t.adminToken, { parent: b.body.id, level: 'village', name: `Lgd ${i}`, lgdCode: 990301 })));
      assert.deepEqual(code.map((r) => r.status).sort(), [201, 409, 409, 409, 409, 409, 409, 409]);
      const v = same.find((r) => r.status === 201)!.body.id;
      const others = await Promise.all(['Sultanpur', 'Sultanpur', 'Sultanpur'].map(async (name, i) => {
        const x = await t.req('POST', '/api/geo/units', t.adminToken, { parent: b.body.id, level: 'village', name: `Other ${i}` });
        return t.req('PATCH', `/api/geo/units/${x.body.id}`, t.adminToken, { name });
      }));
      assert.deepEqual(others.map((r) => r.status).sort(), [200, 409, 409]);
      const rows = await t.db.kysely.selectFrom('org_units').where('parent_id', '=', b.body.id).where('name', '=', 'Rampur').select('id').execute();
      assert.deepEqual(rows.map((r) => r.id), [v]);
    });

    test('malformed input is a 4xx, never a 5xx', async () => {
      const b = await t.req('POST', '/api/geo/units', t.adminToken, { parent: '63', level: 'block', name: 'Fuzz Block' });
      const bodies: unknown[] = [
        { parent: '63', level: 'block', name: 'a\u0000b' }, { parent: '63', level: 'block', name: 'a\ud800b' }, { parent: 'a\u0000b', level: 'block', name: 'x' },
        { parent: '63', level: 'block', name: 'x'.repeat(5000) }, { parent: '63', level: 'block', name: 'x', lgdCode: 1e300 }, { parent: '63', level: 'block', name: 'x', lgdCode: '12' },
        { parent: '63', level: 'block', name: 'x', nameHi: 'अ\u0000' }, { parent: '63', level: 'block', name: 'x', code: 'a b' }, { parent: 63, level: 'block', name: 'x' },
        { parent: '99999', level: 'block', name: 'x' }, { parent: 'IN', level: 'block', name: 'x' }, { parent: '63', level: 'state', name: 'x' }, null, [], 'x',
      ];
      for (const body of bodies) {
        const r = await t.req('POST', '/api/geo/units', t.adminToken, body === null ? 'null' : body);
        assert.ok(r.status >= 400 && r.status < 500, `${JSON.stringify(body)} → ${r.status} ${JSON.stringify(r.body)}`);
        const p = await t.req('PATCH', `/api/geo/units/${b.body.id}`, t.adminToken, body === null ? 'null' : body);
        assert.ok(p.status >= 400 && p.status < 500, `PATCH ${JSON.stringify(body)} → ${p.status}`);
      }
      for (const url of ['/api/geo/units/63/places?q=%00', '/api/geo/units/63/places?q=%ED%A0%80', '/api/geo/units/63/places?limit=0', '/api/geo/units/%00/places', '/api/geo/units/63/places?offset=-1']) {
        const r = await t.req('GET', url, t.adminToken);
        assert.ok(r.status < 500, `${url} → ${r.status}`);
      }
      assert.equal((await t.req('PATCH', '/api/geo/units/a%00b', t.adminToken, { name: 'x' })).status < 500, true);
    });

    test('the database itself refuses a second unit of one name under one parent (units without an LGD code)', async () => {
      const b = await t.req('POST', '/api/geo/units', t.adminToken, { parent: '63', level: 'block', name: 'Index Block' });
      const row = (id: string, name: string) => ({ id, level: 'village' as const, name, parent_id: b.body.id, path: `${b.body.path}${id}/`, lgd_code: null, state_lgd: 6 });
      await t.db.kysely.insertInto('org_units').values(row('Idxvillage1', 'Kheri')).execute();
      await assert.rejects(t.db.kysely.insertInto('org_units').values(row('Idxvillage2', ' KHERI ')).execute(), /org_units_sibling_name|duplicate key/);
    });
  });
}
