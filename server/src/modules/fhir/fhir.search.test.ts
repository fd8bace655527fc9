import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';

/** Search rules a FHIR client relies on, the status and headers of reads, and not-found answers under /fhir. */
for (const engine of testEngines()) {
  describe(`FHIR search, read headers and unmatched paths [${engine}]`, () => {
    let t: TestApp;
    let token: string;
    let patient: any;
    let encounter: any;
    let facility: string;
    const call = async (method: string, url: string, headers: Record<string, string> = {}, body?: unknown) => {
      const r = await t.app.inject({
        method: method as any, url,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/fhir+json' } : {}), ...headers },
        ...(body ? { payload: JSON.stringify(body) } : {}),
      });
      return { status: r.statusCode, headers: r.headers, body: r.body ? JSON.parse(r.body) : undefined };
    };
    const selfOf = (bundle: any) => new URL(bundle.link.find((l: any) => l.relation === 'self').url);

    before(async () => {
      t = await startTestApp(engine);
      const f = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Search' }));
      assert.equal(f.status, 201, JSON.stringify(f.body));
      facility = f.body.id;
      token = (await t.userWith('facility_operator', facility)).token;
      const p = await call('POST', '/fhir/Patient', {}, {
        resourceType: 'Patient', name: [{ text: 'Sunita Yadav' }], gender: 'female', birthDate: '1985-03-04', address: [{ district: 'Hisar' }],
      });
      assert.equal(p.status, 201, JSON.stringify(p.body));
      patient = p.body;
      const e = await call('POST', '/fhir/Encounter', {}, { resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, subject: { reference: `Patient/${patient.id}` } });
      assert.equal(e.status, 201, JSON.stringify(e.body));
      encounter = e.body;
    });
    after(async () => { await t.close(); });

    test('parameters the server does not apply are left out of the self link; Prefer: handling=strict refuses them by name', async () => {
      const unsupported = '_sort=-location&_include=Encounter:location&_revinclude=Observation:encounter&_summary=true&_elements=id&class=AMB&foo=1';
      const r = await call('GET', `/fhir/Encounter?patient=Patient/${patient.id}&${unsupported}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.entry.length, 1);
      const self = selfOf(r.body);
      assert.deepEqual([...new Set(self.searchParams.keys())].sort(), ['_count', '_offset', 'patient']);
      for (const url of ['/fhir/Patient?name=Sunita&_sort=address&_summary=text', '/fhir/Organization?name=PHC&_elements=name']) {
        const keys = [...selfOf((await call('GET', url)).body).searchParams.keys()];
        assert.ok(!keys.some((k) => ['_sort', '_summary', '_elements'].includes(k)), `${url}: ${keys}`);
        assert.ok(keys.includes('name'), `${url}: the applied name stays`);
      }

      const strict = await call('GET', `/fhir/Encounter?patient=Patient/${patient.id}&_sort=-location&code=X`, { prefer: 'handling=strict' });
      assert.equal(strict.status, 400, JSON.stringify(strict.body));
      assert.equal(strict.body.resourceType, 'OperationOutcome');
      assert.match(strict.body.issue[0].diagnostics, /_sort/);
      assert.match(strict.body.issue[0].diagnostics, /code/);
      assert.deepEqual(strict.body.issue[0].expression, ['_sort', 'code']);
      const strictPatient = await call('GET', '/fhir/Patient?name=Sunita&_include=Patient:organization', { prefer: 'handling=strict' });
      assert.equal(strictPatient.status, 400, JSON.stringify(strictPatient.body));
      assert.ok(strictPatient.body.issue[0].expression.includes('_include'));
      const lenient = await call('GET', `/fhir/Encounter?patient=Patient/${patient.id}&_sort=-location`, { prefer: 'handling=lenient' });
      assert.equal(lenient.status, 200);
      assert.ok(!selfOf(lenient.body).searchParams.has('_sort'));
      // What the server does apply is accepted under strict handling.
      const ok = await call('GET', `/fhir/Encounter?patient=Patient/${patient.id}&_id=${encounter.id}&_count=5&_offset=0`, { prefer: 'handling=strict' });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
    });

    test('every search parameter the CapabilityStatement lists is accepted under strict handling', async () => {
      const cs = (await call('GET', '/fhir/metadata')).body;
      const values: Record<string, string> = {
        _id: encounter.id, patient: `Patient/${patient.id}`, subject: `Patient/${patient.id}`, identifier: 'x|y', name: 'Sunita',
        phone: '9812345678', telecom: 'phone|9812345678', gender: 'female', birthdate: 'ge1980',
        status: 'finished', 'clinical-status': 'active', code: 'http://snomed.info/sct|38341003', encounter: `Encounter/${encounter.id}`,
        date: 'ge2020-01', authoredon: 'le2030', _sort: '-_lastUpdated',
      };
      const patientParams = cs.rest[0].resource.find((r: any) => r.type === 'Patient').searchParam.map((p: any) => p.name);
      assert.ok(patientParams.includes('telecom'), 'telecom is searched, so it is listed');
      for (const res of cs.rest[0].resource) {
        for (const p of res.searchParam) {
          const driver = res.type === 'Patient' && !['name', '_id', 'identifier', 'phone', 'telecom'].includes(p.name) ? '&name=Sunita' : '';
          const r = await call('GET', `/fhir/${res.type}?${p.name}=${encodeURIComponent(values[p.name] ?? 'x')}${driver}`, { prefer: 'handling=strict' });
          assert.equal(r.status, 200, `${res.type}?${p.name}: ${JSON.stringify(r.body)}`);
          assert.ok(selfOf(r.body).searchParams.has(p.name), `${res.type}?${p.name} is echoed`);
        }
        assert.ok(['vread', 'history-instance'].every((code) => res.interaction.some((i: any) => i.code === code)), `${res.type}: vread and history are claimed, as they answer`);
        assert.equal(res.conditionalCreate, res.interaction.some((i: any) => i.code === 'create'), `${res.type}: If-None-Exist on every type that takes create`);
      }
    });

    test('_count=0 answers the total and no entries', async () => {
      const r = await call('GET', `/fhir/Encounter?patient=Patient/${patient.id}&_count=0`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.total, 1);
      assert.equal((r.body.entry ?? []).length, 0);
      assert.ok(!r.body.link.some((l: any) => l.relation === 'next'), 'no next link that would never advance');
      assert.equal(selfOf(r.body).searchParams.get('_count'), '0');
      const patients = await call('GET', '/fhir/Patient?name=Sunita&_count=0');
      assert.equal(patients.status, 200, JSON.stringify(patients.body));
      assert.equal((patients.body.entry ?? []).length, 0);
      assert.equal(patients.body.total, 1, 'the Patient search counts too');
      const orgs = await call('GET', '/fhir/Organization?_count=0');
      assert.equal(orgs.status, 200, JSON.stringify(orgs.body));
      assert.ok(orgs.body.total >= 1, JSON.stringify(orgs.body));
      assert.equal((orgs.body.entry ?? []).length, 0);
    });

    test('unmatched paths and methods under /fhir are OperationOutcomes', async () => {
      for (const [method, url] of [['GET', '/fhir/Patient/x/y/z'], ['GET', '/fhir/Nope/1/_history'], ['GET', '/fhir/Encounter/1/_history/1/extra'], ['PATCH', `/fhir/Patient/${patient.id}`], ['GET', '/fhir/Patient/x/y/z?a=1'], ['GET', '/fhir'], ['PUT', '/fhir/metadata'], ['DELETE', '/fhir/Patient'], ['GET', '/fhir/Patient/x/_history'], ['OPTIONS', '/fhir/Patient/x/y']]) {
        const r = await call(method, url);
        assert.ok(r.status === 404 || r.status === 405, `${method} ${url}: ${r.status}`);
        assert.equal(r.body.resourceType, 'OperationOutcome', `${method} ${url}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.issue[0].severity, 'error');
        assert.match(String(r.headers['content-type']), /application\/fhir\+json/);
      }
      for (const [method, url, allow] of [['PATCH', `/fhir/Patient/${patient.id}`, 'GET, HEAD, PUT, DELETE'], ['PUT', '/fhir/metadata', 'GET, HEAD'], ['DELETE', '/fhir/Patient', 'GET, HEAD, POST'], ['GET', '/fhir', 'POST']]) {
        const r = await call(method, url);
        assert.equal(r.status, 405, `${method} ${url}: a method this address does not take`);
        assert.equal(r.headers.allow, allow);
        assert.equal(r.body.issue[0].code, 'not-supported');
      }
      assert.equal((await call('GET', '/fhir/Patient/x/_history/1/extra')).status, 404, 'an address no route has is 404');
      const api = await t.req('GET', '/api/nope', token);
      assert.equal(api.status, 404);
      assert.equal(api.body.error.code, 'not_found', 'the rest of the API keeps its error shape');
    });

    test('reads carry ETag and Last-Modified of meta; Location points at a resource that can be read', async () => {
      const targets = [`/fhir/Patient/${patient.id}`, `/fhir/Encounter/${encounter.id}`, `/fhir/Organization/${facility}`, `/fhir/Location/${facility}`];
      for (const url of targets) {
        const r = await call('GET', url);
        assert.equal(r.status, 200, `${url}: ${JSON.stringify(r.body)}`);
        assert.equal(r.headers.etag, `W/"${r.body.meta.versionId}"`, url);
        assert.equal(r.headers['last-modified'], new Date(r.body.meta.lastUpdated).toUTCString(), url);
      }
      const created = await call('POST', '/fhir/Encounter', {}, { resourceType: 'Encounter', status: 'planned', class: { code: 'AMB' }, subject: { reference: `Patient/${patient.id}` } });
      assert.equal(created.status, 201);
      const location = new URL(String(created.headers.location));
      const again = await call('GET', location.pathname);
      assert.equal(again.status, 200, `${location.pathname}: ${JSON.stringify(again.body)}`);
      assert.equal(again.body.id, created.body.id);
      assert.equal(again.headers.etag, created.headers.etag, 'the ETag of the read is the one the create gave');
      // The read's ETag is what If-Match takes on update.
      const read = await call('GET', `/fhir/Encounter/${created.body.id}`);
      const put = await call('PUT', `/fhir/Encounter/${created.body.id}`, { 'if-match': String(read.headers.etag) }, { ...read.body, status: 'finished' });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      const stale = await call('PUT', `/fhir/Encounter/${created.body.id}`, { 'if-match': String(read.headers.etag) }, { ...read.body, status: 'cancelled' });
      assert.equal(stale.status, 412);
      const updated = await call('PUT', `/fhir/Patient/${patient.id}`, { 'if-match': String((await call('GET', `/fhir/Patient/${patient.id}`)).headers.etag) }, { ...patient, gender: 'female' });
      assert.equal(updated.status, 200, JSON.stringify(updated.body));
      const contentLocation = new URL(String(updated.headers['content-location']));
      assert.equal((await call('GET', contentLocation.pathname)).status, 200);
      // A transaction's response locations are readable too.
      const tx = await call('POST', '/fhir', {}, {
        resourceType: 'Bundle', type: 'transaction',
        entry: [{ fullUrl: 'urn:uuid:0b6d9f3e-1c7a-4f7e-9a51-2f1e3c4d5e6f', resource: { resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, subject: { reference: `Patient/${patient.id}` } }, request: { method: 'POST', url: 'Encounter' } }],
      });
      assert.equal(tx.status, 200, JSON.stringify(tx.body));
      for (const e of tx.body.entry) {
        const where = String(e.response.location).replace(/^.*?\/?(?=[A-Z][A-Za-z]+\/)/, '');
        const got = await call('GET', `/fhir/${where}`);
        assert.equal(got.status, 200, `${e.response.location}: ${JSON.stringify(got.body)}`);
        assert.equal(got.headers.etag, e.response.etag);
      }
    });
  });
}
