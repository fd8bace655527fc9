import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openPglite, openPostgres } from './connect.js';
import { MIGRATION_LOCK, migrateToLatest } from './migrate.js';
import { freshDb, testEngines } from '../test/harness.js';

describe('PGlite on disk', () => {
  test('data survives a restart, and migrations run once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swasthya-db-'));
    try {
      const a = await openPglite(dir);
      assert.ok((await migrateToLatest(a)).length >= 4);
      await a.kysely.insertInto('org_units').values({ id: 'Aaaaaaaaaa1', level: 'country', name: 'Test', path: '/Aaaaaaaaaa1/' }).execute();
      await a.close();
      const b = await openPglite(dir);
      assert.deepEqual(await migrateToLatest(b), []);
      const row = await b.kysely.selectFrom('org_units').select('name').where('id', '=', 'Aaaaaaaaaa1').executeTakeFirst();
      assert.equal(row?.name, 'Test');
      await b.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

for (const engine of testEngines()) {
  describe(`migrations [${engine}]`, () => {
    test('a migration that lands after a later-named one has run (work merged from side by side) still runs, instead of refusing to start', async () => {
      const db = await freshDb(engine);
      try {
        await migrateToLatest(db);
        // As a database migrated before the ASHA tables landed, with the ambulance index (named later) already run.
        const asha = await import('./migrations/20261206T0100_create_asha.js');
        // Under the migration lock, as dropSchema: another test's migrator reads every schema's tables.
        await db.kysely.connection().execute(async (conn) => {
          await sql`select pg_advisory_lock(${sql.lit(MIGRATION_LOCK)})`.execute(conn);
          try {
            await asha.down(conn);
            await sql`delete from kysely_migration where name = '20261206T0100_create_asha'`.execute(conn);
          } finally {
            await sql`select pg_advisory_unlock(${sql.lit(MIGRATION_LOCK)})`.execute(conn);
          }
        });
        const later = await sql<{ n: number }>`select count(*)::int as n from kysely_migration where name > '20261206T0100_create_asha'`.execute(db.kysely);
        assert.ok(later.rows[0].n > 0, 'a later-named migration has run');
        assert.deepEqual(await migrateToLatest(db), ['20261206T0100_create_asha']);
        await sql`select 1 from asha_workers limit 1`.execute(db.kysely);
      } finally {
        await db.close();
      }
    });
  });
}

for (const engine of testEngines()) {
  describe(`transactions [${engine}]`, () => {
    test('concurrent transactions do not interleave, and a failure leaves nothing behind', async () => {
      const db = await freshDb(engine);
      try {
        await sql`create table counter (n integer not null)`.execute(db.kysely);
        await sql`insert into counter values (0)`.execute(db.kysely);
        // Read-modify-write in 20 concurrent transactions; serialised (PGlite) or row-locked
        // (PostgreSQL), the counter ends at exactly 20.
        await Promise.all(Array.from({ length: 20 }, () => db.kysely.transaction().execute(async (trx) => {
          const { rows } = await sql<{ n: number }>`select n from counter for update`.execute(trx);
          await new Promise((r) => setTimeout(r, 2));
          await sql`update counter set n = ${rows[0].n + 1}`.execute(trx);
        })));
        const { rows } = await sql<{ n: number }>`select n from counter`.execute(db.kysely);
        assert.equal(rows[0].n, 20);
        await assert.rejects(db.kysely.transaction().execute(async (trx) => {
          await sql`update counter set n = 999`.execute(trx);
          throw new Error('boom');
        }), /boom/);
        const after = await sql<{ n: number }>`select n from counter`.execute(db.kysely);
        assert.equal(after.rows[0].n, 20);
      } finally {
        await db.close();
      }
    });
  });
}

describe('a PostgreSQL URL with its own options', { skip: !process.env.TEST_DATABASE_URL && 'TEST_DATABASE_URL is not set' }, () => {
  test("the URL's options and the schema's search path both hold (pg alone takes the URL's over the ones given beside it)", async () => {
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.searchParams.set('options', '-c work_mem=5MB');
    const db = await openPostgres(url.toString(), { schema: 'swasthya_opts_probe', max: 1 });
    try {
      const row = async (q: string) => Object.values((await sql.raw(q).execute(db.kysely)).rows[0] as Record<string, string>)[0];
      assert.equal(await row('show work_mem'), '5MB');
      assert.equal(await row('show search_path'), 'swasthya_opts_probe,public');
      assert.equal(await row('show random_page_cost'), '1.1');
    } finally {
      await db.close();
    }
  });
});
