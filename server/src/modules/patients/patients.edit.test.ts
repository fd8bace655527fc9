import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { verhoeffCheckDigit } from './patients.identity.js';

/** A synthetic Aadhaar-format number (Verhoeff-valid), never a real person's. */
const aadhaarOf = (base11: string) => `${base11}${verhoeffCheckDigit(base11)}`;

for (const engine of testEngines()) {
  describe(`patient edit and merge history [${engine}]`, () => {
    let t: TestApp;
    let clerk: string;
    let mandiClerk: string;
    let scanOperator: string;
    let hisarOfficer: string;
    let facility: string;
    const register = async (body: Record<string, unknown>) => {
      const r = await t.req('POST', '/api/patients', clerk, { sex: 'female', age: 30, address: { district: 63 }, ...body });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body as { id: string; stateNumber: string };
    };
    const read = async (id: string) => {
      const r = await t.req('GET', `/api/patients/${id}`, clerk);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body;
    };

    before(async () => {
      t = await startTestApp(engine);
      facility = (await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Edit' }))).body.id;
      const mandi = (await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Mandi Edit', orgUnit: 22, latitude: 31.6, longitude: 76.9 }))).body.id;
      const scan = (await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'Scan Edit', type: 'DIAGNOSTIC', ownership: 'private' }))).body.id;
      clerk = (await t.userWith('facility_operator', facility)).token;
      mandiClerk = (await t.userWith('facility_operator', mandi)).token;
      scanOperator = (await t.userWith('ultrasound_operator', scan)).token;
      hisarOfficer = (await t.userWith('district_officer', 63)).token;
    });
    after(async () => { await t.close(); });

    test('a clerk edits names in both scripts, mobile, birth date, Aadhaar (last four only) and village; audited with what changed', async () => {
      const p = await register({ name: 'Sita Devi', mobile: '9812345670' });
      const before = await read(p.id);
      assert.match(before.version, /^\d+$/);
      const r = await t.req('PATCH', `/api/patients/${p.id}`, clerk, {
        version: before.version, name: 'Seeta Devi', nameHi: 'सीता देवी', mobile: '98123 45671', birthDate: '1990-05-06',
        aadhaar: aadhaarOf('23412341234'), address: { district: 63, line: 'Ward 4, near the temple' },
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.notEqual(r.body.version, before.version);
      assert.deepEqual(r.body.changed.sort(), ['aadhaarLast4', 'address', 'birthDate', 'birthDateEstimated', 'mobile', 'name', 'nameHi', 'nameLatin'].sort());
      const now = await read(p.id);
      assert.equal(now.name, 'Seeta Devi');
      assert.equal(now.nameHi, 'सीता देवी');
      assert.equal(now.mobile, '9812345671');
      assert.equal(now.birthDate, '1990-05-06');
      assert.equal(now.birthDateEstimated, false);
      assert.equal(now.aadhaarLast4, aadhaarOf('23412341234').slice(-4));
      assert.equal(now.address.line, 'Ward 4, near the temple');
      assert.equal(now.version, r.body.version);
      const audit = await t.db.kysely.selectFrom('audit_log').selectAll().where('entity_id', '=', p.id).where('purpose', '=', 'edit').execute();
      assert.equal(audit.length, 1);
      assert.ok(audit[0].actor_username?.startsWith('facility_operator_'));
      const text = JSON.stringify(audit[0]);
      assert.ok(!text.includes(aadhaarOf('23412341234')), 'no whole Aadhaar number in the audit log');
      const b = typeof audit[0].before === 'string' ? JSON.parse(audit[0].before) : audit[0].before;
      const a = typeof audit[0].after === 'string' ? JSON.parse(audit[0].after) : audit[0].after;
      assert.equal(b.name, 'Sita Devi');
      assert.equal(a.name, 'Seeta Devi');
      assert.equal(b.mobile, '9812345670');
      assert.equal(a.mobile, '9812345671');
      assert.ok(!('sex' in a), 'only what changed');
      // Cleared fields and a Devanagari name.
      const again = await t.req('PATCH', `/api/patients/${p.id}`, clerk, { version: now.version, name: 'गीता देवी', mobile: '', aadhaar: '' });
      assert.equal(again.status, 200, JSON.stringify(again.body));
      const cleared = await read(p.id);
      assert.equal(cleared.name, 'गीता देवी');
      assert.equal(cleared.nameHi, 'गीता देवी');
      assert.equal(cleared.mobile, null);
      assert.equal(cleared.aadhaarLast4, null);
      const line = await t.req('PATCH', `/api/patients/${p.id}`, clerk, { version: cleared.version, addressLine: 'House 12, Gali 3' });
      assert.equal(line.status, 200, JSON.stringify(line.body));
      assert.deepEqual(line.body.changed, ['address']);
      assert.equal((await read(p.id)).address.line, 'House 12, Gali 3');
    });

    test('an edit on a stale version is 409, and changes nothing', async () => {
      const p = await register({ name: 'Kamla Rani' });
      const v = (await read(p.id)).version;
      assert.equal((await t.req('PATCH', `/api/patients/${p.id}`, clerk, { version: v, sex: 'female', name: 'Kamla Rani Devi' })).status, 200);
      const stale = await t.req('PATCH', `/api/patients/${p.id}`, clerk, { version: v, name: 'Kamla' });
      assert.equal(stale.status, 409, JSON.stringify(stale.body));
      assert.equal(stale.body.error.code, 'conflict');
      assert.match(stale.body.error.message, /changed this record after you opened it/);
      assert.equal(stale.body.error.details.field, 'version');
      assert.equal((await read(p.id)).name, 'Kamla Rani Devi');
    });

    test('parallel edits of one version: one wins, the others are 409 (never 500), and the winner is what is stored', async () => {
      const p = await register({ name: 'Race Devi' });
      const v = (await read(p.id)).version;
      const names = Array.from({ length: 16 }, (_, i) => `Race Devi ${String.fromCharCode(65 + i)}`);
      const answers = await Promise.all(names.map((name) => t.req('PATCH', `/api/patients/${p.id}`, clerk, { version: v, name })));
      const statuses = answers.map((a) => a.status);
      assert.equal(statuses.filter((s) => s === 200).length, 1, JSON.stringify(answers.map((a) => a.body)));
      assert.equal(statuses.filter((s) => s === 409).length, names.length - 1, JSON.stringify(statuses));
      const winner = names[answers.findIndex((a) => a.status === 200)];
      assert.equal((await read(p.id)).name, winner);
      const edits = await t.db.kysely.selectFrom('audit_log').select('id').where('entity_id', '=', p.id).where('purpose', '=', 'edit').execute();
      assert.equal(edits.length, 1, 'one edit audited');
    });

    test('permission and scope before the body: 401, 403 for a role without the permission and for another district, 404 for no patient', async () => {
      const p = await register({ name: 'Scope Devi' });
      const v = (await read(p.id)).version;
      // A body that would be refused as invalid: the refusal comes first.
      const bad = '{"version": not json';
      const raw = (token: string | null, body = bad) => t.app.inject({ method: 'PATCH', url: `/api/patients/${p.id}`, payload: body,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } });
      assert.equal((await raw(null)).statusCode, 401);
      const scan = await raw(scanOperator);
      assert.equal(scan.statusCode, 403, scan.body);
      assert.match(scan.body, /can_update_patient/);
      assert.equal((await raw(mandiClerk)).statusCode, 403);
      // A district officer of the patient's district has no patient-edit permission either.
      assert.equal((await raw(hisarOfficer)).statusCode, 403);
      assert.equal((await t.req('PATCH', '/api/patients/P00000000000', clerk, { version: v, name: 'X' })).status, 404);
      // An id no patient can have is 404 before the input guard runs (found by fuzz.test.ts: a NUL was a 500).
      assert.equal((await t.req('PATCH', '/api/patients/a%00b', clerk, { version: v, name: 'X' })).status, 404);
      assert.ok([404, 414].includes((await t.req('PATCH', `/api/patients/${'x'.repeat(300)}`, clerk, { version: v, name: 'X' })).status));
      assert.equal((await raw(clerk)).statusCode, 400);
      assert.equal((await read(p.id)).name, 'Scope Devi');
    });

    test('bad values are 400 with every field named; an ABHA of another patient and a merged record are 409', async () => {
      const p = await register({ name: 'Check Devi' });
      const v = (await read(p.id)).version;
      const bad = await t.req('PATCH', `/api/patients/${p.id}`, clerk, { version: v, mobile: '12345', aadhaar: '234123412347', abhaAddress: 'ab@gmail.com' });
      assert.equal(bad.status, 400, JSON.stringify(bad.body));
      const fields = bad.body.error.details.fields.map((f: any) => f.field).sort();
      assert.deepEqual(fields, ['aadhaar', 'abhaAddress', 'mobile']);
      assert.ok(!JSON.stringify(bad.body).includes('234123412347'));
      const extra = await t.req('PATCH', `/api/patients/${p.id}`, clerk, { version: v, stateNumber: 'P1' });
      assert.equal(extra.status, 400);

      const holder = await register({ name: 'Abha Holder', abhaAddress: 'abha.holder1@abdm' });
      const taken = await t.req('PATCH', `/api/patients/${p.id}`, clerk, { version: v, abhaAddress: 'abha.holder1@abdm' });
      assert.equal(taken.status, 409, JSON.stringify(taken.body));
      assert.equal(taken.body.error.details.stateNumber, holder.stateNumber);

      const merged = await t.req('POST', `/api/patients/${p.id}/merge`, clerk, { into: holder.id, reason: 'registered twice' });
      assert.equal(merged.status, 200, JSON.stringify(merged.body));
      const onMerged = await t.req('PATCH', `/api/patients/${p.id}`, clerk, { version: (await read(p.id)).version, name: 'X' });
      assert.equal(onMerged.status, 409);
      assert.match(onMerged.body.error.message, /was merged into/);
    });

    test('the merge history of both records, with the undoing', async () => {
      const kept = await register({ name: 'Hist Kept' });
      const dup = await register({ name: 'Hist Dup' });
      const m = await t.req('POST', `/api/patients/${dup.id}/merge`, clerk, { into: kept.id, reason: 'the same woman twice' });
      assert.equal(m.status, 200, JSON.stringify(m.body));
      const h = await t.req('GET', `/api/patients/${kept.id}/merges`, clerk);
      assert.equal(h.status, 200, JSON.stringify(h.body));
      assert.equal(h.body.items.length, 1);
      assert.equal(h.body.items[0].id, m.body.mergeId);
      assert.equal(h.body.items[0].from.stateNumber, dup.stateNumber);
      assert.equal(h.body.items[0].from.name, 'Hist Dup');
      assert.equal(h.body.items[0].into.id, kept.id);
      assert.equal(h.body.items[0].undoneAt, null);
      assert.equal((await t.req('GET', `/api/patients/${dup.id}/merges`, clerk)).body.items[0].id, m.body.mergeId);
      assert.equal((await t.req('POST', `/api/patients/merges/${m.body.mergeId}/undo`, clerk)).status, 200);
      const undone = (await t.req('GET', `/api/patients/${kept.id}/merges`, clerk)).body.items[0];
      assert.ok(undone.undoneAt);
      assert.ok(undone.undoneBy.startsWith('facility_operator_'));
      assert.equal((await t.req('GET', `/api/patients/${kept.id}/merges`, mandiClerk)).status, 403);
      assert.equal((await t.req('GET', `/api/patients/${kept.id}/merges`, scanOperator)).status, 403);
      const reads = await t.db.kysely.selectFrom('audit_log').select('id').where('entity_id', '=', kept.id).where('purpose', '=', 'merges').execute();
      assert.equal(reads.length, 2, 'each read of the history is audited (two of this record)');
    });

    test('an edit shows in the FHIR read of a Patient kept as sent; the version is its meta.versionId', async () => {
      const sent = { resourceType: 'Patient', name: [{ given: ['Meena'], family: 'Kumari' }], gender: 'female', birthDate: '1991-02-03',
        telecom: [{ system: 'phone', value: '+91 98123 45600', use: 'mobile' }, { system: 'email', value: 'meena.edit@example.in' }], maritalStatus: { text: 'Married' } };
      const created = await t.req('POST', '/fhir/Patient', clerk, sent, { 'content-type': 'application/fhir+json' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id = created.body.id as string;
      const v = (await read(id)).version;
      assert.equal(v, created.body.meta.versionId);
      const r = await t.req('PATCH', `/api/patients/${id}`, clerk, { version: v, name: 'Meena Devi', mobile: '9000000002' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const back = (await t.req('GET', `/fhir/Patient/${id}`, clerk)).body;
      assert.equal(back.name[0].text, 'Meena Devi');
      assert.deepEqual(back.telecom, [{ system: 'phone', value: '+919000000002', use: 'mobile' }, { system: 'email', value: 'meena.edit@example.in' }]);
      assert.deepEqual(back.maritalStatus, { text: 'Married' }, 'the rest as sent');
      assert.equal(back.meta.versionId, r.body.version);
      const history = await t.req('GET', `/fhir/Patient/${id}/_history`, clerk);
      assert.equal(history.status, 200);
      assert.ok(history.body.entry.length >= 2, 'the edit is a FHIR version');
    });
  });
}
