// The 104 helpline's API (/api/helpline): calls, the symptom protocols, the transfer queue, outbound lists.
import { api, get } from '../../api.ts';

export const CATEGORIES = ['medical_advice', 'counselling', 'information', 'complaint', 'ambulance', 'other'] as const;
export const OUTCOMES = ['resolved', 'transferred', 'dropped'] as const;
export const QUEUES = ['doctor', 'counsellor'] as const;
export const DISPOSITIONS = ['self_care', 'visit_phc', 'doctor_today', 'emergency'] as const;
export const OUTBOUND_RESULTS = ['reached', 'not_reached', 'switched_off', 'wrong_number', 'call_back', 'refused'] as const;
/** The languages a call is taken in (the server's list), Hindi and English first; names in their own script. */
export const LANGUAGES: [code: string, name: string][] = [
  ['hi', 'हिन्दी'], ['en', 'English'], ['pa', 'ਪੰਜਾਬੀ'], ['ur', 'اردو'], ['bn', 'বাংলা'], ['mr', 'मराठी'], ['gu', 'ગુજરાતી'], ['ta', 'தமிழ்'],
  ['te', 'తెలుగు'], ['kn', 'ಕನ್ನಡ'], ['ml', 'മലയാളം'], ['or', 'ଓଡ଼ିଆ'], ['as', 'অসমীয়া'], ['ne', 'नेपाली'], ['doi', 'डोगरी'], ['ks', 'कॉशुर'],
  ['kok', 'कोंकणी'], ['mai', 'मैथिली'], ['mni', 'মৈতৈলোন্'], ['sat', 'ᱥᱟᱱᱛᱟᱲᱤ'], ['sd', 'سنڌي'], ['sa', 'संस्कृतम्'], ['brx', 'बड़ो'],
];

export type Category = (typeof CATEGORIES)[number];
export type Disposition = (typeof DISPOSITIONS)[number];

export interface RedFlag { id: string; en: string; hi: string; leadsTo: Disposition }
export interface Protocol { id: string; en: string; hi: string; baseline: Disposition; flags: RedFlag[] }
export interface Caller { id: string; stateNumber: string; name: string; nameHi: string | null; sex: string; age: number; place: string | null; placeHi: string | null }
export interface Ambulance { status: 'dispatched' | 'awaiting_place' | 'pending'; dispatchCallId: string | null; problem: string | null }
export interface TransferRef { id: string; queue: string; status: string }

export interface NewCall {
  callerMobile: string; callerName?: string; patientId?: string; language: string; category: Category;
  protocol?: string; answers?: Record<string, boolean>; advice?: string; notes?: string; outcome: string;
  transferTo?: string; transferReason?: string; complaint?: string; latitude?: number; longitude?: number; service?: string; durationSeconds?: number;
}
export interface Created {
  id: string; callerKnown: boolean; patientId: string | null; category: string; disposition: Disposition | null; redFlags: string[];
  outcome: string; transfer: TransferRef | null; ambulance: Ambulance | null;
}
export interface CallItem {
  id: string; createdAt: string; agent: string; callerMobileMasked: string; callerName: string | null; callerKnown: boolean; language: string;
  category: string; protocol: string | null; disposition: Disposition | null; redFlags: string[]; outcome: string; ambulance: Ambulance | null; transfer: TransferRef | null;
}
export interface CallDetail extends CallItem { callerMobile: string; advice: string | null; notes: string | null; complaint: string | null; answers: Record<string, boolean> | null }
export interface Transfer {
  id: string; callId: string; queue: string; status: string; reason: string | null; createdAt: string; waitingSeconds: number; language: string;
  category: string; protocol: string | null; disposition: Disposition | null; redFlags: string[]; callerMobileMasked: string; claimedBy: string | null; claimedAt: string | null;
}
export interface DueItem {
  pregnancyId: string; patientId: string; registrationNumber: string; name: string; nameHi: string | null; mobile: string | null; age: number;
  lmp: string; dueDate: string; facility: string; facilityHi: string | null; riskFactors: string[];
  lastCall: { result: string; at: string; note: string | null } | null;
}

export const protocols = (signal?: AbortSignal) => get<{ dispositions: Disposition[]; items: Protocol[] }>('/api/helpline/protocols', undefined, signal);
export const callers = (mobile: string, signal?: AbortSignal) => get<{ mobile: string; items: Caller[] }>('/api/helpline/callers', { mobile }, signal);
export const logCall = (body: NewCall) => api<Created>('POST', '/api/helpline/calls', { body });
export const listCalls = (q: { mine?: boolean; waiting?: boolean; limit?: number }, signal?: AbortSignal) =>
  get<{ items: CallItem[]; total: number }>('/api/helpline/calls', q, signal);
export const getCall = (id: string) => get<CallDetail>(`/api/helpline/calls/${encodeURIComponent(id)}`);
export const addPlace = (id: string, body: { latitude: number; longitude: number }) =>
  api<{ id: string; ambulance: Ambulance }>('POST', `/api/helpline/calls/${encodeURIComponent(id)}/place`, { body });
export const transfers = (q: { status?: 'waiting' | 'mine'; queue?: string }, signal?: AbortSignal) =>
  get<{ queues: string[]; items: Transfer[] }>('/api/helpline/transfers', q, signal);
export const claim = (id: string) => api<Transfer & { call: CallDetail }>('POST', `/api/helpline/transfers/${encodeURIComponent(id)}/claim`);
export const closeTransfer = (id: string, note: string) => api<Transfer>('POST', `/api/helpline/transfers/${encodeURIComponent(id)}/close`, { body: { note } });
export const pregnanciesDue = (q: { days?: number; risk?: 'high' | 'all' }, signal?: AbortSignal) =>
  get<{ from: string; to: string; items: DueItem[] }>('/api/helpline/outbound/pregnancies-due', q, signal);
export const logOutbound = (body: { list: 'pregnancies_due'; pregnancyId: string; result: string; note?: string }) =>
  api<{ id: string; result: string; at: string }>('POST', '/api/helpline/outbound', { body });

/** The disposition the answers lead to, as the server works it out (shown while the agent asks; the server's is kept). */
export function previewDisposition(p: Protocol, answers: Record<string, boolean>): Disposition {
  let d = p.baseline;
  for (const f of p.flags) if (answers[f.id] && DISPOSITIONS.indexOf(f.leadsTo) > DISPOSITIONS.indexOf(d)) d = f.leadsTo;
  return d;
}

/** "29.15, 75.72" (a position read out or copied) as coordinates, or null. */
export function parsePoint(text: string): { latitude: number; longitude: number } | null {
  const m = /^\s*(-?\d{1,2}(?:\.\d+)?)\s*[, ]\s*(-?\d{1,3}(?:\.\d+)?)\s*$/.exec(text);
  if (!m) return null;
  const latitude = Number(m[1]);
  const longitude = Number(m[2]);
  return Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180 ? { latitude, longitude } : null;
}
