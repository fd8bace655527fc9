import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { periodOfType, todayIst } from '../../platform/periods.js';
import { xlsxBomb } from '../../test/zip-bomb.js';

const NOW = periodOfType('Monthly', todayIst()).id;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

for (const engine of testEngines()) {
  describe(`offline sheets: Excel and CSV templates [${engine}]`, () => {
    let t: TestApp;
    let fac: string;
    let op: { token: string };
    before(async () => {
      t = await startTestApp(engine);
      fac = (await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'SC Sheets', type: 'SC', orgUnit: 74, latitude: 29.53, longitude: 75.03 }))).body.id;
      op = await t.userWith('facility_operator', fac);
    });
    after(async () => { await t.close(); });

    const get = (url: string, token: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    const upload = (body: Buffer | string, type: string, token = op.token) => t.app.inject({ method: 'POST', url: '/api/hmis/sheets', headers: { authorization: `Bearer ${token}`, 'content-type': type }, payload: body });

    test('fill the Excel template offline and upload it', async () => {
      const res = await get(`/api/hmis/dataSets/HMIS_MONTHLY/template?orgUnit=${fac}&period=${NOW}`, op.token);
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], XLSX);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const ws = wb.getWorksheet('Return')!;
      assert.equal(ws.getCell('B3').value, NOW);
      let filled = 0;
      ws.eachRow((row, n) => {
        if (n < 6) return;
        const code = String(row.getCell(1).value);
        if (code === '1.1') { row.getCell(5).value = 25; filled++; }
        if (code === '1.1.1') { row.getCell(5).value = 20; filled++; }
      });
      assert.equal(filled, 2);
      assert.ok(ws.getRow(6).getCell(3).value, 'Hindi item names are in the sheet');
      const up = await upload(Buffer.from(await wb.xlsx.writeBuffer()), XLSX);
      assert.equal(up.statusCode, 200, up.body);
      assert.deepEqual(up.json().importCount, { imported: 2, updated: 0, ignored: 0, deleted: 0 });
      const again = await get(`/api/hmis/dataSets/HMIS_MONTHLY/template?orgUnit=${fac}&period=${NOW}`, op.token);
      const wb2 = new ExcelJS.Workbook();
      await wb2.xlsx.load(again.rawPayload as unknown as ArrayBuffer);
      const values: number[] = [];
      wb2.getWorksheet('Return')!.eachRow((row, n) => { if (n >= 6 && typeof row.getCell(5).value === 'number') values.push(row.getCell(5).value as number); });
      assert.deepEqual(values.sort(), [20, 25], 'the template comes back filled with what was saved');
    });

    test('the CSV template is DHIS2 CSV with the item names beside it', async () => {
      const res = await get(`/api/hmis/dataSets/HMIS_MONTHLY/template?orgUnit=${fac}&period=${NOW}&format=csv`, op.token);
      assert.equal(res.statusCode, 200);
      const lines = res.body.trim().split('\n');
      assert.match(lines[0], /^dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,/);
      const i = lines.findIndex((l) => /,1\.2\.1,/.test(l));
      const cols = lines[i].split(',');
      cols[5] = '7';
      lines[i] = cols.join(',');
      const up = await upload(lines.join('\n'), 'text/csv');
      assert.equal(up.statusCode, 200, up.body);
      assert.equal(up.json().importCount.imported, 1);
      assert.equal(up.json().importCount.ignored, 2, 'unchanged 1.1 and 1.1.1 are ignored');
    });

    test('files are checked for type and size; other areas are refused', async () => {
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
      assert.equal((await upload(png, 'application/octet-stream')).statusCode, 415);
      const fakeZip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(64, 1)]);
      const bad = await upload(fakeZip, XLSX);
      assert.equal(bad.statusCode, 400);
      assert.match(bad.json().error.message, /not a readable zip archive/);
      assert.equal((await upload(Buffer.alloc(11 * 1024 * 1024, 65), 'text/csv')).statusCode, 413);
      const other = await t.userWith('district_officer', 22);
      assert.equal((await get(`/api/hmis/dataSets/HMIS_MONTHLY/template?orgUnit=${fac}&period=${NOW}`, other.token)).statusCode, 403);
      const notTemplate = new ExcelJS.Workbook();
      notTemplate.addWorksheet('Sheet1').addRow(['hello']);
      const nt = await upload(Buffer.from(await notTemplate.xlsx.writeBuffer()), XLSX);
      assert.equal(nt.statusCode, 400);
      assert.match(nt.json().error.message, /not a Swasthya template/);
    });

    test('a 1 MB workbook that unpacks to 1 GiB is refused before it is unpacked; a citizen\'s before it is read', async () => {
      const bomb = xlsxBomb(1024);
      const started = performance.now();
      const r = await upload(bomb, XLSX);
      assert.equal(r.statusCode, 413, r.body);
      assert.match(r.json().error.message, /unpacks to more than 50 MB/);
      assert.ok(performance.now() - started < 2000, `answered in ${Math.round(performance.now() - started)} ms`);
      const hi = await t.app.inject({ method: 'POST', url: '/api/hmis/sheets', headers: { authorization: `Bearer ${op.token}`, 'content-type': XLSX, 'accept-language': 'hi' }, payload: bomb });
      assert.match(hi.json().error.message, /सीमा/);
      const citizen = await t.userWith('citizen', 6);
      const c = await upload(bomb, XLSX, citizen.token);
      assert.equal(c.statusCode, 403);
      assert.match(c.json().error.message, /can_submit_data/);
    });
  });
}
