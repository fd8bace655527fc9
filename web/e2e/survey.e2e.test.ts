// Browser test of the door-to-door health-card survey, black-box: the real server as a child process
// on a fresh data directory (demo data) and Debian's Chromium through playwright-core.
// Hisar's district officer assigns the village Ladwa to an ASHA on the coverage screen. The ASHA, on a
// phone-sized screen, loses the network, reloads the page (it comes from the service worker), records
// a household of two, comes back online and sees it synced by itself; a second household with a
// family id already used is refused with the reason (in Hindi too), corrected and sent again. The
// district's coverage then counts both households.
// Ladwa and Mangali are villages of the demo's Hisar-I block (added through the Places API when the
// demo placed them elsewhere).
//   cd /work/main && npm run build -w web && node --import tsx --test web/e2e/survey.e2e.test.ts
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, apiCall, browserAvailable, browserSession, hisarVillage, randomAbha, selectByText } from './harness.ts';

const USER_PASSWORD = 'Survey-E2e-Pass-1';
const rand = () => Math.floor(Math.random() * 1e6);
const randomMobile = () => `9${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;


async function signIn(page: Page, base: string, username: string): Promise<void> {
  await page.goto(`${base}/#/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(USER_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByLabel('Username').waitFor();
}

/** Fills one member's fieldset of the household form. */
async function fillMember(page: Page, group: string, m: { name: string; sex: 'Female' | 'Male'; age: string; mobile?: string; abha?: string; relation?: string }) {
  const g = page.getByRole('group', { name: group });
  await g.getByLabel('Name', { exact: true }).fill(m.name);
  await g.getByLabel(m.sex, { exact: true }).check();
  await g.getByLabel('Age in years').fill(m.age);
  if (m.relation) await g.getByLabel('Relation to the head').selectOption({ label: m.relation });
  if (m.mobile) await g.getByLabel('Mobile').fill(m.mobile);
  if (m.abha) await g.getByLabel('ABHA number').fill(m.abha);
}

