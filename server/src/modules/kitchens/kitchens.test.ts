import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { computeBill, rateOn } from './kitchens.bill.js';

test('bill arithmetic: four servings a patient-day, the rate in force each day, extra servings not billed', () => {
  const rates = [{ kind: 'patient_day', effective_from: '2026-01-01', amount: '150.00' }, { kind: 'patient_day', effective_from: '2026-10-16', amount: '160' }, { kind: 'attendant_meal', effective_from: '2026-01-01', amount: 40 }];
  assert.equal(rateOn(rates, 'patient_day', '2026-10-15'), 15000);
  assert.equal(rateOn(rates, 'patient_day', '2026-10-16'), 16000);
  assert.equal(rateOn(rates, 'patient_day', '2025-12-31'), null);
  const b = computeBill([
    { day: '2026-10-16', inpatients: 10, meals_served: 44, attendant_meals: 0 },
    { day: '2026-10-10', inpatients: 10, meals_served: 40, attendant_meals: 5 },
    { day: '2026-10-15', inpatients: 8, meals_served: 30, attendant_meals: 0 },
  ], rates);
  assert.equal(b.amount, 1500 + 200 + 1125 + 1600);
  assert.equal(b.patientDays, 27.5);
  assert.equal(b.attendantMeals, 5);
  assert.deepEqual(b.flags.map((f) => `${f.code} ${f.date}`), ['meals_above_inpatients 2026-10-16']);
  assert.deepEqual(computeBill([{ day: '2025-12-01', inpatients: 2, meals_served: 8, attendant_meals: 0 }], rates).flags.map((f) => f.code), ['no_rate']);
  // Checked against the hospital's beds in the registry: more in-patients than beds flags the day (it is still billed).
  const beds = computeBill([{ day: '2026-10-01', inpatients: 31, meals_served: 124, attendant_meals: 0 }], rates, 30);
  assert.deepEqual(beds.flags.map((f) => f.code), ['inpatients_above_beds']);
  assert.equal(beds.amount, 31 * 150);
});

