// The service worker's precache against the build it was made for: every file the build emits
// (index.html, each screen's lazy chunk, the styles, the icon) must be in the precache manifest that
// Workbox injected into sw.js, or a screen never opened online would not open offline. No browser needed.
//   cd /work/main && node --import tsx --test web/e2e/precache.test.ts   (SWASTHYA_WEB_DIST for another build)
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, test } from 'node:test';
import { buildWebIfMissing, WEB } from './harness.ts';

const dist = process.env.SWASTHYA_WEB_DIST ?? join(WEB, 'dist');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/** The URLs Workbox's injectManifest wrote into sw.js (an array of { revision, url }). */
function precached(): Map<string, string | null> {
  const sw = readFileSync(join(dist, 'sw.js'), 'utf8');
  const found = /\[\{"revision":.*?\}\]/s.exec(sw);
  assert.ok(found, 'no precache manifest in sw.js: was it built by vite-plugin-pwa (injectManifest)?');
  const entries = JSON.parse(found[0]) as Array<{ url: string; revision: string | null }>;
  return new Map(entries.map((e) => [e.url, e.revision]));
}

describe('service worker precache', () => {
  test('sw.js precaches every file of the build, and nothing else', () => {
    buildWebIfMissing();
    const manifest = precached();
    // Emitted: everything in the build but the compressed copies, the worker itself and Vite's manifest.
    const emitted = walk(dist)
      .map((f) => relative(dist, f).split(sep).join('/'))
      .filter((f) => !/\.(br|gz|map)$/.test(f) && f !== 'sw.js' && !f.startsWith('.vite/'));
    const missing = emitted.filter((f) => !manifest.has(f));
    assert.deepEqual(missing, [], `emitted but not precached: ${missing.join(', ')}`);
    for (const url of manifest.keys()) assert.ok(existsSync(join(dist, url)), `precached but not in the build: ${url}`);
    assert.ok(manifest.has('index.html'), 'the app shell is precached');
    assert.ok(![...manifest.keys()].some((u) => /^(api|fhir)\//.test(u)), 'no API answer is precached');
    // Hashed names carry their revision in the name; the others (index.html, the icon) need one.
    for (const [url, revision] of manifest) if (!url.startsWith('assets/')) assert.ok(revision, `${url} has no revision`);

    // Each chunk and stylesheet of Vite's build manifest (the lazy screens of App.tsx included).
    const viteManifest = join(dist, '.vite', 'manifest.json');
    assert.ok(existsSync(viteManifest), 'build.manifest is on in vite.config.ts');
    const chunks = Object.values(JSON.parse(readFileSync(viteManifest, 'utf8')) as Record<string, { file: string; css?: string[]; isDynamicEntry?: boolean }>);
    assert.ok(chunks.filter((c) => c.isDynamicEntry).length >= 10, 'screens are lazy chunks');
    for (const c of chunks) for (const f of [c.file, ...(c.css ?? [])]) assert.ok(manifest.has(f), `chunk not precached: ${f}`);
  });
});
