// Browser test of grievance redressal (issue 13), black-box: the real server on a fresh data directory
// (demo data) and Debian's Chromium through playwright-core. A citizen on a phone (360 px, Hindi) opens
// "शिकायत दर्ज करें" from the sign-in page, confirms the mobile with the code the development SMS sender
// printed, files a complaint of money asked at Civil Hospital Hisar (picked from the district's public
// list) with a photo, and gets the ticket number. Hisar's district officer (made by the administrator)
// signs in, finds it in "Complaints", is refused a resolution without text, assigns it to themself,
// replies, adds an internal note and resolves it; the status filter finds it among the resolved, the
// district's figures count it. The citizen tracks the ticket with a new code, sees the resolution and
// the reply (not the internal note), and rates it satisfied; the public figures show Hisar's numbers and
// no text. axe-core finds no serious or critical violation on the filing page and the officer's list.
// Screenshots in test-results/.
//   cd /work/main/web && npx vite build --outDir /tmp/web-grv && cd .. &&
//   SWASTHYA_WEB_DIST=/tmp/web-grv SWASTHYA_REQUIRE_BROWSER=1 node --import tsx --test web/e2e/grievances.e2e.test.ts
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, apiCall, browserAvailable, browserSession, type Server } from './harness.ts';

const PASSWORD = 'Grievance-E2e-Pass-1';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
// A 1×1 PNG: a real image, as the server checks the file's content and not only its declared type.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/** axe-core's serious and critical findings on the page as it stands, one line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[]; html: string }[] }[] }> } }).axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}) ${v.help}: ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${n.html.slice(0, 160)}`).join(' | ')}`);
  });
}

/** The codes the development SMS sender printed for a mobile (in English or Hindi), oldest first. */
const codesIn = (server: Server, mobile: string) =>
  [...server.output().matchAll(new RegExp(`SMS NOT SENT[^\\n]*? to (?:\\+?91)?${mobile}: [^\\n]*?\\b(\\d{6})\\b`, 'g'))].map((m) => m[1]!);

