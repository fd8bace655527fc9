// Browser test of patient registration in Hindi, black-box: it starts the real server as a child
// process on a fresh data directory (demo data) and drives Debian's Chromium through playwright-core.
// A PHC's operator in Hisar registers a woman named in Devanagari (seeing a likely duplicate and the
// ABHA check-digit warning on the way), finds her by her name typed in Latin letters, opens her
// record, gives her an OPD token, prints her health card, and opens a record of another facility's
// patient by registering the visit first.
//   cd /work/main && node --import tsx --test web/e2e/patients.e2e.test.ts
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ADMIN_PASSWORD, apiCall, browserAvailable, browserSession, randomAbha, selectByText } from './harness.ts';

const USER_PASSWORD = 'Hisar-Counter-Pass-1';

/** A random Indian mobile number (10 digits, starting 9). */
const randomMobile = () => `9${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;


describe('patient registration in Hindi (browser)', () => {
  test('register a patient at a PHC, find her by her Latin name, open the record, print her card', { timeout: 300_000 }, async (t) => {
    if (!browserAvailable(t)) return;

    let cardSkipped: string | null = null;
    await browserSession('patients', async ({ server, page, resultsDir }) => {
      const base = server.base;

      // The admin creates the counter operator of a Hisar PHC, and registers at another Hisar facility
      // (which the operator's PHC cannot read) another Kamla Devi of about the same age: the likely
      // duplicate the form should show.
      const admin = await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD });
      const phc = (await apiCall<{ items: { id: string; name: string }[] }>(base, 'GET', '/api/facilities?district=63&type=PHC&limit=1', admin.token)).items[0];
      assert.ok(phc, 'Hisar has a PHC in the demo data');
      const operator = `hisar_counter_${Math.floor(Math.random() * 1e6)}`;
      await apiCall(base, 'POST', '/api/users', admin.token, { username: operator, password: USER_PASSWORD, role: 'facility_operator', orgUnit: phc.id });
      const elsewhere = (await apiCall<{ items: { id: string }[] }>(base, 'GET', '/api/facilities?district=63&limit=5', admin.token)).items.find((f) => f.id !== phc.id);
      assert.ok(elsewhere, 'Hisar has another facility in the demo data');
      const other = await apiCall<{ id: string; stateNumber: string; mobile: string }>(base, 'POST', '/api/patients', admin.token, {
        name: 'Kamla Devi', sex: 'female', age: 34, mobile: randomMobile(), address: { district: 63 }, facilityId: elsewhere.id,
      });

      // The operator signs in (the page starts in English) and switches to Hindi.
      await page.goto(`${base}/`);
      await page.getByLabel('Username').fill(operator);
      await page.getByLabel('Password').fill(USER_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Log out' }).waitFor();
      await page.getByRole('button', { name: 'हिन्दी' }).click();
      await page.locator('html[lang="hi"]').waitFor({ state: 'attached' });
      const nav = page.getByRole('navigation', { name: 'मुख्य' });

      // Patients, then the registration form.
      await nav.getByRole('link', { name: 'मरीज़', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'मरीज़' }).waitFor();
      await page.getByRole('link', { name: 'नया मरीज़ पंजीकृत करें' }).click();
      await page.getByRole('heading', { level: 1, name: 'मरीज़ का पंजीकरण' }).waitFor();

      const mobile = randomMobile();
      await page.getByLabel('नाम', { exact: true }).fill('कमला देवी');
      await page.getByLabel('महिला').check();
      await page.getByLabel('आयु (वर्ष)').fill('35');
      await selectByText(page, /^जिला/, /हिसार|hisar/i);

      // Client-side checks, in Hindi, while typing.
      await page.getByLabel('मोबाइल', { exact: true }).fill('12345');
      await page.getByLabel('मोबाइल', { exact: true }).blur();
      await page.getByText('मोबाइल नंबर में 10 अंक होते हैं; इसमें 5 हैं।').waitFor();
      await page.getByLabel('मोबाइल', { exact: true }).fill(mobile);
      await page.getByText('मोबाइल नंबर में 10 अंक होते हैं; इसमें 5 हैं।').waitFor({ state: 'detached' });
      const abha = randomAbha(false);
      await page.getByLabel('आभा नंबर', { exact: true }).fill(abha);
      const grouped = `${abha.slice(0, 2)}-${abha.slice(2, 6)}-${abha.slice(6, 10)}-${abha.slice(10)}`;
      assert.equal(await page.getByLabel('आभा नंबर', { exact: true }).inputValue(), grouped, 'the ABHA number is grouped as on the card');
      await page.getByText('इस आभा नंबर का जाँच अंक मेल नहीं खाता: कार्ड से मिलान करें।').waitFor();

      // The Kamla Devi already registered is shown before a second record is made.
      const duplicates = page.getByRole('region', { name: 'क्या पहले से पंजीकृत है?' });
      await duplicates.getByText(other.stateNumber, { exact: true }).waitFor();
      await duplicates.getByRole('button', { name: /यह मरीज़ खोलें/ }).first().waitFor();
      await page.screenshot({ path: join(resultsDir, 'patients-register-hi.png'), fullPage: true });

      // She is someone else (another mobile, another ABHA): register anyway, confirming the ABHA number.
      await page.getByRole('button', { name: 'मरीज़ पंजीकृत करें', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'आभा नंबर जाँचें' });
      await dialog.waitFor();
      await dialog.getByRole('button', { name: 'नंबर सही है: पंजीकरण करें' }).click();
      await page.getByRole('heading', { level: 1, name: 'मरीज़ पंजीकृत हुआ' }).waitFor();
      const stateNumber = (await page.getByTestId('state-number').innerText()).trim();
      assert.match(stateNumber, /^P06\d{9}$/, 'a Haryana state patient number');
      await page.getByText('जाँच अंक मेल नहीं खाता; कार्ड से मिलान करें').waitFor();

      // Find her by her name typed in Latin letters.
      await nav.getByRole('link', { name: 'मरीज़', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'मरीज़' }).waitFor();
      await page.getByLabel('मरीज़ खोजें').fill('Kamla Devi');
      await page.getByRole('button', { name: 'खोजें', exact: true }).click();
      const row = page.getByRole('row').filter({ hasText: stateNumber });
      await row.waitFor();
      assert.equal(await row.count(), 1);
      const rowText = await row.innerText();
      assert.match(rowText, /कमला देवी/);
      assert.match(rowText, /Kamla Devi/, 'the romanised name is shown beside the Hindi one');
      assert.match(rowText, /35 वर्ष/);
      await page.getByRole('row').filter({ hasText: other.stateNumber }).getByText('आपके संस्थान में पंजीकृत नहीं').waitFor();
      await page.screenshot({ path: join(resultsDir, 'patients-search-hi.png'), fullPage: true });

      // Her record, with who viewed it.
      await row.getByRole('link', { name: 'कमला देवी' }).click();
      await page.getByRole('heading', { level: 1, name: /कमला देवी/ }).waitFor();
      await page.getByText(stateNumber).first().waitFor();
      const log = page.getByRole('region', { name: 'यह रिकॉर्ड किसने देखा' });
      await log.getByRole('row').filter({ hasText: operator }).filter({ hasText: 'देखा' }).first().waitFor();

      // An OPD token at her PHC, shown on the counter screen.
      await page.getByRole('button', { name: 'ओपीडी टोकन जारी करें' }).click();
      await page.getByText('ओपीडी टोकन 1 जारी: सामान्य ओपीडी।').waitFor();

      // The health card (PDF), fetched with the session token and downloaded.
      const probe = await fetch(`${base}/api/patients/${encodeURIComponent(stateNumber)}/card.pdf?size=a6`, {
        headers: { authorization: `Bearer ${admin.token}` },
      });
      if (probe.status === 404 && /route/i.test(await probe.text())) {
        cardSkipped = 'GET /api/patients/{id}/card.pdf is not built yet (404): the health-card download is not checked';
      } else {
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('button', { name: 'हेल्थ कार्ड प्रिंट करें' }).click(),
        ]);
        assert.equal(download.suggestedFilename(), `health-card-${stateNumber}.pdf`);
        const path = await download.path();
        assert.ok(path, 'the download was saved');
        const bytes = readFileSync(path);
        assert.equal(bytes.subarray(0, 4).toString('latin1'), '%PDF', 'the health card is a PDF');
      }
      await page.screenshot({ path: join(resultsDir, 'patients-hi.png'), fullPage: true });

      await page.getByRole('link', { name: 'ओपीडी कतार' }).first().click();
      await page.getByRole('heading', { level: 1, name: 'ओपीडी कतार' }).waitFor();
      const queueList = page.getByRole('list', { name: 'टोकन' });
      await queueList.getByRole('listitem').filter({ hasText: 'कमला देवी' }).filter({ hasText: 'सामान्य ओपीडी' }).waitFor();
      await page.screenshot({ path: join(resultsDir, 'opd-queue-hi.png'), fullPage: true });

      // The other Kamla Devi was never seen here. A visit alone does not open her record: she shows
      // she is here with the code sent to her own mobile (the operator sees only its last four
      // digits), then the visit is registered and the record opens.
      await page.goto(`${base}/#/patients/${encodeURIComponent(other.id)}`);
      await page.getByText('यह रिकॉर्ड केवल उन्हीं संस्थानों के कर्मचारी देख सकते हैं').waitFor();
      const presence = page.getByRole('region', { name: 'दिखाएँ कि मरीज़ यहाँ मौजूद है' });
      await presence.getByRole('radio', { name: 'मरीज़ के मोबाइल पर कोड' }).check();
      await presence.getByRole('radio', { name: 'न फ़ोन, न कार्ड (ब्रेक-ग्लास)' }).waitFor();
      await presence.getByRole('button', { name: 'मरीज़ के मोबाइल पर कोड भेजें' }).click();
      await presence.getByText(`कोड XXXXXX${other.mobile.slice(-4)} पर भेजा गया।`).waitFor();
      assert.ok(!(await page.content()).includes(other.mobile), 'the operator never sees the number');
      // The development sender prints what it would have sent; wait for the n-th code to this number.
      const codeNumber = async (n: number) => {
        for (let i = 0; i < 100; i++) {
          const all = [...server.output().matchAll(new RegExp(`to ${other.mobile}: Swasthya: your code is (\\d{6})`, 'g'))];
          if (all.length >= n) return all[n - 1]![1]!;
          await page.waitForTimeout(100);
        }
        throw new Error(`code ${n} to ${other.mobile} not in the server log`);
      };
      const first = await codeNumber(1);
      const wrong = first === '000000' ? '111111' : '000000';
      await presence.getByLabel('मरीज़ के SMS का कोड').fill(wrong);
      await presence.getByRole('button', { name: 'पुष्टि करें और आगे बढ़ें' }).click();
      await presence.getByText('कोड गलत है या उसकी समय-सीमा समाप्त हो गई है').waitFor();
      await presence.getByRole('button', { name: 'नया कोड भेजें' }).click();
      await presence.getByLabel('मरीज़ के SMS का कोड').fill('');
      const code = await codeNumber(2);
      await presence.getByLabel('मरीज़ के SMS का कोड').fill(code);
      await page.screenshot({ path: join(resultsDir, 'patients-presence-hi.png'), fullPage: true });
      await presence.getByRole('button', { name: 'पुष्टि करें और आगे बढ़ें' }).click();
      await page.getByText('मरीज़ की उपस्थिति दर्ज हुई। यहाँ ओपीडी टोकन जारी करें:').waitFor();
      await page.getByRole('button', { name: 'यहाँ ओपीडी टोकन जारी करें' }).click();
      await page.getByRole('heading', { level: 1, name: /Kamla Devi/ }).waitFor();
      await page.getByText(other.stateNumber).first().waitFor();
    });
    if (cardSkipped) {
      console.log(cardSkipped);
      t.skip(cardSkipped);
    }
  });
});
