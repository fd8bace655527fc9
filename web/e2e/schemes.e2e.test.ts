// Browser test of HIMCARE by panchayat (issue 15, "done means"), black-box: the real server as a child
// process (demo data) and Chromium through playwright-core.
// Through the API the administrator adds a hospital in Mandi, its operator, Mandi's district officer and
// Himachal's state officer, a gram panchayat with a village (fresh LGD code) and a patient with an ABHA
// number; the state officer empanels the hospital.
// On the screens: the district officer (English) imports a register of two families (the head matched by
// ABHA) on #/registers, sees the panchayat on #/schemes/coverage with 2 families and none with a card,
// enrols the first family on #/schemes/enrol and prints its card. The hospital's operator (Hindi) files a
// claim for the head with the card number and sees the admission on the head's record; the state officer (Hindi) approves it on the claims tab and
// sees the panchayat's figures in Hindi; the district officer's coverage now shows 1 of 2 families with a
// card (50%), 1 claim and ₹8,000 paid.
//   cd web && npx vite build --outDir /tmp/web-schemes && cd .. &&
//   SWASTHYA_WEB_DIST=/tmp/web-schemes SWASTHYA_REQUIRE_BROWSER=1 NODE_ENV=test node --import tsx --test web/e2e/schemes.e2e.test.ts
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, apiCall, browserAvailable, browserSession, randomAbha, signInAs, hindiPage } from './harness.ts';

const PASSWORD = 'Himcare-E2e-Pass-1';
const rand = () => Math.floor(Math.random() * 1e6);
const HEADER = 'family_id,member_id,name,name_hi,relation,sex,birth_year,birth_date,village_lgd,category,abha_number,mobile';

const signIn = (page: Page, base: string, username: string, hi = false) => signInAs(page, base, username, PASSWORD, hi);

/** The cells of a panchayat's row in the coverage table, as shown. */
async function coverageRow(page: Page, panchayat: string): Promise<string[]> {
  const row = page.getByTestId('scheme-coverage').locator('tbody tr', { has: page.getByRole('rowheader', { name: panchayat, exact: true }) });
  await row.waitFor();
  return (await row.locator('td').allInnerTexts()).map((s) => s.trim());
}

