// Grievance redressal: tickets, events, attachments, settings (see modules/grievances and migration 20261205T0300).
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type MaybeTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type GrievanceStatusCode = 'new' | 'assigned' | 'in_progress' | 'waiting_for_citizen' | 'resolved' | 'closed' | 'reopened';
export type GrievanceLevelCode = 'facility' | 'district' | 'state';

export interface GrievancesTable {
  id: string;
  ticket_number: string;
  type: string;
  status: Generated<GrievanceStatusCode>;
  level: GrievanceLevelCode;
  source: 'public' | 'helpline' | 'help_desk';
  language: string | null;
  mobile: string;
  name: string | null;
  description: string;
  facility_id: string | null;
  district_id: string;
  state_lgd: number | null;
  org_path: string;
  helpline_call_id: string | null;
  assigned_to: string | null;
  escalated_level: Generated<number>;
  escalated_at: MaybeTimestamp;
  first_response_due: Timestamp;
  first_responded_at: MaybeTimestamp;
  resolution_due: Timestamp;
  extension_reason: string | null;
  extended_at: MaybeTimestamp;
  resolution: string | null;
  resolved_at: MaybeTimestamp;
  closed_at: MaybeTimestamp;
  rating_satisfied: boolean | null;
  rating_score: number | null;
  rating_comment: string | null;
  rated_at: MaybeTimestamp;
  appeal_level: GrievanceLevelCode | null;
  appeal_opened_at: MaybeTimestamp;
  appeal_due: MaybeTimestamp;
  appeal_decided_at: MaybeTimestamp;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface GrievanceEventsTable {
  id: Generated<number>;
  grievance_id: string;
  at: Timestamp;
  kind: string;
  text: string | null;
  visible: boolean;
  from_status: string | null;
  to_status: string | null;
  by_user: string | null;
  by_role: string | null;
  by_citizen: Generated<boolean>;
}

export interface GrievanceAttachmentsTable {
  id: string;
  grievance_id: string;
  media_type: string;
  bytes: number;
  sha256: string;
  storage_key: string;
  title: string | null;
  by_citizen: boolean;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface GrievanceSequencesTable {
  district_id: string;
  month: string;
  last: number;
}

export interface GrievanceRoutingTable {
  state_lgd: number;
  type: string;
  level: GrievanceLevelCode;
  first_response_days: number;
  resolution_days: number;
  updated_by: string | null;
  updated_at: Generated<Date>;
}

export interface GrievanceCalendarsTable {
  state_lgd: number;
  weekend_days: ColumnType<number[], number[] | undefined, number[]>;
  updated_by: string | null;
  updated_at: Generated<Date>;
}

export interface GrievanceHolidaysTable {
  state_lgd: number;
  day: string;
  name: string;
}

export interface GrievanceAccessTable {
  token_hash: string;
  grievance_id: string;
  expires_at: Timestamp;
  created_at: Generated<Date>;
}

export interface GrievanceNotificationsTable {
  id: Generated<number>;
  grievance_id: string;
  org_unit_id: string;
  org_path: string;
  level: GrievanceLevelCode;
  kind: string;
  text: string;
  at: Timestamp;
}

export interface GrievanceTables {
  grievances: GrievancesTable;
  grievance_events: GrievanceEventsTable;
  grievance_attachments: GrievanceAttachmentsTable;
  grievance_sequences: GrievanceSequencesTable;
  grievance_routing: GrievanceRoutingTable;
  grievance_calendars: GrievanceCalendarsTable;
  grievance_holidays: GrievanceHolidaysTable;
  grievance_access: GrievanceAccessTable;
  grievance_notifications: GrievanceNotificationsTable;
}
