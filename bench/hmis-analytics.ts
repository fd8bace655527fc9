// HMIS analytics benchmark: one state (Haryana) with 20,000 facilities across its districts and
// twelve months × 10 HMIS items of data for all of them (2.4 million values) loaded through the
// real import path, then ~15 s of district × month × 10 items analytics queries from 4 connections
// against the real app on 127.0.0.1. Before each query a worker posts a new value through the API
// and checks that the query includes it. Prints one JSON line.
//   npm run bench -- hmis-analytics   (DATABASE_URL, else BENCH_DATABASE_URL / TEST_DATABASE_URL for
//   PostgreSQL, else PGlite; BENCH_SECONDS=5 for a shorter run; BENCH_FACILITIES for a smaller state)
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { buildApp } from '../server/src/app.js';
import { prepareDatabase } from '../server/src/bootstrap.js';
import { loadConfig } from '../server/src/config.js';
import { authenticate } from '../server/src/platform/auth/auth.service.js';
import { uid } from '../server/src/platform/ids.js';
import { importDataValues } from '../server/src/modules/hmis/hmis.datavalues.import.js';
import type { RawSet } from '../server/src/modules/hmis/hmis.datavalues.parse.js';
import { freshDatabase, ms, percentile } from './lib/common.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const FACILITIES = Number(process.env.BENCH_FACILITIES ?? 20_000);
const CONNECTIONS = 4;
const ITEMS = 10;
const MONTHS = ['202501', '202502', '202503', '202504', '202505', '202506', '202507', '202508', '202509', '202510', '202511', '202512'];
/** Values per import call (each call writes in statements of 5,000 rows). */
const IMPORT_BATCH = 100_000;
const STATE_LGD = 6;
const TYPES: [string, 'public' | 'private'][] = [['SC', 'public'], ['SC', 'public'], ['SC', 'public'], ['PHC', 'public'], ['CHC', 'public'], ['CLINIC', 'private'], ['PRIVATE_HOSPITAL', 'private'], ['NURSING_HOME', 'private']];

