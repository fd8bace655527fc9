// ASHA incentives (issue 14): the remote adapter of the claims, verification, payment, register and
// timeliness screens. The shapes follow server/src/modules/asha/asha.schema.ts. The local adapter
// (claims kept on the phone while offline) is asha.store.ts; asha.sync.ts moves claims between them.
import { api, ApiError, downloadFile, get, getToken } from '../../api.ts';
import { storedLang } from '../../i18n/i18n.tsx';

export type BeneficiaryKind = 'mother' | 'child' | 'tb' | 'none';
export const CLAIM_STATUSES = ['submitted', 'recommended', 'approved', 'batched', 'paid', 'failed', 'rejected'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];
export type Holder = 'anm' | 'mo' | 'accountant' | 'bank';

export interface Activity {
  code: string;
  nameEn: string;
  nameHi: string | null;
  amount: number;
  variant?: string | null;
  fundSource?: string | null;
  evidence: string[];
  beneficiaryKind: BeneficiaryKind;
  perBeneficiaryLimit?: number | null;
  perMonthLimit?: number | null;
  effectiveFrom?: string | null;
  linkedRecord?: string | null;
}

export interface Flag { code: string; message: string; messageHi?: string | null }

export interface ClaimBody {
  clientId: string;
  activityCode: string;
  beneficiaryPatientId?: string;
  pregnancyNumber?: string;
  doneOn: string;
  photo?: string;
}

export interface ClaimAnswer { id: string; status: ClaimStatus; amount: number; flags: Flag[] }

export interface Claim {
  id: string;
  clientId?: string | null;
  activityCode: string;
  nameEn: string;
  nameHi: string | null;
  doneOn: string;
  amount: number;
  status: ClaimStatus;
  holder: Holder | null;
  expectedPayOn: string | null;
  rejectReason: string | null;
  flags: Flag[];
  batchId: string | null;
  paidOn: string | null;
  ashaId?: string;
  ashaName?: string;
  /** Older answers named the ASHA in an object. */
  asha?: { id: string; name: string; nameHi?: string | null };
  beneficiaryPatientId?: string | null;
  pregnancyNumber?: string | null;
  claimMonth?: string;
  fundSource?: string;
  flagged?: boolean;
  approveNote?: string | null;
  utr?: string | null;
  /** 1: the ANM let it wait past the deadline and the MO may decide it; 2: the MO did, and the district was told. */
  escalatedLevel?: number;
}

/** The ASHA's name of a claim in a verifier's list. */
export const ashaOf = (c: Claim) => c.ashaName ?? c.asha?.name ?? '';
/** A claim needs a note to be approved when it carries a flag. */
export const isFlagged = (c: Claim) => !!c.flagged || (c.flags ?? []).length > 0;

export interface MonthTotal { month: string; paid: number; pending: number; paidOn?: string | null }
export interface MyClaims { items: Claim[]; months: MonthTotal[]; nextCursor?: string | null }
export interface ClaimPage { items: Claim[]; nextCursor: string | null }

export interface Worker {
  id: string;
  username?: string | null;
  name: string;
  nameHi?: string | null;
  mobile: string;
  subCentre?: { id: string; name: string; nameHi?: string | null } | null;
  villages?: { id: string; name: string; nameHi?: string | null }[];
  /** Shown in full to the block accountant only; masked to everyone else. */
  bankAccount?: string | null;
  bankAccountMasked?: string | null;
  active?: boolean;
  ifsc?: string | null;
  activeFrom?: string | null;
  activeTo?: string | null;
}
export interface WorkerBody {
  name: string;
  nameHi?: string;
  mobile: string;
  villageIds?: string[];
  subCentreId: string;
  bankAccount: string;
  ifsc: string;
  activeFrom?: string;
}
export interface ImportReport { created: number; refused: { row: number; reason: string }[] }

export interface HeldBack { ashaId: string; name: string; reason: string }
export interface Batch {
  id: string;
  block?: { id: string; name: string; nameHi?: string | null } | string;
  month: string;
  total: number;
  rows: number;
  heldBack: HeldBack[];
  /** open until the bank's return file has settled every row, then closed. */
  status?: string;
  createdAt?: string;
  items?: BatchRow[];
}
export interface BatchRow {
  reference: string;
  ashaId: string;
  name: string;
  fundSource: string;
  amount: number;
  claims?: number;
  bankAccountMasked?: string;
  ifsc?: string;
  /** pending, paid or failed */
  status: string;
  utr?: string | null;
  reason?: string | null;
}
export interface ReturnsReport { paid: number; failed: number; unknown: string[] | number }

export interface BlockTimeliness {
  block: { id: string; name: string; nameHi?: string | null };
  claims: number;
  paid: number;
  medianDaysToPay: number | null;
  p90DaysToPay: number | null;
}

export const getActivities = (signal?: AbortSignal) => get<{ items: Activity[] }>('/api/asha/activities', undefined, signal);

