import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { prepareDatabase } from '../bootstrap.js';
import { openPglite, type Db } from '../db/connect.js';
import { testConfig } from '../test/harness.js';

const BIG = `export const names = ${JSON.stringify(Array.from({ length: 2000 }, (_, i) => `name-${i}`))};\n`;

describe('web UI is served by the same server', () => {
  let app: FastifyInstance;
  let db: Db;
  let dist: string;
  before(async () => {
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'swasthya-dist-'));
    fs.mkdirSync(path.join(dist, 'assets'));
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><html><body><div id="root"></div></body></html>');
    fs.writeFileSync(path.join(dist, 'assets', 'app.js'), 'console.log(1)');
    // As the build writes them: compressed copies beside the files.
    fs.writeFileSync(path.join(dist, 'assets', 'big.js'), BIG);
    fs.writeFileSync(path.join(dist, 'assets', 'big.js.br'), zlib.brotliCompressSync(BIG));
    fs.writeFileSync(path.join(dist, 'assets', 'big.js.gz'), zlib.gzipSync(BIG));
    fs.writeFileSync(path.join(dist, 'index.html.gz'), zlib.gzipSync(fs.readFileSync(path.join(dist, 'index.html'))));
    fs.writeFileSync(path.join(dist, 'sw.js'), 'self.addEventListener("fetch", () => undefined);');
    db = await openPglite(null);
    const config = testConfig();
    await prepareDatabase(db, config);
    app = await buildApp({ db, config, webDist: dist });
  });
  after(async () => {
    await app.close();
    await db.close();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  test('/ and page paths get index.html; assets are served; missing assets and API paths are 404', async () => {
    const root = await app.inject({ url: '/' });
    assert.equal(root.statusCode, 200);
    assert.match(root.headers['content-type'] as string, /text\/html/);
    const page = await app.inject({ url: '/facilities/new' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /id="root"/);
    const asset = await app.inject({ url: '/assets/app.js' });
    assert.equal(asset.statusCode, 200);
    assert.match(asset.headers['content-type'] as string, /javascript/);
    // An asset built after start is found too (no list of files fixed at start).
    fs.writeFileSync(path.join(dist, 'assets', 'later.js'), 'console.log(2)');
    assert.equal((await app.inject({ url: '/assets/later.js' })).statusCode, 200);
    const missing = await app.inject({ url: '/assets/index-deadbeef.js' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'not_found');
    const health = await app.inject({ url: '/api/health' });
    assert.equal(health.json().status, 'ok');
  });

  test('compressed copies go to browsers that take them; hashed assets are kept a year, the page is checked each time', async () => {
    const br = await app.inject({ url: '/assets/big.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    assert.equal(br.statusCode, 200);
    assert.equal(br.headers['content-encoding'], 'br');
    assert.match(br.headers['content-type'] as string, /javascript/);
    assert.equal(zlib.brotliDecompressSync(br.rawPayload).toString(), BIG);
    assert.ok(br.rawPayload.length < BIG.length / 3, `${br.rawPayload.length} bytes sent for ${BIG.length}`);
    assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.match(br.headers.vary as string, /accept-encoding/i);

    const gz = await app.inject({ url: '/assets/big.js', headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(zlib.gunzipSync(gz.rawPayload).toString(), BIG);
    const plain = await app.inject({ url: '/assets/big.js' });
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.body, BIG);
    // A file without compressed copies is sent as it is, whatever the browser accepts.
    const small = await app.inject({ url: '/assets/app.js', headers: { 'accept-encoding': 'br, gzip' } });
    assert.equal(small.headers['content-encoding'], undefined);
    assert.equal(small.body, 'console.log(1)');

    // The service worker (built by vite-plugin-pwa): checked on every visit, so a new build's precache installs at once.
    const sw = await app.inject({ url: '/sw.js' });
    assert.equal(sw.statusCode, 200);
    assert.match(sw.headers['content-type'] as string, /javascript/);
    assert.equal(sw.headers['cache-control'], 'no-cache');

    // The page, at / and at any page path: never kept without asking again.
    for (const url of ['/', '/patients/new']) {
      const page = await app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
      assert.equal(page.statusCode, 200, url);
      assert.equal(page.headers['cache-control'], 'no-cache', url);
      assert.equal(page.headers['content-encoding'], 'gzip', url);
      assert.match(zlib.gunzipSync(page.rawPayload).toString(), /id="root"/, url);
    }
  });
});
