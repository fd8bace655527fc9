// Browser test that errors reach the person, black-box: the real server on a fresh data directory
// (demo data) and Debian's Chromium through playwright-core.
// A citizen booking the OPD from home with a wrong one-time code is told so beside the code; a
// facility saved with coordinates outside its district shows the server's problem beside the fields
// and at the top, both go as soon as the coordinates are fixed, and the save says it was saved.
//   cd /work/main && npm run build -w web && node --import tsx --test web/e2e/errors.e2e.test.ts
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ADMIN_PASSWORD, apiCall, browserAvailable, browserSession, randomAbha, selectByText, type Server } from './harness.ts';

const randomMobile = () => `9${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;

/** The code the development SMS sender printed for a mobile number. */
async function codeFromLog(server: Server, mobile: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const last = [...server.output().matchAll(new RegExp(`to ${mobile}: Swasthya: your code is (\\d{6})`, 'g'))].at(-1);
    if (last?.[1]) return last[1];
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no code sent to ${mobile} in the server log`);
}

describe('errors reach the person (browser)', () => {
  test('a wrong one-time code is shown on the booking form; a facility form clears a fixed problem and says it saved', { timeout: 300_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    await browserSession('errors', async ({ server, page, resultsDir }) => {
      const base = server.base;
      const admin = (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD })).token;
      const hubName = `CHC Uklana ${Math.random().toString(36).slice(2, 7)}`;
      const hub = (await apiCall<{ id: string }>(base, 'POST', '/api/facilities', admin, {
        name: hubName, type: 'CHC', ownership: 'public', system: 'allopathic', orgUnit: '63', latitude: 29.15, longitude: 75.72,
      })).id;
      await apiCall(base, 'PUT', `/api/telemedicine/hubs/${hub}/specialties`, admin, { items: [{ specialty: 'general_medicine', homeOpd: true }] });

      // ---- the citizen's booking form: a wrong code is said beside the code ----
      const mobile = randomMobile();
      await page.goto(`${base}/#/opd`);
      await page.getByRole('heading', { level: 1, name: 'See a doctor from home' }).waitFor();
      await page.getByLabel('Mobile number', { exact: true }).fill(mobile);
      await page.getByRole('button', { name: 'Send code' }).click();
      await page.getByText(`A 6-digit code was sent to XXXXXX${mobile.slice(-4)}.`).waitFor();
      const right = await codeFromLog(server, mobile);
      const wrong = right.slice(0, 5) + String((Number(right[5]) + 1) % 10);
      const code = page.getByLabel('Code from the SMS');
      await code.fill(wrong);
      await page.getByLabel("Patient's name").fill('Kamla Devi');
      await page.getByLabel('Sex').selectOption('female');
      await page.getByLabel('Age (years)').fill('52');
      const district = page.getByLabel(/^District/);
      if ((await district.evaluate((el) => el.tagName)) === 'SELECT') await district.selectOption('63');
      else await district.fill('63');
      await page.getByLabel(new RegExp(`General medicine — ${hubName}`)).check();
      await page.getByRole('button', { name: 'Book and go to the waiting room' }).click();
      const said = page.locator('#opd-code-error');
      await said.getByText('The code is wrong or has expired; ask for a new one').waitFor();
      assert.equal(await code.getAttribute('aria-invalid'), 'true');
      assert.match(await code.getAttribute('aria-describedby') ?? '', /opd-code-error/);
      await page.screenshot({ path: join(resultsDir, 'errors-booking-wrong-code.png'), fullPage: true });
      // Typing the code again takes the stale message away; the right code books.
      await code.fill(right);
      assert.equal(await said.count(), 0, 'the message about the old code is gone');
      await page.getByRole('button', { name: 'Book and go to the waiting room' }).click();
      await page.getByRole('heading', { level: 1, name: 'Waiting room' }).waitFor();

      // ---- a facility: the server's problem is shown, goes when fixed, and the save is confirmed ----
      await page.goto(`${base}/#/login`);
      await page.getByLabel('Username').fill('admin');
      await page.getByLabel('Password').fill(ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Log out' }).waitFor();
      await page.goto(`${base}/#/facilities/${hub}/edit`);
      await page.getByRole('heading', { level: 1, name: 'Edit health facility' }).waitFor();
      const lat = page.getByLabel('Latitude');
      const lon = page.getByLabel('Longitude');
      await lat.waitFor();
      await page.waitForFunction(() => (document.getElementById('facility-latitude') as HTMLInputElement | null)?.value === '29.15');
      // Bengaluru: in India (the form lets it through), but not in Hisar district (the server says so).
      await lat.fill('12.97');
      await lon.fill('77.59');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      const banner = page.locator('.notice-error');
      await banner.getByText(/check the coordinates/).waitFor();
      await page.locator('#facility-latitude-error').getByText(/check the coordinates/).waitFor();
      assert.equal(await lat.getAttribute('aria-invalid'), 'true');
      await page.screenshot({ path: join(resultsDir, 'errors-facility-coordinates.png'), fullPage: true });
      await lat.fill('29.16');
      await lon.fill('75.73');
      assert.equal(await banner.count(), 0, 'the banner about the old coordinates is gone once they are fixed');
      assert.equal(await page.locator('#facility-latitude-error').count(), 0);
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: hubName }).waitFor();
      await page.getByRole('status').getByText(`Saved: the changes to ${hubName} are stored.`).waitFor();
      await page.screenshot({ path: join(resultsDir, 'errors-facility-saved.png'), fullPage: true });
      const stored = await apiCall<{ latitude: number; longitude: number }>(base, 'GET', `/api/facilities/${hub}`, admin);
      assert.deepEqual([stored.latitude, stored.longitude], [29.16, 75.73]);
    });
  });

  test('the registration form\'s banner about a taken ABHA number goes when the number is changed', { timeout: 300_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    await browserSession('errors-register', async ({ server, page, resultsDir }) => {
      const base = server.base;
      const admin = (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD })).token;
      const phc = (await apiCall<{ items: { id: string }[] }>(base, 'GET', '/api/facilities?district=63&type=PHC&limit=1', admin)).items[0];
      assert.ok(phc, 'Hisar has a PHC in the demo data');
      const clerk = `hisar_reg_${Math.floor(Math.random() * 1e6)}`;
      const password = 'Errors-E2e-Pass-1';
      await apiCall(base, 'POST', '/api/users', admin, { username: clerk, password, role: 'facility_operator', orgUnit: phc.id });
      const token = (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: clerk, password })).token;
      const abha = randomAbha(true);
      const first = await apiCall<{ stateNumber: string }>(base, 'POST', '/api/patients', token, { name: 'Santosh Rani', sex: 'female', age: 60, address: { district: 63 }, abha });

      await page.goto(`${base}/#/login`);
      await page.getByLabel('Username').fill(clerk);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Log out' }).waitFor();
      await page.goto(`${base}/#/patients/new`);
      await page.getByLabel('Name', { exact: true }).fill('Rekha Saini');
      await page.getByLabel('Female').check();
      await page.getByLabel('Age in years').fill('33');
      await selectByText(page, /^District/, /hisar/i);
      const abhaField = page.getByLabel('ABHA number', { exact: true });
      await abhaField.fill(abha);
      await page.getByRole('button', { name: 'Register patient', exact: true }).click();
      const banner = page.locator('.notice-error').filter({ hasText: first.stateNumber });
      await banner.waitFor();
      await page.screenshot({ path: join(resultsDir, 'errors-register-taken.png'), fullPage: true });
      await abhaField.fill(randomAbha(true));
      await banner.waitFor({ state: 'detached', timeout: 2_000 });
    });
  });
});
