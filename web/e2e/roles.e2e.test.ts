// Browser test of every role's start, black-box: the real server on a fresh data directory (demo data)
// and Debian's Chromium through playwright-core. Each role signs in (the demo's own staff, and users
// the administrator makes for the roles the demo has none of), lands on its own work, and opens every
// link of its menu: no screen answers 403 or says the role may not see it, and none is "not found".
// Six of the twelve roles walk in Hindi. The start page of each role is saved in
// test-results/ as a picture (every screen with SWASTHYA_E2E_SCREENSHOTS=1).
// The administrator, who works across the country, starts in the state with the most facilities
// (not the first state by name), and the next time in the state last chosen. The server's console
// holds its start-up summary and no line per request.
//   cd /work/main && npm run build -w web && SWASTHYA_REQUIRE_BROWSER=1 node --import tsx --test web/e2e/roles.e2e.test.ts
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Browser, Page, Request } from 'playwright-core';
import { ADMIN_PASSWORD, apiCall, browserAvailable, browserSession, hisarVillage } from './harness.ts';

const PASSWORD = 'Roles-E2e-Pass-1';
const rand = () => Math.random().toString(36).slice(2, 7);

/** Words of a refusal on screen (the server's 403 messages, in both languages) or of a missing page. */
const REFUSAL = /does not have can_|is outside your area|की अनुमति नहीं है|आपके क्षेत्र से बाहर|Page not found|पृष्ठ नहीं मिला/;

interface Walker {
  role: string;
  username: string;
  password: string;
  lang: 'en' | 'hi';
  /** The hash the role must land on. */
  landing: string;
  /** Menu links the role must have (hashes). */
  mustHave: string[];
  mustNotHave?: string[];
}

/**
 * Counts the page's requests in flight (not live event streams: an EventSource, or a fetch that asks
 * for text/event-stream, never finishes), and every 403 the API answers.
 */
function watch(page: Page) {
  let inFlight = 0;
  const refusals: string[] = [];
  const live = (r: Request) => r.resourceType() === 'eventsource' || (r.headers().accept ?? '').includes('text/event-stream');
  page.on('request', (r) => { if (!live(r)) inFlight++; });
  const done = (r: Request) => { if (!live(r)) inFlight--; };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  page.on('response', (res) => {
    if (res.status() === 403) refusals.push(`${res.request().method()} ${new URL(res.url()).pathname} on ${new URL(page.url()).hash}`);
  });
  return {
    refusals,
    /** Waits until no request has been in flight for 300 ms: the screen has loaded what it loads (one that loads in steps starts the next within milliseconds). */
    async settle() {
      const deadline = Date.now() + 20_000;
      let quietSince = Date.now();
      while (Date.now() < deadline) {
        if (inFlight > 0) quietSince = Date.now();
        else if (Date.now() - quietSince > 300) return;
        await page.waitForTimeout(100);
      }
    },
  };
}

async function signIn(page: Page, base: string, w: Pick<Walker, 'username' | 'password' | 'lang'>) {
  await page.goto(`${base}/`);
  await page.locator('#login-username').fill(w.username);
  await page.locator('#login-password').fill(w.password);
  await page.getByRole('button', { name: w.lang === 'hi' ? 'साइन इन करें' : 'Sign in' }).click();
  await page.getByRole('button', { name: w.lang === 'hi' ? 'लॉग आउट' : 'Log out' }).waitFor();
}

