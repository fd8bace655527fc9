// Browser test of telemedicine, black-box: the real server on a fresh data directory (demo data) and
// Debian's Chromium through playwright-core. A hub, a linked spoke, a district hospital and their staff
// are set up through the API; then in the browser a CHO asks for a consultation, a doctor (a second
// browser) goes online, takes the patient, starts the call, writes the record with an ICD-10 code,
// prescribes from the formulary and refers to the hospital, and completes; the CHO sees the result
// live, with the stock of each medicine, and hands the medicine over; the hospital sees the referral.
// A citizen books the OPD from home and watches the waiting room change when a doctor calls.
//   cd /work/main && npm run build -w web && SWASTHYA_REQUIRE_BROWSER=1 node --import tsx --test web/e2e/telemedicine.e2e.test.ts
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { ADMIN_PASSWORD, apiCall, browserAvailable, browserSession, type Server } from './harness.ts';

const PASSWORD = 'Tele-Screen-Pass-1';
const VIDEO_HOST = 'https://video.swasthya.test';
// The server makes video rooms from this template; the browser answers it locally (no network).
process.env.SWASTHYA_VIDEO_URL = `${VIDEO_HOST}/{room}`;

const rand = () => Math.random().toString(36).slice(2, 7);
const randomMobile = () => `9${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;

interface Net {
  admin: string; hub: string; hubName: string; spoke: string; hospital: string; hospitalName: string;
  users: { cho: string; doctor: string; hospital: string; manager: string };
  tokens: { cho: string; doctor: string; hospital: string; manager: string };
}

/** The network through the API: a CHC hub (general medicine, also from home), a linked sub-centre, a district hospital, their staff. */
async function buildNetwork(base: string): Promise<Net> {
  const admin = (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD })).token;
  const facility = async (name: string, type: string) => (await apiCall<{ id: string }>(base, 'POST', '/api/facilities', admin, {
    name, type, ownership: 'public', system: 'allopathic', orgUnit: '63', latitude: 29.15, longitude: 75.72,
  })).id;
  const tag = rand();
  const hubName = `CHC Barwala ${tag}`;
  const hospitalName = `Civil Hospital Agroha ${tag}`;
  const hub = await facility(hubName, 'CHC');
  const spoke = await facility(`HWC Sarsod ${tag}`, 'SC');
  const hospital = await facility(hospitalName, 'DH');
  await apiCall(base, 'PUT', `/api/telemedicine/hubs/${hub}/specialties`, admin, { items: [{ specialty: 'general_medicine', homeOpd: true }] });
  await apiCall(base, 'POST', '/api/telemedicine/links', admin, { spokeId: spoke, hubId: hub });
  const user = async (role: string, orgUnit: string) => {
    const username = `${role}_${tag}_${rand()}`;
    await apiCall(base, 'POST', '/api/users', admin, { username, password: PASSWORD, role, orgUnit });
    return username;
  };
  const users = {
    cho: await user('cho', spoke), doctor: await user('doctor', hub), hospital: await user('facility_operator', hospital), manager: await user('facility_operator', hub),
  };
  await apiCall(base, 'POST', '/api/telemedicine/doctors', admin, {
    username: users.doctor, hubId: hub, specialties: ['general_medicine'], name: 'Anil Sharma', nameHi: 'अनिल शर्मा', registrationNumber: 'HMC-2011-48213',
  });
  const login = async (username: string) => (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username, password: PASSWORD })).token;
  const tokens = { cho: await login(users.cho), doctor: await login(users.doctor), hospital: await login(users.hospital), manager: await login(users.manager) };
  return { admin, hub, hubName, spoke, hospital, hospitalName, users, tokens };
}

async function signIn(page: Page, base: string, username: string) {
  await page.goto(`${base}/`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

async function newPage(page: Page): Promise<{ context: BrowserContext; page: Page }> {
  const browser = page.context().browser();
  assert.ok(browser, 'the session runs in a browser');
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-IN', acceptDownloads: true });
  await context.route(`${VIDEO_HOST}/**`, (route) => route.fulfill({ contentType: 'text/html', body: '<title>Video room</title><p>video</p>' }));
  const p = await context.newPage();
  p.setDefaultTimeout(20_000);
  return { context, page: p };
}

/** The code the development SMS sender printed for a mobile number. */
async function codeFromLog(server: Server, mobile: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const all = [...server.output().matchAll(new RegExp(`to ${mobile}: Swasthya: your code is (\\d{6})`, 'g'))];
    const last = all.at(-1);
    if (last?.[1]) return last[1];
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no code sent to ${mobile} in the server log`);
}

describe('telemedicine screens (browser)', () => {
  test('a CHO asks, a doctor takes the patient, prescribes and refers; the CHO dispenses; the hospital sees the referral', { timeout: 300_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    await browserSession('telemedicine', async ({ server, page, resultsDir }) => {
      const base = server.base;
      const net = await buildNetwork(base);
      await apiCall(base, 'PUT', '/api/telemedicine/stock', net.tokens.cho, { items: [{ code: 'paracetamol-500-tab', quantity: 100 }] });
      const patientName = `Sunita ${rand().replace(/\d/g, 'a')} Devi`;
      const patient = await apiCall<{ id: string; stateNumber: string }>(base, 'POST', '/api/patients', net.tokens.cho, {
        name: patientName, sex: 'female', age: 45, mobile: randomMobile(), address: { district: 63 },
      });

      // ---- the CHO asks the hub for a consultation ----
      await signIn(page, base, net.users.cho);
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Teleconsultation', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Teleconsultation' }).waitFor();
      await page.getByLabel('Find the patient').fill(patient.stateNumber);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByRole('button', { name: `Choose patient ${patient.stateNumber}` }).click();
      await page.getByLabel('Complaint').fill('Fever and cough for three days');
      // A blood pressure without its second figure is caught before anything is sent.
      await page.getByLabel('BP', { exact: true }).fill('130');
      await page.getByRole('button', { name: 'Ask for a consultation' }).click();
      await page.getByText('Write BP as systolic/diastolic, like 130/85.').waitFor();
      await page.getByLabel('BP', { exact: true }).fill('130/85');
      await page.getByLabel('Pulse', { exact: true }).fill('88');
      await page.getByLabel('Temperature', { exact: true }).fill('38.4');
      const queueOption = page.locator('.tele-hub-choice').filter({ hasText: net.hubName }).getByLabel('General medicine');
      await queueOption.check();
      await page.getByRole('button', { name: 'Ask for a consultation' }).click();
      const status = page.getByTestId('tele-request');
      await status.getByText('Waiting', { exact: true }).waitFor();
      await status.getByText('Number 1 in the queue').waitFor();
      await status.getByText('no doctor online now').waitFor();
      await status.getByText('130/85').waitFor();
      const mine = await apiCall<{ items: { id: string; status: string; vitals: Record<string, unknown>; patientId: string }[] }>(base, 'GET', '/api/telemedicine/requests', net.tokens.cho);
      const request = mine.items.find((r) => r.patientId === patient.id);
      assert.ok(request, 'the request is in the spoke\'s list');
      assert.deepEqual(request.vitals, { bp: '130/85', pulse: 88, tempC: 38.4 });
      await page.getByRole('region', { name: "Today's requests" }).getByRole('button', { name: new RegExp(patientName) }).waitFor();

      // ---- the doctor, in another browser, goes online: the CHO's estimate appears without a reload ----
      const doc = await newPage(page);
      await signIn(doc.page, base, net.users.doctor);
      await doc.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Consult', exact: true }).click();
      await doc.page.getByRole('heading', { level: 1, name: 'Teleconsultation: doctor' }).waitFor();
      await doc.page.getByRole('button', { name: 'Online', exact: true }).click();
      await doc.page.getByText('You are online for General medicine.').waitFor();
      await status.getByText(/about \d+ min/).waitFor();

      await doc.page.getByRole('button', { name: 'Next patient' }).click();
      const consult = doc.page.getByTestId('tele-consult');
      await consult.getByRole('heading', { name: new RegExp(patientName) }).waitFor();
      await consult.getByTestId('tele-complaint').getByText('Fever and cough for three days').waitFor();
      await consult.getByText('130/85').waitFor();
      await status.getByText('Called by the doctor').waitFor();
      await status.getByTestId('tele-doctor').getByText('Anil Sharma').waitFor();

      // Start: the video room opens in a new tab, and the CHO gets the link.
      const [room] = await Promise.all([doc.context.waitForEvent('page'), consult.getByRole('button', { name: 'Start the video call' }).click()]);
      await room.waitForURL(`${VIDEO_HOST}/**`);
      await room.close();
      await consult.getByText('In consultation', { exact: true }).waitFor();
      const joinLink = status.getByRole('link', { name: 'Join the video call' });
      await joinLink.waitFor();
      assert.match((await joinLink.getAttribute('href')) ?? '', /^https:\/\/video\.swasthya\.test\//);

      // The record with an ICD-10 diagnosis.
      await consult.getByLabel('Notes').fill('Throat congested, chest clear.');
      const icd = consult.getByLabel('Diagnosis (ICD-10)');
      await icd.fill('J06.9');
      await consult.getByRole('option', { name: /J06\.9/ }).first().click();
      await consult.getByLabel('Advice').fill('Warm fluids; come back if breathless.');
      await consult.getByRole('button', { name: 'Save the record' }).click();
      await consult.getByText('Record saved.').waitFor();

      // A medicine from the formulary, with the spoke's stock shown.
      await consult.getByLabel('Add a medicine').fill('paracet');
      await consult.getByRole('button', { name: /Paracetamol 500 mg tablet.*in stock \(100\)/ }).click();
      await consult.getByLabel('Days').fill('5');
      await consult.getByRole('button', { name: 'Issue the prescription' }).click();
      await consult.getByText('Prescription issued').waitFor();

      // A referral to the district hospital, found by name among the hospitals of the state.
      await consult.getByLabel('Hospital to refer to').fill(net.hospitalName.split(' ').slice(0, 2).join(' '));
      await consult.getByRole('button', { name: new RegExp(net.hospitalName) }).click();
      assert.equal(await consult.getByTestId('tele-destination').textContent(), net.hospitalName);
      await consult.getByLabel('Urgent', { exact: true }).check();
      await consult.getByLabel('Reason').fill('Persistent fever: needs a chest X-ray');
      await consult.getByRole('button', { name: 'Refer', exact: true }).click();
      await consult.getByText(`Referred to ${net.hospitalName} (Urgent).`).waitFor();
      await doc.page.screenshot({ path: join(resultsDir, 'telemedicine-doctor.png'), fullPage: true });

      await consult.getByRole('button', { name: 'Complete the consultation' }).click();
      await consult.getByText('Consultation completed.').waitFor();
      await consult.getByRole('button', { name: 'Back to the queue' }).click();
      await doc.page.getByRole('button', { name: 'Next patient' }).click();
      await doc.page.getByText('Nobody is waiting right now.').waitFor();
      const record = await apiCall<{ diagnoses: { code: string }[]; notes: string; prescriptions: { items: { code: string; days: number }[] }[] }>(
        base, 'GET', `/api/telemedicine/requests/${request.id}/consultation`, net.tokens.doctor);
      assert.deepEqual(record.diagnoses.map((d) => d.code), ['J06.9']);
      assert.equal(record.notes, 'Throat congested, chest clear.');
      assert.deepEqual(record.prescriptions.flatMap((p) => p.items.map((i) => [i.code, i.days])), [['paracetamol-500-tab', 5]]);

      // ---- the CHO sees it completed, with the prescription and its stock, and hands the tablets over ----
      await status.getByText('Completed', { exact: true }).waitFor();
      await status.getByText('J06.9').waitFor();
      const line = status.locator('tr[data-code="paracetamol-500-tab"]');
      await line.getByText('in stock (100)').waitFor();
      const qty = line.getByLabel(/Quantity of Paracetamol/);
      assert.equal(await qty.inputValue(), '10', '1 tablet twice a day for 5 days');
      await status.getByRole('button', { name: 'Record what was handed over' }).click();
      await line.getByText('10 handed over').waitFor();
      const stock = await apiCall<{ items: { code: string; quantity: number }[] }>(base, 'GET', '/api/telemedicine/stock', net.tokens.cho);
      assert.equal(stock.items.find((i) => i.code === 'paracetamol-500-tab')?.quantity, 90);
      await page.screenshot({ path: join(resultsDir, 'telemedicine-cho.png'), fullPage: true });

      // The centre's stock: down by what was handed over; a supply of ORS arrives and is entered.
      const shelf = page.getByRole('form', { name: 'Medicine stock' });
      await page.waitForFunction(() => document.querySelector<HTMLInputElement>('#tele-stock-paracetamol-500-tab')?.value === '90');
      await shelf.getByLabel('Find a medicine').fill('ors');
      const ors = shelf.getByLabel(/^Oral rehydration salts \(ORS\) 20\.5 g\/l sachet$/);
      await ors.fill('-3');
      await shelf.getByRole('button', { name: 'Save stock (1 changed)' }).click();
      await shelf.getByText('Oral rehydration salts (ORS) 20.5 g/l sachet: give a whole number, 0 or more.').waitFor();
      await ors.fill('40');
      await shelf.getByRole('button', { name: 'Save stock (1 changed)' }).click();
      await shelf.getByText('Stock saved (1 changed).').waitFor();
      const after = await apiCall<{ items: { code: string; quantity: number }[] }>(base, 'GET', '/api/telemedicine/stock', net.tokens.cho);
      assert.deepEqual(['paracetamol-500-tab', 'ors-sachet'].map((c) => after.items.find((i) => i.code === c)?.quantity), [90, 40]);

      // In Hindi.
      await page.getByRole('button', { name: 'हिन्दी' }).click();
      await page.getByRole('heading', { level: 1, name: 'टेली-परामर्श' }).waitFor();
      await page.getByRole('heading', { name: 'आज के अनुरोध' }).waitFor();
      await status.getByText('पूरा हुआ', { exact: true }).waitFor();
      await page.getByRole('form', { name: 'दवाओं का स्टॉक' }).getByText('स्टॉक सहेजा गया (1 बदले)।').waitFor();
      await page.screenshot({ path: join(resultsDir, 'telemedicine-cho-hi.png'), fullPage: true });

      // ---- the hospital sees the referral and acknowledges it ----
      const hosp = await newPage(page);
      await signIn(hosp.page, base, net.users.hospital);
      await hosp.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Referrals', exact: true }).click();
      const incoming = hosp.page.getByRole('region', { name: 'Referred to us' });
      const row = incoming.getByRole('row').filter({ hasText: patient.stateNumber });
      await row.getByText('Persistent fever: needs a chest X-ray').waitFor();
      await row.getByText('Urgent').waitFor();
      await row.getByRole('button', { name: 'Acknowledge' }).click();
      await row.getByText('Acknowledged').waitFor();
      const referrals = await apiCall<{ items: { patientId: string; status: string; requestId: string; urgency: string }[] }>(base, 'GET', '/api/referrals?direction=incoming', net.tokens.hospital);
      const referral = referrals.items.find((r) => r.patientId === patient.id);
      assert.equal(referral?.status, 'acknowledged');
      assert.equal(referral?.requestId, request.id);
      assert.equal(referral?.urgency, 'urgent');
      await hosp.page.screenshot({ path: join(resultsDir, 'telemedicine-referrals.png'), fullPage: true });
      await hosp.context.close();
      await doc.context.close();
    });
  });

  test('a citizen books the OPD from home and the waiting room changes live when the doctor calls', { timeout: 300_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    await browserSession('telemedicine-opd', async ({ server, page, resultsDir }) => {
      const base = server.base;
      const net = await buildNetwork(base);
      const mobile = randomMobile();

      // Booking in the browser, no sign-in: mobile, the code from the (development) SMS log, a new patient, the OPD.
      await page.goto(`${base}/#/opd`);
      await page.getByRole('heading', { level: 1, name: 'See a doctor from home' }).waitFor();
      await page.getByLabel('Mobile number', { exact: true }).fill(mobile);
      await page.getByRole('button', { name: 'Send code' }).click();
      await page.getByText(`A 6-digit code was sent to XXXXXX${mobile.slice(-4)}.`).waitFor();
      await page.getByLabel('Code from the SMS').fill(await codeFromLog(server, mobile));
      await page.getByLabel("Patient's name").fill('Ramesh Kumar');
      await page.getByLabel('Sex').selectOption('male');
      await page.getByLabel('Age (years)').fill('41');
      const district = page.getByLabel(/^District/);
      if ((await district.evaluate((el) => el.tagName)) === 'SELECT') await district.selectOption('63');
      else await district.fill('63');
      await page.getByLabel(new RegExp(`General medicine — ${net.hubName}`)).check();
      await page.getByLabel('What is the problem? (optional)').fill('Rash on both arms');
      await page.getByRole('button', { name: 'Book and go to the waiting room' }).click();

      // The waiting room: token, place, and no doctor online yet.
      await page.getByRole('heading', { level: 1, name: 'Waiting room' }).waitFor();
      await page.getByTestId('opd-position').getByText('You are number 1 in the queue').waitFor();
      await page.getByText(/No doctor is online right now/).waitFor();
      await page.getByText('This page updates by itself.').waitFor();
      const [, , , id] = new URL(page.url()).hash.split(/[/?]/);
      assert.ok(id, 'the waiting room address carries the booking id');
      const token = Number(await page.getByTestId('opd-token').innerText());
      const key = new URLSearchParams(new URL(page.url()).hash.split('?')[1]).get('key') ?? '';
      const view = await apiCall<{ token: number; status: string; complaint: string }>(base, 'GET', `/api/public/telemedicine/requests/${id}?key=${encodeURIComponent(key)}`, null);
      assert.equal(view.token, token);
      assert.equal(view.complaint, 'Rash on both arms');

      // The hub manager's live queue shows the token waiting from home, and nobody on duty.
      const mgr = await newPage(page);
      await signIn(mgr.page, base, net.users.manager);
      await mgr.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Hub queue', exact: true }).click();
      await mgr.page.getByRole('heading', { level: 1, name: `Hub · ${net.hubName}` }).waitFor();
      const liveQueue = mgr.page.getByRole('region', { name: 'Live queue' });
      const queued = liveQueue.getByTestId('hub-queue').getByRole('row').filter({ hasText: 'from home' });
      await queued.getByText('Male · 41 years').waitFor();
      assert.equal((await queued.getByRole('cell').first().innerText()).trim(), String(token));
      await liveQueue.getByText('No doctor is online or on a break.').waitFor();

      // A doctor comes online: the estimate appears in the waiting room and the doctor in the hub's list, without a reload.
      await apiCall(base, 'POST', '/api/telemedicine/duty', net.tokens.doctor, { hubId: net.hub, specialty: 'general_medicine', status: 'online' });
      await page.getByText(/Estimated wait: about \d+ minutes?\./).waitFor();
      await liveQueue.getByRole('listitem').filter({ hasText: 'Anil Sharma' }).getByText(/Online/).waitFor({ timeout: 15_000 });

      // The manager rosters the doctor for Monday mornings, and takes it off again; and records the hub's desktops.
      const roster = mgr.page.getByRole('region', { name: 'Roster for the week' });
      await roster.getByLabel('Doctor').selectOption(net.users.doctor);
      await roster.getByLabel('Specialty').selectOption('general_medicine');
      await roster.getByLabel('Day').selectOption('1');
      await roster.getByRole('button', { name: 'Add to the roster' }).click();
      const shift = roster.getByRole('row').filter({ hasText: 'Monday' });
      await shift.getByText('09:00–13:00').waitFor();
      const rostered = await apiCall<{ items: { username: string; weekday: number; starts: string }[] }>(base, 'GET', `/api/telemedicine/rosters?hubId=${net.hub}`, net.tokens.manager);
      assert.deepEqual(rostered.items.map((r) => [r.username, r.weekday, r.starts]), [[net.users.doctor, 1, '09:00']]);
      await shift.getByRole('button', { name: 'Remove Anil Sharma on Monday' }).click();
      await roster.getByText('No one is rostered yet.').waitFor();
      const equipment = mgr.page.getByRole('form', { name: 'Equipment' });
      await equipment.getByLabel('Desktop computer: Installed').fill('2');
      await equipment.getByLabel('Desktop computer: Working').fill('2');
      await equipment.getByRole('button', { name: 'Save equipment' }).click();
      await equipment.getByText('Equipment saved.').waitFor();
      const hubDetail = await apiCall<{ equipment: { kind: string; installed: number; working: number }[] }>(base, 'GET', `/api/telemedicine/hubs/${net.hub}`, net.tokens.manager);
      assert.deepEqual(hubDetail.equipment.find((e) => e.kind === 'desktop'), { kind: 'desktop', installed: 2, onOrder: 0, working: 2 });
      await mgr.page.screenshot({ path: join(resultsDir, 'telemedicine-hub.png'), fullPage: true });
      await mgr.context.close();

      // The doctor takes the patient: the waiting room says so, without a reload.
      const marker = await page.evaluate(() => { (window as unknown as { stay: number }).stay = 42; return 42; });
      const called = await apiCall<{ id: string }>(base, 'POST', '/api/telemedicine/next', net.tokens.doctor, { hubId: net.hub, specialty: 'general_medicine' });
      assert.equal(called.id, id);
      await page.getByText('The doctor is calling you').waitFor();
      await page.getByText('The video call link appears here in a moment.').waitFor();
      assert.equal(await page.evaluate(() => (window as unknown as { stay?: number }).stay), marker, 'the page was not reloaded');
      await page.screenshot({ path: join(resultsDir, 'telemedicine-waiting-called.png'), fullPage: true });

      await apiCall(base, 'POST', `/api/telemedicine/requests/${id}/start`, net.tokens.doctor);
      const joinLink = page.getByRole('link', { name: 'Join the video call' });
      await joinLink.waitFor();
      assert.match((await joinLink.getAttribute('href')) ?? '', /^https:\/\/video\.swasthya\.test\//);
      await apiCall(base, 'POST', `/api/telemedicine/requests/${id}/prescriptions`, net.tokens.doctor, {
        items: [{ code: 'cetirizine-10-tab', dose: '1 tablet', frequency: 'HS', days: 5 }],
      });
      await apiCall(base, 'POST', `/api/telemedicine/requests/${id}/complete`, net.tokens.doctor);
      await page.getByText('Your consultation is over.').waitFor();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download the prescription (PDF)' }).click(),
      ]);
      assert.equal(download.suggestedFilename(), `prescription-${token}.pdf`);
      const saved = await download.path();
      assert.ok(saved, 'the prescription was saved');
      assert.equal(readFileSync(saved).subarray(0, 4).toString('latin1'), '%PDF', 'the prescription is a PDF');

      // In Hindi.
      await page.getByRole('button', { name: 'हिन्दी' }).click();
      await page.getByRole('heading', { level: 1, name: 'प्रतीक्षा कक्ष' }).waitFor();
      await page.getByText('आपका परामर्श पूरा हो गया।').waitFor();
    });
  });
});
