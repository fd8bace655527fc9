// The OPD queue worked through the day (patients.opd.ts): a token is called, is with the doctor, is
// done when the visit is recorded; absent and recalled; counts per state and paging; moves the
// token's state does not allow, and two counters pressing at once, are 409s that say what to do.
// On PostgreSQL (TEST_DATABASE_URL) the parallel requests really overlap.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';

type Res = { status: number; body: any };
const tally = (rs: Res[]) => {
  for (const r of rs) assert.ok(r.status < 500, `no 5xx: ${r.status} ${JSON.stringify(r.body)}`);
  const n: Record<number, number> = {};
  for (const r of rs) n[r.status] = (n[r.status] ?? 0) + 1;
  return n;
};

for (const engine of testEngines()) {
  describe(`the OPD queue is worked [${engine}]`, () => {
    let t: TestApp;
    let fac: string;
    let clerk: string;
    let doctor: string;
    const patient = async () => {
      const r = await t.req('POST', '/api/patients', clerk, { name: `Kamla ${randomBytes(2).toString('hex')} Devi`, sex: 'female', age: 34, address: { district: 63 }, facilityId: fac });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.id as string;
    };
    const token = async (patientId: string, department = 'general') => {
      const r = await t.req('POST', '/api/opd/registrations', clerk, { patientId, department });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body as { id: string; token: number };
    };
    const move = (id: string, status: string, who = clerk, lang = 'en') => t.req('POST', `/api/opd/registrations/${id}/status`, who, { status }, { 'accept-language': lang });
    const queue = async (query = '', who = clerk) => {
      const r = await t.req('GET', `/api/opd/queue${query}`, who);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body;
    };

    before(async () => {
      t = await startTestApp(engine);
      const f = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: `PHC Queue ${randomBytes(2).toString('hex')}` }));
      assert.equal(f.status, 201, JSON.stringify(f.body));
      fac = f.body.id;
      clerk = (await t.userWith('facility_operator', fac)).token;
      doctor = (await t.userWith('doctor', fac)).token;
    });
    after(async () => { await t?.close(); });

    test('a token is called, is with the doctor, and is done when its visit is recorded; another is absent and recalled; counts follow', async () => {
      const department = `q${randomBytes(3).toString('hex')}`;
      const [a, b] = [await patient(), await patient()];
      const ta = await token(a, department);
      const tb = await token(b, department);
      const counts = async () => (await queue(`?department=${department}`)).counts;
      assert.deepEqual(await counts(), { waiting: 2, called: 0, with_doctor: 0, done: 0, absent: 0, all: 2 });

      const called = await move(ta.id, 'called');
      assert.equal(called.status, 200, JSON.stringify(called.body));
      assert.equal(called.body.status, 'called');
      assert.ok(called.body.times.called, 'the time it was called');
      assert.deepEqual(await counts(), { waiting: 1, called: 1, with_doctor: 0, done: 0, absent: 0, all: 2 });

      const withDoctor = await move(ta.id, 'with_doctor', doctor);
      assert.equal(withDoctor.status, 200, JSON.stringify(withDoctor.body));
      assert.ok(withDoctor.body.times.withDoctor >= withDoctor.body.times.called);

      // The doctor records the visit without naming the token: the patient's token today is closed with it.
      const visit = await t.req('POST', '/api/opd/visits', doctor, { patientId: a, complaint: 'fever for two days' });
      assert.equal(visit.status, 201, JSON.stringify(visit.body));
      assert.equal(visit.body.opdToken, ta.id);
      const done = (await queue(`?department=${department}&status=done`)).items;
      assert.deepEqual(done.map((i: any) => [i.token, i.status]), [[ta.token, 'done']]);
      assert.ok(done[0].times.done);
      const row = await t.db.kysely.selectFrom('opd_visits').select('opd_registration_id').where('id', '=', visit.body.id).executeTakeFirstOrThrow();
      assert.equal(row.opd_registration_id, ta.id);

      const absent = await move(tb.id, 'absent');
      assert.equal(absent.status, 200, JSON.stringify(absent.body));
      assert.deepEqual(await counts(), { waiting: 0, called: 0, with_doctor: 0, done: 1, absent: 1, all: 2 });
      const recalled = await move(tb.id, 'waiting');
      assert.equal(recalled.status, 200, JSON.stringify(recalled.body));
      assert.ok(recalled.body.times.recalled && recalled.body.times.absent);
      assert.deepEqual(await counts(), { waiting: 1, called: 0, with_doctor: 0, done: 1, absent: 0, all: 2 });

      // Every move is in the audit log with who made it.
      const audits = await t.db.kysely.selectFrom('audit_log').select(['after']).where('entity', '=', 'opd_registration').where('entity_id', 'in', [ta.id, tb.id]).where('action', '=', 'update').execute();
      assert.deepEqual(audits.map((x: any) => (typeof x.after === 'string' ? JSON.parse(x.after) : x.after).status).sort(), ['absent', 'called', 'done', 'waiting', 'with_doctor']);
    });

    test('moves the state does not allow are 409s saying what to do, in English and Hindi', async () => {
      const t1 = await token(await patient());
      const skip = await move(t1.id, 'done');
      assert.equal(skip.status, 409);
      assert.match(skip.body.error.message, /is waiting; it can be marked done only when it is with the doctor/);
      assert.equal(skip.body.error.details.status, 'waiting');
      assert.equal((await move(t1.id, 'waiting')).status, 409, 'only an absent token is recalled');
      for (const s of ['called', 'with_doctor', 'done']) assert.equal((await move(t1.id, s)).status, 200, s);
      const again = await move(t1.id, 'called');
      assert.equal(again.status, 409);
      assert.match(again.body.error.message, new RegExp(`Token ${t1.token} is done at \\d\\d:\\d\\d: it cannot be called again; .*issue a new token`));
      const hi = await move(t1.id, 'absent', clerk, 'hi');
      assert.equal(hi.status, 409);
      assert.match(hi.body.error.message, /पूरा हो चुका है.*नया टोकन जारी करें/);
      const bad = await move(t1.id, 'seen');
      assert.equal(bad.status, 400, 'an unknown state');
      assert.equal((await move('Zz000000000', 'called')).status, 404);
      for (const id of ['a%00b', '%00', 'x'.repeat(90)]) assert.equal((await move(id, 'called')).status, 404, `id ${id.slice(0, 10)}`);
    });

    test('two counters calling one token: one calls it, the others get a 409 naming who called it', async () => {
      const t1 = await token(await patient());
      const rs = await Promise.all(Array.from({ length: 8 }, () => move(t1.id, 'called')));
      assert.deepEqual(tally(rs), { 200: 1, 409: 7 });
      for (const r of rs.filter((x) => x.status === 409)) assert.match(r.body.error.message, /is already called by facility_operator_\w+ at \d\d:\d\d; refresh the queue/);
      // A called token marked with the doctor and absent at once: one wins, and the token is in that state.
      const both = await Promise.all([move(t1.id, 'with_doctor', doctor), move(t1.id, 'absent'), move(t1.id, 'with_doctor'), move(t1.id, 'absent', doctor)]);
      assert.deepEqual(tally(both), { 200: 1, 409: 3 });
      const won = both.find((r) => r.status === 200)!.body.status;
      const now = await t.db.kysely.selectFrom('opd_registrations').select('status').where('id', '=', t1.id).executeTakeFirstOrThrow();
      assert.equal(now.status, won);
      // A visit and the doctor's "done" at once: the token is done once, and nothing fails.
      const t2 = await token(await patient());
      await move(t2.id, 'called');
      await move(t2.id, 'with_doctor', doctor);
      const p2 = (await t.db.kysely.selectFrom('opd_registrations').select('patient_id').where('id', '=', t2.id).executeTakeFirstOrThrow()).patient_id;
      const mixed = await Promise.all([move(t2.id, 'done', doctor), t.req('POST', '/api/opd/visits', doctor, { patientId: p2, complaint: 'cough' })]);
      tally(mixed);
      assert.equal(mixed[1].status, 201, JSON.stringify(mixed[1].body));
      assert.equal((await t.db.kysely.selectFrom('opd_registrations').select('status').where('id', '=', t2.id).executeTakeFirstOrThrow()).status, 'done');
    });

    test('the queue pages, filters by state and counts every state', async () => {
      const department = `p${randomBytes(3).toString('hex')}`;
      const tokens = [];
      for (let i = 0; i < 5; i++) tokens.push(await token(await patient(), department));
      await move(tokens[0].id, 'called');
      const first = await queue(`?department=${department}&status=waiting&limit=2`);
      assert.deepEqual(first.items.map((i: any) => i.token), [2, 3]);
      assert.equal(first.total, 4);
      assert.equal(first.more, true);
      assert.deepEqual(first.counts, { waiting: 4, called: 1, with_doctor: 0, done: 0, absent: 0, all: 5 });
      const last = await queue(`?department=${department}&status=waiting&limit=2&offset=2`);
      assert.deepEqual(last.items.map((i: any) => i.token), [4, 5]);
      assert.equal(last.more, false);
      const all = await queue(`?department=${department}&limit=200`);
      assert.deepEqual(all.items.map((i: any) => i.status), ['called', 'waiting', 'waiting', 'waiting', 'waiting']);
      assert.equal((await t.req('GET', `/api/opd/queue?status=seen`, clerk)).status, 400);
    });

    test('only staff of the facility, with the permission, move its tokens; permission before the body', async () => {
      const t1 = await token(await patient());
      const mandiFacility = (await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Mandi Queue', orgUnit: 22 }))).body.id;
      const outsiders = {
        mandiClerk: (await t.userWith('facility_operator', mandiFacility)).token,
        hisarOfficer: (await t.userWith('district_officer', 63)).token,
        scan: (await t.userWith('ultrasound_operator', fac)).token,
        asha: (await t.userWith('asha', 63)).token,
      };
      for (const [who, tok] of Object.entries(outsiders)) {
        const r = await move(t1.id, 'called', tok);
        assert.equal(r.status, 403, `${who}: ${JSON.stringify(r.body)}`);
        // Refused before the body is read: a malformed body is still a 403.
        const raw = await t.app.inject({ method: 'POST', url: `/api/opd/registrations/${t1.id}/status`, headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' }, payload: '{"status":' });
        assert.equal(raw.statusCode, 403, who);
      }
      assert.equal((await t.req('GET', `/api/opd/queue?facilityId=${fac}`, outsiders.mandiClerk)).status, 403);
      assert.equal((await t.req('POST', `/api/opd/registrations/${t1.id}/status`, null, { status: 'called' })).status, 401);
      const row = await t.db.kysely.selectFrom('opd_registrations').select('status').where('id', '=', t1.id).executeTakeFirstOrThrow();
      assert.equal(row.status, 'waiting', 'no refused request moved it');
    });
  });
}
