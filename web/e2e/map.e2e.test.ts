// Browser test of the facility map (Leaflet): outlines, clustered points, zoom, and a facility whose
// coordinates lie outside its district, which must be listed for correction and must not stretch
// the view. Black-box: the real server on a fresh data directory, Debian's Chromium.
//   cd /work/main && npm run build -w web && node --import tsx --test web/e2e/map.e2e.test.ts
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ROOT, ADMIN_PASSWORD, apiCall, browserAvailable, browserSession, selectByText, startServer, stopServer } from './harness.ts';

const HP_OUTLINES = resolve(ROOT, '..', 'shared', 'data', 'geo', 'hp_districts.geojson');
/** In Lahaul and Spiti, 140 km from Mandi's headquarters: accepted for Mandi while no outline was imported. */
const OUTLIER = { latitude: 32.85, longitude: 77.55 };
const OUTLIER_NAME = `Sub Centre Misplaced ${Math.floor(Math.random() * 1e6)}`;
/** 139 km east of Hisar's headquarters, near Sonipat: Hisar has no outline, so only its distance from the others tells. */
const FAR = { latitude: 29.15, longitude: 77.15 };
const FAR_NAME = `PHC Far Away ${Math.floor(Math.random() * 1e6)}`;

/**
 * The data as a state has it after years: a Mandi facility recorded with a wrong coordinate while
 * the district had no outline (the server then allows 150 km from headquarters), and Himachal's
 * outlines imported afterwards through the real import command.
 */
