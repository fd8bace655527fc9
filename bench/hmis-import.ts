// One million HMIS data values (3,030 facilities × ~110 item/option-combo cells × 3 months) posted
// as DHIS2 CSV through the real API into PostgreSQL, beside a raw COPY of the same rows into a
// table of the same shape in the same run. Prints one JSON line.
//   npm run bench -- hmis-import        (PostgreSQL from BENCH_DATABASE_URL, TEST_DATABASE_URL or DATABASE_URL)
//   BENCH_SINGLE=1: the whole file in one request, its body streamed as it is made (as a district's
//   yearly file would come), and the process's memory (RSS: the in-process server and the client making
//   the file) sampled while it imports. BENCH_PG_LOG=1 logs the server's statements with their times
//   (log_min_duration_statement=0, in PostgreSQL's log). BENCH_FACILITIES (3,030) sets the size.
//   The line gives the CPU each side spent on the import (this process: server and client making the
//   file; its PostgreSQL sessions) and, in single mode, how long GET /api/health took meanwhile
//   (asked every 100 ms on its own connection): other requests must keep answering.
//   BENCH_CPU_PROF=<file>: a CPU profile of this process during the import only (open it in Chrome's DevTools).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import os from 'node:os';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { buildApp } from '../server/src/app.js';
import { prepareDatabase } from '../server/src/bootstrap.js';
import { loadConfig } from '../server/src/config.js';
import { openPostgres } from '../server/src/db/connect.js';
import { createSchema, dropSchema } from '../server/src/db/schemas.js';
import { uid } from '../server/src/platform/ids.js';
import { resolveOrgUnit } from '../server/src/modules/geo/geo.service.js';
import { cpuMeter } from './lib/cpu.js';

const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
if (!url) {
  console.log(JSON.stringify({ bench: 'hmis-import', skipped: 'needs PostgreSQL: set BENCH_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)' }));
  process.exit(0);
}
const FACILITIES = Number(process.env.BENCH_FACILITIES ?? 3030);
const PERIODS = ['202407', '202408', '202409'];
const SINGLE = process.env.BENCH_SINGLE === '1';
const REQUEST_VALUES = SINGLE ? Infinity : 100_000;
/** Requests in flight at once: a client sending the next file while the last is written. */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 2);

const sec = (ms: number) => Math.round(ms / 100) / 10;
/** Count, median, p99 and worst of GET /api/health's times, in ms. */
function latency(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0);
  return { asked: s.length, p50: at(0.5), p99: at(0.99), max: Math.round(s[s.length - 1] ?? 0) };
}

