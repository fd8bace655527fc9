import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { buildNetwork, DOCTOR, inConsultation, pdfText, type Network } from './telemedicine.clinical.fixture.js';
import { doseUnits, suggestedQuantity } from './telemedicine.prescriptions.js';
import { ensureFormulary } from './telemedicine.formulary.js';

test('quantities to hand over: dose × times a day × days, for countable forms only', () => {
  assert.equal(doseUnits('1 tablet'), 1);
  assert.equal(doseUnits('½ tablet'), 0.5);
  assert.equal(doseUnits('1/2 tab'), 0.5);
  assert.equal(doseUnits('a spoonful'), null);
  assert.equal(suggestedQuantity('tablet', '1 tablet', 'TDS', 5), 15);
  assert.equal(suggestedQuantity('tablet', '½ tablet', 'BD', 3), 3);
  assert.equal(suggestedQuantity('tablet', '1', 'WEEKLY', 28), 4);
  assert.equal(suggestedQuantity('sachet', '1 sachet', 'STAT', 1), 1);
  assert.equal(suggestedQuantity('syrup', '5 ml', 'TDS', 5), null, 'liquids are handed over by the bottle');
  assert.equal(suggestedQuantity('tablet', '1 tablet', 'SOS', 5), null);
});

for (const engine of testEngines()) {
  describe(`telemedicine consultation record, prescriptions, dispensing [${engine}]`, () => {
    let t: TestApp;
    let n: Network;
    let c: Awaited<ReturnType<typeof inConsultation>>;
    before(async () => {
      t = await startTestApp(engine);
      n = await buildNetwork(t);
      c = await inConsultation(t, n);
    });
    after(async () => { await t.close(); });

    test('the formulary is seeded once, idempotently, and searched in English or Hindi', async () => {
      const count = async () => (await t.db.kysely.selectFrom('tele_formulary').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
      const before = Number(await count());
      assert.ok(before >= 60, `about sixty medicines, got ${before}`);
      await ensureFormulary(t.db.kysely);
      assert.equal(Number(await count()), before);
      const en = await t.req('GET', '/api/telemedicine/formulary?q=paracet', n.tok.cho);
      assert.equal(en.status, 200, JSON.stringify(en.body));
      assert.deepEqual(en.body.items.map((m: any) => m.code).sort(), ['paracetamol-125-syr', 'paracetamol-500-tab']);
      assert.equal(en.body.items.find((m: any) => m.code === 'paracetamol-500-tab').nameHi, 'पैरासिटामोल');
      const hi = await t.req('GET', `/api/telemedicine/formulary?q=${encodeURIComponent('मेटफॉर्मिन')}`, n.tok.doctor);
      assert.deepEqual(hi.body.items.map((m: any) => `${m.genericName} ${m.strength} ${m.form}`), ['Metformin 500 mg tablet']);
      const citizen = (await t.userWith('citizen', 6)).token;
      assert.equal((await t.req('GET', '/api/telemedicine/formulary?q=para', citizen)).status, 403);
    });

    test('the spoke sets its stock; another facility\'s staff cannot; unknown medicines are named', async () => {
      const set = await t.req('PUT', '/api/telemedicine/stock', n.tok.cho, { items: [{ code: 'paracetamol-500-tab', quantity: 100 }, { code: 'amoxicillin-500-cap', quantity: 10 }, { code: 'ors-sachet', quantity: 0 }] });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      assert.equal(set.body.facility.id, n.spoke);
      assert.deepEqual(Object.fromEntries(set.body.items.map((i: any) => [i.code, i.quantity])), { 'paracetamol-500-tab': 100, 'amoxicillin-500-cap': 10, 'ors-sachet': 0 });
      const bad = await t.req('PUT', '/api/telemedicine/stock', n.tok.cho, { items: [{ code: 'snake-oil', quantity: 3 }] }, { 'accept-language': 'hi' });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /snake-oil दवा-सूची में नहीं है/);
      const negative = await t.req('PUT', '/api/telemedicine/stock', n.tok.cho, { items: [{ code: 'ors-sachet', quantity: -1 }] });
      assert.equal(negative.status, 400);
      assert.equal((await t.req('PUT', '/api/telemedicine/stock', n.tok.mandiCho, { facilityId: n.spoke, items: [{ code: 'ors-sachet', quantity: 5 }] })).status, 403);
      assert.equal((await t.req('GET', `/api/telemedicine/stock?facilityId=${n.spoke}`, n.tok.mandiDo)).status, 403);
      const officer = await t.req('GET', `/api/telemedicine/stock?facilityId=${n.spoke}`, n.tok.hisarDo);
      assert.equal(officer.status, 200);
      assert.equal(officer.body.items.length, 3);
      assert.equal((await t.req('PUT', '/api/telemedicine/stock', n.tok.hisarDo, { facilityId: n.spoke, items: [{ code: 'ors-sachet', quantity: 5 }] })).status, 403, 'officers read stock, they do not keep it');
      const all = await t.req('GET', '/api/telemedicine/stock?all=true', n.tok.cho);
      assert.ok(all.body.items.length >= 60);
    });

    test('the consultation record: only the consulting doctor writes it; ICD-10 codes are checked; Hindi errors', async () => {
      const url = `/api/telemedicine/requests/${c.requestId}/consultation`;
      const other = await t.req('PUT', url, n.tok.doctor2, { notes: 'not mine' });
      assert.equal(other.status, 403, 'another hub\'s doctor cannot write it');
      assert.equal((await t.req('PUT', url, n.tok.cho, { notes: 'x' })).status, 403, 'nor the CHO');
      const bad = await t.req('PUT', url, n.tok.doctor, { diagnoses: [{ code: 'J06.9' }, { code: 'flu' }, { code: 'Z99.99' }], followUpOn: '2020-01-01' }, { 'accept-language': 'hi' });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /flu ICD-10 कोड नहीं है/);
      assert.match(bad.body.error.message, /Z99\.99 ICD-10 सूची में नहीं है/);
      const past = await t.req('PUT', url, n.tok.doctor, { followUpOn: '2020-01-01' });
      assert.equal(past.status, 400);
      assert.match(past.body.error.message, /followUpOn: must be today .* or later/);
      const followUp = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
      const ok = await t.req('PUT', url, n.tok.doctor, { notes: 'Chest clear. Throat congested.', diagnoses: [{ code: 'J069' }, { code: 'e11' }], advice: 'Warm fluids, rest. Check sugar in a week.', followUpOn: followUp });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.deepEqual(ok.body.diagnoses, [{ code: 'J06.9', title: 'Acute upper respiratory infection, unspecified' }, { code: 'E11', title: 'Type 2 diabetes mellitus' }]);
      assert.equal(ok.body.warnings, undefined);
      const partial = await t.req('PUT', url, n.tok.doctor, { advice: 'Warm fluids, rest. Check fasting sugar in a week.' });
      assert.equal(partial.body.notes, 'Chest clear. Throat congested.', 'fields left out are kept');
      assert.equal(partial.body.followUpOn, followUp);
      const audit = await t.db.kysely.selectFrom('audit_log').select(['action', 'after']).where('entity', '=', 'tele_consultation').where('entity_id', '=', c.requestId).orderBy('id').execute();
      assert.deepEqual(audit.map((a) => a.action), ['create', 'update']);
      assert.ok(!JSON.stringify(audit).includes('Throat congested'), 'the audit log keeps codes, not the notes');

      assert.equal((await t.req('GET', url, n.tok.cho)).status, 200, 'the spoke reads it');
      assert.equal((await t.req('GET', url, n.tok.doctor2)).status, 403, 'another hub\'s doctor does not');
      assert.equal((await t.req('GET', url, n.tok.mandiDo)).status, 403);
      assert.equal((await t.req('GET', url, n.tok.hisarDo)).status, 403, 'officers over the hub see the queue and counts, not the notes');
      const read = await t.req('GET', url, n.tok.doctor);
      assert.equal(read.status, 200, 'the doctor who consulted reads it');
      assert.equal(read.body.diagnoses[0].code, 'J06.9');
      assert.equal((await t.req('PUT', '/api/telemedicine/requests/Nope0000000/consultation', n.tok.doctor, { notes: 'x' })).status, 404);
    });

    let rxId: string;
    let lines: any[];
    test('prescribing from the formulary; the spoke sees its stock per line', async () => {
      const url = `/api/telemedicine/requests/${c.requestId}/prescriptions`;
      const items = [
        { code: 'paracetamol-500-tab', dose: '1 tablet', frequency: 'TDS', days: 5, instructions: 'after food' },
        { code: 'amoxicillin-500-cap', dose: '1 capsule', frequency: 'TDS', days: 5 },
        { code: 'cetirizine-10-tab', dose: '1 tablet', frequency: 'HS', days: 3 },
      ];
      assert.equal((await t.req('POST', url, n.tok.doctor2, { items })).status, 403);
      const bad = await t.req('POST', url, n.tok.doctor, { items: [{ code: 'snake-oil', dose: '1', frequency: 'BD', days: 2 }, { code: 'ors-sachet', dose: '1 sachet', frequency: 'daily', days: 0 }] }, { 'accept-language': 'hi' });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /frequency/);
      const unknown = await t.req('POST', url, n.tok.doctor, { items: [{ code: 'snake-oil', dose: '1', frequency: 'BD', days: 2 }, { code: 'ors-sachet', dose: '1 sachet', frequency: 'OD', days: 2 }, { code: 'ors-sachet', dose: '1', frequency: 'OD', days: 1 }] }, { 'accept-language': 'hi' });
      assert.equal(unknown.status, 400);
      assert.deepEqual(unknown.body.error.details.fields.map((f: any) => f.field), ['items.0.code', 'items.2.code']);
      assert.match(unknown.body.error.message, /snake-oil दवा-सूची में नहीं है/);
      const r = await t.req('POST', url, n.tok.doctor, { items });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      rxId = r.body.id;
      lines = r.body.items;
      assert.deepEqual(lines.map((l: any) => [l.line, l.label, l.frequencyTextHi, l.suggestedQuantity]), [
        [1, 'Paracetamol 500 mg tablet', 'दिन में तीन बार', 15],
        [2, 'Amoxicillin 500 mg capsule', 'दिन में तीन बार', 15],
        [3, 'Cetirizine 10 mg tablet', 'रात को सोते समय', 3],
      ]);
      const view = await t.req('GET', `/api/telemedicine/prescriptions/${rxId}`, n.tok.cho);
      assert.equal(view.status, 200);
      assert.deepEqual(view.body.items.map((l: any) => [l.code, l.inStock, l.stockQuantity]), [
        ['paracetamol-500-tab', true, 100], ['amoxicillin-500-cap', true, 10], ['cetirizine-10-tab', false, 0],
      ]);
      const withStock = await t.req('GET', `/api/telemedicine/formulary?q=amox&requestId=${c.requestId}`, n.tok.doctor);
      assert.equal(withStock.body.items.find((m: any) => m.code === 'amoxicillin-500-cap').quantity, 10, 'the doctor sees what the spoke has while prescribing');
      assert.equal((await t.req('GET', `/api/telemedicine/prescriptions/${rxId}`, n.tok.mandiCho)).status, 403);
      assert.equal((await t.req('GET', '/api/telemedicine/prescriptions/Nope0000000', n.tok.cho)).status, 404);
    });

    test('dispensing at the spoke takes stock down; more than in stock is 409 naming the medicine, and nothing is recorded', async () => {
      const url = `/api/telemedicine/prescriptions/${rxId}/dispense`;
      const [para, amox] = lines;
      const mandi = await t.req('POST', url, n.tok.mandiCho, { items: [{ itemId: para.id, quantity: 15 }] });
      assert.equal(mandi.status, 403, 'a Mandi CHO cannot dispense a Hisar prescription');
      assert.equal((await t.req('POST', url, n.tok.doctor, { items: [{ itemId: para.id, quantity: 15 }] })).status, 403, 'doctors do not dispense');
      const tooMuch = await t.req('POST', url, n.tok.cho, { items: [{ itemId: para.id, quantity: 15 }, { itemId: amox.id, quantity: 15 }] });
      assert.equal(tooMuch.status, 409);
      assert.match(tooMuch.body.error.message, /Not enough Amoxicillin 500 mg capsule in stock at HWC Sarsod: 10 left, 15 asked/);
      assert.equal(tooMuch.body.error.details.inStock, 10);
      const hi = await t.req('POST', url, n.tok.cho, { items: [{ itemId: amox.id, quantity: 15 }] }, { 'accept-language': 'hi' });
      assert.match(hi.body.error.message, /स्टॉक कम है: 10 बचे हैं, 15 माँगे गए/);
      const stock = async () => Object.fromEntries((await t.req('GET', '/api/telemedicine/stock', n.tok.cho)).body.items.map((i: any) => [i.code, i.quantity]));
      assert.equal((await stock())['paracetamol-500-tab'], 100, 'the refused dispense took nothing');
      const notALine = await t.req('POST', url, n.tok.cho, { items: [{ itemId: 'Nope0000000', quantity: 1 }] });
      assert.equal(notALine.status, 400);
      assert.match(notALine.body.error.message, /is not a line of this prescription/);
      const done = await t.req('POST', url, n.tok.cho, { items: [{ itemId: para.id, quantity: 15 }, { itemId: amox.id, quantity: 10 }] });
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.deepEqual(done.body.items.slice(0, 2).map((l: any) => [l.dispensedQuantity, l.stockQuantity]), [[15, 85], [10, 0]]);
      assert.ok(done.body.items[0].dispensedBy && done.body.items[0].dispensedAt);
      const s = await stock();
      assert.equal(s['paracetamol-500-tab'], 85);
      assert.equal(s['amoxicillin-500-cap'], 0);
      const audit = await t.db.kysely.selectFrom('audit_log').select(['purpose', 'org_unit_path']).where('entity', '=', 'tele_prescription').where('entity_id', '=', rxId).where('purpose', '=', 'dispense').execute();
      assert.equal(audit.length, 1);
    });

    test('the prescription PDF carries the doctor\'s registration, the patient and the medicines; readers only', async () => {
      const res = await t.app.inject({ method: 'GET', url: `/api/telemedicine/prescriptions/${rxId}.pdf`, headers: { authorization: `Bearer ${n.tok.cho}` } });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['content-type'], 'application/pdf');
      const pdf = res.rawPayload;
      assert.ok(pdf.subarray(0, 5).toString() === '%PDF-');
      assert.match(pdf.toString('latin1'), /NotoSansDevanagari/, 'the Hindi font is embedded');
      const text = pdfText(pdf);
      for (const s of [DOCTOR.registrationNumber, DOCTOR.council, DOCTOR.qualification, 'Dr. Anil Sharma', 'CHC Barwala', 'Paracetamol 500 mg tablet', 'TDS: three times a day', 'after food', 'J06.9', 'Warm fluids', c.patient.stateNumber]) {
        assert.ok(text.includes(s), `the PDF shows ${s}`);
      }
      assert.equal((await t.req('GET', `/api/telemedicine/prescriptions/${rxId}.pdf`, n.tok.mandiCho)).status, 403);
      const { prescriptionPdfForRequest } = await import('./telemedicine.prescriptions.js');
      const citizen = await prescriptionPdfForRequest(t.db.kysely, c.requestId);
      assert.ok(pdfText(citizen.pdf).includes(DOCTOR.registrationNumber));
      await assert.rejects(prescriptionPdfForRequest(t.db.kysely, 'Nope0000000'), /not written a prescription/);
    });

    test('a patient\'s teleconsultations follow the patient privacy rule, and each read is audited', async () => {
      const url = `/api/patients/${c.patient.id}/consultations`;
      const spoke = await t.req('GET', url, n.tok.cho);
      assert.equal(spoke.status, 200, JSON.stringify(spoke.body));
      const item = spoke.body.items[0];
      assert.equal(item.requestId, c.requestId);
      assert.equal(item.doctor.registrationNumber, DOCTOR.registrationNumber);
      assert.equal(item.hub.name, 'CHC Barwala');
      assert.deepEqual(item.diagnoses.map((d: any) => d.code), ['J06.9', 'E11']);
      assert.equal(item.prescriptions[0].items[0].dispensedQuantity, 15);
      assert.equal((await t.req('GET', url, n.tok.doctor)).status, 200, 'the hub, where the patient was seen');
      assert.equal((await t.req('GET', url, n.tok.doctor2)).status, 403, 'a doctor of another hub');
      assert.equal((await t.req('GET', url, n.tok.hisarDo)).status, 403, 'officers see counts, not records');
      assert.equal((await t.req('GET', url, n.tok.mandiCho)).status, 403);
      const hi = await t.req('GET', url, n.tok.hospital, undefined, { 'accept-language': 'hi' });
      assert.equal(hi.status, 403, 'a hospital the patient was never referred to');
      assert.match(hi.body.error.message, /परामर्श केवल उन्हीं संस्थानों/);
      assert.equal((await t.req('GET', '/api/patients/Nope0000000/consultations', n.tok.cho)).status, 404);
      const reads = await t.db.kysely.selectFrom('audit_log').select('actor_username').where('entity', '=', 'patient').where('entity_id', '=', c.patient.id)
        .where('purpose', '=', 'teleconsultations').execute();
      assert.equal(reads.length, 2, 'the two reads that were allowed');
    });

    test('writing and prescribing are for the doctor holding the request, once the call has started', async () => {
      const p = await t.req('POST', '/api/patients', n.tok.cho, { name: 'Suresh', sex: 'male', age: 40, address: { district: 63 } });
      const r = await t.req('POST', '/api/telemedicine/requests', n.tok.cho, { patientId: p.body.id, hubId: n.hub, specialty: 'general_medicine' });
      const early = await t.req('PUT', `/api/telemedicine/requests/${r.body.id}/consultation`, n.tok.doctor, { notes: 'x' });
      assert.equal(early.status, 403, 'not yet this doctor\'s');
      await t.req('POST', '/api/telemedicine/next', n.tok.doctor, { hubId: n.hub, specialty: 'general_medicine' });
      const called = await t.req('POST', `/api/telemedicine/requests/${r.body.id}/prescriptions`, n.tok.doctor, { items: [{ code: 'ors-sachet', dose: '1 sachet', frequency: 'OD', days: 2 }] }, { 'accept-language': 'hi' });
      assert.equal(called.status, 409);
      assert.match(called.body.error.message, /परामर्श शुरू करें/);
    });
  });
}
