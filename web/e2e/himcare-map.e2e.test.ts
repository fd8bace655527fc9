// Browser test of HIMCARE's coverage map (issue 15, part 6), black-box: the real server as a child process
// (demo data) and Chromium through playwright-core.
// Through the API the administrator adds a block of Mandi with two gram panchayats (fresh LGD codes), a
// village each, and imports a made-up square outline for the first panchayat only (POST /api/geo/boundaries,
// keyed by gp_lgd: the way a state loads its GIS outlines; the square is not a real boundary). Mandi's
// district officer imports a register: two families in the first panchayat (one head matched by ABHA to a
// patient), one in the second.
// On the screens: the district officer (English) opens #/schemes/coverage, switches to the map: the first
// panchayat is drawn by its outline in the lightest class (0%), its hover text gives 0 of 2 families, the
// second is listed as having no outline. A family is enrolled: after reloading, the outline's shade is the
// 40–60% class and a click shows 1 of 2 families. The state officer (Hindi) sees the map's legend and hover text
// in Hindi. Signed out, the sign-in screen links the public page; its map by district draws Himachal's
// districts at their headquarters towns (no district outline in the demo), with a legend entry saying so.
// axe-core finds no serious or critical violation on the officers' map or the public one.
//   cd web && npx vite build --outDir /tmp/web-map && cd .. &&
//   SWASTHYA_WEB_DIST=/tmp/web-map SWASTHYA_REQUIRE_BROWSER=1 NODE_ENV=test node --import tsx --test web/e2e/himcare-map.e2e.test.ts
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, apiCall, browserAvailable, browserSession, randomAbha, signInAs, hindiPage } from './harness.ts';

const PASSWORD = 'Himcare-Map-Pass-1';
const HEADER = 'family_id,member_id,name,name_hi,relation,sex,birth_year,birth_date,village_lgd,category,abha_number,mobile';
const rand = () => Math.floor(Math.random() * 1e5);
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}) ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}

/** The drawn shape of a unit on the coverage map (an SVG path or circle by Leaflet). */
const shapeOf = (page: Page, unitId: string) => page.getByTestId('coverage-map').locator(`.cov-u-${unitId}`);

/** The text of the tooltip Leaflet shows while the pointer is on a unit. */
async function hoverText(page: Page, unitId: string): Promise<string> {
  await shapeOf(page, unitId).hover({ force: true });
  const tip = page.getByTestId('coverage-map').locator('.leaflet-tooltip').last();
  await tip.waitFor();
  return (await tip.innerText()).trim();
}

