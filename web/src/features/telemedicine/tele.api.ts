// The telemedicine API as the screens use it: the network, the queue, duty, the consultation record,
// prescriptions and dispensing, referrals. The citizen's own calls are in opd.api.ts.
import { api, get } from '../../api.ts';

export type RequestStatus = 'waiting' | 'called' | 'in_consultation' | 'completed' | 'no_show' | 'expired' | 'cancelled';
export const FINAL_STATUSES: readonly RequestStatus[] = ['completed', 'no_show', 'expired', 'cancelled'];
export type Priority = 'emergency' | 'follow_up' | 'elderly_pregnant' | 'normal';
export const PRIORITIES: readonly Priority[] = ['normal', 'elderly_pregnant', 'emergency'];
export type DutyStatus = 'online' | 'break' | 'offline';

export interface Named { id: string; name: string; nameHi: string | null }

export interface HubSpecialty { code: string; name: string; nameHi: string; homeOpd: boolean; doctorsOnline: number; waiting: number }
export interface Hub extends Named { specialties: HubSpecialty[] }

export interface HubDoctor {
  userId: string; username: string; name: string; nameHi: string | null; hprId: string | null; registrationNumber: string | null;
  specialties: string[]; status: DutyStatus; dutySpecialty: string | null; since: string | null;
}
export interface Equipment { kind: EquipmentKind; installed: number; onOrder: number; working: number }
export const EQUIPMENT_KINDS = ['desktop', 'webcam', 'headset', 'printer', 'connectivity'] as const;
export type EquipmentKind = (typeof EQUIPMENT_KINDS)[number];
export interface HubDetail extends Named {
  specialties: HubSpecialty[];
  spokes: { total: number; first: Named[] };
  doctors: HubDoctor[];
  equipment: Equipment[];
}

export interface TeleRequest {
  id: string; token: number; day: string; status: RequestStatus; channel: 'spoke' | 'home';
  hub: Named; spoke: Named | null;
  specialty: string; specialtyName: string; specialtyNameHi: string;
  patientId: string;
  patient: { id: string; name: string; nameHi: string | null; stateNumber: string; sex: 'male' | 'female' | 'other'; age: number };
  priority: Priority; priorityReason: string | null; complaint: string | null; vitals: Record<string, number | string> | null;
  doctor: Named | null; requeues: number;
  queuedAt: string; calledAt: string | null; startedAt: string | null; endedAt: string | null; expiresAt: string; roomUrl: string | null;
  position: number; ahead: number; doctorsOnline: number; consultMinutes: number | null; estimatedWaitMinutes: number | null;
}

export interface LiveQueue {
  hub: Named;
  items: {
    id: string; token: number; specialty: string; priority: Priority; priorityReason: string | null; status: RequestStatus; channel: string;
    spoke: string | null; spokeHi: string | null; sex: string; age: number; waitingMinutes: number; doctorId: string | null;
  }[];
  doctors: { userId: string; name: string; nameHi: string | null; specialty: string; status: DutyStatus; since: string }[];
}

export interface RosterEntry {
  id: string; specialty: string; weekday: number; starts: string; ends: string; username: string; name: string; nameHi: string | null;
  onShiftNow: boolean; missing: boolean;
}

export interface Diagnosis { code: string; title: string | null }
export interface PrescriptionItem {
  id: string; line: number; code: string | null; medicine: string; nameHi: string | null; strength: string | null; form: string | null; formHi: string | null;
  label: string; dose: string; frequency: string; frequencyText: string; frequencyTextHi: string; days: number; instructions: string | null;
  suggestedQuantity: number | null; dispensedQuantity: number | null; dispensedAt: string | null; dispensedBy: string | null;
  inStock?: boolean; stockQuantity?: number | null;
}
export interface Prescription { id: string; issuedAt: string; doctorId: string; items: PrescriptionItem[]; spoke?: Named | null; requestId?: string }
export interface Consultation {
  requestId: string; patientId: string; status?: RequestStatus; doctorId?: string | null;
  notes: string | null; diagnoses: Diagnosis[]; advice: string | null; followUpOn: string | null; updatedAt: string | null;
  prescriptions?: Prescription[];
  warnings?: { code: string; message: string; messageHi: string }[];
}
export interface Medicine { code: string; genericName: string; nameHi: string | null; strength: string; form: string; formHi: string; quantity?: number; inStock?: boolean }
export const FREQUENCIES = ['OD', 'BD', 'TDS', 'QID', 'HS', 'SOS', 'STAT', 'WEEKLY'] as const;
export type Frequency = (typeof FREQUENCIES)[number];
export interface NewPrescriptionLine { code: string; dose: string; frequency: Frequency; days: number; instructions?: string }

