import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../test/harness.js';
import { ROLE_PERMISSIONS, ROLES } from './roles.js';
import { BODY_METHODS, ROUTE_ACCESS, routeAccess } from './route-permissions.js';

/** A body of `total` bytes made only as the server pulls it; `pulled` says how much it took. */
function lazyBody(total: number) {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const body = new Readable({
    read() {
      if (body.pulled >= total) { this.push(null); return; }
      body.pulled += chunk.length;
      this.push(chunk);
    },
  }) as Readable & { pulled: number };
  body.pulled = 0;
  return body;
}

const contentTypeFor = (route: string) => (route.includes('dataValueSets') ? 'application/csv'
  : route.includes('sheets') ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
    : route.includes('documents') ? 'application/pdf' : route.startsWith('/fhir') ? 'application/fhir+json' : 'application/json');
/** An OpenAPI path as a URL a request can use: every `{param}` filled in. */
const concrete = (path: string) => path.replace(/\{action\}/, 'approve').replace(/\{type\}/, 'Encounter').replace(/\{[^}]+\}/g, 'Xx000000001');

for (const engine of testEngines()) {
  describe(`permission before the body [${engine}]`, () => {
    let t: TestApp;
    let ops: { method: string; path: string; url: string }[];
    before(async () => {
      t = await startTestApp(engine);
      const doc = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
      ops = Object.entries(doc.paths).flatMap(([path, byMethod]) => Object.keys(byMethod)
        .map((m) => m.toUpperCase())
        .filter((m) => (BODY_METHODS as readonly string[]).includes(m))
        .map((method) => ({ method, path, url: path.replace(/\{([^}]+)\}/g, ':$1') })));
    });
    after(async () => { await t.close(); });

    test('every operation with a body declares its permission (or says it is public), and nothing else is declared', () => {
      assert.ok(ops.length > 40, `only ${ops.length} operations found`);
      const missing = ops.filter((o) => routeAccess(o.method, o.url) === undefined).map((o) => `${o.method} ${o.path}`);
      assert.deepEqual(missing, [], `declare these in platform/route-permissions.ts: ${missing.join(', ')}`);
      const known = new Set(ops.map((o) => `${o.method} ${o.url}`));
      const stale = Object.keys(ROUTE_ACCESS).filter((k) => !known.has(k));
      assert.deepEqual(stale, [], `declared but no such operation: ${stale.join(', ')}`);
    });

    test('"public" is declared only where the route itself answers without a token', async () => {
      for (const o of ops) {
        const r = await t.app.inject({ method: o.method as 'POST', url: concrete(o.path), headers: { 'content-type': 'application/json' }, payload: '{}' });
        const isPublic = routeAccess(o.method, o.url) === 'public';
        if (isPublic) assert.notEqual(r.statusCode, 401, `${o.method} ${o.path} is declared public but needs a token`);
        else assert.equal(r.statusCode, 401, `${o.method} ${o.path} without a token → ${r.statusCode}`);
      }
    });

    test('a citizen gets a fast 403 on every route needing a permission, and not one byte past the first chunk is read', async () => {
      const citizen = (await t.userWith('citizen', 6)).token;
      const checked: string[] = [];
      for (const o of ops) {
        const access = routeAccess(o.method, o.url);
        if (access === 'public' || access === 'signed_in') continue;
        const body = lazyBody(300 * 1024 * 1024);
        const started = performance.now();
        const r = await t.app.inject({
          method: o.method as 'POST', url: concrete(o.path), payload: body,
          headers: { authorization: `Bearer ${citizen}`, 'content-type': contentTypeFor(o.path), 'transfer-encoding': 'chunked' },
        });
        const ms = performance.now() - started;
        assert.equal(r.statusCode, 403, `${o.method} ${o.path} → ${r.statusCode} ${r.body.slice(0, 200)}`);
        assert.ok(body.pulled <= 1024 * 1024, `${o.method} ${o.path} read ${body.pulled} bytes of the body before refusing`);
        assert.ok(ms < 2000, `${o.method} ${o.path} took ${Math.round(ms)} ms to refuse`);
        body.destroy();
        checked.push(`${o.method} ${o.path}`);
      }
      assert.ok(checked.includes('POST /api/dataValueSets') && checked.includes('POST /api/hmis/sheets') && checked.includes('POST /fhir/Patient'), checked.join(', '));
    });

    test('every other role, too, is refused before the body on each route it lacks the permission for', async () => {
      const facility = (await t.req('POST', '/api/facilities', t.adminToken, facilityBody())).body.id;
      let refused = 0;
      for (const role of ROLES.filter((r) => r !== 'admin' && r !== 'citizen')) {
        const token = (await t.userWith(role, facility)).token;
        const has = new Set<string>(ROLE_PERMISSIONS[role]);
        for (const o of ops) {
          const access = routeAccess(o.method, o.url);
          if (access === undefined || access === 'public' || access === 'signed_in') continue;
          const any = typeof access === 'string' ? [access] : access;
          if (any.some((p) => has.has(p))) continue;
          const body = lazyBody(300 * 1024 * 1024);
          const r = await t.app.inject({
            method: o.method as 'POST', url: concrete(o.path), payload: body,
            headers: { authorization: `Bearer ${token}`, 'content-type': contentTypeFor(o.path), 'transfer-encoding': 'chunked' },
          });
          assert.equal(r.statusCode, 403, `${role}: ${o.method} ${o.path} → ${r.statusCode}`);
          assert.ok(body.pulled <= 1024 * 1024, `${role}: ${o.method} ${o.path} read ${body.pulled} bytes first`);
          body.destroy();
          refused++;
        }
      }
      assert.ok(refused > 200, `${refused} refusals checked`);
    });

    test('the refusal names the permission, in Hindi too; FHIR answers an OperationOutcome', async () => {
      const citizen = (await t.userWith('citizen', 6)).token;
      const r = await t.req('POST', '/api/dataValueSets', citizen, 'x,y\n', { 'content-type': 'application/csv', 'accept-language': 'hi' });
      assert.equal(r.status, 403);
      assert.match(r.body.error.message, /can_submit_data.*अनुमति/);
      const f = await t.req('POST', '/fhir/Patient', citizen, { resourceType: 'Patient' }, { 'content-type': 'application/fhir+json' });
      assert.equal(f.status, 403);
      assert.equal(f.body.resourceType, 'OperationOutcome');
      assert.match(JSON.stringify(f.body), /can_register_patient/);
    });

    test('an operation open to several permissions lets each of them through to the service', async () => {
      // returns/approve: can_submit_data or can_approve_data pass the hook; the service then decides per step
      const operator = (await t.userWith('facility_operator', 63)).token;
      const r = await t.req('POST', '/api/hmis/returns/approve', operator, { dataSet: 'HMIS_MONTHLY', period: '202411', orgUnit: '63' });
      assert.equal(r.status, 403);
      assert.match(r.body.error.message, /can_approve_data/);
      assert.doesNotMatch(r.body.error.message, /can_submit_data or/, 'refused by the service, not by the hook');
    });
  });
}
