// The receiving facility's API: ambulances heading to it or arrived (GET /api/dispatch/incoming) and the
// acknowledgement that it has seen one coming (POST /api/dispatch/trips/{id}/acknowledge).
import { api, get } from '../../api.ts';

export interface IncomingTrip {
  tripId: string; callId: string; ambulanceId: string; registrationNumber: string; vehicleKind: string;
  service: string; kind: string | null; complaint: string;
  /** `left_scene` (on its way here) or `at_hospital` (arrived). */
  status: 'left_scene' | 'at_hospital' | string;
  destinationFacilityId: string; destinationFacilityName: string;
  leftSceneAt: string | null; atHospitalAt: string | null;
  /** By road from the vehicle's latest position, while it is on its way. */
  distanceKm: number | null; etaMinutes: number | null;
  position: { latitude: number; longitude: number; fixTime: string } | null;
  acknowledgedAt: string | null; acknowledgedBy: { userId: string; name: string } | null;
}

export const listIncoming = (signal?: AbortSignal) => get<{ items: IncomingTrip[] }>('/api/dispatch/incoming', undefined, signal);
export const acknowledgeTrip = (tripId: string) =>
  api<{ id: string; acknowledgedAt: string | null }>('POST', `/api/dispatch/trips/${encodeURIComponent(tripId)}/acknowledge`);