describe('HIMCARE by panchayat (browser)', () => {
  test('a register imported, a family enrolled and its card printed, a claim filed in Hindi and settled: the panchayat\'s figures change', { timeout: 300_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    await browserSession('schemes', async ({ server, page }) => {
      const base = server.base;
      const browser = page.context().browser();
      assert.ok(browser);
      const n = rand();
      const admin = (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD })).token;
      const hospitalName = `DH Himcare ${n}`;
      const hospital = await apiCall<{ id: string }>(base, 'POST', '/api/facilities', admin, {
        name: hospitalName, type: 'DH', ownership: 'public', system: 'allopathic', orgUnit: '22', latitude: 31.71, longitude: 76.93,
      });
      const [operator, district, state] = [`op_himcare_${n}`, `cmo_himcare_${n}`, `so_himcare_${n}`];
      await apiCall(base, 'POST', '/api/users', admin, { username: operator, password: PASSWORD, role: 'facility_operator', orgUnit: hospital.id });
      await apiCall(base, 'POST', '/api/users', admin, { username: district, password: PASSWORD, role: 'district_officer', orgUnit: '22' });
      await apiCall(base, 'POST', '/api/users', admin, { username: state, password: PASSWORD, role: 'state_officer', orgUnit: 'state:2' });
      const login = async (u: string) => (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: u, password: PASSWORD })).token;
      await apiCall(base, 'POST', '/api/schemes/himcare/hospitals', await login(state), { hospitalId: hospital.id, from: '2026-01-01' });
      // A gram panchayat of its own (so its figures start at nothing), with one village.
      const unit = async (parent: string, level: string, name: string, lgdCode?: number) =>
        (await apiCall<{ id: string }>(base, 'POST', '/api/geo/units', admin, { parent, level, name, ...(lgdCode ? { lgdCode } : {}) })).id;
      const gpName = `Himcare Panchayat ${n}`;
      const block = await unit('district:22', 'block', `Himcare Block ${n}`);
      const gp = await unit(block, 'panchayat', gpName);
      const villageLgd = 800000 + (n % 190000);
      await unit(gp, 'village', `Himcare Gaon ${n}`, villageLgd);
      // The family's head is a patient already (registered at the hospital with an ABHA number).
      const abha = randomAbha(true);
      const head = await apiCall<{ id: string }>(base, 'POST', '/api/patients', await login(operator), { name: 'Hem Raj Thakur', sex: 'male', age: 51, address: { district: 22 }, abha });
      const fam = (k: number) => `HP-E2E-${n}-${k}`;
      const register = [
        HEADER,
        `${fam(1)},M1,Hem Raj Thakur,हेम राज ठाकुर,head,M,${new Date().getFullYear() - 51},,${villageLgd},BPL,${abha},`,
        `${fam(1)},M2,Leela Devi,लीला देवी,wife,F,1978,,${villageLgd},BPL,,`,
        `${fam(2)},M1,Bhag Singh,,head,M,1960,,${villageLgd},APL,,`,
      ].join('\n');

      // ---- The district officer (English) imports the register on its screen.
      await signIn(page, base, district);
      await page.goto(`${base}/#/registers`);
      await page.getByLabel('Register file (CSV)').setInputFiles({ name: 'register.csv', mimeType: 'text/csv', buffer: Buffer.from(register) });
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      await page.getByTestId('register-import-result').getByText('Families added: 2', { exact: false }).waitFor();
      await page.getByTestId('register-import-result').getByText('linked: 1', { exact: false }).waitFor();

      // The panchayat's figures before: 2 register families, none with a card, no claims.
      await page.goto(`${base}/#/schemes/coverage`);
      const before = await coverageRow(page, gpName);
      assert.deepEqual(before.slice(0, 6), ['2', '0', '0%', '3', '0', '0'], `families, with a card, coverage, members, claims, per 1,000: ${before.join(' | ')}`);

      // ---- Enrols the first family (by the register's family id) and prints its card.
      await page.goto(`${base}/#/schemes/enrol`);
      const enrolForm = page.getByRole('form', { name: 'Enrol a family' });
      await enrolForm.getByLabel('Family (id, family number or register id)').fill(fam(1));
      await enrolForm.getByLabel('Category').selectOption('bpl');
      await enrolForm.getByRole('button', { name: 'Enrol and issue the card' }).click();
      const issued = await page.getByTestId('card-number').innerText();
      const cardNumber = /HC\d{14}/.exec(issued)?.[0];
      assert.ok(cardNumber, `a card number in "${issued}"`);
      assert.match(issued, /1 member/);
      const download = page.waitForEvent('download');
      await enrolForm.getByRole('button', { name: 'Print the card' }).click();
      assert.match((await download).suggestedFilename(), new RegExp(`himcare-${cardNumber}\\.pdf`));

      // ---- The hospital's operator (Hindi) files the claim: discharged the day of admission, so claimed at once.
      const op = await signIn(await hindiPage(browser), base, operator, true);
      await op.goto(`${base}/#/schemes/claims`);
      const claimForm = op.getByRole('form', { name: 'दावा दर्ज करें' });
      await claimForm.getByLabel('कार्ड संख्या').fill(cardNumber);
      await claimForm.getByLabel('सदस्य (मरीज़ आईडी)').fill(head.id);
      await claimForm.getByLabel('पैकेज').selectOption('MG001A');
      const admitted = await claimForm.getByLabel('भर्ती तिथि').inputValue();
      await claimForm.getByLabel('छुट्टी तिथि').fill(admitted);
      await claimForm.getByLabel('राशि').fill('8000');
      await claimForm.getByLabel('निदान (ICD-10)').fill('A09');
      await claimForm.getByRole('button', { name: 'दावा दर्ज करें' }).click();
      await op.getByTestId('claim-filed').getByText('दावा दर्ज हुआ: दावा किया गया।').waitFor();
      // The admission is on the patient's record (the operator registered the patient here, so may read it).
      await op.goto(`${base}/#/patients/${head.id}`);
      const admission = op.getByTestId('admissions');
      await admission.getByText('हिमकेयर दावा', { exact: false }).waitFor();
      await admission.getByText('A09', { exact: false }).first().waitFor();

      // ---- The state officer (Hindi) approves it, and sees the panchayat's figures.
      const so = await signIn(await hindiPage(browser), base, state, true);
      await so.goto(`${base}/#/schemes/claims`);
      const row = so.getByTestId('scheme-claims').locator('tr', { hasText: cardNumber });
      await row.getByRole('button', { name: 'स्वीकृत करें' }).click();
      await row.getByText('स्वीकृत', { exact: true }).waitFor();
      await so.goto(`${base}/#/schemes/coverage`);
      await so.getByRole('columnheader', { name: 'कार्ड वाले' }).waitFor();
      const inHindi = await coverageRow(so, gpName);
      assert.deepEqual(inHindi.slice(0, 2), ['2', '1']);
      assert.ok((inHindi[6] ?? '').includes('8,000'), `paid in Hindi: ${inHindi.join(' | ')}`);

      // ---- The district officer's figures for the panchayat have changed.
      await page.goto(`${base}/#/schemes/coverage`);
      const after = await coverageRow(page, gpName);
      assert.deepEqual(after.slice(0, 8), ['2', '1', '50%', '3', '1', '333.3', '₹8,000', '₹0'], `after: ${after.join(' | ')}`);
      assert.match(after[8] ?? '', /A09/);
    });
  });
});
