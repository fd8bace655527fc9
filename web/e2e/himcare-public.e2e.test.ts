// Browser test of HIMCARE's public figures (#/himcare, no sign-in), black-box: the real server as a child
// process (demo data: Mandi's gram panchayats and its demo family register) and Chromium through
// playwright-core. A visitor who has not signed in opens #/himcare: the figures of Himachal Pradesh (the
// scheme's state) by district, Mandi's row as the public API gives it. Through the API Mandi's district
// officer imports a register family of one (in a panchayat of its own, its head matched by ABHA) and
// enrols it; on reloading, Mandi has one family more with a card. In Hindi the
// page and Mandi's name change language; by block, the rows are Mandi's blocks. axe-core finds no
// serious or critical violation.
//   cd web && npx vite build --outDir /tmp/web-pub && cd .. &&
//   SWASTHYA_WEB_DIST=/tmp/web-pub SWASTHYA_REQUIRE_BROWSER=1 NODE_ENV=test node --import tsx --test web/e2e/himcare-public.e2e.test.ts
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, apiCall, browserAvailable, browserSession, randomAbha } from './harness.ts';

const PASSWORD = 'Himcare-Pub-Pass-1';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const HEADER = 'family_id,member_id,name,name_hi,relation,sex,birth_year,birth_date,village_lgd,category,abha_number,mobile';

interface Row { unitId: string; name: string; lgdCode: number | null; families: number; familiesEnrolled: number; claims: number }

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}) ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}

/** The cells of the table's row whose heading is `name`: [name, families, with a card, coverage, ...]. */
async function rowCells(page: Page, name: string): Promise<string[]> {
  const row = page.getByTestId('himcare-public').locator('tbody tr').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
  await row.waitFor();
  return (await row.locator('th, td').allInnerTexts()).map((s) => s.trim());
}

describe('HIMCARE public figures (browser)', () => {
  test('no sign-in: Himachal by district, a new card counted in Mandi\'s row, Hindi, by block', { timeout: 300_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    await browserSession('himcare-public', async ({ server, page, resultsDir }) => {
      const base = server.base;
      const year = new Date().getFullYear();
      const admin = (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD })).token;
      const officer = `cmo_pub_${Math.floor(Math.random() * 1e6)}`;
      await apiCall(base, 'POST', '/api/users', admin, { username: officer, password: PASSWORD, role: 'district_officer', orgUnit: '22' });
      const token = (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: officer, password: PASSWORD })).token;
      // A register family of one in a gram panchayat of its own, its head matched by ABHA to a patient (so the family has a member to enrol).
      const n = Math.floor(Math.random() * 1e5);
      const unit = async (parent: string, level: string, name: string, lgdCode?: number) =>
        (await apiCall<{ id: string }>(base, 'POST', '/api/geo/units', admin, { parent, level, name, ...(lgdCode ? { lgdCode } : {}) })).id;
      const block = await unit('district:22', 'block', `Public Block ${n}`);
      const gp = await unit(block, 'panchayat', `Public Panchayat ${n}`);
      const villageLgd = 810000 + (n % 180000);
      await unit(gp, 'village', `Public Gaon ${n}`, villageLgd);
      const abha = randomAbha(true);
      const phc = await apiCall<{ id: string }>(base, 'POST', '/api/facilities', admin, { name: `PHC Public ${n}`, type: 'PHC', ownership: 'public', system: 'allopathic', orgUnit: '22', latitude: 31.71, longitude: 76.93 });
      await apiCall(base, 'POST', '/api/patients', admin, { name: 'Prem Chand Rana', sex: 'male', age: 47, address: { district: 22 }, abha, facilityId: phc.id });
      const csv = `${HEADER}\nHP-PUB-${n},M1,Prem Chand Rana,,head,M,${year - 47},,${villageLgd},BPL,${abha},\n`;
      const imported = await fetch(`${base}/api/families/import`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: csv });
      assert.equal(imported.status, 200, await imported.text());
      const figures = async () => (await apiCall<{ state: { lgdCode: number }; items: Row[] }>(base, 'GET', `/api/public/schemes/himcare/coverage?by=district&year=${year}`, null));
      const before = await figures();
      assert.equal(before.state.lgdCode, 2, 'the scheme\'s own state when none is named');
      const mandi = before.items.find((r) => r.lgdCode === 22)!;
      assert.ok(mandi.families > 0, 'the demo register has Mandi families');

      // ---- Not signed in: the page, not the sign-in form.
      await page.goto(`${base}/#/himcare`);
      await page.getByRole('heading', { name: 'HIMCARE in figures' }).waitFor();
      await page.getByText('Himachal Pradesh\'s register', { exact: false }).waitFor();
      assert.equal(await page.getByLabel('Password').count(), 0, 'no sign-in asked');
      const cells = await rowCells(page, 'Mandi');
      assert.deepEqual(cells.slice(0, 3), ['Mandi', String(mandi.families), String(mandi.familiesEnrolled)]);
      assert.deepEqual(await seriousViolations(page), []);
      await page.screenshot({ path: join(resultsDir, 'himcare-public-district.png'), fullPage: true });

      // ---- A family of the register enrolled by Mandi's officer: one more card in Mandi's row.
      const family = (await apiCall<{ items: { id: string }[] }>(base, 'GET', `/api/families?panchayat=${gp}&enrolled=false`, token)).items[0];
      assert.ok(family, 'the new family, without a card');
      await apiCall(base, 'POST', '/api/schemes/himcare/enrolments', token, { familyId: family.id, category: 'bpl' });
      await page.reload();
      await page.getByTestId('himcare-public').waitFor();
      await page.waitForFunction((n) => {
        const row = [...document.querySelectorAll('[data-testid="himcare-public"] tbody tr')].find((r) => r.querySelector('th')?.textContent?.trim() === 'Mandi');
        return row?.querySelectorAll('td')[1]?.textContent?.trim() === String(n);
      }, mandi.familiesEnrolled + 1);

      // ---- In Hindi: the heading and Mandi's name.
      await page.getByRole('button', { name: 'हिन्दी' }).click();
      await page.getByRole('heading', { name: 'हिमकेयर के आँकड़े' }).waitFor();
      assert.equal((await rowCells(page, 'मंडी'))[2], String(mandi.familiesEnrolled + 1));

      // ---- By block: Mandi's blocks as rows, the address keeps the choice.
      await page.getByLabel('पंक्तियाँ', { exact: false }).selectOption('block');
      await page.waitForFunction(() => /by=block/.test(window.location.hash));
      const blocks = (await apiCall<{ items: Row[] }>(base, 'GET', `/api/public/schemes/himcare/coverage?by=block&year=${year}`, null)).items;
      assert.ok(blocks.length > 0);
      await page.getByTestId('himcare-public').getByRole('columnheader', { name: 'ब्लॉक' }).waitFor();
      assert.equal(await page.getByTestId('himcare-public').locator('tbody tr').count(), blocks.length);
      assert.deepEqual(await seriousViolations(page), []);
      await page.screenshot({ path: join(resultsDir, 'himcare-public-block-hi.png'), fullPage: true });
    });
  });
});
