// Versions over FHIR: every create and update (and, for a patient, every change through the plain API)
// is kept; vread and _history answer them under the rules and audit of a read; Location headers point
// at the version written and resolve.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';

const FHIR = { 'content-type': 'application/fhir+json' };
const encounter = (patient: string, status = 'in-progress') => ({
  resourceType: 'Encounter', status, class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' }, subject: { reference: `Patient/${patient}` },
});
const person = (name: string) => ({ resourceType: 'Patient', name: [{ text: name }], gender: 'female', birthDate: '1990-04-01', address: [{ use: 'home', district: 'Hisar' }] });

for (const engine of testEngines()) {
  describe(`FHIR vread and _history [${engine}]`, () => {
    let t: TestApp;
    let op: string;
    let other: string;
    const reads = async (entity: string, id: string) => (await t.db.kysely.selectFrom('audit_log').select('id')
      .where('entity', '=', entity).where('entity_id', '=', id).where('action', '=', 'read').execute()).length;
    /** Path of a Location header, from /fhir on. */
    const pathOf = (location: string) => location.slice(location.indexOf('/fhir/'));

    before(async () => {
      t = await startTestApp(engine);
      const a = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC History' }));
      const b = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Elsewhere', orgUnit: 22, latitude: 31.6, longitude: 76.9 }));
      assert.equal(a.status, 201, JSON.stringify(a.body));
      op = (await t.userWith('facility_operator', a.body.id)).token;
      other = (await t.userWith('facility_operator', b.body.id)).token;
    });
    after(async () => { await t.close(); });

    test('an Encounter created and updated twice: Location resolves, vread gives each version, history lists them newest first and pages', async () => {
      const p = await t.app.inject({ method: 'POST', url: '/fhir/Patient', headers: { authorization: `Bearer ${op}`, ...FHIR }, payload: person('Kamla Devi') });
      assert.equal(p.statusCode, 201, p.body);
      const patient = JSON.parse(p.body).id;

      const created = await t.app.inject({ method: 'POST', url: '/fhir/Encounter', headers: { authorization: `Bearer ${op}`, ...FHIR }, payload: encounter(patient, 'planned') });
      assert.equal(created.statusCode, 201, created.body);
      const id = JSON.parse(created.body).id;
      assert.match(String(created.headers.location), new RegExp(`/fhir/Encounter/${id}/_history/1$`));
      const v1 = await t.req('GET', pathOf(String(created.headers.location)), op);
      assert.equal(v1.status, 200, JSON.stringify(v1.body));
      assert.equal(v1.body.status, 'planned');

      for (const status of ['in-progress', 'finished']) {
        const put = await t.app.inject({ method: 'PUT', url: `/fhir/Encounter/${id}`, headers: { authorization: `Bearer ${op}`, ...FHIR }, payload: { ...encounter(patient, status), id } });
        assert.equal(put.statusCode, 200, put.body);
        assert.match(String(put.headers['content-location']), /\/_history\/[23]$/);
      }
      const two = await t.app.inject({ method: 'GET', url: `/fhir/Encounter/${id}/_history/2`, headers: { authorization: `Bearer ${op}` } });
      assert.equal(two.statusCode, 200);
      assert.equal(two.headers.etag, 'W/"2"');
      assert.ok(two.headers['last-modified'], 'Last-Modified on a vread');
      assert.equal(JSON.parse(two.body).status, 'in-progress');
      assert.equal(JSON.parse(two.body).meta.versionId, '2');
      assert.equal((await t.req('GET', `/fhir/Encounter/${id}`, op)).body.status, 'finished', 'the read is the newest');

      const h = await t.req('GET', `/fhir/Encounter/${id}/_history`, op);
      assert.equal(h.status, 200, JSON.stringify(h.body));
      assert.equal(h.body.resourceType, 'Bundle');
      assert.equal(h.body.type, 'history');
      assert.equal(h.body.total, 3);
      assert.deepEqual(h.body.entry.map((e: any) => e.resource.meta.versionId), ['3', '2', '1']);
      assert.deepEqual(h.body.entry.map((e: any) => e.resource.status), ['finished', 'in-progress', 'planned']);
      assert.deepEqual(h.body.entry.map((e: any) => e.request.method), ['PUT', 'PUT', 'POST']);
      assert.deepEqual(h.body.entry.map((e: any) => e.response.status), ['200 OK', '200 OK', '201 Created']);

      // Paging: one version a page, through the next links.
      const seen: string[] = [];
      let url: string | undefined = `/fhir/Encounter/${id}/_history?_count=1`;
      while (url) {
        const page = await t.req('GET', url, op);
        assert.equal(page.status, 200);
        seen.push(...page.body.entry.map((e: any) => e.resource.meta.versionId));
        const next = page.body.link.find((l: any) => l.relation === 'next')?.url as string | undefined;
        url = next ? pathOf(next) : undefined;
      }
      assert.deepEqual(seen, ['3', '2', '1']);

      const missing = await t.req('GET', `/fhir/Encounter/${id}/_history/4`, op);
      assert.equal(missing.status, 404);
      assert.equal(missing.body.resourceType, 'OperationOutcome');
      assert.equal((await t.req('GET', `/fhir/Encounter/${id}/_history/x.1`, op)).status, 404);
      assert.equal((await t.req('GET', '/fhir/Encounter/nosuchid/_history', op)).status, 404);
      assert.equal((await t.req('GET', '/fhir/Encounter/nosuchid/_history/1', op)).status, 404);
      const post = await t.req('POST', `/fhir/Encounter/${id}/_history`, op, {}, FHIR);
      assert.equal(post.status, 405, 'history takes GET only');
    });

    test('vread and history of a record about a patient the caller may not read are 403, as a read is; each is audited', async () => {
      const p = await t.req('POST', '/fhir/Patient', op, person('Santosh Kumari'), FHIR);
      const e = await t.req('POST', '/fhir/Encounter', op, encounter(p.body.id), FHIR);
      assert.equal(e.status, 201);
      const id = e.body.id;
      for (const url of [`/fhir/Encounter/${id}`, `/fhir/Encounter/${id}/_history`, `/fhir/Encounter/${id}/_history/1`, `/fhir/Patient/${p.body.id}/_history`, `/fhir/Patient/${p.body.id}/_history/${p.body.meta.versionId}`]) {
        const r = await t.req('GET', url, other);
        assert.equal(r.status, 403, `${url}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.issue[0].code, 'forbidden');
      }
      const before = await reads('fhir_encounter', id);
      assert.equal((await t.req('GET', `/fhir/Encounter/${id}/_history`, op)).status, 200);
      assert.equal((await t.req('GET', `/fhir/Encounter/${id}/_history/1`, op)).status, 200);
      assert.equal(await reads('fhir_encounter', id), before + 2, 'every vread and history read is audited');
      const patientReads = await reads('patient', p.body.id);
      assert.equal((await t.req('GET', `/fhir/Patient/${p.body.id}/_history`, op)).status, 200);
      assert.equal(await reads('patient', p.body.id), patientReads + 1);
    });

    test('a Patient: create, FHIR update and a merge through the plain API are each a version; Location headers resolve', async () => {
      const created = await t.app.inject({ method: 'POST', url: '/fhir/Patient', headers: { authorization: `Bearer ${op}`, ...FHIR }, payload: { ...person('Geeta Rani'), telecom: [{ system: 'email', value: 'geeta@example.org' }] } });
      assert.equal(created.statusCode, 201, created.body);
      const first = JSON.parse(created.body);
      const location = pathOf(String(created.headers.location));
      assert.equal(location, `/fhir/Patient/${first.id}/_history/${first.meta.versionId}`);
      const v1 = await t.req('GET', location, op);
      assert.equal(v1.status, 200, JSON.stringify(v1.body));
      assert.equal(v1.body.name[0].text, 'Geeta Rani');

      await new Promise((r) => setTimeout(r, 5)); // versions of a patient are told apart by the millisecond
      const put = await t.app.inject({ method: 'PUT', url: `/fhir/Patient/${first.id}`, headers: { authorization: `Bearer ${op}`, ...FHIR }, payload: { ...person('Geeta Rani Sharma'), telecom: [{ system: 'email', value: 'geeta.sharma@example.org' }], id: first.id } });
      assert.equal(put.statusCode, 200, put.body);
      const second = JSON.parse(put.body);
      assert.notEqual(second.meta.versionId, first.meta.versionId);
      assert.equal((await t.req('GET', pathOf(String(put.headers['content-location'])), op)).body.name[0].text, 'Geeta Rani Sharma');

      // The plain API: merge this record into another (the registry row changes outside FHIR).
      const keep = await t.req('POST', '/fhir/Patient', op, person('Geeta Sharma'), FHIR);
      await new Promise((r) => setTimeout(r, 5));
      const merged = await t.req('POST', `/api/patients/${first.id}/merge`, op, { into: keep.body.id, reason: 'the same woman registered twice' });
      assert.equal(merged.status, 200, JSON.stringify(merged.body));

      const current = await t.app.inject({ method: 'GET', url: `/fhir/Patient/${first.id}`, headers: { authorization: `Bearer ${op}` } });
      const now = JSON.parse(current.body);
      assert.equal(now.active, false);
      const h = await t.req('GET', `/fhir/Patient/${first.id}/_history`, op);
      assert.equal(h.status, 200, JSON.stringify(h.body));
      assert.equal(h.body.type, 'history');
      assert.equal(h.body.total, 3);
      assert.deepEqual(h.body.entry.map((e: any) => e.resource.meta.versionId), [now.meta.versionId, second.meta.versionId, first.meta.versionId]);
      assert.equal(current.headers.etag, `W/"${now.meta.versionId}"`);
      assert.deepEqual(h.body.entry.map((e: any) => e.resource.active ?? true), [false, true, true]);
      assert.deepEqual(h.body.entry.map((e: any) => e.resource.name[0].text), ['Geeta Rani Sharma', 'Geeta Rani Sharma', 'Geeta Rani']);
      // What only the kept resource holds (an e-mail address) is the version's own too.
      const emails = h.body.entry.map((e: any) => (e.resource.telecom ?? []).find((x: any) => x.system === 'email')?.value);
      assert.deepEqual(emails, ['geeta.sharma@example.org', 'geeta.sharma@example.org', 'geeta@example.org']);
      for (const e of h.body.entry) {
        const v = await t.req('GET', `/fhir/Patient/${first.id}/_history/${e.resource.meta.versionId}`, op);
        assert.equal(v.status, 200);
        assert.deepEqual(v.body, e.resource, 'vread gives what history lists');
      }
      assert.equal((await t.req('GET', `/fhir/Patient/${first.id}/_history/123`, op)).status, 404);
      assert.equal((await t.req('GET', '/fhir/Patient/nosuchpatient/_history', op)).status, 404);
    });

    test('a facility as Organization has its current version only', async () => {
      const f = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Versions' }));
      const org = await t.req('GET', `/fhir/Organization/${f.body.id}`, t.adminToken);
      const h = await t.req('GET', `/fhir/Organization/${f.body.id}/_history`, t.adminToken);
      assert.equal(h.status, 200);
      assert.equal(h.body.total, 1);
      assert.equal(h.body.entry[0].resource.meta.versionId, org.body.meta.versionId);
      assert.equal((await t.req('GET', `/fhir/Organization/${f.body.id}/_history/${org.body.meta.versionId}`, t.adminToken)).status, 200);
      assert.equal((await t.req('GET', `/fhir/Organization/${f.body.id}/_history/1`, t.adminToken)).status, 404);
    });
  });
}
