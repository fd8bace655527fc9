// Presence grants: proof that a patient is present before staff who may not read the record link
// the patient to their place (see modules/patients/patients.presence.ts).
import type { Generated } from 'kysely';

export interface PatientPresenceTable {
  id: string;
  patient_id: string;
  user_id: string;
  username: string;
  role: string;
  org_unit_id: string;
  org_unit_path: string;
  method: 'otp' | 'card' | 'break_glass';
  reason: string | null;
  /** The patient's home, for the review list of the district officer. */
  patient_home_path: string;
  sms_sent: Generated<boolean>;
  created_at: Generated<Date>;
  expires_at: Date;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  review_note: string | null;
}

export interface PresenceTables {
  patient_presence: PatientPresenceTable;
}
