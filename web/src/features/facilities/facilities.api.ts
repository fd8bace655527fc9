import { api, get } from '../../api.ts';

export const FACILITY_TYPES = [
  'SC', 'PHC', 'CHC', 'SDH', 'DH', 'MC', 'PRIVATE_HOSPITAL', 'NURSING_HOME', 'CLINIC', 'AYUSH', 'DIAGNOSTIC',
] as const;
export type FacilityType = (typeof FACILITY_TYPES)[number];
export const OWNERSHIPS = ['public', 'private'] as const;
export const SYSTEMS = ['allopathic', 'ayush'] as const;
export const AYUSH_SYSTEMS = ['ayurveda', 'yoga', 'unani', 'siddha', 'homoeopathy', 'sowa_rigpa'] as const;
export const PORTAL_STATUSES = ['registered', 'listed'] as const;
export type PortalStatus = (typeof PORTAL_STATUSES)[number];

export interface UnitRef {
  id: string;
  lgdCode: string | number | null;
  name: string;
  nameHi?: string | null;
}

export interface Upgrade {
  id?: string;
  kind: 'hwc' | 'type' | 'beds' | string;
  fromType?: string | null;
  toType?: string | null;
  fromBeds?: number | null;
  toBeds?: number | null;
  beds?: number | null;
  date: string;
  note?: string | null;
}

export interface Facility {
  id: string;
  name: string;
  nameHi?: string | null;
  type: FacilityType | string;
  ownership: 'public' | 'private' | string;
  system: 'allopathic' | 'ayush' | string;
  ayushSystem?: string | null;
  orgUnitId?: string | null;
  state: UnitRef | null;
  district: UnitRef | null;
  block: UnitRef | null;
  latitude: number | null;
  longitude: number | null;
  beds?: number | null;
  phone?: string | null;
  email?: string | null;
  address?: string | null;
  pincode?: string | null;
  hfrId?: string | null;
  portalStatus: PortalStatus | string;
  registeredOn?: string | null;
  hwc?: boolean | null;
  hwcSince?: string | null;
  desktops?: number | null;
  webcams?: number | null;
  equipment?: unknown;
  upgrades?: Upgrade[];
  createdAt?: string;
  updatedAt?: string;
}

export interface FacilityBody {
  name: string;
  nameHi?: string;
  type: string;
  ownership: string;
  system: string;
  ayushSystem?: string;
  orgUnit: string;
  latitude?: number;
  longitude?: number;
  beds?: number;
  phone?: string;
  email?: string;
  address?: string;
  pincode?: string;
  hfrId?: string;
  hwc?: boolean;
  desktops?: number;
  webcams?: number;
}

export interface FacilityFilters {
  state?: string;
  district?: string;
  block?: string;
  type?: string;
  ownership?: string;
  system?: string;
  portalStatus?: string;
  q?: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface FacilityPoint {
  id: string;
  name: string;
  type: string;
  ownership: string;
  portalStatus: string;
  latitude: number | null;
  longitude: number | null;
}

export interface TypeCount {
  total: number;
  registered: number;
}

export interface FacilitySummary {
  orgUnit: unknown;
  registered: number;
  registeredAyush: number;
  listed: number;
  private: TypeCount;
  byType: Record<string, TypeCount>;
}

type Q = Record<string, string | number | undefined>;

export const listFacilities = (f: FacilityFilters & { limit?: number; offset?: number }, signal?: AbortSignal) =>
  get<Page<Facility>>('/api/facilities', f as Q, signal);

export const facilityPoints = (f: FacilityFilters, signal?: AbortSignal) =>
  get<{ items: FacilityPoint[] }>('/api/facilities/points', f as Q, signal);

export const facilitySummary = (orgUnit: string, signal?: AbortSignal) =>
  get<FacilitySummary>('/api/facilities/summary', { orgUnit }, signal);

export const getFacility = (id: string, signal?: AbortSignal) =>
  get<Facility>(`/api/facilities/${encodeURIComponent(id)}`, undefined, signal);

export const createFacility = (body: FacilityBody) => api<Facility>('POST', '/api/facilities', { body });

export const updateFacility = (id: string, body: Partial<FacilityBody>) =>
  api<Facility>('PATCH', `/api/facilities/${encodeURIComponent(id)}`, { body });

export const deleteFacility = (id: string) =>
  api<void>('DELETE', `/api/facilities/${encodeURIComponent(id)}`);

export const markRegistered = (id: string, date?: string) =>
  api<Facility>('POST', `/api/facilities/${encodeURIComponent(id)}/registration`, {
    body: date ? { date } : {},
  });
