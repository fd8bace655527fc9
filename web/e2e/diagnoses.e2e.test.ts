// Browser test of diagnoses by name, black-box: the real server on a fresh data directory (demo data,
// no ICD-10 import: the list that ships with Swasthya) and Debian's Chromium through playwright-core.
// A PHC's operator finds a diagnosis with the keyboard alone (words, arrow keys, Enter), records the
// visit, and sees it by name; in Hindi the same screen shows the Hindi name, and a Hindi search finds it.
//   cd /work/main && npm run build -w web && node --import tsx --test web/e2e/diagnoses.e2e.test.ts
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ADMIN_PASSWORD, apiCall, browserAvailable, browserSession } from './harness.ts';

const PASSWORD = 'Diagnoses-E2e-Pass-1';

describe('diagnoses by name (browser)', () => {
  test('a diagnosis picked with the keyboard from the built-in list shows with its name, in English and Hindi', { timeout: 300_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    await browserSession('diagnoses', async ({ server, page, resultsDir }) => {
      const base = server.base;
      const admin = (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD })).token;
      const phc = (await apiCall<{ items: { id: string }[] }>(base, 'GET', '/api/facilities?district=63&type=PHC&limit=1', admin)).items[0];
      assert.ok(phc, 'Hisar has a PHC in the demo data');
      const operator = `hisar_dx_${Math.floor(Math.random() * 1e6)}`;
      await apiCall(base, 'POST', '/api/users', admin, { username: operator, password: PASSWORD, role: 'facility_operator', orgUnit: phc.id });
      const op = await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: operator, password: PASSWORD });
      const patient = await apiCall<{ id: string }>(base, 'POST', '/api/patients', op.token, { name: 'Meena Kumari', sex: 'female', age: 29, address: { district: 63 } });

      await page.goto(`${base}/#/login`);
      await page.getByLabel('Username').fill(operator);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Log out' }).waitFor();
      await page.goto(`${base}/#/patients/${encodeURIComponent(patient.id)}`);
      const visits = page.getByRole('region', { name: 'OPD visits' });
      await visits.getByRole('button', { name: 'Record a visit' }).click();
      await page.getByLabel('Chief complaint').fill('Fever with chills every other day');

      // Words, then the arrow keys and Enter: the combobox says which option is active.
      const box = page.getByRole('combobox', { name: 'Diagnosis (ICD-10)' });
      await box.fill('vivax malaria');
      const matches = page.getByRole('listbox', { name: 'Matching ICD-10 codes' });
      await matches.getByRole('option', { name: /^B51\s+Plasmodium vivax malaria$/ }).waitFor();
      await box.press('ArrowDown');
      const active = await box.getAttribute('aria-activedescendant');
      assert.ok(active, 'an option is active');
      assert.match(await page.locator(`[id="${active}"]`).innerText(), /^B51\s+Plasmodium vivax malaria$/);
      assert.equal(await page.locator(`[id="${active}"]`).getAttribute('aria-selected'), 'true');
      await box.press('Enter');
      await page.getByRole('list', { name: 'Diagnoses chosen' }).getByText('Plasmodium vivax malaria').waitFor();
      assert.equal(await matches.count(), 0, 'the matches close once one is chosen');
      await page.getByRole('button', { name: 'Save visit' }).click();
      await page.getByText('Visit recorded. Diagnoses: B51 Plasmodium vivax malaria.').waitFor();
      const visit = visits.getByRole('listitem').filter({ hasText: 'Fever with chills every other day' });
      assert.match(await visit.getByRole('list', { name: 'Diagnoses' }).innerText(), /^B51\s+Plasmodium vivax malaria$/);
      await page.screenshot({ path: join(resultsDir, 'diagnoses-by-name.png'), fullPage: true });

      // In Hindi: the same visit by its Hindi name, and a search in Hindi.
      await page.getByRole('button', { name: 'हिन्दी' }).click();
      const visitsHi = page.getByRole('region', { name: 'ओपीडी विज़िट' });
      await visitsHi.getByText('वाइवैक्स मलेरिया').waitFor();
      await visitsHi.getByRole('button', { name: /विज़िट दर्ज करें/ }).click();
      await page.getByRole('combobox', { name: /ICD-10/ }).fill('उच्च रक्तचाप');
      await page.getByRole('listbox', { name: /ICD-10/ }).getByRole('option', { name: /^I10\s+उच्च रक्तचाप \(हाई ब्लड प्रेशर\)$/ }).waitFor();
      await page.screenshot({ path: join(resultsDir, 'diagnoses-by-name-hi.png'), fullPage: true });

      const listed = await apiCall<{ items: { diagnoses: { code: string; title: string; titleHi: string }[] }[] }>(base, 'GET', `/api/patients/${patient.id}/visits`, op.token);
      assert.deepEqual(listed.items[0]?.diagnoses, [{ code: 'B51', title: 'Plasmodium vivax malaria', titleHi: 'वाइवैक्स मलेरिया' }]);
    });
  });
});
