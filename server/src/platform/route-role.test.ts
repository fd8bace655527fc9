import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { startTestApp, testEngines, type TestApp } from '../test/harness.js';
import { buildNetwork, inConsultation, type Network } from '../modules/telemedicine/telemedicine.clinical.fixture.js';
import { childRow, resolveOrgUnit } from '../modules/geo/geo.service.js';
import { ROLE_PERMISSIONS, ROLES, type Permission, type Role } from './roles.js';
import { EXPORT_TYPES } from '../modules/hmis/dhis2/dhis2.metadata.export.js';
import { todayIst } from './periods.js';

/**
 * Route × role, built from the OpenAPI document. A small Hisar (Haryana) world is made through the
 * API: facilities, a hub and spoke, a patient in consultation with a prescription and a referral, a
 * family, a pregnancy, a visit and a document. Then, for EVERY operation the document lists:
 *  - without a token: 401 (public operations are named below, each with its reason);
 *  - for a user of EVERY role posted in Himachal (state, Mandi district, a Mandi facility), the
 *    operation aimed at the Hisar world: 403 or 404, never the data (reference data that is the same
 *    for everyone is named below, each with its reason).
 * A new operation without a case here fails the test, so none can skip the check.
 */

/** Answer without a token, on purpose. */
const PUBLIC: Record<string, string> = {
  'GET /api/health': 'liveness',
  'POST /api/auth/login': 'signing in',
  'GET /api/public/districts': 'the LGD list',
  'GET /api/public/map': 'map settings (the tile server address), alike for everyone',
  'GET /api/public/schemes/{scheme}/coverage': 'a scheme\'s figures by district or block: counts and sums only, rare diagnoses left unnamed',
  'GET /api/public/schemes/{scheme}/coverage/map': 'the outlines (or district headquarters points) of the public figures\' districts or blocks: geography only',
  'POST /api/public/otp': 'registration from home: code-confirmed and rate-limited',
  'POST /api/public/patients': 'registration from home: needs the code sent to the mobile',
  'GET /api/public/telemedicine/opds': 'the list of OPDs open to citizens',
  'POST /api/public/telemedicine/otp': 'OPD from home: code-confirmed and rate-limited',
  'POST /api/public/telemedicine/requests': 'OPD from home: needs the code sent to the mobile',
  'POST /api/public/telemedicine/find': 'find my place: needs the code sent to the mobile (tries and codes limited)',
  'GET /api/public/telemedicine/requests/{id}': 'the waiting room: needs the booking\'s key',
  'GET /api/public/telemedicine/requests/{id}/events': 'the waiting room: needs the booking\'s key',
  'GET /api/public/telemedicine/requests/{id}/prescription.pdf': 'the prescription: needs the booking\'s key',
  'POST /api/public/telemedicine/requests/{id}/cancel': 'cancelling: needs the booking\'s key',
  'POST /api/public/grievances/otp': 'grievances from a phone: code-confirmed and rate-limited',
  'POST /api/public/grievances': 'filing a grievance: needs the code sent to the mobile',
  'GET /api/public/grievances/figures': 'grievance counts by district and month: no names, no text',
  'GET /api/public/grievances/facilities': 'names and types of a district\'s public facilities (the registry is public), for the form',
  'GET /api/public/grievances/{ticketNumber}': 'following one\'s grievance: needs a code sent to the ticket\'s mobile, or the token one gave',
  'POST /api/public/grievances/{ticketNumber}/information': 'one\'s grievance: needs a code sent to the ticket\'s mobile, or the token one gave',
  'POST /api/public/grievances/{ticketNumber}/reopen': 'one\'s grievance: needs a code sent to the ticket\'s mobile, or the token one gave',
  'POST /api/public/grievances/{ticketNumber}/rating': 'one\'s grievance: needs a code sent to the ticket\'s mobile, or the token one gave',
  'POST /api/public/grievances/{ticketNumber}/attachments': 'one\'s grievance: needs the token a code to the ticket\'s mobile gave',
  'GET /fhir/metadata': 'the FHIR capability statement',
  'GET /api/positions/osmand': 'GPS devices (OsmAnd): the device id is the key, an unknown one 400; stores a fix, reads nothing back',
  'POST /api/positions/osmand': 'GPS devices (OsmAnd form or Traccar Client JSON): the device id is the key; small body limit',
  'POST /api/positions': 'GPS devices\' buffered batches: each fix\'s device id is its key; body limit',
};

/** Signed-in operations that are about the caller or are reference data alike for every area. */
const NOT_AREA_BOUND: Record<string, string> = {
  'POST /api/auth/logout': 'the caller\'s own session',
  'GET /api/auth/me': 'the caller\'s own account',
  'GET /api/geo/units/{code}': 'LGD geography is public reference data',
  'GET /api/geo/units/{code}/children': 'LGD geography is public reference data',
  'GET /api/geo/units/{code}/places': 'LGD geography is public reference data (names and counts of places)',
  'GET /api/geo/boundaries': 'district outlines are public reference data',
  'GET /api/hmis/dataSets': 'the state\'s forms (metadata)',
  'POST /api/metadata': 'forms are metadata shared by every area, changed only by state-level managers',
  'PATCH /api/hmis/dataSets/{id}': 'a form\'s completion rules are metadata shared by every area, changed only by state-level managers',
  'GET /api/hmis/indicators': 'indicator definitions (metadata)',
  'GET /api/hmis/dataSets/{id}/form': 'a form\'s layout (metadata)',
  'GET /api/hmis/notifications': 'the caller\'s own notifications',
  'GET /api/hmis/analytics/favourites': 'the caller\'s own saved analytics selections',
  'PATCH /api/hmis/analytics/favourites/{id}': 'the caller\'s own favourite (another user\'s is 404); a new selection\'s place is checked as on saving',
  'DELETE /api/hmis/analytics/favourites/{id}': 'the caller\'s own favourite (another user\'s is 404)',
  'GET /api/surveillance/diseases': 'the IDSP disease list',
  'GET /api/codes/icd10': 'ICD-10 codes',
  'GET /api/telemedicine/specialties': 'the list of specialties',
  'GET /api/telemedicine/formulary': 'the medicine list',
  'GET /api/helpline/protocols': 'the helpline\'s built-in symptom protocols, alike for every state',
  'GET /api/telemedicine/ranking': 'the published national ranking of states (counts)',
  'GET /api/referrals/destinations': 'hospital names of the caller\'s own state',
  'GET /api/survey/assignments': 'the caller\'s own assignments',
  'GET /fhir/Organization': 'the facility directory (FHIR), searched within the caller\'s own area',
  'GET /fhir/Location': 'facility locations (FHIR), searched within the caller\'s own area',
  'GET /api/system/info': 'DHIS2\'s system info: API version, server date, calendar',
  'GET /api/asha/activities': 'the ASHA incentive catalogue: codes, names and amounts, alike for every area',
  'POST /api/asha/activities/{code}/rates': 'the incentive catalogue is shared reference data, its rates changed only by state-level managers',
  'GET /api/asha/claims/mine': 'the caller\'s own claims (an ASHA)',
  'POST /api/kitchens/rates': 'kitchen rates are the caller\'s own state\'s, set only at state level',
  'GET /api/kitchens/rates': 'the caller\'s own state\'s kitchen rates (amounts, no names)',
  'GET /api/schemes/{scheme}/setup': 'a scheme\'s set-up: cover, windows, categories, package rates (no names), alike for every area',
  'POST /api/schemes/{scheme}/setup': 'a scheme\'s set-up is shared reference data, changed only at state level and only by its own state (HIMCARE: Himachal; another state 403)',
  'POST /api/schemes/{scheme}/categories': 'a scheme\'s categories and premiums are shared reference data, changed only at state level and only by its own state (HIMCARE: Himachal; another state 403)',
  'POST /api/schemes/{scheme}/packages': 'a scheme\'s packages and rates are shared reference data, changed only at state level and only by its own state (HIMCARE: Himachal; another state 403)',
  // DHIS2's metadata API: the same forms, items and categories for every area (a data set's org units are the caller's area only).
  ...Object.fromEntries(EXPORT_TYPES.filter((type) => type !== 'organisationUnits')
    .flatMap((type) => [`GET /api/${type}`, `GET /api/${type}.json`, `GET /api/${type}.csv`, `GET /api/${type}/{id}`])
    .map((op) => [op, 'DHIS2 metadata, alike for every area'])),
};

