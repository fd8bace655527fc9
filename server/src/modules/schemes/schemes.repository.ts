// The SQL of the schemes module: set-up versions, empanelled hospitals, enrolments and their members, claims.
import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database, SchemeClaimsTable, SchemeClaimStatus, SchemeEnrolmentsTable } from '../../db/types.js';

export type Db = Kysely<Database>;
const likePrefix = (path: string) => `${path.replace(/[\\%_]/g, '\\$&')}%`;

export const unitById = (db: Db, id: string) => db.selectFrom('org_units').selectAll().where('id', '=', id).executeTakeFirst();

/** The state a scheme is for: its LGD code, and that state's unit (path and names) where the geography has it. */
export const schemeState = (db: Db, scheme: string) =>
  db.selectFrom('scheme_states as s').leftJoin('org_units as o', (j) => j.on('o.level', '=', 'state').onRef('o.lgd_code', '=', 's.state_lgd'))
    .select(['s.state_lgd', 'o.path', 'o.name', 'o.name_hi']).where('s.scheme', '=', scheme).executeTakeFirst();

// ---- set-up: the row in force on a day is the latest valid_from ≤ that day ---------------------------

export const settingsOn = (db: Db, scheme: string, on: string) =>
  db.selectFrom('scheme_settings').selectAll().where('scheme', '=', scheme).where('valid_from', '<=', on).orderBy('valid_from', 'desc').limit(1).executeTakeFirst();
export const settingsVersions = (db: Db, scheme: string) => db.selectFrom('scheme_settings').selectAll().where('scheme', '=', scheme).orderBy('valid_from').execute();
export const insertSettings = (db: Db, row: Insertable<Database['scheme_settings']>) =>
  db.insertInto('scheme_settings').values(row).onConflict((oc) => oc.columns(['scheme', 'valid_from']).doNothing()).returning('valid_from').executeTakeFirst();

export const categoriesOn = (db: Db, scheme: string, on: string) =>
  sql<Database['scheme_categories'] extends infer T ? { [K in keyof T]: any } : never>`
    select distinct on (code) * from scheme_categories where scheme = ${scheme} and valid_from <= ${on} order by code, valid_from desc`.execute(db).then((r) => r.rows);
export const categoryVersions = (db: Db, scheme: string) => db.selectFrom('scheme_categories').selectAll().where('scheme', '=', scheme).orderBy('code').orderBy('valid_from').execute();
export const insertCategory = (db: Db, row: Insertable<Database['scheme_categories']>) =>
  db.insertInto('scheme_categories').values(row).onConflict((oc) => oc.columns(['scheme', 'code', 'valid_from']).doNothing()).returning('code').executeTakeFirst();

export const packagesOn = (db: Db, scheme: string, on: string) =>
  sql<any>`select distinct on (code) * from scheme_packages where scheme = ${scheme} and valid_from <= ${on} order by code, valid_from desc`.execute(db).then((r) => r.rows);
export const packageOn = (db: Db, scheme: string, code: string, on: string) =>
  db.selectFrom('scheme_packages').selectAll().where('scheme', '=', scheme).where('code', '=', code).where('valid_from', '<=', on).orderBy('valid_from', 'desc').limit(1).executeTakeFirst();
export const packageVersions = (db: Db, scheme: string) => db.selectFrom('scheme_packages').selectAll().where('scheme', '=', scheme).orderBy('code').orderBy('valid_from').execute();
export const insertPackage = (db: Db, row: Insertable<Database['scheme_packages']>) =>
  db.insertInto('scheme_packages').values(row).onConflict((oc) => oc.columns(['scheme', 'code', 'valid_from']).doNothing()).returning('code').executeTakeFirst();

// ---- empanelled hospitals -------------------------------------------------------------------------------

