// A day of telemedicine from the users' side (issue 11): the CHO sees the referrals the doctor made
// for her centre's patients, the receiving hospital opens the patient and the consultation (read
// granted by the referral, audited), the CHO's live counts, and a citizen finding their place in the
// OPD queue again by mobile and code.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { LogSmsSender } from '../../platform/sms.js';
import { startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { buildNetwork, inConsultation, type Network } from './telemedicine.clinical.fixture.js';

/** Reads `event: status` data from a live stream until `until` is true or the time is up. */
function readEvents(url: string, token: string, until: (events: any[]) => boolean, events: any[], timeoutMs = 15_000): Promise<any[]> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) { reject(new Error(`status ${res.statusCode}`)); res.resume(); return; }
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (/^event: status$/m.test(block) && data) events.push(JSON.parse(data));
        }
        if (until(events)) { req.destroy(); resolve(events); }
      });
      res.on('end', () => resolve(events));
    });
    req.on('error', (e) => { if (!until(events)) reject(e); });
    setTimeout(() => { req.destroy(); resolve(events); }, timeoutMs);
  });
}

const waitFor = async (ok: () => boolean, what: string) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(ok(), what);
};

for (const engine of testEngines()) {
  describe(`telemedicine: a day with referrals, live counts and finding one's place [${engine}]`, () => {
    let t: TestApp;
    let n: Network;
    before(async () => {
      t = await startTestApp(engine);
      n = await buildNetwork(t, { icd: false });
    });
    after(async () => { await t.close(); });

    const refer = (token: string, body: Record<string, unknown>) =>
      t.req('POST', '/api/referrals', token, { toFacilityId: n.hospital, urgency: 'urgent', reason: 'Needs a chest X-ray', ...body });

    test('the CHO sees the referral the doctor made for her centre\'s patient, with its state as the hospital moves it', async () => {
      const c = await inConsultation(t, n, { name: 'Santosh Kumari', mobile: '9812300101' });
      await t.req('PUT', `/api/telemedicine/requests/${c.requestId}/consultation`, n.tok.doctor, { notes: 'Crepitations right base; SpO2 93%' });
      const r = await refer(n.tok.doctor, { patientId: c.patient.id, requestId: c.requestId });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const cho = async () => (await t.req('GET', '/api/referrals?direction=outgoing', n.tok.cho)).body.items.find((x: any) => x.id === r.body.id);
      const seen = await cho();
      assert.ok(seen, 'the CHO lists the doctor\'s referral');
      assert.equal(seen.patient.name, 'Santosh Kumari');
      assert.equal(seen.status, 'referred');
      assert.equal(seen.statusHi, 'रेफर किया गया');
      assert.equal(seen.from.id, n.spoke);
      assert.equal(seen.referredBy.startsWith('doctor_'), true);
      assert.equal((await t.req('POST', `/api/referrals/${r.body.id}/status`, n.tok.hospital, { status: 'acknowledged' })).status, 200);
      assert.equal((await cho()).status, 'acknowledged', 'the state follows the hospital');
      const other = await t.req('GET', '/api/referrals?direction=outgoing', n.tok.mandiCho);
      assert.ok(!other.body.items.some((x: any) => x.id === r.body.id), 'another centre does not see it');
    });

    test('the receiving hospital opens the patient and the consultation notes, read audited; a referral by someone who cannot see the patient leaks nothing', async () => {
      const c = await inConsultation(t, n, { name: 'Bimla Devi', mobile: '9812300102' });
      await t.req('PUT', `/api/telemedicine/requests/${c.requestId}/consultation`, n.tok.doctor, { notes: 'Suspected pneumonia; needs X-ray' });
      // Before any referral: the hospital reads nothing.
      assert.equal((await t.req('GET', `/api/patients/${c.patient.id}`, n.tok.mandiHospital)).status, 403);
      assert.equal((await t.req('GET', `/api/patients/${c.patient.id}/consultations`, n.tok.mandiHospital)).status, 403);
      // Staff who cannot see the patient refer them to their own district's hospital: refused, and the hospital still reads nothing.
      const leak = await refer(n.tok.mandiCho, { patientId: c.patient.id, toFacilityId: n.mandiHospital });
      assert.equal(leak.status, 403, JSON.stringify(leak.body));
      const otherDoctor = await refer(n.tok.doctor2, { patientId: c.patient.id, requestId: c.requestId, toFacilityId: n.mandiHospital });
      assert.equal(otherDoctor.status, 403, 'a doctor who did not consult');
      assert.equal((await t.req('GET', `/api/patients/${c.patient.id}`, n.tok.mandiHospital)).status, 403, 'no read from a refused referral');
      assert.equal((await t.req('GET', '/api/referrals?direction=incoming', n.tok.mandiHospital)).body.items.filter((x: any) => x.patientId === c.patient.id).length, 0);

      const r = await refer(n.tok.doctor, { patientId: c.patient.id, requestId: c.requestId, toFacilityId: n.mandiHospital });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const incoming = (await t.req('GET', '/api/referrals?direction=incoming', n.tok.mandiHospital)).body.items.find((x: any) => x.id === r.body.id);
      assert.equal(incoming.patient.name, 'Bimla Devi');
      const record = await t.req('GET', `/api/patients/${c.patient.id}?purpose=referral`, n.tok.mandiHospital);
      assert.equal(record.status, 200, JSON.stringify(record.body));
      const notes = await t.req('GET', `/api/patients/${c.patient.id}/consultations`, n.tok.mandiHospital);
      assert.equal(notes.status, 200);
      const consult = notes.body.items.find((x: any) => x.requestId === c.requestId);
      assert.equal(consult.notes, 'Suspected pneumonia; needs X-ray');
      assert.equal(consult.referrals[0].id, r.body.id);
      const audit = await t.db.kysely.selectFrom('audit_log').select(['actor_username', 'purpose', 'entity'])
        .where('entity_id', '=', c.patient.id).where('action', '=', 'read').execute();
      const hospitalReads = audit.filter((a) => a.actor_username?.startsWith('facility_operator_'));
      assert.ok(hospitalReads.some((a) => a.purpose === 'teleconsultations'), `the notes read is audited: ${JSON.stringify(audit)}`);
      assert.ok(hospitalReads.length >= 2, 'the record read is audited too');
      // Still not writable by the reading: the hospital cannot cancel, only the steps of a destination.
      assert.equal((await t.req('POST', `/api/referrals/${r.body.id}/status`, n.tok.mandiHospital, { status: 'cancelled' })).status, 403);
      assert.equal((await t.req('POST', `/api/referrals/${r.body.id}/status`, n.tok.mandiHospital, { status: 'seen' })).status, 409, 'seen only after arrival');
    });

    test('the CHO\'s counts are live: a doctor going on duty and a request taken each send new counts', async () => {
      const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
      assert.equal((await t.req('POST', '/api/telemedicine/duty', n.tok.doctor, { hubId: n.hub, specialty: 'general_medicine', status: 'offline' })).status, 200);
      const unauth = await t.req('GET', '/api/telemedicine/hubs/events', null);
      assert.equal(unauth.status, 401);
      const stream = { accept: 'text/event-stream' };
      assert.equal((await t.req('GET', `/api/telemedicine/hubs/events?spokeId=${n.spoke}`, n.tok.mandiCho, undefined, stream)).status, 403, 'another centre\'s hubs');
      assert.equal((await t.req('GET', '/api/telemedicine/hubs/events', (await t.userWith('asha', n.spoke)).token, undefined, stream)).status, 403, 'no telemedicine permission');
      const once = await t.req('GET', '/api/telemedicine/hubs/events', n.tok.cho);
      assert.equal(once.status, 200, 'without asking for a stream: the list once');
      assert.equal(once.body.items[0].id, n.hub);
      const counts = (ev: any[]) => ev.map((e) => e.items.find((h: any) => h.id === n.hub)?.specialties[0]).map((s: any) => `${s.doctorsOnline}/${s.waiting}`);
      const live: any[] = [];
      const done = readEvents(`${address}/api/telemedicine/hubs/events`, n.tok.cho, (ev) => counts(ev).at(-1) === '1/0' && counts(ev).includes('1/1'), live);
      await waitFor(() => live.length > 0, 'the first counts');
      const start = counts(live)[0];
      assert.equal(start, '0/0');
      await t.req('POST', '/api/telemedicine/duty', n.tok.doctor, { hubId: n.hub, specialty: 'general_medicine', status: 'online' });
      await waitFor(() => counts(live).includes('1/0'), `a doctor on duty: ${counts(live)}`);
      const p = await t.req('POST', '/api/patients', n.tok.cho, { name: 'Ramesh', sex: 'male', age: 40, address: { district: 63 } });
      const asked = await t.req('POST', '/api/telemedicine/requests', n.tok.cho, { patientId: p.body.id, hubId: n.hub, specialty: 'general_medicine' });
      assert.equal(asked.status, 201, JSON.stringify(asked.body));
      await waitFor(() => counts(live).includes('1/1'), `one waiting: ${counts(live)}`);
      assert.equal((await t.req('POST', '/api/telemedicine/next', n.tok.doctor, { hubId: n.hub, specialty: 'general_medicine' })).body.id, asked.body.id);
      await done;
      assert.deepEqual(counts(live), ['0/0', '1/0', '1/1', '1/0'], 'taken: nobody waits');
      await t.req('POST', `/api/telemedicine/requests/${asked.body.id}/start`, n.tok.doctor);
      await t.req('POST', `/api/telemedicine/requests/${asked.body.id}/complete`, n.tok.doctor);
    });

    const sms = () => t.app.sms as LogSmsSender;
    const codeOf = (mobile: string) => /code is (\d{6})/.exec(sms().lastTo(mobile)?.text ?? '')?.[1] ?? '';
    const otp = async (mobile: string) => {
      const r = await t.req('POST', '/api/public/telemedicine/otp', null, { mobile });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      return { challengeId: r.body.challengeId as string, code: codeOf(mobile) };
    };
    const find = (body: Record<string, unknown>, lang = 'en') => t.req('POST', '/api/public/telemedicine/find', null, body, { 'accept-language': lang });

    test('find my place: the mobile and a code sent to it bring back the waiting room with a new key; guessing is locked out', async () => {
      assert.equal((await t.req('PUT', `/api/telemedicine/hubs/${n.hub}/specialties`, t.adminToken, { items: [{ specialty: 'general_medicine', homeOpd: true }] })).status, 200);
      const mobile = '9812300201';
      const first = await otp(mobile);
      const booked = await t.req('POST', '/api/public/telemedicine/requests', null, { mobile, ...first, hubId: n.hub, specialty: 'general_medicine', patient: { name: 'Kusum Lata', sex: 'female', age: 33, address: { district: 63 } } });
      assert.equal(booked.status, 201, JSON.stringify(booked.body));
      // The booking's code was used up by the booking.
      assert.equal((await find({ mobile, ...first })).status, 400);

      const second = await otp(mobile);
      const wrong = second.code === '000000' ? '000001' : '000000';
      for (let i = 0; i < 4; i++) {
        const r = await find({ mobile, challengeId: second.challengeId, code: wrong });
        assert.equal(r.status, 400, JSON.stringify(r.body));
        assert.equal(r.body.error.details?.field ?? r.body.error.field ?? 'code', 'code');
      }
      assert.equal((await find({ mobile: '9812300299', challengeId: second.challengeId, code: second.code })).status, 400, 'the right code for another mobile is a wrong try');
      const locked = await find({ mobile, challengeId: second.challengeId, code: second.code }, 'hi');
      assert.equal(locked.status, 429, 'five tries per code, then a new code is needed, even the right one');
      assert.match(locked.body.error.message, /नया कोड/);
      const third = await otp(mobile);
      assert.equal((await t.req('POST', '/api/public/telemedicine/otp', null, { mobile })).status, 429, 'three codes per number in 15 minutes');

      const found = await find({ mobile, ...third });
      assert.equal(found.status, 200, JSON.stringify(found.body));
      assert.equal(found.body.items.length, 1);
      const place = found.body.items[0];
      assert.equal(place.id, booked.body.id);
      assert.equal(place.token, booked.body.token);
      assert.equal(place.status, 'waiting');
      assert.ok(place.key && place.key !== booked.body.key, 'a new key');
      assert.equal((await t.req('GET', `/api/public/telemedicine/requests/${place.id}?key=${encodeURIComponent(place.key)}`, null)).status, 200);
      assert.equal((await t.req('GET', `/api/public/telemedicine/requests/${place.id}?key=${encodeURIComponent(booked.body.key)}`, null)).status, 404, 'the old link stops');
      assert.equal((await find({ mobile, ...third })).status, 400, 'a code works once');
      const audit = await t.db.kysely.selectFrom('audit_log').select('purpose').where('entity', '=', 'tele_request').where('entity_id', '=', place.id).where('action', '=', 'read').execute();
      assert.deepEqual(audit.map((a) => a.purpose), ['find_my_place']);

      // Another mobile finds nothing of hers.
      const stranger = await otp('9812300202');
      const none = await find({ mobile: '9812300202', ...stranger });
      assert.equal(none.status, 200);
      assert.deepEqual(none.body.items, []);
      assert.equal((await find({ mobile: 'abc', challengeId: 'x', code: '1234' })).status, 400);
      assert.equal((await find({ mobile, challengeId: third.challengeId })).status, 400, 'the code is required');

      // Leaving the queue: twice at once, one wins and the other is told it is already over (409).
      const leave = () => t.req('POST', `/api/public/telemedicine/requests/${place.id}/cancel?key=${encodeURIComponent(place.key)}`, null);
      const answers = await Promise.all([leave(), leave(), leave()]);
      assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409, 409], JSON.stringify(answers.map((a) => a.body)));
    });

    test('the receiving hospital marks a referral received and seen; parallel marks: one wins, the others 409', async () => {
      const c = await inConsultation(t, n, { name: 'Jagdish', sex: 'male', mobile: '9812300103' });
      const r = await refer(n.tok.doctor, { patientId: c.patient.id, requestId: c.requestId });
      assert.equal(r.status, 201);
      const mark = (status: string) => t.req('POST', `/api/referrals/${r.body.id}/status`, n.tok.hospital, { status });
      const acks = await Promise.all([mark('acknowledged'), mark('acknowledged'), mark('arrived')]);
      const statuses = acks.map((a) => a.status);
      assert.ok(!statuses.includes(500), JSON.stringify(acks.map((a) => a.body)));
      assert.equal(statuses.filter((s) => s === 200).length >= 1, true);
      const final = await t.req('GET', '/api/referrals?direction=incoming', n.tok.hospital);
      const now = final.body.items.find((x: any) => x.id === r.body.id);
      // Whatever order they ran in, no step was recorded twice: each 200 moved the referral on once.
      const moves = await t.db.kysely.selectFrom('audit_log').select('after').where('entity', '=', 'referral').where('entity_id', '=', r.body.id).where('action', '=', 'update').execute();
      assert.equal(moves.length, statuses.filter((s) => s === 200).length);
      assert.equal(new Set(moves.map((m) => (m.after as any).status)).size, moves.length, 'no step twice');
      assert.ok(['acknowledged', 'arrived'].includes(now.status));
      const seen = await Promise.all([mark('seen'), mark('seen')]);
      if (now.status === 'arrived') assert.deepEqual(seen.map((s) => s.status).sort(), [200, 409]);
    });
  });
}
