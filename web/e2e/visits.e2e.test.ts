// Browser test of OPD visits and documents on a patient's record, black-box: the real server as a
// child process on a fresh data directory (demo data, and the ICD-10 list loaded with the real
// import command) and Debian's Chromium through playwright-core.
// A PHC's operator opens a patient's record, records a visit (complaint, vitals, a diagnosis found
// by searching the ICD-10 list, a prescription), is stopped by a vital sign out of range on the way,
// uploads a PDF report (a text file is refused first) and downloads it again.
//   cd /work/main && npm run build -w web && node --import tsx --test web/e2e/visits.e2e.test.ts
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { ADMIN_PASSWORD, apiCall, browserAvailable, browserSession, ROOT } from './harness.ts';

const USER_PASSWORD = 'Visits-E2e-Pass-1';
const ICD_CSV = resolve(ROOT, '..', 'shared', 'data', 'codes', 'icd10cm_2018_categories.csv');

/** Loads the ICD-10 code list through the real import command, as an operator would. */
function importIcd(dataDir: string): void {
  assert.ok(existsSync(ICD_CSV), `ICD-10 list missing: ${ICD_CSV}`);
  const r = spawnSync(process.execPath, [join(ROOT, 'server', 'bin', 'swasthya.mjs'), 'import', 'icd10', ICD_CSV], {
    cwd: ROOT,
    env: { ...process.env, SWASTHYA_DATA_DIR: dataDir, SWASTHYA_ADMIN_PASSWORD: ADMIN_PASSWORD, SWASTHYA_DEMO: '0' },
    encoding: 'utf8',
    timeout: 180_000,
  });
  assert.equal(r.status, 0, `swasthya import icd10 failed:\n${r.stdout}\n${r.stderr}`);
}

/** A small but real one-page PDF. */
function tinyPdf(): Buffer {
  return Buffer.from(
    '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
    'latin1',
  );
}

