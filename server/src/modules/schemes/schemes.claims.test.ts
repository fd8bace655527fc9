import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { todayIst } from '../../platform/periods.js';

/** The day `n` days before today (IST), as YYYY-MM-DD. */
const daysAgo = (n: number) => new Date(Date.parse(`${todayIst()}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

for (const engine of testEngines()) {
  describe(`HIMCARE claims from empanelled hospitals [${engine}]`, () => {
    let t: TestApp;
    const tok: Record<string, string> = {};
    const H = '/api/schemes/himcare';
    let hospital: string;
    let hospitalB: string;
    let clinic: string;
    let card: { id: string; cardNumber: string };
    let members: string[];
    let familyNumber: string;

    const ok = async (p: Promise<{ status: number; body: any }>, status = 200) => {
      const r = await p;
      assert.equal(r.status, status, JSON.stringify(r.body));
      return r.body;
    };
    const claim = (token: string, over: Record<string, unknown> = {}) => t.req('POST', `${H}/claims`, token, {
      cardNumber: card.cardNumber, memberPatientId: members[0], hospitalId: hospital, packageCode: 'MG001A', admittedOn: daysAgo(6), dischargedOn: daysAgo(4), amount: 8000, diagnosis: 'A09', ...over,
    });
    const codes = (b: any) => b.flags.map((f: any) => f.code).sort();

    before(async () => {
      t = await startTestApp(engine);
      hospital = (await ok(t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'CH Himcare', type: 'DH', beds: 100 })), 201)).id;
      hospitalB = (await ok(t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'CHC Himcare B', type: 'CHC', beds: 30 })), 201)).id;
      clinic = (await ok(t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Not Empanelled' })), 201)).id;
      tok.state = (await t.userWith('state_officer', 'state:6')).token;
      tok.district = (await t.userWith('district_officer', 63)).token;
      tok.operator = (await t.userWith('facility_operator', hospital)).token;
      tok.operatorB = (await t.userWith('facility_operator', hospitalB)).token;
      tok.clinic = (await t.userWith('facility_operator', clinic)).token;
      await ok(t.req('POST', `${H}/hospitals`, tok.state, { hospitalId: hospital, from: '2026-01-01' }), 201);
      await ok(t.req('POST', `${H}/hospitals`, tok.state, { hospitalId: hospitalB, from: '2026-01-01' }), 201);
      assert.equal((await t.req('POST', `${H}/hospitals`, tok.state, { hospitalId: hospital })).status, 409);
      // A register family of three, enrolled by the district officer.
      const register = async (name: string, sex: string, age: number) => (await ok(t.req('POST', '/api/patients', tok.clinic, { name, sex, age, address: { district: 63 } }), 201)).id as string;
      members = [await register('Mohan Lal', 'male', 52), await register('Kamla Devi', 'female', 48), await register('Ravi Kumar', 'male', 20)];
      const fam = await ok(t.req('POST', '/api/families', tok.clinic, { headPatientId: members[0] }), 201);
      familyNumber = fam.familyNumber;
      await ok(t.req('POST', `/api/families/${fam.id}/members`, tok.clinic, { patientId: members[1], relation: 'spouse' }));
      await ok(t.req('POST', `/api/families/${fam.id}/members`, tok.clinic, { patientId: members[2], relation: 'son' }));
      card = await ok(t.req('POST', `${H}/enrolments`, tok.district, { familyId: fam.id, category: 'bpl' }), 201);
    });
    after(async () => { await t?.close(); });

    test('the operator of an empanelled hospital files for their own hospital: 201 {id, status, flags}; others 403, before anything of the claim is looked at', async () => {
      const filed = await ok(claim(tok.operator), 201);
      assert.deepEqual(Object.keys(filed).sort(), ['flags', 'id', 'status']);
      assert.equal(filed.status, 'claimed');
      assert.deepEqual(filed.flags, []);
      const other = await claim(tok.operatorB);
      assert.equal(other.status, 403, 'another hospital\'s operator');
      assert.match(other.body.error.message, /your own hospital/);
      const notEmpanelled = await claim(tok.clinic, { hospitalId: clinic });
      assert.equal(notEmpanelled.status, 403);
      assert.match(notEmpanelled.body.error.message, /not empanelled/);
      assert.equal((await t.req('POST', `${H}/claims`, tok.clinic, '{"not json')).status, 403, 'a hospital not empanelled is refused before its body is parsed');
      assert.equal((await claim(tok.district)).status, 403, 'an officer does not file');
      assert.equal((await claim(tok.state)).status, 403);
      assert.equal((await t.req('POST', `${H}/claims`, tok.district, '{"not json')).status, 403, 'refused before the body is parsed');
      // The card, member, package and diagnosis are checked, each with a message a person can act on.
      const stranger = (await ok(t.req('POST', '/api/patients', tok.clinic, { name: 'Not Covered', sex: 'female', age: 33, address: { district: 63 } }), 201)).id;
      assert.match((await claim(tok.operator, { memberPatientId: stranger })).body.error.message, /not a member on card/);
      assert.equal((await claim(tok.operator, { cardNumber: 'HC2026000' })).status, 400);
      assert.match((await claim(tok.operator, { diagnosis: 'fever' })).body.error.message, /not an ICD-10 code/);
      assert.match((await claim(tok.operator, { packageCode: 'ZZ999' })).body.error.message, /No package ZZ999/);
      assert.equal((await claim(tok.operator, { dischargedOn: daysAgo(8) })).status, 400);
    });

    test('a write never grants a read: the filing operator cannot open the card, its family\'s enrolment, nor another hospital\'s claim; the answer names no one', async () => {
      const filed = await ok(claim(tok.operator, { memberPatientId: members[2], admittedOn: daysAgo(30), dischargedOn: daysAgo(29) }), 201);
      assert.ok(!JSON.stringify(filed).includes(familyNumber));
      assert.equal((await t.req('GET', `${H}/enrolments/${card.id}`, tok.operator)).status, 403);
      assert.equal((await t.req('GET', `${H}/cards/${card.cardNumber}.pdf`, tok.operator)).status, 403);
      assert.equal((await t.req('GET', `${H}/claims/${filed.id}`, tok.operatorB)).status, 404);
      const mine = await ok(t.req('GET', `${H}/claims/${filed.id}`, tok.operator));
      assert.equal(mine.patientId, members[2]);
      assert.equal(mine.diagnosis, 'A09');
      const reads = await t.db.kysely.selectFrom('audit_log').select('purpose').where('entity', '=', 'scheme_claim').where('entity_id', '=', filed.id).where('action', '=', 'read').execute();
      assert.deepEqual(reads.map((r) => r.purpose), ['claim']);
    });

    test('flag: the same member admitted at overlapping dates (another hospital too); a stay apart is not flagged', async () => {
      const overlap = await ok(claim(tok.operatorB, { hospitalId: hospitalB, admittedOn: daysAgo(5), dischargedOn: daysAgo(3) }), 201);
      assert.deepEqual(codes(overlap), ['overlapping_admission']);
      assert.doesNotMatch(JSON.stringify(overlap), /CH Himcare|Mohan/, 'the flag names neither the other hospital nor the member');
      const apart = await ok(claim(tok.operatorB, { hospitalId: hospitalB, memberPatientId: members[1], admittedOn: daysAgo(5), dischargedOn: daysAgo(3) }), 201);
      assert.deepEqual(codes(apart), []);
    });

    test('flag: an amount above the package rate in force on the admission day', async () => {
      const above = await ok(claim(tok.operator, { memberPatientId: members[1], admittedOn: daysAgo(20), dischargedOn: daysAgo(19), amount: 9500 }), 201);
      assert.deepEqual(codes(above), ['above_package_rate']);
      assert.equal(above.status, 'claimed', 'flagged, not refused');
    });

    test('flag: the family past its yearly cover (₹5 lakh)', async () => {
      const big = await ok(claim(tok.operator, { memberPatientId: members[1], packageCode: 'MG001A', admittedOn: daysAgo(40), dischargedOn: daysAgo(39), amount: 9000 }), 201);
      assert.deepEqual(codes(big), []);
      await t.db.kysely.updateTable('scheme_claims').set({ amount: 480000 }).where('id', '=', big.id).execute();
      const past = await ok(claim(tok.operator, { memberPatientId: members[1], admittedOn: daysAgo(45), dischargedOn: daysAgo(44), amount: 9000 }), 201);
      assert.deepEqual(codes(past), ['past_family_cover']);
      await t.db.kysely.updateTable('scheme_claims').set({ amount: 9000 }).where('id', '=', big.id).execute();
    });

    test('flag: many claims from one hospital for one package in 30 days (the review threshold is part of the set-up by date)', async () => {
      await ok(t.req('POST', `${H}/setup`, tok.state, { validFrom: daysAgo(60), reviewClaimsPerPackage: 2 }), 201);
      const a = await ok(claim(tok.operatorB, { hospitalId: hospitalB, memberPatientId: members[2], packageCode: 'OB001A', admittedOn: daysAgo(12), dischargedOn: daysAgo(12), amount: 9000, diagnosis: 'O80' }), 201);
      const b = await ok(claim(tok.operatorB, { hospitalId: hospitalB, memberPatientId: members[2], packageCode: 'OB001A', admittedOn: daysAgo(11), dischargedOn: daysAgo(11), amount: 9000, diagnosis: 'O80' }), 201);
      const c = await ok(claim(tok.operatorB, { hospitalId: hospitalB, memberPatientId: members[2], packageCode: 'OB001A', admittedOn: daysAgo(10), dischargedOn: daysAgo(10), amount: 9000, diagnosis: 'O80' }), 201);
      assert.deepEqual([codes(a), codes(b), codes(c)], [[], [], ['many_claims_hospital_package']]);
    });

    test('pre-authorisation → approval → discharge → claim → settlement (deducted with reason), with the days each step took; parallel decisions 409', async () => {
      const filed = await ok(claim(tok.operator, { memberPatientId: members[0], packageCode: 'SG039C', admittedOn: daysAgo(2), dischargedOn: undefined, amount: 22000, diagnosis: 'K80.2', procedure: 'Laparoscopic cholecystectomy' }), 201);
      assert.equal(filed.status, 'preauth_pending');
      const id = filed.id;
      assert.equal((await t.req('POST', `${H}/claims/${id}/discharge`, tok.operator, { dischargedOn: daysAgo(1) })).status, 409);
      assert.equal((await t.req('POST', `${H}/claims/${id}/preauth`, tok.operator, { approve: true })).status, 403);
      assert.equal((await t.req('POST', `${H}/claims/${id}/preauth`, tok.state, { approve: false })).status, 400, 'a rejection says why');
      if (engine === 'postgresql') {
        const both = await Promise.all([t.req('POST', `${H}/claims/${id}/preauth`, tok.state, { approve: true }), t.req('POST', `${H}/claims/${id}/preauth`, tok.state, { approve: true })]);
        assert.deepEqual(both.map((r) => r.status).sort(), [200, 409], JSON.stringify(both.map((r) => r.body)));
      } else {
        await ok(t.req('POST', `${H}/claims/${id}/preauth`, tok.state, { approve: true }));
      }
      assert.equal((await t.req('POST', `${H}/claims/${id}/discharge`, tok.operatorB, { dischargedOn: daysAgo(1) })).status, 404);
      const claimed = await ok(t.req('POST', `${H}/claims/${id}/discharge`, tok.operator, { dischargedOn: daysAgo(1), amount: 21000, treatment: 'Lap chole, uneventful recovery' }));
      assert.equal(claimed.status, 'claimed');
      assert.equal(claimed.amount, 21000);
      assert.equal(claimed.days.preauth, 0);
      assert.equal(claimed.days.pending, 0);
      assert.equal((await t.req('POST', `${H}/claims/${id}/settle`, tok.operator, { decision: 'approved' })).status, 403);
      assert.equal((await t.req('POST', `${H}/claims/${id}/settle`, tok.state, { decision: 'deducted', amount: 18000 })).status, 400);
      assert.equal((await t.req('POST', `${H}/claims/${id}/settle`, tok.state, { decision: 'deducted', amount: 21000, reason: 'implant not used' })).status, 400);
      const settled = await ok(t.req('POST', `${H}/claims/${id}/settle`, tok.state, { decision: 'deducted', amount: 18000, reason: 'Consumables billed above the package' }));
      assert.equal(settled.status, 'deducted');
      assert.equal(settled.settledAmount, 18000);
      assert.equal(settled.settlementReason, 'Consumables billed above the package');
      assert.equal(settled.days.settlement, 0);
      assert.ok(settled.preauthAt && settled.claimedAt && settled.settledAt);
      assert.equal((await t.req('POST', `${H}/claims/${id}/settle`, tok.state, { decision: 'approved' })).status, 409);
      // A rejected pre-authorisation, and a rejected claim, each with its reason.
      const other = await ok(claim(tok.operator, { memberPatientId: members[2], packageCode: 'SG039C', admittedOn: daysAgo(3), dischargedOn: undefined, amount: 22000, diagnosis: 'K80.2' }), 201);
      assert.equal((await ok(t.req('POST', `${H}/claims/${other.id}/preauth`, tok.state, { approve: false, reason: 'No imaging on file' }))).status, 'preauth_rejected');
      const plain = await ok(claim(tok.operator, { memberPatientId: members[2], admittedOn: daysAgo(50), dischargedOn: daysAgo(49) }), 201);
      assert.equal((await t.req('POST', `${H}/claims/${plain.id}/settle`, tok.state, { decision: 'rejected' })).status, 400);
      const rejected = await ok(t.req('POST', `${H}/claims/${plain.id}/settle`, tok.state, { decision: 'rejected', reason: 'Admission not needed' }));
      assert.equal(rejected.settledAmount, 0);
    });

    test('dues: claims awaiting settlement and those past 15 days; a hospital sees only its own claims; the list is an audited read', async () => {
      const late = await ok(claim(tok.operator, { memberPatientId: members[2], admittedOn: daysAgo(70), dischargedOn: daysAgo(69), amount: 7000 }), 201);
      await t.db.kysely.updateTable('scheme_claims').set({ claimed_at: sql`now() - interval '20 days'` as any }).where('id', '=', late.id).execute();
      const all = await ok(t.req('GET', `${H}/claims`, tok.state));
      const row = all.items.find((c: any) => c.id === late.id);
      assert.equal(row.overdue, true);
      assert.equal(row.days.pending, 20);
      assert.ok(all.dues.overdue >= 1);
      assert.ok(all.dues.overdueAmount >= 7000);
      assert.ok(all.dues.pending > all.dues.overdue);
      assert.equal(all.dues.settleWithinDays, 15);
      const overdue = await ok(t.req('GET', `${H}/claims?overdue=true`, tok.state));
      assert.deepEqual(overdue.items.map((c: any) => c.id), [late.id]);
      const mine = await ok(t.req('GET', `${H}/claims`, tok.operatorB));
      assert.ok(mine.items.length > 0);
      assert.ok(mine.items.every((c: any) => c.hospital.id === hospitalB));
      assert.equal((await t.req('GET', `${H}/claims`, tok.clinic)).body.items.length, 0);
      const reads = await t.db.kysely.selectFrom('audit_log').select('purpose').where('entity', '=', 'scheme_claim').where('action', '=', 'read').where('purpose', '=', 'claims').execute();
      assert.ok(reads.length >= 4);
    });
  });
}
