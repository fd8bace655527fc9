// ASHA incentives: register, catalogue, claims, batches (see modules/asha and migration 20261206T0100).
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type MaybeTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type JsonCol<T> = ColumnType<T, string | undefined, string>;

export type AshaClaimStatus = 'submitted' | 'recommended' | 'approved' | 'batched' | 'paid' | 'failed' | 'rejected';

export interface AshaWorkersTable {
  id: string;
  user_id: string;
  name: string;
  name_hi: string | null;
  mobile: string;
  sub_centre_id: string;
  sub_centre_path: string;
  block_id: string;
  block_path: string;
  state_lgd: number | null;
  bank_account: string | null;
  ifsc: string | null;
  active_from: string;
  active_to: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface AshaVillagesTable { asha_id: string; village_id: string; village_path: string }
export interface AshaActivitiesTable {
  code: string;
  name_en: string;
  name_hi: string;
  variant: 'rural' | 'urban' | null;
  fund_source: 'NHM' | 'STATE';
  evidence: ColumnType<string[], string[] | undefined, string[]>;
  beneficiary_kind: 'mother' | 'child' | 'tb' | 'none';
  per_beneficiary_limit: number | null;
  per_month_limit: number | null;
  linked_record: 'delivery' | 'immunisation' | 'opd_visit' | 'household' | null;
  component_of: string | null;
  sort_order: Generated<number>;
}
/** state_lgd: the state whose own rate this is, or 0 for the national (NHM) rate (migration 20261207T0200). */
export interface AshaRatesTable { activity_code: string; state_lgd: Generated<number>; effective_from: string; amount: number; created_by: string | null; created_at: Generated<Date> }
export interface AshaSettingsTable { state_lgd: number; window_start_day: Generated<number>; entry_deadline_day: Generated<number>; escalation_days: Generated<number> }
export interface AshaClaimsTable {
  id: string;
  client_id: string;
  asha_id: string;
  activity_code: string;
  beneficiary_patient_id: string | null;
  pregnancy_number: string | null;
  done_on: string;
  claim_month: string;
  amount: number;
  fund_source: string;
  status: Generated<AshaClaimStatus>;
  flags: JsonCol<{ code: string; message: string; messageHi?: string }[]>;
  photo_key: string | null;
  sub_centre_path: string;
  block_id: string;
  state_lgd: number | null;
  submitted_at: Timestamp;
  status_at: Timestamp;
  recommended_by: string | null; recommended_at: MaybeTimestamp;
  approved_by: string | null; approved_at: MaybeTimestamp; approve_note: string | null;
  rejected_by: string | null; rejected_at: MaybeTimestamp; reject_reason: string | null;
  escalated_level: Generated<number>;
  batch_id: string | null;
  paid_on: string | null;
  utr: string | null;
  fail_reason: string | null;
  created_at: Generated<Date>;
}
export interface AshaBatchesTable {
  id: string;
  block_id: string;
  block_path: string;
  month: string;
  status: Generated<'open' | 'closed'>;
  total: Generated<number>;
  row_count: Generated<number>;
  held_back: JsonCol<{ ashaId: string; name: string; reason: string }[]>;
  created_by: string | null;
  created_at: Generated<Date>;
  closed_at: MaybeTimestamp;
}
export interface AshaBatchRowsTable {
  batch_id: string;
  reference: string;
  asha_id: string;
  fund_source: string;
  amount: number;
  claims: number;
  bank_account: string;
  ifsc: string;
  status: Generated<'pending' | 'paid' | 'failed'>;
  utr: string | null;
  reason: string | null;
  returned_at: MaybeTimestamp;
}
export interface AshaBatchClaimsTable { batch_id: string; reference: string; claim_id: string; pending: Generated<boolean> }
export interface AshaNoticesTable { id: Generated<string>; claim_id: string; org_path: string; level: string; text: string; at: Generated<Date> }
export interface AshaNoticeReadsTable { notice_id: string; user_id: string; seen_at: Generated<Date> }

export interface AshaTables {
  asha_workers: AshaWorkersTable;
  asha_villages: AshaVillagesTable;
  asha_activities: AshaActivitiesTable;
  asha_rates: AshaRatesTable;
  asha_settings: AshaSettingsTable;
  asha_claims: AshaClaimsTable;
  asha_batches: AshaBatchesTable;
  asha_batch_rows: AshaBatchRowsTable;
  asha_batch_claims: AshaBatchClaimsTable;
  asha_notices: AshaNoticesTable;
  asha_notice_reads: AshaNoticeReadsTable;
}
