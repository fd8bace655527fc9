import { api, get } from '../../api.ts';

export const SERVICES = ['108', '102'] as const;
export const KINDS = ['BLS', 'ALS', 'PTV'] as const;
export const STATUSES = ['available', 'dispatched', 'on_trip', 'off_road'] as const;
export const PAGE_SIZE = 50;

export interface CrewMember { name: string; mobile?: string; from: string; to: string }
export interface Crew { driver: CrewMember | null; emt: CrewMember | null }
export interface Vehicle {
  id: string;
  registrationNumber: string;
  service: string;
  kind: string;
  baseFacilityId: string;
  baseFacilityName: string;
  deviceId: string;
  status: string;
  position: { latitude: number; longitude: number; fixTime: string; speedKmh: number | null } | null;
  crew?: Crew;
}
export interface Shift { from: string; to: string; driver: CrewMember | null; emt: CrewMember | null }
export interface NormRow {
  districtId: string;
  lgdCode: number | null;
  name: string;
  nameHi: string | null;
  population: number | null;
  year: number | null;
  vehicles: { bls: number; als: number; ptv: number; offRoad: number; service108: number; service102: number };
  required: { bls: number; als: number } | null;
  gap: { bls: number; als: number } | null;
}
export interface Norms { state: { id: string; lgdCode: number | null; name: string; nameHi: string | null }; norm: { blsPer: number; alsPer: number }; items: NormRow[] }

export const listVehicles = (offset: number, signal?: AbortSignal) =>
  get<{ items: Vehicle[]; total: number }>('/api/ambulances', { limit: PAGE_SIZE, offset }, signal);

export const registerVehicle = (body: { registrationNumber: string; service: string; kind: string; baseFacilityId: string; deviceId: string }) =>
  api<Vehicle>('POST', '/api/ambulances', { body });

export const setVehicleStatus = (id: string, status: string) =>
  api<Vehicle>('PATCH', `/api/ambulances/${encodeURIComponent(id)}`, { body: { status } });

export const getCrew = (id: string, signal?: AbortSignal) =>
  get<{ ambulanceId: string; registrationNumber: string; onShift: Crew; shifts: Shift[] }>(`/api/ambulances/${encodeURIComponent(id)}/crew`, undefined, signal);

export const setCrew = (id: string, body: { from: string; to: string; driver?: { name: string; mobile: string }; emt?: { name: string; mobile: string } }) =>
  api<Shift>('PUT', `/api/ambulances/${encodeURIComponent(id)}/crew`, { body });

export const getNorms = (state?: number, signal?: AbortSignal) =>
  get<Norms>('/api/ambulances/norms', { state }, signal);

export const setPopulation = (body: { districtId: string; population: number; year: number }) =>
  api<{ districtId: string; population: number; year: number }>('PUT', '/api/ambulances/norms/population', { body });
