import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { newPregnancyRegistrationNumber } from '../modules/patients/patients.identity.js';
import { ADMIN_PASSWORD, facilityBody, startTestApp, oneEngine, type TestApp } from '../test/harness.js';

/**
 * Bad input never gets a 5xx. Built from the OpenAPI document, so a new route is fuzzed without
 * anyone listing it: every operation is called, as the country admin and without a token, with
 * malformed JSON, bodies of the wrong shape, each field of the wrong type, NUL characters and lone
 * surrogates in each string (body, query and path), huge strings, 400-digit and out-of-range numbers,
 * values nested 10,000 levels deep, null where an object belongs and content types nobody accepts.
 * Path parameters get plausible values (real ids where the test made one) so that requests reach
 * the handlers. Any status of 500 or more fails, and the requests sent are counted.
 */

type Schema = Record<string, any>;
interface Op { method: string; path: string; params: { name: string; in: string; schema: Schema; required?: boolean }[]; body?: Schema }
interface Variant { label: string; url: string; payload?: string | Buffer; type?: string }

const BIG = '9'.repeat(400);
const BIG_MARK = '__fuzz_big_number__';
const DEEP = '['.repeat(10_000) + ']'.repeat(10_000);
const DEEP_MARK = '__fuzz_deep_value__';
const NUL = 'a\u0000b';
const SURROGATE = 'a\ud800b';
const HUGE = 'x'.repeat(200_000);
const MEGA = 'y'.repeat(1024 * 1024 + 16);

/** A value that meets `schema`, from its type, enum, pattern and limits; `name` picks a plausible one for known fields. */
function sample(schema: Schema | undefined, name: string, known: Record<string, unknown>, depth = 0): unknown {
  if (!schema || depth > 6) return 'x';
  if (name in known) return known[name];
  if (schema.enum) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  const variant = schema.anyOf ?? schema.oneOf;
  if (variant) return sample(variant.find((s: Schema) => s.type !== 'null') ?? variant[0], name, known, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((x: string) => x !== 'null') : schema.type;
  switch (type) {
    case 'string': {
      if (schema.format === 'date') return '2025-01-01';
      if (schema.format === 'date-time') return '2025-01-01T00:00:00Z';
      if (schema.format === 'uuid') return randomUUID();
      if (schema.format === 'email') return 'someone@example.org';
      if (schema.pattern) {
        const re = new RegExp(schema.pattern);
        const hit = ['2025-01-01', '09:00', '202411', '2024W47', '63', '9876543210', 'HMIS_MONTHLY', 'abc', 'A09', 'Abcdefghij1', '2025-01-01T00:00:00Z'].find((c) => re.test(c));
        if (hit) return hit;
      }
      const min = schema.minLength ?? 1;
      return 'fuzz'.padEnd(Math.max(min, 4), 'z').slice(0, Math.max(min, Math.min(schema.maxLength ?? 4, 4)));
    }
    case 'integer': case 'number': {
      const min = schema.minimum ?? schema.exclusiveMinimum ?? 1;
      return Math.min(Math.max(min, 1), schema.maximum ?? 1e9);
    }
    case 'boolean': return true;
    case 'array': {
      const n = Math.max(schema.minItems ?? 1, 1);
      return Array.from({ length: n }, () => sample(schema.items, name, known, depth + 1));
    }
    case 'object': default: {
      if (!schema.properties) return type === 'object' ? {} : 'x';
      return Object.fromEntries(Object.entries<Schema>(schema.properties).map(([k, s]) => [k, sample(s, k, known, depth + 1)]));
    }
  }
}

/** Every leaf and object inside `value`, with its path. */
function places(value: unknown, path: (string | number)[] = [], out: { path: (string | number)[]; value: unknown }[] = []) {
  if (path.length) out.push({ path, value });
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) places(v, [...path, Array.isArray(value) ? Number(k) : k], out);
  }
  return out;
}

function replaced(body: unknown, path: (string | number)[], v: unknown): unknown {
  const copy = structuredClone(body) as any;
  let at = copy;
  for (const k of path.slice(0, -1)) at = at[k];
  at[path[path.length - 1]] = v;
  return copy;
}

