// Helpline benchmark: BENCH_AGENTS helpline agents (200 by default, each signed in as their own user)
// log calls at once, each as fast as the server answers, for BENCH_SECONDS (60), through POST
// /api/helpline/calls: a state's mix (half medical advice through a symptom protocol, counselling
// transferred to the counsellors' queue, information, complaints, and a few ambulance calls passed to
// dispatch), callers' mobiles drawn so that about half are registered patients (the lookup and its
// audit rows run too). Afterwards the calls are counted in the database: every 201 must be a row
// (nothing lost). Prints one JSON line: calls per second and p50/p99 of a call's answer.
//   npm run bench -- helpline   (PostgreSQL from DATABASE_URL / BENCH_DATABASE_URL / TEST_DATABASE_URL as a
//   server process of its own, else PGlite in-process; BENCH_AGENTS, BENCH_SECONDS (e.g. 5 for a short run),
//   BENCH_PATIENTS registered callers (20,000))
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
import { PROTOCOLS } from '../server/src/modules/helpline/helpline.protocols.js';
import { jsonClient, pool, spawnServer, type Instance } from '../server/src/test/tele-load.js';
import { freshDatabase, ms, percentile } from './lib/common.js';

const AGENTS = Number(process.env.BENCH_AGENTS ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 20_000);

const mobileOf = (n: number) => `9${String(300_000_000 + n).slice(-9)}`;

