import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { prepareDatabase } from '../bootstrap.js';
import { openPglite, type Db } from '../db/connect.js';
import { testConfig } from '../test/harness.js';

describe('web UI is served by the same server', () => {
  let app: FastifyInstance;
  let db: Db;
  let dist: string;
  before(async () => {
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'swasthya-dist-'));
    fs.mkdirSync(path.join(dist, 'assets'));
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><html><body><div id="root"></div></body></html>');
    fs.writeFileSync(path.join(dist, 'assets', 'app.js'), 'console.log(1)');
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
});
