// The SQL of Didi ki Rasoi: kitchens, members, rates, days, bills.
import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database, KitchenBillsTable, KitchenDaysTable, KitchenRateKind, KitchensTable } from '../../db/types.js';

export type Db = Kysely<Database>;
const likePrefix = (path: string) => `${path.replace(/[\\%_]/g, '\\$&')}%`;

export const unitById = (db: Db, id: string) => db.selectFrom('org_units').selectAll().where('id', '=', id).executeTakeFirst();

export async function insertKitchen(db: Db, k: Insertable<KitchensTable>, members: { name: string; mobile: string | null; role: string | null }[]) {
  await db.insertInto('kitchens').values(k).execute();
  await db.insertInto('kitchen_members').values(members.map((m, i) => ({ kitchen_id: k.id, n: i + 1, ...m }))).execute();
}

const kitchenColumns = ['k.id', 'k.facility_id', 'f.name as facility_name', 'k.facility_path', 'k.state_lgd', 'k.group_name', 'k.group_name_hi', 'k.bank_account', 'k.ifsc', 'k.started_on', 'k.ended_on'] as const;
const joined = (db: Db) => db.selectFrom('kitchens as k').innerJoin('org_units as f', 'f.id', 'k.facility_id');
export type KitchenRow = NonNullable<Awaited<ReturnType<typeof kitchenById>>>;

export const kitchenById = (db: Db, id: string) => joined(db).select(kitchenColumns).where('k.id', '=', id).executeTakeFirst();
export const membersOf = (db: Db, id: string) => db.selectFrom('kitchen_members').select(['name', 'mobile', 'role']).where('kitchen_id', '=', id).orderBy('n').execute();

export function kitchensUnder(db: Db, q: { path: string; after?: string; limit: number }) {
  let query = joined(db).select(kitchenColumns).where('k.facility_path', 'like', likePrefix(q.path));
  if (q.after) query = query.where('k.id', '>', q.after);
  return query.orderBy('k.id').limit(q.limit).execute();
}

// ---- rates ------------------------------------------------------------------------------------------

export async function insertRate(db: Db, r: { state_lgd: number; kind: KitchenRateKind; effective_from: string; amount: number; created_by: string }) {
  return db.insertInto('kitchen_rates').values(r).onConflict((oc) => oc.columns(['state_lgd', 'kind', 'effective_from']).doNothing()).returning('kind').executeTakeFirst();
}
export const ratesOf = (db: Db, stateLgd: number) =>
  db.selectFrom('kitchen_rates').select(['state_lgd', 'kind', 'effective_from', 'amount']).where('state_lgd', '=', stateLgd).orderBy('kind').orderBy('effective_from').execute();

/** Every rate version of a state that can bear on days up to `to`: the last one before `from` and all within. */
export function ratesFor(db: Db, stateLgd: number, to: string) {
  return db.selectFrom('kitchen_rates').select(['kind', 'effective_from', 'amount']).where('state_lgd', '=', stateLgd).where('effective_from', '<=', to)
    .orderBy('effective_from').execute();
}

// ---- days ---------------------------------------------------------------------------------------------

/** Inserts a day; undefined when the kitchen already has that day (the primary key decides, also in a race). */
export const insertDay = (db: Db, d: Insertable<KitchenDaysTable>) =>
  db.insertInto('kitchen_days').values(d).onConflict((oc) => oc.columns(['kitchen_id', 'day']).doNothing()).returning('day').executeTakeFirst();
export const correctDay = (db: Db, kitchenId: string, day: string, set: { inpatients: number; meals_served: number; attendant_meals: number; correction_reason: string; entered_by: string }) =>
  db.updateTable('kitchen_days').set({ ...set, entered_at: sql`now()` as any }).where('kitchen_id', '=', kitchenId).where('day', '=', day).returning('day').executeTakeFirst();
export const daysOf = (db: Db, kitchenId: string, from: string, to: string) =>
  db.selectFrom('kitchen_days').selectAll().where('kitchen_id', '=', kitchenId).where('day', '>=', from).where('day', '<=', to).orderBy('day').execute();

// ---- bills ----------------------------------------------------------------------------------------------

export const billOf = (db: Db, kitchenId: string, month: string) =>
  db.selectFrom('kitchen_bills').selectAll().where('kitchen_id', '=', kitchenId).where('month', '=', month).executeTakeFirst();
/** Undefined when the month already has a bill. */
export const insertBill = (db: Db, b: Insertable<KitchenBillsTable>) =>
  db.insertInto('kitchen_bills').values(b).onConflict((oc) => oc.columns(['kitchen_id', 'month']).doNothing()).returning('month').executeTakeFirst();
/** A conditional move: only when the bill is still `from` (a parallel move makes this update nothing). */
export const moveBill = (db: Db, kitchenId: string, month: string, from: KitchenBillsTable['status'], set: Partial<Record<keyof KitchenBillsTable, unknown>>) =>
  db.updateTable('kitchen_bills').set(set as any).where('kitchen_id', '=', kitchenId).where('month', '=', month).where('status', '=', from).returning('status').executeTakeFirst();

/** Locks the kitchen's row: entering a day and submitting its month's bill take turns, so no day slips into a submitted bill. */
export const lockKitchen = (trx: Db, id: string) => trx.selectFrom('kitchens').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
