import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../test/harness.js';
import { badRequest, conflict, detailsOf, fieldErrors } from './errors.js';

describe('one error shape: field problems always in details.fields', () => {
  test('an error about one field lists it with the error\'s message; a list names its first field', () => {
    assert.deepEqual(detailsOf(badRequest('The code is wrong', 'कोड गलत है', { field: 'code' })), {
      field: 'code', fields: [{ field: 'code', message: 'The code is wrong', messageHi: 'कोड गलत है' }],
    });
    const many = fieldErrors([{ field: 'a', message: 'x' }, { field: 'b', message: 'y' }]);
    assert.deepEqual(detailsOf(many), { fields: [{ field: 'a', message: 'x' }, { field: 'b', message: 'y' }], field: 'a' });
    assert.deepEqual(detailsOf(conflict('Taken', undefined, { stateNumber: 'HR-1' })), { stateNumber: 'HR-1' }, 'other details stay as they are');
    assert.equal(detailsOf(badRequest('No details')), undefined);
  });
});

for (const engine of testEngines()) {
  describe(`error shape over HTTP [${engine}]`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(engine); });
    after(() => t?.close());

    test('a conflict about a field and a schema error both carry details.fields and details.field', async () => {
      const hfrId = 'IN1234567890';
      assert.equal((await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Agroha', hfrId }))).status, 201);
      const again = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Agroha II', hfrId }), { 'accept-language': 'hi' });
      assert.equal(again.status, 409);
      assert.match(again.body.error.message, /HFR आईडी/);
      assert.equal(again.body.error.details.field, 'hfrId');
      assert.equal(again.body.error.details.fields.length, 1);
      assert.equal(again.body.error.details.fields[0].field, 'hfrId');
      assert.match(again.body.error.details.fields[0].message, /^HFR id IN1234567890 belongs to another facility/);
      assert.match(again.body.error.details.fields[0].messageHi, /^HFR आईडी IN1234567890/);
      const bad = await t.req('POST', '/api/facilities', t.adminToken, { ...facilityBody(), name: 42 });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.details.field, bad.body.error.details.fields[0].field);
    });
  });
}
