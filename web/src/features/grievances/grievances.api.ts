// Grievance redressal (issue 13, parts 2–5): the citizen's public pages (no sign-in: a one-time code to
// the mobile, then the short-lived access token the server hands back) and the officers' screens.
// The shapes follow server/src/modules/grievances/grievances.schema.ts.
import { api, ApiError, get } from '../../api.ts';
import { storedLang } from '../../i18n/i18n.tsx';

export const GRIEVANCE_TYPES = ['service_refused', 'staff_behaviour', 'money_asked', 'medicines_not_given', 'cleanliness', 'waiting', 'ambulance_late', 'other'] as const;
export type GrievanceType = (typeof GRIEVANCE_TYPES)[number];
export const GRIEVANCE_STATUSES = ['new', 'assigned', 'in_progress', 'waiting_for_citizen', 'resolved', 'closed', 'reopened'] as const;
export type GrievanceStatus = (typeof GRIEVANCE_STATUSES)[number];
export type GrievanceLevel = 'facility' | 'district' | 'state';
/** Statuses after which an officer has nothing left to do but close. */
export const FINISHED: readonly string[] = ['resolved', 'closed'];

/** What the server accepts as attachments (the file's content is checked there too), and how many the form sends. */
export const ATTACHMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/webp'] as const;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_ATTACHMENTS = 3;

export interface OtpSent { challengeId: string; expiresAt: string; sentTo: string }
export interface Filed {
  id: string; ticketNumber: string; status: GrievanceStatus; level: GrievanceLevel;
  firstResponseDue: string; resolutionDue: string; accessToken?: string; accessExpiresAt?: string;
}
export interface PublicEvent { at: string; kind: string; text: string | null; by: string; status: GrievanceStatus | null }
export interface PublicTicket {
  ticketNumber: string; status: GrievanceStatus; type: GrievanceType; level: GrievanceLevel;
  facilityName: string | null; facilityNameHi: string | null; districtName: string; districtNameHi: string | null;
  filedAt: string; firstResponseDue: string; resolutionDue: string;
  resolution: string | null; resolvedAt: string | null; reopenUntil: string | null; canReopen: boolean; canRate: boolean;
  rating: { satisfied: boolean; score: number | null; at: string } | null;
  appeal: { level: GrievanceLevel; openedAt: string; due: string; decidedAt: string | null } | null;
  history: PublicEvent[]; accessToken: string; accessExpiresAt: string;
}
/** A citizen's proof for one ticket: the access token, or a fresh code for the mobile. */
export type Access = { accessToken: string } | { mobile: string; challengeId: string; code: string };

export interface District { id: string; lgdCode: string | number | null; name: string; nameHi: string | null }
export interface PlaceFacility { id: string; name: string; nameHi?: string | null; type?: string }

const pub = (ticket: string) => `/api/public/grievances/${encodeURIComponent(ticket)}`;

export const sendCode = (mobile: string) => api<OtpSent>('POST', '/api/public/grievances/otp', { body: { mobile } });
export const fileGrievance = (body: {
  mobile: string; challengeId: string; code: string; type: GrievanceType; facilityId?: string; district?: string; description: string; language: string;
}) => api<Filed>('POST', '/api/public/grievances', { body });
export const trackGrievance = (ticket: string, access: Access, signal?: AbortSignal) =>
  get<PublicTicket>(pub(ticket), access, signal);
export const addInformation = (ticket: string, accessToken: string, text: string) =>
  api<PublicTicket>('POST', `${pub(ticket)}/information`, { body: { accessToken, text } });
export const reopenPublic = (ticket: string, accessToken: string, reason: string) =>
  api<PublicTicket>('POST', `${pub(ticket)}/reopen`, { body: { accessToken, reason } });
export const rate = (ticket: string, accessToken: string, body: { satisfied: boolean; comment?: string }) =>
  api<PublicTicket>('POST', `${pub(ticket)}/rating`, { body: { accessToken, ...body } });

/** Sends one photo or PDF as the request body with its media type (the API takes raw uploads, not forms). */
export async function uploadAttachment(path: string, file: Blob, query: Record<string, string>): Promise<Attachment> {
  const qs = new URLSearchParams(query);
  let res: Response;
  try {
    res = await fetch(`${path}${qs.size ? `?${qs}` : ''}`, { method: 'POST', headers: { Accept: 'application/json', 'Accept-Language': storedLang(), 'Content-Type': file.type }, body: file });
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err));
  }
  const data = (await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | undefined;
  if (!res.ok) throw new ApiError(res.status, data?.error?.code ?? `http_${res.status}`, data?.error?.message ?? (res.statusText || `HTTP ${res.status}`), data?.error?.details);
  return data as unknown as Attachment;
}
export const uploadPublicAttachment = (ticket: string, accessToken: string, file: File) =>
  uploadAttachment(`${pub(ticket)}/attachments`, file, { accessToken, title: file.name.slice(0, 200) });

/**
 * Districts a citizen may choose (the public list), and a district's public facilities (null when the
 * list cannot be had: the complaint then names its district, and the facility in its text).
 * Plain fetches: a 401 or 404 here must not end a staff session open in the same browser.
 */
