// Browser test of the tables and charts that show HMIS data, in Hindi: the Analytics pivot table keeps
// its row names and header in view when scrolled and shows the newest month first; the trend chart
// (Chart.js) shows a tooltip on hover and exports its picture (PNG) and its data (CSV); a favourite is
// saved, survives a reload and opens again; the report-status page comes in pages whose action column
// lines up. Screenshots go to test-results/analytics-view-*.png.
//   cd /work/main && node --import tsx --test web/e2e/analytics-view.e2e.test.ts
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Locator } from 'playwright-core';
import { ADMIN_PASSWORD, apiCall, browserAvailable, browserSession, thisMonthIst } from './harness.ts';

const shiftMonth = (p: string, by: number) => {
  const d = new Date(Date.UTC(Number(p.slice(0, 4)), Number(p.slice(4, 6)) - 1 + by, 1));
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};
const box = async (l: Locator) => {
  const b = await l.boundingBox();
  assert.ok(b, 'the element is drawn');
  return b;
};

describe('HMIS tables and charts in Hindi (browser)', () => {
  test('pivot pinned, newest month in view, chart tooltip and exports, favourites, report status in pages', { timeout: 900_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    const last = shiftMonth(thisMonthIst(), -1);
    const first = shiftMonth(last, -23);
    await browserSession('analytics-view', async ({ server, page, resultsDir }) => {
      const base = server.base;
      const tok = (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD })).token;
      const hisar = await apiCall<{ id: string }>(base, 'GET', '/api/geo/units/63', tok);
      const haryana = await apiCall<{ id: string }>(base, 'GET', '/api/geo/units/6', tok);
      const form = await apiCall<{ sections: { elements: { id: string; code: string | null }[] }[] }>(base, 'GET', '/api/hmis/dataSets/HMIS_MONTHLY/form', tok);
      const anc = form.sections.flatMap((s) => s.elements).find((e) => e.code === '1.1')!;
      // Hisar gets more facilities than one page of the report-status list holds, with long Hindi names.
      const listed = await apiCall<{ items: { id: string }[]; total: number }>(base, 'GET', '/api/facilities?district=63&limit=1', tok);
      for (let i = listed.total; i < 30; i++) {
        await apiCall(base, 'POST', '/api/facilities', tok, {
          name: `Primary Health Centre Hisar ${i}`, nameHi: `प्राथमिक स्वास्थ्य केंद्र हिसार ग्रामीण क्षेत्र ${i}`, type: 'PHC', ownership: 'public', system: 'allopathic',
          orgUnit: '63', latitude: 29.15, longitude: 75.72,
        });
      }
      const facilities = (await apiCall<{ items: { id: string }[] }>(base, 'GET', '/api/facilities?district=63&type=PHC&limit=2', tok)).items;
      for (const [i, f] of facilities.entries()) {
        const r = await apiCall<{ status: string }>(base, 'POST', '/api/dataValueSets', tok, {
          dataSet: 'HMIS_MONTHLY', period: last, orgUnit: f.id, dataValues: [{ dataElement: anc.id, value: String(1234567 + i) }],
        });
        assert.equal(r.status, 'SUCCESS');
      }

      page.on('pageerror', (e) => console.log('pageerror', e.message));
      page.on('console', (m) => m.type() === 'error' && console.log('console', m.text()));
      await page.goto(`${base}/#/login`);
      await page.locator('#login-username').fill('admin');
      await page.locator('#login-password').fill(ADMIN_PASSWORD);
      await page.locator('button[type="submit"]').click();
      await page.locator('.app-header > button.secondary').waitFor();
      await page.getByRole('button', { name: 'हिन्दी' }).click();
      await page.locator('html[lang="hi"]').waitFor({ state: 'attached' });
      await page.getByRole('navigation', { name: 'मुख्य' }).getByRole('link', { name: 'विश्लेषण' }).click();
      await page.getByRole('heading', { level: 1, name: 'एचएमआईएस विश्लेषण' }).waitFor();
      const jsBefore = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /chartjs/.test(n)).length);

      // 24 months of item 1.1 for Hisar's facilities.
      await page.locator('input[data-code="1.1"]').check();
      await page.locator('#analytics-preset').selectOption('RANGE');
      await page.locator('#analytics-from').selectOption(first);
      await page.locator('#analytics-to').selectOption(last);
      if (await page.locator('#analytics-state').count()) await page.locator('#analytics-state').selectOption(haryana.id);
      await page.locator(`#analytics-area option[value="${hisar.id}"]`).waitFor({ state: 'attached' });
      await page.locator('#analytics-area').selectOption(hisar.id);
      await page.locator('#analytics-level').selectOption('facility');
      await page.getByRole('button', { name: 'दिखाएँ' }).click();

      const scroller = page.getByTestId('pivot-scroll').first();
      const rowHead = scroller.locator(`tr[data-ou="${facilities[0]!.id}"] th`);
      await rowHead.waitFor();
      // The newest month is the first column, in view without scrolling, with its number grouped the Indian way.
      const newest = scroller.locator(`thead th[data-pe="${last}"]`);
      const sBox = await box(scroller);
      const nBox = await box(newest);
      assert.ok(nBox.x >= sBox.x && nBox.x + nBox.width <= sBox.x + sBox.width, 'the newest month is in view');
      const cell = scroller.locator(`tr[data-ou="${facilities[0]!.id}"] td[data-pe="${last}"]`);
      assert.equal((await cell.innerText()).trim(), new Intl.NumberFormat('hi-IN').format(1234567));
      assert.equal(await cell.evaluate((e) => getComputedStyle(e).textAlign), 'right');

      // Scrolled sideways and down, the row names and the header row stay where they were.
      const before = await box(rowHead);
      const overflow = await scroller.evaluate((e) => e.scrollWidth - e.clientWidth);
      assert.ok(overflow > 200, `24 months are wider than the box (${overflow} px over)`);
      await scroller.evaluate((e) => { e.scrollLeft = e.scrollWidth; });
      await page.waitForTimeout(100);
      const after = await box(rowHead);
      assert.ok(Math.abs(after.x - before.x) < 1, `the row header stays at x=${before.x} (now ${after.x})`);
      assert.ok(await rowHead.evaluate((e) => e.textContent!.length > 0));
      const oldest = await box(scroller.locator(`thead th[data-pe="${first}"]`));
      assert.ok(oldest.x + oldest.width <= sBox.x + sBox.width + 1, 'the oldest month has come into view');
      const corner = scroller.locator('thead th.corner');
      const headBefore = await box(corner);
      await scroller.evaluate((e) => { e.scrollTop = e.scrollHeight; });
      await page.waitForTimeout(100);
      if (await scroller.evaluate((e) => e.scrollTop > 0)) assert.ok(Math.abs((await box(corner)).y - headBefore.y) < 1, 'the header row stays on top');
      await scroller.evaluate((e) => { e.scrollLeft = 0; e.scrollTop = 0; });
      await page.screenshot({ path: join(resultsDir, 'analytics-view-pivot-hi.png'), fullPage: false });

      // The trend chart: Chart.js, fetched only now; a tooltip on hover; PNG and CSV downloads.
      const chart = page.getByTestId('trend-chart');
      const canvas = chart.locator('canvas');
      await canvas.waitFor();
      const jsAfter = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /chartjs/.test(n)).length);
      assert.equal(jsBefore, 0, 'the chart library is not loaded before a chart is drawn');
      assert.ok(jsAfter >= 1, 'the chart library came as a chunk of its own');
      await chart.scrollIntoViewIfNeeded();
      const c = await box(canvas);
      // Over the newest month (the right end), the only one with data here.
      await page.mouse.move(c.x + c.width - 40, c.y + c.height / 2);
      await page.mouse.move(c.x + c.width - 8, c.y + c.height / 2);
      const tip = chart.locator('.chart-tooltip');
      await tip.waitFor();
      assert.match(await tip.innerText(), /\d/);
      await page.screenshot({ path: join(resultsDir, 'analytics-view-tooltip-hi.png'), fullPage: false });
      const [png] = await Promise.all([page.waitForEvent('download'), chart.getByRole('button', { name: 'चार्ट की तस्वीर (PNG)' }).click()]);
      assert.match(png.suggestedFilename(), /\.png$/);
      const pngBytes = readFileSync(await png.path());
      assert.deepEqual([...pngBytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');
      assert.ok(pngBytes.length > 2000, 'with a picture in it');
      const [csvDl] = await Promise.all([page.waitForEvent('download'), chart.getByRole('button', { name: 'चार्ट का डेटा (CSV)' }).click()]);
      assert.match(csvDl.suggestedFilename(), /\.csv$/);
      const csv = readFileSync(await csvDl.path(), 'utf8');
      assert.match(csv, /^\uFEFFअवधि,/);
      assert.equal(csv.trim().split(/\r?\n/).length, 25, 'a header and 24 months');
      assert.match(csv, new RegExp(`,${1234567 + 1234568}\\r?\\n?$`), 'the newest month\'s total, unformatted');

      // A favourite: saved, still there after a reload, and it opens the same selection.
      const name = 'हिसार: प्रसव पूर्व पंजीकरण, 24 महीने';
      await page.locator('#fav-name').fill(name);
      await page.getByRole('button', { name: 'पसंदीदा के रूप में सहेजें' }).click();
      await page.locator(`li[data-favourite="${name}"]`).waitFor();
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'एचएमआईएस विश्लेषण' }).waitFor();
      await page.getByRole('button', { name: `खोलें: ${name}` }).click();
      await page.getByTestId('pivot-scroll').first().locator(`tr[data-ou="${facilities[0]!.id}"] td[data-pe="${last}"]`).waitFor();
      assert.equal(await page.locator('#analytics-level').inputValue(), 'facility');
      assert.equal(await page.locator('#analytics-area').inputValue(), hisar.id);
      assert.equal(await page.locator('#analytics-from').inputValue(), first);
      await page.screenshot({ path: join(resultsDir, 'analytics-view-favourite-hi.png'), fullPage: false });

      // The report-status page: a page of rows, a next page, and an action column in one line.
      await page.goto(`${base}/#/hmis/returns?orgUnit=${hisar.id}`);
      const table = page.locator('table.returns-table');
      await table.locator('tbody tr').first().waitFor();
      const rows = await table.locator('tbody tr').count();
      assert.equal(rows, 25, 'one page of 25 facilities');
      const xs = new Set<number>();
      for (const cellBox of await table.locator('td.actions-col').all()) xs.add(Math.round((await box(cellBox)).x));
      xs.add(Math.round((await box(table.locator('th.actions-col'))).x));
      assert.equal(xs.size, 1, `the action column's cells share one x (${[...xs].join(', ')})`);
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      assert.ok(height < 5000, `the page is ${height} px tall, not 14,000`);
      await page.screenshot({ path: join(resultsDir, 'analytics-view-returns-hi.png'), fullPage: true });
      const firstPage = await table.locator('tbody tr').first().getAttribute('data-facility');
      await page.getByRole('navigation', { name: 'पृष्ठ' }).getByRole('button', { name: 'अगला' }).click();
      await page.waitForURL(/offset=25/);
      await page.waitForFunction((id) => document.querySelector('table.returns-table tbody tr')?.getAttribute('data-facility') !== id, firstPage);
      assert.ok((await table.locator('tbody tr').count()) >= 5);
      await page.getByTestId('returns-showing').filter({ hasText: /२६|26/ }).waitFor();

      // The compliance chart is Chart.js too: stacked bars by facility type, with the same downloads.
      await page.goto(`${base}/#/compliance`);
      const compliance = page.getByTestId('compliance-chart');
      await compliance.locator('canvas').waitFor();
      await compliance.getByRole('button', { name: 'चार्ट का डेटा (CSV)' }).waitFor();
      await page.waitForTimeout(300);
      await compliance.screenshot({ path: join(resultsDir, 'analytics-view-compliance-hi.png') });
    });
  });
});
