// Tables of telemedicine: the hub-and-spoke network, rosters and duty, the queue of requests,
// consultations, prescriptions and dispensing, referrals, and national counts by state.
import type { ColumnType, Generated } from 'kysely';
import type { DateOnly, Json } from './types.js';

export interface TeleHubSpecialtiesTable { hub_id: string; specialty: string; home_opd: Generated<boolean> }
export interface TeleSpokeHubsTable { spoke_id: string; hub_id: string; linked_at: Generated<Date> }
export interface TeleEquipmentTable {
  facility_id: string;
  kind: 'desktop' | 'webcam' | 'headset' | 'printer' | 'connectivity';
  installed: Generated<number>;
  on_order: Generated<number>;
  working: Generated<number>;
  updated_at: Generated<Date>;
  updated_by: string | null;
}
export interface TeleDoctorsTable {
  user_id: string;
  hub_id: string;
  hpr_id: string | null;
  registration_number: string | null;
  council: string | null;
  specialties: ColumnType<string[], string[], string[]>;
  qualification: string | null;
  name: string;
  name_hi: string | null;
}
export interface TeleRostersTable {
  id: string;
  hub_id: string;
  specialty: string;
  user_id: string;
  weekday: number;
  starts: string;
  ends: string;
  created_by: string | null;
  created_at: Generated<Date>;
}
export type DutyStatus = 'online' | 'break' | 'offline';
export interface TeleDutyTable {
  user_id: string;
  hub_id: string;
  specialty: string;
  status: DutyStatus;
  since: Generated<Date>;
  seen_at: Generated<Date>;
}
export interface TeleDutyLogTable { id: Generated<string>; user_id: string; hub_id: string; specialty: string; status: DutyStatus; at: Generated<Date> }
export interface TeleTokensTable { hub_id: string; specialty: string; day: DateOnly; last: number }
export type TeleRequestStatus = 'waiting' | 'called' | 'in_consultation' | 'completed' | 'no_show' | 'expired' | 'cancelled';
export interface TeleRequestsTable {
  id: string;
  token: number;
  day: DateOnly;
  hub_id: string;
  hub_path: string;
  specialty: string;
  patient_id: string;
  channel: 'spoke' | 'home';
  spoke_id: string | null;
  spoke_path: string | null;
  state_lgd: number | null;
  district_lgd: number | null;
  /** 0 emergency, 1 follow-up with this doctor, 2 elderly or pregnant, 3 everyone else. */
  priority: number;
  priority_reason: string | null;
  preferred_doctor_id: string | null;
  complaint: string | null;
  vitals: Json | null;
  status: TeleRequestStatus;
  queued_at: Generated<Date>;
  requeues: Generated<number>;
  called_at: Date | null;
  doctor_id: string | null;
  started_at: Date | null;
  ended_at: Date | null;
  expires_at: Date;
  room_url: string | null;
  /** sha256 of the key a citizen's waiting-room page holds (home requests). */
  access_key_hash: string | null;
  /** When a citizen's waiting-room page last showed it was open (home requests). */
  client_seen_at: Date | null;
  requested_by: string | null;
  created_at: Generated<Date>;
}
export interface TeleConsultationsTable {
  request_id: string;
  patient_id: string;
  doctor_id: string;
  notes: string | null;
  diagnoses: ColumnType<Json, string | undefined, string>;
  advice: string | null;
  follow_up_on: DateOnly | null;
  updated_at: Generated<Date>;
}
export interface TeleFormularyTable { code: string; generic_name: string; name_hi: string | null; strength: string; form: string; active: Generated<boolean> }
export interface TelePrescriptionsTable {
  id: string;
  request_id: string;
  patient_id: string;
  doctor_id: string;
  spoke_id: string | null;
  issued_at: Generated<Date>;
}
export interface TelePrescriptionItemsTable {
  id: string;
  prescription_id: string;
  line: number;
  formulary_code: string | null;
  medicine: string;
  strength: string | null;
  form: string | null;
  dose: string;
  frequency: string;
  days: number;
  instructions: string | null;
  dispensed_quantity: number | null;
  dispensed_at: Date | null;
  dispensed_by: string | null;
}
export interface FacilityStockTable { facility_id: string; formulary_code: string; quantity: number; updated_at: Generated<Date> }
export type ReferralStatus = 'referred' | 'acknowledged' | 'arrived' | 'seen' | 'cancelled';
export interface ReferralsTable {
  id: string;
  patient_id: string;
  request_id: string | null;
  from_facility_id: string | null;
  from_path: string | null;
  to_facility_id: string;
  to_path: string;
  specialty: string | null;
  urgency: 'routine' | 'urgent' | 'emergency';
  reason: string;
  status: ReferralStatus;
  referred_by: string;
  referred_at: Generated<Date>;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  arrived_at: Date | null;
  seen_at: Date | null;
  updated_at: Generated<Date>;
}
export interface TeleStateCountsTable { state_lgd: number; state_name: string; day: DateOnly; consultations: number; source: string }

export interface TelemedicineTables {
  tele_hub_specialties: TeleHubSpecialtiesTable;
  tele_spoke_hubs: TeleSpokeHubsTable;
  tele_equipment: TeleEquipmentTable;
  tele_doctors: TeleDoctorsTable;
  tele_rosters: TeleRostersTable;
  tele_duty: TeleDutyTable;
  tele_duty_log: TeleDutyLogTable;
  tele_tokens: TeleTokensTable;
  tele_requests: TeleRequestsTable;
  tele_consultations: TeleConsultationsTable;
  tele_formulary: TeleFormularyTable;
  tele_prescriptions: TelePrescriptionsTable;
  tele_prescription_items: TelePrescriptionItemsTable;
  facility_stock: FacilityStockTable;
  referrals: ReferralsTable;
  tele_state_counts: TeleStateCountsTable;
}
