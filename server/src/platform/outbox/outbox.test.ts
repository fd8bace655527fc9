// The outbox against a real HTTP SMS gateway (a local server in the test): stopped, messages wait and
// are retried; started again, each is delivered exactly once; an app closed and started again on the
// same database loses nothing; two instances on one PostgreSQL database deliver each message once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { buildApp } from '../../app.js';
import { openPostgres } from '../../db/connect.js';
import { startTestApp, testConfig, testEngines, type TestApp } from '../../test/harness.js';
import type { Outbox } from './index.js';

/** A gateway that takes POST {to, text, id}; `stop()` closes it (connections are refused), `start()` opens it on the same port. */
class Gateway {
  readonly received: { to: string; text: string; id: string }[] = [];
  private server: http.Server | null = null;
  port = 0;
  get url() { return `http://127.0.0.1:${this.port}/sms`; }
  async start() {
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        try { this.received.push(JSON.parse(body)); } catch { /* ignored */ }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(this.port, '127.0.0.1', () => resolve()); });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }
  async stop() {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((resolve) => { s.close(() => resolve()); s.closeAllConnections(); });
  }
  times(id: string) { return this.received.filter((m) => m.id === id).length; }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: string, probe: () => Promise<T | false | null | undefined>, ms = 40_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Fast retries and polls so that the test takes seconds: the first retry after 1 s, then 2–4 s, … */
const FAST = { messageRetrySeconds: 1, jobPollMs: 500, messageAttempts: 20 };

