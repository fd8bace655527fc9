// Members of families from the state's family register (modules/registers, migration 20261207T0100).
// The family itself is a row of `families` (types.patients.ts), with its panchayat and category.
import type { ColumnType, Generated } from 'kysely';

type DateOnly = ColumnType<string, string, string>;
type MaybeTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Jsonb = ColumnType<unknown, string | null | undefined, string | null>;

export type RegisterMatchStatus = 'none' | 'linked' | 'review' | 'confirmed' | 'rejected';

export interface RegisterMembersTable {
  id: string;
  family_id: string;
  member_id: string;
  name: string;
  name_hi: string | null;
  name_key: string;
  relation: string;
  sex: 'male' | 'female' | 'other';
  birth_year: number;
  birth_date: DateOnly | null;
  village_id: string;
  abha_number: string | null;
  mobile: string | null;
  patient_id: string | null;
  match_status: Generated<RegisterMatchStatus>;
  match_reason: string | null;
  candidates: Jsonb;
  decided_by: string | null;
  decided_at: MaybeTimestamp;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface RegisterTables {
  register_members: RegisterMembersTable;
}
