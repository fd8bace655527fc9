// The dispatcher's API: calls and trips (/api/dispatch), suggested vehicles (/api/ambulances/nearest)
// and the live map's stream (/api/ambulances/live).
import { api, get } from '../../api.ts';

export type Service = '108' | '102';
export type VehicleStatus = 'available' | 'dispatched' | 'on_trip' | 'off_road';
export type Step = 'en_route' | 'at_scene' | 'left_scene' | 'at_hospital' | 'back_in_service';

export interface LivePosition { latitude: number; longitude: number; fixTime: string; speedKmh: number | null }
export interface LiveVehicle {
  id: string; registrationNumber: string; service: string; kind: string; status: VehicleStatus | string;
  baseFacilityId: string; baseFacilityName: string; position: LivePosition | null;
}
export interface LiveCall {
  id: string; service: string; kind: string | null; complaint: string; latitude: number; longitude: number;
  districtId: string; status: string; createdAt: string;
  trip: { id: string; ambulanceId: string; registrationNumber: string; status: string } | null;
}
export interface Snapshot { at: string; vehicles: LiveVehicle[]; calls: LiveCall[] }
export type LiveEvent =
  | ({ type: 'position'; ambulanceId: string } & LivePosition)
  | { type: 'vehicle'; ambulanceId: string; status: string }
  | { type: 'call'; call: LiveCall }
  | { type: 'event'; ambulanceId: string; kind: string };

export interface Suggested {
  id: string; registrationNumber: string; service: string; kind: string; baseFacilityName: string;
  distanceKm: number; etaMinutes: number; position: LivePosition | null;
}

export interface NewCall {
  callerPhone: string; callerName?: string; latitude: number; longitude: number; villageId?: string;
  complaint: string; service: Service; kind?: string; pregnancyRegistrationNumber?: string;
}
export interface Trip {
  id: string; ambulanceId: string; registrationNumber: string; status: string; distanceKm: number | null; etaMinutes: number | null;
  destinationFacilityId?: string | null; destinationFacilityName?: string | null; assignedAt: string;
  enRouteAt?: string | null; atSceneAt?: string | null; leftSceneAt?: string | null; atHospitalAt?: string | null; completedAt?: string | null;
}
export interface CallDetail {
  id: string; service: string; kind: string | null; complaint: string; latitude: number; longitude: number; status: string;
  createdAt: string; callerName: string | null; callerPhoneMasked: string; districtName?: string;
  trips: Trip[];
  steps: { step: string; at: string; tripId: string | null; by: { userId: string; name: string } | null; bySystem: string | null; note: string | null }[];
}
export interface Assigned { tripId: string; ambulanceId: string; registrationNumber: string; distanceKm: number | null; etaMinutes: number | null }

export const createCall = (body: NewCall) => api<{ id: string; status: string; districtId: string }>('POST', '/api/dispatch/calls', { body });
export const getCall = (id: string, signal?: AbortSignal) => get<CallDetail>(`/api/dispatch/calls/${encodeURIComponent(id)}`, undefined, signal);
export const nearest = (q: { latitude: number; longitude: number; service: Service }, signal?: AbortSignal) =>
  get<{ items: Suggested[] }>('/api/ambulances/nearest', { ...q, limit: 5 }, signal);
export const assign = (callId: string, ambulanceId?: string) =>
  api<Assigned>('POST', `/api/dispatch/calls/${encodeURIComponent(callId)}/assign`, { body: ambulanceId ? { ambulanceId } : {} });
export const stepTrip = (tripId: string, step: Step, destinationFacilityId?: string) =>
  api<unknown>('POST', `/api/dispatch/trips/${encodeURIComponent(tripId)}/steps`, { body: destinationFacilityId ? { step, destinationFacilityId } : { step } });
export const declineTrip = (tripId: string, reason: string) => api<unknown>('POST', `/api/dispatch/trips/${encodeURIComponent(tripId)}/decline`, { body: { reason } });
export const cancelCall = (callId: string, reason: string) => api<unknown>('POST', `/api/dispatch/calls/${encodeURIComponent(callId)}/cancel`, { body: { reason } });
export const getVehicle = (id: string) => get<LiveVehicle>(`/api/ambulances/${encodeURIComponent(id)}`);

/** The trip's next step, from its status (null when it has ended). */
export function nextStep(status: string): Step | null {
  switch (status) {
    case 'assigned': return 'en_route';
    case 'en_route': return 'at_scene';
    case 'at_scene': return 'left_scene';
    case 'left_scene': return 'at_hospital';
    case 'at_hospital': return 'back_in_service';
    default: return null;
  }
}
export const ACTIVE_TRIP = ['assigned', 'en_route', 'at_scene', 'left_scene', 'at_hospital'];
export const OPEN_CALL = ['waiting', 'assigned', 'en_route', 'at_scene', 'left_scene', 'at_hospital'];
