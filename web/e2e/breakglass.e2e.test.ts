// Browser test of break-glass, black-box: the real server (demo data) and Debian's Chromium.
// A Hisar PHC's operator finds a woman registered at another facility, has neither her phone nor her
// card, opens her with a reason (warned that it is audited and reviewed), registers the visit and
// reads the record; the patient is told by SMS; the Hisar district officer then finds the access in
// the review list and marks it reviewed.
//   cd /work/main && node --import tsx --test web/e2e/breakglass.e2e.test.ts
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, apiCall, browserAvailable, browserSession } from './harness.ts';

const PASSWORD = 'Hisar-Presence-Pass-1';
const randomMobile = () => `9${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;

async function signIn(page: Page, base: string, username: string) {
  await page.goto(`${base}/`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

describe('break-glass (browser)', () => {
  test('open a patient with a reason from the search results, then the district officer reviews it', { timeout: 300_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    await browserSession('breakglass', async ({ server, page, resultsDir }) => {
      const base = server.base;
      const admin = await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD });
      const phc = (await apiCall<{ items: { id: string; name: string }[] }>(base, 'GET', '/api/facilities?district=63&type=PHC&limit=1', admin.token)).items[0];
      assert.ok(phc, 'Hisar has a PHC in the demo data');
      const suffix = Math.floor(Math.random() * 1e6);
      const operator = `hisar_bg_${suffix}`;
      const officer = `hisar_cmo_${suffix}`;
      await apiCall(base, 'POST', '/api/users', admin.token, { username: operator, password: PASSWORD, role: 'facility_operator', orgUnit: phc.id });
      await apiCall(base, 'POST', '/api/users', admin.token, { username: officer, password: PASSWORD, role: 'district_officer', orgUnit: 63 });
      const mobile = randomMobile();
      // She is registered at another Hisar facility: the operator's PHC may not read her record.
      const elsewhere = (await apiCall<{ items: { id: string }[] }>(base, 'GET', '/api/facilities?district=63&limit=5', admin.token)).items.find((f) => f.id !== phc.id);
      assert.ok(elsewhere, 'Hisar has another facility in the demo data');
      const woman = await apiCall<{ id: string; stateNumber: string }>(base, 'POST', '/api/patients', admin.token, {
        name: 'Santosh Bala', sex: 'female', age: 61, mobile, address: { district: 63 }, facilityId: elsewhere.id,
      });

      // The operator finds her: not registered here.
      await signIn(page, base, operator);
      await page.goto(`${base}/#/patients?q=${woman.stateNumber}`);
      const row = page.getByRole('row').filter({ hasText: woman.stateNumber });
      await row.getByText('Not registered at your facility').waitFor();
      await row.getByRole('button', { name: 'Santosh Bala is here: show it' }).click();

      // Neither phone nor card: break-glass, with its warning; a short reason is refused on the page.
      const presence = page.getByRole('region', { name: 'Show that the patient is here' });
      await presence.getByRole('radio', { name: 'No phone or card (break-glass)' }).check();
      await presence.getByText('It is audited: the patient is told by SMS').waitFor();
      await presence.getByLabel('Reason').fill('fainted');
      await presence.getByRole('button', { name: 'Open with this reason' }).click();
      await presence.getByText('Give the reason in at least 10 characters.').waitFor();
      const reason = 'Collapsed at the bus stand, brought in by a passer-by';
      await presence.getByLabel('Reason').fill(reason);
      await page.screenshot({ path: join(resultsDir, 'breakglass-reason.png'), fullPage: true });
      await presence.getByRole('button', { name: 'Open with this reason' }).click();

      // Then the visit, and the record opens.
      await page.getByText('The patient is shown present. Register the visit here:').waitFor();
      await page.getByRole('button', { name: 'Register OPD visit here' }).click();
      await page.getByRole('heading', { level: 1, name: /Santosh Bala/ }).waitFor();
      assert.match(server.output(), new RegExp(`to ${mobile}: Swasthya: your record was opened at ${phc.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} by facility operator on .* for: ${reason}`), 'the patient is told by SMS');
      await page.getByRole('button', { name: 'Log out' }).click();

      // The district officer reviews it.
      await signIn(page, base, officer);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Break-glass review' }).click();
      await page.getByRole('heading', { level: 1, name: 'Break-glass access to review' }).waitFor();
      const item = page.getByRole('row').filter({ hasText: woman.stateNumber });
      await item.getByText(reason).waitFor();
      assert.match(await item.innerText(), new RegExp(operator));
      assert.ok(!(await page.content()).includes('Santosh Bala'), 'the officer sees the number, not the name');
      await item.getByLabel(`Review note for ${woman.stateNumber}`).fill('Confirmed with the PHC: emergency');
      await page.screenshot({ path: join(resultsDir, 'breakglass-review.png'), fullPage: true });
      await item.getByRole('button', { name: `Mark access to ${woman.stateNumber} reviewed` }).click();
      await page.getByRole('row').filter({ hasText: woman.stateNumber }).waitFor({ state: 'detached' });
      await page.getByLabel('Show', { exact: true }).selectOption('reviewed');
      const done = page.getByRole('row').filter({ hasText: woman.stateNumber });
      await done.getByText(`Reviewed by ${officer}`).waitFor();
      await done.getByText('Confirmed with the PHC: emergency').waitFor();
    });
  });
});