async function prepare(dataDir: string): Promise<void> {
  const server = await startServer(dataDir);
  try {
    const { token } = await apiCall<{ token: string }>(server.base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD });
    await apiCall(server.base, 'POST', '/api/facilities', token, {
      name: OUTLIER_NAME, type: 'SC', ownership: 'public', system: 'allopathic', orgUnit: '22', ...OUTLIER,
    });
    await apiCall(server.base, 'POST', '/api/facilities', token, {
      name: FAR_NAME, type: 'PHC', ownership: 'public', system: 'allopathic', orgUnit: '63', ...FAR,
    });
  } finally {
    await stopServer(server.child);
  }
  const r = spawnSync(process.execPath, [join(ROOT, 'server', 'bin', 'swasthya.mjs'), 'import', 'boundaries', HP_OUTLINES], {
    cwd: ROOT,
    env: { ...process.env, SWASTHYA_DATA_DIR: dataDir, SWASTHYA_ADMIN_PASSWORD: ADMIN_PASSWORD, SWASTHYA_DEMO: '0' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(r.status, 0, `swasthya import boundaries failed:\n${r.stdout}\n${r.stderr}`);
}

/** Clusters and single points drawn in the map's view. */
async function drawnMarks(page: Page): Promise<{ clusters: number; points: number }> {
  // A string, so that no helper the test's compiler adds to named functions is needed in the page.
  return page.evaluate(`(() => {
    const box = document.querySelector('.leaflet-container').getBoundingClientRect();
    const shown = (sel) => [...document.querySelectorAll(sel)].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.right > box.left && r.left < box.right && r.bottom > box.top && r.top < box.bottom;
    }).length;
    return { clusters: shown('.leaflet-marker-pane .marker-cluster'), points: shown('.leaflet-overlay-pane path.pt') };
  })()`);
}

/** How much of the map's width and height the district's outline fills (1 = edge to edge). */
async function outlineFill(page: Page): Promise<number> {
  return page.evaluate(() => {
    const box = document.querySelector('.leaflet-container')!.getBoundingClientRect();
    const o = document.querySelector('.leaflet-overlay-pane path.map-outline')!.getBoundingClientRect();
    return Math.max(o.width / box.width, o.height / box.height);
  });
}

describe('facility map (browser)', () => {
  test('outline, clusters, zoom, and an outlier listed without stretching the view', { timeout: 400_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    if (!existsSync(HP_OUTLINES)) return t.skip(`${HP_OUTLINES} not found`);

    await browserSession('map', async ({ server, page, resultsDir }) => {
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(String(e)));
      t.after(() => assert.deepEqual(pageErrors, [], 'no script errors on the page'));
      await page.goto(`${server.base}/`);
      await page.getByLabel('Username').fill('admin');
      await page.getByLabel('Password').fill(ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Log out' }).waitFor();

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Map' }).click();
      await page.getByRole('heading', { level: 1, name: 'Facility map' }).waitFor();
      await selectByText(page, /^State/, /Himachal/i);
      await selectByText(page, /^District/, /^Mandi/).catch((e) => { throw new Error(`${e}\npage errors: ${pageErrors.join("\n")}`); });

      // Mandi's outline and its 300-odd facilities, clustered.
      const map = page.getByRole('region', { name: /^Map of \d+ health facilities$/ });
      await map.waitFor();
      await page.locator('.leaflet-overlay-pane path.map-outline').first().waitFor({ state: 'attached' });
      assert.equal(await page.locator('.leaflet-overlay-pane path.map-outline').count(), 1, 'Mandi\'s outline alone is drawn');
      await page.locator('.leaflet-marker-pane .marker-cluster').first().waitFor();
      const drawnCount = Number((await map.getAttribute('aria-label'))!.match(/\d+/)![0]);
      assert.ok(drawnCount >= 300, `Mandi's facilities are on the map (${drawnCount})`);
      const before = await drawnMarks(page);
      assert.ok(before.clusters >= 1, 'points are clustered');
      const clusterTotal = await page.locator('.leaflet-marker-pane .marker-cluster span').evaluateAll((els) => els.reduce((s, e) => s + Number(e.textContent), 0));
      assert.ok(clusterTotal + before.points >= drawnCount - 5, `the clusters hold the district's points (${clusterTotal} + ${before.points} of ${drawnCount})`);

      // The outlier is listed for correction and does not shrink Mandi into a corner of the view.
      const outside = page.getByRole('region', { name: /^Outside the district \(\d+\)$/ });
      await outside.getByRole('link', { name: OUTLIER_NAME }).waitFor();
      const fill = await outlineFill(page);
      assert.ok(fill >= 0.75, `Mandi fills the view (${fill.toFixed(2)} of the map's width or height)`);
      t.diagnostic(`drawn ${drawnCount} facilities as ${before.clusters} clusters and ${before.points} points; outline fills ${fill.toFixed(2)} of the view`);
      await page.screenshot({ path: join(resultsDir, 'map-district.png'), fullPage: true });

      // Zooming in splits the clusters into smaller clusters and single points.
      const zoomIn = page.getByRole('button', { name: 'Zoom in', exact: true });
      await zoomIn.click();
      await page.waitForTimeout(600);
      await zoomIn.click();
      await page.waitForTimeout(600);
      const after = await drawnMarks(page);
      assert.ok(after.clusters + after.points > before.clusters + before.points,
        `zoomed in, more marks are drawn (${before.clusters}+${before.points} → ${after.clusters}+${after.points})`);
      assert.ok(await outlineFill(page) > fill * 2, 'the view zoomed in');
      t.diagnostic(`zoomed in twice: ${after.clusters} clusters and ${after.points} points in view`);

      // Dragging pans the map.
      const mapBox = (await map.boundingBox())!;
      const paneOffset = () => page.locator('.leaflet-map-pane').evaluate((el) => {
        const m = new DOMMatrix(getComputedStyle(el).transform);
        return [m.m41, m.m42];
      });
      const [x0, y0] = await paneOffset();
      await page.mouse.move(mapBox.x + mapBox.width / 2, mapBox.y + mapBox.height / 2);
      await page.mouse.down();
      await page.mouse.move(mapBox.x + mapBox.width / 2 + 200, mapBox.y + mapBox.height / 2 + 80, { steps: 8 });
      await page.mouse.up();
      await page.waitForTimeout(400);
      const [x1, y1] = await paneOffset();
      // Leaflet carries a drag on a little (inertia): at least the drag, in its direction.
      assert.ok(x1! - x0! >= 190 && y1! - y0! >= 70 && x1! - x0! < 600, `dragging pans the map (${x0},${y0} → ${x1},${y1})`);
      await page.screenshot({ path: join(resultsDir, 'map-zoomed.png'), fullPage: true });

      // In Hindi: the zoom buttons and the list of misplaced facilities.
      await page.getByRole('button', { name: 'हिन्दी' }).click();
      await page.locator('html[lang="hi"]').waitFor({ state: 'attached' });
      await page.getByRole('button', { name: 'ज़ूम इन करें', exact: true }).waitFor();
      await page.getByRole('region', { name: /^जिले से बाहर \(.+\)$/ }).getByRole('link', { name: OUTLIER_NAME }).waitFor();
      await page.locator('.leaflet-marker-pane .marker-cluster').first().waitFor();
      await page.screenshot({ path: join(resultsDir, 'map-hi-district.png'), fullPage: true });

      // Hisar has no imported outline: points only, and the far-off one set apart all the same.
      await selectByText(page, /^राज्य/, /हरियाणा|Haryana/);
      await selectByText(page, /^जिला/, /हिसार|Hisar/);
      await page.getByText('इस क्षेत्र की जिला सीमाएँ आयात नहीं की गई हैं', { exact: false }).waitFor();
      await page.getByRole('region', { name: /^जिले से बाहर/ }).getByRole('link', { name: FAR_NAME }).waitFor();
      assert.equal(await page.locator('.leaflet-overlay-pane path.map-outline').count(), 0);
      await page.locator('.leaflet-marker-pane .marker-cluster').first().waitFor();
      await page.screenshot({ path: join(resultsDir, 'map-hi-no-outline.png'), fullPage: true });
    }, prepare);
  });

  test('tiles beneath the outlines when the state configures SWASTHYA_TILE_URL', { timeout: 300_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    // A stand-in for the state's tile server: a 1×1 PNG for every tile, and a record of what was asked.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    const asked: string[] = [];
    const tiles = createServer((req, res) => { asked.push(req.url ?? ''); res.writeHead(200, { 'content-type': 'image/png' }).end(png); });
    await new Promise<void>((ok) => tiles.listen(0, '127.0.0.1', ok));
    const saved = { url: process.env.SWASTHYA_TILE_URL, credit: process.env.SWASTHYA_TILE_ATTRIBUTION };
    process.env.SWASTHYA_TILE_URL = `http://127.0.0.1:${(tiles.address() as AddressInfo).port}/{z}/{x}/{y}.png`;
    process.env.SWASTHYA_TILE_ATTRIBUTION = 'State GIS tiles';
    try {
      await browserSession('map-tiles', async ({ server, page, resultsDir }) => {
        await page.goto(`${server.base}/`);
        await page.getByLabel('Username').fill('admin');
        await page.getByLabel('Password').fill(ADMIN_PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('button', { name: 'Log out' }).waitFor();
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Map' }).click();
        await selectByText(page, /^State/, /Himachal/i);
        await selectByText(page, /^District/, /^Mandi/);
        await page.locator('.leaflet-tile-pane img.leaflet-tile-loaded').first().waitFor({ state: 'attached' });
        await page.locator('.leaflet-control-attribution').getByText('State GIS tiles').waitFor();
        assert.ok(asked.some((u) => /^\/\d+\/\d+\/\d+\.png$/.test(u)), `tiles were asked for by z/x/y (${asked.slice(0, 3).join(', ')})`);
        await page.screenshot({ path: join(resultsDir, 'map-tiles.png'), fullPage: true });
      });
    } finally {
      for (const [k, v] of [['SWASTHYA_TILE_URL', saved.url], ['SWASTHYA_TILE_ATTRIBUTION', saved.credit]] as const) {
        if (v === undefined) delete process.env[k]; else process.env[k] = v;
      }
      await new Promise((ok) => tiles.close(ok));
    }
  });
});
