import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { hasShared, readShared } from '../../test/shared.js';

const D = (f: string) => ['fixtures', 'dhis2', f] as const;
const skip = !hasShared(...D('dhis2-core_e2e_aggregate_metadata.json')) && 'needs ../shared';

/** The DHIS2 e2e org units, created under Hisar with their DHIS2 ids, then the DHIS2 metadata. */
async function loadDhis2(t: TestApp) {
  const hisar = (await t.req('GET', '/api/geo/units/63', t.adminToken)).body;
  const ous = ['ImspTQPwCqd', 'O6uvpzGd5pu', 'g8upMTyEZGZ', 'YuQRtpLP10I', 'DiszpKrYNg8', 'BdfsJfj87js'].map((id, i) => ({ id, name: `DHIS2 facility ${i + 1}`, code: `DHIS2_OU_${i + 1}`, parent: { id: hisar.id } }));
  const r1 = await t.req('POST', '/api/metadata', t.adminToken, { organisationUnits: ous });
  assert.equal(r1.body.status, 'OK', JSON.stringify(r1.body).slice(0, 400));
  const r2 = await t.req('POST', '/api/metadata', t.adminToken, JSON.parse(readShared(...D('dhis2-core_e2e_aggregate_metadata.json'))));
  assert.notEqual(r2.body.status, 'ERROR');
  // The elements of dhis2's CSV fixture, in a monthly data set of their own.
  const r3 = await t.req('POST', '/api/metadata', t.adminToken, {
    dataElements: ['f7n9E0hX8qk', 'Ix2HsbDMLea', 'eY5ehpbEsB7'].map((id, i) => ({ id, code: `CSV_DE_${i}`, name: `CSV element ${i}`, shortName: `CSV ${i}`, valueType: 'INTEGER', domainType: 'AGGREGATE', aggregationType: 'SUM', categoryCombo: { id: 'bjDvmb4bfuf' } })),
    dataSets: [{ id: 'CsvDataSet1', code: 'CSV_DS', name: 'CSV data set', periodType: 'Monthly', timelyDays: 5, dataSetElements: ['f7n9E0hX8qk', 'Ix2HsbDMLea', 'eY5ehpbEsB7'].map((id) => ({ dataElement: { id } })), organisationUnits: [{ id: 'DiszpKrYNg8' }, { id: 'BdfsJfj87js' }] }],
  });
  assert.equal(r3.body.status, 'OK', JSON.stringify(r3.body).slice(0, 400));
}

