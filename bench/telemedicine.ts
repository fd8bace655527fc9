// Telemedicine benchmark: two API server processes on one PostgreSQL schema, 50 doctors online in
// one hub specialty pressing "next" at once over 2,000 waiting requests (as the concurrency test),
// measuring claims per second and the latency of each press. Prints one JSON line.
//   npm run bench -- telemedicine   (PostgreSQL from DATABASE_URL / BENCH_DATABASE_URL / TEST_DATABASE_URL;
//   BENCH_REQUESTS, BENCH_DOCTORS, BENCH_INSTANCES to change the load)
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { drain, httpClient, loadQueue, spawnServer, type Instance } from '../server/src/test/tele-load.js';
import { freshDatabase, ms, percentile } from './lib/common.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const DOCTORS = Number(process.env.BENCH_DOCTORS ?? 50);
const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 2);

async function main() {
  if (!(process.env.DATABASE_URL ?? process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL)) {
    console.log(JSON.stringify({ bench: 'telemedicine', skipped: 'needs PostgreSQL: set BENCH_DATABASE_URL or TEST_DATABASE_URL (several server instances share one database)' }));
    return;
  }
  const { engine, drop, url } = await freshDatabase(fs.mkdtempSync(path.join(os.tmpdir(), 'swasthya-bench-')));
  const password = `Bench-${randomBytes(6).toString('hex')}`;
  const instances: Instance[] = [];
  try {
    for (let i = 0; i < INSTANCES; i++) instances.push(await spawnServer(url!, password));
    const client = await httpClient(instances[0].base, password);
    const t0 = performance.now();
    const net = await loadQueue(client, { doctors: DOCTORS, requests: REQUESTS });
    const setupSeconds = (performance.now() - t0) / 1000;
    const run = await drain(instances.map((i) => i.base), net);
    const lat = run.claims.map((c) => c.ms).sort((a, b) => a - b);
    const unique = new Set(run.claims.map((c) => c.id)).size;
    console.log(JSON.stringify({
      bench: 'telemedicine', engine, instances: INSTANCES, doctors: DOCTORS, requests: REQUESTS,
      setupSeconds: Math.round(setupSeconds * 10) / 10, claims: run.claims.length, uniqueClaims: unique, lost: REQUESTS - unique,
      seconds: Math.round(run.seconds * 100) / 100, claimsPerSecond: Math.round(run.claims.length / run.seconds),
      p50ms: ms(percentile(lat, 50)), p95ms: ms(percentile(lat, 95)), p99ms: ms(percentile(lat, 99)), maxMs: ms(lat.at(-1) ?? 0),
      errors: run.errors.length,
    }));
  } finally {
    await Promise.all(instances.map((i) => i.stop()));
    await drop();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
