import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { trackClients } from './copy.js';
import type { Database } from './types.js';
import { PGliteDialect } from './pglite-dialect.js';
import { PgListener, type NotifyHandler } from './listener.js';
import { wrapsQueries } from './prepared.js';

export type Engine = 'pglite' | 'postgresql';

export interface Db {
  readonly kysely: Kysely<Database>;
  readonly engine: Engine;
  /**
   * Calls `onPayload` for each NOTIFY on `channel` (from any connection, any server instance), and
   * with null when notifications may have been missed (the listening connection was lost and is
   * back); resolves to a function that stops listening. Optional so that test doubles of Db need not have it.
   */
  listen?(channel: string, onPayload: NotifyHandler): Promise<() => Promise<void>>;
  /** PGlite only: the whole data folder as a tarball, which `openPglite(null, { from })` opens again (tests start from one). */
  dump?(): Promise<Blob>;
  close(): Promise<void>;
}

const DATE_OID = 1082;
const INT8_OID = 20;
const NUMERIC_OID = 1700;
/** SSD-era planner cost of a random page read (PostgreSQL's default of 4 assumes spinning disks). */
const RANDOM_PAGE_COST = 1.1;

/**
 * The PGlite data folder is in use by another process (a running server, or another command). PGlite
 * is one process and does not refuse a second one on its folder (both would write it and damage the
 * data), so the opener writes its process id to `<dataDir>/pglite.pid` and removes it on close; a
 * file whose process is gone (a crash) is taken over.
 */
export class DataDirInUse extends Error {
  constructor(readonly dataDir: string, readonly pid: number) {
    super(`the data folder ${dataDir} is in use by another Swasthya process (process ${pid}, a running server?)`);
  }
}

const openDirs = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockDataDir(dataDir: string): () => void {
  const file = path.join(dataDir, 'pglite.pid');
  const key = path.resolve(file);
  if (openDirs.has(key)) throw new DataDirInUse(dataDir, process.pid);
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw e;
      const pid = Number(fs.readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) throw new DataDirInUse(dataDir, pid);
      fs.rmSync(file, { force: true });
    }
  }
  openDirs.add(key);
  return () => {
    openDirs.delete(key);
    fs.rmSync(file, { force: true });
  };
}

/** Opens PGlite in `dataDir` (or in memory when dataDir is null), starting from a dump (`Db.dump`) when `from` is given. */
export async function openPglite(dataDir: string | null, opts: { from?: Blob } = {}): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  let dir: string | undefined;
  if (dataDir) {
    dir = path.join(dataDir, 'pglite');
    fs.mkdirSync(dir, { recursive: true });
  }
  const unlock = dataDir ? lockDataDir(dataDir) : () => {};
  let pglite: Awaited<ReturnType<typeof PGlite.create>>;
  try {
    pglite = await PGlite.create(dir, {
      extensions: { pg_trgm },
      ...(opts.from ? { loadDataDir: opts.from } : {}),
      parsers: {
        [DATE_OID]: (v: string) => v,
        [INT8_OID]: (v: string) => Number(v),
        [NUMERIC_OID]: (v: string) => Number(v),
      },
    });
  } catch (e) {
    unlock();
    throw e;
  }
  // The embedded database lives in memory pages and on local disk: random reads cost little, so the
  // planner should prefer indexes (the trigram name search falls back to a full scan otherwise).
  await pglite.exec(`set random_page_cost = ${RANDOM_PAGE_COST}`);
  const kysely = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    kysely, engine: 'pglite',
    close: async () => {
      await kysely.destroy();
      unlock();
    },
    listen: async (channel, onPayload) => pglite.listen(channel, onPayload),
    dump: () => pglite.dumpDataDir('none') as Promise<Blob>,
  };
}

/** How long a request waits for a pooled connection before it is answered 503. */
export const CONNECT_TIMEOUT_MS = 5_000;

/**
 * A connection the database ends (restart, failover, `pg_terminate_backend`, a network fault) makes
 * node-postgres emit 'error', on the pool for an idle connection and on the client for one in use
 * between queries; unheard, that event ends the process. Heard here: the dead connection leaves the
 * pool (pg-pool drops idle ones at once and in-use ones when they are released), the query that was
 * running fails and its request is answered 503, and the next request opens a new connection.
 */
function survivesLostConnections(pool: pg.Pool) {
  let warnedAt = 0;
  const warn = (err: Error) => {
    // One line per burst: a restart ends every connection at once.
    if (Date.now() - warnedAt < 10_000) return;
    warnedAt = Date.now();
    console.warn(`PostgreSQL connection lost (${err.message}); new connections are opened as requests need them`);
  };
  pool.on('error', warn);
  pool.on('connect', (client) => { client.on('error', warn); });
}

/** `url` without its `options` parameter: pg would take the URL's options over the ones given beside it (which hold them too). */
function withoutOptions(url: string): string {
  try {
    const u = new URL(url);
    if (!u.searchParams.has('options')) return url;
    u.searchParams.delete('options');
    return u.toString();
  } catch {
    return url;
  }
}

/** The `options` parameter of a connection URL (e.g. `-c search_path=x`), or ''. */
export function urlOptions(url: string): string {
  try {
    return new URL(url).searchParams.get('options')?.trim() ?? '';
  } catch {
    return '';
  }
}

/**
 * Connects to a PostgreSQL server. `schema`, when given, becomes the first entry of the search
 * path (tests give each run its own schema; extensions stay in `public`).
 */
export async function openPostgres(url: string, opts: { schema?: string; max?: number; appName?: string; settings?: string; prepare?: boolean } = {}): Promise<Db> {
  const types = {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === DATE_OID) return (v: string) => v;
      if (oid === INT8_OID || oid === NUMERIC_OID) return (v: string) => Number(v);
      return pg.types.getTypeParser(oid, format as 'text');
    },
  };
  const clientConfig = {
    connectionString: withoutOptions(url),
    types: types as pg.CustomTypesConfig,
    // pg takes a URL's `?options=` over `options` given beside it: the URL goes without them and they join ours here.
    options: [`-c random_page_cost=${RANDOM_PAGE_COST}`, urlOptions(url), opts.settings ?? '', opts.schema ? `-c search_path=${opts.schema},public` : ''].filter(Boolean).join(' '),
  };
  const pool = new pg.Pool({
    ...clientConfig,
    max: opts.max ?? 10,
    // While the database is away a request waits at most this long for a connection, then gets a 503.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // Names the connections in pg_stat_activity (a connection URL's own application_name wins).
    application_name: opts.appName ?? (opts.schema ? `swasthya ${opts.schema}` : 'swasthya'),
  });
  survivesLostConnections(pool);
  trackClients(pool);
  // Queries go to pg by its callback API, and statements run often are prepared on each connection
  // (db/prepared.ts); SWASTHYA_PREPARED=0 turns preparing off.
  const prepare = opts.prepare ?? process.env.SWASTHYA_PREPARED !== '0';
  pool.on('connect', (client) => wrapsQueries(client, { prepare }));
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  await sql`select 1`.execute(kysely);
  const listener = new PgListener(clientConfig);
  return {
    kysely, engine: 'postgresql',
    listen: (channel, onPayload) => listener.listen(channel, onPayload),
    async close() {
      await listener.close();
      await kysely.destroy();
    },
  };
}
