// Browser test of the dispatcher's screen, black-box: the real server on a fresh data directory
// (demo data, with Hisar's demo ambulances at their bases) and Debian's Chromium through playwright-core.
// A dispatcher (made by the administrator through the API) signs in and lands on the live map, takes
// a call by clicking the map, assigns the suggested vehicle, and watches its marker move as its
// tracker's positions are posted to /api/positions (each move on screen within a few seconds); the
// trip goes on its way. Then the screen once in Hindi. Screenshots are saved in test-results/.
//   cd /work/main/web && npx vite build --outDir /tmp/web-dispatch && cd .. &&
//   SWASTHYA_WEB_DIST=/tmp/web-dispatch SWASTHYA_REQUIRE_BROWSER=1 node --import tsx --test web/e2e/dispatch.e2e.test.ts
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, apiCall, browserAvailable, browserSession } from './harness.ts';

const PASSWORD = 'Dispatch-E2e-Pass-1';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's serious and critical findings on the page as it stands, one line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[]; html: string }[] }[] }> } }).axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}) ${v.help}: ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${n.html.slice(0, 160)}`).join(' | ')}`);
  });
  return found;
}

/** Where the vehicle's marker is drawn on the page (its centre), or null when it is not drawn. */
async function markerAt(page: Page, ambulanceId: string): Promise<{ x: number; y: number } | null> {
  const box = await page.locator(`[data-vehicle="${ambulanceId}"]`).boundingBox();
  return box ? { x: Math.round(box.x + box.width / 2), y: Math.round(box.y + box.height / 2) } : null;
}

