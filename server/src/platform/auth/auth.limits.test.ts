import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { buildApp } from '../../app.js';
import { prepareDatabase } from '../../bootstrap.js';
import { openPostgres } from '../../db/connect.js';
import { freshDb, startTestApp, testConfig, testEngines, ADMIN_PASSWORD, type TestApp } from '../../test/harness.js';
import { LOGIN_LIMITS } from './auth.service.js';

/** A sign-in from a given address (`remoteAddress` is what `request.ip` reports). */
async function signIn(t: TestApp, username: string, password: string, ip: string, lang?: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: ip,
    headers: { 'content-type': 'application/json', ...(lang ? { 'accept-language': lang } : {}) },
    payload: JSON.stringify({ username, password }),
  });
  return { status: res.statusCode, body: JSON.parse(res.body), headers: res.headers };
}

async function failures(t: TestApp, username: string, ip: string): Promise<number | null> {
  const row = await t.db.kysely.selectFrom('login_failures').select('failures')
    .where('username', '=', username.toLowerCase()).where('ip', '=', ip).executeTakeFirst();
  return row ? row.failures : null;
}

/** A user with a known password (the harness's userWith does not return it). */
async function userWithPassword(t: TestApp, role: string, orgUnit: string | number) {
  const username = `${role}_${Math.random().toString(36).slice(2, 10)}`;
  const password = `Pass-${Math.random().toString(36).slice(2, 14)}`;
  const r = await t.req('POST', '/api/users', t.adminToken, { username, password, role, orgUnit });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return { username, password };
}

const count = (codes: number[], code: number) => codes.filter((c) => c === code).length;

