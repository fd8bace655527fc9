// Browser test of the OPD queue worked through a day, black-box: the real server on a fresh data
// directory (demo data) and Debian's Chromium through playwright-core.
// A PHC's clerk issues two tokens from the patients' records, opens the OPD queue from the menu,
// calls one, marks it with the doctor, records its visit on the record (the token is done), marks
// the other absent (after a confirmation) and recalls it; the counts per state change on screen each
// time. A second run in Hindi on a phone-sized screen calls, marks absent and recalls again.
// A screenshot of each screen is saved in test-results/.
//   cd /work/main/web && npx vite build --outDir /tmp/web-opd && cd .. &&
//   SWASTHYA_WEB_DIST=/tmp/web-opd SWASTHYA_REQUIRE_BROWSER=1 node --import tsx --test web/e2e/opd.e2e.test.ts
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, apiCall, browserAvailable, browserSession } from './harness.ts';

const PASSWORD = 'Opd-Queue-E2e-Pass-1';

/** The counts shown on the state filters, e.g. { all: 2, waiting: 1, called: 1, … }. */
async function counts(page: Page): Promise<Record<string, number>> {
  const pairs = await page.locator('.opd-count').evaluateAll((els) => els.map((e) => [e.getAttribute('data-state') ?? '', e.textContent ?? '']));
  return Object.fromEntries(pairs.map(([k, v]) => [k, Number((v ?? '').replace(/\D/g, ''))]));
}

/** Waits until the filters show `want` (the page refreshes itself after each move and every few seconds). */
async function countsBecome(page: Page, want: Record<string, number>) {
  const deadline = Date.now() + 15_000;
  let seen: Record<string, number> = {};
  while (Date.now() < deadline) {
    seen = await counts(page);
    if (Object.entries(want).every(([k, v]) => seen[k] === v)) return;
    await page.waitForTimeout(150);
  }
  assert.fail(`counts on screen ${JSON.stringify(seen)}, expected ${JSON.stringify(want)}`);
}

async function signIn(page: Page, base: string, username: string, hindi = false) {
  await page.goto(`${base}/#/login`);
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(PASSWORD);
  await page.getByRole('button', { name: hindi ? 'साइन इन करें' : 'Sign in' }).click();
  await page.getByRole('button', { name: hindi ? 'लॉग आउट' : 'Log out' }).waitFor();
}

