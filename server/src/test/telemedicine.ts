// A small hub-and-spoke network built through the API, for telemedicine tests and benchmarks.
import assert from 'node:assert/strict';
import { facilityBody, type TestApp } from './harness.js';

export interface TeleNetwork {
  hub: string;
  spoke: string;
  /** A CHO posted at the spoke. */
  cho: string;
  /** A hub manager (facility operator at the hub). */
  manager: string;
  doctors: { token: string; id: string; username: string }[];
}

/** A hub offering general medicine (also to patients at home) and paediatrics, a linked spoke, doctors on duty. */
export async function buildNetwork(t: Pick<TestApp, 'req' | 'adminToken' | 'userWith'>, opts: { doctors?: number; online?: boolean; district?: number } = {}): Promise<TeleNetwork> {
  const district = opts.district ?? 22;
  const mk = async (o: Record<string, unknown>) => {
    const r = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ orgUnit: district, ...o }));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id as string;
  };
  const hub = await mk({ name: `PHC Nerchowk ${Math.random().toString(36).slice(2, 6)}` });
  const spoke = await mk({ name: `HWC Sub Centre ${Math.random().toString(36).slice(2, 6)}`, type: 'SC' });
  const manager = (await t.userWith('facility_operator', hub)).token;
  let r = await t.req('PUT', `/api/telemedicine/hubs/${hub}/specialties`, manager, { items: [{ specialty: 'general_medicine', homeOpd: true }, { specialty: 'paediatrics' }] });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await t.req('POST', '/api/telemedicine/links', t.adminToken, { spokeId: spoke, hubId: hub });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const cho = (await t.userWith('cho', spoke)).token;
  const doctors: TeleNetwork['doctors'] = [];
  for (let i = 0; i < (opts.doctors ?? 2); i++) {
    const d = await t.userWith('doctor', hub);
    r = await t.req('POST', '/api/telemedicine/doctors', manager, { username: d.username, hubId: hub, specialties: ['general_medicine', 'paediatrics'], name: `Dr. Test ${i + 1}`, registrationNumber: `HPMC-${1000 + i}` });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    if (opts.online ?? true) {
      r = await t.req('POST', '/api/telemedicine/duty', d.token, { hubId: hub, specialty: 'general_medicine', status: 'online' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    doctors.push(d);
  }
  return { hub, spoke, cho, manager, doctors };
}

/** Registers a patient at the spoke (as its CHO) and returns the id. */
export async function spokePatient(t: Pick<TestApp, 'req'>, net: TeleNetwork, over: Record<string, unknown> = {}): Promise<string> {
  const r = await t.req('POST', '/api/patients', net.cho, { name: `Kamla ${letters()} Devi`, sex: 'female', age: 34, address: { district: 22 }, ...over });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

const SYLLABLES = ['ka', 'ma', 'la', 'ra', 'vi', 'na', 'sha', 'ti', 'po', 'de', 'ru', 'ya'];
/** A made-up name word (letters only, as names are). */
export function letters(): string {
  let s = '';
  for (let i = 0; i < 3; i++) s += SYLLABLES[Math.floor(Math.random() * SYLLABLES.length)];
  return s[0].toUpperCase() + s.slice(1);
}
