/**
 * FHIR Patients written by others go in and come back as sent: HL7's R4 examples (hl7.fhir.r4.examples)
 * and the ABDM and HL7 files in ../shared/fixtures/fhir. The read must equal what was sent apart from
 * id, meta, the identifiers the server adds after the sent ones and an Aadhaar number cut to its last
 * four digits; any other difference fails with its element path. Every sent identifier is then found by
 * `identifier=system|value` and `identifier=value`, only by staff who may read the patient.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { hasShared, readShared, sharedPath } from '../../test/shared.js';
import { maskAadhaarIdentifiers } from './fhir.aadhaar.js';

const EXAMPLES = path.dirname(createRequire(import.meta.url).resolve('hl7.fhir.r4.examples/package.json'));
const examples = fs.readdirSync(EXAMPLES).filter((f) => /^Patient-.*\.json$/.test(f)).sort();
const FIXTURES = ['fixtures', 'fhir'] as const;
const STATE_NUMBER = 'https://swasthya.example/fhir/sid/state-patient-number';
/** Identifier systems the server adds after the sent identifiers. */
const OWN = [STATE_NUMBER, 'https://healthid.ndhm.gov.in', 'https://healthid.abdm.gov.in', 'https://healthid.ndhm.gov.in/abha-address', 'https://uidai.gov.in'];

/** HL7 examples the registry cannot take, and the element each refusal names: the registry needs a name, a gender and a birth date. */
const REFUSED: Record<string, string> = {
  'Patient-dicom.json': 'Patient.birthDate',
  'Patient-ihe-pcd.json': 'Patient.gender',
  'Patient-infant-fetal.json': 'Patient.name',
  'Patient-newborn.json': 'Patient.name',
  'Patient-pat1.json': 'Patient.birthDate',
  'Patient-pat2.json': 'Patient.birthDate',
  'Patient-proband.json': 'Patient.name',
};

/** Paths where two JSON values differ (`Patient.contact[0].name.family`). */
function differences(a: unknown, b: unknown, at: string, out: string[] = []): string[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) differences(a[i], b[i], `${at}[${i}]`, out);
  } else if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) differences((a as any)[k], (b as any)[k], `${at}.${k}`, out);
  } else if (a !== b) out.push(`${at}: sent ${JSON.stringify(a)}, read ${JSON.stringify(b)}`);
  return out;
}

/** What a read differs in from what was sent, besides id, meta, added identifiers and a masked Aadhaar. */
function changes(sent: any, read: any, label: string): string[] {
  const expected = structuredClone(sent);
  maskAadhaarIdentifiers(expected, 'Patient');
  const got = structuredClone(read);
  for (const r of [expected, got]) { delete r.id; delete r.meta; }
  const n = (expected.identifier ?? []).length;
  const added = (got.identifier ?? []).slice(n);
  const out = added.filter((i: any) => !OWN.includes(i.system)).map((i: any) => `${label}.identifier: added ${JSON.stringify(i)}`);
  if (got.identifier) got.identifier = got.identifier.slice(0, n);
  if (!n && got.identifier?.length === 0) delete got.identifier;
  return [...out, ...differences(expected, got, label)];
}

