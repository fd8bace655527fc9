// The server outlives its database's hiccups (PostgreSQL only): connections ended mid-load, and a
// PostgreSQL cluster stopped and started again under a running server process. Requests during an
// outage get 503, never 500; nothing acknowledged is lost; the server serves again by itself.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { sql } from 'kysely';
import { ADMIN_PASSWORD, facilityBody, startTestApp, type TestApp } from '../test/harness.js';
import { spawnServer, type Instance } from '../test/tele-load.js';

const url = process.env.TEST_DATABASE_URL;
const PG_BIN = '/usr/lib/postgresql/15/bin';
const skipPg = url ? false : 'TEST_DATABASE_URL is not set: connection loss is tested on PostgreSQL only';

describe('connections ended mid-load with pg_terminate_backend [postgresql]', { skip: skipPg }, () => {
  let t: TestApp;
  let admin: pg.Client;
  before(async () => {
    t = await startTestApp('postgresql');
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  });
  after(async () => {
    await admin?.end();
    await t?.close();
  });

  it('answers every request 2xx or 503, keeps every acknowledged write, and serves again at once', async (ctx) => {
    // Only this test's pool: other tests share the server (each test's pool has a name of its own).
    const { rows: [{ appName }] } = await sql<{ appName: string }>`select current_setting('application_name') as "appName"`.execute(t.db.kysely);
    const answers: { status: number; body: any }[] = [];
    let loading = true;
    const worker = async () => {
      while (loading) {
        const r = await t.req('POST', '/api/facilities', t.adminToken, facilityBody(), { 'accept-language': 'hi' });
        answers.push({ status: r.status, body: r.body });
      }
    };
    const workers = Array.from({ length: 12 }, worker);
    let ended = 0;
    for (let round = 0; round < 6; round++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      // Two steps: in one statement the planner may call pg_terminate_backend before the filter.
      const { rows } = await admin.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [appName]);
      const pids = rows.map((r) => r.pid);
      const done = await admin.query<{ ok: boolean }>('select pg_terminate_backend(pid) as ok from unnest($1::int[]) as pid', [pids]);
      ended += done.rows.filter((r) => r.ok).length;
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
    loading = false;
    await Promise.all(workers);

    assert.ok(ended >= 6, `connections were ended (${ended})`);
    const byStatus: Record<string, typeof answers> = {};
    for (const a of answers) (byStatus[a.status] ??= []).push(a);
    const counts = Object.fromEntries(Object.entries(byStatus).map(([k, v]) => [k, v.length]));
    ctx.diagnostic(`${ended} connections ended; answers by status: ${JSON.stringify(counts)}`);
    const odd = answers.filter((a) => a.status !== 201 && a.status !== 503);
    assert.deepEqual(odd.map((a) => `${a.status} ${JSON.stringify(a.body)}`), [], `only 201 or 503 (${JSON.stringify(counts)})`);
    assert.ok((byStatus['503']?.length ?? 0) > 0, `some requests met an ended connection (${JSON.stringify(counts)})`);
    const unavailable = byStatus['503']![0].body;
    assert.equal(unavailable.error.code, 'service_unavailable');
    assert.match(unavailable.error.message, /डेटाबेस/);

    const acknowledged = byStatus['201']?.map((a) => String(a.body.id)) ?? [];
    assert.ok(acknowledged.length > 0);
    const stored = await t.db.kysely.selectFrom('facilities').select('id').where('id', 'in', acknowledged).execute();
    assert.equal(stored.length, acknowledged.length, 'every acknowledged facility is stored');

    // Serves again right away: the ended connections left the pool; the next request opens a new one.
    const again = await t.req('POST', '/api/facilities', t.adminToken, facilityBody());
    assert.equal(again.status, 201);
    const health = await t.req('GET', '/api/health');
    assert.deepEqual(health, { status: 200, body: { status: 'ok', database: 'postgresql' } });
  });
});

const haveInitdb = fs.existsSync(path.join(PG_BIN, 'initdb'));

