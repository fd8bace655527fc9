// Ambulances and their positions (see modules/ambulances and migration 20261203T0700).
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface AmbulancesTable {
  id: string;
  registration_number: string;
  service: '108' | '102';
  kind: 'BLS' | 'ALS' | 'PTV';
  base_facility_id: string;
  device_id: string;
  status: Generated<'available' | 'dispatched' | 'on_trip' | 'off_road'>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface AmbulancePositionsTable {
  ambulance_id: string;
  fix_time: Timestamp;
  received_at: Generated<Date>;
  latitude: number;
  longitude: number;
  speed_kmh: number | null;
  course: number | null;
  altitude: number | null;
  accuracy: number | null;
  battery: number | null;
  source: string;
}

export interface AmbulanceLatestPositionsTable {
  ambulance_id: string;
  fix_time: Timestamp;
  received_at: Generated<Date>;
  latitude: number;
  longitude: number;
  speed_kmh: number | null;
  course: number | null;
  battery: number | null;
  /** The vehicle's service and kind, copied for the nearest search (migration 20261210T0100). */
  service: string;
  kind: string;
}

/** Crew on shift, district populations, per-device keys (migration 20261204T0400). */
export interface AmbulanceCrewTable {
  id: string;
  ambulance_id: string;
  role: 'driver' | 'emt';
  name: string;
  mobile: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  set_by: string | null;
  set_at: Generated<Date>;
}

export interface DistrictPopulationsTable {
  district_id: string;
  year: number;
  population: number;
  source: 'entry' | 'import';
  set_by: string | null;
  set_at: Generated<Date>;
}

export interface AmbulanceDeviceKeysTable {
  ambulance_id: string;
  key_sha256: string;
  created_by: string | null;
  created_at: Generated<Date>;
}

export type AmbulanceEventKind = 'online' | 'offline' | 'overspeed' | 'geofence_enter' | 'geofence_exit' | 'long_halt';

/** Events read from the fixes (migration 20261204T0200, ambulances.events.ts). */
export interface AmbulanceEventsTable {
  id: Generated<string>;
  ambulance_id: string;
  kind: AmbulanceEventKind;
  at: Timestamp;
  latitude: number | null;
  longitude: number | null;
  facility_id: string | null;
  details: ColumnType<Record<string, unknown>, string | Record<string, unknown> | undefined, string | Record<string, unknown>>;
  created_at: Generated<Date>;
}

/** What the event detection remembers of each vehicle (one row, locked while its fixes are read). */
export interface AmbulanceEventStateTable {
  ambulance_id: string;
  last_fix_time: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  last_latitude: number | null;
  last_longitude: number | null;
  online: Generated<boolean>;
  overspeeding: Generated<boolean>;
  inside_facility_id: string | null;
  halted_since: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  halt_latitude: number | null;
  halt_longitude: number | null;
  halt_reported: Generated<boolean>;
  updated_at: Generated<Date>;
}

export interface AmbulanceTables {
  ambulances: AmbulancesTable;
  ambulance_positions: AmbulancePositionsTable;
  ambulance_latest_positions: AmbulanceLatestPositionsTable;
  ambulance_events: AmbulanceEventsTable;
  ambulance_event_state: AmbulanceEventStateTable;
  ambulance_crew: AmbulanceCrewTable;
  district_populations: DistrictPopulationsTable;
  ambulance_device_keys: AmbulanceDeviceKeysTable;
}
