import { api, get } from '../../api.ts';

/** A pregnancy registration as the patient record lists it (GET /api/patients/{id}/pregnancies). */
export interface Pregnancy {
  id: string;
  registrationNumber: string;
  status: 'open' | 'closed';
  lmp: string | null;
  gestationWeeks: number | null;
  facility: string;
  facilityHi: string | null;
  registeredAt: string;
  registeredBy: string | null;
  closedAt: string | null;
  closedReason: string | null;
  scans: number;
}

export const listPregnancies = (patientId: string, signal?: AbortSignal) =>
  get<{ items: Pregnancy[] }>(`/api/patients/${encodeURIComponent(patientId)}/pregnancies`, undefined, signal);

export const registerPregnancy = (body: { patientId: string; lmp?: string }) =>
  api<{ id: string; registrationNumber: string; status: 'open' }>('POST', '/api/pregnancies', { body });

export const closePregnancy = (registrationNumber: string, reason: string) =>
  api<{ registrationNumber: string; status: 'closed'; reason: string }>('POST', `/api/pregnancies/${encodeURIComponent(registrationNumber)}/close`, { body: { reason } });

/** How a pregnancy ended or why its registration closes; the API keeps it as the reason's words. */
export const OUTCOMES = ['live_birth', 'still_birth', 'abortion', 'miscarriage', 'moved_away', 'registered_in_error', 'other'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The reason sent to the API: the outcome (in English, for the district's records), its date and a note. */
export function closeReason(outcome: Outcome, date: string, note: string): string {
  return [`${outcome.replace(/_/g, ' ')} on ${date}`, note.trim()].filter(Boolean).join(': ');
}

/** 12 digits shown in groups of four, as on the ANC card. */
export const groupNumber = (n: string) => (/^\d{12}$/.test(n) ? n.replace(/(\d{4})(?=\d)/g, '$1 ') : n);

// Families
export const RELATIONS = ['spouse', 'son', 'daughter', 'father', 'mother', 'brother', 'sister', 'grandson', 'granddaughter', 'grandfather', 'grandmother', 'daughter_in_law', 'son_in_law', 'other'] as const;

export interface FamilyMember {
  id: string;
  stateNumber: string;
  name: string;
  nameHi: string | null;
  nameLatin: string | null;
  sex: 'male' | 'female' | 'other';
  age: number;
  relation: string;
  hasAbha: boolean;
  hasCard: boolean;
}

export interface Family {
  id: string;
  familyNumber: string;
  externalId: string | null;
  headPatientId: string | null;
  addressLine: string | null;
  members: FamilyMember[];
  withoutAbha: string[];
  withoutCard: string[];
}

export const getFamily = (ref: string, signal?: AbortSignal) => get<Family>(`/api/families/${encodeURIComponent(ref)}`, undefined, signal);

export const createFamily = (body: { headPatientId: string; externalId?: string; addressLine?: string }) =>
  api<Family>('POST', '/api/families', { body });

export const addMember = (familyId: string, body: { patientId: string; relation: string }) =>
  api<Family>('POST', `/api/families/${encodeURIComponent(familyId)}/members`, { body });

export const familyOf = (patientId: string, signal?: AbortSignal) =>
  get<{ family: { id: string; familyNumber: string; externalId: string | null; relation: string; members: number } | null }>(`/api/patients/${encodeURIComponent(patientId)}/family`, undefined, signal);

// Ultrasound centre
export interface ScanAccepted {
  id: string;
  registrationNumber: string;
  outcome: 'accepted';
  woman: { name: string; nameHi: string | null; birthYear: number };
  gestationWeeks: number | null;
  at: string;
}

export const checkNumber = (body: { registrationNumber: string; indication?: string }) =>
  api<ScanAccepted>('POST', '/api/ultrasounds', { body });

export interface CheckLog {
  centre: { id: string; name: string; nameHi: string | null };
  counts: { accepted: number; refused: number; todayAccepted: number; todayRefused: number };
  items: { id: string; at: string; registrationNumber: string; outcome: 'accepted' | 'refused'; reason: string | null; indication: string | null; by: string | null }[];
  more: boolean;
}

export const CHECK_PAGE = 20;

export const centreChecks = (query: { outcome?: string; offset: number }, signal?: AbortSignal) =>
  get<CheckLog>('/api/ultrasounds/checks', { ...query, limit: CHECK_PAGE }, signal);

/** The refusal a status of POST /api/ultrasounds stands for, when the operator gives no patient id. */
export function refusalOf(status: number): 'malformed' | 'unknown' | 'closed' | 'other' {
  if (status === 400) return 'malformed';
  if (status === 404) return 'unknown';
  if (status === 409) return 'closed';
  return 'other';
}
