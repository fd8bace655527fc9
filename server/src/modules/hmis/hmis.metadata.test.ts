import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { hasShared, readShared } from '../../test/shared.js';

const FIXTURE = ['fixtures', 'dhis2', 'dhis2-core_e2e_aggregate_metadata.json'] as const;

for (const engine of testEngines()) {
  describe(`DHIS2 metadata import [${engine}]`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(engine); });
    after(async () => { await t.close(); });

    test("DHIS2's default category model exists under DHIS2's ids", async () => {
      const coc = await t.db.kysely.selectFrom('hmis_category_option_combos').selectAll().where('id', '=', 'HllvX50cXC0').executeTakeFirst();
      assert.equal(coc?.combo_id, 'bjDvmb4bfuf');
    });

    test('the DHIS2 e2e aggregate metadata imports as-is, then again as updates', { skip: !hasShared(...FIXTURE) && 'needs ../shared' }, async () => {
      const payload = JSON.parse(readShared(...FIXTURE));
      const dry = await t.req('POST', '/api/metadata?dryRun=true', t.adminToken, payload);
      assert.equal(dry.status, 200, JSON.stringify(dry.body).slice(0, 500));
      assert.equal(await t.db.kysely.selectFrom('hmis_data_elements').select('id').where('id', '=', 'tpz77FcntKx').executeTakeFirst(), undefined, 'dry run writes nothing');

      const r = await t.req('POST', '/api/metadata', t.adminToken, payload);
      assert.equal(r.status, 200);
      assert.equal(r.body.status, 'WARNING', 'legend sets are not kept and one fixture rule has a malformed expression');
      const counts = Object.fromEntries(r.body.typeReports.map((x: any) => [x.klass, x.stats.created]));
      assert.deepEqual(counts, { categoryOptions: 8, categories: 3, categoryCombos: 3, categoryOptionCombos: 12, dataElements: 75, dataSets: 2, validationRules: 12, indicatorTypes: 2, indicators: 19, dataElementGroups: 7, indicatorGroups: 1, validationRuleGroups: 1 });
      assert.ok(r.body.warnings.some((w: string) => /legendSets/.test(w)));
      assert.ok(r.body.warnings.some((w: string) => /malformed/.test(w)));
      assert.ok(r.body.warnings.some((w: string) => /O6uvpzGd5pu/.test(w)), 'dangling org unit assignment is a warning');

      const sets = await t.req('GET', '/api/hmis/dataSets', t.adminToken);
      const monthly = sets.body.items.find((d: any) => d.id === 'VEM58nY22sO');
      assert.deepEqual([monthly.periodType, monthly.timelyDays, monthly.expiryDays, monthly.openFuturePeriods, monthly.elementCount], ['Monthly', 15, 0, 12, 66]);

      const form = await t.req('GET', '/api/hmis/dataSets/VEM58nY22sO/form', t.adminToken);
      assert.equal(form.status, 200);
      const elements = form.body.sections.flatMap((s: any) => s.elements);
      assert.equal(elements.length, 66);
      const byAgeSex = elements.find((e: any) => e.categoryCombo.id === 'IvYR8mc6prX');
      assert.equal(byAgeSex.categoryCombo.categoryOptionCombos.length, 6);
      assert.ok(form.body.validationRules.length > 0);

      const again = await t.req('POST', '/api/metadata', t.adminToken, payload);
      assert.equal(again.body.stats.created, 0);
      assert.equal(again.body.stats.updated, again.body.stats.total);
    });

    test('bad objects are refused with DHIS2 error reports and nothing is written (atomic)', async () => {
      const r = await t.req('POST', '/api/metadata', t.adminToken, {
        dataElements: [
          { id: 'AaaaaaaaaA1', name: 'Fine element', shortName: 'Fine', valueType: 'NUMBER', domainType: 'AGGREGATE', aggregationType: 'SUM', categoryCombo: { id: 'bjDvmb4bfuf' } },
          { id: 'AaaaaaaaaA2', name: 'Bad type', valueType: 'DECIMAL', categoryCombo: { id: 'bjDvmb4bfuf' } },
          { id: 'AaaaaaaaaA3', name: 'Bad combo', valueType: 'NUMBER', categoryCombo: { id: 'Nonexisting' } },
          { id: 'bad id', name: 'Bad id', valueType: 'NUMBER' },
        ],
      });
      assert.equal(r.status, 409);
      assert.equal(r.body.status, 'ERROR');
      const reports = r.body.typeReports[0].objectReports;
      assert.deepEqual(reports.map((o: any) => o.index), [1, 2, 3]);
      assert.equal(reports[1].errorReports[0].errorCode, 'E5002');
      assert.equal(reports[1].errorReports[0].errorProperty, 'categoryCombo');
      assert.equal(await t.db.kysely.selectFrom('hmis_data_elements').select('id').where('id', '=', 'AaaaaaaaaA1').executeTakeFirst(), undefined);
    });

    test('organisationUnits: matched by id, or created under an existing parent keeping the DHIS2 id', async () => {
      const hisar = (await t.req('GET', '/api/geo/units/63', t.adminToken)).body;
      const r = await t.req('POST', '/api/metadata', t.adminToken, {
        organisationUnits: [
          { id: hisar.id, name: 'HISAR (from DHIS2)' },
          { id: 'DhisFac0001', name: 'PHC from DHIS2', code: 'DHIS_PHC_1', parent: { id: hisar.id }, openingDate: '2010-01-01T00:00:00.000' },
          { id: 'DhisOrphan1', name: 'Orphan', parent: { id: 'NoSuchUnit1' } },
        ],
      });
      assert.equal(r.body.status, 'ERROR');
      assert.match(r.body.typeReports[0].objectReports[0].errorReports[0].message, /Parent `NoSuchUnit1`/);
      const ok = await t.req('POST', '/api/metadata', t.adminToken, {
        organisationUnits: [{ id: hisar.id, name: 'HISAR (from DHIS2)' }, { id: 'DhisFac0001', name: 'PHC from DHIS2', code: 'DHIS_PHC_1', parent: { id: hisar.id } }],
      });
      assert.equal(ok.body.status, 'OK');
      assert.deepEqual([ok.body.typeReports[0].stats.created, ok.body.typeReports[0].stats.updated], [1, 1]);
      const unit = (await t.req('GET', '/api/geo/units/DhisFac0001', t.adminToken)).body;
      assert.equal(unit.level, 'facility');
      assert.ok(unit.path.startsWith(hisar.path));
      assert.equal((await t.req('GET', '/api/geo/units/63', t.adminToken)).body.name, 'Hisar', 'existing geography keeps its name');
    });

    test('the form carries what a metadata editor must send back unchanged', async () => {
      const form = await t.req('GET', '/api/hmis/dataSets/HMIS_MONTHLY/form', t.adminToken);
      const e = form.body.sections.flatMap((x: any) => x.elements).find((x: any) => x.code === '1.1');
      const row = await t.db.kysely.selectFrom('hmis_data_elements').select(['short_name', 'aggregation_type']).where('id', '=', e.id).executeTakeFirstOrThrow();
      assert.equal(e.shortName, row.short_name);
      assert.equal(e.aggregationType, row.aggregation_type);
      assert.ok(e.translations.some((x: any) => x.locale === 'hi' && x.property === 'NAME'));
      assert.ok(form.body.dataSet.shortName);
      // Sent back as the editor sends it, with a new Hindi name: the short name and other translations stay.
      const others = e.translations.filter((x: any) => !(x.locale === 'hi' && x.property === 'NAME'));
      const r = await t.req('POST', '/api/metadata', t.adminToken, { dataElements: [{ id: e.id, code: e.code, name: e.name, shortName: e.shortName, valueType: e.valueType, aggregationType: e.aggregationType, categoryCombo: { id: e.categoryCombo.id }, zeroIsSignificant: e.zeroIsSignificant, formName: e.formName, translations: [...others, { property: 'NAME', locale: 'hi', value: 'नया नाम' }] }] });
      assert.equal(r.body.status, 'OK', JSON.stringify(r.body).slice(0, 300));
      const again = (await t.req('GET', '/api/hmis/dataSets/HMIS_MONTHLY/form', t.adminToken)).body.sections.flatMap((x: any) => x.elements).find((x: any) => x.code === '1.1');
      assert.deepEqual([again.nameHi, again.shortName, again.formNameHi], ['नया नाम', e.shortName, e.formNameHi]);
    });

    test('only metadata managers may import; the HMIS form is readable by staff', async () => {
      const officer = await t.userWith('district_officer', 63);
      const r = await t.req('POST', '/api/metadata', officer.token, { categoryOptions: [] });
      assert.equal(r.status, 403);
      const state = await t.userWith('state_officer', 6);
      assert.equal((await t.req('POST', '/api/metadata?dryRun=true', state.token, { categoryOptions: [{ id: 'CatOpt00001', name: 'X' }] })).status, 200);
      assert.equal((await t.req('GET', '/api/hmis/dataSets', officer.token)).status, 200);
      const citizen = await t.userWith('citizen', 6);
      assert.equal((await t.req('GET', '/api/hmis/dataSets', citizen.token)).status, 403);
      assert.equal((await t.req('GET', '/api/hmis/dataSets/nothing/form', officer.token)).status, 404);
    });
  });
}
