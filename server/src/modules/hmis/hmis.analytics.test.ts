import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { periodOfType, previousPeriod, todayIst } from '../../platform/periods.js';
import { DEFAULTS } from './hmis.metadata.types.js';
import { facilityReclassified } from './hmis.analytics.js';

const LAST_MONTH = previousPeriod(periodOfType('Monthly', todayIst())).id;

for (const engine of testEngines()) {
  describe(`HMIS analytics, current as data lands [${engine}]`, () => {
    let t: TestApp;
    let de11: string;
    let de111: string;
    const f: Record<string, string> = {};
    before(async () => {
      t = await startTestApp(engine);
      const form = await t.req('GET', '/api/hmis/dataSets/HMIS_MONTHLY/form', t.adminToken);
      const els = form.body.sections.flatMap((s: any) => s.elements);
      de11 = els.find((e: any) => e.code === '1.1').id;
      de111 = els.find((e: any) => e.code === '1.1.1').id;
      const mk = async (o: Record<string, unknown>) => {
        const r = await t.req('POST', '/api/facilities', t.adminToken, facilityBody(o));
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body.id as string;
      };
      // Panchkula (70): a public PHC and a private hospital; Hisar (63): a public PHC. Both in Haryana (state 6).
      f.a = await mk({ name: 'PHC Pinjore', orgUnit: 70, latitude: 30.69, longitude: 76.86 });
      f.b = await mk({ name: 'Private Hospital Sector 6', orgUnit: 70, type: 'PRIVATE_HOSPITAL', ownership: 'private', latitude: 30.69, longitude: 76.86 });
      f.c = await mk({ name: 'PHC Adampur', orgUnit: 63 });
      const values: [string, string, string, string][] = [
        [f.a, '202404', de11, '10'], [f.a, '202405', de11, '20'], [f.a, '202501', de11, '5'], [f.a, '202404', de111, '4'],
        [f.b, '202404', de11, '7'], [f.b, '202404', de111, '3'],
        [f.c, '202404', de11, '100'],
      ];
      const r = await t.req('POST', '/api/dataValueSets', t.adminToken, { dataValues: values.map(([orgUnit, period, dataElement, value]) => ({ orgUnit, period, dataElement, value })) });
      assert.equal(r.body.status, 'SUCCESS', JSON.stringify(r.body.conflicts));
      assert.equal(r.body.importCount.imported, values.length);
    });
    after(async () => { await t.close(); });

    const get = async (query: string, token = t.adminToken) => {
      const r = await t.req('GET', `/api/hmis/analytics?${query}`, token);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body;
    };
    /** Rows as 'dx pe ou [by]' → value, with ids shown as the names the test gave them. */
    const table = (body: any) => {
      const alias = new Map<string, string>([[de11, '1.1'], [de111, '1.1.1'], [f.a, 'A'], [f.b, 'B'], [f.c, 'C']]);
      const n = (id: string) => alias.get(id) ?? body.metaData.items[id]?.code ?? body.metaData.items[id]?.name ?? id;
      return Object.fromEntries(body.rows.map((r: any) => [[n(r.dx), r.pe, n(r.ou), ...(r.by ? [r.by] : [])].join(' '), r.value]));
    };

    test('facility → district → state, rows at a level below the unit', async () => {
      assert.deepEqual(table(await get(`dx=1.1&pe=202404&ou=${f.a}`)), { '1.1 202404 A': 10 });
      const district = await get('dx=1.1&pe=202404&ou=70');
      assert.deepEqual(table(district), { '1.1 202404 Panchkula': 17 });
      assert.deepEqual(district.headers, ['dx', 'pe', 'ou', 'value']);
      assert.deepEqual(district.metaData.items[de11].code, '1.1');
      assert.equal(district.metaData.items['202404'].name, 'April 2024');
      assert.equal(district.metaData.items[district.metaData.ou[0]].nameHi, 'पंचकूला');
      assert.match(district.lastDataAt, /^\d{4}-\d{2}-\d{2}T/);
      assert.deepEqual(table(await get('dx=1.1&pe=202404&ou=state:6')), { '1.1 202404 Haryana': 117 });
      assert.deepEqual(table(await get('dx=1.1&pe=202404&ou=state:6&level=district')), { '1.1 202404 Hisar': 100, '1.1 202404 Panchkula': 17 });
      assert.deepEqual(table(await get('dx=1.1&pe=202404&ou=70&level=facility')), { '1.1 202404 A': 10, '1.1 202404 B': 7 });
      assert.deepEqual(table(await get('dx=1.1&pe=202404&ou=state:6&level=facility')), { '1.1 202404 A': 10, '1.1 202404 B': 7, '1.1 202404 C': 100 });
      assert.deepEqual(table(await get('dx=1.1&pe=202404&ou=70&level=block')), {}, 'these facilities are not under a block');
    });

    test('months sum into quarters, years and financial years; elements by code or id, operands', async () => {
      const body = await get(`dx=1.1;${de111}&pe=2024Q2;2024;2024April;202406&ou=70`);
      assert.deepEqual(table(body), {
        '1.1 2024Q2 Panchkula': 37, '1.1 2024 Panchkula': 37, '1.1 2024April Panchkula': 42,
        '1.1.1 2024Q2 Panchkula': 7, '1.1.1 2024 Panchkula': 7, '1.1.1 2024April Panchkula': 7,
      });
      assert.deepEqual(body.metaData.pe, ['2024Q2', '2024', '2024April', '202406']);
      assert.equal(body.metaData.items['2024April'].name, 'April 2024–March 2025');
      assert.equal(body.metaData.items['2024Q2'].nameHi, 'अप्रैल–जून 2024');
      const op = await get(`dx=${de11}.${DEFAULTS.categoryOptionCombo};1.1.1.${DEFAULTS.categoryOptionCombo}&pe=2024Q2&ou=70`);
      assert.deepEqual(Object.fromEntries(op.rows.map((r: any) => [r.dx, r.value])), { [`${de11}.${DEFAULTS.categoryOptionCombo}`]: 37, [`${de111}.${DEFAULTS.categoryOptionCombo}`]: 7 });
    });

    test('split by ownership and by facility type', async () => {
      const own = await get('dx=1.1&pe=202404&ou=state:6&level=district&by=ownership');
      assert.deepEqual(own.headers, ['dx', 'pe', 'ou', 'value', 'by']);
      assert.deepEqual(table(own), { '1.1 202404 Hisar public': 100, '1.1 202404 Panchkula private': 7, '1.1 202404 Panchkula public': 10 });
      assert.equal(own.metaData.items.private.name, 'Private');
      assert.deepEqual(table(await get('dx=1.1&pe=2024Q2&ou=70&by=type')), { '1.1 2024Q2 Panchkula PHC': 30, '1.1 2024Q2 Panchkula PRIVATE_HOSPITAL': 7 });
      assert.deepEqual(table(await get('dx=1.1&pe=202404&ou=70&level=facility&by=ownership')), { '1.1 202404 A public': 10, '1.1 202404 B private': 7 });
    });

    test('an indicator: numerator / denominator × factor, rounded; nothing where the denominator is missing', async () => {
      const body = await get('dx=HMIS_IND_ANC_TRIM1&pe=202404;2024Q2&ou=state:6&level=district');
      const v = table(body);
      assert.deepEqual(v, { 'HMIS_IND_ANC_TRIM1 202404 Panchkula': 41.18, 'HMIS_IND_ANC_TRIM1 2024Q2 Panchkula': 18.92 }, '7/17 and 7/37; Hisar has no 1.1.1');
      assert.match(body.metaData.items[body.metaData.dx[0]].name, /first trimester/);
      assert.deepEqual(table(await get('dx=HMIS_IND_ANC_TRIM1&pe=202501&ou=70')), {}, 'no numerator data, no row');
    });

    test('the aggregate is current: an update and a delete show in the very next call', async () => {
      const send = (value: string) => t.req('POST', '/api/dataValueSets', t.adminToken, { dataValues: [{ orgUnit: f.a, period: '202404', dataElement: de11, value }] });
      const before = (await get('dx=1.1&pe=202404&ou=70')).lastDataAt;
      assert.equal((await send('15')).body.importCount.updated, 1);
      const now = await get('dx=1.1&pe=202404;2024Q2&ou=state:6&level=district');
      assert.deepEqual(table(now), { '1.1 202404 Hisar': 100, '1.1 202404 Panchkula': 22, '1.1 2024Q2 Hisar': 100, '1.1 2024Q2 Panchkula': 42 });
      assert.ok(now.lastDataAt >= before);
      assert.equal((await send('')).body.importCount.deleted, 1);
      assert.deepEqual(table(await get('dx=1.1&pe=202404&ou=state:6')), { '1.1 202404 Haryana': 107 });
      assert.deepEqual(table(await get('dx=1.1&pe=202404&ou=70&level=facility')), { '1.1 202404 B': 7 });
      await t.req('POST', '/api/dataValueSets?importStrategy=DELETE', t.adminToken, { dataValues: [{ orgUnit: f.b, period: '202404', dataElement: de11, value: '7' }] });
      assert.deepEqual(table(await get('dx=1.1&pe=202404&ou=70')), {}, 'nothing left, no row');
      assert.equal((await send('10')).body.importCount.imported, 1);
      await t.req('POST', '/api/dataValueSets', t.adminToken, { dataValues: [{ orgUnit: f.b, period: '202404', dataElement: de11, value: '7' }] });
      assert.deepEqual(table(await get('dx=1.1&pe=202404&ou=70')), { '1.1 202404 Panchkula': 17 });
    });

    test('concurrent writers of the same values keep the aggregate equal to the values', async () => {
      const writes = Array.from({ length: 12 }, (_, i) => t.req('POST', '/api/dataValueSets', t.adminToken, {
        dataValues: [{ orgUnit: f.c, period: '202406', dataElement: de11, value: String(i + 1) }, { orgUnit: f.a, period: '202406', dataElement: de11, value: String(50 + i) }],
      }));
      const done = await Promise.all(writes);
      for (const w of done) assert.equal(w.status, 200, JSON.stringify(w.body));
      // Every writer found the key new; one stored each, the others (retried) found it stored.
      assert.equal(done.reduce((a, w) => a + w.body.importCount.imported, 0), 2);
      assert.equal(done.reduce((a, w) => a + w.body.importCount.imported + w.body.importCount.updated + w.body.importCount.ignored, 0), 24);
      const facilities = table(await get('dx=1.1&pe=202406&ou=state:6&level=facility'));
      const total = Object.values(facilities).reduce((a: number, b) => a + (b as number), 0);
      assert.deepEqual(table(await get('dx=1.1&pe=202406&ou=state:6')), { '1.1 202406 Haryana': total });
      const districts = table(await get('dx=1.1&pe=202406&ou=state:6&level=district'));
      assert.deepEqual(districts, { '1.1 202406 Hisar': facilities['1.1 202406 C'], '1.1 202406 Panchkula': facilities['1.1 202406 A'] });
    });

    test('a facility with data is closed, not deleted, and then no longer expected to report', async () => {
      const del = await t.req('DELETE', `/api/facilities/${f.c}`, t.adminToken);
      assert.equal(del.status, 409);
      assert.match(del.body.error.message, /PHC Adampur has reported HMIS or surveillance data.*closing date/);
      const rate = (await t.req('GET', `/api/hmis/reporting-rates?dataSet=HMIS_MONTHLY&period=${LAST_MONTH}&orgUnit=63`, t.adminToken)).body;
      const badClose = await t.req('PATCH', `/api/facilities/${f.c}`, t.adminToken, { openedOn: '2020-01-01', closedOn: '2019-12-31' });
      assert.equal(badClose.status, 400);
      assert.equal(badClose.body.error.details.fields[0].field, 'closedOn');
      const closed = await t.req('PATCH', `/api/facilities/${f.c}`, t.adminToken, { closedOn: '2024-07-01' });
      assert.equal(closed.status, 200, JSON.stringify(closed.body));
      assert.equal(closed.body.closedOn, '2024-07-01');
      const after = (await t.req('GET', `/api/hmis/reporting-rates?dataSet=HMIS_MONTHLY&period=${LAST_MONTH}&orgUnit=63`, t.adminToken)).body;
      assert.equal(after.expected, rate.expected - 1);
      assert.deepEqual(table(await get('dx=1.1&pe=202404&ou=63')), { '1.1 202404 Hisar': 100 }, 'its history stays');
      assert.equal((await t.req('PATCH', `/api/facilities/${f.c}`, t.adminToken, { closedOn: null })).body.closedOn, null);
    });

    test('relative periods expand to months', async () => {
      await t.req('POST', '/api/dataValueSets', t.adminToken, { dataValues: [{ orgUnit: f.c, period: LAST_MONTH, dataElement: de11, value: '9' }] });
      const body = await get('dx=1.1&pe=LAST_12_MONTHS;LAST_MONTH&ou=63');
      assert.equal(body.metaData.pe.length, 12);
      assert.equal(body.metaData.pe[11], LAST_MONTH);
      assert.deepEqual(table(body), { [`1.1 ${LAST_MONTH} Hisar`]: 9 });
      const fy = await get('dx=1.1&pe=THIS_FINANCIAL_YEAR&ou=63');
      assert.equal(fy.metaData.pe.length, 12);
      assert.ok(fy.metaData.pe[0].endsWith('04'));
    });

    test('CSV and Excel', async () => {
      const csv = await t.app.inject({ method: 'GET', url: '/api/hmis/analytics?dx=1.1&pe=202404&ou=state:6&level=district&format=csv', headers: { authorization: `Bearer ${t.adminToken}` } });
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers['content-type']), /text\/csv/);
      const lines = csv.body.trim().split('\n');
      assert.equal(lines[0], 'dx,dx_name,pe,pe_name,ou,ou_name,value');
      assert.ok(lines.some((l) => l.endsWith(',Hisar,100')), csv.body);
      const xlsx = await t.app.inject({ method: 'GET', url: '/api/hmis/analytics?dx=1.1&pe=202404&ou=70&format=xlsx', headers: { authorization: `Bearer ${t.adminToken}` } });
      assert.equal(xlsx.statusCode, 200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.rawPayload as any);
      const ws = wb.worksheets[0];
      assert.equal(ws.getRow(1).getCell(1).value, 'dx');
      assert.equal(ws.getRow(2).getCell(7).value, 17);
    });

    test('a facility whose type changes moves to its new group', async () => {
      await t.db.kysely.transaction().execute(async (trx) => {
        await trx.updateTable('facilities').set({ type: 'CHC' }).where('id', '=', f.a).execute();
        await facilityReclassified(trx, f.a, { ownership: 'public', type: 'PHC' });
      });
      assert.deepEqual(table(await get('dx=1.1&pe=202404&ou=70&by=type')), { '1.1 202404 Panchkula CHC': 10, '1.1 202404 Panchkula PRIVATE_HOSPITAL': 7 });
      assert.deepEqual(table(await get('dx=1.1&pe=202404&ou=70')), { '1.1 202404 Panchkula': 17 });
    });

    test('scope: a district officer sees their district, not another', async () => {
      const hisar = await t.userWith('district_officer', 63);
      assert.deepEqual(table(await get('dx=1.1&pe=202404&ou=63', hisar.token)), { '1.1 202404 Hisar': 100 });
      for (const ou of ['70', 'state:6', f.a]) {
        assert.equal((await t.req('GET', `/api/hmis/analytics?dx=1.1&pe=202404&ou=${ou}`, hisar.token)).status, 403, ou);
      }
      assert.equal((await t.req('GET', '/api/hmis/analytics?dx=1.1&pe=202404&ou=70')).status, 401);
    });

    test('bad input is a 400 naming the parameter', async () => {
      const bad = async (query: string, pattern: RegExp) => {
        const r = await t.req('GET', `/api/hmis/analytics?${query}`, t.adminToken);
        assert.equal(r.status, 400, `${query}: ${JSON.stringify(r.body)}`);
        assert.match(r.body.error.message, pattern, query);
      };
      await bad('dx=1.1;NOPE;9.9.9&pe=202404&ou=70', /dx.*NOPE, 9\.9\.9/);
      await bad('dx=1.1&pe=202413&ou=70', /202413/);
      await bad('dx=1.1&pe=2024W5&ou=70', /pe: 2024W5 is shorter than a month/);
      await bad('dx=1.1&pe=LAST_5_DECADES&ou=70', /pe: LAST_5_DECADES/);
      await bad('dx=1.1&pe=202404&ou=70&level=village', /level/);
      await bad(`dx=1.1&pe=202404&ou=${f.a}&level=district`, /level district is not below/);
      await bad('dx=1.1&pe=202404&ou=70&by=colour', /by/);
      await bad('pe=202404&ou=70', /dx/);
      await bad('dx=1.1&pe=202404&ou=no such place!', /ou/);
    });

    test('a facility that moves district or changes ownership takes its data along, at once', async () => {
      const mover = (await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'CHC Mover', type: 'CHC', orgUnit: 71, latitude: 29.39, longitude: 76.97 }))).body.id;
      await t.req('POST', '/api/dataValueSets', t.adminToken, { dataValues: [{ orgUnit: mover, period: '202404', dataElement: de11, value: '40' }] });
      assert.deepEqual(table(await get('dx=1.1&pe=202404&ou=71')), { '1.1 202404 Panipat': 40 });
      const moved = await t.req('PATCH', `/api/facilities/${mover}`, t.adminToken, { orgUnit: 72, latitude: 28.19, longitude: 76.62 });
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
      assert.deepEqual(table(await get('dx=1.1&pe=202404&ou=71')), {});
      assert.deepEqual(table(await get('dx=1.1&pe=202404&ou=72')), { '1.1 202404 Rewari': 40 });
      const before = table(await get('dx=1.1&pe=202404&ou=72&by=ownership'));
      assert.deepEqual(before, { '1.1 202404 Rewari public': 40 });
      await t.req('PATCH', `/api/facilities/${mover}`, t.adminToken, { type: 'PRIVATE_HOSPITAL', ownership: 'private' });
      assert.deepEqual(table(await get('dx=1.1&pe=202404&ou=72&by=ownership')), { '1.1 202404 Rewari private': 40 });
      const exported = await t.req('GET', `/api/dataValueSets?dataSet=HMIS_MONTHLY&period=202404&orgUnit=72&children=true`, t.adminToken);
      assert.equal(exported.body.dataValues.length, 1, 'the export under the new district finds the moved value');
    });
  });
}
