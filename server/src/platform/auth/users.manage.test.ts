import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';

/**
 * A district officer looks after the district's care and field staff: creates them (inside the
 * district, never officers or admins), sets their passwords and deactivates them; the admin does
 * the same for everyone. Hisar (LGD 63) is the officer's district, Mandi (22) another state's.
 */
for (const engine of testEngines()) {
  describe(`user management by district officers and the admin [${engine}]`, () => {
    let t: TestApp;
    let hisarPhc: string;
    let mandiPhc: string;
    let officer: { token: string; username: string };
    let mandiOfficer: { token: string; username: string };
    const pw = 'Kesar-Aam-Neem-42';
    before(async () => {
      t = await startTestApp(engine);
      hisarPhc = (await t.req('POST', '/api/facilities', t.adminToken, facilityBody())).body.id;
      mandiPhc = (await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ orgUnit: '22' }))).body.id;
      assert.ok(hisarPhc && mandiPhc);
      officer = await t.userWith('district_officer', 63);
      mandiOfficer = await t.userWith('district_officer', 22);
    });
    after(async () => { await t?.close(); });

    const create = (token: string, username: string, role: string, orgUnit: string | number) =>
      t.req('POST', '/api/users', token, { username, password: pw, role, orgUnit });

    test('a district officer creates care and field staff in the district; not outside it, not officers or admins', async () => {
      for (const role of ['doctor', 'cho', 'facility_operator', 'ultrasound_operator']) {
        const r = await create(officer.token, `${role}_${Date.now()}`, role, hisarPhc);
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.equal(r.body.role, role);
        assert.equal(JSON.stringify(r.body).includes(pw), false, 'the password is not returned');
      }
      const asha = await create(officer.token, `asha_${Date.now()}`, 'asha', 63);
      assert.equal(asha.status, 201, JSON.stringify(asha.body));
      assert.ok(await t.login(asha.body.username, pw), 'the new user signs in');

      const outside = await create(officer.token, `out_${Date.now()}`, 'doctor', mandiPhc);
      assert.equal(outside.status, 403, JSON.stringify(outside.body));
      for (const role of ['admin', 'state_officer', 'district_officer', 'block_officer']) {
        const r = await create(officer.token, `${role}_${Date.now()}`, role, 63);
        assert.equal(r.status, 403, `${role}: ${JSON.stringify(r.body)}`);
        assert.match(r.body.error.message, /cannot create or change users of the role/);
      }
      const admin = await create(t.adminToken, `so_${Date.now()}`, 'state_officer', 6);
      assert.equal(admin.status, 201, 'the admin creates any role');
      const doctor = await t.userWith('doctor', hisarPhc);
      assert.equal((await create(doctor.token, `x_${Date.now()}`, 'asha', 63)).status, 403, 'a doctor creates nobody');
    });

    test('the officer lists the district\'s users with paging, nothing from elsewhere', async () => {
      await t.userWith('doctor', mandiPhc);
      const all = await t.req('GET', '/api/users?limit=200', officer.token);
      assert.equal(all.status, 200, JSON.stringify(all.body));
      assert.ok(all.body.total >= 2);
      assert.ok(all.body.items.every((u: any) => u.orgUnit.id !== mandiPhc && u.username !== mandiOfficer.username && u.username !== 'admin'));
      const first = await t.req('GET', '/api/users?limit=1&offset=0', officer.token);
      const second = await t.req('GET', '/api/users?limit=1&offset=1', officer.token);
      assert.equal(first.body.items.length, 1);
      assert.equal(second.body.items.length, 1);
      assert.notEqual(first.body.items[0].username, second.body.items[0].username);
      assert.equal(first.body.total, all.body.total);
    });

    test('setting a password: policy, sessions end, audited without the password, area and role checked before the body', async () => {
      const name = `doc_${Date.now()}`;
      assert.equal((await create(officer.token, name, 'doctor', hisarPhc)).status, 201);
      const oldSession = await t.login(name, pw);
      assert.equal((await t.req('GET', '/api/auth/me', oldSession)).status, 200);

      const weak = await t.req('POST', `/api/users/${name}/password`, officer.token, { password: 'password123' });
      assert.equal(weak.status, 400, JSON.stringify(weak.body));
      assert.equal(weak.body.error.details.fields[0].field, 'password');
      const hiWeak = await t.req('POST', `/api/users/${name}/password`, officer.token, { password: 'short' }, { 'accept-language': 'hi' });
      assert.match(hiWeak.body.error.message, /अक्षर/);

      const fresh = 'Gulmohar-Peepal-97';
      const ok = await t.req('POST', `/api/users/${name.toUpperCase()}/password`, officer.token, { password: fresh });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.deepEqual(ok.body, { username: name, passwordChanged: true });
      assert.equal((await t.req('GET', '/api/auth/me', oldSession)).status, 401, 'the old session ended');
      assert.equal((await t.req('POST', '/api/auth/login', null, { username: name, password: pw })).status, 401, 'the old password no longer works');
      assert.ok(await t.login(name, fresh));
      const row = await t.db.kysely.selectFrom('users').select('password_hash').where('username', '=', name).executeTakeFirstOrThrow();
      assert.match(row.password_hash, /^\$argon2id\$/);
      const audit = await t.db.kysely.selectFrom('audit_log').selectAll().where('purpose', '=', 'password set').execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0].actor_username, officer.username);
      const everything = JSON.stringify(await t.db.kysely.selectFrom('audit_log').selectAll().execute());
      assert.equal(everything.includes(fresh), false, 'no password in the audit trail');

      // The admin may too.
      assert.equal((await t.req('POST', `/api/users/${name}/password`, t.adminToken, { password: 'Champa-Bargad-31' })).status, 200);
      // Outside the area, an officer, an unknown name, a role without the permission: refused, before the body is read.
      const raw = (token: string, user: string) => t.app.inject({ method: 'POST', url: `/api/users/${user}/password`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: '{"password":' });
      assert.equal((await raw(mandiOfficer.token, name)).statusCode, 403, 'another district\'s officer');
      const peer = await t.userWith('district_officer', 63);
      assert.equal((await raw(officer.token, peer.username)).statusCode, 403, 'an officer of the same district');
      assert.equal((await raw(officer.token, 'admin')).statusCode, 403, 'the admin');
      assert.equal((await raw(officer.token, 'nobody_here')).statusCode, 404);
      const doctor = await t.userWith('doctor', hisarPhc);
      assert.equal((await raw(doctor.token, name)).statusCode, 403, 'a doctor');
      assert.equal((await raw(officer.token, name)).statusCode, 400, 'malformed JSON once allowed');
    });

    test('a deactivated user\'s sessions stop working at once and they cannot sign in', async () => {
      const name = `cho_${Date.now()}`;
      assert.equal((await create(officer.token, name, 'cho', hisarPhc)).status, 201);
      const session = await t.login(name, pw);
      assert.equal((await t.req('GET', '/api/auth/me', session)).status, 200, 'the session works (and is cached)');
      assert.equal((await t.req('POST', `/api/users/${name}/deactivate`, mandiOfficer.token)).status, 403);
      const r = await t.req('POST', `/api/users/${name}/deactivate`, officer.token);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.active, false);
      assert.equal((await t.req('GET', '/api/auth/me', session)).status, 401);
      assert.equal((await t.req('POST', '/api/auth/login', null, { username: name, password: pw })).status, 401);
      const listed = await t.req('GET', '/api/users?limit=200', officer.token);
      assert.equal(listed.body.items.find((u: any) => u.username === name).active, false);
      assert.equal((await t.req('POST', `/api/users/${officer.username}/deactivate`, officer.token)).status, 403, 'an officer is not theirs to deactivate');
      assert.equal((await t.req('POST', '/api/users/admin/deactivate', t.adminToken)).status, 400, 'nobody deactivates themselves');
      const audit = await t.db.kysely.selectFrom('audit_log').select('actor_username').where('purpose', '=', 'deactivated').execute();
      assert.deepEqual(audit.map((a) => a.actor_username), [officer.username]);

      // Activated again, they sign in; the old session stays ended.
      assert.equal((await t.req('POST', `/api/users/${name}/activate`, mandiOfficer.token)).status, 403);
      const back = await t.req('POST', `/api/users/${name}/activate`, officer.token);
      assert.equal(back.status, 200, JSON.stringify(back.body));
      assert.equal(back.body.active, true);
      assert.ok(await t.login(name, pw));
      assert.equal((await t.req('GET', '/api/auth/me', session)).status, 401);
    });

    test('one user name created in parallel: one 201, the rest 409', async () => {
      const name = `race_${Date.now()}`;
      const rs = await Promise.all(Array.from({ length: 8 }, (_x, i) => create(i % 2 ? officer.token : t.adminToken, i % 3 ? name : name.toUpperCase(), 'asha', 63)));
      const statuses = rs.map((r) => r.status).sort();
      assert.deepEqual(statuses, [201, 409, 409, 409, 409, 409, 409, 409], JSON.stringify(rs.map((r) => r.body)));
      const n = await t.db.kysely.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('username', 'ilike', name).executeTakeFirstOrThrow();
      assert.equal(Number(n.n), 1);
    });
  });
}
