// Unique names and external ids under parallel requests: one wins, the rest are 409 naming the
// field, never 500. PostgreSQL (TEST_DATABASE_URL) overlaps them for real; PGlite runs them in turn.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../test/harness.js';
import { isRaceError, isUniqueViolation } from './races.js';

const N = 8;

test('lost races are told apart from faults by SQLSTATE', () => {
  assert.ok(isRaceError({ code: '23505' }) && isRaceError({ code: '40001' }) && isRaceError({ code: '40P01' }) && isRaceError({ code: '23P01' }));
  assert.ok(!isRaceError({ code: '23503' }) && !isRaceError(new Error('x')) && !isRaceError(null));
  assert.ok(isUniqueViolation({ code: '23505', constraint: 'a' }, 'a') && !isUniqueViolation({ code: '23505', constraint: 'b' }, 'a'));
});

for (const engine of testEngines()) {
  describe(`unique names and external ids under parallel requests [${engine}]`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(engine); });
    after(async () => { await t.close(); });

    const statuses = (rs: { status: number; body: any }[]) => {
      for (const r of rs) assert.ok(r.status < 500, `no 5xx: ${r.status} ${JSON.stringify(r.body)}`);
      return rs.map((r) => r.status).sort();
    };

    test('user names: 8 parallel creations of one name (in any case) make one user; seven 409 on username', async () => {
      const name = `clerk_${randomBytes(3).toString('hex')}`;
      const rs = await Promise.all(Array.from({ length: N }, (_, i) => t.req('POST', '/api/users', t.adminToken,
        { username: i % 2 ? name.toUpperCase() : name, password: `Races-${randomBytes(6).toString('hex')}`, role: 'facility_operator', orgUnit: 63 },
        { 'accept-language': i % 3 ? 'en' : 'hi' })));
      assert.deepEqual(statuses(rs), [201, ...Array(N - 1).fill(409)]);
      for (const r of rs.filter((x) => x.status === 409)) assert.equal(r.body.error.details.field, 'username');
      assert.ok(rs.some((r) => r.status === 409 && /उपयोगकर्ता नाम/.test(r.body.error.message)), 'in Hindi when asked');
      const rows = await t.db.kysely.selectFrom('users').select('id').where('username', 'ilike', name).execute();
      assert.equal(rows.length, 1);
    });

    test('facility HFR ids: 8 parallel registrations with one HFR id make one facility; seven 409 on hfrId', async () => {
      const hfrId = `IN06${String(Date.now()).slice(-8)}`;
      const rs = await Promise.all(Array.from({ length: N }, (_, i) => t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: `PHC Race ${i}`, hfrId }))));
      assert.deepEqual(statuses(rs), [201, ...Array(N - 1).fill(409)]);
      for (const r of rs.filter((x) => x.status === 409)) assert.equal(r.body.error.details.field, 'hfrId');
      const rows = await t.db.kysely.selectFrom('facilities').select('id').where('hfr_id', '=', hfrId).execute();
      assert.equal(rows.length, 1);

      // Two facilities renamed to one HFR id at once: one keeps it.
      const a = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Race A' }));
      const b = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Race B' }));
      const other = `IN07${String(Date.now()).slice(-8)}`;
      const ps = await Promise.all([a, b, a, b].map((f) => t.req('PATCH', `/api/facilities/${f.body.id}`, t.adminToken, { hfrId: other })));
      for (const r of ps) assert.ok(r.status < 500, `no 5xx: ${r.status} ${JSON.stringify(r.body)}`);
      const holders = await t.db.kysely.selectFrom('facilities').select('id').where('hfr_id', '=', other).execute();
      assert.equal(holders.length, 1);
      assert.ok(ps.some((r) => r.status === 409 && r.body.error.details.field === 'hfrId'));
    });
  });
}
