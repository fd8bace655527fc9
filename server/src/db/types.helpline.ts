// The 104 health helpline: calls, transfers to a doctor or counsellor, outbound calls from lists
// (see modules/helpline and migration 20261205T0200).
import type { ColumnType, Generated } from 'kysely';

type MaybeTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type HelplineCategory = 'medical_advice' | 'counselling' | 'information' | 'complaint' | 'ambulance' | 'other';
export type HelplineDisposition = 'self_care' | 'visit_phc' | 'doctor_today' | 'emergency';
export type HelplineOutcome = 'resolved' | 'transferred' | 'dropped';
export type HelplineAmbulanceStatus = 'pending' | 'dispatched' | 'awaiting_place';
export type HelplineQueue = 'doctor' | 'counsellor';
export type HelplineTransferStatus = 'waiting' | 'claimed' | 'closed';
export type HelplineOutboundResult = 'reached' | 'not_reached' | 'switched_off' | 'wrong_number' | 'call_back' | 'refused';

export interface HelplineCallsTable {
  id: string;
  state_path: string;
  agent_id: string;
  caller_mobile: string;
  caller_name: string | null;
  patient_id: string | null;
  caller_known: Generated<boolean>;
  language: string;
  category: HelplineCategory;
  protocol: string | null;
  answers: ColumnType<unknown, string | null | undefined, string | null>;
  red_flags: ColumnType<string[], string[] | undefined, string[]>;
  disposition: HelplineDisposition | null;
  advice: string | null;
  notes: string | null;
  outcome: HelplineOutcome;
  latitude: number | null;
  longitude: number | null;
  village_id: string | null;
  complaint: string | null;
  ambulance_status: HelplineAmbulanceStatus | null;
  ambulance_problem: string | null;
  dispatch_call_id: string | null;
  duration_seconds: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface HelplineTransfersTable {
  id: string;
  call_id: string;
  state_path: string;
  queue: HelplineQueue;
  status: Generated<HelplineTransferStatus>;
  reason: string | null;
  claimed_by: string | null;
  claimed_at: MaybeTimestamp;
  closed_at: MaybeTimestamp;
  closing_note: string | null;
  created_at: Generated<Date>;
}

export interface HelplineOutboundCallsTable {
  id: string;
  state_path: string;
  agent_id: string;
  list: 'pregnancies_due';
  pregnancy_id: string | null;
  patient_id: string | null;
  result: HelplineOutboundResult;
  note: string | null;
  created_at: Generated<Date>;
}

export interface HelplineTables {
  helpline_calls: HelplineCallsTable;
  helpline_transfers: HelplineTransfersTable;
  helpline_outbound_calls: HelplineOutboundCallsTable;
}
