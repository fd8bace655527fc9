// Registry benchmark: a fresh database with all of India's LGD states, districts and blocks and the
// 30,606-row National Hospital Directory, then ~15 s of facility searches from 8 connections
// against the real app on 127.0.0.1. Prints one JSON line.
//   npm run bench -- registry        (BENCH_SECONDS=5 for a shorter run; DATABASE_URL for PostgreSQL)
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../server/src/app.js';
import { prepareDatabase } from '../server/src/bootstrap.js';
import { loadConfig } from '../server/src/config.js';
import { importFacilities } from '../server/src/modules/facilities/facilities.import.js';
import { importLgd } from '../server/src/modules/geo/geo.import.js';
import { freshDatabase, ms, percentile } from './lib/common.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(root, '../shared/data');
const FILES = {
  states: path.join(shared, 'lgd/lgd_1-state.csv'),
  districts: path.join(shared, 'lgd/lgd_2-district.csv'),
  blocks: path.join(shared, 'lgd/lgd_blocks.csv'),
  facilities: path.join(shared, 'facilities/nhd_hospital_directory_trimmed.csv'),
};
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = 8;

const missing = Object.values(FILES).filter((f) => !fs.existsSync(f));
if (missing.length) {
  console.error(`bench registry: the shared data is missing (${missing.join(', ')}); it is expected in ${shared}`);
  process.exit(1);
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'swasthya-bench-'));
  const { db, drop } = await freshDatabase(tmp);
  const adminPassword = `Bench-${randomBytes(6).toString('hex')}`;
  const config = loadConfig({ SWASTHYA_DATA_DIR: tmp, SWASTHYA_DEMO: '0', SWASTHYA_ADMIN_PASSWORD: adminPassword, SWASTHYA_LOGIN_RATE_LIMIT: '10000', LOG_LEVEL: 'silent' });
  try {
    await prepareDatabase(db, config);
    const read = (f: string) => fs.readFileSync(f, 'utf8');
    const t0 = performance.now();
    await db.kysely.transaction().execute((trx) =>
      importLgd(trx, { states: read(FILES.states), districts: read(FILES.districts), blocks: read(FILES.blocks) }));
    const imported = await db.kysely.transaction().execute((trx) => importFacilities(trx, read(FILES.facilities)));
    const importSeconds = (performance.now() - t0) / 1000;

    const app = await buildApp({ db, config });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    try {
      const call = async (method: string, url: string, token: string | null, body?: unknown) => {
        const res = await fetch(base + url, {
          method,
          headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        });
        const text = await res.text();
        return { status: res.status, body: text ? JSON.parse(text) : null };
      };
      const login = async (username: string, password: string) => {
        const r = await call('POST', '/api/auth/login', null, { username, password });
        if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
        return r.body.token as string;
      };
      const adminToken = await login('admin', adminPassword);
      // A state officer of Maharashtra (the state with the most rows), to exercise scoped queries.
      const password = `Pass-${randomBytes(6).toString('hex')}`;
      const made = await call('POST', '/api/users', adminToken, { username: 'bench_mh', password, role: 'state_officer', orgUnit: 'state:27' });
      if (made.status !== 201) throw new Error(`create user: ${made.status} ${JSON.stringify(made.body)}`);
      const stateToken = await login('bench_mh', password);

      const children = await call('GET', '/api/geo/units/state:27/children', stateToken);
      const districts = ((children.body?.items ?? []) as { lgdCode: number; level: string }[]).filter((d) => d.level === 'district').map((d) => d.lgdCode);
      if (!districts.length) throw new Error(`no districts of Maharashtra: ${children.status} ${JSON.stringify(children.body).slice(0, 200)}`);
      const states = [27, 24, 9, 33, 29, 6, 28, 8, 3, 36, 19, 10, 2];
      const words = ['hospital', 'sai', 'care', 'city', 'nursing', 'eye', 'children', 'shree', 'multi', 'clinic', 'life', 'apollo'];
      const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
      const kinds: Record<string, () => [string, string]> = {
        district: () => [`/api/facilities?district=${pick(districts)}&limit=50&offset=${50 * Math.floor(Math.random() * 4)}`, stateToken],
        search: () => [`/api/facilities?q=${encodeURIComponent(pick(words))}&limit=20`, adminToken],
        filter: () => [`/api/facilities?state=${pick(states)}&type=${pick(['CHC', 'PHC', 'NURSING_HOME', 'PRIVATE_HOSPITAL'])}&ownership=${pick(['public', 'private'])}&limit=50`, adminToken],
        summary: () => [`/api/facilities/summary?orgUnit=state:${pick(states)}`, adminToken],
      };
      const names = Object.keys(kinds);
      const latencies: Record<string, number[]> = Object.fromEntries(names.map((k) => [k, []]));
      let errors = 0;
      let firstError: string | null = null;
      const started = performance.now();
      const deadline = started + SECONDS * 1000;
      let turn = 0;
      const worker = async () => {
        while (performance.now() < deadline) {
          const kind = names[turn++ % names.length];
          const [url, token] = kinds[kind]();
          const t = performance.now();
          const res = await fetch(base + url, { headers: { authorization: `Bearer ${token}` } });
          await res.arrayBuffer();
          if (res.status !== 200) {
            errors++;
            firstError ??= `${res.status} ${url}`;
            continue;
          }
          latencies[kind].push(performance.now() - t);
        }
      };
      await Promise.all(Array.from({ length: CONNECTIONS }, worker));
      const elapsed = (performance.now() - started) / 1000;
      const all = Object.values(latencies).flat().sort((a, b) => a - b);
      const byKind = Object.fromEntries(names.map((k) => {
        const s = latencies[k].sort((a, b) => a - b);
        return [k, { requests: s.length, p50ms: ms(percentile(s, 50)), p99ms: ms(percentile(s, 99)) }];
      }));
      console.log(JSON.stringify({
        bench: 'registry',
        engine: db.engine,
        facilities: imported.imported + imported.updated,
        importSeconds: ms(importSeconds),
        connections: CONNECTIONS,
        seconds: ms(elapsed),
        requests: all.length,
        errors,
        ...(firstError ? { firstError } : {}),
        rps: ms(all.length / elapsed),
        p50ms: ms(percentile(all, 50)),
        p99ms: ms(percentile(all, 99)),
        byKind,
      }));
      if (errors) process.exitCode = 1;
    } finally {
      await app.close();
    }
  } finally {
    await drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error('bench registry failed:', e);
  process.exit(1);
});
