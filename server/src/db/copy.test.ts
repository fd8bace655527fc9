import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { copyRows } from './copy.js';
import { freshDb, testEngines } from '../test/harness.js';

for (const engine of testEngines()) {
  describe(`bulk COPY [${engine}]`, () => {
    test('inside a transaction on PostgreSQL, with awkward text intact; PGlite declines', async () => {
      const db = await freshDb(engine);
      try {
        const rows = [
          ['tab\there', 'line\nbreak\r\nand back\\slash', 1.5, true],
          ['हिन्दी, "quotes"', null, null, false],
          ['\\N is text, not null', '', -0.25, null],
        ];
        const out = await db.kysely.transaction().execute(async (trx) => {
          await sql`create temp table copy_probe (a text, b text, n float8, f boolean) on commit drop`.execute(trx);
          const copied = await copyRows(trx, 'copy_probe', ['a', 'b', 'n', 'f'], rows);
          const back = await sql<{ a: string; b: string | null; n: number | null; f: boolean | null }>`select * from copy_probe`.execute(trx);
          return { copied, back: back.rows };
        });
        assert.equal(await copyRows(db.kysely, 'copy_probe', ['a'], [['x']]), false, 'outside a transaction there is no one connection to COPY on');
        if (engine === 'pglite') {
          assert.equal(out.copied, false);
          assert.deepEqual(out.back, []);
          return;
        }
        assert.equal(out.copied, true);
        assert.deepEqual(out.back.map((r) => [r.a, r.b, r.n, r.f]), rows);
        // A failed COPY fails the transaction, leaving nothing behind.
        await assert.rejects(db.kysely.transaction().execute(async (trx) => {
          await sql`create temp table copy_probe2 (n int) on commit drop`.execute(trx);
          await copyRows(trx, 'copy_probe2', ['n'], [[1], ['not a number']]);
        }), /invalid input syntax/);
      } finally {
        await db.close();
      }
    });
  });
}
