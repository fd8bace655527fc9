import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataDirInUse, openPglite } from '../db/connect.js';

// PGlite is one process and does not refuse a second one on its folder (that would damage the data):
// the folder is locked, and the command line says what to do when a running server holds it.
const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(serverDir, 'bin/swasthya.mjs');

describe('the embedded database folder is held by one process', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swasthya-lock-'));
  const data = path.join(dir, 'data');
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const env = { ...process.env, SWASTHYA_DATA_DIR: data, SWASTHYA_ADMIN_PASSWORD: 'Cli-Test-Admin-1', DATABASE_URL: '', npm_lifecycle_event: '', LOG_LEVEL: 'silent' };
  const run = (...args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: env as NodeJS.ProcessEnv, cwd: dir, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });

  test('the opener holds the folder until it closes; a second opener is refused; a crashed holder\'s file is taken over', async () => {
    fs.mkdirSync(data, { recursive: true });
    // A server that crashed leaves its file behind; its process is gone, so the folder is taken over.
    fs.writeFileSync(path.join(data, 'pglite.pid'), '2147483646');
    const first = await openPglite(data);
    try {
      assert.equal(fs.readFileSync(path.join(data, 'pglite.pid'), 'utf8'), String(process.pid));
      await assert.rejects(openPglite(data), (e: unknown) => e instanceof DataDirInUse && e.dataDir === data && e.pid === process.pid);
    } finally {
      await first.close();
    }
    assert.equal(fs.existsSync(path.join(data, 'pglite.pid')), false, 'closing releases the folder');
  });

  test('`swasthya import villages` while a server holds the folder says how to import through the running server', async () => {
    const villages = path.join(dir, 'villages.csv');
    fs.writeFileSync(villages, 'S.No.,State Code,State Name,District Code,District Name,Village Code,Village Name (In English),Village Name (In Local)\n1,2,HIMACHAL PRADESH,22,MANDI,9930001,NERCHOWK,नेरचौक\n');
    // This test's process stands in for a running server (one PGlite per process: it cannot open a second).
    fs.writeFileSync(path.join(data, 'pglite.pid'), String(process.pid));
    const busy = await run('import', 'villages', villages);
    assert.equal(busy.code, 1, busy.stderr);
    assert.match(busy.stderr, /is in use by another Swasthya process/);
    assert.match(busy.stderr, /stop the server and run this command again/);
    assert.match(busy.stderr, /--data-binary @.*villages\.csv "http:\/\/<server>\/api\/geo\/units\/import\?level=villages"/);
    const other = await run('migrate');
    assert.equal(other.code, 1);
    assert.match(other.stderr, /use PostgreSQL \(DATABASE_URL\)/);
    fs.rmSync(path.join(data, 'pglite.pid'));

    const free = await run('import', 'villages', villages);
    assert.equal(free.code, 0, free.stderr);
    assert.match(free.stdout, /1 added/);
  });
});