const schema = `bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: url });
await admin.connect();
await createSchema(url, schema);
const appName = `bench hmis-import ${schema}`;
const db = await openPostgres(url, { schema, max: 4, appName, ...(process.env.BENCH_PG_LOG ? { settings: "-c log_min_duration_statement=0" } : {}) });
try {
  const password = 'Bench-Pass-1';
  await prepareDatabase(db, { adminPassword: password, demo: false });
  const k = db.kysely;

  // Facilities across Haryana's districts, inserted directly (the registry is not what is measured).
  const districts = await Promise.all([58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76].map((c) => resolveOrgUnit(k, `district:${c}`)));
  const units = Array.from({ length: FACILITIES }, (_, i) => {
    const d = districts[i % districts.length];
    const id = uid();
    return { id, path: `${d.path}${id}/`, d, i };
  });
  for (let i = 0; i < units.length; i += 500) {
    const chunk = units.slice(i, i + 500);
    await k.insertInto('org_units').values(chunk.map((u) => ({ id: u.id, level: 'facility' as const, name: `Bench facility ${u.i}`, parent_id: u.d.id, path: u.path, state_lgd: 6 }))).execute();
    await k.insertInto('facilities').values(chunk.map((u) => ({ id: u.id, type: 'PHC', ownership: 'public' as const, system: 'allopathic' as const, portal_status: 'registered' as const, state_lgd: 6 }))).execute();
  }
  const cells = await k.selectFrom('hmis_data_set_elements as dse').innerJoin('hmis_data_sets as ds', 'ds.id', 'dse.data_set_id')
    .innerJoin('hmis_data_elements as de', 'de.id', 'dse.data_element_id').innerJoin('hmis_category_option_combos as c', 'c.combo_id', 'de.category_combo_id')
    .select(['de.id as de', 'c.id as coc']).where('ds.code', '=', 'HMIS_MONTHLY').execute();
  const total = FACILITIES * cells.length * PERIODS.length;

  // The same rows, as CSV for the API and as COPY text for the baseline.
  function* rows() {
    for (const pe of PERIODS) for (const u of units) for (const [j, c] of cells.entries()) yield { de: c.de, pe, ou: u.id, coc: c.coc, value: String(1 + ((u.i * 7 + j * 13) % 500)), path: u.path };
  }

  const config = { ...loadConfig({ SWASTHYA_DATA_DIR: '/nonexistent', LOG_LEVEL: 'silent' }), adminPassword: password, demo: false };
  const app = await buildApp({ db, config });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const token = (await (await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) })).json()).token;

  let imported = 0;
  let conflicts = 0;
  const meter = cpuMeter(url, process.pid, appName);
  await meter.start();
  const profiler = process.env.BENCH_CPU_PROF ? new Session() : null;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  const t0 = performance.now();
  let batch: string[] = [];
  const inFlight = new Set<Promise<void>>();
  const send = async (lines: string[]) => {
    const body = `dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value\n${lines.join('\n')}\n`;
    const res = await fetch(`${base}/api/dataValueSets`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/csv' }, body });
    const summary = await res.json();
    if (res.status !== 200) throw new Error(`import failed: ${res.status} ${JSON.stringify(summary).slice(0, 300)}`);
    imported += summary.importCount.imported;
    conflicts += summary.conflicts.length;
  };
  const flush = async () => {
    const p = send(batch).finally(() => inFlight.delete(p));
    inFlight.add(p);
    batch = [];
    if (inFlight.size >= CONCURRENCY) await Promise.race(inFlight);
  };
  let rssPeakMB = 0;
  const rssAtStartMB = Math.round(process.memoryUsage().rss / 1e6);
  const healthMs: number[] = [];
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  if (SINGLE) {
    // One request; the CSV made as it is sent (1 MB chunks), never whole in memory on either side.
    const sampler = setInterval(() => { rssPeakMB = Math.max(rssPeakMB, Math.round(process.memoryUsage.rss() / 1e6)); }, 100);
    let importing = true;
    loopDelay.enable();
    const health = (async () => {
      while (importing) {
        const started = performance.now();
        await (await fetch(`${base}/api/health`)).arrayBuffer();
        healthMs.push(performance.now() - started);
        await new Promise((res) => setTimeout(res, 100));
      }
    })();
    const body = Readable.from((function* () {
      let chunk = 'dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value\n';
      for (const r of rows()) {
        chunk += `${r.de},${r.pe},${r.ou},${r.coc},HllvX50cXC0,${r.value}\n`;
        if (chunk.length > 1 << 20) { yield chunk; chunk = ''; }
      }
      if (chunk) yield chunk;
    })());
    const res = await fetch(`${base}/api/dataValueSets`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/csv' }, body: Readable.toWeb(body) as ReadableStream, duplex: 'half' } as RequestInit);
    const summary = await res.json();
    clearInterval(sampler);
    loopDelay.disable();
    importing = false;
    await health;
    if (res.status !== 200) throw new Error(`import failed: ${res.status} ${JSON.stringify(summary).slice(0, 300)}`);
    imported += summary.importCount.imported;
    conflicts += summary.conflicts.length;
  } else {
    for (const r of rows()) {
      batch.push(`${r.de},${r.pe},${r.ou},${r.coc},HllvX50cXC0,${r.value}`);
      if (batch.length === REQUEST_VALUES) await flush();
    }
    if (batch.length) await flush();
    await Promise.all(inFlight);
  }
  const apiSeconds = (performance.now() - t0) / 1000;
  const apiCpu = await meter.stop();
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    fs.writeFileSync(process.env.BENCH_CPU_PROF!, JSON.stringify(profile));
    profiler.disconnect();
  }
  await app.close();

  // The million new rows would call autovacuum in while the baseline runs and slow it (a ratio that
  // flatters the API); they are vacuumed first, outside both timings.
  await admin.query(`vacuum (analyze) ${schema}.hmis_data_values`);
  // Baseline: COPY of the same rows, every column the API fills, into a table of the same shape.
  // Autovacuum is kept off the baseline's table: a pass in the middle of the COPY would slow it by chance.
  await admin.query(`create table ${schema}.copy_target (like ${schema}.hmis_data_values including all) with (autovacuum_enabled = false)`);
  const client = new pg.Client({ connectionString: url, application_name: `${appName} copy` });
  await client.connect();
  const copyMeter = cpuMeter(url, process.pid, `${appName} copy`);
  await copyMeter.start();
  const t1 = performance.now();
  const stream = client.query(copyFrom(`copy ${schema}.copy_target (data_element_id, period, org_unit_id, coc_id, aoc_id, value, num_value, stored_by, period_type, period_start, period_end, ou_path, state_lgd) from stdin`));
  const starts: Record<string, [string, string]> = { 202407: ['2024-07-01', '2024-07-31'], 202408: ['2024-08-01', '2024-08-31'], 202409: ['2024-09-01', '2024-09-30'] };
  const text = Readable.from((function* () {
    let chunk = '';
    for (const r of rows()) {
      chunk += `${r.de}\t${r.pe}\t${r.ou}\t${r.coc}\tHllvX50cXC0\t${r.value}\t${r.value}\tadmin\tMonthly\t${starts[r.pe][0]}\t${starts[r.pe][1]}\t${r.path}\t6\n`;
      if (chunk.length > 1 << 20) { yield chunk; chunk = ''; }
    }
    if (chunk) yield chunk;
  })());
  await pipeline(text, stream);
  const copySeconds = (performance.now() - t1) / 1000;
  const copyCpu = await copyMeter.stop();
  await client.end();

  const apiRate = Math.round(total / apiSeconds);
  const copyRate = Math.round(total / copySeconds);
  console.log(JSON.stringify({
    bench: 'hmis-import', engine: 'postgresql', facilities: FACILITIES, cells: cells.length, periods: PERIODS.length, values: total,
    imported, conflicts, requests: SINGLE ? 1 : Math.ceil(total / REQUEST_VALUES), concurrency: SINGLE ? 1 : CONCURRENCY,
    ...(SINGLE ? { processRssMB: { atStart: rssAtStartMB, peakWhileImporting: rssPeakMB }, healthMs: latency(healthMs), eventLoopDelayMs: { p50: Math.round(loopDelay.percentile(50) / 1e6), p99: Math.round(loopDelay.percentile(99) / 1e6), max: Math.round(loopDelay.max / 1e6) } } : {}),
    cpuSeconds: { api: { node: sec(apiCpu.serverMs), postgres: sec(apiCpu.postgresMs) }, copy: { node: sec(copyCpu.serverMs), postgres: sec(copyCpu.postgresMs) } },
    machine: { cores: os.cpus().length, loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100) }, apiSeconds: Math.round(apiSeconds * 10) / 10, apiValuesPerSecond: apiRate,
    copySeconds: Math.round(copySeconds * 10) / 10, copyValuesPerSecond: copyRate, ratioToCopy: Math.round((apiRate / copyRate) * 100) / 100,
  }));
} finally {
  await db.close();
  await admin.end();
  await dropSchema(url, schema);
}
