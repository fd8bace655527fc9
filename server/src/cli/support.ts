// What the `swasthya` commands share: usage and failure errors, the command line's audit actor,
// arguments and input files, progress bars and refusal reports, and opening the database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepareDatabase } from '../bootstrap.js';
import type { Config } from '../config.js';
import type { Db } from '../db/connect.js';
import { openDatabase } from '../db/open.js';
import { COUNTRY_ID } from '../modules/geo/geo.service.js';
import type { Actor } from '../platform/actor.js';
import { ROLE_PERMISSIONS } from '../platform/roles.js';

export class UsageError extends Error {}
/** Failed without anything written (the transaction is rolled back). */
export class Failure extends Error {}

const fmt = new Intl.NumberFormat('en-IN');
export const n = (x: number) => fmt.format(x);
const CLI_ID = 'cli';
const cliName = () => {
  try {
    return `cli:${os.userInfo().username}`;
  } catch {
    return 'cli';
  }
};

/** The command line acts as a country-wide administrator; its audit rows say `cli`. */
export function cliActor(): Actor {
  return {
    userId: CLI_ID, username: cliName(), role: 'admin', orgUnitId: COUNTRY_ID, orgPath: `/${COUNTRY_ID}/`,
    permissions: new Set(ROLE_PERMISSIONS.admin), ip: null,
  };
}

// ---------------------------------------------------------------------------------------------
// Arguments

export interface Args { positional: string[]; flags: Map<string, string> }

export function parseArgs(argv: string[], known: string[]): Args {
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

export function readInput(file: string): string {
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
export function writeReport(config: Config, input: string, header: string[], rows: unknown[][], kind = 'refused'): string {
  const base = `${path.basename(input).replace(/\.(csv|geojson|json)$/i, '')}.${kind}.csv`;
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

export function printRefused<T>(rows: T[], show: (r: T) => string) {
  if (!rows.length) return;
  console.log(`Refused ${n(rows.length)} row${rows.length === 1 ? '' : 's'}${rows.length > 20 ? ' (first 20 shown)' : ''}:`);
  for (const r of rows.slice(0, 20)) console.log(`  ${show(r)}`);
}

// ---------------------------------------------------------------------------------------------
// Commands

export async function withDatabase<T>(config: Config, run: (db: Db) => Promise<T>): Promise<T> {
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