describe('HIMCARE coverage map (browser)', () => {
  test('outlines drawn and shaded by coverage, a new card changes the shade, no-outline places listed, Hindi, the public map', { timeout: 300_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    await browserSession('himcare-map', async ({ server, page, resultsDir }) => {
      const base = server.base;
      const browser = page.context().browser();
      assert.ok(browser);
      const n = rand();
      const year = new Date().getFullYear();
      const admin = (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD })).token;
      const [district, state] = [`cmo_map_${n}`, `so_map_${n}`];
      await apiCall(base, 'POST', '/api/users', admin, { username: district, password: PASSWORD, role: 'district_officer', orgUnit: '22' });
      await apiCall(base, 'POST', '/api/users', admin, { username: state, password: PASSWORD, role: 'state_officer', orgUnit: 'state:2' });
      const token = (await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: district, password: PASSWORD })).token;

      // A block with two gram panchayats of fresh LGD codes, a village each.
      const unit = async (parent: string, level: string, name: string, lgdCode: number) =>
        (await apiCall<{ id: string }>(base, 'POST', '/api/geo/units', admin, { parent, level, name, lgdCode })).id;
      const lgd = 700000 + n;
      const block = await unit('district:22', 'block', `Map Block ${n}`, 9000 + (n % 900));
      const [gpA, gpB] = [`Map Panchayat A ${n}`, `Map Panchayat B ${n}`];
      const idA = await unit(block, 'panchayat', gpA, lgd);
      const idB = await unit(block, 'panchayat', gpB, lgd + 1);
      const [villageA, villageB] = [900000 + n, 900000 + n + 100000];
      await unit(idA, 'village', `Map Gaon A ${n}`, villageA);
      await unit(idB, 'village', `Map Gaon B ${n}`, villageB);
      // The first panchayat's outline, as a state's GIS layer would carry it (a made-up square near Mandi).
      const square = (lon: number, lat: number, s: number) => ({ type: 'Polygon', coordinates: [[[lon, lat], [lon + s, lat], [lon + s, lat + s], [lon, lat + s], [lon, lat]]] });
      const outlines = await apiCall<{ stored: number }>(base, 'POST', '/api/geo/boundaries', admin, {
        type: 'FeatureCollection', features: [{ type: 'Feature', properties: { gp_lgd: lgd, gp_name: gpA }, geometry: square(76.9, 31.68, 0.03) }],
      });
      assert.equal(outlines.stored, 1);

      // The register: two families in A (the first head a patient, matched by ABHA), one in B.
      const abha = randomAbha(true);
      const phc = await apiCall<{ id: string }>(base, 'POST', '/api/facilities', admin, { name: `PHC Map ${n}`, type: 'PHC', ownership: 'public', system: 'allopathic', orgUnit: '22', latitude: 31.7, longitude: 76.91 });
      await apiCall(base, 'POST', '/api/patients', admin, { name: 'Kanshi Ram', sex: 'male', age: 52, address: { district: 22 }, abha, facilityId: phc.id });
      const csv = [
        HEADER,
        `HP-MAP-${n}-1,M1,Kanshi Ram,काँशी राम,head,M,${year - 52},,${villageA},BPL,${abha},`,
        `HP-MAP-${n}-2,M1,Tulsi Devi,,head,F,1970,,${villageA},APL,,`,
        `HP-MAP-${n}-3,M1,Nikku Ram,,head,M,1965,,${villageB},APL,,`,
      ].join('\n');
      const imported = await fetch(`${base}/api/families/import`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: csv });
      assert.equal(imported.status, 200, await imported.text());

      // ---- The district officer (English): the map of Mandi's panchayats.
      await signInAs(page, base, district, PASSWORD);
      const openMap = async (p: Page, mapButton: string) => {
        await p.goto(`${base}/#/schemes/coverage`);
        await p.getByRole('button', { name: mapButton, exact: true }).click();
        await shapeOf(p, idA).waitFor();
      };
      await openMap(page, 'Map');
      assert.equal(await page.getByRole('button', { name: 'Map', exact: true }).getAttribute('aria-pressed'), 'true');
      await page.getByTestId('coverage-legend').getByText('Coverage (families with a card ÷ register families)').waitFor();
      const classOf = async (p: Page) => (await shapeOf(p, idA).getAttribute('class')) ?? '';
      assert.match(await classOf(page), /\bcov-c0\b/, 'no card yet: the lightest class');
      assert.equal(await shapeOf(page, idA).getAttribute('fill'), '#edf8e9');
      assert.equal(await shapeOf(page, idB).count(), 0, 'B has no outline: not drawn');
      const noOutline = page.getByTestId('coverage-no-outline');
      await noOutline.getByText(`${gpB}:`, { exact: false }).waitFor();
      assert.equal(await noOutline.getByText(`${gpA}:`, { exact: false }).count(), 0);
      assert.equal(await hoverText(page, idA), `${gpA}: 0% (0 of 2 families with a card)`);
      await page.screenshot({ path: join(resultsDir, 'himcare-map-before.png'), fullPage: true });

      // ---- The first family is enrolled: after reloading, the outline is shaded 40–60% (1 of 2).
      // (Only the family whose head is a patient has a member to put on a card; the other is refused.)
      const families = (await apiCall<{ items: { id: string }[] }>(base, 'GET', `/api/families?panchayat=${idA}&enrolled=false`, token)).items;
      assert.equal(families.length, 2);
      let enrolled = false;
      for (const f of families) {
        const r = await fetch(`${base}/api/schemes/himcare/enrolments`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ familyId: f.id, category: 'bpl' }) });
        if (r.status === 201) { enrolled = true; break; }
      }
      assert.ok(enrolled, 'the family whose head is a patient is enrolled');
      await page.reload();
      await page.getByRole('button', { name: 'Map', exact: true }).click();
      await shapeOf(page, idA).waitFor();
      assert.match(await classOf(page), /\bcov-c2\b/, `one of two families: ${await classOf(page)}`);
      assert.equal(await shapeOf(page, idA).getAttribute('fill'), '#74c476');
      await shapeOf(page, idA).click({ force: true });
      const picked = page.getByTestId('coverage-map-unit');
      await picked.getByRole('heading', { name: gpA }).waitFor();
      await picked.getByText('50%', { exact: true }).waitFor();
      await page.screenshot({ path: join(resultsDir, 'himcare-map-after.png'), fullPage: true });
      assert.deepEqual(await seriousViolations(page), [], 'axe-core: no serious or critical violation on the map view');
      // A place without an outline: its figures by name, from the list beside the map (the keyboard's way too).
      await page.getByLabel('Show the figures of').selectOption({ label: gpB });
      await picked.getByRole('heading', { name: gpB }).waitFor();
      await picked.getByText('0%', { exact: true }).waitFor();
      // The table is one click away and agrees.
      await page.getByRole('button', { name: 'Table', exact: true }).click();
      await page.getByTestId('scheme-coverage').getByRole('rowheader', { name: gpA, exact: true }).waitFor();

      // ---- The state officer (Hindi): the legend and the hover text in Hindi.
      const so = await signInAs(await hindiPage(browser), base, state, PASSWORD, true);
      await openMap(so, 'नक्शा');
      await so.getByTestId('coverage-legend').getByText('कवरेज (कार्ड वाले परिवार ÷ रजिस्टर के परिवार)').waitFor();
      await so.getByTestId('coverage-legend').getByText('रजिस्टर में कोई परिवार नहीं').waitFor();
      assert.equal(await hoverText(so, idA), `${gpA}: 50% (2 परिवारों में से 1 के पास कार्ड)`);
      await so.getByTestId('coverage-no-outline').getByText('बिना सीमा वाली', { exact: false }).first().waitFor();
      await so.screenshot({ path: join(resultsDir, 'himcare-map-hi.png'), fullPage: true });

      // ---- Signed out: the sign-in screen links the public page; its map by district, at headquarters points.
      const visitor = await (await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-IN' })).newPage();
      visitor.setDefaultTimeout(20_000);
      await visitor.goto(`${base}/#/login`);
      await visitor.getByRole('link', { name: 'HIMCARE in figures (no sign-in)' }).click();
      await visitor.getByRole('heading', { name: 'HIMCARE in figures' }).waitFor();
      await visitor.getByRole('button', { name: 'Map', exact: true }).click();
      await visitor.waitForFunction(() => /view=map/.test(window.location.hash));
      const shapes = await apiCall<{ features: { id: string; properties: { lgdCode: number; shape: string } }[] }>(base, 'GET', '/api/public/schemes/himcare/coverage/map?by=district', null);
      const mandi = shapes.features.find((f) => f.properties.lgdCode === 22)!;
      assert.equal(mandi.properties.shape, 'headquarters', 'the demo has no district outlines');
      await shapeOf(visitor, mandi.id).waitFor();
      assert.equal(await visitor.getByTestId('coverage-map').locator('.cov-hq').count(), shapes.features.length);
      await visitor.getByTestId('coverage-legend').getByText('District headquarters town (a point: no outline imported)').waitFor();
      assert.match(await hoverText(visitor, mandi.id), /^Mandi — shown at its headquarters town: |^Mandi: .* — shown at its headquarters town$/);
      await visitor.screenshot({ path: join(resultsDir, 'himcare-map-public.png'), fullPage: true });
      assert.deepEqual(await seriousViolations(visitor), []);
    });
  });
});
