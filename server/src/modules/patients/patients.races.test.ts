// Rules about patients that must hold when requests arrive at once: each is fired N times in
// parallel through the real app. On PostgreSQL (TEST_DATABASE_URL) the requests really overlap;
// PGlite runs them one after another, where the same answers must come out.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { up as settleDuplicates } from '../../db/migrations/20261201T0300_enforce_one_open_per_patient.js';

type Res = { status: number; body: any };
/** Statuses of parallel answers, counted; a 5xx anywhere fails the test with its body. */
function tally(rs: Res[]) {
  for (const r of rs) assert.ok(r.status < 500, `no 5xx: ${r.status} ${JSON.stringify(r.body)}`);
  const n: Record<number, number> = {};
  for (const r of rs) n[r.status] = (n[r.status] ?? 0) + 1;
  return n;
}
const N = 10;

for (const engine of testEngines()) {
  describe(`patients under parallel requests [${engine}]`, () => {
    let t: TestApp;
    let fac: string;
    let op: string;
    before(async () => {
      t = await startTestApp(engine);
      const f = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Races' }));
      assert.equal(f.status, 201, JSON.stringify(f.body));
      fac = f.body.id;
      op = (await t.userWith('facility_operator', fac)).token;
    });
    after(async () => { await t.close(); });

    const patient = async (over: Record<string, unknown> = {}) => {
      const r = await t.req('POST', '/api/patients', op, { name: `Kamla ${randomBytes(2).toString('hex')} Devi`, sex: 'female', age: 28, address: { district: 63 }, facilityId: fac, ...over });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.id as string;
    };
    const family = (head: string, externalId?: string) => t.req('POST', '/api/families', op, { headPatientId: head, ...(externalId ? { externalId } : {}) });

    test('one open pregnancy per woman: 10 parallel registrations give one number, nine 409s naming it', async () => {
      const woman = await patient();
      const rs = await Promise.all(Array.from({ length: N }, (_, i) =>
        t.req('POST', '/api/pregnancies', op, { patientId: woman, facilityId: fac }, { 'accept-language': i % 2 ? 'hi' : 'en' })));
      assert.deepEqual(tally(rs), { 201: 1, 409: N - 1 });
      const number = rs.find((r) => r.status === 201)!.body.registrationNumber;
      for (const r of rs.filter((x) => x.status === 409)) assert.equal(r.body.error.details.registrationNumber, number);
      assert.match(rs.find((r, i) => r.status === 409 && i % 2 === 0)!.body.error.message, /already has an open pregnancy registration/);
      assert.match(rs.find((r, i) => r.status === 409 && i % 2 === 1)!.body.error.message, /पहले से खुला है/);
      const open = await t.db.kysely.selectFrom('pregnancies').select('registration_number').where('patient_id', '=', woman).where('status', '=', 'open').execute();
      assert.deepEqual(open.map((p) => p.registration_number), [number]);
    });

    test('OPD tokens: 10 parallel registrations in one department get tokens 1 to 10, each once, and no error', async () => {
      const people = await Promise.all(Array.from({ length: N }, () => patient()));
      const department = `races-${randomBytes(3).toString('hex')}`;
      const rs = await Promise.all(people.map((p) => t.req('POST', '/api/opd/registrations', op, { patientId: p, facilityId: fac, department })));
      assert.deepEqual(tally(rs), { 201: N });
      assert.deepEqual(rs.map((r) => r.body.token).sort((a, b) => a - b), Array.from({ length: N }, (_, i) => i + 1));
    });

    test('one merge per record: 4 parallel merges of one record into 4 others, one wins; two undos of it, one wins', async () => {
      const dup = await patient();
      const into = await Promise.all([1, 2, 3, 4].map(() => patient()));
      const rs = await Promise.all(into.map((id) => t.req('POST', `/api/patients/${dup}/merge`, op, { into: id, reason: 'same woman registered twice' })));
      assert.deepEqual(tally(rs), { 200: 1, 409: 3 });
      const won = rs.findIndex((r) => r.status === 200);
      const row = await t.db.kysely.selectFrom('patients').select('merged_into').where('id', '=', dup).executeTakeFirstOrThrow();
      assert.equal(row.merged_into, into[won]);
      const merges = await t.db.kysely.selectFrom('patient_merges').select('into_id').where('from_id', '=', dup).execute();
      assert.deepEqual(merges.map((m) => m.into_id), [into[won]], 'one merge recorded');

      const undos = await Promise.all([1, 2, 3].map(() => t.req('POST', `/api/patients/merges/${rs[won].body.mergeId}/undo`, op, {})));
      assert.deepEqual(tally(undos), { 200: 1, 409: 2 });
      assert.equal((await t.db.kysely.selectFrom('patients').select('merged_into').where('id', '=', dup).executeTakeFirstOrThrow()).merged_into, null);
    });

    test('a person is in one family: 6 parallel adds to 3 families, one wins; the rest are 409 naming that family', async () => {
      const heads = await Promise.all([1, 2, 3].map(() => patient()));
      const fams: string[] = [];
      for (const h of heads) {
        const r = await family(h);
        assert.equal(r.status, 201, JSON.stringify(r.body));
        fams.push(r.body.familyNumber);
      }
      const child = await patient({ age: 8 });
      const rs = await Promise.all([0, 1, 2, 0, 1, 2].map((i) => t.req('POST', `/api/families/${fams[i]}/members`, op, { patientId: child, relation: 'daughter' })));
      assert.deepEqual(tally(rs), { 200: 1, 409: 5 });
      const home = rs.find((r) => r.status === 200)!.body.familyNumber;
      for (const r of rs.filter((x) => x.status === 409)) assert.equal(r.body.error.details.familyNumber, home);
      const rows = await t.db.kysely.selectFrom('family_members').select('family_id').where('patient_id', '=', child).execute();
      assert.equal(rows.length, 1);
    });

    test("a state's family id is registered once: 6 parallel registrations of one externalId, one wins, five 409", async () => {
      const heads = await Promise.all(Array.from({ length: 6 }, () => patient()));
      const externalId = `HP-FAM-${randomBytes(4).toString('hex')}`;
      const rs = await Promise.all(heads.map((h) => family(h, externalId)));
      assert.deepEqual(tally(rs), { 201: 1, 409: 5 });
      for (const r of rs.filter((x) => x.status === 409)) assert.equal(r.body.error.details.field, 'externalId');
      const n = await t.db.kysely.selectFrom('families').select('id').where('external_id', '=', externalId).execute();
      assert.equal(n.length, 1);
      const heads2 = await t.db.kysely.selectFrom('family_members').select('patient_id').where('patient_id', 'in', heads).execute();
      assert.equal(heads2.length, 1, 'the heads of the refused families joined none');
    });

    test('the migration settles open pregnancies made before the rule: the newest stays open, the rest are closed', async () => {
      const woman = await patient();
      const r = await t.req('POST', '/api/pregnancies', op, { patientId: woman, facilityId: fac });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const k = t.db.kysely;
      await sql`drop index pregnancies_one_open`.execute(k);
      for (const [id, ago] of [['dup-old', '2 days'], ['dup-new', '1 hour']]) {
        await sql`insert into pregnancies (id, registration_number, patient_id, facility_id, facility_path, status, created_at)
          select ${`${id}-${woman}`}, ${randomBytes(6).toString('hex')}, patient_id, facility_id, facility_path, 'open', now() - ${ago}::interval from pregnancies where id = ${r.body.id}`.execute(k);
      }
      await sql`update pregnancies set created_at = now() - interval '3 days' where id = ${r.body.id}`.execute(k);
      await settleDuplicates(k);
      const rows = await k.selectFrom('pregnancies').select(['id', 'status', 'closed_reason']).where('patient_id', '=', woman).orderBy('created_at').execute();
      assert.deepEqual(rows.map((p) => p.status), ['closed', 'closed', 'open']);
      assert.equal(rows[2].id, `dup-new-${woman}`);
      assert.match(rows[0].closed_reason ?? '', /duplicate/);
      const again = await t.req('POST', '/api/pregnancies', op, { patientId: woman, facilityId: fac });
      assert.equal(again.status, 409, 'the index is back');
    });
  });
}