export async function publicDistricts(signal?: AbortSignal): Promise<District[]> {
  const res = await fetch('/api/public/districts', { headers: { Accept: 'application/json' }, signal });
  if (!res.ok) return [];
  return ((await res.json()) as { items: District[] }).items;
}
export async function publicFacilities(district: string, signal?: AbortSignal): Promise<PlaceFacility[] | null> {
  const res = await fetch(`/api/public/grievances/facilities?district=${encodeURIComponent(district)}`, { headers: { Accept: 'application/json' }, signal }).catch(() => null);
  if (!res?.ok) return null;
  const data = (await res.json().catch(() => null)) as { items?: PlaceFacility[] } | null;
  return Array.isArray(data?.items) ? data.items : null;
}

export interface PublicFigures {
  from: string; to: string;
  items: { districtLgd: number | null; districtName: string; districtNameHi: string | null; month: string; filed: number; resolved: number; resolvedWithinDeadline: number; open: number; byType: Record<string, number> }[];
}
export const publicFigures = (q: { state?: string; district?: string; from?: string; to?: string }, signal?: AbortSignal) =>
  get<PublicFigures>('/api/public/grievances/figures', q, signal);

// ---- officers ---------------------------------------------------------------------------------

export interface ListItem {
  id: string; ticketNumber: string; type: GrievanceType; status: GrievanceStatus; level: GrievanceLevel; source: string;
  facilityId: string | null; facilityName: string | null; districtId: string; districtName: string; mobileMasked: string;
  assignedTo: { userId: string; name: string } | null; escalatedLevel: number; filedAt: string; updatedAt: string;
  firstResponseDue: string; firstRespondedAt: string | null; resolutionDue: string; overdue: boolean;
}
export interface ListPage { items: ListItem[]; total: number; limit: number; offset: number }
export interface TicketEvent {
  id: number; at: string; kind: string; text: string | null; visibleToCitizen: boolean; fromStatus: string | null; toStatus: string | null;
  by: { userId: string; name: string; role: string } | null; byCitizen: boolean;
}
export interface Attachment { id: string; mediaType: string; bytes: number; title: string | null; byCitizen: boolean; createdAt: string }
export interface Ticket extends Omit<ListItem, 'mobileMasked'> {
  language: string | null; mobile: string; name: string | null; description: string; helplineCallId: string | null; escalatedAt: string | null;
  extension: { reason: string; at: string } | null; resolution: string | null; resolvedAt: string | null; closedAt: string | null;
  rating: { satisfied: boolean; score: number | null; comment: string | null; at: string } | null;
  appeal: { level: GrievanceLevel; openedAt: string; due: string; decidedAt: string | null } | null;
  events: TicketEvent[]; attachments: Attachment[];
}
export interface ListFilters { status?: string; type?: string; district?: string; facility?: string; overdue?: boolean; limit?: number; offset?: number }

const one = (ticket: string) => `/api/grievances/${encodeURIComponent(ticket)}`;
export const listGrievances = (q: ListFilters, signal?: AbortSignal) => get<ListPage>('/api/grievances', { ...q, overdue: q.overdue ? true : undefined }, signal);
export const getTicket = (ticket: string, signal?: AbortSignal) => get<Ticket>(one(ticket), undefined, signal);
export type Action =
  | { kind: 'assign'; userId?: string } | { kind: 'start' } | { kind: 'reply'; message: string } | { kind: 'wait'; message: string }
  | { kind: 'notes'; note: string } | { kind: 'interim'; reason: string; extendDays: number } | { kind: 'resolve'; resolution: string }
  | { kind: 'close'; note?: string };
export function act(ticket: string, action: Action): Promise<Ticket> {
  const { kind, ...body } = action;
  return api<Ticket>('POST', `${one(ticket)}/${kind}`, { body });
}
export interface OfficerNotice { id: number; at: string; kind: string; ticketNumber: string; text: string; level: GrievanceLevel }
/** What officers of the caller's level were told: escalations of overdue tickets, appeals. */
export const getNotifications = (signal?: AbortSignal) => get<{ items: OfficerNotice[] }>('/api/grievances/notifications', undefined, signal);
export const attachmentPath = (ticket: string, id: string) => `${one(ticket)}/attachments/${encodeURIComponent(id)}`;

export interface Figures {
  from: string; to: string; total: number;
  byType: { type: string; count: number }[]; byStatus: { status: string; count: number }[]; bySource: { source: string; count: number }[];
  byDistrict: { districtId: string; districtName: string; count: number }[]; byFacility: { facilityId: string; facilityName: string; count: number }[];
  firstResponse: { responded: number; withinDeadline: number; medianHours: number | null };
  resolution: { resolved: number; withinDeadline: number; medianDays: number | null };
  ageing: { bucket: string; count: number }[];
  repeated: { facilityId: string; facilityName: string; count: number; types: string[] }[];
}
export const getFigures = (q: { district?: string; from?: string; to?: string }, signal?: AbortSignal) => get<Figures>('/api/grievances/figures', q, signal);

/** YYYYMM of the month `back` months before this one, in IST. */
export function monthIst(back = 0): string {
  const ist = new Date(Date.now() + 330 * 60_000);
  const d = new Date(Date.UTC(ist.getUTCFullYear(), ist.getUTCMonth() - back, 1));
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}
/** 202612 → 12/2026 */
export const monthLabel = (m: string) => `${m.slice(4, 6)}/${m.slice(0, 4)}`;
/** <input type=month> value (2026-12) ↔ the API's YYYYMM. */
export const toInputMonth = (m: string) => `${m.slice(0, 4)}-${m.slice(4, 6)}`;
export const fromInputMonth = (v: string) => v.replace('-', '');
