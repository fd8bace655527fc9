// Patients benchmark: a state with one million registered patients (names in Devanagari and Latin
// letters drawn from common Haryana/Himachal/Bihar names), then registrations through the API from
// BENCH_CONNECTIONS counters (default 16) for ~10 s, then name searches across scripts (some
// misspelt) one after another. On PostgreSQL the API runs as BENCH_INSTANCES server processes
// (default 1). Prints one JSON line.
//   npm run bench -- patients   (PostgreSQL from BENCH_DATABASE_URL / TEST_DATABASE_URL / DATABASE_URL,
//   else PGlite; BENCH_PATIENTS=100000 for a smaller state, BENCH_SECONDS=5 for a shorter run).
//   A crore: BENCH_PATIENTS=10000000 BENCH_KEEP=1 loads and keeps the schema (its name on stderr);
//   BENCH_SCHEMA=<that name> measures on it again without loading. The JSON line gives the table's and
//   each index's size on disk (diskMb).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { buildApp } from '../server/src/app.js';
import { prepareDatabase } from '../server/src/bootstrap.js';
import { loadConfig } from '../server/src/config.js';
import { uid } from '../server/src/platform/ids.js';
import { resolveOrgUnit } from '../server/src/modules/geo/geo.service.js';
import { luhnCheckDigit } from '../server/src/modules/patients/patients.identity.js';
import { devanagariToLatin, phoneticKey } from '../server/src/modules/patients/patients.names.js';
import { freshDatabase, keptDatabase, ms, percentile } from './lib/common.js';
import { hashPassword } from '../server/src/platform/auth/passwords.js';
import { copyRows } from '../server/src/db/copy.js';
import { jsonClient, spawnServer, type Instance } from '../server/src/test/tele-load.js';

const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 1);
const SEARCHES = 300;

const FIRST = ['रमेश', 'सुरेश', 'सुनीता', 'अनीता', 'गीता', 'पूजा', 'प्रिया', 'राजेश', 'राकेश', 'मुकेश', 'कमला', 'शांति', 'लक्ष्मी', 'विजय', 'अनिल',
  'सुनील', 'मनोज', 'संजय', 'अजय', 'रवि', 'कविता', 'ममता', 'सरोज', 'उषा', 'आशा', 'किरण', 'ज्योति', 'नीलम', 'रेखा', 'सीमा', 'दीपक', 'अमित', 'सचिन',
  'राहुल', 'विकास', 'विनोद', 'प्रदीप', 'संदीप', 'कुलदीप', 'जगदीश', 'ओमप्रकाश', 'धर्मवीर', 'बलवान', 'सतबीर', 'कृष्ण', 'हरि', 'मोहन', 'सोहन', 'राम', 'श्याम'];
