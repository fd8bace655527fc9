// Conditional create (If-None-Exist, transaction ifNoneExist), document Bundles kept once, Organizations
// and Practitioners matched instead of kept again, and Organization search by every identifier the server
// writes. Parallel identical requests (really parallel on PostgreSQL) must give one record, never a 5xx.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { hasShared, readShared } from '../../test/shared.js';
import { luhnCheckDigit } from '../patients/patients.identity.js';

const FHIR = { 'content-type': 'application/fhir+json' };
const SYS = 'https://hospital.example/encounters';
const OP_CONSULT = ['fixtures', 'fhir', 'abdm-Bundle-OPConsultNote-example-05.slim.json'] as const;
const IMMUNIZATION = ['fixtures', 'fhir', 'abdm-Bundle-ImmunizationRecord-example-07.slim.json'] as const;
const abhaOf = (base13: string) => `${base13}${luhnCheckDigit(base13)}`.replace(/^(\d{2})(\d{4})(\d{4})(\d{4})$/, '$1-$2-$3-$4');
type Res = { status: number; body: any };
function tally(rs: Res[]) {
  for (const r of rs) assert.ok(r.status < 500, `no 5xx: ${r.status} ${JSON.stringify(r.body)}`);
  const n: Record<number, number> = {};
  for (const r of rs) n[r.status] = (n[r.status] ?? 0) + 1;
  return n;
}