for (const engine of testEngines()) {
  describe(`outbox [${engine}]`, () => {
    const gateway = new Gateway();
    let t: TestApp;
    before(async () => {
      await gateway.start();
      t = await startTestApp(engine, { config: { ...FAST, smsUrl: gateway.url } });
    });
    after(async () => {
      await t?.close();
      await gateway.stop();
    });

    const statuses = async (ids: string[]) => Object.fromEntries((await t.db.kysely.selectFrom('outbox_messages').select(['id', 'status', 'attempts']).where('id', 'in', ids).execute()).map((r) => [r.id, r]));

    test('gateway down: the code is still answered 202, the messages wait and are retried, and each is delivered exactly once when the gateway is back', async () => {
      await gateway.stop();
      const otp = await t.req('POST', '/api/public/otp', null, { mobile: '9876500011' });
      assert.equal(otp.status, 202, JSON.stringify(otp.body));
      const sent = await t.app.outbox.send([
        { to: '9876500012', template: 'text', params: { en: 'First', hi: 'पहला' }, about: { kind: 'test' } },
        { to: '9876500013', template: 'text', params: { en: 'Second', hi: 'दूसरा' }, about: { kind: 'test' }, language: 'hi' },
      ]);
      assert.deepEqual(sent.map((s) => s.status), ['queued', 'queued'], 'tried at once and failed: left for the queue');
      const otpRow = await t.db.kysely.selectFrom('outbox_messages').selectAll().where('recipient', '=', '9876500011').executeTakeFirstOrThrow();
      assert.doesNotMatch(otpRow.text, /\d{6}/, 'the stored text holds no code');
      assert.ok(otpRow.secrets, 'the code waits apart until it is sent');
      const ids = [otpRow.id, ...sent.map((s) => s.id)];

      // The admin's list shows them waiting, with the gateway's error, numbers masked, the code hidden.
      const list = await t.req('GET', '/api/messages?about=otp', t.adminToken);
      assert.equal(list.status, 200, JSON.stringify(list.body));
      const row = list.body.items.find((m: any) => m.id === otpRow.id);
      assert.equal(row.to, 'XXXXXX0011');
      assert.match(row.text, /your code is ••••••/);
      assert.equal(row.status, 'queued');
      assert.match(row.lastError, /fetch failed|ECONNREFUSED/);

      // The queue tries again (at least one retry each) while the gateway is down.
      await until('a retry of each message', async () => Object.values(await statuses(ids)).every((r) => r.attempts >= 2 && r.status !== 'sent'));
      assert.equal(gateway.received.length, 0);

      await gateway.start();
      await until('every message sent', async () => { const s = await statuses(ids); return ids.every((id) => s[id]?.status === 'sent'); });
      // Later polls and the sweep send nothing again.
      await sleep(2_500);
      for (const id of ids) assert.equal(gateway.times(id), 1, `message ${id} delivered exactly once`);
      const code = gateway.received.find((m) => m.id === otpRow.id)!.text;
      assert.match(code, /your code is \d{6}/, 'the gateway gets the real code');
      assert.match(gateway.received.find((m) => m.id === sent[1].id)!.text, /^दूसरा$/, 'in the recipient\'s language');
      const done = await t.db.kysely.selectFrom('outbox_messages').select(['secrets', 'sent_at']).where('id', '=', otpRow.id).executeTakeFirstOrThrow();
      assert.equal(done.secrets, null, 'the code is dropped once sent');
      assert.ok(done.sent_at);
      const page = await t.req('GET', '/api/messages?status=sent&limit=2', t.adminToken);
      assert.equal(page.body.items.length, 2);
      assert.ok(page.body.total >= 3);
      assert.ok(page.body.summary.sent >= 3);
    });

    test('only officers and admins read the outbox, within their area', async () => {
      const operator = await t.userWith('facility_operator', 63);
      assert.equal((await t.req('GET', '/api/messages', operator.token)).status, 403);
      const officer = await t.userWith('district_officer', 70);
      const r = await t.req('GET', '/api/messages', officer.token);
      assert.equal(r.status, 200);
      assert.ok(!r.body.items.some((m: any) => m.about?.kind === 'otp'), 'a district officer does not see the public\'s codes');
      assert.equal((await t.req('GET', '/api/messages?status=lost', t.adminToken)).status, 400);
    });

    // A PGlite database belongs to one process: two instances share a database only on PostgreSQL.
    if (engine === 'postgresql') test('two instances on one database: each message is delivered once', async () => {
      const { rows } = await sql<{ database: string; schema: string }>`select current_database() as database, current_schema() as schema`.execute(t.db.kysely);
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.pathname = `/${rows[0].database}`;
      const db2 = await openPostgres(url.toString(), { schema: rows[0].schema, max: 5 });
      const app2 = await buildApp({ db: db2, config: testConfig({ ...FAST, smsUrl: gateway.url }) });
      try {
        await app2.ready();
        await gateway.stop();
        // Both instances queue messages and try them at once, while the gateway is down.
        const boxes: Outbox[] = [t.app.outbox, app2.outbox];
        const sent = (await Promise.all(Array.from({ length: 12 }, (_, i) => boxes[i % 2].send({ to: `98765001${String(i).padStart(2, '0')}`, template: 'text', params: { en: `Both ${i}`, hi: `दोनों ${i}` } })))).flat();
        const ids = sent.map((s) => s.id);
        await sleep(1_200);
        await gateway.start();
        // Each instance also tries every message itself, at the same time as the queues of both.
        await Promise.all([t.app.outbox.deliver(ids), app2.outbox.deliver(ids)]);
        await until('every message sent', async () => { const s = await statuses(ids); return ids.every((id) => s[id]?.status === 'sent'); });
        await sleep(2_500);
        for (const id of ids) assert.equal(gateway.times(id), 1, `message ${id} delivered once`);
      } finally {
        await app2.close();
        await db2.close();
      }
    });

    // Last: the app is replaced (t.req still speaks to the first one).
    test('a restart loses nothing: messages queued while the gateway is down are sent by the next app on the same database', async () => {
      await gateway.stop();
      const sent = await t.app.outbox.send([1, 2, 3].map((i) => ({ to: `98765000${20 + i}`, template: 'text', params: { en: `Restart ${i}`, hi: `पुनः ${i}` } })));
      const ids = sent.map((s) => s.id);
      await t.app.close();
      const app2 = await buildApp({ db: t.db, config: testConfig({ ...FAST, smsUrl: gateway.url }) });
      await app2.ready();
      t = { ...t, app: app2 };
      // The harness's close() closes the first app, not this one: close it here, or its scheduler's timers keep the process alive.
      try {
        await gateway.start();
        await until('every message sent after the restart', async () => { const s = await statuses(ids); return ids.every((id) => s[id]?.status === 'sent'); });
        await sleep(1_500);
        for (const id of ids) assert.equal(gateway.times(id), 1);
      } finally {
        await app2.close();
      }
    });
  });
}
