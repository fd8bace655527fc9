// Two server processes on one PostgreSQL, 50 doctors pressing "next" at once over 500 waiting
// requests (ten each: every doctor races the others many times; bench/telemedicine.ts runs the
// full-size queue): every request is taken exactly once and none is lost. PostgreSQL only (PGlite is
// one process with one connection, where the question does not arise).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { openPostgres, type Db } from '../../db/connect.js';
import { createSchema, dropSchema } from '../../db/schemas.js';
import { drain, httpClient, loadQueue, schemaUrl, spawnServer, type Instance } from '../../test/tele-load.js';

const url = process.env.TEST_DATABASE_URL;
const DOCTORS = 50;
const REQUESTS = 500;

describe('telemedicine queue under load: two instances, 50 doctors, 500 requests [postgresql]', { skip: url ? false : 'TEST_DATABASE_URL is not set: the two-instance test needs a PostgreSQL server' }, () => {
  const schema = `t_tele_${randomBytes(4).toString('hex')}`;
  const password = `Load-${randomBytes(6).toString('hex')}`;
  const instances: Instance[] = [];
  let db: Db;
  before(async () => {
    await createSchema(url!, schema);
    // One at a time: the first migrates the fresh schema, the second finds it ready.
    instances.push(await spawnServer(schemaUrl(url!, schema), password));
    instances.push(await spawnServer(schemaUrl(url!, schema), password));
    db = await openPostgres(url!, { schema, max: 2 });
  });
  after(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    await db?.close();
    await dropSchema(url!, schema);
  });

  test('every request is claimed exactly once, by a doctor on either instance, and none is lost', async () => {
    const client = await httpClient(instances[0].base, password);
    const net = await loadQueue(client, { doctors: DOCTORS, requests: REQUESTS });
    assert.equal(new Set(net.requestIds).size, REQUESTS);

    const run = await drain(instances.map((i) => i.base), net);
    assert.deepEqual(run.errors, []);
    assert.equal(run.empties, DOCTORS, 'each doctor stops at an empty queue');
    const ids = run.claims.map((c) => c.id);
    assert.equal(ids.length, REQUESTS, 'as many claims as requests');
    assert.equal(new Set(ids).size, REQUESTS, 'no request handed to two doctors');
    assert.deepEqual([...ids].sort(), [...net.requestIds].sort(), 'the claimed requests are exactly the waiting ones');
    const byInstance = [0, 1].map((n) => run.claims.filter((c) => c.doctor % 2 === n).length);
    assert.ok(byInstance.every((n) => n > 0), `both instances served claims: ${byInstance}`);

    // The database agrees: each request called once, by the doctor who received it.
    const rows = await db.kysely.selectFrom('tele_requests').select(['id', 'status', 'doctor_id']).where('hub_id', '=', net.hub).execute();
    assert.equal(rows.length, REQUESTS);
    assert.ok(rows.every((r) => r.status === 'called'), 'nothing left waiting, nothing lost');
    const doctorOf = new Map(rows.map((r) => [r.id, r.doctor_id]));
    for (const c of run.claims) assert.equal(doctorOf.get(c.id), net.doctors[c.doctor].id);
    const audit = await db.kysely.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('entity', '=', 'tele_request').where('action', '=', 'update').executeTakeFirstOrThrow();
    assert.equal(Number(audit.n), REQUESTS, 'one audited claim per request');
  });
});