describe('the dispatcher takes a call and follows the ambulance (browser)', () => {
  test('a call placed by a click on the map, the suggested vehicle assigned, its marker moves as positions arrive; in English and Hindi', { timeout: 300_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    await browserSession('dispatch', async ({ server, page, resultsDir }) => {
      const base = server.base;
      const shot = (name: string) => page.screenshot({ path: join(resultsDir, `dispatch-${name}.png`), fullPage: true });
      const admin = await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD });
      const username = `dispatch_${Math.floor(Math.random() * 1e6)}`;
      await apiCall(base, 'POST', '/api/users', admin.token, { username, password: PASSWORD, role: 'dispatcher', orgUnit: 'district:63' });

      await page.goto(`${base}/#/login`);
      await page.locator('#login-username').fill(username);
      await page.locator('#login-password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      // The dispatcher starts on the live map.
      await page.waitForFunction(() => window.location.hash === '#/dispatch');
      await page.getByRole('heading', { level: 1, name: 'Ambulance dispatch' }).waitFor();
      await page.locator('.dispatch-live.on').waitFor();
      await page.locator('header nav a[href="#/dispatch"][aria-current="page"]').waitFor();
      // Hisar's demo fleet is drawn (outlines only: no tile server here).
      await page.locator('[data-vehicle]').first().waitFor();
      assert.ok(await page.locator('[data-vehicle]').count() >= 5, 'the demo vehicles of Hisar are on the map');
      await page.getByText('No map tiles are configured').waitFor();
      await shot('map-en');
      assert.deepEqual(await seriousViolations(page), [], 'the call-taking screen has no serious or critical axe violation');

      // The call: the place by a click on the map, a little way from the town's vehicles.
      await page.getByLabel("Caller's phone").fill('9812345678');
      await page.getByLabel("Caller's name").fill('Suresh Kumar');
      await page.getByLabel('Chief complaint').fill('Fall from a roof, bleeding from the head');
      await page.getByLabel('108 emergency').check();
      const map = page.getByTestId('dispatch-map');
      const box = (await map.boundingBox())!;
      const fleet = await page.locator('[data-vehicle]').evaluateAll((els) => els.map((e) => e.getAttribute('data-vehicle')!));
      const town = (await markerAt(page, fleet[0]!))!;
      // 60 px left of a vehicle, inside the map, away from every marker.
      const click = { x: Math.max(box.x + 20, town.x - 60), y: Math.min(box.y + box.height - 20, town.y + 40) };
      await page.mouse.click(click.x, click.y);
      await page.getByText(/^Place: \d+\.\d+, \d+\.\d+/).waitFor();
      await shot('call-placed-en');
      await page.getByRole('button', { name: 'Save call' }).click();
      await page.getByText('Call saved. Assign a vehicle.').waitFor();

      // The suggested vehicles, nearest first; the first is assigned.
      const suggested = page.getByRole('list', { name: 'Suggested vehicles' });
      await suggested.getByRole('listitem').first().waitFor();
      const first = (await suggested.getByRole('listitem').first().locator('strong').innerText()).trim();
      assert.match(first, /^HR 39 GA \d{4}$/);
      await shot('suggested-en');
      await suggested.getByRole('button', { name: `Assign ${first}` }).click();
      await page.getByText(`${first} assigned to the call.`).waitFor();
      await page.getByRole('heading', { name: `Trip of ${first}` }).waitFor();
      const found = await apiCall<{ items: { id: string; deviceId: string; registrationNumber: string; status: string; position: { latitude: number; longitude: number } }[] }>(
        base, 'GET', `/api/ambulances?q=${encodeURIComponent(first.replace(/ /g, ''))}`, admin.token);
      const vehicle = found.items.find((v) => v.registrationNumber === first)!;
      assert.ok(vehicle, `vehicle ${first}`);
      assert.equal(vehicle.status, 'dispatched');
      // Its marker turns to the dispatched colour.
      await page.locator(`[data-vehicle="${vehicle.id}"].veh-dispatched`).waitFor();

      // Its tracker reports: each position moves the marker on screen within a few seconds.
      let at = (await markerAt(page, vehicle.id))!;
      const waits: number[] = [];
      for (let i = 1; i <= 3; i++) {
        const fix = { deviceId: vehicle.deviceId, latitude: vehicle.position.latitude - 0.006 * i, longitude: vehicle.position.longitude - 0.008 * i, fixTime: new Date().toISOString(), speedKmh: 38 };
        const sent = Date.now();
        const r = await apiCall<{ accepted: number }>(base, 'POST', '/api/positions', null, { positions: [fix] });
        assert.equal(r.accepted, 1);
        let now = at;
        while (Date.now() - sent < 5_000) {
          now = (await markerAt(page, vehicle.id)) ?? at;
          if (now.x !== at.x || now.y !== at.y) break;
          await page.waitForTimeout(50);
        }
        assert.ok(now.x < at.x && now.y > at.y, `the marker moved south-west after position ${i}: from ${JSON.stringify(at)} to ${JSON.stringify(now)}`);
        waits.push(Date.now() - sent);
        at = now;
      }
      console.log(`dispatch e2e: position to marker moved on screen in ${waits.join(', ')} ms`);
      assert.ok(waits.every((w) => w < 3_000), `each move within 3 s: ${waits.join(', ')} ms`);
      await shot('moving-en');

      // The trip goes on: on the way, then at the scene.
      await page.getByRole('button', { name: 'On the way' }).click();
      await page.getByText('Recorded: On the way.').waitFor();
      await page.getByText('Now: On the way').waitFor();
      await page.getByRole('button', { name: 'At the scene' }).click();
      await page.getByText('Recorded: At the scene.').waitFor();
      await page.locator(`[data-vehicle="${vehicle.id}"].veh-on_trip`).waitFor();
      const open = page.getByRole('list', { name: 'Open calls' });
      await open.getByText('Fall from a roof, bleeding from the head').waitFor();
      await shot('trip-en');
      assert.deepEqual(await seriousViolations(page), [], 'the trip screen has no serious or critical axe violation');

      // The same screen in Hindi.
      await page.getByRole('button', { name: 'हिन्दी' }).click();
      await page.getByRole('heading', { level: 1, name: 'एंबुलेंस डिस्पैच' }).waitFor();
      await page.getByText('अभी: घटनास्थल पर').waitFor();
      await page.getByRole('button', { name: 'घटनास्थल से रवाना' }).waitFor();
      await page.getByRole('list', { name: 'खुली कॉल' }).getByRole('listitem').first().waitFor();
      // The marker keeps moving in Hindi too.
      const before = (await markerAt(page, vehicle.id))!;
      await apiCall(base, 'POST', '/api/positions', null, { positions: [{ deviceId: vehicle.deviceId, latitude: vehicle.position.latitude - 0.03, longitude: vehicle.position.longitude - 0.03, fixTime: new Date().toISOString() }] });
      await page.waitForFunction(([id, x, y]) => {
        const r = document.querySelector(`[data-vehicle="${id}"]`)?.getBoundingClientRect();
        return !!r && (Math.round(r.x + r.width / 2) !== x || Math.round(r.y + r.height / 2) !== y);
      }, [vehicle.id, before.x, before.y] as const, { timeout: 5_000 });
      await shot('trip-hi');
    });
  });
});
