import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';

/**
 * Numbers outside their DHIS2 value type's range are refused in the import summary (E7619, the value
 * named) and not stored: DHIS2 keeps the integer types in a 32-bit int, NUMBER as a finite double.
 * Before, a 400-digit INTEGER was stored and then missing from analytics (it had no number to add).
 */
const TYPES = ['INTEGER', 'INTEGER_POSITIVE', 'INTEGER_NEGATIVE', 'INTEGER_ZERO_OR_POSITIVE', 'NUMBER', 'PERCENTAGE', 'UNIT_INTERVAL'] as const;
const de = (type: string) => `Rng${type.replace(/[^A-Z]/g, '').slice(0, 8).padEnd(8, 'X')}`;
const BIG = '9'.repeat(400);

/** [value type, value, accepted] */
const CASES: [typeof TYPES[number], string, boolean][] = [
  ['INTEGER', '2147483647', true], ['INTEGER', '-2147483648', true], ['INTEGER', '2147483648', false], ['INTEGER', '-2147483649', false], ['INTEGER', BIG, false],
  ['INTEGER_POSITIVE', '2147483647', true], ['INTEGER_POSITIVE', '2147483648', false], ['INTEGER_POSITIVE', '0', false],
  ['INTEGER_NEGATIVE', '-2147483648', true], ['INTEGER_NEGATIVE', '-2147483649', false],
  ['INTEGER_ZERO_OR_POSITIVE', '2147483647', true], ['INTEGER_ZERO_OR_POSITIVE', '99999999999', false],
  ['NUMBER', '1.5e300', true], ['NUMBER', '1e400', false], ['NUMBER', BIG, false],
  ['PERCENTAGE', '100', true], ['PERCENTAGE', '100.5', false], ['UNIT_INTERVAL', '1', true], ['UNIT_INTERVAL', '1.01', false],
];

for (const engine of testEngines()) {
  describe(`data values outside their value type's range [${engine}]`, () => {
    let t: TestApp;
    let facility: string;
    before(async () => {
      t = await startTestApp(engine);
      facility = (await t.req('POST', '/api/facilities', t.adminToken, facilityBody())).body.id;
      const m = await t.req('POST', '/api/metadata', t.adminToken, {
        dataElements: TYPES.map((type) => ({ id: de(type), name: `Range ${type}`, shortName: `Range ${type}`.slice(0, 50), valueType: type, zeroIsSignificant: true, categoryCombo: { id: 'bjDvmb4bfuf' } })),
        dataSets: [{ id: 'RangeDs0001', name: 'Ranges', periodType: 'Monthly', dataSetElements: TYPES.map((type) => ({ dataElement: { id: de(type) } })) }],
      });
      assert.equal(m.body.status, 'OK', JSON.stringify(m.body).slice(0, 500));
    });
    after(async () => { await t.close(); });

    test('each value is accepted or refused by its range; refused ones are named and not stored', async () => {
      // One period per case, so that no two cases share a key.
      const period = (i: number) => String(200001 + Math.floor(i / 12) * 100 + (i % 12));
      const dataValues = CASES.map(([type, value], i) => ({ dataElement: de(type), period: period(i), orgUnit: facility, value }));
      const r = await t.req('POST', '/api/dataValueSets', t.adminToken, { dataValues });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const refused = CASES.map((c, i) => [c, i] as const).filter(([c]) => !c[2]).map(([, i]) => i);
      assert.deepEqual(r.body.rejectedIndexes, refused, JSON.stringify(r.body.conflicts));
      assert.equal(r.body.importCount.imported, CASES.length - refused.length);
      for (const i of refused) {
        const c = r.body.conflicts.find((x: any) => x.indexes.includes(i));
        assert.equal(c.errorCode, 'E7619');
        assert.equal(c.property, 'value');
        assert.equal(c.object, CASES[i][1], 'the conflict names the value');
      }
      const integer = r.body.conflicts.find((x: any) => x.object === '2147483648' && /INTEGER\)/.test(x.value));
      assert.match(integer.value, /whole number from -2147483648 to 2147483647/);

      const stored = await t.db.kysely.selectFrom('hmis_data_values').select(['data_element_id', 'period', 'value', 'num_value']).where('org_unit_id', '=', facility).execute();
      assert.equal(stored.length, CASES.length - refused.length);
      for (const s of stored) assert.ok(s.num_value !== null && Number.isFinite(Number(s.num_value)), `stored ${s.value} has a number analytics can add`);
      assert.ok(!stored.some((s) => s.value.length > 20), 'no 400-digit value stored');
    });

    test('the largest INTEGER is in analytics', async () => {
      const a = await t.req('GET', `/api/hmis/analytics?dx=${de('INTEGER')}&pe=200001&ou=${facility}`, t.adminToken);
      assert.equal(a.status, 200, JSON.stringify(a.body));
      assert.deepEqual(a.body.rows.map((x: any) => Number(x.value)), [2147483647]);
    });
  });
}
