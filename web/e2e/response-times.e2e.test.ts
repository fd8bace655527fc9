// Browser test of the ambulance response-times screen, black-box: the real server on a fresh data
// directory with demo data (Hisar's demo fleet and last month's demo calls and trips) and Debian's
// Chromium through playwright-core. Hisar's district officer opens the screen from the menu and reads
// Hisar's 108 figures (the same as the API's, in words as well as colour), the monthly chart and the
// ranking of Haryana's districts, but cannot change targets; Haryana's state officer tightens the 108
// urban target and the share within target follows; then the screen in Hindi.
//   cd /work/main && node --import tsx --test web/e2e/response-times.e2e.test.ts
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, apiCall, browserAvailable, browserSession } from './harness.ts';

const PASSWORD = 'Ambulance-Figures-Pass-1';
const fmt = (n: number) => new Intl.NumberFormat('en-IN').format(n);
const pct = (r: number) => `${fmt(Math.round(r * 1000) / 10)}%`;

/** Last month in IST, as the screen opens on it. */
function lastMonthIst(): string {
  const d = new Date(Date.now() + 330 * 60_000);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}

async function signIn(page: Page, base: string, username: string) {
  await page.goto(`${base}/`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Ambulance response times' }).click();
  await page.getByRole('heading', { level: 1, name: 'Ambulances: response times' }).waitFor();
}

describe('ambulance response times (browser)', () => {
  test('Hisar\'s officer reads the demo figures, chart and ranking; the state officer changes a target', { timeout: 300_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    await browserSession('response-times', async ({ server, page, resultsDir }) => {
      const base = server.base;
      const admin = await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD });
      const suffix = Math.floor(Math.random() * 1e6);
      const district = `hisar_cmo_${suffix}`;
      const stateOfficer = `hr_state_${suffix}`;
      await apiCall(base, 'POST', '/api/users', admin.token, { username: district, password: PASSWORD, role: 'district_officer', orgUnit: 63 });
      await apiCall(base, 'POST', '/api/users', admin.token, { username: stateOfficer, password: PASSWORD, role: 'state_officer', orgUnit: 'state:6' });
      const month = lastMonthIst();
      const figures = async () => (await apiCall<any>(base, 'GET', `/api/dispatch/response-times?from=${month}&to=${month}&district=63`, admin.token))
        .districts.find((d: any) => d.service === '108');
      const api108 = await figures();
      assert.equal(api108.calls, 40, 'the demo seeds 40 calls to 108 in Hisar last month');
      assert.equal(api108.reached, 36);

      await signIn(page, base, district);
      const [y, m] = month.split('-');
      await page.getByTestId('rt-period').filter({ hasText: `${m}/${y} to ${m}/${y}` }).waitFor();
      const table = page.getByTestId('rt-districts');
      const row = table.locator('tr[data-district="63"][data-service="108"]');
      await row.waitFor();
      assert.equal((await row.getByTestId('calls').innerText()).trim(), '40');
      assert.equal((await row.getByTestId('reached').innerText()).trim(), '36');
      assert.ok((await row.getByTestId('to-scene').innerText()).startsWith(`${fmt(api108.callToSceneP50)} / ${fmt(api108.callToSceneP90)}`));
      const within = await row.getByTestId('within').innerText();
      const words: Record<string, string> = { met: 'Meets target', near: 'Near target', behind: 'Behind target' };
      const standing = api108.withinTargetShare >= 0.9 ? 'met' : api108.withinTargetShare >= 0.7 ? 'near' : 'behind';
      assert.match(within, new RegExp(`^${pct(api108.withinTargetShare).replace('.', '\\.')}\\s+${words[standing]}`), 'the standing in words beside the share');
      assert.equal(await row.locator('[data-standing]').getAttribute('data-standing'), standing);
      const vehiclesWord = api108.vehicles === 1 ? 'vehicle' : 'vehicles';
      assert.equal((await row.getByTestId('off-road').innerText()).trim(), `${api108.offRoadNow} of ${api108.vehicles} ${vehiclesWord}`);
      assert.equal(await table.locator('tbody tr').count(), 2, 'only Hisar, 108 and 102');

      // The chart by month (Chart.js on a canvas, with its downloads), and Haryana's ranking with Hisar first.
      const chart = page.getByTestId('rt-chart-minutes');
      await chart.locator('canvas').waitFor();
      await chart.getByRole('button', { name: 'Chart data (CSV)' }).waitFor();
      await page.getByTestId('rt-chart-share').locator('canvas').waitFor();
      const ranking = page.getByTestId('rt-ranking');
      const first = ranking.locator('tbody tr').first();
      await first.waitFor();
      assert.equal(await first.getAttribute('data-district'), '63');
      assert.match(await first.innerText(), /^1\s+Hisar · your district/);
      assert.ok(await ranking.locator('tbody tr').count() >= 20, 'every district of Haryana is listed');
      // The district officer reads the targets but cannot change them.
      const targets = page.getByTestId('rt-targets');
      await targets.locator('tr[data-target="108-urban"]').filter({ hasText: 'Default (20 min)' }).waitFor();
      assert.equal(await targets.getByRole('spinbutton').count(), 0);
      assert.equal(await page.getByRole('button', { name: 'Save targets' }).count(), 0);
      await page.screenshot({ path: join(resultsDir, 'response-times-district.png'), fullPage: true });
      await page.getByRole('button', { name: 'Log out' }).click();

      // Haryana's state officer: 108 urban down to 12 minutes; the share within target follows the server.
      await signIn(page, base, stateOfficer);
      const input = page.getByLabel('Target for 108 urban, minutes');
      await input.waitFor();
      assert.equal(await input.inputValue(), '20');
      await input.fill('0');
      await page.getByRole('button', { name: 'Save targets' }).click();
      await page.getByRole('alert').filter({ hasText: 'The target for 108 urban must be whole minutes from 1 to 240.' }).waitFor();
      await input.fill('12');
      await page.getByRole('button', { name: 'Save targets' }).click();
      await page.getByText('Targets saved. The figures now use them.').waitFor();
      await page.getByTestId('rt-targets').locator('tr[data-target="108-urban"]').filter({ hasText: 'The state' }).waitFor();
      // Only the target changed is set by the state; the others stay the defaults.
      await page.getByTestId('rt-targets').locator('tr[data-target="108-rural"]').filter({ hasText: 'Default (30 min)' }).waitFor();
      const after = await figures();
      assert.ok(after.withinTargetShare < api108.withinTargetShare, `a tighter target, a smaller share (${after.withinTargetShare} < ${api108.withinTargetShare})`);
      const stateRow = page.getByTestId('rt-districts').locator('tr[data-district="63"][data-service="108"]');
      await stateRow.getByTestId('within').filter({ hasText: pct(after.withinTargetShare) }).waitFor();
      assert.match(await stateRow.innerText(), /urban 12 · rural 30/);
      await page.screenshot({ path: join(resultsDir, 'response-times-state.png'), fullPage: true });

      await page.getByRole('button', { name: 'हिन्दी' }).click();
      await page.locator('html[lang="hi"]').waitFor({ state: 'attached' });
      await page.getByRole('heading', { level: 1, name: 'एंबुलेंस: प्रतिक्रिया समय' }).waitFor();
      await page.getByTestId('rt-districts').getByRole('columnheader', { name: 'कॉल से घटनास्थल', exact: true }).waitFor();
      await stateRow.locator('[data-standing]').filter({ hasText: /लक्ष्य/ }).waitFor();
      await page.screenshot({ path: join(resultsDir, 'response-times-hi.png'), fullPage: true });
    });
  });
});
