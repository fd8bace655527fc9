import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'fhir-kit-client';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { hasShared, readShared, sharedPath } from '../../test/shared.js';
import { luhnCheckDigit } from '../patients/patients.identity.js';

/** A 14-digit ABHA number (hyphenated) that passes its Luhn check. */
const abhaOf = (base13: string) => `${base13}${luhnCheckDigit(base13)}`.replace(/^(\d{2})(\d{4})(\d{4})(\d{4})$/, '$1-$2-$3-$4');
const NDHM = 'https://healthid.ndhm.gov.in';
const ABDM = 'https://healthid.abdm.gov.in';
const STATE_NUMBER = 'https://swasthya.example/fhir/sid/state-patient-number';
const FIXTURES = ['fixtures', 'fhir'] as const;

/** What a refused call came back with: the HTTP status and the OperationOutcome. */
async function refused(call: Promise<unknown>): Promise<{ status: number; body: any }> {
  try {
    await call;
  } catch (e: any) {
    if (!e.response) throw e;
    return { status: e.response.status, body: e.response.data };
  }
  return assert.fail('expected the server to refuse the call');
}

/** Asserts an OperationOutcome error with this status and issue code. */
function assertOutcome(r: { status: number; body: any }, status: number, code: string, where?: string) {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.equal(r.body.resourceType, 'OperationOutcome');
  assert.equal(r.body.issue[0].severity, 'error');
  assert.equal(r.body.issue[0].code, code, JSON.stringify(r.body));
  assert.ok(r.body.issue[0].diagnostics, 'a message a person can act on');
  if (where) assert.ok(r.body.issue.some((i: any) => (i.expression ?? []).some((x: string) => x.includes(where))), `names ${where}: ${JSON.stringify(r.body)}`);
}

const patientBody = (over: Record<string, unknown> = {}) => ({
  resourceType: 'Patient',
  name: [{ text: 'Test Person' }],
  gender: 'female',
  birthDate: '1990-01-01',
  address: [{ use: 'home', district: 'Hisar' }],
  ...over,
});