export const insertHospital = (db: Db, row: Insertable<Database['scheme_hospitals']>) =>
  db.insertInto('scheme_hospitals').values(row).onConflict((oc) => oc.columns(['scheme', 'facility_id']).doNothing()).returning('facility_id').executeTakeFirst();
export const hospitalsUnder = (db: Db, scheme: string, path: string) =>
  db.selectFrom('scheme_hospitals as h').innerJoin('org_units as o', 'o.id', 'h.facility_id')
    .select(['h.facility_id', 'o.name', 'h.empanelled_from', 'h.ended_on', 'h.facility_path'])
    .where('h.scheme', '=', scheme).where('h.facility_path', 'like', likePrefix(path)).orderBy('o.name').limit(500).execute();
/** Whether a hospital under `path` (the caller's own, for a facility's operator) is empanelled now. */
export const anyHospitalUnder = (db: Db, scheme: string, path: string) =>
  db.selectFrom('scheme_hospitals').select('facility_id').where('scheme', '=', scheme).where('facility_path', 'like', likePrefix(path)).where('ended_on', 'is', null).limit(1).executeTakeFirst();
export const hospital = (db: Db, scheme: string, facilityId: string) =>
  db.selectFrom('scheme_hospitals as h').innerJoin('org_units as o', 'o.id', 'h.facility_id')
    .select(['h.facility_id', 'o.name', 'h.empanelled_from', 'h.ended_on', 'h.facility_path']).where('h.scheme', '=', scheme).where('h.facility_id', '=', facilityId).executeTakeFirst();

// ---- families (the patients module offers no callable that lists a family's members without the
//      patient-reading permission an enrolling officer does not hold; the rows are read here) -------------

export const familyByRef = (db: Db, ref: string) =>
  db.selectFrom('families').select(['id', 'family_number', 'external_id', 'home_path', 'head_patient_id'])
    .where((eb) => eb.or([eb('id', '=', ref), eb('family_number', '=', ref.toUpperCase()), eb('external_id', '=', ref)])).executeTakeFirst();
export const familyPanchayat = (db: Db, familyId: string) =>
  db.selectFrom('families').select('panchayat_id').where('id', '=', familyId).executeTakeFirst().then((f) => f?.panchayat_id ?? null);
export const familyMembers = (db: Db, familyId: string) =>
  db.selectFrom('family_members').select(['patient_id', 'relation']).where('family_id', '=', familyId)
    .orderBy(sql`relation = 'head'`, 'desc').orderBy('added_at').execute();

// ---- enrolments -------------------------------------------------------------------------------------------

export const insertEnrolment = (db: Db, row: Insertable<SchemeEnrolmentsTable>) => db.insertInto('scheme_enrolments').values(row).execute();
export const activeEnrolmentOf = (db: Db, scheme: string, familyId: string, year: number) =>
  db.selectFrom('scheme_enrolments').select(['id', 'card_number']).where('scheme', '=', scheme).where('family_id', '=', familyId).where('scheme_year', '=', year).where('status', '=', 'active').executeTakeFirst();
const enrolmentJoin = (db: Db) => db.selectFrom('scheme_enrolments as e').innerJoin('families as f', 'f.id', 'e.family_id');
const enrolmentCols = ['e.id', 'e.scheme', 'e.family_id', 'e.home_path', 'e.panchayat_id', 'e.scheme_year', 'e.category', 'e.premium', 'e.card_number', 'e.card_token', 'e.status', 'e.enrolled_at', 'f.family_number', 'f.external_id',
  sql<number>`(select count(*)::int from scheme_enrolment_members m where m.enrolment_id = e.id and m.removed_at is null)`.as('members')] as const;