describe('the OPD queue is worked (browser)', () => {
  test('a clerk calls a token, sends it to the doctor, its visit closes it; another is absent and recalled; in English and Hindi', { timeout: 300_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    await browserSession('opd', async ({ server, page, resultsDir }) => {
      const base = server.base;
      const shot = (p: Page, name: string) => p.screenshot({ path: join(resultsDir, `opd-${name}.png`), fullPage: true });
      const admin = await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD });
      const phc = (await apiCall<{ items: { id: string }[] }>(base, 'GET', '/api/facilities?district=63&type=PHC&limit=1', admin.token)).items[0];
      assert.ok(phc, 'Hisar has a PHC in the demo data');
      const clerk = `opd_clerk_${Math.floor(Math.random() * 1e6)}`;
      await apiCall(base, 'POST', '/api/users', admin.token, { username: clerk, password: PASSWORD, role: 'facility_operator', orgUnit: phc.id });
      const op = await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: clerk, password: PASSWORD });
      const kamla = await apiCall<{ id: string }>(base, 'POST', '/api/patients', op.token, { name: 'Kamla Devi', nameHi: 'कमला देवी', sex: 'female', age: 52, address: { district: 63 } });
      const ramesh = await apiCall<{ id: string }>(base, 'POST', '/api/patients', op.token, { name: 'Ramesh Kumar', nameHi: 'रमेश कुमार', sex: 'male', age: 40, address: { district: 63 } });

      await signIn(page, base, clerk);
      // Two tokens issued at the counter, from each patient's record.
      for (const [p, token] of [[kamla, 1], [ramesh, 2]] as const) {
        await page.goto(`${base}/#/patients/${encodeURIComponent(p.id)}`);
        await page.getByRole('button', { name: 'Register OPD visit' }).click();
        await page.getByText(`OPD token ${token} issued: General OPD.`).waitFor();
      }
      await shot(page, 'token-issued');

      // The queue is in the clerk's menu.
      await page.locator('header nav a[href="#/opd"]').click();
      await page.getByRole('heading', { level: 1, name: 'OPD queue' }).waitFor();
      await countsBecome(page, { all: 2, waiting: 2, called: 0, with_doctor: 0, done: 0, absent: 0 });
      const tokens = page.getByRole('list', { name: 'Tokens' });
      const row = (n: number) => tokens.getByRole('listitem', { name: `Token ${n}`, exact: true });
      await row(1).getByText('Kamla Devi').waitFor();
      // Only the moves a waiting token allows.
      assert.deepEqual(await row(1).getByRole('button').allInnerTexts(), ['Call', 'Absent']);
      await shot(page, 'queue-en');

      await page.getByRole('button', { name: 'Call: token 1' }).click();
      await page.getByText('Token 1: Called.').waitFor();
      await countsBecome(page, { waiting: 1, called: 1 });
      assert.deepEqual(await row(1).getByRole('button').allInnerTexts(), ['With doctor', 'Absent']);
      await shot(page, 'called-en');

      await page.getByRole('button', { name: 'With doctor: token 1' }).click();
      await page.getByText('Token 1: With doctor.').waitFor();
      await countsBecome(page, { waiting: 1, called: 0, with_doctor: 1 });
      assert.deepEqual(await row(1).getByRole('button').allInnerTexts(), ['Done']);
      await shot(page, 'with-doctor-en');

      // The visit is recorded on her record; her token is done with it.
      await row(1).getByRole('link', { name: 'Record visit' }).click();
      await page.getByRole('heading', { level: 1, name: /Kamla Devi/ }).waitFor();
      const visits = page.getByRole('region', { name: 'OPD visits' });
      await visits.getByRole('button', { name: 'Record a visit' }).click();
      await page.getByLabel('Chief complaint').fill('Joint pain for a week');
      await page.getByRole('button', { name: 'Save visit' }).click();
      await page.getByText(/Visit recorded/).waitFor();
      await shot(page, 'visit-en');
      await page.locator('header nav a[href="#/opd"]').click();
      await countsBecome(page, { all: 2, waiting: 1, called: 0, with_doctor: 0, done: 1, absent: 0 });
      await page.getByRole('button', { name: /^Done/ }).click();
      await row(1).locator('.opd-badge').filter({ hasText: 'Done' }).waitFor();
      // The done token is in the whole list too: wait for the filtered list to replace it.
      for (const end = Date.now() + 10_000; (await tokens.getByRole('listitem').count()) !== 1 && Date.now() < end;) await page.waitForTimeout(100);
      assert.equal(await tokens.getByRole('listitem').count(), 1, 'the Done filter shows only the done token');
      assert.deepEqual(await row(1).getByRole('button').allInnerTexts(), [], 'a done token offers no move');
      await shot(page, 'done-en');

      // The other token: absent after a confirmation, then recalled to wait.
      await page.getByRole('button', { name: /^All/ }).click();
      await page.getByRole('button', { name: 'Absent: token 2' }).click();
      const dialog = page.getByRole('dialog', { name: 'Mark token 2 absent?' });
      await dialog.getByText('Ramesh Kumar is not here.').waitFor();
      await shot(page, 'absent-confirm-en');
      await dialog.getByRole('button', { name: 'Mark absent' }).click();
      await page.getByText('Token 2: Absent.').waitFor();
      await countsBecome(page, { waiting: 0, absent: 1, done: 1 });
      await page.getByRole('button', { name: /^Absent/ }).first().click();
      await page.getByRole('button', { name: 'Recall: token 2' }).click();
      await page.getByText('Token 2: Waiting.').waitFor();
      await countsBecome(page, { waiting: 1, absent: 0, done: 1, all: 2 });
      await shot(page, 'recalled-en');

      // What the server holds: token 1 done with its visit, token 2 waiting again.
      const queue = await apiCall<{ items: { token: number; status: string; times: Record<string, string | null> }[] }>(base, 'GET', '/api/opd/queue', op.token);
      assert.deepEqual(queue.items.map((i) => [i.token, i.status]), [[1, 'done'], [2, 'waiting']]);
      assert.ok(queue.items[1]?.times.absent && queue.items[1]?.times.recalled, 'the times of absence and recall are kept');

      // In Hindi, on a phone-sized screen: call token 2, mark it absent, recall it.
      const phone = await page.context().browser()!.newContext({ viewport: { width: 390, height: 844 }, locale: 'hi-IN', isMobile: true, hasTouch: true });
      await phone.addInitScript(() => localStorage.setItem('swasthya.lang', 'hi'));
      const hi = await phone.newPage();
      hi.setDefaultTimeout(20_000);
      try {
        await signIn(hi, base, clerk, true);
        await hi.goto(`${base}/#/opd`);
        await hi.getByRole('heading', { level: 1, name: 'ओपीडी कतार' }).waitFor();
        await countsBecome(hi, { all: 2, waiting: 1, done: 1 });
        const list = hi.getByRole('list', { name: 'टोकन' });
        await list.getByRole('listitem', { name: 'टोकन 2', exact: true }).getByText('रमेश कुमार').waitFor();
        const overflow = await hi.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `the queue fits a phone's width (${overflow}px too wide)`);
        await shot(hi, 'queue-hi-phone');
        await hi.getByRole('button', { name: 'बुलाएँ: टोकन 2' }).click();
        await hi.getByText('टोकन 2: बुलाया गया।').waitFor();
        await countsBecome(hi, { waiting: 0, called: 1 });
        await shot(hi, 'called-hi-phone');
        await hi.getByRole('button', { name: 'अनुपस्थित करें: टोकन 2' }).click();
        const d = hi.getByRole('dialog', { name: 'टोकन 2 को अनुपस्थित करें?' });
        await d.waitFor();
        await shot(hi, 'absent-confirm-hi-phone');
        await d.getByRole('button', { name: 'अनुपस्थित दर्ज करें' }).click();
        await countsBecome(hi, { called: 0, absent: 1 });
        await hi.getByRole('button', { name: 'फिर से कतार में लें: टोकन 2' }).click();
        await hi.getByText('टोकन 2: प्रतीक्षा में।').waitFor();
        await countsBecome(hi, { waiting: 1, absent: 0, done: 1, all: 2 });
        await shot(hi, 'recalled-hi-phone');
      } finally {
        await phone.close();
      }
    });
  });
});
