// The `swasthya` command: imports, users, migrations and demo data, on the same database the
// server uses (DATABASE_URL, or the embedded database in SWASTHYA_DATA_DIR).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepareDatabase } from '../bootstrap.js';
import { ConfigError, loadConfig, randomPassword, type Config } from '../config.js';
import type { Db } from '../db/connect.js';
import { openDatabase } from '../db/open.js';
import { importFacilities } from '../modules/facilities/facilities.import.js';
import * as facilityRepo from '../modules/facilities/facilities.repository.js';
import { seedDemo } from '../modules/demo/demo.seed.js';
import { importBoundaries } from '../modules/geo/geo.boundaries.js';
import { importIcdCodes } from '../modules/patients/patients.visits.js';
import { copyDocumentsToS3 } from '../modules/patients/patients.documents.js';
import { documentStoreFor, S3WithEarlierFiles } from '../platform/objectstore.js';
import { ImportFileError, importLgd, importVillages } from '../modules/geo/geo.import.js';
import { COUNTRY_ID } from '../modules/geo/geo.service.js';
import type { Actor } from '../platform/actor.js';
import { recordAudit } from '../platform/audit.js';
import { createUser } from '../platform/auth/users.service.js';
import { AppError } from '../platform/errors.js';
import { ROLE_PERMISSIONS } from '../platform/roles.js';

const USAGE = `Usage: swasthya <command>

  import lgd <states.csv> <districts.csv> [blocks.csv]
                      load the LGD state and district lists (and blocks) in LGD's own layouts
  import villages <villages.csv>
                      load an LGD village list: under their blocks when it has a Block Code
                      column (the village–block mapping), else under their districts
  import facilities <hospital_directory.csv>
                      load the National Hospital Directory; importing it again updates
  import boundaries <districts.geojson>
                      store district outlines (GeoJSON polygons with Dist_LGD or dtname/stname)
  import icd10 <codes.csv>
                      load ICD-10 diagnosis codes (CSV: code,title) for OPD visits
  documents copy-to-s3
                      after setting SWASTHYA_S3_*: copy the documents kept under the data
                      directory into the bucket (checked against their checksums; can be rerun)
  user add <username> --role <role> --org-unit <LGD code or id> [--password <p>] [--name <display name>]
                      add a user; without --password one is made up and printed
  migrate             bring the database up to date
  seed demo           load the demo registry (Hisar, Mandi, Patna, Delhi)

The database is the server's: DATABASE_URL (PostgreSQL), else the embedded one in
SWASTHYA_DATA_DIR (default ./data).
Exit codes: 0 done, 1 failed, 2 wrong usage.`;

class UsageError extends Error {}
/** Failed without anything written (the transaction is rolled back). */
class Failure extends Error {}

const fmt = new Intl.NumberFormat('en-IN');
const n = (x: number) => fmt.format(x);
const CLI_ID = 'cli';
const cliName = () => {
  try {
    return `cli:${os.userInfo().username}`;
  } catch {
    return 'cli';
  }
};

/** The command line acts as a country-wide administrator; its audit rows say `cli`. */
function cliActor(): Actor {
  return {
    userId: CLI_ID, username: cliName(), role: 'admin', orgUnitId: COUNTRY_ID, orgPath: `/${COUNTRY_ID}/`,
    permissions: new Set(ROLE_PERMISSIONS.admin), ip: null,
  };
}

// ---------------------------------------------------------------------------------------------
// Arguments

interface Args { positional: string[]; flags: Map<string, string> }

