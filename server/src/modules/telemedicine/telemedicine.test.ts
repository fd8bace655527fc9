import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startTestApp, testEngines, facilityBody, type TestApp } from '../../test/harness.js';
import { buildNetwork, spokePatient, type TeleNetwork } from '../../test/telemedicine.js';
import type { LogSmsSender } from '../../platform/sms.js';

/** Reads server-sent events from a live server until `until` says stop; returns the parsed `status` events. */
function readEvents(url: string, until: (events: any[]) => boolean, timeoutMs = 10_000, events: any[] = []): Promise<any[]> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      if (res.statusCode !== 200) { reject(new Error(`status ${res.statusCode}`)); res.resume(); return; }
      assert.match(String(res.headers['content-type']), /text\/event-stream/);
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

for (const engine of testEngines()) {
  describe(`telemedicine: network, queue, consultation lifecycle [${engine}]`, () => {
    let t: TestApp;
    let net: TeleNetwork;
    before(async () => {
      t = await startTestApp(engine, { config: { videoUrlTemplate: 'https://meet.example.in/swasthya/{room}' } });
      net = await buildNetwork(t, { doctors: 2, online: false });
    });
    after(async () => { await t.close(); });

    const ask = (body: Record<string, unknown>, token = net.cho, lang = 'en') =>
      t.req('POST', '/api/telemedicine/requests', token, { hubId: net.hub, specialty: 'general_medicine', ...body }, { 'accept-language': lang });
    const next = (token: string, specialty = 'general_medicine') => t.req('POST', '/api/telemedicine/next', token, { hubId: net.hub, specialty });
    const duty = (token: string, status: string, specialty = 'general_medicine') => t.req('POST', '/api/telemedicine/duty', token, { hubId: net.hub, specialty, status });

    test('the network: a spoke sees its linked hub with specialties; another district manages nothing here', async () => {
      const hubs = await t.req('GET', '/api/telemedicine/hubs', net.cho);
      assert.equal(hubs.status, 200, JSON.stringify(hubs.body));
      const hub = hubs.body.items.find((h: any) => h.id === net.hub);
      assert.deepEqual(hub.specialties.map((s: any) => s.code), ['general_medicine', 'paediatrics']);
      assert.equal(hub.specialties[0].nameHi, 'सामान्य चिकित्सा');
      const hisarDo = (await t.userWith('district_officer', 63)).token;
      const r = await t.req('PUT', `/api/telemedicine/hubs/${net.hub}/specialties`, hisarDo, { items: [{ specialty: 'dermatology' }] });
      assert.equal(r.status, 403);
      const bad = await t.req('PUT', `/api/telemedicine/hubs/${net.hub}/specialties`, net.manager, { items: [{ specialty: 'astrology' }] }, { 'accept-language': 'hi' });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /विशेषज्ञता/);
      const detail = await t.req('GET', `/api/telemedicine/hubs/${net.hub}`, net.manager);
      assert.equal(detail.body.doctors.length, 2);
      assert.equal(detail.body.spokes.total, 1);
    });

    test('equipment and readiness: a centre is ready with a working desktop, webcam and connection', async () => {
      let r = await t.req('PUT', `/api/telemedicine/equipment/${net.spoke}`, net.cho, { items: [{ kind: 'desktop', installed: 1 }, { kind: 'webcam', installed: 1 }, { kind: 'connectivity', installed: 1 }] });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      r = await t.req('PUT', `/api/telemedicine/equipment/${net.hub}`, net.manager, { items: [{ kind: 'desktop', installed: 3, onOrder: 2, working: 2 }, { kind: 'webcam', installed: 0, onOrder: 3 }] });
      assert.equal(r.status, 200);
      const more = await t.req('PUT', `/api/telemedicine/equipment/${net.hub}`, net.manager, { items: [{ kind: 'desktop', installed: 1, working: 2 }] });
      assert.equal(more.status, 400, 'more working than installed');
      const mandiDo = (await t.userWith('district_officer', 22)).token;
      const ready = await t.req('GET', '/api/telemedicine/readiness?area=22', mandiDo);
      assert.equal(ready.status, 200, JSON.stringify(ready.body));
      assert.ok(ready.body.centres >= 2);
      assert.ok(ready.body.ready >= 1);
      const desk = ready.body.equipment.find((e: any) => e.kind === 'desktop');
      assert.ok(desk.installed >= 4 && desk.onOrder >= 2);
      const hisarDo = (await t.userWith('district_officer', 63)).token;
      assert.equal((await t.req('GET', '/api/telemedicine/readiness?area=22', hisarDo)).status, 403);
    });

    test('rosters: a doctor rostered for a specialty; overlaps refused; who is on shift but offline', async () => {
      const doc = net.doctors[0];
      const r = await t.req('POST', '/api/telemedicine/rosters', net.manager, { hubId: net.hub, specialty: 'general_medicine', username: doc.username, weekday: 1, starts: '09:00', ends: '13:00' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const clash = await t.req('POST', '/api/telemedicine/rosters', net.manager, { hubId: net.hub, specialty: 'paediatrics', username: doc.username, weekday: 1, starts: '12:00', ends: '14:00' });
      assert.equal(clash.status, 409);
      const backwards = await t.req('POST', '/api/telemedicine/rosters', net.manager, { hubId: net.hub, specialty: 'paediatrics', username: doc.username, weekday: 2, starts: '14:00', ends: '12:00' });
      assert.equal(backwards.status, 400);
      const list = await t.req('GET', `/api/telemedicine/rosters?hubId=${net.hub}`, net.manager);
      assert.equal(list.body.items.length, 1);
      assert.equal(list.body.items[0].username, doc.username);
    });

    test('requests join the queue with a token; refused for an unlinked spoke, an unknown specialty or twice', async () => {
      const patient = await spokePatient(t, net);
      const r = await ask({ patientId: patient, complaint: 'fever for 3 days', vitals: { tempC: 38.6, pulse: 96 } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.ok(r.body.id && r.body.token >= 1);
      assert.equal(r.body.position, 1);
      assert.equal(r.body.status, 'waiting');
      assert.equal(r.body.estimatedWaitMinutes, null, 'no doctor online: no made-up estimate');
      assert.equal(r.body.doctorsOnline, 0);
      const again = await ask({ patientId: patient });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.details.token, r.body.token);
      const unknown = await ask({ patientId: patient, specialty: 'dermatology' }, net.cho, 'hi');
      assert.equal(unknown.status, 400);
      assert.match(unknown.body.error.message, /उपलब्ध नहीं/);
      const other = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ orgUnit: 22, type: 'SC' }));
      const otherCho = (await t.userWith('cho', other.body.id)).token;
      const p2 = await t.req('POST', '/api/patients', otherCho, { name: 'Sita Ram', sex: 'male', age: 50, address: { district: 22 } });
      const unlinked = await ask({ patientId: p2.body.id }, otherCho);
      assert.equal(unlinked.status, 400);
      assert.match(unlinked.body.error.message, /not linked/);
      const cancel = await t.req('POST', `/api/telemedicine/requests/${r.body.id}/cancel`, net.cho);
      assert.equal(cancel.status, 200);
      assert.equal(cancel.body.status, 'cancelled');
    });

    test('next: only a doctor online for that queue; emergencies, then the elderly and pregnant, then arrival order; 204 when empty', async () => {
      const [d1] = net.doctors;
      const young = await spokePatient(t, net, { age: 30, sex: 'male', name: 'Aman Thakur' });
      const old = await spokePatient(t, net, { age: 72, sex: 'male', name: 'Bhagat Ram' });
      const urgent = await spokePatient(t, net, { age: 25, sex: 'male', name: 'Chaman Lal' });
      const a = await ask({ patientId: young });
      const b = await ask({ patientId: old });
      const c = await ask({ patientId: urgent, priority: 'emergency' });
      assert.equal(b.body.priority, 'elderly_pregnant');
      assert.equal(c.body.position, 1, 'an emergency goes first');
      assert.equal(a.body.priority, 'normal');

      const offline = await next(d1.token);
      assert.equal(offline.status, 409, 'a doctor who is not online takes nobody');
      assert.equal((await next(net.cho)).status, 403, 'a CHO cannot take patients');
      assert.equal((await duty(d1.token, 'online')).status, 200);
      const order = [];
      for (let i = 0; i < 3; i++) {
        const r = await next(d1.token);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.status, 'called');
        order.push(r.body.patientId);
        await t.req('POST', `/api/telemedicine/requests/${r.body.id}/start`, d1.token);
        await t.req('POST', `/api/telemedicine/requests/${r.body.id}/complete`, d1.token);
      }
      assert.deepEqual(order, [urgent, old, young]);
      assert.equal((await next(d1.token)).status, 204);
    });

    test('a doctor of another hub cannot take this queue; a doctor without a profile cannot go online', async () => {
      const otherHub = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ orgUnit: 22 }));
      const stranger = await t.userWith('doctor', otherHub.body.id);
      assert.equal((await next(stranger.token)).status, 403);
      const noProfile = await t.userWith('doctor', net.hub);
      const r = await duty(noProfile.token, 'online');
      assert.equal(r.status, 403);
      assert.match(r.body.error.message, /profile/);
    });

    test('start gives a video room from the template; the patient\'s record opens to the consulting doctor only while consulting', async () => {
      const [d1] = net.doctors;
      await duty(d1.token, 'online');
      const patient = await spokePatient(t, net, { name: 'Devki Nandan', sex: 'male', age: 40 });
      assert.equal((await t.req('GET', `/api/patients/${patient}`, d1.token)).status, 403, 'before the call: not readable');
      const r = await ask({ patientId: patient });
      const taken = await next(d1.token);
      assert.equal(taken.body.id, r.body.id);
      assert.equal((await t.req('GET', `/api/patients/${patient}?purpose=teleconsultation`, d1.token)).status, 200, 'called: readable');
      const started = await t.req('POST', `/api/telemedicine/requests/${r.body.id}/start`, d1.token);
      assert.equal(started.status, 200, JSON.stringify(started.body));
      assert.match(started.body.roomUrl, /^https:\/\/meet\.example\.in\/swasthya\/[A-Za-z0-9]{16}$/);
      const other = net.doctors[1];
      assert.equal((await t.req('POST', `/api/telemedicine/requests/${r.body.id}/complete`, other.token)).status, 403, 'another doctor cannot end it');
      const done = await t.req('POST', `/api/telemedicine/requests/${r.body.id}/complete`, d1.token);
      assert.equal(done.body.status, 'completed');
      assert.equal((await t.req('POST', `/api/telemedicine/requests/${r.body.id}/complete`, d1.token)).status, 409);
      const log = await t.req('GET', `/api/patients/${patient}/access-log`, net.cho);
      assert.ok(log.body.items.some((i: any) => i.purpose === 'teleconsultation'), 'the patient can see the doctor read the record');
    });

    test('no answer: back in place once, then no-show', async () => {
      const [d1] = net.doctors;
      await duty(d1.token, 'online');
      const patient = await spokePatient(t, net, { name: 'Ishwar Das', sex: 'male', age: 35 });
      const r = await ask({ patientId: patient });
      let taken = await next(d1.token);
      assert.equal(taken.body.id, r.body.id);
      let na = await t.req('POST', `/api/telemedicine/requests/${r.body.id}/no-answer`, d1.token);
      assert.equal(na.body.status, 'waiting');
      assert.equal(na.body.requeues, 1);
      assert.equal(na.body.position, 1, 're-queued at the place it had');
      taken = await next(d1.token);
      assert.equal(taken.body.id, r.body.id);
      na = await t.req('POST', `/api/telemedicine/requests/${r.body.id}/no-answer`, d1.token);
      assert.equal(na.body.status, 'no_show');
    });

    test('abandoned requests expire and are not handed out', async () => {
      const [d1] = net.doctors;
      await duty(d1.token, 'online');
      const patient = await spokePatient(t, net, { name: 'Jagdish Chand', sex: 'male', age: 33 });
      const r = await ask({ patientId: patient });
      await t.db.kysely.updateTable('tele_requests').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', r.body.id).execute();
      assert.equal((await next(d1.token)).status, 204);
      const after = await t.req('GET', `/api/telemedicine/requests/${r.body.id}`, net.cho);
      assert.equal(after.body.status, 'expired');
    });

    test('the estimate: people ahead shared among doctors online, at the median recent consultation length', async () => {
      const [d1, d2] = net.doctors;
      await duty(d1.token, 'online');
      await duty(d2.token, 'online');
      // History: the last consultations of this queue took 10 minutes each.
      const now = Date.now();
      await t.db.kysely.updateTable('tele_requests').set({ started_at: new Date(now - 3_600_000), ended_at: new Date(now - 3_000_000) })
        .where('hub_id', '=', net.hub).where('status', '=', 'completed').execute();
      const ids = [];
      for (const name of ['Kewal Krishan', 'Lekh Raj', 'Mohan Lal']) ids.push((await ask({ patientId: await spokePatient(t, net, { name, sex: 'male', age: 30 }) })).body);
      const third = (await t.req('GET', `/api/telemedicine/requests/${ids[2].id}`, net.cho)).body;
      assert.equal(third.position, 3);
      assert.equal(third.doctorsOnline, 2);
      assert.equal(third.consultMinutes, 10);
      assert.equal(third.estimatedWaitMinutes, 15, '3 people / 2 doctors × 10 minutes');
      await duty(d2.token, 'break');
      const later = (await t.req('GET', `/api/telemedicine/requests/${ids[2].id}`, net.cho)).body;
      assert.equal(later.estimatedWaitMinutes, 30, 'a doctor on a break no longer counts');
      const live = await t.req('GET', `/api/telemedicine/queue?hubId=${net.hub}`, net.manager);
      assert.equal(live.status, 200);
      assert.equal(live.body.items.filter((i: any) => i.status === 'waiting').length, 3);
      assert.ok(!('name' in live.body.items[0]), 'the live queue shows tokens, not names');
      assert.equal(live.body.doctors.filter((d: any) => d.status === 'online').length, 1);
      for (const r of ids) await t.req('POST', `/api/telemedicine/requests/${r.id}/cancel`, net.cho);
    });

    test('a follow-up asks for the same doctor: that doctor gets it first, the other doctor leaves it for them', async () => {
      const [d1, d2] = net.doctors;
      await duty(d1.token, 'online');
      await duty(d2.token, 'online');
      const patient = await spokePatient(t, net, { name: 'Naresh Kumar', sex: 'male', age: 45 });
      const first = await ask({ patientId: patient });
      assert.equal((await next(d1.token)).body.id, first.body.id);
      await t.req('POST', `/api/telemedicine/requests/${first.body.id}/start`, d1.token);
      await t.req('POST', `/api/telemedicine/requests/${first.body.id}/complete`, d1.token);
      const notSeen = await ask({ patientId: patient, preferredDoctorId: d2.id });
      assert.equal(notSeen.status, 400, 'only a doctor who saw the patient can be asked for');
      const fu = await ask({ patientId: patient, preferredDoctorId: d1.id });
      assert.equal(fu.status, 201, JSON.stringify(fu.body));
      assert.equal(fu.body.priority, 'follow_up');
      assert.equal((await next(d2.token)).status, 204, 'the other doctor does not take it while the asked-for doctor may');
      assert.equal((await next(d1.token)).body.id, fu.body.id);
    });

    test('OPD from home: code to the mobile, a token, a waiting room that updates live, same doctor on follow-up', async () => {
      const [d1] = net.doctors;
      await duty(d1.token, 'online');
      const opds = await t.req('GET', '/api/public/telemedicine/opds', null);
      assert.equal(opds.status, 200);
      const opd = opds.body.items.find((h: any) => h.id === net.hub);
      assert.deepEqual(opd.specialties.map((s: any) => s.code), ['general_medicine'], 'only home OPDs are listed');

      const book = async (mobile: string, extra: Record<string, unknown>) => {
        const otp = await t.req('POST', '/api/public/telemedicine/otp', null, { mobile });
        assert.equal(otp.status, 202);
        const code = /code is (\d{6})/.exec((t.app.sms as LogSmsSender).lastTo(mobile)?.text ?? '')?.[1];
        return t.req('POST', '/api/public/telemedicine/requests', null, { mobile, challengeId: otp.body.challengeId, code, hubId: net.hub, specialty: 'general_medicine', ...extra });
      };
      const ahead = await book('9812300001', { patient: { name: 'Om Prakash', sex: 'male', age: 52, address: { district: 22 } } });
      assert.equal(ahead.status, 201, JSON.stringify(ahead.body));
      const mine = await book('9812300002', { patient: { name: 'पार्वती देवी', sex: 'female', age: 48, address: { district: 22 } }, complaint: 'joint pain' });
      assert.equal(mine.status, 201, JSON.stringify(mine.body));
      assert.equal(mine.body.position, 2);
      assert.ok(mine.body.key && mine.body.estimatedWaitMinutes > 0);
      const wrongKey = await t.req('GET', `/api/public/telemedicine/requests/${mine.body.id}?key=${'x'.repeat(24)}`, null);
      assert.equal(wrongKey.status, 404);
      const paed = await book('9812300003', { specialty: 'paediatrics', patient: { name: 'Raju', sex: 'male', age: 6, address: { district: 22 } } });
      assert.equal(paed.status, 400, 'paediatrics is not a home OPD here');

      // The waiting room over a real connection: position 2, then 1 when the doctor takes the person ahead.
      const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
      const live: any[] = [];
      const events = readEvents(`${address}/api/public/telemedicine/requests/${mine.body.id}/events?key=${mine.body.key}`, (ev) => ev.some((e) => e.status === 'called'), 15_000, live);
      const seenPosition = async (position: number) => {
        for (let i = 0; i < 100 && !live.some((e) => e.position === position); i++) await new Promise((r) => setTimeout(r, 50));
      };
      await seenPosition(2);
      const took = await next(d1.token);
      assert.equal(took.body.id, ahead.body.id);
      await seenPosition(1);
      const mineTaken = await next(d1.token);
      assert.equal(mineTaken.body.id, mine.body.id);
      // Told by SMS as well, through the outbox, with the token.
      const told = (t.app.sms as LogSmsSender).lastTo('9812300002')?.text ?? '';
      assert.match(told, new RegExp(`is calling you now \\(token ${mineTaken.body.token}\\)`));
      assert.match(told, /आपको बुला रहे हैं/);
      const seen = await events;
      assert.deepEqual(seen.map((e) => e.position).slice(0, 2), [2, 1], `positions seen: ${JSON.stringify(seen.map((e) => [e.status, e.position]))}`);
      assert.equal(seen.at(-1).status, 'called');

      // Seen, prescribed; the citizen downloads the prescription with the booking's key.
      await t.req('POST', `/api/telemedicine/requests/${mine.body.id}/start`, d1.token);
      const rx = await t.req('POST', `/api/telemedicine/requests/${mine.body.id}/prescriptions`, d1.token, { items: [{ code: 'paracetamol-500-tab', dose: '1 tablet', frequency: 'TDS', days: 3 }] });
      assert.equal(rx.status, 201, JSON.stringify(rx.body));
      await t.req('POST', `/api/telemedicine/requests/${mine.body.id}/complete`, d1.token);
      const pdf = await t.app.inject({ method: 'GET', url: `/api/public/telemedicine/requests/${mine.body.id}/prescription.pdf?key=${mine.body.key}` });
      assert.equal(pdf.statusCode, 200);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
      const noKey = await t.req('GET', `/api/public/telemedicine/requests/${mine.body.id}/prescription.pdf?key=${ahead.body.key}`, null);
      assert.equal(noKey.status, 404, 'another booking\'s key opens nothing');

      // Then a follow-up with the same doctor, booked with the state number.
      const number = (await t.db.kysely.selectFrom('patients').select('state_number').where('id', '=', mine.body.patientId).executeTakeFirstOrThrow()).state_number;
      const fu = await book('9812300002', { stateNumber: number, sameDoctor: true });
      assert.equal(fu.status, 201, JSON.stringify(fu.body));
      assert.equal(fu.body.priority, 'follow_up');
      assert.equal(fu.body.preferredDoctorId, d1.id);
      const stranger = await book('9812300009', { stateNumber: number });
      assert.equal(stranger.status, 403, 'another mobile cannot book for this patient');
      const left = await t.req('POST', `/api/public/telemedicine/requests/${fu.body.id}/cancel?key=${fu.body.key}`, null);
      assert.equal(left.body.status, 'cancelled');
      await t.req('POST', `/api/telemedicine/requests/${ahead.body.id}/start`, d1.token);
      await t.req('POST', `/api/telemedicine/requests/${ahead.body.id}/complete`, d1.token);
    });

    test('a home request whose waiting room was closed expires', async () => {
      const [d1] = net.doctors;
      await duty(d1.token, 'online');
      const mobile = '9812300044';
      const otp = await t.req('POST', '/api/public/telemedicine/otp', null, { mobile });
      const code = /code is (\d{6})/.exec((t.app.sms as LogSmsSender).lastTo(mobile)?.text ?? '')?.[1];
      const r = await t.req('POST', '/api/public/telemedicine/requests', null, { mobile, challengeId: otp.body.challengeId, code, hubId: net.hub, specialty: 'general_medicine', patient: { name: 'Sukh Dev', sex: 'male', age: 30, address: { district: 22 } } });
      assert.equal(r.status, 201);
      await t.db.kysely.updateTable('tele_requests').set({ client_seen_at: new Date(Date.now() - 11 * 60_000) }).where('id', '=', r.body.id).execute();
      assert.equal((await next(d1.token)).status, 204);
      const view = await t.req('GET', `/api/public/telemedicine/requests/${r.body.id}?key=${r.body.key}`, null);
      assert.equal(view.body.status, 'expired');
    });
  });
}

describe('telemedicine live streams end when the server shuts down [pglite]', () => {
  test('an open status stream does not hold the server open', async () => {
    const t = await startTestApp('pglite');
    try {
      const net = await buildNetwork(t, { doctors: 1, online: false });
      const patient = await spokePatient(t, net);
      const r = await t.req('POST', '/api/telemedicine/requests', net.cho, { patientId: patient, hubId: net.hub, specialty: 'general_medicine' });
      const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
      const ended = new Promise<string>((resolve, reject) => {
        http.get(`${address}/api/telemedicine/requests/${r.body.id}/events`, { headers: { authorization: `Bearer ${net.cho}` } }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => { body += c; });
          res.on('end', () => resolve(body));
        }).on('error', reject);
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const closing = t.app.close().then(() => 'closed');
      const outcome = await Promise.race([closing, new Promise((resolve) => setTimeout(() => resolve('still open after 5 s'), 5000))]);
      assert.equal(outcome, 'closed');
      assert.match(await ended, /event: status/, 'the stream had sent the status, then ended');
    } finally {
      await t.db.close();
    }
  });
});
