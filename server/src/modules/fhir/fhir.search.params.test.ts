import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';

/**
 * What a FHIR client asks of a search beyond paging: _summary=count, _total, _sort, _include and
 * _revinclude (never past the caller's scope), status, date, code and encounter on the stored types,
 * and a CapabilityStatement that lists exactly these.
 */
for (const engine of testEngines()) {
  describe(`FHIR search parameters, sorting and includes [${engine}]`, () => {
    let t: TestApp;
    let tokenA: string;
    let tokenB: string;
    let p1: any; // at facility A
    let p2: any; // at facility B: A may not read them
    const enc: Record<string, any> = {};
    const cond: Record<string, any> = {};
    let med: any;
    const call = async (url: string, token = tokenA, headers: Record<string, string> = {}) => {
      const r = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}`, ...headers } });
      return { status: r.statusCode, body: JSON.parse(r.body) };
    };
    const post = async (token: string, type: string, body: Record<string, unknown>) => {
      const r = await t.app.inject({ method: 'POST', url: `/fhir/${type}`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' }, payload: JSON.stringify({ resourceType: type, ...body }) });
      assert.equal(r.statusCode, 201, r.body);
      return JSON.parse(r.body);
    };
    const selfOf = (bundle: any) => new URL(bundle.link.find((l: any) => l.relation === 'self').url);
    const ids = (bundle: any, mode = 'match') => (bundle.entry ?? []).filter((e: any) => e.search.mode === mode).map((e: any) => e.resource.id);
    const included = (bundle: any) => (bundle.entry ?? []).filter((e: any) => e.search.mode === 'include').map((e: any) => `${e.resource.resourceType}/${e.resource.id}`).sort();
    const search = async (url: string, token = tokenA) => {
      const r = await call(url, token);
      assert.equal(r.status, 200, `${url}: ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const SCT = 'http://snomed.info/sct';

    before(async () => {
      t = await startTestApp(engine);
      const fa = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Include A' }));
      const fb = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Include B' }));
      assert.equal(fa.status, 201, JSON.stringify(fa.body));
      assert.equal(fb.status, 201, JSON.stringify(fb.body));
      tokenA = (await t.userWith('facility_operator', fa.body.id)).token;
      tokenB = (await t.userWith('facility_operator', fb.body.id)).token;
      const person = { name: [{ text: 'Kavita Rathore' }], gender: 'female', birthDate: '1990-02-03', address: [{ district: 'Hisar' }] };
      p1 = await post(tokenA, 'Patient', person);
      p2 = await post(tokenB, 'Patient', { ...person, birthDate: '1991-04-05' });
      const encounter = (token: string, patient: any, status: string, period: Record<string, string>) =>
        post(token, 'Encounter', { status, class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' }, subject: { reference: `Patient/${patient.id}` }, period });
      enc.day = await encounter(tokenA, p1, 'finished', { start: '2024-03-05T10:30:00+05:30' });
      enc.span = await encounter(tokenA, p1, 'in-progress', { start: '2024-03-01', end: '2024-03-10' });
      enc.later = await encounter(tokenA, p1, 'planned', { start: '2025-01-01' });
      enc.other = await encounter(tokenB, p2, 'finished', { start: '2024-03-05' });
      const condition = (code: string, clinical: string, encounterId: string) => post(tokenA, 'Condition', {
        clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: clinical }] },
        code: { coding: [{ system: SCT, code }] }, subject: { reference: `Patient/${p1.id}` }, encounter: { reference: `Encounter/${encounterId}` },
      });
      cond.diabetes = await condition('44054006', 'active', enc.day.id);
      cond.hypertension = await condition('38341003', 'resolved', enc.span.id);
      // Refers to an encounter of a patient A may not read: including it would leak it.
      cond.elsewhere = await condition('38341003', 'active', enc.other.id);
      med = await post(tokenA, 'MedicationRequest', {
        status: 'active', intent: 'order', subject: { reference: `Patient/${p1.id}` }, encounter: { reference: `Encounter/${enc.day.id}` },
        medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '860975' }] }, authoredOn: '2024-03-05',
      });
    });
    after(async () => { await t.close(); });

    test('_summary=count answers the total only; _total=none answers no total and pages on', async () => {
      const counted = await search(`/fhir/Encounter?patient=Patient/${p1.id}&_summary=count`);
      assert.equal(counted.total, 3);
      assert.equal((counted.entry ?? []).length, 0);
      assert.equal(selfOf(counted).searchParams.get('_summary'), 'count');
      const none = await search(`/fhir/Encounter?patient=Patient/${p1.id}&_total=none&_count=2`);
      assert.equal(none.total, undefined, 'no total is counted');
      assert.equal(none.entry.length, 2);
      assert.equal(selfOf(none).searchParams.get('_total'), 'none');
      const next = none.link.find((l: any) => l.relation === 'next');
      assert.ok(next, 'more is known without counting');
      const second = await search(new URL(next.url).pathname + new URL(next.url).search);
      assert.equal(second.entry.length, 1);
      assert.ok(!second.link.some((l: any) => l.relation === 'next'));
      assert.equal(second.total, undefined);
      const accurate = await search(`/fhir/Encounter?patient=Patient/${p1.id}&_total=accurate&_count=1`);
      assert.equal(accurate.total, 3);
      const patients = await search('/fhir/Patient?name=Kavita%20Rathore&_summary=count');
      assert.deepEqual([patients.total, (patients.entry ?? []).length], [2, 0]);
      const noTotal = await search('/fhir/Patient?name=Kavita%20Rathore&_total=none');
      assert.equal(noTotal.total, undefined);
      assert.equal(noTotal.entry.length, 2);
      // A value not applied is left out (and refused under strict handling).
      const text = await search(`/fhir/Encounter?patient=Patient/${p1.id}&_summary=text`);
      assert.ok(!selfOf(text).searchParams.has('_summary'));
      assert.equal((await call(`/fhir/Encounter?patient=Patient/${p1.id}&_summary=text`, tokenA, { prefer: 'handling=strict' })).status, 400);
      assert.equal((await call(`/fhir/Encounter?patient=Patient/${p1.id}&_total=maybe`, tokenA, { prefer: 'handling=strict' })).status, 400);
    });

    test('status, date (prefixes, by day), code, clinical-status, encounter and authoredon narrow stored searches', async () => {
      const of = `/fhir/Encounter?patient=Patient/${p1.id}`;
      const found = async (url: string) => ids(await search(url)).sort();
      const sorted = (...rs: any[]) => rs.map((r) => r.id).sort();
      assert.deepEqual(await found(`${of}&status=finished`), sorted(enc.day));
      assert.deepEqual(await found(`${of}&status=finished,planned`), sorted(enc.day, enc.later));
      assert.deepEqual(await found(`${of}&date=2024-03-05`), sorted(enc.day), 'eq: within the day');
      assert.deepEqual(await found(`${of}&date=eq2024-03`), sorted(enc.day, enc.span), 'eq: within the month');
      assert.deepEqual(await found(`${of}&date=ge2024-03-05`), sorted(enc.day, enc.span, enc.later));
      assert.deepEqual(await found(`${of}&date=gt2024-03-05`), sorted(enc.span, enc.later));
      assert.deepEqual(await found(`${of}&date=lt2024-03-05`), sorted(enc.span));
      assert.deepEqual(await found(`${of}&date=le2024-03-05`), sorted(enc.day, enc.span));
      assert.deepEqual(await found(`${of}&date=ge2024-03-02&date=le2024-03-06`), sorted(enc.day, enc.span));
      assert.deepEqual(await found(`${of}&date=sa2024-12-31`), sorted(enc.later));
      assert.deepEqual(await found(`${of}&date=ne2024-03-05`), sorted(enc.span, enc.later));
      assert.deepEqual(await found('/fhir/Encounter?date=2024-03-05'), sorted(enc.day), 'another facility\'s encounter is not found');
      const bad = await call(`${of}&date=2024-13-01`);
      assert.equal(bad.status, 400);
      assert.match(bad.body.issue[0].diagnostics, /date/);

      const c = `/fhir/Condition?patient=Patient/${p1.id}`;
      assert.deepEqual(await found(`${c}&code=${SCT}|38341003`), sorted(cond.hypertension, cond.elsewhere));
      assert.deepEqual(await found(`${c}&code=44054006`), sorted(cond.diabetes));
      assert.deepEqual(await found(`${c}&code=http://loinc.org|44054006`), []);
      assert.deepEqual(await found(`${c}&code=${encodeURIComponent(`${SCT}|`)}`), sorted(cond.diabetes, cond.hypertension, cond.elsewhere));
      assert.deepEqual(await found(`${c}&code=44054006,38341003&clinical-status=active`), sorted(cond.diabetes, cond.elsewhere));
      assert.deepEqual(await found(`${c}&encounter=Encounter/${enc.span.id}`), sorted(cond.hypertension));
      assert.deepEqual(await found(`/fhir/Condition?encounter=${enc.day.id}`), sorted(cond.diabetes));

      // The containments are served by one GIN index on the resource JSON.
      const index = await sql<{ def: string }>`select indexdef as def from pg_indexes where indexname = 'fhir_resources_content' and schemaname = current_schema()`.execute(t.db.kysely);
      assert.match(index.rows[0]?.def ?? '', /gin \(resource jsonb_path_ops\)/);

      const m = `/fhir/MedicationRequest?patient=Patient/${p1.id}`;
      assert.deepEqual(await found(`${m}&status=active&code=860975&encounter=Encounter/${enc.day.id}&authoredon=2024-03-05`), sorted(med));
      assert.deepEqual(await found(`${m}&status=stopped`), []);
      assert.deepEqual(await found(`${m}&authoredon=gt2024-03-05`), []);
    });

    test('_sort orders by the keys asked, ties broken by id so pages never repeat or skip', async () => {
      const of = `/fhir/Encounter?patient=Patient/${p1.id}`;
      assert.deepEqual(ids(await search(`${of}&_sort=date`)), [enc.span.id, enc.day.id, enc.later.id]);
      assert.deepEqual(ids(await search(`${of}&_sort=-date`)), [enc.later.id, enc.day.id, enc.span.id]);
      assert.deepEqual(ids(await search(`${of}&_sort=_lastUpdated`)), [enc.day.id, enc.span.id, enc.later.id]);
      assert.deepEqual(ids(await search(`${of}&_sort=-_lastUpdated`)), [enc.later.id, enc.span.id, enc.day.id]);
      assert.equal(selfOf(await search(`${of}&_sort=-date`)).searchParams.get('_sort'), '-date');
      // Unknown keys are left out of the self link, and refused under strict handling.
      const partly = await search(`${of}&_sort=location,-date`);
      assert.equal(selfOf(partly).searchParams.get('_sort'), '-date');
      assert.deepEqual(ids(partly), [enc.later.id, enc.day.id, enc.span.id]);
      const strict = await call(`${of}&_sort=location,-date`, tokenA, { prefer: 'handling=strict' });
      assert.equal(strict.status, 400);
      assert.match(strict.body.issue[0].diagnostics, /_sort=location/);

      // Patients: by birth date or name; a key the registry does not keep (family) is left out.
      const byBirth = await search('/fhir/Patient?name=Kavita%20Rathore&_sort=birthdate');
      assert.deepEqual(ids(byBirth), [p1.id, p2.id]);
      assert.deepEqual(ids(await search('/fhir/Patient?name=Kavita%20Rathore&_sort=-birthdate')), [p2.id, p1.id]);
      assert.equal(selfOf(await search('/fhir/Patient?name=Kavita%20Rathore&_sort=name,family')).searchParams.get('_sort'), 'name');
      assert.equal((await call('/fhir/Patient?name=Kavita%20Rathore&_sort=family', tokenA, { prefer: 'handling=strict' })).status, 400);

      // Twelve encounters on the same day: paging by date two at a time gives each once, in id order.
      const same: string[] = [];
      for (let i = 0; i < 12; i++) {
        same.push((await post(tokenA, 'Encounter', { status: 'finished', class: { code: 'AMB' }, subject: { reference: `Patient/${p1.id}` }, period: { start: '2023-07-07' } })).id);
      }
      const seen: string[] = [];
      let url: string | undefined = `${of}&date=2023-07-07&_sort=date&_count=2`;
      while (url) {
        const page = await search(url);
        seen.push(...ids(page));
        const next = page.link.find((l: any) => l.relation === 'next')?.url;
        url = next ? new URL(next).pathname + new URL(next).search : undefined;
      }
      assert.deepEqual(seen, [...same].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    });

    test('_include brings the referenced patient and encounter once, never one the caller may not read; reads are audited', async () => {
      const withPatient = await search(`/fhir/Encounter?patient=Patient/${p1.id}&date=ge2024-01-01&_include=Encounter:patient`);
      assert.equal(ids(withPatient).length, 3);
      assert.deepEqual(included(withPatient), [`Patient/${p1.id}`], 'the patient of three encounters, once');
      assert.equal(withPatient.total, 3, 'included resources are not counted');
      assert.equal(selfOf(withPatient).searchParams.get('_include'), 'Encounter:patient');
      // Included patients are read in one statement whose one audit row names them all (patient_ids).
      const audited = await t.db.kysely.selectFrom('audit_log').select('id').where('entity', '=', 'patient').where('action', '=', 'read')
        .where(sql<boolean>`patient_ids @> array[${p1.id}]::text[]`).where(sql<boolean>`after ->> 'include' = 'Encounter:patient'`).execute();
      assert.ok(audited.length >= 1, 'the included patient was read as any read is');

      const withEncounter = await search(`/fhir/Condition?patient=Patient/${p1.id}&_include=Condition:encounter&_include=Condition:subject`);
      assert.deepEqual(included(withEncounter), [`Encounter/${enc.day.id}`, `Encounter/${enc.span.id}`, `Patient/${p1.id}`].sort(),
        'the encounter of a patient A may not read is left out');
      const medication = await search(`/fhir/MedicationRequest?patient=Patient/${p1.id}&_include=MedicationRequest:patient&_include=MedicationRequest:encounter`);
      assert.deepEqual(included(medication), [`Encounter/${enc.day.id}`, `Patient/${p1.id}`].sort());
      // B reads its own encounter's patient only.
      const fromB = await search('/fhir/Encounter?date=2024-03-05&_include=Encounter:subject', tokenB);
      assert.deepEqual([ids(fromB), included(fromB)], [[enc.other.id], [`Patient/${p2.id}`]]);

      const unsupported = await search(`/fhir/Encounter?patient=Patient/${p1.id}&_include=Encounter:location`);
      assert.deepEqual(included(unsupported), []);
      assert.ok(!selfOf(unsupported).searchParams.has('_include'));
      const strict = await call(`/fhir/Encounter?patient=Patient/${p1.id}&_include=Encounter:location`, tokenA, { prefer: 'handling=strict' });
      assert.equal(strict.status, 400);
      assert.deepEqual(strict.body.issue[0].expression, ['_include']);
    });

    test('_revinclude brings what refers to the matches, only for patients the caller may read', async () => {
      const patients = await search('/fhir/Patient?name=Kavita%20Rathore&_revinclude=Encounter:patient&_revinclude=Condition:subject');
      assert.deepEqual(ids(patients).sort(), [p1.id, p2.id].sort(), 'both are found (one shown with name and birth year only)');
      const got = included(patients);
      assert.ok(got.includes(`Encounter/${enc.day.id}`) && got.includes(`Condition/${cond.diabetes.id}`), JSON.stringify(got));
      assert.ok(!got.includes(`Encounter/${enc.other.id}`), 'the encounters of a patient A may not read are not shown');
      assert.equal(new Set(got).size, got.length, 'each once');
      assert.deepEqual(selfOf(patients).searchParams.getAll('_revinclude'), ['Encounter:patient', 'Condition:subject']);
      const encounters = await search(`/fhir/Encounter?_id=${enc.day.id}&_revinclude=Condition:encounter&_revinclude=MedicationRequest:encounter`);
      assert.deepEqual(included(encounters), [`Condition/${cond.diabetes.id}`, `MedicationRequest/${med.id}`].sort());
      const other = await search(`/fhir/Encounter?_id=${enc.other.id}&_revinclude=Condition:encounter`, tokenB);
      assert.deepEqual(included(other), [], 'a condition B may not read is not brought to B');
      assert.equal((await call('/fhir/Patient?name=Kavita&_revinclude=Observation:patient', tokenA, { prefer: 'handling=strict' })).status, 400);
    });

    test('the CapabilityStatement lists the parameters, sorts and includes that work', async () => {
      const cs = (await call('/fhir/metadata')).body;
      const res = (type: string) => cs.rest[0].resource.find((r: any) => r.type === type);
      const params = (type: string) => Object.fromEntries(res(type).searchParam.map((p: any) => [p.name, p.type]));
      assert.deepEqual({ ...params('Encounter') }, { _id: 'token', patient: 'reference', subject: 'reference', identifier: 'token', status: 'token', date: 'date', _sort: 'special' });
      assert.equal(params('Condition')['clinical-status'], 'token');
      assert.equal(params('Condition').encounter, 'reference');
      assert.equal(params('MedicationRequest').authoredon, 'date');
      assert.match(res('Encounter').searchParam.find((p: any) => p.name === '_sort').documentation, /date/);
      assert.deepEqual(res('Encounter').searchInclude, ['Encounter:patient', 'Encounter:subject']);
      assert.ok(res('Condition').searchInclude.includes('Condition:encounter'));
      assert.ok(res('Patient').searchRevInclude.includes('Encounter:patient'));
      assert.ok(res('Encounter').searchRevInclude.includes('Condition:encounter'));
      // Every listed include and revinclude is applied under strict handling.
      for (const r of cs.rest[0].resource) {
        for (const [param, list] of [['_include', r.searchInclude], ['_revinclude', r.searchRevInclude]] as const) {
          for (const v of list ?? []) {
            const driver = r.type === 'Patient' ? 'name=Kavita' : `_id=${enc.day.id}`;
            const got = await call(`/fhir/${r.type}?${driver}&${param}=${v}`, tokenA, { prefer: 'handling=strict' });
            assert.equal(got.status, 200, `${r.type}?${param}=${v}: ${JSON.stringify(got.body)}`);
          }
        }
      }
    });
  });
}