function parseArgs(argv: string[], known: string[]): Args {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') throw new UsageError('');
    if (!a.startsWith('--')) { positional.push(a); continue; }
    const [key, inline] = a.slice(2).split(/=(.*)/s, 2);
    if (!known.includes(key)) throw new UsageError(`unknown option --${key}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`--${key} needs a value`);
    flags.set(key, value);
  }
  return { positional, flags };
}

function readInput(file: string): string {
  try {
    return fs.readFileSync(path.resolve(file), 'utf8');
  } catch (e) {
    throw new Failure(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Progress and reports

/** `[#####.....] 12,345/30,606 rows` redrawn in place on a terminal; a line every 10% otherwise. */
export function progressBar(label: string, out: NodeJS.WriteStream = process.stderr) {
  const tty = !!out.isTTY;
  let lastDraw = 0;
  let lastTenth = -1;
  let drawn = false;
  return {
    update(done: number, total: number) {
      if (!total) return;
      if (tty) {
        const now = Date.now();
        if (done < total && now - lastDraw < 80) return;
        lastDraw = now;
        const width = 30;
        const fill = Math.round((done / total) * width);
        out.write(`\r${label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${n(done)}/${n(total)} rows`);
        drawn = true;
      } else {
        const tenth = Math.floor((done / total) * 10);
        if (tenth === lastTenth) return;
        lastTenth = tenth;
        out.write(`${label}: ${tenth * 10}% (${n(done)}/${n(total)} rows)\n`);
      }
    },
    done() {
      if (tty && drawn) out.write('\n');
    },
  };
}

const csvCell = (v: unknown) => {
  const s = String(v ?? '');
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** A folder whose mode has no write bit is treated as read-only even when we could write (as root). */
function writable(dir: string): boolean {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
    return (fs.statSync(dir).mode & 0o222) !== 0;
  } catch {
    return false;
  }
}

/**
 * Writes `<input>.refused.csv` next to the input; when that folder is read-only, into
 * `<data dir>/reports/`, else the temp folder.
 */
function writeReport(config: Config, input: string, header: string[], rows: unknown[][]): string {
  const base = `${path.basename(input).replace(/\.(csv|geojson|json)$/i, '')}.refused.csv`;
  const text = [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
  for (const dir of [path.dirname(path.resolve(input)), path.join(config.dataDir, 'reports'), os.tmpdir()]) {
    if (!writable(dir)) continue;
    const file = path.join(dir, base);
    try {
      fs.writeFileSync(file, text);
      return file;
    } catch {
      /* try the next folder */
    }
  }
  throw new Failure(`could not write the refusal report ${base} anywhere`);
}

function printRefused<T>(rows: T[], show: (r: T) => string) {
  if (!rows.length) return;
  console.log(`Refused ${n(rows.length)} row${rows.length === 1 ? '' : 's'}${rows.length > 20 ? ' (first 20 shown)' : ''}:`);
  for (const r of rows.slice(0, 20)) console.log(`  ${show(r)}`);
}

// ---------------------------------------------------------------------------------------------
// Commands

async function withDatabase<T>(config: Config, run: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDatabase(config);
  try {
    const prepared = await prepareDatabase(db, { ...config, demo: false });
    if (prepared.adminPassword) {
      console.log(`Created user "admin" with password: ${prepared.adminPassword}  (shown once; set SWASTHYA_ADMIN_PASSWORD to choose it)`);
    }
    return await run(db);
  } finally {
    await db.close();
  }
}

async function importLgdCommand(config: Config, files: string[]) {
  if (files.length < 2 || files.length > 3) throw new UsageError('import lgd needs <states.csv> <districts.csv> and optionally [blocks.csv]');
  const [states, districts, blocks] = files.map((f) => ({ name: path.basename(f), text: readInput(f), path: f }));
  return withDatabase(config, async (db) => {
    const bar = progressBar('LGD');
    const t0 = Date.now();
    const r = await db.kysely.transaction().execute(async (trx) => {
      const result = await importLgd(trx, { states, districts, blocks: blocks ?? null }, bar.update);
      const { refused, ...counts } = result;
      await recordAudit(trx, cliActor(), {
        action: 'import', entity: 'geo', orgPath: `/${COUNTRY_ID}/`,
        after: { files: files.map((f) => path.basename(f)), ...counts, refused: refused.length },
      });
      return result;
    });
    bar.done();
    const line = (label: string, c: { added: number; updated: number; unchanged: number }) =>
      `${label.padEnd(10)} ${n(c.added)} added, ${n(c.updated)} updated, ${n(c.unchanged)} unchanged`;
    console.log(`LGD import done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    console.log(line('states', r.states));
    console.log(line('districts', r.districts));
    if (blocks) console.log(line('blocks', r.blocks));
    printRefused(r.refused, (x) => `${x.file} line ${x.line}: ${x.reason}`);
    for (const input of [states, districts, blocks]) {
      const mine = r.refused.filter((x) => input && x.file === input.name);
      if (input && mine.length) console.log(`Refused rows of ${input.name} written to ${writeReport(config, input.path, ['line', 'reason'], mine.map((x) => [x.line, x.reason]))}`);
    }
    const accepted = ['states', 'districts', 'blocks'].reduce((a, k) => {
      const c = r[k as 'states'];
      return a + c.added + c.updated + c.unchanged;
    }, 0);
    if (!accepted && r.refused.length) throw new Failure('every row was refused; nothing was imported');
  });
}

async function importVillagesCommand(config: Config, files: string[]) {
  if (files.length !== 1) throw new UsageError('import villages needs one <villages.csv>');
  const input = { name: path.basename(files[0]), text: readInput(files[0]) };
  return withDatabase(config, async (db) => {
    const bar = progressBar('Villages');
    const t0 = Date.now();
    const r = await db.kysely.transaction().execute(async (trx) => {
      const result = await importVillages(trx, input, bar.update);
      await recordAudit(trx, cliActor(), {
        action: 'import', entity: 'geo', orgPath: `/${COUNTRY_ID}/`,
        after: { files: [input.name], villages: result.villages, under: result.parentLevel, refused: result.refused.length },
      });
      return result;
    });
    bar.done();
    const c = r.villages;
    console.log(`Village import done in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${n(c.added)} added, ${n(c.updated)} updated, ${n(c.unchanged)} unchanged, each under its ${r.parentLevel}`);
    printRefused(r.refused, (x) => `line ${x.line}: ${x.reason}`);
    if (r.refused.length) console.log(`Refused rows written to ${writeReport(config, files[0], ['line', 'reason'], r.refused.map((x) => [x.line, x.reason]))}`);
    if (!c.added && !c.updated && !c.unchanged && r.refused.length) throw new Failure('every row was refused; nothing was imported');
  });
}

async function copyDocumentsCommand(config: Config) {
  const store = documentStoreFor(config);
  if (!(store instanceof S3WithEarlierFiles)) {
    throw new Failure('no S3 store is configured: set SWASTHYA_S3_ENDPOINT, SWASTHYA_S3_BUCKET, SWASTHYA_S3_ACCESS_KEY and SWASTHYA_S3_SECRET_KEY first');
  }
  await store.check().catch((e: Error) => { throw new Failure(e.message); });
  return withDatabase(config, async (db) => {
    const bar = progressBar('Documents');
    const t0 = Date.now();
    const r = await copyDocumentsToS3(db.kysely, store, bar.update);
    bar.done();
    await recordAudit(db.kysely, cliActor(), {
      action: 'import', entity: 'patient_document', orgPath: `/${COUNTRY_ID}/`,
      after: { to: `s3://${config.s3!.bucket}`, copied: r.copied, alreadyThere: r.alreadyThere, problems: r.problems.length },
    });
    console.log(`Documents copied to bucket ${config.s3!.bucket} in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${n(r.copied)} copied, ${n(r.alreadyThere)} already there`);
    printRefused(r.problems, (x) => `document ${x.id} (${x.key}): ${x.reason}`);
    if (r.problems.length) throw new Failure(`${n(r.problems.length)} document${r.problems.length === 1 ? '' : 's'} could not be copied (listed above); the others are in the bucket`);
  });
}

async function importFacilitiesCommand(config: Config, files: string[]) {
  if (files.length !== 1) throw new UsageError('import facilities needs one <hospital_directory.csv>');
  const text = readInput(files[0]);
  return withDatabase(config, async (db) => {
    const bar = progressBar('Facilities');
    const t0 = Date.now();
    const r = await db.kysely.transaction().execute(async (trx) => {
      const result = await importFacilities(trx, text, bar.update, path.basename(files[0]));
      const { refused, ...counts } = result;
      await recordAudit(trx, cliActor(), {
        action: 'import', entity: 'facility', orgPath: `/${COUNTRY_ID}/`,
        after: { file: path.basename(files[0]), source: 'nhd', ...counts, refused: refused.length },
      });
      return result;
    });
    bar.done();
    console.log(`Facility import done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    console.log(`read ${n(r.read)}, imported ${n(r.imported)}, updated ${n(r.updated)}, refused ${n(r.refused.length)}`);
    if (r.warnings.noCoordinates) console.log(`warning: ${n(r.warnings.noCoordinates)} imported without coordinates (missing, unreadable or outside India)`);
    if (r.warnings.publicHospitalAsSdh) console.log(`warning: ${n(r.warnings.publicHospitalAsSdh)} government hospitals with no level in their name imported as SDH`);
    printRefused(r.refused, (x) => `line ${x.line} (Sr_No ${x.srNo}, ${x.state || '-'} / ${x.district || '-'}): ${x.reason}`);
    if (r.refused.length) {
      const file = writeReport(config, files[0], ['line', 'sr_no', 'name', 'state', 'district', 'reason'], r.refused.map((x) => [x.line, x.srNo, x.name, x.state, x.district, x.reason]));
      console.log(`Refused rows written to ${file}`);
    }
    if (r.read && !r.imported && !r.updated) throw new Failure('every row was refused; nothing was imported');
  });
}

async function importBoundariesCommand(config: Config, files: string[]) {
  if (files.length !== 1) throw new UsageError('import boundaries needs one <districts.geojson>');
  const text = readInput(files[0]);
  return withDatabase(config, async (db) => {
    const bar = progressBar('Boundaries');
    const r = await db.kysely.transaction().execute(async (trx) => {
      const result = await importBoundaries(trx, text, bar.update, path.basename(files[0]));
      await recordAudit(trx, cliActor(), {
        action: 'import', entity: 'geo', orgPath: `/${COUNTRY_ID}/`,
        after: { file: path.basename(files[0]), kind: 'boundaries', read: result.read, stored: result.stored, unplaced: result.unplaced.length, points: result.points },
      });
      return result;
    });
    bar.done();
    console.log(`read ${n(r.read)} features, stored ${n(r.stored)} outlines (${n(r.points.before)} points simplified to ${n(r.points.after)}), not placed ${n(r.unplaced.length)}`);
    printRefused(r.unplaced, (x) => `feature ${x.feature} (${x.name}): ${x.reason}`);
    if (r.unplaced.length) {
      console.log(`Features not placed written to ${writeReport(config, files[0], ['feature', 'name', 'reason'], r.unplaced.map((x) => [x.feature, x.name, x.reason]))}`);
    }
    if (r.read && !r.stored) throw new Failure('no feature could be placed; nothing was stored');
  });
}

async function importIcdCommand(config: Config, files: string[]) {
  if (files.length !== 1) throw new UsageError('import icd10 needs one <codes.csv>');
  const text = readInput(files[0]);
  return withDatabase(config, async (db) => {
    const bar = progressBar('ICD-10');
    const r = await db.kysely.transaction().execute(async (trx) => {
      const result = await importIcdCodes(trx, text, bar.update);
      await recordAudit(trx, cliActor(), { action: 'import', entity: 'icd_codes', orgPath: `/${COUNTRY_ID}/`, after: { file: path.basename(files[0]), read: result.read, stored: result.stored, refused: result.refused.length } });
      return result;
    });
    bar.done();
    console.log(`read ${n(r.read)}, stored ${n(r.stored)}, refused ${n(r.refused.length)}`);
    printRefused(r.refused, (x) => `line ${x.line}: ${x.reason}`);
    if (r.read && !r.stored) throw new Failure('every row was refused; nothing was stored');
  });
}

async function userAdd(config: Config, args: Args) {
  const [username, ...extra] = args.positional;
  if (!username || extra.length) throw new UsageError('user add needs exactly one <username>');
  const role = args.flags.get('role');
  const orgUnit = args.flags.get('org-unit');
  if (!role || !orgUnit) throw new UsageError('user add needs --role and --org-unit');
  const given = args.flags.get('password');
  const password = given ?? randomPassword();
  return withDatabase(config, async (db) => {
    const user = await db.kysely.transaction().execute((trx) =>
      createUser(trx, cliActor(), { username, password, role, orgUnit, displayName: args.flags.get('name') }));
    console.log(`Created user ${user.username} (${user.role}) at ${user.orgUnit.name} [${user.orgUnit.level}${user.orgUnit.lgdCode !== null ? ` ${user.orgUnit.lgdCode}` : ''}]`);
    if (!given) console.log(`Password: ${password}  (shown once)`);
  });
}

async function migrate(config: Config) {
  const db = await openDatabase(config);
  try {
    const r = await prepareDatabase(db, { ...config, demo: false });
    console.log(r.migrations.length ? `Applied ${r.migrations.length} migration(s): ${r.migrations.join(', ')}` : 'The database is up to date');
    if (r.adminPassword) console.log(`Created user "admin" with password: ${r.adminPassword}  (shown once)`);
  } finally {
    await db.close();
  }
}

async function seed(config: Config, what: string[]) {
  if (what.length !== 1 || what[0] !== 'demo') throw new UsageError('seed takes one argument: demo');
  return withDatabase(config, async (db) => {
    if ((await facilityRepo.bySourceRef(db.kysely, 'demo')).size) {
      console.log('The demo registry is already loaded');
      return;
    }
    const r = await db.kysely.transaction().execute((trx) => seedDemo(trx));
    console.log(`Loaded the demo registry: ${n(r.facilities)} facilities (Hisar, Mandi, Patna, Delhi)`);
  });
}

export async function run(argv: string[]): Promise<number> {
  try {
    const [cmd, sub, ...rest] = argv;
    const positional = (list: string[]) => parseArgs(list, []).positional;
    let action: ((config: Config) => Promise<unknown>) | null = null;
    if (cmd === 'import' && sub === 'lgd') action = (c) => importLgdCommand(c, positional(rest));
    else if (cmd === 'documents' && sub === 'copy-to-s3' && !rest.length) action = copyDocumentsCommand;
    else if (cmd === 'import' && sub === 'villages') action = (c) => importVillagesCommand(c, positional(rest));
    else if (cmd === 'import' && sub === 'facilities') action = (c) => importFacilitiesCommand(c, positional(rest));
    else if (cmd === 'import' && sub === 'boundaries') action = (c) => importBoundariesCommand(c, positional(rest));
    else if (cmd === 'import' && sub === 'icd10') action = (c) => importIcdCommand(c, positional(rest));
    else if (cmd === 'user' && sub === 'add') {
      const args = parseArgs(rest, ['role', 'org-unit', 'password', 'name']);
      action = (c) => userAdd(c, args);
    } else if (cmd === 'migrate' && sub === undefined) action = migrate;
    else if (cmd === 'seed') {
      const what = positional([sub, ...rest].filter((x) => x !== undefined));
      action = (c) => seed(c, what);
    } else if (cmd === undefined || cmd === 'help' || cmd === '--help' || cmd === '-h') throw new UsageError('');
    else throw new UsageError(`unknown command: ${[cmd, sub].filter(Boolean).join(' ')}`);
    const config = loadConfig();
    await action(config);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) console.error(`swasthya: ${e.message}\n`);
      console.error(USAGE);
      return 2;
    }
    if (e instanceof ConfigError) {
      console.error(e.message);
      return 2;
    }
    if (e instanceof Failure || e instanceof ImportFileError || e instanceof AppError) {
      console.error(`swasthya: ${e.message}`);
      return 1;
    }
    console.error('swasthya: failed:', e);
    return 1;
  }
}

// Run through npm (`npm run swasthya -- …`), paths are the caller's, not the server workspace's.
if (process.env.npm_lifecycle_event === 'cli' && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
process.exitCode = await run(process.argv.slice(2));
