// Browser test of a telemedicine day (issue 11), black-box: the real server on a fresh data directory
// and Debian's Chromium. A CHO asks for a consultation and watches her live counts change as a doctor
// goes on duty and takes the patient; the doctor consults and refers to a hospital; the CHO sees the
// referral and its state; the receiving hospital (in Hindi) opens the consultation notes and the patient's
// record and acknowledges. A citizen books from home, closes the page, finds the place again by mobile and
// code, and leaves the queue after confirming. A screenshot of each screen is saved in test-results/.
//   cd /work/main/web && npx vite build --outDir /tmp/web-tele && cd .. &&
//   SWASTHYA_WEB_DIST=/tmp/web-tele SWASTHYA_REQUIRE_BROWSER=1 node --import tsx --test web/e2e/tele-day.e2e.test.ts
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { ADMIN_PASSWORD, apiCall, browserAvailable, browserSession, type Server } from './harness.ts';

const PASSWORD = 'Tele-Day-Pass-1';
const VIDEO_HOST = 'https://video.swasthya.test';
process.env.SWASTHYA_VIDEO_URL = `${VIDEO_HOST}/{room}`;

const rand = () => Math.random().toString(36).slice(2, 7);
const randomMobile = () => `9${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;

interface Net {
  hub: string; hubName: string; spoke: string; hospital: string; hospitalName: string;
  users: { cho: string; doctor: string; hospital: string };
  tokens: { cho: string; doctor: string; hospital: string };
}

/** A CHC hub (general medicine, also from home), a linked sub-centre, a district hospital and their staff, through the API. */
async function buildNetwork(base: string): Promise<Net> {
  const admin = (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD })).token;
  const facility = async (name: string, type: string) => (await apiCall<{ id: string }>(base, 'POST', '/api/facilities', admin, {
    name, type, ownership: 'public', system: 'allopathic', orgUnit: '63', latitude: 29.15, longitude: 75.72,
  })).id;
  const tag = rand();
  const hubName = `CHC Adampur ${tag}`;
  const hospitalName = `Civil Hospital Hansi ${tag}`;
  const hub = await facility(hubName, 'CHC');
  const spoke = await facility(`HWC Kirtan ${tag}`, 'SC');
  const hospital = await facility(hospitalName, 'DH');
  await apiCall(base, 'PUT', `/api/telemedicine/hubs/${hub}/specialties`, admin, { items: [{ specialty: 'general_medicine', homeOpd: true }] });
  await apiCall(base, 'POST', '/api/telemedicine/links', admin, { spokeId: spoke, hubId: hub });
  const user = async (role: string, orgUnit: string) => {
    const username = `${role}_${tag}_${rand()}`;
    await apiCall(base, 'POST', '/api/users', admin, { username, password: PASSWORD, role, orgUnit });
    return username;
  };
  const users = { cho: await user('cho', spoke), doctor: await user('doctor', hub), hospital: await user('facility_operator', hospital) };
  await apiCall(base, 'POST', '/api/telemedicine/doctors', admin, {
    username: users.doctor, hubId: hub, specialties: ['general_medicine'], name: 'Anil Sharma', nameHi: 'अनिल शर्मा', registrationNumber: 'HMC-2011-48213',
  });
  const login = async (username: string) => (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username, password: PASSWORD })).token;
  return { hub, hubName, spoke, hospital, hospitalName, users, tokens: { cho: await login(users.cho), doctor: await login(users.doctor), hospital: await login(users.hospital) } };
}

async function signIn(page: Page, base: string, username: string) {
  await page.goto(`${base}/`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

async function newPage(page: Page, viewport = { width: 1366, height: 900 }): Promise<{ context: BrowserContext; page: Page }> {
  const browser = page.context().browser();
  assert.ok(browser, 'the session runs in a browser');
  const context = await browser.newContext({ viewport, locale: 'en-IN' });
  await context.route(`${VIDEO_HOST}/**`, (route) => route.fulfill({ contentType: 'text/html', body: '<title>Video room</title><p>video</p>' }));
  const p = await context.newPage();
  p.setDefaultTimeout(20_000);
  return { context, page: p };
}

/** The latest code the development SMS sender printed for a mobile number, once there are `count` of them. */
async function codeFromLog(server: Server, mobile: string, count = 1): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const all = [...server.output().matchAll(new RegExp(`to ${mobile}: Swasthya: your code is (\\d{6})`, 'g'))];
    if (all.length >= count && all.at(-1)?.[1]) return all.at(-1)![1]!;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no code number ${count} sent to ${mobile} in the server log`);
}

describe('a telemedicine day (browser)', () => {
  test('CHO asks (live counts), doctor on duty, consults and refers; the CHO sees the referral; the hospital (Hindi) opens notes and record', { timeout: 300_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    await browserSession('tele-day', async ({ server, page, resultsDir }) => {
      const base = server.base;
      const net = await buildNetwork(base);
      const patientName = `Geeta ${rand().replace(/\d/g, 'a')} Devi`;
      const patient = await apiCall<{ id: string; stateNumber: string }>(base, 'POST', '/api/patients', net.tokens.cho, {
        name: patientName, sex: 'female', age: 38, mobile: randomMobile(), address: { district: 63 },
      });

      // ---- the CHO: counts before anything happens ----
      await signIn(page, base, net.users.cho);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Teleconsultation', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Teleconsultation' }).waitFor();
      const queue = page.locator('.tele-hub-choice').filter({ hasText: net.hubName });
      await queue.getByText('doctors online: 0 · waiting: 0').waitFor();

      // She asks for a consultation: one waiting.
      await page.getByLabel('Find the patient').fill(patient.stateNumber);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByRole('button', { name: `Choose patient ${patient.stateNumber}` }).click();
      await page.getByLabel('Complaint').fill('Cough for two weeks, evening fever');
      await queue.getByLabel('General medicine').check();
      await page.getByRole('button', { name: 'Ask for a consultation' }).click();
      await page.getByTestId('tele-request').getByText('Waiting', { exact: true }).waitFor();
      await queue.getByText('doctors online: 0 · waiting: 1').waitFor();
      await page.screenshot({ path: join(resultsDir, 'tele-day-cho-waiting.png'), fullPage: true });

      // ---- the doctor goes on duty in another browser: the CHO's counts change without a reload ----
      const marker = await page.evaluate(() => { (window as unknown as { stay: number }).stay = 7; return 7; });
      const doc = await newPage(page);
      await signIn(doc.page, base, net.users.doctor);
      await doc.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Consult', exact: true }).click();
      await doc.page.getByRole('button', { name: 'Online', exact: true }).click();
      await doc.page.getByText('You are online for General medicine.').waitFor();
      await queue.getByText('doctors online: 1 · waiting: 1').waitFor({ timeout: 10_000 });

      // The doctor takes the patient: nobody waits any more, on the CHO's screen too.
      await doc.page.getByRole('button', { name: 'Next patient' }).click();
      const consult = doc.page.getByTestId('tele-consult');
      await consult.getByRole('heading', { name: new RegExp(patientName) }).waitFor();
      await queue.getByText('doctors online: 1 · waiting: 0').waitFor({ timeout: 10_000 });
      assert.equal(await page.evaluate(() => (window as unknown as { stay?: number }).stay), marker, 'the CHO\'s page was not reloaded');

      // The doctor consults, writes the notes and refers to the hospital.
      const [room] = await Promise.all([doc.context.waitForEvent('page'), consult.getByRole('button', { name: 'Start the video call' }).click()]);
      await room.close();
      await consult.getByText('In consultation', { exact: true }).waitFor();
      await consult.getByLabel('Notes').fill('Crackles right upper zone; weight loss 4 kg. Rule out tuberculosis.');
      await consult.getByRole('button', { name: 'Save the record' }).click();
      await consult.getByText('Record saved.').waitFor();
      await consult.getByLabel('Hospital to refer to').fill(net.hospitalName.split(' ').slice(0, 2).join(' '));
      await consult.getByRole('button', { name: new RegExp(net.hospitalName) }).click();
      await consult.getByLabel('Urgent', { exact: true }).check();
      await consult.getByLabel('Reason').fill('Sputum CBNAAT and chest X-ray');
      await consult.getByRole('button', { name: 'Refer', exact: true }).click();
      await consult.getByText(`Referred to ${net.hospitalName} (Urgent).`).waitFor();
      await doc.page.screenshot({ path: join(resultsDir, 'tele-day-doctor.png'), fullPage: true });
      await consult.getByRole('button', { name: 'Complete the consultation' }).click();
      await consult.getByText('Consultation completed.').waitFor();
      await doc.context.close();

      // ---- the CHO sees the doctor's referral for her patient, and its state ----
      await page.reload();
      const centre = page.getByRole('region', { name: 'Referrals of this centre\'s patients' });
      const mine = centre.getByRole('row').filter({ hasText: patient.stateNumber });
      await mine.getByText(patientName).waitFor();
      await mine.getByText(net.hospitalName).waitFor();
      await mine.getByText('Referred', { exact: true }).waitFor();
      await page.screenshot({ path: join(resultsDir, 'tele-day-cho-referral.png'), fullPage: true });

      // ---- the receiving hospital, in Hindi: the notes, the record, and "received" ----
      const hosp = await newPage(page);
      await signIn(hosp.page, base, net.users.hospital);
      await hosp.page.getByRole('button', { name: 'हिन्दी' }).click();
      await hosp.page.getByRole('navigation').first().getByRole('link', { name: 'रेफरल', exact: true }).click();
      await hosp.page.getByRole('heading', { level: 1, name: 'रेफरल' }).waitFor();
      const incoming = hosp.page.getByRole('region', { name: 'हमें रेफर किए गए' });
      const row = incoming.getByRole('row').filter({ hasText: patient.stateNumber });
      await row.getByText('Sputum CBNAAT and chest X-ray').waitFor();
      await row.getByRole('button', { name: 'परामर्श के नोट' }).click();
      const notes = incoming.getByTestId('tele-ref-notes');
      await notes.getByText('Crackles right upper zone; weight loss 4 kg. Rule out tuberculosis.').waitFor();
      await notes.getByText('Cough for two weeks, evening fever').waitFor();
      await row.getByRole('button', { name: 'स्वीकार करें' }).click();
      await row.getByText('स्वीकार किया गया').waitFor();
      await hosp.page.screenshot({ path: join(resultsDir, 'tele-day-hospital-hi.png'), fullPage: true });
      await row.getByRole('link', { name: patientName }).click();
      await hosp.page.getByRole('heading', { level: 1, name: new RegExp(patientName) }).waitFor();
      await hosp.page.screenshot({ path: join(resultsDir, 'tele-day-hospital-record-hi.png'), fullPage: true });
      const audit = await apiCall<{ items: { actor: string | null; purpose: string | null }[] }>(base, 'GET', `/api/patients/${patient.id}/access-log`, net.tokens.hospital).catch(() => null);
      if (audit) assert.ok(audit.items.some((a) => JSON.stringify(a).includes(net.users.hospital)), 'the hospital\'s read is in the record\'s access log');
      await hosp.context.close();

      // The CHO sees the hospital's step.
      await page.reload();
      await page.getByRole('region', { name: 'Referrals of this centre\'s patients' }).getByRole('row').filter({ hasText: patient.stateNumber }).getByText('Acknowledged', { exact: true }).waitFor();
    });
  });

  test('a citizen books from home, closes the page, finds the place by mobile and code, and leaves the queue after confirming', { timeout: 300_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    await browserSession('tele-day-opd', async ({ server, page, resultsDir }) => {
      const base = server.base;
      const net = await buildNetwork(base);
      const mobile = randomMobile();
      // On a phone-sized screen.
      const phone = await newPage(page, { width: 390, height: 844 });
      const p = phone.page;
      await p.goto(`${base}/#/opd`);
      await p.getByRole('heading', { level: 1, name: 'See a doctor from home' }).waitFor();
      await p.getByLabel('Mobile number', { exact: true }).fill(mobile);
      await p.getByRole('button', { name: 'Send code' }).click();
      await p.getByLabel('Code from the SMS').fill(await codeFromLog(server, mobile, 1));
      await p.getByLabel("Patient's name").fill('Mohan Lal');
      await p.getByLabel('Sex').selectOption('male');
      await p.getByLabel('Age (years)').fill('58');
      const district = p.getByLabel(/^District/);
      if ((await district.evaluate((el) => el.tagName)) === 'SELECT') await district.selectOption('63');
      else await district.fill('63');
      await p.getByLabel(new RegExp(`General medicine — ${net.hubName}`)).check();
      await p.getByRole('button', { name: 'Book and go to the waiting room' }).click();
      await p.getByRole('heading', { level: 1, name: 'Waiting room' }).waitFor();
      const token = await p.getByTestId('opd-token').innerText();
      const firstUrl = p.url();
      await p.screenshot({ path: join(resultsDir, 'tele-day-opd-waiting.png'), fullPage: true });
      // The page is closed (and the phone's storage with it).
      await phone.context.close();

      // ---- later, on a fresh browser: "Find my place" by mobile and code ----
      const again = await newPage(page, { width: 390, height: 844 });
      const q = again.page;
      await q.goto(`${base}/#/opd`);
      const find = q.getByRole('region', { name: 'Find my place' });
      await find.getByLabel('Mobile number you booked with').fill(mobile);
      await find.getByRole('button', { name: 'Send a code to find my place' }).click();
      await find.getByLabel('Code sent to that mobile').fill('000000' === (await codeFromLog(server, mobile, 2)) ? '111111' : '000000');
      await find.getByRole('button', { name: 'Find my place' }).click();
      await find.getByText('The code is wrong or has expired; ask for a new one').waitFor();
      await find.getByLabel('Code sent to that mobile').fill(await codeFromLog(server, mobile, 2));
      await q.screenshot({ path: join(resultsDir, 'tele-day-opd-find.png'), fullPage: true });
      await find.getByRole('button', { name: 'Find my place' }).click();
      await q.getByRole('heading', { level: 1, name: 'Waiting room' }).waitFor();
      assert.equal(await q.getByTestId('opd-token').innerText(), token, 'the same place in the queue');
      await q.getByTestId('opd-position').getByText('You are number 1 in the queue').waitFor();
      assert.notEqual(q.url(), firstUrl, 'a new key: the old link no longer opens it');

      // ---- leaving asks first; "stay" keeps the place, "yes" leaves ----
      await q.getByRole('button', { name: 'Leave the queue' }).click();
      const dialog = q.getByRole('dialog', { name: 'Leave the queue?' });
      await dialog.waitFor();
      await q.screenshot({ path: join(resultsDir, 'tele-day-opd-leave-confirm.png'), fullPage: true });
      await dialog.getByRole('button', { name: 'Stay in the queue' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await q.getByTestId('opd-position').waitFor();
      const id = decodeURIComponent(new URL(q.url()).hash.split(/[/?]/)[3] ?? '');
      const key = new URLSearchParams(new URL(q.url()).hash.split('?')[1]).get('key') ?? '';
      assert.equal((await apiCall<{ status: string }>(base, 'GET', `/api/public/telemedicine/requests/${id}?key=${encodeURIComponent(key)}`, null)).status, 'waiting');
      await q.getByRole('button', { name: 'Leave the queue' }).click();
      await dialog.getByRole('button', { name: 'Yes, leave the queue' }).click();
      await q.getByText('You left the queue.').waitFor();
      assert.equal((await apiCall<{ status: string }>(base, 'GET', `/api/public/telemedicine/requests/${id}?key=${encodeURIComponent(key)}`, null)).status, 'cancelled');
      await q.screenshot({ path: join(resultsDir, 'tele-day-opd-left.png'), fullPage: true });
      await again.context.close();
    });
  });
});