export type EnrolmentRow = NonNullable<Awaited<ReturnType<typeof enrolmentById>>>;
export const enrolmentById = (db: Db, scheme: string, id: string) => enrolmentJoin(db).select(enrolmentCols).where('e.scheme', '=', scheme).where('e.id', '=', id).executeTakeFirst();
export const enrolmentByCard = (db: Db, scheme: string, card: string) => enrolmentJoin(db).select(enrolmentCols).where('e.scheme', '=', scheme).where('e.card_number', '=', card.toUpperCase()).executeTakeFirst();
export function enrolmentsUnder(db: Db, scheme: string, q: { path: string; familyId?: string; after?: string; limit: number }) {
  let query = enrolmentJoin(db).select(enrolmentCols).where('e.scheme', '=', scheme).where('e.home_path', 'like', likePrefix(q.path));
  if (q.familyId) query = query.where('e.family_id', '=', q.familyId);
  if (q.after) query = query.where('e.id', '<', q.after);
  return query.orderBy('e.id', 'desc').limit(q.limit).execute();
}
/**
 * Whether the family whose id is in `familyIdColumn` of the outer query holds an active card of the
 * scheme year: a correlated `exists` for another module's list (the family register's), offered
 * through the service, so that module filters and pages in SQL without naming these tables.
 * The partial unique index scheme_enrolments_one_active (scheme, family_id, scheme_year) answers it.
 */
export const activeCardExists = (familyIdColumn: string, scheme: string, year: number) =>
  sql<boolean>`exists (select 1 from scheme_enrolments se where se.family_id = ${sql.ref(familyIdColumn)} and se.scheme = ${scheme} and se.scheme_year = ${year} and se.status = 'active')`;
/** Locks the enrolment's row: adding members to one card takes turns, so the limit holds. */
export const lockEnrolment = (trx: Db, id: string) => trx.selectFrom('scheme_enrolments').select(['id', 'family_id', 'status']).where('id', '=', id).forUpdate().executeTakeFirst();
export const activeMembers = (db: Db, enrolmentId: string) =>
  db.selectFrom('scheme_enrolment_members as m').leftJoin('family_members as fm', 'fm.patient_id', 'm.patient_id')
    .select(['m.patient_id', 'fm.relation']).where('m.enrolment_id', '=', enrolmentId).where('m.removed_at', 'is', null)
    .orderBy(sql`fm.relation = 'head'`, 'desc').orderBy('m.added_at').orderBy('m.patient_id').execute();
export const insertMembers = (db: Db, enrolmentId: string, patientIds: string[], by: string) =>
  db.insertInto('scheme_enrolment_members').values(patientIds.map((p) => ({ enrolment_id: enrolmentId, patient_id: p, added_by: by }))).execute();
export const removeMember = (db: Db, enrolmentId: string, patientId: string, by: string) =>
  db.updateTable('scheme_enrolment_members').set({ removed_at: new Date(), removed_by: by }).where('enrolment_id', '=', enrolmentId).where('patient_id', '=', patientId).where('removed_at', 'is', null).returning('patient_id').executeTakeFirst();

// ---- claims ---------------------------------------------------------------------------------------------------

export const insertClaim = (db: Db, row: Insertable<SchemeClaimsTable>) => db.insertInto('scheme_claims').values(row).execute();
const claimJoin = (db: Db) => db.selectFrom('scheme_claims as c').innerJoin('scheme_enrolments as e', 'e.id', 'c.enrolment_id').innerJoin('org_units as h', 'h.id', 'c.hospital_id');
const claimCols = ['c.id', 'c.scheme', 'c.enrolment_id', 'e.card_number', 'c.patient_id', 'c.hospital_id', 'h.name as hospital_name', 'c.hospital_path', 'c.package_code', 'c.package_rate', 'c.preauth', 'c.diagnosis',
  'c.procedure', 'c.treatment', 'c.admitted_on', 'c.discharged_on', 'c.amount', 'c.status', 'c.flags', 'c.filed_at', 'c.preauth_at', 'c.preauth_reason', 'c.claimed_at', 'c.settled_at', 'c.settled_amount', 'c.settlement_reason'] as const;
