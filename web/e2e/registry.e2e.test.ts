// Browser test of the facility registry in Hindi, black-box: it starts the real server as a child
// process on a fresh data directory and drives Debian's Chromium through playwright-core.
//   cd /work/main && node --import tsx --test web/e2e/registry.e2e.test.ts
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT, ADMIN_PASSWORD, selectByText, browserAvailable, browserSession } from './harness.ts';

const HP_OUTLINES = resolve(ROOT, '..', 'shared', 'data', 'geo', 'hp_districts.geojson');

/** Loads Himachal's district outlines through the real import command, as an operator would. */
function importOutlines(dataDir: string): boolean {
  if (!existsSync(HP_OUTLINES)) return false;
  const r = spawnSync(process.execPath, [join(ROOT, 'server', 'bin', 'swasthya.mjs'), 'import', 'boundaries', HP_OUTLINES], {
    cwd: ROOT,
    env: { ...process.env, SWASTHYA_DATA_DIR: dataDir, SWASTHYA_ADMIN_PASSWORD: ADMIN_PASSWORD, SWASTHYA_DEMO: '0' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(r.status, 0, `swasthya import boundaries failed:\n${r.stdout}\n${r.stderr}`);
  return true;
}


describe('facility registry in Hindi (browser)', () => {
  test('log in, switch to Hindi, add a facility, find it, reload', { timeout: 300_000 }, async (t) => {
    if (!browserAvailable(t)) return;

    let outlines = false;
    await browserSession('registry', async ({ server, page, resultsDir }) => {
      const name = `परीक्षण प्राथमिक स्वास्थ्य केंद्र ${Math.floor(Math.random() * 1e6)}`;

      // Log in (the page starts in English). The app's script arrives compressed.
      const script = page.waitForResponse((r) => /\/assets\/index-[^/]+\.js$/.test(r.url()));
      await page.goto(`${server.base}/`);
      assert.match((await (await script).allHeaders())['content-encoding'] ?? 'none', /^(br|gzip)$/, 'the app script is sent compressed');
      await page.getByLabel('Username').fill('admin');
      await page.getByLabel('Password').fill(ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Log out' }).waitFor();

      // Switch to Hindi.
      await page.getByRole('button', { name: 'हिन्दी' }).click();
      await page.locator('html[lang="hi"]').waitFor({ state: 'attached' });
      const nav = page.getByRole('navigation', { name: 'मुख्य' });
      await nav.getByRole('link', { name: 'स्वास्थ्य संस्थान रजिस्टर' }).waitFor();
      await page.getByRole('button', { name: 'लॉग आउट' }).waitFor();

      // Registry, then the add form.
      await nav.getByRole('link', { name: 'स्वास्थ्य संस्थान रजिस्टर' }).click();
      await page.getByRole('heading', { level: 1, name: 'स्वास्थ्य संस्थान रजिस्टर' }).waitFor();
      await page.getByRole('link', { name: 'संस्थान जोड़ें' }).click();
      await page.getByRole('heading', { level: 1, name: 'नया स्वास्थ्य संस्थान जोड़ें' }).waitFor();

      await page.getByLabel(/^नाम/).fill(name);
      await page.getByLabel(/^प्रकार/).selectOption('PHC');
      await page.getByLabel(/^स्वामित्व/).selectOption('public');
      await page.getByLabel(/^चिकित्सा पद्धति/).selectOption('allopathic');
      if (await page.getByLabel(/^राज्य/).count()) {
        await selectByText(page, /^राज्य/, /हरियाणा|haryana/i);
      }
      await selectByText(page, /^जिला/, /हिसार|hisar/i);
      await page.getByLabel(/^अक्षांश/).fill('55');
      await page.getByLabel(/^देशांतर/).fill('75.72');
      await page.getByRole('button', { name: 'सहेजें' }).click();

      // Client-side check, in Hindi, before anything is sent.
      await page.getByText('अक्षांश 6 से 38 के बीच की संख्या होना चाहिए।').waitFor();
      assert.match(page.url(), /#\/facilities\/new/);

      await page.getByLabel(/^अक्षांश/).fill('29.15');
      await page.getByRole('button', { name: 'सहेजें' }).click();
      await page.getByRole('heading', { level: 1, name: 'स्वास्थ्य संस्थान रजिस्टर' }).waitFor();

      // Find it by name.
      await page.getByLabel('नाम से खोजें').fill(name);
      await page.getByRole('button', { name: 'खोजें' }).click();
      const row = page.getByRole('row').filter({ hasText: name });
      await row.waitFor();
      assert.equal(await row.count(), 1);
      assert.match(await row.innerText(), /प्राथमिक स्वास्थ्य केंद्र/);

      // The language survives a reload.
      await page.reload();
      await page.locator('html[lang="hi"]').waitFor({ state: 'attached' });
      await page.getByRole('navigation', { name: 'मुख्य' }).getByRole('link', { name: 'स्वास्थ्य संस्थान रजिस्टर' }).waitFor();
      await page.getByRole('row').filter({ hasText: name }).waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), 'hi');

      await page.screenshot({ path: join(resultsDir, 'registry-hi.png'), fullPage: true });

      // Edit it: the form opens filled in (and disabled until it is), the change is saved, not a second facility.
      await page.getByRole('row').filter({ hasText: name }).getByRole('link').first().click();
      await page.getByRole('link', { name: 'संपादित करें' }).click();
      await page.getByRole('heading', { level: 1, name: 'स्वास्थ्य संस्थान संपादित करें' }).waitFor();
      await page.getByLabel(/^वेबकैम/).fill('3');
      assert.equal(await page.getByLabel(/^नाम/).first().inputValue(), name);
      await page.getByRole('button', { name: 'सहेजें' }).click();
      await page.getByRole('heading', { level: 1, name }).waitFor();
      assert.match(await page.locator('.fact').filter({ hasText: 'वेबकैम' }).locator('dd').innerText(), /^(3|३)$/);
      const same = await page.evaluate(async (q) => {
        const token = sessionStorage.getItem('swasthya.token') ?? localStorage.getItem('swasthya.token');
        const r = await fetch(`/api/facilities?q=${encodeURIComponent(q)}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
        return r.ok ? ((await r.json()) as { items: unknown[] }).items.length : -r.status;
      }, name);
      assert.equal(same, 1, 'editing saved the facility, it did not add another');

      // The map draws Himachal's district outlines (no tile server) and the facilities as points.
      if (outlines) {
        await page.getByRole('navigation', { name: 'मुख्य' }).getByRole('link', { name: 'नक्शा' }).click();
        await selectByText(page, /^राज्य/, /हिमाचल प्रदेश|himachal/i);
        const outlines = page.locator('.leaflet-overlay-pane path.map-outline');
        await outlines.nth(11).waitFor({ state: 'attached' });
        assert.equal(await outlines.count(), 12);
        await page.locator('.leaflet-marker-pane .marker-cluster').first().waitFor();
        const label = await page.getByRole('region', { name: /स्वास्थ्य संस्थानों का नक्शा$/ }).getAttribute('aria-label');
        assert.ok(Number((label ?? '').replace(/[०-९]/g, (d) => String('०१२३४५६७८९'.indexOf(d))).match(/\d+/)?.[0]) >= 300, `Mandi's facilities are drawn (${label})`);
        await page.screenshot({ path: join(resultsDir, 'map-hi.png'), fullPage: true });
      }
    }, (dir) => { outlines = importOutlines(dir); });
  });
});
