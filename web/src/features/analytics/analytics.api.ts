import { ApiError, get, getToken, withQuery } from '../../api.ts';
import { storedLang } from '../../i18n/i18n.tsx';

export interface AnalyticsRow { dx: string; pe: string; ou: string; value: number; by?: string }
export interface MetaItem { name: string; nameHi: string | null; code?: string }
export interface AnalyticsResult {
  headers: string[];
  rows: AnalyticsRow[];
  metaData: { items: Record<string, MetaItem>; dx: string[]; pe: string[]; ou: string[]; by?: string[] };
  lastDataAt: string | null;
}

export interface AnalyticsQuery { dx: string; pe: string; ou: string; level?: string; by?: string }

export const getAnalytics = (q: AnalyticsQuery, signal?: AbortSignal) =>
  get<AnalyticsResult>('/api/hmis/analytics', { ...q }, signal);

/** Fetches the export with the session token and hands it to the browser as a file download. */
export async function downloadAnalytics(q: AnalyticsQuery, format: 'csv' | 'xlsx'): Promise<void> {
  const headers: Record<string, string> = { 'Accept-Language': storedLang() };
  const token = getToken();
  if (token) headers['Authorization'] = `Bearer ${token}`;
  const res = await fetch(withQuery('/api/hmis/analytics', { ...q, format }), { headers });
  if (!res.ok) {
    let message = res.statusText || `HTTP ${res.status}`;
    try {
      message = ((await res.json()) as { error?: { message?: string } }).error?.message ?? message;
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, `http_${res.status}`, message);
  }
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `swasthya-analytics-${q.pe.replace(/[^\w]+/g, '_').slice(0, 40)}.${format}`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The item's name in the UI language. */
export function itemName(items: Record<string, MetaItem>, id: string, lang: string): string {
  const it = items[id];
  if (!it) return id;
  return lang === 'hi' && it.nameHi ? it.nameHi : it.name;
}

/** rows → value by `dx|pe|ou|by`. */
export function indexRows(rows: AnalyticsRow[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(`${r.dx}|${r.pe}|${r.ou}|${r.by ?? ''}`, r.value);
  return m;
}

/** Value for an area summed over the split groups (by), undefined when no row. */
export function areaValue(idx: Map<string, number>, res: AnalyticsResult, dx: string, pe: string, ou: string): number | undefined {
  const groups = res.metaData.by ?? [''];
  let total: number | undefined;
  for (const g of groups) {
    const v = idx.get(`${dx}|${pe}|${ou}|${g}`);
    if (v !== undefined) total = (total ?? 0) + v;
  }
  return total;
}

/** Rounds to at most 2 decimals for display. */
export const tidy = (n: number) => Math.round(n * 100) / 100;
