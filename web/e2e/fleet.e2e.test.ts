// Browser test of the ambulance fleet screen, black-box: the real server (demo data) and Debian's
// Chromium. Hisar's population is entered by the administrator (the demo data has none); the Hisar
// district officer opens the fleet from the menu, registers a 108 BLS vehicle at a Hisar PHC (a bad
// registration number is refused on the page first), sets its driver and EMT for the shift, and reads
// Hisar's gap against the National Ambulance Service norm. Then the same page in Hindi.
//   cd /work/main && npm run build -w web && node --import tsx --test web/e2e/fleet.e2e.test.ts
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ADMIN_PASSWORD, apiCall, browserAvailable, browserSession, selectByText } from './harness.ts';

const PASSWORD = 'Hisar-Fleet-Pass-1';
const indian = (n: number) => n.toLocaleString('en-IN');

describe('ambulance fleet (browser)', () => {
  test('a district officer registers a vehicle, sets its crew and sees the norm\'s gap, in English and Hindi', { timeout: 300_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    await browserSession('fleet', async ({ server, page, resultsDir }) => {
      const base = server.base;
      const admin = await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD });
      const phc = (await apiCall<{ items: { id: string; name: string }[] }>(base, 'GET', '/api/facilities?district=63&type=PHC&limit=1', admin.token)).items[0];
      assert.ok(phc, 'Hisar has a PHC in the demo data');
      // Census 2011: Hisar 17,43,931 people → 18 BLS and 4 ALS by the norm.
      await apiCall(base, 'PUT', '/api/ambulances/norms/population', admin.token, { districtId: 63, population: 1743931, year: 2011 });
      const suffix = Math.floor(Math.random() * 1e6);
      const officer = `hisar_fleet_${suffix}`;
      await apiCall(base, 'POST', '/api/users', admin.token, { username: officer, password: PASSWORD, role: 'district_officer', orgUnit: 63 });
      const reg = `HR 39 FL ${String(1000 + (suffix % 9000))}`;

      await page.goto(`${base}/`);
      await page.getByLabel('Username').fill(officer);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Ambulance fleet' }).click();
      await page.getByRole('heading', { level: 1, name: 'Ambulance fleet' }).waitFor();

      await page.getByLabel('Registration number').fill('!!');
      await page.getByLabel('GPS device id').fill(`86${suffix}0001`);
      await selectByText(page, /Base facility/, new RegExp(phc.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      await page.getByRole('button', { name: 'Register vehicle' }).click();
      await page.getByText(/Give the registration number as on the vehicle/).waitFor();
      await page.getByLabel('Registration number').fill(reg);
      await page.getByLabel('Service', { exact: true }).selectOption('108');
      await page.getByLabel('Kind', { exact: true }).selectOption('BLS');
      await page.getByRole('button', { name: 'Register vehicle' }).click();
      await page.getByText(`Vehicle ${reg} registered.`).waitFor();
      const row = page.getByRole('row').filter({ hasText: reg });
      await row.getByText('No position yet').waitFor();
      await row.getByText('Driver: not set').waitFor();
      await row.getByText('Available').waitFor();

      await row.getByRole('button', { name: `Set the crew of ${reg}` }).click();
      await page.getByRole('heading', { name: `Crew of ${reg}` }).waitFor();
      await page.getByLabel('Driver\'s name').fill('Ramesh Kumar');
      await page.getByLabel('Driver\'s mobile').fill('98765 4321');
      await page.getByLabel('EMT\'s name').fill('Sunita Devi');
      await page.getByLabel('EMT\'s mobile').fill('9812345678');
      await page.getByRole('button', { name: 'Save crew' }).click();
      await page.getByText(/Driver's mobile|driver\.mobile: give a 10-digit mobile/).first().waitFor();
      await page.getByLabel('Driver\'s mobile').fill('98765 43210');
      await page.getByRole('button', { name: 'Save crew' }).click();
      await page.getByText(`Crew of ${reg} saved.`).waitFor();
      await row.getByText('Driver: Ramesh Kumar').waitFor();
      await row.getByText('EMT: Sunita Devi').waitFor();

      // The norm: Hisar's population, what it needs and the gap, as the server reckons it.
      const norms = await apiCall<{ items: { lgdCode: number; vehicles: { bls: number }; gap: { bls: number; als: number } }[] }>(base, 'GET', '/api/ambulances/norms?state=6', admin.token);
      const hisar = norms.items.find((d) => d.lgdCode === 63)!;
      assert.ok(hisar.vehicles.bls >= 1 && hisar.gap.bls === Math.max(0, 18 - hisar.vehicles.bls), JSON.stringify(hisar));
      const normRow = page.getByRole('row').filter({ hasText: indian(1743931) });
      await normRow.getByText(`${indian(hisar.vehicles.bls)} / 18`).waitFor();
      const short = (n: number) => (n === 1 ? '1 vehicle short' : `${n} vehicles short`);
      await normRow.getByText(short(hisar.gap.bls)).first().waitFor();
      await normRow.getByText(short(hisar.gap.als)).first().waitFor();
      await page.screenshot({ path: join(resultsDir, 'fleet-en.png'), fullPage: true });

      // Off the road and back, as the district officer may.
      await row.getByRole('button', { name: `Take ${reg} off the road` }).click();
      await page.getByText(`${reg} is now: Off road.`).waitFor();
      await row.getByRole('button', { name: `Put ${reg} back in service` }).click();
      await page.getByText(`${reg} is now: Available.`).waitFor();

      await page.getByRole('button', { name: 'हिन्दी' }).click();
      await page.getByRole('heading', { level: 1, name: 'एंबुलेंस बेड़ा' }).waitFor();
      await page.getByText(`${reg} अब: उपलब्ध।`).waitFor();
      await page.getByRole('row').filter({ hasText: reg }).getByText('चालक: Ramesh Kumar').waitFor();
      const hiRow = page.getByRole('row').filter({ hasText: indian(1743931) });
      await hiRow.getByText(`${hisar.gap.bls} वाहन कम`).first().waitFor();
      await page.getByRole('heading', { name: /मानक के सामने वाहन/ }).waitFor();
      await page.screenshot({ path: join(resultsDir, 'fleet-hi.png'), fullPage: true });
    });
  });
});
