import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../test/harness.js';

/**
 * Every route, called by people outside its scope or without the permission: 403; without a token:
 * 401; for an unknown id: 404. The last test checks that the matrix names every route in the
 * OpenAPI document, so a new route cannot skip it.
 */
interface Case { method: string; path: string; body?: unknown }

for (const engine of testEngines()) {
  describe(`scope and permission matrix [${engine}]`, () => {
    let t: TestApp;
    let hisarFacility: string;
    let hisarSibling: string;
    let mandiOfficer: string;
    let hisarOfficer: string;
    let hisarOperator: string;
    let doctor: string;
    let himachalAdmin: string;

    before(async () => {
      t = await startTestApp(engine);
      hisarFacility = (await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ type: 'CHC', beds: 30 }))).body.id;
      hisarSibling = (await t.req('POST', '/api/facilities', t.adminToken, facilityBody())).body.id;
      mandiOfficer = (await t.userWith('district_officer', 22)).token;
      hisarOfficer = (await t.userWith('district_officer', 63)).token;
      hisarOperator = (await t.userWith('facility_operator', hisarFacility)).token;
      doctor = (await t.userWith('doctor', hisarFacility)).token;
      himachalAdmin = (await t.userWith('admin', 'state:2')).token;
    });
    after(async () => { await t.close(); });

    const hisarCases = (): Case[] => [
      { method: 'GET', path: '/api/facilities?district=63' },
      { method: 'GET', path: '/api/facilities?orgUnit=63' },
      { method: 'GET', path: '/api/facilities?state=6' },
      { method: 'GET', path: '/api/facilities/points?district=63' },
      { method: 'GET', path: '/api/facilities/summary?orgUnit=63' },
      { method: 'GET', path: `/api/facilities/${hisarFacility}` },
      { method: 'POST', path: '/api/facilities', body: facilityBody() },
      { method: 'PATCH', path: `/api/facilities/${hisarFacility}`, body: { beds: 31 } },
      { method: 'POST', path: `/api/facilities/${hisarFacility}/registration`, body: {} },
      { method: 'POST', path: `/api/facilities/${hisarFacility}/upgrades`, body: { kind: 'beds', beds: 40, date: '2025-01-01' } },
      { method: 'DELETE', path: `/api/facilities/${hisarFacility}` },
      // the telemedicine network and queue of a Hisar hub: more in telemedicine.test.ts
      { method: 'GET', path: `/api/telemedicine/hubs/${hisarFacility}` },
      { method: 'GET', path: `/api/telemedicine/hubs/events?spokeId=${hisarFacility}` },
      { method: 'PUT', path: `/api/telemedicine/hubs/${hisarFacility}/specialties`, body: { items: [{ specialty: 'general_medicine' }] } },
      { method: 'POST', path: '/api/telemedicine/links', body: { spokeId: hisarSibling, hubId: hisarFacility } },
      { method: 'DELETE', path: `/api/telemedicine/links?spokeId=${hisarSibling}&hubId=${hisarFacility}` },
      { method: 'POST', path: '/api/telemedicine/doctors', body: { username: 'admin', hubId: hisarFacility, specialties: ['general_medicine'] } },
      { method: 'PUT', path: `/api/telemedicine/equipment/${hisarFacility}`, body: { items: [{ kind: 'desktop', installed: 1 }] } },
      { method: 'GET', path: '/api/telemedicine/readiness?area=63' },
      { method: 'GET', path: `/api/telemedicine/rosters?hubId=${hisarFacility}` },
      { method: 'POST', path: '/api/telemedicine/rosters', body: { hubId: hisarFacility, specialty: 'general_medicine', username: 'admin', weekday: 1, starts: '09:00', ends: '10:00' } },
      { method: 'GET', path: `/api/telemedicine/queue?hubId=${hisarFacility}` },
      { method: 'GET', path: `/api/telemedicine/requests?spokeId=${hisarSibling}` },
      { method: 'POST', path: '/api/telemedicine/duty', body: { hubId: hisarFacility, specialty: 'general_medicine', status: 'online' } },
      { method: 'POST', path: '/api/telemedicine/next', body: { hubId: hisarFacility, specialty: 'general_medicine' } },
      // telemedicine counts narrowed to Hisar: 403s for others also in telemedicine.stats.test.ts
      { method: 'GET', path: '/api/telemedicine/stats?from=2025-01-01&to=2025-01-31&orgUnit=63' },
      { method: 'GET', path: `/api/telemedicine/utilisation?from=2025-01-01&to=2025-01-31&hubId=${hisarFacility}` },
      // a Hisar facility's medicine stock and referrals: more in telemedicine.clinical.test.ts and telemedicine.referrals.test.ts
      { method: 'GET', path: `/api/telemedicine/stock?facilityId=${hisarFacility}` },
      { method: 'PUT', path: '/api/telemedicine/stock', body: { facilityId: hisarFacility, items: [{ code: 'ors-sachet', quantity: 5 }] } },
      { method: 'GET', path: `/api/referrals?direction=incoming&facilityId=${hisarFacility}` },
      { method: 'GET', path: `/api/referrals?direction=outgoing&facilityId=${hisarFacility}` },
      // a call placed in Hisar (the point on the map): more in dispatch/dispatch.test.ts
      { method: 'POST', path: '/api/dispatch/calls', body: { callerPhone: '9876543210', latitude: 29.15, longitude: 75.72, complaint: 'snake bite', service: '108' } },
      // Hisar's and Haryana's ambulance response times and targets: more in dispatch/stats/stats.test.ts
      { method: 'GET', path: '/api/dispatch/response-times?district=63' },
      { method: 'GET', path: '/api/dispatch/response-times/monthly?district=63' },
      { method: 'GET', path: '/api/dispatch/ranking?state=6' },
      { method: 'GET', path: '/api/dispatch/targets?state=6' },
      { method: 'PUT', path: '/api/dispatch/targets', body: { district: '63', items: [{ service: '108', area: 'urban', callToSceneMinutes: 25 }] } },
      // Haryana's ambulance norms and Hisar's population: more in ambulances/ambulances.norms.test.ts
      { method: 'GET', path: '/api/ambulances/norms?state=6' },
      { method: 'PUT', path: '/api/ambulances/norms/population', body: { districtId: 63, population: 1743931, year: 2011 } },
    ];

    test("a Mandi district officer gets 403 for every Hisar route", async () => {
      for (const c of hisarCases()) {
        const r = await t.req(c.method, c.path, mandiOfficer, c.body);
        assert.equal(r.status, 403, `${c.method} ${c.path} → ${r.status} ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error.code, 'forbidden');
      }
    });

    test('a Himachal state admin gets 403 for Hisar, and cannot make users there', async () => {
      for (const c of hisarCases()) {
        const r = await t.req(c.method, c.path, himachalAdmin, c.body);
        assert.equal(r.status, 403, `${c.method} ${c.path} → ${r.status}`);
      }
      const u = await t.req('POST', '/api/users', himachalAdmin, { username: `x_${Date.now()}`, password: 'Good-Pass-1', role: 'district_officer', orgUnit: 63 });
      assert.equal(u.status, 403);
      const ok = await t.req('POST', '/api/users', himachalAdmin, { username: `y_${Date.now()}`, password: 'Good-Pass-1', role: 'district_officer', orgUnit: 22 });
      assert.equal(ok.status, 201);
    });

    test('without a token every route is 401', async () => {
      const all: Case[] = [...hisarCases(), { method: 'GET', path: '/api/users' }, { method: 'POST', path: '/api/users', body: {} }, { method: 'GET', path: '/api/audit' },
        { method: 'GET', path: '/api/auth/me' }, { method: 'POST', path: '/api/auth/logout' }, { method: 'GET', path: '/api/geo/units/6' },
        { method: 'GET', path: '/api/geo/units/6/children' }, { method: 'GET', path: '/api/geo/boundaries?orgUnit=2' }];
      for (const c of all) {
        const r = await t.req(c.method, c.path, null, c.body);
        assert.equal(r.status, 401, `${c.method} ${c.path}`);
        assert.equal(r.body.error.code, 'unauthenticated');
      }
    });

    test('the Hisar officer works in Hisar but may not delete; unknown ids are 404', async () => {
      assert.equal((await t.req('GET', '/api/facilities?district=63', hisarOfficer)).status, 200);
      assert.equal((await t.req('GET', '/api/facilities/summary?orgUnit=63', hisarOfficer)).status, 200);
      assert.equal((await t.req('GET', '/api/facilities/summary?orgUnit=6', hisarOfficer)).status, 403, 'the state is above the district');
      assert.equal((await t.req('POST', '/api/facilities', hisarOfficer, facilityBody())).status, 201);
      assert.equal((await t.req('PATCH', `/api/facilities/${hisarSibling}`, hisarOfficer, { beds: 8 })).status, 200);
      assert.equal((await t.req('DELETE', `/api/facilities/${hisarSibling}`, hisarOfficer)).status, 403);
      assert.equal((await t.req('GET', '/api/facilities/Zz000000000', hisarOfficer)).status, 404);
      assert.equal((await t.req('PATCH', '/api/facilities/Zz000000000', hisarOfficer, { beds: 1 })).status, 404);
      assert.equal((await t.req('GET', '/api/geo/units/99999', hisarOfficer)).status, 404);
    });

    test('a facility operator sees only their facility', async () => {
      assert.equal((await t.req('GET', `/api/facilities/${hisarFacility}`, hisarOperator)).status, 200);
      assert.equal((await t.req('GET', `/api/facilities/${hisarSibling}`, hisarOperator)).status, 403);
      assert.equal((await t.req('GET', '/api/facilities?district=63', hisarOperator)).status, 403);
      const mine = await t.req('GET', '/api/facilities', hisarOperator);
      assert.deepEqual(mine.body.items.map((f: any) => f.id), [hisarFacility]);
      assert.equal((await t.req('PATCH', `/api/facilities/${hisarFacility}`, hisarOperator, { desktops: 3 })).status, 200);
      assert.equal((await t.req('POST', '/api/facilities', hisarOperator, facilityBody())).status, 403);
    });

    test('roles without the permission get 403 inside their own scope', async () => {
      assert.equal((await t.req('PATCH', `/api/facilities/${hisarFacility}`, doctor, { beds: 2 })).status, 403);
      assert.equal((await t.req('GET', `/api/facilities/${hisarFacility}`, doctor)).status, 200);
      for (const token of [hisarOfficer, doctor, mandiOfficer]) {
        // District officers list their district's users and create care and field staff, not citizens (users.manage.test.ts).
        assert.equal((await t.req('GET', '/api/users', token)).status, token === doctor ? 403 : 200);
        assert.equal((await t.req('POST', '/api/users', token, { username: `z_${Date.now()}`, password: 'Good-Pass-1', role: 'citizen', orgUnit: 63 })).status, 403);
        assert.equal((await t.req('GET', '/api/audit', token)).status, 403);
      }
    });

    test('HMIS metadata: only state-level managers change it; citizens do not see forms', async () => {
      for (const token of [hisarOfficer, mandiOfficer, doctor, hisarOperator]) {
        assert.equal((await t.req('POST', '/api/metadata', token, { categoryOptions: [] })).status, 403);
      }
      const citizen = (await t.userWith('citizen', 6)).token;
      assert.equal((await t.req('GET', '/api/hmis/dataSets', citizen)).status, 403);
      assert.equal((await t.req('GET', '/api/hmis/dataSets/HMIS_MONTHLY/form', citizen)).status, 403);
      assert.equal((await t.req('GET', '/api/hmis/indicators', citizen)).status, 403);
      assert.equal((await t.req('GET', '/api/hmis/dataSets', hisarOperator)).status, 200);
      const indicators = await t.req('GET', '/api/hmis/indicators', hisarOfficer);
      assert.equal(indicators.status, 200);
      const anc = indicators.body.items.find((i: any) => /ANC/.test(i.name) && i.nameHi);
      assert.ok(anc, 'the seeded indicators, with Hindi names');
      assert.match(anc.numerator, /#\{\w+/);
      assert.equal(anc.factor, 100);
      assert.equal((await t.req('POST', '/api/metadata', null, {})).status, 401);
    });

    test('data values: a Mandi officer cannot write or read Hisar\'s; a citizen cannot at all', async () => {
      const value = { dataValues: [{ dataElement: 'AnyElement1', period: '202411', orgUnit: hisarFacility, value: '1' }] };
      const w = await t.req('POST', '/api/dataValueSets', mandiOfficer, value);
      assert.equal(w.status, 200);
      assert.ok(w.body.conflicts.length > 0 && w.body.importCount.imported === 0);
      await t.req('POST', '/api/metadata', t.adminToken, { dataSets: [{ id: 'MatrixDs001', name: 'Matrix', periodType: 'Monthly' }] });
      assert.equal((await t.req('GET', `/api/dataValueSets?dataSet=MatrixDs001&period=202411&orgUnit=${hisarFacility}`, mandiOfficer)).status, 403);
      assert.equal((await t.req('GET', `/api/dataValueSets?dataSet=MatrixDs001&period=202411&orgUnit=${hisarFacility}`, hisarOfficer)).status, 200);
      const citizen = (await t.userWith('citizen', 6)).token;
      assert.equal((await t.req('POST', '/api/dataValueSets', citizen, value)).status, 403);
      assert.equal((await t.req('GET', `/api/dataValueSets?dataSet=MatrixDs001&period=202411&orgUnit=${hisarFacility}`, citizen)).status, 403);
      assert.equal((await t.req('GET', '/api/dataValueSets', null)).status, 401);
    });

    test('monthly returns of Hisar are closed to Mandi: rates, defaulters, reminders, statuses, steps', async () => {
      const q = 'dataSet=HMIS_MONTHLY&period=202411&orgUnit=63';
      for (const url of [`/api/hmis/reporting-rates?${q}`, `/api/hmis/defaulters?${q}`, `/api/hmis/returns?${q}`]) {
        assert.equal((await t.req('GET', url, mandiOfficer)).status, 403, url);
        assert.equal((await t.req('GET', url, hisarOfficer)).status, 200, url);
      }
      const body = { dataSet: 'HMIS_MONTHLY', period: '202411', orgUnit: '63' };
      assert.equal((await t.req('POST', '/api/hmis/defaulters/reminders', mandiOfficer, body)).status, 403);
      assert.equal((await t.req('POST', '/api/hmis/defaulters/reminders', doctor, body)).status, 403, 'doctors do not chase returns');
      assert.equal((await t.req('POST', '/api/hmis/returns/approve', mandiOfficer, { ...body, orgUnit: hisarFacility })).status, 403);
      assert.equal((await t.req('POST', '/api/hmis/lock-exceptions', mandiOfficer, { ...body, orgUnit: hisarFacility, reason: 'x' })).status, 403);
      assert.equal((await t.req('GET', '/api/hmis/notifications', null)).status, 401);
    });

    test('geography is public reference data for every signed-in role', async () => {
      for (const token of [mandiOfficer, hisarOperator, doctor]) {
        assert.equal((await t.req('GET', '/api/geo/units/63', token)).status, 200);
        assert.equal((await t.req('GET', '/api/geo/units/6/children', token)).status, 200);
      }
    });

    test('the matrix covers every route in the OpenAPI document', async () => {
      const doc = await t.req('GET', '/api/docs/json');
      assert.equal(doc.status, 200);
      const covered = new Set([
        'GET /api/health', 'POST /api/auth/login', 'POST /api/auth/logout', 'GET /api/auth/me', 'GET /api/users', 'POST /api/users', 'POST /api/users/{username}/password', 'POST /api/users/{username}/deactivate', 'POST /api/users/{username}/activate', 'GET /api/audit',
        // the outbox (messages of the caller's area; roles without can_read_messages 403): platform/outbox/outbox.test.ts
        'GET /api/messages',
        'GET /api/geo/units/{code}', 'GET /api/geo/units/{code}/children', 'GET /api/geo/units/{code}/places', 'GET /api/geo/boundaries',
        'GET /api/facilities', 'GET /api/facilities/points', 'GET /api/facilities/summary', 'GET /api/facilities/{id}', 'POST /api/facilities',
        'PATCH /api/facilities/{id}', 'POST /api/facilities/{id}/registration', 'POST /api/facilities/{id}/upgrades', 'DELETE /api/facilities/{id}',
        'POST /api/metadata', 'GET /api/hmis/dataSets', 'GET /api/hmis/indicators', 'GET /api/hmis/dataSets/{id}/form', 'POST /api/dataValueSets', 'GET /api/dataValueSets',
        'GET /api/hmis/reporting-rates', 'GET /api/hmis/defaulters', 'POST /api/hmis/defaulters/reminders', 'GET /api/hmis/returns',
        'POST /api/hmis/returns/{action}', 'GET /api/hmis/notifications', 'POST /api/hmis/lock-exceptions',
        // DHIS2's metadata read API (org units within the caller's area, the rest the same for every area,
        // can_read_metadata): 403s in dhis2.api.test.ts
        'GET /api/metadata', 'GET /api/metadata.json', 'GET /api/system/info',
        'GET /api/organisationUnitLevels', 'GET /api/organisationUnitLevels.json', 'GET /api/organisationUnitLevels.csv', 'GET /api/organisationUnitLevels/{id}',
        'GET /api/organisationUnits', 'GET /api/organisationUnits.json', 'GET /api/organisationUnits.csv', 'GET /api/organisationUnits/{id}',
        'GET /api/categoryOptions', 'GET /api/categoryOptions.json', 'GET /api/categoryOptions.csv', 'GET /api/categoryOptions/{id}',
        'GET /api/categories', 'GET /api/categories.json', 'GET /api/categories.csv', 'GET /api/categories/{id}',
        'GET /api/categoryCombos', 'GET /api/categoryCombos.json', 'GET /api/categoryCombos.csv', 'GET /api/categoryCombos/{id}',
        'GET /api/categoryOptionCombos', 'GET /api/categoryOptionCombos.json', 'GET /api/categoryOptionCombos.csv', 'GET /api/categoryOptionCombos/{id}',
        'GET /api/dataElements', 'GET /api/dataElements.json', 'GET /api/dataElements.csv', 'GET /api/dataElements/{id}',
        'GET /api/dataSets', 'GET /api/dataSets.json', 'GET /api/dataSets.csv', 'GET /api/dataSets/{id}',
        'GET /api/sections', 'GET /api/sections.json', 'GET /api/sections.csv', 'GET /api/sections/{id}',
        'GET /api/validationRules', 'GET /api/validationRules.json', 'GET /api/validationRules.csv', 'GET /api/validationRules/{id}',
        'GET /api/indicatorTypes', 'GET /api/indicatorTypes.json', 'GET /api/indicatorTypes.csv', 'GET /api/indicatorTypes/{id}',
        'GET /api/indicators', 'GET /api/indicators.json', 'GET /api/indicators.csv', 'GET /api/indicators/{id}',
        'GET /api/dataElementGroups', 'GET /api/dataElementGroups.json', 'GET /api/dataElementGroups.csv', 'GET /api/dataElementGroups/{id}',
        'GET /api/indicatorGroups', 'GET /api/indicatorGroups.json', 'GET /api/indicatorGroups.csv', 'GET /api/indicatorGroups/{id}',
        'GET /api/validationRuleGroups', 'GET /api/validationRuleGroups.json', 'GET /api/validationRuleGroups.csv', 'GET /api/validationRuleGroups/{id}',
        // DHIS2's data value formats (the rules of GET /api/dataValueSets) and complete registrations: 403s in dhis2.complete.test.ts
        'GET /api/dataValueSets.{format}', 'GET /api/completeDataSetRegistrations', 'POST /api/completeDataSetRegistrations', 'DELETE /api/completeDataSetRegistrations',
        // returns with failing validation rules: 403s in hmis.returns.checks.test.ts
        'GET /api/hmis/returns/review', 'PATCH /api/hmis/dataSets/{id}',
        // data quality: 403s in hmis.quality.test.ts
        'GET /api/hmis/dataSets/{id}/history', 'GET /api/hmis/outliers', 'POST /api/hmis/validation/run', 'GET /api/hmis/validation/violations',
        // offline sheets: 403s in hmis.sheets.test.ts
        'GET /api/hmis/dataSets/{id}/template', 'POST /api/hmis/sheets',
        // analytics: 403s in hmis.analytics.test.ts
        'GET /api/hmis/analytics',
        // saved analytics favourites, each user's own (another's is 404; a place outside the area 403): hmis.favourites.test.ts
        'GET /api/hmis/analytics/favourites', 'POST /api/hmis/analytics/favourites', 'PATCH /api/hmis/analytics/favourites/{id}', 'DELETE /api/hmis/analytics/favourites/{id}',
        // surveillance (IDSP): 403s in surveillance.test.ts
        'GET /api/surveillance/diseases', 'POST /api/surveillance/reports', 'GET /api/surveillance/trends', 'GET /api/surveillance/rising',
        'GET /api/surveillance/burden', 'GET /api/surveillance/alerts',
        // patients, OPD, pregnancies, ultrasound: 403s in patients.test.ts
        'POST /api/patients', 'GET /api/patients', 'GET /api/patients/duplicates', 'GET /api/patients/{id}', 'GET /api/patients/{id}/access-log',
        'POST /api/opd/registrations', 'GET /api/opd/queue', 'POST /api/pregnancies', 'POST /api/pregnancies/{id}/close', 'POST /api/ultrasounds',
        'GET /api/ultrasounds/summary', 'GET /api/patients/{id}/card', 'GET /api/patients/{id}/card.pdf', 'POST /api/cards/resolve',
        'POST /api/families', 'GET /api/families/{id}', 'POST /api/families/{id}/members', 'POST /api/patients/{id}/merge', 'POST /api/patients/merges/{id}/undo',
        // a woman's pregnancies, a person's family, a centre's log of number checks: 403s in patients.maternal.test.ts
        'GET /api/patients/{id}/pregnancies', 'GET /api/patients/{id}/family', 'GET /api/ultrasounds/checks',
        'POST /api/opd/visits', 'GET /api/patients/{id}/visits', 'GET /api/codes/icd10',
        // working the OPD queue (call, with the doctor, done, absent, recall): 403s in patients.opd.test.ts
        'POST /api/opd/registrations/{id}/status',
        'POST /api/patients/{id}/documents', 'GET /api/patients/{id}/documents', 'GET /api/documents/{id}',
        'POST /api/survey/sync', 'POST /api/survey/assignments', 'GET /api/survey/assignments', 'GET /api/survey/coverage',
        // editing a patient and a record's merge history: 403s in patients.edit.test.ts
        'PATCH /api/patients/{id}', 'GET /api/patients/{id}/merges',
        // presence before access and the district's break-glass review: 403s in patients.presence.test.ts
        'POST /api/patients/{id}/presence/code', 'POST /api/patients/{id}/presence', 'GET /api/break-glass', 'POST /api/break-glass/{id}/review',
        // public on purpose (registration from home, code-confirmed and rate-limited): patients.public.test.ts
        'POST /api/public/otp', 'POST /api/public/patients',
        // FHIR: 403s in fhir.test.ts
        'GET /fhir/metadata', 'POST /fhir/', 'GET /fhir/Patient', 'POST /fhir/Patient', 'GET /fhir/Patient/{id}', 'PUT /fhir/Patient/{id}',
        'GET /fhir/Organization', 'GET /fhir/Organization/{id}', 'GET /fhir/Location', 'GET /fhir/Location/{id}',
        'GET /fhir/{type}', 'POST /fhir/{type}', 'GET /fhir/{type}/{id}', 'PUT /fhir/{type}/{id}', 'DELETE /fhir/{type}/{id}',
        // FHIR versions: 403s in fhir.history.test.ts
        'GET /fhir/{type}/{id}/_history', 'GET /fhir/{type}/{id}/_history/{vid}',
        // telemedicine network and queue: the Hisar cases above; requests by id in telemedicine.test.ts
        'GET /api/telemedicine/specialties', 'GET /api/telemedicine/hubs', 'GET /api/telemedicine/hubs/{id}', 'PUT /api/telemedicine/hubs/{id}/specialties',
        'POST /api/telemedicine/links', 'DELETE /api/telemedicine/links', 'POST /api/telemedicine/doctors', 'PUT /api/telemedicine/equipment/{id}',
        'GET /api/telemedicine/readiness', 'GET /api/telemedicine/rosters', 'POST /api/telemedicine/rosters', 'DELETE /api/telemedicine/rosters/{id}',
        'POST /api/telemedicine/duty', 'POST /api/telemedicine/requests', 'GET /api/telemedicine/requests', 'GET /api/telemedicine/requests/{id}',
        'GET /api/telemedicine/requests/{id}/events', 'POST /api/telemedicine/next', 'POST /api/telemedicine/requests/{id}/start',
        'POST /api/telemedicine/requests/{id}/no-answer', 'POST /api/telemedicine/requests/{id}/complete', 'POST /api/telemedicine/requests/{id}/cancel',
        'GET /api/telemedicine/queue',
        // the CHO's live counts: the Hisar case above, and 403s in telemedicine.day.test.ts
        'GET /api/telemedicine/hubs/events',
        // public on purpose (the LGD list is public): geo.test.ts
        'GET /api/public/districts',
        // public on purpose (which tile server the map draws, if any): geo.test.ts
        'GET /api/public/map',
        // blocks and villages into a running server (can_import_geo, rows only under the caller's area): 403s in geo.units.import.test.ts
        'POST /api/geo/units/import',
        // one block, panchayat or village added, renamed or recoded (can_update_geo, inside the caller's area): 403s in geo.units.test.ts
        'POST /api/geo/units', 'PATCH /api/geo/units/{code}',
        // referral destinations are state-wide by design (names of hospitals): telemedicine.referrals.test.ts
        'GET /api/referrals/destinations',
        // OPD from home (code-confirmed; the waiting room needs the booking's key): telemedicine.test.ts
        'GET /api/public/telemedicine/opds', 'POST /api/public/telemedicine/otp', 'POST /api/public/telemedicine/requests', 'POST /api/public/telemedicine/find',
        'GET /api/public/telemedicine/requests/{id}', 'GET /api/public/telemedicine/requests/{id}/events', 'GET /api/public/telemedicine/requests/{id}/prescription.pdf', 'POST /api/public/telemedicine/requests/{id}/cancel',
        // telemedicine counts and ranking: 403s in telemedicine.stats.test.ts and the Hisar cases above
        'GET /api/telemedicine/stats', 'GET /api/telemedicine/utilisation', 'GET /api/telemedicine/ranking',
        // consultation record, prescriptions, dispensing, stock, referrals, FHIR export: 403s in telemedicine.clinical.test.ts,
        // telemedicine.referrals.test.ts and telemedicine.fhir.test.ts, stock and referral lists in the Hisar cases above
        'PUT /api/telemedicine/requests/{id}/consultation', 'GET /api/telemedicine/requests/{id}/consultation', 'GET /api/telemedicine/formulary',
        'POST /api/telemedicine/requests/{id}/prescriptions', 'GET /api/telemedicine/prescriptions/{id}', 'GET /api/telemedicine/prescriptions/{id}.pdf',
        'POST /api/telemedicine/prescriptions/{id}/dispense', 'GET /api/telemedicine/stock', 'PUT /api/telemedicine/stock',
        'GET /api/telemedicine/requests/{id}/fhir', 'GET /api/patients/{id}/consultations', 'POST /api/referrals', 'GET /api/referrals', 'POST /api/referrals/{id}/status',
        // ambulances (outside the district: 403 to register, 404 to read or change; roles without the permission 403): ambulances.test.ts
        'POST /api/ambulances', 'GET /api/ambulances', 'GET /api/ambulances/{id}', 'PATCH /api/ambulances/{id}', 'GET /api/ambulances/nearest',
        // ambulance events (vehicles based in the caller's area; another district's vehicle 404, roles without can_read_ambulances 403): ambulances.events.test.ts
        'GET /api/ambulances/events', 'GET /api/ambulances/{id}/events',
        // the live map (the caller's area only; another district's vehicles and calls never sent): ambulances.stream.test.ts
        'GET /api/ambulances/live',
        // crew on shift (another base's operator or district 404, roles without the permission 403), device keys (the same),
        // population norms (another state 403, district officers their own district): ambulances.crew.test.ts, .keys.test.ts, .norms.test.ts
        'GET /api/ambulances/{id}/crew', 'PUT /api/ambulances/{id}/crew', 'POST /api/ambulances/{id}/device-key', 'DELETE /api/ambulances/{id}/device-key',
        'GET /api/ambulances/norms', 'PUT /api/ambulances/norms/population', 'POST /api/ambulances/norms/population/import',
        // public on purpose (GPS devices: the device id is the key; unknown device 400; body limits): ambulances.test.ts
        'GET /api/positions/osmand', 'POST /api/positions/osmand', 'POST /api/positions',
        // dispatch (a place outside the area 403; another area's call or trip 404; the crew's base and the receiving facility only theirs): dispatch/dispatch.test.ts
        'POST /api/dispatch/calls', 'GET /api/dispatch/calls', 'GET /api/dispatch/calls/{id}', 'POST /api/dispatch/calls/{id}/assign', 'POST /api/dispatch/calls/{id}/cancel',
        'POST /api/dispatch/trips/{id}/steps', 'POST /api/dispatch/trips/{id}/decline', 'GET /api/dispatch/incoming', 'POST /api/dispatch/trips/{id}/acknowledge',
        // response times, ranking and targets of 108/102: the Hisar cases above, and 403s in dispatch/stats/stats.test.ts
        'GET /api/dispatch/response-times', 'GET /api/dispatch/response-times/monthly', 'GET /api/dispatch/ranking', 'GET /api/dispatch/targets', 'PUT /api/dispatch/targets',
        // the 104 helpline (another state's call or transfer 404, its lists never shown; roles without the permission 403): helpline/helpline.test.ts
        'GET /api/helpline/protocols', 'GET /api/helpline/callers', 'POST /api/helpline/calls', 'GET /api/helpline/calls', 'GET /api/helpline/calls/{id}',
        'POST /api/helpline/calls/{id}/place', 'GET /api/helpline/transfers', 'POST /api/helpline/transfers/{id}/claim', 'POST /api/helpline/transfers/{id}/close',
        'GET /api/helpline/outbound/pregnancies-due', 'POST /api/helpline/outbound',
        // grievances (another district's ticket 404, another district or state named 403, a facility only what is routed to it;
        // the public side needs a code to the ticket's mobile): grievances/grievances.test.ts and route-role.test.ts
        'POST /api/grievances', 'GET /api/grievances', 'GET /api/grievances/figures', 'GET /api/grievances/notifications', 'GET /api/grievances/settings',
        'PUT /api/grievances/settings/{type}', 'GET /api/grievances/calendar', 'PUT /api/grievances/calendar', 'GET /api/grievances/{ticketNumber}',
        ...['assign', 'start', 'reply', 'notes', 'wait', 'interim', 'resolve', 'close', 'reopen', 'attachments'].map((a) => `POST /api/grievances/{ticketNumber}/${a}`),
        'GET /api/grievances/{ticketNumber}/attachments/{id}', 'POST /api/public/grievances/otp', 'POST /api/public/grievances', 'GET /api/public/grievances/figures', 'GET /api/public/grievances/facilities',
        'GET /api/public/grievances/{ticketNumber}', ...['information', 'reopen', 'rating', 'attachments'].map((a) => `POST /api/public/grievances/{ticketNumber}/${a}`),
        // ASHA incentives (a sub-centre, block or district outside the area 403; the wrong block's verifier or accountant 403;
        // an ASHA only her own claims; the catalogue shared): asha/asha.test.ts and route-role.test.ts
        'POST /api/asha/workers', 'GET /api/asha/workers', 'POST /api/asha/workers/import', 'GET /api/asha/activities', 'POST /api/asha/activities/{code}/rates',
        'POST /api/asha/claims', 'GET /api/asha/claims', 'GET /api/asha/claims/mine', ...['recommend', 'approve', 'reject', 'resubmit'].map((a) => `POST /api/asha/claims/{id}/${a}`),
        'POST /api/asha/batches', 'GET /api/asha/batches', 'GET /api/asha/batches/{id}', 'GET /api/asha/batches/{id}/file', 'POST /api/asha/batches/{id}/returns', 'GET /api/asha/timeliness',
        // escalation notices (another block's or district's officer sees none and marks none, 404; other roles 403): asha/asha.test.ts and route-role.test.ts
        'GET /api/asha/notices', 'POST /api/asha/notices/{id}/seen',
        // the state family register (another district's officer 403 on import, nothing in lists; care roles 403): registers/registers.test.ts and route-role.test.ts
        'POST /api/families/import', 'GET /api/families', 'GET /api/families/panchayats', 'GET /api/families/matches', 'POST /api/families/matches/{id}/confirm', 'POST /api/families/matches/{id}/reject',
        // Didi ki Rasoi (a hospital or district outside the area 403; another area's kitchen 404; roles without the permission 403):
        // kitchens/kitchens.test.ts and route-role.test.ts
        'POST /api/kitchens', 'GET /api/kitchens', 'POST /api/kitchens/rates', 'GET /api/kitchens/rates', 'GET /api/kitchens/{id}', 'POST /api/kitchens/{id}/days',
        'GET /api/kitchens/{id}/days', 'GET /api/kitchens/{id}/bills', ...['submit', 'approve', 'pay'].map((a) => `POST /api/kitchens/{id}/bills/{month}/${a}`),
        // HIMCARE (another area's family, card or claim 404; another hospital's claim 403; roles without the permission 403;
        // users of another state than the scheme's 403 on every write): schemes/schemes.test.ts, schemes/schemes.claims.test.ts and route-role.test.ts
        ...['setup', 'categories', 'packages', 'hospitals', 'enrolments', 'claims'].map((r) => `POST /api/schemes/{scheme}/${r}`),
        ...['setup', 'hospitals', 'enrolments', 'enrolments/{id}', 'cards/{file}', 'claims', 'claims/{id}'].map((r) => `GET /api/schemes/{scheme}/${r}`),
        ...['enrolments/{id}/renew', 'enrolments/{id}/members', 'enrolments/{id}/members/{patientId}/remove', 'claims/{id}/preauth', 'claims/{id}/discharge', 'claims/{id}/settle'].map((r) => `POST /api/schemes/{scheme}/${r}`),
        // HIMCARE by panchayat (rows of the caller's area only; another district's officer sees none of Hisar; operators 403) and its
        // public figures (aggregates by district or block, rare diagnoses unnamed): schemes/schemes.claims.test.ts and route-role.test.ts
        'GET /api/schemes/{scheme}/coverage', 'GET /api/public/schemes/{scheme}/coverage',
        // the coverage map's shapes (the units of the caller's area; the public one districts or blocks) and outlines imported
        // within the caller's area (outside it not placed; without can_import_geo 403): schemes/schemes.map.test.ts and route-role.test.ts
        'GET /api/schemes/{scheme}/coverage/map', 'GET /api/public/schemes/{scheme}/coverage/map', 'POST /api/geo/boundaries',
        // a patient's in-patient episodes (those who may read the record; the hospital that wrote one 403): schemes/schemes.claims.test.ts and route-role.test.ts
        'GET /api/patients/{id}/admissions',
      ]);
      const routes = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>)
        .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
      const missing = routes.filter((r) => !covered.has(r));
      assert.deepEqual(missing, [], `routes not in the scope matrix: ${missing.join(', ')}`);
    });
  });
}
