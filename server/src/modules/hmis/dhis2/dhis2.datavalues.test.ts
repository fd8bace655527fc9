import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SaxesParser } from 'saxes';
import { parse as parseCsv } from 'csv-parse/sync';
import { startTestApp, testEngines, type TestApp } from '../../../test/harness.js';
import { hasShared, readShared } from '../../../test/shared.js';
import { loadAdxTestMetadata, loadExportTestMetadata, readTestdata } from './dhis2.datavalues.fixture.js';

/** Every element of an XML document with its attributes (and an annotation's text on its dataValue), in order. */
function xmlElements(text: string) {
  const out: { name: string; attrs: Record<string, string> }[] = [];
  const sax = new SaxesParser({ xmlns: false });
  let inAnnotation = false;
  sax.on('opentag', (tag) => {
    const name = tag.name.replace(/^.*:/, '');
    if (name === 'annotation') { inAnnotation = true; out.at(-1)!.attrs.annotation = ''; return; }
    out.push({ name, attrs: Object.fromEntries(Object.entries(tag.attributes).map(([k, v]) => [k, String(v)])) });
  });
  sax.on('text', (t) => { if (inAnnotation) out.at(-1)!.attrs.annotation += t; });
  sax.on('closetag', (tag) => { if (tag.name.endsWith('annotation')) { inAnnotation = false; out.at(-1)!.attrs.annotation = out.at(-1)!.attrs.annotation.trim(); } });
  sax.write(text).close();
  return out;
}

/** A DXF2 XML data value set's values with the set's defaults applied, keyed by data element, period, org unit and option combos. */
function dxf2Values(text: string, defaultCoc = '') {
  const [root, ...rest] = xmlElements(text);
  const set = root.attrs;
  const values = new Map<string, { value?: string; comment?: string; followup: boolean }>();
  for (const { name, attrs: v } of rest) {
    if (name !== 'dataValue') continue;
    const key = [v.dataElement, v.period ?? set.period, v.orgUnit ?? set.orgUnit, v.categoryOptionCombo || defaultCoc, v.attributeOptionCombo || set.attributeOptionCombo || defaultCoc].join('|');
    values.set(key, { value: v.value, comment: v.comment, followup: (v.followup ?? v.followUp) === 'true' });
  }
  return { set, values };
}

const DS = 'pBOMPrpg1QX';
const DEF = 'HllvX50cXC0';

