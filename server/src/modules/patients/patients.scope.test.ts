import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';

/**
 * Scope without exceptions: admins read patients only inside their own org unit, a national admin
 * reads none; place filters narrow a search but never cross the state line; FHIR filters see only
 * readable records; duplicate checks, family views and the OPD queue are audited reads.
 */
for (const engine of testEngines()) {
  describe(`patient scope without exceptions [${engine}]`, () => {
    let t: TestApp;
    const fac: Record<string, string> = {};
    const tok: Record<string, string> = {};
    let me: string; // the Adampur operator's user name
    let hisar: any; // registered at PHC Adampur (Hisar)
    let neighbour: any; // registered at CHC Barwala (Hisar): Adampur's staff may not read her
    let mandi: any; // registered at PHC Nerchowk (Mandi, Himachal)

    before(async () => {
      t = await startTestApp(engine);
      const mk = async (o: Record<string, unknown>) => {
        const r = await t.req('POST', '/api/facilities', t.adminToken, facilityBody(o));
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body.id as string;
      };
      fac.adampur = await mk({ name: 'PHC Adampur' });
      fac.barwala = await mk({ name: 'CHC Barwala', type: 'CHC' });
      fac.mandi = await mk({ name: 'PHC Nerchowk', orgUnit: 22, latitude: 31.6, longitude: 76.9 });
      const operator = await t.userWith('facility_operator', fac.adampur);
      tok.adampur = operator.token;
      me = operator.username;
      tok.barwala = (await t.userWith('facility_operator', fac.barwala)).token;
      tok.mandi = (await t.userWith('facility_operator', fac.mandi)).token;
      tok.hisarAdmin = (await t.userWith('admin', 'district:63')).token;
      tok.asha = (await t.userWith('asha', fac.adampur)).token;
      const register = async (token: string, body: Record<string, unknown>) => {
        const r = await t.req('POST', '/api/patients', token, { sex: 'female', ...body });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body;
      };
      hisar = await register(tok.adampur, { name: 'Kamla Devi', birthDate: '1980-02-11', address: { district: 63 } });
      neighbour = await register(tok.barwala, { name: 'Kamla Bai', birthDate: '1987-06-14', address: { district: 63 } });
      mandi = await register(tok.mandi, { name: 'Kamla Thakur', birthDate: '1979-09-03', address: { district: 22 } });
    });
    after(async () => { await t.close(); });

    const audits = async (entity: string, actorUsername?: string) => {
      let q = t.db.kysely.selectFrom('audit_log').select(['action', 'purpose', 'entity_id', 'after']).where('entity', '=', entity);
      if (actorUsername) q = q.where('actor_username', '=', actorUsername);
      return q.execute();
    };
    const fhirEntries = (r: { body: any }) => (r.body.entry ?? []).map((e: any) => e.resource);

    test('an admin of Hisar reads, merges and exports Hisar patients, not Mandi ones (API and FHIR)', async () => {
      assert.equal((await t.req('GET', `/api/patients/${hisar.id}`, tok.hisarAdmin)).status, 200, 'inside the area the admin reads');
      assert.equal((await t.req('GET', `/fhir/Patient/${hisar.id}`, tok.hisarAdmin)).status, 200);
      for (const path of [`/api/patients/${mandi.id}`, `/api/patients/${mandi.id}/card`, `/api/patients/${mandi.id}/card.pdf`, `/api/patients/${mandi.id}/visits`,
        `/api/patients/${mandi.id}/access-log`, `/fhir/Patient/${mandi.id}`, `/fhir/Encounter?patient=Patient/${mandi.id}`]) {
        const r = await t.req('GET', path, tok.hisarAdmin);
        assert.ok([403, 404].includes(r.status), `${path} → ${r.status}`);
        assert.ok(!JSON.stringify(r.body ?? '').includes('Thakur'), `${path} names nobody`);
      }
      const merge = await t.req('POST', `/api/patients/${mandi.id}/merge`, tok.hisarAdmin, { into: hisar.id, reason: 'same person' });
      assert.ok([403, 404].includes(merge.status), `merge → ${merge.status}`);
      const stillOwn = await t.db.kysely.selectFrom('patients').select('merged_into').where('id', '=', mandi.id).executeTakeFirstOrThrow();
      assert.equal(stillOwn.merged_into, null, 'nothing was merged');
      // An FHIR Encounter about the Mandi patient is not found by the Hisar admin's search either.
      const enc = await t.req('POST', '/fhir/Encounter', tok.mandi, { resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, subject: { reference: `Patient/${mandi.id}` } });
      assert.equal(enc.status, 201, JSON.stringify(enc.body));
      const found = await t.req('GET', '/fhir/Encounter', tok.hisarAdmin);
      assert.equal(found.status, 200);
      assert.equal(found.body.total, 0, 'the total counts only readable records');
      assert.equal((await t.req('GET', `/fhir/Encounter/${enc.body.id}`, tok.hisarAdmin)).status, 403);
    });

    test('a national admin manages users, not records: reads, searches and lists no patient', async () => {
      for (const path of [`/api/patients/${hisar.id}`, `/api/patients/${mandi.id}/card.pdf`, '/api/patients?q=Kamla', '/api/patients/duplicates?name=Kamla%20Devi&sex=female',
        `/fhir/Patient/${hisar.id}`, '/fhir/Patient?name=Kamla', `/api/opd/queue?facilityId=${fac.adampur}`]) {
        const r = await t.req('GET', path, t.adminToken);
        assert.equal(r.status, 403, `${path} → ${r.status} ${JSON.stringify(r.body)}`);
      }
      const enc = await t.req('POST', '/fhir/Encounter', tok.adampur, { resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, subject: { reference: `Patient/${hisar.id}` } });
      assert.equal(enc.status, 201, JSON.stringify(enc.body));
      const all = await t.req('GET', '/fhir/Encounter', t.adminToken);
      assert.equal(all.status, 200);
      assert.equal(all.body.total, 0, 'no resource about a patient');
      assert.equal((await t.req('GET', '/fhir/Encounter', tok.adampur)).body.total, 1, 'the facility finds its own');
      // It still manages users.
      assert.equal((await t.req('GET', '/api/users', t.adminToken)).status, 200);
    });

    test('district= and village= narrow a search inside the state; another state is 403, naming the field', async () => {
      const inState = await t.req('GET', '/api/patients?q=Kamla&district=63', tok.adampur);
      assert.equal(inState.status, 200);
      assert.ok(inState.body.items.some((i: any) => i.id === hisar.id));
      assert.ok(!inState.body.items.some((i: any) => i.id === mandi.id));
      for (const token of [tok.adampur, tok.hisarAdmin]) {
        const r = await t.req('GET', '/api/patients?q=Kamla&district=22', token, undefined, { 'accept-language': 'hi' });
        assert.equal(r.status, 403, JSON.stringify(r.body));
        assert.equal(r.body.error.details?.field, 'district');
        assert.ok(!JSON.stringify(r.body).includes('Thakur'));
      }
      const plain = await t.req('GET', '/api/patients?q=Kamla%20Thakur', tok.adampur);
      assert.equal(plain.status, 200);
      assert.ok(!plain.body.items.some((i: any) => i.id === mandi.id), 'a plain search stays in the state');
    });

    test('duplicate checks need can_search_patient (not ASHAs) and each is audited once', async () => {
      assert.equal((await t.req('GET', '/api/patients/duplicates?name=Kamla%20Devi&sex=female&age=46', tok.asha)).status, 403);
      const before = (await audits('patient_search', me)).filter((a) => a.purpose === 'duplicates').length;
      const r = await t.req('GET', '/api/patients/duplicates?name=Kamla%20Devi&sex=female&birthDate=1980-01-01', tok.adampur);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.ok(r.body.items.some((i: any) => i.id === hisar.id));
      const rows = (await audits('patient_search', me)).filter((a) => a.purpose === 'duplicates');
      assert.equal(rows.length, before + 1, 'one audit row per check');
    });

    test('FHIR birthdate filters learn nothing about a record the caller may not read', async () => {
      // Unnarrowed, the registry's search shows the neighbour as it shows her anywhere: limited.
      const plain = await t.req('GET', '/fhir/Patient?name=Kamla%20Bai', tok.adampur);
      assert.equal(plain.status, 200);
      const shown = fhirEntries(plain).find((p: any) => p.id === neighbour.id);
      assert.ok(shown, 'found by name');
      assert.equal(shown.birthDate, '1987', 'the year only on a limited entry');
      // A binary search over her birth date: every answer is the same (she is never matched).
      let lo = Date.parse('1900-01-01'), hi = Date.parse('2025-12-31');
      const seen = new Set<string>();
      for (let i = 0; i < 16 && hi - lo > 86_400_000; i++) {
        const mid = new Date(Math.floor((lo + hi) / 2 / 86_400_000) * 86_400_000).toISOString().slice(0, 10);
        for (const q of [`name=Kamla%20Bai&birthdate=le${mid}`, `_id=${neighbour.id}&birthdate=le${mid}`, `name=Kamla%20Bai&gender=female&birthdate=le${mid}`]) {
          const r = await t.req('GET', `/fhir/Patient?${q}`, tok.adampur);
          assert.equal(r.status, 200, JSON.stringify(r.body));
          seen.add(JSON.stringify(fhirEntries(r).map((p: any) => p.id).filter((id: string) => id === neighbour.id)));
        }
        if (Date.parse(mid) >= Date.parse(neighbour.birthDate)) hi = Date.parse(mid); else lo = Date.parse(mid);
      }
      assert.deepEqual([...seen], ['[]'], 'a narrowed search never matches a record the caller may not read');
      // Her own facility finds her by the same filters.
      const own = await t.req('GET', '/fhir/Patient?name=Kamla%20Bai&birthdate=le1987-06-14', tok.barwala);
      assert.ok(fhirEntries(own).some((p: any) => p.id === neighbour.id && p.birthDate === '1987-06-14'));
      const before = await t.req('GET', '/fhir/Patient?name=Kamla%20Bai&birthdate=le1987-06-13', tok.barwala);
      assert.ok(!fhirEntries(before).some((p: any) => p.id === neighbour.id), 'filters still work on readable records');
    });

    test('family views and the OPD queue are audited, one row per view', async () => {
      const fam = await t.req('POST', '/api/families', tok.adampur, { headPatientId: hisar.id });
      assert.equal(fam.status, 201, JSON.stringify(fam.body));
      const famBefore = (await audits('family', me)).filter((a) => a.action === 'read').length;
      const view = await t.req('GET', `/api/families/${fam.body.id}`, tok.adampur);
      assert.equal(view.status, 200);
      assert.equal(view.body.members.length, 1);
      const famRows = (await audits('family', me)).filter((a) => a.action === 'read');
      assert.equal(famRows.length, famBefore + 1);
      assert.equal(famRows.at(-1)!.entity_id, fam.body.id);
      // A national admin does not see the family.
      assert.equal((await t.req('GET', `/api/families/${fam.body.id}`, t.adminToken)).status, 403);

      const queueBefore = (await audits('opd_queue', me)).length;
      const q = await t.req('GET', `/api/opd/queue?facilityId=${fac.adampur}`, tok.adampur);
      assert.equal(q.status, 200, JSON.stringify(q.body));
      const queueRows = await audits('opd_queue', me);
      assert.equal(queueRows.length, queueBefore + 1);
      assert.equal(queueRows.at(-1)!.entity_id, fac.adampur);
    });
  });
}
