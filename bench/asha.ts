// ASHA payment batches at a state's scale: BENCH_ASHAS ASHAs (90,000 by default) over 140 blocks of
// Haryana (the largest with BENCH_LARGEST, 1,500), five to a sub-centre, each with a month of about
// 20 approved claims (the routine amount, the state top-up and task incentives), 1 in 100 with an
// IFSC of an unknown bank (held back). Loaded with SQL in bulk (loading is not what is measured). Then
// the block accountant's batch is made through the service (modules/asha/batches): for the largest
// block, then for every other block of the state in turn. Prints one JSON line.
//   npm run bench -- asha   (PostgreSQL from DATABASE_URL / BENCH_DATABASE_URL / TEST_DATABASE_URL, else PGlite;
//   BENCH_ASHAS, BENCH_CLAIMS (per ASHA, 20), BENCH_LARGEST)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { prepareDatabase } from '../server/src/bootstrap.js';
import { loadConfig } from '../server/src/config.js';
import type { Actor } from '../server/src/platform/actor.js';
import { ROLE_PERMISSIONS } from '../server/src/platform/roles.js';
import { resolveOrgUnit } from '../server/src/modules/geo/geo.service.js';
import { createBatch, batchFile } from '../server/src/modules/asha/batches/batches.service.js';
import { freshDatabase, ms } from './lib/common.js';

