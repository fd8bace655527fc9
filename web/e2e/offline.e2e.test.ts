// Browser test of the app offline, black-box: the real server as a child process on a fresh data
// directory (demo data) and Debian's Chromium through playwright-core. On a phone-sized screen an
// ASHA signs in; the service worker (Workbox, web/src/sw.ts) installs with every chunk of the build
// precached; the network goes. She reloads, and every screen of her menu opens (each is its own lazy
// chunk, served by the service worker's precache, not the network); she records a household on the
// phone, the network comes back, and it syncs once (the district's coverage counts one household).
// A screenshot of every screen is saved in test-results/offline-*.png.
//   cd /work/main/web && npx vite build --outDir /tmp/web-x && cd .. &&
//   SWASTHYA_WEB_DIST=/tmp/web-x SWASTHYA_REQUIRE_BROWSER=1 node --import tsx --test web/e2e/offline.e2e.test.ts
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, apiCall, browserAvailable, browserSession, hisarVillage, WEB } from './harness.ts';

const PASSWORD = 'Offline-E2e-Pass-1';
const rand = () => Math.floor(Math.random() * 1e6);

/** Every script and stylesheet of the build being served (Vite's build manifest), as URL paths. */
function builtAssets(): string[] {
  const dist = process.env.SWASTHYA_WEB_DIST ?? join(WEB, 'dist');
  const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<string, { file: string; css?: string[] }>;
  return [...new Set(Object.values(manifest).flatMap((c) => [c.file, ...(c.css ?? [])]))].map((f) => `/${f}`);
}

/** The page's requests for built assets: each with whether the service worker answered it, and the failed ones. */
function watchAssets(page: Page) {
  const served: { path: string; fromServiceWorker: boolean }[] = [];
  const failed: string[] = [];
  page.on('response', (res) => {
    const url = new URL(res.url());
    if (url.pathname.startsWith('/assets/')) served.push({ path: url.pathname, fromServiceWorker: res.fromServiceWorker() });
  });
  page.on('requestfailed', (req) => {
    const url = new URL(req.url());
    if (!url.pathname.startsWith('/api/')) failed.push(`${url.pathname}: ${req.failure()?.errorText}`);
  });
  return { served, failed };
}

