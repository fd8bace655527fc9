import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { LogSmsSender } from '../../platform/sms.js';
import { todayIst } from '../../platform/periods.js';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { escalateOverdue, escalationSweep } from './asha.escalation.js';
import { claimMonth, entryDeadline } from './asha.service.js';

const DAY = 86_400_000;
const dayBefore = (n: number) => new Date(Date.parse(`${todayIst()}T00:00:00Z`) - n * DAY).toISOString().slice(0, 10);
let seq = 0;
const mobile = () => `9${String(Date.now() % 1e8).padStart(8, '0')}${++seq % 10}`.slice(0, 10);

test('the claim window: work of the 26th to the 25th is one month, entered by the 5th of the next', () => {
  const w = { startDay: 26, deadlineDay: 5, escalationDays: 7 };
  assert.equal(claimMonth('2026-11-25', w), '2026-11');
  assert.equal(claimMonth('2026-11-26', w), '2026-12');
  assert.equal(claimMonth('2026-12-30', w), '2027-01');
  assert.equal(entryDeadline('2026-12', w), '2027-01-05');
});

for (const engine of testEngines()) {
  describe(`ASHA incentives: register, catalogue, claims, verification, batches [${engine}]`, () => {
    let t: TestApp;
    let block: string;
    let otherBlock: string;
    let village: string;
    let farVillage: string;
    let subCentre: string;
    let phc: string;
    const tok: Record<string, string> = {};
    const asha: Record<string, { id: string; username: string; token: string; mobile: string }> = {};
    let stateOfficer: string;

    const ok = async (p: Promise<{ status: number; body: any }>, status = 200) => {
      const r = await p;
      assert.equal(r.status, status, JSON.stringify(r.body));
      return r.body;
    };
    const unit = async (parent: string, level: string, name: string) => (await ok(t.req('POST', '/api/geo/units', t.adminToken, { parent, level, name }), 201)).id as string;
    const newAsha = async (key: string, over: Record<string, unknown> = {}) => {
      const m = mobile();
      const made = await ok(t.req('POST', '/api/asha/workers', tok.bo, { name: `Asha ${key}`, nameHi: `आशा ${key}`, mobile: m, villageIds: [village], subCentreId: subCentre, bankAccount: '12345678901', ifsc: 'SBIN0001234', activeFrom: dayBefore(400), ...over }), 201);
      await ok(t.req('POST', `/api/users/${made.username}/password`, t.adminToken, { password: 'Asha-Pass-2026!' }));
      asha[key] = { ...made, token: await t.login(made.username, 'Asha-Pass-2026!'), mobile: m };
      return asha[key];
    };
    const claim = (key: string, body: Record<string, unknown>) => t.req('POST', '/api/asha/claims', asha[key].token, { clientId: randomUUID(), doneOn: dayBefore(1), ...body });
    const patient = async (name: string, sex: string, home: string) =>
      (await ok(t.req('POST', '/api/patients', tok.cho, { name, sex, age: 26, address: { district: 63, village: home } }), 201)).id as string;

    before(async () => {
      t = await startTestApp(engine);
      block = await unit('district:63', 'block', 'Adampur ASHA');
      otherBlock = await unit('district:63', 'block', 'Barwala ASHA');
      village = await unit(block, 'village', 'Mothsara');
      farVillage = await unit(otherBlock, 'village', 'Khedar');
      subCentre = (await ok(t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'SC Mothsara', type: 'SC', orgUnit: block, phone: '9812000001' })), 201)).id;
      phc = (await ok(t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Adampur A', type: 'PHC', orgUnit: block })), 201)).id;
      const otherSc = (await ok(t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'SC Khedar', type: 'SC', orgUnit: otherBlock })), 201)).id;
      tok.bo = (await t.userWith('block_officer', block)).token;
      tok.otherBo = (await t.userWith('block_officer', otherBlock)).token;
      tok.cho = (await t.userWith('cho', subCentre)).token;
      tok.otherCho = (await t.userWith('cho', otherSc)).token;
      tok.doctor = (await t.userWith('doctor', phc)).token;
      tok.accountant = (await t.userWith('block_accountant', block)).token;
      tok.otherAccountant = (await t.userWith('block_accountant', otherBlock)).token;
      tok.mandi = (await t.userWith('district_officer', 22)).token;
      tok.hisar = (await t.userWith('district_officer', 63)).token;
      stateOfficer = (await t.userWith('state_officer', 'state:6')).token;
      await newAsha('sita');
      await newAsha('gita');
    });
    after(async () => { await t.close(); });

    test('register: the block officer registers an ASHA with her account; a bad IFSC, another district and the wrong role are refused; accounts are masked except for the accountant', async () => {
      const bad = await t.req('POST', '/api/asha/workers', tok.bo, { name: 'Bad', mobile: mobile(), subCentreId: subCentre, bankAccount: '12345678901', ifsc: 'SBIN123' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.details.field, 'ifsc');
      assert.equal((await t.req('POST', '/api/asha/workers', tok.mandi, { name: 'X', mobile: mobile(), subCentreId: subCentre, bankAccount: '12345678901', ifsc: 'SBIN0001234' })).status, 403);
      assert.equal((await t.req('POST', '/api/asha/workers', asha.sita.token, '{not json')).status, 403);
      const dup = await t.req('POST', '/api/asha/workers', tok.bo, { name: 'Again', mobile: asha.sita.mobile, subCentreId: subCentre, bankAccount: '12345678901', ifsc: 'SBIN0001234' });
      assert.equal(dup.status, 409);
      const list = await ok(t.req('GET', `/api/asha/workers?block=${block}`, tok.bo));
      const sita = list.items.find((i: any) => i.id === asha.sita.id);
      assert.equal(sita.bankAccountMasked, 'XXXXXXX8901');
      assert.equal(sita.bankAccount, undefined);
      assert.deepEqual(sita.villages.map((v: any) => v.name), ['Mothsara']);
      assert.equal(sita.subCentre.name, 'SC Mothsara');
      const acc = await ok(t.req('GET', '/api/asha/workers', tok.accountant));
      assert.equal(acc.items.find((i: any) => i.id === asha.sita.id).bankAccount, '12345678901');
      assert.equal((await ok(t.req('GET', '/api/asha/workers', tok.otherBo))).items.length, 0);
      assert.equal((await t.req('GET', `/api/asha/workers?block=${block}`, tok.otherAccountant)).status, 403);
    });

    if (engine === 'postgresql') {
      test('parallel registrations with one mobile: one 201, the others 409 (the partial unique index), never a 500', async () => {
        const m = mobile();
        const body = (i: number) => ({ name: `Twin ${i}`, mobile: m, villageIds: [village], subCentreId: subCentre, bankAccount: '12345678901', ifsc: 'SBIN0001234' });
        const all = await Promise.all([0, 1, 2, 3].map((i) => t.req('POST', '/api/asha/workers', tok.bo, body(i))));
        assert.deepEqual(all.map((r) => r.status).sort(), [201, 409, 409, 409], JSON.stringify(all.map((r) => r.body)));
      });
    }

    test('import from CSV, row by row: a bank not on the list and a bad mobile are refused with their rows', async () => {
      const csv = ['name,name_hi,mobile,sub_centre_id,village_ids,bank_account,ifsc',
        `Kamla,कमला,${mobile()},${subCentre},${village},22334455667,PUNB0123400`,
        `"Devi, Rani",,${mobile()},${subCentre},,99887766554,HGBX0000123`,
        `Wrongbank,,${mobile()},${subCentre},,99887766554,ABCD0000123`,
        `Badmobile,,12345,${subCentre},,99887766554,SBIN0000123`].join('\n');
      const r = await ok(t.req('POST', '/api/asha/workers/import', tok.bo, csv, { 'content-type': 'text/csv' }));
      assert.equal(r.created, 2);
      assert.deepEqual(r.refused.map((x: any) => x.row), [4, 5]);
      assert.match(r.refused[0].reason, /ABCD/);
      const own = await ok(t.req('POST', '/api/asha/workers/import?banks=ABCD', tok.bo, csv.split('\n').slice(0, 1).concat(csv.split('\n')[3].replace(/^Wrongbank,,\d+/, `Wrongbank,,${mobile()}`)).join('\n'), { 'content-type': 'text/csv' }));
      assert.equal(own.created, 1, JSON.stringify(own));
    });

    test('catalogue: real amounts in force; a rate change applies to work done from its day, never to earlier work', async () => {
      const cat = await ok(t.req('GET', '/api/asha/activities', asha.sita.token));
      const by = Object.fromEntries(cat.items.map((i: any) => [i.code, i]));
      assert.equal(by['1.2.1.1.a'].amount, 300);
      assert.equal(by['1.2.1.2.b'].amount, 200);
      assert.equal(by['1.2.1.1.b'].variant, 'rural');
      assert.deepEqual(by['1.2.1.1.b'].evidence, ['photo']);
      assert.equal(by['3.1.1.3'].amount, 3500);
      assert.equal(by['3.1.1.6.2'].amount, 5000);
      assert.equal(by['3.1.1.3.1'].componentOf, '3.1.1.3');
      assert.equal((await ok(t.req('GET', '/api/asha/activities?on=2020-01-01', tok.bo))).items.find((i: any) => i.code === '3.1.1.3').amount, 2000);
      const change = dayBefore(5);
      assert.equal((await t.req('POST', '/api/asha/activities/3.1.1.1.3/rates', tok.bo, { amount: 60, effectiveFrom: change })).status, 403);
      const r = await ok(t.req('POST', '/api/asha/activities/3.1.1.1.3/rates', stateOfficer, { amount: 60, effectiveFrom: change }), 201);
      assert.equal(r.amount, 60);
      assert.equal((await t.req('POST', '/api/asha/activities/3.1.1.1.3/rates', stateOfficer, { amount: 70, effectiveFrom: change })).status, 409);
      const child = await patient('Baby Mothsara', 'female', village);
      const before = await ok(claim('sita', { activityCode: '3.1.1.1.3', beneficiaryPatientId: child, doneOn: dayBefore(8) }), 201);
      const afterChange = await ok(claim('sita', { activityCode: '3.1.1.1.3', beneficiaryPatientId: child, doneOn: dayBefore(2) }), 201);
      assert.deepEqual([before.amount, afterChange.amount], [50, 60]);
      assert.equal((await ok(t.req('GET', `/api/asha/activities?on=${dayBefore(8)}`, tok.bo))).items.find((i: any) => i.code === '3.1.1.1.3').amount, 50);
    });

    test('rates are a state\'s own: one state\'s officer changes the rate of that state only; another state keeps the national rate', async () => {
      const other = (await t.userWith('state_officer', 'state:2')).token;
      const otherBo = tok.mandi; // a district of state 2
      const change = dayBefore(3);
      const nat = (tok2: string) => t.req('GET', `/api/asha/activities?on=${todayIst()}`, tok2).then((r) => r.body.items.find((i: any) => i.code === '3.1.1.1.1'));
      assert.deepEqual([(await nat(tok.bo)).amount, (await nat(otherBo)).amount], [100, 100]);
      await ok(t.req('POST', '/api/asha/activities/3.1.1.1.1/rates', other, { amount: 150, effectiveFrom: change }), 201);
      const here = await nat(tok.bo);
      const there = await nat(otherBo);
      assert.deepEqual([here.amount, here.rateOf, there.amount, there.rateOf], [100, 'national', 150, 'state']);
      // The same day in two states is two versions; the same state and day again is 409.
      await ok(t.req('POST', '/api/asha/activities/3.1.1.1.1/rates', stateOfficer, { amount: 120, effectiveFrom: change }), 201);
      assert.equal((await t.req('POST', '/api/asha/activities/3.1.1.1.1/rates', other, { amount: 160, effectiveFrom: change })).status, 409);
      assert.deepEqual([(await nat(tok.bo)).amount, (await nat(otherBo)).amount], [120, 150]);
      // A claim of this state is paid at this state's rate; work before the change at the national one.
      const mother = await patient('Rates Mothsara', 'female', village);
      const now = await ok(claim('sita', { activityCode: '3.1.1.1.1', beneficiaryPatientId: mother, doneOn: dayBefore(1) }), 201);
      const mother2 = await patient('Rates2 Mothsara', 'female', village);
      const earlier = await ok(claim('sita', { activityCode: '3.1.1.1.1', beneficiaryPatientId: mother2, doneOn: dayBefore(10) }), 201);
      assert.deepEqual([now.amount, earlier.amount], [120, 100]);
    });

    test('sync once: the same clientId twice, and twice at once, is one claim', async () => {
      const clientId = randomUUID();
      const body = { clientId, activityCode: '3.1.1.3', doneOn: dayBefore(1) };
      const first = await ok(t.req('POST', '/api/asha/claims', asha.gita.token, body), 201);
      const again = await ok(t.req('POST', '/api/asha/claims', asha.gita.token, body), 200);
      assert.equal(again.id, first.id);
      const c2 = randomUUID();
      const both = await Promise.all([1, 2].map(() => t.req('POST', '/api/asha/claims', asha.gita.token, { ...body, clientId: c2 })));
      assert.deepEqual(both.map((r) => r.status).sort(), [200, 201], JSON.stringify(both.map((r) => r.body)));
      assert.equal(both[0].body.id, both[1].body.id);
      const rows = await t.db.kysely.selectFrom('asha_claims').select('id').where('client_id', 'in', [clientId, c2]).execute();
      assert.equal(rows.length, 2);
      // Someone else's clientId is not hers to reuse.
      assert.equal((await t.req('POST', '/api/asha/claims', asha.sita.token, body)).status, 409);
      // A second routine claim in the same month is over the monthly limit: flagged.
      const extra = await ok(claim('gita', { activityCode: '3.1.1.3' }), 201);
      assert.ok(extra.flags.some((f: any) => f.code === 'month_limit'));
      assert.equal((await claim('gita', { activityCode: '3.1.1.3', doneOn: '2099-01-01' })).status, 400);
      assert.equal((await claim('gita', { activityCode: 'NOPE' })).status, 400);
      assert.equal((await t.req('POST', '/api/asha/claims', tok.cho, body)).status, 403);
    });

    test('checks against the records: a delivery claimed twice or by two ASHAs, no pregnancy on record, outside her area, a TB patient never seen', async () => {
      const mother = await patient('Sunita Mothsara', 'female', village);
      const preg = await ok(t.req('POST', '/api/pregnancies', tok.cho, { patientId: mother, lmp: dayBefore(200) }), 201);
      const first = await ok(claim('sita', { activityCode: '1.2.1.1.a', beneficiaryPatientId: mother, pregnancyNumber: preg.registrationNumber }), 201);
      assert.deepEqual(first.flags, [], JSON.stringify(first.flags));
      const twice = await ok(claim('sita', { activityCode: '1.2.1.1.a', beneficiaryPatientId: mother }), 201);
      assert.deepEqual(twice.flags.map((f: any) => f.code), ['duplicate']);
      const other = await ok(claim('gita', { activityCode: '1.2.1.1.a', beneficiaryPatientId: mother }), 201);
      assert.ok(other.flags.some((f: any) => f.code === 'claimed_by_other'), JSON.stringify(other.flags));
      const noPreg = await patient('Meena Mothsara', 'female', village);
      const np = await ok(claim('sita', { activityCode: '1.2.1.1.b', beneficiaryPatientId: noPreg }), 201);
      assert.deepEqual(np.flags.map((f: any) => f.code).sort(), ['no_photo', 'no_pregnancy']);
      const far = await patient('Rekha Khedar', 'female', farVillage);
      const out = await ok(claim('sita', { activityCode: '3.1.1.1.2', beneficiaryPatientId: far }), 201);
      assert.deepEqual(out.flags.map((f: any) => f.code), ['outside_area']);
      // A write never grants a read: a claim for a woman outside her area does not tell the ASHA her name
      // or whether she has a pregnancy on record (the verifier checks).
      const farDelivery = await ok(claim('sita', { activityCode: '1.2.1.1.a', beneficiaryPatientId: far }), 201);
      assert.deepEqual(farDelivery.flags.map((f: any) => f.code), ['outside_area']);
      assert.ok(!JSON.stringify([out, farDelivery, np, twice]).includes('Khedar') && !JSON.stringify([np, twice]).includes('Mothsara'), 'no name in the answer');
      // TB treatment support: flagged until an OPD visit of the patient is on record.
      const tb = await patient('Ramesh Mothsara', 'male', village);
      const unseen = await ok(claim('sita', { activityCode: '3.1.1.6.1', beneficiaryPatientId: tb }), 201);
      assert.deepEqual(unseen.flags.map((f: any) => f.code), ['no_visit']);
      await ok(t.req('POST', '/api/opd/visits', tok.cho, { patientId: tb, complaint: 'cough for three weeks' }), 201);
      const seen = await ok(claim('gita', { activityCode: '3.1.1.6.1', beneficiaryPatientId: tb, doneOn: todayIst() }), 201);
      assert.ok(!seen.flags.some((f: any) => f.code === 'no_visit'), JSON.stringify(seen.flags));
      // A late entry is kept and flagged, not lost.
      const late = await ok(claim('sita', { activityCode: '3.1.1.7.1', doneOn: dayBefore(70) }), 201);
      assert.ok(late.flags.some((f: any) => f.code === 'late'));
      // A photo goes through the documents' checks.
      assert.equal((await claim('sita', { activityCode: '3.1.1.7.1', photo: 'data:image/png;base64,aGVsbG8=' })).status, 400);
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]).toString('base64');
      await ok(claim('sita', { activityCode: '3.1.1.7.1', photo: `data:image/png;base64,${png}` }), 201);
    });

    test('no existence oracle: a beneficiary id that names no one answers exactly as a person outside her area (201, flagged outside_area, same words)', async () => {
      const far = await patient('Kiran Khedar', 'female', farVillage);
      const ghost = 'Zz9NoSuchPatient';
      const answers = [];
      for (const id of [far, ghost]) {
        const r = await claim('sita', { activityCode: '1.2.1.1.a', beneficiaryPatientId: id });
        answers.push({ status: r.status, flags: r.body.flags, keys: Object.keys(r.body).sort() });
      }
      assert.deepEqual(answers[1], answers[0]);
      assert.equal(answers[0].status, 201);
      assert.deepEqual(answers[0].flags.map((f: any) => f.code), ['outside_area']);
      // Another ASHA's earlier claim for a person outside her area tells her nothing either.
      await ok(claim('gita', { activityCode: '3.1.1.1.2', beneficiaryPatientId: far }), 201);
      const after = await ok(claim('sita', { activityCode: '3.1.1.1.2', beneficiaryPatientId: far }), 201);
      const ghostAfter = await ok(claim('sita', { activityCode: '3.1.1.1.2', beneficiaryPatientId: `${ghost}2` }), 201);
      assert.deepEqual(after.flags, ghostAfter.flags);
      // The verifier sees the id as she gave it.
      const list = await ok(t.req('GET', '/api/asha/claims?status=submitted&limit=500', tok.cho));
      assert.ok(list.items.some((i: any) => i.beneficiaryPatientId === ghost));
    });

    test('verification: recommend, approve (a flagged claim only with a note), reject with a reason, resubmit; the wrong block or role gets 403; the ASHA sees where each claim is', async () => {
      const c = await ok(claim('sita', { activityCode: '3.1.1.7.1' }), 201);
      assert.equal((await t.req('POST', `/api/asha/claims/${c.id}/approve`, tok.doctor, {})).status, 409);
      assert.equal((await t.req('POST', `/api/asha/claims/${c.id}/recommend`, tok.otherCho, {})).status, 403);
      assert.equal((await t.req('POST', `/api/asha/claims/${c.id}/recommend`, asha.sita.token, {})).status, 403);
      const rec = await ok(t.req('POST', `/api/asha/claims/${c.id}/recommend`, tok.cho, {}));
      assert.equal(rec.status, 'recommended');
      assert.equal(rec.holder, 'mo');
      assert.equal((await t.req('POST', `/api/asha/claims/${c.id}/approve`, tok.otherBo, {})).status, 403);
      const ap = await ok(t.req('POST', `/api/asha/claims/${c.id}/approve`, tok.doctor));
      assert.equal(ap.status, 'approved');

      const mother = await patient('Flagged Mothsara', 'female', village);
      const f = await ok(claim('sita', { activityCode: '1.2.1.1.a', beneficiaryPatientId: mother }), 201);
      await ok(t.req('POST', `/api/asha/claims/${f.id}/recommend`, tok.cho, { note: 'seen at the VHND' }));
      const noNote = await t.req('POST', `/api/asha/claims/${f.id}/approve`, tok.bo, {});
      assert.equal(noNote.status, 400);
      assert.equal(noNote.body.error.details.field, 'note');
      await ok(t.req('POST', `/api/asha/claims/${f.id}/approve`, tok.bo, { note: 'registered at the DH in Hisar; card seen' }));

      const r = await ok(claim('sita', { activityCode: '3.1.1.7.1' }), 201);
      assert.equal((await t.req('POST', `/api/asha/claims/${r.id}/reject`, tok.cho, { reason: '' })).status, 400);
      await ok(t.req('POST', `/api/asha/claims/${r.id}/reject`, tok.cho, { reason: 'No CBAC form in the register' }));
      const mine = await ok(t.req('GET', '/api/asha/claims/mine', asha.sita.token));
      const seen = mine.items.find((i: any) => i.id === r.id);
      assert.equal(seen.status, 'rejected');
      assert.equal(seen.rejectReason, 'No CBAC form in the register');
      assert.equal(mine.items.find((i: any) => i.id === c.id).holder, 'accountant');
      assert.ok(mine.months.length >= 1);
      assert.ok(mine.items.find((i: any) => i.id === c.id).expectedPayOn);
      assert.equal((await t.req('POST', `/api/asha/claims/${r.id}/resubmit`, asha.gita.token, {})).status, 404);
      const again = await ok(t.req('POST', `/api/asha/claims/${r.id}/resubmit`, asha.sita.token, { note: 'form added' }));
      assert.equal(again.status, 'submitted');

      const list = await ok(t.req('GET', '/api/asha/claims?status=submitted', tok.cho));
      assert.ok(list.items.some((i: any) => i.id === r.id));
      assert.equal((await ok(t.req('GET', '/api/asha/claims', tok.otherCho))).items.length, 0);
      assert.equal((await t.req('GET', '/api/asha/claims?status=nonsense', tok.cho)).status, 400);
      const audit = await t.db.kysely.selectFrom('audit_log').select('purpose').where('entity', '=', 'asha_claim').where('entity_id', '=', c.id).execute();
      assert.deepEqual(audit.map((a) => a.purpose), [null, 'recommend', 'approve']);
    });

    test('parallel approvals of one claim: one 200, the other 409', async () => {
      const c = await ok(claim('sita', { activityCode: '3.1.1.7.1' }), 201);
      await ok(t.req('POST', `/api/asha/claims/${c.id}/recommend`, tok.cho, {}));
      const both = await Promise.all([t.req('POST', `/api/asha/claims/${c.id}/approve`, tok.doctor, {}), t.req('POST', `/api/asha/claims/${c.id}/approve`, tok.bo, {})]);
      assert.deepEqual(both.map((r) => r.status).sort(), [200, 409], JSON.stringify(both.map((r) => r.body)));
    });

    test('escalation: a claim the ANM leaves past the deadline goes to the MO once, who may then approve it', async () => {
      const c = await ok(claim('gita', { activityCode: '3.1.1.7.1' }), 201);
      const later = new Date(Date.now() + 8 * DAY);
      const done = await escalateOverdue(t.db.kysely, later);
      assert.ok(done.some((e) => e.claimId === c.id && e.level === 1));
      assert.ok(!(await escalateOverdue(t.db.kysely, later)).some((e) => e.claimId === c.id));
      const notice = await t.db.kysely.selectFrom('asha_notices').select(['level', 'org_path']).where('claim_id', '=', c.id).execute();
      assert.equal(notice.length, 1);
      assert.equal(notice[0].level, 'mo');
      const ap = await ok(t.req('POST', `/api/asha/claims/${c.id}/approve`, tok.doctor, {}));
      assert.equal(ap.status, 'approved');
      // The periodic run tells the sub-centre through the outbox (its mobile in the registry).
      const c2 = await ok(claim('gita', { activityCode: '3.1.1.7.1' }), 201);
      const swept = await escalationSweep(t.db.kysely, (t.app as any).outbox, new Date(Date.now() + 9 * DAY));
      assert.ok(swept.some((e) => e.claimId === c2.id));
      const told = await t.db.kysely.selectFrom('outbox_messages').select(['recipient', 'text']).where('recipient', '=', '9812000001').execute();
      assert.equal(told.length, 1, JSON.stringify(told));
      assert.match(told[0].text, /escalated/);
    });

    test('escalation notices: the MO in charge sees those of the block once the deadline has passed, the district officer those of the district; another block or district sees nothing; an ASHA gets 403', async () => {
      const all = async (token: string, extra = '') => {
        const seen: any[] = [];
        let cursor: string | null = null;
        for (let i = 0; i < 200; i++) {
          const page: any = await ok(t.req('GET', `/api/asha/notices?limit=7${extra}${cursor ? `&cursor=${cursor}` : ''}`, token));
          seen.push(...page.items);
          cursor = page.nextCursor;
          if (!cursor) break;
        }
        return seen;
      };
      const c = await ok(claim('gita', { activityCode: '3.1.1.7.1' }), 201);
      const r = await ok(claim('sita', { activityCode: '3.1.1.7.1' }), 201);
      await ok(t.req('POST', `/api/asha/claims/${r.id}/recommend`, tok.cho, {}));
      // Before the deadline nobody is told.
      await escalateOverdue(t.db.kysely, new Date(Date.now() + 6 * DAY));
      assert.ok(!(await all(tok.bo)).some((n) => n.claim.id === c.id));
      await escalateOverdue(t.db.kysely, new Date(Date.now() + 8 * DAY));
      const forMo = (await all(tok.bo)).find((n) => n.claim.id === c.id);
      assert.ok(forMo, 'the block officer is told');
      assert.equal(forMo.level, 'mo');
      assert.equal(forMo.seen, false);
      assert.deepEqual([forMo.claim.status, forMo.claim.activityCode, forMo.claim.amount, forMo.claim.ashaName], ['submitted', '3.1.1.7.1', 10, 'Asha gita']);
      assert.ok(forMo.claim.daysWaiting >= 7, JSON.stringify(forMo));
      assert.ok((await all(tok.doctor)).some((n) => n.claim.id === c.id), 'a doctor of the block is told');
      // The recommended claim went past the MO: the district is told, not the block.
      const forDistrict = (await all(tok.hisar)).find((n) => n.claim.id === r.id);
      assert.equal(forDistrict?.level, 'district');
      assert.ok(!(await all(tok.hisar)).some((n) => n.claim.id === c.id), 'the district is not told of a claim that only went to the MO');
      assert.ok(!(await all(tok.bo)).some((n) => n.claim.id === r.id));
      // Another block, another district: nothing of this block.
      for (const other of [tok.otherBo, tok.mandi]) {
        const theirs = await all(other);
        assert.ok(!theirs.some((n) => n.claim.id === c.id || n.claim.id === r.id), JSON.stringify(theirs));
      }
      for (const refused of [asha.gita.token, tok.cho, tok.accountant]) assert.equal((await t.req('GET', '/api/asha/notices', refused)).status, 403);
      // Marked seen by one officer, for that officer; outside the area it is as if it did not exist.
      assert.equal((await t.req('POST', `/api/asha/notices/${forMo.id}/seen`, tok.otherBo)).status, 404);
      assert.equal((await t.req('POST', `/api/asha/notices/${forMo.id}/seen`, asha.gita.token)).status, 403);
      const twice = await Promise.all([1, 2].map(() => t.req('POST', `/api/asha/notices/${forMo.id}/seen`, tok.bo)));
      assert.deepEqual(twice.map((x) => x.status), [200, 200], JSON.stringify(twice.map((x) => x.body)));
      assert.ok(!(await all(tok.bo, '&unseen=true')).some((n) => n.claim.id === c.id));
      assert.equal((await all(tok.bo)).find((n) => n.claim.id === c.id).seen, true);
      assert.ok((await all(tok.doctor, '&unseen=true')).some((n) => n.claim.id === c.id), 'still unseen for the doctor');
      // Decided, it no longer waits.
      await ok(t.req('POST', `/api/asha/claims/${c.id}/approve`, tok.doctor, {}));
      assert.equal((await all(tok.bo)).find((n) => n.claim.id === c.id).claim.daysWaiting, null);
    });

    test('batches: a bad IFSC is held back without sinking the batch; one open batch per block and month; the file, the bank\'s return, the SMS, failed claims in the next batch', async () => {
      const k = t.db.kysely;
      const bad = await newAsha('badbank');
      await k.updateTable('asha_workers').set({ ifsc: 'ZZZZ0000001' }).where('id', '=', bad.id).execute();
      const approveOne = async (key: string, code = '3.1.1.7.1') => {
        const c = await ok(claim(key, { activityCode: code }), 201);
        await ok(t.req('POST', `/api/asha/claims/${c.id}/recommend`, tok.cho, {}));
        await ok(t.req('POST', `/api/asha/claims/${c.id}/approve`, tok.doctor, { note: 'checked' }));
        return c.id as string;
      };
      await approveOne('badbank');
      const gitaClaim = await approveOne('gita');
      const month = claimMonth(dayBefore(1), { startDay: 26, deadlineDay: 5, escalationDays: 7 });
      assert.equal((await t.req('POST', '/api/asha/batches', tok.otherAccountant, { block, month })).status, 403);
      assert.equal((await t.req('POST', '/api/asha/batches', tok.bo, { block, month })).status, 403);
      const b = await ok(t.req('POST', '/api/asha/batches', tok.accountant, { block, month }), 201);
      assert.ok(b.rows >= 2, JSON.stringify(b));
      assert.deepEqual(b.heldBack.map((h: any) => h.ashaId), [bad.id]);
      assert.match(b.heldBack[0].reason, /ZZZZ/);
      assert.equal((await t.req('POST', '/api/asha/batches', tok.accountant, { block, month })).status, 409);
      const full = await ok(t.req('GET', `/api/asha/batches/${b.id}`, tok.accountant));
      assert.equal(full.items.reduce((s: number, r: any) => s + r.amount, 0), b.total);
      const file = await t.app.inject({ method: 'GET', url: `/api/asha/batches/${b.id}/file`, headers: { authorization: `Bearer ${tok.accountant}` } });
      assert.equal(file.statusCode, 200);
      assert.match(String(file.headers['content-type']), /text\/csv/);
      const lines = file.body.trim().split('\r\n');
      assert.equal(lines[0], 'SlNo,PaymentReference,BeneficiaryCode,BeneficiaryName,AccountNumber,IFSC,Amount,SchemeComponent,Purpose,BatchId,BlockName');
      assert.equal(lines.length, b.rows + 1);
      assert.ok(lines.some((l) => l.includes('12345678901')));
      const gitaRef = full.items.find((r: any) => r.ashaId === asha.gita.id && r.fundSource === 'NHM').reference;
      const sitaRef = full.items.find((r: any) => r.ashaId === asha.sita.id).reference;
      const ret = `reference,status,reason,utr\n${gitaRef},PAID,,UTR0001\n${sitaRef},FAILED,Account closed,\nNOSUCHREF,PAID,,X\n`;
      const res = await ok(t.req('POST', `/api/asha/batches/${b.id}/returns`, tok.accountant, ret, { 'content-type': 'text/csv' }));
      assert.deepEqual([res.paid, res.failed, res.unknown], [1, 1, ['NOSUCHREF']]);
      const mine = await ok(t.req('GET', '/api/asha/claims/mine', asha.gita.token));
      const paid = mine.items.find((i: any) => i.id === gitaClaim);
      assert.equal(paid.status, 'paid');
      assert.equal(paid.paidOn, todayIst());
      assert.ok(mine.months.find((m: any) => m.month === month).paid > 0);
      let sms;
      for (let i = 0; i < 50 && !sms; i++) { sms = (t.app.sms as LogSmsSender).lastTo(asha.gita.mobile); if (!sms) await new Promise((r) => setTimeout(r, 100)); }
      assert.match(sms!.text, /has been paid/);
      // The failed row's claims go into the next batch (the next month's), with nothing held twice.
      const sitaFailed = await k.selectFrom('asha_claims').select(['status', 'fail_reason']).where('asha_id', '=', asha.sita.id).where('status', '=', 'failed').execute();
      assert.ok(sitaFailed.length > 0 && sitaFailed[0].fail_reason === 'Account closed');
      const nextMonth = claimMonth(`${month}-27`, { startDay: 26, deadlineDay: 5, escalationDays: 7 });
      const b2 = await ok(t.req('POST', '/api/asha/batches', tok.accountant, { block, month: nextMonth }), 201);
      const full2 = await ok(t.req('GET', `/api/asha/batches/${b2.id}`, tok.accountant));
      assert.ok(full2.items.some((r: any) => r.ashaId === asha.sita.id));
      const timely = await ok(t.req('GET', `/api/asha/timeliness?district=63&from=${month}&to=${nextMonth}`, tok.accountant));
      const row = timely.blocks.find((x: any) => x.block.id === block);
      assert.ok(row.paid >= 1 && row.medianDaysToPay != null, JSON.stringify(row));
      assert.equal((await t.req('GET', `/api/asha/batches/${b.id}`, tok.otherAccountant)).status, 403);
    });

    if (engine === 'postgresql') {
      test('parallel batches of one block and month: one 201, the other 409; no claim in two open batches', async () => {
        const c = await ok(claim('gita', { activityCode: '3.1.1.7.1' }), 201);
        await ok(t.req('POST', `/api/asha/claims/${c.id}/recommend`, tok.cho, {}));
        await ok(t.req('POST', `/api/asha/claims/${c.id}/approve`, tok.doctor, {}));
        const month = '2030-01';
        const both = await Promise.all([1, 2].map(() => t.req('POST', '/api/asha/batches', tok.accountant, { block, month })));
        assert.deepEqual(both.map((r) => r.status).sort(), [201, 409], JSON.stringify(both.map((r) => r.body)));
        const pending = await t.db.kysely.selectFrom('asha_batch_claims').select('batch_id').where('claim_id', '=', c.id).where('pending', '=', true).execute();
        assert.equal(pending.length, 1);
      });
    }
  });
}
