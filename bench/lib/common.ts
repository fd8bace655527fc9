// Shared by the benchmarks: a fresh database to measure in, and the statistics they print.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { openPglite, openPostgres, type Db } from '../../server/src/db/connect.js';
import { createSchema, dropSchema } from '../../server/src/db/schemas.js';
import { schemaUrl } from '../../server/src/test/tele-load.js';

/**
 * A fresh database, dropped at the end: a new schema on the PostgreSQL server named by
 * DATABASE_URL, BENCH_DATABASE_URL or TEST_DATABASE_URL, else PGlite in `tmp`. BENCH_KEEP keeps it.
 */
export async function freshDatabase(tmp: string): Promise<{ db: Db; engine: string; drop: () => Promise<void>; url?: string }> {
  const url = process.env.DATABASE_URL ?? process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!url) {
    const db = await openPglite(tmp);
    return { db, engine: 'pglite', drop: async () => db.close() };
  }
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  await createSchema(url, schema);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const version = (await admin.query('show server_version')).rows[0].server_version as string;
  await admin.end();
  const db = await openPostgres(url, { schema });
  return {
    db,
    url: schemaUrl(url, schema),
    engine: `postgresql ${version.split(' ')[0]}`,
    drop: async () => {
      await db.close();
      if (process.env.BENCH_KEEP) { console.error('kept schema', schema); return; }
      await dropSchema(url, schema);
    },
  };
}

/** A schema an earlier run kept (BENCH_KEEP=1) on the PostgreSQL server of freshDatabase, used again and kept. */
export async function keptDatabase(schema: string): Promise<{ db: Db; engine: string; drop: () => Promise<void>; url?: string }> {
  const url = process.env.DATABASE_URL ?? process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('BENCH_SCHEMA needs PostgreSQL: set BENCH_DATABASE_URL or TEST_DATABASE_URL');
  const db = await openPostgres(url, { schema });
  const { rows: [{ server_version: version }] } = await sql<{ server_version: string }>`show server_version`.execute(db.kysely);
  return { db, url: schemaUrl(url, schema), engine: `postgresql ${version.split(' ')[0]}`, drop: () => db.close() };
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const ms = (x: number) => Math.round(x * 10) / 10;
