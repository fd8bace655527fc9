// The scheduler on pg-boss: a job sent with a transaction exists only if it commits; `every` runs once
// per period and one run at a time, also with two instances on one PostgreSQL database; runNow waits
// for a run; the app closes with nothing left running.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { buildApp } from '../../app.js';
import { openPostgres } from '../../db/connect.js';
import { startTestApp, testConfig, testEngines, type TestApp } from '../../test/harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FAST = { jobPollMs: 500 };

for (const engine of testEngines()) {
  describe(`jobs [${engine}]`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(engine, { config: FAST }); });
    after(async () => { await t?.close(); });

    test('a job sent with a transaction runs once if it commits, never if it rolls back', async () => {
      const seen: string[] = [];
      t.app.jobs.work<{ n: string }>('test.echo', async ({ n }) => { seen.push(n); });
      await t.db.kysely.transaction().execute(async (trx) => { await t.app.jobs.send('test.echo', { n: 'kept' }, { db: trx }); });
      await t.db.kysely.transaction().execute(async (trx) => {
        await t.app.jobs.send('test.echo', { n: 'rolled back' }, { db: trx });
        await sql`select 1`.execute(trx);
        throw new Error('undo');
      }).catch(() => undefined);
      await t.app.jobs.send('test.echo', { n: 'later' }, { startAfter: 1 });
      const end = Date.now() + 15_000;
      while (seen.length < 2 && Date.now() < end) await sleep(100);
      await sleep(700);
      assert.deepEqual(seen.sort(), ['kept', 'later']);
    });

    test('a failing job is retried', async () => {
      let tries = 0;
      t.app.jobs.work('test.flaky', async () => { tries++; if (tries < 2) throw new Error('not yet'); }, { retryDelaySeconds: 1, retryBackoff: false });
      await t.app.jobs.send('test.flaky', {});
      const end = Date.now() + 15_000;
      while (tries < 2 && Date.now() < end) await sleep(100);
      assert.equal(tries, 2);
    });

    test('every: once per period, one run at a time; runNow waits for a run', async () => {
      let runs = 0;
      let running = 0;
      let overlap = false;
      const started = Date.now();
      t.app.jobs.every('test.tick', 2, async () => {
        running++;
        if (running > 1) overlap = true;
        runs++;
        await sleep(300);
        running--;
      });
      await sleep(4_500);
      const periods = Math.ceil((Date.now() - started) / 2_000) + 1;
      assert.ok(runs >= 1 && runs <= periods, `${runs} runs in ${periods} periods`);
      const before = runs;
      await t.app.jobs.runNow('test.tick');
      assert.ok(runs > before);
      assert.equal(overlap, false);
    });

    // A PGlite database belongs to one process: two instances share a database only on PostgreSQL.
    if (engine === 'postgresql') test('two instances: an `every` job runs once per period across both', async () => {
      const { rows } = await sql<{ database: string; schema: string }>`select current_database() as database, current_schema() as schema`.execute(t.db.kysely);
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.pathname = `/${rows[0].database}`;
      const db2 = await openPostgres(url.toString(), { schema: rows[0].schema, max: 5 });
      const app2 = await buildApp({ db: db2, config: testConfig(FAST) });
      let runs = 0;
      try {
        t.app.jobs.every('test.both', 2, async () => { runs++; });
        app2.jobs.every('test.both', 2, async () => { runs++; });
        await app2.ready();
        const started = Date.now();
        await sleep(6_500);
        const periods = Math.ceil((Date.now() - started) / 2_000) + 1;
        assert.ok(runs >= 2 && runs <= periods, `${runs} runs in ${periods} periods of 2 s by two instances`);
      } finally {
        await app2.close();
        await db2.close();
      }
    });
  });
}
