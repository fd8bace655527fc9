import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { hasShared, readShared } from '../../test/shared.js';
import { luhnCheckDigit, verhoeffCheckDigit } from './patients.identity.js';
import { importIcdCodes } from './patients.visits.js';

/** A 14-digit ABHA number that passes (or, with `bad`, fails) its Luhn check. */
const abhaOf = (base13: string, bad = false) => {
  const d = luhnCheckDigit(base13);
  return `${base13}${bad ? (d + 1) % 10 : d}`.replace(/^(\d{2})(\d{4})(\d{4})(\d{4})$/, '$1-$2-$3-$4');
};
/** A synthetic Aadhaar-format number (Verhoeff-valid), never a real person's. */
const aadhaarOf = (base11: string) => `${base11}${verhoeffCheckDigit(base11)}`;

for (const engine of testEngines()) {
  describe(`patients [${engine}]`, () => {
    let t: TestApp;
    const fac: Record<string, string> = {};
    const tok: Record<string, string> = {};
    before(async () => {
      t = await startTestApp(engine, { config: { dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'swasthya-patients-')) } });
      const mk = async (o: Record<string, unknown>) => {
        const r = await t.req('POST', '/api/facilities', t.adminToken, facilityBody(o));
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body.id as string;
      };
      fac.adampur = await mk({ name: 'PHC Adampur' });
      fac.barwala = await mk({ name: 'CHC Barwala', type: 'CHC' });
      fac.scan = await mk({ name: 'Sharma Diagnostics', type: 'DIAGNOSTIC', ownership: 'private' });
      fac.mandi = await mk({ name: 'PHC Nerchowk', orgUnit: 22, latitude: 31.6, longitude: 76.9 });
      tok.adampur = (await t.userWith('facility_operator', fac.adampur)).token;
      tok.barwala = (await t.userWith('doctor', fac.barwala)).token;
      tok.scan = (await t.userWith('ultrasound_operator', fac.scan)).token;
      tok.mandi = (await t.userWith('facility_operator', fac.mandi)).token;
      tok.hisarDo = (await t.userWith('district_officer', 63)).token;
      tok.mandiDo = (await t.userWith('district_officer', 22)).token;
    });
    after(async () => { await t.close(); });

    const register = (token: string, body: Record<string, unknown>, lang = 'en') =>
      t.req('POST', '/api/patients', token, { sex: 'female', age: 30, address: { district: 63 }, ...body }, { 'accept-language': lang });

    let ramesh: any;
    let sunita: any;
    /** The patient is present with their health card (patients.presence.ts): staff who may not read the record may then serve them. */
    const showCard = async (token: string, id: string) => {
      const { card_token } = await t.db.kysely.selectFrom('patients').select('card_token').where('id', '=', id).executeTakeFirstOrThrow();
      const r = await t.req('POST', `/api/patients/${id}/presence`, token, { method: 'card', code: `SWASTHYA-CARD:${card_token}` });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    };
    test('registration at a counter: Hindi name romanised, state number, ABHA formatted, Aadhaar reduced to four digits', async () => {
      const aadhaar = aadhaarOf('23456789012');
      const r = await register(tok.adampur, { name: 'रमेश कुमार', sex: 'male', age: 45, mobile: '+91 98765 43210', abha: abhaOf('9112345678901').replace(/-/g, ''), aadhaar });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      ramesh = r.body;
      assert.match(ramesh.stateNumber, /^P06\d{9}$/);
      assert.equal(ramesh.nameHi, 'रमेश कुमार');
      assert.equal(ramesh.nameLatin, 'Ramesh Kumar');
      assert.equal(ramesh.mobile, '9876543210');
      assert.equal(ramesh.abha, abhaOf('9112345678901'));
      assert.equal(ramesh.aadhaarLast4, aadhaar.slice(-4));
      assert.equal(ramesh.birthDateEstimated, true);
      assert.equal(ramesh.age, 45);
      assert.equal(ramesh.facilityId, fac.adampur);
      assert.equal(ramesh.warnings, undefined);
      const stored = JSON.stringify(await t.db.kysely.selectFrom('patients').selectAll().execute());
      const audited = JSON.stringify(await t.db.kysely.selectFrom('audit_log').selectAll().execute());
      assert.ok(!stored.includes(aadhaar) && !audited.includes(aadhaar), 'the full Aadhaar number is stored nowhere');

      const s = await register(tok.barwala, { name: 'Sunita Devi', birthDate: '1994-03-12', mobile: '9812345678', address: { district: 63, line: 'Ward 4, Barwala' } });
      assert.equal(s.status, 201, JSON.stringify(s.body));
      sunita = s.body;
      assert.equal(sunita.nameHi, null);
      assert.equal(sunita.age >= 31, true);
    });

    test('bad identifiers are 400 naming the field, in Hindi when asked; a failed ABHA check digit is a warning', async () => {
      const bad = await register(tok.adampur, { name: 'Test Person', abha: '91-1234-5678', aadhaar: '123456789012', mobile: '12345' });
      assert.equal(bad.status, 400);
      assert.deepEqual(bad.body.error.details.fields.map((f: any) => f.field).sort(), ['aadhaar', 'abha', 'mobile']);
      assert.match(bad.body.error.message, /14 digits/);
      const hi = await register(tok.adampur, { name: 'Test Person', abha: '91-1234-5678' }, 'hi');
      assert.match(hi.body.error.message, /[\u0900-\u097F]/, 'the message is in Hindi');
      const noAge = await t.req('POST', '/api/patients', tok.adampur, { name: 'X Y', sex: 'male', address: { district: 63 } });
      assert.equal(noAge.status, 400);
      assert.equal(noAge.body.error.details.fields[0].field, 'birthDate');
      const warned = await register(tok.adampur, { name: 'Kamla Rani', abha: abhaOf('9187654321098', true) });
      assert.equal(warned.status, 201, JSON.stringify(warned.body));
      assert.equal(warned.body.warnings[0].code, 'abha_check_digit');
      const again = await register(tok.barwala, { name: 'Kamla Rani', abha: abhaOf('9187654321098', true) });
      assert.equal(again.status, 409, 'an ABHA number belongs to one patient');
      assert.equal(again.body.error.details.stateNumber, warned.body.stateNumber);
      const wrongPlace = await register(tok.adampur, { name: 'Asha', address: { district: 63, block: 99999 } });
      assert.equal(wrongPlace.status, 404);
      const noFacility = await register(tok.hisarDo, { name: 'Officer Entry' });
      assert.equal(noFacility.status, 403, 'a district officer does not register patients');
    });

    test('search across scripts and misspellings, by mobile, ABHA and number; never across states', async () => {
      const names = async (q: string, token = tok.barwala) => {
        const r = await t.req('GET', `/api/patients?q=${encodeURIComponent(q)}`, token);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return r.body.items.map((i: any) => i.stateNumber);
      };
      assert.ok((await names('Ramesh Kumar')).includes(ramesh.stateNumber), 'Latin finds Devanagari');
      assert.ok((await names('Rmesh Kumar')).includes(ramesh.stateNumber), 'a misspelling still finds');
      assert.ok((await names('सुनीता देवी')).includes(sunita.stateNumber), 'Devanagari finds Latin');
      const rakesh = (await register(tok.barwala, { name: 'राकेश पांडे', sex: 'male', age: 50 })).body;
      assert.ok((await names('Rksh Pande')).includes(rakesh.stateNumber), 'vowels left out: the same consonants still find');
      assert.ok((await names('Rakesh')).includes(rakesh.stateNumber), 'the first name alone finds by the beginning of the name');
      assert.ok(!(await names('Sunita Devi')).includes(ramesh.stateNumber));
      assert.deepEqual(await names('98765-43210'), [ramesh.stateNumber]);
      assert.deepEqual(await names(ramesh.abha), [ramesh.stateNumber]);
      assert.deepEqual(await names(ramesh.stateNumber.toLowerCase()), [ramesh.stateNumber]);
      assert.deepEqual(await names('Ramesh Kumar', tok.mandi), [], 'Himachal staff do not find Haryana patients');
      const item = (await t.req('GET', `/api/patients?q=Ramesh`, tok.barwala)).body.items[0];
      assert.equal(item.mobileLast4, '3210');
      assert.equal(item.mobile, undefined, 'a search shows only the last four digits of the mobile');
      assert.equal(item.canRead, false, 'Barwala has not seen Ramesh yet');
      assert.equal((await t.req('GET', '/api/patients?q=Ramesh', tok.hisarDo)).status, 403);
    });

    test('likely duplicates before registering', async () => {
      const r = await t.req('GET', `/api/patients/duplicates?name=${encodeURIComponent('Ramesh Kumar')}&sex=male&age=44`, tok.barwala);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.items[0]?.stateNumber, ramesh.stateNumber);
      const byMobile = await t.req('GET', `/api/patients/duplicates?name=${encodeURIComponent('Sunita')}&mobile=9812345678`, tok.adampur);
      assert.ok(byMobile.body.items.some((i: any) => i.stateNumber === sunita.stateNumber && i.sameMobile));
      const none = await t.req('GET', `/api/patients/duplicates?name=${encodeURIComponent('Ramesh Kumar')}&sex=male&age=20`, tok.barwala);
      assert.equal(none.body.items.length, 0, 'born 25 years apart is someone else');
    });

    test('privacy: only facilities where the patient is registered or seen read the record; reads are audited with purpose', async () => {
      assert.equal((await t.req('GET', `/api/patients/${ramesh.id}`, tok.adampur)).status, 200);
      const denied = await t.req('GET', `/api/patients/${ramesh.id}`, tok.barwala);
      assert.equal(denied.status, 403);
      assert.match(denied.body.error.message, /registered or has been seen/);
      assert.equal((await t.req('GET', `/api/patients/${ramesh.id}`, tok.hisarDo)).status, 403);
      assert.equal((await t.req('GET', '/api/patients/Abcdefghijk', tok.adampur)).status, 404);

      // A write does not grant a read: Barwala first shows Ramesh present (his health card), then registers the visit.
      const refused = await t.req('POST', '/api/opd/registrations', tok.barwala, { patientId: ramesh.id, department: 'General' });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.details.reason, 'presence_required');
      assert.ok(!JSON.stringify(refused.body).includes('Ramesh'), 'the refusal names no one');
      await showCard(tok.barwala, ramesh.id);
      const opd = await t.req('POST', '/api/opd/registrations', tok.barwala, { patientId: ramesh.id, department: 'General' });
      assert.equal(opd.status, 201, JSON.stringify(opd.body));
      const record = await t.req('GET', `/api/patients/${ramesh.stateNumber}?purpose=consultation`, tok.barwala);
      assert.equal(record.status, 200);
      assert.deepEqual(record.body.facilities.map((f: any) => f.name).sort(), ['CHC Barwala', 'PHC Adampur']);
      assert.equal(record.body.address.place, 'Hisar');
      const log = await t.req('GET', `/api/patients/${ramesh.id}/access-log`, tok.adampur);
      assert.equal(log.status, 200);
      assert.deepEqual(log.body.items.filter((i: any) => i.action === 'read').map((i: any) => i.purpose), ['consultation', 'care']);
    });

    test('health card: PDF in A6 and ID-1 with Hindi embedded, and a QR code that staff resolve', async () => {
      const pdf = await t.app.inject({ method: 'GET', url: `/api/patients/${ramesh.id}/card.pdf`, headers: { authorization: `Bearer ${tok.adampur}` } });
      assert.equal(pdf.statusCode, 200, pdf.body);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      const text = pdf.rawPayload.toString('latin1');
      assert.ok(text.startsWith('%PDF-'));
      assert.match(text, /\/MediaBox \[0 0 297\.6\d* 419\.5\d*\]/, 'A6: 105 × 148 mm');
      assert.match(text, /NotoSansDevanagari/, 'the Hindi font is embedded');
      const id1 = await t.app.inject({ method: 'GET', url: `/api/patients/${ramesh.id}/card.pdf?size=id1`, headers: { authorization: `Bearer ${tok.adampur}` } });
      assert.match(id1.rawPayload.toString('latin1'), /\/MediaBox \[0 0 242\.6\d* 153\.0\d*\]/, 'ID-1: 85.6 × 53.98 mm');
      assert.equal((await t.req('GET', `/api/patients/${ramesh.id}/card.pdf`, tok.mandi)).status, 403);

      const card = await t.req('GET', `/api/patients/${ramesh.id}/card`, tok.adampur);
      assert.match(card.body.qr, /^SWASTHYA-CARD:[\w-]{20,}$/);
      assert.ok(!card.body.qr.includes(ramesh.id) && !card.body.qr.includes(ramesh.stateNumber), 'the code reveals nothing by itself');
      const scanned = await t.req('POST', '/api/cards/resolve', tok.barwala, { code: card.body.qr });
      assert.equal(scanned.status, 200, JSON.stringify(scanned.body));
      assert.equal(scanned.body.stateNumber, ramesh.stateNumber);
      assert.equal(scanned.body.mobile, undefined);
      assert.equal((await t.req('POST', '/api/cards/resolve', tok.scan, { code: card.body.qr })).status, 403, 'an ultrasound centre is not a scanner of health cards');
      assert.equal((await t.req('POST', '/api/cards/resolve', tok.barwala, { code: 'SWASTHYA-CARD:nothing' })).status, 404);
      assert.equal((await t.req('POST', '/api/cards/resolve', tok.barwala, { code: 'hello' })).status, 400);
    });

    test('families: a household with its head and members; who lacks an ABHA or a card', async () => {
      const made = await t.req('POST', '/api/families', tok.adampur, { headPatientId: ramesh.id, externalId: 'HP-FAM-0001' });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      assert.match(made.body.familyNumber, /^F06\d{9}$/);
      const wife = await register(tok.adampur, { name: 'शांति देवी', age: 42 });
      const added = await t.req('POST', `/api/families/${made.body.familyNumber}/members`, tok.adampur, { patientId: wife.body.id, relation: 'spouse' });
      assert.equal(added.status, 200, JSON.stringify(added.body));
      assert.deepEqual(added.body.members.map((m: any) => [m.relation, m.hasAbha]), [['head', true], ['spouse', false]]);
      assert.deepEqual(added.body.withoutAbha, [wife.body.id]);
      assert.ok(!added.body.withoutCard.includes(ramesh.id), 'Ramesh was printed a card above');
      assert.ok(added.body.withoutCard.includes(wife.body.id));
      const twice = await t.req('POST', `/api/families/${made.body.id}/members`, tok.adampur, { patientId: wife.body.id, relation: 'sister' });
      assert.equal(twice.status, 409, 'one family per person');
      assert.equal((await t.req('POST', `/api/families/${made.body.id}/members`, tok.adampur, { patientId: sunita.id, relation: 'cousin' })).status, 400);
      assert.equal((await t.req('GET', '/api/families/HP-FAM-0001', tok.barwala)).body.members.length, 2, 'found by the state\'s own family id');
      assert.equal((await t.req('GET', `/api/families/${made.body.id}`, tok.mandi)).status, 403, 'another state');
    });

    test('merging a duplicate moves its visits and links, is audited, and can be undone', async () => {
      const dup = await register(tok.adampur, { name: 'Ramesh Kumaar', sex: 'male', age: 45 });
      assert.equal(dup.status, 201);
      await t.req('POST', '/api/opd/registrations', tok.adampur, { patientId: dup.body.id, department: 'ortho' });
      assert.equal((await t.req('POST', `/api/patients/${dup.body.id}/merge`, tok.mandi, { into: ramesh.id, reason: 'same man' })).status, 403);
      const merged = await t.req('POST', `/api/patients/${dup.body.id}/merge`, tok.adampur, { into: ramesh.id, reason: 'same man, same mobile at home' });
      assert.equal(merged.status, 200, JSON.stringify(merged.body));
      assert.equal(merged.body.moved.opd_registrations, 1);
      const again = await t.req('POST', `/api/patients/${dup.body.id}/merge`, tok.adampur, { into: ramesh.id, reason: 'again' });
      assert.equal(again.status, 409);
      const hit = (await t.req('GET', `/api/patients?q=${dup.body.stateNumber}`, tok.adampur)).body.items[0];
      assert.equal(hit.mergedInto, ramesh.id, 'the duplicate points to the patient kept');
      const visits = () => t.db.kysely.selectFrom('opd_registrations').select('patient_id').where('department', '=', 'ortho').execute();
      assert.deepEqual((await visits()).map((v) => v.patient_id), [ramesh.id]);
      const undo = await t.req('POST', `/api/patients/merges/${merged.body.mergeId}/undo`, tok.adampur);
      assert.equal(undo.status, 200, JSON.stringify(undo.body));
      assert.deepEqual((await visits()).map((v) => v.patient_id), [dup.body.id]);
      assert.equal((await t.req('POST', `/api/patients/merges/${merged.body.mergeId}/undo`, tok.adampur)).status, 409);
      const audit = await t.db.kysely.selectFrom('audit_log').select('purpose').where('entity_id', '=', dup.body.id).where('action', '=', 'update').orderBy('id').execute();
      assert.deepEqual(audit.map((a) => a.purpose), ['merge', 'unmerge']);
    });

    test('OPD visits with ICD-10 diagnoses count themselves into the monthly HMIS return', async () => {
      const icd = hasShared('data', 'codes', 'icd10cm_2018_categories.csv')
        ? readShared('data', 'codes', 'icd10cm_2018_categories.csv')
        : 'code,title\nJ18,"Pneumonia, unspecified organism"\nE11,"Type 2 diabetes mellitus"\nI10,"Essential (primary) hypertension"\nA09,"Infectious gastroenteritis and colitis, unspecified"\n';
      const loaded = await importIcdCodes(t.db.kysely, `${icd}\nXX1,"not a code"\n`);
      assert.deepEqual(loaded.refused, [{ line: loaded.read + 1, reason: '"XX1" is not an ICD-10 code' }]);
      const found = await t.req('GET', '/api/codes/icd10?q=pneumonia%2C%20unspecified', tok.adampur);
      assert.equal(found.body.items[0]?.code, 'J18', JSON.stringify(found.body.items.slice(0, 5)));
      assert.equal((await t.req('GET', '/api/codes/icd10?q=J18', tok.adampur)).body.items[0].code, 'J18');

      const child = (await register(tok.adampur, { name: 'Aarav', sex: 'male', age: 3 })).body;
      const visit = (body: Record<string, unknown>) => t.req('POST', '/api/opd/visits', tok.adampur, body);
      const bad = await visit({ patientId: child.id, diagnoses: ['J18', 'pneumonia', 'Z99.99'], vitals: { temperatureC: 61, mood: 3 } });
      assert.equal(bad.status, 400);
      assert.deepEqual(bad.body.error.details.fields.map((f: any) => f.field).sort(), ['diagnoses', 'diagnoses', 'vitals.mood', 'vitals.temperatureC']);
      assert.equal((await visit({ patientId: child.id, facilityId: fac.barwala })).status, 403, 'not a facility of this operator');
      const v1 = await visit({ patientId: child.id, complaint: 'fever and fast breathing', vitals: { temperatureC: 38.9, spo2: 93 }, diagnoses: ['J18'], prescriptions: [{ drug: 'Amoxicillin syrup', dose: '250 mg', frequency: 'thrice daily', days: 5 }] });
      assert.equal(v1.status, 201, JSON.stringify(v1.body));
      const v2 = await visit({ patientId: ramesh.id, diagnoses: ['E11', 'I10'] });
      assert.equal(v2.status, 201, JSON.stringify(v2.body));
      const counts = Object.fromEntries(v2.body.hmis.updated.map((u: any) => [u.item, u.value]));
      assert.equal(counts['14.2.1'], 2, 'OPD attendance');
      assert.equal(counts['14.1.1'], 1, 'diabetes');
      assert.equal(counts['14.1.2'], 1, 'hypertension');
      assert.equal(counts['10.1'], 1, 'childhood pneumonia');
      const period = v2.body.period;
      const values = await t.req('GET', `/api/dataValueSets?dataSet=HMIS_MONTHLY&period=${period}&orgUnit=${fac.adampur}&idScheme=CODE`, tok.adampur);
      assert.equal(values.status, 200, JSON.stringify(values.body));
      const byCode = Object.fromEntries(values.body.dataValues.map((d: any) => [d.dataElement, d.value]));
      assert.equal(byCode['14.2.1'], '2', 'the return holds the count, typed by no one');
      const list = await t.req('GET', `/api/patients/${child.id}/visits`, tok.adampur);
      assert.equal(list.body.items[0].diagnoses[0].code, 'J18');
      assert.match(list.body.items[0].diagnoses[0].title, /Pneumonia/);
      assert.equal((await t.req('GET', `/api/patients/${child.id}/visits`, tok.barwala)).status, 403);
    });

    test('documents: PDFs and images by their content, at most 10 MB, read back by those who may', async () => {
      const upload = (body: Buffer, type: string, token = tok.adampur, query = '') => t.app.inject({
        method: 'POST', url: `/api/patients/${ramesh.id}/documents${query}`, headers: { authorization: `Bearer ${token}`, 'content-type': type }, payload: body,
      });
      const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2000, 32), Buffer.from('\n%%EOF\n')]);
      const ok = await upload(pdf, 'application/pdf', tok.adampur, '?title=Discharge%20summary');
      assert.equal(ok.statusCode, 201, ok.body);
      const doc = JSON.parse(ok.body);
      assert.equal(doc.mediaType, 'application/pdf');
      assert.equal(doc.bytes, pdf.length);
      const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100)]);
      assert.equal((await upload(png, 'image/png')).statusCode, 201);
      const lying = await upload(Buffer.from('<html><script>alert(1)</script></html>'), 'application/pdf');
      assert.equal(lying.statusCode, 415, 'a page sent as a PDF is refused by its content');
      assert.match(JSON.parse(lying.body).error.message, /not a PDF, JPEG, PNG or WebP/);
      const renamed = await upload(pdf, 'image/png');
      assert.equal(renamed.statusCode, 415);
      assert.match(JSON.parse(renamed.body).error.message, /sent as image\/png but its content is application\/pdf/);
      assert.equal((await upload(Buffer.alloc(10 * 1024 * 1024 + 1, 37), 'application/pdf')).statusCode, 413);
      assert.equal((await t.app.inject({ method: 'POST', url: `/api/patients/${ramesh.id}/documents`, headers: { authorization: `Bearer ${tok.adampur}`, 'content-type': 'text/html' }, payload: '<p>' })).statusCode, 415);
      assert.equal((await upload(pdf, 'application/pdf', tok.mandi)).statusCode, 403);

      const list = await t.req('GET', `/api/patients/${ramesh.id}/documents`, tok.adampur);
      assert.deepEqual(list.body.items.map((d: any) => d.mediaType).sort(), ['application/pdf', 'image/png']);
      const back = await t.app.inject({ method: 'GET', url: `/api/documents/${doc.id}`, headers: { authorization: `Bearer ${tok.adampur}` } });
      assert.equal(back.statusCode, 200);
      assert.equal(back.headers['content-type'], 'application/pdf');
      assert.ok(back.rawPayload.equals(pdf), 'the same bytes come back');
      assert.equal((await t.req('GET', `/api/documents/${doc.id}`, tok.mandi)).status, 403);
    });

    test('OPD tokens count per department per day; the queue shows them', async () => {
      const tokenOf = async (patientId: string, department: string) => {
        const r = await t.req('POST', '/api/opd/registrations', tok.adampur, { patientId, department });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body.token;
      };
      await showCard(tok.adampur, sunita.id); // registered at Barwala
      const tokens = await Promise.all([tokenOf(ramesh.id, 'medicine'), tokenOf(sunita.id, 'medicine')]);
      assert.deepEqual(tokens.sort(), [1, 2]);
      assert.equal(await tokenOf(sunita.id, 'gynae'), 1);
      const q = await t.req('GET', '/api/opd/queue?department=medicine', tok.adampur);
      assert.deepEqual(q.body.items.map((i: any) => i.token), [1, 2]);
      assert.equal((await t.req('GET', `/api/opd/queue?facilityId=${fac.adampur}`, tok.mandi)).status, 403);
    });

    test('pregnancy registration, and ultrasound refused without a valid open number of that woman', async () => {
      assert.equal((await t.req('POST', '/api/pregnancies', tok.adampur, { patientId: ramesh.id })).status, 400);
      const p = await t.req('POST', '/api/pregnancies', tok.barwala, { patientId: sunita.id });
      assert.equal(p.status, 201, JSON.stringify(p.body));
      assert.match(p.body.registrationNumber, /^\d{12}$/);
      const twice = await t.req('POST', '/api/pregnancies', tok.barwala, { patientId: sunita.id });
      assert.equal(twice.status, 409);
      assert.equal(twice.body.error.details.registrationNumber, p.body.registrationNumber);

      const scan = (registrationNumber: string, extra: Record<string, unknown> = {}) => t.req('POST', '/api/ultrasounds', tok.scan, { registrationNumber, ...extra });
      const malformed = await scan('12345');
      assert.equal(malformed.status, 400);
      assert.match(malformed.body.error.message, /12 digits/);
      const n = p.body.registrationNumber as string;
      const unknown = `${n.slice(0, 10)}${(Number(n.slice(10, 11)) + 1) % 10}`;
      const other = await scan(`${unknown}${luhnCheckDigit(unknown)}`);
      assert.equal(other.status, 404);
      assert.match(other.body.error.message, /No pregnancy is registered/);
      const notHers = await scan(n, { patientId: ramesh.id });
      assert.equal(notHers.status, 409);
      assert.match(notHers.body.error.message, /another woman/);
      const ok = await scan(n, { patientId: sunita.id, indication: 'dating scan' });
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      assert.equal(ok.body.woman.name, 'Sunita Devi');
      assert.equal(ok.body.woman.mobile, undefined);
      assert.equal((await t.req('POST', '/api/ultrasounds', tok.adampur, { registrationNumber: n })).status, 403, 'a PHC operator does not record scans');

      const closed = await t.req('POST', `/api/pregnancies/${n}/close`, tok.barwala, { reason: 'delivered' });
      assert.equal(closed.status, 200, JSON.stringify(closed.body));
      const late = await scan(n);
      assert.equal(late.status, 409);
      assert.match(late.body.error.message, /closed/);

      const summary = await t.req('GET', '/api/ultrasounds/summary?orgUnit=63', tok.hisarDo);
      assert.equal(summary.status, 200, JSON.stringify(summary.body));
      assert.deepEqual(summary.body.centres.map((c: any) => [c.name, c.accepted, c.refused]), [['Sharma Diagnostics', 1, 4]]);
      assert.deepEqual(summary.body.refused.map((r: any) => r.reason).sort(), ['closed', 'malformed', 'other_woman', 'unknown']);
      assert.equal((await t.req('GET', '/api/ultrasounds/summary?orgUnit=63', tok.mandiDo)).status, 403);
    });
  });
}