/** The loaded value of facility `f`, item `i`, month `m`: never 0 (zeros of these items are not stored). */
const valueOf = (f: number, i: number, m: number) => ((f * 7 + i * 13 + m * 3) % 50) + 1;

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'swasthya-bench-'));
  const { db, engine, drop } = await freshDatabase(tmp);
  const adminPassword = `Bench-${randomBytes(6).toString('hex')}`;
  const config = loadConfig({ SWASTHYA_DATA_DIR: tmp, SWASTHYA_DEMO: '0', SWASTHYA_ADMIN_PASSWORD: adminPassword, SWASTHYA_LOGIN_RATE_LIMIT: '10000', LOG_LEVEL: 'silent' });
  try {
    await prepareDatabase(db, config);
    const k = db.kysely;
    const t0 = performance.now();
    const state = await k.selectFrom('org_units').select(['id', 'path']).where('level', '=', 'state').where('lgd_code', '=', STATE_LGD).executeTakeFirstOrThrow();
    const districts = await k.selectFrom('org_units').select(['id', 'path', 'lgd_code']).where('level', '=', 'district').where('path', 'like', `${state.path}%`).orderBy('lgd_code').execute();

    // Facilities in bulk, spread evenly over the districts.
    const fac = Array.from({ length: FACILITIES }, (_, n) => {
      const d = districts[n % districts.length];
      const id = uid();
      const [type, ownership] = TYPES[n % TYPES.length];
      return { id, district: n % districts.length, path: `${d.path}${id}/`, parent: d.id, type, ownership, name: `Bench ${type} ${n}` };
    });
    for (let i = 0; i < fac.length; i += 5000) {
      const b = fac.slice(i, i + 5000);
      await sql`insert into org_units (id, level, name, parent_id, path, state_lgd)
        select id, 'facility', name, parent, path, ${STATE_LGD} from unnest(${b.map((f) => f.id)}::text[], ${b.map((f) => f.name)}::text[], ${b.map((f) => f.parent)}::text[], ${b.map((f) => f.path)}::text[]) as x(id, name, parent, path)`.execute(k);
      await sql`insert into facilities (id, type, ownership, system, portal_status, state_lgd)
        select id, type, ownership, 'allopathic', 'registered', ${STATE_LGD} from unnest(${b.map((f) => f.id)}::text[], ${b.map((f) => f.type)}::text[], ${b.map((f) => f.ownership)}::text[]) as x(id, type, ownership)`.execute(k);
    }

    // Ten numeric items of the monthly return without disaggregation.
    const items = (await sql<{ id: string; code: string }>`
      select de.id, de.code from hmis_data_set_elements dse join hmis_data_sets ds on ds.id = dse.data_set_id
      join hmis_data_elements de on de.id = dse.data_element_id join hmis_category_combos cc on cc.id = de.category_combo_id
      where ds.code = 'HMIS_MONTHLY' and de.value_type in ('INTEGER_ZERO_OR_POSITIVE', 'INTEGER', 'NUMBER', 'INTEGER_POSITIVE')
        and (select count(*) from hmis_category_option_combos c where c.combo_id = cc.id) = 1
      order by de.code limit ${ITEMS}`.execute(k)).rows;
    if (items.length < ITEMS) throw new Error(`only ${items.length} plain numeric items in HMIS_MONTHLY`);

    // Twelve months × 10 items for every facility, through the import path in large batches.
    const app = await buildApp({ db, config });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    try {
      const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: adminPassword }) });
      const token = ((await login.json()) as { token: string }).token;
      const actor = await authenticate(k, token, '127.0.0.1');
      if (!actor) throw new Error('admin session not found');
      /** expected[district][item][month] = sum of the loaded values. */
      const expected = districts.map(() => items.map(() => MONTHS.map(() => 0)));
      let values = 0;
      let pending: RawSet['dataValues'] = [];
      const flush = async () => {
        const sets: RawSet[] = [{ dataValues: pending }];
        const s = await k.transaction().execute((trx) => importDataValues(trx, actor, sets));
        if (s.importCount.imported !== pending.length) throw new Error(`import: ${JSON.stringify(s).slice(0, 500)}`);
        values += pending.length;
        pending = [];
      };
      for (let f = 0; f < fac.length; f++) {
        for (let i = 0; i < items.length; i++) {
          for (let m = 0; m < MONTHS.length; m++) {
            const v = valueOf(f, i, m);
            expected[fac[f].district][i][m] += v;
            pending.push({ dataElement: items[i].id, period: MONTHS[m], orgUnit: fac[f].id, value: String(v) });
          }
        }
        if (pending.length >= IMPORT_BATCH) await flush();
      }
      if (pending.length) await flush();
      // What autovacuum would do after a bulk load: clear the aggregate rows the load superseded, refresh statistics.
      await sql`vacuum analyze hmis_agg_district_month, hmis_data_values, org_units, facilities`.execute(k);
      const setupSeconds = (performance.now() - t0) / 1000;

      // Queries: every district × 12 months × 10 items; before each, a new value posted by the same worker.
      const query = `/api/hmis/analytics?dx=${items.map((i) => i.id).join(';')}&pe=${MONTHS.join(';')}&ou=state:${STATE_LGD}&level=district`;
      const current = new Map<string, number>();
      const latencies: number[] = [];
      const postLatencies: number[] = [];
      let fresh = 0, checks = 0, errors = 0;
      let firstError: string | null = null;
      const deadline = performance.now() + SECONDS * 1000;
      const worker = async (w: number) => {
        // Each worker writes only to facilities of its own districts, so the totals it checks are its own.
        const mine = fac.map((f, n) => [f, n] as const).filter(([f]) => f.district % CONNECTIONS === w);
        for (let round = 0; performance.now() < deadline && round < 100_000; round++) {
          const [f, n] = mine[Math.floor(Math.random() * mine.length)];
          const i = Math.floor(Math.random() * items.length), m = Math.floor(Math.random() * MONTHS.length);
          const key = `${n}|${i}|${m}`;
          const old = current.get(key) ?? valueOf(n, i, m);
          const next = old + 1 + Math.floor(Math.random() * 9);
          const tp = performance.now();
          const post = await fetch(`${base}/api/dataValueSets`, {
            method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ dataValues: [{ dataElement: items[i].id, period: MONTHS[m], orgUnit: f.id, value: String(next) }] }),
          });
          const summary = (await post.json()) as { importCount?: { updated: number } };
          postLatencies.push(performance.now() - tp);
          if (post.status !== 200 || summary.importCount?.updated !== 1) { errors++; firstError ??= `post ${post.status} ${JSON.stringify(summary).slice(0, 200)}`; continue; }
          current.set(key, next);
          expected[f.district][i][m] += next - old;
          const t = performance.now();
          const res = await fetch(base + query, { headers: { authorization: `Bearer ${token}` } });
          const body = (await res.json()) as { rows: { dx: string; pe: string; ou: string; value: number }[] };
          if (res.status !== 200) { errors++; firstError ??= `query ${res.status} ${JSON.stringify(body).slice(0, 200)}`; continue; }
          latencies.push(performance.now() - t);
          checks++;
          const row = body.rows.find((r) => r.dx === items[i].id && r.pe === MONTHS[m] && r.ou === districts[f.district].id);
          if (row?.value === expected[f.district][i][m]) fresh++;
          else firstError ??= `stale: ${districts[f.district].lgd_code} ${items[i].code} ${MONTHS[m]} got ${row?.value} want ${expected[f.district][i][m]}`;
        }
      };
      const started = performance.now();
      await Promise.all(Array.from({ length: CONNECTIONS }, (_, w) => worker(w)));
      const elapsed = (performance.now() - started) / 1000;
      const sorted = latencies.sort((a, b) => a - b);
      const posts = postLatencies.sort((a, b) => a - b);
      console.log(JSON.stringify({
        bench: 'hmis-analytics',
        engine,
        facilities: FACILITIES,
        districts: districts.length,
        values,
        setupSeconds: ms(setupSeconds),
        loadedThrough: 'importDataValues',
        connections: CONNECTIONS,
        seconds: ms(elapsed),
        queries: sorted.length,
        rowsPerQuery: districts.length * ITEMS * MONTHS.length,
        p50ms: ms(percentile(sorted, 50)),
        p95ms: ms(percentile(sorted, 95)),
        p99ms: ms(percentile(sorted, 99)),
        postP50ms: ms(percentile(posts, 50)),
        postP95ms: ms(percentile(posts, 95)),
        freshReads: `${fresh}/${checks}`,
        errors,
        ...(firstError ? { firstError } : {}),
      }));
      if (errors || fresh !== checks) process.exitCode = 1;
    } finally {
      await app.close();
    }
  } finally {
    await drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error('bench hmis-analytics failed:', e);
  process.exit(1);
});
