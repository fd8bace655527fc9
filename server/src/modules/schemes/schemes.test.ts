import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { todayIst } from '../../platform/periods.js';
import { windowOn } from './schemes.service.js';

test('card windows: open inside one, closed outside with the day the next opens; none at all is open all year', () => {
  const quarterly = [{ from: '01-01', to: '01-31' }, { from: '04-01', to: '04-30' }, { from: '07-01', to: '07-31' }, { from: '10-01', to: '10-31' }];
  assert.deepEqual(windowOn(quarterly, '2026-04-15'), { open: true, current: { from: '04-01', to: '04-30' }, nextOpensOn: null });
  assert.deepEqual(windowOn(quarterly, '2026-05-01'), { open: false, current: null, nextOpensOn: '2026-07-01' });
  assert.deepEqual(windowOn(quarterly, '2026-12-02'), { open: false, current: null, nextOpensOn: '2027-01-01' });
  assert.equal(windowOn([], '2026-12-02').open, true);
});

for (const engine of testEngines()) {
  describe(`HIMCARE set-up by date, enrolment and cards [${engine}]`, () => {
    let t: TestApp;
    const tok: Record<string, string> = {};
    const today = todayIst();
    const year = Number(today.slice(0, 4));
    const H = '/api/schemes/himcare';

    const ok = async (p: Promise<{ status: number; body: any }>, status = 200) => {
      const r = await p;
      assert.equal(r.status, status, JSON.stringify(r.body));
      return r.body;
    };
    const register = async (name: string, sex = 'female', age = 30) =>
      (await ok(t.req('POST', '/api/patients', tok.counter, { name, sex, age, address: { district: 22 } }), 201)).id as string;
    /** A register family of `n` people (head first), as the patients module records one. */
    const family = async (n: number) => {
      const ids = [await register('Head Kumar', 'male', 50)];
      const fam = await ok(t.req('POST', '/api/families', tok.counter, { headPatientId: ids[0] }), 201);
      for (let i = 1; i < n; i++) {
        const id = await register(`Member ${i} Devi`, 'female', 10 + i);
        await ok(t.req('POST', `/api/families/${fam.id}/members`, tok.counter, { patientId: id, relation: 'other' }));
        ids.push(id);
      }
      return { id: fam.id as string, familyNumber: fam.familyNumber as string, members: ids };
    };

    before(async () => {
      t = await startTestApp(engine);
      // HIMCARE is Himachal Pradesh's (LGD 2): its officers in Mandi (22) and the state; Kullu (20) is another district.
      const clinic = (await ok(t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'CHC Enrolment', orgUnit: '22' })), 201)).id;
      tok.counter = (await t.userWith('facility_operator', clinic)).token;
      tok.district = (await t.userWith('district_officer', 22)).token;
      tok.otherDistrict = (await t.userWith('district_officer', 20)).token;
      tok.state = (await t.userWith('state_officer', 'state:2')).token;
    });
    after(async () => { await t?.close(); });

    test('HIMCARE\'s defaults are seeded: ₹5 lakh a family a year, 5 a card, categories free / ₹365 / ₹1,000, packages with pre-authorisation', async () => {
      const s = await ok(t.req('GET', `${H}/setup`, tok.district));
      assert.equal(s.settings.coverAmount, 500000);
      assert.equal(s.settings.membersPerCard, 5);
      assert.deepEqual(s.categories.map((c: any) => `${c.code} ${c.premium}`), ['bpl 365', 'free 0', 'general 1000']);
      assert.equal(s.packages.find((p: any) => p.code === 'SG039C').preauth, true);
      assert.equal(s.window.open, true);
      assert.equal((await t.req('GET', '/api/schemes/nosuch/setup', tok.district)).status, 404);
    });

    test('a change applies from its date: the rate on a day is the latest version from on or before it; officers below the state 403; one version a date', async () => {
      assert.equal((await t.req('POST', `${H}/packages`, tok.district, { code: 'SG039C', name: 'Laparoscopic cholecystectomy', rate: 25000, preauth: true, validFrom: '2026-06-01' })).status, 403);
      await ok(t.req('POST', `${H}/packages`, tok.state, { code: 'SG039C', name: 'Laparoscopic cholecystectomy', rate: 25000, preauth: true, validFrom: '2026-06-01' }), 201);
      assert.equal((await t.req('POST', `${H}/packages`, tok.state, { code: 'SG039C', name: 'x', rate: 1, preauth: true, validFrom: '2026-06-01' })).status, 409);
      const before = await ok(t.req('GET', `${H}/setup?on=2026-05-31`, tok.district));
      const from = await ok(t.req('GET', `${H}/setup?on=2026-06-01`, tok.district));
      assert.equal(before.packages.find((p: any) => p.code === 'SG039C').rate, 22800);
      assert.equal(from.packages.find((p: any) => p.code === 'SG039C').rate, 25000);
      await ok(t.req('POST', `${H}/categories`, tok.state, { code: 'general', name: 'Others', premium: 1100, validFrom: '2031-04-01' }), 201);
      assert.equal((await ok(t.req('GET', `${H}/setup?on=2031-04-01`, tok.district))).categories.find((c: any) => c.code === 'general').premium, 1100);
      assert.equal((await ok(t.req('GET', `${H}/setup`, tok.district))).categories.find((c: any) => c.code === 'general').premium, 1000);
      const cover = await ok(t.req('POST', `${H}/setup`, tok.state, { validFrom: '2031-01-01', coverAmount: 700000 }), 201);
      assert.equal(cover.coverAmount, 700000);
      assert.equal(cover.membersPerCard, 5, 'what the version does not name is kept');
      assert.equal((await t.req('POST', `${H}/setup`, tok.state, { validFrom: '2031-01-01', coverAmount: 1 })).status, 409);
      assert.equal((await t.req('POST', `${H}/setup`, tok.state, { validFrom: '2032-01-01', windows: [{ from: '05-01', to: '04-01' }] })).status, 400);
      assert.equal((await t.req('POST', `${H}/setup`, tok.district, { validFrom: '2032-01-01', coverAmount: 1 })).status, 403);
    });

    test('HIMCARE is Himachal\'s: officers of Haryana (LGD 6) get 403 changing its set-up, empanelling or enrolling, and nothing changes; Himachal\'s officers and the administrator may', async () => {
      const haryanaState = (await t.userWith('state_officer', 'state:6')).token;
      const haryanaDistrict = (await t.userWith('district_officer', 63)).token;
      const hisarHospital = (await ok(t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'CH Hisar', type: 'DH', beds: 100 })), 201)).id;
      const hisarCounter = (await t.userWith('facility_operator', hisarHospital)).token;
      const before = await ok(t.req('GET', `${H}/setup`, tok.district));
      const tries: [string, unknown][] = [
        ['setup', { validFrom: '2033-01-01', coverAmount: 100 }],
        ['categories', { code: 'general', name: 'Others', premium: 1, validFrom: '2033-01-01' }],
        ['packages', { code: 'SG039C', name: 'Laparoscopic cholecystectomy', rate: 1, preauth: false, validFrom: '2033-01-01' }],
        ['hospitals', { hospitalId: hisarHospital }],
      ];
      for (const [what, body] of tries) {
        const r = await t.req('POST', `${H}/${what}`, haryanaState, body);
        assert.equal(r.status, 403, `${what}: ${JSON.stringify(r.body)}`);
        assert.match(r.body.error.message, /HIMCARE is Himachal Pradesh's scheme/);
      }
      const hi = await t.req('POST', `${H}/setup`, haryanaState, { validFrom: '2033-01-01', coverAmount: 100 }, { 'accept-language': 'hi' });
      assert.equal(hi.status, 403);
      assert.match(hi.body.error.message, /हिमाचल प्रदेश की योजना/);
      // The body is not read: a body that would be 400 is 403 all the same.
      assert.equal((await t.req('POST', `${H}/setup`, haryanaState, { validFrom: 'soon' })).status, 403);
      // Nothing changed.
      const after = await ok(t.req('GET', `${H}/setup`, tok.district));
      assert.deepEqual(after.versions, before.versions);
      assert.equal((await t.db.kysely.selectFrom('scheme_hospitals').select('facility_id').where('facility_id', '=', hisarHospital).execute()).length, 0);
      // A Haryana family: its district's officer cannot enrol it either.
      const head = (await ok(t.req('POST', '/api/patients', hisarCounter, { name: 'Satbir Singh', sex: 'male', age: 45, address: { district: 63 } }), 201)).id;
      const fam = await ok(t.req('POST', '/api/families', hisarCounter, { headPatientId: head }), 201);
      const enrol = await t.req('POST', `${H}/enrolments`, haryanaDistrict, { familyId: fam.id, category: 'free' });
      assert.equal(enrol.status, 403, JSON.stringify(enrol.body));
      assert.equal((await t.db.kysely.selectFrom('scheme_enrolments').select('id').where('family_id', '=', fam.id).execute()).length, 0);
      // Himachal's state officer changes the set-up; the administrator (country level) too.
      assert.equal((await ok(t.req('POST', `${H}/setup`, tok.state, { validFrom: '2033-01-01', coverAmount: 600000 }), 201)).coverAmount, 600000);
      await ok(t.req('POST', `${H}/packages`, t.adminToken, { code: 'MG001A', name: 'Acute febrile illness', rate: 9500, preauth: false, validFrom: '2033-01-01' }), 201);
      const later = await ok(t.req('GET', `${H}/setup?on=2033-01-01`, tok.district));
      assert.equal(later.settings.coverAmount, 600000);
      assert.equal(later.packages.find((p: any) => p.code === 'MG001A').rate, 9500);
    });

    test('enrolment: 201 {id, cardNumber}, the premium recorded; one active card per family and year (409); another area 404; unknown category 400; wrong role 403', async () => {
      const f = await family(2);
      assert.equal((await t.req('POST', `${H}/enrolments`, tok.counter, { familyId: f.id, category: 'bpl' })).status, 403);
      assert.equal((await t.req('POST', `${H}/enrolments`, tok.otherDistrict, { familyId: f.id, category: 'bpl' })).status, 404);
      const bad = await t.req('POST', `${H}/enrolments`, tok.district, { familyId: f.id, category: 'gold' });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /bpl \(₹365\)/);
      const made = await ok(t.req('POST', `${H}/enrolments`, tok.district, { familyId: f.familyNumber, category: 'bpl', premiumReference: 'RCPT-1' }), 201);
      assert.match(made.cardNumber, new RegExp(`^HC${year}\\d{10}$`));
      assert.equal(made.premium, 365);
      assert.equal(made.members, 2);
      assert.equal((await t.req('POST', `${H}/enrolments`, tok.district, { familyId: f.id, category: 'free' })).status, 409);
      const row = await t.db.kysely.selectFrom('scheme_enrolments').selectAll().where('id', '=', made.id).executeTakeFirstOrThrow();
      assert.equal(Number(row.premium), 365);
      assert.ok(row.premium_paid_at);
      const seen = await ok(t.req('GET', `${H}/enrolments/${made.id}`, tok.district));
      assert.deepEqual(seen.memberList.map((m: any) => m.patientId), f.members);
      assert.equal(seen.coverAmount, 500000);
      assert.equal((await t.req('GET', `${H}/enrolments/${made.id}`, tok.otherDistrict)).status, 404);
      const reads = await t.db.kysely.selectFrom('audit_log').select('purpose').where('entity', '=', 'scheme_enrolment').where('entity_id', '=', made.id).where('action', '=', 'read').execute();
      assert.deepEqual(reads.map((r) => r.purpose), ['card members']);
      // Renewed for the next year once (the members carried over).
      const renewed = await ok(t.req('POST', `${H}/enrolments/${made.id}/renew`, tok.district, {}), 201);
      assert.equal(renewed.schemeYear, year + 1);
      assert.equal(renewed.members, 2);
      assert.notEqual(renewed.cardNumber, made.cardNumber);
      assert.equal((await t.req('POST', `${H}/enrolments/${made.id}/renew`, tok.district, {})).status, 409);
    });

    if (engine === 'postgresql') {
      test('parallel enrolments of one family: one 201, the other 409 (the partial unique index)', async () => {
        const f = await family(1);
        const all = await Promise.all([0, 1, 2].map(() => t.req('POST', `${H}/enrolments`, tok.district, { familyId: f.id, category: 'free' })));
        assert.deepEqual(all.map((r) => r.status).sort(), [201, 409, 409], JSON.stringify(all.map((r) => r.body)));
        const rows = await t.db.kysely.selectFrom('scheme_enrolments').select('id').where('family_id', '=', f.id).execute();
        assert.equal(rows.length, 1);
      });
    }

    test('members within the limit: a family of 8 chooses 5 or fewer; a full card refuses more (409), also seven added in parallel (the row lock); removal frees a place', async () => {
      const f = await family(8);
      const tooMany = await t.req('POST', `${H}/enrolments`, tok.district, { familyId: f.id, category: 'general' });
      assert.equal(tooMany.status, 400);
      assert.match(tooMany.body.error.message, /up to 5 members/);
      const stranger = await register('Not Family');
      assert.equal((await t.req('POST', `${H}/enrolments`, tok.district, { familyId: f.id, category: 'general', members: [f.members[0], stranger] })).status, 400);
      const card = await ok(t.req('POST', `${H}/enrolments`, tok.district, { familyId: f.id, category: 'general', members: [f.members[0]] }), 201);
      assert.equal((await t.req('POST', `${H}/enrolments/${card.id}/members`, tok.district, { patientId: stranger })).status, 400);
      assert.equal((await t.req('POST', `${H}/enrolments/${card.id}/members`, tok.district, { patientId: f.members[0] })).status, 409);
      const all = await Promise.all(f.members.slice(1).map((p) => t.req('POST', `${H}/enrolments/${card.id}/members`, tok.district, { patientId: p })));
      assert.deepEqual(all.map((r) => r.status).sort(), [200, 200, 200, 200, 409, 409, 409], JSON.stringify(all.map((r) => r.body)));
      assert.match(all.find((r) => r.status === 409)!.body.error.message, /full \(5 of 5/);
      const active = await t.db.kysely.selectFrom('scheme_enrolment_members').select('patient_id').where('enrolment_id', '=', card.id).where('removed_at', 'is', null).execute();
      assert.equal(active.length, 5);
      const out = active.find((a) => a.patient_id !== f.members[0])!.patient_id;
      assert.equal((await ok(t.req('POST', `${H}/enrolments/${card.id}/members/${out}/remove`, tok.district, {}))).members, 4);
      assert.equal((await t.req('POST', `${H}/enrolments/${card.id}/members/${out}/remove`, tok.district, {})).status, 404);
      const waiting = f.members.find((p) => !active.some((a) => a.patient_id === p))!;
      assert.equal((await ok(t.req('POST', `${H}/enrolments/${card.id}/members`, tok.district, { patientId: waiting }))).members, 5);
    });

    test('the card: a bilingual PDF with its QR code for the area\'s officers (an audited read); another district 404; a hospital operator 403', async () => {
      const f = await family(1);
      const card = await ok(t.req('POST', `${H}/enrolments`, tok.district, { familyId: f.id, category: 'free' }), 201);
      const res = await t.app.inject({ method: 'GET', url: `${H}/cards/${card.cardNumber}.pdf`, headers: { authorization: `Bearer ${tok.district}` } });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['content-type'], 'application/pdf');
      assert.equal(res.rawPayload.subarray(0, 5).toString(), '%PDF-');
      assert.ok(res.rawPayload.length > 5000);
      assert.equal((await t.req('GET', `${H}/cards/${card.cardNumber}.pdf`, tok.otherDistrict)).status, 404);
      assert.equal((await t.req('GET', `${H}/cards/${card.cardNumber}.pdf`, tok.counter)).status, 403);
      assert.equal((await t.req('GET', `${H}/cards/${card.cardNumber}.txt`, tok.district)).status, 400);
      const reads = await t.db.kysely.selectFrom('audit_log').select('purpose').where('entity', '=', 'scheme_enrolment').where('entity_id', '=', card.id).where('action', '=', 'read').execute();
      assert.deepEqual(reads.map((r) => r.purpose), ['card print']);
      const list = await ok(t.req('GET', `${H}/enrolments?family=${f.id}`, tok.district));
      assert.deepEqual(list.items.map((i: any) => i.cardNumber), [card.cardNumber]);
    });

    test('enrolment only inside an open window: a version from today with windows that exclude today refuses (409 with the day the next opens)', async () => {
      const md = today.slice(5);
      const other = md < '06-01' ? { from: '06-01', to: '06-30' } : { from: '01-01', to: '01-31' };
      await ok(t.req('POST', `${H}/setup`, tok.state, { validFrom: today, windows: [other] }), 201);
      const f = await family(1);
      const shut = await t.req('POST', `${H}/enrolments`, tok.district, { familyId: f.id, category: 'free' });
      assert.equal(shut.status, 409, JSON.stringify(shut.body));
      assert.match(shut.body.error.message, /enrolment window; the next opens on \d{4}-\d{2}-01/);
      assert.equal((await ok(t.req('GET', `${H}/setup`, tok.district))).window.open, false);
    });
  });
}
