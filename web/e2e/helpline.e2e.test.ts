// Browser test of the 104 helpline's call form, black-box: the real server on a copy of the demo data
// and Debian's Chromium through playwright-core. A Haryana helpline agent (made by the administrator
// through the API) signs in, in Hindi, lands on the call form and logs a medical advice call about a
// fever with a red flag (a stiff neck): the disposition shown is emergency (आपातकाल), as the server
// worked it out. Then an ambulance call with the caller's GPS position: it becomes a call in the
// ambulance control room, which the district's dispatcher reads through the API.
//   cd web && npx vite build --outDir /tmp/web-helpline && cd .. &&
//   SWASTHYA_WEB_DIST=/tmp/web-helpline SWASTHYA_REQUIRE_BROWSER=1 node --import tsx --test web/e2e/helpline.e2e.test.ts
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ADMIN_PASSWORD, apiCall, browserAvailable, browserSession } from './harness.ts';

const PASSWORD = 'Helpline-E2e-Pass-1';

describe('the helpline agent logs calls (browser)', () => {
  test('an advice call in Hindi with a red flag shows the disposition emergency; an ambulance call becomes a dispatch call', { timeout: 300_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    await browserSession('helpline', async ({ server, page, resultsDir }) => {
      const base = server.base;
      const shot = (name: string) => page.screenshot({ path: join(resultsDir, `helpline-${name}.png`), fullPage: true });
      const admin = await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD });
      const username = `agent_${Math.floor(Math.random() * 1e6)}`;
      await apiCall(base, 'POST', '/api/users', admin.token, { username, password: PASSWORD, role: 'helpline_agent', orgUnit: 'state:6' });
      const dispatcherName = `dsp_${Math.floor(Math.random() * 1e6)}`;
      await apiCall(base, 'POST', '/api/users', admin.token, { username: dispatcherName, password: PASSWORD, role: 'dispatcher', orgUnit: 'district:63' });
      const dispatcher = await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: dispatcherName, password: PASSWORD });

      await page.addInitScript(() => { if (!localStorage.getItem('swasthya.lang')) localStorage.setItem('swasthya.lang', 'hi'); });
      await page.goto(`${base}/#/login`);
      await page.locator('#login-username').fill(username);
      await page.locator('#login-password').fill(PASSWORD);
      await page.getByRole('button', { name: 'साइन इन करें' }).click();
      // The agent starts on the call form.
      await page.waitForFunction(() => window.location.hash === '#/helpline');
      await page.getByRole('heading', { level: 1, name: '104 हेल्पलाइन: कॉल दर्ज करें' }).waitFor();
      await page.locator('header nav a[href="#/helpline"][aria-current="page"]').waitFor();

      // Medical advice (the default category): fever, with a stiff neck. Keyboard first: the number, Enter looks the caller up.
      const mobile = page.getByLabel('कॉल करने वाले का मोबाइल');
      await mobile.fill('98120 45678');
      await mobile.press('Enter');
      await page.getByText('इस नंबर से कोई मरीज़ पंजीकृत नहीं है: नया कॉलर।').waitFor();
      await page.getByLabel('कॉल करने वाले का नाम').fill('रामपाल');
      await page.getByLabel('कॉल की भाषा').selectOption('hi');
      await page.getByLabel('शिकायत चुनें').selectOption('fever');
      await page.getByText('उत्तरों के अनुसार निर्णय: घर पर देखभाल').waitFor();
      await page.getByLabel('गर्दन में अकड़न, या दबाने पर न मिटने वाले दाने').check();
      await page.getByText('उत्तरों के अनुसार निर्णय: आपातकाल').waitFor();
      await page.getByLabel('दी गई सलाह').fill('तुरंत ज़िला अस्पताल जाएँ; 108 बुलाएँ');
      await shot('advice-hi');
      await page.getByRole('button', { name: 'कॉल सहेजें' }).click();
      const saved = page.getByTestId('disposition');
      await saved.waitFor();
      assert.match(await saved.innerText(), /निर्णय: आपातकाल/);
      const calls = await apiCall<{ items: { id: string; disposition: string; redFlags: string[]; language: string }[] }>(base, 'GET', '/api/helpline/calls?mine=true', await agentToken());
      const last = calls.items[0]!;
      assert.equal(last.disposition, 'emergency');
      assert.deepEqual(last.redFlags, ['stiff_neck_or_rash']);
      assert.equal(last.language, 'hi');
      await shot('advice-saved-hi');

      // An ambulance call with the caller's GPS position: passed to the control room.
      await mobile.fill('98120 45679');
      await page.getByLabel('एम्बुलेंस', { exact: true }).check();
      await page.getByLabel('क्या हुआ').fill('सड़क दुर्घटना, एक घायल');
      await page.getByLabel('कॉल करने वाले का स्थान (अक्षांश, देशांतर)').fill('29.15, 75.72');
      await page.getByRole('button', { name: 'कॉल सहेजें' }).click();
      const ambulance = page.getByTestId('ambulance');
      await ambulance.waitFor();
      const text = await ambulance.innerText();
      const id = /कॉल ([A-Za-z0-9_-]+)\)/.exec(text)?.[1];
      assert.ok(id, `the dispatch call's id is shown: ${text}`);
      const d = await apiCall<{ status: string; complaint: string; districtName: string }>(base, 'GET', `/api/dispatch/calls/${id}`, dispatcher.token);
      assert.equal(d.status, 'waiting');
      assert.equal(d.complaint, 'सड़क दुर्घटना, एक घायल');
      await shot('ambulance-hi');

      async function agentToken() {
        return (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username, password: PASSWORD })).token;
      }
    });
  });
});
