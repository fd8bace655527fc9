// Shared by the browser tests: start the real server on a fresh data directory, find Chromium,
// call the API, and the small page helpers they all use.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import pg from 'pg';
import { sourceKey } from '../../server/src/test/source-key.ts';
import { databaseUrl, preparedTemplate, withClient } from '../../server/src/db/pg-template.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WEB = join(ROOT, 'web');
/**
 * The browser: CHROMIUM_PATH, else Chromium's headless shell where installed (Debian's
 * chromium-headless-shell, the same engine without the desktop browser around it: a third of the
 * full browser's CPU in a test, which CI's minutes need), else the full Chromium.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH
  ?? (existsSync('/usr/bin/chromium-headless-shell') ? '/usr/bin/chromium-headless-shell' : '/usr/bin/chromium');
export const ADMIN_PASSWORD = 'E2e-Admin-Pass-1!';
export const SKIP_MESSAGE = 'Chromium not installed: browser test skipped';

/** This month in IST (YYYYMM): open for entry whatever the date the test runs on. */
export function thisMonthIst(): string {
  const ist = new Date(Date.now() + 330 * 60_000);
  return `${ist.getUTCFullYear()}${String(ist.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

/** The UI build the tests serve: SWASTHYA_WEB_DIST (a build of one's own, passed on to the server) or web/dist. */
export function buildWebIfMissing(): void {
  const dist = process.env.SWASTHYA_WEB_DIST ?? join(WEB, 'dist');
  if (existsSync(join(dist, 'index.html'))) return;
  const r = spawnSync('npx', ['vite', 'build', '--outDir', dist], { cwd: WEB, stdio: 'inherit', timeout: 180_000 });
  assert.equal(r.status, 0, 'vite build of web/ failed');
}

export interface Server {
  base: string;
  child: ChildProcess;
  output: () => string;
}

/**
 * The database a browser test's server runs on: PostgreSQL when TEST_DATABASE_URL is set (CI), a
 * database of the test's own copied from a demo template; else (and for a test that asks for it, such
 * as one driving the CLI on the data folder) PGlite in the data folder, as `npm start` runs.
 */
export type E2eEngine = 'pglite' | 'postgresql';

export function e2eEngine(wanted?: E2eEngine): E2eEngine {
  if (wanted) return wanted;
  return process.env.TEST_DATABASE_URL && process.env.SWASTHYA_E2E_ENGINE !== 'pglite' ? 'postgresql' : 'pglite';
}

export async function startServer(dataDir: string, databaseUrl?: string): Promise<Server> {
  const port = await freePort();
  // Under `npm test` the server runs from the compiled tree (scripts/compile-tests.mjs), without tsx.
  const build = process.env.SWASTHYA_TEST_BUILD;
  const main = build && existsSync(join(build, 'server/src/main.js')) ? [join(build, 'server/src/main.js')] : ['--import', 'tsx', 'server/src/main.ts'];
  const child = spawn(process.execPath, main, {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      SWASTHYA_DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl ?? '',
      SWASTHYA_ADMIN_PASSWORD: ADMIN_PASSWORD,
      SWASTHYA_DEMO: '1',
      // FHIR's definitions are indexed on the first FHIR write, not at every start (a second of CPU each).
      SWASTHYA_PRELOAD_FHIR: process.env.SWASTHYA_PRELOAD_FHIR ?? '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const base = `http://127.0.0.1:${port}`;
  // A busy machine (several test runs at once) can take minutes to seed the demo: SWASTHYA_E2E_START_MS waits longer.
  const waitMs = Number(process.env.SWASTHYA_E2E_START_MS) || 90_000;
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`server exited with code ${child.exitCode} before it was ready:\n${log}`);
    }
    try {
      const res = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return { base, child, output: () => log };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not answer GET /api/health with 200 within ${waitMs / 1000} s (SWASTHYA_E2E_START_MS waits longer):\n${log}`);
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}


export async function apiCall<T>(base: string, method: string, path: string, token: string | null, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path} answered ${res.status}: ${text.slice(0, 400)}`);
  return JSON.parse(text) as T;
}


/** Choose the option whose visible text matches (the select shows names as the server has them). */
/** Signs in on the login screen (at `#/login`) and waits for the signed-in header, in English or Hindi. */
export async function signInAs(page: Page, base: string, username: string, password: string, hi = false): Promise<Page> {
  await page.goto(`${base}/#/login`);
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(password);
  await page.getByRole('button', { name: hi ? 'साइन इन करें' : 'Sign in' }).click();
  await page.getByRole('button', { name: hi ? 'लॉग आउट' : 'Log out' }).waitFor();
  return page;
}

/** A page in a new context of `browser` that opens in Hindi (the language kept as the app keeps it), a desktop's size unless `viewport` says. */
export async function hindiPage(browser: Browser, viewport = { width: 1366, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'hi-IN' });
  await context.addInitScript(() => { if (!localStorage.getItem('swasthya.lang')) localStorage.setItem('swasthya.lang', 'hi'); });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