for (const engine of testEngines()) {
  describe(`FHIR conditional create and documents kept once [${engine}]`, () => {
    let t: TestApp;
    let op: string;
    let patient: string;
    let fac: { id: string; hfrId: string };
    const encounter = (value: string) => ({
      resourceType: 'Encounter', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      identifier: [{ system: SYS, value }], subject: { reference: `Patient/${patient}` },
    });
    const post = (url: string, body: unknown, headers: Record<string, string> = {}) => t.req('POST', url, op, body, { ...FHIR, ...headers });
    const kept = async (type: string, value: string) => (await t.db.kysely.selectFrom('fhir_resources').select('id')
      .where('resource_type', '=', type).where((eb) => eb(eb.cast(eb.ref('resource'), 'text'), 'like', `%${value}%`)).execute()).length;
    const count = async (type: string) => Number((await t.db.kysely.selectFrom('fhir_resources').select((eb) => eb.fn.countAll().as('n')).where('resource_type', '=', type).executeTakeFirstOrThrow()).n);

    before(async () => {
      t = await startTestApp(engine);
      const hfrId = `IN06100${randomBytes(3).toString('hex').replace(/\D/g, '7').padEnd(5, '7').slice(0, 5)}`;
      const f = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Conditional', hfrId }));
      assert.equal(f.status, 201, JSON.stringify(f.body));
      fac = { id: f.body.id, hfrId };
      op = (await t.userWith('doctor', fac.id)).token;
      const p = await post('/fhir/Patient', { resourceType: 'Patient', name: [{ text: 'Sushila Devi' }], gender: 'female', birthDate: '1970-02-02', address: [{ district: 'Hisar' }] });
      assert.equal(p.status, 201, JSON.stringify(p.body));
      patient = p.body.id;
    });
    after(async () => { await t.close(); });

    test('If-None-Exist: none found creates (201), one found is answered (200) and nothing is made, several are 412', async () => {
      const value = `E-${randomBytes(4).toString('hex')}`;
      const first = await post('/fhir/Encounter', encounter(value), { 'if-none-exist': `identifier=${SYS}|${value}` });
      assert.equal(first.status, 201, JSON.stringify(first.body));
      for (const condition of [`identifier=${SYS}|${value}`, `identifier=${value}`, `Encounter?identifier=${encodeURIComponent(`${SYS}|${value}`)}`]) {
        const again = await post('/fhir/Encounter', encounter(value), { 'if-none-exist': condition });
        assert.equal(again.status, 200, `${condition}: ${JSON.stringify(again.body)}`);
        assert.equal(again.body.id, first.body.id);
      }
      assert.equal(await kept('Encounter', value), 1, 'one Encounter kept');
      // A second one made without a condition: now the condition matches two.
      assert.equal((await post('/fhir/Encounter', encounter(value))).status, 201);
      const two = await post('/fhir/Encounter', encounter(value), { 'if-none-exist': `identifier=${SYS}|${value}` });
      assert.equal(two.status, 412, JSON.stringify(two.body));
      assert.equal(two.body.resourceType, 'OperationOutcome');
      assert.equal(await kept('Encounter', value), 2);
      const unknown = await post('/fhir/Encounter', encounter(value), { 'if-none-exist': 'foo=bar' });
      assert.equal(unknown.status, 400, 'a condition this server would ignore is refused, not taken as no condition');
      assert.match(unknown.body.issue[0].diagnostics, /foo/);
    });

    test('If-None-Exist on a Patient by ABHA number', async () => {
      const abha = abhaOf('9144444444444');
      const body = { resourceType: 'Patient', name: [{ text: 'Raju Ram' }], gender: 'male', birthDate: '1980-01-01', identifier: [{ system: 'https://healthid.ndhm.gov.in', value: abha }], address: [{ district: 'Hisar' }] };
      const first = await post('/fhir/Patient', body, { 'if-none-exist': `identifier=https://healthid.ndhm.gov.in|${abha}` });
      assert.equal(first.status, 201, JSON.stringify(first.body));
      const again = await post('/fhir/Patient', body, { 'if-none-exist': `identifier=https://healthid.ndhm.gov.in|${abha}` });
      assert.equal(again.status, 200, JSON.stringify(again.body));
      assert.equal(again.body.id, first.body.id);
    });

    test('transaction entry request.ifNoneExist: the second bundle finds the first one\'s Encounter', async () => {
      const value = `T-${randomBytes(4).toString('hex')}`;
      const bundle = { resourceType: 'Bundle', type: 'transaction', entry: [{ fullUrl: 'urn:uuid:0b1e5e4a-0000-4000-8000-000000000001', resource: encounter(value), request: { method: 'POST', url: 'Encounter', ifNoneExist: `identifier=${SYS}|${value}` } }] };
      const first = await post('/fhir', bundle);
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.equal(first.body.entry[0].response.status, '201 Created');
      const again = await post('/fhir', bundle);
      assert.equal(again.body.entry[0].response.status, '200 OK');
      assert.equal(again.body.entry[0].response.location.split('/')[1], first.body.entry[0].response.location.split('/')[1]);
      assert.equal(await kept('Encounter', value), 1);
      const bad = await post('/fhir', { ...bundle, entry: [{ ...bundle.entry[0], request: { ...bundle.entry[0].request, ifNoneExist: 'nonsense=1' } }] });
      assert.equal(bad.status, 400);
    });

    test('10 parallel conditional creates of one Encounter and of one Practitioner: one kept, the rest answered with it', async () => {
      const value = `R-${randomBytes(4).toString('hex')}`;
      const rs = await Promise.all(Array.from({ length: 10 }, () => post('/fhir/Encounter', encounter(value), { 'if-none-exist': `identifier=${SYS}|${value}` })));
      const n = tally(rs);
      assert.equal(n[201], 1, JSON.stringify(n));
      assert.equal((n[200] ?? 0) + (n[409] ?? 0), 9, JSON.stringify(n));
      assert.equal(await kept('Encounter', value), 1, 'never a duplicate');
      const hpr = `71-${randomBytes(2).toString('hex').replace(/\D/g, '3').padEnd(4, '3')}-1111-2222`;
      const doctor = { resourceType: 'Practitioner', identifier: [{ system: 'https://doctor.ndhm.gov.in', value: hpr }], name: [{ text: 'Dr. Parallel' }] };
      const ps = await Promise.all(Array.from({ length: 10 }, () => post('/fhir/Practitioner', doctor, { 'if-none-exist': `identifier=https://doctor.ndhm.gov.in|${hpr}` })));
      const m = tally(ps);
      assert.equal(m[201], 1, JSON.stringify(m));
      assert.equal(await kept('Practitioner', hpr), 1);
    });

    test('an ABDM document posted twice is kept once (the second answer is the first); in parallel too; another document under the same identifier is kept', { skip: hasShared(...OP_CONSULT) ? false : '../shared/fixtures/fhir is absent' }, async () => {
      const text = readShared(...OP_CONSULT);
      const before = { Composition: await count('Composition'), Encounter: await count('Encounter'), Organization: await count('Organization'), Practitioner: await count('Practitioner') };
      const rs = await Promise.all(Array.from({ length: 6 }, () => post('/fhir', text)));
      assert.deepEqual(tally(rs), { 200: 6 });
      const locations = rs.map((r) => JSON.stringify(r.body.entry.map((e: any) => e.response.location)));
      assert.equal(new Set(locations).size, 1, 'every post is answered with the same resources');
      assert.equal(rs.filter((r) => r.body.entry.some((e: any) => e.response.status === '201 Created')).length, 1, 'one post created them');
      const again = await post('/fhir', text);
      assert.equal(JSON.stringify(again.body.entry.map((e: any) => e.response.location)), locations[0]);
      assert.deepEqual({ Composition: await count('Composition'), Encounter: await count('Encounter'), Organization: await count('Organization'), Practitioner: await count('Practitioner') },
        { Composition: before.Composition + 1, Encounter: before.Encounter + 1, Organization: before.Organization + 1, Practitioner: before.Practitioner + 1 });
      // ABDM's ImmunizationRecord example reuses the OPConsultNote's Bundle.identifier: it is another document, kept.
      const other = await post('/fhir', readShared(...IMMUNIZATION));
      assert.equal(other.status, 200);
      assert.equal(await count('Composition'), before.Composition + 2);
      assert.equal(await count('Organization'), before.Organization + 1, 'the same hospital (HFR 4567823) is matched, not kept again');
      assert.equal(await count('Practitioner'), before.Practitioner + 1, 'the same doctor (HPR id) is matched');
    });

    test('an Organization or Location in a bundle that is a facility here (HFR id or org-unit identifier) is the facility, not a new resource', async () => {
      const orgs = await count('Organization');
      const entries = [
        { fullUrl: 'urn:uuid:0b1e5e4a-0000-4000-8000-0000000000a1', resource: { resourceType: 'Organization', identifier: [{ system: 'https://swasthya.example/fhir/sid/org-unit', value: fac.id }], name: 'PHC Conditional' }, request: { method: 'POST', url: 'Organization' } },
        { fullUrl: 'urn:uuid:0b1e5e4a-0000-4000-8000-0000000000a2', resource: { resourceType: 'Organization', identifier: [{ system: 'https://facility.ndhm.gov.in', value: fac.hfrId }], name: 'PHC Conditional' }, request: { method: 'POST', url: 'Organization' } },
        { fullUrl: 'urn:uuid:0b1e5e4a-0000-4000-8000-0000000000a3', resource: { resourceType: 'Location', identifier: [{ system: 'https://swasthya.example/fhir/sid/org-unit', value: fac.id }], name: 'PHC Conditional' }, request: { method: 'POST', url: 'Location' } },
      ];
      const r = await post('/fhir', { resourceType: 'Bundle', type: 'transaction', entry: entries });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.entry.map((e: any) => e.response.location), [`Organization/${fac.id}`, `Organization/${fac.id}`, `Location/${fac.id}`]);
      assert.equal(await count('Organization'), orgs);
    });

    test('Organization?identifier= finds the facility by each identifier the server writes, with and without system', async () => {
      const org = await t.req('GET', `/fhir/Organization/${fac.id}`, op);
      assert.equal(org.status, 200);
      for (const type of ['Organization', 'Location']) {
        const written = type === 'Organization' ? org.body.identifier : (await t.req('GET', `/fhir/Location/${fac.id}`, op)).body.identifier;
        assert.equal(written.length, 2, 'org unit and HFR id');
        for (const i of written) {
          for (const token of [`${i.system}|${i.value}`, i.value]) {
            const r = await t.req('GET', `/fhir/${type}?identifier=${encodeURIComponent(token)}`, op);
            assert.equal(r.status, 200, JSON.stringify(r.body));
            assert.deepEqual(r.body.entry.map((e: any) => e.resource.id), [fac.id], `${type}?identifier=${token}`);
            assert.equal(r.body.total, 1);
          }
        }
      }
      const none = await t.req('GET', `/fhir/Organization?identifier=${encodeURIComponent(`https://swasthya.example/fhir/sid/org-unit|Xnosuchunit`)}`, op);
      assert.equal(none.body.total, 0);
    });
  });
}
