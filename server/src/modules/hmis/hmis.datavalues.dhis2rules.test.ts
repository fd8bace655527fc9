import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { hasShared, readShared } from '../../test/shared.js';

const D = (f: string) => ['fixtures', 'dhis2', f] as const;
const OU = 'P1233333333';
const DS = 'MalariaDSSS';

/**
 * Metadata with the ids DHIS2's own test files use (importDates.adx.xml, dataValueSetWithDataSetHeader.csv),
 * so those files import as they are, plus yes/no and text elements.
 */
async function loadRulesMetadata(t: TestApp) {
  const hisar = (await t.req('GET', '/api/geo/units/63', t.adminToken)).body;
  const r1 = await t.req('POST', '/api/metadata', t.adminToken, {
    organisationUnits: [OU, 'DiszpKrYNg8', 'BdfsJfj87js'].map((id, i) => ({ id, name: `Rules facility ${i}`, code: `RULES_OU_${i}`, parent: { id: hisar.id } })),
  });
  assert.equal(r1.body.status, 'OK', JSON.stringify(r1.body).slice(0, 400));
  const de = (id: string, valueType: string, categoryCombo = 'bjDvmb4bfuf') => ({ id, code: id, name: `Rules ${id}`, shortName: id, valueType, domainType: 'AGGREGATE', aggregationType: 'NONE', categoryCombo: { id: categoryCombo } });
  const r2 = await t.req('POST', '/api/metadata', t.adminToken, {
    categoryOptions: [['over5555555', 'Over 5'], ['under555555', 'Under 5'], ['MMMMMMMMMMM', 'Male'], ['FFFFFFFFFFF', 'Female']].map(([id, name]) => ({ id, name, shortName: name })),
    categories: [
      { id: 'ageeeeeeeee', code: 'age', name: 'Rules age', shortName: 'Rules age', dataDimensionType: 'DISAGGREGATION', categoryOptions: [{ id: 'over5555555' }, { id: 'under555555' }] },
      { id: 'sexxxxxxxxx', code: 'sex', name: 'Rules sex', shortName: 'Rules sex', dataDimensionType: 'DISAGGREGATION', categoryOptions: [{ id: 'MMMMMMMMMMM' }, { id: 'FFFFFFFFFFF' }] },
    ],
    categoryCombos: [{ id: 'AgeSexCombo', name: 'Rules age and sex', dataDimensionType: 'DISAGGREGATION', categories: [{ id: 'ageeeeeeeee' }, { id: 'sexxxxxxxxx' }] }],
    dataElements: [
      { ...de('MalNummmmmm', 'INTEGER', 'AgeSexCombo'), aggregationType: 'SUM' }, { ...de('f7n9E0hX8qk', 'INTEGER'), aggregationType: 'SUM' },
      de('BoolElemnt1', 'BOOLEAN'), de('TrueOnlyEl1', 'TRUE_ONLY'), de('RemarksText', 'TEXT'), de('LongTextEl1', 'LONG_TEXT'),
    ],
    dataSets: [
      { id: DS, code: 'RULES_DS', name: 'Rules data set', periodType: 'Monthly', dataSetElements: ['MalNummmmmm', 'BoolElemnt1', 'TrueOnlyEl1', 'RemarksText', 'LongTextEl1'].map((id) => ({ dataElement: { id } })), organisationUnits: [{ id: OU }] },
      { id: 'pBOMPrpg1QX', code: 'RULES_CSV', name: 'Rules CSV data set', periodType: 'Monthly', dataSetElements: [{ dataElement: { id: 'f7n9E0hX8qk' } }], organisationUnits: [{ id: 'DiszpKrYNg8' }, { id: 'BdfsJfj87js' }] },
    ],
  });
  assert.equal(r2.body.status, 'OK', JSON.stringify(r2.body).slice(0, 600));
}

