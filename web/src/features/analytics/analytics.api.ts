import { api, downloadFile, get } from '../../api.ts';

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

/** Downloads the export (CSV or Excel) of the query. */
export function downloadAnalytics(q: AnalyticsQuery, format: 'csv' | 'xlsx'): Promise<void> {
  return downloadFile('/api/hmis/analytics', { ...q, format }, `swasthya-analytics-${q.pe.replace(/[^\w]+/g, '_').slice(0, 40)}.${format}`);
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

/** What a favourite keeps: the Analytics screen's own choices (server: hmis.favourites.routes.ts). */
export interface Selection {
  items: string[];
  indicators: string[];
  preset: 'LAST_12_MONTHS' | 'THIS_FINANCIAL_YEAR' | 'QUARTERS' | 'RANGE';
  from?: string;
  to?: string;
  ou: string;
  level: 'state' | 'district' | 'block' | 'facility';
  by?: 'ownership' | 'type';
}
export interface Favourite { id: string; name: string; selection: Selection; createdAt: string; updatedAt: string }

const FAV = '/api/hmis/analytics/favourites';
export const listFavourites = (offset: number, limit: number, signal?: AbortSignal) =>
  get<{ items: Favourite[]; total: number }>(FAV, { offset, limit }, signal);
export const saveFavourite = (name: string, selection: Selection) => api<Favourite>('POST', FAV, { body: { name, selection } });
export const renameFavourite = (id: string, name: string) => api<Favourite>('PATCH', `${FAV}/${encodeURIComponent(id)}`, { body: { name } });
export const deleteFavourite = (id: string) => api<void>('DELETE', `${FAV}/${encodeURIComponent(id)}`);
