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
      hospital = (await ok(t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'CH Himcare', type: 'DH', beds: 100, orgUnit: '22' })), 201)).id;
      hospitalB = (await ok(t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'CHC Himcare B', type: 'CHC', beds: 30, orgUnit: '22' })), 201)).id;
      clinic = (await ok(t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Not Empanelled', orgUnit: '22' })), 201)).id;
      tok.state = (await t.userWith('state_officer', 'state:2')).token;
      tok.district = (await t.userWith('district_officer', 22)).token;
      tok.operator = (await t.userWith('facility_operator', hospital)).token;
      tok.operatorB = (await t.userWith('facility_operator', hospitalB)).token;
      tok.clinic = (await t.userWith('facility_operator', clinic)).token;
      await ok(t.req('POST', `${H}/hospitals`, tok.state, { hospitalId: hospital, from: '2026-01-01' }), 201);
      await ok(t.req('POST', `${H}/hospitals`, tok.state, { hospitalId: hospitalB, from: '2026-01-01' }), 201);
      assert.equal((await t.req('POST', `${H}/hospitals`, tok.state, { hospitalId: hospital })).status, 409);
      // A register family of three, enrolled by the district officer.
      const register = async (name: string, sex: string, age: number) => (await ok(t.req('POST', '/api/patients', tok.clinic, { name, sex, age, address: { district: 22 } }), 201)).id as string;
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
      const stranger = (await ok(t.req('POST', '/api/patients', tok.clinic, { name: 'Not Covered', sex: 'female', age: 33, address: { district: 22 } }), 201)).id;
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

    test('the treatment goes on the patient\'s record: an in-patient episode (the admission at filing, discharge and treatment at discharge) read by those who may read the record, audited; no OPD visit, no HMIS OPD recount, no read for the hospital', async () => {
      const patient = members[1];
      const opdValues = () => t.db.kysely.selectFrom('hmis_data_values').select((eb) => eb.fn.countAll().as('n')).where('org_unit_id', '=', hospital).executeTakeFirstOrThrow().then((r) => Number(r.n));
      const before = await opdValues();
      const filed = await ok(claim(tok.operator, { memberPatientId: patient, admittedOn: daysAgo(12), dischargedOn: undefined, diagnosis: 'A09', procedure: 'IV fluids' }), 201);
      assert.equal(filed.status, 'admitted');
      const stored = await t.db.kysely.selectFrom('scheme_claims').select(['scheme_year', 'panchayat_id']).where('id', '=', filed.id).executeTakeFirstOrThrow();
      assert.deepEqual(stored, { scheme_year: Number(daysAgo(12).slice(0, 4)), panchayat_id: null }, 'the card\'s year and panchayat (this family has none)');
      const read = () => ok(t.req('GET', `/api/patients/${patient}/admissions`, tok.clinic));
      const open = (await read()).items.find((a: any) => a.sourceId === filed.id);
      assert.deepEqual({ ...open, id: undefined, diagnoses: open.diagnoses.map((d: any) => d.code) }, {
        id: undefined, facility: { id: hospital, name: 'CH Himcare', nameHi: null }, admittedOn: daysAgo(12), dischargedOn: null,
        diagnoses: ['A09'], procedure: 'IV fluids', treatment: null, source: 'himcare', sourceId: filed.id,
      });
      assert.ok(open.diagnoses[0].title, 'the diagnosis is named');
      await ok(t.req('POST', `${H}/claims/${filed.id}/discharge`, tok.operator, { dischargedOn: daysAgo(10), treatment: 'ORS, IV Ringer lactate; recovered' }));
      const episodes = (await read()).items.filter((a: any) => a.sourceId === filed.id);
      assert.equal(episodes.length, 1, 'the discharge completes the episode the filing wrote');
      assert.deepEqual([episodes[0].id, episodes[0].dischargedOn, episodes[0].treatment, episodes[0].procedure], [open.id, daysAgo(10), 'ORS, IV Ringer lactate; recovered', 'IV fluids']);
      // A claim filed already discharged writes the whole episode at once.
      const whole = await ok(claim(tok.operator, { memberPatientId: patient, admittedOn: daysAgo(70), dischargedOn: daysAgo(68), diagnosis: 'J18.9', treatment: 'Antibiotics' }), 201);
      const w = (await read()).items.find((a: any) => a.sourceId === whole.id);
      assert.deepEqual([w.admittedOn, w.dischargedOn, w.diagnoses[0].code, w.treatment], [daysAgo(70), daysAgo(68), 'J18.9', 'Antibiotics']);
      // Not an OPD visit: no visit row, the hospital's HMIS values (OPD attendance, disease counts) untouched.
      const visits = await t.db.kysely.selectFrom('opd_visits').select('id').where('patient_id', '=', patient).execute();
      assert.equal(visits.length, 0);
      assert.equal(await opdValues(), before);
      // Writing to the record opens no read: the hospital's operator may not list it, nor another district's officer.
      assert.equal((await t.req('GET', `/api/patients/${patient}/admissions`, tok.operator)).status, 403);
      assert.equal((await t.req('GET', `/api/patients/${patient}/admissions`, tok.operatorB)).status, 403);
      assert.equal((await t.req('GET', '/api/patients/PNOSUCH/admissions', tok.clinic)).status, 404);
      // The writes and the reads are in the patient's access log.
      const log = await ok(t.req('GET', `/api/patients/${patient}/access-log`, tok.clinic));
      const purposes = log.items.map((i: any) => `${i.action}:${i.purpose}`);
      for (const p of ['create:admission', 'update:admission', 'read:admissions']) assert.ok(purposes.includes(p), `${p} in ${purposes.join(', ')}`);
    });

    test('by panchayat: coverage (families with a card ÷ register families), claims per 1,000 members, paid and pending, top diagnoses; rolled up to block and district; the public page by district hides rare diagnoses', async () => {
      // The card's family mapped to a new gram panchayat of a Mandi block, with its three register members; a second family there without a card.
      const unit = async (parent: string, level: string, name: string) => (await ok(t.req('POST', '/api/geo/units', t.adminToken, { parent, level, name }), 201)).id as string;
      const blocks = await ok(t.req('GET', '/api/geo/units/district:22/children', t.adminToken));
      const block = blocks.items.find((u: any) => u.level === 'block')?.id ?? await unit('district:22', 'block', 'Cover Block');
      const gp = await unit(block, 'panchayat', `GP Cover ${Date.now() % 100000}`);
      const village = await unit(gp, 'village', `Cover Village ${Date.now() % 100000}`);
      const famId = (await t.db.kysely.selectFrom('scheme_enrolments').select('family_id').where('id', '=', card.id).executeTakeFirstOrThrow()).family_id;
      const home = await t.db.kysely.selectFrom('families').select(['home_id', 'home_path']).where('id', '=', famId).executeTakeFirstOrThrow();
      const other = await t.db.kysely.insertInto('families').values({ id: `FCOV${Date.now()}`, family_number: `FCOV${Date.now()}`, home_id: home.home_id, home_path: home.home_path, panchayat_id: gp, source: 'register' } as any).returning('id').executeTakeFirstOrThrow();
      await t.db.kysely.updateTable('families').set({ panchayat_id: gp } as any).where('id', '=', famId).execute();
      const member = (family: string, i: number) => ({ id: `RM${family}${i}`, family_id: family, member_id: `M${i}`, name: `Member ${i}`, name_key: `member ${i}`, relation: i ? 'son' : 'head', sex: 'male', birth_year: 1980 + i, village_id: village });
      await t.db.kysely.insertInto('register_members').values([0, 1, 2].map((i) => member(famId, i)) as any).execute();
      await t.db.kysely.insertInto('register_members').values([member(other.id, 0)] as any).execute();
      // What the register's import keeps on each family (its members), and what a card issued there would
      // carry (its family's panchayat, and its claims the card's): the figures read these.
      await t.db.kysely.updateTable('families').set({ member_count: 3 }).where('id', '=', famId).execute();
      await t.db.kysely.updateTable('families').set({ member_count: 1 }).where('id', '=', other.id).execute();
      await t.db.kysely.updateTable('scheme_enrolments').set({ panchayat_id: gp }).where('id', '=', card.id).execute();
      await t.db.kysely.updateTable('scheme_claims').set({ panchayat_id: gp }).where('enrolment_id', '=', card.id).execute();

      const year = Number(todayIst().slice(0, 4));
      // The claims of the card, pre-authorisations refused aside (those are no treatment on the scheme).
      const claims = (await t.db.kysely.selectFrom('scheme_claims').select(['status', 'amount', 'settled_amount', 'diagnosis']).where('enrolment_id', '=', card.id).execute())
        .filter((c) => c.status !== 'preauth_rejected');
      assert.ok(claims.length < (await t.db.kysely.selectFrom('scheme_claims').select('id').where('enrolment_id', '=', card.id).execute()).length, 'a refused pre-authorisation is on this card');
      assert.ok(claims.length > 0, 'the earlier tests filed claims on this card');
      const paid = claims.filter((c) => ['approved', 'deducted'].includes(c.status)).reduce((a, c) => a + Number(c.settled_amount ?? 0), 0);
      const pending = claims.filter((c) => c.status === 'claimed').reduce((a, c) => a + Number(c.amount), 0);

      const byGp = await ok(t.req('GET', `${H}/coverage?year=${year}`, tok.district));
      assert.equal(byGp.by, 'panchayat');
      const row = byGp.items.find((r: any) => r.unitId === gp);
      assert.ok(row, 'the new panchayat has its row');
      assert.deepEqual([row.families, row.familiesEnrolled, row.coverage, row.members, row.claims], [2, 1, 0.5, 4, claims.length]);
      assert.equal(row.claimsPer1000Members, Math.round((claims.length * 1000 / 4) * 10) / 10);
      assert.equal(row.paid, Math.round(paid * 100) / 100);
      assert.equal(row.pending, Math.round(pending * 100) / 100);
      assert.equal(row.topDiagnoses[0].code, 'A09', 'most claims were for A09');
      assert.ok(row.topDiagnoses.length <= 3);

      const byBlock = await ok(t.req('GET', `${H}/coverage?by=block&year=${year}`, tok.district));
      const b = byBlock.items.find((r: any) => r.unitId === block);
      assert.deepEqual([b.families, b.familiesEnrolled, b.claims], [2, 1, claims.length]);
      const byDistrict = await ok(t.req('GET', `${H}/coverage?by=district&year=${year}`, tok.state));
      const d = byDistrict.items.find((r: any) => r.lgdCode === 22);
      assert.deepEqual([d.families, d.familiesEnrolled, d.claims], [2, 1, claims.length]);
      assert.equal(byDistrict.totals.familiesEnrolled, 1);
      // Another year has no cards; an officer of another district (Kullu) sees nothing of Mandi.
      assert.equal((await ok(t.req('GET', `${H}/coverage?year=${year - 5}`, tok.district))).totals.familiesEnrolled, 0);
      const kullu = (await t.userWith('district_officer', 20)).token;
      const theirs = await ok(t.req('GET', `${H}/coverage`, kullu));
      assert.ok(!theirs.items.some((r: any) => r.unitId === gp));
      assert.equal(theirs.totals.claims, 0);
      assert.equal((await t.req('GET', `${H}/coverage`, tok.operator)).status, 403, 'a hospital operator files claims; the figures are the officers\'');
      assert.equal((await t.req('GET', `${H}/coverage?by=village`, tok.district)).status, 400);

      // The public page: no sign-in, by district of Himachal Pradesh (LGD 2); a diagnosis is named from five claims.
      const pub = await t.req('GET', `/api/public/schemes/himcare/coverage?state=2&year=${year}`, null);
      assert.equal(pub.status, 200, JSON.stringify(pub.body));
      const mandi = pub.body.items.find((r: any) => r.lgdCode === 22);
      assert.deepEqual([mandi.families, mandi.familiesEnrolled, mandi.claims], [2, 1, claims.length]);
      const a09 = claims.filter((c) => c.diagnosis === 'A09').length;
      assert.equal(mandi.topDiagnoses.some((x: any) => x.code === 'A09'), a09 >= 5);
      assert.ok(mandi.topDiagnoses.every((x: any) => x.claims >= 5));
      assert.ok(!JSON.stringify(pub.body).includes('Member 0'), 'no names');
      assert.equal((await t.req('GET', '/api/public/schemes/himcare/coverage?state=98', null)).status, 400);
      // Without a state: the scheme's own (HIMCARE: Himachal Pradesh), the same figures.
      const own = await ok(t.req('GET', `/api/public/schemes/himcare/coverage?by=district&year=${year}`, null));
      assert.equal(own.state.lgdCode, 2);
      assert.deepEqual(own.items, pub.body.items);
    });

    test('HIMCARE is Himachal\'s: a Haryana hospital (even empanelled by the administrator) cannot file, a Haryana state officer cannot decide or settle (403, nothing changes)', async () => {
      const hisarHospital = (await ok(t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'CH Hisar Himcare', type: 'DH', beds: 100 })), 201)).id;
      await ok(t.req('POST', `${H}/hospitals`, t.adminToken, { hospitalId: hisarHospital, from: '2026-01-01' }), 201);
      const hisarOperator = (await t.userWith('facility_operator', hisarHospital)).token;
      const haryanaState = (await t.userWith('state_officer', 'state:6')).token;
      const filed = await t.req('POST', `${H}/claims`, hisarOperator, { cardNumber: card.cardNumber, memberPatientId: members[1], hospitalId: hisarHospital, packageCode: 'MG001A', admittedOn: daysAgo(30), dischargedOn: daysAgo(29), amount: 8000, diagnosis: 'A09' });
      assert.equal(filed.status, 403, JSON.stringify(filed.body));
      assert.match(filed.body.error.message, /HIMCARE is Himachal Pradesh's scheme/);
      assert.equal((await t.db.kysely.selectFrom('scheme_claims').select('id').where('hospital_id', '=', hisarHospital).execute()).length, 0);
      const pending = await ok(claim(tok.operator, { memberPatientId: members[1], packageCode: 'SG039C', admittedOn: daysAgo(40), dischargedOn: undefined, amount: 20000, diagnosis: 'K80.2' }), 201);
      const settled = await ok(claim(tok.operator, { memberPatientId: members[1], admittedOn: daysAgo(45), dischargedOn: daysAgo(44), amount: 6000 }), 201);
      for (const [id, step, body] of [[pending.id, 'preauth', { approve: true }], [settled.id, 'settle', { decision: 'approved' }]] as const) {
        const r = await t.req('POST', `${H}/claims/${id}/${step}`, haryanaState, body);
        assert.equal(r.status, 403, `${step}: ${JSON.stringify(r.body)}`);
      }
      const rows = await t.db.kysely.selectFrom('scheme_claims').select(['id', 'status']).where('id', 'in', [pending.id, settled.id]).orderBy('admitted_on').execute();
      assert.deepEqual(rows.map((r) => r.status), ['claimed', 'preauth_pending']);
      // Himachal's state officer settles it.
      assert.equal((await ok(t.req('POST', `${H}/claims/${settled.id}/settle`, tok.state, { decision: 'approved' }))).status, 'approved');
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
