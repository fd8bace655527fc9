import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { importIcdCodes } from '../patients/patients.visits.js';

for (const engine of testEngines()) {
  describe(`ICD-10 codes on a fresh database [${engine}]`, () => {
    let t: TestApp;
    let token = '';
    let facility = '';
    const find = async (query: string) => {
      const r = await t.req('GET', `/api/codes/icd10?${query}`, token);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body as { items: { code: string; title: string; titleHi: string | null }[]; more: boolean };
    };
    const q = (text: string, more = '') => find(`q=${encodeURIComponent(text)}${more}`);
    before(async () => {
      t = await startTestApp(engine);
      const r = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Adampur' }));
      assert.equal(r.status, 201, JSON.stringify(r.body));
      facility = r.body.id;
      token = (await t.userWith('facility_operator', facility)).token;
    });
    after(() => t?.close());

    test('the built-in list is there with no import: by code prefix, dotted or not, any case', async () => {
      assert.equal((await t.db.kysely.selectFrom('icd_codes').select('code').limit(1).execute()).length, 0, 'nothing imported');
      const j18 = await q('J18');
      assert.deepEqual(j18.items[0], { code: 'J18', title: 'Pneumonia, unspecified organism', titleHi: 'निमोनिया' });
      assert.equal((await q('a09')).items[0].code, 'A09');
      const a01 = await q('A01');
      assert.deepEqual(a01.items.map((i) => i.code), ['A01', 'A01.0', 'A01.1', 'A01.2', 'A01.3', 'A01.4']);
      assert.deepEqual((await q('a01.0')).items, [{ code: 'A01.0', title: 'Typhoid fever', titleHi: 'टाइफाइड बुखार' }]);
      assert.equal((await q('Q99.99')).items.length, 0);
    });

    test('by English words in any order, the title that starts with them first', async () => {
      assert.equal((await q('typhoid fever')).items[0].code, 'A01.0');
      const malaria = (await q('malaria', '&limit=100')).items.map((i) => i.code);
      for (const code of ['B50', 'B51', 'B54']) assert.ok(malaria.includes(code), `${code} in ${malaria}`);
      assert.ok((await q('hypertension essential')).items.some((i) => i.code === 'I10'));
      assert.equal((await q('dengue')).items[0].code, 'A90');
      assert.deepEqual((await q('no such disease at all')).items, []);
    });

    test('by Hindi words for the HMIS and IDSP conditions', async () => {
      assert.deepEqual((await q('मलेरिया')).items.map((i) => i.code).sort(), ['B50', 'B51', 'B54']);
      assert.equal((await q('उच्च रक्तचाप')).items[0].code, 'I10');
      assert.equal((await q('निमोनिया')).items[0].code, 'J18');
      assert.equal((await q('टाइफाइड')).items[0].code, 'A01');
      assert.deepEqual((await q('डेंगू')).items.map((i) => i.code), ['A90', 'A91']);
      assert.equal((await q('मधुमेह')).items.length, 2, 'type 1 and type 2 diabetes');
      assert.equal((await q('ज़ुकाम')).items[0].code, 'J00');
      assert.equal((await q('जुकाम')).items[0].code, 'J00', 'with or without the nukta');
    });

    test('pages with limit and offset; more says whether there is a next page', async () => {
      const ten = await q('tuberculosis', '&limit=10');
      assert.equal(ten.items.length, 10);
      assert.equal(ten.more, true);
      const first = await q('tuberculosis', '&limit=5');
      const second = await q('tuberculosis', '&limit=5&offset=5');
      assert.deepEqual([...first.items, ...second.items], ten.items);
      const last = await q('A02', '&limit=5');
      assert.equal(last.items.length, 4);
      assert.equal(last.more, false);
      assert.equal((await q('fever')).items.length, 20, 'twenty by default');
      for (const bad of ['q=', 'q=x&limit=0', 'q=x&limit=101', 'q=x&offset=-1', 'limit=5']) {
        const r = await t.req('GET', `/api/codes/icd10?${bad}`, token);
        assert.equal(r.status, 400, bad);
      }
    });

    test('a state\'s own list extends the built-in one and names the codes it has', async () => {
      const loaded = await importIcdCodes(t.db.kysely, 'code,title,title_hi\nJ18,"Pneumonia, organism not stated",निमोनिया (राज्य सूची)\nU07.1,COVID-19,कोविड-19\n');
      assert.equal(loaded.stored, 2);
      assert.deepEqual((await q('J18')).items[0], { code: 'J18', title: 'Pneumonia, organism not stated', titleHi: 'निमोनिया (राज्य सूची)' });
      assert.equal((await q('pneumonia')).items.filter((i) => i.code === 'J18').length, 1, 'once, with the state\'s title');
      assert.deepEqual((await q('covid')).items.map((i) => i.code), ['U07.1']);
      assert.deepEqual((await q('कोविड')).items.map((i) => i.code), ['U07.1']);
      assert.equal((await q('U07')).items[0].title, 'COVID-19');
      await t.db.kysely.deleteFrom('icd_codes').execute();
    });

    test('visits take codes of the built-in list (and WHO subcodes of its categories) and show them by name', async () => {
      const p = await t.req('POST', '/api/patients', token, { name: 'Aarav Kumar', sex: 'male', age: 3, address: { district: 63 } });
      assert.equal(p.status, 201, JSON.stringify(p.body));
      const bad = await t.req('POST', '/api/opd/visits', token, { patientId: p.body.id, diagnoses: ['Z99.99'] });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /Z99\.?99.*not in the ICD-10 list/);
      const v = await t.req('POST', '/api/opd/visits', token, { patientId: p.body.id, diagnoses: ['J18.9', 'B54'] });
      assert.equal(v.status, 201, JSON.stringify(v.body));
      assert.equal(v.body.warnings, undefined, 'a list is always loaded');
      const list = await t.req('GET', `/api/patients/${p.body.id}/visits`, token);
      assert.deepEqual(list.body.items[0].diagnoses, [
        { code: 'J18.9', title: 'Pneumonia, unspecified organism', titleHi: 'निमोनिया' },
        { code: 'B54', title: 'Unspecified malaria', titleHi: 'मलेरिया, अनिर्दिष्ट' },
      ]);
    });
  });
}
