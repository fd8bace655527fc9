import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../test/harness.js';
import { verhoeffCheckDigit } from '../modules/patients/patients.identity.js';
import { cleanInput, maskAadhaarInText, MAX_DEPTH, unstorable } from './input.js';

/** A 12-digit number that passes Verhoeff, as Aadhaar numbers do. */
const aadhaar = (first11: string) => first11 + verhoeffCheckDigit(first11);
const A = aadhaar('23456789012');
const grouped = `${A.slice(0, 4)} ${A.slice(4, 8)} ${A.slice(8)}`;
const hyphens = grouped.replace(/ /g, '-');
const MASK = `XXXX-XXXX-${A.slice(8)}`;
/** Twelve digits that fail Verhoeff: not an Aadhaar number. */
const NOT_A = A.slice(0, 11) + ((Number(A[11]) + 1) % 10);

describe('input: what PostgreSQL cannot keep, and Aadhaar numbers in free text', () => {
  test('NUL and lone surrogates are unstorable; paired surrogates (emoji) and Devanagari are fine', () => {
    assert.equal(unstorable('a\u0000b'), 'nul');
    assert.equal(unstorable('a\ud800b'), 'surrogate');
    assert.equal(unstorable('a\udc00'), 'surrogate');
    assert.equal(unstorable('कमला देवी 🙂'), null);
  });

  test('refusals name every field, in English and Hindi; field names are checked too', () => {
    assert.throws(() => cleanInput({ name: 'a\u0000', items: [{ note: 'ok' }, { note: '\ud800' }], ['k\u0000']: 1 }, 'body'), (e: any) => {
      assert.equal(e.status, 400);
      assert.deepEqual(e.details.fields.map((f: any) => f.field), ['body.name', 'body.items[1].note', 'body["k\\u0000"]']);
      assert.match(e.msg.en, /body\.name: contains a NUL character/);
      assert.match(e.msg.hi, /body\.name: में NUL अक्षर/);
      return true;
    });
  });

  test('values nested past the limit are refused without exhausting the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    assert.throws(() => cleanInput({ a: deep }, 'body'), (e: any) => e.status === 400 && /nested more than/.test(e.msg.en) && e.details.fields[0].field.startsWith('body.a[0]'));
    let fine: unknown = 'x';
    for (let i = 0; i < MAX_DEPTH - 2; i++) fine = [fine];
    assert.doesNotThrow(() => cleanInput({ a: fine }, 'body'));
  });

  test('a full Aadhaar number inside free text is masked, written any usual way', () => {
    for (const written of [A, grouped, hyphens]) {
      assert.equal(maskAadhaarInText(`Aadhaar ${written}, lives near the school`), `Aadhaar ${MASK}, lives near the school`);
    }
    assert.equal(maskAadhaarInText(`${grouped}.`, true), `${MASK}.`, 'a free-text field holding only the number');
    assert.equal(maskAadhaarInText(`ids ${A} and ${A}`), `ids ${MASK} and ${MASK}`);
  });

  test('identifiers and other numbers are left alone', () => {
    assert.equal(maskAadhaarInText(A), A, 'a field that is only the number is an identifier');
    assert.equal(maskAadhaarInText(grouped), grouped);
    for (const text of [
      `Aadhaar ${NOT_A} is mistyped`, // fails Verhoeff
      `card 1${A} long`, `card ${A}7 long`, // part of a longer number
      `VID 9999 ${grouped} given`, // a 16-digit virtual id, not an Aadhaar number
      `token ab${A}cd`, `OPD-${A}`, `path /${A}/x`, // inside words, codes and paths
      `amount 3.${A} rupees`, `call +${A} now`, // decimals and phone numbers
      `starts 0${A.slice(1)} or 1${A.slice(1)}`, // Aadhaar never starts with 0 or 1
    ]) assert.equal(maskAadhaarInText(text), text, text);
  });

  test('which fields: free text in any field, the bare number only in named free-text fields, never secrets', () => {
    const body = {
      registrationNumber: A, mobile: A, id: A, notes: A, complaint: `fever; Aadhaar ${grouped}`, password: `pass ${A} word`,
      aadhaar: grouped, address: { line: [`House 4, ${hyphens}`] }, nested: [{ description: grouped }],
    };
    cleanInput(body, 'body');
    assert.deepEqual(body, {
      registrationNumber: A, mobile: A, id: A, notes: MASK, complaint: `fever; Aadhaar ${MASK}`, password: `pass ${A} word`,
      aadhaar: grouped, address: { line: [`House 4, ${MASK}`] }, nested: [{ description: MASK }],
    });
    const query = { q: `name ${A}` };
    cleanInput(query, 'query', { mask: false });
    assert.equal(query.q, `name ${A}`, 'URLs are checked, not changed');
  });
});

