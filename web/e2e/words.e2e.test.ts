// Browser test of the UI's words: counts in their plural forms and codes in words, in English and
// Hindi. A new district officer of Patna (where the demo has no other users) sees "1 user", then
// "2 users" after creating a doctor; roles read as words, never as codes.
//   cd /work/main/web && npx vite build --outDir /tmp/web-words && cd .. &&
//   SWASTHYA_WEB_DIST=/tmp/web-words node --import tsx --test web/e2e/words.e2e.test.ts
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, apiCall, browserAvailable, browserSession } from './harness.ts';

const PASSWORD = 'Patna-Officer-Pass-7';

describe('words (browser)', () => {
  test('a count reads "1 user" and "2 users", roles read as words, in English and Hindi', { timeout: 300_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    await browserSession('words', ({ server, page, resultsDir }) => usersInWords(server.base, page, resultsDir));
  });
});

/** The steps, on a running server with the demo data. */
export async function usersInWords(base: string, page: Page, resultsDir: string): Promise<void> {
  const admin = await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD });
  const phc = (await apiCall<{ items: { id: string }[] }>(base, 'GET', '/api/facilities?district=212&type=PHC&limit=1', admin.token)).items[0];
  assert.ok(phc, 'Patna has a PHC in the demo data');
  const officer = `patna_cmo_${Math.floor(Math.random() * 1e6)}`;
  await apiCall(base, 'POST', '/api/users', admin.token, { username: officer, password: PASSWORD, role: 'district_officer', orgUnit: 212 });
  const mine = await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: officer, password: PASSWORD });
  const listed = await apiCall<{ total: number }>(base, 'GET', '/api/users', mine.token);
  assert.equal(listed.total, 1, 'the officer is Patna\'s only user');

  await page.goto(`${base}/`);
  await page.getByLabel('Username').fill(officer);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
  await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
  const meta = page.locator('.table-meta');
  await meta.getByText('1 user', { exact: true }).waitFor();
  const row = page.getByRole('row').filter({ hasText: officer });
  await row.getByRole('cell', { name: 'District officer (CMO)', exact: true }).waitFor();
  assert.equal(await page.getByRole('cell', { name: 'district_officer', exact: true }).count(), 0, 'no role shown as its code');

  await apiCall(base, 'POST', '/api/users', mine.token, { username: `${officer}_dr`, password: 'Kesar-Aam-Neem-42', role: 'doctor', orgUnit: phc.id });
  await page.reload();
  await meta.getByText('2 users', { exact: true }).waitFor();
  await page.screenshot({ path: join(resultsDir, 'words-en.png'), fullPage: true });

  await page.getByRole('button', { name: 'हिन्दी' }).click();
  await page.getByRole('heading', { level: 1, name: 'उपयोगकर्ता' }).waitFor();
  await meta.getByText('2 उपयोगकर्ता', { exact: true }).waitFor();
  await page.getByRole('row').filter({ hasText: `${officer}_dr` }).getByRole('cell', { name: 'डॉक्टर', exact: true }).waitFor();
  await page.screenshot({ path: join(resultsDir, 'words-hi.png'), fullPage: true });
}
