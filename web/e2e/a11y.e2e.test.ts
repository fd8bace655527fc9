// Accessibility browser test: axe-core (Deque's rules, WCAG 2.x A/AA and best practice) run in
// Chromium on the HMIS entry and returns screens, analytics, the map, and the telemedicine screens
// of the CHO, the doctor and the hub, each signed in as the demo user who works there (README). No
// violation of impact "serious" or "critical" may remain; what axe found is printed, and a
// screenshot of each screen is saved in test-results/. The patient record, edit and merge screens too.
//   cd /work/main/web && npx vite build --outDir /tmp/web-x && cd .. &&
//   SWASTHYA_WEB_DIST=/tmp/web-x node --import tsx --test web/e2e/a11y.e2e.test.ts
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, apiCall, browserAvailable, browserSession } from './harness.ts';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const PASSWORD = 'A11y-Clerk-Pass-1';

interface AxeNode { target: string[]; html: string; failureSummary?: string }
interface AxeViolation { id: string; impact: string | null; help: string; nodes: AxeNode[] }

/** Runs axe on the page as it stands; the violations of impact serious or critical. */
async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: AxeViolation[] }> } }).axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 200), failureSummary: n.failureSummary })) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

async function signedIn(browser: Browser, base: string, username: string, password: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-IN' });
  await context.addInitScript(() => { if (!localStorage.getItem('swasthya.lang')) localStorage.setItem('swasthya.lang', 'en'); });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(`${base}/`);
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
  return page;
}

/** Opens a screen and waits until it has drawn: its heading, and no loading notice left. */
async function open(page: Page, base: string, hash: string): Promise<void> {
  await page.goto(`${base}/${hash}`);
  await page.locator('main h1, h1').first().waitFor();
  await page.waitForFunction(() => !document.body.innerText.includes('Loading…'), undefined, { timeout: 30_000 }).catch(() => undefined);
  await page.waitForTimeout(1500);
}

describe('accessibility (browser, axe-core)', () => {
  test('HMIS entry and returns, analytics, map, and the CHO, doctor and hub screens have no serious or critical axe violations', { timeout: 600_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    await browserSession('a11y', async ({ server, page, resultsDir }) => {
      const base = server.base;
      const browser = page.context().browser();
      assert.ok(browser);
      const admin = (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD })).token;
      const found = await apiCall<{ items: { id: string; name: string }[] }>(base, 'GET', `/api/facilities?q=${encodeURIComponent('Civil Hospital Hisar')}&limit=5`, admin);
      const hospital = found.items.find((i) => i.name === 'Civil Hospital Hisar');
      assert.ok(hospital, 'demo facility Civil Hospital Hisar');
      const clerk = `clerk.a11y${Math.floor(Math.random() * 1e6)}`;
      await apiCall(base, 'POST', '/api/users', admin, { username: clerk, password: PASSWORD, role: 'facility_operator', orgUnit: hospital.id });
      const clerkToken = (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: clerk, password: PASSWORD })).token;
      const patient = await apiCall<{ id: string }>(base, 'POST', '/api/patients', clerkToken, { name: 'Sunita Devi', nameHi: 'सुनीता देवी', sex: 'female', age: 31, address: { district: 63 } });

      const screens: { who: [string, string]; name: string; hash: string }[] = [
        { who: [clerk, PASSWORD], name: 'hmis-entry', hash: '#/hmis/entry' },
        { who: ['cmo.mandi', ADMIN_PASSWORD], name: 'hmis-returns', hash: '#/hmis/returns' },
        { who: ['cmo.mandi', ADMIN_PASSWORD], name: 'analytics', hash: '#/analytics' },
        { who: ['cmo.mandi', ADMIN_PASSWORD], name: 'map', hash: '#/map' },
        { who: ['cho.spoke', ADMIN_PASSWORD], name: 'telemedicine-cho', hash: '#/telemedicine' },
        { who: ['dr.nerchowk', ADMIN_PASSWORD], name: 'telemedicine-doctor', hash: '#/telemedicine/doctor' },
        { who: ['hub.nerchowk', ADMIN_PASSWORD], name: 'telemedicine-hub', hash: '#/telemedicine/hub' },
        // the patient record, edit and merge screens (patients/PatientEditPage.tsx, MergePanel.tsx)
        { who: [clerk, PASSWORD], name: 'patient-record', hash: `#/patients/${patient.id}` },
        { who: [clerk, PASSWORD], name: 'patient-edit', hash: `#/patients/${patient.id}/edit` },
        { who: [clerk, PASSWORD], name: 'patient-merge', hash: `#/patients/${patient.id}/merge` },
      ];
      const pages = new Map<string, Page>();
      const failures: string[] = [];
      for (const s of screens) {
        let p = pages.get(s.who[0]);
        if (!p) { p = await signedIn(browser, base, s.who[0], s.who[1]); pages.set(s.who[0], p); }
        await open(p, base, s.hash);
        await p.screenshot({ path: join(resultsDir, `a11y-${s.name}.png`), fullPage: true });
        const found = await seriousViolations(p);
        for (const v of found) {
          const where = v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${n.html}`).join(' | ');
          failures.push(`${s.name}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.length} element(s): ${where}`);
        }
        console.log(`a11y ${s.name}: ${found.length ? found.map((v) => `${v.id}×${v.nodes.length}`).join(', ') : 'no serious or critical violations'}`);
      }
      for (const p of pages.values()) await p.context().close();
      assert.deepEqual(failures, [], failures.join('\n'));
    });
  });
});
