import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, testEngines, type TestApp } from '../../test/harness.js';

/**
 * Malformed DHIS2 metadata (entries that are not objects, properties of the wrong type, numbers out
 * of range, text too long) gets DHIS2's import report with an error report per problem and 409, as
 * DHIS2 answers a payload it refuses; nothing is written. Before, these were 500s.
 */
for (const engine of testEngines()) {
  describe(`malformed DHIS2 metadata [${engine}]`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(engine); });
    after(async () => { await t.close(); });

    const post = (body: unknown) => t.req('POST', '/api/metadata', t.adminToken, body);
    const errors = (body: any) => body.typeReports.flatMap((r: any) => r.objectReports.flatMap((o: any) => o.errorReports.map((e: any) => ({ klass: r.klass, index: o.index, ...e }))));

    test('entries that are not objects: one error report each, 409, status ERROR', async () => {
      const r = await post({ dataSets: [1, 2, 3] });
      assert.equal(r.status, 409, JSON.stringify(r.body));
      assert.equal(r.body.status, 'ERROR');
      assert.deepEqual(errors(r.body).map((e: any) => [e.klass, e.index, e.errorCode]), [['dataSets', 0, 'E4000'], ['dataSets', 1, 'E4000'], ['dataSets', 2, 'E4000']]);
      assert.match(errors(r.body)[0].message, /Entry 0 of `dataSets` must be an object, not number 1/);
      assert.deepEqual(r.body.stats, { created: 0, updated: 0, deleted: 0, ignored: 3, total: 3 });

      const nulls = await post({ dataElements: [null] });
      assert.equal(nulls.status, 409);
      assert.equal(errors(nulls.body)[0].errorCode, 'E4000');
      const notList = await post({ indicators: { id: 'x' } });
      assert.equal(notList.status, 409);
      assert.match(errors(notList.body)[0].message, /`indicators` must be a list of objects/);
    });

    test('properties of the wrong type, out of range or too long are named; nothing is written', async () => {
      const r = await post({
        dataSets: [{ id: 'ShapeDs0001', name: 'Shape', periodType: 'Monthly', timelyDays: 2147483648, expiryDays: 0.5, openFuturePeriods: '2', categoryCombo: 'bjDvmb4bfuf', dataSetElements: [null, { dataElement: 7 }] }],
        dataElements: [{ id: 'ShapeDe0001', name: { en: 'x' }, code: 'C'.repeat(51), valueType: 'NUMBER', zeroIsSignificant: 'yes', translations: 'hi' }],
        indicatorTypes: [{ id: 'ShapeIt0001', name: 'Per cent', factor: 1e308 }],
      });
      assert.equal(r.status, 409, JSON.stringify(r.body));
      const got = errors(r.body).map((e: any) => `${e.klass} ${e.errorProperty} ${e.errorCode}`);
      assert.deepEqual(got.sort(), [
        'dataElements code E4001', 'dataElements name E4000', 'dataElements translations E4000', 'dataElements zeroIsSignificant E4000',
        'dataSets categoryCombo E4000', 'dataSets dataSetElements[0] E4000', 'dataSets dataSetElements[1].dataElement E4000',
        'dataSets expiryDays E4000', 'dataSets openFuturePeriods E4000', 'dataSets timelyDays E4008',
        'indicatorTypes factor E4008',
      ]);
      const range = errors(r.body).find((e: any) => e.errorProperty === 'timelyDays');
      assert.equal(range.message, 'Allowed range for numeric property `timelyDays` is [0 to 2147483647], but number given was 2147483648');
      const long = errors(r.body).find((e: any) => e.errorProperty === 'code');
      assert.match(long.message, /Maximum length of property `code` is 50, but given length was 51/);
      for (const [table, id] of [['hmis_data_sets', 'ShapeDs0001'], ['hmis_data_elements', 'ShapeDe0001'], ['hmis_indicator_types', 'ShapeIt0001']] as const) {
        assert.equal(await t.db.kysely.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst(), undefined, `${table} untouched`);
      }
    });

    test('a well-formed payload still imports', async () => {
      const r = await post({ dataElements: [{ id: 'ShapeDe0002', name: 'Fine', shortName: 'Fine', code: 'SHAPE_FINE', valueType: 'INTEGER', zeroIsSignificant: false, categoryCombo: { id: 'bjDvmb4bfuf' }, translations: [{ locale: 'hi', property: 'NAME', value: 'ठीक' }] }] });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.stats.created, 1);
    });
  });
}
