import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { freshDb, testEngines } from '../test/harness.js';
import { QueueEvents } from '../modules/telemedicine/telemedicine.events.js';
import { QUEUE_CHANNEL } from '../modules/telemedicine/telemedicine.network.js';
import type { Db } from './connect.js';

async function until(what: string, ok: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const notify = (db: Db, channel: string, payload: string) => sql`select pg_notify(${channel}, ${payload})`.execute(db.kysely);

for (const engine of testEngines()) {
  describe(`LISTEN / NOTIFY [${engine}]`, () => {
    test('a notification reaches the handler; after stopping, it no longer does', async () => {
      const db = await freshDb(engine);
      try {
        const channel = `t_${randomBytes(6).toString('hex')}`;
        const got: (string | null)[] = [];
        const stop = await db.listen!(channel, (p) => got.push(p));
        await notify(db, channel, 'one');
        await until('the first notification', () => got.includes('one'));
        await stop();
        await notify(db, channel, 'two');
        await notify(db, channel, 'three');
        await new Promise((r) => setTimeout(r, 200));
        assert.deepEqual(got, ['one']);
      } finally {
        await db.close();
      }
    });

    if (engine !== 'postgresql') return;

    test('the listening connection, ended by the server, comes back: handlers hear null, then new notifications', async () => {
      const db = await freshDb(engine);
      const events = new QueueEvents(db);
      try {
        const woken: string[] = [];
        await events.watch('hub1|general_medicine', () => woken.push('hub1'));
        await events.watch('hub2|paediatrics', () => woken.push('hub2'));
        // A channel of this test's own, listened to last, names the listening connection in pg_stat_activity.
        const channel = `t_${randomBytes(6).toString('hex')}`;
        const got: (string | null)[] = [];
        await db.listen!(channel, (p) => got.push(p));
        await notify(db, QUEUE_CHANNEL, 'hub1|general_medicine');
        await until('hub1 woken', () => woken.includes('hub1'));
        assert.deepEqual(woken, ['hub1']);

        // As a restart or an administrator would: the server ends that connection.
        const { rows } = await sql<{ ended: boolean }>`select pg_terminate_backend(pid) as ended from pg_stat_activity
          where application_name = 'swasthya-listen' and query = ${`listen "${channel}"`}`.execute(db.kysely);
        assert.deepEqual(rows.map((r) => r.ended), [true]);

        // Back by itself: every handler is told to look again (both queues wake), then notifications flow again.
        await until('the reconnection', () => got.includes(null));
        assert.ok(woken.includes('hub2'), 'a queue nobody announced is woken after the reconnection');
        await notify(db, channel, 'after');
        await notify(db, QUEUE_CHANNEL, 'hub2|paediatrics');
        await until('a notification after the reconnection', () => got.includes('after'));
        await until('hub2 woken by its notification', () => woken.filter((w) => w === 'hub2').length === 2);
      } finally {
        await events.close();
        await db.close();
      }
    });
  });
}
