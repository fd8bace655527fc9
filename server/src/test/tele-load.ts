// Many doctors pressing "next" on several real server processes that share one PostgreSQL schema:
// used by the concurrency test and by bench/telemedicine.ts.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestApp } from './harness.js';
import { buildNetwork, letters, type TeleNetwork } from './telemedicine.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface Instance { base: string; pid: number; stop(): Promise<void> }

/** A connection URL whose sessions use `schema` first (the server's own pool keeps the URL's options). */
export function schemaUrl(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema},public`);
  return u.toString();
}

/** Starts `server/src/main.ts` as its own process on a free port; resolves once it listens. */
export async function spawnServer(databaseUrl: string, adminPassword: string): Promise<Instance> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'swasthya-instance-'));
  // BENCH_CPU_PROF=<dir>: each server writes a V8 CPU profile there when it stops.
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
  // Node's memory flags as `npm start` sets them (scripts/node-flags.mjs), when this process was given them (npm run bench).
  const flags = process.execArgv.filter((a) => a.startsWith('--max-semi-space-size'));
  const child: ChildProcess = spawn(process.execPath, [...flags, ...prof, '--import', 'tsx', path.join(root, 'server/src/main.ts')], {
    cwd: root,
    env: {
      ...process.env, DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', SWASTHYA_DEMO: '0', SWASTHYA_ADMIN_PASSWORD: adminPassword,
      SWASTHYA_DATA_DIR: dataDir, SWASTHYA_LOGIN_RATE_LIMIT: '10000', LOG_LEVEL: 'warn', NODE_ENV: 'production',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const base = await new Promise<string>((resolve, reject) => {
    const onData = (b: Buffer) => {
      output += b.toString();
      const m = /running on (http:\/\/[^/\s]+)\//.exec(output);
      if (m) resolve(m[1]);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
    setTimeout(() => reject(new Error(`server did not start in 60 s:\n${output}`)), 60_000);
  });
  return {
    base,
    pid: child.pid!,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

/** The parts of TestApp that buildNetwork uses, over real HTTP to a running server. */
export async function httpClient(base: string, adminPassword: string): Promise<Pick<TestApp, 'req' | 'adminToken' | 'userWith' | 'login'>> {
  const call = jsonClient([base], 8);
  const req: TestApp['req'] = (method, url, token, body) => call(method, url, token ?? null, body);
  const login = async (username: string, password: string) => {
    const r = await req('POST', '/api/auth/login', null, { username, password });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.token as string;
  };
  const adminToken = await login('admin', adminPassword);
  return {
    req, login, adminToken,
    async userWith(role, orgUnit) {
      const username = `${role}_${Math.random().toString(36).slice(2, 10)}`;
      const password = `Pass-${Math.random().toString(36).slice(2, 12)}`;
      const r = await req('POST', '/api/users', adminToken, { username, password, role, orgUnit });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return { token: await login(username, password), username, id: r.body.id };
    },
  };
}

/** Runs `n` tasks with at most `width` at once. */
export async function pool<T>(n: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, n) }, async () => {
    while (next < n) { const i = next++; out[i] = await task(i); }
  }));
  return out;
}

/** A hub with `doctors` doctors online and `requests` patients waiting in its general medicine queue. */
export async function loadQueue(client: Awaited<ReturnType<typeof httpClient>>, opts: { doctors: number; requests: number }): Promise<TeleNetwork & { requestIds: string[] }> {
  const net = await buildNetwork(client, { doctors: opts.doctors, online: true });
  const requestIds = await pool(opts.requests, 8, async (i) => {
    const p = await client.req('POST', '/api/patients', net.cho, { name: `${letters()} ${letters()}`, sex: i % 2 ? 'female' : 'male', age: 20 + (i % 40), address: { district: 22 } });
    assert.equal(p.status, 201, JSON.stringify(p.body));
    const r = await client.req('POST', '/api/telemedicine/requests', net.cho, { patientId: p.body.id, hubId: net.hub, specialty: 'general_medicine', priority: 'normal' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id as string;
  });
  return { ...net, requestIds };
}

export interface Claim { doctor: number; id: string; patientId: string; ms: number }

/**
 * Every doctor presses "next" at once, on instance `doctor % instances`, again and again until the
 * queue answers 204. Returns each claim with its latency, and the seconds the whole run took.
 */
export async function drain(bases: string[], net: TeleNetwork): Promise<{ claims: Claim[]; empties: number; errors: string[]; seconds: number }> {
  const claims: Claim[] = [];
  const errors: string[] = [];
  let empties = 0;
  const t0 = performance.now();
  const calls = bases.map((base) => jsonClient([base], net.doctors.length));
  await Promise.all(net.doctors.map(async (d, doctor) => {
    const call = calls[doctor % bases.length];
    for (;;) {
      const s = performance.now();
      const res = await call('POST', '/api/telemedicine/next', d.token, { hubId: net.hub, specialty: 'general_medicine' });
      const ms = performance.now() - s;
      if (res.status === 204) { empties++; return; }
      if (res.status !== 200) { errors.push(`${res.status} ${JSON.stringify(res.body)}`); return; }
      claims.push({ doctor, id: res.body.id, patientId: res.body.patientId, ms });
    }
  }));
  return { claims, empties, errors, seconds: (performance.now() - t0) / 1000 };
}

/** A keep-alive JSON client for load generation (lighter than fetch on the generator's own CPU): requests go to `bases` in turn. */
export function jsonClient(bases: string[], connections: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  let turn = 0;
  return (method: string, url: string, token: string | null, body?: unknown) => new Promise<{ status: number; body: any }>((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const target = new URL(bases[turn++ % bases.length] + url);
    const req = http.request({
      agent, method, hostname: target.hostname, port: target.port, path: target.pathname + target.search,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}
