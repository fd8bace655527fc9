// Statements run often are prepared on their connection (db/prepared.ts), PostgreSQL only: what is
// prepared, what never is, and a prepared `select *` whose table gains a column from another
// connection (as a migration from another server instance would) fails once, then runs unprepared.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import v8 from 'node:v8';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { openPostgres, type Db } from './connect.js';
import { NOT_PREPARED, PREPARE_AFTER } from './prepared.js';
import { createSchema, dropSchema } from './schemas.js';

const url = process.env.TEST_DATABASE_URL;
const skipPg = url ? false : 'TEST_DATABASE_URL is not set: prepared statements are a PostgreSQL connection matter';

describe('statements run often are prepared on their connection [postgresql]', { skip: skipPg }, () => {
  const schema = `prep_${randomBytes(4).toString('hex')}`;
  let db: Db;
  let other: pg.Client;
  // Names of the statements this connection has prepared (the pool has one connection).
  const preparedHere = async () => (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db.kysely)).rows.map((r) => r.statement);

  before(async () => {
    await createSchema(url!, schema);
    db = await openPostgres(url!, { schema, max: 1 });
    other = new pg.Client({ connectionString: url, options: `-c search_path=${schema},public` });
    await other.connect();
    await other.query('create table things (id int primary key, name text)');
    await other.query(`insert into things values (1, 'one'), (2, 'two')`);
  });
  after(async () => {
    await other?.end();
    await db?.close();
    await dropSchema(url!, schema);
  });

  it(`prepares a statement from run ${PREPARE_AFTER} on, and answers the same with it`, async () => {
    const read = (id: number) => sql<{ name: string }>`select name from things where id = ${id}`.execute(db.kysely);
    for (let i = 1; i < PREPARE_AFTER; i++) assert.equal((await read(1)).rows[0].name, 'one');
    assert.ok(!(await preparedHere()).some((s) => s.includes('from things where id')), 'not prepared before its third run');
    for (let i = 0; i < 8; i++) assert.equal((await read(1 + (i % 2))).rows[0].name, i % 2 ? 'two' : 'one');
    assert.ok((await preparedHere()).some((s) => s.includes('from things where id')), 'prepared from then on');
  });

  it('never prepares what is not a query, nor a statement marked as planned each time', async () => {
    for (let i = 0; i < PREPARE_AFTER + 2; i++) {
      await sql`select name from things where id = ${1} /* ${sql.raw(NOT_PREPARED)} */`.execute(db.kysely);
      await sql`set local work_mem = '8MB'`.execute(db.kysely);
    }
    const names = await preparedHere();
    assert.ok(!names.some((s) => s.includes(NOT_PREPARED)), 'the marked statement is planned each time');
    assert.ok(!names.some((s) => /^\s*set\b/i.test(s)), 'SET is never prepared');
  });

  it('an insert whose ON CONFLICT names a partial unique index by a predicate with values works every time', async () => {
    await other.query(`create table claims (id int primary key, who text not null, status text not null)`);
    await other.query(`create unique index claims_open on claims (who) where status in ('open', 'held')`);
    for (let i = 0; i < PREPARE_AFTER + 6; i++) {
      const { rows } = await sql<{ id: number }>`insert into claims (id, who, status) values (${i}, ${`w${i % 3}`}, ${'open'})
        on conflict (who) where status in (${'open'}, ${'held'}) do nothing returning id`.execute(db.kysely);
      assert.equal(rows.length, i < 3 ? 1 : 0, `insert ${i}`);
    }
  });

  it('a prepared select * whose table gains a column fails once, then runs unprepared and sees the column', async () => {
    const all = () => sql<Record<string, unknown>>`select * from things where id = ${1}`.execute(db.kysely);
    for (let i = 0; i < PREPARE_AFTER + 1; i++) await all();
    assert.ok((await preparedHere()).some((s) => s.includes('select * from things')));
    await other.query(`alter table things add column note text default 'new'`);
    await assert.rejects(all(), (e: { code?: string }) => e.code === '0A000');
    const again = await all();
    assert.equal(again.rows[0].note, 'new');
    for (let i = 0; i < PREPARE_AFTER + 1; i++) assert.equal((await all()).rows[0].note, 'new');
  });
  it('the rows of a query do not outlive young-generation collections (queries go by pg\'s callback API)', async () => {
    const read = sql<{ id: string }>`select gen_random_uuid()::text as id, now() as at, g::float8 as x, 'a place name' as name
      from generate_series(1, ${40}::int) g`;
    for (let i = 0; i < 200; i++) await read.execute(db.kysely);
    const profiler = new v8.GCProfiler();
    profiler.start();
    for (let i = 0; i < 3000; i++) assert.equal((await read.execute(db.kysely)).rows.length, 40);
    const scavenges = profiler.stop().statistics.filter((s) => s.gcType === 'Scavenge');
    // Node gives the space statistics in camelCase (its types say snake_case); a missing field is NaN and fails the test.
    const newSpaceUsed = (spaces: unknown) => (spaces as { spaceName: string; spaceUsedSize: number }[]).find((x) => x.spaceName === 'new_space')?.spaceUsedSize ?? NaN;
    const survived = scavenges.map((s) => newSpaceUsed(s.afterGC.heapSpaceStatistics)).sort((a, b) => a - b);
    assert.ok(scavenges.length >= 3, `3,000 queries of 40 rows make several young-generation collections (${scavenges.length})`);
    // Through pg's promise API 3-4 MB of each collection survived (the rows and what was made of them); by callback about 40 KB.
    const median = survived[Math.floor(survived.length / 2)];
    assert.ok(median < 1024 * 1024, `young generation after a collection: median ${Math.round(median / 1024)} KB survived (${survived.map((x) => Math.round(x / 1024)).join(', ')} KB)`);
  });
});
