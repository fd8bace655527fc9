// Browser test of HMIS analytics in Hindi, black-box: it starts the real server as a child process on
// a fresh data directory (demo data) and drives Debian's Chromium through playwright-core. The admin
// posts item 1.1 for two Hisar facilities in two months through the API, then, in the browser, asks
// for item 1.1 over those months for Haryana by district, reads Hisar's exact sum in the pivot table
// and downloads the CSV export.
//   cd /work/main && node --import tsx --test web/e2e/analytics.e2e.test.ts
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ADMIN_PASSWORD, thisMonthIst, apiCall, browserAvailable, browserSession } from './harness.ts';


const shiftMonth = (p: string, by: number) => {
  const d = new Date(Date.UTC(Number(p.slice(0, 4)), Number(p.slice(4, 6)) - 1 + by, 1));
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};

interface Analytics { rows: { dx: string; pe: string; ou: string; value: number }[] }

describe('HMIS analytics in Hindi (browser)', () => {
  test('admin reads Hisar\'s sum of item 1.1 over two months and downloads the CSV', { timeout: 120_000 }, async (t) => {
    if (!browserAvailable(t)) return;

    // The two months before the present one (of this year except in January and February).
    const now = thisMonthIst();
    const months = [shiftMonth(now, -2), shiftMonth(now, -1)];
    await browserSession('analytics', async ({ server, page, resultsDir }) => {
      const base = server.base;
      const admin = await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD });
      const tok = admin.token;
      const hisar = await apiCall<{ id: string }>(base, 'GET', '/api/geo/units/63', tok);
      const haryana = await apiCall<{ id: string }>(base, 'GET', '/api/geo/units/6', tok);
      const form = await apiCall<{ sections: { elements: { id: string; code: string | null; categoryCombo: { categoryOptionCombos: { id: string }[] } }[] }[] }>(
        base, 'GET', '/api/hmis/dataSets/HMIS_MONTHLY/form', tok);
      const anc = form.sections.flatMap((s) => s.elements).find((e) => e.code === '1.1');
      assert.ok(anc, 'the HMIS form has item 1.1');
      const coc = anc.categoryCombo.categoryOptionCombos[0]!.id;
      const early = form.sections.flatMap((s) => s.elements).find((e) => e.code === '1.1.1');
      assert.ok(early, 'the HMIS form has item 1.1.1');
      const facilities = (await apiCall<{ items: { id: string }[] }>(base, 'GET', '/api/facilities?district=63&type=PHC&limit=2', tok)).items;
      assert.equal(facilities.length, 2, 'Hisar has two PHCs in the demo data');

      const query = `/api/hmis/analytics?dx=${anc.id}&pe=${months.join(';')}&ou=${haryana.id}&level=district`;
      const hisarSum = (a: Analytics) => a.rows.filter((r) => r.ou === hisar.id).reduce((s, r) => s + r.value, 0);
      const baseline = hisarSum(await apiCall<Analytics>(base, 'GET', query, tok));
      const values = [[11, 23], [5, 9]];
      for (const [fi, f] of facilities.entries()) {
        for (const [mi, period] of months.entries()) {
          const r: { status: string } = await apiCall<{ status: string }>(base, 'POST', '/api/dataValueSets', tok, {
            dataSet: 'HMIS_MONTHLY', period, orgUnit: f.id,
            dataValues: [
              { dataElement: anc.id, categoryOptionCombo: coc, value: String(values[fi]![mi]) },
              { dataElement: early.id, categoryOptionCombo: early.categoryCombo.categoryOptionCombos[0]!.id, value: String(values[fi]![mi]! - 1) },
            ],
          });
          assert.equal(r.status, 'SUCCESS', `values for ${f.id} ${period} imported`);
        }
      }
      const expected = baseline + values.flat().reduce((a, b) => a + b, 0);
      assert.equal(hisarSum(await apiCall<Analytics>(base, 'GET', query, tok)), expected, 'the API sums the posted values');

      page.setDefaultTimeout(15_000);
      await page.goto(`${base}/#/login`);
      await page.locator('#login-username').fill('admin');
      await page.locator('#login-password').fill(ADMIN_PASSWORD);
      await page.locator('button[type="submit"]').click();
      await page.locator('.app-header > button.secondary').waitFor();
      await page.getByRole('button', { name: 'हिन्दी' }).click();
      await page.locator('html[lang="hi"]').waitFor({ state: 'attached' });
      await page.getByRole('navigation', { name: 'मुख्य' }).getByRole('link', { name: 'विश्लेषण' }).click();
      await page.getByRole('heading', { level: 1, name: 'एचएमआईएस विश्लेषण' }).waitFor();

      await page.locator('input[data-code="1.1"]').check();
      await page.locator('#analytics-preset').selectOption('RANGE');
      await page.locator('#analytics-from').selectOption(months[0]!);
      await page.locator('#analytics-to').selectOption(months[1]!);
      if (await page.locator('#analytics-state').count()) await page.locator('#analytics-state').selectOption(haryana.id);
      await page.locator(`#analytics-area option[value="${haryana.id}"]`).waitFor({ state: 'attached' });
      await page.locator('#analytics-area').selectOption(haryana.id);
      await page.locator('#analytics-level').selectOption('district');
      await page.getByRole('button', { name: 'दिखाएँ' }).click();

      const row = page.locator(`table.pivot tr[data-ou="${hisar.id}"]`);
      await row.waitFor();
      assert.match(await row.locator('th').innerText(), /हिसार/);
      const fmt = new Intl.NumberFormat('hi-IN');
      const total = (await row.locator('td.total').innerText()).trim();
      assert.equal(total, fmt.format(expected), `Hisar's total over ${months.join(', ')}`);
      assert.equal((await row.locator(`td[data-pe="${months[0]}"]`).innerText()).trim(), fmt.format(baseline + values[0]![0]! + values[1]![0]!));
      await page.getByTestId('last-data-at').filter({ hasText: /\d{2}\/\d{2}\/\d{4} \d{2}:\d{2} IST/ }).waitFor();

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'CSV डाउनलोड करें' }).click(),
      ]);
      assert.match(download.suggestedFilename(), /\.csv$/);
      const csv = readFileSync(await download.path(), 'utf8');
      assert.match(csv, /^dx,dx_name,pe,pe_name,ou,ou_name,value/);
      assert.match(csv, /Hisar/);
      await page.screenshot({ path: join(resultsDir, 'analytics-hi.png'), fullPage: true });

      // An indicator picked by its Hindi name: the screen shows what the API computes.
      const indicators = await apiCall<{ items: { id: string; code: string; nameHi: string | null }[] }>(base, 'GET', '/api/hmis/indicators', tok);
      const trim1 = indicators.items.find((i) => i.code === 'HMIS_IND_ANC_TRIM1');
      assert.ok(trim1?.nameHi, 'the first-trimester ANC indicator, named in Hindi');
      const picker = page.getByTestId('pick-indicators');
      await picker.getByText(trim1.nameHi).waitFor();
      await picker.locator('input[data-code="HMIS_IND_ANC_TRIM1"]').check();
      await page.getByRole('button', { name: 'दिखाएँ' }).click();
      const api = await apiCall<Analytics>(base, 'GET', `/api/hmis/analytics?dx=${trim1.id}&pe=${months.join(';')}&ou=${haryana.id}&level=district`, tok);
      const share = api.rows.find((r) => r.ou === hisar.id && r.pe === months[0]);
      assert.ok(share && share.value > 0 && share.value <= 100, JSON.stringify(api.rows));
      const cell = page.locator(`table.pivot[data-dx="${trim1.id}"] tr[data-ou="${hisar.id}"] td[data-pe="${months[0]}"]`);
      await cell.filter({ hasText: new Intl.NumberFormat('hi-IN', { maximumFractionDigits: 2 }).format(share.value) }).waitFor();
      assert.equal(await page.locator(`table.pivot[data-dx="${trim1.id}"] td.total`).count(), 0, 'a percentage is not summed');
    });
  });
});
