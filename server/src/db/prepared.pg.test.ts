// Statements run often are prepared on their connection (db/prepared.ts), PostgreSQL only: what is
// prepared, what never is, and a prepared `select *` whose table gains a column from another
// connection (as a migration from another server instance would) fails once, then runs unprepared.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
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
});