export const URGENCIES = ['routine', 'urgent', 'emergency'] as const;
export type Urgency = (typeof URGENCIES)[number];
export type ReferralStatus = 'referred' | 'acknowledged' | 'arrived' | 'seen' | 'cancelled';
export interface Referral {
  id: string; patientId: string;
  patient: { stateNumber: string; name?: string; nameHi?: string | null; sex?: string; age?: number };
  requestId: string | null; from: Named | null; to: Named;
  specialty: string | null; specialtyName: string | null; specialtyNameHi: string | null;
  urgency: Urgency; reason: string | null; status: ReferralStatus; statusHi: string; next: ReferralStatus[];
  referredBy: string; referredAt: string;
}

export interface PastConsultation extends Consultation {
  specialty: string; specialtyName: string; specialtyNameHi: string; requestedAt: string; endedAt: string | null;
  hub: Named; doctor: { name: string; nameHi: string | null } | null; complaint: string | null; prescriptions: Prescription[];
}

const id = encodeURIComponent;

// ---- network, rosters, duty ----
export const listHubs = (signal?: AbortSignal) => get<{ items: Hub[] }>('/api/telemedicine/hubs', undefined, signal);
export const getHub = (hubId: string, signal?: AbortSignal) => get<HubDetail>(`/api/telemedicine/hubs/${id(hubId)}`, undefined, signal);
export const getRoster = (hubId: string, signal?: AbortSignal) => get<{ hub: Named; items: RosterEntry[] }>('/api/telemedicine/rosters', { hubId }, signal);
export const addRoster = (body: { hubId: string; specialty: string; username: string; weekday: number; starts: string; ends: string }) =>
  api<RosterEntry>('POST', '/api/telemedicine/rosters', { body });
export const removeRoster = (rosterId: string) => api<{ id: string }>('DELETE', `/api/telemedicine/rosters/${id(rosterId)}`);
export const setEquipment = (facilityId: string, items: { kind: EquipmentKind; installed: number; onOrder?: number; working?: number }[]) =>
  api<{ facilityId: string; equipment: Equipment[] }>('PUT', `/api/telemedicine/equipment/${id(facilityId)}`, { body: { items } });
export const setDuty = (body: { hubId: string; specialty: string; status: DutyStatus }) =>
  api<{ status: DutyStatus; hubId: string; specialty: string; since: string }>('POST', '/api/telemedicine/duty', { body });
export const getLiveQueue = (hubId: string, signal?: AbortSignal) => get<LiveQueue>('/api/telemedicine/queue', { hubId }, signal);

// ---- the queue ----
export interface NewRequest {
  patientId: string; hubId: string; specialty: string; priority?: Priority; complaint?: string; vitals?: Record<string, number | string>;
}
export const createRequest = (body: NewRequest) => api<TeleRequest>('POST', '/api/telemedicine/requests', { body });
export const listRequests = (q: { day?: string; mine?: boolean; status?: RequestStatus }, signal?: AbortSignal) =>
  get<{ items: TeleRequest[] }>('/api/telemedicine/requests', q, signal);
