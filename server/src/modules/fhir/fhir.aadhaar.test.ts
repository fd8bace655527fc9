import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import * as maskMigration from '../../db/migrations/20261201T0600_mask_aadhaar_in_fhir.js';

// 234123412346 passes Verhoeff (the public test value); 234123412347 does not.
const AADHAAR = '234123412346';
const WHOLE = /2\D?3\D?4\D?1\D?2\D?3\D?4\D?1\D?2\D?3\D?4\D?6/;
const MASKED = 'XXXX-XXXX-2346';
const fhirJson = { 'content-type': 'application/fhir+json' };
const outcomeToo = { ...fhirJson, prefer: 'return=OperationOutcome' };

const patientBody = (over: Record<string, unknown> = {}) => ({
  resourceType: 'Patient', name: [{ text: 'Aadhaar Test' }], gender: 'female', birthDate: '1991-03-04', address: [{ use: 'home', district: 'Hisar' }], ...over,
});

for (const engine of testEngines()) {
  describe(`FHIR: Aadhaar numbers kept as the last four digits [${engine}]`, () => {
    let t: TestApp;
    let token: string;
    let patientId: string;
    let subjectId: string;
    before(async () => {
      t = await startTestApp(engine);
      const fac = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Aadhaar Test' }));
      assert.equal(fac.status, 201, JSON.stringify(fac.body));
      token = (await t.userWith('facility_operator', fac.body.id)).token;
      const subject = await t.req('POST', '/fhir/Patient', token, patientBody({ name: [{ text: 'Encounter Subject' }] }), fhirJson);
      assert.equal(subject.status, 201, JSON.stringify(subject.body));
      subjectId = subject.body.id;
    });
    after(async () => { await t.close(); });

    const stored = async (type: string, id: string) => JSON.stringify((await t.db.kysely.selectFrom('fhir_resources').select('resource')
      .where('resource_type', '=', type).where('id', '=', id).executeTakeFirstOrThrow()).resource);
    const patientRow = async (id: string) => {
      const { created_at: _c, updated_at: _u, mobile_verified_at: _m, card_issued_at: _i, card_token: _t, ...row } = await t.db.kysely.selectFrom('patients').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      return row;
    };

    test('Patient create: a UIDAI identifier is kept and read back as the last four digits, and the client is told', async () => {
      const r = await t.req('POST', '/fhir/Patient', token, patientBody({ identifier: [{ system: 'https://uidai.gov.in', value: '2341 2341 2346' }] }), outcomeToo);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const note = r.body.issue.find((i: any) => i.severity === 'warning' && /last four digits/.test(i.diagnostics));
      assert.ok(note, JSON.stringify(r.body));
      assert.deepEqual(note.expression, ['Patient.identifier[0].value']);
      patientId = /Patient\/([A-Za-z0-9.-]+)/.exec(r.body.issue[0].diagnostics)![1];
      const row = await patientRow(patientId);
      assert.equal(row.aadhaar_last4, '2346');
      assert.doesNotMatch(JSON.stringify(row), WHOLE, 'the patients row holds no whole number');
      assert.doesNotMatch(JSON.stringify(row), /\d{12}/);
      const read = await t.req('GET', `/fhir/Patient/${patientId}`, token);
      assert.equal(read.status, 200);
      assert.deepEqual(read.body.identifier.filter((i: any) => i.system === 'https://uidai.gov.in').map((i: any) => i.value), [MASKED]);
      assert.doesNotMatch(JSON.stringify(read.body), WHOLE);

      // Sent back as read (masked), the last four digits stay; a whole number that fails its check is refused without being repeated.
      const put = await t.req('PUT', `/fhir/Patient/${patientId}`, token, { ...read.body, meta: undefined }, fhirJson);
      assert.equal(put.status, 200, JSON.stringify(put.body));
      assert.equal((await patientRow(patientId)).aadhaar_last4, '2346');
      const bad = await t.req('POST', '/fhir/Patient', token, patientBody({ identifier: [{ system: 'http://uidai.gov.in/', value: '234123412347' }] }), fhirJson);
      assert.equal(bad.status, 400, JSON.stringify(bad.body));
      assert.equal(bad.body.resourceType, 'OperationOutcome');
      assert.doesNotMatch(JSON.stringify(bad.body), /234123412347/);
    });

    let encounterId: string;
    test('a contained Patient, an extension and a reference by identifier in an Encounter are masked, in the row and when read', async () => {
      const encounter = {
        resourceType: 'Encounter', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
        subject: { reference: `Patient/${subjectId}` },
        contained: [{ resourceType: 'Patient', id: 'p1', identifier: [{ system: 'http://uidai.gov.in/', value: AADHAAR }] }],
        extension: [{ url: 'https://example.org/fhir/aadhaar', valueIdentifier: { system: 'https://uidai.gov.in/aadhaar', value: '2341-2341-2346' } }],
        participant: [{ individual: { identifier: { type: { text: 'Aadhaar' }, value: AADHAAR } } }],
      };
      const r = await t.req('POST', '/fhir/Encounter', token, encounter, outcomeToo);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const notes = r.body.issue.filter((i: any) => i.severity === 'warning');
      assert.deepEqual(notes.map((i: any) => i.expression[0]).sort(), [
        'Encounter.contained[0].identifier[0].value', 'Encounter.extension[0].valueIdentifier.value', 'Encounter.participant[0].individual.identifier.value',
      ]);
      encounterId = /Encounter\/([A-Za-z0-9.-]+)/.exec(r.body.issue[0].diagnostics)![1];
      const row = await stored('Encounter', encounterId);
      assert.doesNotMatch(row, WHOLE, row);
      const read = await t.req('GET', `/fhir/Encounter/${encounterId}`, token);
      assert.equal(read.status, 200);
      assert.equal(read.body.contained[0].identifier[0].value, MASKED);
      assert.equal(read.body.extension[0].valueIdentifier.value, MASKED);
      assert.ok(read.body.meta.security.some((s: any) => s.code === 'MASKED'), 'labelled MASKED');
      assert.doesNotMatch(JSON.stringify(read.body), WHOLE);

      const again = await t.req('PUT', `/fhir/Encounter/${encounterId}`, token, { ...read.body, contained: [{ resourceType: 'Patient', id: 'p1', identifier: [{ system: 'https://www.uidai.gov.in', value: AADHAAR }] }] }, fhirJson);
      assert.equal(again.status, 200, JSON.stringify(again.body));
      assert.equal(again.body.contained[0].identifier[0].value, MASKED);
      assert.doesNotMatch(await stored('Encounter', encounterId), WHOLE);
    });

    test('a transaction Bundle: the Patient and every stored entry masked, each entry\'s response says so', async () => {
      const bundle = {
        resourceType: 'Bundle', type: 'transaction',
        entry: [
          { fullUrl: 'urn:uuid:p', resource: patientBody({ name: [{ text: 'Bundle Aadhaar' }], identifier: [{ system: 'https://uidai.gov.in/', value: '2341 2341 2346' }] }), request: { method: 'POST', url: 'Patient' } },
          {
            fullUrl: 'urn:uuid:e',
            resource: {
              resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, subject: { reference: 'urn:uuid:p' },
              contained: [{ resourceType: 'RelatedPerson', id: 'r1', patient: { reference: 'urn:uuid:p' }, identifier: [{ system: 'https://uidai.gov.in', value: AADHAAR }] }],
            },
            request: { method: 'POST', url: 'Encounter' },
          },
          { fullUrl: 'urn:uuid:o', resource: { resourceType: 'Observation', status: 'final', code: { text: 'note' }, subject: { reference: 'urn:uuid:p' }, identifier: [{ system: 'https://uidai.gov.in', value: AADHAAR }] }, request: { method: 'POST', url: 'Observation' } },
        ],
      };
      // An Aadhaar number sent as a JSON number is not an R4 string: refused whole, naming it, and nothing kept.
      const asNumber = structuredClone(bundle);
      (asNumber.entry[2].resource as any).identifier[0].value = Number(AADHAAR);
      const no = await t.req('POST', '/fhir', token, asNumber, fhirJson);
      assert.equal(no.status, 400, JSON.stringify(no.body));
      assert.deepEqual(no.body.issue[0].expression, ['Bundle.entry[2].resource.identifier[0].value']);
      assert.doesNotMatch(JSON.stringify(no.body), WHOLE);
      const r = await t.req('POST', '/fhir', token, bundle, fhirJson);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.type, 'transaction-response');
      for (const [i, where] of [[0, 'Bundle.entry[0].resource.identifier[0].value'], [1, 'Bundle.entry[1].resource.contained[0].identifier[0].value'], [2, 'Bundle.entry[2].resource.identifier[0].value']] as const) {
        const outcome = r.body.entry[i].response.outcome;
        assert.ok(outcome?.issue.some((x: any) => x.severity === 'warning' && x.expression[0] === where), `entry ${i}: ${JSON.stringify(r.body.entry[i])}`);
      }
      const [pid, eid, oid] = r.body.entry.map((e: any) => e.response.location.split('/')[1]);
      assert.equal((await patientRow(pid)).aadhaar_last4, '2346');
      assert.doesNotMatch(JSON.stringify(await patientRow(pid)), WHOLE);
      assert.doesNotMatch(await stored('Encounter', eid), WHOLE);
      assert.doesNotMatch(await stored('Observation', oid), WHOLE);
      const all = await sql<{ n: number }>`select count(*)::int as n from fhir_resources where resource::text ~ '2341\\D?2341\\D?2346'`.execute(t.db.kysely);
      assert.equal(all.rows[0].n, 0, 'no stored resource holds the whole number');
    });

    test('the database refuses a whole Aadhaar number in stored FHIR JSON; the migration masks what was stored before', async () => {
      const insert = (id: string) => sql`insert into fhir_resources (id, resource_type, resource) values (${id}, 'Observation',
        ${JSON.stringify({ resourceType: 'Observation', id, contained: [{ resourceType: 'Patient', identifier: [{ system: 'https://uidai.gov.in', value: '2341 2341 2346' }] }] })}::jsonb)`.execute(t.db.kysely);
      await assert.rejects(insert('direct1'), (e: any) => e.code === '23514' || /fhir_resources_no_whole_aadhaar/.test(String(e.message)));

      await maskMigration.down(t.db.kysely);
      await insert('before1');
      await sql`insert into fhir_resources (id, resource_type, resource) values ('before2', 'Encounter', ${JSON.stringify({
        resourceType: 'Encounter', id: 'before2', participant: [{ individual: { identifier: { type: { coding: [{ code: 'AADHAAR' }] }, value: AADHAAR } } }],
      })}::jsonb)`.execute(t.db.kysely);
      await maskMigration.up(t.db.kysely);
      for (const [type, id] of [['Observation', 'before1'], ['Encounter', 'before2']]) {
        const text = await stored(type, id);
        assert.doesNotMatch(text, WHOLE, text);
        assert.match(text, /XXXX-XXXX-2346/);
        assert.match(text, /MASKED/);
      }
      const before1 = JSON.parse(await stored('Observation', 'before1'));
      assert.equal(before1.contained[0].identifier[0].value, MASKED);
      await assert.rejects(insert('direct2'), 'the rule is back after the migration');
      await maskMigration.up(t.db.kysely); // again: nothing changes, nothing fails
    });
  });
}