export const sendClaim = (body: ClaimBody) => api<ClaimAnswer>('POST', '/api/asha/claims', { body });
export const getMyClaims = (cursor: string | undefined, signal?: AbortSignal) =>
  get<MyClaims>('/api/asha/claims/mine', { cursor }, signal);
export const listClaims = (query: { status?: string; block?: string; cursor?: string }, signal?: AbortSignal) =>
  get<ClaimPage>('/api/asha/claims', query, signal);
export const recommendClaim = (id: string, note?: string) =>
  api<Claim>('POST', `/api/asha/claims/${encodeURIComponent(id)}/recommend`, { body: note ? { note } : {} });
export const approveClaim = (id: string, note?: string) =>
  api<Claim>('POST', `/api/asha/claims/${encodeURIComponent(id)}/approve`, { body: note ? { note } : {} });
export const rejectClaim = (id: string, reason: string) =>
  api<Claim>('POST', `/api/asha/claims/${encodeURIComponent(id)}/reject`, { body: { reason } });
export interface ResubmitBody { beneficiaryPatientId?: string; pregnancyNumber?: string; doneOn?: string; note?: string }
export const resubmitClaim = (id: string, body: ResubmitBody) =>
  api<Claim>('POST', `/api/asha/claims/${encodeURIComponent(id)}/resubmit`, { body });

export const addWorker = (body: WorkerBody) => api<{ id: string; username: string }>('POST', '/api/asha/workers', { body });
export const listWorkers = (query: { block?: string; q?: string; cursor?: string }, signal?: AbortSignal) =>
  get<{ items: Worker[]; nextCursor: string | null }>('/api/asha/workers', query, signal);
export const importWorkers = (csv: string) => sendText<ImportReport>('/api/asha/workers/import', csv);

export const makeBatch = (block: string, month: string) => api<Batch>('POST', '/api/asha/batches', { body: { block, month } });
export const listBatches = (block: string | undefined, signal?: AbortSignal) =>
  get<{ items: Batch[]; nextCursor?: string | null }>('/api/asha/batches', { block }, signal);
export const getBatch = (id: string, signal?: AbortSignal) => get<Batch>(`/api/asha/batches/${encodeURIComponent(id)}`, undefined, signal);
export const downloadBatchFile = (id: string, name: string) =>
  downloadFile(`/api/asha/batches/${encodeURIComponent(id)}/file`, undefined, name, 'text/csv');
export const uploadReturns = (id: string, csv: string) => sendText<ReturnsReport>(`/api/asha/batches/${encodeURIComponent(id)}/returns`, csv);

/** An escalated claim the officer is told of (GET /api/asha/notices): the MO in charge of the block, or the district officer. */
export interface EscalationNotice {
  id: string;
  level: 'mo' | 'district';
  text: string;
  at: string;
  seen: boolean;
  claim: { id: string; status: ClaimStatus; activityCode: string; nameEn: string; nameHi: string | null; amount: number; ashaName: string; ashaNameHi: string | null; claimMonth: string; daysWaiting: number | null };
}
export const listNotices = (query: { cursor?: string; unseen?: boolean }, signal?: AbortSignal) =>
  get<{ items: EscalationNotice[]; nextCursor: string | null }>('/api/asha/notices', { cursor: query.cursor, unseen: query.unseen ? 'true' : undefined, limit: '20' }, signal);
export const markNoticeSeen = (id: string) => api<{ id: string; seen: boolean }>('POST', `/api/asha/notices/${encodeURIComponent(id)}/seen`, { body: {} });

export const getTimeliness = (district: string | undefined, signal?: AbortSignal) =>
  get<{ blocks: BlockTimeliness[] }>('/api/asha/timeliness', { district }, signal);

/** Posts a CSV file's text as the request body (the API takes text/csv, not a form). */
async function sendText<T>(path: string, text: string): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': storedLang(), 'Content-Type': 'text/csv' };
  const token = getToken();
  if (token) headers['Authorization'] = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(path, { method: 'POST', headers, body: text });
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err));
  }
  const data = (await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | undefined;
  if (!res.ok) throw new ApiError(res.status, data?.error?.code ?? `http_${res.status}`, data?.error?.message ?? (res.statusText || `HTTP ${res.status}`), data?.error?.details);
  return data as T;
}

/** A claim's id made on the phone, once, before it is kept: the server knows a claim sent twice by it. */
export function newClientId(): string {
  // randomUUID exists only in a secure context (https or localhost); getRandomValues everywhere.
  if (typeof crypto.randomUUID === 'function' && window.isSecureContext) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The claim month of today in IST, YYYY-MM, as the default window reckons it: work from the 26th of
 * the month before to the 25th of a month belongs to that month (so the 27th of November is December's).
 */
export function claimMonthIst(): string {
  const d = new Date(Date.now() + 330 * 60_000);
  const next = d.getUTCDate() >= 26 ? 1 : 0;
  const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + next, 1));
  return `${m.getUTCFullYear()}-${String(m.getUTCMonth() + 1).padStart(2, '0')}`;
}
