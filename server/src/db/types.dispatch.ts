// Ambulance dispatch: calls, trips and their steps (see modules/dispatch and migration 20261204T0100).
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type MaybeTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type CallStatus = 'waiting' | 'assigned' | 'en_route' | 'at_scene' | 'left_scene' | 'at_hospital' | 'closed' | 'cancelled';
export type TripStatus = 'assigned' | 'en_route' | 'at_scene' | 'left_scene' | 'at_hospital' | 'completed' | 'declined' | 'timed_out' | 'cancelled';

export interface DispatchCallsTable {
  id: string;
  service: '108' | '102';
  kind: 'BLS' | 'ALS' | 'PTV' | null;
  caller_name: string | null;
  caller_phone: string;
  latitude: number;
  longitude: number;
  village_id: string | null;
  district_id: string;
  area: Generated<'urban' | 'rural'>;
  complaint: string;
  pregnancy_id: string | null;
  patient_id: string | null;
  destination_facility_id: string | null;
  status: Generated<CallStatus>;
  cancel_reason: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  closed_at: MaybeTimestamp;
}

export interface DispatchTripsTable {
  id: string;
  call_id: string;
  ambulance_id: string;
  status: Generated<TripStatus>;
  distance_km: number | null;
  eta_minutes: number | null;
  destination_facility_id: string | null;
  assigned_at: Timestamp;
  assigned_by: string | null;
  en_route_at: MaybeTimestamp;
  at_scene_at: MaybeTimestamp;
  left_scene_at: MaybeTimestamp;
  at_hospital_at: MaybeTimestamp;
  acknowledged_at: MaybeTimestamp;
  acknowledged_by: string | null;
  completed_at: MaybeTimestamp;
  ended_reason: string | null;
  updated_at: Generated<Date>;
}

export interface DispatchStepsTable {
  id: Generated<number>;
  call_id: string;
  trip_id: string | null;
  step: string;
  at: Timestamp;
  by_user: string | null;
  by_system: string | null;
  note: string | null;
}

/** The state's call-to-scene targets (migration 20261204T0300; modules/dispatch/stats). */
export interface DispatchTargetsTable {
  id: Generated<number>;
  state_id: string;
  district_id: string | null;
  service: '108' | '102';
  area: 'urban' | 'rural';
  call_to_scene_minutes: number;
  updated_by: string | null;
  updated_at: Generated<Date>;
}

export interface DispatchTables {
  dispatch_calls: DispatchCallsTable;
  dispatch_trips: DispatchTripsTable;
  dispatch_steps: DispatchStepsTable;
  dispatch_targets: DispatchTargetsTable;
}
