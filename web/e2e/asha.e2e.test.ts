// Browser test of ASHA incentives (issue 14), black-box: the real server as a child process on a fresh
// data directory (demo data) and Debian's Chromium through playwright-core.
// Through the API the administrator adds a sub-centre in Hisar-I, its CHO, the block's medical officer
// and accountant, a mother of Ladwa, and an ASHA of Ladwa with her bank account.
// The ASHA, on a 360×740 phone in Hindi, opens "मेरे दावे", loses the network, reloads the page (it
// comes from the service worker), claims the JSY delivery package for the mother, with a photo: it
// waits on the phone. Back online, it goes by itself, once (the API holds one claim, also after more
// 'online' events and a reload), flagged: no pregnancy of hers is on record. The sub-centre's CHO
// recommends it, the block's medical officer approves it (with the note a flagged claim needs), the
// block accountant makes the month's batch, downloads the payment file and uploads the bank's return
// file marking it paid; the ASHA sees it paid, and the month's paid amount. A second claim, rejected
// by the CHO with a reason, she reads, corrects and sends again. The block's officer then
// adds an ASHA on the register screen, imports two from a CSV (one refused for an unknown bank) and
// sees the block's days to pay. axe-core finds no serious or critical violation on the ASHA's, the
// verifiers', the accountant's or the register's screen.
// Screenshots in test-results/.
//   cd /work/main/web && npx vite build --outDir /tmp/web-asha && cd .. &&
//   SWASTHYA_WEB_DIST=/tmp/web-asha SWASTHYA_REQUIRE_BROWSER=1 NODE_ENV=test node --import tsx --test web/e2e/asha.e2e.test.ts
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ADMIN_PASSWORD, apiCall, browserAvailable, browserSession, hisarVillage } from './harness.ts';

const PASSWORD = 'Asha-E2e-Pass-1';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
// A 1×1 PNG: a real image for an activity whose evidence is a photo.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const rand = () => Math.floor(Math.random() * 1e6);
const randomMobile = () => `9${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;

interface Activity { code: string; nameEn: string; nameHi: string | null; amount: number; evidence: string[]; beneficiaryKind: string }
interface MineItem { id: string; clientId: string; status: string; amount: number; activityCode: string; flags: { code: string }[] }

/** axe-core's serious and critical findings on the page as it stands, one line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[]; html: string }[] }[] }> } }).axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}) ${v.help}: ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${n.html.slice(0, 160)}`).join(' | ')}`);
  });
}

/** The page fits the phone's width: nothing to scroll sideways. */
async function fitsWidth(page: Page, what: string): Promise<void> {
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(scroll <= client + 1, `${what} is wider than the phone (${scroll} > ${client})`);
}

/** The page of the user signed in last: saved as a picture when a step fails (the harness saves only its own page). */
let lastPage: Page | null = null;

/** A browser context of its own for one user, signed in; `hi` starts it in Hindi. */
async function signedIn(browser: Browser, base: string, username: string, opts: { phone?: boolean; hi?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: opts.phone ? { width: 360, height: 740 } : { width: 1366, height: 900 },
    locale: opts.hi ? 'hi-IN' : 'en-IN', acceptDownloads: true, ...(opts.phone ? { isMobile: true, hasTouch: true, serviceWorkers: 'allow' as const } : {}),
  });
  const lang = opts.hi ? 'hi' : 'en';
  await context.addInitScript((l) => { if (!localStorage.getItem('swasthya.lang')) localStorage.setItem('swasthya.lang', l); }, lang);
  const page = await context.newPage();
  lastPage = page;
  page.setDefaultTimeout(30_000);
  await page.goto(`${base}/#/login`);
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(PASSWORD);
  await page.getByRole('button', { name: opts.hi ? 'साइन इन करें' : 'Sign in' }).click();
  await page.getByRole('button', { name: opts.hi ? 'लॉग आउट' : 'Log out' }).waitFor();
  return { context, page };
}

