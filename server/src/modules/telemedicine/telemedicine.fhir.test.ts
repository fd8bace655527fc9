import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { luhnCheckDigit } from '../patients/patients.identity.js';
import { buildNetwork, DOCTOR, inConsultation, pdfText, type Network } from './telemedicine.clinical.fixture.js';

const ABHA = `9152341234567${luhnCheckDigit('9152341234567')}`.replace(/^(\d{2})(\d{4})(\d{4})(\d{4})$/, '$1-$2-$3-$4');

/** The resources of a bundle by type, and a resolver of its urn:uuid references. */
function index(bundle: any) {
  const byUrl = new Map<string, any>(bundle.entry.map((e: any) => [e.fullUrl, e.resource]));
  const of = (type: string) => bundle.entry.map((e: any) => e.resource).filter((r: any) => r.resourceType === type);
  return { of, get: (ref: { reference: string }) => byUrl.get(ref.reference) };
}

for (const engine of testEngines()) {
  describe(`telemedicine FHIR export [${engine}]`, () => {
    let t: TestApp;
    let fresh: TestApp;
    let n: Network;
    let c: Awaited<ReturnType<typeof inConsultation>>;
    const followUp = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    before(async () => {
      t = await startTestApp(engine);
      fresh = await startTestApp(engine);
      n = await buildNetwork(t);
      c = await inConsultation(t, n, { abha: ABHA });
      const rec = await t.req('PUT', `/api/telemedicine/requests/${c.requestId}/consultation`, n.tok.doctor, { notes: 'Throat congested', diagnoses: [{ code: 'J06.9' }, { code: 'I10' }], advice: 'Salt-light diet', followUpOn: followUp });
      assert.equal(rec.status, 200, JSON.stringify(rec.body));
      const rx = await t.req('POST', `/api/telemedicine/requests/${c.requestId}/prescriptions`, n.tok.doctor, { items: [
        { code: 'paracetamol-500-tab', dose: '1 tablet', frequency: 'TDS', days: 3 },
        { code: 'amlodipine-5-tab', dose: '1 tablet', frequency: 'OD', days: 30, instructions: 'in the morning' },
      ] });
      assert.equal(rx.status, 201, JSON.stringify(rx.body));
      const ref = await t.req('POST', '/api/referrals', n.tok.doctor, { patientId: c.patient.id, requestId: c.requestId, toFacilityId: n.hospital, urgency: 'routine', reason: 'ECG and echo', specialty: 'cardiology' });
      assert.equal(ref.status, 201, JSON.stringify(ref.body));
      assert.equal((await t.req('POST', `/api/telemedicine/requests/${c.requestId}/complete`, n.tok.doctor)).status, 200);
    });
    after(async () => { await t.close(); await fresh.close(); });

    const exportOf = (token: string, type: string) => t.req('GET', `/api/telemedicine/requests/${c.requestId}/fhir?type=${type}`, token);

    test('OPConsultRecord: an ABDM document with the patient, doctor, hub, encounter, diagnoses, medicines, referral and follow-up', async () => {
      const r = await exportOf(n.tok.doctor, 'OPConsultRecord');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const b = r.body;
      assert.equal(b.resourceType, 'Bundle');
      assert.equal(b.type, 'document');
      assert.deepEqual(b.meta.profile, ['https://nrces.in/ndhm/fhir/r4/StructureDefinition/DocumentBundle']);
      const x = index(b);
      const composition = b.entry[0].resource;
      assert.equal(composition.resourceType, 'Composition', 'the Composition comes first');
      assert.deepEqual(composition.meta.profile, ['https://nrces.in/ndhm/fhir/r4/StructureDefinition/OPConsultRecord']);
      assert.deepEqual(composition.type.coding[0], { system: 'http://snomed.info/sct', code: '371530004', display: 'Clinical consultation report' });
      assert.equal(composition.status, 'final');
      const patient = x.get(composition.subject);
      assert.equal(patient.resourceType, 'Patient');
      assert.ok(patient.identifier.some((i: any) => i.value === c.patient.stateNumber));
      const practitioner = x.get(composition.author[0]);
      assert.ok(practitioner.identifier.some((i: any) => i.value === DOCTOR.registrationNumber && i.assigner.display === DOCTOR.council));
      assert.ok(practitioner.identifier.some((i: any) => i.system === 'https://doctor.ndhm.gov.in' && i.value === DOCTOR.hprId));
      assert.equal(x.get(composition.custodian).identifier[0].value, 'IN0610000123', 'the hub by its HFR id');
      const encounter = x.get(composition.encounter);
      assert.equal(encounter.status, 'finished');
      assert.equal(encounter.class.code, 'VR');
      const conditions = x.of('Condition').filter((cd: any) => cd.code.coding);
      assert.deepEqual(conditions.map((cd: any) => cd.code.coding[0].code), ['J06.9', 'I10']);
      assert.equal(conditions[0].code.coding[0].system, 'http://hl7.org/fhir/sid/icd-10');
      const meds = x.of('MedicationRequest');
      assert.deepEqual(meds.map((m: any) => m.medicationCodeableConcept.text), ['Paracetamol 500 mg tablet', 'Amlodipine 5 mg tablet']);
      assert.deepEqual(meds[0].dosageInstruction[0].timing.repeat, { boundsDuration: { value: 3, unit: 'days', system: 'http://unitsofmeasure.org', code: 'd' }, frequency: 3, period: 1, periodUnit: 'd' });
      assert.equal(meds[0].dispenseRequest.quantity.value, 9);
      assert.equal(x.get(meds[1].requester).resourceType, 'Practitioner');
      const titles = composition.section.map((s: any) => s.title);
      assert.deepEqual(titles, ['Chief complaints', 'Other Observations', 'Medications', 'Follow Up', 'Referral']);
      const referral = x.get(composition.section[4].entry[0]);
      assert.equal(referral.resourceType, 'ServiceRequest');
      assert.equal(referral.performer[0].display, 'Civil Hospital Hisar');
      assert.equal(x.get(composition.section[3].entry[0]).requestedPeriod[0].start, followUp);
      for (const e of b.entry) assert.match(e.fullUrl, /^urn:uuid:[0-9a-f-]{36}$/);
    });

    test('PrescriptionRecord carries the medicines and the printed PDF', async () => {
      const r = await exportOf(n.tok.cho, 'PrescriptionRecord');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const composition = r.body.entry[0].resource;
      assert.deepEqual(composition.type.coding[0].code, '440545006');
      assert.deepEqual(composition.meta.profile, ['https://nrces.in/ndhm/fhir/r4/StructureDefinition/PrescriptionRecord']);
      const binary = index(r.body).of('Binary')[0];
      assert.equal(binary.contentType, 'application/pdf');
      assert.ok(pdfText(Buffer.from(binary.data, 'base64')).includes(DOCTOR.registrationNumber));
    });

    test('only those who may read both the consultation and patient records export it', async () => {
      assert.equal((await exportOf(n.tok.doctor2, 'OPConsultRecord')).status, 403);
      assert.equal((await exportOf(n.tok.mandiCho, 'OPConsultRecord')).status, 403);
      assert.equal((await exportOf(n.tok.hisarDo, 'OPConsultRecord')).status, 403, 'officers read counts, not records');
      assert.equal((await exportOf(n.tok.doctor, 'DischargeSummary')).status, 400);
      const p = await t.req('POST', '/api/patients', n.tok.cho, { name: 'Waiting Person', sex: 'male', age: 30, address: { district: 63 } });
      const w = await t.req('POST', '/api/telemedicine/requests', n.tok.cho, { patientId: p.body.id, hubId: n.hub, specialty: 'general_medicine' });
      const waiting = await t.req('GET', `/api/telemedicine/requests/${w.body.id}/fhir`, n.tok.cho, undefined, { 'accept-language': 'hi' });
      assert.equal(waiting.status, 409);
      assert.match(waiting.body.error.message, /केवल शुरू या पूरा हुआ परामर्श/);
      const audit = await t.db.kysely.selectFrom('audit_log').select('actor_username').where('entity_id', '=', c.patient.id).where('purpose', '=', 'fhir_export').execute();
      assert.equal(audit.length, 2);
    });

    test('a doctor whose name is stored with its title (as the demo doctors are) is "Dr." once, in the FHIR export and the printed prescription', async () => {
      await t.db.kysely.updateTable('tele_doctors').set({ name: `Dr. ${DOCTOR.name}` }).where('user_id', '=', n.doctorId).execute();
      try {
        const op = (await exportOf(n.tok.doctor, 'OPConsultRecord')).body;
        const practitioner = index(op).of('Practitioner')[0];
        assert.equal(practitioner.name[0].text, `Dr. ${DOCTOR.name}`);
        assert.equal(op.entry[0].resource.author[0].display, `Dr. ${DOCTOR.name}`);
        assert.ok(!JSON.stringify(op).includes('Dr. Dr.'), 'no "Dr. Dr." anywhere in the export');
        const hub = index(op).get(op.entry[0].resource.custodian);
        assert.deepEqual(hub.identifier.map((i: any) => [i.system, i.value]), [['https://facility.ndhm.gov.in', 'IN0610000123'], ['https://swasthya.example/fhir/sid/org-unit', n.hub]], 'the hub by its HFR id and its org unit');
        const rx = (await exportOf(n.tok.doctor, 'PrescriptionRecord')).body;
        const text = pdfText(Buffer.from(index(rx).of('Binary')[0].data, 'base64'));
        assert.ok(text.includes(`Dr. ${DOCTOR.name}`), 'the printed name has its title');
        assert.ok(!/Dr\.\s*Dr\./.test(text), 'and only once');
      } finally {
        await t.db.kysely.updateTable('tele_doctors').set({ name: DOCTOR.name }).where('user_id', '=', n.doctorId).execute();
      }
      const plain = index((await exportOf(n.tok.doctor, 'OPConsultRecord')).body).of('Practitioner')[0];
      assert.equal(plain.name[0].text, `Dr. ${DOCTOR.name}`, 'a name stored without the title gets it');
    });

    test('posted back to the server that exported it, the hub is its own facility and the doctor is kept once; posting it again stores nothing new', async () => {
      const bundle = (await exportOf(n.tok.doctor, 'OPConsultRecord')).body;
      const post = () => t.app.inject({ method: 'POST', url: '/fhir', headers: { authorization: `Bearer ${n.tok.doctor}`, 'content-type': 'application/fhir+json' }, payload: JSON.stringify(bundle) });
      const first = await post();
      assert.equal(first.statusCode, 200, first.body);
      const locations = JSON.parse(first.body).entry.map((e: any) => e.response.location as string);
      const orgAt = bundle.entry.findIndex((e: any) => e.resource.resourceType === 'Organization');
      assert.equal(locations[orgAt], `Organization/${n.hub}`, 'the hub is the facility, by its HFR id');
      const kept = () => t.db.kysely.selectFrom('fhir_resources').select(['resource_type']).select((eb) => eb.fn.countAll<number>().as('n')).groupBy('resource_type').execute();
      const before = await kept();
      const again = await post();
      assert.equal(again.statusCode, 200, again.body);
      const second = JSON.parse(again.body);
      assert.deepEqual(second.entry.map((e: any) => e.response.location), locations, 'the first answer');
      assert.ok(second.entry.every((e: any) => e.response.status === '200 OK'));
      assert.deepEqual(await kept(), before, 'nothing stored again');
    });

    test('round trip: the exported bundle is taken in whole by /fhir on a fresh database', async () => {
      const bundle = (await exportOf(n.tok.doctor, 'OPConsultRecord')).body;
      const facility = (await fresh.req('POST', '/api/facilities', fresh.adminToken, facilityBody({ name: 'PHC Agroha' }))).body.id;
      const operator = (await fresh.userWith('facility_operator', facility)).token;
      const res = await fresh.app.inject({ method: 'POST', url: '/fhir', headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/fhir+json' }, payload: JSON.stringify(bundle) });
      assert.equal(res.statusCode, 200, res.body);
      const answer = JSON.parse(res.body);
      assert.equal(answer.type, 'transaction-response');
      assert.equal(answer.entry.length, bundle.entry.length);
      const patientId = answer.entry.map((e: any) => e.response.location).find((l: string) => l.startsWith('Patient/')).split('/')[1];
      const fhir = async (path: string) => {
        const r = await fresh.app.inject({ method: 'GET', url: `/fhir/${path}`, headers: { authorization: `Bearer ${operator}` } });
        assert.equal(r.statusCode, 200, r.body);
        return JSON.parse(r.body);
      };
      const patient = await fhir(`Patient/${patientId}`);
      assert.equal(patient.name[0].text, 'Kamla Devi');
      assert.equal(patient.gender, 'female');
      assert.ok(patient.identifier.some((i: any) => i.system === 'https://healthid.ndhm.gov.in' && i.value === c.patient.abha), 'found by the same ABHA number');
      const conditions = await fhir(`Condition?patient=Patient/${patientId}`);
      assert.deepEqual(conditions.entry.map((e: any) => e.resource.code.coding?.[0]?.code).filter(Boolean).sort(), ['I10', 'J06.9']);
      const meds = await fhir(`MedicationRequest?patient=Patient/${patientId}`);
      assert.deepEqual(meds.entry.map((e: any) => e.resource.medicationCodeableConcept.text).sort(), ['Amlodipine 5 mg tablet', 'Paracetamol 500 mg tablet']);
      for (const e of meds.entry) {
        assert.equal(e.resource.subject.reference, `Patient/${patientId}`, 'references rewritten to the new ids');
        assert.match(e.resource.requester.reference, /^Practitioner\/\w+$/);
      }
      const compositions = await fhir(`Composition?patient=Patient/${patientId}`);
      assert.equal(compositions.entry[0].resource.type.coding[0].code, '371530004');
    });
  });
}
