// Didi ki Rasoi: kitchens, members, rates, days, bills (see modules/kitchens and migration 20261206T0300).
import type { ColumnType, Generated } from 'kysely';

type DateOnly = ColumnType<string, string, string>;
type MaybeTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** numeric comes back as text from both engines. */
type Numeric = ColumnType<string, number | string, number | string>;

export type KitchenRateKind = 'patient_day' | 'attendant_meal';
export type KitchenBillStatus = 'submitted' | 'approved' | 'paid';

export interface KitchensTable {
  id: string;
  facility_id: string;
  facility_path: string;
  state_lgd: number | null;
  group_name: string;
  group_name_hi: string | null;
  bank_account: string;
  ifsc: string;
  started_on: DateOnly;
  ended_on: DateOnly | null;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface KitchenMembersTable {
  kitchen_id: string;
  n: number;
  name: string;
  mobile: string | null;
  role: string | null;
}

export interface KitchenRatesTable {
  state_lgd: number;
  kind: KitchenRateKind;
  effective_from: DateOnly;
  amount: Numeric;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface KitchenDaysTable {
  kitchen_id: string;
  day: DateOnly;
  inpatients: number;
  meals_served: number;
  attendant_meals: Generated<number>;
  correction_reason: string | null;
  entered_by: string | null;
  entered_at: Generated<Date>;
}

export interface KitchenBillsTable {
  kitchen_id: string;
  month: string;
  status: KitchenBillStatus;
  amount: Numeric;
  days: number;
  patient_days: Numeric;
  attendant_meals: number;
  flags: ColumnType<unknown, string, string>;
  submitted_by: string | null;
  submitted_at: Generated<Date>;
  approved_by: string | null;
  approved_at: MaybeTimestamp;
  paid_by: string | null;
  paid_at: MaybeTimestamp;
  payment_reference: string | null;
}

export interface KitchenTables {
  kitchens: KitchensTable;
  kitchen_members: KitchenMembersTable;
  kitchen_rates: KitchenRatesTable;
  kitchen_days: KitchenDaysTable;
  kitchen_bills: KitchenBillsTable;
}