/** Waits for a code beyond the `seen` ones already printed for the mobile. */
async function nextCode(server: Server, mobile: string, seen: number): Promise<string> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const all = codesIn(server, mobile);
    if (all.length > seen) return all.at(-1)!;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no new code sent to ${mobile} in the server log`);
}

/** The page fits the phone's width: nothing to scroll sideways. */
async function fitsWidth(page: Page, what: string) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width + 1, `${what}: the page is ${scroll} px wide on a ${width} px phone`);
}

describe('grievance redressal (browser)', () => {
  test('a citizen files on a phone in Hindi; the district officer resolves it; the citizen sees the resolution and rates it', { timeout: 420_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    await browserSession('grievances', async ({ server, page, resultsDir }) => {
      const base = server.base;
      const admin = (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD })).token;
      const suffix = Math.floor(Math.random() * 1e6);
      const officerName = `cmo.grv${suffix}`;
      await apiCall(base, 'POST', '/api/users', admin, { username: officerName, password: PASSWORD, role: 'district_officer', orgUnit: 'district:63', displayName: 'Rajesh Malik' });
      const officer = (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: officerName, password: PASSWORD })).token;

      // ---- the citizen, on a phone, in Hindi ----
      const browser = page.context().browser();
      assert.ok(browser, 'the session runs in a browser');
      const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'hi-IN', deviceScaleFactor: 2 });
      await phone.addInitScript(() => { if (!localStorage.getItem('swasthya.lang')) localStorage.setItem('swasthya.lang', 'hi'); });
      const citizen = await phone.newPage();
      citizen.setDefaultTimeout(20_000);
      const shot = (p: Page, name: string) => p.screenshot({ path: join(resultsDir, `grievances-${name}.png`), fullPage: true });
      const mobile = `9${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;

      await citizen.goto(`${base}/#/login`);
      await citizen.getByRole('link', { name: 'शिकायत दर्ज करें' }).click();
      await citizen.getByRole('heading', { level: 1, name: 'शिकायत दर्ज करें' }).waitFor();
      // A number that is not a mobile is caught before anything is sent.
      await citizen.getByLabel('मोबाइल नंबर', { exact: true }).fill('12345');
      await citizen.getByRole('button', { name: 'कोड भेजें' }).click();
      await citizen.getByText('10 अंकों का मोबाइल नंबर लिखें।').waitFor();
      await citizen.getByLabel('मोबाइल नंबर', { exact: true }).fill(mobile);
      await citizen.getByRole('button', { name: 'कोड भेजें' }).click();
      await citizen.getByText(/पर कोड भेजा गया।$/).waitFor();
      const code = await nextCode(server, mobile, 0);

      // The form says what is missing, in Hindi, before it sends anything.
      await citizen.getByRole('button', { name: 'शिकायत दर्ज करें' }).click();
      await citizen.getByText('SMS में आया कोड लिखें (केवल अंक)।').waitFor();
      await citizen.getByText('चुनें कि शिकायत किस बारे में है।').waitFor();
      await citizen.getByText('ज़िला चुनें।').waitFor();
      await citizen.getByLabel('एक बार का कोड', { exact: true }).fill(code);
      await citizen.getByLabel('पैसे माँगे गए').check();
      await citizen.getByLabel('ज़िला', { exact: true }).selectOption('63');
      // The district's public facilities (GET /api/public/grievances/facilities): the complaint is about Civil Hospital Hisar.
      const listed = await apiCall<{ items: { id: string; name: string }[] }>(base, 'GET', `/api/public/grievances/facilities?district=63&q=${encodeURIComponent('Civil Hospital Hisar')}`, null);
      const hospital = listed.items.find((f) => f.name === 'Civil Hospital Hisar');
      assert.ok(hospital, 'the public list of Hisar\'s facilities has Civil Hospital Hisar');
      await citizen.getByLabel('स्वास्थ्य केंद्र', { exact: true }).selectOption(hospital.id);
      const description = 'सिविल अस्पताल हिसार में प्रसव के बाद वार्ड के कर्मचारी ने छुट्टी देने के लिए 500 रुपये माँगे।';
      await citizen.getByLabel('क्या हुआ', { exact: true }).fill(description);
      await citizen.getByLabel('फ़ोटो या दस्तावेज़ (वैकल्पिक)').setInputFiles({ name: 'parchi.png', mimeType: 'image/png', buffer: PNG });
      await fitsWidth(citizen, 'the filing form');
      assert.deepEqual(await seriousViolations(citizen), [], 'the filing page has no serious or critical axe violation');
      await shot(citizen, 'file-hi-phone');
      await citizen.getByRole('button', { name: 'शिकायत दर्ज करें' }).click();
      await citizen.getByRole('heading', { level: 1, name: 'आपकी शिकायत दर्ज हो गई है' }).waitFor();
      const ticket = (await citizen.getByTestId('grv-ticket-number').innerText()).trim();
      assert.match(ticket, /^[A-Z0-9-]{6,40}$/, `a ticket number the citizen can quote: ${ticket}`);
      await citizen.getByText('1 फ़ाइल जुड़ी').waitFor();
      await citizen.getByText(/^उत्तर \d{2}\/\d{2}\/\d{4} तक देना है।$/).waitFor();
      await fitsWidth(citizen, 'the ticket number');
      await shot(citizen, 'filed-hi-phone');

      // ---- Hisar's district officer resolves it ----
      await page.goto(`${base}/#/login`);
      await page.locator('#login-username').fill(officerName);
      await page.locator('#login-password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('header nav').waitFor();
      await page.locator('header nav').getByRole('link', { name: 'Complaints', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Complaints' }).waitFor();
      const row = page.locator(`tr[data-ticket="${ticket}"]`);
      await row.waitFor();
      await row.getByText('Money asked').waitFor();
      await row.getByText('New', { exact: true }).waitFor();
      await row.getByText('Civil Hospital Hisar').waitFor();
      assert.deepEqual(await seriousViolations(page), [], 'the officer\'s list has no serious or critical axe violation');
      await shot(page, 'list-en');
      await row.getByRole('link', { name: `Open ${ticket}` }).click();
      await page.getByRole('heading', { level: 1, name: `Complaint ${ticket}` }).waitFor();
      await page.getByText(description).waitFor();
      await page.getByRole('button', { name: 'Download parchi.png' }).waitFor();
      // No resolution without its text.
      await page.getByRole('button', { name: 'Resolve', exact: true }).click();
      await page.getByText('Write what was done to resolve it.').waitFor();
      await page.getByRole('button', { name: 'Assign to me' }).click();
      await page.getByText('Assigned.', { exact: true }).waitFor();
      await page.getByTestId('grv-ticket').getByText(new RegExp(`^(Rajesh Malik|${officerName.replace('.', '\\.')})$`)).first().waitFor();
      await page.getByLabel('Reply (the citizen reads it and gets an SMS)').fill('हम वार्ड के कर्मचारी से पूछताछ कर रहे हैं।');
      await page.getByRole('button', { name: 'Send reply' }).click();
      await page.getByText('Reply sent.').waitFor();
      await page.getByLabel('Note (officers only, never shown to the citizen)').fill('Ward staff named in the complaint called for a hearing.');
      await page.getByRole('button', { name: 'Add note' }).click();
      await page.getByText('Note added.').waitFor();
      const resolution = 'कर्मचारी से 500 रुपये वापस दिलाए गए और उसे चेतावनी दी गई।';
      await page.getByLabel('Resolution (what was done; the citizen reads it)').fill(resolution);
      await page.getByRole('button', { name: 'Resolve', exact: true }).click();
      await page.getByText('Resolved. The citizen is told and can rate it.').waitFor();
      await page.locator('[data-testid="grv-ticket"][data-status="resolved"]').waitFor();
      await shot(page, 'resolved-en');
      // Back in the list: no longer among the open ones; the status filter finds it, and keeps it in the address.
      await page.getByRole('link', { name: 'All complaints' }).click();
      await page.getByText('No complaint matches.').waitFor();
      await page.getByLabel('Status', { exact: true }).selectOption('resolved');
      await row.getByText('Resolved', { exact: true }).waitFor();
      assert.match(page.url(), /#\/grievances\?status=resolved$/);
      // The figures of the district: this complaint counted, drawn by type.
      await page.locator('header nav').getByRole('link', { name: 'Complaint figures' }).click();
      await page.getByRole('heading', { level: 1, name: 'Complaint figures' }).waitFor();
      await page.getByTestId('grv-chart-type').waitFor();
      assert.match(await page.getByTestId('grv-fig-cards').innerText(), /[1-9]\d*\s*Filed/);
      await shot(page, 'figures-en');
      const resolved = await apiCall<{ items: { ticketNumber: string; status: string }[]; total: number }>(base, 'GET', '/api/grievances?status=resolved&district=63', officer);
      assert.ok(resolved.items.some((i) => i.ticketNumber === ticket), 'GET /api/grievances?status=resolved lists the ticket');

      // ---- the citizen tracks it with a new code, sees the resolution, rates it ----
      const seen = codesIn(server, mobile).length;
      await citizen.goto(`${base}/#/complaint/track`);
      await citizen.reload();
      await citizen.getByRole('heading', { level: 1, name: 'शिकायत की स्थिति देखें' }).waitFor();
      // The ticket and the mobile filed from this phone are filled in; a code is still needed.
      assert.equal(await citizen.getByLabel('टिकट नंबर', { exact: true }).inputValue(), ticket);
      assert.equal(await citizen.getByLabel('मोबाइल नंबर', { exact: true }).inputValue(), mobile);
      await citizen.getByRole('button', { name: 'कोड भेजें' }).click();
      const trackCode = await nextCode(server, mobile, seen);
      await citizen.getByLabel('एक बार का कोड', { exact: true }).fill(trackCode);
      await citizen.getByRole('button', { name: 'शिकायत दिखाएँ' }).click();
      const view = citizen.getByTestId('grv-public-ticket');
      await view.getByText('निपटाई गई', { exact: true }).first().waitFor();
      await citizen.getByTestId('grv-resolution').getByText(resolution).waitFor();
      const history = citizen.getByTestId('grv-public-history');
      await history.getByText('हम वार्ड के कर्मचारी से पूछताछ कर रहे हैं।').waitFor();
      assert.equal(await history.getByText('Ward staff named in the complaint').count(), 0, 'the internal note is never shown to the citizen');
      await fitsWidth(citizen, 'the tracked complaint');
      await citizen.getByRole('button', { name: 'मेरा मूल्यांकन भेजें' }).click();
      await citizen.getByText('संतुष्ट या संतुष्ट नहीं चुनें।').waitFor();
      await citizen.getByLabel('संतुष्ट', { exact: true }).check();
      await citizen.getByRole('button', { name: 'मेरा मूल्यांकन भेजें' }).click();
      await citizen.getByText('धन्यवाद: आपका मूल्यांकन दर्ज हो गया।').waitFor();
      // Satisfied closes the complaint; the rating reads in Hindi in its history.
      await view.getByText('बंद', { exact: true }).first().waitFor();
      await history.getByText('संतुष्ट', { exact: true }).waitFor();
      await shot(citizen, 'rated-hi-phone');

      // The public figures: Hisar's count this month, no names and no words of the complaint.
      await citizen.getByRole('link', { name: 'शिकायतों के आँकड़े' }).click();
      await citizen.getByRole('heading', { level: 1, name: 'शिकायतें: सार्वजनिक आँकड़े' }).waitFor();
      const table = citizen.getByTestId('grv-pub-table');
      await table.getByRole('row').filter({ hasText: 'हिसार' }).first().waitFor();
      const publicText = await citizen.locator('main').innerText();
      assert.ok(!publicText.includes('500 रुपये') && !publicText.includes(ticket), 'the public figures hold no text and no ticket');
      await fitsWidth(citizen, 'the public figures');

      const after = await apiCall<{ status: string; rating: { satisfied: boolean } | null; appeal: unknown }>(base, 'GET', `/api/grievances/${encodeURIComponent(ticket)}`, officer);
      assert.equal(after.rating?.satisfied, true, 'the rating is on the ticket');
      assert.equal(after.appeal, null, 'satisfied: no appeal');
      await phone.close();
    });
  });
});