const LAST = ['कुमार', 'देवी', 'शर्मा', 'वर्मा', 'सिंह', 'यादव', 'चौधरी', 'ठाकुर', 'राणा', 'नेगी', 'सैनी', 'जाट', 'मलिक', 'हुड्डा', 'सांगवान',
  'गुप्ता', 'अग्रवाल', 'मिश्रा', 'पांडे', 'झा', 'पासवान', 'मंडल', 'खान', 'बिश्नोई', 'भारद्वाज', 'चौहान', 'डोगरा', 'कौशिक', 'गोयल', 'जैन'];

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'swasthya-bench-'));
  // BENCH_SCHEMA=<schema kept by an earlier run with BENCH_KEEP=1>: its patients are used again (a
  // crore takes long to load), nothing is loaded and the schema stays.
  const reuse = process.env.BENCH_SCHEMA;
  const { db, engine, drop, url } = reuse ? await keptDatabase(reuse) : await freshDatabase(tmp);
  const password = `Bench-${randomBytes(6).toString('hex')}`;
  const config = loadConfig({ SWASTHYA_DATA_DIR: tmp, SWASTHYA_DEMO: '0', SWASTHYA_ADMIN_PASSWORD: password, SWASTHYA_LOGIN_RATE_LIMIT: '10000', LOG_LEVEL: 'silent' });
  try {
    await prepareDatabase(db, config);
    const k = db.kysely;
    if (reuse) await k.updateTable('users').set({ password_hash: await hashPassword(password) }).where('username', '=', 'admin').execute();
    const hisar = await resolveOrgUnit(k, 'district:63');

    // One million patients (BENCH_PATIENTS), written directly (loading is not what is measured). A
    // big load goes in without the secondary indexes, which are then built whole (as a state's
    // migration from its old portal would): far faster than keeping GIN indexes up row by row.
    const t0 = performance.now();
    const { rows: secondary } = await sql<{ name: string; def: string }>`
      select i.indexname as name, i.indexdef as def from pg_indexes i
      where i.tablename = 'patients' and i.schemaname = current_schema()
        and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`.execute(k);
    const rebuild = url && PATIENTS > 200_000 && !reuse;
    if (rebuild) {
      for (const ix of secondary) await sql`drop index ${sql.id(ix.name)}`.execute(k);
      // Row by row, the two triggers (a version row per patient, the name's words into the word list)
      // would cost more than the rows: off for the load, the word list filled at once after it (the
      // loaded patients have no version row: their FHIR history starts at their first change).
      await sql`alter table patients disable trigger patients_keep_version, disable trigger patients_name_words`.execute(k);
    }
    const keys = new Map<string, [string, string, string]>();
    for (const f of FIRST) for (const l of LAST) { const n = `${f} ${l}`; keys.set(n, [n, devanagariToLatin(n), phoneticKey(n)]); }
    const names = [...keys.values()];
    const BATCH = url ? 50_000 : 20_000;
    for (let i = 0; i < (reuse ? 0 : PATIENTS); i += BATCH) {
      const rows = Array.from({ length: Math.min(BATCH, PATIENTS - i) }, (_, j) => {
        const n = i + j;
        const [hi, latin, key] = names[(n * 7919) % names.length];
        const digits = `06${String(n + 1).padStart(8, '0')}`;
        const typedLatin = n % 3 === 0;
        return [uid(), `P${digits}${luhnCheckDigit(digits)}`, typedLatin ? latin : hi, typedLatin ? null : hi, latin, key,
          LAST[n % LAST.length] === 'देवी' || n % 2 ? 'female' : 'male', `${1940 + (n % 80)}-${String(1 + (n % 12)).padStart(2, '0')}-15`,
          `9${String(100000000 + n).slice(-9)}`, randomBytes(12).toString('base64url')];
      });
      if (url) {
        // PostgreSQL: by COPY, the fastest way rows go in.
        await k.transaction().execute((trx) => copyRows(trx, 'patients',
          ['id', 'state_number', 'name', 'name_hi', 'name_latin', 'name_key', 'sex', 'birth_date', 'mobile', 'card_token', 'home_id', 'home_path', 'state_lgd', 'registered_via'],
          rows.map((r) => [...r, hisar.id, hisar.path, 6, 'counter'])));
        continue;
      }
      const col = (c: number) => rows.map((r) => r[c]);
      await sql`insert into patients (id, state_number, name, name_hi, name_latin, name_key, sex, birth_date, mobile, card_token, home_id, home_path, state_lgd, registered_via)
        select x.*, ${hisar.id}, ${hisar.path}, 6, 'counter' from unnest(${col(0)}::text[], ${col(1)}::text[], ${col(2)}::text[], ${col(3)}::text[], ${col(4)}::text[],
          ${col(5)}::text[], ${col(6)}::text[], ${col(7)}::date[], ${col(8)}::text[], ${col(9)}::text[]) as x`.execute(k);
    }
    if (!reuse) await sql`select setval('patient_number_seq', ${PATIENTS + 1})`.execute(k);
    const rowsSeconds = (performance.now() - t0) / 1000;
    if (rebuild) {
      await sql`insert into patient_name_words (word) select distinct unnest(name_words) from patients on conflict do nothing`.execute(k);
      await sql`alter table patients enable trigger patients_keep_version, enable trigger patients_name_words`.execute(k);
      await k.connection().execute(async (c) => {
        await sql`set maintenance_work_mem = '1GB'`.execute(c);
        for (const ix of secondary) await sql.raw(ix.def).execute(c);
      });
    }
    if (!reuse) await sql`vacuum analyze patients`.execute(k);
    const loadSeconds = (performance.now() - t0) / 1000;
    // What the table and each of its indexes take on disk (PostgreSQL), in MB.
    const mb = (b: unknown) => Math.round(Number(b) / 1048576);
    const disk = url ? Object.fromEntries((await sql<{ name: string; bytes: string }>`
      select c.relname as name, pg_relation_size(c.oid) as bytes from pg_class c
      where c.relnamespace = current_schema()::regnamespace and (c.relname = 'patients' or c.oid in (select indexrelid from pg_index where indrelid = 'patients'::regclass))
      order by pg_relation_size(c.oid) desc`.execute(k)).rows.map((r) => [r.name, mb(r.bytes)])) : undefined;

    // On PostgreSQL the API runs as its own server processes (INSTANCES of them, stateless, as in
    // production) so the load generator does not share their event loop; PGlite is in-process.
    const app = url ? null : await buildApp({ db, config });
    const instances: Instance[] = [];
    let bases: string[];
    if (url) {
      for (let i = 0; i < INSTANCES; i++) instances.push(await spawnServer(url, password));
      bases = instances.map((i) => i.base);
    } else {
      await app!.listen({ port: 0, host: '127.0.0.1' });
      bases = [`http://127.0.0.1:${(app!.server.address() as { port: number }).port}`];
    }
    const call = jsonClient(bases, CONNECTIONS * 2);
    try {
      const admin = (await call('POST', '/api/auth/login', null, { username: 'admin', password })).body.token;
      const counter = `bench_${randomBytes(3).toString('hex')}`;
      const f = await call('POST', '/api/facilities', admin, { name: `PHC ${counter}`, type: 'PHC', ownership: 'public', system: 'allopathic', orgUnit: '63', latitude: 29.1, longitude: 75.7 });
      await call('POST', '/api/users', admin, { username: counter, password, role: 'facility_operator', orgUnit: f.body.id });
      const token = (await call('POST', '/api/auth/login', null, { username: counter, password })).body.token;

      // Registrations from 8 counters at once.
      const latencies: number[] = [];
      let errors = 0;
      let seq = 0;
      const until = performance.now() + SECONDS * 1000;
      const t1 = performance.now();
      await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
        while (performance.now() < until) {
          const n = seq++;
          const [hi] = names[(n * 31) % names.length];
          const s = performance.now();
          const r = await call('POST', '/api/patients', token, { name: hi, sex: n % 2 ? 'female' : 'male', age: 20 + (n % 60), mobile: `8${String(100000000 + n).slice(-9)}`, address: { district: 63 } });
          latencies.push(performance.now() - s);
          if (r.status !== 201) errors++;
        }
      }));
      const regSeconds = (performance.now() - t1) / 1000;
      latencies.sort((a, b) => a - b);

      // Name searches, across scripts and with misspellings, one at a time.
      const queries = names.flatMap(([hi, latin]) => [latin, hi, latin.replace(/e/, '').replace(/a(?=\w)/, '')]);
      const times: number[] = [];
      const slow: [number, string][] = [];
      let found = 0;
      for (let i = 0; i < SEARCHES; i++) {
        const q = queries[(i * 97) % queries.length];
        const s = performance.now();
        const r = await call('GET', `/api/patients?q=${encodeURIComponent(q)}&limit=20`, token);
        times.push(performance.now() - s);
        slow.push([performance.now() - s, q]);
        if (r.status === 200 && r.body.items.length) found++;
        else if (r.status !== 200) errors++;
      }
      times.sort((a, b) => a - b);
      console.log(JSON.stringify({
        bench: 'patients', engine, instances: url ? INSTANCES : 1, patients: Number((await sql<{ n: string }>`select count(*) as n from patients`.execute(k)).rows[0].n), loadSeconds: Math.round(loadSeconds), rowsSeconds: Math.round(rowsSeconds), connections: CONNECTIONS,
        diskMb: disk, loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
        registrations: latencies.length, registrationsPerSecond: Math.round(latencies.length / regSeconds),
        registerP50ms: ms(percentile(latencies, 50)), registerP99ms: ms(percentile(latencies, 99)),
        searches: SEARCHES, searchesWithResults: found, searchP50ms: ms(percentile(times, 50)), searchP95ms: ms(percentile(times, 95)), errors,
        slowestSearches: slow.sort((a, b) => b[0] - a[0]).slice(0, 5).map(([t, q]) => `${q} ${Math.round(t)} ms`),
      }));
    } finally {
      await app?.close();
      await Promise.all(instances.map((i) => i.stop()));
    }
  } finally {
    await drop();
  }
}

await main();
