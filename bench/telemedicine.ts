// Telemedicine benchmark: two API server processes on one PostgreSQL schema, 50 doctors online in
// one hub specialty pressing "next" at once over 2,000 waiting requests (as the concurrency test),
// measuring claims per second and the latency of each press. Prints one JSON line.
//   npm run bench -- telemedicine   (PostgreSQL from BENCH_DATABASE_URL / TEST_DATABASE_URL / DATABASE_URL;
//   BENCH_REQUESTS, BENCH_DOCTORS, BENCH_INSTANCES to change the load)
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createSchema, dropSchema } from '../server/src/db/schemas.js';
import { drain, httpClient, loadQueue, schemaUrl, spawnServer, type Instance } from '../server/src/test/tele-load.js';
import { ms, percentile } from './lib/common.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const DOCTORS = Number(process.env.BENCH_DOCTORS ?? 50);
const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 2);

async function main() {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) {
    console.log(JSON.stringify({ bench: 'telemedicine', skipped: 'needs PostgreSQL: set BENCH_DATABASE_URL or TEST_DATABASE_URL (several server instances share one database)' }));
    return;
  }
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const password = `Bench-${randomBytes(6).toString('hex')}`;
  await createSchema(url, schema);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const version = (await admin.query('show server_version')).rows[0].server_version as string;
  await admin.end();
  const instances: Instance[] = [];
  try {
    for (let i = 0; i < INSTANCES; i++) instances.push(await spawnServer(schemaUrl(url, schema), password));
    const client = await httpClient(instances[0].base, password);
    const t0 = performance.now();
    const net = await loadQueue(client, { doctors: DOCTORS, requests: REQUESTS });
    const setupSeconds = (performance.now() - t0) / 1000;
    const run = await drain(instances.map((i) => i.base), net);
    const lat = run.claims.map((c) => c.ms).sort((a, b) => a - b);
    const unique = new Set(run.claims.map((c) => c.id)).size;
    console.log(JSON.stringify({
      bench: 'telemedicine', engine: `postgresql ${version.split(' ')[0]}`, instances: INSTANCES, doctors: DOCTORS, requests: REQUESTS,
      setupSeconds: Math.round(setupSeconds * 10) / 10, claims: run.claims.length, uniqueClaims: unique, lost: REQUESTS - unique,
      seconds: Math.round(run.seconds * 100) / 100, claimsPerSecond: Math.round(run.claims.length / run.seconds),
      p50ms: ms(percentile(lat, 50)), p95ms: ms(percentile(lat, 95)), p99ms: ms(percentile(lat, 99)), maxMs: ms(lat.at(-1) ?? 0),
      errors: run.errors.length,
    }));
  } finally {
    await Promise.all(instances.map((i) => i.stop()));
    if (process.env.BENCH_KEEP) console.error('kept schema', schema);
    else await dropSchema(url, schema);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