describe('ASHA incentives on a phone (browser)', () => {
  test('claim offline in Hindi, sync once, recommend, approve, batch, bank return, she sees it paid', { timeout: 600_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    await browserSession('asha', async ({ server, page: adminPage, resultsDir }) => {
      const base = server.base;
      const browser = adminPage.context().browser();
      assert.ok(browser);
      const shot = (p: Page, name: string) => p.screenshot({ path: join(resultsDir, `asha-${name}.png`), fullPage: true });
      try {
        const admin = (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD })).token;

        // Hisar-I block, the village Ladwa, a sub-centre there; the CHO of the sub-centre, the block's
        // medical officer in charge, the block accountant.
        const place = await hisarVillage(base, admin, 'Hisar-I', ['Ladwa', 'लाडवा']);
        const sc = await apiCall<{ id: string }>(base, 'POST', '/api/facilities', admin, {
          name: `Sub-Centre Ladwa ${rand()}`, nameHi: 'उप-केंद्र लाडवा', type: 'SC', ownership: 'public', system: 'allopathic', orgUnit: place.block,
        });
        const cho = `cho_ladwa_${rand()}`;
        const mo = `mo_hisar1_${rand()}`;
        const accountant = `acct_hisar1_${rand()}`;
        await apiCall(base, 'POST', '/api/users', admin, { username: cho, password: PASSWORD, role: 'cho', orgUnit: sc.id });
        await apiCall(base, 'POST', '/api/users', admin, { username: mo, password: PASSWORD, role: 'block_officer', orgUnit: place.block });
        await apiCall(base, 'POST', '/api/users', admin, { username: accountant, password: PASSWORD, role: 'block_accountant', orgUnit: place.block });

        // The ASHA, in the register with her bank account; her password set as for any user.
        const worker = await apiCall<{ id: string; username: string }>(base, 'POST', '/api/asha/workers', admin, {
          name: 'Sunita Devi', nameHi: 'सुनीता देवी', mobile: randomMobile(), villageIds: [place.village], subCentreId: sc.id,
          bankAccount: `3012${String(rand()).padStart(8, '0')}`, ifsc: 'SBIN0001234',
        });
        await apiCall(base, 'POST', `/api/users/${encodeURIComponent(worker.username)}/password`, admin, { password: PASSWORD });

        // A mother of Ladwa, registered at the sub-centre, with no pregnancy on record: the JSY
        // institutional-delivery claim for her is flagged (and asks for a photo).
        const mother = await apiCall<{ id: string; stateNumber: string }>(base, 'POST', '/api/patients', admin, {
          name: 'Pooja Rani', nameHi: 'पूजा रानी', sex: 'female', age: 24, address: { district: 63, block: place.block, village: place.village }, facilityId: sc.id,
        });
        const ashaToken = (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: worker.username, password: PASSWORD })).token;
        const catalogue = (await apiCall<{ items: Activity[] }>(base, 'GET', '/api/asha/activities', ashaToken)).items;
        const activity = catalogue.find((a) => a.beneficiaryKind === 'mother' && a.evidence.includes('photo') && a.amount > 0);
        assert.ok(activity, `the catalogue has a mother's activity with a photo: ${catalogue.map((a) => a.code).join(', ')}`);
        const activityHi = activity.nameHi ?? activity.nameEn;
        const rupees = `₹${activity.amount.toLocaleString('en-IN')}`;

        // ---- The ASHA on her phone, in Hindi: the claims screen from her menu.
        const asha = await signedIn(browser, base, worker.username, { phone: true, hi: true });
        const phone = asha.page;
        await phone.getByRole('navigation', { name: 'मुख्य' }).getByRole('link', { name: 'मेरे दावे' }).click();
        await phone.getByRole('heading', { level: 1, name: 'मेरे दावे' }).waitFor();
        await phone.getByRole('heading', { name: 'नया दावा' }).waitFor();
        await phone.getByText('अभी कोई दावा नहीं भेजा गया।').waitFor();
        await phone.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 30_000 });
        assert.deepEqual(await seriousViolations(phone), [], 'the ASHA claims screen has no serious or critical axe violation');
        await fitsWidth(phone, 'the claims screen');

        // No network: the page reloads from the service worker, and the claim is kept on the phone.
        await asha.context.setOffline(true);
        const reloaded = await phone.reload();
        assert.ok(reloaded?.fromServiceWorker(), 'the page came from the service worker');
        await phone.getByRole('heading', { level: 1, name: 'मेरे दावे' }).waitFor();
        await phone.getByText('आप ऑफ़लाइन हैं।', { exact: false }).waitFor();
        const form = phone.getByRole('form', { name: 'नया दावा' });
        const option = form.getByLabel('किया गया काम').locator('option').filter({ hasText: activityHi }).first();
        await form.getByLabel('किया गया काम').selectOption((await option.getAttribute('value'))!);
        // The form says what is missing before anything is kept.
        await form.getByRole('button', { name: 'दावा इस फ़ोन पर सहेजें' }).click();
        await form.getByText('माँ का हेल्थ कार्ड नंबर लिखें।').waitFor();
        await form.getByText('फ़ोटो लें या चुनें: इस काम के लिए ज़रूरी है।').waitFor();
        await form.getByLabel('माँ का हेल्थ कार्ड नंबर').fill(mother.stateNumber);
        await form.getByLabel('फ़ोटो (इस काम के लिए ज़रूरी)').setInputFiles({ name: 'kaam.png', mimeType: 'image/png', buffer: PNG });
        await form.getByRole('img', { name: 'जो फ़ोटो भेजी जाएगी' }).waitFor();
        await form.getByRole('button', { name: 'दावा इस फ़ोन पर सहेजें' }).click();
        await phone.getByText(`इस फ़ोन पर सहेजा गया: ${activityHi}।`, { exact: false }).waitFor();
        await phone.getByTestId('asha-waiting').getByText('1 दावा भेजा जाना है').waitFor();
        await phone.getByRole('listitem', { name: activityHi }).getByText('भेजा जाना है', { exact: true }).waitFor();
        await phone.getByRole('button', { name: 'अभी भेजें' }).click();
        await phone.getByText('सर्वर तक नहीं पहुँच पा रहे।', { exact: false }).waitFor();
        await fitsWidth(phone, 'the claims screen offline');
        await shot(phone, 'offline-hi-phone');
        const before = (await apiCall<{ items: MineItem[] }>(base, 'GET', '/api/asha/claims/mine', ashaToken)).items;
        assert.equal(before.length, 0, 'nothing reached the server while offline');

        // Back online: the claim goes by itself, once.
        await asha.context.setOffline(false);
        // Two more 'online' events at once (a flaky network): still one request per claim, one claim.
        await phone.evaluate(() => { window.dispatchEvent(new Event('online')); window.dispatchEvent(new Event('online')); });
        await phone.getByTestId('asha-waiting').getByText('भेजने के लिए कुछ नहीं').waitFor({ timeout: 30_000 });
        const sent = phone.getByTestId('asha-claims').getByRole('listitem', { name: activityHi });
        await sent.waitFor();
        await sent.getByText('भेजा गया, एएनएम के पास').waitFor();
        // Checked against the records: no pregnancy of hers is on record, and the flag says so in Hindi.
        await sent.getByText('जाँच ज़रूरी').waitFor();
        // The flag names no one (a claim is a write; the answer reads no record for her).
        await sent.getByText('लाभार्थी की कोई गर्भावस्था दर्ज नहीं है', { exact: false }).waitFor();
        const mine = (await apiCall<{ items: MineItem[] }>(base, 'GET', '/api/asha/claims/mine', ashaToken)).items;
        assert.equal(mine.length, 1, 'one claim on the server');
        const claimId = mine[0]!.id;
        assert.equal(mine[0]!.activityCode, activity.code);
        assert.ok(mine[0]!.flags.some((f) => f.code === 'no_pregnancy'), `flagged: ${JSON.stringify(mine[0]!.flags)}`);
        // A reload (and its sync on opening) sends nothing again.
        await phone.reload();
        await phone.getByTestId('asha-claims').getByRole('listitem', { name: activityHi }).waitFor();
        await phone.waitForTimeout(1500);
        assert.equal((await apiCall<{ items: MineItem[] }>(base, 'GET', '/api/asha/claims/mine', ashaToken)).items.length, 1, 'still one claim after a reload');
        await shot(phone, 'synced-hi-phone');

        // A second claim, made online (a CBAC form, no beneficiary): sent at once.
        const cbac = catalogue.find((a) => a.beneficiaryKind === 'none' && !a.evidence.includes('photo') && a.amount > 0 && a.amount < 1000);
        assert.ok(cbac, 'the catalogue has a small activity with no beneficiary');
        const cbacHi = cbac.nameHi ?? cbac.nameEn;
        const cbacOption = form.getByLabel('किया गया काम').locator('option').filter({ hasText: cbacHi }).first();
        await form.getByLabel('किया गया काम').selectOption((await cbacOption.getAttribute('value'))!);
        await form.getByRole('button', { name: 'दावा इस फ़ोन पर सहेजें' }).click();
        const second = phone.getByTestId('asha-claims').getByRole('listitem', { name: cbacHi });
        await second.getByText('भेजा गया, एएनएम के पास').waitFor();
        const secondId = await second.getAttribute('data-claim-id');
        assert.ok(secondId);

        // ---- The CHO of the sub-centre rejects the second (a reason is required) and recommends the first.
        const choS = await signedIn(browser, base, cho);
        await choS.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'ASHA claims to verify' }).click();
        await choS.page.getByRole('heading', { level: 1, name: 'ASHA claims to verify' }).waitFor();
        const forCho = choS.page.locator(`li[data-claim-id="${claimId}"]`);
        await forCho.waitFor();
        assert.deepEqual(await seriousViolations(choS.page), [], 'the verifiers\' queue has no serious or critical axe violation');
        const rejectThis = choS.page.locator(`li[data-claim-id="${secondId}"]`);
        await rejectThis.getByRole('button', { name: 'Reject the claim' }).click();
        const dialog = choS.page.getByRole('dialog', { name: 'Reject this claim?' });
        await dialog.getByRole('button', { name: 'Reject the claim' }).click();
        await dialog.getByText('Write the reason: the ASHA needs to know what to correct.').waitFor();
        await dialog.getByLabel('Reason (the ASHA reads it)').fill('CBAC form not signed by the person screened');
        await dialog.getByRole('button', { name: 'Reject the claim' }).click();
        await choS.page.getByText(`Rejected: ${cbac.nameEn} of `, { exact: false }).waitFor();
        await forCho.getByRole('button', { name: 'Recommend the claim' }).click();
        await choS.page.getByText(`Recommended: ${activity.nameEn} of `, { exact: false }).waitFor();
        await choS.context.close();

        // ---- The block's medical officer approves it (a flagged claim needs a note first).
        const moS = await signedIn(browser, base, mo);
        await moS.page.goto(`${base}/#/asha/verify`);
        await moS.page.getByRole('heading', { level: 1, name: 'ASHA claims to verify' }).waitFor();
        const forMo = moS.page.locator(`li[data-claim-id="${claimId}"]`);
        await forMo.waitFor();
        await forMo.getByText('No pregnancy of the beneficiary is on record').waitFor();
        await forMo.getByRole('button', { name: 'Approve the claim' }).click();
        await forMo.getByText('This claim needs checking: write a note before approving it.').waitFor();
        await forMo.getByLabel(/^Note/).fill('Delivery seen in the PHC labour-room register; the pregnancy was not entered.');
        await shot(moS.page, 'mo-flagged');
        await forMo.getByRole('button', { name: 'Approve the claim' }).click();
        await moS.page.getByText(`Approved: ${activity.nameEn} of `, { exact: false }).waitFor();
        await moS.context.close();

        // ---- The block accountant makes the month's batch, downloads its file, uploads the bank's return.
        const acct = await signedIn(browser, base, accountant);
        const ap = acct.page;
        await ap.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'ASHA payments' }).click();
        await ap.getByRole('heading', { level: 1, name: 'ASHA payments' }).waitFor();
        await ap.getByRole('button', { name: 'Make the batch' }).click();
        await ap.getByRole('dialog').getByRole('button', { name: 'Make the batch' }).click();
        await ap.getByTestId('asha-batch-made').waitFor();
        assert.match(await ap.getByTestId('asha-batch-made').innerText(), new RegExp(`${rupees} in 1 row`));
        const panel = ap.getByTestId('asha-batch');
        await panel.getByRole('button', { name: 'Download the payment file' }).waitFor();
        assert.deepEqual(await seriousViolations(ap), [], 'the payments screen has no serious or critical axe violation');
        const [download] = await Promise.all([ap.waitForEvent('download'), panel.getByRole('button', { name: 'Download the payment file' }).click()]);
        const paymentFile = readFileSync((await download.path())!, 'utf8');
        const returnFile = bankReturn(paymentFile);
        await panel.getByLabel("Bank's return file (CSV)").setInputFiles({ name: 'bank-return.csv', mimeType: 'text/csv', buffer: Buffer.from(returnFile) });
        await panel.getByRole('button', { name: 'Upload the return file' }).click();
        await ap.getByRole('dialog').getByRole('button', { name: 'Upload the return file' }).click();
        await ap.getByTestId('asha-returns-report').getByText(/1 paid, 0 failed/).waitFor();
        await shot(ap, 'accountant');
        await acct.context.close();

        // ---- The ASHA sees it paid, and the month's amount paid.
        await phone.reload();
        const paid = phone.getByTestId('asha-claims').getByRole('listitem', { name: activityHi });
        await paid.getByText('भुगतान हो गया').waitFor();
        const months = phone.getByTestId('asha-months');
        await months.getByRole('row').nth(1).getByText(rupees).first().waitFor();
        await paid.getByText(/^SBIN\d+$/).waitFor();
        await fitsWidth(phone, 'the claims screen with a paid claim');
        // The rejected claim shows its reason; corrected with a note, it goes back to the ANM.
        const rejected = phone.getByTestId('asha-claims').getByRole('listitem', { name: cbacHi });
        await rejected.getByText('अस्वीकृत', { exact: true }).waitFor();
        await rejected.getByText('CBAC form not signed by the person screened').waitFor();
        await shot(phone, 'paid-hi-phone');
        await rejected.getByRole('button', { name: 'सुधारें और फिर भेजें' }).click();
        await rejected.getByLabel('एएनएम के लिए टिप्पणी (आपने क्या सुधारा)').fill('हस्ताक्षर करवा लिए');
        await rejected.getByRole('button', { name: 'दावा फिर से भेजें' }).click();
        await phone.getByText(`फिर से भेजा गया: ${cbacHi}।`).waitFor();
        await rejected.getByText('भेजा गया, एएनएम के पास').waitFor();
        await asha.context.close();

        // ---- The block's officer keeps the register: the list (the account masked), a new ASHA, an import
        // with one bad row refused with its reason; and the days to pay of the block on the chart.
        const officer = await signedIn(browser, base, mo);
        const op = officer.page;
        await op.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'ASHA register' }).click();
        await op.getByRole('heading', { level: 1, name: 'ASHA register' }).waitFor();
        const sunita = op.getByTestId('asha-workers').getByRole('row').filter({ hasText: 'Sunita Devi' });
        await sunita.waitFor();
        assert.match(await sunita.innerText(), /X{4,}\d{4}/, 'the account number is masked for the officer');
        await op.getByRole('button', { name: 'Add an ASHA' }).click();
        const add = op.getByRole('form', { name: 'Add an ASHA' });
        await add.getByLabel('Name (English)').fill('Kamlesh Kumari');
        await add.getByLabel('Name (Hindi)').fill('कमलेश कुमारी');
        await add.getByLabel('Mobile').fill(randomMobile());
        await add.getByLabel('Sub-centre').selectOption(sc.id);
        await add.getByLabel('Bank account number').fill('301299887766');
        await add.getByLabel('IFSC').fill('SBIN123');
        await add.getByRole('button', { name: 'Save the ASHA' }).click();
        await add.getByText('An IFSC is 11 characters', { exact: false }).waitFor();
        await add.getByLabel('IFSC').fill('SBIN0004321');
        await add.getByRole('button', { name: 'Save the ASHA' }).click();
        await op.getByTestId('asha-worker-added').getByText(/^Kamlesh Kumari added; her username is \S+\. /).waitFor();
        await op.getByTestId('asha-workers').getByRole('row').filter({ hasText: 'Kamlesh Kumari' }).waitFor();
        const csv = [
          'name,name_hi,mobile,sub_centre_id,village_ids,bank_account,ifsc',
          `Rekha Devi,रेखा देवी,${randomMobile()},${sc.id},${place.village},301200001111,PUNB0123400`,
          `Meena Devi,मीना देवी,${randomMobile()},${sc.id},,301200002222,ZZZZ0000001`,
        ].join('\n');
        await op.getByLabel('CSV file', { exact: true }).setInputFiles({ name: 'ashas.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
        await op.getByRole('button', { name: 'Import the ASHAs' }).click();
        await op.getByRole('dialog').getByRole('button', { name: 'Import the ASHAs' }).click();
        await op.getByTestId('asha-import-report').getByText('1 added, 1 refused.').waitFor();
        const refusedRows = op.getByTestId('asha-import-refused').locator('tbody tr');
        assert.equal(await refusedRows.count(), 1, 'one row refused');
        const [rowNo, why] = (await refusedRows.first().locator('td').allInnerTexts()).map((x) => x.trim());
        assert.equal(rowNo, '3', 'the third line of the file (the second ASHA) is refused');
        assert.match(why ?? '', /ZZZZ|bank|IFSC/i, `the refused row says why: ${why}`);
        await op.getByTestId('asha-workers').getByRole('row').filter({ hasText: 'Rekha Devi' }).waitFor();
        assert.deepEqual(await seriousViolations(op), [], 'the register has no serious or critical axe violation');
        await shot(op, 'register');
        await op.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'ASHA days to pay' }).click();
        await op.getByRole('heading', { level: 1, name: 'ASHA days to pay' }).waitFor();
        const hisar1 = op.getByTestId('asha-timeliness-table').getByRole('row').filter({ has: op.getByRole('rowheader', { name: 'Hisar-I', exact: true }) });
        await hisar1.waitFor();
        const cells = (await hisar1.locator('td').allInnerTexts()).map((x) => x.trim());
        assert.deepEqual(cells.slice(0, 2), ['2', '1'], 'Hisar-I: two claims (one sent again after its rejection), one paid');
        await op.locator('[data-testid="asha-timeliness"] canvas').waitFor();
        await shot(op, 'timeliness');
        await officer.context.close();
      } catch (err) {
        await lastPage?.screenshot({ path: join(resultsDir, 'asha-failure-step.png'), fullPage: true }).catch(() => undefined);
        throw err;
      }
    });
  });
});

/**
 * The bank's return file for a payment file (server/src/modules/asha/batches/batches.file.ts: a header,
 * then SlNo,PaymentReference,…): `reference,status,reason,utr`, every row paid with a UTR of its own.
 */
function bankReturn(paymentFile: string): string {
  const [header, ...rows] = paymentFile.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.match(header ?? '', /^SlNo,PaymentReference,/, 'the payment file starts with its header');
  assert.ok(rows.length >= 1, 'the payment file has a row');
  return ['reference,status,reason,utr', ...rows.map((r, i) => `${r.split(',')[1]},PAID,,SBIN${String(Date.now()).slice(-8)}${i}`)].join('\n');
}