interface Case {
  url: string; body?: unknown; contentType?: string;
  /**
   * Presence before access works across areas on purpose (a patient from anywhere may stand at the
   * counter): staff holding this permission may succeed; every other role must still be refused.
   */
  acrossAreasWith?: Permission;
  /**
   * A 200 that is still a refusal: a list or search scoped to the caller's own area with nothing of
   * Hisar in it, or an import summary (DHIS2's, the survey's) that stored nothing, row by row refused.
   */
  refusedIn200?: (body: any) => boolean;
}
type Cases = Record<string, Case>;

/** Himachal users of every role: the outsiders. */
function outsiderUnit(role: Role, n: Network): string | number {
  switch (role) {
    case 'admin': case 'state_officer': case 'helpline_agent': case 'citizen': return 'state:2';
    case 'facility_operator': case 'doctor': case 'cho': case 'ultrasound_operator': return n.mandiSpoke;
    default: return 22;
  }
}

const refused = (status: number) => status === 403 || status === 404;
/** An import summary that stored nothing and said why (conflicts). */
const storedNothing = (b: any) => b.importCount?.imported === 0 && b.importCount?.updated === 0 && b.conflicts?.length > 0;

for (const engine of testEngines()) {
  describe(`route × role from the OpenAPI document [${engine}]`, () => {
    let t: TestApp;
    let n: Network;
    let cases: Cases;
    let operations: string[];
    const outsiders = new Map<Role, string>();

    before(async () => {
      t = await startTestApp(engine);
      n = await buildNetwork(t);
      const c = await inConsultation(t, n, { name: 'Sunita Devi', nameHi: 'सुनीता देवी', age: 31 });
      const patient = c.patient.id as string;
      const ok = async (p: Promise<{ status: number; body: any }>, status = 201) => {
        const r = await p;
        assert.equal(r.status, status, JSON.stringify(r.body));
        return r.body;
      };
      const rx = await ok(t.req('POST', `/api/telemedicine/requests/${c.requestId}/prescriptions`, n.tok.doctor, { items: [{ code: 'paracetamol-500-tab', dose: '1 tablet', frequency: 'TDS', days: 3 }] }));
      const referral = await ok(t.req('POST', '/api/referrals', n.tok.doctor, { patientId: patient, requestId: c.requestId, toFacilityId: n.hospital, urgency: 'routine', reason: 'ECG and echo' }));
      const family = await ok(t.req('POST', '/api/families', n.tok.cho, { headPatientId: patient }));
      const other = await ok(t.req('POST', '/api/patients', n.tok.cho, { name: 'Ramesh Kumar', sex: 'male', age: 40, address: { district: 63 } }));
      // A Hisar family from the state's family register (modules/registers), its head sent to review (name only).
      const regBlock = await ok(t.req('POST', '/api/geo/units', t.adminToken, { parent: 'district:63', level: 'block', name: 'RR Register Block' }));
      const regGp = await ok(t.req('POST', '/api/geo/units', t.adminToken, { parent: regBlock.id, level: 'panchayat', name: 'RR Register GP' }));
      const regVillage = await ok(t.req('POST', '/api/geo/units', t.adminToken, { parent: regGp.id, level: 'village', name: 'RR Register Gaon' }));
      const registerCsv = `family_id,member_id,name,relation,sex,birth_year,village_id\nRR-HISAR-1,M1,Ramesh Kumar,head,M,1960,${regVillage.id}\n`;
      await ok(t.req('POST', '/api/families/import', t.adminToken, registerCsv, { 'content-type': 'text/csv' }), 200);
      const regMatch = (await ok(t.req('GET', '/api/families/matches?status=review', t.adminToken), 200)).items.find((i: any) => i.family.externalId === 'RR-HISAR-1');
      const pregnancy = await ok(t.req('POST', '/api/pregnancies', n.tok.cho, { patientId: patient }));
      const visit = await ok(t.req('POST', '/api/opd/visits', n.tok.cho, { patientId: patient, complaint: 'fever' }));
      const opdToken = await ok(t.req('POST', '/api/opd/registrations', n.tok.cho, { patientId: patient, department: 'general' }));
      const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
      const docRes = await t.app.inject({ method: 'POST', url: `/api/patients/${patient}/documents?title=report`, headers: { authorization: `Bearer ${n.tok.cho}`, 'content-type': 'application/pdf' }, payload: pdf });
      assert.equal(docRes.statusCode, 201, docRes.body);
      const documentId = JSON.parse(docRes.body).id as string;
      const fhirEncounter = await ok(t.req('POST', '/fhir/Encounter', n.tok.cho, { resourceType: 'Encounter', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' }, subject: { reference: `Patient/${patient}` } }, { 'content-type': 'application/fhir+json' }));
      const hospitalPatient = await ok(t.req('POST', '/api/patients', n.tok.hospital, { name: 'Meena', sex: 'female', age: 25, address: { district: 63 } }));
      const glass = await ok(t.req('POST', `/api/patients/${patient}/presence`, n.tok.doctor2, { method: 'break_glass', reason: 'unconscious at the gate, no card, no phone' }));
      const ambulance = await ok(t.req('POST', '/api/ambulances', t.adminToken, { registrationNumber: 'HR 39 RR 0108', service: '108', kind: 'BLS', baseFacilityId: n.hospital, deviceId: 'rr-device-0108' }));
      await ok(t.req('GET', '/api/positions/osmand?id=rr-device-0108&lat=29.16&lon=75.73'), 200);
      // A call in Hisar, the ambulance sent and on its way to the hospital (dispatch).
      const hisarDispatcher = (await t.userWith('dispatcher', 63)).token;
      const dispatchCall = await ok(t.req('POST', '/api/dispatch/calls', hisarDispatcher, { callerPhone: '9876543210', latitude: 29.15, longitude: 75.72, complaint: 'fall from a roof', service: '108' }));
      const trip = await ok(t.req('POST', `/api/dispatch/calls/${dispatchCall.id}/assign`, hisarDispatcher, {}), 200);
      for (const step of ['en_route', 'at_scene']) await ok(t.req('POST', `/api/dispatch/trips/${trip.tripId}/steps`, hisarDispatcher, { step }), 200);
      await ok(t.req('POST', `/api/dispatch/trips/${trip.tripId}/steps`, hisarDispatcher, { step: 'left_scene', destinationFacilityId: n.hospital }), 200);
      // The 104 helpline of Haryana: a call transferred to a doctor, an ambulance call waiting for a place, a caller registered by mobile.
      const haryanaAgent = (await t.userWith('helpline_agent', 'state:6')).token;
      const helplineTransfer = await ok(t.req('POST', '/api/helpline/calls', haryanaAgent, { callerMobile: '9812312345', language: 'hi', category: 'counselling', outcome: 'transferred', transferTo: 'doctor' }));
      const helplineWaiting = await ok(t.req('POST', '/api/helpline/calls', haryanaAgent, { callerMobile: '9812312346', language: 'hi', category: 'ambulance', complaint: 'fall', outcome: 'resolved' }));
      await ok(t.req('POST', '/api/patients', n.tok.hospital, { name: 'Bimla', sex: 'female', age: 50, mobile: '9812312347', address: { district: 63 } }));
      // A grievance about the Hisar hospital (modules/grievances).
      const grievance = (await ok(t.req('POST', '/api/grievances', t.adminToken, { mobile: '9812312349', type: 'service_refused', facilityId: n.hospital, description: 'turned away at the OPD' }))).ticketNumber as string;
      const merge = await ok(t.req('POST', `/api/patients/${other.id}/merge`, n.tok.cho, { into: patient, reason: 'the same man registered twice' }).then(async (r) => r.status === 200 ? { ...r, status: 201 } : r));

      const hisar = '63';
      const villageRow = childRow(await resolveOrgUnit(t.db.kysely, 'district:63'), 'village', 64101, 'Sarsod', 'सरसोद');
      await t.db.kysely.insertInto('org_units').values(villageRow).execute();
      const village = villageRow.id;
      const card = await ok(t.req('GET', `/api/patients/${patient}/card`, n.tok.cho), 200);
      const template = await t.app.inject({ method: 'GET', url: `/api/hmis/dataSets/HMIS_MONTHLY/template?orgUnit=${n.hub}&period=202411`, headers: { authorization: `Bearer ${n.tok.hubOperator}` } });
      assert.equal(template.statusCode, 200, template.body);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
      wb.getWorksheet('Return')!.eachRow((row, i) => { if (i >= 6 && String(row.getCell(1).value) === '1.1') row.getCell(5).value = 25; });
      const sheet = Buffer.from(await wb.xlsx.writeBuffer());
      const month = { dataSet: 'HMIS_MONTHLY', period: '202411', orgUnit: n.hub };
      const hisarUnit = (await resolveOrgUnit(t.db.kysely, 'district:63')).id;
      const hisarDoctor = (await t.userWith('doctor', n.hub)).username;
      /** An answer (JSON or CSV) naming nothing of Hisar: neither the district nor its hub. */
      const nothingOf = (b: unknown) => !JSON.stringify(b).includes(n.hub) && !JSON.stringify(b).includes(hisarUnit);
      // ASHA incentives in a Hisar block (modules/asha): an ASHA, her claim approved, a batch.
      const ashaBlock = (await ok(t.req('POST', '/api/geo/units', t.adminToken, { parent: 'district:63', level: 'block', name: 'RR Asha Block' }))).id as string;
      const ashaSc = (await ok(t.req('POST', '/api/facilities', t.adminToken, { name: 'RR SC', type: 'SC', ownership: 'public', system: 'allopathic', orgUnit: ashaBlock, latitude: 29.15, longitude: 75.72 }))).id as string;
      const ashaWorker = await ok(t.req('POST', '/api/asha/workers', t.adminToken, { name: 'RR Asha', mobile: '9812312360', subCentreId: ashaSc, bankAccount: '12345678901', ifsc: 'SBIN0001234', activeFrom: '2025-01-01' }));
      await ok(t.req('POST', `/api/users/${ashaWorker.username}/password`, t.adminToken, { password: 'Asha-Pass-2026!' }), 200);
      const ashaToken = await t.login(ashaWorker.username, 'Asha-Pass-2026!');
      const ashaDay = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      const ashaClaim = await ok(t.req('POST', '/api/asha/claims', ashaToken, { clientId: '6f1c1d2e-1111-4a4a-8b8b-000000000001', activityCode: '3.1.1.7.1', doneOn: ashaDay }));
      const ashaOpen = await ok(t.req('POST', '/api/asha/claims', ashaToken, { clientId: '6f1c1d2e-1111-4a4a-8b8b-000000000002', activityCode: '3.1.1.7.1', doneOn: ashaDay }));
      await ok(t.req('POST', `/api/asha/claims/${ashaClaim.id}/recommend`, t.adminToken, {}), 200);
      await ok(t.req('POST', `/api/asha/claims/${ashaClaim.id}/approve`, t.adminToken, {}), 200);
      const ashaBatch = await ok(t.req('POST', '/api/asha/batches', t.adminToken, { block: ashaBlock, month: '2099-12' }));
      // An escalation notice of the claim still open, for the block's officers (as asha.escalation.ts writes one).
      const ashaBlockPath = (await t.db.kysely.selectFrom('org_units').select('path').where('id', '=', ashaBlock).executeTakeFirstOrThrow()).path;
      const ashaNotice = await t.db.kysely.insertInto('asha_notices').values({ claim_id: ashaOpen.id, org_path: ashaBlockPath, level: 'mo', text: 'RR escalated', at: new Date() }).returning('id').executeTakeFirstOrThrow();
      const hisarAsha = (b: any) => !JSON.stringify(b).includes(ashaWorker.id) && !JSON.stringify(b).includes(ashaBlock);
      // A Didi ki Rasoi kitchen at the Hisar hospital (modules/kitchens): a day entered, October's bill submitted.
      const kitchen = await ok(t.req('POST', '/api/kitchens', t.adminToken, { hospitalId: n.hospital, groupName: 'RR Jeevika SHG', members: [{ name: 'Rani Devi' }], bankAccount: '123456789012', ifsc: 'SBIN0001234', startedOn: '2026-01-01' }));
      await ok(t.req('POST', `/api/kitchens/${kitchen.id}/days`, t.adminToken, { date: '2026-10-05', inpatients: 10, mealsServed: 40 }));
      await ok(t.req('POST', `/api/kitchens/${kitchen.id}/bills/2026-10/submit`, t.adminToken, {}), 200);
      // HIMCARE (modules/schemes): the Hisar hospital empanelled, the Hisar family enrolled and its card issued.
      await ok(t.req('POST', '/api/schemes/himcare/hospitals', t.adminToken, { hospitalId: n.hospital }));
      const himcare = await ok(t.req('POST', '/api/schemes/himcare/enrolments', t.adminToken, { familyId: family.id, category: 'free' }));
      const himcareClaim = await ok(t.req('POST', '/api/schemes/himcare/claims', t.adminToken, { cardNumber: himcare.cardNumber, memberPatientId: patient, hospitalId: n.hospital, packageCode: 'SG039C', admittedOn: todayIst(), amount: 20000, diagnosis: 'K80.2' }));
      cases = {
        'GET /api/users': { url: '/api/users?limit=200', refusedIn200: (b) => !JSON.stringify(b).includes(n.hub) && !b.items.some((u: any) => u.orgUnit?.lgdCode === 63) },
        'POST /api/users': { url: '/api/users', body: { username: `rr_${Date.now()}`, password: 'Good-Pass-1-long', role: 'doctor', orgUnit: n.hub } },
        'POST /api/geo/units': { url: '/api/geo/units', body: { parent: hisar, level: 'block', name: 'RR Block' } },
        'PATCH /api/geo/units/{code}': { url: `/api/geo/units/${village}`, body: { name: 'Sarsod Kalan' } },
        'POST /api/geo/boundaries': { url: '/api/geo/boundaries', body: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { Dist_LGD: 63 }, geometry: { type: 'Polygon', coordinates: [[[75.6, 29.1], [75.8, 29.1], [75.8, 29.3], [75.6, 29.1]]] } }] }, refusedIn200: (b) => b.stored === 0 && b.unplaced.length === 1 },
        'POST /api/geo/units/import': { url: '/api/geo/units/import?level=blocks', contentType: 'text/csv', body: 'S.No.,State Code,State Name,District Code,District Name,Block Code,Block Version,Block Name ,Block Name\n1,6,HARYANA,63,HISAR,492,1,UKLANA,\n' },
        'POST /api/users/{username}/password': { url: `/api/users/${hisarDoctor}/password`, body: { password: 'Bael-Jamun-Tulsi-8' } },
        'POST /api/users/{username}/deactivate': { url: `/api/users/${hisarDoctor}/deactivate` },
        'POST /api/users/{username}/activate': { url: `/api/users/${hisarDoctor}/activate` },
        'GET /api/audit': { url: `/api/audit?entityId=${patient}`, refusedIn200: (b) => b.items.length === 0 },
        // The outbox: messages of the caller's own area (none in Himachal); the public's codes, tied to no place, at country level only.
        'GET /api/messages': { url: '/api/messages?limit=200', refusedIn200: (b) => b.items.length === 0 },
        'GET /api/facilities': { url: `/api/facilities?district=${hisar}` },
        'POST /api/facilities': { url: '/api/facilities', body: { name: 'RR PHC', type: 'PHC', ownership: 'public', system: 'allopathic', orgUnit: hisar, latitude: 29.15, longitude: 75.72 } },
        'GET /api/facilities/points': { url: `/api/facilities/points?district=${hisar}` },
        'GET /api/facilities/summary': { url: `/api/facilities/summary?orgUnit=${hisar}` },
        'GET /api/facilities/{id}': { url: `/api/facilities/${n.hub}` },
        'PATCH /api/facilities/{id}': { url: `/api/facilities/${n.hub}`, body: { beds: 31 } },
        'DELETE /api/facilities/{id}': { url: `/api/facilities/${n.hub2}` },
        'POST /api/facilities/{id}/registration': { url: `/api/facilities/${n.hub}/registration`, body: {} },
        'POST /api/facilities/{id}/upgrades': { url: `/api/facilities/${n.hub}/upgrades`, body: { kind: 'beds', beds: 40, date: '2025-01-01' } },
        'POST /api/dataValueSets': { url: '/api/dataValueSets', body: { dataValues: [{ dataElement: 'AnyElement1', period: '202411', orgUnit: n.hub, value: '1' }] }, refusedIn200: storedNothing },
        // DHIS2's metadata API: org units of the caller's area only, in every form.
        'GET /api/metadata': { url: '/api/metadata?organisationUnits=true&dataSets=true&fields=id,organisationUnits', refusedIn200: nothingOf },
        'GET /api/metadata.json': { url: '/api/metadata.json?organisationUnits=true&dataSets=true&fields=id,organisationUnits', refusedIn200: nothingOf },
        'GET /api/organisationUnits': { url: '/api/organisationUnits?paging=false', refusedIn200: nothingOf },
        'GET /api/organisationUnits.json': { url: '/api/organisationUnits.json?paging=false', refusedIn200: nothingOf },
        'GET /api/organisationUnits.csv': { url: '/api/organisationUnits.csv', refusedIn200: nothingOf },
        'GET /api/organisationUnits/{id}': { url: `/api/organisationUnits/${n.hub}` },
        'GET /api/dataValueSets': { url: `/api/dataValueSets?dataSet=HMIS_MONTHLY&period=202411&orgUnit=${n.hub}` },
        'GET /api/dataValueSets.{format}': { url: `/api/dataValueSets.xml?dataSet=HMIS_MONTHLY&period=202411&orgUnit=${n.hub}` },
        'GET /api/completeDataSetRegistrations': { url: `/api/completeDataSetRegistrations?dataSet=HMIS_MONTHLY&period=202411&orgUnit=${hisar}&children=true` },
        'POST /api/completeDataSetRegistrations': { url: '/api/completeDataSetRegistrations', body: { completeDataSetRegistrations: [{ dataSet: 'HMIS_MONTHLY', period: '202411', organisationUnit: n.hub }] }, refusedIn200: storedNothing },
        'DELETE /api/completeDataSetRegistrations': { url: `/api/completeDataSetRegistrations?ds=HMIS_MONTHLY&pe=202411&ou=${n.hub}` },
        'GET /api/hmis/reporting-rates': { url: `/api/hmis/reporting-rates?dataSet=HMIS_MONTHLY&period=202411&orgUnit=${hisar}` },
        'GET /api/hmis/defaulters': { url: `/api/hmis/defaulters?dataSet=HMIS_MONTHLY&period=202411&orgUnit=${hisar}` },
        'POST /api/hmis/defaulters/reminders': { url: '/api/hmis/defaulters/reminders', body: { ...month, orgUnit: hisar } },
        'GET /api/hmis/returns': { url: `/api/hmis/returns?dataSet=HMIS_MONTHLY&period=202411&orgUnit=${hisar}` },
        'POST /api/hmis/returns/{action}': { url: '/api/hmis/returns/approve', body: month },
        'GET /api/hmis/returns/review': { url: `/api/hmis/returns/review?dataSet=HMIS_MONTHLY&period=202411&orgUnit=${n.hub}` },
        'POST /api/hmis/lock-exceptions': { url: '/api/hmis/lock-exceptions', body: { ...month, reason: 'late because of floods' } },
        'GET /api/hmis/analytics': { url: `/api/hmis/analytics?dx=HMIS_MONTHLY&pe=202411&ou=${hisar}` },
        'POST /api/hmis/analytics/favourites': { url: '/api/hmis/analytics/favourites', body: { name: 'Hisar by block', selection: { items: ['x'], indicators: [], preset: 'LAST_12_MONTHS', ou: hisar, level: 'block' } } },
        'GET /api/hmis/dataSets/{id}/template': { url: `/api/hmis/dataSets/HMIS_MONTHLY/template?orgUnit=${n.hub}&period=202411` },
        'POST /api/hmis/sheets': { url: '/api/hmis/sheets', body: sheet, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', refusedIn200: storedNothing },
        'GET /api/hmis/dataSets/{id}/history': { url: `/api/hmis/dataSets/HMIS_MONTHLY/history?orgUnit=${n.hub}&period=202411` },
        'GET /api/hmis/outliers': { url: `/api/hmis/outliers?dataSet=HMIS_MONTHLY&period=202411&orgUnit=${hisar}` },
        'POST /api/hmis/validation/run': { url: '/api/hmis/validation/run', body: month },
        'GET /api/hmis/validation/violations': { url: `/api/hmis/validation/violations?dataSet=HMIS_MONTHLY&period=202411&orgUnit=${hisar}` },
        'POST /api/surveillance/reports': { url: '/api/surveillance/reports', body: { orgUnit: n.hub, week: '2024W47', form: 'P', counts: [] } },
        'GET /api/surveillance/trends': { url: `/api/surveillance/trends?disease=P_MALARIA&orgUnit=${hisar}` },
        'GET /api/surveillance/rising': { url: `/api/surveillance/rising?orgUnit=${hisar}` },
        'GET /api/surveillance/burden': { url: `/api/surveillance/burden?disease=P_MALARIA&orgUnit=${hisar}` },
        'GET /api/surveillance/alerts': { url: `/api/surveillance/alerts?orgUnit=${hisar}` },
        'POST /api/patients': { url: '/api/patients', body: { name: 'Raj Kumar', sex: 'male', age: 30, address: { district: 63 }, facilityId: n.hub } },
        'GET /api/patients': { url: `/api/patients?q=Sunita&district=${hisar}` },
        'GET /api/patients/duplicates': { url: '/api/patients/duplicates?name=Sunita%20Devi&sex=female&age=31', refusedIn200: (b) => !JSON.stringify(b).includes(patient) },
        'GET /api/patients/{id}': { url: `/api/patients/${patient}` },
        'POST /api/patients/{id}/presence/code': { url: `/api/patients/${patient}/presence/code`, acrossAreasWith: 'can_search_patient' },
        'POST /api/patients/{id}/presence': { url: `/api/patients/${patient}/presence`, body: { method: 'break_glass', reason: 'brought in after a road accident' }, acrossAreasWith: 'can_search_patient' },
        'GET /api/break-glass': { url: `/api/break-glass?orgUnit=${hisar}&status=all` },
        'POST /api/break-glass/{id}/review': { url: `/api/break-glass/${glass.id}/review`, body: { note: 'checked with the hospital' } },
        'GET /api/patients/{id}/access-log': { url: `/api/patients/${patient}/access-log` },
        'GET /api/patients/{id}/card': { url: `/api/patients/${patient}/card` },
        'GET /api/patients/{id}/card.pdf': { url: `/api/patients/${patient}/card.pdf` },
        'POST /api/cards/resolve': { url: '/api/cards/resolve', body: { code: card.qr }, acrossAreasWith: 'can_search_patient' },
        'POST /api/families': { url: '/api/families', body: { headPatientId: hospitalPatient.id } },
        'GET /api/families/{id}': { url: `/api/families/${family.id}` },
        'POST /api/families/{id}/members': { url: `/api/families/${family.id}/members`, body: { patientId: hospitalPatient.id, relation: 'daughter' } },
        'GET /api/families': { url: `/api/families?panchayat=${regGp.id}` },
        'GET /api/families/panchayats': { url: '/api/families/panchayats', refusedIn200: (b) => !JSON.stringify(b).includes(regGp.id) },
        'POST /api/families/import': { url: '/api/families/import', contentType: 'text/csv', body: registerCsv },
        'GET /api/families/matches': { url: '/api/families/matches?limit=200', refusedIn200: (b) => !JSON.stringify(b).includes('RR-HISAR-1') },
        'POST /api/families/matches/{id}/confirm': { url: `/api/families/matches/${regMatch.id}/confirm`, body: { patientId: other.id } },
        'POST /api/families/matches/{id}/reject': { url: `/api/families/matches/${regMatch.id}/reject`, body: {} },
        'POST /api/patients/{id}/merge': { url: `/api/patients/${hospitalPatient.id}/merge`, body: { into: patient, reason: 'the same woman registered twice' } },
        'POST /api/patients/merges/{id}/undo': { url: `/api/patients/merges/${merge.mergeId ?? merge.id}/undo` },
        'PATCH /api/patients/{id}': { url: `/api/patients/${patient}`, body: { version: '1', name: 'Sunita Kumari' } },
        'GET /api/patients/{id}/merges': { url: `/api/patients/${patient}/merges` },
        'POST /api/opd/visits': { url: '/api/opd/visits', body: { patientId: patient, facilityId: n.spoke, complaint: 'cough' } },
        'GET /api/patients/{id}/visits': { url: `/api/patients/${patient}/visits` },
        'GET /api/patients/{id}/admissions': { url: `/api/patients/${patient}/admissions` },
        'POST /api/patients/{id}/documents': { url: `/api/patients/${patient}/documents?title=x`, body: pdf, contentType: 'application/pdf' },
        'GET /api/patients/{id}/documents': { url: `/api/patients/${patient}/documents` },
        'GET /api/documents/{id}': { url: `/api/documents/${documentId}` },
        'POST /api/survey/sync': { url: '/api/survey/sync', body: { households: [{ clientId: 'rr-1', area: village, addressLine: 'House 1', recordedAt: '2026-11-20T10:15:00+05:30', members: [{ name: 'Ramphal', sex: 'male', age: 52, relation: 'head' }] }] }, refusedIn200: (b) => b.results.every((x: any) => x.status === 'refused') },
        'POST /api/survey/assignments': { url: '/api/survey/assignments', body: { username: 'admin', area: hisar } },
        'GET /api/survey/coverage': { url: `/api/survey/coverage?orgUnit=${hisar}` },
        'POST /api/opd/registrations': { url: '/api/opd/registrations', body: { patientId: patient, facilityId: n.spoke, department: 'general' } },
        'GET /api/opd/queue': { url: `/api/opd/queue?facilityId=${n.spoke}` },
        'POST /api/opd/registrations/{id}/status': { url: `/api/opd/registrations/${opdToken.id}/status`, body: { status: 'called' } },
        'POST /api/pregnancies': { url: '/api/pregnancies', body: { patientId: hospitalPatient.id, facilityId: n.hospital } },
        'POST /api/pregnancies/{id}/close': { url: `/api/pregnancies/${pregnancy.registrationNumber}/close`, body: { reason: 'delivered' } },
        'POST /api/ultrasounds': { url: '/api/ultrasounds', body: { registrationNumber: pregnancy.registrationNumber, facilityId: n.hospital } },
        'GET /api/ultrasounds/summary': { url: `/api/ultrasounds/summary?orgUnit=${hisar}` },
        'GET /api/patients/{id}/pregnancies': { url: `/api/patients/${patient}/pregnancies` },
        'GET /api/patients/{id}/family': { url: `/api/patients/${patient}/family` },
        'GET /api/ultrasounds/checks': { url: `/api/ultrasounds/checks?facilityId=${n.hospital}` },
        'POST /fhir/': { url: '/fhir/', contentType: 'application/fhir+json', body: { resourceType: 'Bundle', type: 'transaction', entry: [{ fullUrl: `Patient/${patient}`, resource: { resourceType: 'Patient', id: patient, name: [{ text: 'Sunita Devi' }], gender: 'female', birthDate: '1995-01-01' }, request: { method: 'PUT', url: `Patient/${patient}` } }] } },
        'GET /fhir/Patient': { url: '/fhir/Patient?name=Sunita', refusedIn200: (b) => !(b.entry ?? []).length },
        'POST /fhir/Patient': { url: '/fhir/Patient', contentType: 'application/fhir+json', body: { resourceType: 'Patient', name: [{ text: 'Raj' }], gender: 'male', birthDate: '1990-01-01', managingOrganization: { reference: `Organization/${n.hub}` } } },
        'GET /fhir/Patient/{id}': { url: `/fhir/Patient/${patient}` },
        'PUT /fhir/Patient/{id}': { url: `/fhir/Patient/${patient}`, contentType: 'application/fhir+json', body: { resourceType: 'Patient', id: patient, name: [{ text: 'Sunita Devi' }], gender: 'female', birthDate: '1995-01-01' } },
        'GET /fhir/Organization/{id}': { url: `/fhir/Organization/${n.hub}` },
        'GET /fhir/Location/{id}': { url: `/fhir/Location/${n.hub}` },
        'GET /fhir/{type}': { url: `/fhir/Encounter?subject=Patient/${patient}` },
        'POST /fhir/{type}': { url: '/fhir/Encounter', contentType: 'application/fhir+json', body: { resourceType: 'Encounter', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' }, subject: { reference: `Patient/${patient}` } } },
        'GET /fhir/{type}/{id}': { url: `/fhir/Encounter/${fhirEncounter.id}` },
        'GET /fhir/{type}/{id}/_history': { url: `/fhir/Encounter/${fhirEncounter.id}/_history` },
        'GET /fhir/{type}/{id}/_history/{vid}': { url: `/fhir/Encounter/${fhirEncounter.id}/_history/1` },
        'PUT /fhir/{type}/{id}': { url: `/fhir/Encounter/${fhirEncounter.id}`, contentType: 'application/fhir+json', body: { resourceType: 'Encounter', id: fhirEncounter.id, status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' }, subject: { reference: `Patient/${patient}` } } },
        'DELETE /fhir/{type}/{id}': { url: `/fhir/Encounter/${fhirEncounter.id}` },
        'GET /api/telemedicine/hubs': { url: `/api/telemedicine/hubs?spokeId=${n.spoke}` },
        'GET /api/telemedicine/hubs/{id}': { url: `/api/telemedicine/hubs/${n.hub}` },
        'GET /api/telemedicine/hubs/events': { url: `/api/telemedicine/hubs/events?spokeId=${n.spoke}` },
        'PUT /api/telemedicine/hubs/{id}/specialties': { url: `/api/telemedicine/hubs/${n.hub}/specialties`, body: { items: [{ specialty: 'general_medicine' }] } },
        'POST /api/telemedicine/links': { url: '/api/telemedicine/links', body: { spokeId: n.spoke, hubId: n.hub2 } },
        'DELETE /api/telemedicine/links': { url: `/api/telemedicine/links?spokeId=${n.spoke}&hubId=${n.hub}` },
        'POST /api/telemedicine/doctors': { url: '/api/telemedicine/doctors', body: { username: 'admin', hubId: n.hub, specialties: ['general_medicine'] } },
        'PUT /api/telemedicine/equipment/{id}': { url: `/api/telemedicine/equipment/${n.hub}`, body: { items: [{ kind: 'desktop', installed: 1 }] } },
        'GET /api/telemedicine/readiness': { url: `/api/telemedicine/readiness?area=${hisar}` },
        'GET /api/telemedicine/rosters': { url: `/api/telemedicine/rosters?hubId=${n.hub}` },
        'POST /api/telemedicine/rosters': { url: '/api/telemedicine/rosters', body: { hubId: n.hub, specialty: 'general_medicine', username: 'admin', weekday: 1, starts: '09:00', ends: '10:00' } },
        'DELETE /api/telemedicine/rosters/{id}': { url: '/api/telemedicine/rosters/Zz000000000' },
        'POST /api/telemedicine/duty': { url: '/api/telemedicine/duty', body: { hubId: n.hub, specialty: 'general_medicine', status: 'online' } },
        'POST /api/telemedicine/requests': { url: '/api/telemedicine/requests', body: { patientId: patient, spokeId: n.spoke, hubId: n.hub, specialty: 'general_medicine', complaint: 'headache' } },
        'GET /api/telemedicine/requests': { url: `/api/telemedicine/requests?spokeId=${n.spoke}` },
        'GET /api/telemedicine/requests/{id}': { url: `/api/telemedicine/requests/${c.requestId}` },
        'GET /api/telemedicine/requests/{id}/events': { url: `/api/telemedicine/requests/${c.requestId}/events` },
        'POST /api/telemedicine/next': { url: '/api/telemedicine/next', body: { hubId: n.hub, specialty: 'general_medicine' } },
        'POST /api/telemedicine/requests/{id}/start': { url: `/api/telemedicine/requests/${c.requestId}/start` },
        'POST /api/telemedicine/requests/{id}/no-answer': { url: `/api/telemedicine/requests/${c.requestId}/no-answer` },
        'POST /api/telemedicine/requests/{id}/complete': { url: `/api/telemedicine/requests/${c.requestId}/complete` },
        'POST /api/telemedicine/requests/{id}/cancel': { url: `/api/telemedicine/requests/${c.requestId}/cancel` },
        'GET /api/telemedicine/queue': { url: `/api/telemedicine/queue?hubId=${n.hub}` },
        'GET /api/telemedicine/stats': { url: `/api/telemedicine/stats?from=2025-01-01&to=2025-01-31&orgUnit=${hisar}` },
        'GET /api/telemedicine/utilisation': { url: `/api/telemedicine/utilisation?from=2025-01-01&to=2025-01-31&hubId=${n.hub}` },
        'PUT /api/telemedicine/requests/{id}/consultation': { url: `/api/telemedicine/requests/${c.requestId}/consultation`, body: { notes: 'seen' } },
        'GET /api/telemedicine/requests/{id}/consultation': { url: `/api/telemedicine/requests/${c.requestId}/consultation` },
        'POST /api/telemedicine/requests/{id}/prescriptions': { url: `/api/telemedicine/requests/${c.requestId}/prescriptions`, body: { items: [{ code: 'ors-sachet', dose: '1 sachet', frequency: 'OD', days: 2 }] } },
        'GET /api/telemedicine/prescriptions/{id}': { url: `/api/telemedicine/prescriptions/${rx.id}` },
        'GET /api/telemedicine/prescriptions/{id}.pdf': { url: `/api/telemedicine/prescriptions/${rx.id}.pdf` },
        'POST /api/telemedicine/prescriptions/{id}/dispense': { url: `/api/telemedicine/prescriptions/${rx.id}/dispense`, body: { items: [{ itemId: rx.items?.[0]?.id ?? 'x', quantity: 1 }] } },
        'GET /api/telemedicine/stock': { url: `/api/telemedicine/stock?facilityId=${n.spoke}` },
        'PUT /api/telemedicine/stock': { url: '/api/telemedicine/stock', body: { facilityId: n.spoke, items: [{ code: 'ors-sachet', quantity: 5 }] } },
        'GET /api/telemedicine/requests/{id}/fhir': { url: `/api/telemedicine/requests/${c.requestId}/fhir` },
        'GET /api/patients/{id}/consultations': { url: `/api/patients/${patient}/consultations` },
        'POST /api/referrals': { url: '/api/referrals', body: { patientId: patient, toFacilityId: n.hospital, urgency: 'urgent', reason: 'Suspected pneumonia; needs an X-ray' } },
        'GET /api/referrals': { url: `/api/referrals?direction=incoming&facilityId=${n.hospital}` },
        'POST /api/referrals/{id}/status': { url: `/api/referrals/${referral.id}/status`, body: { status: 'acknowledged' } },
        'POST /api/ambulances': { url: '/api/ambulances', body: { registrationNumber: 'HR 39 RR 0102', service: '102', kind: 'PTV', baseFacilityId: n.hospital, deviceId: 'rr-device-0102' } },
        'GET /api/ambulances': { url: '/api/ambulances?limit=200', refusedIn200: (b) => !b.items.some((a: any) => a.id === ambulance.id) },
        'GET /api/ambulances/{id}': { url: `/api/ambulances/${ambulance.id}` },
        'GET /api/ambulances/nearest': { url: '/api/ambulances/nearest?latitude=29.15&longitude=75.72&service=108', refusedIn200: (b) => !b.items.some((a: any) => a.id === ambulance.id) },
        'GET /api/ambulances/live': { url: '/api/ambulances/live', refusedIn200: (b) => !b.vehicles.some((a: any) => a.id === ambulance.id) },
        'PATCH /api/ambulances/{id}': { url: `/api/ambulances/${ambulance.id}`, body: { status: 'off_road' } },
        'POST /api/dispatch/calls': { url: '/api/dispatch/calls', body: { callerPhone: '9876543210', latitude: 29.15, longitude: 75.72, complaint: 'chest pain', service: '108' } },
        'GET /api/dispatch/calls': { url: '/api/dispatch/calls?status=all&limit=200', refusedIn200: (b) => !b.items.some((c: any) => c.id === dispatchCall.id) },
        'GET /api/dispatch/calls/{id}': { url: `/api/dispatch/calls/${dispatchCall.id}` },
        'POST /api/dispatch/calls/{id}/assign': { url: `/api/dispatch/calls/${dispatchCall.id}/assign`, body: {} },
        'POST /api/dispatch/calls/{id}/cancel': { url: `/api/dispatch/calls/${dispatchCall.id}/cancel`, body: { reason: 'duplicate' } },
        'POST /api/dispatch/trips/{id}/steps': { url: `/api/dispatch/trips/${trip.tripId}/steps`, body: { step: 'at_hospital' } },
        'POST /api/dispatch/trips/{id}/decline': { url: `/api/dispatch/trips/${trip.tripId}/decline`, body: { reason: 'no crew' } },
        'GET /api/dispatch/incoming': { url: '/api/dispatch/incoming', refusedIn200: (b) => !b.items.some((x: any) => x.tripId === trip.tripId) },
        'POST /api/dispatch/trips/{id}/acknowledge': { url: `/api/dispatch/trips/${trip.tripId}/acknowledge` },
        'GET /api/dispatch/response-times': { url: '/api/dispatch/response-times?district=63' },
        'GET /api/dispatch/response-times/monthly': { url: '/api/dispatch/response-times/monthly?district=63' },
        'GET /api/dispatch/ranking': { url: '/api/dispatch/ranking?state=6' },
        'GET /api/dispatch/targets': { url: '/api/dispatch/targets?state=6' },
        'PUT /api/dispatch/targets': { url: '/api/dispatch/targets', body: { state: '6', items: [{ service: '108', area: 'urban', callToSceneMinutes: 25 }] } },
        'GET /api/ambulances/events': { url: '/api/ambulances/events?limit=200', refusedIn200: (b) => !b.items.some((e: any) => e.ambulanceId === ambulance.id) },
        'GET /api/ambulances/{id}/events': { url: `/api/ambulances/${ambulance.id}/events` },
        'GET /api/ambulances/{id}/crew': { url: `/api/ambulances/${ambulance.id}/crew` },
        'PUT /api/ambulances/{id}/crew': { url: `/api/ambulances/${ambulance.id}/crew`, body: { from: new Date().toISOString(), to: new Date(Date.now() + 8 * 3_600_000).toISOString(), driver: { name: 'Ramesh Kumar', mobile: '9876543210' } } },
        'POST /api/ambulances/{id}/device-key': { url: `/api/ambulances/${ambulance.id}/device-key` },
        'DELETE /api/ambulances/{id}/device-key': { url: `/api/ambulances/${ambulance.id}/device-key` },
        'GET /api/ambulances/norms': { url: '/api/ambulances/norms?state=6' },
        'PUT /api/ambulances/norms/population': { url: '/api/ambulances/norms/population', body: { districtId: 63, population: 1743931, year: 2011 } },
        'GET /api/helpline/callers': { url: '/api/helpline/callers?mobile=9812312347', refusedIn200: (b) => b.items.length === 0 },
        'POST /api/helpline/calls': { url: '/api/helpline/calls', body: { callerMobile: '9812312348', language: 'hi', category: 'ambulance', complaint: 'fall', latitude: 29.15, longitude: 75.72, outcome: 'resolved' } },
        'GET /api/helpline/calls': { url: '/api/helpline/calls?limit=200', refusedIn200: (b) => !b.items.some((c: any) => c.id === helplineTransfer.id) },
        'GET /api/helpline/calls/{id}': { url: `/api/helpline/calls/${helplineTransfer.id}` },
        'POST /api/helpline/calls/{id}/place': { url: `/api/helpline/calls/${helplineWaiting.id}/place`, body: { latitude: 29.15, longitude: 75.72 } },
        'GET /api/helpline/transfers': { url: '/api/helpline/transfers', refusedIn200: (b) => !b.items.some((x: any) => x.id === helplineTransfer.transfer.id) },
        'POST /api/helpline/transfers/{id}/claim': { url: `/api/helpline/transfers/${helplineTransfer.transfer.id}/claim` },
        'POST /api/helpline/transfers/{id}/close': { url: `/api/helpline/transfers/${helplineTransfer.transfer.id}/close`, body: { note: 'called back' } },
        'GET /api/helpline/outbound/pregnancies-due': { url: '/api/helpline/outbound/pregnancies-due?risk=all', refusedIn200: (b) => !b.items.some((x: any) => x.patientId === patient) },
        'POST /api/helpline/outbound': { url: '/api/helpline/outbound', body: { list: 'pregnancies_due', pregnancyId: pregnancy.id, result: 'reached' } },
        'POST /api/grievances': { url: '/api/grievances', body: { mobile: '9812312350', type: 'waiting', facilityId: n.hospital, description: 'three hours in the queue' } },
        'GET /api/grievances': { url: '/api/grievances?limit=200', refusedIn200: (b) => !b.items.some((x: any) => x.ticketNumber === grievance) },
        'GET /api/grievances/figures': { url: '/api/grievances/figures?district=63' },
        'GET /api/grievances/notifications': { url: '/api/grievances/notifications', refusedIn200: (b) => !b.items.some((x: any) => x.ticketNumber === grievance) },
        'GET /api/grievances/settings': { url: '/api/grievances/settings?state=6' },
        'PUT /api/grievances/settings/{type}': { url: '/api/grievances/settings/waiting', body: { state: '6', level: 'facility', firstResponseDays: 3, resolutionDays: 21 } },
        'GET /api/grievances/calendar': { url: '/api/grievances/calendar?state=6' },
        'PUT /api/grievances/calendar': { url: '/api/grievances/calendar', body: { state: '6', add: [{ date: '2027-01-26', name: 'Republic Day' }] } },
        'GET /api/grievances/{ticketNumber}': { url: `/api/grievances/${grievance}` },
        'POST /api/grievances/{ticketNumber}/assign': { url: `/api/grievances/${grievance}/assign`, body: {} },
        'POST /api/grievances/{ticketNumber}/start': { url: `/api/grievances/${grievance}/start`, body: {} },
        'POST /api/grievances/{ticketNumber}/reply': { url: `/api/grievances/${grievance}/reply`, body: { message: 'looking into it' } },
        'POST /api/grievances/{ticketNumber}/notes': { url: `/api/grievances/${grievance}/notes`, body: { note: 'called the MO' } },
        'POST /api/grievances/{ticketNumber}/wait': { url: `/api/grievances/${grievance}/wait`, body: { message: 'which day?' } },
        'POST /api/grievances/{ticketNumber}/interim': { url: `/api/grievances/${grievance}/interim`, body: { reason: 'inquiry', extendDays: 3 } },
        'POST /api/grievances/{ticketNumber}/resolve': { url: `/api/grievances/${grievance}/resolve`, body: { resolution: 'the MO was warned' } },
        'POST /api/grievances/{ticketNumber}/close': { url: `/api/grievances/${grievance}/close`, body: {} },
        'POST /api/grievances/{ticketNumber}/reopen': { url: `/api/grievances/${grievance}/reopen`, body: { reason: 'not fixed' } },
        'POST /api/grievances/{ticketNumber}/attachments': { url: `/api/grievances/${grievance}/attachments`, body: pdf, contentType: 'application/pdf' },
        'GET /api/grievances/{ticketNumber}/attachments/{id}': { url: `/api/grievances/${grievance}/attachments/Zz000000000` },
        'POST /api/asha/workers': { url: '/api/asha/workers', body: { name: 'RR Asha Two', mobile: '9812312361', subCentreId: ashaSc, bankAccount: '12345678901', ifsc: 'SBIN0001234' } },
        'GET /api/asha/workers': { url: `/api/asha/workers?block=${ashaBlock}` },
        'POST /api/asha/workers/import': { url: '/api/asha/workers/import', contentType: 'text/csv', body: `name,mobile,sub_centre_id,bank_account,ifsc\nRR Asha Three,9812312362,${ashaSc},12345678901,SBIN0001234\n`, refusedIn200: (b) => b.created === 0 },
        'POST /api/asha/claims': { url: '/api/asha/claims', body: { clientId: '6f1c1d2e-1111-4a4a-8b8b-000000000009', activityCode: '3.1.1.7.1', doneOn: ashaDay } },
        'GET /api/asha/claims': { url: `/api/asha/claims?block=${ashaBlock}` },
        'POST /api/asha/claims/{id}/recommend': { url: `/api/asha/claims/${ashaOpen.id}/recommend`, body: {} },
        'POST /api/asha/claims/{id}/approve': { url: `/api/asha/claims/${ashaOpen.id}/approve`, body: { note: 'seen' } },
        'POST /api/asha/claims/{id}/reject': { url: `/api/asha/claims/${ashaOpen.id}/reject`, body: { reason: 'no form' } },
        'POST /api/asha/claims/{id}/resubmit': { url: `/api/asha/claims/${ashaOpen.id}/resubmit`, body: {} },
        'POST /api/asha/batches': { url: '/api/asha/batches', body: { block: ashaBlock, month: '2099-11' } },
        'GET /api/asha/batches': { url: `/api/asha/batches?block=${ashaBlock}`, refusedIn200: hisarAsha },
        'GET /api/asha/batches/{id}': { url: `/api/asha/batches/${ashaBatch.id}` },
        'GET /api/asha/batches/{id}/file': { url: `/api/asha/batches/${ashaBatch.id}/file` },
        'POST /api/asha/batches/{id}/returns': { url: `/api/asha/batches/${ashaBatch.id}/returns`, contentType: 'text/csv', body: `reference,status,reason,utr\n${ashaBatch.id}-00001,PAID,,UTR1\n` },
        'GET /api/asha/notices': { url: '/api/asha/notices', refusedIn200: (b) => !b.items.some((x: any) => x.claim.id === ashaOpen.id) },
        'POST /api/asha/notices/{id}/seen': { url: `/api/asha/notices/${ashaNotice.id}/seen`, body: {} },
        'GET /api/asha/timeliness': { url: '/api/asha/timeliness?district=63', refusedIn200: hisarAsha },
        'POST /api/kitchens': { url: '/api/kitchens', body: { hospitalId: n.hospital, groupName: 'RR SHG Two', members: [{ name: 'Sita' }], bankAccount: '123456789013', ifsc: 'SBIN0001234', startedOn: '2026-01-01' } },
        'GET /api/kitchens': { url: '/api/kitchens?district=63' },
        'GET /api/kitchens/{id}': { url: `/api/kitchens/${kitchen.id}` },
        'POST /api/kitchens/{id}/days': { url: `/api/kitchens/${kitchen.id}/days`, body: { date: '2026-11-05', inpatients: 10, mealsServed: 40 } },
        'GET /api/kitchens/{id}/days': { url: `/api/kitchens/${kitchen.id}/days?month=2026-10` },
        'GET /api/kitchens/{id}/bills': { url: `/api/kitchens/${kitchen.id}/bills?month=2026-10` },
        'POST /api/kitchens/{id}/bills/{month}/submit': { url: `/api/kitchens/${kitchen.id}/bills/2026-11/submit`, body: {} },
        'POST /api/kitchens/{id}/bills/{month}/approve': { url: `/api/kitchens/${kitchen.id}/bills/2026-10/approve`, body: {} },
        'POST /api/kitchens/{id}/bills/{month}/pay': { url: `/api/kitchens/${kitchen.id}/bills/2026-10/pay`, body: { reference: 'UTR123' } },
        'GET /api/schemes/{scheme}/coverage/map': { url: '/api/schemes/himcare/coverage/map?by=district', refusedIn200: (b) => !JSON.stringify(b).includes('Hisar') },
        'GET /api/schemes/{scheme}/coverage': { url: '/api/schemes/himcare/coverage?by=district', refusedIn200: (b) => b.totals.familiesEnrolled === 0 && !JSON.stringify(b).includes('Hisar') },
        'GET /api/schemes/{scheme}/hospitals': { url: '/api/schemes/himcare/hospitals', refusedIn200: (b) => !JSON.stringify(b).includes(n.hospital) },
        'POST /api/schemes/{scheme}/hospitals': { url: '/api/schemes/himcare/hospitals', body: { hospitalId: n.hub } },
        'POST /api/schemes/{scheme}/enrolments': { url: '/api/schemes/himcare/enrolments', body: { familyId: family.id, category: 'free' } },
        'GET /api/schemes/{scheme}/enrolments': { url: '/api/schemes/himcare/enrolments', refusedIn200: (b) => b.items.length === 0 },
        'GET /api/schemes/{scheme}/enrolments/{id}': { url: `/api/schemes/himcare/enrolments/${himcare.id}` },
        'POST /api/schemes/{scheme}/enrolments/{id}/renew': { url: `/api/schemes/himcare/enrolments/${himcare.id}/renew`, body: {} },
        'POST /api/schemes/{scheme}/enrolments/{id}/members': { url: `/api/schemes/himcare/enrolments/${himcare.id}/members`, body: { patientId: other.id } },
        'POST /api/schemes/{scheme}/enrolments/{id}/members/{patientId}/remove': { url: `/api/schemes/himcare/enrolments/${himcare.id}/members/${patient}/remove`, body: {} },
        'GET /api/schemes/{scheme}/cards/{file}': { url: `/api/schemes/himcare/cards/${himcare.cardNumber}.pdf` },
        'POST /api/schemes/{scheme}/claims': { url: '/api/schemes/himcare/claims', body: { cardNumber: himcare.cardNumber, memberPatientId: patient, hospitalId: n.hospital, packageCode: 'MG001A', admittedOn: todayIst(), amount: 5000, diagnosis: 'A09' } },
        'GET /api/schemes/{scheme}/claims': { url: '/api/schemes/himcare/claims', refusedIn200: (b) => b.items.length === 0 && b.dues.pending === 0 },
        'GET /api/schemes/{scheme}/claims/{id}': { url: `/api/schemes/himcare/claims/${himcareClaim.id}` },
        'POST /api/schemes/{scheme}/claims/{id}/preauth': { url: `/api/schemes/himcare/claims/${himcareClaim.id}/preauth`, body: { approve: true } },
        'POST /api/schemes/{scheme}/claims/{id}/discharge': { url: `/api/schemes/himcare/claims/${himcareClaim.id}/discharge`, body: { dischargedOn: todayIst() } },
        'POST /api/schemes/{scheme}/claims/{id}/settle': { url: `/api/schemes/himcare/claims/${himcareClaim.id}/settle`, body: { decision: 'approved' } },
        'POST /api/ambulances/norms/population/import': { url: '/api/ambulances/norms/population/import', contentType: 'text/csv', body: 'district_lgd_code,population,year\n63,1743931,2011\n' },
      };
      const doc = await t.req('GET', '/api/docs/json');
      operations = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>)
        .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
      for (const role of ROLES) outsiders.set(role, (await t.userWith(role, outsiderUnit(role, n))).token);
    });
    after(async () => { await t?.close(); });

    const send = (op: string, c: Case, token: string | null) => {
      const method = op.split(' ')[0];
      const payload = c.body === undefined ? undefined : Buffer.isBuffer(c.body) || typeof c.body === 'string' ? c.body : JSON.stringify(c.body);
      return t.app.inject({
        method: method as any, url: c.url, payload,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(payload !== undefined ? { 'content-type': c.contentType ?? 'application/json' } : {}) },
      });
    };

    test('every operation in the document has a case here, or a reason it needs none', () => {
      const missing = operations.filter((op) => !cases[op] && !PUBLIC[op] && !NOT_AREA_BOUND[op]);
      assert.deepEqual(missing, [], `operations without a route × role case: ${missing.join(', ')}`);
      const stale = Object.keys({ ...cases, ...PUBLIC, ...NOT_AREA_BOUND }).filter((op) => !operations.includes(op));
      assert.deepEqual(stale, [], `cases for operations the document no longer has: ${stale.join(', ')}`);
    });

    test('without a token, every operation but the public ones is 401', async () => {
      const wrong: string[] = [];
      for (const op of operations) {
        if (PUBLIC[op]) continue;
        const c = cases[op] ?? { url: op.split(' ')[1].replace(/\{[^}]+\}/g, 'X1') };
        const r = await send(op, c, null);
        if (r.statusCode !== 401) wrong.push(`${op} → ${r.statusCode}`);
      }
      assert.deepEqual(wrong, []);
    });

    test('every role posted in Himachal gets 403 or 404 for every operation aimed at Hisar', async () => {
      const wrong: string[] = [];
      let sent = 0;
      for (const role of ROLES) {
        const token = outsiders.get(role)!;
        for (const op of operations) {
          const c = cases[op];
          if (!c) continue;
          const r = await Promise.race([send(op, c, token), new Promise<null>((res) => setTimeout(() => res(null), 5000))]);
          sent++;
          if (!r) { wrong.push(`${role}: ${op} → no answer in 5 s (a stream opened?)`); continue; }
          if (refused(r.statusCode)) continue;
          // (or 429: the patient's number has had its codes for now)
          if (c.acrossAreasWith && ROLE_PERMISSIONS[role].includes(c.acrossAreasWith) && (r.statusCode < 300 || r.statusCode === 429)) continue;
          // Health records are never deleted (FHIR DELETE is 405 for everyone).
          if (op === 'DELETE /fhir/{type}/{id}' && r.statusCode === 405) continue;
          if (r.statusCode === 200 && c.refusedIn200?.(/json/.test(String(r.headers['content-type'])) ? JSON.parse(r.body) : r.body)) continue;
          wrong.push(`${role}: ${op} → ${r.statusCode} ${r.body.slice(0, 160)}`);
        }
      }
      console.log(`route × role [${engine}]: ${operations.length} operations, ${ROLES.length} roles, ${sent} requests from outside the area`);
      assert.deepEqual(wrong, [], `${wrong.length} operations answered outside the caller's area:\n${wrong.join('\n')}`);
    });
  });
}
