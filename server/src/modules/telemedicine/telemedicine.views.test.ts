import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { buildNetwork, inConsultation, type Network } from './telemedicine.clinical.fixture.js';

/** The first `status` event of a staff member's live stream of a request. */
function firstStatus(url: string, token: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      if (res.statusCode !== 200) { res.resume(); reject(new Error(`status ${res.statusCode}`)); return; }
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        const block = buf.split('\n\n').find((b) => /^event: status$/m.test(b) && /^data: /m.test(b));
        if (block) { req.destroy(); resolve(JSON.parse(/^data: (.*)$/m.exec(block)![1])); }
      });
    });
    req.on('error', reject);
    setTimeout(() => { req.destroy(); reject(new Error('no status event in 10 s')); }, 10_000);
  });
}

/**
 * Telemedicine request views: the doctor holding a request and the staff of the spoke that asked see
 * the patient by name (audited, one row per view); officers, the hub manager and admins see tokens,
 * status, age, sex and the wait, not names or complaints.
 */
for (const engine of testEngines()) {
  describe(`telemedicine request views: names for the spoke and the doctor only [${engine}]`, () => {
    let t: TestApp;
    let n: Network & { tok: Network['tok'] & { hisarAdmin: string } };
    let requestId: string;
    let waitingId: string;
    const user: Record<string, string> = {};

    before(async () => {
      t = await startTestApp(engine);
      n = await buildNetwork(t, { icd: false }) as typeof n;
      ({ requestId } = await inConsultation(t, n, {}, 'Chest pain since morning'));
      const p = await t.req('POST', '/api/patients', n.tok.cho, { name: 'Sita Ram', sex: 'male', age: 40, address: { district: 63 } });
      assert.equal(p.status, 201, JSON.stringify(p.body));
      const w = await t.req('POST', '/api/telemedicine/requests', n.tok.cho, { patientId: p.body.id, hubId: n.hub, specialty: 'general_medicine', complaint: 'Rash on both arms' });
      assert.equal(w.status, 201, JSON.stringify(w.body));
      waitingId = w.body.id;
      for (const [key, token] of Object.entries({ cho: n.tok.cho, doctor: n.tok.doctor, hisarDo: n.tok.hisarDo, hubOperator: n.tok.hubOperator })) {
        user[key] = (await t.req('GET', '/api/auth/me', token)).body.username;
      }
      const admin = await t.userWith('admin', 'district:63');
      n.tok.hisarAdmin = admin.token;
      user.hisarAdmin = admin.username;
    });
    after(async () => { await t.close(); });

    const reads = async (username: string) => (await t.db.kysely.selectFrom('audit_log').select(['entity_id', 'after'])
      .where('entity', '=', 'tele_request').where('action', '=', 'read').where('actor_username', '=', username).execute());
    const private_ = (v: any) => JSON.stringify([v.patient.name, v.patient.nameHi, v.patient.stateNumber, v.complaint, v.vitals, v.roomUrl]);

    test('officers, the hub manager and a district admin see tokens and counts, not names or complaints; unaudited', async () => {
      for (const who of ['hisarDo', 'hubOperator', 'hisarAdmin'] as const) {
        const token = (n.tok as Record<string, string>)[who];
        const one = await t.req('GET', `/api/telemedicine/requests/${requestId}`, token);
        assert.equal(one.status, 200, `${who}: ${JSON.stringify(one.body)}`);
        assert.equal(private_(one.body), JSON.stringify([null, null, null, null, null, null]), who);
        assert.equal(one.body.patientHidden, true);
        assert.equal(typeof one.body.token, 'number');
        assert.equal(one.body.patient.sex, 'female');
        assert.ok(!JSON.stringify(one.body).includes('Kamla') && !JSON.stringify(one.body).includes('Chest pain'), `${who} sees no name or complaint`);
        const list = await t.req('GET', `/api/telemedicine/requests?spokeId=${n.spoke}`, token);
        if (who === 'hubOperator') { assert.equal(list.status, 403, 'the spoke\'s list is not the hub\'s'); continue; }
        assert.equal(list.status, 200, `${who}: ${JSON.stringify(list.body)}`);
        assert.equal(list.body.items.length, 2);
        assert.ok(!JSON.stringify(list.body).includes('Sita Ram') && !JSON.stringify(list.body).includes('Rash'), `${who}'s list names nobody`);
      }
      for (const who of ['hisarDo', 'hubOperator', 'hisarAdmin']) assert.equal((await reads(user[who])).length, 0, `${who} read nothing personal`);
    });

    test('the spoke\'s CHO and the doctor holding the request see names; each view is one audit row', async () => {
      const one = await t.req('GET', `/api/telemedicine/requests/${requestId}`, n.tok.cho);
      assert.equal(one.body.patient.name, 'Kamla Devi');
      assert.equal(one.body.complaint, 'Chest pain since morning');
      assert.deepEqual((await reads(user.cho)).map((r) => r.entity_id), [requestId]);
      const list = await t.req('GET', `/api/telemedicine/requests?spokeId=${n.spoke}`, n.tok.cho);
      assert.deepEqual(list.body.items.map((i: any) => i.patient.name).sort(), ['Kamla Devi', 'Sita Ram']);
      const rows = await reads(user.cho);
      assert.equal(rows.length, 2, 'one row for the list of two, not one per request');
      assert.equal(rows[1].entity_id, null);

      const held = await t.req('GET', `/api/telemedicine/requests/${requestId}`, n.tok.doctor);
      assert.equal(held.body.patient.name, 'Kamla Devi');
      assert.ok(held.body.roomUrl, 'the doctor holding the call has the room');
      // Another patient waiting in the queue is not the doctor's yet: no name.
      const waiting = await t.req('GET', `/api/telemedicine/requests/${waitingId}`, n.tok.doctor);
      assert.equal(waiting.body.patient.name, null);
      assert.equal(waiting.body.complaint, null);
      assert.deepEqual((await reads(user.doctor)).map((r) => r.entity_id), [requestId]);
    });

    test('the consultation\'s FHIR export follows the patient rule: a Hisar admin may, a national admin may not', async () => {
      const national = await t.req('GET', `/api/telemedicine/requests/${requestId}/fhir`, t.adminToken);
      assert.equal(national.status, 403, JSON.stringify(national.body).slice(0, 200));
      assert.ok(!JSON.stringify(national.body).includes('Kamla'));
      const hisar = await t.req('GET', `/api/telemedicine/requests/${requestId}/fhir`, n.tok.hisarAdmin);
      assert.equal(hisar.status, 200, JSON.stringify(hisar.body).slice(0, 200));
      assert.equal(hisar.body.resourceType, 'Bundle');
    });

    test('a live stream shows an officer no name; the CHO\'s stream is audited once when it opens', async () => {
      const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
      const officer = await firstStatus(`${address}/api/telemedicine/requests/${waitingId}/events`, n.tok.hisarDo);
      assert.equal(officer.patient.name, null);
      assert.equal(officer.complaint, null);
      assert.equal((await reads(user.hisarDo)).length, 0);
      const before = (await reads(user.cho)).length;
      const cho = await firstStatus(`${address}/api/telemedicine/requests/${waitingId}/events`, n.tok.cho);
      assert.equal(cho.patient.name, 'Sita Ram');
      assert.equal((await reads(user.cho)).length, before + 1);
    });
  });
}
