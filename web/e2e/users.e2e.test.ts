// Browser test of user management, black-box: the real server (demo data) and Debian's Chromium.
// The Hisar district officer opens Users from the menu, creates a doctor at a Hisar PHC (a weak
// password is refused on the page first), sets the doctor a new password, and deactivates them; the
// doctor's open session stops working. Then the page in Hindi.
//   cd /work/main && npm run build -w web && node --import tsx --test web/e2e/users.e2e.test.ts
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ADMIN_PASSWORD, apiCall, browserAvailable, browserSession } from './harness.ts';

const PASSWORD = 'Hisar-Officer-Pass-1';

describe('user management (browser)', () => {
  test('a district officer creates a doctor, sets a new password and deactivates them', { timeout: 300_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    await browserSession('users', async ({ server, page, resultsDir }) => {
      const base = server.base;
      const admin = await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD });
      const phc = (await apiCall<{ items: { id: string; name: string }[] }>(base, 'GET', '/api/facilities?district=63&type=PHC&limit=1', admin.token)).items[0];
      assert.ok(phc, 'Hisar has a PHC in the demo data');
      const suffix = Math.floor(Math.random() * 1e6);
      const officer = `hisar_cmo_${suffix}`;
      const doctor = `dr_hisar_${suffix}`;
      await apiCall(base, 'POST', '/api/users', admin.token, { username: officer, password: PASSWORD, role: 'district_officer', orgUnit: 63 });

      await page.goto(`${base}/`);
      await page.getByLabel('Username').fill(officer);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
      await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
      // Officer roles are not offered to a district officer.
      const options = await page.getByLabel('Role').locator('option').allInnerTexts();
      assert.ok(options.includes('Doctor') && !options.includes('District officer (CMO)') && !options.includes('Administrator'), options.join(', '));

      await page.getByLabel('User name').fill(doctor);
      await page.getByLabel('Name', { exact: true }).fill('Dr. Kavita Rani');
      await page.getByLabel('Role').selectOption('doctor');
      // The district's facilities are offered by name; the id is what is sent.
      await page.locator(`#user-orgUnit-options option[value="${phc.id}"][label^="${phc.name}"]`).waitFor({ state: 'attached' });
      await page.getByLabel('Posted at').fill(phc.id);
      await page.getByLabel('Password', { exact: true }).fill('password1');
      await page.getByRole('button', { name: 'Create user' }).click();
      await page.getByText(/must have at least 10 characters/).waitFor();
      await page.getByLabel('Password', { exact: true }).fill('Kesar-Aam-Neem-42');
      await page.getByRole('button', { name: 'Create user' }).click();
      await page.getByText(`User ${doctor} created.`).waitFor();
      const row = page.getByRole('row').filter({ hasText: doctor });
      await row.getByText('Active').waitFor();
      const session = await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: doctor, password: 'Kesar-Aam-Neem-42' });
      await page.screenshot({ path: join(resultsDir, 'users-created.png'), fullPage: true });

      await row.getByRole('button', { name: `Set a new password for ${doctor}` }).click();
      await page.getByLabel('New password (at least 10 characters)').fill('Gulmohar-Peepal-97');
      await page.getByRole('button', { name: 'Save password' }).click();
      await page.getByText(`New password set for ${doctor}; their sessions have ended.`).waitFor();
      await apiCall(base, 'POST', '/api/auth/login', null, { username: doctor, password: 'Gulmohar-Peepal-97' });

      await row.getByRole('button', { name: `Deactivate ${doctor}` }).click();
      const dialog = page.getByRole('dialog', { name: `Deactivate ${doctor}?` });
      await dialog.getByText('They can no longer sign in').waitFor();
      await dialog.getByRole('button', { name: 'Deactivate' }).click();
      await page.getByText(`${doctor} is deactivated.`).waitFor();
      await page.getByRole('row').filter({ hasText: doctor }).getByText('Deactivated').waitFor();
      const me = await fetch(`${base}/api/auth/me`, { headers: { authorization: `Bearer ${session.token}` } });
      assert.equal(me.status, 401, 'the doctor\'s session ended');
      await page.screenshot({ path: join(resultsDir, 'users-deactivated.png'), fullPage: true });
      await page.getByRole('row').filter({ hasText: doctor }).getByRole('button', { name: `Activate ${doctor}` }).click();
      await page.getByText(`${doctor} can sign in again.`).waitFor();
      await page.getByRole('row').filter({ hasText: doctor }).getByText('Active').waitFor();
      await apiCall(base, 'POST', '/api/auth/login', null, { username: doctor, password: 'Gulmohar-Peepal-97' });
      await page.getByRole('row').filter({ hasText: doctor }).getByRole('button', { name: `Deactivate ${doctor}` }).click();
      await page.getByRole('dialog', { name: `Deactivate ${doctor}?` }).getByRole('button', { name: 'Deactivate' }).click();
      await page.getByText(`${doctor} is deactivated.`).waitFor();

      await page.getByRole('button', { name: 'हिन्दी' }).click();
      await page.getByRole('heading', { level: 1, name: 'उपयोगकर्ता' }).waitFor();
      await page.getByRole('row').filter({ hasText: doctor }).getByText('निष्क्रिय').waitFor();
      await page.getByText(`${doctor} निष्क्रिय कर दिया गया।`).waitFor();
      await page.screenshot({ path: join(resultsDir, 'users-hi.png'), fullPage: true });
    });
  });
});
