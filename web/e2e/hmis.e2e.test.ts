// Browser test of the monthly HMIS report in Hindi, black-box: it starts the real server as a child
// process on a fresh data directory (demo data) and drives Debian's Chromium through playwright-core.
// A district officer reads Hisar's reporting rate, a PHC's operator fills and submits the report
// (seeing a validation warning on the way), and the district's rate goes up.
//   cd /work/main && node --import tsx --test web/e2e/hmis.e2e.test.ts
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { type Page } from 'playwright-core';
import { ADMIN_PASSWORD, thisMonthIst, apiCall, browserAvailable, browserSession } from './harness.ts';

const USER_PASSWORD = 'Hisar-E2e-Pass-1';
async function signIn(page: Page, base: string, username: string): Promise<void> {
  await page.goto(`${base}/#/login`);
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(USER_PASSWORD);
  await page.locator('button[type="submit"]').click();
  await page.locator('.app-header > button.secondary').waitFor();
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'लॉग आउट' }).click();
  await page.locator('#login-username').waitFor();
}

/** The district screen's reporting rate (a percentage) once it has loaded. */
async function readRate(page: Page): Promise<number> {
  const el = page.getByTestId('reporting-rate');
  await el.waitFor();
  const text = (await el.innerText()).replace(/[^\d.]/g, '');
  const rate = Number(text);
  assert.ok(Number.isFinite(rate), `reporting rate shown as ${await el.innerText()}`);
  return rate;
}

describe('monthly HMIS report in Hindi (browser)', () => {
  test('district reads the rate, a PHC submits its report, the rate goes up', { timeout: 180_000 }, async (t) => {
    if (!browserAvailable(t)) return;

    const period = thisMonthIst();
    await browserSession('hmis', async ({ server, page, resultsDir }) => {
      const base = server.base;

      // The admin signs in and creates the two users through the API.
      const admin = await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD });
      const hisar = await apiCall<{ id: string }>(base, 'GET', '/api/geo/units/63', admin.token);
      const phc = (await apiCall<{ items: { id: string; name: string; nameHi?: string }[] }>(base, 'GET', '/api/facilities?district=63&type=PHC&limit=1', admin.token)).items[0];
      assert.ok(phc, 'Hisar has a PHC in the demo data');
      const suffix = Math.floor(Math.random() * 1e6);
      const officer = `hisar_cmo_${suffix}`;
      const operator = `hisar_phc_${suffix}`;
      await apiCall(base, 'POST', '/api/users', admin.token, { username: officer, password: USER_PASSWORD, role: 'district_officer', orgUnit: '63' });
      await apiCall(base, 'POST', '/api/users', admin.token, { username: operator, password: USER_PASSWORD, role: 'facility_operator', orgUnit: phc.id });

      const districtUrl = `${base}/#/hmis/returns?dataSet=HMIS_MONTHLY&period=${period}&orgUnit=${hisar.id}`;

      // The district officer, in Hindi, reads Hisar's reporting rate for this month.
      await signIn(page, base, officer);
      await page.getByRole('button', { name: 'हिन्दी' }).click();
      await page.locator('html[lang="hi"]').waitFor({ state: 'attached' });
      const nav = page.getByRole('navigation', { name: 'मुख्य' });
      await nav.getByRole('link', { name: 'मासिक रिपोर्ट स्थिति' }).waitFor();
      await page.goto(districtUrl);
      await page.getByRole('heading', { level: 1, name: 'जिले की मासिक रिपोर्ट स्थिति' }).waitFor();
      const before = await readRate(page);
      await signOut(page);

      // The PHC's operator fills items 1.1 and 1.1.1 and submits.
      await signIn(page, base, operator);
      await page.getByRole('button', { name: 'हिन्दी' }).click();
      await page.locator('html[lang="hi"]').waitFor({ state: 'attached' });
      await page.getByRole('navigation', { name: 'मुख्य' }).getByRole('link', { name: 'मासिक रिपोर्ट', exact: true }).waitFor();
      await page.goto(`${base}/#/hmis/entry?dataSet=HMIS_MONTHLY&period=${period}`);
      await page.getByRole('heading', { level: 1, name: 'मासिक रिपोर्ट (एचएमआईएस)' }).waitFor();
      const anc = page.locator('input[data-code="1.1"]');
      const trim1 = page.locator('input[data-code="1.1.1"]');
      await anc.fill('10');
      await trim1.fill('15');
      const warning = page.locator('.rule-warning').filter({ hasText: 'पहली तिमाही' }).first();
      await warning.waitFor();
      await page.getByText('1 जाँच पर ध्यान दें', { exact: false }).waitFor();
      await page.screenshot({ path: join(resultsDir, 'hmis-entry-warning-hi.png') });
      await trim1.fill('8');
      await warning.waitFor({ state: 'detached' });
      assert.equal(await page.locator('.rule-warning').count(), 0, 'the warning goes once 1.1.1 ≤ 1.1');
      assert.equal(await page.getByTestId('section-total').innerText(), '18');
      await page.getByRole('button', { name: 'जमा करें (पूर्ण करें)' }).click();
      await page.getByText('रिपोर्ट समय पर जमा हो गई।').waitFor();
      await page.locator('.entry-status .badge', { hasText: 'समय पर जमा' }).waitFor();
      await page.screenshot({ path: join(resultsDir, 'hmis-entry-hi.png'), fullPage: true });
      await signOut(page);

      // Back to the district officer: the rate went up and the PHC shows as on time.
      await signIn(page, base, officer);
      await page.goto(districtUrl);
      // The officer lands on this screen with other choices first; the rate of the address's own is drawn once its answer comes.
      let after = await readRate(page);
      for (const end = Date.now() + 15_000; after <= before && Date.now() < end;) { await page.waitForTimeout(200); after = await readRate(page); }
      assert.ok(after > before, `reporting rate went from ${before}% to ${after}%`);
      const row = page.locator(`tr[data-facility="${phc.id}"]`);
      await row.waitFor();
      assert.match(await row.innerText(), /समय पर जमा/);
      await row.scrollIntoViewIfNeeded();
      await page.getByRole('button', { name: /समय पर जमा/ }).click();
      await page.locator(`tr[data-facility="${phc.id}"]`).waitFor();
      assert.equal(await page.locator('.returns-table tbody tr').count(), 1, 'the status filter leaves the one submitted report');
      await page.screenshot({ path: join(resultsDir, 'hmis-district-hi.png'), fullPage: true });
    });
  });
});
