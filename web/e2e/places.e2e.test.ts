// Browser test of the Places screen (blocks, panchayats, villages), black-box: the real server (demo
// data) and Debian's Chromium. The administrator chooses Haryana and Hisar, adds a block and a
// village under it, renames the village, is told (by the server, on the field) that a name is taken,
// and imports a CSV of villages: a file with a bad row is refused row by row, the fixed file is
// imported. A Hisar district officer does the same in Hindi in Hisar, and cannot reach Mandi.
// A screenshot of each screen is saved in test-results/.
//   cd /work/main/web && npx vite build --outDir /tmp/web-x && cd .. && SWASTHYA_WEB_DIST=/tmp/web-x node --import tsx --test web/e2e/places.e2e.test.ts
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ADMIN_PASSWORD, apiCall, browserAvailable, browserSession } from './harness.ts';

const PASSWORD = 'Hisar-Places-Pass-1';
const VILLAGES_HEADER = 'S.No.,State Code,State Name,District Code,District Name,Block Code,Village Code,Village Name (In English),Village Name (In Local)';
const csv = (rows: string[]) => Buffer.from(`${VILLAGES_HEADER}\n${rows.join('\n')}\n`);

describe('places (browser)', () => {
  test('the admin and a district officer (in Hindi) add, rename and import blocks and villages', { timeout: 400_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    await browserSession('places', async ({ server, page, resultsDir }) => {
      const base = server.base;
      const shot = (name: string) => page.screenshot({ path: join(resultsDir, `places-${name}.png`), fullPage: true });
      const admin = await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD });

      // --- the administrator, in English
      await page.goto(`${base}/`);
      await page.getByLabel('Username').fill('admin');
      await page.getByLabel('Password').fill(ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Places' }).click();
      await page.getByRole('heading', { level: 1, name: 'Places' }).waitFor();
      await page.getByLabel('State').selectOption({ label: 'Haryana' });
      await page.getByRole('list', { name: 'Districts' }).getByRole('link', { name: 'Hisar', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: /^Hisar/ }).waitFor();
      await page.getByRole('link', { name: 'Hansi-I', exact: true }).waitFor();
      await shot('district');

      await page.getByLabel('Level', { exact: true }).selectOption('block');
      await page.getByLabel('Name in English').fill('Places Test Block');
      await page.getByLabel('Name in Hindi (Devanagari)').fill('परीक्षण ब्लॉक');
      await page.getByLabel('LGD code (if LGD has given one)').fill('990001');
      await page.getByRole('button', { name: 'Add place' }).click();
      await page.getByText('Block Places Test Block added.').waitFor();
      await page.getByRole('row').filter({ hasText: 'Places Test Block' }).getByRole('link', { name: 'Places Test Block' }).click();
      await page.getByRole('heading', { level: 1, name: /^Places Test Block/ }).waitFor();
      await page.getByLabel('Level', { exact: true }).selectOption('village');
      await page.getByLabel('Name in English').fill('Naya Gaon');
      await page.getByLabel('Name in Hindi (Devanagari)').fill('नया गाँव');
      await page.getByRole('button', { name: 'Add place' }).click();
      await page.getByText('Village Naya Gaon added.').waitFor();
      await page.getByText('1 place', { exact: true }).waitFor();
      await shot('block');

      await page.getByRole('button', { name: 'Edit Naya Gaon' }).click();
      await page.getByRole('heading', { level: 2, name: 'Edit Naya Gaon' }).waitFor();
      const edit = page.locator('form').filter({ has: page.getByRole('heading', { name: 'Edit Naya Gaon' }) });
      await edit.getByLabel('Name in English').fill('Naya Gaon Khurd');
      await shot('edit');
      await edit.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText('Naya Gaon Khurd saved.').waitFor();
      await page.getByRole('row').filter({ hasText: 'Naya Gaon Khurd' }).waitFor();

      // The server's 409, on the field it is about.
      await page.getByLabel('Level', { exact: true }).selectOption('village');
      await page.getByLabel('Name in English').fill('naya gaon khurd');
      await page.getByRole('button', { name: 'Add place' }).click();
      await page.getByText(/A village named "naya gaon khurd" is already under Places Test Block/).waitFor();
      await shot('name-taken');

      // Import: one bad row refuses the file, with its line; the fixed file goes in.
      await page.getByRole('navigation', { name: 'Where you are' }).getByRole('link', { name: 'Hisar' }).click();
      await page.getByRole('heading', { level: 2, name: 'Import from an LGD file (CSV)' }).waitFor();
      await page.getByLabel('What the file lists').selectOption('villages');
      await page.getByText(/^S\.No\.,State Code,State Name,District Code/).waitFor();
      await page.getByLabel('CSV file').setInputFiles({ name: 'villages.csv', mimeType: 'text/csv', buffer: csv([
        '1,6,HARYANA,63,HISAR,990001,990101,RAMPUR KALAN,रामपुर कलां',
        '2,6,HARYANA,63,HISAR,99999,990102,NOWHERE,',
      ]) });
      await page.getByRole('button', { name: 'Import file' }).click();
      await page.getByText(/1 row refused, nothing was imported/).waitFor();
      const report = page.getByRole('table', { name: 'Rows refused' });
      await report.getByRole('row').filter({ hasText: 'Block Code 99999 is not a known block' }).getByRole('cell', { name: '3', exact: true }).waitFor();
      await shot('import-refused');
      await page.getByLabel('CSV file').setInputFiles({ name: 'villages.csv', mimeType: 'text/csv', buffer: csv([
        '1,6,HARYANA,63,HISAR,990001,990101,RAMPUR KALAN,रामपुर कलां',
        '2,6,HARYANA,63,HISAR,990001,990102,SAMPLEPUR,सैंपलपुर',
      ]) });
      await page.getByRole('button', { name: 'Import file' }).click();
      await page.getByText('Imported: 2 added, 0 updated, 0 unchanged.').waitFor();
      await shot('import-done');
      await page.getByLabel('Search by name (English or Hindi)').fill('सैंपल');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('row').filter({ hasText: 'Samplepur' }).waitFor();
      await page.getByText(/1 place under here/).waitFor();
      await shot('search');
      const block = await apiCall<{ id: string; childCount: number }>(base, 'GET', '/api/geo/units/block:990001', admin.token);
      const page1 = await apiCall<{ total: number }>(base, 'GET', `/api/geo/units/${block.id}/places`, admin.token);
      assert.equal(page1.total, 3, 'Naya Gaon Khurd, Rampur Kalan, Samplepur');

      // --- a Hisar district officer, in Hindi
      const officer = `hisar_places_${Math.floor(Math.random() * 1e6)}`;
      await apiCall(base, 'POST', '/api/users', admin.token, { username: officer, password: PASSWORD, role: 'district_officer', orgUnit: 63 });
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByLabel('Username').fill(officer);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      await page.getByRole('button', { name: 'हिन्दी' }).click();
      await page.getByRole('navigation', { name: 'मुख्य' }).getByRole('link', { name: 'स्थान', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: /^हिसार/ }).waitFor();
      await page.getByLabel('स्तर', { exact: true }).selectOption('block');
      await page.getByLabel('अंग्रेज़ी में नाम').fill('Officer Block');
      await page.getByLabel('हिंदी में नाम (देवनागरी)').fill('अधिकारी ब्लॉक');
      await page.getByLabel('LGD कोड (यदि LGD ने दिया है)').fill('990002');
      await page.getByRole('button', { name: 'स्थान जोड़ें' }).click();
      await page.getByText('ब्लॉक अधिकारी ब्लॉक जोड़ा गया।').waitFor();
      await shot('officer-hi');
      await page.getByRole('row').filter({ hasText: 'Officer Block' }).getByRole('link', { name: 'Officer Block' }).click();
      await page.getByRole('heading', { level: 1, name: /^अधिकारी ब्लॉक/ }).waitFor();
      await page.getByLabel('स्तर', { exact: true }).selectOption('village');
      await page.getByLabel('अंग्रेज़ी में नाम').fill('Chak');
      await page.getByRole('button', { name: 'स्थान जोड़ें' }).click();
      await page.getByText('गाँव Chak जोड़ा गया।').waitFor();
      await page.getByRole('button', { name: 'Chak संपादित करें' }).click();
      const editHi = page.locator('form').filter({ has: page.getByRole('heading', { name: 'Chak बदलें' }) });
      await editHi.getByLabel('हिंदी में नाम (देवनागरी)').fill('चक');
      await editHi.getByRole('button', { name: 'बदलाव सहेजें' }).click();
      await page.getByText('चक सहेजा गया।').waitFor();
      await shot('officer-hi-block');
      await page.getByRole('navigation', { name: 'आप कहाँ हैं' }).getByRole('link', { name: 'हिसार' }).click();
      await page.getByLabel('फ़ाइल में क्या है').selectOption('villages');
      await page.getByLabel('CSV फ़ाइल').setInputFiles({ name: 'villages.csv', mimeType: 'text/csv', buffer: csv([
        '1,6,HARYANA,63,HISAR,990002,990201,KHERA,खेड़ा',
      ]) });
      await page.getByRole('button', { name: 'फ़ाइल आयात करें' }).click();
      await page.getByText('आयात हुआ: 1 जोड़े, 0 बदले, 0 वैसे ही।').waitFor();
      await shot('officer-hi-import');

      // Another district is out of reach: not on the screen, and refused by the server.
      const mandi = await apiCall<{ id: string }>(base, 'GET', '/api/geo/units/district:22', admin.token);
      await page.goto(`${base}/#/places/${mandi.id}`);
      await page.getByText(/आपके क्षेत्र से बाहर है/).waitFor();
      assert.equal(await page.getByRole('button', { name: 'स्थान जोड़ें' }).count(), 0);
      await shot('officer-outside');
      const login = await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: officer, password: PASSWORD });
      const refused = await fetch(`${base}/api/geo/units`, {
        method: 'POST', headers: { authorization: `Bearer ${login.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ parent: mandi.id, level: 'block', name: 'Not Mine' }),
      });
      assert.equal(refused.status, 403);
      const mandiImport = await fetch(`${base}/api/geo/units/import?level=villages`, {
        method: 'POST', headers: { authorization: `Bearer ${login.token}`, 'content-type': 'text/csv' },
        body: csv(['1,2,HIMACHAL PRADESH,22,MANDI,175,990301,BALH KHAS,']),
      });
      assert.equal(mandiImport.status, 403);

      // On a phone: the district's page fits the width (the table and the CSV sample scroll in their own boxes).
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${base}/#/places`);
      await page.getByRole('heading', { level: 1, name: /^हिसार/ }).waitFor();
      await page.getByRole('heading', { level: 2, name: 'LGD फ़ाइल (CSV) से आयात' }).waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      await shot('officer-phone');
      assert.ok(width <= 390, `the page is ${width}px wide on a 390px screen`);
    });
  });
});