/** One call of the mix, the n-th of the run. */
function callBody(n: number) {
  // Half the callers are registered patients, half new numbers.
  const callerMobile = n % 2 ? mobileOf((n * 7919) % PATIENTS) : `8${String(100_000_000 + n).slice(-9)}`;
  const language = n % 5 === 0 ? 'en' : n % 11 === 0 ? 'pa' : 'hi';
  const pick = n % 20;
  if (pick < 10) {
    const p = PROTOCOLS[n % PROTOCOLS.length];
    const answers = Object.fromEntries(p.flags.map((f, i) => [f.id, (n >> i) % 7 === 0]));
    return { callerMobile, language, category: 'medical_advice', protocol: p.id, answers, advice: 'ORS, paracetamol, rest; call again if worse', outcome: n % 9 === 0 ? 'transferred' : 'resolved', ...(n % 9 === 0 ? { transferTo: 'doctor' } : {}) };
  }
  if (pick < 13) return { callerMobile, language, category: 'counselling', outcome: 'transferred', transferTo: 'counsellor', transferReason: 'wants to talk to a counsellor' };
  if (pick < 17) return { callerMobile, language, category: 'information', advice: 'JSY and PMSMA days at the PHC', outcome: 'resolved' };
  if (pick < 19) return { callerMobile, language, category: 'complaint', notes: 'medicines not given at the CHC', outcome: n % 4 ? 'resolved' : 'dropped' };
  // An ambulance: a point in Hisar (passed to dispatch), or no place (waits for one).
  return n % 3
    ? { callerMobile, language, category: 'ambulance', complaint: 'road accident', latitude: 29.1 + (n % 10) / 100, longitude: 75.7 + (n % 10) / 100, outcome: 'resolved' }
    : { callerMobile, language, category: 'ambulance', complaint: 'woman in labour', service: '102', outcome: 'resolved' };
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'swasthya-bench-'));
  const { db, engine, drop, url } = await freshDatabase(tmp);
  const password = `Bench-${randomBytes(6).toString('hex')}`;
  const config = loadConfig({ SWASTHYA_DATA_DIR: tmp, SWASTHYA_DEMO: '0', SWASTHYA_ADMIN_PASSWORD: password, SWASTHYA_LOGIN_RATE_LIMIT: '10000', LOG_LEVEL: 'silent' });
  const machine = { cores: os.cpus().length, loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100) };
  const instances: Instance[] = [];
  let app: Awaited<ReturnType<typeof buildApp>> | null = null;
  try {
    await prepareDatabase(db, config);
    const k = db.kysely;
    const hisar = await resolveOrgUnit(k, 'district:63');
    // Registered callers, written directly (loading is not what is measured).
    for (let i = 0; i < PATIENTS; i += 10_000) {
      const rows = Array.from({ length: Math.min(10_000, PATIENTS - i) }, (_, j) => {
        const n = i + j;
        const digits = `06${String(n + 1).padStart(8, '0')}`;
        return [uid(), `P${digits}${luhnCheckDigit(digits)}`, `Caller ${n}`, `caller ${n}`, `KLR ${n}`, n % 2 ? 'female' : 'male', `${1950 + (n % 60)}-06-15`, mobileOf(n), randomBytes(12).toString('base64url')];
      });
      const col = (c: number) => rows.map((r) => r[c]);
      await sql`insert into patients (id, state_number, name, name_latin, name_key, sex, birth_date, mobile, card_token, home_id, home_path, state_lgd, registered_via)
        select x.*, ${hisar.id}, ${hisar.path}, 6, 'counter' from unnest(${col(0)}::text[], ${col(1)}::text[], ${col(2)}::text[], ${col(3)}::text[], ${col(4)}::text[],
          ${col(5)}::text[], ${col(6)}::date[], ${col(7)}::text[], ${col(8)}::text[]) as x`.execute(k);
    }
    await sql`select setval('patient_number_seq', ${PATIENTS + 1})`.execute(k);
    await sql`analyze patients`.execute(k);

    let base: string;
    if (url) {
      instances.push(await spawnServer(url, password));
      base = instances[0].base;
    } else {
      app = await buildApp({ db, config });
      await app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    }
    const setup = jsonClient([base], 8);
    const admin = (await setup('POST', '/api/auth/login', null, { username: 'admin', password })).body.token as string;
    const agentPassword = `Agent-${randomBytes(6).toString('hex')}`;
    const tokens = await pool(AGENTS, 8, async (i) => {
      const username = `bench_agent_${i}`;
      const u = await setup('POST', '/api/users', admin, { username, password: agentPassword, role: 'helpline_agent', orgUnit: 'state:6' });
      if (u.status !== 201) throw new Error(`user ${username}: ${u.status} ${JSON.stringify(u.body)}`);
      const l = await setup('POST', '/api/auth/login', null, { username, password: agentPassword });
      if (l.status !== 200) throw new Error(`login ${username}: ${l.status} ${JSON.stringify(l.body)}`);
      return l.body.token as string;
    });

    // Every agent at once, each call as soon as the last was answered.
    const call = jsonClient([base], AGENTS);
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    const errors: string[] = [];
    const ids = new Set<string>();
    let seq = 0;
    const t0 = performance.now();
    const until = t0 + SECONDS * 1000;
    await Promise.all(tokens.map(async (token) => {
      while (performance.now() < until) {
        const body = callBody(seq++);
        const s = performance.now();
        let r: { status: number; body: any };
        try {
          r = await call('POST', '/api/helpline/calls', token, body);
        } catch (e) {
          statuses.network = (statuses.network ?? 0) + 1;
          if (errors.length < 5) errors.push(String(e));
          continue;
        }
        latencies.push(performance.now() - s);
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        if (r.status === 201) ids.add(r.body.id);
        else if (errors.length < 5) errors.push(`${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
      }
    }));
    const seconds = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);

    // Nothing lost: every call answered 201 is a row, and no row without a 201.
    const rows = await k.selectFrom('helpline_calls').select('id').execute();
    const stored = new Set(rows.map((r) => r.id));
    const lost = [...ids].filter((id) => !stored.has(id)).length;
    const counts = await sql<{ transfers: string; dispatched: string; awaiting: string; known: string; audit: string }>`
      select (select count(*) from helpline_transfers) as transfers,
             (select count(*) from helpline_calls where ambulance_status = 'dispatched') as dispatched,
             (select count(*) from helpline_calls where ambulance_status = 'awaiting_place') as awaiting,
             (select count(*) from helpline_calls where caller_known) as known,
             (select count(*) from audit_log where entity in ('helpline_call', 'patient')) as audit`.execute(k);
    const c = counts.rows[0];
    console.log(JSON.stringify({
      bench: 'helpline', engine, machine: { ...machine, loadAverageAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100) },
      agents: AGENTS, seconds: ms(seconds), registeredCallers: PATIENTS,
      calls: ids.size, callsPerSecond: Math.round(ids.size / seconds), p50Ms: ms(percentile(latencies, 50)), p99Ms: ms(percentile(latencies, 99)), maxMs: ms(latencies.at(-1) ?? 0),
      statuses, rowsStored: stored.size, lost, extraRows: stored.size - (ids.size - lost),
      transfers: Number(c.transfers), ambulanceDispatched: Number(c.dispatched), ambulanceAwaitingPlace: Number(c.awaiting), callersKnown: Number(c.known), auditRows: Number(c.audit),
      errors,
    }));
  } finally {
    await app?.close();
    await Promise.all(instances.map((i) => i.stop()));
    await drop();
  }
}

await main();