for (const engine of testEngines()) {
  describe(`data value sets, DHIS2-compatible [${engine}]`, { skip }, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(engine); await loadDhis2(t); });
    after(async () => { await t.close(); });

    test('JSON: imported, then identical values ignored, changed ones updated; export round-trips', async () => {
      const payload = JSON.parse(readShared(...D('dhis2-core_e2e_dataValues_single_dataset.json')));
      const r = await t.req('POST', '/api/dataValueSets', t.adminToken, payload);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.status, 'SUCCESS', JSON.stringify(r.body.conflicts));
      assert.deepEqual(r.body.importCount, { imported: 2, updated: 0, ignored: 0, deleted: 0 });
      const again = await t.req('POST', '/api/dataValueSets', t.adminToken, payload);
      assert.deepEqual(again.body.importCount, { imported: 0, updated: 0, ignored: 2, deleted: 0 });
      payload.dataValues[0].value = '1001';
      const changed = await t.req('POST', '/api/dataValueSets', t.adminToken, payload);
      assert.deepEqual(changed.body.importCount, { imported: 0, updated: 1, ignored: 1, deleted: 0 });

      const out = await t.req('GET', '/api/dataValueSets?dataSet=VEM58nY22sO&period=201911&orgUnit=O6uvpzGd5pu', t.adminToken);
      assert.equal(out.status, 200);
      assert.equal(out.body.dataValues.length, 2);
      const byCoc = Object.fromEntries(out.body.dataValues.map((v: any) => [v.categoryOptionCombo, v.value]));
      assert.deepEqual(byCoc, { oPcWGgS2Liz: '1001', rtfSaMjPyq6: '2000' });
      assert.ok(out.body.completeDate, 'completedDate registered completion');
      // What we export, DHIS2 (or we) can import unchanged.
      const back = await t.req('POST', '/api/dataValueSets', t.adminToken, out.body);
      assert.deepEqual(back.body.importCount, { imported: 0, updated: 0, ignored: 2, deleted: 0 });
    });

    test('bulk JSON fixture (231 values, monthly and yearly) imports', async () => {
      const r = await t.req('POST', '/api/dataValueSets', t.adminToken, JSON.parse(readShared(...D('dhis2-core_e2e_dataValues_bulk.json'))));
      assert.equal(r.body.status, 'SUCCESS', JSON.stringify(r.body.conflicts).slice(0, 500));
      assert.equal(r.body.importCount.imported + r.body.importCount.ignored, 231);
      const yearly = await t.req('GET', '/api/dataValueSets?dataSet=qNtxTrp56wV&period=2018&orgUnit=O6uvpzGd5pu', t.adminToken);
      assert.ok(yearly.body.dataValues.length > 0);
    });

    test('CSV: the DHIS2 CSV fixture imports, and CSV export re-imports as ignored', async () => {
      const csv = readShared(...D('dhis2-core_dataValueSetB.csv'));
      const r = await t.req('POST', '/api/dataValueSets', t.adminToken, csv, { 'content-type': 'application/csv' });
      assert.equal(r.status, 200);
      assert.deepEqual(r.body.importCount, { imported: 12, updated: 0, ignored: 0, deleted: 0 }, JSON.stringify(r.body.conflicts));
      const out = await t.app.inject({ method: 'GET', url: '/api/dataValueSets?dataSet=CSV_DS&period=201201;201202&orgUnit=DiszpKrYNg8&orgUnit=BdfsJfj87js', headers: { authorization: `Bearer ${t.adminToken}`, accept: 'application/csv' } });
      assert.equal(out.statusCode, 200);
      assert.match(out.headers['content-type'] as string, /csv/);
      const lines = out.body.trim().split('\n');
      assert.equal(lines.length, 13);
      assert.ok(lines.some((l) => /^f7n9E0hX8qk,201201,DiszpKrYNg8,HllvX50cXC0,HllvX50cXC0,10001,john,/.test(l)), lines.join('\n'));
      const back = await t.req('POST', '/api/dataValueSets', t.adminToken, out.body, { 'content-type': 'application/csv' });
      assert.deepEqual(back.body.importCount, { imported: 0, updated: 0, ignored: 12, deleted: 0 });
      const byCode = await t.req('GET', '/api/dataValueSets?dataSet=CSV_DS&period=201201&orgUnit=DHIS2_OU_5&idScheme=CODE', t.adminToken);
      assert.deepEqual(byCode.body.dataValues.map((v: any) => [v.dataElement, v.orgUnit]).sort(), [['CSV_DE_0', 'DHIS2_OU_5'], ['CSV_DE_1', 'DHIS2_OU_5'], ['CSV_DE_2', 'DHIS2_OU_5']]);
    });

    test('conflicts: unknown element, org unit or combo, wrong value type, outside the caller\'s area; none stored, the rest are', async () => {
      const officer = await t.userWith('district_officer', 22); // Mandi: the DHIS2 units are in Hisar
      const hisarOfficer = await t.userWith('district_officer', 63);
      const values = [
        { dataElement: 'f7n9E0hX8qk', period: '201203', orgUnit: 'DiszpKrYNg8', value: '5' },
        { dataElement: 'NoSuchElem1', period: '201203', orgUnit: 'DiszpKrYNg8', value: '5' },
        { dataElement: 'f7n9E0hX8qk', period: '201203', orgUnit: 'NoSuchUnit1', value: '5' },
        { dataElement: 'f7n9E0hX8qk', period: '201203', orgUnit: 'DiszpKrYNg8', categoryOptionCombo: 'oPcWGgS2Liz', value: '5' },
        { dataElement: 'Ix2HsbDMLea', period: '201203', orgUnit: 'DiszpKrYNg8', value: 'five' },
        { dataElement: 'Ix2HsbDMLea', period: '2012W3', orgUnit: 'DiszpKrYNg8', value: '5' },
        { dataElement: 'eY5ehpbEsB7', period: '201213', orgUnit: 'DiszpKrYNg8', value: '5' },
      ];
      const r = await t.req('POST', '/api/dataValueSets', hisarOfficer.token, { dataValues: values });
      assert.equal(r.body.status, 'WARNING');
      assert.deepEqual(r.body.importCount, { imported: 1, updated: 0, ignored: 0, deleted: 0 });
      assert.deepEqual(r.body.rejectedIndexes, [1, 2, 3, 4, 5, 6]);
      const codes = Object.fromEntries(r.body.conflicts.map((c: any) => [c.indexes[0], [c.errorCode, c.property]]));
      assert.deepEqual(codes, { 1: ['E7610', 'dataElement'], 2: ['E7612', 'orgUnit'], 3: ['E7620', 'categoryOptionCombo'], 4: ['E7619', 'value'], 5: ['E7617', 'period'], 6: ['E7611', 'period'] });
      const outside = await t.req('POST', '/api/dataValueSets', officer.token, { dataValues: [values[0]] });
      assert.equal(outside.body.status, 'ERROR');
      assert.equal(outside.body.conflicts[0].errorCode, 'E7615');
      assert.equal(outside.body.importCount.imported, 0);
      const citizen = await t.userWith('citizen', 6);
      assert.equal((await t.req('POST', '/api/dataValueSets', citizen.token, { dataValues: [] })).status, 403);
      assert.equal((await t.req('GET', '/api/dataValueSets?dataSet=CSV_DS&period=201201&orgUnit=DiszpKrYNg8', officer.token)).status, 403);
    });

    test('dryRun counts but writes nothing; DELETE and empty values delete', async () => {
      const v = { dataElement: 'Ix2HsbDMLea', period: '201205', orgUnit: 'BdfsJfj87js', value: '77' };
      const dry = await t.req('POST', '/api/dataValueSets?dryRun=true', t.adminToken, { dataValues: [v] });
      assert.deepEqual(dry.body.importCount, { imported: 1, updated: 0, ignored: 0, deleted: 0 });
      const none = await t.req('GET', '/api/dataValueSets?dataSet=CSV_DS&period=201205&orgUnit=BdfsJfj87js', t.adminToken);
      assert.equal(none.body.dataValues.length, 0);
      await t.req('POST', '/api/dataValueSets', t.adminToken, { dataValues: [v] });
      const del = await t.req('POST', '/api/dataValueSets', t.adminToken, { dataValues: [{ ...v, value: '' }] });
      assert.deepEqual(del.body.importCount, { imported: 0, updated: 0, ignored: 0, deleted: 1 });
      const del2 = await t.req('POST', '/api/dataValueSets?importStrategy=DELETE', t.adminToken, { dataValues: [v] });
      assert.deepEqual(del2.body.importCount, { imported: 0, updated: 0, ignored: 1, deleted: 0 });
    });

    test('ADX: the DHIS2 ADX fixture imports with exploded categories and codes', async () => {
      const hisar = (await t.req('GET', '/api/geo/units/63', t.adminToken)).body;
      const opt = (id: string, code: string) => ({ id, code, name: code, shortName: code });
      const meta = await t.req('POST', '/api/metadata', t.adminToken, {
        organisationUnits: [{ id: 'AdxUnit0123', code: '123', name: 'ADX unit 123', parent: { id: hisar.id } }, { id: 'AdxUnit0456', code: '456', name: 'ADX unit 456', parent: { id: hisar.id } }],
        categoryOptions: [opt('FFFFFFFFFFF', 'FFFFFFFFFFF'), opt('MMMMMMMMMMM', 'MMMMMMMMMMM'), opt('under555555', 'under555555'), opt('over5555555', 'over5555555'), opt('PEPFARRRRRR', 'PEPFARRRRRR'), opt('McDonaldsss', 'McDonaldsss')],
        categories: [
          { id: 'SexCategory', code: 'Sex_category', name: 'Sex', categoryOptions: [{ id: 'FFFFFFFFFFF' }, { id: 'MMMMMMMMMMM' }] },
          { id: 'AgeCategory', code: 'Age_category', name: 'Age', categoryOptions: [{ id: 'under555555' }, { id: 'over5555555' }] },
          { id: 'MechCategor', code: 'Mechanism_category', name: 'Mechanism', dataDimensionType: 'ATTRIBUTE', categoryOptions: [{ id: 'PEPFARRRRRR' }, { id: 'McDonaldsss' }] },
        ],
        categoryCombos: [{ id: 'SexAgeCombo', name: 'Sex and age', categories: [{ id: 'SexCategory' }, { id: 'AgeCategory' }] }, { id: 'MechCombo01', name: 'Mechanism', dataDimensionType: 'ATTRIBUTE', categories: [{ id: 'MechCategor' }] }],
        categoryOptionCombos: [
          { id: 'FOver555555', name: 'F, over 5', categoryCombo: { id: 'SexAgeCombo' }, categoryOptions: [{ id: 'FFFFFFFFFFF' }, { id: 'over5555555' }] },
          { id: 'MOver555555', name: 'M, over 5', categoryCombo: { id: 'SexAgeCombo' }, categoryOptions: [{ id: 'MMMMMMMMMMM' }, { id: 'over5555555' }] },
          { id: 'cocMcDonald', name: 'McDonalds', categoryCombo: { id: 'MechCombo01' }, categoryOptions: [{ id: 'McDonaldsss' }] },
        ],
        dataElements: [
          { id: 'MalariaNum1', code: 'Malaria numeric', name: 'Malaria numeric', valueType: 'INTEGER', categoryCombo: { id: 'SexAgeCombo' } },
          { id: 'MalariaTxt1', code: 'Malaria text', name: 'Malaria text', valueType: 'TEXT', categoryCombo: { id: 'bjDvmb4bfuf' } },
        ],
        dataSets: [
          { id: 'MalariaDS01', code: 'MalariaDS', name: 'Malaria monthly', periodType: 'Monthly', dataSetElements: [{ dataElement: { id: 'MalariaNum1' } }, { dataElement: { id: 'MalariaTxt1' } }] },
          { id: 'MalariaMDS1', code: 'MalariaMechanismDS', name: 'Malaria by mechanism', periodType: 'Quarterly', categoryCombo: { id: 'MechCombo01' }, dataSetElements: [{ dataElement: { id: 'MalariaNum1' } }] },
        ],
      });
      assert.notEqual(meta.body.status, 'ERROR', JSON.stringify(meta.body).slice(0, 800));
      const r = await t.req('POST', '/api/dataValueSets', t.adminToken, readShared(...D('dhis2-core_adx_importA.adx.xml')), { 'content-type': 'application/adx+xml' });
      assert.equal(r.status, 200);
      assert.deepEqual(r.body.conflicts, []);
      assert.deepEqual(r.body.importCount, { imported: 9, updated: 0, ignored: 0, deleted: 0 });
      const q4 = await t.req('GET', '/api/dataValueSets?dataSet=MalariaMDS1&period=2021Q1&orgUnit=AdxUnit0456', t.adminToken);
      assert.equal(q4.body.dataValues.length, 3);
      const adx = await t.app.inject({ method: 'GET', url: '/api/dataValueSets?dataSet=MalariaDS01&period=202001&orgUnit=AdxUnit0123&format=adx', headers: { authorization: `Bearer ${t.adminToken}` } });
      assert.match(adx.body, /period="2020-01-01\/P1M"/);
      const back = await t.req('POST', '/api/dataValueSets', t.adminToken, adx.body, { 'content-type': 'application/adx+xml' });
      assert.deepEqual(back.body.importCount, { imported: 0, updated: 0, ignored: 5, deleted: 0 }, JSON.stringify(back.body.conflicts));
    });
  });
}