/** One role's walk: sign in, land, open every menu link; returns the number of screens seen. */
async function walk(browser: Browser, base: string, resultsDir: string, w: Walker): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: w.lang === 'hi' ? 'hi-IN' : 'en-IN' });
  await context.addInitScript((lang) => { if (!localStorage.getItem('swasthya.lang')) localStorage.setItem('swasthya.lang', lang); }, w.lang);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const seen = watch(page);
  const shot = (screen: string) => page.screenshot({ path: join(resultsDir, `roles-${w.role}-${w.lang}-${screen}.png`), fullPage: true });
  try {
    await signIn(page, base, w);
    await page.waitForFunction((h) => window.location.hash === h, w.landing, { timeout: 15_000 })
      .catch(() => assert.fail(`${w.role} landed on ${new URL(page.url()).hash || '(none)'}, not ${w.landing}`));
    await seen.settle();
    await shot('landing');
    const text = await page.locator('main').innerText();
    assert.doesNotMatch(text, REFUSAL, `${w.role}'s start page ${w.landing} refuses: ${text.slice(0, 300)}`);
    assert.deepEqual(seen.refusals, [], `${w.role}'s start page was refused by the API`);

    const links = await page.locator('header nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    for (const h of w.mustHave) assert.ok(links.includes(h), `${w.role}'s menu lacks ${h}: ${links.join(' ')}`);
    for (const h of w.mustNotHave ?? []) assert.ok(!links.includes(h), `${w.role}'s menu has ${h}`);
    assert.ok(links.includes(w.landing), `${w.role} lands on ${w.landing}, which is not in the menu: ${links.join(' ')}`);
    for (const href of links) {
      const started = Date.now();
      await page.locator(`header nav a[href="${href}"]`).click();
      await page.waitForFunction((h) => window.location.hash.startsWith(h), href);
      await seen.settle();
      // Every screen's picture when asked for (SWASTHYA_E2E_SCREENSHOTS=1): a full-page picture costs the walk a second a screen.
      if (process.env.SWASTHYA_E2E_SCREENSHOTS === '1') await shot(/^#\/facilities\/./.test(href) ? 'my-facility' : href.replace(/^#\//, '').replace(/\//g, '-'));
      const body = await page.locator('main').innerText();
      assert.doesNotMatch(body, REFUSAL, `${w.role}: ${href} refuses: ${body.slice(0, 300)}`);
      assert.deepEqual(seen.refusals, [], `${w.role}: the API refused a request of ${href}`);
      if (process.env.SWASTHYA_E2E_TIMES === '1') console.log(`roles: ${w.role} ${href} ${Date.now() - started} ms`);
    }
    // The bare address takes a signed-in user to their own start page too.
    await page.goto(`${base}/#/`);
    await page.waitForFunction((h) => window.location.hash === h, w.landing);
    return links.length + 1;
  } catch (err) {
    await page.screenshot({ path: join(resultsDir, `roles-${w.role}-failure.png`), fullPage: true }).catch(() => undefined);
    throw err;
  } finally {
    await context.close();
  }
}

describe('each role starts on its own work (browser)', () => {
  test('twelve roles land on their screen and open every menu link without a refusal', { timeout: 600_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    await browserSession('roles', async ({ server, page, resultsDir, engine }) => {
      const base = server.base;
      const browser = page.context().browser();
      assert.ok(browser);

      const favicon = await fetch(`${base}/favicon.ico`);
      assert.equal(favicon.status, 200);
      assert.match(favicon.headers.get('content-type') ?? '', /image\//);
      assert.equal(Buffer.from(await favicon.arrayBuffer()).readUInt16LE(2), 1, 'an .ico file');

      const admin = (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD })).token;
      const facility = async (q: string) => {
        const found = await apiCall<{ items: { id: string; name: string }[] }>(base, 'GET', `/api/facilities?q=${encodeURIComponent(q)}&limit=5`, admin);
        const f = found.items.find((i) => i.name === q);
        assert.ok(f, `demo facility ${q}`);
        return f.id;
      };
      const user = async (role: string, orgUnit: string) => {
        const username = `${role.replace(/_/g, '')}.${rand()}`;
        await apiCall(base, 'POST', '/api/users', admin, { username, password: PASSWORD, role, orgUnit });
        return username;
      };
      const hospital = await facility('Civil Hospital Hisar');
      // A village of Hisar-I (a demo block) for an ASHA; the block for a block officer.
      const fixture = await hisarVillage(base, admin, 'Hisar-I', ['Ladwa', 'लाडवा']);
      // An ASHA is in the ASHA register (her account comes with it), at a sub-centre of the block.
      const ashaInRegister = async () => {
        const sc = await apiCall<{ id: string }>(base, 'POST', '/api/facilities', admin, { name: `Sub-Centre Ladwa ${rand()}`, type: 'SC', ownership: 'public', system: 'allopathic', orgUnit: fixture.block });
        const w = await apiCall<{ username: string }>(base, 'POST', '/api/asha/workers', admin, {
          name: 'Asha Walker', mobile: `9${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`, villageIds: [fixture.village], subCentreId: sc.id, bankAccount: '301234567890', ifsc: 'SBIN0001234',
        });
        await apiCall(base, 'POST', `/api/users/${encodeURIComponent(w.username)}/password`, admin, { password: PASSWORD });
        return w.username;
      };
      const demo = (username: string) => ({ username, password: ADMIN_PASSWORD });
      const made = (username: string) => ({ username, password: PASSWORD });

      const walkers: Walker[] = [
        { role: 'doctor', ...demo('dr.nerchowk'), lang: 'hi', landing: '#/telemedicine/doctor', mustHave: ['#/patients'], mustNotHave: ['#/hmis/entry', '#/users'] },
        { role: 'cho', ...demo('cho.spoke'), lang: 'hi', landing: '#/telemedicine', mustHave: ['#/patients', '#/survey', '#/hmis/entry'] },
        { role: 'hub-manager', ...demo('hub.nerchowk'), lang: 'en', landing: '#/telemedicine/hub', mustHave: ['#/patients', '#/telemedicine/hub'] },
        { role: 'clerk', ...made(await user('facility_operator', hospital)), lang: 'en', landing: '#/patients', mustHave: ['#/hmis/entry'], mustNotHave: ['#/telemedicine/hub'] },
        { role: 'district-officer', ...demo('cmo.mandi'), lang: 'hi', landing: '#/hmis/returns', mustHave: ['#/analytics', '#/survey/coverage', '#/break-glass', '#/users', '#/grievances', '#/grievances/figures'], mustNotHave: ['#/metadata'] },
        { role: 'state-officer', ...made(await user('state_officer', 'state:2')), lang: 'hi', landing: '#/hmis/returns', mustHave: ['#/analytics', '#/metadata', '#/grievances', '#/grievances/figures'] },
        { role: 'ultrasound-operator', ...made(await user('ultrasound_operator', hospital)), lang: 'hi', landing: '#/ultrasound', mustHave: ['#/ultrasound', `#/facilities/${hospital}`], mustNotHave: ['#/hmis/entry', '#/patients', '#/facilities', '#/map', '#/families'] },
        { role: 'asha', ...made(await ashaInRegister()), lang: 'en', landing: '#/survey', mustHave: ['#/asha/claims'], mustNotHave: ['#/hmis/entry', '#/patients', '#/facilities', '#/map'] },
        { role: 'block-officer', ...made(await user('block_officer', fixture.block)), lang: 'hi', landing: '#/hmis/returns', mustHave: ['#/facilities'] },
        { role: 'helpline-agent', ...made(await user('helpline_agent', 'state:6')), lang: 'en', landing: '#/helpline', mustHave: ['#/helpline', '#/helpline/outbound', '#/helpline/transfers', '#/facilities'] },
        { role: 'dispatcher', ...made(await user('dispatcher', 'district:63')), lang: 'en', landing: '#/dispatch', mustHave: ['#/dispatch', '#/facilities'] },
        { role: 'admin', username: 'admin', password: ADMIN_PASSWORD, lang: 'en', landing: '#/facilities', mustHave: ['#/metadata', '#/hmis/returns'] },
      ];
      const screens: Record<string, number> = {};
      for (const w of walkers) screens[w.role] = await walk(browser, base, resultsDir, w);
      console.log(`screens opened per role: ${JSON.stringify(screens)}`);
      assert.ok(walkers.filter((w) => w.lang === 'hi').length * 2 >= walkers.length);

      // The administrator works across the country: first in the state with the most facilities
      // (Haryana in the demo, not Bihar, whose Patna facility sorts first), then where last chosen.
      await signIn(page, base, { username: 'admin', password: ADMIN_PASSWORD, lang: 'en' });
      await page.waitForFunction(() => window.location.hash === '#/facilities');
      const state = page.getByLabel('State', { exact: true }).first();
      await page.waitForFunction(() => (document.querySelector('select[id$="-state"]') as HTMLSelectElement | null)?.selectedOptions[0]?.textContent === 'Haryana');
      const himachal = await state.locator('option', { hasText: 'Himachal Pradesh' }).getAttribute('value');
      await state.selectOption(himachal!);
      await page.getByRole('button', { name: 'Log out' }).click();
      await signIn(page, base, { username: 'admin', password: ADMIN_PASSWORD, lang: 'en' });
      await page.waitForFunction(() => window.location.hash === '#/facilities');
      await page.waitForFunction(() => (document.querySelector('select[id$="-state"]') as HTMLSelectElement | null)?.selectedOptions[0]?.textContent === 'Himachal Pradesh');
      await page.screenshot({ path: join(resultsDir, 'roles-admin-en-last-state.png'), fullPage: true });

      // The server's console after all these requests: the start-up summary, and no line per request
      // (LOG_LEVEL is info). The demo was loaded before this start, and its staff are named all the same.
      const log = server.output();
      assert.match(log, engine === 'pglite'
        ? /Swasthya is running on http:\/\/127\.0\.0\.1:\d+\/ \(database: PGlite in /
        : /Swasthya is running on http:\/\/127\.0\.0\.1:\d+\/ \(database: PostgreSQL\)/);
      assert.match(log, /Demo staff, who sign in with the password the admin was given first: dr\.nerchowk \(/);
      assert.match(log, /Log level info; LOG_LEVEL=debug logs one line per request/);
      assert.doesNotMatch(log, /"(incoming request|request completed|request)"/);
    });
  });
});
