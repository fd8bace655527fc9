// Browser test of the receiving hospital's screen, black-box: the real server on a fresh data directory
// (demo data, with Hisar's demo ambulances at their bases) and Debian's Chromium through playwright-core.
// Through the API a dispatcher (made by the administrator) takes a call in Hisar, sends a vehicle and
// steps it to the scene. A facility operator of Civil Hospital Hisar signs in and opens "Incoming
// ambulances" from the menu: nothing is coming yet. The vehicle leaves the scene for the hospital; the
// next refresh (every 15 s) shows it on its way with its time to arrive; the operator acknowledges it
// and sees who and when, the button now disabled. Then the same screen in Hindi. Screenshots in test-results/.
//   cd /work/main/web && npx vite build --outDir /tmp/web-incoming && cd .. &&
//   SWASTHYA_WEB_DIST=/tmp/web-incoming SWASTHYA_REQUIRE_BROWSER=1 node --import tsx --test web/e2e/incoming.e2e.test.ts
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, apiCall, browserAvailable, browserSession } from './harness.ts';

const PASSWORD = 'Incoming-E2e-Pass-1';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's serious and critical findings on the page as it stands, one line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[]; html: string }[] }[] }> } }).axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}) ${v.help}: ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${n.html.slice(0, 160)}`).join(' | ')}`);
  });
}

