import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { buildNetwork, inConsultation, type Network } from './telemedicine.clinical.fixture.js';

for (const engine of testEngines()) {
  describe(`telemedicine referrals [${engine}]`, () => {
    let t: TestApp;
    let n: Network;
    let c: Awaited<ReturnType<typeof inConsultation>>;
    before(async () => {
      t = await startTestApp(engine);
      n = await buildNetwork(t, { icd: false });
      c = await inConsultation(t, n);
    });
    after(async () => { await t.close(); });

    const refer = (token: string, body: Record<string, unknown>, lang = 'en') =>
      t.req('POST', '/api/referrals', token, { patientId: c.patient.id, toFacilityId: n.hospital, urgency: 'urgent', reason: 'Suspected pneumonia; needs a chest X-ray', ...body }, { 'accept-language': lang });
    const move = (token: string, id: string, status: string, lang = 'en') => t.req('POST', `/api/referrals/${id}/status`, token, { status }, { 'accept-language': lang });

    test('destinations: hospitals of my state by name, beyond my own facility; not sub-centres, not another state', async () => {
      const found = await t.req('GET', '/api/referrals/destinations?q=civil', n.tok.cho);
      assert.equal(found.status, 200, JSON.stringify(found.body));
      assert.deepEqual(found.body.items.map((h: any) => h.id), [n.hospital]);
      assert.equal(found.body.items[0].district.name, 'Hisar');
      const mandi = await t.req('GET', '/api/referrals/destinations?q=civil', n.tok.mandiCho);
      assert.ok(!mandi.body.items.some((h: any) => h.id === n.hospital), 'Haryana\'s hospital is not offered in Himachal');
      const spokes = await t.req('GET', '/api/referrals/destinations?q=e', n.tok.cho);
      assert.equal(spokes.status, 400, 'two letters at least');
      assert.equal((await t.req('GET', '/api/referrals/destinations?q=civil', n.tok.hisarDo)).status, 403, 'officers do not refer');
    });

    let referralId: string;
    test('the consulting doctor refers from the spoke; the destination may then read the record', async () => {
      assert.equal((await t.req('GET', `/api/patients/${c.patient.id}`, n.tok.hospital)).status, 403, 'before the referral');
      const bad = await refer(n.tok.doctor, { requestId: c.requestId, toFacilityId: '63', specialty: 'astrology' }, 'hi');
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /संस्थान नहीं है/);
      const sameFacility = await refer(n.tok.cho, { toFacilityId: n.spoke });
      assert.equal(sameFacility.status, 400);
      assert.match(sameFacility.body.error.message, /refer to another facility/);
      assert.equal((await refer(n.tok.doctor, { requestId: c.requestId, specialty: 'astrology' })).status, 400);
      assert.equal((await refer(n.tok.doctor2, { requestId: c.requestId })).status, 403, 'a doctor who did not consult');
      assert.equal((await refer(n.tok.mandiCho, {})).status, 403, 'staff who may not read the patient');
      assert.equal((await refer(n.tok.hisarDo, {})).status, 403, 'officers do not refer');
      const r = await refer(n.tok.doctor, { requestId: c.requestId, specialty: 'general_medicine' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      referralId = r.body.id;
      assert.equal(r.body.status, 'referred');
      assert.equal(r.body.from.id, n.spoke, 'from the spoke where the patient is');
      assert.equal(r.body.to.name, 'Civil Hospital Hisar');
      assert.deepEqual(r.body.next, ['acknowledged', 'arrived', 'cancelled']);
      assert.equal((await t.req('GET', `/api/patients/${c.patient.id}?purpose=referral`, n.tok.hospital)).status, 200, 'the destination reads the record');
      assert.equal((await t.req('GET', `/api/patients/${c.patient.id}/consultations`, n.tok.hospital)).status, 200);
    });

    test('incoming for the destination and officers over it; outgoing for the spoke and the referrer', async () => {
      const incoming = await t.req('GET', '/api/referrals?direction=incoming', n.tok.hospital);
      assert.equal(incoming.status, 200, JSON.stringify(incoming.body));
      assert.deepEqual(incoming.body.items.map((x: any) => x.id), [referralId]);
      assert.equal(incoming.body.items[0].patient.name, 'Kamla Devi');
      assert.equal((await t.req('GET', '/api/referrals?direction=incoming', n.tok.mandiHospital)).body.items.length, 0);
      const officer = await t.req('GET', `/api/referrals?direction=incoming&facilityId=${n.hospital}`, n.tok.hisarDo);
      assert.equal(officer.status, 200);
      assert.equal(officer.body.items.length, 1);
      assert.equal(officer.body.items[0].patient.name, undefined, 'officers see the referral, not the person');
      assert.equal((await t.req('GET', `/api/referrals?direction=incoming&facilityId=${n.hospital}`, n.tok.mandiDo)).status, 403);
      assert.equal((await t.req('GET', '/api/referrals?direction=outgoing', n.tok.cho)).body.items[0].id, referralId);
      assert.equal((await t.req('GET', '/api/referrals?direction=outgoing', n.tok.doctor)).body.items[0].id, referralId, 'the doctor who referred');
      assert.equal((await t.req('GET', '/api/referrals?direction=outgoing', n.tok.mandiCho)).body.items.length, 0);
      assert.equal((await t.req('GET', '/api/referrals?direction=sideways', n.tok.cho)).status, 400);
      const citizen = (await t.userWith('citizen', 6)).token;
      assert.equal((await t.req('GET', '/api/referrals?direction=incoming', citizen)).status, 403);
    });

    test('referred → acknowledged → arrived → seen, by the destination only; a step out of order is 409', async () => {
      assert.equal((await move(n.tok.cho, referralId, 'acknowledged')).status, 403, 'the referrer does not acknowledge its own referral');
      assert.equal((await move(n.tok.mandiHospital, referralId, 'acknowledged')).status, 403);
      const seenEarly = await move(n.tok.hospital, referralId, 'seen', 'hi');
      assert.equal(seenEarly.status, 409);
      assert.match(seenEarly.body.error.message, /"रेफर किया गया" है/);
      const ack = await move(n.tok.hospital, referralId, 'acknowledged');
      assert.equal(ack.status, 200, JSON.stringify(ack.body));
      assert.ok(ack.body.acknowledgedAt && ack.body.acknowledgedBy);
      const again = await move(n.tok.hospital, referralId, 'acknowledged');
      assert.equal(again.status, 409);
      assert.match(again.body.error.message, /This referral is acknowledged; it cannot become acknowledged \(next: arrived or cancelled\)/);
      assert.equal((await move(n.tok.hospital, referralId, 'arrived')).body.status, 'arrived');
      const cancelLate = await move(n.tok.doctor, referralId, 'cancelled');
      assert.equal(cancelLate.status, 409, 'too late to cancel once the patient arrived');
      const seen = await move(n.tok.hospital, referralId, 'seen');
      assert.equal(seen.body.status, 'seen');
      assert.deepEqual(seen.body.next, []);
      assert.equal((await move(n.tok.hospital, referralId, 'arrived')).status, 409, 'closed');
      const audit = await t.db.kysely.selectFrom('audit_log').select('after').where('entity', '=', 'referral').where('entity_id', '=', referralId).where('action', '=', 'update').orderBy('id').execute();
      assert.deepEqual(audit.map((a) => (a.after as any).status), ['acknowledged', 'arrived', 'seen']);
      assert.equal((await move(n.tok.hospital, 'Nope0000000', 'seen')).status, 404);
    });

    test('acknowledging may be skipped; the referrer cancels before arrival, the destination cannot', async () => {
      const direct = await refer(n.tok.cho, { urgency: 'emergency', toFacilityId: n.mandiHospital, reason: 'Snake bite; needs anti-venom' });
      assert.equal(direct.status, 201, JSON.stringify(direct.body));
      assert.equal(direct.body.from.id, n.spoke);
      assert.equal((await move(n.tok.mandiHospital, direct.body.id, 'arrived')).body.status, 'arrived', 'straight to arrived');
      const other = await refer(n.tok.cho, { reason: 'Cataract surgery', urgency: 'routine' });
      assert.equal((await move(n.tok.hospital, other.body.id, 'cancelled')).status, 403, 'the destination does not cancel');
      assert.equal((await move(n.tok.mandiCho, other.body.id, 'cancelled')).status, 403);
      const cancelled = await move(n.tok.cho, other.body.id, 'cancelled');
      assert.equal(cancelled.status, 200);
      assert.equal(cancelled.body.status, 'cancelled');
      const list = await t.req('GET', '/api/referrals?direction=incoming&status=cancelled', n.tok.hospital);
      assert.deepEqual(list.body.items.map((x: any) => x.id), [other.body.id]);
      const first = (await t.req('GET', '/api/referrals?direction=outgoing', n.tok.cho)).body.items[0];
      assert.equal(first.urgency, 'emergency', 'emergencies first');
      const mine = await t.req('GET', `/api/patients/${c.patient.id}/consultations`, n.tok.cho);
      assert.equal(mine.body.referrals.length, 3);
      assert.equal(mine.body.items[0].referrals.length, 1, 'the referral made in the consultation sits with it');
    });
  });
}
