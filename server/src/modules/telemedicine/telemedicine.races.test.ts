// A patient is in a telemedicine queue once while waiting, called or in consultation, however many
// requests for them arrive at once (PostgreSQL: they really overlap; PGlite: one after another).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { buildNetwork, spokePatient, type TeleNetwork } from '../../test/telemedicine.js';
import { up as settleDuplicates } from '../../db/migrations/20261201T0300_enforce_one_open_per_patient.js';

const N = 10;

for (const engine of testEngines()) {
  describe(`telemedicine queue under parallel requests [${engine}]`, () => {
    let t: TestApp;
    let net: TeleNetwork;
    before(async () => {
      t = await startTestApp(engine);
      net = await buildNetwork(t, { doctors: 1, online: false });
    });
    after(async () => { await t.close(); });

    const ask = (patientId: string, lang = 'en') =>
      t.req('POST', '/api/telemedicine/requests', net.cho, { hubId: net.hub, specialty: 'general_medicine', spokeId: net.spoke, patientId }, { 'accept-language': lang });

    test('once per queue: 10 parallel requests for one patient give one token and nine 409s naming it', async () => {
      const patientId = await spokePatient(t, net);
      const rs = await Promise.all(Array.from({ length: N }, (_, i) => ask(patientId, i % 2 ? 'hi' : 'en')));
      for (const r of rs) assert.ok(r.status < 500, `no 5xx: ${r.status} ${JSON.stringify(r.body)}`);
      assert.deepEqual(rs.map((r) => r.status).sort(), [201, ...Array(N - 1).fill(409)]);
      const won = rs.find((r) => r.status === 201)!.body;
      for (const r of rs.filter((x) => x.status === 409)) assert.equal(r.body.error.details.token, won.token);
      assert.match(rs.find((r, i) => r.status === 409 && i % 2 === 0)!.body.error.message, /already in this queue/);
      assert.match(rs.find((r, i) => r.status === 409 && i % 2 === 1)!.body.error.message, /पहले से इस कतार में/);
      const open = await t.db.kysely.selectFrom('tele_requests').select('id').where('patient_id', '=', patientId).where('status', 'in', ['waiting', 'called', 'in_consultation']).execute();
      assert.deepEqual(open.map((o) => o.id), [won.id]);
      // Another queue of the same hub is another queue.
      const other = await t.req('POST', '/api/telemedicine/requests', net.cho, { hubId: net.hub, specialty: 'paediatrics', spokeId: net.spoke, patientId });
      assert.equal(other.status, 201, JSON.stringify(other.body));
    });

    test('the migration settles duplicate open requests made before the rule: the furthest along stays, the rest are cancelled', async () => {
      const patientId = await spokePatient(t, net);
      const r = await ask(patientId);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const k = t.db.kysely;
      await sql`drop index tele_requests_one_open`.execute(k);
      for (const [id, token, status] of [['dup-a', 900, 'waiting'], ['dup-b', 901, 'called']] as const) {
        await sql`insert into tele_requests (id, token, day, hub_id, hub_path, specialty, patient_id, channel, spoke_id, spoke_path, priority, status, expires_at, queued_at)
          select ${`${id}-${patientId}`}, ${token}, day, hub_id, hub_path, specialty, patient_id, channel, spoke_id, spoke_path, priority, ${status}, expires_at, queued_at + interval '1 minute'
          from tele_requests where id = ${r.body.id}`.execute(k);
      }
      await settleDuplicates(k);
      const rows = await k.selectFrom('tele_requests').select(['id', 'status']).where('patient_id', '=', patientId).orderBy('token').execute();
      assert.deepEqual(rows.map((x) => x.status), ['cancelled', 'cancelled', 'called']);
      assert.equal(rows[2].id, `dup-b-${patientId}`);
      assert.equal((await ask(patientId)).status, 409, 'the index is back');
    });
  });
}