export async function selectByText(page: Page, label: RegExp, text: RegExp): Promise<void> {
  const select = page.getByLabel(label);
  const option = select.locator('option').filter({ hasText: text }).first();
  await option.waitFor({ state: 'attached', timeout: 15_000 });
  const value = await option.getAttribute('value');
  assert.ok(value, `no option matching ${text} in the select labelled ${label}`);
  await select.selectOption(value);
}

/** True when the test can run; otherwise fails (CI requires a browser) or marks the test skipped. */
export function browserAvailable(t: { skip: (m: string) => void }): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.SWASTHYA_REQUIRE_BROWSER === '1') {
    assert.fail(`Chromium not found at ${CHROMIUM} and SWASTHYA_REQUIRE_BROWSER=1: install chromium or set CHROMIUM_PATH`);
  }
  console.log(SKIP_MESSAGE);
  t.skip(SKIP_MESSAGE);
  return false;
}

/**
 * A data folder as the server leaves it after its first start with the demo (migrations, geography,
 * demo data), made once per code and day by whichever browser test comes first (the others wait for
 * it) and copied for each test: seeding the demo takes the server many seconds each time.
 * SWASTHYA_E2E_FRESH=1 seeds afresh for every test instead.
 */
async function demoDataTemplate(): Promise<string | null> {
  if (process.env.SWASTHYA_E2E_FRESH === '1') return null;
  const dir = join(tmpdir(), `swasthya-e2e-demo-${sourceKey()}`);
  const ready = join(dir, '.ready');
  const lock = `${dir}.lock`;
  for (;;) {
    if (existsSync(ready)) return dir;
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another test is making it; a lock left by a run that died is taken over after 10 minutes.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true });
      } catch { /* gone meanwhile */ }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    if (existsSync(ready)) return dir;
    rmSync(dir, { recursive: true, force: true });
    const building = `${dir}.${process.pid}.part`;
    rmSync(building, { recursive: true, force: true });
    mkdirSync(building);
    const server = await startServer(building);
    await stopServer(server.child);
    assert.equal(server.child.exitCode, 0, `the server seeding the demo did not stop cleanly:\n${server.output()}`);
    renameSync(building, dir);
    writeFileSync(ready, '');
    // Folders of code that has changed since (left an hour ago or more) go.
    for (const name of readdirSync(tmpdir())) {
      const old = join(tmpdir(), name);
      if (!name.startsWith('swasthya-e2e-demo-') || old === dir || old === lock) continue;
      try {
        if (Date.now() - statSync(old).mtimeMs > 3_600_000) rmSync(old, { recursive: true, force: true });
      } catch { /* gone meanwhile */ }
    }
    return dir;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

const E2E_TEMPLATE_LOCK = 727276;
let pgDemo: Promise<string> | null = null;

/**
 * The PostgreSQL counterpart of demoDataTemplate: a database as the server leaves it after its first
 * start with the demo, made once per code and day under an advisory lock by whichever browser test
 * comes first; each test's database is a copy (CREATE DATABASE … TEMPLATE), a fraction of a second.
 */
function pgDemoTemplate(url: string): Promise<string> {
  return pgDemo ??= preparedTemplate(url, {
    prefix: 'swasthya_e2e', key: sourceKey(), lock: E2E_TEMPLATE_LOCK,
    fill: async (partUrl) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'swasthya-e2e-pgdemo-'));
      try {
        const server = await startServer(dataDir, partUrl);
        await stopServer(server.child);
        assert.equal(server.child.exitCode, 0, `the server seeding the demo did not stop cleanly:\n${server.output()}`);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  });
}