for (const engine of testEngines()) {
  describe(`DHIS2's own data value set files, in and back out [${engine}]`, () => {
    let t: TestApp;
    const post = (body: string, type: string, query = '') => t.req('POST', `/api/dataValueSets${query}`, t.adminToken, body, { 'content-type': type });
    const get = (url: string, accept?: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.adminToken}`, ...(accept ? { accept } : {}) } });
    /** Each round trip starts from no values and no completed returns. */
    const clean = async () => {
      for (const table of ['hmis_data_values', 'hmis_complete_registrations', 'hmis_return_states', 'hmis_agg_district_month'] as const) await t.db.kysely.deleteFrom(table).execute();
    };
    before(async () => { t = await startTestApp(engine); await loadExportTestMetadata(t); await loadAdxTestMetadata(t); });
    after(async () => { await t.close(); });

    test('DXF2 XML (dataValueSetD.xml: set attributes, attribute option combo, completeDate) round-trips: every value, comment, followup and the completeDate', async () => {
      await clean();
      const file = readTestdata('dxf2_dataValueSetD.xml');
      const r = await post(file, 'application/xml');
      assert.equal(r.body.status, 'SUCCESS', JSON.stringify(r.body));
      assert.deepEqual(r.body.importCount, { imported: 3, updated: 0, ignored: 0, deleted: 0 });
      for (const url of [`/api/dataValueSets.xml?dataSet=${DS}&period=201201&orgUnit=DiszpKrYNg8`, `/api/dataValueSets?dataSet=${DS}&period=201201&orgUnit=DiszpKrYNg8`]) {
        const out = await get(url, url.includes('.xml') ? undefined : 'application/xml');
        assert.equal(out.statusCode, 200, out.body);
        assert.match(String(out.headers['content-type']), /application\/xml/);
        const sent = dxf2Values(file, DEF);
        const back = dxf2Values(out.body, DEF);
        assert.deepEqual(back.values, sent.values);
        assert.equal(back.set.completeDate, sent.set.completeDate, 'completeDate 2012-01-09 comes back as 2012-01-09');
        assert.equal(back.set.dataSet, DS);
      }
      // The export is a file DHIS2's import takes: sent again, nothing changes.
      const again = await post((await get(`/api/dataValueSets.xml?dataSet=${DS}&period=201201&orgUnit=DiszpKrYNg8`)).body, 'application/xml');
      assert.deepEqual(again.body.importCount, { imported: 0, updated: 0, ignored: 3, deleted: 0 }, JSON.stringify(again.body));
    });

    test('DXF2 XML with idScheme="code" in the file (dataValueSetACode.xml) round-trips under CODE, completeDate included', async () => {
      await clean();
      const file = readTestdata('dxf2_dataValueSetACode.xml');
      const r = await post(file, 'text/xml');
      assert.equal(r.body.status, 'SUCCESS', JSON.stringify(r.body));
      assert.equal(r.body.importCount.imported, 3);
      const out = await get('/api/dataValueSets?dataSet=DS_A&period=201201&orgUnit=OU_A&idScheme=CODE&format=xml');
      const back = dxf2Values(out.body, 'OC_DEF_CODE');
      const sent = dxf2Values(file, 'OC_DEF_CODE');
      assert.deepEqual(back.values, sent.values);
      assert.deepEqual([back.set.dataSet, back.set.orgUnit, back.set.period, back.set.completeDate], ['DS_A', 'OU_A', '201201', '2012-01-09']);
    });

    test('DXF2 XML files import with DHIS2\'s counts; unknown ids, an unknown attribute option combo and misfit periods are refused row by row', async () => {
      await clean();
      const b = await post(readTestdata('dxf2_dataValueSetB.xml'), 'application/xml');
      assert.deepEqual([b.body.status, b.body.importCount.imported], ['SUCCESS', 12], JSON.stringify(b.body));
      // The same twelve values named by code (dataValueSetBCode.xml): found, and identical.
      const bCode = await post(readTestdata('dxf2_dataValueSetBCode.xml'), 'application/xml', '?idScheme=CODE');
      assert.deepEqual(bCode.body.importCount, { imported: 0, updated: 0, ignored: 12, deleted: 0 }, JSON.stringify(bCode.body));
      const c = await post(readTestdata('dxf2_dataValueSetC.xml'), 'application/xml');
      assert.equal(c.body.importCount.imported, 3);
      const cCode = await post(readTestdata('dxf2_dataValueSetCCode.xml'), 'application/xml', '?categoryOptionComboIdScheme=CODE');
      assert.deepEqual(cCode.body.importCount, { imported: 0, updated: 0, ignored: 3, deleted: 0 }, 'OC_DEF_CODE is the default option combo by code');
      // Empty and missing values delete (dataValueSetANull.xml), as in DHIS2; its third value replaces dataValueSetB's.
      const aNull = await post(readTestdata('dxf2_dataValueSetANull.xml'), 'application/xml');
      assert.deepEqual(aNull.body.importCount, { imported: 0, updated: 1, ignored: 0, deleted: 2 }, JSON.stringify(aNull.body));
      const f = await post(readTestdata('dxf2_dataValueSetF.xml'), 'application/xml');
      assert.equal(f.body.status, 'ERROR');
      assert.deepEqual(f.body.conflicts.map((x: any) => [x.object, x.errorCode, x.indexes]), [['inValidUid1', 'E7614', [0, 1, 2, 3]]]);
      const g = await post(readTestdata('dxf2_dataValueSetG.xml'), 'application/xml');
      assert.deepEqual(g.body.rejectedIndexes, [0, 1, 2]);
      assert.deepEqual(g.body.conflicts.map((x: any) => [x.property, x.object]), [['dataElement', 'nonEx1sting'], ['orgUnit', 'nonEx1sting']]);
      const illegal = await post(readTestdata('dxf2_dataValueSetIllegalOrgUnit.xml'), 'application/xml');
      assert.deepEqual([illegal.body.status, illegal.body.conflicts[0].object], ['ERROR', 'missingOrgu']);
      // DHIS2 imports dataValueSetNonStrict.xml only with its strict checks off; Swasthya keeps them on and says why for each row.
      const nonStrict = await post(readTestdata('dxf2_dataValueSetNonStrict.xml'), 'application/xml');
      assert.deepEqual(nonStrict.body.conflicts.map((x: any) => x.errorCode).sort(), ['E7617', 'E7617', 'E7620']);
      // Yes/no spellings with repeated keys (dataValueSetBooleanDuplicatesTest.csv): the same rows are refused as in DHIS2's
      // dataValueSetBooleanTest.csv; DHIS2 2.4x refuses the whole file for the repeats (E8128), Swasthya keeps each key's last value.
      const bools = await post(readTestdata('dxf2_dataValueSetBooleanDuplicatesTest.csv'), 'application/csv');
      assert.deepEqual(bools.body.rejectedIndexes, [10, 11, 16, 17], JSON.stringify(bools.body.conflicts));
      const yesNo = await t.db.kysely.selectFrom('hmis_data_values').select(['data_element_id', 'period', 'org_unit_id', 'value']).where('data_element_id', 'in', ['jH26dja2f30', 'jH26dja2f31']).orderBy('data_element_id').orderBy('period').orderBy('org_unit_id').execute();
      assert.deepEqual(yesNo.map((v) => `${v.data_element_id} ${v.period} ${v.org_unit_id} ${v.value}`), [
        'jH26dja2f30 201201 BdfsJfj87js true', 'jH26dja2f30 201201 DiszpKrYNg8 true', 'jH26dja2f30 201202 DiszpKrYNg8 false', 'jH26dja2f31 201202 DiszpKrYNg8 true']);
      const e = await post(readTestdata('dxf2_dataValueSetE.xml'), 'application/xml');
      assert.equal(e.body.status, 'SUCCESS', JSON.stringify(e.body));
      // A DXF2 document that breaks off is a 400, and a root that is neither ADX nor DXF2 is named.
      assert.equal((await post('<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0"><dataValue dataElement="x"', 'application/xml')).status, 400);
      const other = await post('<?xml version="1.0"?><!-- a comment --><html/>', 'application/xml');
      assert.match(other.body.error.message, /not ADX nor a DHIS2 data value set/);
    });

    test('CSV (DHIS2\'s dataValueSetB.csv) and JSON (dataValueSetCreateDateUpdated.json) round-trip value by value', async (ctx) => {
      await clean();
      // DHIS2's sequence: a value (dataValueSetJ.json), then the same key with created/lastUpdated given (ignored), then changed.
      assert.equal((await t.req('POST', '/api/dataValueSets', t.adminToken, JSON.parse(readTestdata('datavalueset_dataValueSetJ.json')))).body.importCount.imported, 1);
      assert.equal((await t.req('POST', '/api/dataValueSets', t.adminToken, JSON.parse(readTestdata('datavalueset_dataValueSetCreateDate.json')))).body.importCount.updated, 1);
      const json = JSON.parse(readTestdata('datavalueset_dataValueSetCreateDateUpdated.json'));
      const r = await t.req('POST', '/api/dataValueSets', t.adminToken, json);
      assert.equal(r.body.importCount.updated, 1);
      const out = await t.req('GET', `/api/dataValueSets.json?dataSet=${DS}&period=201201&orgUnit=DiszpKrYNg8`, t.adminToken);
      const pick = (v: any) => [v.dataElement, v.period, v.orgUnit, v.value, v.comment, v.followup];
      assert.deepEqual(out.body.dataValues.map(pick), json.dataValues.map(pick));
      assert.notEqual(out.body.dataValues[0].created.slice(0, 4), '2000', 'created is the server\'s own, as DHIS2 keeps it');
      if (!hasShared('fixtures', 'dhis2', 'dhis2-core_dataValueSetB.csv')) { ctx.skip('../shared/fixtures/dhis2 is not here'); return; }
      await clean();
      const csv = readShared('fixtures', 'dhis2', 'dhis2-core_dataValueSetB.csv');
      assert.equal((await post(csv, 'application/csv')).body.importCount.imported, 12);
      const back = await get(`/api/dataValueSets.csv?dataSet=${DS}&period=201201&period=201202&orgUnit=DiszpKrYNg8&orgUnit=BdfsJfj87js`);
      const rows = (text: string) => (parseCsv(text, { from_line: 2 }) as string[][]).map((c) => [c[0], c[1], c[2], c[5], c[8], c[9]].join('|')).sort();
      assert.deepEqual(rows(back.body), rows(csv));
    });

    test('ADX with DHIS2\'s NAME schemes (importB.adx.xml: data sets and option combos by name) round-trips; the export carries completeDate', async () => {
      await clean();
      const file = readTestdata('adx_importB.adx.xml');
      const query = '?idScheme=CODE&dataSetIdScheme=NAME&orgUnitIdScheme=UID&dataElementIdScheme=UID&categoryOptionComboIdScheme=NAME';
      const r = await post(file, 'application/adx+xml', query);
      assert.deepEqual([r.body.status, r.body.importCount.imported], ['SUCCESS', 9], JSON.stringify(r.body));
      const done = await t.req('POST', '/api/dataValueSets', t.adminToken, { dataSet: 'MalariaDSSS', period: '202001', orgUnit: 'P1233333333', completeDate: '2020-02-03', dataValues: [] });
      assert.equal(done.body.dataSetComplete, '2020-02-02T18:30:00.000Z', JSON.stringify(done.body));
      // Exported under the same schemes, each group and value matches the file's.
      const byCodes: Record<string, string> = { 'F|under5': 'Female Under 5', 'M|under5': 'Male Under 5', 'F|over5': 'Female Over 5', 'M|over5': 'Male Over 5' };
      const mech: Record<string, string> = { PEPFAR: 'PEPFAR CategoryOptionCombo', McDonalds: 'McDonalds CategoryOptionCombo' };
      const values = (text: string, exported: boolean) => {
        const out: string[] = [];
        let group: Record<string, string> = {};
        for (const { name, attrs } of xmlElements(text)) {
          if (name === 'group') group = attrs;
          if (name !== 'dataValue') continue;
          const coc = attrs.categoryOptionCombo ?? (attrs.sex ? byCodes[`${attrs.sex}|${attrs.age}`] : 'default');
          const aoc = group.attributeOptionCombo ?? (group.mechanism ? mech[group.mechanism] : 'default');
          out.push([exported ? group.dataSet : group.dataSet, group.period, group.orgUnit, aoc, attrs.dataElement, coc, attrs.value, attrs.annotation ?? ''].join('|'));
        }
        return out.sort();
      };
      const exports: string[] = [];
      for (const [ds, periods] of [['MalariaDSSS', 'period=202001&period=202002'], ['MalariaMech', 'period=2021Q1']]) {
        const out = await get(`/api/dataValueSets${query}&dataSet=${ds}&${periods}&orgUnit=P1233333333&orgUnit=D4566666666`, 'application/adx+xml');
        assert.equal(out.statusCode, 200, out.body);
        exports.push(out.body);
      }
      assert.deepEqual(exports.flatMap((x) => values(x, true)).sort(), values(file, false));
      const groups = xmlElements(exports[0]).filter((e) => e.name === 'group');
      assert.deepEqual(groups.map((g) => [g.attrs.period, g.attrs.orgUnit, g.attrs.completeDate]).sort(), [['2020-01-01/P1M', 'P1233333333', '2020-02-03'], ['2020-02-01/P1M', 'D4566666666', undefined]]);
      // The export goes back in unchanged: every value identical.
      for (const x of exports) assert.equal((await post(x, 'application/adx+xml', query)).body.importCount.ignored, xmlElements(x).filter((e) => e.name === 'dataValue').length);
    });

    test('ADX with names and codes for org units and category options (DHIS2\'s importA and importC) imports the same values', async (ctx) => {
      if (!hasShared('fixtures', 'dhis2', 'dhis2-core_adx_importC.adx.xml')) { ctx.skip('../shared/fixtures/dhis2 is not here'); return; }
      await clean();
      const c = await post(readShared('fixtures', 'dhis2', 'dhis2-core_adx_importC.adx.xml'), 'application/adx+xml', '?idScheme=CODE&dataSetIdScheme=UID&orgUnitIdScheme=NAME');
      assert.deepEqual([c.body.status, c.body.importCount.imported], ['SUCCESS', 9], JSON.stringify(c.body));
      // With the schemes DHIS2's own test gives it (categories by name, options by UID).
      const a = await post(readShared('fixtures', 'dhis2', 'dhis2-core_adx_importA.adx.xml'), 'application/adx+xml', '?idScheme=CODE&dataElementIdScheme=NAME&categoryIdScheme=NAME&categoryOptionIdScheme=UID&categoryOptionComboIdScheme=UID');
      assert.deepEqual(a.body.importCount, { imported: 0, updated: 0, ignored: 9, deleted: 0 }, JSON.stringify(a.body));
    });

    test('id schemes: NAME on export; a name two org units share refuses its rows naming both; ATTRIBUTE: and unknown schemes are a 400 that says what is taken', async () => {
      await clean();
      const hisar = (await t.req('GET', '/api/geo/units/63', t.adminToken)).body;
      const twins = await t.req('POST', '/api/metadata', t.adminToken, { organisationUnits: ['TwinUnit001', 'TwinUnit002'].map((id) => ({ id, name: 'Twin Sub Centre', shortName: 'Twin', parent: { id: hisar.id } })) });
      assert.equal(twins.body.status, 'OK', JSON.stringify(twins.body));
      const body = { dataSet: 'DataSetA', period: '201203', dataValues: [
        { dataElement: 'DataElementA', orgUnit: 'OrganisationUnitA', categoryOptionCombo: 'default', value: '7', comment: 'by name' },
        { dataElement: 'DataElementB', orgUnit: 'Twin Sub Centre', value: '8' },
      ] };
      const r = await t.req('POST', '/api/dataValueSets?idScheme=NAME', t.adminToken, body);
      assert.deepEqual(r.body.rejectedIndexes, [1], JSON.stringify(r.body));
      assert.match(r.body.conflicts[0].value, /ambiguous.*TwinUnit001, TwinUnit002/);
      const out = await t.req('GET', `/api/dataValueSets?dataSet=${DS}&period=201203&orgUnit=DiszpKrYNg8&dataElementIdScheme=NAME&orgUnitIdScheme=CODE&categoryOptionComboIdScheme=NAME&dataSetIdScheme=NAME`, t.adminToken);
      assert.deepEqual([out.body.dataSet, out.body.orgUnit], ['DataSetA', 'OU_A']);
      assert.deepEqual(out.body.dataValues.map((v: any) => [v.dataElement, v.orgUnit, v.categoryOptionCombo, v.value, v.comment]), [['DataElementA', 'OU_A', 'default', '7', 'by name']]);
      for (const [q, re] of [['dataElementIdScheme=ATTRIBUTE:abc123', /metadata attributes are not supported/], ['idScheme=SHORTNAME', /not an id scheme; use UID, CODE or NAME/], ['categoryOptionIdScheme=ATTRIBUTE:x', /metadata attributes/]] as const) {
        const imp = await t.req('POST', `/api/dataValueSets?${q}`, t.adminToken, body);
        assert.equal(imp.status, 400);
        assert.match(imp.body.error.message, re);
        const exp = await t.req('GET', `/api/dataValueSets?dataSet=${DS}&period=201203&orgUnit=DiszpKrYNg8&${q}`, t.adminToken);
        assert.equal(exp.status, 400);
      }
    });
  });
}
