// One large DHIS2 CSV (BENCH_ROWS values, 300,000 by default) streamed to POST /api/dataValueSets
// over a socket, made as it is sent, while GET /api/health is asked every 20 ms. Measures the import's
// rate, how long health waited (the import must never stall other requests), and how far the
// server's memory grew (the body must never be held whole). Prints one JSON line.
//   npm run bench -- hmis-stream     (PostgreSQL from DATABASE_URL/BENCH_DATABASE_URL/TEST_DATABASE_URL, else PGlite)
//   node --expose-gc --import tsx bench/hmis-stream.ts   (adds liveHeapGrowthMB: the heap after collections)
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buildApp } from '../server/src/app.js';
import { prepareDatabase } from '../server/src/bootstrap.js';
import { loadConfig } from '../server/src/config.js';
import { uid } from '../server/src/platform/ids.js';
import { resolveOrgUnit } from '../server/src/modules/geo/geo.service.js';
import { freshDatabase, ms, percentile } from './lib/common.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 300_000);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'swasthya-bench-'));
const { db, engine, drop } = await freshDatabase(tmp);
try {
  const password = 'Bench-Pass-1234';
  await prepareDatabase(db, { adminPassword: password, demo: false });
  const k = db.kysely;
  const district = await resolveOrgUnit(k, 'district:63');
  const units = Array.from({ length: 50 }, (_, i) => { const id = uid(); return { id, path: `${district.path}${id}/`, i }; });
  await k.insertInto('org_units').values(units.map((u) => ({ id: u.id, level: 'facility' as const, name: `Bench facility ${u.i}`, parent_id: district.id, path: u.path, state_lgd: 6 }))).execute();
  await k.insertInto('facilities').values(units.map((u) => ({ id: u.id, type: 'PHC', ownership: 'public' as const, system: 'allopathic' as const, portal_status: 'registered' as const, state_lgd: 6 }))).execute();
  const cells = await k.selectFrom('hmis_data_set_elements as dse').innerJoin('hmis_data_sets as ds', 'ds.id', 'dse.data_set_id')
    .innerJoin('hmis_data_elements as de', 'de.id', 'dse.data_element_id').innerJoin('hmis_category_option_combos as c', 'c.combo_id', 'de.category_combo_id')
    .select(['de.id as de', 'c.id as coc']).where('ds.code', '=', 'HMIS_MONTHLY').where('de.value_type', 'in', ['INTEGER', 'INTEGER_ZERO_OR_POSITIVE', 'NUMBER']).execute();

  let bytes = 0;
  function* csv() {
    yield 'dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value\n';
    let n = 0;
    for (let month = 0; n < ROWS; month++) {
      const pe = `${2000 + Math.floor(month / 12)}${String((month % 12) + 1).padStart(2, '0')}`;
      let chunk = '';
      for (const u of units) for (const c of cells) if (n++ < ROWS) chunk += `${c.de},${pe},${u.id},${c.coc},,${1 + (n % 500)}\n`;
      bytes += chunk.length;
      yield chunk;
    }
  }

  const config = { ...loadConfig({ SWASTHYA_DATA_DIR: '/nonexistent', LOG_LEVEL: 'silent' }), adminPassword: password, demo: false };
  const app = await buildApp({ db, config });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}`;
  const token = (await (await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) })).json()).token;

  global.gc?.();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  // With --expose-gc (as `npm run bench` is not, run it as below), the heap is sampled right after a
  // collection: what the import keeps alive, not garbage not yet collected.
  let peakLive = before.heapUsed;
  let samples = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
    if (global.gc && ++samples % 10 === 0) { global.gc(); peakLive = Math.max(peakLive, process.memoryUsage().heapUsed); }
  }, 50);
  let done = false;
  const waits: number[] = [];
  const health = (async () => {
    while (!done) {
      const t = performance.now();
      await (await fetch(`${base}/api/health`)).arrayBuffer();
      waits.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const t0 = performance.now();
  const summary = await new Promise<any>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/api/dataValueSets', method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/csv' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c) => { text += c; }).on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`${res.statusCode} ${text.slice(0, 300)}`))));
    });
    req.on('error', reject);
    Readable.from(csv()).pipe(req);
  });
  const seconds = (performance.now() - t0) / 1000;
  done = true;
  await health;
  clearInterval(sampler);
  await app.close();
  waits.sort((a, b) => a - b);
  console.log(JSON.stringify({
    bench: 'hmis-stream', engine, rows: ROWS, csvMB: ms(bytes / 1024 / 1024), imported: summary.importCount.imported, conflicts: summary.conflicts.length,
    seconds: ms(seconds), valuesPerSecond: Math.round(ROWS / seconds),
    healthChecks: waits.length, healthP50Ms: ms(percentile(waits, 50)), healthP99Ms: ms(percentile(waits, 99)), healthMaxMs: ms(waits[waits.length - 1] ?? 0),
    rssGrowthMB: ms((peakRss - before.rss) / 1024 / 1024), heapGrowthMB: ms((peakHeap - before.heapUsed) / 1024 / 1024),
    liveHeapGrowthMB: global.gc ? ms((peakLive - before.heapUsed) / 1024 / 1024) : null,
  }));
} finally {
  await drop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
