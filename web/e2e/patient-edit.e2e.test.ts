// Browser test of editing a patient and merging duplicates, black-box: the real server (demo data)
// and Debian's Chromium. A clerk of Civil Hospital Hisar edits a patient's details (once in English,
// once in Hindi); an edit made on a record someone else changed meanwhile shows the conflict message
// and the way to reload; then two records of one woman are compared side by side, merged, and the
// merge undone, each step confirmed in a dialog. Screenshots of each screen go to test-results/.
//   cd /work/main/web && npx vite build --outDir /tmp/web-x && cd .. &&
//   SWASTHYA_WEB_DIST=/tmp/web-x node --import tsx --test web/e2e/patient-edit.e2e.test.ts
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, apiCall, browserAvailable, browserSession, hindiPage } from './harness.ts';

const PASSWORD = 'Hisar-Clerk-Pass-1';

async function signIn(page: Page, base: string, username: string, lang: 'en' | 'hi') {
  await page.goto(`${base}/`);
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(PASSWORD);
  await page.getByRole('button', { name: lang === 'hi' ? 'साइन इन करें' : 'Sign in' }).click();
  await page.getByRole('button', { name: lang === 'hi' ? 'लॉग आउट' : 'Log out' }).waitFor();
}

describe('patient edit and merge (browser)', () => {
  test('a clerk edits a patient (English and Hindi), meets a stale edit, merges two duplicates and undoes the merge', { timeout: 300_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    await browserSession('patient-edit', async ({ server, page, resultsDir }) => {
      const base = server.base;
      const shot = (name: string, p: Page = page) => p.screenshot({ path: join(resultsDir, `patient-edit-${name}.png`), fullPage: true });
      const admin = (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD })).token;
      const found = await apiCall<{ items: { id: string; name: string }[] }>(base, 'GET', `/api/facilities?q=${encodeURIComponent('Civil Hospital Hisar')}&limit=5`, admin);
      const hospital = found.items.find((i) => i.name === 'Civil Hospital Hisar');
      assert.ok(hospital, 'demo facility Civil Hospital Hisar');
      const clerk = `clerk.edit${Math.floor(Math.random() * 1e6)}`;
      await apiCall(base, 'POST', '/api/users', admin, { username: clerk, password: PASSWORD, role: 'facility_operator', orgUnit: hospital.id });
      const token = (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: clerk, password: PASSWORD })).token;
      const register = (body: Record<string, unknown>) => apiCall<{ id: string; stateNumber: string }>(base, 'POST', '/api/patients', token, { sex: 'female', address: { district: 63 }, ...body });
      const kept = await register({ name: 'Sunita Devi', age: 31, mobile: '9812300011' });
      const twin = await register({ name: 'Sunita Devii', age: 31, mobile: '9812300011' });
      const other = await register({ name: 'Kamla Rani', age: 45 });
      const record = (id: string) => apiCall<{ name: string; nameHi: string | null; mobile: string | null; version: string; mergedInto: string | null }>(base, 'GET', `/api/patients/${id}`, token);

      // An edit in English: the name, its Hindi form and the mobile.
      await signIn(page, base, clerk, 'en');
      await page.goto(`${base}/#/patients/${kept.id}`);
      await page.getByRole('link', { name: 'Edit details' }).click();
      await page.getByRole('heading', { level: 1, name: 'Edit patient details' }).waitFor();
      assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'Sunita Devi');
      await page.getByLabel('Name in Hindi (Devanagari)').fill('सुनीता देवी');
      await page.getByLabel('Mobile').fill('98123 00012');
      await shot('edit-en');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText("The patient's details were saved.").waitFor();
      await page.getByRole('heading', { level: 1, name: /Sunita Devi/ }).waitFor();
      const edited = await record(kept.id);
      assert.equal(edited.nameHi, 'सुनीता देवी');
      assert.equal(edited.mobile, '9812300012');
      await shot('record-after-edit');

      // A stale edit: someone else saves while the form is open.
      await page.getByRole('link', { name: 'Edit details' }).click();
      await page.getByLabel('House, street, ward').fill('Ward 7, near the water tank');
      await apiCall(base, 'PATCH', `/api/patients/${kept.id}`, token, { version: edited.version, addressLine: 'Ward 9' });
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText('Someone else changed this record after you opened it').waitFor();
      await shot('edit-conflict');
      await page.getByRole('button', { name: 'Reload the record' }).click();
      await page.waitForFunction(() => (document.querySelector('#edit-addressLine') as HTMLInputElement | null)?.value === 'Ward 9');
      await page.getByLabel('House, street, ward').fill('Ward 7, near the water tank');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText("The patient's details were saved.").waitFor();

      // Merge the twin into the record kept: search, compare side by side, choose, confirm.
      await page.getByRole('link', { name: 'Merge with another record of this person' }).click();
      await page.getByRole('heading', { level: 1, name: 'Merge duplicate records' }).waitFor();
      await page.getByRole('searchbox', { name: 'Name, mobile, ABHA or patient number' }).fill(twin.stateNumber);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByRole('listitem').filter({ hasText: twin.stateNumber }).getByRole('button', { name: /^Compare/ }).click();
      const table = page.getByRole('table', { name: 'The two records side by side' });
      await table.waitFor();
      await table.getByText(twin.stateNumber).waitFor();
      await shot('merge-compare');
      await page.getByLabel('Keep record 1').check();
      await page.getByLabel('Why are these the same person?').fill('The same woman registered twice with one mobile');
      await page.getByRole('button', { name: 'Merge records' }).click();
      const confirm = page.getByRole('dialog', { name: 'Merge these records?' });
      await confirm.waitFor();
      await shot('merge-confirm');
      await confirm.getByRole('button', { name: 'Yes, merge' }).click();
      await page.getByText(`${twin.stateNumber} was merged into ${kept.stateNumber}.`).waitFor();
      assert.equal((await record(twin.id)).mergedInto, kept.id);
      await shot('merge-done');

      // The merge's history on the record, and its undoing (confirmed) from there.
      await page.getByRole('link', { name: 'Open the record kept' }).click();
      const merges = page.getByRole('region', { name: 'Merges' });
      await merges.getByText(`${twin.stateNumber}`, { exact: false }).first().waitFor();
      await shot('record-merge-history');
      await merges.getByRole('button', { name: 'Undo merge' }).click();
      const undo = page.getByRole('dialog', { name: 'Undo this merge?' });
      await undo.getByRole('button', { name: 'Keep merged' }).click();
      assert.equal((await record(twin.id)).mergedInto, kept.id, 'cancelled: still merged');
      await merges.getByRole('button', { name: 'Undo merge' }).click();
      await undo.getByRole('button', { name: 'Yes, undo the merge' }).click();
      await merges.getByText(/Undone by clerk\.edit/).waitFor();
      assert.equal((await record(twin.id)).mergedInto, null);
      await shot('record-merge-undone');

      // In Hindi, on a phone-sized screen: another clerk's edit of a name.
      const browser = page.context().browser();
      assert.ok(browser);
      const hi = await hindiPage(browser, { width: 390, height: 844 });
      await signIn(hi, base, clerk, 'hi');
      await hi.goto(`${base}/#/patients/${other.id}/edit`);
      await hi.getByRole('heading', { level: 1, name: 'मरीज़ का विवरण बदलें' }).waitFor();
      await hi.getByLabel('नाम', { exact: true }).fill('कमला रानी');
      await shot('edit-hi', hi);
      await hi.getByRole('button', { name: 'बदलाव सहेजें' }).click();
      await hi.getByText('मरीज़ का विवरण सहेजा गया।').waitFor();
      await hi.getByRole('heading', { level: 1, name: /कमला रानी/ }).waitFor();
      assert.equal((await record(other.id)).name, 'कमला रानी');
      await shot('record-hi', hi);
      await hi.context().close();
    });
  });
});
