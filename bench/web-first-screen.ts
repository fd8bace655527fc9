// First-screen weight of the UI: builds web/ (or reads BENCH_WEB_DIST, a build made with the repo's
// vite.config.ts) and, from Vite's build manifest (.vite/manifest.json), adds up the compressed bytes
// a phone fetches for the first screen a field worker opens: index.html, the entry chunk with every
// chunk it imports statically, their CSS, and for a screen its own lazy chunk (App.tsx) with its
// imports, and the one language table the first render waits for (the heavier, Hindi). Screens: the login
// page (in the entry), the ASHA's survey page, the citizen's OPD booking.
// Prints one JSON line; `value` is gzip bytes for the login and survey screens together (what an ASHA
// fetches before her first household), to stay under 150 kB.
//   npm run bench -- web-first-screen        (BENCH_WEB_DIST=/tmp/web-x to measure a build already made)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LIMIT = 150_000;

interface Chunk { file: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[]; css?: string[] }
type Manifest = Record<string, Chunk>;

const SCREENS: Record<string, string | null> = {
  login: null,
  survey: 'src/features/survey/SurveyPage.tsx',
  opdBook: 'src/features/telemedicine/OpdBookPage.tsx',
};

function build(): { dist: string; cleanup: () => void } {
  if (process.env.BENCH_WEB_DIST) return { dist: process.env.BENCH_WEB_DIST, cleanup: () => undefined };
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'swasthya-bench-web-'));
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--outDir', dist, '--logLevel', 'error'], { cwd: path.join(root, 'web'), stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) {
    console.error('bench web-first-screen: vite build failed');
    process.exit(1);
  }
  return { dist, cleanup: () => fs.rmSync(dist, { recursive: true, force: true }) };
}

/** The files loading `keys` fetches: each chunk, the chunks it imports statically, and their CSS. */
function closure(manifest: Manifest, keys: string[]): Set<string> {
  const files = new Set<string>();
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`${key} is not in the build manifest`);
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  keys.forEach(visit);
  return files;
}

/** Bytes sent for `file`: its precompressed copy, or (small files the build leaves as they are) compressed here. */
function sizes(dist: string, file: string): { raw: number; gzip: number; br: number } {
  const full = path.join(dist, file);
  const bytes = fs.readFileSync(full);
  const copy = (ext: string, make: () => Buffer) => (fs.existsSync(`${full}.${ext}`) ? fs.statSync(`${full}.${ext}`).size : Math.min(bytes.length, make().length));
  return {
    raw: bytes.length,
    gzip: copy('gz', () => zlib.gzipSync(bytes, { level: 9 })),
    br: copy('br', () => zlib.brotliCompressSync(bytes)),
  };
}

const { dist, cleanup } = build();
try {
  const manifestPath = path.join(dist, '.vite', 'manifest.json');
  if (!fs.existsSync(manifestPath)) throw new Error(`${manifestPath} missing: build.manifest must be on in web/vite.config.ts`);
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Manifest;
  const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry);
  if (!entry) throw new Error('no entry chunk in the build manifest');
  const total = (files: Set<string>) => {
    const all = [...files, 'index.html'].map((f) => sizes(dist, f));
    return { files: all.length, raw: all.reduce((s, x) => s + x.raw, 0), gzip: all.reduce((s, x) => s + x.gzip, 0), br: all.reduce((s, x) => s + x.br, 0) };
  };
  // The first render waits for one language's messages (src/i18n/messages.<lang>.ts, a chunk of its own):
  // each screen is counted with the heavier of the two (Hindi), as a Hindi-speaking ASHA fetches it.
  const tables = ['src/i18n/messages.hi.ts', 'src/i18n/messages.en.ts'].filter((k) => manifest[k]);
  const language = tables.length ? tables.map((k) => [k]).sort((a, b) => total(closure(manifest, b)).gzip - total(closure(manifest, a)).gzip)[0]! : [];
  const screens = Object.fromEntries(Object.entries(SCREENS).map(([name, key]) => [name, total(closure(manifest, key ? [entry, key, ...language] : [entry, ...language]))]));
  const firstScreen = total(closure(manifest, [entry, SCREENS.survey!, ...language]));
  const everything = total(new Set(Object.values(manifest).flatMap((c) => [c.file, ...(c.css ?? [])])));
  console.log(JSON.stringify({
    bench: 'web-first-screen',
    name: 'ui.first-screen.gzip-bytes',
    value: firstScreen.gzip,
    brotliBytes: firstScreen.br,
    limit: LIMIT,
    withinLimit: firstScreen.gzip < LIMIT,
    screens,
    wholeAppGzipBytes: everything.gzip,
    chunks: Object.keys(manifest).length,
    languageTable: language[0] ?? null,
  }));
} finally {
  cleanup();
}
