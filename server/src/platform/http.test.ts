import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../test/harness.js';
import { compileEverySchema, routesOf } from './http.js';

for (const engine of testEngines()) {
  describe(`errors and OpenAPI [${engine}]`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(engine); });
    after(async () => { await t.close(); });

    const shape = (body: any) => {
      assert.equal(typeof body.error.code, 'string');
      assert.equal(typeof body.error.message, 'string');
    };

    test('every route\'s schemas compile (they are compiled on a route\'s first request, not at start)', () => {
      const routes = routesOf(t.app);
      assert.ok(routes.length > 300, `the app's routes are listed (${routes.length})`);
      assert.ok(routes.filter((r) => r.schema?.response).length > 100, 'with their response schemas');
      assert.deepEqual(compileEverySchema(routes), []);
      assert.ok(compileEverySchema([{ method: 'GET', url: '/x', schema: { querystring: { type: 'object', properties: { a: { type: 'nonsense' } } } } }]).length === 1,
        'a schema Ajv refuses is reported');
    });

    test('malformed JSON is 400 with the parse problem', async () => {
      const r = await t.req('POST', '/api/facilities', t.adminToken, '{"name": "x",');
      assert.equal(r.status, 400);
      shape(r.body);
      assert.match(r.body.error.message, /not valid JSON/);
    });

    test('a wrong type is 400 naming the field; numbers are not coerced from strings in bodies', async () => {
      const r = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ latitude: '29.1', beds: 'six' }));
      assert.equal(r.status, 400);
      const fields = r.body.error.details.fields.map((f: any) => f.field);
      assert.ok(fields.includes('latitude') && fields.includes('beds'), JSON.stringify(fields));
      assert.match(r.body.error.message, /beds/);
    });

    test('an unknown field is 400 naming it', async () => {
      const r = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ colour: 'blue' }));
      assert.equal(r.status, 400);
      assert.equal(r.body.error.details.fields[0].field, 'colour');
      assert.match(r.body.error.message, /colour: is not a known field/);
      const hi = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ colour: 'blue' }), { 'accept-language': 'hi' });
      assert.match(hi.body.error.message, /अज्ञात फ़ील्ड/);
    });

    test('a missing field is 400 naming it', async () => {
      const { name: _drop, ...body } = facilityBody();
      const r = await t.req('POST', '/api/facilities', t.adminToken, body);
      assert.equal(r.status, 400);
      assert.equal(r.body.error.details.fields[0].field, 'name');
      assert.match(r.body.error.message, /name: is required/);
    });

    test('an oversize body is 413', async () => {
      const r = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ address: 'x'.repeat(1_200_000) }));
      assert.equal(r.status, 413);
      assert.equal(r.body.error.code, 'payload_too_large');
    });

    test('a non-JSON content type is 415, an unknown route 404, both in the one shape', async () => {
      const r = await t.app.inject({ method: 'POST', url: '/api/facilities', headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'text/plain' }, payload: 'hello' });
      assert.equal(r.statusCode, 415);
      shape(r.json());
      const nf = await t.req('GET', '/api/nothing-here', t.adminToken);
      assert.equal(nf.status, 404);
      shape(nf.body);
    });

    test('bad query values are 400, never 500', async () => {
      for (const url of ['/api/facilities?offset=-1', '/api/facilities?limit=abc', '/api/facilities?district=%27%3B%20drop', '/api/facilities?hwc=perhaps', '/api/audit?from=yesterday', '/api/geo/units/%20']) {
        const r = await t.req('GET', url, t.adminToken);
        assert.ok(r.status >= 400 && r.status < 500, `${url} → ${r.status}`);
        shape(r.body);
      }
    });

    test('OpenAPI is generated from the route schemas', async () => {
      const r = await t.req('GET', '/api/docs/json');
      assert.equal(r.status, 200);
      assert.equal(r.body.openapi.slice(0, 2), '3.');
      const post = r.body.paths['/api/facilities'].post;
      const schema = post.requestBody.content['application/json'].schema;
      assert.ok(schema.required.includes('orgUnit'));
      assert.deepEqual(schema.properties.type.enum, ['SC', 'PHC', 'CHC', 'SDH', 'DH', 'MC', 'PRIVATE_HOSPITAL', 'NURSING_HOME', 'CLINIC', 'AYUSH', 'DIAGNOSTIC']);
      const ui = await t.app.inject({ method: 'GET', url: '/api/docs' });
      assert.ok(ui.statusCode === 200 || ui.statusCode === 302);
    });
  });
}
