#!/usr/bin/env node
// `npm test`: builds the web UI when needed, then runs every *.test.ts with Node's test runner.
// PostgreSQL runs join in when TEST_DATABASE_URL is set; the browser test needs Chromium.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileTests } from './compile-tests.mjs';
import { ensureWebBuilt } from './web-build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

function find(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) find(p, out);
    else if (/\.test\.ts$/.test(e.name)) out.push(path.relative(root, p));
  }
  return out;
}

let files = args.length ? args : [...find(path.join(root, 'server/src')), ...find(path.join(root, 'web/src')), ...find(path.join(root, 'web/e2e'))];
// The browser tests first, the walk of every role's screens first of all: they take longest, and two
// run side by side (scripts/run-tests.mjs keeps this order), so a long one started last would leave the end to itself.
const weight = (f) => (f.endsWith('roles.e2e.test.ts') ? 0 : f.includes('.e2e.') ? 1 : 2);
files.sort((a, b) => weight(a) - weight(b) || a.localeCompare(b));

if (!process.env.TEST_DATABASE_URL) {
  console.log('note: TEST_DATABASE_URL is not set: tests run on PGlite only; PostgreSQL runs are skipped.');
} else {
  console.log(`note: tests run on PGlite and on PostgreSQL (${process.env.TEST_DATABASE_URL.replace(/\/\/[^@]*@/, '//…@')}).`);
}
// As web/e2e/harness.ts chooses: the headless shell where installed, else the full Chromium.
const chromium = process.env.CHROMIUM_PATH
  ?? (fs.existsSync('/usr/bin/chromium-headless-shell') ? '/usr/bin/chromium-headless-shell' : '/usr/bin/chromium');
if (!fs.existsSync(chromium)) {
  console.log(process.env.SWASTHYA_REQUIRE_BROWSER === '1'
    ? `note: Chromium not found at ${chromium} but SWASTHYA_REQUIRE_BROWSER=1: the browser test will fail.`
    : `note: Chromium not found at ${chromium}: the browser test is skipped (apt-get install chromium).`);
}
if (files.some((f) => f.includes('e2e'))) ensureWebBuilt(root);

// The TypeScript is compiled once into plain JavaScript (scripts/compile-tests.mjs) and the test
// files run from there without tsx's loader; SWASTHYA_TEST_TSX=1 runs the sources through tsx instead.
let build = null;
if (process.env.SWASTHYA_TEST_TSX !== '1') {
  const started = Date.now();
  build = await compileTests(root);
  console.log(`note: the tests run as JavaScript compiled into ${path.relative(root, build)} (${((Date.now() - started) / 1000).toFixed(1)} s).`);
}
const runArgs = build
  ? [path.join(root, 'scripts', 'run-tests.mjs'), ...files.map((f) => path.join(build, path.relative(root, path.resolve(root, f)).replace(/\.(ts|tsx)$/, '.js')))]
  : ['--import', 'tsx', path.join(root, 'scripts', 'run-tests.mjs'), ...files];
const r = spawnSync(process.execPath, runArgs, {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'test', ...(build ? { SWASTHYA_TEST_BUILD: build } : {}) },
});
process.exit(r.status ?? 1);