for (const engine of testEngines()) {
  describe(`input guard on every route [${engine}]`, () => {
    let t: TestApp;
    let facility: string;
    before(async () => {
      t = await startTestApp(engine);
      facility = (await t.req('POST', '/api/facilities', t.adminToken, facilityBody())).body.id;
    });
    after(async () => { await t.close(); });

    test('NUL in a JSON body, query string or path is a 400 naming the field (sign-in included)', async () => {
      const login = await t.req('POST', '/api/auth/login', null, { username: 'admin\u0000', password: 'x' });
      assert.equal(login.status, 400, JSON.stringify(login.body));
      assert.equal(login.body.error.details.fields[0].field, 'body.username');
      const hi = await t.req('POST', '/api/auth/login', null, { username: 'admin', password: 'x\u0000' }, { 'accept-language': 'hi' });
      assert.match(hi.body.error.message, /^body\.password: में NUL अक्षर/);
      const q = await t.req('GET', '/api/facilities?q=PHC%00', t.adminToken);
      assert.equal(q.status, 400);
      assert.match(q.body.error.message, /^query\.q: contains a NUL character/);
      const p = await t.req('GET', `/api/facilities/${facility}%00`, t.adminToken);
      assert.equal(p.status, 400);
      assert.equal(p.body.error.details.fields[0].field, 'params.id');
      const s = await t.req('PATCH', `/api/facilities/${facility}`, t.adminToken, '{"name":"PHC \\ud800 Adampur"}');
      assert.equal(s.status, 400);
      assert.match(s.body.error.message, /body\.name: contains a broken character/);
    });

    test('sign-in comes first: without a token the answer is 401, not a 400 about the input', async () => {
      const r = await t.req('GET', '/api/facilities?q=%00', null);
      assert.equal(r.status, 401);
    });

    test('CSV and ADX bodies: NUL is a 400 saying where', async () => {
      const csv = `dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value\nAnyElement1,202411,${facility},,,1\nAnyElement1,202412,${facility},,,2\u0000\n`;
      const r = await t.req('POST', '/api/dataValueSets', t.adminToken, csv, { 'content-type': 'application/csv' });
      assert.equal(r.status, 400);
      assert.match(r.body.error.message, /^body.*: contains a NUL character/);
      const adx = `<adx xmlns="urn:ihe:qrph:adx:2015"><group orgUnit="${facility}" period="2024-11-01/P1M" dataSet="X"><dataValue dataElement="A" value="1\u0000"/></group></adx>`;
      assert.equal((await t.req('POST', '/api/dataValueSets', t.adminToken, adx, { 'content-type': 'application/adx+xml' })).status, 400);
    });

    test('FHIR bodies pass the same gate: 400 OperationOutcome naming the element', async () => {
      const r = await t.req('POST', '/fhir/Patient', t.adminToken, JSON.stringify({ resourceType: 'Patient', name: [{ family: 'Devi\u0000' }] }), { 'content-type': 'application/fhir+json' });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.resourceType, 'OperationOutcome');
      assert.deepEqual(r.body.issue[0].expression, ['body.name[0].family']);
    });

    test('a value nested 10,000 levels deep is a 400, not a crash', async () => {
      const deep = `{"name":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
      const r = await t.req('PATCH', `/api/facilities/${facility}`, t.adminToken, deep);
      assert.equal(r.status, 400);
      assert.match(r.body.error.message, /nested more than 100 levels/);
    });

    test('an Aadhaar number typed into an address line is stored masked; the aadhaar field itself still works', async () => {
      const clerk = (await t.userWith('facility_operator', facility)).token;
      const r = await t.req('POST', '/api/patients', clerk, {
        name: 'Kamla Devi', sex: 'female', age: 40, aadhaar: grouped, address: { district: 63, line: `Ward 3, Aadhaar ${grouped}` },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const rows = await t.db.kysely.selectFrom('patients').selectAll().where('id', '=', r.body.id).execute();
      const stored = JSON.stringify(rows);
      assert.ok(!stored.includes(A.slice(0, 8)) && !stored.includes(grouped), 'no full Aadhaar number in the row');
      assert.match(stored, new RegExp(`Ward 3, Aadhaar ${MASK}`));
    });

    test('an Aadhaar number in a data value comment (CSV) is masked before it is stored', async () => {
      await t.req('POST', '/api/metadata', t.adminToken, {
        dataElements: [{ id: 'InputDe0001', name: 'Input test element', shortName: 'Input', valueType: 'INTEGER', categoryCombo: { id: 'bjDvmb4bfuf' } }],
        dataSets: [{ id: 'InputDs0001', name: 'Input test set', periodType: 'Monthly', dataSetElements: [{ dataElement: { id: 'InputDe0001' } }] }],
      });
      const csv = `dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby,lastupdated,comment\nInputDe0001,202411,${facility},,,5,,,"mother's Aadhaar ${grouped}"\n`;
      const r = await t.req('POST', '/api/dataValueSets', t.adminToken, csv, { 'content-type': 'application/csv' });
      assert.equal(r.body.importCount?.imported, 1, JSON.stringify(r.body));
      const row = await t.db.kysely.selectFrom('hmis_data_values').select('comment').where('data_element_id', '=', 'InputDe0001').executeTakeFirstOrThrow();
      assert.equal(row.comment, `mother's Aadhaar ${MASK}`);
    });
  });
}