const ASHAS = Number(process.env.BENCH_ASHAS ?? 90_000);
const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 20);
const LARGEST = Number(process.env.BENCH_LARGEST ?? 1_500);
const BLOCKS = 140;
const MONTH = '2026-11';

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'swasthya-bench-'));
  const { db, engine, drop } = await freshDatabase(tmp);
  const config = loadConfig({ SWASTHYA_DATA_DIR: tmp, SWASTHYA_DEMO: '0', SWASTHYA_ADMIN_PASSWORD: 'Bench-Admin-Pass-1', LOG_LEVEL: 'silent' });
  const machine = { cores: os.cpus().length, loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100) };
  try {
    await prepareDatabase(db, config);
    const k = db.kysely;
    const state = await resolveOrgUnit(k, 'state:6');
    const districts = await k.selectFrom('org_units').select(['id', 'path']).where('level', '=', 'district').where('path', 'like', `${state.path}%`).orderBy('lgd_code').execute();
    const t0 = performance.now();
    // Blocks (ids B + 10 digits), spread over the state's districts.
    await sql`insert into org_units (id, level, name, parent_id, path, state_lgd)
      select 'B' || lpad(i::text, 10, '0'), 'block', 'Bench block ' || i, d.id, d.path || 'B' || lpad(i::text, 10, '0') || '/', 6
      from generate_series(1, ${BLOCKS}) i join unnest(${districts.map((d) => d.id)}::text[], ${districts.map((d) => d.path)}::text[]) with ordinality as d(id, path, n)
        on d.n = 1 + (i % ${districts.length})`.execute(k);
    // Sub-centre s's block: the first LARGEST / 5 in block 1 (LARGEST ASHAs), the rest spread evenly over the others.
    const blockOf = sql`case when s <= ${Math.ceil(LARGEST / 5)} then 1 else 2 + ((s - ${Math.ceil(LARGEST / 5)}) % ${BLOCKS - 1}) end`;
    // Sub-centres (ids S + 10 digits): five ASHAs each, within the block.
    await sql`insert into org_units (id, level, name, parent_id, path, state_lgd)
      select 'S' || lpad(s::text, 10, '0'), 'facility', 'Bench SC ' || s, b.id, b.path || 'S' || lpad(s::text, 10, '0') || '/', 6
      from (select s, ${blockOf} as blk from generate_series(1, ${Math.ceil(ASHAS / 5)}) s) x
      join org_units b on b.id = 'B' || lpad(x.blk::text, 10, '0')`.execute(k);
    await sql`insert into users (id, username, password_hash, role, org_unit_id, display_name)
      select 'U' || lpad(n::text, 10, '0'), 'bench.asha.' || n, 'x', 'asha', 'S' || lpad((((n - 1) / 5) + 1)::text, 10, '0'), 'ASHA ' || n
      from generate_series(1, ${ASHAS}) n`.execute(k);
    await sql`insert into asha_workers (id, user_id, name, mobile, sub_centre_id, sub_centre_path, block_id, block_path, state_lgd, bank_account, ifsc, active_from)
      select 'A' || lpad(n::text, 10, '0'), 'U' || lpad(n::text, 10, '0'), 'ASHA ' || n, (7000000000 + n)::text, s.id, s.path, b.id, b.path, 6,
        (30000000000 + n)::text, case when n % 100 = 0 then 'ZZZZ0' || lpad((n % 1000000)::text, 6, '0') else 'SBIN0' || lpad((n % 1000000)::text, 6, '0') end, '2024-04-01'
      from generate_series(1, ${ASHAS}) n
      join org_units s on s.id = 'S' || lpad((((n - 1) / 5) + 1)::text, 10, '0')
      join org_units b on b.id = s.parent_id`.execute(k);
    // A month of claims: the routine amount (NHM), the state top-up, and task incentives, all approved.
    await sql`insert into asha_claims (id, client_id, asha_id, activity_code, done_on, claim_month, amount, fund_source, status, flags, sub_centre_path, block_id, state_lgd, submitted_at, status_at)
      select 'C' || lpad(((w.n - 1) * ${CLAIMS} + j)::text, 10, '0'), gen_random_uuid(), w.id,
        case j when 1 then '3.1.1.3' when 2 then 'S.1.1' else (array['3.1.1.1.2', '3.1.1.1.3', '3.1.1.2.1', '3.1.1.7.1', '1.2.1.1.a'])[1 + j % 5] end,
        '2026-11-10', ${MONTH},
        case j when 1 then 3500 when 2 then 4000 else (array[250, 50, 100, 10, 300])[1 + j % 5] end,
        case j when 2 then 'STATE' else 'NHM' end, 'approved', '[]', w.sub_centre_path, w.block_id, 6, '2026-11-12', '2026-11-20'
      from (select id, sub_centre_path, block_id, substr(id, 2)::int as n from asha_workers) w cross join generate_series(1, ${CLAIMS}) j`.execute(k);
    await sql`analyze asha_claims`.execute(k);
    await sql`analyze asha_workers`.execute(k);
    const loadSeconds = (performance.now() - t0) / 1000;

    const accountant = (blockPath: string): Actor => ({
      userId: 'U0000000001', username: 'bench.accountant', role: 'block_accountant', orgUnitId: 'x', orgPath: blockPath, permissions: new Set(ROLE_PERMISSIONS.block_accountant), ip: null,
    });
    const blocks = await k.selectFrom('org_units').select(['id', 'path']).where('id', 'like', 'B%').where('level', '=', 'block').orderBy('id').execute();
    const largest = blocks[0];
    let s = performance.now();
    const big = await createBatch(k, accountant(largest.path), { block: largest.id, month: MONTH });
    const largestMs = performance.now() - s;
    s = performance.now();
    const file = await batchFile(k, accountant(largest.path), big.id);
    const fileMs = performance.now() - s;
    const per: number[] = [];
    let rows = big.rows;
    let total = big.total;
    let heldBack = big.heldBack.length;
    s = performance.now();
    for (const b of blocks.slice(1)) {
      const b0 = performance.now();
      const r = await createBatch(k, accountant(b.path), { block: b.id, month: MONTH });
      per.push(performance.now() - b0);
      rows += r.rows; total += r.total; heldBack += r.heldBack.length;
    }
    const restMs = performance.now() - s;
    per.sort((a, b) => a - b);
    const left = await sql<{ n: number }>`select count(*)::int as n from asha_claims where status = 'approved'`.execute(k);
    console.log(JSON.stringify({
      bench: 'asha', engine, machine: { ...machine, loadAverageAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100) },
      ashas: ASHAS, claims: ASHAS * CLAIMS, blocks: BLOCKS, loadSeconds: ms(loadSeconds),
      largestBlock: { ashas: LARGEST, claims: LARGEST * CLAIMS, batchMs: ms(largestMs), rows: big.rows, heldBack: big.heldBack.length, fileMs: ms(fileMs), fileBytes: file.text.length },
      wholeState: { batches: blocks.length, batchSeconds: ms((largestMs + restMs) / 1000), medianBlockMs: ms(per[Math.floor(per.length / 2)] ?? 0), maxBlockMs: ms(per.at(-1) ?? 0), rows, totalRupees: total, heldBack, claimsLeftApproved: left.rows[0].n },
    }));
  } finally {
    await drop();
  }
}

await main();