describe('OPD visits and documents on the patient record (browser)', () => {
  test('record a visit with an ICD-10 diagnosis, upload a PDF, see both listed', { timeout: 300_000 }, async (t) => {
    if (!browserAvailable(t)) return;

    await browserSession('visits', async ({ server, page, resultsDir }) => {
      const base = server.base;
      const admin = await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD });
      const phc = (await apiCall<{ items: { id: string }[] }>(base, 'GET', '/api/facilities?district=63&type=PHC&limit=1', admin.token)).items[0];
      assert.ok(phc, 'Hisar has a PHC in the demo data');
      const operator = `hisar_opd_${Math.floor(Math.random() * 1e6)}`;
      await apiCall(base, 'POST', '/api/users', admin.token, { username: operator, password: USER_PASSWORD, role: 'facility_operator', orgUnit: phc.id });
      const op = await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: operator, password: USER_PASSWORD });
      const patient = await apiCall<{ id: string; stateNumber: string }>(base, 'POST', '/api/patients', op.token, {
        name: 'Sunita Devi', sex: 'female', age: 41, address: { district: 63 },
      });

      await page.goto(`${base}/#/login`);
      await page.getByLabel('Username').fill(operator);
      await page.getByLabel('Password').fill(USER_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Log out' }).waitFor();
      await page.goto(`${base}/#/patients/${encodeURIComponent(patient.id)}`);
      await page.getByRole('heading', { level: 1, name: /Sunita Devi/ }).waitFor();
      const visits = page.getByRole('region', { name: 'OPD visits' });
      await visits.getByText('No OPD visit is recorded yet.').waitFor();

      // A new visit: complaint, vitals, a diagnosis searched by words, a prescription line.
      await visits.getByRole('button', { name: 'Record a visit' }).click();
      await page.getByLabel('Chief complaint').fill('Fever and cough for three days');
      await page.getByLabel('BP systolic (mmHg)').fill('130');
      await page.getByLabel('BP diastolic (mmHg)').fill('85');
      await page.getByLabel('Pulse (per minute)').fill('300');
      await page.getByLabel('Temperature (°C)').fill('38.4');
      await page.getByLabel('Weight (kg)').fill('61');
      await page.getByLabel('SpO₂ (%)').fill('96');
      await page.getByLabel('Diagnosis (ICD-10)').fill('pneumonia, unspecified');
      await page.getByRole('listbox', { name: 'Matching ICD-10 codes' }).getByRole('option', { name: /J18\s+Pneumonia, unspecified organism/ }).click();
      await page.getByRole('list', { name: 'Diagnoses chosen' }).getByText('Pneumonia, unspecified organism').waitFor();
      const rx = page.getByRole('group', { name: 'Medicine 1' });
      await rx.getByLabel('Medicine').fill('Amoxicillin 500 mg');
      await rx.getByLabel('Dose').fill('1 capsule');
      await rx.getByLabel('How often').fill('three times a day');
      await rx.getByLabel('Days').fill('5');
      await page.getByRole('button', { name: 'Save visit' }).click();
      // The pulse is out of range: said beside the field, nothing sent.
      await page.getByText('Must be between 20 and 250 /min.').waitFor();
      await page.getByLabel('Pulse (per minute)').fill('96');
      await page.getByRole('button', { name: 'Save visit' }).click();
      await page.getByText('Visit recorded. Diagnoses: J18 Pneumonia, unspecified organism.').waitFor();

      const visit = visits.getByRole('listitem').filter({ hasText: 'Fever and cough for three days' });
      await visit.waitFor();
      const text = await visit.innerText();
      assert.match(text, /BP 130\/85 mmHg/);
      assert.match(text, /J18\s+Pneumonia, unspecified organism/);
      assert.match(text, /Amoxicillin 500 mg · 1 capsule · three times a day · 5 days/);

      // A document: a text file is refused before it is sent; the PDF is added and listed.
      const docs = page.getByRole('region', { name: 'Documents' });
      await docs.getByText('No documents on this record.').waitFor();
      await page.getByLabel('File (PDF or photo)').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a report') });
      await page.getByText('notes.txt is not a PDF, JPEG, PNG or WebP file.').waitFor();
      const pdf = tinyPdf();
      await page.getByLabel('Title').fill('Chest X-ray report');
      await page.getByLabel('File (PDF or photo)').setInputFiles({ name: 'xray.pdf', mimeType: 'application/pdf', buffer: pdf });
      await page.getByRole('button', { name: 'Upload' }).click();
      await page.getByText('“Chest X-ray report” added to the record.').waitFor();
      const row = docs.getByRole('row').filter({ hasText: 'Chest X-ray report' });
      await row.waitFor();
      assert.match(await row.innerText(), /PDF/);
      assert.match(await row.innerText(), new RegExp(operator));

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        row.getByRole('button', { name: 'Download Chest X-ray report' }).click(),
      ]);
      assert.equal(download.suggestedFilename(), 'Chest X-ray report.pdf');
      const saved = await download.path();
      assert.ok(saved, 'the download was saved');
      assert.deepEqual(readFileSync(saved), pdf, 'the same bytes come back');
      await page.screenshot({ path: join(resultsDir, 'visits-documents.png'), fullPage: true });

      // Both are on the server, as listed.
      const listed = await apiCall<{ items: { diagnoses: { code: string }[] }[] }>(base, 'GET', `/api/patients/${patient.id}/visits`, op.token);
      assert.deepEqual(listed.items.map((v) => v.diagnoses.map((d) => d.code)), [['J18']]);
      const documents = await apiCall<{ items: { title: string; mediaType: string }[] }>(base, 'GET', `/api/patients/${patient.id}/documents`, op.token);
      assert.deepEqual(documents.items.map((d) => [d.title, d.mediaType]), [['Chest X-ray report', 'application/pdf']]);
    }, importIcd);
  });
});