export type ClaimRow = NonNullable<Awaited<ReturnType<typeof claimById>>>;
export const claimById = (db: Db, scheme: string, id: string) => claimJoin(db).select(claimCols).where('c.scheme', '=', scheme).where('c.id', '=', id).executeTakeFirst();
export function claimsUnder(db: Db, scheme: string, q: { path: string; status?: string; overdueBefore?: Date; after?: string; limit: number }) {
  let query = claimJoin(db).select(claimCols).where('c.scheme', '=', scheme).where('c.hospital_path', 'like', likePrefix(q.path));
  if (q.status) query = query.where('c.status', '=', q.status as SchemeClaimStatus);
  if (q.overdueBefore) query = query.where('c.status', '=', 'claimed').where('c.claimed_at', '<', q.overdueBefore);
  if (q.after) query = query.where('c.id', '<', q.after);
  return query.orderBy('c.id', 'desc').limit(q.limit).execute();
}
/** Claims awaiting settlement under a path: all, and those claimed before `overdueBefore`. */
export const duesUnder = (db: Db, scheme: string, path: string, overdueBefore: Date) =>
  db.selectFrom('scheme_claims').select([
    sql<number>`count(*)::int`.as('pending'), sql<string>`coalesce(sum(amount), 0)`.as('pending_amount'),
    sql<number>`(count(*) filter (where claimed_at < ${overdueBefore}))::int`.as('overdue'),
    sql<string>`coalesce(sum(amount) filter (where claimed_at < ${overdueBefore}), 0)`.as('overdue_amount'),
  ]).where('scheme', '=', scheme).where('status', '=', 'claimed').where('hospital_path', 'like', likePrefix(path)).executeTakeFirstOrThrow();

/** A conditional move: only when the claim is still `from` (a parallel move makes this update nothing). */
export const moveClaim = (db: Db, id: string, from: SchemeClaimStatus, set: Partial<Record<keyof SchemeClaimsTable, unknown>>) =>
  db.updateTable('scheme_claims').set(set as any).where('id', '=', id).where('status', '=', from).returning('status').executeTakeFirst();

// ---- what the flags look at ---------------------------------------------------------------------------------------

const LIVE: SchemeClaimStatus[] = ['preauth_pending', 'admitted', 'claimed', 'approved', 'deducted'];
/** Another live claim of the patient whose stay overlaps [from, to] (an open stay runs on). */
export const overlapping = (db: Db, patientId: string, from: string, to: string | null, exceptId?: string) =>
  db.selectFrom('scheme_claims').select('id').where('patient_id', '=', patientId).where('status', 'in', LIVE)
    .where('admitted_on', '<=', to ?? '9999-12-31').where(sql<boolean>`coalesce(discharged_on, date '9999-12-31') >= ${from}::date`)
    .$if(!!exceptId, (q) => q.where('id', '<>', exceptId!)).limit(1).executeTakeFirst();
/** What the card has used of its cover: settled amounts where settled, else the amount claimed. */
export const usedOf = (db: Db, enrolmentId: string, exceptId?: string) =>
  db.selectFrom('scheme_claims').select(sql<string>`coalesce(sum(coalesce(settled_amount, amount)), 0)`.as('used'))
    .where('enrolment_id', '=', enrolmentId).where('status', 'in', LIVE).$if(!!exceptId, (q) => q.where('id', '<>', exceptId!)).executeTakeFirstOrThrow();
/** Live claims of a hospital for a package admitted in the 30 days up to `on`. */
export const hospitalPackageCount = (db: Db, hospitalId: string, code: string, on: string) =>
  db.selectFrom('scheme_claims').select(sql<number>`count(*)::int`.as('n')).where('hospital_id', '=', hospitalId).where('package_code', '=', code)
    .where('status', 'in', LIVE).where('admitted_on', '<=', on).where(sql<boolean>`admitted_on > ${on}::date - 30`).executeTakeFirstOrThrow();
