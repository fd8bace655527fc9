// The read audit, batched: every read of patients is one audit row per request naming every patient
// it returned (FHIR search Bundles, /api/patients searches, reads by id), written by the statement
// that reads; a patient's access log finds such rows; a refused read writes none.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';

const asJson = (v: unknown): any => (typeof v === 'string' ? JSON.parse(v) : v);

for (const engine of testEngines()) {
  describe(`read audit: one row per request naming every patient returned [${engine}]`, () => {
    let t: TestApp;
    let a: { token: string; username: string };
    let b: { token: string; username: string };
    const atA: string[] = [];
    const atB: string[] = [];

    /** The audit rows `username` wrote while `fn` ran. */
    async function rowsDuring(username: string, fn: () => Promise<void>) {
      const last = await t.db.kysely.selectFrom('audit_log').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
      await fn();
      const rows = await t.db.kysely.selectFrom('audit_log').selectAll().where('actor_username', '=', username)
        .where('id', '>', Number(last?.id ?? 0)).orderBy('id').execute();
      return rows.map((r) => ({ ...r, after: asJson(r.after), patient_ids: r.patient_ids ?? null }));
    }

    before(async () => {
      t = await startTestApp(engine);
      const fa = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Adampur' }));
      const fb = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'CHC Barwala' }));
      assert.equal(fa.status, 201, JSON.stringify(fa.body));
      a = await t.userWith('facility_operator', fa.body.id);
      b = await t.userWith('facility_operator', fb.body.id);
      // Five people named Vashisht: three registered at Adampur, two at Barwala.
      for (const [i, given] of ['Anita', 'Sunita', 'Kamla', 'Geeta', 'Rekha'].entries()) {
        const r = await t.req('POST', '/api/patients', i < 3 ? a.token : b.token, { name: `${given} Vashisht`, sex: 'female', age: 30 + i, address: { district: 63 } });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        (i < 3 ? atA : atB).push(r.body.id);
      }
    });
    after(async () => { await t.close(); });

    test('a FHIR name search writes one audit row naming every patient in the Bundle, those shown limited marked', async () => {
      let bundle: any;
      const rows = await rowsDuring(a.username, async () => {
        const r = await t.req('GET', '/fhir/Patient?name=Vashisht', a.token);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        bundle = r.body;
      });
      const ids = bundle.entry.map((e: any) => e.resource.id);
      assert.deepEqual([...ids].sort(), [...atA, ...atB].sort(), 'state-wide: readable ones whole, the others limited');
      assert.equal(rows.length, 1, `one row for the search, not one per entry: ${JSON.stringify(rows.map((r) => [r.entity, r.entity_id]))}`);
      const [row] = rows;
      assert.equal(row.action, 'read');
      assert.equal(row.entity, 'patient');
      assert.equal(row.purpose, 'care');
      assert.deepEqual([...row.patient_ids!].sort(), [...ids].sort(), 'names every patient returned');
      assert.deepEqual([...row.after.limited].sort(), [...atB].sort(), 'those shown by name and birth year only');
      assert.equal(row.after.results, 5);
    });

    test('a narrowed search and a page of a longer one name exactly the patients they return', async () => {
      const narrowed = await rowsDuring(a.username, async () => {
        const r = await t.req('GET', '/fhir/Patient?name=Vashisht&birthdate=le2000', a.token);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.deepEqual(r.body.entry.map((e: any) => e.resource.id).sort(), [...atA].sort(), 'a narrowed search matches only records the caller may read');
      });
      assert.equal(narrowed.length, 1);
      assert.deepEqual([...narrowed[0].patient_ids!].sort(), [...atA].sort());
      const paged = await rowsDuring(a.username, async () => {
        const r = await t.req('GET', '/fhir/Patient?name=Vashisht&_count=2&_offset=2', a.token);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.total, 5);
        assert.equal(r.body.entry.length, 2);
      });
      assert.equal(paged.length, 1);
      assert.equal(paged[0].patient_ids!.length, 2, 'the page, not every match');
    });

    test('a search in /api/patients writes one row naming every person listed; a search finding no one is audited too', async () => {
      let items: any[] = [];
      const rows = await rowsDuring(a.username, async () => {
        const r = await t.req('GET', '/api/patients?q=Vashisht', a.token);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        items = r.body.items;
      });
      assert.equal(items.length, 5);
      assert.equal(rows.length, 1);
      assert.equal(rows[0].entity, 'patient_search');
      assert.equal(rows[0].purpose, 'search');
      assert.deepEqual([...rows[0].patient_ids!].sort(), items.map((i) => i.id).sort());
      assert.equal(rows[0].after.kind, 'name');
      const none = await rowsDuring(a.username, async () => {
        assert.equal((await t.req('GET', '/api/patients?q=Zzyzxqwv', a.token)).body.items.length, 0);
      });
      assert.equal(none.length, 1, 'who searched for whom, though no one was found');
      assert.deepEqual(none[0].patient_ids, []);
    });

    test('a read by id is one row (entity_id and patient_ids); a refused read writes none', async () => {
      const fhir = await rowsDuring(a.username, async () => {
        const r = await t.req('GET', `/fhir/Patient/${atA[0]}`, a.token);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.address[0].district, 'Hisar');
      });
      assert.deepEqual(fhir.map((r) => [r.entity, r.entity_id, r.purpose, r.patient_ids]), [['patient', atA[0], 'care', [atA[0]]]]);
      const api = await rowsDuring(a.username, async () => {
        const r = await t.req('GET', `/api/patients/${atA[1]}`, a.token);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.deepEqual(r.body.facilities.map((f: any) => f.name), ['PHC Adampur']);
        assert.match(r.body.facilities[0].firstSeen, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      });
      assert.deepEqual(api.map((r) => [r.entity, r.entity_id, r.patient_ids]), [['patient', atA[1], [atA[1]]]]);
      const refused = await rowsDuring(b.username, async () => {
        assert.equal((await t.req('GET', `/fhir/Patient/${atA[0]}`, b.token)).status, 403);
        assert.equal((await t.req('GET', `/api/patients/${atA[0]}`, b.token)).status, 403);
      });
      assert.equal(refused.length, 0, 'nothing was read, nothing is audited as read');
    });

    test('an Encounter search with _include=Encounter:patient reads its patients in one audit row naming them all', async () => {
      for (const id of [...atA, atB[0]]) {
        const r = await t.req('POST', '/fhir/Encounter', a.token, {
          resourceType: 'Encounter', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' }, subject: { reference: `Patient/${id}` },
        });
        // An encounter of a patient Adampur may not read is refused: Barwala's patient brings nothing.
        assert.equal(r.status, id === atB[0] ? 403 : 201, JSON.stringify(r.body));
      }
      let bundle: any;
      const rows = await rowsDuring(a.username, async () => {
        const r = await t.req('GET', '/fhir/Encounter?_include=Encounter:patient', a.token);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        bundle = r.body;
      });
      const included = bundle.entry.filter((e: any) => e.search?.mode === 'include').map((e: any) => e.resource.id);
      assert.deepEqual([...included].sort(), [...atA].sort());
      const patientRows = rows.filter((r) => r.entity === 'patient');
      assert.equal(patientRows.length, 1, `one row for the included patients, not one each: ${JSON.stringify(rows.map((r) => [r.entity, r.entity_id]))}`);
      assert.deepEqual([...patientRows[0].patient_ids!].sort(), [...atA].sort());
      assert.equal(patientRows[0].purpose, 'care');
    });

    test('the access log finds batched reads: a search that showed the record is a read, one that listed the person a search', async () => {
      const mine = await t.req('GET', `/api/patients/${atA[2]}/access-log`, a.token);
      assert.equal(mine.status, 200, JSON.stringify(mine.body));
      const byA = mine.body.items.filter((i: any) => i.by === a.username);
      assert.ok(byA.some((i: any) => i.action === 'read' && i.purpose === 'care'), `the FHIR search that returned the record: ${JSON.stringify(byA)}`);
      assert.ok(byA.some((i: any) => i.action === 'search' && i.purpose === 'search'), 'the /api/patients search that listed the person');
      const theirs = await t.req('GET', `/api/patients/${atB[0]}/access-log`, b.token);
      const seenByA = theirs.body.items.filter((i: any) => i.by === a.username);
      assert.ok(seenByA.length >= 2, JSON.stringify(theirs.body));
      assert.ok(seenByA.every((i: any) => i.action === 'search'), 'Adampur saw only name and birth year of a Barwala patient');
    });

    test('the audit screen finds a patient in batched rows by entityId', async () => {
      const r = await t.req('GET', `/api/audit?entityId=${atB[1]}&actor=${a.username}`, t.adminToken);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.ok(r.body.items.length >= 2, JSON.stringify(r.body));
      assert.ok(r.body.items.every((i: any) => i.patientIds?.includes(atB[1])));
    });
  });
}