/** Waits until the page has finished scrolling to the top (saving a household scrolls there smoothly). */
async function scrolledToTop(page: Page): Promise<void> {
  await page.waitForFunction(() => window.scrollY === 0);
  // Two frames more: a smooth scroll can pause at 0 for a frame before it ends.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

describe('health-card survey offline on a phone (browser)', () => {
  test('assign a village, record a household offline, sync it, correct a refusal, see coverage', { timeout: 300_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    await browserSession('survey', async ({ server, page, resultsDir }) => {
      const base = server.base;
      const context = page.context();
      const admin = await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD });
      // Ladwa and Mangali in the demo's Hisar-I block.
      const fixture = await hisarVillage(base, admin.token, 'Hisar-I', ['Ladwa', 'लाडवा']);
      await hisarVillage(base, admin.token, 'Hisar-I', ['Mangali', 'मंगाली']);
      const officer = `hisar_cmo_${rand()}`;
      const asha = `asha_ladwa_${rand()}`;
      await apiCall(base, 'POST', '/api/users', admin.token, { username: officer, password: USER_PASSWORD, role: 'district_officer', orgUnit: '63' });
      await apiCall(base, 'POST', '/api/users', admin.token, { username: asha, password: USER_PASSWORD, role: 'asha', orgUnit: fixture.village });

      // The district officer assigns Ladwa (Hisar-I block) to the ASHA on the coverage screen.
      await signIn(page, base, officer);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Survey coverage' }).click();
      await page.getByRole('heading', { level: 1, name: /Survey coverage/ }).waitFor();
      await page.getByText('No village or ward is assigned or surveyed here yet').waitFor();
      await page.getByLabel('Username of the ASHA or CHO').fill(asha);
      await selectByText(page, /^Block$/, /Hisar-I/);
      // Beside the demo's panchayats the block holds these villages directly: the list is then of places.
      await selectByText(page, /^(Village or ward|Place)$/, /Ladwa/);
      await page.getByRole('button', { name: 'Assign', exact: true }).click();
      await page.getByText(`Ladwa assigned to ${asha}.`).waitFor();
      await page.getByRole('row').filter({ hasText: 'Ladwa' }).waitFor();
      // A username that is no ASHA's is refused beside the field.
      await page.getByLabel('Username of the ASHA or CHO').fill(officer);
      await selectByText(page, /^Block$/, /Hisar-I/);
      await selectByText(page, /^(Village or ward|Place)$/, /Mangali/);
      await page.getByRole('button', { name: 'Assign', exact: true }).click();
      await page.getByText(/the survey is done by ASHAs and CHOs/).waitFor();
      await signOut(page);

      // The ASHA signs in on a phone-sized screen and lands on the survey.
      await page.setViewportSize({ width: 390, height: 844 });
      await signIn(page, base, asha);
      await page.getByRole('heading', { level: 1, name: 'Health-card survey' }).waitFor();
      await page.getByText(/Your areas: Ladwa/).waitFor();
      // The service worker is installed (with the app in its cache) and controls the page.
      await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 30_000 });
      assert.ok(await page.evaluate(async () => !!(await navigator.serviceWorker.ready).active), 'service worker active');

      // No network. The page reloads all the same: from the service worker's cache.
      await context.setOffline(true);
      const [worker] = context.serviceWorkers();
      if (worker) {
        assert.equal(await worker.evaluate(() => fetch('/api/health').then(() => 'reached', () => 'offline')), 'offline', 'the service worker has no network either');
      }
      const reloaded = await page.reload();
      assert.ok(reloaded?.fromServiceWorker(), 'the page came from the service worker');
      await page.getByRole('heading', { level: 1, name: 'Health-card survey' }).waitFor();
      await page.getByText('You are offline.', { exact: false }).waitFor();
      await page.getByText(/Your areas: Ladwa/).waitFor();
      assert.equal(await page.evaluate(() => fetch('/api/health').then(() => 'reached', () => 'offline')), 'offline', 'the page has no network');

      // A household of two, recorded offline.
      const familyId = `PPP-${rand()}`;
      const headAbha = randomAbha(true).replace(/^(\d{2})(\d{4})(\d{4})(\d{4})$/, '$1-$2-$3-$4');
      await page.getByLabel('House number, street').fill('House 12, Ladwa');
      await page.getByLabel('Family ID (state register)').fill(familyId);
      await fillMember(page, 'Head of household', { name: 'रामफल', sex: 'Male', age: '52', mobile: randomMobile(), abha: headAbha });
      await page.getByRole('button', { name: 'Add a member' }).click();
      await fillMember(page, 'Member 2', { name: 'Santosh Devi', sex: 'Female', age: '47', relation: 'Wife or husband' });
      await page.getByRole('button', { name: 'Save household on this phone' }).click();
      await page.getByText('Saved on this phone: the household of रामफल.').waitFor();
      await page.getByRole('heading', { name: 'Waiting to sync (1)' }).waitFor();
      assert.equal(await page.getByTestId('waiting-count').innerText(), 'Waiting to sync: 1');
      // Saving scrolls the page smoothly to the top (to show what was saved); a click while it scrolls
      // can land beside the button (seen in CI as a press that did nothing), so each waits for the top.
      await scrolledToTop(page);
      await page.getByRole('button', { name: 'Sync now' }).click();
      await page.getByText('The server cannot be reached.', { exact: false }).waitFor();
      await page.screenshot({ path: join(resultsDir, 'survey-offline.png'), fullPage: true });

      // Back online: the household goes by itself, and gets its family number.
      await context.setOffline(false);
      await page.getByRole('heading', { name: 'Synced (1)' }).waitFor({ timeout: 30_000 });
      const first = page.getByRole('listitem', { name: 'Household of रामफल' });
      assert.match(await first.getByTestId('family-number').innerText(), /^F06\d{9}$/);
      assert.equal(await page.getByTestId('waiting-count').innerText(), 'Waiting to sync: 0');

      // A second household with the same family id: refused, with the reason, in Hindi too.
      await page.getByLabel('Family ID (state register)').fill(familyId);
      await fillMember(page, 'Head of household', { name: 'Kamla', sex: 'Female', age: '60' });
      await page.getByRole('button', { name: 'Save household on this phone' }).click();
      await page.getByRole('heading', { name: 'Waiting to sync (1)' }).waitFor();
      await scrolledToTop(page);
      await page.getByRole('button', { name: 'Sync now' }).click();
      await page.getByRole('heading', { name: 'Refused by the server (1)' }).waitFor();
      const refused = page.getByRole('listitem', { name: 'Household of Kamla' });
      await refused.getByText(`Family id ${familyId} is already registered`).waitFor();
      await page.getByRole('button', { name: 'हिन्दी' }).click();
      await page.getByRole('listitem', { name: 'Kamla का परिवार' }).getByText(`परिवार आईडी ${familyId} पहले से पंजीकृत है`).waitFor();
      await page.screenshot({ path: join(resultsDir, 'survey-refused-hi.png'), fullPage: true });
      await page.getByRole('button', { name: 'English' }).click();

      // Corrected and sent again.
      await refused.getByRole('button', { name: 'Edit' }).click();
      await page.getByRole('heading', { name: 'Correct the household' }).waitFor();
      await page.locator('#survey-family-id-error').getByText(`Family id ${familyId} is already registered`).waitFor();
      await page.getByLabel('Family ID (state register)').fill(`${familyId}-2`);
      await page.getByRole('button', { name: 'Save and send again' }).click();
      await scrolledToTop(page);
      await page.getByRole('button', { name: 'Sync now' }).click();
      await page.getByRole('heading', { name: 'Synced (2)' }).waitFor();
      assert.match(await page.getByRole('listitem', { name: 'Household of Kamla' }).getByTestId('family-number').innerText(), /^F06\d{9}$/);
      await page.screenshot({ path: join(resultsDir, 'survey-synced.png'), fullPage: true });
      await signOut(page);

      // The district's coverage counts both households: three people, one with ABHA.
      await page.setViewportSize({ width: 1366, height: 900 });
      await signIn(page, base, officer);
      await page.goto(`${base}/#/survey/coverage`);
      const row = page.getByRole('row').filter({ hasText: 'Ladwa' });
      await row.waitFor();
      const cells = (await row.locator('td').allInnerTexts()).map((s) => s.trim());
      assert.deepEqual(cells, ['1', '2', '3', '1', '33%', '0', '0%'], 'enumerators, households, people, with ABHA, %, with card, %');
      await page.screenshot({ path: join(resultsDir, 'survey-coverage.png'), fullPage: true });
    }, undefined, { serviceWorkers: 'allow' });
  });
});