describe('a PostgreSQL cluster stopped and started under a running server [postgresql]', {
  // With TEST_DATABASE_URL set (CI) a missing initdb fails the test rather than skipping it.
  skip: skipPg,
  timeout: 90_000,
}, () => {
  it('initdb is there to make a cluster of its own', () => assert.ok(haveInitdb, `${PG_BIN}/initdb not found: install postgresql-15`));
  let dir = '';
  let port = 0;
  let server: Instance | null = null;
  // initdb refuses to run as root: the cluster belongs to the postgres OS user then.
  const asRoot = process.getuid?.() === 0;
  const pgCmd = (cmd: string, args: string[]) => {
    const argv = [path.join(PG_BIN, cmd), ...args];
    return asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', ...argv], { stdio: 'pipe', timeout: 30_000 }).toString()
      : execFileSync(argv[0], argv.slice(1), { stdio: 'pipe', timeout: 30_000 }).toString();
  };
  const data = () => path.join(dir, 'data');
  const startCluster = () => pgCmd('pg_ctl', ['-D', data(), '-l', path.join(dir, 'log'), '-w', '-t', '20', 'start',
    '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`]);
  const stopCluster = (mode = 'fast') => pgCmd('pg_ctl', ['-D', data(), '-w', '-t', '20', 'stop', '-m', mode]);

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swasthya-cluster-'));
    if (asRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
      fs.chownSync(dir, uid, gid);
    }
    port = await freePort();
    pgCmd('initdb', ['-D', data(), '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    startCluster();
  });
  after(async () => {
    await server?.stop();
    try { stopCluster('immediate'); } catch { /* already stopped */ }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 while the database is down, stays up, and serves again when it is back', async () => {
    const dbUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
    server = await spawnServer(dbUrl, ADMIN_PASSWORD);
    const base = server.base;
    const call = async (method: string, p: string, token?: string, body?: unknown) => {
      const res = await fetch(base + p, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(15_000),
      });
      const text = await res.text();
      let parsed: any = text;
      try { parsed = JSON.parse(text); } catch { /* not JSON */ }
      return { status: res.status, body: parsed };
    };
    const login = await call('POST', '/api/auth/login', undefined, { username: 'admin', password: ADMIN_PASSWORD });
    assert.equal(login.status, 200);
    const token = login.body.token as string;
    const saved = await Promise.all(Array.from({ length: 5 }, () => call('POST', '/api/facilities', token, facilityBody())));
    assert.deepEqual(saved.map((r) => r.status), [201, 201, 201, 201, 201]);
    const health = await call('GET', '/api/health');
    assert.deepEqual(health, { status: 200, body: { status: 'ok', database: 'postgresql' } });
    const held = Number((await admin(dbUrl, 'select count(*) as n from pg_stat_activity where application_name = $1', ['swasthya'])).rows[0].n);
    assert.ok(held > 0, 'the server holds pooled connections when the cluster stops');

    stopCluster('fast');
    // The pool's connections were ended by the shutdown; give the server a moment to hear it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const down = await call('GET', '/api/health');
    assert.equal(down.status, 503);
    assert.equal(down.body.status, 'unavailable');
    const write = await call('POST', '/api/facilities', token, facilityBody());
    assert.equal(write.status, 503, JSON.stringify(write.body));
    assert.equal(write.body.error.code, 'service_unavailable');
    const read = await call('GET', '/api/facilities?limit=1', token);
    assert.equal(read.status, 503);
    const fhir = await call('GET', '/fhir/Organization?name=PHC', token);
    assert.equal(fhir.status, 503, JSON.stringify(fhir.body));
    assert.equal(fhir.body.resourceType, 'OperationOutcome');
    assert.equal(fhir.body.issue[0].code, 'transient');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal((await call('GET', '/api/health')).status, 503, 'the process is still there');

    startCluster();
    let back = await call('GET', '/api/health');
    for (let i = 0; i < 50 && back.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      back = await call('GET', '/api/health');
    }
    assert.deepEqual(back, { status: 200, body: { status: 'ok', database: 'postgresql' } });
    const later = await call('POST', '/api/facilities', token, facilityBody());
    assert.equal(later.status, 201, JSON.stringify(later.body));
    for (const r of saved) {
      const got = await call('GET', `/api/facilities/${r.body.id}`, token);
      assert.equal(got.status, 200);
      assert.equal(got.body.name, r.body.name);
    }
  });
});

async function admin(connectionString: string, text: string, values: unknown[]) {
  const c = new pg.Client({ connectionString });
  await c.connect();
  try {
    return await c.query(text, values);
  } finally {
    await c.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
