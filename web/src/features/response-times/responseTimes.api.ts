import { api, get } from '../../api.ts';

export type Service = '108' | '102';
export type Area = 'urban' | 'rural';

export interface Measures {
  calls: number;
  reached: number;
  withinTarget: number;
  withinTargetShare: number | null;
  callToDispatchP50: number | null;
  callToDispatchP90: number | null;
  dispatchToSceneP50: number | null;
  dispatchToSceneP90: number | null;
  callToSceneP50: number | null;
  callToSceneP90: number | null;
  callToHospitalP50: number | null;
  callToHospitalP90: number | null;
}

export interface FleetMeasures { vehicles: number; offRoadNow: number; trips: number; tripsPerVehiclePerDay: number | null }

export interface DistrictFigures extends Measures, FleetMeasures {
  districtId: string;
  name: string;
  nameHi: string | null;
  lgdCode: number | null;
  service: Service;
  targetUrbanMinutes: number;
  targetRuralMinutes: number;
}

export interface Figures {
  from: string;
  to: string;
  days: number;
  service: Service | null;
  districts: DistrictFigures[];
  totals: (Measures & FleetMeasures & { service: Service })[];
}

export interface Monthly { from: string; to: string; districtId: string | null; series: { service: Service; items: (Measures & { month: string })[] }[] }

export interface Ranking {
  month: string;
  service: Service;
  state: { id: string; name: string; nameHi: string | null; lgdCode: number | null };
  items: (Measures & { rank: number | null; districtId: string; name: string; nameHi: string | null; lgdCode: number | null })[];
}

export interface Targets {
  state: { id: string; name: string; nameHi: string | null; lgdCode: number | null };
  canEdit: boolean;
  items: { service: Service; area: Area; callToSceneMinutes: number; defaultMinutes: number; source: 'state' | 'default' }[];
  districts: { districtId: string; name: string; nameHi: string | null; service: Service; area: Area; callToSceneMinutes: number }[];
}

export const getFigures = (q: { from: string; to: string; service?: string; state?: string }, signal?: AbortSignal) =>
  get<Figures>('/api/dispatch/response-times', q, signal);
export const getMonthly = (q: { from: string; to: string; service: string; district?: string; state?: string }, signal?: AbortSignal) =>
  get<Monthly>('/api/dispatch/response-times/monthly', q, signal);
export const getRanking = (q: { month: string; service: string; state?: string }, signal?: AbortSignal) =>
  get<Ranking>('/api/dispatch/ranking', q, signal);
export const getTargets = (state: string | undefined, signal?: AbortSignal) => get<Targets>('/api/dispatch/targets', { state }, signal);
export const putTargets = (body: { state?: string; items: { service: Service; area: Area; callToSceneMinutes: number | null }[] }) =>
  api<Targets>('PUT', '/api/dispatch/targets', { body });

/** A month in IST as YYYY-MM, `back` months before this one. */
export function monthIst(back = 0): string {
  const d = new Date(Date.now() + 330 * 60_000);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - back, 1)).toISOString().slice(0, 7);
}

/** The share reached within target: how it stands (shown in words and colour). */
export type Standing = 'met' | 'near' | 'behind' | 'none';
export const MET_SHARE = 0.9;
export const NEAR_SHARE = 0.7;
export function standing(share: number | null): Standing {
  if (share === null) return 'none';
  return share >= MET_SHARE ? 'met' : share >= NEAR_SHARE ? 'near' : 'behind';
}