/** A database of the test's own on the PostgreSQL server, a copy of the demo's; `drop` removes it. */
async function pgDemoCopy(testName: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL!;
  const template = await pgDemoTemplate(url);
  const name = `e2e_${testName.replace(/[^a-z0-9]/gi, '_').toLowerCase().slice(0, 30)}_${Date.now().toString(36)}_${process.pid}`;
  await withClient(url, async (c) => {
    await c.query(`create database ${pg.escapeIdentifier(name)} template ${pg.escapeIdentifier(template)}`);
    // A test database is thrown away: commits need not wait for the disk.
    await c.query(`alter database ${pg.escapeIdentifier(name)} set synchronous_commit = off`);
  });
  return {
    url: databaseUrl(url, name),
    drop: () => withClient(url, (c) => c.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`)).then(() => undefined),
  };
}

export interface Session { server: Server; page: Page; dataDir: string; resultsDir: string; engine: E2eEngine }

/**
 * One browser test's life: a fresh data directory (a copy of the demo's; `prepare` may load files into it first), the
 * real server on it, Chromium at 1366×900. On failure it saves `<name>-failure.png` and prints the
 * server's last output; it always closes the browser, stops the server and removes the directory.
 */
/**
 * Pictures a test takes of its checkpoints cost Chromium most of a second each (a full page encoded as
 * PNG): SWASTHYA_E2E_SCREENSHOTS=0 (CI, where nobody looks at them) keeps only the pictures of a
 * failure (named *-failure*.png); unset, every picture a test takes is saved in test-results/.
 */
function onlyFailurePictures(page: Page): void {
  if (process.env.SWASTHYA_E2E_SCREENSHOTS !== '0') return;
  const proto = Object.getPrototypeOf(page) as { screenshot: Page['screenshot']; failuresOnly?: true };
  if (proto.failuresOnly) return;
  const screenshot = proto.screenshot;
  proto.failuresOnly = true;
  proto.screenshot = async function (this: Page, opts?: Parameters<Page['screenshot']>[0]) {
    if (opts?.path && !/-failure[^/]*\.png$/.test(opts.path)) return Buffer.alloc(0);
    return screenshot.call(this, opts);
  };
}

/**
 * Options of a browser session: `engine` (default: PostgreSQL when TEST_DATABASE_URL is set, PGlite
 * for a test with `prepare`); `serviceWorkers` 'allow' for a test of the offline app. Every other
 * context runs without the service worker: its install fetches the whole build into the cache in each
 * new context, a quarter of Chromium's work in a test that does not go offline. A context a test makes
 * itself on the session's browser is also without one unless it asks (`serviceWorkers: 'allow'`).
 */
export interface SessionOptions { engine?: E2eEngine; serviceWorkers?: 'allow' | 'block' }

export async function browserSession(name: string, run: (s: Session) => Promise<void>, prepare?: (dataDir: string) => void | Promise<void>, options: SessionOptions = {}): Promise<void> {
  buildWebIfMissing();
  const dataDir = mkdtempSync(join(tmpdir(), `swasthya-e2e-${name}-`));
  const resultsDir = join(ROOT, 'test-results');
  mkdirSync(resultsDir, { recursive: true });
  let server: Server | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let database: { url: string; drop: () => Promise<void> } | undefined;
  // A `prepare` works on the data folder (the CLI's imports): such a test runs on PGlite.
  const engine = e2eEngine(options.engine ?? (prepare ? 'pglite' : undefined));
  try {
    if (engine === 'postgresql') {
      database = await pgDemoCopy(name);
    } else {
      const template = await demoDataTemplate();
      if (template) cpSync(template, dataDir, { recursive: true, filter: (src) => !src.endsWith('.ready') });
    }
    await prepare?.(dataDir);
    server = await startServer(dataDir, database?.url);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    const newContext = browser.newContext.bind(browser);
    browser.newContext = (o) => newContext({ serviceWorkers: 'block', ...o });
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-IN', acceptDownloads: true, serviceWorkers: options.serviceWorkers ?? 'block' });
    page = await context.newPage();
    onlyFailurePictures(page);
    page.setDefaultTimeout(20_000);
    await run({ server, page, dataDir, resultsDir, engine });
  } catch (err) {
    await page?.screenshot({ path: join(resultsDir, `${name}-failure.png`), fullPage: true }).catch(() => undefined);
    if (server) console.error(`--- server output (last part) ---\n${server.output()}`);
    throw err;
  } finally {
    await browser?.close().catch(() => undefined);
    if (server) await stopServer(server.child);
    await database?.drop().catch((e) => console.error(`the test database could not be dropped: ${(e as Error).message}`));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A random 14-digit ABHA number (digits only) whose Luhn check digit is right, or (`valid` false) deliberately wrong. */
export function randomAbha(valid: boolean): string {
  const base = `91${String(Math.floor(Math.random() * 1e11)).padStart(11, '0')}`;
  let sum = 0;
  for (let i = base.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = Number(base[i]);
    if (double) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  const digit = (10 - (sum % 10)) % 10;
  return `${base}${valid ? digit : (digit + 1) % 10}`;
}

/**
 * A village of Hisar's block `block` (the demo's blocks are LGD's), added through the Places API when
 * the demo has none of that name there: what an ASHA or a block officer is assigned to.
 */
export async function hisarVillage(base: string, adminToken: string, block: string, village: [name: string, nameHi: string]): Promise<{ block: string; village: string }> {
  type Units = { items: { id: string; name: string }[] };
  const blocks = await apiCall<Units>(base, 'GET', '/api/geo/units/district:63/children', adminToken);
  const b = blocks.items.find((u) => u.name === block);
  assert.ok(b, `the demo has the block ${block} in Hisar: ${blocks.items.map((u) => u.name).join(', ')}`);
  const villages = await apiCall<Units>(base, 'GET', `/api/geo/units/${encodeURIComponent(b.id)}/children`, adminToken);
  const found = villages.items.find((u) => u.name === village[0]);
  if (found) return { block: b.id, village: found.id };
  const made = await apiCall<{ id: string }>(base, 'POST', '/api/geo/units', adminToken, { parent: b.id, level: 'village', name: village[0], nameHi: village[1] });
  return { block: b.id, village: made.id };
}
