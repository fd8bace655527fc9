// HIMCARE by panchayat at Himachal's size: BENCH_FAMILIES register families (20 lakh by default) over
// BENCH_PANCHAYATS gram panchayats (3,700) in 80 blocks of Himachal's districts, 3 or 4 register members
// each, three in five with this year's card (two in five with last year's too), and BENCH_CLAIMS claims
// of this year (150,000) at 50 hospitals in every status. Loaded with SQL (generate_series; loading is
// not what is measured), then analysed. Measured through the service (modules/schemes/schemes.coverage.ts),
// warm, BENCH_RUNS times each: the state officer's coverage by panchayat (the query the benchmark is
// about), by block and by district; a district officer's by panchayat; the public figures by district.
// The coverage map: every panchayat given a made-up outline of BENCH_OUTLINE_POINTS points (60; a ring
// around a point of Himachal, about what a real panchayat keeps after the import's 50 m simplification),
// the map's shapes for the state and for a district by panchayat, with the answer's size as JSON and gzipped.
// Prints one JSON line.
//   npm run bench -- schemes   (PostgreSQL from DATABASE_URL / BENCH_DATABASE_URL / TEST_DATABASE_URL,
//   else PGlite, which at this size takes long; BENCH_FAMILIES, BENCH_PANCHAYATS, BENCH_CLAIMS, BENCH_RUNS (15))
import fs from 'node:fs';
import zlib from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { prepareDatabase } from '../server/src/bootstrap.js';
import { loadConfig } from '../server/src/config.js';
import type { Actor } from '../server/src/platform/actor.js';
import { todayIst } from '../server/src/platform/periods.js';
import { ROLE_PERMISSIONS, type Role } from '../server/src/platform/roles.js';
import { resolveOrgUnit } from '../server/src/modules/geo/geo.service.js';
import { coverage, coverageShapes, publicCoverage } from '../server/src/modules/schemes/schemes.coverage.js';
import { freshDatabase, ms, percentile } from './lib/common.js';

const FAMILIES = Number(process.env.BENCH_FAMILIES ?? 2_000_000);
const PANCHAYATS = Number(process.env.BENCH_PANCHAYATS ?? 3_700);
const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 150_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const OUTLINE_POINTS = Number(process.env.BENCH_OUTLINE_POINTS ?? 60);
const BLOCKS = 80;
const HOSPITALS = 50;
const PATIENTS = 5_000;
const STATE_LGD = 2;
const DIAGNOSES = ['A09', 'J189', 'K802', 'I10', 'E119', 'N390', 'O800', 'S7200', 'I214', 'K359', 'J449', 'N200', 'H2510', 'K409', 'A15', 'B54', 'C509', 'I639', 'N185', 'O82'];