for (const engine of testEngines()) {
  describe(`DHIS2 data value rules [${engine}]`, () => {
    let t: TestApp;
    const stored = (de: string, period: string) => t.db.kysely.selectFrom('hmis_data_values').select(['value', 'comment', 'created_at']).where('data_element_id', '=', de).where('period', '=', period).where('org_unit_id', '=', OU).executeTakeFirst();
    const adx = (body: string) => t.req('POST', '/api/dataValueSets', t.adminToken, `<adx xmlns="urn:ihe:qrph:adx:2015">${body}</adx>`, { 'content-type': 'application/adx+xml' });
    before(async () => { t = await startTestApp(engine); await loadRulesMetadata(t); });
    after(async () => { await t.close(); });

    test('completeDate keeps its calendar day: 2019-06-05 sent (JSON or ADX) is 2019-06-05 exported', async () => {
      const r = await t.req('POST', '/api/dataValueSets', t.adminToken, { dataSet: DS, period: '201905', orgUnit: OU, completeDate: '2019-06-05', dataValues: [{ dataElement: 'RemarksText', value: 'ok' }] });
      assert.equal(r.body.status, 'SUCCESS', JSON.stringify(r.body));
      const out = await t.req('GET', `/api/dataValueSets?dataSet=${DS}&period=201905&orgUnit=${OU}`, t.adminToken);
      assert.equal(out.body.completeDate, '2019-06-05');
      const a = await adx(`<group dataSet="${DS}" period="2019-04-01/P1M" orgUnit="${OU}" completeDate="2019-05-31"><dataValue dataElement="MalNummmmmm" age="over5555555" sex="FFFFFFFFFFF" value="4"/></group>`);
      assert.equal(a.body.status, 'SUCCESS', JSON.stringify(a.body));
      const back = await t.req('GET', `/api/dataValueSets?dataSet=${DS}&period=201904&orgUnit=${OU}`, t.adminToken);
      assert.equal(back.body.completeDate, '2019-05-31');
    });

    test('BOOLEAN and TRUE_ONLY take DHIS2\'s spellings and are stored as true/false; others are refused', async () => {
      const bool: [string, string | null][] = [['true', 'true'], ['True', 'true'], ['T', 'true'], ['t', 'true'], ['1', 'true'], ['yes', 'true'], ['Y', 'true'],
        ['FALSE', 'false'], ['f', 'false'], ['0', 'false'], ['No', 'false'], ['n', 'false'], ['tru', null], ['2', null], ['oui', null]];
      const trueOnly: [string, string | null][] = [['TRUE', 'true'], ['t', 'true'], ['1', 'true'], ['yes', 'true'], ['false', null], ['0', null], ['f', null]];
      const cases = [...bool.map((c) => ['BoolElemnt1', ...c] as const), ...trueOnly.map((c) => ['TrueOnlyEl1', ...c] as const)];
      const periods = cases.map((_, i) => `${2000 + Math.floor(i / 12)}${String((i % 12) + 1).padStart(2, '0')}`);
      const r = await t.req('POST', '/api/dataValueSets', t.adminToken, { orgUnit: OU, dataValues: cases.map(([dataElement, value], i) => ({ dataElement, value, period: periods[i] })) });
      const refused = cases.map((c, i) => (c[2] === null ? i : -1)).filter((i) => i >= 0);
      assert.deepEqual(r.body.rejectedIndexes, refused, JSON.stringify(r.body.conflicts));
      for (const [i, [de, sent, want]] of cases.entries()) {
        assert.equal((await stored(de, periods[i]))?.value ?? null, want, `${de} ${sent}`);
      }
    });

    test('a CSV header that names the data set (DHIS2\'s dataValueSetWithDataSetHeader.csv) is a header, not a data row', async () => {
      const own = '"dataelelement","period","orgunit","categoryoptioncombo","attributeoptioncombo","value","storedby","timestamp","comment","followup","deleted","pBOMPrpg1QX"\n'
        + '"f7n9E0hX8qk","201301","DiszpKrYNg8","","","20001","john","2013-01-01","comment","false"\n"f7n9E0hX8qk","201301","BdfsJfj87js","","","20002","john","2013-01-02","comment","false"\n';
      const files = [own, ...(hasShared(...D('dhis2-core_dataValueSetWithDataSetHeader.csv')) ? [readShared(...D('dhis2-core_dataValueSetWithDataSetHeader.csv'))] : [])];
      for (const [i, csv] of files.entries()) {
        const r = await t.req('POST', '/api/dataValueSets', t.adminToken, csv, { 'content-type': 'application/csv' });
        assert.equal(r.body.status, 'SUCCESS', JSON.stringify(r.body.conflicts));
        assert.deepEqual(r.body.importCount, { imported: i === 0 ? 2 : 3, updated: 0, ignored: 0, deleted: 0 });
      }
      // The data set the header names is the set's: one that does not exist is a conflict.
      const unknown = await t.req('POST', '/api/dataValueSets', t.adminToken, own.replace('pBOMPrpg1QX', 'NoDataSet01').replace(/2000/g, '3000'), { 'content-type': 'application/csv' });
      assert.ok(unknown.body.conflicts.some((c: any) => c.object === 'NoDataSet01'), JSON.stringify(unknown.body));
      // A header led by a dataset column is a header too, and is read by its names.
      const led = await t.req('POST', '/api/dataValueSets', t.adminToken, 'dataset,dataelement,period,orgunit,value\npBOMPrpg1QX,f7n9E0hX8qk,201302,DiszpKrYNg8,5\n', { 'content-type': 'application/csv' });
      assert.equal(led.body.status, 'SUCCESS', JSON.stringify(led.body.conflicts));
      assert.equal(led.body.importCount.imported, 1);
    });

    test('ADX with created/lastUpdated attributes and elements (DHIS2\'s importDates.adx.xml) imports; the dates are ignored as DHIS2 ignores them', async () => {
      const own = `<group dataSet="${DS}" period="2020-02-01/P1M" orgUnit="${OU}">
        <dataValue dataElement="MalNummmmmm" ageeeeeeeee="under555555" value="21" sexxxxxxxxx="MMMMMMMMMMM" created="1987-12-21T23:59:38.376+0000" lastUpdated="1987-12-21T23:59:38.376+0000">
          <annotation>seen at camp</annotation><created>1987-12-21T23:59:38.376+0000</created><lastUpdated>1987-12-21T23:59:38.376+0000</lastUpdated>
        </dataValue></group>`;
      const r = await adx(own);
      assert.equal(r.body.status, 'SUCCESS', JSON.stringify(r.body));
      assert.equal(r.body.importCount.imported, 1);
      const v = await stored('MalNummmmmm', '202002');
      assert.equal(v?.value, '21');
      assert.equal(v?.comment, 'seen at camp');
      assert.ok(v!.created_at.getFullYear() > 2000, 'the server keeps its own created date');
      if (hasShared(...D('dhis2-core_adx_importDates.adx.xml'))) {
        const file = await t.req('POST', '/api/dataValueSets', t.adminToken, readShared(...D('dhis2-core_adx_importDates.adx.xml')), { 'content-type': 'application/adx+xml' });
        assert.equal(file.body.status, 'SUCCESS', JSON.stringify(file.body));
        assert.equal(file.body.importCount.imported, 1);
        assert.equal((await stored('MalNummmmmm', '202001'))?.value, '33');
      }
    });

    test('ADX: a text element\'s value is its annotation (DHIS2 writes value="0"), a number\'s annotation stays its comment; export writes text the same way', async () => {
      const r = await adx(`<group dataSet="${DS}" period="2020-03-01/P1M" orgUnit="${OU}">
        <dataValue dataElement="RemarksText" value="0"><annotation>Cold chain broke on 4 March</annotation></dataValue>
        <dataValue dataElement="LongTextEl1" value="0"><annotation>Two ASHAs on leave</annotation></dataValue>
        <dataValue dataElement="BoolElemnt1" value="0"><annotation>true</annotation></dataValue>
        <dataValue dataElement="MalNummmmmm" ageeeeeeeee="over5555555" sexxxxxxxxx="FFFFFFFFFFF" value="9"><annotation>recount</annotation></dataValue></group>`);
      assert.equal(r.body.status, 'SUCCESS', JSON.stringify(r.body));
      assert.deepEqual(await stored('RemarksText', '202003').then((v) => [v?.value, v?.comment]), ['Cold chain broke on 4 March', null]);
      assert.deepEqual(await stored('LongTextEl1', '202003').then((v) => [v?.value, v?.comment]), ['Two ASHAs on leave', null]);
      assert.equal((await stored('BoolElemnt1', '202003'))?.value, 'true');
      assert.deepEqual(await stored('MalNummmmmm', '202003').then((v) => [v?.value, v?.comment]), ['9', 'recount']);
      const out = await t.app.inject({ method: 'GET', url: `/api/dataValueSets?dataSet=${DS}&period=202003&orgUnit=${OU}`, headers: { authorization: `Bearer ${t.adminToken}`, accept: 'application/adx+xml' } });
      assert.match(out.body, /dataElement="RemarksText"[^>]*value="0"><annotation>Cold chain broke on 4 March<\/annotation>/);
      assert.match(out.body, /value="9"><annotation>recount<\/annotation>/);
      const again = await t.req('POST', '/api/dataValueSets', t.adminToken, out.body, { 'content-type': 'application/adx+xml' });
      assert.equal(again.body.importCount.ignored, 4, JSON.stringify(again.body));
    });
  });
}
