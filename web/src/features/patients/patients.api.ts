import { api, ApiError, downloadFile, get } from '../../api.ts';

export type Sex = 'male' | 'female' | 'other';
export const SEXES: readonly Sex[] = ['female', 'male', 'other'];
export const BLOOD_GROUPS = ['A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-'] as const;
/** OPD departments offered at the counter (the server takes any short code). */
export const DEPARTMENTS = ['general', 'medicine', 'surgery', 'gynae', 'paediatrics', 'eye', 'dental', 'ayush'] as const;

/** What a search shows of a person: enough to recognise them, not their record. */
export interface PatientHit {
  id: string;
  stateNumber: string;
  name: string;
  nameHi: string | null;
  nameLatin: string | null;
  sex: Sex;
  age?: number | null;
  birthYear: number;
  place: string | null;
  placeHi: string | null;
  mobileLast4: string | null;
  hasAbha: boolean;
  score?: number;
  canRead: boolean;
  sameMobile?: boolean;
}

export interface SearchAnswer {
  items: PatientHit[];
  more: boolean;
  kind: 'name' | 'mobile' | 'abha' | 'abhaAddress' | 'stateNumber';
  limit?: number;
  offset?: number;
}

export interface Warning { code: string; message: string; messageHi: string }

export interface Patient {
  id: string;
  stateNumber: string;
  name: string;
  nameHi: string | null;
  nameLatin: string | null;
  sex: Sex;
  birthDate: string;
  birthDateEstimated?: boolean;
  age: number;
  mobile: string | null;
  mobileVerified?: boolean;
  abha: string | null;
  abhaAddress: string | null;
  aadhaarLast4: string | null;
  bloodGroup: string | null;
  registeredVia?: string;
  createdAt?: string;
}

export interface PatientRecord extends Patient {
  address: { line: string | null; place: string | null; placeHi: string | null; level?: string | null };
  facilities: { id: string; name: string; nameHi: string | null; firstSeen: string; lastSeen: string }[];
}

export interface NewPatient {
  name: string;
  nameHi?: string;
  sex: Sex;
  birthDate?: string;
  age?: number;
  mobile?: string;
  address: { district: string; block?: string; village?: string; line?: string };
  abha?: string;
  abhaAddress?: string;
  aadhaar?: string;
  bloodGroup?: string;
}

export interface AccessEntry { at: string; by: string | null; action: string; purpose: string | null }

export interface OpdToken { token: number; department: string; day: string; stateNumber?: string }

export interface OpdQueue {
  facility: { id: string; name: string; nameHi: string | null };
  day: string;
  items: {
    id?: string;
    token: number;
    department: string;
    status: string;
    at?: string;
    patient: { id: string; stateNumber: string; name: string; nameHi: string | null; sex: Sex; birthYear: number };
  }[];
}

export const PAGE_SIZE = 20;

export const searchPatients = (q: string, offset: number, signal?: AbortSignal) =>
  get<SearchAnswer>('/api/patients', { q, limit: PAGE_SIZE, offset }, signal);

export const findDuplicates = (
  query: { name: string; sex?: Sex; birthDate?: string; age?: number; mobile?: string },
  signal?: AbortSignal,
) => get<{ items: PatientHit[] }>('/api/patients/duplicates', { ...query }, signal);

export const registerPatient = (body: NewPatient) =>
  api<Patient & { warnings?: Warning[] }>('POST', '/api/patients', { body });

export const getPatient = (id: string, signal?: AbortSignal) =>
  get<PatientRecord>(`/api/patients/${encodeURIComponent(id)}`, { purpose: 'care' }, signal);

export const getAccessLog = (id: string, signal?: AbortSignal) =>
  get<{ items: AccessEntry[] }>(`/api/patients/${encodeURIComponent(id)}/access-log`, undefined, signal);

export const registerOpd = (patientId: string, department: string) =>
  api<OpdToken>('POST', '/api/opd/registrations', { body: { patientId, department } });

export const getOpdQueue = (day: string | undefined, signal?: AbortSignal) =>
  get<OpdQueue>('/api/opd/queue', { day }, signal);

/** Downloads the printable health card (A6 or wallet size) as a PDF. */
export function downloadCard(id: string, stateNumber: string, size: 'a6' | 'id1'): Promise<void> {
  return downloadFile(`/api/patients/${encodeURIComponent(id)}/card.pdf`, { size }, `health-card-${stateNumber}.pdf`, 'application/pdf');
}

/** The name to lead with in the UI language, and the other script's form to show beside it. */
export function namesOf(p: { name: string; nameHi: string | null; nameLatin?: string | null }, lang: string): { main: string; other: string | null } {
  const hindi = p.nameHi || null;
  const latin = p.nameLatin || (hindi ? null : p.name);
  const main = lang === 'hi' ? (hindi ?? latin ?? p.name) : (latin ?? hindi ?? p.name);
  const other = main === hindi ? latin : hindi;
  return { main, other: other && other !== main ? other : null };
}

/** This year in India Standard Time. */
export function yearIst(): number {
  return new Date(Date.now() + 330 * 60_000).getUTCFullYear();
}

/** Today in IST, YYYY-MM-DD. */
export function todayIst(): string {
  return new Date(Date.now() + 330 * 60_000).toISOString().slice(0, 10);
}

/** Age in years from the year of birth (the search and queue give no full date). */
export const ageFromBirthYear = (birthYear: number) => Math.max(0, yearIst() - birthYear);

// ---------------------------------------------------------------- presence before access

export type PresenceMethod = 'otp' | 'card' | 'break_glass';
export interface PresenceGrant { id: string; patientId: string; method: PresenceMethod; expiresAt: string; patientTold?: boolean }

/** True when the server refused because the patient must first be shown present. */
export const needsPresence = (err: unknown): boolean =>
  err instanceof ApiError && err.status === 403 && err.details?.['reason'] === 'presence_required';

/** Sends a one-time code to the patient's own mobile on record; only its last four digits come back. */
export const sendPresenceCode = (patientId: string) =>
  api<{ challengeId: string; sentTo: string; expiresAt: string }>('POST', `/api/patients/${encodeURIComponent(patientId)}/presence/code`);

/** Shows the patient present: the code they received, their health card's QR text, or a break-glass reason. */
export const recordPresence = (patientId: string, body: { method: PresenceMethod; challengeId?: string; code?: string; reason?: string }) =>
  api<PresenceGrant>('POST', `/api/patients/${encodeURIComponent(patientId)}/presence`, { body });

export interface BreakGlassItem {
  id: string; at: string; by: string; role: string; place: string | null; placeHi: string | null; reason: string; stateNumber: string;
  patientTold: boolean; reviewedBy: string | null; reviewedAt: string | null; reviewNote: string | null;
}

export const listBreakGlass = (status: 'open' | 'reviewed' | 'all', offset: number, signal?: AbortSignal) =>
  get<{ items: BreakGlassItem[]; total: number; limit: number; offset: number }>('/api/break-glass', { status, limit: PAGE_SIZE, offset }, signal);

export const reviewBreakGlass = (id: string, note: string) =>
  api<{ id: string; reviewedBy: string; reviewedAt: string }>('POST', `/api/break-glass/${encodeURIComponent(id)}/review`, { body: note.trim() ? { note: note.trim() } : {} });
