// Browser test: a monthly report whose validation rules fail is not submitted, or approved, by
// accident. A PHC's operator tries to submit a report with two failing rules, sees them (then in
// Hindi), explains each and submits with the comments; the district officer opens the report,
// reads the rules and the comments in a confirmation dialog and approves.
//   cd /work/main && npm run build -w web && node --import tsx --test web/e2e/hmis-checks.e2e.test.ts
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { type Page } from 'playwright-core';
import { ADMIN_PASSWORD, thisMonthIst, apiCall, browserAvailable, browserSession } from './harness.ts';

const USER_PASSWORD = 'Hisar-Checks-Pass-1';
async function signIn(page: Page, base: string, username: string): Promise<void> {
  await page.goto(`${base}/#/login`);
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(USER_PASSWORD);
  await page.locator('button[type="submit"]').click();
  await page.locator('.app-header > button.secondary').waitFor();
  // The landing page after sign-in is shown first; the test goes on from there.
  await page.locator('h1').first().waitFor();
}

describe('monthly report with failing validation rules (browser)', () => {
  test('the facility explains each failing rule to submit; the district reads rules and comments and confirms', { timeout: 240_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    const period = thisMonthIst();
    await browserSession('hmis-checks', async ({ server, page, resultsDir }) => {
      const base = server.base;
      const admin = await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD });
      // The state lets facilities submit anyway with a comment per failing rule.
      const rules = await apiCall<{ validCompleteOnly: boolean; allowCompleteWithComments: boolean }>(base, 'PATCH', '/api/hmis/dataSets/HMIS_MONTHLY', admin.token, { allowCompleteWithComments: true });
      assert.deepEqual([rules.validCompleteOnly, rules.allowCompleteWithComments], [true, true]);
      const hisar = await apiCall<{ id: string }>(base, 'GET', '/api/geo/units/63', admin.token);
      const phc = (await apiCall<{ items: { id: string; name: string }[] }>(base, 'GET', '/api/facilities?district=63&type=PHC&limit=1', admin.token)).items[0];
      assert.ok(phc, 'Hisar has a PHC in the demo data');
      const suffix = Math.floor(Math.random() * 1e6);
      const officer = `hisar_dpm_${suffix}`;
      const operator = `hisar_phc_op_${suffix}`;
      await apiCall(base, 'POST', '/api/users', admin.token, { username: officer, password: USER_PASSWORD, role: 'district_officer', orgUnit: '63' });
      await apiCall(base, 'POST', '/api/users', admin.token, { username: operator, password: USER_PASSWORD, role: 'facility_operator', orgUnit: phc.id });

      // The operator, in English, fills a report that fails two rules and tries to submit it.
      await signIn(page, base, operator);
      await page.goto(`${base}/#/hmis/entry?dataSet=HMIS_MONTHLY&period=${period}`);
      await page.getByRole('heading', { level: 1, name: 'Monthly report (HMIS)' }).waitFor();
      await page.locator('input[data-code="1.1"]').fill('10');
      await page.locator('input[data-code="1.1.1"]').fill('20');
      await page.locator('input[data-code="1.3.1"]').fill('4');
      await page.locator('input[data-code="1.3.1.a"]').fill('8');
      await page.getByRole('button', { name: 'Submit (complete)' }).click();
      const panel = page.locator('.failing-panel');
      await panel.getByRole('heading', { name: '2 validation rules fail' }).waitFor();
      const anc = panel.locator('li[data-rule="HMIS_VR_ANC_TRIM1"]');
      const sessions = panel.locator('li[data-rule="HMIS_VR_HTN_MANAGED"]');
      assert.match(await anc.innerText(), /ANC registered in 1st trimester <= total ANC registrations — left side 20, right side 10/);
      assert.match(await sessions.innerText(), /PW hypertension managed at institution <= new cases detected — left side 8, right side 4/);
      await page.screenshot({ path: join(resultsDir, 'hmis-checks-facility-en.png'), fullPage: true });

      // In Hindi the same rules read in Hindi; a rule left without a comment is refused.
      await page.getByRole('button', { name: 'हिन्दी' }).click();
      await page.locator('html[lang="hi"]').waitFor({ state: 'attached' });
      await panel.getByRole('heading', { name: '2 सत्यापन नियम पूरे नहीं होते' }).waitFor();
      assert.match(await anc.innerText(), /पहली तिमाही में एएनसी पंजीकरण <= कुल एएनसी पंजीकरण — बायाँ पक्ष 20, दायाँ पक्ष 10/);
      assert.match(await anc.innerText(), /पहली तिमाही में पंजीकृत गर्भवती महिलाएँ \(1\.1\.1\)/, 'the rule\'s instruction in Hindi');
      await anc.getByLabel('ऐसा क्यों है? (टिप्पणी)').fill('शिविर में पंजीकृत महिलाएँ केवल 1.1.1 में गिनी गईं');
      await panel.getByRole('button', { name: 'इन टिप्पणियों के साथ जमा करें' }).click();
      await sessions.getByText('इस नियम के लिए टिप्पणी लिखें।').waitFor();
      assert.equal(await page.locator('.entry-status .badge', { hasText: 'समय पर जमा' }).count(), 0, 'not submitted without every comment');
      await page.screenshot({ path: join(resultsDir, 'hmis-checks-facility-hi.png'), fullPage: true });
      await sessions.getByLabel('ऐसा क्यों है? (टिप्पणी)').fill('पड़ोसी उपकेंद्र से भेजे गए चार मामले भी यहीं प्रबंधित हुए');
      await panel.getByRole('button', { name: 'इन टिप्पणियों के साथ जमा करें' }).click();
      await page.getByText('रिपोर्ट समय पर जमा हो गई।').waitFor();
      await page.locator('.entry-status .badge', { hasText: 'समय पर जमा' }).waitFor();
      assert.equal(await panel.count(), 0);
      await page.getByRole('button', { name: 'लॉग आउट' }).click();
      await page.locator('#login-username').waitFor();

      // The district officer opens the district's reports and approves the PHC's after reading rules and comments.
      await signIn(page, base, officer);
      await page.goto(`${base}/#/hmis/returns?dataSet=HMIS_MONTHLY&period=${period}&orgUnit=${hisar.id}`);
      const row = page.locator(`tr[data-facility="${phc.id}"]`);
      await row.waitFor();
      await row.getByRole('button', { name: /^स्वीकृत करें/ }).click();
      const dialog = page.getByRole('dialog', { name: 'असफल नियमों वाली रिपोर्ट स्वीकृत करें?' });
      await dialog.waitFor();
      const text = await dialog.innerText();
      assert.match(text, /यह रिपोर्ट 2 सत्यापन नियम पूरे नहीं करती/);
      assert.match(text, /संस्थान में प्रबंधित उच्च रक्तचाप <= नए पहचाने गए मामले — बायाँ पक्ष 8, दायाँ पक्ष 4/);
      assert.match(text, /संस्थान की टिप्पणी: .*पड़ोसी उपकेंद्र से भेजे गए चार मामले भी यहीं प्रबंधित हुए/);
      assert.match(text, /शिविर में पंजीकृत महिलाएँ केवल 1\.1\.1 में गिनी गईं/);
      await page.screenshot({ path: join(resultsDir, 'hmis-checks-district-confirm-hi.png') });
      // Cancelling leaves the report as it was.
      await dialog.getByRole('button', { name: 'रद्द करें' }).click();
      await dialog.waitFor({ state: 'hidden' });
      const review = await apiCall<{ state: string | null }>(base, 'GET', `/api/hmis/returns/review?dataSet=HMIS_MONTHLY&period=${period}&orgUnit=${phc.id}`, admin.token);
      assert.equal(review.state, null);
      await row.getByRole('button', { name: /^स्वीकृत करें/ }).click();
      await dialog.waitFor();
      await dialog.getByRole('button', { name: 'फिर भी स्वीकृत करें' }).click();
      await dialog.waitFor({ state: 'hidden' });
      // The list pages with the reports awaiting approval first: the approved one is under its own status.
      await page.goto(`${base}/#/hmis/returns?dataSet=HMIS_MONTHLY&period=${period}&orgUnit=${hisar.id}&status=approved`);
      await page.locator(`tr[data-facility="${phc.id}"] .badge.return-approved`).waitFor();
      await page.screenshot({ path: join(resultsDir, 'hmis-checks-district-approved-hi.png') });
      const after = await apiCall<{ state: string; failingRules: { comment: { text: string } | null }[] }>(base, 'GET', `/api/hmis/returns/review?dataSet=HMIS_MONTHLY&period=${period}&orgUnit=${phc.id}`, admin.token);
      assert.equal(after.state, 'approved');
      assert.equal(after.failingRules.filter((f) => f.comment).length, 2);
    });
  });
});
