import { get } from '../../api.ts';
import { todayIst } from '../patients/patients.api.ts';

export type StatsBy = 'day' | 'hub' | 'spoke' | 'specialty' | 'district' | 'state';

export interface Measures {
  requests: number;
  consultations: number;
  completed: number;
  noShows: number;
  noShowRate: number | null;
  waitP50Minutes: number | null;
  waitP90Minutes: number | null;
  waitP95Minutes: number | null;
}

export interface StatsRow extends Measures {
  key: string;
  name: string;
  nameHi: string | null;
  orgUnitId: string | null;
  lgdCode: number | null;
}

export interface Stats { from: string; to: string; by: StatsBy; rows: StatsRow[]; total: Measures & { key: string } }

export interface DoctorUse {
  doctorId: string;
  name: string;
  nameHi: string | null;
  hubId: string;
  hubName: string;
  hubNameHi: string | null;
  specialties: string[];
  onlineMinutes: number;
  consultingMinutes: number;
  utilisation: number | null;
  consultations: number;
}

export interface Utilisation {
  from: string;
  to: string;
  items: DoctorUse[];
  total: { onlineMinutes: number; consultingMinutes: number; utilisation: number | null; consultations: number };
}

export interface RankedState {
  rank: number;
  stateLgd: number;
  name: string;
  nameHi: string | null;
  consultations: number;
  share: number | null;
  days: number;
  ownConsultations: number | null;
}

export interface Ranking {
  from: string;
  to: string;
  total: number;
  days: number;
  latestDay: string | null;
  sources: string[];
  items: RankedState[];
  own: { stateLgd: number; name: string; nameHi: string | null; consultations: number }[];
}

export interface Period { from: string; to: string }

export const getStats = (p: Period, by: StatsBy, orgUnit: string | undefined, signal?: AbortSignal) =>
  get<Stats>('/api/telemedicine/stats', { ...p, by, orgUnit }, signal);

export const getUtilisation = (p: Period, orgUnit: string | undefined, signal?: AbortSignal) =>
  get<Utilisation>('/api/telemedicine/utilisation', { ...p, orgUnit }, signal);

export const getRanking = (p: Period, signal?: AbortSignal) => get<Ranking>('/api/telemedicine/ranking', { ...p }, signal);

const DAY_MS = 86_400_000;

export function shiftDay(day: string, by: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + by * DAY_MS).toISOString().slice(0, 10);
}

export const PRESETS = ['last7', 'last30', 'last90', 'thisMonth', 'custom'] as const;
export type Preset = (typeof PRESETS)[number];

/** The days a preset covers, ending today (IST). */
export function presetPeriod(preset: Preset, today = todayIst()): Period {
  switch (preset) {
    case 'last7': return { from: shiftDay(today, -6), to: today };
    case 'last90': return { from: shiftDay(today, -89), to: today };
    case 'thisMonth': return { from: `${today.slice(0, 8)}01`, to: today };
    default: return { from: shiftDay(today, -29), to: today };
  }
}

/** DD/MM from YYYY-MM-DD, for chart labels. */
export const dayMonth = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}`;