for (const engine of testEngines()) {
  describe(`sign-in limits back off the guesser, not the owner [${engine}]`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(engine); });
    after(async () => { await t.close(); });

    test('a name locked from one address still signs in from another (admin included)', async () => {
      const { pairFailures } = LOGIN_LIMITS;
      for (let i = 0; i < pairFailures; i++) assert.equal((await signIn(t, 'admin', 'wrong-password', '10.1.0.1')).status, 401);
      const locked = await signIn(t, 'admin', ADMIN_PASSWORD, '10.1.0.1');
      assert.equal(locked.status, 429, 'the guessing address is refused even with the right password');
      assert.equal(locked.body.error.code, 'rate_limited');
      assert.match(locked.body.error.message, /this user name from this address; wait \d+ minutes?/);
      assert.ok(Number(locked.headers['retry-after']) > 0, 'Retry-After says how long');
      const hi = await signIn(t, 'admin', ADMIN_PASSWORD, '10.1.0.1', 'hi');
      assert.match(hi.body.error.message, /मिनट/);
      assert.equal(await failures(t, 'admin', '10.1.0.1'), pairFailures, 'refused attempts are not counted as failures');

      const owner = await signIn(t, 'admin', ADMIN_PASSWORD, '10.1.0.2');
      assert.equal(owner.status, 200, 'the owner from a clean address gets in');
      const officer = await userWithPassword(t, 'district_officer', 63);
      for (let i = 0; i < pairFailures + 2; i++) await signIn(t, officer.username, 'wrong-password', '10.1.0.3');
      assert.equal((await signIn(t, officer.username, officer.password, '10.1.0.4')).status, 200);
      assert.equal((await signIn(t, officer.username, officer.password, '10.1.0.3')).status, 429);
    });

    test('a successful sign-in clears that address’s failures for that name, not another address’s', async () => {
      const u = await userWithPassword(t, 'state_officer', 6);
      for (let i = 0; i < LOGIN_LIMITS.pairFailures - 1; i++) assert.equal((await signIn(t, u.username, 'wrong-password', '10.2.0.1')).status, 401);
      for (let i = 0; i < 2; i++) assert.equal((await signIn(t, u.username, 'wrong-password', '10.2.0.2')).status, 401);
      assert.equal(await failures(t, u.username, '10.2.0.1'), LOGIN_LIMITS.pairFailures - 1);
      assert.equal((await signIn(t, u.username.toUpperCase(), u.password, '10.2.0.1')).status, 200);
      assert.equal(await failures(t, u.username, '10.2.0.1'), null);
      assert.equal(await failures(t, u.username, '10.2.0.2'), 2);
      for (let i = 0; i < LOGIN_LIMITS.pairFailures; i++) assert.equal((await signIn(t, u.username, 'wrong-password', '10.2.0.1')).status, 401);
      assert.equal((await signIn(t, u.username, 'wrong-password', '10.2.0.1')).status, 429);
    });

    test('a name under attack from many addresses: each address gets fewer tries, the owner still gets in', async () => {
      const u = await userWithPassword(t, 'district_officer', 63);
      const { nameSlowAfter, pairFailuresUnderAttack } = LOGIN_LIMITS;
      for (let i = 0; i < nameSlowAfter; i++) assert.equal((await signIn(t, u.username, 'wrong-password', `10.3.1.${i}`)).status, 401);
      for (let i = 0; i < pairFailuresUnderAttack; i++) assert.equal((await signIn(t, u.username, 'wrong-password', '10.3.2.1')).status, 401);
      assert.equal((await signIn(t, u.username, 'wrong-password', '10.3.2.1')).status, 429, 'slowed: fewer tries per address');
      assert.equal((await signIn(t, u.username, u.password, '10.3.2.2')).status, 200, 'the owner from a clean address gets in');
    });

    test('parallel wrong passwords for one name from one address: exactly the limit are checked', async () => {
      const u = await userWithPassword(t, 'district_officer', 63);
      const codes = (await Promise.all(Array.from({ length: 20 }, () => signIn(t, u.username, 'wrong-password', '10.4.0.1')))).map((r) => r.status);
      assert.equal(count(codes, 401), LOGIN_LIMITS.pairFailures, JSON.stringify(codes));
      assert.equal(count(codes, 429), 20 - LOGIN_LIMITS.pairFailures, JSON.stringify(codes));
      assert.equal(await failures(t, u.username, '10.4.0.1'), LOGIN_LIMITS.pairFailures, 'the count is exact');
      assert.equal((await signIn(t, u.username, u.password, '10.4.0.2')).status, 200);
    });

    // A PGlite database belongs to one process: two instances share a database only on PostgreSQL.
    if (engine === 'postgresql') test('two server instances on one database share the counts', async () => {
      const u = await userWithPassword(t, 'district_officer', 63);
      // The same database and schema as the first instance's (each test app has a database of its own).
      const { rows } = await sql<{ database: string; schema: string }>`select current_database() as database, current_schema() as schema`.execute(t.db.kysely);
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.pathname = `/${rows[0].database}`;
      const db2 = await openPostgres(url.toString(), { schema: rows[0].schema, max: 5 });
      const app2 = await buildApp({ db: db2, config: testConfig() });
      try {
        const second = { ...t, app: app2 };
        const codes = (await Promise.all(Array.from({ length: 16 }, (_, i) => signIn(i % 2 ? t : second, u.username, 'wrong-password', '10.4.1.1'))))
          .map((r) => r.status);
        assert.equal(count(codes, 401), LOGIN_LIMITS.pairFailures, JSON.stringify(codes));
        assert.equal(await failures(t, u.username, '10.4.1.1'), LOGIN_LIMITS.pairFailures);
        assert.equal((await signIn(second, u.username, u.password, '10.4.1.2')).status, 200);
      } finally {
        await app2.close();
        await db2.close();
      }
    });

    test('parallel right passwords from one address all get in and leave no failure behind', async () => {
      const u = await userWithPassword(t, 'district_officer', 63);
      const codes = (await Promise.all(Array.from({ length: 4 }, () => signIn(t, u.username, u.password, '10.5.0.1')))).map((r) => r.status);
      assert.deepEqual(codes, [200, 200, 200, 200]);
      assert.equal(await failures(t, u.username, '10.5.0.1'), null);
      assert.equal(await failures(t, '', '10.5.0.1'), 0);
    });
  });
}