for (const engine of testEngines()) {
  describe(`Didi ki Rasoi: kitchens, rates, days, bills [${engine}]`, () => {
    let t: TestApp;
    let hospital: string;
    let otherFacility: string;
    const tok: Record<string, string> = {};
    let kitchen: string;

    const ok = async (p: Promise<{ status: number; body: any }>, status = 200) => {
      const r = await p;
      assert.equal(r.status, status, JSON.stringify(r.body));
      return r.body;
    };
    const kitchenBody = (over: Record<string, unknown> = {}) => ({
      hospitalId: hospital, groupName: 'Jeevika Didi SHG', groupNameHi: 'जीविका दीदी समूह', members: [{ name: 'Rani Devi', mobile: '9812345678', role: 'president' }, { name: 'Sita Kumari' }],
      bankAccount: '123456789012', ifsc: 'sbin0001234', startedOn: '2026-01-01', ...over,
    });
    const day = (date: string, inpatients: number, mealsServed: number, more: Record<string, unknown> = {}) =>
      t.req('POST', `/api/kitchens/${kitchen}/days`, tok.operator, { date, inpatients, mealsServed, ...more });

    before(async () => {
      t = await startTestApp(engine);
      hospital = (await ok(t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'CHC Rasoi', type: 'CHC', beds: 30 })), 201)).id;
      otherFacility = (await ok(t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Other' })), 201)).id;
      tok.district = (await t.userWith('district_officer', 63)).token;
      tok.otherDistrict = (await t.userWith('district_officer', 62)).token;
      tok.state = (await t.userWith('state_officer', 'state:6')).token;
      tok.operator = (await t.userWith('facility_operator', hospital)).token;
      tok.otherOperator = (await t.userWith('facility_operator', otherFacility)).token;
    });
    after(async () => { await t?.close(); });

    test('a kitchen is registered by the district officer; another district or another facility\'s operator is 403; one running kitchen per hospital', async () => {
      const outside = await t.req('POST', '/api/kitchens', tok.otherDistrict, kitchenBody());
      assert.equal(outside.status, 403, JSON.stringify(outside.body));
      assert.equal((await t.req('POST', '/api/kitchens', tok.otherOperator, kitchenBody())).status, 403);
      const bad = await t.req('POST', '/api/kitchens', tok.district, kitchenBody({ bankAccount: '12', ifsc: 'XX' }));
      assert.equal(bad.status, 400);
      assert.match(JSON.stringify(bad.body), /9 to 18 digits/);
      assert.match(JSON.stringify(bad.body), /IFSC/);
      const unknown = await t.req('POST', '/api/kitchens', tok.district, kitchenBody({ hospitalId: 'nope' }));
      assert.equal(unknown.status, 400);
      kitchen = (await ok(t.req('POST', '/api/kitchens', tok.district, kitchenBody()), 201)).id;
      const again = await t.req('POST', '/api/kitchens', tok.operator, kitchenBody());
      assert.equal(again.status, 409, JSON.stringify(again.body));
    });

    if (engine === 'postgresql') {
      test('parallel registrations of a kitchen at one hospital: one 201, the others 409 (the partial unique index)', async () => {
        const other = (await ok(t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'CHC Twin Rasoi', type: 'CHC', beds: 20 })), 201)).id;
        const all = await Promise.all([0, 1, 2].map(() => t.req('POST', '/api/kitchens', tok.district, kitchenBody({ hospitalId: other }))));
        assert.deepEqual(all.map((r) => r.status).sort(), [201, 409, 409], JSON.stringify(all.map((r) => r.body)));
      });
    }

    test('the account is masked except to the state officer who pays; another district 403 by district, 404 by id; reads audited', async () => {
      const mine = await ok(t.req('GET', '/api/kitchens?district=63', tok.district));
      const k = mine.items.find((i: any) => i.id === kitchen);
      assert.equal(k.bankAccountMasked, 'XXXXXXXX9012');
      assert.equal(k.bankAccount, undefined);
      const one = await ok(t.req('GET', `/api/kitchens/${kitchen}`, tok.operator));
      assert.equal(one.members.length, 2);
      assert.equal(one.bankAccount, undefined);
      assert.equal((await ok(t.req('GET', `/api/kitchens/${kitchen}`, tok.state))).bankAccount, '123456789012');
      assert.equal((await t.req('GET', '/api/kitchens?district=63', tok.otherDistrict)).status, 403);
      assert.equal((await t.req('GET', `/api/kitchens/${kitchen}`, tok.otherDistrict)).status, 404);
      assert.equal((await t.req('GET', `/api/kitchens/${kitchen}`, tok.otherOperator)).status, 404);
      const reads = await t.db.kysely.selectFrom('audit_log').select('action').where('entity', '=', 'kitchen').where('entity_id', '=', kitchen).where('action', '=', 'read').execute();
      assert.ok(reads.length >= 2);
    });

    test('rates: the state officer sets them by date; a district officer 403; the same date twice 409', async () => {
      assert.equal((await t.req('POST', '/api/kitchens/rates', tok.district, { kind: 'patient_day', amount: 150, effectiveFrom: '2026-01-01' })).status, 403);
      assert.equal((await t.req('POST', '/api/kitchens/rates', tok.operator, { kind: 'patient_day', amount: 150, effectiveFrom: '2026-01-01' })).status, 403);
      await ok(t.req('POST', '/api/kitchens/rates', tok.state, { kind: 'patient_day', amount: 150, effectiveFrom: '2026-01-01' }), 201);
      await ok(t.req('POST', '/api/kitchens/rates', tok.state, { kind: 'attendant_meal', amount: 40, effectiveFrom: '2026-01-01' }), 201);
      assert.equal((await t.req('POST', '/api/kitchens/rates', tok.state, { kind: 'patient_day', amount: 155, effectiveFrom: '2026-01-01' })).status, 409);
      const rates = await ok(t.req('GET', '/api/kitchens/rates', tok.operator));
      assert.deepEqual(rates.items.map((r: any) => `${r.kind} ${r.amount} ${r.effectiveFrom}`), ['attendant_meal 40 2026-01-01', 'patient_day 150 2026-01-01']);
    });

    test('days: the hospital\'s operator only; one row per day (409, or a correction with its reason); meals above 4 × in-patients flagged', async () => {
      assert.equal((await t.req('POST', `/api/kitchens/${kitchen}/days`, tok.district, { date: '2026-10-10', inpatients: 10, mealsServed: 40 })).status, 403);
      assert.equal((await t.req('POST', `/api/kitchens/${kitchen}/days`, tok.otherOperator, { date: '2026-10-10', inpatients: 10, mealsServed: 40 })).status, 404);
      const both = await Promise.all([day('2026-10-10', 10, 40, { attendantMeals: 5 }), day('2026-10-10', 10, 40, { attendantMeals: 5 })]);
      assert.deepEqual(both.map((r) => r.status).sort(), [201, 409], JSON.stringify(both.map((r) => r.body)));
      assert.match(JSON.stringify(both.find((r) => r.status === 409)!.body), /correctionReason/);
      await ok(day('2026-10-15', 9, 30), 201);
      const corrected = await ok(day('2026-10-15', 8, 30, { correctionReason: 'one patient was counted twice' }));
      assert.equal(corrected.inpatients, 8);
      assert.equal(corrected.correctionReason, 'one patient was counted twice');
      assert.equal((await day('2026-10-17', 8, 30, { correctionReason: 'nothing to correct' })).status, 409);
      const over = await ok(day('2026-10-16', 10, 44), 201);
      assert.deepEqual(over.flags.map((f: any) => f.code), ['meals_above_inpatients']);
      await ok(day('2026-10-20', 5, 20, { attendantMeals: 2 }), 201);
      const crowded = await ok(day('2026-09-03', 31, 124), 201);
      assert.deepEqual(crowded.flags.map((f: any) => f.code), ['inpatients_above_beds']);
      assert.equal((await day('2099-01-01', 5, 20)).status, 400);
      assert.equal((await day('2025-12-31', 5, 20)).status, 400);
      const days = await ok(t.req('GET', `/api/kitchens/${kitchen}/days?month=2026-10`, tok.district));
      assert.deepEqual(days.items.map((d: any) => d.date), ['2026-10-10', '2026-10-15', '2026-10-16', '2026-10-20']);
      const rows = await t.db.kysely.selectFrom('kitchen_days').select('day').where('kitchen_id', '=', kitchen).execute();
      assert.equal(rows.length, 5);
    });

    test('the monthly bill: the rates in force each day; a rate change mid-month applies from its date only', async () => {
      const before = await ok(t.req('GET', `/api/kitchens/${kitchen}/bills?month=2026-10`, tok.operator));
      // 10 × 150 + 5 × 40; 30 servings ÷ 4 × 150; 10 × 150 (44 servings, 40 billed); 5 × 150 + 2 × 40
      assert.equal(before.amount, 1500 + 200 + 1125 + 1500 + 750 + 80);
      assert.equal(before.status, 'draft');
      await ok(t.req('POST', '/api/kitchens/rates', tok.state, { kind: 'patient_day', amount: 160, effectiveFrom: '2026-10-16' }), 201);
      const bill = await ok(t.req('GET', `/api/kitchens/${kitchen}/bills?month=2026-10`, tok.operator));
      assert.equal(bill.amount, 1500 + 200 + 1125 + 1600 + 800 + 80);
      assert.equal(bill.days, 4);
      assert.equal(bill.patientDays, 32.5);
      assert.equal(bill.attendantMeals, 7);
      assert.deepEqual(bill.flags.map((f: any) => `${f.code} ${f.date}`), ['meals_above_inpatients 2026-10-16']);
      const sept = await ok(t.req('GET', `/api/kitchens/${kitchen}/bills?month=2026-09`, tok.operator));
      assert.equal(sept.amount, 31 * 150);
      assert.equal(sept.days, 1);
      assert.deepEqual(sept.flags.map((f: any) => f.code), ['inpatients_above_beds']);
    });

    test('submit, approve (parallel: one 200, one 409), pay; the days close; the hospital sees the status; wrong roles 403', async () => {
      assert.equal((await t.req('POST', `/api/kitchens/${kitchen}/bills/2026-10/submit`, tok.district, {})).status, 403);
      assert.equal((await t.req('POST', `/api/kitchens/${kitchen}/bills/2026-10/approve`, tok.district, {})).status, 404);
      const submitted = await ok(t.req('POST', `/api/kitchens/${kitchen}/bills/2026-10/submit`, tok.operator, {}));
      assert.equal(submitted.status, 'submitted');
      assert.equal(submitted.amount, 5305);
      assert.equal((await t.req('POST', `/api/kitchens/${kitchen}/bills/2026-10/submit`, tok.operator, {})).status, 409);
      assert.equal((await day('2026-10-21', 5, 20)).status, 409);
      assert.equal((await day('2026-10-20', 6, 20, { correctionReason: 'late fix' })).status, 409);
      assert.equal((await t.req('POST', `/api/kitchens/${kitchen}/bills/2026-10/approve`, tok.operator, {})).status, 403);
      assert.equal((await t.req('POST', `/api/kitchens/${kitchen}/bills/2026-10/approve`, tok.otherDistrict, {})).status, 404);
      assert.equal((await t.req('POST', `/api/kitchens/${kitchen}/bills/2026-10/pay`, tok.state, { reference: 'UTR000111' })).status, 409);
      const both = await Promise.all([t.req('POST', `/api/kitchens/${kitchen}/bills/2026-10/approve`, tok.district, {}), t.req('POST', `/api/kitchens/${kitchen}/bills/2026-10/approve`, tok.state, {})]);
      assert.deepEqual(both.map((r) => r.status).sort(), [200, 409], JSON.stringify(both.map((r) => r.body)));
      assert.equal((await t.req('POST', `/api/kitchens/${kitchen}/bills/2026-10/pay`, tok.district, { reference: 'UTR000111' })).status, 403);
      const paid = await ok(t.req('POST', `/api/kitchens/${kitchen}/bills/2026-10/pay`, tok.state, { reference: 'UTR000111' }));
      assert.equal(paid.status, 'paid');
      const seen = await ok(t.req('GET', `/api/kitchens/${kitchen}/bills?month=2026-10`, tok.operator));
      assert.equal(seen.status, 'paid');
      assert.equal(seen.paymentReference, 'UTR000111');
      assert.equal(seen.amount, 5305);
      // The group sees the status: its member with a mobile was told of each step by SMS (the outbox).
      const told = await t.db.kysely.selectFrom('outbox_messages').select(['recipient', 'text']).where('about_kind', '=', 'kitchen_bill').where('about_id', '=', `${kitchen}/2026-10`).execute();
      assert.deepEqual(told.map((m) => m.recipient).sort(), ['9812345678', '9812345678', '9812345678']);
      assert.ok(told.some((m) => /is paid to account XXXXXXXX9012 \(ref UTR000111\)/.test(m.text) && /भुगतान हो गया/.test(m.text)), JSON.stringify(told));
      // A month not yet ended cannot be submitted.
      assert.equal((await t.req('POST', `/api/kitchens/${kitchen}/bills/2099-01/submit`, tok.operator, {})).status, 400);
    });
  });
}