/** The wrong values for a place holding `v`, by its JSON type. */
function wrongValues(v: unknown): { label: string; value: unknown }[] {
  const common = [{ label: 'null', value: null }, { label: 'deep', value: DEEP_MARK }];
  if (typeof v === 'string') {
    return [...common, { label: 'number', value: 123 }, { label: 'object', value: { a: 1 } }, { label: 'array', value: ['x'] },
      { label: 'NUL', value: NUL }, { label: 'surrogate', value: SURROGATE }, { label: 'huge string', value: HUGE }, { label: 'empty', value: '' }];
  }
  if (typeof v === 'number') {
    return [...common, { label: 'string', value: 'x' }, { label: '400 digits', value: BIG_MARK }, { label: '2^31', value: 2147483648 },
      { label: '-2^31-1', value: -2147483649 }, { label: '1e308', value: 1e308 }, { label: 'fraction', value: 0.5 }, { label: 'negative', value: -1 }];
  }
  if (typeof v === 'boolean') return [...common, { label: 'string', value: 'true' }, { label: 'number', value: 1 }];
  if (Array.isArray(v)) return [...common, { label: 'object', value: { a: 1 } }, { label: 'string', value: 'x' }, { label: '[null]', value: [null] }, { label: '[1,2,3]', value: [1, 2, 3] }, { label: 'empty', value: [] }];
  if (v && typeof v === 'object') return [...common, { label: 'array', value: [] }, { label: 'string', value: 'x' }, { label: 'number', value: 1 }, { label: 'NUL key', value: { 'a\u0000': 1 } }];
  return common;
}

const json = (body: unknown) => JSON.stringify(body).replaceAll(`"${BIG_MARK}"`, BIG).replaceAll(`"${DEEP_MARK}"`, DEEP);

