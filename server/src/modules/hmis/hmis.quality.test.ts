import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { arithmetic, evaluate, violates } from './hmis.expression.js';
import { stats, zScore } from './hmis.quality.js';

describe('DHIS2 expressions', () => {
  test('arithmetic without eval', () => {
    assert.equal(arithmetic('1 + 2 * 3'), 7);
    assert.equal(arithmetic('(1 + 2) * 3 / 2'), 4.5);
    assert.equal(arithmetic('-4 + 10'), 6);
    assert.equal(arithmetic('process.exit()'), null);
    assert.equal(arithmetic('2 +'), null);
  });
  test('operands, missing values and strategies', () => {
    const src = (o: { de: string; coc: string | null }) => ({ Aaaaaaaaaa1: 10, 'Aaaaaaaaaa1.Cccccccccc1': 4 } as Record<string, number>)[o.coc ? `${o.de}.${o.coc}` : o.de] ?? null;
    assert.deepEqual(evaluate('#{Aaaaaaaaaa1} + #{Bbbbbbbbbb1}', src), { value: 10, missing: 1, present: 1, malformed: false });
    assert.equal(evaluate('#{Aaaaaaaaaa1.Cccccccccc1} * 2', src).value, 8);
    const le = (l: string, r: string, ls = 'NEVER_SKIP') => violates('less_than_or_equal_to', { expression: l, missingValueStrategy: ls }, { expression: r, missingValueStrategy: 'NEVER_SKIP' }, src);
    assert.deepEqual(le('#{Aaaaaaaaaa1}', '#{Aaaaaaaaaa1.Cccccccccc1}'), { left: 10, right: 4 });
    assert.equal(le('#{Aaaaaaaaaa1.Cccccccccc1}', '#{Aaaaaaaaaa1}'), null);
    assert.equal(le('#{Bbbbbbbbbb1} + 20', '#{Aaaaaaaaaa1}', 'SKIP_IF_ANY_VALUE_MISSING'), null, 'skipped');
    assert.deepEqual(le('#{Bbbbbbbbbb1} + 20', '#{Aaaaaaaaaa1}'), { left: 20, right: 10 }, 'missing counts as 0');
    assert.equal(violates('less_than', { expression: '#{Aaaaaaaaaa1', missingValueStrategy: 'NEVER_SKIP' }, { expression: '1', missingValueStrategy: 'NEVER_SKIP' }, src), null, 'malformed expressions are skipped');
  });
  test('modified z-score', () => {
    const st = stats([100, 102, 98, 101, 99, 100])!;
    assert.deepEqual([st.median, st.mad], [100, 1]);
    assert.ok(Math.abs(zScore(1000, st)) > 3.5);
    assert.ok(Math.abs(zScore(101, st)) < 3.5);
    assert.equal(zScore(100, stats([100, 100, 100])!), 0);
    assert.equal(zScore(200, stats([100, 100, 100])!), Infinity);
  });
});

for (const engine of testEngines()) {
  describe(`data quality [${engine}]`, () => {
    let t: TestApp;
    let fac: string;
    let el: Record<string, string>;
    let coc: string;
    before(async () => {
      t = await startTestApp(engine);
      const form = await t.req('GET', '/api/hmis/dataSets/HMIS_MONTHLY/form', t.adminToken);
      const elements = form.body.sections.flatMap((s: any) => s.elements);
      el = Object.fromEntries(elements.map((e: any) => [e.code, e.id]));
      coc = elements.find((e: any) => e.code === '1.1').categoryCombo.categoryOptionCombos[0].id;
      fac = (await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Quality', orgUnit: 73, latitude: 28.9, longitude: 76.6 }))).body.id;
      const months = ['202401', '202402', '202403', '202404', '202405', '202406', '202407', '202408', '202409', '202410'];
      for (const [i, pe] of months.entries()) {
        await t.req('POST', '/api/dataValueSets', t.adminToken, { dataSet: 'HMIS_MONTHLY', period: pe, orgUnit: fac, dataValues: [{ dataElement: el['1.1'], categoryOptionCombo: coc, value: String(100 + (i % 3)) }] });
      }
      await t.req('POST', '/api/dataValueSets', t.adminToken, { dataSet: 'HMIS_MONTHLY', period: '202411', orgUnit: fac, dataValues: [{ dataElement: el['1.1'], value: '1000' }, { dataElement: el['1.1.1'], value: '1200' }] });
    });
    after(async () => { await t.close(); });

    test("history gives the facility's own median and spread", async () => {
      const h = await t.req('GET', `/api/hmis/dataSets/HMIS_MONTHLY/history?orgUnit=${fac}&period=202411`, t.adminToken);
      assert.equal(h.status, 200);
      const item = h.body.items.find((i: any) => i.dataElement === el['1.1']);
      assert.deepEqual([item.n, item.median, item.min, item.max], [10, 101, 100, 102]);
    });

    test('the jump to 1000 is an outlier on the district list', async () => {
      const o = await t.req('GET', '/api/hmis/outliers?dataSet=HMIS_MONTHLY&period=202411&orgUnit=73', t.adminToken);
      assert.equal(o.status, 200, JSON.stringify(o.body));
      assert.equal(o.body.items.length, 1);
      assert.deepEqual([o.body.items[0].name, o.body.items[0].code, o.body.items[0].value, o.body.items[0].median], ['PHC Quality', '1.1', 1000, 101]);
    });

    test('validation: registered in the first trimester cannot exceed total ANC registrations', async () => {
      const v = await t.req('POST', '/api/hmis/validation/run', t.adminToken, { dataSet: 'HMIS_MONTHLY', period: '202411', orgUnit: fac });
      assert.equal(v.status, 200);
      const hit = v.body.violations.find((x: any) => x.leftValue === 1200 && x.rightValue === 1000);
      assert.ok(hit, JSON.stringify(v.body.violations));
      assert.ok(hit.rule.nameHi, 'rules have Hindi names');
      const area = await t.req('GET', '/api/hmis/validation/violations?dataSet=HMIS_MONTHLY&period=202411&orgUnit=73', t.adminToken);
      assert.ok(area.body.items.some((x: any) => x.name === 'PHC Quality'));
      const clean = await t.req('POST', '/api/hmis/validation/run', t.adminToken, { dataSet: 'HMIS_MONTHLY', period: '202410', orgUnit: fac });
      assert.deepEqual(clean.body.violations, []);
    });

    test('scope: another district cannot look', async () => {
      const other = await t.userWith('district_officer', 63);
      assert.equal((await t.req('GET', '/api/hmis/outliers?dataSet=HMIS_MONTHLY&period=202411&orgUnit=73', other.token)).status, 403);
      assert.equal((await t.req('GET', `/api/hmis/dataSets/HMIS_MONTHLY/history?orgUnit=${fac}&period=202411`, other.token)).status, 403);
      assert.equal((await t.req('POST', '/api/hmis/validation/run', other.token, { dataSet: 'HMIS_MONTHLY', period: '202411', orgUnit: fac })).status, 403);
      assert.equal((await t.req('GET', '/api/hmis/validation/violations?dataSet=HMIS_MONTHLY&period=202411&orgUnit=73', other.token)).status, 403);
    });
  });
}
