import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, testEngines, type TestApp } from '../../../test/harness.js';
import { todayIst } from '../../../platform/periods.js';
import { loadExportTestMetadata } from './dhis2.datavalues.fixture.js';

const DS = 'pBOMPrpg1QX';
const DEF = 'HllvX50cXC0';
const URL = '/api/completeDataSetRegistrations';

for (const engine of testEngines()) {
  describe(`DHIS2 completeDataSetRegistrations [${engine}]`, () => {
    let t: TestApp;
    let operator: { token: string; username: string };
    let district: { token: string };
    let hisarId: string;
    before(async () => {
      t = await startTestApp(engine);
      await loadExportTestMetadata(t);
      hisarId = (await t.req('GET', '/api/geo/units/63', t.adminToken)).body.id;
      operator = await t.userWith('facility_operator', 'DiszpKrYNg8');
      district = await t.userWith('district_officer', 63);
    });
    after(async () => { await t.close(); });
    const list = (token: string, q: string) => t.req('GET', `${URL}?${q}`, token);

    test('POST completes each return through the returns service: the caller\'s area, the data set and the period type are checked per registration, with DHIS2\'s import summary', async () => {
      const r = await t.req('POST', URL, operator.token, { completeDataSetRegistrations: [
        { dataSet: DS, period: '201201', organisationUnit: 'DiszpKrYNg8', attributeOptionCombo: DEF, storedBy: 'someone', completed: true },
        { dataSet: DS, period: '201201', organisationUnit: 'BdfsJfj87js' },
        { dataSet: 'NoSuchDataSt', period: '201201', organisationUnit: 'DiszpKrYNg8' },
        { dataSet: DS, period: '2012Q1', organisationUnit: 'DiszpKrYNg8' },
        { dataSet: DS, period: '201202', organisationUnit: 'DiszpKrYNg8', attributeOptionCombo: 'kjuiHgy67hg' },
      ] });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.responseType, 'ImportSummary');
      assert.equal(r.body.status, 'WARNING');
      assert.deepEqual(r.body.importCount, { imported: 1, updated: 0, ignored: 0, deleted: 0 });
      assert.deepEqual(r.body.rejectedIndexes, [1, 2, 3, 4]);
      assert.deepEqual(r.body.conflicts.map((c: any) => [c.indexes[0], c.errorCode, c.property]), [
        [1, 'E7615', 'completeDataSetRegistration'], [2, 'E7600', 'dataSet'], [3, 'E7600', 'completeDataSetRegistration'], [4, 'E7614', 'attributeOptionCombo']]);
      assert.match(r.body.conflicts[0].value, /outside your area/);
      assert.match(r.body.conflicts[2].value, /Monthly/);
      // The return is completed as the returns screen knows it.
      const status = await t.req('GET', `/api/hmis/returns?dataSet=${DS}&period=201201&orgUnit=${hisarId}`, district.token);
      assert.match(status.body.items.find((i: any) => i.id === 'DiszpKrYNg8').status, /^completed_/);
      // Sent again, the first completion stands.
      const again = await t.req('POST', URL, operator.token, { completeDataSetRegistrations: [{ dataSet: DS, period: '201201', organisationUnit: 'DiszpKrYNg8' }] });
      assert.deepEqual(again.body.importCount, { imported: 0, updated: 0, ignored: 1, deleted: 0 });
    });

    test('GET answers DHIS2\'s shape for the area asked (children too), only inside the caller\'s area; an admin\'s date keeps its calendar day and the answer goes back in unchanged', async () => {
      const old = await t.req('POST', `${URL}?idScheme=CODE`, t.adminToken, { completeDataSetRegistrations: [{ dataSet: 'DS_A', period: '201905', organisationUnit: 'OU_B', date: '2019-06-05' }] });
      assert.equal(old.body.importCount.imported, 1, JSON.stringify(old.body));
      const all = await list(district.token, `dataSet=${DS}&period=201201&period=201905&orgUnit=${hisarId}&children=true`);
      assert.equal(all.status, 200, JSON.stringify(all.body));
      const rows = all.body.completeDataSetRegistrations;
      assert.deepEqual(rows.map((x: any) => [x.dataSet, x.period, x.organisationUnit, x.attributeOptionCombo, x.completed]).sort(),
        [[DS, '201201', 'DiszpKrYNg8', DEF, true], [DS, '201905', 'BdfsJfj87js', DEF, true]]);
      const mine = rows.find((x: any) => x.period === '201201');
      assert.equal(mine.storedBy, operator.username);
      assert.equal(mine.date.slice(0, 10), todayIst());
      assert.equal(rows.find((x: any) => x.period === '201905').date, '2019-06-05T00:00:00.000');
      // Without children only the unit itself; by code under idScheme=CODE.
      const byCode = await list(t.adminToken, `dataSet=DS_A&startDate=2019-01-01&endDate=2019-12-31&orgUnit=BdfsJfj87js&idScheme=CODE`);
      assert.deepEqual(byCode.body.completeDataSetRegistrations.map((x: any) => [x.dataSet, x.organisationUnit, x.attributeOptionCombo]), [['DS_A', 'OU_B', 'OC_DEF_CODE']]);
      assert.deepEqual((await list(district.token, `dataSet=${DS}&period=201201&orgUnit=${hisarId}`)).body.completeDataSetRegistrations, []);
      const back = await t.req('POST', URL, t.adminToken, all.body);
      assert.deepEqual(back.body.importCount, { imported: 0, updated: 0, ignored: 2, deleted: 0 });
      // Outside the caller's area: 403; missing filters: 400 naming them.
      assert.equal((await list(operator.token, `dataSet=${DS}&period=201905&orgUnit=BdfsJfj87js`)).status, 403);
      const bad = await list(district.token, `dataSet=${DS}&orgUnit=${hisarId}`);
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /period, or startDate and endDate/);
    });

    test('completed: false and DELETE un-complete through the returns service, which refuses an approved return', async () => {
      const approve = await t.req('POST', '/api/hmis/returns/approve', district.token, { dataSet: DS, period: '201201', orgUnit: 'DiszpKrYNg8' });
      assert.equal(approve.status, 200, JSON.stringify(approve.body));
      const undo = await t.req('POST', URL, operator.token, { completeDataSetRegistrations: [{ dataSet: DS, period: '201201', organisationUnit: 'DiszpKrYNg8', completed: false }] });
      assert.equal(undo.body.status, 'ERROR');
      assert.deepEqual(undo.body.conflicts.map((c: any) => c.errorCode), ['E7643']);
      assert.match(undo.body.conflicts[0].value, /approved/);
      const refused = await t.app.inject({ method: 'DELETE', url: `${URL}?ds=${DS}&pe=201201&ou=DiszpKrYNg8`, headers: { authorization: `Bearer ${operator.token}` } });
      assert.equal(refused.statusCode, 409, refused.body);
      assert.equal((await t.app.inject({ method: 'DELETE', url: `${URL}?ds=${DS}&pe=201905&ou=BdfsJfj87js`, headers: { authorization: `Bearer ${operator.token}` } })).statusCode, 403);
      const del = await t.app.inject({ method: 'DELETE', url: `${URL}?ds=${DS}&pe=201905&ou=${hisarId}&multiOu=true`, headers: { authorization: `Bearer ${t.adminToken}` } });
      assert.equal(del.statusCode, 204, del.body);
      assert.deepEqual((await list(t.adminToken, `dataSet=${DS}&period=201905&orgUnit=BdfsJfj87js`)).body.completeDataSetRegistrations, []);
      const unapprove = await t.req('POST', '/api/hmis/returns/unapprove', district.token, { dataSet: DS, period: '201201', orgUnit: 'DiszpKrYNg8', reason: 'recount' });
      assert.equal(unapprove.status, 200, JSON.stringify(unapprove.body));
      const undone = await t.req('POST', URL, operator.token, { completeDataSetRegistrations: [{ dataSet: DS, period: '201201', organisationUnit: 'DiszpKrYNg8', completed: false }] });
      assert.deepEqual(undone.body.importCount, { imported: 0, updated: 0, ignored: 0, deleted: 1 }, JSON.stringify(undone.body));
    });

    test('a data set with validCompleteOnly refuses a registration whose return fails a validation rule, naming the rule, as the returns screen does', async () => {
      const meta = await t.req('POST', '/api/metadata', t.adminToken, {
        dataElements: ['StrictEl001', 'StrictEl002'].map((id) => ({ id, name: `Strict ${id}`, shortName: id, valueType: 'INTEGER', domainType: 'AGGREGATE', aggregationType: 'SUM', categoryCombo: { id: 'bjDvmb4bfuf' } })),
        dataSets: [{ id: 'StrictDs001', name: 'Strict data set', shortName: 'Strict', periodType: 'Monthly', validCompleteOnly: true, dataSetElements: [{ dataElement: { id: 'StrictEl001' } }, { dataElement: { id: 'StrictEl002' } }], organisationUnits: [{ id: 'DiszpKrYNg8' }] }],
        validationRules: [{ id: 'StrictRule1', name: 'Deaths not above admissions', operator: 'less_than_or_equal_to', periodType: 'Monthly', leftSide: { expression: '#{StrictEl001}' }, rightSide: { expression: '#{StrictEl002}' } }],
      });
      assert.equal(meta.body.status, 'OK', JSON.stringify(meta.body).slice(0, 600));
      const values = await t.req('POST', '/api/dataValueSets', t.adminToken, { dataSet: 'StrictDs001', period: '201203', orgUnit: 'DiszpKrYNg8', dataValues: [{ dataElement: 'StrictEl001', value: '10' }, { dataElement: 'StrictEl002', value: '5' }] });
      assert.equal(values.body.importCount.imported, 2, JSON.stringify(values.body));
      const r = await t.req('POST', URL, operator.token, { completeDataSetRegistrations: [{ dataSet: 'StrictDs001', period: '201203', organisationUnit: 'DiszpKrYNg8' }] });
      assert.equal(r.body.status, 'ERROR', JSON.stringify(r.body));
      assert.deepEqual(r.body.conflicts.map((c: any) => c.errorCode), ['E7644']);
      assert.match(r.body.conflicts[0].value, /Deaths not above admissions/);
      assert.deepEqual((await list(t.adminToken, 'dataSet=StrictDs001&period=201203&orgUnit=DiszpKrYNg8')).body.completeDataSetRegistrations, []);
    });

    test('registrations of one return sent at once: one completes it, the others find it completed, none fails', async () => {
      const one = { completeDataSetRegistrations: [{ dataSet: DS, period: '201206', organisationUnit: 'DiszpKrYNg8' }] };
      const answers = await Promise.all(Array.from({ length: 6 }, () => t.req('POST', URL, operator.token, one)));
      assert.deepEqual(answers.map((a) => a.status), Array(6).fill(200), JSON.stringify(answers.map((a) => a.body)));
      assert.deepEqual(answers.map((a) => a.body.importCount.imported).sort(), [0, 0, 0, 0, 0, 1]);
      assert.equal(answers.reduce((n, a) => n + a.body.importCount.ignored, 0), 5);
      const rows = await t.db.kysely.selectFrom('hmis_complete_registrations').select('completed_at').where('data_set_id', '=', DS).where('period', '=', '201206').execute();
      assert.equal(rows.length, 1);
    });

    test('a body that is not DHIS2\'s is a 400; a role without the right is a 403 before the body is read', async () => {
      const bad = await t.req('POST', URL, operator.token, { dataSet: DS });
      assert.equal(bad.status, 400);
      const citizen = await t.userWith('citizen', 'DiszpKrYNg8').catch(() => null);
      if (citizen) assert.equal((await t.req('POST', URL, citizen.token, '{"not json', { 'content-type': 'application/json' })).status, 403);
    });
  });
}
