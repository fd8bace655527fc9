// Families from the state family register (issue 15, part 2). The shapes follow
// server/src/modules/registers/registers.schema.ts.
import { api, ApiError, get, getToken } from '../../api.ts';
import { storedLang } from '../../i18n/i18n.tsx';

export type MatchStatus = 'none' | 'linked' | 'review' | 'confirmed' | 'rejected';
export interface ImportAnswer {
  families: { added: number; updated: number };
  members: { added: number; updated: number; removed: number };
  matches: { linked: number; review: number; none: number };
  panchayats: number;
}
export interface Refusal { line: number; field: string; reason: string; reasonHi: string }
export interface Member { id: string; memberId: string; name: string; nameHi: string | null; relation: string; sex: string; birthYear: number; hasAbha: boolean; patientId: string | null; match: MatchStatus }
export interface Family {
  id: string; familyNumber: string; externalId: string | null; category: string | null;
  panchayat: { id: string; name: string; nameHi: string | null; lgdCode: number | null };
  village: { id: string; name: string; nameHi: string | null };
  members: Member[]; withoutAbha: string[]; enrolled?: boolean;
}
export interface PanchayatCount { id: string; name: string; nameHi: string | null; lgdCode: number | null; families: number }
export interface Candidate { patientId: string; stateNumber: string; name: string; nameHi: string | null; sex: string; birthYear: number; hasAbha: boolean }
export interface Match {
  id: string; status: MatchStatus; reason: string | null;
  family: { id: string; familyNumber: string; externalId: string | null };
  panchayat: { id: string; name: string; nameHi: string | null };
  member: { memberId: string; name: string; nameHi: string | null; relation: string; sex: string; birthYear: number };
  candidates: Candidate[];
}

export const listPanchayats = (signal?: AbortSignal) => get<{ items: PanchayatCount[] }>('/api/families/panchayats', undefined, signal);
export const listFamilies = (query: { panchayat?: string; cursor?: string; limit?: number }, signal?: AbortSignal) =>
  get<{ items: Family[]; nextCursor: string | null }>('/api/families', query, signal);
export const listMatches = (query: { status?: MatchStatus; cursor?: string }, signal?: AbortSignal) =>
  get<{ items: Match[]; nextCursor: string | null }>('/api/families/matches', query, signal);
export const confirmMatch = (id: string, patientId: string) => api<{ id: string; status: string }>('POST', `/api/families/matches/${encodeURIComponent(id)}/confirm`, { body: { patientId } });
export const rejectMatch = (id: string) => api<{ id: string; status: string }>('POST', `/api/families/matches/${encodeURIComponent(id)}/reject`, { body: {} });

/** Sends the register's CSV text as the body (the API takes text/csv). */
export async function importRegister(text: string): Promise<ImportAnswer> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': storedLang(), 'Content-Type': 'text/csv' };
  const token = getToken();
  if (token) headers['Authorization'] = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch('/api/families/import', { method: 'POST', headers, body: text });
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err));
  }
  const data = (await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | undefined;
  if (!res.ok) throw new ApiError(res.status, data?.error?.code ?? `http_${res.status}`, data?.error?.message ?? (res.statusText || `HTTP ${res.status}`), data?.error?.details);
  return data as ImportAnswer;
}