describe('the app offline on a phone (browser)', () => {
  test('an ASHA opens every screen of her menu offline and a household recorded offline syncs once', { timeout: 300_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    await browserSession('offline', async ({ server, page, resultsDir }) => {
      const base = server.base;
      const context = page.context();
      const shot = (name: string) => page.screenshot({ path: join(resultsDir, `offline-${name}.png`), fullPage: true });
      const admin = (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD })).token;
      const fixture = await hisarVillage(base, admin, 'Hisar-I', ['Ladwa', 'लाडवा']);
      const asha = `asha_offline_${rand()}`;
      const officer = `hisar_offline_${rand()}`;
      await apiCall(base, 'POST', '/api/users', admin, { username: asha, password: PASSWORD, role: 'asha', orgUnit: fixture.village });
      await apiCall(base, 'POST', '/api/users', admin, { username: officer, password: PASSWORD, role: 'district_officer', orgUnit: '63' });
      const officerToken = (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: officer, password: PASSWORD })).token;
      await apiCall(base, 'POST', '/api/survey/assignments', officerToken, { username: asha, area: fixture.village });

      // The service worker file is checked on every visit (a new version shows at once).
      const sw = await fetch(`${base}/sw.js`);
      assert.equal(sw.status, 200);
      assert.equal(sw.headers.get('cache-control'), 'no-cache');
      assert.match(sw.headers.get('content-type') ?? '', /javascript/);

      // She signs in on a phone and lands on the survey.
      await page.setViewportSize({ width: 390, height: 844 });
      const assets = watchAssets(page);
      await page.goto(`${base}/#/login`);
      await page.getByLabel('Username').fill(asha);
      await page.getByLabel('Password').fill(PASSWORD);
      await shot('login');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Health-card survey' }).waitFor();
      await page.getByText(/Your areas: Ladwa/).waitFor();
      const fetchedOnline = new Set(assets.served.map((a) => a.path));
      assert.ok(fetchedOnline.size < builtAssets().length / 2, `the first screen fetched ${fetchedOnline.size} of ${builtAssets().length} assets: the screens are lazy chunks`);

      // The worker is installed only once every file of the build is precached, and controls the page.
      await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 30_000 });
      const cached = await page.evaluate(async () => {
        const urls: string[] = [];
        for (const name of await caches.keys()) {
          for (const req of await (await caches.open(name)).keys()) urls.push(new URL(req.url).pathname);
        }
        return urls;
      });
      const notCached = builtAssets().filter((a) => !cached.includes(a));
      assert.deepEqual(notCached, [], 'every chunk of the build is in the precache');
      assert.ok(!cached.some((u) => u.startsWith('/api/')), 'no API answer is cached by the service worker');

      // No network. The page reloads from the service worker, still signed in.
      await context.setOffline(true);
      const reloaded = await page.reload();
      assert.ok(reloaded?.fromServiceWorker(), 'the page came from the service worker');
      await page.getByRole('heading', { level: 1, name: 'Health-card survey' }).waitFor();
      await page.getByText('You are offline.', { exact: false }).waitFor();
      assert.equal(await page.evaluate(() => fetch('/api/health').then(() => 'reached', () => 'offline')), 'offline', 'the page has no network');

      // Every screen of her menu opens offline: its chunk comes from the precache.
      const links = await page.locator('header nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
      assert.ok(links.includes('#/survey'), `her menu: ${links.join(' ')}`);
      const servedBefore = assets.served.length;
      for (const href of links) {
        await page.locator(`header nav a[href="${href}"]`).click();
        await page.waitForFunction((h) => window.location.hash.startsWith(h), href);
        // The screen itself, not the loading notice of a chunk that never came.
        await page.locator('main h1').first().waitFor({ timeout: 15_000 });
        await shot(href.replace(/^#\//, '').replace(/\//g, '-') || 'home');
      }
      // Screens never opened online, by address (her menu is short): their chunks come from the precache too.
      for (const hash of ['#/opd/book']) {
        await page.goto(`${base}/${hash}`);
        await page.locator('h1').first().waitFor({ timeout: 15_000 });
        await shot(hash.replace(/^#\//, '').replace(/\//g, '-'));
      }
      const offlineAssets = assets.served.slice(servedBefore);
      assert.ok(offlineAssets.some((a) => !fetchedOnline.has(a.path)), 'a chunk never fetched online was opened offline');
      assert.deepEqual(offlineAssets.filter((a) => !a.fromServiceWorker), [], 'every asset offline came from the service worker');
      assert.deepEqual(assets.failed.filter((f) => !f.startsWith('/api/')), [], 'no asset failed to load offline');

      // A household, recorded offline.
      await page.goto(`${base}/#/survey`);
      await page.getByRole('heading', { level: 1, name: 'Health-card survey' }).waitFor();
      await page.getByText('You are offline.', { exact: false }).waitFor();
      const syncs: number[] = [];
      page.on('response', (res) => {
        if (new URL(res.url()).pathname === '/api/survey/sync' && res.request().method() === 'POST') syncs.push(res.status());
      });
      await page.getByLabel('House number, street').fill('House 7, Ladwa');
      await page.getByLabel('Family ID (state register)').fill(`PPP-OFF-${rand()}`);
      const head = page.getByRole('group', { name: 'Head of household' });
      await head.getByLabel('Name', { exact: true }).fill('Bimla Devi');
      await head.getByLabel('Female', { exact: true }).check();
      await head.getByLabel('Age in years').fill('41');
      await page.getByRole('button', { name: 'Save household on this phone' }).click();
      await page.getByText('Saved on this phone: the household of Bimla Devi.').waitFor();
      await page.getByRole('heading', { name: 'Waiting to sync (1)' }).waitFor();
      await shot('survey-saved-offline');

      // Back online: it goes by itself, once.
      await context.setOffline(false);
      await page.getByRole('heading', { name: 'Synced (1)' }).waitFor({ timeout: 30_000 });
      assert.match(await page.getByRole('listitem', { name: 'Household of Bimla Devi' }).getByTestId('family-number').innerText(), /^F06\d{9}$/);
      assert.equal(await page.getByTestId('waiting-count').innerText(), 'Waiting to sync: 0');
      await shot('survey-synced');
      await page.waitForTimeout(1500);
      assert.deepEqual(syncs, [200], 'one sync request, answered 200');
      const coverage = await apiCall<{ items: { name: string; households: number; people: number }[] }>(base, 'GET', '/api/survey/coverage?orgUnit=63', officerToken);
      assert.deepEqual(coverage.items.map((v) => [v.name, v.households, v.people]), [['Ladwa', 1, 1]], 'the household is stored once');

      // A page open across a new version: a screen's chunk is gone (404). The page loads itself again
      // (features/survey/offline.ts) and the screen opens, instead of the app going blank.
      const browser = context.browser();
      assert.ok(browser);
      const other = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-IN', serviceWorkers: 'block' });
      try {
        const page2 = await other.newPage();
        page2.setDefaultTimeout(20_000);
        let gone = 0;
        await page2.route('**/assets/UsersPage-*.js', (route) => (gone++ === 0 ? route.fulfill({ status: 404, body: 'gone' }) : route.continue()));
        await page2.goto(`${base}/#/login`);
        await page2.locator('#login-username').fill('admin');
        await page2.locator('#login-password').fill(ADMIN_PASSWORD);
        await page2.getByRole('button', { name: 'Sign in' }).click();
        await page2.getByRole('button', { name: 'Log out' }).waitFor();
        await page2.evaluate(() => { (window as unknown as { before: boolean }).before = true; });
        await page2.locator('header nav a[href="#/users"]').click();
        await page2.locator('main h1').first().waitFor();
        assert.equal(gone, 2, 'the chunk was asked for again after the reload');
        assert.equal(await page2.evaluate(() => (window as unknown as { before?: boolean }).before ?? false), false, 'the page was loaded again');
        assert.equal(new URL(page2.url()).hash, '#/users');
        await page2.screenshot({ path: join(resultsDir, 'offline-users-after-missing-chunk.png'), fullPage: true });
      } finally {
        await other.close();
      }
    }, undefined, { serviceWorkers: 'allow' });
  });
});
