// Browser test of Didi ki Rasoi (issue 15, part 7), black-box: the real server as a child process on a
// fresh data directory (demo data) and Debian's Chromium through playwright-core.
// Through the API the administrator adds a CHC in Hisar, its facility operator, a district officer of
// Hisar and a state officer of Haryana; the state officer sets the patient-day rate (₹150) and the
// attendant meal rate (₹40). The district officer registers the kitchen of a self-help group on the
// screen (the hospital found by name; the account shown masked).
// The hospital's operator, in Hindi, opens the kitchen from "अस्पताल रसोई", enters two days of last month
// (one with more meals than four a patient: flagged, the extra not billed), sees the bill (₹3,420) and
// submits it. The district officer approves it, the state officer records the payment with its UTR,
// and the operator sees it paid. axe-core finds no serious or critical violation on the kitchen screen.
//   cd /work/main/web && npx vite build --outDir /tmp/web-kitchens && cd .. &&
//   SWASTHYA_WEB_DIST=/tmp/web-kitchens SWASTHYA_REQUIRE_BROWSER=1 NODE_ENV=test node --import tsx --test web/e2e/kitchens.e2e.test.ts
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, apiCall, browserAvailable, browserSession, selectByText, signInAs } from './harness.ts';

const PASSWORD = 'Rasoi-E2e-Pass-1';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const rand = () => Math.floor(Math.random() * 1e6);

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}) ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}

async function signedIn(browser: Browser, base: string, username: string, hi = false): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: hi ? 'hi-IN' : 'en-IN' });
  await context.addInitScript((l) => { if (!localStorage.getItem('swasthya.lang')) localStorage.setItem('swasthya.lang', l); }, hi ? 'hi' : 'en');
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  return signInAs(page, base, username, PASSWORD, hi);
}

