import { api, get } from '../../api.ts';

export interface Named { code: string; name: string; nameHi: string }
export interface Disease extends Named { form: string; alertAt: number | null; alertRule: string; alertRuleHi: string }
export interface Unit { id: string; name: string; nameHi: string | null; level: string }
export interface Window { weeks: string[]; cases: number; mean: number; sd: number; threshold: number; pastYears: number[] }

export interface StoredReport {
  orgUnit: Unit; week: string; startDate: string; endDate: string; form: string; replaced: boolean;
  submittedBy: string; submittedAt: string; counts: (Named & { cases: number; deaths: number })[];
}
export interface Rising { orgUnit: Unit; week: string; items: (Named & { form: string; last4: Window; excess: number })[] }
export interface Burden {
  disease: Named; orgUnit: Unit; level: string; from: string; to: string;
  total: { cases: number; deaths: number; facilitiesReporting: number };
  items: { rank: number; id: string | null; name: string; nameHi: string | null; cases: number; deaths: number; facilitiesReporting: number; casesPerFacility: number | null }[];
}
export interface Alerts {
  orgUnit: Unit; week: string;
  items: {
    district: { id: string; name: string; nameHi: string | null }; disease: Named & { form: string };
    cases: number; deaths: number; kind: 'absolute' | 'statistical'; threshold: number; mean: number | null; sd: number | null; why: string; whyHi: string;
  }[];
}

export const listDiseases = (signal?: AbortSignal) => get<{ forms: Named[]; items: Disease[] }>('/api/surveillance/diseases', undefined, signal);
export const submitReport = (body: { orgUnit: string; week: string; form: string; counts: { disease: string; cases: number; deaths?: number }[] }) =>
  api<StoredReport>('POST', '/api/surveillance/reports', { body });
export const getAlerts = (orgUnit: string, week: string, signal?: AbortSignal) => get<Alerts>('/api/surveillance/alerts', { orgUnit, week }, signal);
export const getRising = (orgUnit: string, week: string, signal?: AbortSignal) => get<Rising>('/api/surveillance/rising', { orgUnit, week }, signal);
export const getBurden = (q: { disease: string; orgUnit: string; from: string; to: string; level: string }, signal?: AbortSignal) =>
  get<Burden>('/api/surveillance/burden', q, signal);

const IST_OFFSET_MS = 330 * 60_000;
const pad = (n: number) => String(n).padStart(2, '0');

/** ISO week (DHIS2 Weekly, Monday–Sunday) of a UTC-midnight date, e.g. 2026W46. */
export function isoWeek(d: Date): string {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const year = t.getUTCFullYear();
  const week = Math.ceil(((t.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}W${week}`;
}

/** Monday of an ISO week as DD/MM/YYYY – Sunday. */
export function weekSpan(week: string): string {
  const m = /^(\d{4})W(\d{1,2})$/.exec(week);
  if (!m) return week;
  const jan4 = new Date(Date.UTC(Number(m[1]), 0, 4));
  const monday = new Date(jan4.getTime() - ((jan4.getUTCDay() || 7) - 1) * 86_400_000 + (Number(m[2]) - 1) * 7 * 86_400_000);
  const sunday = new Date(monday.getTime() + 6 * 86_400_000);
  const f = (d: Date) => `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
  return `${f(monday)} – ${f(sunday)}`;
}

/** The last `count` weeks before this one (IST), newest first: last week is the first. */
export function recentWeeks(count = 12, now = new Date()): string[] {
  const ist = new Date(now.getTime() + IST_OFFSET_MS);
  const out: string[] = [];
  for (let k = 1; k <= count; k++) out.push(isoWeek(new Date(ist.getTime() - k * 7 * 86_400_000)));
  return out;
}
