// Bulk writes by COPY on a PostgreSQL server, inside whatever transaction the caller holds.
import type pg from 'pg';
import { sql, type Kysely } from 'kysely';
import { from as copyFrom } from 'pg-copy-streams';
import { isPGlite } from './pglite-dialect.js';

/** The pool's open connections by backend process id, so a Kysely transaction can find its own. */
const clients = new Map<number, pg.PoolClient>();

export function trackClients(pool: pg.Pool): void {
  pool.on('connect', (c) => { if ((c as any).processID) clients.set((c as any).processID, c); });
  pool.on('remove', (c) => { clients.delete((c as any).processID); });
}

/**
 * The pg client behind the transaction `db`, or null on PGlite or outside a transaction.
 */
async function clientOf(db: Kysely<any>): Promise<pg.PoolClient | null> {
  // Outside a transaction the connection goes back to the pool after each query; COPY would race it.
  if (!db.isTransaction || isPGlite(db)) return null;
  const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db);
  return clients.get(Number(rows[0].pid)) ?? null;
}

/** COPY's text format for one field: backslash, tab and line breaks escaped, null as \N. */
export function copyField(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  const s = String(v);
  return /[\\\t\n\r]/.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s;
}

/**
 * Writes `rows` (arrays in `columns` order) into `table` with COPY FROM STDIN on the connection of
 * `db`. Returns false, writing nothing, where COPY is not available (PGlite): the caller inserts.
 */
export async function copyRows(db: Kysely<any>, table: string, columns: string[], rows: unknown[][]): Promise<boolean> {
  return copyLines(db, table, columns, (function* () { for (const r of rows) yield r.map(copyField).join('\t') + '\n'; })());
}

/**
 * As copyRows, for rows already written as COPY text lines (fields by copyField, joined by tabs,
 * each line ending in \n): a bulk writer that knows its columns builds each line without an array.
 */
export async function copyLines(db: Kysely<any>, table: string, columns: string[], lines: Iterable<string>): Promise<boolean> {
  const client = await clientOf(db);
  if (!client) return false;
  const stream = client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  let chunk = '';
  for (const line of lines) {
    chunk += line;
    if (chunk.length > 1 << 20) {
      if (!stream.write(chunk)) await new Promise((resolve) => stream.once('drain', resolve));
      chunk = '';
    }
  }
  stream.end(chunk);
  await done;
  return true;
}
