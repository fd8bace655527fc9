import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestApp, testEngines, ADMIN_PASSWORD, type TestApp } from '../../test/harness.js';

for (const engine of testEngines()) {
  describe(`auth and users [${engine}]`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(engine); });
    after(async () => { await t.close(); });

    test('health names the engine', async () => {
      const r = await t.req('GET', '/api/health');
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, { status: 'ok', database: engine });
    });

    test('login returns a token; a wrong password is 401 with a message', async () => {
      const ok = await t.req('POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD });
      assert.equal(ok.status, 200);
      assert.match(ok.body.token, /^[A-Za-z0-9_-]{40,}$/);
      const bad = await t.req('POST', '/api/auth/login', null, { username: 'admin', password: 'wrong-password' });
      assert.equal(bad.status, 401);
      assert.equal(bad.body.error.code, 'unauthenticated');
      assert.match(bad.body.error.message, /Wrong user name or password/);
      const hi = await t.req('POST', '/api/auth/login', null, { username: 'nobody', password: 'wrong-password' }, { 'accept-language': 'hi-IN,hi;q=0.9' });
      assert.equal(hi.status, 401);
      assert.match(hi.body.error.message, /पासवर्ड/);
    });

    test('passwords are stored as argon2id hashes', async () => {
      const u = await t.userWith('district_officer', 63);
      const row = await t.db.kysely.selectFrom('users').select('password_hash').where('username', '=', u.username).executeTakeFirstOrThrow();
      assert.match(row.password_hash, /^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    });

    test('no token is 401, a bad token is 401, logout ends the session', async () => {
      assert.equal((await t.req('GET', '/api/auth/me')).status, 401);
      assert.equal((await t.req('GET', '/api/auth/me', 'not-a-token')).status, 401);
      const u = await t.userWith('state_officer', 6);
      const me = await t.req('GET', '/api/auth/me', u.token);
      assert.equal(me.status, 200);
      assert.equal(me.body.role, 'state_officer');
      assert.equal(me.body.orgUnit.level, 'state');
      assert.equal(me.body.orgUnit.lgdCode, 6);
      assert.ok(me.body.permissions.includes('can_read_facility'));
      assert.equal((await t.req('POST', '/api/auth/logout', u.token)).status, 204);
      assert.equal((await t.req('GET', '/api/auth/me', u.token)).status, 401);
    });

    test('an expired session is refused', async () => {
      const u = await t.userWith('district_officer', 63);
      await t.db.kysely.updateTable('sessions').set({ expires_at: sql<Date>`now() - interval '1 minute'` }).where('user_id', '=', u.id).execute();
      const r = await t.req('GET', '/api/auth/me', u.token);
      assert.equal(r.status, 401);
      assert.match(r.body.error.message, /session has ended/);
    });

    test('repeated wrong passwords for one user from one address are rate-limited (429), even with the right one', async () => {
      const u = await t.userWith('district_officer', 63);
      for (let i = 0; i < 5; i++) assert.equal((await t.req('POST', '/api/auth/login', null, { username: u.username, password: 'wrong-password' })).status, 401);
      const r = await t.req('POST', '/api/auth/login', null, { username: u.username, password: 'wrong-password' });
      assert.equal(r.status, 429);
      assert.equal(r.body.error.code, 'rate_limited');
      const other = await t.req('POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD });
      assert.equal(other.status, 200, 'other users are not locked out');
    });

    test('roles are scoped by the level their role names: district_officer 22 is Mandi, state_officer 22 is Chhattisgarh', async () => {
      const d = await t.req('POST', '/api/users', t.adminToken, { username: `mandi_${Date.now()}`, password: 'Mandi-Pass-1', role: 'district_officer', orgUnit: '22' });
      assert.equal(d.status, 201);
      assert.equal(d.body.orgUnit.name, 'Mandi');
      const s = await t.req('POST', '/api/users', t.adminToken, { username: `cg_${Date.now()}`, password: 'Cg-Pass-123', role: 'state_officer', orgUnit: 22 });
      assert.equal(s.status, 201);
      assert.equal(s.body.orgUnit.name, 'Chhattisgarh');
    });

    test('creating users: validation, duplicates, and only admins', async () => {
      const bad = await t.req('POST', '/api/users', t.adminToken, { username: 'x', password: 'short', role: 'wizard', orgUnit: 63 });
      assert.equal(bad.status, 400);
      const fields = bad.body.error.details.fields.map((f: { field: string }) => f.field);
      assert.ok(fields.includes('role'), JSON.stringify(bad.body));
      const name = `dup_${Date.now()}`;
      assert.equal((await t.req('POST', '/api/users', t.adminToken, { username: name, password: 'Good-Pass-1', role: 'citizen', orgUnit: 6 })).status, 201);
      const dup = await t.req('POST', '/api/users', t.adminToken, { username: name.toUpperCase(), password: 'Good-Pass-1', role: 'citizen', orgUnit: 6 });
      assert.equal(dup.status, 409);
      const unknownUnit = await t.req('POST', '/api/users', t.adminToken, { username: `u_${Date.now()}`, password: 'Good-Pass-1', role: 'district_officer', orgUnit: 99999 });
      assert.equal(unknownUnit.status, 404);
      const officer = await t.userWith('state_officer', 6);
      const denied = await t.req('POST', '/api/users', officer.token, { username: `v_${Date.now()}`, password: 'Good-Pass-1', role: 'citizen', orgUnit: 6 });
      assert.equal(denied.status, 403);
      const list = await t.req('GET', '/api/users?limit=5', t.adminToken);
      assert.equal(list.status, 200);
      assert.ok(list.body.total >= 3);
      assert.ok(list.body.items.length <= 5);
      const audit = await t.req('GET', '/api/audit?entity=user&action=read', t.adminToken);
      assert.equal(audit.body.items[0].actorUsername, 'admin');
      assert.equal(audit.body.items[0].purpose, 'user list');
    });

    test('a bare LGD code for a facility-level role is read as a district first', async () => {
      const r = await t.req('POST', '/api/users', t.adminToken, { username: `op_${Date.now()}`, password: 'Good-Pass-1', role: 'facility_operator', orgUnit: '22' });
      assert.equal(r.status, 201);
      assert.equal(r.body.orgUnit.name, 'Mandi');
    });
  });
}

for (const engine of testEngines()) {
  describe(`sign-in throttling per address [${engine}]`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(engine, { config: { loginRateLimit: 3 } }); });
    after(async () => { await t.close(); });

    test('failed sign-ins from one address across user names are limited; successful ones are not', async () => {
      for (let i = 0; i < 5; i++) assert.equal((await t.req('POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD })).status, 200);
      for (const name of ['ravi', 'sita', 'gopal']) {
        assert.equal((await t.req('POST', '/api/auth/login', null, { username: name, password: 'guess-1234' })).status, 401);
      }
      const r = await t.req('POST', '/api/auth/login', null, { username: 'meena', password: 'guess-1234' });
      assert.equal(r.status, 429);
      assert.match(r.body.error.message, /Too many failed sign-ins from this address; wait 1 minute/);
    });
  });
}
