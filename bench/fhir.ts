// FHIR and patient read paths: 20,000 patients registered at one facility (25 surnames × 8 given
// names, so a surname matches 800 and a whole name 100), then from BENCH_CONNECTIONS keep-alive
// connections (default 16), each for BENCH_SECONDS (default 10) after a second's warm-up:
// GET /api/health, POST /fhir/Patient, GET /fhir/Patient/{id}, GET /fhir/Patient?name=<surname>&_count=20,
// GET /fhir/Patient?name=<given surname>, GET /api/patients/{id}, GET /api/patients?q=<surname> and
// ?q=<given surname>. Every request as the facility's operator, who may read all of them (so each
// read and each search entry is a read the audit records). On PostgreSQL the API runs as its own
// server process (BENCH_INSTANCES of them, default 1); BENCH_OPS=fhirRead,apiRead runs only those. Prints one JSON line with each operation's
// rate, p50 and p99, the audit rows written per request, and the load average before and after.
//   npm run bench -- fhir   (PostgreSQL from BENCH_DATABASE_URL / TEST_DATABASE_URL / DATABASE_URL, else PGlite)
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { buildApp } from '../server/src/app.js';
import { prepareDatabase } from '../server/src/bootstrap.js';
import { loadConfig } from '../server/src/config.js';
import { uid } from '../server/src/platform/ids.js';
import { luhnCheckDigit } from '../server/src/modules/patients/patients.identity.js';
import { phoneticKey } from '../server/src/modules/patients/patients.names.js';
import { freshDatabase, ms, percentile } from './lib/common.js';
import { namedUrl, processCpuMs } from './lib/cpu.js';
import { jsonClient, spawnServer, type Instance } from '../server/src/test/tele-load.js';

const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 20_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 1);
/** BENCH_OPS=fhirRead,apiRead runs only those operations (names as in the JSON line); all by default. */
const ONLY = process.env.BENCH_OPS ? new Set(process.env.BENCH_OPS.split(',').map((x) => x.trim())) : null;

const SURNAMES = ['Malhotra', 'Sharma', 'Verma', 'Gupta', 'Agarwal', 'Mishra', 'Pandey', 'Yadav', 'Chauhan', 'Thakur', 'Rana', 'Negi', 'Saini', 'Malik',
  'Kaushik', 'Goyal', 'Jain', 'Bhardwaj', 'Dogra', 'Chaudhary', 'Kapoor', 'Mehta', 'Joshi', 'Tiwari', 'Srivastava'];
const GIVEN = ['Anita', 'Sunita', 'Ramesh', 'Suresh', 'Pooja', 'Priya', 'Rajesh', 'Mukesh'];
/** Names of patients created during the bench: not among the searched ones, so the match counts stay. */
const NEW_NAMES = ['Kavita Bansal', 'Deepak Sood', 'Rekha Bhatia', 'Vinod Arora', 'Seema Khanna', 'Sanjay Sethi'];