describe('Didi ki Rasoi (browser)', () => {
  test('days entered in Hindi, the bill at the state\'s rates, submitted, approved, paid; the hospital sees it paid', { timeout: 600_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    await browserSession('kitchens', async ({ server, page: adminPage, resultsDir }) => {
      const base = server.base;
      const browser = adminPage.context().browser();
      assert.ok(browser);
      const admin = (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD })).token;
      const chcName = `CHC Rasoi ${rand()}`;
      const chc = await apiCall<{ id: string }>(base, 'POST', '/api/facilities', admin, {
        name: chcName, type: 'CHC', ownership: 'public', system: 'allopathic', orgUnit: '63', latitude: 29.15, longitude: 75.72,
      });
      const operator = `op_rasoi_${rand()}`;
      const district = `cmo_rasoi_${rand()}`;
      const state = `so_rasoi_${rand()}`;
      await apiCall(base, 'POST', '/api/users', admin, { username: operator, password: PASSWORD, role: 'facility_operator', orgUnit: chc.id });
      await apiCall(base, 'POST', '/api/users', admin, { username: district, password: PASSWORD, role: 'district_officer', orgUnit: '63' });
      await apiCall(base, 'POST', '/api/users', admin, { username: state, password: PASSWORD, role: 'state_officer', orgUnit: 'state:6' });
      const token = async (u: string) => (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: u, password: PASSWORD })).token;
      const stateToken = await token(state);
      await apiCall(base, 'POST', '/api/kitchens/rates', stateToken, { kind: 'patient_day', amount: 150, effectiveFrom: '2020-01-01' });
      await apiCall(base, 'POST', '/api/kitchens/rates', stateToken, { kind: 'attendant_meal', amount: 40, effectiveFrom: '2020-01-01' });
      // ---- The district officer registers the kitchen on the screen: the hospital found by name, the group, its account.
      const cmo = await signedIn(browser, base, district);
      await cmo.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Hospital kitchens' }).click();
      await cmo.getByText('No kitchens in your area yet.').waitFor();
      await cmo.getByRole('button', { name: 'New kitchen' }).click();
      const add = cmo.getByRole('form', { name: 'New kitchen' });
      await add.getByLabel('Find the hospital by name').fill(chcName);
      await selectByText(cmo, /^Hospital$/, new RegExp(chcName));
      await add.getByLabel('Self-help group', { exact: true }).fill('Jeevika Didi SHG');
      await add.getByLabel('Group name in Hindi').fill('जीविका दीदी समूह');
      await add.getByLabel('Members').fill('Rani Devi, 9812345678, president\nSita Kumari');
      await add.getByLabel('Group\'s bank account').fill('123456789012');
      await add.getByLabel('IFSC').fill('sbin0001234');
      await add.getByLabel('Started on').fill('2020-01-01');
      await add.getByRole('button', { name: 'Register the kitchen' }).click();
      await cmo.getByTestId('kitchens').getByRole('link', { name: chcName }).waitFor();
      // The district officer sees the account masked.
      await cmo.getByTestId('kitchens').getByText('XXXXXXXX9012', { exact: false }).waitFor();
      const kitchen = (await apiCall<{ items: { id: string; hospital: { id: string } }[] }>(base, 'GET', '/api/kitchens', admin)).items.find((k) => k.hospital.id === chc.id)!;
      assert.ok(kitchen, 'the kitchen is registered');
      const now = new Date();
      const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);

      // ---- The hospital's operator, in Hindi: the kitchen from the menu, two days of last month.
      const op = await signedIn(browser, base, operator, true);
      await op.getByRole('navigation', { name: 'मुख्य' }).getByRole('link', { name: 'अस्पताल रसोई' }).click();
      await op.getByRole('heading', { level: 1, name: /दीदी की रसोई/ }).waitFor();
      await op.getByTestId('kitchens').getByRole('link').first().click();
      await op.getByRole('heading', { level: 1, name: /जीविका दीदी समूह/ }).waitFor();
      const form = op.getByRole('form', { name: 'एक दिन दर्ज करें' });
      await form.getByLabel('तिथि').fill(`${month}-05`);
      await form.getByLabel('भर्ती मरीज़').fill('12');
      await form.getByLabel('परोसा गया भोजन').fill('48');
      await form.getByLabel('परिचारकों का भोजन').fill('3');
      await form.getByRole('button', { name: 'दिन सहेजें' }).click();
      await form.getByText('सहेजा गया', { exact: false }).waitFor();
      await form.getByLabel('तिथि').fill(`${month}-06`);
      await form.getByLabel('भर्ती मरीज़').fill('10');
      await form.getByLabel('परोसा गया भोजन').fill('45');
      await form.getByRole('button', { name: 'दिन सहेजें' }).click();
      // 12 × ₹150 + 3 × ₹40; 10 × ₹150 (45 meals for 10 in-patients: 40 billed, the day flagged)
      await op.getByTestId('kitchen-bill-amount').getByText('₹3,420').waitFor();
      await op.getByTestId('kitchen-bill').getByText('जाँच ज़रूरी').waitFor();
      assert.equal(await op.getByTestId('kitchen-days').locator('tbody tr').count(), 2);
      assert.deepEqual(await seriousViolations(op), [], 'the kitchen screen has no serious or critical axe violation');
      await op.screenshot({ path: join(resultsDir, 'kitchens-operator.png'), fullPage: true });
      await op.getByRole('button', { name: 'बिल जमा करें' }).click();
      await op.getByTestId('kitchen-bill').getByText('जमा किया गया').waitFor();

      // ---- The district officer approves; the state officer records the payment.
      await cmo.goto(`${base}/#/kitchens/${kitchen.id}?month=${month}`);
      await cmo.getByRole('button', { name: 'Approve the bill' }).click();
      await cmo.getByTestId('kitchen-bill').getByText('Approved').waitFor();
      const so = await signedIn(browser, base, state);
      await so.goto(`${base}/#/kitchens/${kitchen.id}?month=${month}`);
      await so.getByLabel('Payment reference (UTR)').fill('UTR20261205001');
      await so.getByRole('button', { name: 'Record the payment' }).click();
      await so.getByTestId('kitchen-bill').getByText('Paid', { exact: true }).waitFor();

      // ---- The hospital sees it paid.
      await op.reload();
      await op.getByTestId('kitchen-bill').getByText('भुगतान हो गया').waitFor();
      await op.getByTestId('kitchen-bill').getByText('UTR20261205001').waitFor();
      await op.screenshot({ path: join(resultsDir, 'kitchens-paid.png'), fullPage: true });
    });
  });
});
