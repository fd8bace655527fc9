// OPD visits, ICD-10 codes and documents on a patient's record.
import { api, ApiError, downloadFile, get, getToken, UNAUTHENTICATED_EVENT, setToken } from '../../api.ts';
import { storedLang } from '../../i18n/i18n.tsx';

export interface Prescription { drug: string; dose?: string; frequency?: string; days?: number }

export interface Visit {
  id: string;
  at: string;
  facility: string;
  facilityHi: string | null;
  complaint: string | null;
  vitals: Record<string, number>;
  diagnoses: { code: string; title: string | null; titleHi?: string | null }[];
  notes: string | null;
  prescriptions: Prescription[];
}

export interface NewVisit {
  patientId: string;
  complaint?: string;
  vitals?: Record<string, number>;
  diagnoses?: string[];
  notes?: string;
  prescriptions?: Prescription[];
}

export interface VisitCreated {
  id: string;
  diagnoses: string[];
  period: string;
  warnings?: { code: string; message: string; messageHi: string }[];
  /** The diagnoses with the names the picker showed (set by the form, not the server). */
  named?: { code: string; title: string | null }[];
}

export interface IcdCode { code: string; title: string; titleHi: string | null }

export interface PatientDocument {
  id: string;
  mediaType: string;
  bytes: number;
  title: string | null;
  visitId: string | null;
  by: string;
  createdAt: string;
}

/** What the server accepts: the file's content is checked too, not only its declared type. */
export const DOCUMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/webp'] as const;
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
export const EXTENSIONS: Record<string, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

/** Vital signs the server records, with the range it accepts. */
export const VITALS = {
  systolic: [50, 280], diastolic: [30, 180], pulse: [20, 250], temperatureC: [30, 45], weightKg: [0.3, 300], spo2: [50, 100],
} as const satisfies Record<string, readonly [number, number]>;
export type VitalKey = keyof typeof VITALS;

const pid = (id: string) => encodeURIComponent(id);

export const listVisits = (patientId: string, signal?: AbortSignal) =>
  get<{ items: Visit[] }>(`/api/patients/${pid(patientId)}/visits`, undefined, signal);

export const recordVisit = (body: NewVisit) => api<VisitCreated>('POST', '/api/opd/visits', { body });

export const searchIcd = (q: string, signal?: AbortSignal) =>
  get<{ items: IcdCode[] }>('/api/codes/icd10', { q, limit: 12 }, signal);

export const listDocuments = (patientId: string, signal?: AbortSignal) =>
  get<{ items: PatientDocument[] }>(`/api/patients/${pid(patientId)}/documents`, undefined, signal);

export const downloadDocument = (d: PatientDocument) =>
  downloadFile(`/api/documents/${encodeURIComponent(d.id)}`, undefined, documentFileName(d));

export function documentFileName(d: Pick<PatientDocument, 'id' | 'title' | 'mediaType'>): string {
  const base = (d.title ?? '').replace(/[\\/:*?"<>|]+/g, ' ').trim().slice(0, 80) || d.id;
  return `${base}.${EXTENSIONS[d.mediaType] ?? 'bin'}`;
}

/** Sends the file as the request body with its media type (the API takes raw uploads, not forms). */
export async function uploadDocument(patientId: string, file: Blob, title: string): Promise<PatientDocument> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': storedLang(), 'Content-Type': file.type };
  const token = getToken();
  if (token) headers['Authorization'] = `Bearer ${token}`;
  const qs = new URLSearchParams();
  if (title.trim()) qs.set('title', title.trim());
  let res: Response;
  try {
    res = await fetch(`/api/patients/${pid(patientId)}/documents${qs.size ? `?${qs}` : ''}`, { method: 'POST', headers, body: file });
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err));
  }
  const data = (await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | undefined;
  if (!res.ok) {
    if (res.status === 401) {
      setToken(null);
      window.dispatchEvent(new CustomEvent(UNAUTHENTICATED_EVENT));
    }
    throw new ApiError(res.status, data?.error?.code ?? `http_${res.status}`, data?.error?.message ?? (res.statusText || `HTTP ${res.status}`), data?.error?.details);
  }
  return data as unknown as PatientDocument;
}