describe('the receiving hospital sees the ambulance coming and acknowledges it (browser)', () => {
  test('empty at first; the vehicle that left the scene appears on the next refresh; acknowledged with who and when; in English and Hindi', { timeout: 300_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    await browserSession('incoming', async ({ server, page, resultsDir }) => {
      const base = server.base;
      const shot = (name: string) => page.screenshot({ path: join(resultsDir, `incoming-${name}.png`), fullPage: true });
      const admin = (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD })).token;
      const found = await apiCall<{ items: { id: string; name: string }[] }>(base, 'GET', `/api/facilities?q=${encodeURIComponent('Civil Hospital Hisar')}&limit=5`, admin);
      const hospital = found.items.find((i) => i.name === 'Civil Hospital Hisar');
      assert.ok(hospital, 'demo facility Civil Hospital Hisar');
      const suffix = Math.floor(Math.random() * 1e6);

      // The control room: a call in Hisar, the nearest vehicle sent, on the way, at the scene.
      const dispatcherName = `dispatch_in${suffix}`;
      await apiCall(base, 'POST', '/api/users', admin, { username: dispatcherName, password: PASSWORD, role: 'dispatcher', orgUnit: 'district:63' });
      const dispatcher = (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: dispatcherName, password: PASSWORD })).token;
      const call = await apiCall<{ id: string }>(base, 'POST', '/api/dispatch/calls', dispatcher, {
        callerPhone: '9812345678', callerName: 'Suresh Kumar', latitude: 29.15, longitude: 75.7, complaint: 'Fall from a roof, bleeding from the head', service: '108',
      });
      const assigned = await apiCall<{ tripId: string; registrationNumber: string }>(base, 'POST', `/api/dispatch/calls/${call.id}/assign`, dispatcher, {});
      const reg = assigned.registrationNumber;
      assert.match(reg, /^HR 39 GA \d{4}$/);
      const step = (body: object) => apiCall<{ status: string }>(base, 'POST', `/api/dispatch/trips/${assigned.tripId}/steps`, dispatcher, body);
      await step({ step: 'en_route' });
      await step({ step: 'at_scene' });

      // The hospital's operator, named so the acknowledgement shows a name.
      const operator = `clerk.in${suffix}`;
      await apiCall(base, 'POST', '/api/users', admin, { username: operator, password: PASSWORD, role: 'facility_operator', orgUnit: hospital.id, displayName: 'Meena Rani' });
      await page.goto(`${base}/#/login`);
      await page.locator('#login-username').fill(operator);
      await page.locator('#login-password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('header nav').waitFor();
      await page.locator('header nav').getByRole('link', { name: 'Incoming ambulances' }).click();
      await page.waitForFunction(() => window.location.hash === '#/ambulances/incoming');
      await page.getByRole('heading', { level: 1, name: 'Incoming ambulances' }).waitFor();
      await page.locator('header nav a[href="#/ambulances/incoming"][aria-current="page"]').waitFor();
      // At the scene, not yet coming here.
      await page.getByText('No ambulance is on its way to your facility right now.').waitFor();
      await shot('empty-en');

      // It leaves the scene for Civil Hospital Hisar: the screen shows it on the next refresh (15 s).
      const left = await step({ step: 'left_scene', destinationFacilityId: hospital.id });
      assert.equal(left.status, 'left_scene');
      const sent = Date.now();
      const row = page.locator('tr[data-trip]').filter({ hasText: reg });
      await row.waitFor({ timeout: 25_000 });
      console.log(`incoming e2e: the vehicle appeared ${Date.now() - sent} ms after it left the scene`);
      await row.getByText('Fall from a roof, bleeding from the head').waitFor();
      await row.getByText('108 emergency').waitFor();
      await row.getByText('On the way', { exact: true }).waitFor();
      await row.getByText(/^in about \d+ minutes?$/).waitFor();
      await row.getByText('Not yet').waitFor();
      await page.getByText('1 ambulance · 1 on the way').waitFor();
      await shot('coming-en');
      assert.deepEqual(await seriousViolations(page), [], 'the incoming screen has no serious or critical axe violation');

      // Acknowledged: who and when, the button disabled; the control room's record has the step.
      const ack = row.getByRole('button', { name: `Acknowledge ${reg}` });
      assert.equal(await ack.isEnabled(), true);
      await ack.click();
      await page.getByText(`${reg} acknowledged.`).waitFor();
      await row.getByText(/By Meena Rani at \d{2}:\d{2}$/).waitFor();
      await page.waitForFunction((r) => {
        const b = [...document.querySelectorAll('tr[data-trip] button')].find((x) => x.textContent === `Acknowledge ${r}`) as HTMLButtonElement | undefined;
        return !!b && b.disabled;
      }, reg);
      const detail = await apiCall<{ steps: { step: string; by: { name: string } | null }[] }>(base, 'GET', `/api/dispatch/calls/${call.id}`, dispatcher);
      const acked = detail.steps.find((s) => s.step === 'acknowledged');
      assert.ok(acked, 'the acknowledgement is a step of the call');
      assert.equal(acked.by?.name, 'Meena Rani');
      await shot('acknowledged-en');

      // The same screen in Hindi.
      await page.getByRole('button', { name: 'हिन्दी' }).click();
      await page.getByRole('heading', { level: 1, name: 'आने वाली एंबुलेंस' }).waitFor();
      await page.locator('header nav').getByRole('link', { name: 'आने वाली एंबुलेंस' }).waitFor();
      await row.getByText('रास्ते में', { exact: true }).waitFor();
      await row.getByText(/^लगभग \d+ मिनट में$/).waitFor();
      await row.getByText(/Meena Rani द्वारा, \d{2}:\d{2} बजे$/).waitFor();
      assert.equal(await row.getByRole('button', { name: `${reg} के आने की पुष्टि करें` }).isDisabled(), true);
      await page.getByText('1 एंबुलेंस · 1 रास्ते में').waitFor();
      await page.getByText(`${reg} के आने की पुष्टि दर्ज हुई।`).waitFor();
      await shot('acknowledged-hi');

      // The crew reports arrival; "Refresh now" shows it arrived, still acknowledged.
      await step({ step: 'at_hospital' });
      await page.getByRole('button', { name: 'अभी ताज़ा करें' }).click();
      await row.getByText('पहुँच गई', { exact: true }).waitFor();
      await row.getByText(/^\d{2}:\d{2} बजे पहुँची$/).waitFor();
      await row.getByText(/Meena Rani द्वारा/).waitFor();
      await page.getByText('1 एंबुलेंस · रास्ते में कोई नहीं').waitFor();
      await shot('arrived-hi');
    });
  });
});
