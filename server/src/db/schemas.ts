// Throw-away schemas on a PostgreSQL server, for tests and benchmarks that share one database.
import pg from 'pg';
import { MIGRATION_LOCK } from './migrate.js';

export { withClient } from './pg-template.js';
import { withClient } from './pg-template.js';

/** Creates `schema` (and pg_trgm in `public`, once, under a lock: two creators would collide). */
export function createSchema(url: string, schema: string): Promise<void> {
  return withClient(url, async (c) => {
    await c.query('select pg_advisory_lock(727274)');
    try {
      await c.query('create extension if not exists pg_trgm with schema public');
    } finally {
      await c.query('select pg_advisory_unlock(727274)');
    }
    await c.query(`create schema ${pg.escapeIdentifier(schema)}`);
  });
}

/**
 * Drops `schema` (and the job queue's `<schema>_pgboss`). Holds the migration lock meanwhile: Kysely's migrator lists the tables of every
 * schema, and one vanishing under it fails that listing ("schema … does not exist").
 */
export function dropSchema(url: string, schema: string): Promise<void> {
  return withClient(url, async (c) => {
    await c.query(`select pg_advisory_lock(${MIGRATION_LOCK})`);
    try {
      await c.query(`drop schema if exists ${pg.escapeIdentifier(schema)} cascade`);
      // The job queue's schema of an app on this schema (platform/jobs: <schema>_pgboss).
      await c.query(`drop schema if exists ${pg.escapeIdentifier(`${schema}_pgboss`)} cascade`);
    } finally {
      await c.query(`select pg_advisory_unlock(${MIGRATION_LOCK})`);
    }
  });
}
