// Test support for the clinical telemedicine tests: a small network built through the API (a Hisar hub
// with a spoke and a doctor, a second hub with its own doctor, a Mandi spoke, a district hospital to
// refer to) and a patient brought into consultation through the core queue. Not a test file itself.
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { facilityBody, type TestApp } from '../../test/harness.js';
import { importIcdCodes } from '../patients/patients.visits.js';

export const ICD_LIST = 'code,title\nJ06,"Acute upper respiratory infections of multiple and unspecified sites"\nJ069,"Acute upper respiratory infection, unspecified"\nE11,"Type 2 diabetes mellitus"\nI10,"Essential (primary) hypertension"\nA09,"Infectious gastroenteritis and colitis, unspecified"\n';

export const DOCTOR = { registrationNumber: 'HMC-2011-48213', council: 'Haryana Medical Council', qualification: 'MBBS, MD (Medicine)', hprId: '71-4021-8834-1190', name: 'Anil Sharma', nameHi: 'अनिल शर्मा' };

export interface Network {
  hub: string; hub2: string; spoke: string; mandiSpoke: string; hospital: string; mandiHospital: string;
  tok: { doctor: string; doctor2: string; cho: string; mandiCho: string; hospital: string; mandiHospital: string; hisarDo: string; mandiDo: string; hubOperator: string };
  doctorId: string;
}

async function ok(p: Promise<{ status: number; body: any }>, status = 200) {
  const r = await p;
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
}

/** Builds the network through the API (as an admin would), with a user for each role. */
export async function buildNetwork(t: TestApp, opts: { icd?: boolean } = {}): Promise<Network> {
  if (opts.icd !== false) await importIcdCodes(t.db.kysely, ICD_LIST);
  const mk = async (o: Record<string, unknown>) => (await ok(t.req('POST', '/api/facilities', t.adminToken, facilityBody(o)), 201)).id as string;
  const hub = await mk({ name: 'CHC Barwala', type: 'CHC', hfrId: 'IN0610000123' });
  const hub2 = await mk({ name: 'CHC Uklana', type: 'CHC' });
  const spoke = await mk({ name: 'HWC Sarsod', type: 'SC' });
  const mandiSpoke = await mk({ name: 'HWC Kataula', type: 'SC', orgUnit: 22, latitude: 31.7, longitude: 77.0 });
  const hospital = await mk({ name: 'Civil Hospital Hisar', type: 'DH' });
  const mandiHospital = await mk({ name: 'Zonal Hospital Mandi', type: 'DH', orgUnit: 22, latitude: 31.7, longitude: 76.93 });
  for (const h of [hub, hub2]) await ok(t.req('PUT', `/api/telemedicine/hubs/${h}/specialties`, t.adminToken, { items: [{ specialty: 'general_medicine' }] }));
  await ok(t.req('POST', '/api/telemedicine/links', t.adminToken, { spokeId: spoke, hubId: hub }), 201);
  await ok(t.req('POST', '/api/telemedicine/links', t.adminToken, { spokeId: mandiSpoke, hubId: hub2 }), 201);
  const doctor = await t.userWith('doctor', hub);
  const doctor2 = await t.userWith('doctor', hub2);
  await ok(t.req('POST', '/api/telemedicine/doctors', t.adminToken, { username: doctor.username, hubId: hub, specialties: ['general_medicine'], ...DOCTOR }), 201);
  await ok(t.req('POST', '/api/telemedicine/doctors', t.adminToken, { username: doctor2.username, hubId: hub2, specialties: ['general_medicine'], name: 'Meena Rao', registrationNumber: 'HMC-2015-1002' }), 201);
  for (const [tok, h] of [[doctor.token, hub], [doctor2.token, hub2]]) {
    await ok(t.req('POST', '/api/telemedicine/duty', tok, { hubId: h, specialty: 'general_medicine', status: 'online' }));
  }
  return {
    hub, hub2, spoke, mandiSpoke, hospital, mandiHospital, doctorId: doctor.id,
    tok: {
      doctor: doctor.token, doctor2: doctor2.token,
      cho: (await t.userWith('cho', spoke)).token, mandiCho: (await t.userWith('cho', mandiSpoke)).token,
      hospital: (await t.userWith('facility_operator', hospital)).token, mandiHospital: (await t.userWith('facility_operator', mandiHospital)).token,
      hisarDo: (await t.userWith('district_officer', 63)).token, mandiDo: (await t.userWith('district_officer', 22)).token,
      hubOperator: (await t.userWith('facility_operator', hub)).token,
    },
  };
}

/** Registers a patient at the spoke, asks the hub for a consultation and has the doctor take and start it. */
export async function inConsultation(t: TestApp, n: Network, patient: Record<string, unknown> = {}, complaint = 'Fever and cough for three days') {
  const p = await ok(t.req('POST', '/api/patients', n.tok.cho, { name: 'Kamla Devi', nameHi: 'कमला देवी', sex: 'female', age: 52, mobile: '9812312345', address: { district: 63, line: 'Sarsod' }, ...patient }), 201);
  const r = await ok(t.req('POST', '/api/telemedicine/requests', n.tok.cho, { patientId: p.id, hubId: n.hub, specialty: 'general_medicine', complaint }), 201);
  const called = await ok(t.req('POST', '/api/telemedicine/next', n.tok.doctor, { hubId: n.hub, specialty: 'general_medicine' }));
  assert.equal(called.id, r.id, 'the doctor took this patient');
  await ok(t.req('POST', `/api/telemedicine/requests/${r.id}/start`, n.tok.doctor));
  return { patient: p, requestId: r.id as string };
}

/**
 * The text shown on a PDF's pages: content streams inflated, and the strings of the Latin fonts
 * (pdfkit writes them as hex) decoded. Devanagari runs are glyph ids and do not come back as text.
 */
export function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  let text = '';
  for (const m of raw.matchAll(/stream\r?\n/g)) {
    const start = m.index! + m[0].length;
    const end = raw.indexOf('endstream', start);
    let body: Buffer = Buffer.from(raw.slice(start, end), 'latin1');
    try { body = inflateSync(body); } catch { /* not compressed */ }
    for (const tj of body.toString('latin1').matchAll(/\[(.*?)\]\s*TJ/g)) {
      text += [...tj[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => Buffer.from(h[1], 'hex').toString('latin1')).join('') + '\n';
    }
  }
  return text;
}
