// The `swasthya` command: imports, users, migrations and demo data, on the same database the
// server uses (DATABASE_URL, or the embedded database in SWASTHYA_DATA_DIR).
import { prepareDatabase } from '../bootstrap.js';
import { ConfigError, loadConfig, randomPassword, type Config } from '../config.js';
import { DataDirInUse } from '../db/connect.js';
import { openDatabase } from '../db/open.js';
import * as facilityRepo from '../modules/facilities/facilities.repository.js';
import { seedDemo } from '../modules/demo/demo.seed.js';
import { ImportFileError } from '../modules/geo/geo.import.js';
import { createUser } from '../platform/auth/users.service.js';
import { AppError } from '../platform/errors.js';
import {
  copyDocumentsCommand, importBoundariesCommand, importFacilitiesCommand, importFamiliesCommand, importIcdCommand, importLgdCommand, importPanchayatsCommand, importVillagesCommand,
} from './imports.js';
import { importFhirProfilesCommand } from './fhir-profiles.js';
import { cliActor, Failure, n, parseArgs, UsageError, withDatabase, type Args } from './support.js';

const USAGE = `Usage: swasthya <command>

  import lgd <states.csv> <districts.csv> [blocks.csv]
                      load the LGD state and district lists (and blocks) in LGD's own layouts
  import villages <villages.csv>
                      load an LGD village list: under their blocks when it has a Block Code
                      column (the village–block mapping), else under their districts
  import panchayats <panchayats.csv>
                      load LGD's gram panchayats (and wards) under their blocks; with a Village
                      Code column (the village–gram panchayat mapping) each village moves under
                      its panchayat, keeping its id (layout in docs/geo.md)
  import families <register.csv>
                      load a state family register extract (Him Parivar, Parivar Pehchan
                      Patra): families under their panchayats, members matched to patients;
                      all or nothing, importing again updates (layout in docs/registers.md)
  import facilities <hospital_directory.csv>
                      load the National Hospital Directory; importing it again updates
  import boundaries <outlines.geojson> [--level district|block|panchayat|village]
                      store outlines (GeoJSON polygons): districts by Dist_LGD or dtname/stname;
                      blocks by block_lgd, gram panchayats and wards by gp_lgd, local_body_code or
                      ward_lgd, villages by village_lgd; a bare lgd_code at --level (default
                      district) (layout in docs/geo.md)
  import icd10 <codes.csv>
                      load ICD-10 diagnosis codes (CSV: code,title) for OPD visits
  import fhir-profiles <folder | file.json>
                      load FHIR R4 profiles (StructureDefinitions with snapshots: an IG's
                      package folder, e.g. ABDM's); resources claiming them are checked against them
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

/**
 * What to do when a running server holds the embedded database: stop it, or (for blocks, villages and panchayats)
 * send the file to the running server, which imports it the same way.
 */
function inUseAdvice(e: DataDirInUse, argv: string[]): string {
  const lines = [`swasthya: ${e.message}.`, 'The embedded database (PGlite) can be open in one process only. Either stop the server and run this command again, or'];
  const [cmd, sub, file] = argv;
  if (cmd === 'import' && (sub === 'villages' || sub === 'panchayats' || sub === 'lgd')) {
    const level = sub === 'lgd' ? 'blocks' : sub;
    const csv = sub === 'lgd' ? argv[4] ?? 'blocks.csv' : file ?? `${sub}.csv`;
    lines.push(
      `import through the running server (signed in as a state administrator; all or nothing, refused rows listed by line):`,
      `  curl -X POST -H "Authorization: Bearer <token>" -H "Content-Type: text/csv" --data-binary @${csv} "http://<server>/api/geo/units/import?level=${level}"`,
    );
    if (sub === 'lgd') lines.push('(states and districts are built in; the API imports blocks, villages and panchayats.)');
  } else {
    lines.push('use PostgreSQL (DATABASE_URL), which many processes can share.');
  }
  return lines.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  try {
    const [cmd, sub, ...rest] = argv;
    const positional = (list: string[]) => parseArgs(list, []).positional;
    let action: ((config: Config) => Promise<unknown>) | null = null;
    if (cmd === 'import' && sub === 'lgd') action = (c) => importLgdCommand(c, positional(rest));
    else if (cmd === 'documents' && sub === 'copy-to-s3' && !rest.length) action = copyDocumentsCommand;
    else if (cmd === 'import' && sub === 'villages') action = (c) => importVillagesCommand(c, positional(rest));
    else if (cmd === 'import' && sub === 'panchayats') action = (c) => importPanchayatsCommand(c, positional(rest));
    else if (cmd === 'import' && sub === 'families') action = (c) => importFamiliesCommand(c, positional(rest));
    else if (cmd === 'import' && sub === 'facilities') action = (c) => importFacilitiesCommand(c, positional(rest));
    else if (cmd === 'import' && sub === 'boundaries') {
      const args = parseArgs(rest, ['level']);
      action = (c) => importBoundariesCommand(c, args.positional, args.flags.get('level'));
    }
    else if (cmd === 'import' && sub === 'icd10') action = (c) => importIcdCommand(c, positional(rest));
    else if (cmd === 'import' && sub === 'fhir-profiles') action = (c) => importFhirProfilesCommand(c, positional(rest));
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
    if (e instanceof DataDirInUse) {
      console.error(inUseAdvice(e, argv));
      return 1;
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
