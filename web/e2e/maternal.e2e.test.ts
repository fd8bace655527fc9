// Browser test of pregnancy registration, families and the ultrasound centre's check, black-box: the
// real server on a fresh data directory (demo data) and Debian's Chromium through playwright-core.
// A Hisar hospital's counter clerk registers a pregnancy on a woman's record and reads its number; a
// family is registered with her as head and her husband added. The ultrasound operator (a user the
// administrator makes: the demo has none) signs in, in Hindi, lands on the check screen, checks the
// number (accepted, with her name and weeks), a malformed one and, after the clerk closes the
// pregnancy with confirmation, the closed one: each refusal says why in Hindi words, and the centre's
// log counts them. A screenshot of each screen is saved in test-results/.
//   cd /work/main/web && npx vite build --outDir /tmp/web-x && cd .. && SWASTHYA_WEB_DIST=/tmp/web-x SWASTHYA_REQUIRE_BROWSER=1 node --import tsx --test web/e2e/maternal.e2e.test.ts
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, apiCall, browserAvailable, browserSession } from './harness.ts';

const PASSWORD = 'Maternal-E2e-Pass-1';
const rand = () => Math.random().toString(36).slice(2, 7);

async function signIn(browser: Browser, base: string, username: string, lang: 'en' | 'hi'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: lang === 'hi' ? 'hi-IN' : 'en-IN' });
  await context.addInitScript((l) => { if (!localStorage.getItem('swasthya.lang')) localStorage.setItem('swasthya.lang', l); }, lang);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${base}/`);
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(PASSWORD);
  await page.getByRole('button', { name: lang === 'hi' ? 'साइन इन करें' : 'Sign in' }).click();
  await page.getByRole('button', { name: lang === 'hi' ? 'लॉग आउट' : 'Log out' }).waitFor();
  return page;
}

describe('pregnancy registration, families and the ultrasound check (browser)', () => {
  test('a clerk registers and closes a pregnancy and a family; the ultrasound operator checks numbers in Hindi', { timeout: 400_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    await browserSession('maternal', async ({ server, page: first, resultsDir }) => {
      const base = server.base;
      const browser = first.context().browser();
      assert.ok(browser);
      const shot = (p: Page, name: string) => p.screenshot({ path: join(resultsDir, `maternal-${name}.png`), fullPage: true });

      // The administrator makes a counter clerk at a Hisar hospital and an ultrasound operator at a Hisar centre.
      const admin = (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD })).token;
      const found = await apiCall<{ items: { id: string; name: string }[] }>(base, 'GET', `/api/facilities?q=${encodeURIComponent('Civil Hospital Hisar')}&limit=5`, admin);
      const hospital = found.items.find((i) => i.name === 'Civil Hospital Hisar');
      assert.ok(hospital, 'the demo has Civil Hospital Hisar');
      const centre = (await apiCall<{ items: { id: string }[] }>(base, 'GET', '/api/facilities?district=63&ownership=private&limit=5', admin)).items.find((f) => f.id !== hospital.id);
      assert.ok(centre, 'Hisar has a private facility in the demo data');
      const clerk = `clerk.${rand()}`;
      const operator = `usg.${rand()}`;
      await apiCall(base, 'POST', '/api/users', admin, { username: clerk, password: PASSWORD, role: 'facility_operator', orgUnit: hospital.id });
      await apiCall(base, 'POST', '/api/users', admin, { username: operator, password: PASSWORD, role: 'ultrasound_operator', orgUnit: centre.id });
      const clerkToken = (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: clerk, password: PASSWORD })).token;
      const surname = `Maternal${rand()}`;
      const woman = await apiCall<{ id: string }>(base, 'POST', '/api/patients', clerkToken, { name: `Sunita ${surname}`, sex: 'female', age: 26, address: { district: 63 } });
      await apiCall(base, 'POST', '/api/patients', clerkToken, { name: `Ramesh ${surname}`, sex: 'male', age: 29, address: { district: 63 } });

      // The clerk registers her pregnancy on her record (LMP ten weeks ago) and reads its number.
      const desk = await signIn(browser, base, clerk, 'en');
      await desk.goto(`${base}/#/patients/${woman.id}`);
      const panel = desk.getByRole('region', { name: 'Pregnancy registration' });
      await panel.waitFor();
      const lmp = new Date(Date.now() + 330 * 60_000 - 70 * 86_400_000).toISOString().slice(0, 10);
      await panel.getByLabel('Last menstrual period (LMP)').fill(lmp);
      await panel.getByRole('button', { name: 'Register pregnancy' }).click();
      await panel.getByText(/Pregnancy registered\. Registration number: [\d ]{14}\./).waitFor();
      const number = (await panel.getByLabel('Pregnancy registration number').innerText()).replace(/\s/g, '');
      assert.match(number, /^\d{12}$/, 'a 12-digit registration number');
      await panel.getByText('10 weeks').waitFor();
      await panel.getByRole('button', { name: 'Copy number' }).waitFor();
      await panel.getByRole('button', { name: 'Print slip' }).waitFor();
      await shot(desk, 'pregnancy-registered-en');

      // A family with her as head, from her record; her husband is found by name and added.
      await desk.getByRole('link', { name: 'Register a family with this person as head' }).click();
      await desk.getByRole('heading', { level: 1, name: 'Register a family' }).waitFor();
      await desk.getByLabel('Address (house, street)').fill('House 12, Ward 3');
      await shot(desk, 'family-new-en');
      await desk.getByRole('button', { name: 'Register family' }).click();
      const title = desk.getByRole('heading', { level: 1, name: /^Family F\d{11}$/ });
      await title.waitFor();
      const familyNumber = (await title.innerText()).replace('Family ', '');
      await desk.getByText(`Family ${familyNumber} registered.`).waitFor();
      await desk.getByLabel('Find the person to add').fill(`Ramesh ${surname}`);
      await desk.getByRole('button', { name: 'Search', exact: true }).click();
      await desk.getByRole('button', { name: `Choose: Ramesh ${surname}` }).click();
      await desk.getByLabel('Relation to the head').selectOption('spouse');
      await desk.getByRole('button', { name: 'Add to family' }).click();
      await desk.getByText(`Ramesh ${surname} added to the family.`).waitFor();
      const rows = desk.locator('table.data-table tbody tr');
      assert.equal(await rows.count(), 2, 'two members');
      assert.match(await rows.nth(0).innerText(), new RegExp(`Sunita ${surname}[\\s\\S]*Head`));
      assert.match(await rows.nth(1).innerText(), new RegExp(`Ramesh ${surname}[\\s\\S]*Spouse`));
      await shot(desk, 'family-members-en');
      // Her record now names the family.
      await desk.goto(`${base}/#/patients/${woman.id}`);
      await desk.getByRole('link', { name: `Family ${familyNumber}` }).waitFor();

      // The ultrasound operator, in Hindi, starts on the check screen, which the menu shows.
      const usg = await signIn(browser, base, operator, 'hi');
      await usg.waitForFunction(() => window.location.hash === '#/ultrasound');
      await usg.getByRole('heading', { level: 1, name: 'गर्भावस्था पंजीकरण नंबर का सत्यापन' }).waitFor();
      const links = await usg.locator('header nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.ok(links.includes('#/ultrasound'), `the operator's menu has the check: ${links.join(' ')}`);
      assert.ok(!links.includes('#/patients') && !links.includes('#/families'), 'and no patient screens');
      await shot(usg, 'ultrasound-landing-hi');

      const check = async (value: string) => {
        await usg.getByLabel('पंजीकरण नंबर', { exact: true }).fill(value);
        await usg.getByRole('button', { name: 'नंबर सत्यापित करें' }).click();
      };
      // Her number, typed in groups as on the card: accepted, with her name and weeks.
      await check(`${number.slice(0, 4)} ${number.slice(4, 8)} ${number.slice(8)}`);
      const accepted = usg.getByRole('status').filter({ hasText: 'स्वीकृत: जाँच की जा सकती है' });
      await accepted.waitFor();
      await accepted.getByText(`Sunita ${surname}`).waitFor();
      await accepted.getByText('10 सप्ताह').waitFor();
      await shot(usg, 'ultrasound-accepted-hi');

      // A wrong number: refused, the reason in Hindi words (no code).
      await check('12345');
      const refused = usg.getByRole('alert').filter({ hasText: 'अस्वीकृत: जाँच नहीं' });
      await refused.waitFor();
      await refused.getByText('यह पंजीकरण नंबर नहीं है').waitFor();
      await refused.getByText(/गर्भावस्था पंजीकरण नंबर नहीं है: इसमें 12 अंक होते हैं/).waitFor();
      assert.doesNotMatch(await refused.innerText(), /malformed|bad_request|400/);
      await shot(usg, 'ultrasound-refused-hi');

      // The clerk closes the pregnancy (delivery), confirming first; cancelling the dialog closes nothing.
      await desk.goto(`${base}/#/patients/${woman.id}`);
      await panel.getByRole('button', { name: 'Close registration…' }).click();
      await panel.getByLabel('Outcome', { exact: true }).selectOption('live_birth');
      await panel.getByRole('button', { name: 'Close this registration' }).click();
      const dialog = desk.getByRole('dialog', { name: 'Close the pregnancy registration?' });
      await dialog.waitFor();
      await shot(desk, 'pregnancy-close-confirm-en');
      await dialog.getByRole('button', { name: 'No, keep it open' }).click();
      await dialog.waitFor({ state: 'hidden' });
      assert.equal((await apiCall<{ items: { status: string }[] }>(base, 'GET', `/api/patients/${woman.id}/pregnancies`, clerkToken)).items[0]?.status, 'open');
      await panel.getByRole('button', { name: 'Close this registration' }).click();
      await dialog.getByRole('button', { name: 'Yes, close it' }).click();
      await panel.getByText(/Registration [\d ]{14} is closed/).waitFor();
      await panel.getByRole('button', { name: 'Register pregnancy' }).waitFor();
      await panel.getByText('Closed registrations (1)').waitFor();
      await shot(desk, 'pregnancy-closed-en');

      // The closed number is refused at the centre, in Hindi words; the centre's log counts all three.
      await check(number);
      await usg.getByRole('alert').filter({ hasText: 'यह पंजीकरण बंद है' }).waitFor();
      await usg.getByText(`गर्भावस्था पंजीकरण ${number} बंद है; इस पर जाँच नहीं हो सकती`).waitFor();
      const log = usg.getByRole('region', { name: /पर सत्यापन$/ });
      await log.locator('tbody tr').nth(2).waitFor();
      assert.equal(await log.locator('tbody tr').count(), 3);
      assert.match(await log.locator('.us-counts').innerText(), /1\s+आज स्वीकृत[\s\S]*2\s+आज अस्वीकृत/);
      await log.getByLabel('दिखाएँ').selectOption('refused');
      await usg.waitForFunction(() => document.querySelectorAll('.us-log tbody tr').length === 2);
      await shot(usg, 'ultrasound-log-hi');
      // On a phone: the check and its log fit the width (the log's table scrolls in its own box).
      for (const [p, hash] of [[usg, '#/ultrasound'], [desk, `#/patients/${woman.id}`], [desk, '#/families']] as const) {
        await p.setViewportSize({ width: 390, height: 844 });
        await p.goto(`${base}/${hash}`);
        await p.locator('main h1').first().waitFor();
        await p.waitForTimeout(500);
        const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `${hash} is ${overflow}px wider than a phone`);
        await shot(p, `phone-${hash.split('/')[1]}`);
      }
      await usg.context().close();
      await desk.context().close();
    });
  });
});