/** Variants of the query string and path for one operation. */
function urlVariants(op: Op, fill: (name: string, where: string) => string, query: Record<string, string>): Variant[] {
  const out: Variant[] = [];
  const build = (over: Record<string, string>, qover: Record<string, string | undefined> = {}) => {
    const path = op.path.replace(/\{(\w+)\}/g, (_m, n) => over[n] ?? encodeURIComponent(fill(n, op.path)));
    const q = Object.entries({ ...query, ...qover }).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`).join('&');
    return q ? `${path}?${q}` : path;
  };
  for (const p of op.params.filter((x) => x.in === 'path')) {
    for (const [label, v] of [['NUL', 'a%00b'], ['only NUL', '%00'], ['surrogate', '%ED%A0%80'], ['bad escape', '%ZZ'], ['long', 'x'.repeat(5000)], ['400 digits', BIG], ['dots', '..%2F..'], ['negative', '-1']] as const) {
      out.push({ label: `path ${p.name} ${label}`, url: build({ [p.name]: v }) });
    }
  }
  for (const p of op.params.filter((x) => x.in === 'query')) {
    for (const [label, v] of [['NUL', 'a%00b'], ['surrogate', '%ED%A0%80'], ['lone surrogate escape', '%5Cud800'], ['bad escape', '%ZZ'], ['huge', HUGE], ['400 digits', BIG], ['-2^31-1', '-2147483649'], ['word', 'abc'], ['empty', ''], ['repeated', `x&${encodeURIComponent(p.name)}=y`]] as const) {
      out.push({ label: `query ${p.name} ${label}`, url: build({}, { [p.name]: v }) });
    }
  }
  out.push({ label: 'query unknown NUL', url: build({}, { 'fuzz%00': 'x' }) });
  return out;
}

for (const engine of oneEngine()) {
  describe(`fuzz every operation in the OpenAPI document [${engine}]`, () => {
    let t: TestApp;
    const ids: Record<string, string> = {};
    before(async () => {
      t = await startTestApp(engine);
      ids.facility = (await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ type: 'CHC', beds: 30 }))).body.id;
      const clerk = (await t.userWith('facility_operator', ids.facility)).token;
      ids.clerk = clerk;
      const patient = await t.req('POST', '/api/patients', clerk, { name: 'Fuzz Devi', sex: 'female', age: 30, address: { district: 63 } });
      assert.equal(patient.status, 201, JSON.stringify(patient.body));
      ids.patient = patient.body.id;
      const family = await t.req('POST', '/api/families', clerk, { headPatientId: ids.patient });
      ids.family = family.body?.id ?? randomUUID();
      ids.disease = (await t.req('GET', '/api/surveillance/diseases', t.adminToken)).body?.items?.[0]?.code ?? 'fever';
      ids.user = (await t.userWith('asha', 63)).username;
      ids.opdToken = (await t.req('POST', '/api/opd/registrations', clerk, { patientId: ids.patient, department: 'general' })).body?.id ?? randomUUID();
    });
    after(async () => { await t.close(); });

    test('no operation answers bad input with a 5xx, signed in or not', { timeout: 10 * 60_000 }, async () => {
      const doc = (t.app as any).swagger() as { paths: Record<string, Record<string, any>> };
      const ops: Op[] = Object.entries(doc.paths).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([m, o]) => ({
        method: m.toUpperCase(), path, params: (o.parameters ?? []) as Op['params'],
        body: o.requestBody?.content?.['application/json']?.schema as Schema | undefined,
      })));
      assert.ok(ops.length > 100, `the OpenAPI document lists ${ops.length} operations`);
      const known: Record<string, unknown> = {
        orgUnit: '63', area: '63', district: '63', facilityId: ids.facility, hubId: ids.facility, spokeId: ids.facility, toFacilityId: ids.facility,
        patientId: ids.patient, headPatientId: ids.patient, into: ids.patient, dataSet: 'HMIS_MONTHLY', period: '202411', username: 'admin',
        mobile: '9876543210', specialty: 'general_medicine', week: '2024W47', from: '2025-01-01', to: '2025-01-31', day: '2025-01-01',
        password: 'Fuzz-Pass-Word-7', abha: '91-1234-5678-9012', abhaAddress: 'fuzz.devi1990@abdm', aadhaar: '2345 6789 0124', pincode: '125001',
        latitude: 29.15, longitude: 75.72, phone: '01662-123456', block: undefined, village: undefined,
        registrationNumber: newPregnancyRegistrationNumber(), disease: ids.disease,
      };
      const fill = (name: string, path: string): string => {
        if (name === 'code') return '63';
        if (name === 'type') return 'Patient';
        if (name === 'action') return 'approve';
        if (name === 'format') return 'xml';
        if (path.startsWith('/api/facilities') || path.startsWith('/api/telemedicine/hubs') || path.startsWith('/api/telemedicine/equipment')) return ids.facility;
        if (path.startsWith('/api/hmis/dataSets')) return 'HMIS_MONTHLY';
        if (path.startsWith('/api/families')) return ids.family;
        if (path.startsWith('/api/patients/merges')) return randomUUID();
        if (path.startsWith('/api/opd/registrations/')) return ids.opdToken;
        if (path.startsWith('/api/users/')) return ids.user;
        if (path.startsWith('/api/patients') || path.startsWith('/fhir/Patient') || path.startsWith('/fhir/{type}')) return ids.patient;
        return randomUUID();
      };
      const extraBodies: Record<string, unknown> = {
        'POST /api/metadata': { dataSets: [{ id: 'FuzzDs00001', name: 'Fuzz', periodType: 'Monthly', timelyDays: 5 }], dataElements: [{ id: 'FuzzDe00001', name: 'Fuzz', valueType: 'INTEGER', categoryCombo: { id: 'bjDvmb4bfuf' } }] },
        'POST /api/facilities': facilityBody(),
        'PATCH /api/facilities/{id}': { name: 'Fuzz PHC', beds: 10, latitude: 29.15, longitude: 75.72 },
        'PATCH /api/patients/{id}': { version: '1', name: 'Fuzz Devi', mobile: '9876543210' },
        'POST /api/surveillance/reports': { ...(sample(ops.find((o) => o.path === '/api/surveillance/reports')?.body, '', known) as object), orgUnit: ids.facility },
        'PUT /fhir/Patient/{id}': { ...fhirPatient(), id: ids.patient },
        'PUT /fhir/{type}/{id}': { ...fhirPatient(), id: ids.patient },
        'POST /api/dataValueSets': { dataSet: 'HMIS_MONTHLY', period: '202411', orgUnit: ids.facility, dataValues: [{ dataElement: 'x', period: '202411', orgUnit: ids.facility, value: '1', comment: 'c' }] },
        'POST /api/completeDataSetRegistrations': { completeDataSetRegistrations: [{ dataSet: 'HMIS_MONTHLY', period: '202411', organisationUnit: ids.facility, date: '2024-12-03' }] },
        'POST /api/hmis/analytics/favourites': { name: 'Fuzz favourite', selection: { items: ['x'], indicators: [], preset: 'RANGE', from: '202404', to: '202503', ou: '63', level: 'block', by: 'type' } },
        'PATCH /api/hmis/analytics/favourites/{id}': { name: 'Fuzz renamed' },
        'POST /api/ambulances': { registrationNumber: 'HR 39 FZ 0108', service: '108', kind: 'BLS', baseFacilityId: ids.facility, deviceId: 'fuzz-device-0108' },
        'PUT /api/ambulances/{id}/crew': { from: new Date().toISOString(), to: new Date(Date.now() + 8 * 3_600_000).toISOString(), driver: { name: 'Fuzz Kumar', mobile: '9876543210' }, emt: { name: 'Fuzz Devi', mobile: '9876543211' } },
        'PUT /api/ambulances/norms/population': { districtId: 63, population: 1743931, year: 2011 },
        'POST /api/positions': { positions: [{ deviceId: 'fuzz-device-0108', latitude: 29.15, longitude: 75.72, fixTime: new Date().toISOString(), speedKmh: 40 }] },
        'POST /api/dispatch/calls': { callerPhone: '9876543210', callerName: 'Fuzz', latitude: 29.15, longitude: 75.72, complaint: 'fuzz', service: '102', kind: 'PTV', area: 'urban' },
        'POST /api/dispatch/trips/{id}/steps': { step: 'left_scene', destinationFacilityId: ids.facility, note: 'fuzz' },
        'PUT /api/dispatch/targets': { state: '6', items: [{ service: '108', area: 'urban', callToSceneMinutes: 25 }] },
      };
      function fhirPatient() { return { resourceType: 'Patient', name: [{ family: 'Devi', given: ['Fuzz'] }], gender: 'female', birthDate: '1990-01-01', address: [{ line: ['House 1'], district: 'Hisar', state: 'Haryana' }], telecom: [{ system: 'phone', value: '9876543210' }] }; }

      let sent = 0;
      const failures: string[] = [];
      const statuses: Record<number, number> = {};
      const send = async (op: Op, v: Variant, token: string | null) => {
        sent++;
        const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
        if (v.payload !== undefined) headers['content-type'] = v.type ?? 'application/json';
        let timer: NodeJS.Timeout | undefined;
        const res = await Promise.race([
          t.app.inject({ method: op.method as any, url: v.url, headers, payload: v.payload }),
          new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), 15_000); }),
        ]);
        clearTimeout(timer);
        const who = token === ids.clerk ? 'clerk' : token ? 'admin' : 'anonymous';
        if (!res) { failures.push(`${op.method} ${op.path} [${v.label}] ${who}: no answer in 15 s`); return 0; }
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
        if (res.statusCode >= 500) failures.push(`${op.method} ${op.path} [${v.label}] ${who} → ${res.statusCode} ${res.body.slice(0, 200)}`);
        return res.statusCode;
      };

      for (const op of ops) {
        const query: Record<string, string> = {};
        for (const p of op.params.filter((x) => x.in === 'query' && x.required)) query[p.name] = encodeURIComponent(String(sample(p.schema, p.name, known)));
        const url = op.path.replace(/\{(\w+)\}/g, (_m, n) => encodeURIComponent(fill(n, op.path)));
        const plainUrl = Object.keys(query).length ? `${url}?${Object.entries(query).map(([k, v]) => `${k}=${v}`).join('&')}` : url;
        const variants: Variant[] = urlVariants(op, fill, query);
        const hasBody = !!op.body || ['POST', 'PUT', 'PATCH'].includes(op.method);
        let wellFormed: string | undefined;
        let bodyType = 'application/json';
        if (hasBody) {
          const isFhir = op.path.startsWith('/fhir');
          const base = extraBodies[`${op.method} ${op.path}`] ?? (isFhir ? fhirPatient() : sample(op.body, '', known));
          const type = isFhir ? 'application/fhir+json' : 'application/json';
          wellFormed = json(base);
          bodyType = type;
          for (const [label, payload] of [['malformed JSON', '{"a":'], ['null', 'null'], ['array', '[1,2,3]'], ['[null]', '[null]'], ['string', '"x"'], ['number', BIG], ['empty', ''],
            ['deep', DEEP], ['deep object', '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)], ['NUL in JSON', '{"a":"\\u0000"}'], ['NUL key', '{"\\u0000":1}'], ['1 MB', JSON.stringify({ a: MEGA })]] as const) {
            variants.push({ label: `body ${label}`, url: plainUrl, payload, type });
          }
          for (const [label, ct, payload] of [['unknown type', 'application/x-fuzz', 'abc'], ['text', 'text/plain', 'abc'], ['form', 'application/x-www-form-urlencoded', 'a=%00'],
            ['csv NUL', 'application/csv', `dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value\nx,202411,${ids.facility},,,1\u0000\n`],
            ['csv big', 'application/csv', `x,202411,${ids.facility},,,${BIG}\n`], ['adx NUL', 'application/adx+xml', '<adx xmlns="urn:ihe:qrph:adx:2015"><group dataSet="HMIS_MONTHLY" period="2024-11-01/P1M" orgUnit="x"><dataValue dataElement="x" value="1\u0000"/></group></adx>'],
            ['xml entity', 'application/xml', '<adx><group dataSet="&#0;"/></adx>'], ['dxf2 NUL', 'application/xml', '<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0"><dataValue dataElement="x" period="202411" orgUnit="x" value="1\u0000"/></dataValueSet>'], ['xlsx garbage', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', Buffer.from('PK\u0003\u0004garbage')],
            ['pdf garbage', 'application/pdf', Buffer.from('%PDF-garbage\u0000')], ['json latin1', 'application/json; charset=latin1', '{}'],
            ['LGD csv NUL', 'text/csv', `S.No.,State Code,State Name,District Code,District Name,Block Code,Block Version,Block Name ,Block Name\n1,6,HARYANA,63,HISAR,9001,1,X\u0000Y,\n2,6,HARYANA,63,HISAR,${BIG},1,BIG,\n3,6,HARYANA,"63,HISAR\n`],
            ['LGD csv NUL Hindi name', 'text/csv', 'S.No.,State Code,State Name,District Code,District Name,Block Code,Block Version,Block Name ,Block Name\n1,6,HARYANA,63,HISAR,9002,1,AB,अ\u0000ब\n']] as const) {
            variants.push({ label: `content-type ${label}`, url: plainUrl, payload, type: ct });
          }
          for (const place of places(base)) {
            for (const w of wrongValues(place.value)) {
              variants.push({ label: `body ${place.path.join('.')} ${w.label}`, url: plainUrl, payload: json(replaced(base, place.path, w.value)), type });
            }
          }
          // FUZZ_DEBUG=1 prints how each operation answers its well-formed body (how deep the fuzzing reaches).
          if (process.env.FUZZ_DEBUG && !op.path.endsWith('/logout')) {
            const r = await t.app.inject({ method: op.method as any, url: plainUrl, headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': type }, payload: json(base) });
            console.log('BASE', op.method, op.path, r.statusCode, r.statusCode >= 400 ? r.body.slice(0, 300) : '');
          }
          variants.push({ label: 'body unknown field NUL', url: plainUrl, payload: json({ ...(base as object), ['fuzz\u0000']: NUL }), type });
        }
        // Signing out would end the admin's session for every later request: that operation gets a session of its own.
        const token = op.path.endsWith('/logout') ? await t.login('admin', ADMIN_PASSWORD) : t.adminToken;
        for (const v of variants) await send(op, v, token);
        // Where the admin may not act (patient records belong to a state, district or facility), the same
        // bad requests go in as the facility's clerk too, who may, so that they reach the service.
        if (wellFormed !== undefined && (await send(op, { label: 'well-formed body', url: plainUrl, payload: wellFormed, type: bodyType }, token)) === 403) {
          for (const v of variants) await send(op, v, ids.clerk);
        }
        // Without a token the answer is 401 (or the public route's own refusal); never a 5xx.
        for (const v of variants.filter((_x, i) => i % 4 === 0)) await send(op, v, null);
      }
      console.log(`fuzz [${engine}]: ${sent} requests to ${ops.length} operations, ${failures.length} answered 5xx; answers by status: ${JSON.stringify(statuses)}`);
      assert.equal((await t.req('GET', '/api/auth/me', t.adminToken)).status, 200, 'the admin stayed signed in, so the requests reached the routes');
      assert.ok((statuses[200] ?? 0) + (statuses[201] ?? 0) > 0 && (statuses[400] ?? 0) > sent / 4, 'requests got past sign-in');
      assert.deepEqual(failures.slice(0, 80), [], `${failures.length} bad requests got a 5xx`);
    });
  });
}