for (const engine of testEngines()) {
  describe(`FHIR Patients from other systems come back as sent [${engine}]`, () => {
    let t: TestApp;
    let token = '';
    let other = '';
    const kept: { file: string; id: string; sent: any }[] = [];
    const post = (body: unknown, headers: Record<string, string> = {}) => t.req('POST', '/fhir/Patient', token, body, { 'content-type': 'application/fhir+json', ...headers });
    const read = (id: string) => t.req('GET', `/fhir/Patient/${id}`, token);

    before(async () => {
      t = await startTestApp(engine);
      const mk = async (o: Record<string, unknown>) => (await t.req('POST', '/api/facilities', t.adminToken, facilityBody(o))).body.id as string;
      token = (await t.userWith('facility_operator', await mk({ name: 'PHC Adampur' }))).token;
      other = (await t.userWith('doctor', await mk({ name: 'CHC Barwala', type: 'CHC' }))).token;
    });
    after(async () => { await t.close(); });

    test(`HL7's ${examples.length} R4 Patient examples: kept and read back unchanged, or refused naming the element`, async () => {
      assert.ok(examples.length >= 20, `${examples.length} examples in ${EXAMPLES}`);
      const found: string[] = [];
      const refused: Record<string, string> = {};
      for (const file of examples) {
        const sent = JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'));
        const created = await post(sent);
        if (created.status !== 201) {
          assert.equal(created.body.resourceType, 'OperationOutcome', file);
          assert.equal(created.status, 400, `${file}: ${JSON.stringify(created.body)}`);
          refused[file] = created.body.issue[0].expression?.[0];
          continue;
        }
        const back = await read(created.body.id);
        assert.equal(back.status, 200);
        assert.deepEqual(back.body, created.body, `${file}: the create answers what a read gives`);
        found.push(...changes(sent, back.body, file));
        kept.push({ file, id: created.body.id, sent });
      }
      assert.deepEqual(found, [], 'each element comes back as sent');
      assert.deepEqual(refused, REFUSED, 'refused only for a missing name, gender or birth date, naming it');
      assert.equal(kept.length, examples.length - Object.keys(REFUSED).length);
    });

    test('every identifier of a kept Patient is found by system|value and by value, only by staff who may read the patient', async () => {
      let tried = 0;
      for (const { file, id, sent } of kept) {
        for (const i of sent.identifier ?? []) {
          if (typeof i.value !== 'string') continue;
          for (const q of [i.system ? `${i.system}|${i.value}` : null, i.value].filter(Boolean) as string[]) {
            const r = await t.req('GET', `/fhir/Patient?identifier=${encodeURIComponent(q)}`, token);
            assert.equal(r.status, 200, JSON.stringify(r.body));
            assert.ok(r.body.entry?.some((e: any) => e.resource.id === id), `${file}: identifier=${q}`);
            tried++;
          }
        }
      }
      assert.ok(tried >= 30, `${tried} identifier searches`);
      const mine = await t.req('GET', `/fhir/Patient?identifier=${encodeURIComponent('urn:oid:1.2.36.146.595.217.0.1|12345')}`, token);
      assert.deepEqual(mine.body.entry.map((e: any) => e.resource.id), [kept.find((k) => k.file === 'Patient-example.json')!.id]);
      assert.equal(mine.body.total, 1);
      const theirs = await t.req('GET', `/fhir/Patient?identifier=${encodeURIComponent('urn:oid:1.2.36.146.595.217.0.1|12345')}`, other);
      assert.equal(theirs.status, 200);
      assert.deepEqual(theirs.body.entry ?? [], [], 'another facility\'s staff do not find it');
      const none = await t.req('GET', '/fhir/Patient?identifier=urn:oid:1.2.36.146.595.217.0.1|99999', token);
      assert.deepEqual(none.body.entry ?? [], []);
    });

    test('a whole Aadhaar number is the one change: cut to its last four digits, said in a warning; Prefer: return=OperationOutcome', async () => {
      const sent = structuredClone(kept.find((k) => k.file === 'Patient-example.json')!.sent);
      sent.identifier = [{ system: 'https://uidai.gov.in/aadhaar', value: '2341 2341 2346' }, ...sent.identifier];
      sent.name = [{ text: 'Aadhaar Person' }];
      const r = await post(sent, { prefer: 'return=OperationOutcome' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.resourceType, 'OperationOutcome');
      const warnings = r.body.issue.filter((i: any) => i.severity === 'warning');
      assert.deepEqual(warnings.map((i: any) => i.expression), [['Patient.identifier[0].value']], 'one warning per change, naming the element');
      const id = /Created Patient\/([A-Za-z0-9]+)/.exec(r.body.issue[0].diagnostics)![1];
      const back = await read(id);
      assert.equal(back.body.identifier[0].value, 'XXXX-XXXX-2346');
      assert.ok(!JSON.stringify(back.body).includes('234123412346') && !JSON.stringify(back.body).includes('2341 2341 2346'));
      assert.deepEqual(changes(sent, back.body, 'Patient'), []);
    });

    test('an element the registry changed since is served as the registry has it; everything else stays as sent', async () => {
      const sent = { resourceType: 'Patient', name: [{ given: ['Meena'], family: 'Kumari' }], gender: 'female', birthDate: '1991-02-03',
        telecom: [{ system: 'phone', value: '+91 98123 45678', use: 'mobile' }, { system: 'email', value: 'meena@example.in' }],
        address: [{ use: 'home', city: 'Hisar' }, { use: 'work', city: 'Delhi' }], maritalStatus: { text: 'Married' } };
      const created = await post(sent);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      // An edit that does not come through FHIR (the plain API, a merge): the mobile and the name.
      await t.db.kysely.updateTable('patients').set({ mobile: '9000000001', name: 'Meena Devi', name_latin: 'Meena Devi', updated_at: new Date() }).where('id', '=', created.body.id).execute();
      const back = (await read(created.body.id)).body;
      assert.deepEqual(back.telecom, [{ system: 'phone', value: '+919000000001', use: 'mobile' }, { system: 'email', value: 'meena@example.in' }]);
      assert.equal(back.name[0].text, 'Meena Devi');
      assert.notEqual(back.meta.versionId, created.body.meta.versionId);
      const { telecom: _t, name: _n, ...rest } = sent;
      const { telecom: _u, name: _m, ...restBack } = back;
      assert.deepEqual(changes(rest, restBack, 'Patient'), [], 'the rest as sent');

      // A merge through the plain API: the duplicate reads as inactive and replaced by the kept record; undone, as sent again.
      const twin = { ...sent, identifier: [{ system: 'urn:example:mrn', value: 'MK-1' }] };
      const dup = await post(twin);
      const merged = await t.req('POST', `/api/patients/${dup.body.id}/merge`, token, { into: created.body.id, reason: 'registered twice over FHIR' });
      assert.equal(merged.status, 200, JSON.stringify(merged.body));
      const gone = (await read(dup.body.id)).body;
      assert.equal(gone.active, false);
      assert.deepEqual(gone.link, [{ other: { reference: `Patient/${created.body.id}` }, type: 'replaced-by' }]);
      const { active: _a, link: _l, ...others } = gone;
      assert.deepEqual(changes(twin, others, 'Patient'), []);
      assert.equal((await t.req('POST', `/api/patients/merges/${merged.body.mergeId}/undo`, token)).status, 200);
      assert.deepEqual(changes(twin, (await read(dup.body.id)).body, 'Patient'), [], 'as sent again once the merge is undone');
    });

    test('parallel replacements of one Patient: each is whole, the last kept is what is read and what its identifiers find', async () => {
      const base = { resourceType: 'Patient', name: [{ text: 'Race Person' }], gender: 'male', birthDate: '1988-08-08' };
      const created = await post(base);
      const id = created.body.id as string;
      const bodies = Array.from({ length: 6 }, (_, i) => ({ ...base, id, identifier: [{ system: 'urn:example:race', value: `R-${i}` }], telecom: [{ system: 'email', value: `race${i}@example.in` }] }));
      const answers = await Promise.all(bodies.map((b) => t.req('PUT', `/fhir/Patient/${id}`, token, b, { 'content-type': 'application/fhir+json' })));
      assert.deepEqual(answers.map((a) => a.status).filter((s) => s !== 200 && s !== 409), [], JSON.stringify(answers.map((a) => a.body)));
      const back = (await read(id)).body;
      const winner = bodies.find((b) => b.identifier[0].value === back.identifier[0].value)!;
      assert.deepEqual(changes(winner, back, 'Patient'), [], 'one whole replacement, not a mixture');
      for (const b of bodies) {
        const hit = await t.req('GET', `/fhir/Patient?identifier=${encodeURIComponent(`urn:example:race|${b.identifier[0].value}`)}`, token);
        assert.equal((hit.body.entry ?? []).length, b === winner ? 1 : 0, `only the kept identifier is indexed (${b.identifier[0].value})`);
      }
    });

    const fixtures = hasShared(...FIXTURES) ? fs.readdirSync(sharedPath(...FIXTURES)).filter((f) => f.endsWith('.json')).sort() : [];
    test('the Patients of ../shared/fixtures/fhir (ABDM documents, HL7) come back as sent, created or replaced', { skip: fixtures.length ? false : '../shared/fixtures/fhir is absent' }, async () => {
      const patients = fixtures.flatMap((f) => {
        const r = JSON.parse(readShared(...FIXTURES, f).replace(/^\uFEFF/, ''));
        return r.resourceType === 'Patient' ? [{ f, p: r }] : (r.entry ?? []).filter((e: any) => e.resource?.resourceType === 'Patient').map((e: any) => ({ f, p: e.resource }));
      });
      assert.ok(patients.length >= 5);
      const byAbha = new Map<string, string>();
      const found: string[] = [];
      for (const { f, p } of patients) {
        const abha = (p.identifier ?? []).find((i: any) => /healthid/.test(i.system ?? ''))?.value;
        // The same ABHA number is one person: the first is created, the others replace it (PUT).
        const known = abha && byAbha.get(abha);
        const w = known ? await t.req('PUT', `/fhir/Patient/${known}`, token, { ...p, id: known }, { 'content-type': 'application/fhir+json' }) : await post(p);
        assert.ok(w.status === 201 || w.status === 200, `${f}: ${JSON.stringify(w.body)}`);
        if (abha && !known) byAbha.set(abha, w.body.id);
        found.push(...changes(p, (await read(w.body.id)).body, `${f} Patient`));
      }
      assert.deepEqual(found, []);
    });
  });
}