const pad = (prefix: string, n: string) => sql.raw(`'${prefix}' || lpad(${n}::text, 9, '0')`);

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'swasthya-bench-'));
  const { db, engine, drop } = await freshDatabase(tmp);
  const config = loadConfig({ SWASTHYA_DATA_DIR: tmp, SWASTHYA_DEMO: '0', SWASTHYA_ADMIN_PASSWORD: 'Bench-Admin-Pass-1', LOG_LEVEL: 'silent' });
  const machine = { cores: os.cpus().length, loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100) };
  const year = Number(todayIst().slice(0, 4));
  try {
    await prepareDatabase(db, config);
    const k = db.kysely;
    const state = await resolveOrgUnit(k, `state:${STATE_LGD}`);
    const districts = await k.selectFrom('org_units').select(['id', 'path']).where('level', '=', 'district').where('path', 'like', `${state.path}%`).orderBy('lgd_code').execute();
    if (!districts.length) throw new Error(`no districts under state ${STATE_LGD}`);
    const t0 = performance.now();
    // Blocks over the districts, panchayats over the blocks, one village a panchayat.
    await sql`insert into org_units (id, level, name, parent_id, path, state_lgd)
      select ${pad('GB', 'i')}, 'block', 'Bench block ' || i, d.id, d.path || ${pad('GB', 'i')} || '/', ${STATE_LGD}
      from generate_series(1, ${BLOCKS}::int) i join unnest(${districts.map((d) => d.id)}::text[], ${districts.map((d) => d.path)}::text[]) with ordinality as d(id, path, n)
        on d.n = 1 + (i % ${districts.length})`.execute(k);
    await sql`insert into org_units (id, level, name, parent_id, path, state_lgd)
      select ${pad('GP', 'i')}, 'panchayat', 'Bench panchayat ' || i, b.id, b.path || ${pad('GP', 'i')} || '/', ${STATE_LGD}
      from generate_series(1, ${PANCHAYATS}::int) i join org_units b on b.id = ${pad('GB', `(1 + i % ${BLOCKS})`)}`.execute(k);
    await sql`insert into org_units (id, level, name, parent_id, path, state_lgd)
      select ${pad('GV', 'i')}, 'village', 'Bench village ' || i, p.id, p.path || ${pad('GV', 'i')} || '/', ${STATE_LGD}
      from generate_series(1, ${PANCHAYATS}::int) i join org_units p on p.id = ${pad('GP', 'i')}`.execute(k);
    // Hospitals (facilities of the districts) and the patients the claims name.
    await sql`insert into org_units (id, level, name, parent_id, path, state_lgd)
      select ${pad('GH', 'i')}, 'facility', 'Bench hospital ' || i, d.id, d.path || ${pad('GH', 'i')} || '/', ${STATE_LGD}
      from generate_series(1, ${HOSPITALS}::int) i join unnest(${districts.map((d) => d.id)}::text[], ${districts.map((d) => d.path)}::text[]) with ordinality as d(id, path, n)
        on d.n = 1 + (i % ${districts.length})`.execute(k);
    await sql`insert into facilities (id, type, ownership, system, beds, state_lgd) select ${pad('GH', 'i')}, 'DH', 'public', 'allopathic', 100, ${STATE_LGD} from generate_series(1, ${HOSPITALS}::int) i`.execute(k);
    await sql`insert into patients (id, state_number, name, name_latin, name_key, sex, birth_date, card_token, home_id, home_path, state_lgd, registered_via)
      select ${pad('GQ', 'i')}, 'BENCH' || i, 'Member ' || i, 'Member ' || i, 'MMBR ' || i, case when i % 2 = 0 then 'female' else 'male' end, date '1960-01-01' + (i % 20000),
        md5('p' || i), ${districts[0].id}, ${districts[0].path}, ${STATE_LGD}, 'counter'
      from generate_series(1, ${PATIENTS}::int) i`.execute(k);
    // The register: families spread evenly over the panchayats (the village of each), 3 or 4 members each.
    const step = 250_000;
    for (let from = 0; from < FAMILIES; from += step) {
      const to = Math.min(FAMILIES, from + step) - 1;
      await sql`insert into families (id, family_number, external_id, home_id, home_path, state_lgd, panchayat_id, category, source, member_count)
        select ${pad('GF', 'n')}, ${pad('FB', 'n')}, ${pad('HP-', 'n')}, v.id, v.path, ${STATE_LGD}, v.parent_id, case when n % 3 = 0 then 'BPL' else 'APL' end, 'register', 3 + n % 2
        from generate_series(${from}::int, ${to}::int) n join org_units v on v.id = ${pad('GV', `(1 + n % ${PANCHAYATS})`)}`.execute(k);
      await sql`insert into register_members (id, family_id, member_id, name, name_key, relation, sex, birth_year, village_id)
        select ${pad('GM', 'n')} || '-' || m, ${pad('GF', 'n')}, 'M' || m, 'Member ' || m, 'MMBR', case when m = 1 then 'head' else 'other' end,
          case when m % 2 = 0 then 'female' else 'male' end, 1950 + (n + m) % 60, ${pad('GV', `(1 + n % ${PANCHAYATS})`)}
        from generate_series(${from}::int, ${to}::int) n cross join lateral generate_series(1, 3 + n % 2) m`.execute(k);
      // Cards: this year for three families in five, last year's too for two in five.
      await sql`insert into scheme_enrolments (id, scheme, family_id, home_path, panchayat_id, scheme_year, category, premium, card_number, card_token, status)
        select ${pad('GE', 'n')} || '-' || y, 'himcare', ${pad('GF', 'n')}, v.path, v.parent_id, y, case when n % 3 = 0 then 'bpl' else 'general' end, case when n % 3 = 0 then 365 else 1000 end,
          'HC' || y || lpad(n::text, 10, '0'), md5('c' || n || '-' || y), 'active'
        from generate_series(${from}::int, ${to}::int) n join org_units v on v.id = ${pad('GV', `(1 + n % ${PANCHAYATS})`)}
        cross join lateral (values (${year}::int), (${year - 1}::int)) as yy(y)
        where (y = ${year} and n % 5 < 3) or (y = ${year - 1} and n % 5 < 2)`.execute(k);
    }
    // This year's claims: a card of this year (a family with n % 5 < 3), every status, twenty diagnoses.
    const enrolledFamilies = Math.floor(FAMILIES / 5);
    await sql`insert into scheme_claims (id, scheme, panchayat_id, scheme_year, enrolment_id, patient_id, hospital_id, hospital_path, package_code, package_rate, preauth, diagnosis,
        admitted_on, discharged_on, amount, status, settled_amount, settlement_reason, claimed_at, settled_at)
      select ${pad('GC', 'c')}, 'himcare', ${pad('GP', `(1 + (5 * ((c * 7) % ${enrolledFamilies}) + c % 3) % ${PANCHAYATS})`)}, ${year}::int, ${pad('GE', `(5 * ((c * 7) % ${enrolledFamilies}) + c % 3)`)} || '-' || ${year}::int, ${pad('GQ', `(1 + c % ${PATIENTS})`)},
        h.id, h.path, 'MG001A', 9000, false, (${DIAGNOSES}::text[])[1 + (c * 13) % ${DIAGNOSES.length}],
        make_date(${year}::int, 1, 1) + (c % 300), make_date(${year}::int, 1, 1) + (c % 300) + 3, 8000 + c % 2000, s.status,
        case when s.status = 'approved' then 8000 + c % 2000 when s.status = 'deducted' then 7000 when s.status = 'rejected' then 0 end,
        case when s.status in ('deducted', 'rejected') then 'bench' end,
        case when s.status in ('claimed', 'approved', 'deducted', 'rejected') then now() end,
        case when s.status in ('approved', 'deducted', 'rejected') then now() end
      from generate_series(0, ${CLAIMS - 1}::int) c
      join org_units h on h.id = ${pad('GH', `(1 + c % ${HOSPITALS})`)}
      cross join lateral (select (array['approved','approved','approved','approved','approved','approved','approved','approved','approved','approved','approved','approved',
        'deducted','deducted','rejected','claimed','claimed','claimed','admitted','preauth_rejected'])[1 + c % 20] as status) s`.execute(k);
    // Vacuumed as autovacuum leaves a table in use (the visibility map lets counts come from indexes alone).
    for (const t of ['org_units', 'families', 'register_members', 'scheme_enrolments', 'scheme_claims', 'patients']) await sql`vacuum analyze ${sql.table(t)}`.execute(k);
    const loadSeconds = (performance.now() - t0) / 1000;

    const actor = (role: Role, orgPath: string): Actor => ({ userId: 'bench', username: 'bench', role, orgUnitId: 'x', orgPath, permissions: new Set(ROLE_PERMISSIONS[role]), ip: null });
    const so = actor('state_officer', state.path);
    const mandi = districts[Math.min(districts.length - 1, 1)];
    const cmo = actor('district_officer', mandi.path);
    const measure = async (run: () => Promise<{ items: unknown[] }>) => {
      let rows = 0;
      for (let i = 0; i < 2; i++) rows = (await run()).items.length;
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const s = performance.now();
        await run();
        times.push(performance.now() - s);
      }
      times.sort((a, b) => a - b);
      return { rows, p50Ms: ms(percentile(times, 50)), p95Ms: ms(percentile(times, 95)), maxMs: ms(times.at(-1) ?? 0) };
    };
    // A made-up outline for every panchayat: a ring of OUTLINE_POINTS points, 2-4 km across, inside Himachal's extent.
    const gps = await k.selectFrom('org_units').select('id').where('level', '=', 'panchayat').where('path', 'like', `${state.path}%`).orderBy('id').execute();
    for (let i = 0; i < gps.length; i += 500) {
      await k.insertInto('geo_boundaries').values(gps.slice(i, i + 500).map((g, j) => {
        const n = i + j;
        const [lon, lat] = [75.6 + (n % 61) * 0.05, 30.4 + Math.floor(n / 61) * 0.05];
        const ring = Array.from({ length: OUTLINE_POINTS - 1 }, (_, a) => {
          const angle = (2 * Math.PI * a) / (OUTLINE_POINTS - 1);
          const r = 0.012 + 0.006 * Math.sin(5 * angle + n);
          return [Math.round((lon + r * Math.cos(angle)) * 1e5) / 1e5, Math.round((lat + r * Math.sin(angle)) * 1e5) / 1e5];
        });
        return { org_unit_id: g.id, geometry: JSON.stringify({ type: 'Polygon', coordinates: [[...ring, ring[0]]] }), source: 'bench' };
      })).execute();
    }
    await sql`vacuum analyze geo_boundaries`.execute(k);
    const sizeOf = async (run: () => Promise<unknown>) => {
      const text = JSON.stringify(await run());
      return { bytes: Buffer.byteLength(text), gzipBytes: zlib.gzipSync(text).length };
    };
    const stateShapes = () => coverageShapes(k, so, 'himcare', { by: 'panchayat' }).then((r) => ({ items: r.features }));
    const districtShapes = () => coverageShapes(k, cmo, 'himcare', { by: 'panchayat' }).then((r) => ({ items: r.features }));
    const map = {
      outlinePoints: OUTLINE_POINTS,
      statePanchayat: { ...(await measure(stateShapes)), ...(await sizeOf(stateShapes)) },
      districtPanchayat: { ...(await measure(districtShapes)), ...(await sizeOf(districtShapes)) },
    };
    const byPanchayat = await measure(() => coverage(k, so, 'himcare', { by: 'panchayat', year }));
    const check = await coverage(k, so, 'himcare', { by: 'panchayat', year });
    const result = {
      bench: 'schemes', engine, machine, year,
      data: {
        families: FAMILIES, panchayats: PANCHAYATS, blocks: BLOCKS, members: check.totals.members, cardsThisYear: check.totals.familiesEnrolled,
        cardsAll: Number((await sql<{ n: string }>`select count(*) as n from scheme_enrolments`.execute(k)).rows[0].n), claims: CLAIMS, loadSeconds: Math.round(loadSeconds),
      },
      coverage: {
        statePanchayat: byPanchayat,
        stateBlock: await measure(() => coverage(k, so, 'himcare', { by: 'block', year })),
        stateDistrict: await measure(() => coverage(k, so, 'himcare', { by: 'district', year })),
        districtPanchayat: await measure(() => coverage(k, cmo, 'himcare', { by: 'panchayat', year })),
        publicDistrict: await measure(() => publicCoverage(k, 'himcare', { state: STATE_LGD, by: 'district', year })),
      },
      map,
      totals: { coverage: check.totals.coverage, claimsPer1000Members: check.totals.claimsPer1000Members, paid: check.totals.paid, pending: check.totals.pending },
    };
    console.log(JSON.stringify(result));
  } finally {
    await drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