/** A keep-alive client that measures status and time only (the body is read and dropped). */
function loadClient(bases: string[], connections: number) {
  const agents = bases.map(() => new http.Agent({ keepAlive: true, maxSockets: connections }));
  const targets = bases.map((b) => new URL(b));
  let turn = 0;
  return (method: string, url: string, token: string, body?: string) => new Promise<number>((resolve, reject) => {
    const i = turn++ % bases.length;
    const req = http.request({
      agent: agents[i], method, hostname: targets[i].hostname, port: targets[i].port, path: url,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/fhir+json', 'content-length': Buffer.byteLength(body) } : {}) },
    }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'swasthya-bench-'));
  const { db, engine, drop, url } = await freshDatabase(tmp);
  const password = `Bench-${randomBytes(6).toString('hex')}`;
  const config = loadConfig({ SWASTHYA_DATA_DIR: tmp, SWASTHYA_DEMO: '0', SWASTHYA_ADMIN_PASSWORD: password, SWASTHYA_LOGIN_RATE_LIMIT: '10000', LOG_LEVEL: 'silent' });
  try {
    await prepareDatabase(db, config);
    const k = db.kysely;
    const app = url ? null : await buildApp({ db, config });
    const instances: Instance[] = [];
    let bases: string[];
    // The server instances and their PostgreSQL sessions carry this name, so that the CPU each phase
    // costs them can be read from /proc: on a busy machine rates vary with what else runs, CPU per
    // request much less.
    const marker = `bench-fhir-${randomBytes(4).toString('hex')}`;
    if (url) {
      for (let i = 0; i < INSTANCES; i++) instances.push(await spawnServer(namedUrl(url, marker), password));
      bases = instances.map((i) => i.base);
    } else {
      await app!.listen({ port: 0, host: '127.0.0.1' });
      bases = [`http://127.0.0.1:${(app!.server.address() as { port: number }).port}`];
    }
    const call = jsonClient(bases, 4);
    try {
      const admin = (await call('POST', '/api/auth/login', null, { username: 'admin', password })).body.token;
      const f = await call('POST', '/api/facilities', admin, { name: 'PHC Bench', type: 'PHC', ownership: 'public', system: 'allopathic', orgUnit: '63', latitude: 29.1, longitude: 75.7 });
      await call('POST', '/api/users', admin, { username: 'bench_counter', password, role: 'facility_operator', orgUnit: f.body.id });
      const token = (await call('POST', '/api/auth/login', null, { username: 'bench_counter', password })).body.token;
      const facility = await k.selectFrom('org_units').select(['id', 'path']).where('id', '=', f.body.id).executeTakeFirstOrThrow();
      const hisar = await k.selectFrom('org_units').select(['id', 'path']).where('level', '=', 'district').where('lgd_code', '=', 63).executeTakeFirstOrThrow();

      // The patients, written directly (loading is not what is measured), each linked to the facility.
      const t0 = performance.now();
      const ids: string[] = [];
      const BATCH = 5_000;
      for (let i = 0; i < PATIENTS; i += BATCH) {
        const rows = Array.from({ length: Math.min(BATCH, PATIENTS - i) }, (_, j) => {
          const n = i + j;
          const name = `${GIVEN[Math.floor(n / SURNAMES.length) % GIVEN.length]} ${SURNAMES[n % SURNAMES.length]}`;
          const digits = `06${String(n + 1).padStart(8, '0')}`;
          const id = uid();
          ids.push(id);
          return [id, `P${digits}${luhnCheckDigit(digits)}`, name, name, phoneticKey(name), n % 2 ? 'female' : 'male',
            `${1940 + (n % 80)}-${String(1 + (n % 12)).padStart(2, '0')}-15`, `9${String(100000000 + n).slice(-9)}`, randomBytes(12).toString('base64url')];
        });
        const col = (c: number) => rows.map((r) => r[c]);
        await sql`insert into patients (id, state_number, name, name_latin, name_key, sex, birth_date, mobile, card_token, home_id, home_path, state_lgd, registered_via, registered_at_facility_id)
          select x.*, ${hisar.id}, ${hisar.path}, 6, 'counter', ${facility.id} from unnest(${col(0)}::text[], ${col(1)}::text[], ${col(2)}::text[], ${col(3)}::text[], ${col(4)}::text[],
            ${col(5)}::text[], ${col(6)}::date[], ${col(7)}::text[], ${col(8)}::text[]) as x`.execute(k);
        await sql`insert into patient_facilities (patient_id, facility_id, facility_path) select unnest(${col(0)}::text[]), ${facility.id}, ${facility.path}`.execute(k);
      }
      await sql`select setval('patient_number_seq', ${PATIENTS + 1})`.execute(k);
      // As autovacuum would soon after such a load: statistics, and the name index's pending entries merged.
      await sql`vacuum analyze patients, patient_facilities`.execute(k);
      const loadSeconds = (performance.now() - t0) / 1000;

      const hit = loadClient(bases, CONNECTIONS);
      let created = 0;
      const patientBody = () => {
        const n = created++;
        const [given, family] = NEW_NAMES[n % NEW_NAMES.length].split(' ');
        return JSON.stringify({
          resourceType: 'Patient', name: [{ given: [given], family }], gender: n % 2 ? 'female' : 'male', birthDate: `${1950 + (n % 50)}-0${1 + (n % 9)}-1${n % 10}`,
          telecom: [{ system: 'phone', value: `7${String(100000000 + n).slice(-9)}` }], address: [{ district: 'Hisar', state: 'Haryana', country: 'IN' }],
        });
      };
      let seq = 0;
      const anyId = () => ids[(seq++ * 7919) % ids.length];
      const surname = encodeURIComponent(SURNAMES[0]);
      const whole = encodeURIComponent(`${GIVEN[0]} ${SURNAMES[0]}`);
      const ops: [string, () => Promise<number>, number][] = [
        ['health', () => hit('GET', '/api/health', token), 200],
        ['fhirCreate', () => hit('POST', '/fhir/Patient', token, patientBody()), 201],
        ['fhirRead', () => hit('GET', `/fhir/Patient/${anyId()}`, token), 200],
        ['fhirSearchSurname', () => hit('GET', `/fhir/Patient?name=${surname}&_count=20`, token), 200],
        ['fhirSearchName', () => hit('GET', `/fhir/Patient?name=${whole}`, token), 200],
        ['apiRead', () => hit('GET', `/api/patients/${anyId()}`, token), 200],
        ['apiSearchSurname', () => hit('GET', `/api/patients?q=${surname}&limit=20`, token), 200],
        ['apiSearchName', () => hit('GET', `/api/patients?q=${whole}&limit=20`, token), 200],
      ];
      // Checked once before measuring: the searches find what they should.
      const s1 = await call('GET', `/fhir/Patient?name=${surname}&_count=20`, token);
      const s2 = await call('GET', `/fhir/Patient?name=${whole}`, token);
      const matches = { surname: s1.body.total, name: s2.body.total };

      const loadBefore = os.loadavg().map((x) => Math.round(x * 100) / 100);
      const results: Record<string, unknown> = {};
      for (const [name, op, ok] of ops.filter(([name]) => !ONLY || ONLY.has(name))) {
        const run = async (seconds: number, record: boolean) => {
          const latencies: number[] = [];
          let errors = 0;
          const until = performance.now() + seconds * 1000;
          const t = performance.now();
          await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
            while (performance.now() < until) {
              const s = performance.now();
              const status = await op();
              if (record) latencies.push(performance.now() - s);
              if (status !== ok) errors++;
            }
          }));
          return { latencies, errors, seconds: (performance.now() - t) / 1000 };
        };
        await run(1, false);
        const servers = url ? instances.map((i) => i.pid) : [process.pid];
        const sessions = url ? (await sql<{ pid: number }>`select pid from pg_stat_activity where application_name = ${marker}`.execute(k)).rows.map((x) => Number(x.pid)) : [];
        const cpu = () => ({ server: servers.reduce((t, p) => t + processCpuMs(p), 0), db: sessions.reduce((t, p) => t + processCpuMs(p), 0), client: process.cpuUsage() });
        const cpuAt = cpu();
        const auditAt = Number((await sql<{ n: string }>`select count(*) as n from audit_log`.execute(k)).rows[0].n);
        const r = await run(SECONDS, true);
        const cpuEnd = cpu();
        const auditAfter = Number((await sql<{ n: string }>`select count(*) as n from audit_log`.execute(k)).rows[0].n);
        r.latencies.sort((a, b) => a - b);
        const n = Math.max(1, r.latencies.length);
        results[name] = {
          perSecond: Math.round(r.latencies.length / r.seconds), p50ms: ms(percentile(r.latencies, 50)), p99ms: ms(percentile(r.latencies, 99)),
          // CPU milliseconds per request: the API server, its PostgreSQL sessions, this load generator.
          cpuMsPerRequest: url ? {
            server: ms((cpuEnd.server - cpuAt.server) / n), db: ms((cpuEnd.db - cpuAt.db) / n),
            client: ms(((cpuEnd.client.user + cpuEnd.client.system - cpuAt.client.user - cpuAt.client.system) / 1000) / n),
          } : undefined,
          errors: r.errors, auditRowsPerRequest: Math.round(((auditAfter - auditAt) / Math.max(1, r.latencies.length)) * 100) / 100,
        };
      }
      console.log(JSON.stringify({
        bench: 'fhir', engine, instances: url ? INSTANCES : 1, patients: PATIENTS, loadSeconds: Math.round(loadSeconds), connections: CONNECTIONS, seconds: SECONDS,
        matches, cpus: os.cpus().length, loadBefore, loadAfter: os.loadavg().map((x) => Math.round(x * 100) / 100), ...results,
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
