// Browser test of the telemedicine state screen, black-box: it starts the real server as a child
// process on a fresh data directory (demo data, which holds yesterday's national counts by state
// and a month of consultations at the demo hubs) and drives Debian's Chromium through playwright-core.
// A Himachal state officer opens the screen from the menu, reads the ranking of states (Tamil Nadu
// first with 32,035 in Indian digit grouping, then Andhra Pradesh and Himachal Pradesh, marked as
// their own), and switches to Hindi.
//   cd /work/main && node --import tsx --test web/e2e/telestats.e2e.test.ts
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ADMIN_PASSWORD, apiCall, browserAvailable, browserSession } from './harness.ts';

const PASSWORD = 'Himachal-State-Pass-1';

describe('telemedicine counts and state ranking (browser)', () => {
  test('a state officer sees Tamil Nadu ranked first with 32,035, then the screen in Hindi', { timeout: 240_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    await browserSession('telestats', async ({ server, page, resultsDir }) => {
      const base = server.base;
      const admin = await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD });
      const officer = `hp_state_${Math.floor(Math.random() * 1e6)}`;
      await apiCall(base, 'POST', '/api/users', admin.token, { username: officer, password: PASSWORD, role: 'state_officer', orgUnit: 'state:2' });

      await page.goto(`${base}/`);
      await page.getByLabel('Username').fill(officer);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Log out' }).waitFor();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Teleconsultation counts' }).click();
      await page.getByRole('heading', { level: 1, name: 'Telemedicine: counts and state ranking' }).waitFor();

      const ranking = page.getByTestId('tele-ranking');
      await ranking.waitFor();
      const rows = ranking.locator('tbody tr');
      const first = rows.nth(0);
      assert.equal(await first.getAttribute('data-state'), '33', 'Tamil Nadu is first');
      assert.match(await first.locator('th').innerText(), /Tamil Nadu/);
      assert.equal((await first.locator('td').nth(0).innerText()).trim(), '1');
      assert.equal((await first.getByTestId('consultations').innerText()).trim(), '32,035');
      assert.equal((await rows.nth(1).getByTestId('consultations').innerText()).trim(), '28,960');
      assert.match(await rows.nth(1).locator('th').innerText(), /Andhra Pradesh/);
      const hp = rows.nth(2);
      assert.match(await hp.locator('th').innerText(), /Himachal Pradesh · your state/, 'the officer\'s own state is marked');
      assert.equal((await hp.getByTestId('consultations').innerText()).trim(), '24,527');

      await page.getByRole('img', { name: 'Consultations by day' }).waitFor();
      // Drawn by Chart.js on a canvas, with the picture and the data to download.
      const byDay = page.getByTestId('tele-by-day');
      await byDay.locator('canvas').waitFor();
      await byDay.getByRole('button', { name: 'Chart data (CSV)' }).waitFor();
      await page.getByTestId('tele-by-district').locator('canvas').waitFor();
      await page.screenshot({ path: join(resultsDir, 'telestats-en.png'), fullPage: true });

      await page.getByRole('button', { name: 'हिन्दी' }).click();
      await page.locator('html[lang="hi"]').waitFor({ state: 'attached' });
      await page.getByRole('heading', { level: 1, name: 'टेलीमेडिसिन: परामर्श के आँकड़े और राज्यों की रैंकिंग' }).waitFor();
      await page.getByRole('heading', { level: 2, name: 'टेलीपरामर्श के अनुसार राज्यों की रैंकिंग' }).waitFor();
      await first.locator('th', { hasText: 'तमिलनाडु' }).waitFor();
      assert.equal((await first.getByTestId('consultations').innerText()).trim(), '32,035', 'Indian digit grouping in Hindi too');
      await page.screenshot({ path: join(resultsDir, 'telestats-hi.png'), fullPage: true });
    });
  });
});