export const getRequest = (requestId: string, signal?: AbortSignal) => get<TeleRequest>(`/api/telemedicine/requests/${id(requestId)}`, undefined, signal);
export const cancelRequest = (requestId: string) => api<TeleRequest>('POST', `/api/telemedicine/requests/${id(requestId)}/cancel`);
/** The next patient of a queue, or null when nobody waits (204). */
export const takeNext = (hubId: string, specialty: string) =>
  api<TeleRequest | undefined>('POST', '/api/telemedicine/next', { body: { hubId, specialty } }).then((r) => r ?? null);
export const startConsultation = (requestId: string) => api<TeleRequest>('POST', `/api/telemedicine/requests/${id(requestId)}/start`);
export const noAnswer = (requestId: string) => api<TeleRequest>('POST', `/api/telemedicine/requests/${id(requestId)}/no-answer`);
export const completeConsultation = (requestId: string) => api<TeleRequest>('POST', `/api/telemedicine/requests/${id(requestId)}/complete`);

// ---- the consultation record, prescriptions, dispensing ----
export const getConsultation = (requestId: string, signal?: AbortSignal) =>
  get<Consultation>(`/api/telemedicine/requests/${id(requestId)}/consultation`, undefined, signal);
export const saveConsultation = (requestId: string, body: { notes?: string; diagnoses?: { code: string }[]; advice?: string; followUpOn?: string | null }) =>
  api<Consultation>('PUT', `/api/telemedicine/requests/${id(requestId)}/consultation`, { body });
export const searchFormulary = (q: string, requestId: string | undefined, signal?: AbortSignal) =>
  get<{ items: Medicine[] }>('/api/telemedicine/formulary', { q, requestId, limit: 12 }, signal);
export interface StockList { facility: Named; items: (Medicine & { quantity: number; updatedAt: string | null })[] }
/** The facility's stock of every medicine in the formulary (0 where none). */
export const getStock = (signal?: AbortSignal) => get<StockList>('/api/telemedicine/stock', { all: true }, signal);
export const saveStock = (items: { code: string; quantity: number }[]) => api<StockList>('PUT', '/api/telemedicine/stock', { body: { items } });
export const prescribe = (requestId: string, items: NewPrescriptionLine[]) =>
  api<Prescription>('POST', `/api/telemedicine/requests/${id(requestId)}/prescriptions`, { body: { items } });
export const getPrescription = (rxId: string, signal?: AbortSignal) => get<Prescription>(`/api/telemedicine/prescriptions/${id(rxId)}`, undefined, signal);
/** Tells the page's stock panel that the stock changed (medicines were handed over). */
export const STOCK_CHANGED = 'swasthya:stock-changed';
export const dispense = async (rxId: string, items: { itemId: string; quantity: number }[]) => {
  const rx = await api<Prescription>('POST', `/api/telemedicine/prescriptions/${id(rxId)}/dispense`, { body: { items } });
  window.dispatchEvent(new Event(STOCK_CHANGED));
  return rx;
};
export const patientConsultations = (patientId: string, signal?: AbortSignal) =>
  get<{ items: PastConsultation[]; referrals: Referral[] }>(`/api/patients/${id(patientId)}/consultations`, undefined, signal);

// ---- referrals ----
export const createReferral = (body: { patientId: string; requestId?: string; toFacilityId: string; specialty?: string; urgency: Urgency; reason: string }) =>
  api<Referral>('POST', '/api/referrals', { body });
export const listReferrals = (direction: 'incoming' | 'outgoing', signal?: AbortSignal, page: { offset?: number; limit?: number } = {}) =>
  get<{ items: Referral[]; more: boolean }>('/api/referrals', { direction, ...page }, signal);
export const moveReferral = (referralId: string, status: ReferralStatus) =>
  api<Referral>('POST', `/api/referrals/${id(referralId)}/status`, { body: { status } });

/** Facilities by name for a referral's destination. */
/** Hospitals of the user's state to refer to (a search beyond the user's own area). */
export const searchFacilities = (q: string, signal?: AbortSignal) =>
  get<{ items: (Named & { type: string; district: { name: string; nameHi?: string | null } | null })[] }>('/api/referrals/destinations', { q, limit: 10 }, signal);