for (const engine of testEngines()) {
  describe(`sign-in limit per address (SWASTHYA_LOGIN_RATE_LIMIT) [${engine}]`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(engine, { config: { loginRateLimit: 3, trustProxy: '127.0.0.1' } }); });
    after(async () => { await t.close(); });

    test('parallel wrong passwords across names from one address: exactly the limit are checked; other addresses are not held back', async () => {
      const names = Array.from({ length: 12 }, (_, i) => `guess_${i}`);
      const codes = (await Promise.all(names.map((n) => signIn(t, n, 'wrong-password', '10.6.0.1')))).map((r) => r.status);
      assert.equal(count(codes, 401), 3, JSON.stringify(codes));
      assert.equal(count(codes, 429), 9, JSON.stringify(codes));
      assert.equal(await failures(t, '', '10.6.0.1'), 3, 'the count is exact');
      const r = await signIn(t, 'admin', ADMIN_PASSWORD, '10.6.0.1');
      assert.equal(r.status, 429);
      assert.match(r.body.error.message, /from this address/);
      assert.equal((await signIn(t, 'admin', ADMIN_PASSWORD, '10.6.0.2')).status, 200);
    });

    test('behind a trusted proxy (SWASTHYA_TRUST_PROXY) the client named in X-Forwarded-For is counted; others cannot choose', async () => {
      const via = async (remoteAddress: string, client: string, password: string) => (await t.app.inject({
        method: 'POST', url: '/api/auth/login', remoteAddress,
        headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
        payload: JSON.stringify({ username: 'admin', password }),
      })).statusCode;
      for (let i = 0; i < 3; i++) assert.equal(await via('127.0.0.1', '10.7.0.1', 'wrong-password'), 401);
      assert.equal(await via('127.0.0.1', '10.7.0.1', ADMIN_PASSWORD), 429);
      assert.equal(await via('127.0.0.1', '10.7.0.2', ADMIN_PASSWORD), 200, 'another client behind the same proxy');
      for (let i = 0; i < 3; i++) assert.equal(await via('10.7.9.9', `10.7.1.${i}`, 'wrong-password'), 401);
      assert.equal(await via('10.7.9.9', '10.7.1.50', ADMIN_PASSWORD), 429, 'an untrusted peer is counted on its own address');
    });
  });
}

for (const engine of testEngines()) {
  describe(`password rules [${engine}]`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(engine); });
    after(async () => { await t.close(); });

    const create = (password: string, lang = 'en') => t.req('POST', '/api/users', t.adminToken,
      { username: `pw_${Math.random().toString(36).slice(2, 10)}`, password, role: 'citizen', orgUnit: 6 }, { 'accept-language': lang });

    test('fewer than 10 characters is refused, naming the field, in English and Hindi', async () => {
      for (const lang of ['en', 'hi']) {
        const r = await create('12345678', lang);
        assert.equal(r.status, 400);
        assert.equal(r.body.error.details.field, 'password');
        assert.match(r.body.error.message, lang === 'en' ? /password: .*at least 10 characters/ : /password: .*कम से कम 10/);
      }
      assert.equal((await create('Ab-3456789')).status, 201, '10 characters are enough');
    });

    test('one of the most common passwords is refused, whatever its case', async () => {
      for (const pw of ['1234567890', 'qwertyuiop', 'PASSWORD123', 'Basketball']) {
        const r = await create(pw);
        assert.equal(r.status, 400, pw);
        assert.equal(r.body.error.details.field, 'password');
        assert.match(r.body.error.message, /^password: is one of the most common passwords; choose another/);
      }
      const hi = await create('1q2w3e4r5t', 'hi');
      assert.match(hi.body.error.message, /सबसे आम पासवर्ड/);
    });

    test('the admin password given for the first start follows the same rules', async () => {
      const db = await freshDb(engine);
      try {
        await assert.rejects(prepareDatabase(db, { adminPassword: '12345678', demo: false }), /The admin password must have at least 10 characters/);
        await assert.rejects(prepareDatabase(db, { adminPassword: 'iloveyou123', demo: false }), /The admin password is one of the most common passwords/);
        assert.equal(await db.kysely.selectFrom('users').select('id').executeTakeFirst(), undefined, 'no admin was made');
      } finally {
        await db.close();
      }
    });
  });
}
