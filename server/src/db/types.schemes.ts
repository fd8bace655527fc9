// Health insurance schemes (HIMCARE): set-up by date, enrolments and cards, claims (see modules/schemes and migration 20261207T0300).
import type { ColumnType, Generated } from 'kysely';

type DateOnly = ColumnType<string, string, string>;
type MaybeTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** numeric comes back as text from both engines. */
type Numeric = ColumnType<string, number | string, number | string>;
type MaybeNumeric = ColumnType<string | null, number | string | null | undefined, number | string | null>;
type Jsonb = ColumnType<unknown, string | undefined, string>;

export type SchemeClaimStatus = 'preauth_pending' | 'preauth_rejected' | 'admitted' | 'claimed' | 'approved' | 'deducted' | 'rejected';

export interface SchemeSettingsTable {
  scheme: string;
  valid_from: DateOnly;
  name: string;
  name_hi: string | null;
  cover_amount: Numeric;
  members_per_card: number;
  windows: Jsonb;
  exclusions: Jsonb;
  review_claims_per_package: ColumnType<number, number | undefined, number>;
  settle_within_days: ColumnType<number, number | undefined, number>;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface SchemeCategoriesTable {
  scheme: string;
  code: string;
  valid_from: DateOnly;
  name: string;
  name_hi: string | null;
  premium: Numeric;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface SchemePackagesTable {
  scheme: string;
  code: string;
  valid_from: DateOnly;
  name: string;
  name_hi: string | null;
  rate: Numeric;
  preauth: boolean;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface SchemeHospitalsTable {
  scheme: string;
  facility_id: string;
  facility_path: string;
  empanelled_from: DateOnly;
  ended_on: DateOnly | null;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface SchemeEnrolmentsTable {
  id: string;
  scheme: string;
  family_id: string;
  home_path: string;
  scheme_year: number;
  category: string;
  premium: Numeric;
  premium_paid_at: Generated<Date>;
  premium_reference: string | null;
  card_number: string;
  card_token: string;
  status: ColumnType<'active' | 'cancelled', 'active' | 'cancelled' | undefined, 'active' | 'cancelled'>;
  renewed_from: string | null;
  /** The family's gram panchayat when the card was issued (migration 20261208T0230). */
  panchayat_id: string | null;
  enrolled_by: string | null;
  enrolled_at: Generated<Date>;
}

export interface SchemeEnrolmentMembersTable {
  enrolment_id: string;
  patient_id: string;
  added_by: string | null;
  added_at: Generated<Date>;
  removed_by: string | null;
  removed_at: MaybeTimestamp;
}

export interface SchemeClaimsTable {
  id: string;
  scheme: string;
  enrolment_id: string;
  patient_id: string;
  hospital_id: string;
  hospital_path: string;
  package_code: string;
  package_rate: Numeric;
  preauth: boolean;
  diagnosis: string;
  procedure: string | null;
  treatment: string | null;
  admitted_on: DateOnly;
  discharged_on: DateOnly | null;
  amount: Numeric;
  status: SchemeClaimStatus;
  flags: Jsonb;
  filed_by: string | null;
  filed_at: Generated<Date>;
  preauth_by: string | null;
  preauth_at: MaybeTimestamp;
  preauth_reason: string | null;
  claimed_at: MaybeTimestamp;
  settled_by: string | null;
  settled_at: MaybeTimestamp;
  settled_amount: MaybeNumeric;
  settlement_reason: string | null;
  /** The card's gram panchayat and scheme year (migration 20261208T0230). */
  panchayat_id: string | null;
  scheme_year: number | null;
}

/** The state a scheme is for (migration 20261209T0200): its LGD code, as org_units.state_lgd. */
export interface SchemeStatesTable {
  scheme: string;
  state_lgd: number;
  created_at: Generated<Date>;
}

export interface SchemeTables {
  scheme_states: SchemeStatesTable;
  scheme_settings: SchemeSettingsTable;
  scheme_categories: SchemeCategoriesTable;
  scheme_packages: SchemePackagesTable;
  scheme_hospitals: SchemeHospitalsTable;
  scheme_enrolments: SchemeEnrolmentsTable;
  scheme_enrolment_members: SchemeEnrolmentMembersTable;
  scheme_claims: SchemeClaimsTable;
}
