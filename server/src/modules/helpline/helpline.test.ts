import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { todayIst } from '../../platform/periods.js';

const CALLS = '/api/helpline/calls';
const NO_FLAGS = { confusion_or_fits: false, stiff_neck_or_rash: false, bleeding: false, young_infant: false, breathing_fast: false, over_three_days: false, chills: false };
let seq = 0;
/** A mobile number no other test uses. */
const mobile = () => `9${String(Date.now() % 1e8).padStart(8, '0')}${++seq % 10}`;
const daysAgo = (n: number) => new Date(Date.parse(`${todayIst()}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

for (const engine of testEngines()) {
  describe(`helpline: calls, protocols, transfers, outbound [${engine}]`, () => {
    let t: TestApp;
    let agent: string;
    let agent2: string;
    let himachalAgent: string;
    let doctorA: string;
    let doctorB: string;
    let himachalDoctor: string;
    let dispatcher: string;
    let clinic: string;
    let operator: string;

    const ok = async (p: Promise<{ status: number; body: any }>, status = 200) => {
      const r = await p;
      assert.equal(r.status, status, JSON.stringify(r.body));
      return r.body;
    };
    const advice = (over: Record<string, unknown> = {}, token = agent) => t.req('POST', CALLS, token, {
      callerMobile: mobile(), language: 'hi', category: 'medical_advice', protocol: 'fever', answers: NO_FLAGS, advice: 'पैरासिटामोल, पानी', outcome: 'resolved', ...over,
    });

    before(async () => {
      t = await startTestApp(engine);
      clinic = (await ok(t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Sarsod', type: 'PHC' })), 201)).id;
      const mandi = (await ok(t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'CH Mandi', type: 'CHC', orgUnit: 22 })), 201)).id;
      agent = (await t.userWith('helpline_agent', 'state:6')).token;
      agent2 = (await t.userWith('helpline_agent', 'state:6')).token;
      himachalAgent = (await t.userWith('helpline_agent', 'state:2')).token;
      doctorA = (await t.userWith('doctor', clinic)).token;
      doctorB = (await t.userWith('doctor', clinic)).token;
      himachalDoctor = (await t.userWith('doctor', mandi)).token;
      dispatcher = (await t.userWith('dispatcher', 63)).token;
      operator = (await t.userWith('facility_operator', clinic)).token;
    });
    after(async () => { await t.close(); });

    test('an advice call in Hindi: the caller found by mobile (an audited read), a red flag makes the disposition emergency, worked out by the server', async () => {
      const number = mobile();
      const p = await ok(t.req('POST', '/api/patients', operator, { name: 'Kamla Devi', sex: 'female', age: 44, mobile: number, address: { district: 63 }, facilityId: clinic }), 201);
      const c = await ok(advice({ callerMobile: `+91 ${number.slice(0, 5)} ${number.slice(5)}`, answers: { ...NO_FLAGS, stiff_neck_or_rash: true, chills: true } }), 201);
      assert.equal(c.disposition, 'emergency');
      assert.deepEqual(c.redFlags, ['stiff_neck_or_rash', 'chills']);
      assert.equal(c.callerKnown, true);
      assert.equal(c.patientId, p.id);
      const audit = await t.db.kysely.selectFrom('audit_log').select(['purpose', 'after']).where('entity', '=', 'patient').where('entity_id', '=', p.id).where('action', '=', 'read').execute();
      assert.ok(audit.some((a) => a.purpose === 'helpline_call' && JSON.stringify(a.after).includes(c.id)), JSON.stringify(audit));
      // Without a red flag the protocol's baseline; fever over three days: see a doctor today.
      assert.equal((await ok(advice(), 201)).disposition, 'self_care');
      assert.equal((await ok(advice({ answers: { ...NO_FLAGS, over_three_days: true } }), 201)).disposition, 'doctor_today');
      const unknown = await ok(advice({ callerName: 'नया कॉलर' }), 201);
      assert.equal(unknown.callerKnown, false);
      assert.equal(unknown.patientId, null);
      // The disposition is not the client's to send; every question needs an answer.
      const sent = await t.req('POST', CALLS, agent, { callerMobile: mobile(), language: 'hi', category: 'medical_advice', protocol: 'fever', answers: NO_FLAGS, outcome: 'resolved', disposition: 'self_care' });
      assert.equal(sent.status, 400);
      assert.equal(sent.body.error.details.field, 'disposition');
      const missing = await advice({ answers: { confusion_or_fits: false } });
      assert.equal(missing.status, 400);
      assert.match(missing.body.error.message, /not answered: stiff_neck_or_rash/);
      const detail = await ok(t.req('GET', `${CALLS}/${c.id}`, agent2));
      assert.equal(detail.callerMobile, number);
      assert.equal(detail.answers.stiff_neck_or_rash, true);
      assert.equal(detail.language, 'hi');
    });

    test('bad calls are 400 with the field and a message to act on; roles without the permission 403; another state\'s call 404', async () => {
      const cases: [Record<string, unknown>, string, RegExp][] = [
        [{ category: 'gossip' }, 'category', /must be one of medical_advice/],
        [{ language: 'xx' }, 'language', /must be one of hi, en/],
        [{ callerMobile: '12345' }, 'callerMobile', /10 digits|STD code/],
        [{ protocol: 'headache' }, 'protocol', /No symptom protocol is called headache/],
        [{ outcome: 'transferred' }, 'transferTo', /which \(doctor or counsellor\)/],
        [{ category: 'information', protocol: undefined, answers: undefined, latitude: 29.1, longitude: 75.7 }, 'latitude', /ambulance call/],
        [{ category: 'ambulance', protocol: undefined, answers: undefined }, 'complaint', /chief complaint/],
      ];
      for (const [over, field, message] of cases) {
        const r = await advice(over);
        assert.equal(r.status, 400, `${JSON.stringify(over)} → ${r.status}`);
        assert.equal(r.body.error.details.field, field, JSON.stringify(r.body));
        assert.match(r.body.error.message, message);
      }
      for (const token of [dispatcher, doctorA, operator]) assert.equal((await advice({}, token)).status, 403);
      const mine = await ok(advice(), 201);
      assert.equal((await t.req('GET', `${CALLS}/${mine.id}`, himachalAgent)).status, 404);
      const himachalList = await ok(t.req('GET', `${CALLS}?limit=200`, himachalAgent));
      assert.ok(!himachalList.items.some((c: any) => c.id === mine.id));
    });

    test('an ambulance call becomes a dispatch call with the caller\'s place; without a place it waits, visibly, until one is added', async () => {
      const c = await ok(t.req('POST', CALLS, agent, { callerMobile: '98120 11111', language: 'hi', category: 'ambulance', complaint: 'सड़क दुर्घटना, दो घायल', latitude: 29.15, longitude: 75.72, outcome: 'resolved' }), 201);
      assert.equal(c.ambulance.status, 'dispatched');
      const d = await ok(t.req('GET', `/api/dispatch/calls/${c.ambulance.dispatchCallId}`, dispatcher));
      assert.equal(d.status, 'waiting');
      assert.equal(d.callerPhone, '9812011111');
      assert.match(d.steps[0].note, new RegExp(c.id));
      const w = await ok(t.req('POST', CALLS, agent, { callerMobile: '98120 22222', language: 'en', category: 'ambulance', complaint: 'snake bite', outcome: 'resolved' }), 201);
      assert.equal(w.ambulance.status, 'awaiting_place');
      assert.match(w.ambulance.problem, /No place was given/);
      const waiting = await ok(t.req('GET', `${CALLS}?waiting=true&limit=200`, agent2));
      assert.ok(waiting.items.some((x: any) => x.id === w.id && x.ambulance.status === 'awaiting_place'));
      // Two agents add the place at once: one ambulance call goes to dispatch, the other agent is told (409).
      const both = await Promise.all([agent, agent2].map((tok) => t.req('POST', `${CALLS}/${w.id}/place`, tok, { latitude: 29.2, longitude: 75.7 })));
      assert.deepEqual(both.map((r) => r.status).sort(), [200, 409], JSON.stringify(both.map((r) => r.body)));
      const placed = both.find((r) => r.status === 200)!.body;
      assert.equal(placed.ambulance.status, 'dispatched');
      assert.equal((await t.req('POST', `${CALLS}/${w.id}/place`, agent, { latitude: 29.2, longitude: 75.7 })).status, 409);
      const sent = await t.db.kysely.selectFrom('dispatch_steps').select('call_id').where('note', '=', `from helpline call ${w.id}`).execute();
      assert.equal(sent.length, 1, 'one dispatch call for the helpline call');
      const after = await ok(t.req('GET', `${CALLS}/${w.id}`, agent));
      assert.equal(after.ambulance.dispatchCallId, placed.ambulance.dispatchCallId);
      // A place in another state is that state's 108: 403, and nothing recorded.
      const before = (await ok(t.req('GET', `${CALLS}?limit=1`, agent))).total;
      const out = await t.req('POST', CALLS, agent, { callerMobile: '98120 33333', language: 'hi', category: 'ambulance', complaint: 'fall', latitude: 13.08, longitude: 80.27, outcome: 'resolved' });
      assert.equal(out.status, 403, JSON.stringify(out.body));
      assert.equal((await ok(t.req('GET', `${CALLS}?limit=1`, agent))).total, before);
    });

    test('a call transferred to a doctor: two doctors pick it up at once, one wins and the other gets 409; the counsellors\' queue is the agents\'', async () => {
      const c = await ok(advice({ category: 'medical_advice', protocol: 'chest_pain', answers: { spreading: true, sweating_or_fainting: false, over_fifteen_minutes: false, heart_risk: true }, outcome: 'transferred', transferTo: 'doctor', transferReason: 'wants to speak to a doctor' }), 201);
      assert.equal(c.transfer.status, 'waiting');
      const queue = await ok(t.req('GET', '/api/helpline/transfers', doctorA));
      assert.deepEqual(queue.queues, ['doctor']);
      const item = queue.items.find((x: any) => x.callId === c.id);
      assert.equal(item.disposition, 'emergency');
      assert.equal(item.callerMobileMasked.slice(0, 6), '******');
      assert.ok(!(await ok(t.req('GET', '/api/helpline/transfers', himachalDoctor))).items.some((x: any) => x.id === c.transfer.id));
      assert.equal((await t.req('POST', `/api/helpline/transfers/${c.transfer.id}/claim`, himachalDoctor)).status, 404);
      assert.equal((await t.req('POST', `/api/helpline/transfers/${c.transfer.id}/claim`, agent)).status, 403, 'an agent takes the counsellors\' queue, not the doctors\'');
      const [a, b] = await Promise.all([t.req('POST', `/api/helpline/transfers/${c.transfer.id}/claim`, doctorA), t.req('POST', `/api/helpline/transfers/${c.transfer.id}/claim`, doctorB)]);
      assert.deepEqual([a.status, b.status].sort(), [200, 409], `${JSON.stringify(a.body)} ${JSON.stringify(b.body)}`);
      const [winner, loser] = a.status === 200 ? [doctorA, doctorB] : [doctorB, doctorA];
      const won = a.status === 200 ? a.body : b.body;
      assert.equal(won.call.id, c.id);
      assert.match(won.call.callerMobile, /^[6-9]\d{9}$/);
      assert.match((a.status === 409 ? a : b).body.error.message, /picked up this call first/);
      assert.equal((await t.req('POST', `/api/helpline/transfers/${c.transfer.id}/close`, loser, { note: 'x' })).status, 409);
      const closed = await ok(t.req('POST', `/api/helpline/transfers/${c.transfer.id}/close`, winner, { note: 'advised to go to the district hospital now; 108 called' }));
      assert.equal(closed.status, 'closed');
      const counsel = await ok(advice({ category: 'counselling', protocol: undefined, answers: undefined, outcome: 'transferred', transferTo: 'counsellor' }, agent2), 201);
      assert.equal((await t.req('GET', '/api/helpline/transfers?queue=counsellor', doctorA)).status, 403);
      const agentQueue = await ok(t.req('GET', '/api/helpline/transfers', agent));
      assert.ok(agentQueue.items.some((x: any) => x.id === counsel.transfer.id));
      await ok(t.req('POST', `/api/helpline/transfers/${counsel.transfer.id}/claim`, agent));
      assert.ok((await ok(t.req('GET', '/api/helpline/transfers?status=mine', agent))).items.some((x: any) => x.id === counsel.transfer.id));
    });

    test('outbound: high-risk pregnancies due this week (an audited read), each call\'s result recorded and shown; another state\'s agent sees none', async () => {
      const woman = await ok(t.req('POST', '/api/patients', operator, { name: 'Santosh Kumari', sex: 'female', age: 37, mobile: mobile(), address: { district: 63 }, facilityId: clinic }), 201);
      const young = await ok(t.req('POST', '/api/patients', operator, { name: 'Rekha', sex: 'female', age: 25, mobile: mobile(), address: { district: 63 }, facilityId: clinic }), 201);
      const g = await ok(t.req('POST', '/api/pregnancies', operator, { patientId: woman.id, facilityId: clinic, lmp: daysAgo(277) }), 201);
      const low = await ok(t.req('POST', '/api/pregnancies', operator, { patientId: young.id, facilityId: clinic, lmp: daysAgo(276) }), 201);
      const list = await ok(t.req('GET', '/api/helpline/outbound/pregnancies-due', agent));
      const mine = list.items.find((x: any) => x.pregnancyId === g.id);
      assert.ok(mine, JSON.stringify(list));
      assert.deepEqual(mine.riskFactors, ['age_35_plus']);
      assert.equal(mine.dueDate, new Date(Date.parse(`${daysAgo(277)}T00:00:00Z`) + 280 * 86_400_000).toISOString().slice(0, 10));
      assert.equal(mine.lastCall, null);
      assert.ok(!list.items.some((x: any) => x.pregnancyId === low.id), 'not high-risk');
      assert.ok((await ok(t.req('GET', '/api/helpline/outbound/pregnancies-due?risk=all', agent))).items.some((x: any) => x.pregnancyId === low.id));
      const read = await t.db.kysely.selectFrom('audit_log').select('purpose').where('entity_id', '=', woman.id).where('action', '=', 'read').execute();
      assert.ok(read.some((r) => r.purpose === 'helpline_outbound'));
      await ok(t.req('POST', '/api/helpline/outbound', agent, { list: 'pregnancies_due', pregnancyId: g.id, result: 'not_reached' }), 201);
      await ok(t.req('POST', '/api/helpline/outbound', agent2, { list: 'pregnancies_due', pregnancyId: g.id, result: 'reached', note: 'बैग तैयार, 102 का नंबर दिया' }), 201);
      const again = (await ok(t.req('GET', '/api/helpline/outbound/pregnancies-due', agent))).items.find((x: any) => x.pregnancyId === g.id);
      assert.equal(again.lastCall.result, 'reached');
      const bad = await t.req('POST', '/api/helpline/outbound', agent, { list: 'pregnancies_due', pregnancyId: g.id, result: 'maybe' });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /must be one of reached/);
      assert.equal((await t.req('POST', '/api/helpline/outbound', himachalAgent, { list: 'pregnancies_due', pregnancyId: g.id, result: 'reached' })).status, 404);
      assert.ok(!(await ok(t.req('GET', '/api/helpline/outbound/pregnancies-due?risk=all', himachalAgent))).items.some((x: any) => x.pregnancyId === g.id));
    });
  });
}