for (const engine of testEngines()) {
  describe(`FHIR R4 over the registry [${engine}]`, () => {
    let t: TestApp;
    let base: string;
    const fac: Record<string, string> = {};
    const tok: Record<string, string> = {};
    const as = (token?: string | null) => new Client({ baseUrl: base, customHeaders: token ? { Authorization: `Bearer ${token}` } : {} });
    /** Posts text exactly as given (BOM and all). */
    const postRaw = (c: Client, path: string, text: string, type = 'application/fhir+json') =>
      c.request(path, { method: 'POST', body: text, options: { headers: { 'content-type': type } } }) as Promise<any>;

    before(async () => {
      t = await startTestApp(engine);
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const address = t.app.server.address();
      assert.ok(address && typeof address === 'object');
      base = `http://127.0.0.1:${address.port}/fhir`;
      const mk = async (o: Record<string, unknown>) => {
        const r = await t.req('POST', '/api/facilities', t.adminToken, facilityBody(o));
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body.id as string;
      };
      fac.adampur = await mk({ name: 'PHC Adampur', hfrId: 'IN0610000123', phone: '01662-276543' });
      fac.barwala = await mk({ name: 'CHC Barwala', type: 'CHC' });
      fac.mandi = await mk({ name: 'PHC Nerchowk', orgUnit: 22, latitude: 31.6, longitude: 76.9 });
      tok.adampur = (await t.userWith('facility_operator', fac.adampur)).token;
      tok.barwala = (await t.userWith('doctor', fac.barwala)).token;
      tok.mandi = (await t.userWith('facility_operator', fac.mandi)).token;
      tok.hisarDo = (await t.userWith('district_officer', 63)).token;
    });
    after(async () => { await t.close(); });

    test('metadata: a CapabilityStatement without signing in, naming what is supported', async () => {
      const cs: any = await as(null).capabilityStatement();
      assert.equal(cs.resourceType, 'CapabilityStatement');
      assert.equal(cs.fhirVersion, '4.0.1');
      assert.ok(cs.format.includes('json'));
      const res = (type: string) => cs.rest[0].resource.find((r: any) => r.type === type);
      assert.deepEqual(res('Patient').interaction.map((i: any) => i.code).sort(), ['create', 'history-instance', 'read', 'search-type', 'update', 'vread']);
      assert.equal(res('Patient').conditionalCreate, true);
      assert.deepEqual(res('Patient').searchParam.map((p: any) => p.name).sort(), ['_id', '_sort', 'birthdate', 'gender', 'identifier', 'name', 'phone', 'telecom']);
      for (const type of ['Encounter', 'Condition', 'MedicationRequest', 'MedicationStatement', 'Practitioner']) assert.ok(res(type), type);
      assert.deepEqual(res('Organization').interaction.map((i: any) => i.code).sort(), ['history-instance', 'read', 'search-type', 'vread']);
      assert.ok(cs.rest[0].interaction.some((i: any) => i.code === 'transaction'));
      const http = Client.httpFor(cs).response!;
      assert.match(http.headers.get('content-type') ?? '', /^application\/fhir\+json/);
    });

    let ramesh: any;
    let sunita: any;
    const rameshAbha = abhaOf('9112345678901');
    test('Patient create: a Hindi name, both ABHA systems, the state number, the district from the address', async () => {
      const c = as(tok.adampur);
      ramesh = await c.create({
        resourceType: 'Patient',
        body: patientBody({
          identifier: [{ system: NDHM, value: rameshAbha }],
          name: [{ text: 'रमेश कुमार' }], gender: 'male', birthDate: '1980-05-14',
          telecom: [{ system: 'phone', value: '+91 98765 43210', use: 'mobile' }, { system: 'email', value: 'r@example.in' }],
          address: [{ use: 'home', line: ['Ward 3', 'Adampur'], district: 'hisar', state: 'Haryana', postalCode: '125052' }],
        }),
      });
      assert.equal(ramesh.resourceType, 'Patient');
      assert.match(ramesh.id, /^[A-Za-z][A-Za-z0-9]{10}$/);
      assert.ok(ramesh.meta.versionId && ramesh.meta.lastUpdated);
      const location = Client.httpFor(ramesh).response!.headers.get('location')!;
      assert.ok(location.endsWith(`/fhir/Patient/${ramesh.id}/_history/${ramesh.meta.versionId}`), `Location is the version written (vread answers it): ${location}`);
      const ids = (system: string) => ramesh.identifier.filter((i: any) => i.system === system).map((i: any) => i.value);
      assert.deepEqual(ids(NDHM), [rameshAbha]);
      assert.deepEqual(ids(ABDM), [rameshAbha], 'the newer ABDM system too');
      assert.match(ids(STATE_NUMBER)[0], /^P06\d{9}$/);
      // Kept as sent: the name, every telecom and the address as they came; the registry holds its own forms beside them.
      assert.deepEqual(ramesh.name, [{ text: 'रमेश कुमार' }]);
      assert.deepEqual(ramesh.telecom, [{ system: 'phone', value: '+91 98765 43210', use: 'mobile' }, { system: 'email', value: 'r@example.in' }]);
      assert.equal(ramesh.gender, 'male');
      assert.equal(ramesh.birthDate, '1980-05-14');
      assert.deepEqual(ramesh.address, [{ use: 'home', line: ['Ward 3', 'Adampur'], district: 'hisar', state: 'Haryana', postalCode: '125052' }]);
      assert.equal(ramesh.managingOrganization, undefined, 'nothing is added but identifiers');
      const registry = (await t.req('GET', `/api/patients/${ramesh.id}`, tok.adampur)).body;
      assert.equal(registry.name, 'रमेश कुमार');
      assert.equal(registry.mobile, '9876543210');
      assert.equal(registry.address.line, 'Ward 3, Adampur, 125052');
      assert.deepEqual(registry.facilities.map((f: any) => f.id), [fac.adampur]);

      const read: any = await c.read({ resourceType: 'Patient', id: ramesh.id });
      assert.deepEqual(read, ramesh);
      const row = await t.db.kysely.selectFrom('patients').select(['registered_via', 'name_hi']).where('id', '=', ramesh.id).executeTakeFirstOrThrow();
      assert.deepEqual(row, { registered_via: 'fhir', name_hi: 'रमेश कुमार' });
      const audit = await t.db.kysely.selectFrom('audit_log').select(['purpose']).where('entity', '=', 'patient').where('entity_id', '=', ramesh.id).where('action', '=', 'read').execute();
      assert.ok(audit.some((a) => a.purpose === 'care'), 'the read is audited');

      // A Latin name with its Devanagari form, the ABHA under the newer system, the district as the city, a year of birth only.
      sunita = await c.create({
        resourceType: 'Patient',
        body: patientBody({
          identifier: [{ system: ABDM, value: abhaOf('9187654321098').replace(/-/g, '') }, { system: `${NDHM}/abha-address`, value: 'sunita.devi@abdm' }],
          name: [{ use: 'official', given: ['Sunita'], family: 'Devi' }, { text: 'सुनीता देवी', extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/language', valueCode: 'hi' }] }],
          birthDate: '1994', telecom: [{ system: 'phone', value: '9812345678' }], address: [{ city: 'HISAR', line: ['Barwala road'] }],
        }),
      });
      assert.deepEqual(sunita.name[1], { text: 'सुनीता देवी', extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/language', valueCode: 'hi' }] });
      assert.equal((await t.req('GET', `/api/patients/${sunita.id}`, tok.adampur)).body.nameHi, 'सुनीता देवी');
      assert.equal(sunita.birthDate, '1994', 'a year alone stays a year');
      assert.ok(sunita.identifier.some((i: any) => i.system === NDHM && i.value === abhaOf('9187654321098')));
      assert.ok(sunita.identifier.some((i: any) => i.value === 'sunita.devi@abdm' && i.system === `${NDHM}/abha-address`));
      assert.deepEqual(sunita.address, [{ city: 'HISAR', line: ['Barwala road'] }]);
    });

    test('Patient address: kept as sent; a patient with an address abroad or none belongs to the registering facility\'s or caller\'s district; above a district it is 422', async () => {
      const homeOf = async (id: string) => (await t.db.kysely.selectFrom('patients').select(['home_id', 'address_line']).where('id', '=', id).executeTakeFirstOrThrow());
      const hisar = (await homeOf(ramesh.id)).home_id;
      for (const address of [[{ city: 'Atlantis' }], [{ city: 'Mandi', country: 'NPL' }], undefined]) {
        const p: any = await as(tok.adampur).create({ resourceType: 'Patient', body: patientBody({ name: [{ text: 'Abroad Person' }], address }) });
        assert.deepEqual(p.address, address, 'the address comes back as sent');
        assert.equal((await homeOf(p.id)).home_id, hisar, `${JSON.stringify(address)}: the facility's district (a city abroad is not matched to an Indian district)`);
      }
      // Without a facility: a caller posted at a district registers into it; above a district, 422 naming what is needed.
      const districtAdmin = (await t.userWith('admin', 63)).token;
      const own: any = await as(districtAdmin).create({ resourceType: 'Patient', body: patientBody({ name: [{ text: 'District Person' }], address: undefined }) });
      assert.equal((await homeOf(own.id)).home_id, hisar);
      const admin = await refused(as(t.adminToken).create({ resourceType: 'Patient', body: patientBody({ name: [{ text: 'Nowhere Person' }], address: [{ city: 'Atlantis' }] }) }));
      assertOutcome(admin, 422, 'processing', 'Patient.address');
      assert.ok(admin.body.issue[0].expression.includes('Patient.managingOrganization'));
      const mandi = await as(tok.mandi).create({ resourceType: 'Patient', body: patientBody({ name: [{ text: 'Mandi Person' }], address: [{ district: 'मंडी' }] }) }) as any;
      assert.deepEqual(mandi.address, [{ district: 'मंडी' }]);
      assert.notEqual((await homeOf(mandi.id)).home_id, hisar, 'a Hindi district name is matched too');
    });

    test('Patient update replaces the demographic fields; versions and If-Match', async () => {
      const c = as(tok.adampur);
      const body = {
        ...ramesh, birthDate: '1980-05-15',
        telecom: [{ system: 'phone', value: '9876500000', use: 'mobile' }],
        identifier: [{ system: ABDM, value: rameshAbha }, { system: `${ABDM}/abha-address`, value: 'ramesh.kumar@abdm' }],
      };
      await new Promise((r) => setTimeout(r, 5));
      const updated: any = await c.update({ resourceType: 'Patient', id: ramesh.id, body, options: { headers: { 'if-match': `W/"${ramesh.meta.versionId}"` } } });
      assert.notEqual(updated.meta.versionId, ramesh.meta.versionId);
      assert.equal(updated.birthDate, '1980-05-15');
      assert.deepEqual(updated.telecom, body.telecom);
      assert.ok(updated.identifier.some((i: any) => i.value === 'ramesh.kumar@abdm'));
      assert.deepEqual(updated.name, ramesh.name);
      assert.equal((await t.req('GET', `/api/patients/${ramesh.id}`, tok.adampur)).body.mobile, '9876500000');
      const stale = await refused(c.update({ resourceType: 'Patient', id: ramesh.id, body, options: { headers: { 'if-match': `W/"${ramesh.meta.versionId}"` } } }));
      assertOutcome(stale, 412, 'conflict');
      const wrongId = await refused(c.update({ resourceType: 'Patient', id: ramesh.id, body: { ...body, id: sunita.id } }));
      assertOutcome(wrongId, 400, 'invalid', 'Patient.id');
      const taken = await refused(c.update({ resourceType: 'Patient', id: sunita.id, body: { ...sunita, identifier: [{ system: NDHM, value: rameshAbha }] } }));
      assertOutcome(taken, 409, 'duplicate');
      const unknown = await refused(c.update({ resourceType: 'Patient', id: 'Zz000000000', body: { ...body, id: 'Zz000000000' } }));
      assertOutcome(unknown, 405, 'not-supported');
      ramesh = updated;
    });

    test('Patient search: name in either script, identifier under both ABHA systems, birthdate, gender, phone, _id', async () => {
      const c = as(tok.adampur);
      const ids = async (params: Record<string, string | string[]>) => {
        const b: any = await c.search({ resourceType: 'Patient', searchParams: params });
        assert.equal(b.resourceType, 'Bundle');
        assert.equal(b.type, 'searchset');
        return b.entry.map((e: any) => e.resource.id);
      };
      assert.ok((await ids({ name: 'Ramesh' })).includes(ramesh.id), 'Latin finds a patient registered in Devanagari');
      assert.ok((await ids({ name: 'रमेश' })).includes(ramesh.id));
      assert.ok((await ids({ name: 'सुनीता देवी' })).includes(sunita.id), 'Devanagari finds a patient registered in Latin');
      assert.deepEqual(await ids({ identifier: `${NDHM}|${rameshAbha}` }), [ramesh.id]);
      assert.deepEqual(await ids({ identifier: `${ABDM}|${rameshAbha.replace(/-/g, '')}` }), [ramesh.id]);
      assert.deepEqual(await ids({ identifier: `${NDHM}/abha-address|ramesh.kumar@abdm` }), [ramesh.id]);
      const number = ramesh.identifier.find((i: any) => i.system === STATE_NUMBER).value;
      assert.deepEqual(await ids({ identifier: `${STATE_NUMBER}|${number}` }), [ramesh.id]);
      assert.deepEqual(await ids({ identifier: 'https://example.org/mrn|123' }), [], 'an unknown system matches nobody');
      assert.deepEqual(await ids({ name: 'Ramesh', birthdate: '1980-05-15' }), [ramesh.id]);
      assert.deepEqual(await ids({ name: 'Ramesh', birthdate: ['ge1980', 'le1980-05'] }), [ramesh.id]);
      assert.deepEqual(await ids({ name: 'Ramesh', birthdate: '1981' }), []);
      assert.deepEqual(await ids({ name: 'Sunita', birthdate: '1994' }), [sunita.id], 'an estimated birth date matches its year');
      assert.deepEqual(await ids({ name: 'Ramesh', gender: 'female' }), []);
      assert.deepEqual(await ids({ name: 'Ramesh', gender: 'male' }), [ramesh.id]);
      assert.deepEqual(await ids({ phone: '+91 98765 00000' }), [ramesh.id]);
      assert.deepEqual(await ids({ phone: '9812345678', gender: 'female' }), [sunita.id]);
      assert.deepEqual(await ids({ _id: sunita.id }), [sunita.id]);
      const gender = await refused(c.search({ resourceType: 'Patient', searchParams: { gender: 'male' } }));
      assertOutcome(gender, 400, 'too-costly');
      assertOutcome(await refused(c.search({ resourceType: 'Patient', searchParams: { name: 'Ramesh', birthdate: 'last-week' } })), 400, 'invalid', 'birthdate');
    });

    test('Patient search pages with _count; the client follows the next links', async () => {
      const c = as(tok.adampur);
      for (const [i, given] of ['Kamla', 'Kamala', 'Kamla', 'Kamlaa', 'Kamla'].entries()) {
        await c.create({ resourceType: 'Patient', body: patientBody({ name: [{ given: [given], family: 'Rani' }], birthDate: `197${i}-02-0${i + 1}` }) });
      }
      for (const searchParams of [{ name: 'Kamla Rani', _count: 2 }, { name: 'Kamla Rani', gender: 'female', _count: 2 }] as Record<string, string | number>[]) {
        let bundle: any = await c.search({ resourceType: 'Patient', searchParams });
        const seen: string[] = [];
        let pages = 0;
        while (bundle) {
          pages++;
          assert.ok(bundle.entry.length <= 2);
          seen.push(...bundle.entry.map((e: any) => e.resource.id));
          assert.ok(bundle.link.find((l: any) => l.relation === 'self'));
          bundle = await c.nextPage({ bundle });
        }
        assert.equal(seen.length, 5, JSON.stringify(searchParams));
        assert.equal(new Set(seen).size, 5, 'no patient twice');
        assert.equal(pages, 3);
      }
    });

    test('search results a caller may not read show only name, gender and birth year; reading them is 403', async () => {
      const b: any = await as(tok.barwala).search({ resourceType: 'Patient', searchParams: { name: 'Ramesh Kumar' } });
      const hit = b.entry.find((e: any) => e.resource.id === ramesh.id)?.resource;
      assert.ok(hit, 'found state-wide');
      assert.equal(hit.meta.security[0].code, 'REDACTED');
      assert.deepEqual(Object.keys(hit).sort(), ['birthDate', 'gender', 'id', 'meta', 'name', 'resourceType']);
      assert.equal(hit.birthDate, '1980');
      assert.equal(hit.name[0].text, 'Ramesh Kumar');
      assertOutcome(await refused(as(tok.barwala).read({ resourceType: 'Patient', id: ramesh.id })), 403, 'forbidden');
      assertOutcome(await refused(as(tok.hisarDo).search({ resourceType: 'Patient', searchParams: { name: 'Ramesh' } })), 403, 'forbidden');
    });

    test('a facility operator of a Mandi facility cannot read or write a Hisar patient\'s records (403)', async () => {
      const mandi = as(tok.mandi);
      assertOutcome(await refused(mandi.read({ resourceType: 'Patient', id: ramesh.id })), 403, 'forbidden');
      assertOutcome(await refused(mandi.update({ resourceType: 'Patient', id: ramesh.id, body: ramesh })), 403, 'forbidden');
      const enc = { resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, subject: { reference: `Patient/${ramesh.id}` } };
      assertOutcome(await refused(mandi.create({ resourceType: 'Encounter', body: enc })), 403, 'forbidden');
      const mine: any = await as(tok.adampur).create({ resourceType: 'Encounter', body: enc });
      assertOutcome(await refused(mandi.read({ resourceType: 'Encounter', id: mine.id })), 403, 'forbidden');
      assertOutcome(await refused(mandi.search({ resourceType: 'Encounter', searchParams: { patient: `Patient/${ramesh.id}` } })), 403, 'forbidden');
      const open: any = await mandi.search({ resourceType: 'Encounter', searchParams: {} });
      assert.ok(!open.entry.some((e: any) => e.resource.id === mine.id), 'left out of searches that name no patient');
      const names: any = await mandi.search({ resourceType: 'Patient', searchParams: { name: 'Ramesh Kumar' } });
      assert.equal(names.entry.length, 0, 'Himachal staff do not find Haryana patients');
    });

    test('without a token everything but metadata is 401 OperationOutcome; the rest of the API keeps its error shape', async () => {
      const anon = as(null);
      assertOutcome(await refused(anon.read({ resourceType: 'Patient', id: ramesh.id })), 401, 'login');
      assertOutcome(await refused(anon.search({ resourceType: 'Patient', searchParams: { name: 'Ramesh' } })), 401, 'login');
      assertOutcome(await refused(anon.create({ resourceType: 'Condition', body: { resourceType: 'Condition', subject: { reference: `Patient/${ramesh.id}` } } })), 401, 'login');
      assertOutcome(await refused(anon.search({ resourceType: 'Organization' })), 401, 'login');
      assertOutcome(await refused(as('not-a-token').read({ resourceType: 'Patient', id: ramesh.id })), 401, 'login');
      const api = await t.req('GET', `/api/patients/${ramesh.id}`, null);
      assert.equal(api.status, 401);
      assert.equal(api.body.error.code, 'unauthenticated');
    });

    test('bad input is 400 OperationOutcome: wrong resourceType, malformed JSON, gender unknown, bad ABHA', async () => {
      const c = as(tok.adampur);
      assertOutcome(await refused(c.create({ resourceType: 'Patient', body: { resourceType: 'Encounter', status: 'planned' } })), 400, 'invalid', 'resourceType');
      assertOutcome(await refused(c.create({ resourceType: 'Encounter', body: patientBody() })), 400, 'invalid', 'resourceType');
      assertOutcome(await refused(postRaw(c, 'Patient', '{"resourceType": "Patient", "name": [')), 400, 'structure');
      assertOutcome(await refused(postRaw(c, 'Patient', '')), 400, 'structure');
      assertOutcome(await refused(c.create({ resourceType: 'Patient', body: patientBody({ gender: 'unknown' }) })), 400, 'value', 'Patient.gender');
      const abha = await refused(c.create({ resourceType: 'Patient', body: patientBody({ identifier: [{ system: NDHM, value: '91-1234-5678' }] }) }));
      assertOutcome(abha, 400, 'value', 'Patient.identifier');
      assert.match(abha.body.issue[0].diagnostics, /14 digits/);
      const hindi = await refused(c.create({ resourceType: 'Patient', body: patientBody({ gender: 'unknown' }), options: { headers: { 'accept-language': 'hi' } } }));
      assert.match(hindi.body.issue[0].diagnostics, /[\u0900-\u097F]/, 'in Hindi when asked');
      assertOutcome(await refused(c.create({ resourceType: 'Patient', body: patientBody({ birthDate: undefined }) })), 400, 'required', 'Patient.birthDate');
      assertOutcome(await refused(c.create({ resourceType: 'Encounter', body: { resourceType: 'Encounter', class: { code: 'AMB' } } })), 400, 'required', 'Encounter.status');
      assertOutcome(await refused(postRaw(c, 'Patient', '<Patient xmlns="http://hl7.org/fhir"/>', 'application/fhir+xml')), 415, 'not-supported');
      assertOutcome(await refused(c.request('Patient?name=Ramesh', { options: { headers: { accept: 'application/fhir+xml' } } })), 406, 'not-supported');
      assertOutcome(await refused(c.delete({ resourceType: 'Patient', id: ramesh.id })), 405, 'not-supported');
      assertOutcome(await refused(c.delete({ resourceType: 'Encounter', id: 'x1' })), 405, 'not-supported');
      assertOutcome(await refused(c.read({ resourceType: 'Encounter', id: 'Zz000000000' })), 404, 'not-found');
      // A body with a byte-order mark is read as JSON.
      const bom: any = await postRaw(c, 'Patient', `\uFEFF${JSON.stringify(patientBody({ name: [{ text: 'Bom Person' }] }))}`, 'application/json');
      assert.equal(bom.name[0].text, 'Bom Person');
      assert.match(Client.httpFor(bom).response!.headers.get('content-type') ?? '', /^application\/fhir\+json/, 'answered as FHIR JSON');
    });

    test('Encounter, Condition, MedicationRequest, MedicationStatement, Practitioner: create, read, update, search, audit', async () => {
      const c = as(tok.adampur);
      const subject = { reference: `Patient/${ramesh.id}` };
      const bodies: Record<string, any> = {
        Encounter: { resourceType: 'Encounter', id: 'client-id', status: 'in-progress', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' }, subject },
        Condition: { resourceType: 'Condition', code: { text: 'Fever' }, subject: { reference: `${base}/Patient/${ramesh.id}` } },
        MedicationRequest: { resourceType: 'MedicationRequest', status: 'active', intent: 'order', medicationCodeableConcept: { text: 'Paracetamol 500 mg' }, subject },
        MedicationStatement: { resourceType: 'MedicationStatement', status: 'active', medicationCodeableConcept: { text: 'Metformin' }, subject: { identifier: { system: NDHM, value: rameshAbha } } },
        Practitioner: { resourceType: 'Practitioner', identifier: [{ system: 'https://doctor.ndhm.gov.in', value: '71-1234-5678-9012' }], name: [{ text: 'Dr. Anita Sharma' }] },
      };
      for (const [type, body] of Object.entries(bodies)) {
        const created: any = await c.create({ resourceType: type, body });
        assert.notEqual(created.id, 'client-id', 'the server assigns ids');
        assert.equal(created.meta.versionId, '1');
        if (type !== 'Practitioner') assert.equal(created.subject.reference, `Patient/${ramesh.id}`, `${type}: the subject is a plain reference to the registry id`);
        const read: any = await c.read({ resourceType: type, id: created.id });
        assert.deepEqual(read, created);
        const updated: any = await c.update({ resourceType: type, id: created.id, body: { ...read, text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">updated</div>' } } });
        assert.equal(updated.meta.versionId, '2');
        const audit = await t.db.kysely.selectFrom('audit_log').select(['action', 'purpose']).where('entity', '=', `fhir_${type.toLowerCase()}`).where('entity_id', '=', created.id).execute();
        assert.deepEqual(audit.map((a) => a.action).sort(), ['create', 'read', 'update']);
        assert.equal(audit.find((a) => a.action === 'read')!.purpose, 'care');
        const found: any = await c.search({ resourceType: type, searchParams: { _id: created.id } });
        assert.deepEqual(found.entry.map((e: any) => e.resource.id), [created.id]);
      }
      for (const patient of [`Patient/${ramesh.id}`, ramesh.id]) {
        for (const key of ['patient', 'subject']) {
          const b: any = await c.search({ resourceType: 'Condition', searchParams: { [key]: patient } });
          assert.equal(b.total, 1);
        }
      }
      const byId: any = await c.search({ resourceType: 'Practitioner', searchParams: { identifier: 'https://doctor.ndhm.gov.in|71-1234-5678-9012' } });
      assert.equal(byId.entry.length, 1);
      for (let i = 0; i < 4; i++) await c.create({ resourceType: 'Condition', body: { resourceType: 'Condition', code: { text: `Complaint ${i}` }, subject } });
      let page: any = await c.search({ resourceType: 'Condition', searchParams: { patient: ramesh.id, _count: 2 } });
      const seen: string[] = [];
      while (page) { seen.push(...page.entry.map((e: any) => e.resource.id)); page = await c.nextPage({ bundle: page }); }
      assert.equal(new Set(seen).size, 5);
      assertOutcome(await refused(c.create({ resourceType: 'Encounter', body: { ...bodies.Encounter, subject: { reference: 'Patient/nobody' } } })), 422, 'processing', 'Encounter.subject');
    });

    test('Organization and Location come from the facility registry, read-only', async () => {
      const c = as(tok.hisarDo);
      const org: any = await c.read({ resourceType: 'Organization', id: fac.adampur });
      assert.equal(org.name, 'PHC Adampur');
      assert.deepEqual(org.identifier.find((i: any) => i.system === 'https://facility.ndhm.gov.in')?.value, 'IN0610000123');
      assert.equal(org.address[0].district, 'Hisar');
      const loc: any = await c.read({ resourceType: 'Location', id: fac.adampur });
      assert.deepEqual(loc.position, { latitude: 29.15, longitude: 75.72 });
      assert.equal(loc.managingOrganization.reference, `Organization/${fac.adampur}`);
      const byName: any = await c.search({ resourceType: 'Organization', searchParams: { name: 'adampur' } });
      assert.deepEqual(byName.entry.map((e: any) => e.resource.id), [fac.adampur]);
      const byHfr: any = await c.search({ resourceType: 'Location', searchParams: { identifier: 'https://facility.ndhm.gov.in|IN0610000123' } });
      assert.deepEqual(byHfr.entry.map((e: any) => e.resource.id), [fac.adampur]);
      const counted: any = await c.search({ resourceType: 'Organization', searchParams: { _count: 1 } });
      assert.equal(counted.entry.length, 1);
      assert.ok(counted.total >= 2 && counted.link.some((l: any) => l.relation === 'next'));
      assert.equal((await c.search({ resourceType: 'Organization', searchParams: { _id: fac.mandi } }) as any).entry.length, 0, 'Mandi is outside a Hisar officer\'s area');
      assertOutcome(await refused(c.read({ resourceType: 'Organization', id: fac.mandi })), 403, 'forbidden');
      assertOutcome(await refused(c.create({ resourceType: 'Organization', body: { resourceType: 'Organization', name: 'X' } })), 405, 'not-supported');
      assertOutcome(await refused(c.update({ resourceType: 'Location', id: fac.adampur, body: loc })), 405, 'not-supported');
    });

    test('a transaction bundle is kept all or nothing, urn:uuid references rewritten', async () => {
      const c = as(tok.adampur);
      const patient = patientBody({ name: [{ text: 'Bundle Person' }], identifier: [{ system: NDHM, value: abhaOf('9155555555555') }] });
      const good = {
        resourceType: 'Bundle', type: 'transaction',
        entry: [
          { fullUrl: 'urn:uuid:a1b2c3d4-0000-4000-8000-000000000001', resource: { resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, subject: { reference: 'urn:uuid:a1b2c3d4-0000-4000-8000-000000000002' } }, request: { method: 'POST', url: 'Encounter' } },
          { fullUrl: 'urn:uuid:a1b2c3d4-0000-4000-8000-000000000002', resource: patient, request: { method: 'POST', url: 'Patient' } },
          { fullUrl: 'urn:uuid:a1b2c3d4-0000-4000-8000-000000000003', resource: { resourceType: 'Condition', code: { text: 'Cough' }, subject: { reference: 'urn:uuid:a1b2c3d4-0000-4000-8000-000000000002' }, encounter: { reference: 'urn:uuid:a1b2c3d4-0000-4000-8000-000000000001' } }, request: { method: 'POST', url: 'Condition' } },
        ],
      };
      const bad = structuredClone(good);
      bad.entry.push({ fullUrl: 'urn:uuid:x', resource: { resourceType: 'MedicationRequest', intent: 'order', subject: { reference: 'urn:uuid:a1b2c3d4-0000-4000-8000-000000000002' } } as any, request: { method: 'POST', url: 'MedicationRequest' } });
      const failed = await refused(c.transaction({ body: bad }));
      assertOutcome(failed, 400, 'required', 'Bundle.entry[3].resource.status');
      const none: any = await c.search({ resourceType: 'Patient', searchParams: { identifier: `${NDHM}|${abhaOf('9155555555555')}` } });
      assert.equal(none.entry.length, 0, 'the patient of the failed bundle was not kept');

      const res: any = await c.transaction({ body: good });
      assert.equal(res.type, 'transaction-response');
      assert.deepEqual(res.entry.map((e: any) => e.response.status), ['201 Created', '201 Created', '201 Created']);
      const [enc, pat, cond] = res.entry.map((e: any) => e.response.location.split('/'));
      assert.equal(pat[0], 'Patient');
      const condition: any = await c.read({ resourceType: 'Condition', id: cond[1] });
      assert.equal(condition.subject.reference, `Patient/${pat[1]}`);
      assert.equal(condition.encounter.reference, `Encounter/${enc[1]}`);
      // The same patient again (matched by ABHA), through POST /fhir without the trailing slash.
      const again: any = await c.request(base, { method: 'POST', body: { ...good, entry: [good.entry[1]] }, options: { headers: { 'content-type': 'application/fhir+json' } } });
      assert.equal(again.entry[0].response.status, '200 OK');
      assert.equal(again.entry[0].response.location.split('/')[1], pat[1]);
      assertOutcome(await refused(c.transaction({ body: { resourceType: 'Bundle', type: 'batch', entry: [] } })), 400, 'not-supported', 'Bundle.type');
      assertOutcome(await refused(as(tok.mandi).transaction({ body: { ...good, entry: [good.entry[1]] } })), 403, 'forbidden');
      // Matching a registered patient links them to the sender's facility: that needs the patient's
      // presence, and the refusal names no one (not even the state number the ABHA number led to).
      const number = (await t.req('GET', `/api/patients/${pat[1]}`, tok.adampur)).body.stateNumber as string;
      const hidden = await t.req('POST', '/fhir', tok.mandi, { ...good, entry: [good.entry[1]] }, { 'content-type': 'application/fhir+json' });
      assert.equal(hidden.status, 403);
      assert.ok(!JSON.stringify(hidden.body).includes(number), JSON.stringify(hidden.body));
      assert.equal((await t.req('POST', `/api/patients/${pat[1]}/presence`, tok.mandi, { method: 'break_glass', reason: 'brought in unconscious, no card or phone' })).status, 201);
      const present: any = await as(tok.mandi).transaction({ body: { ...good, entry: [good.entry[1]] } });
      assert.equal(present.entry[0].response.status, '200 OK');
    });

    const fixtures = hasShared(...FIXTURES) ? fs.readdirSync(sharedPath(...FIXTURES)).filter((f) => f.endsWith('.json')).sort() : [];
    test('every FHIR file in ../shared/fixtures/fhir is taken and read back', { skip: fixtures.length ? false : '../shared/fixtures/fhir is absent' }, async () => {
      const c = as(tok.adampur);
      const text = (f: string) => readShared(...FIXTURES, f);
      const json = (f: string) => JSON.parse(text(f).replace(/^\uFEFF/, ''));
      let patientId = '';
      // Single resources first (the Patient before what refers to it), then the bundles.
      const order = (f: string) => ['Patient', 'Encounter', 'MedicationRequest'].findIndex((x) => json(f).resourceType === x);
      const singles = fixtures.filter((f) => json(f).resourceType !== 'Bundle').sort((a, b) => order(a) - order(b));
      const bundles = fixtures.filter((f) => json(f).resourceType === 'Bundle');
      assert.ok(singles.length && bundles.length);
      for (const f of singles) {
        const original = json(f);
        const type = original.resourceType as string;
        let body = text(f);
        if (type !== 'Patient') {
          // The file refers to a patient of its own server: 422 as it stands, taken once pointed at ours.
          assertOutcome(await refused(postRaw(c, type, body)), 422, 'processing', `${type}.subject`);
          body = body.replace(/"reference"\s*:\s*"Patient\/[^"]+"/, `"reference": "Patient/${patientId}"`);
        }
        const created: any = await postRaw(c, type, body);
        assert.equal(created.resourceType, type, f);
        const read: any = await c.read({ resourceType: type, id: created.id });
        if (type === 'Patient') {
          patientId = created.id;
          // Kept as sent (Amsterdam stays Amsterdam); the state number is added after the sent identifiers.
          const { id: _a, meta: _b, identifier: ids, ...rest } = read;
          const { id: _d, meta: _e, identifier: sentIds, ...expected } = original;
          assert.deepEqual(rest, expected, `${f} comes back as sent`);
          assert.deepEqual(ids.slice(0, sentIds.length), sentIds);
          assert.deepEqual(ids.slice(sentIds.length).map((i: any) => i.system), [STATE_NUMBER]);
        } else {
          const { id: _a, meta: _b, subject: _c, ...rest } = read;
          const { id: _d, meta: _e, subject: _f, ...expected } = original;
          assert.deepEqual(rest, expected, `${f} comes back as sent`);
          assert.equal(read.subject.reference, `Patient/${patientId}`);
        }
      }

      let abdmPatient = '';
      for (const f of bundles) {
        const original = json(f);
        const res: any = await postRaw(c, '', text(f));
        assert.equal(res.type, 'transaction-response', f);
        assert.equal(res.entry.length, original.entry.length);
        const patientAt = original.entry.findIndex((e: any) => e.resource.resourceType === 'Patient');
        abdmPatient ||= res.entry[patientAt].response.location.split('/')[1];
        for (const [i, e] of res.entry.entries()) {
          const type = original.entry[i].resource.resourceType;
          assert.match(e.response.status, /^(201 Created|200 OK)$/);
          const [rt, id] = e.response.location.split('/');
          assert.equal(rt, type, `${f} entry ${i}`);
          const read: any = await c.read({ resourceType: rt, id });
          assert.equal(read.resourceType, type);
          if (type === 'Patient') {
            assert.equal(id, abdmPatient, 'the same ABHA number is the same patient in every document');
            assert.ok(read.identifier.some((x: any) => x.system === NDHM && x.value === '22-7225-4829-5255'));
          } else {
            const refs = (JSON.stringify(read).match(/"reference":"[^"]+"/g) ?? []).map((r) => r.slice(13, -1));
            assert.ok(refs.every((r) => /^(#.*|[A-Z][A-Za-z]+\/[A-Za-z][A-Za-z0-9]{10})$/.test(r)), `${f} ${type}: references point at kept ids (${refs.join(', ')})`);
            if (read.subject?.reference) assert.equal(read.subject.reference, `Patient/${abdmPatient}`);
          }
        }
      }
      const one: any = await c.search({ resourceType: 'Patient', searchParams: { identifier: `${NDHM}|22-7225-4829-5255` } });
      assert.equal(one.entry.length, 1);
      const encounters: any = await c.search({ resourceType: 'Encounter', searchParams: { patient: abdmPatient } });
      assert.equal(encounters.total, bundles.filter((f) => json(f).entry.some((e: any) => e.resource.resourceType === 'Encounter')).length);
      const practitioners: any = await c.search({ resourceType: 'Practitioner', searchParams: { identifier: 'https://doctor.ndhm.gov.in|21-1521-3828-3227' } });
      assert.equal(practitioners.total, 1, 'the doctor is kept once and found again');
      const hospitals: any = await c.search({ resourceType: 'Organization', searchParams: { _id: 'x' } });
      assert.equal(hospitals.entry.length, 0);
      const kept = await t.db.kysely.selectFrom('fhir_resources').select('id').where('resource_type', '=', 'Organization').execute();
      assert.equal(kept.length, 2, 'the two hospitals of the documents (HFR 4567823, 4567878), each kept once');
      const binary: any = await c.search({ resourceType: 'Binary', searchParams: { patient: abdmPatient } });
      assert.ok(binary.total >= 1, 'a Binary in a document is kept as the patient\'s');
      assertOutcome(await refused(as(tok.barwala).read({ resourceType: 'Binary', id: binary.entry[0].resource.id })), 403, 'forbidden');
    });
  });
}
