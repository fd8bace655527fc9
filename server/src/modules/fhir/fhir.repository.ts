/**
 * The FHIR module's SQL: the `fhir_resources` store (clinical resources kept whole as JSON), the few
 * registry look-ups the Patient mapping needs, and the patient row a FHIR update replaces.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { Database, FhirResourcesTable, OrgUnitRow, PatientsTable } from '../../db/types.js';

type Db = Kysely<Database>;
/** A stored resource row; `resource` is the JSON as last written. */
export type StoredRow = Omit<Selectable<FhirResourcesTable>, 'resource'> & { resource: Record<string, any> };

const asJson = (v: unknown): Record<string, any> => (typeof v === 'string' ? JSON.parse(v) : (v as Record<string, any>));
const toStored = (r: Selectable<FhirResourcesTable>): StoredRow => ({ ...r, resource: asJson(r.resource) });

/** Districts whose English name (any case) or Hindi name is `name`, with the name of their state. */
export async function districtsNamed(db: Db, name: string) {
  return db.selectFrom('org_units as d')
    .leftJoin('org_units as s', (j) => j.onRef('s.id', '=', sql`split_part(d.path, '/', 3)`))
    .selectAll('d').select(['s.name as state_name', 's.name_hi as state_name_hi'])
    .where('d.level', '=', 'district')
    .where((eb) => eb.or([eb(eb.fn('lower', ['d.name']), '=', name.toLowerCase()), eb('d.name_hi', '=', name)]))
    .orderBy('d.path')
    .execute();
}

/** Org units by id (for place names in addresses). */
export async function unitsByIds(db: Db, ids: string[]): Promise<OrgUnitRow[]> {
  const unique = [...new Set(ids.filter(Boolean))];
  if (!unique.length) return [];
  return db.selectFrom('org_units').selectAll().where('id', 'in', unique).execute();
}

/** Registry rows by id, in no particular order. */
export async function patientsByIds(db: Db, ids: string[]) {
  if (!ids.length) return [];
  return db.selectFrom('patients').selectAll().where('id', 'in', ids).execute();
}

/** The patient with this ABHA number (14 digits) or ABHA address, if any. */
export async function patientByAbha(db: Db, by: { abha?: string; abhaAddress?: string }) {
  if (by.abha) {
    const row = await db.selectFrom('patients').selectAll().where('abha_number', '=', by.abha).executeTakeFirst();
    if (row) return row;
  }
  if (by.abhaAddress) return db.selectFrom('patients').selectAll().where('abha_address', '=', by.abhaAddress).executeTakeFirst();
  return undefined;
}

/** The state number of another patient already holding this ABHA number or address. */
export async function abhaHolder(db: Db, column: 'abha_number' | 'abha_address', value: string, exceptId: string) {
  return db.selectFrom('patients').select(['state_number']).where(column, '=', value).where('id', '<>', exceptId).executeTakeFirst();
}

/** Replaces a patient's demographic columns and stamps `updated_at`; returns the new row. */
export async function updatePatientRow(db: Db, id: string, values: Updateable<PatientsTable>) {
  return db.updateTable('patients').set({ ...values, updated_at: sql`now()` as any }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** The facility (org unit id) registered in HFR under this id, if any. */
export async function facilityByHfr(db: Db, hfrId: string) {
  return db.selectFrom('facilities').select('id').where('hfr_id', '=', hfrId.toUpperCase()).executeTakeFirst();
}

// ---------------------------------------------------------------- fhir_resources

/** One stored resource, or undefined. */
export async function findResource(db: Db, type: string, id: string): Promise<StoredRow | undefined> {
  const row = await db.selectFrom('fhir_resources').selectAll().where('resource_type', '=', type).where('id', '=', id).executeTakeFirst();
  return row ? toStored(row) : undefined;
}

/** Locks a stored resource for an update; only inside a transaction. */
export async function lockResource(db: Db, type: string, id: string): Promise<StoredRow | undefined> {
  const row = await db.selectFrom('fhir_resources').selectAll().where('resource_type', '=', type).where('id', '=', id).forUpdate().executeTakeFirst();
  return row ? toStored(row) : undefined;
}

/** Stores a new resource (version 1). */
export async function insertResource(db: Db, r: { id: string; type: string; patientId: string | null; resource: unknown; facilityPath: string | null; createdBy: string | null; at: Date }) {
  await db.insertInto('fhir_resources').values({
    id: r.id, resource_type: r.type, patient_id: r.patientId, version: 1, resource: JSON.stringify(r.resource),
    facility_path: r.facilityPath, created_by: r.createdBy, created_at: r.at, updated_at: r.at,
  }).execute();
}

/** Replaces a stored resource with its next version. */
export async function replaceResource(db: Db, r: { id: string; type: string; patientId: string | null; resource: unknown; version: number; at: Date }) {
  await db.updateTable('fhir_resources')
    .set({ resource: JSON.stringify(r.resource), patient_id: r.patientId, version: r.version, updated_at: r.at })
    .where('resource_type', '=', r.type).where('id', '=', r.id).execute();
}

/** A stored resource of `type` that carries this identifier (used to find a practitioner again). */
export async function findByIdentifier(db: Db, type: string, system: string, value: string): Promise<StoredRow | undefined> {
  const token = JSON.stringify([{ system, value }]);
  const row = await db.selectFrom('fhir_resources').selectAll().where('resource_type', '=', type)
    .where(sql<boolean>`resource->'identifier' @> ${token}::jsonb`).orderBy('created_at').executeTakeFirst();
  return row ? toStored(row) : undefined;
}

// ---------------------------------------------------------------- versions (kept by triggers, see migration 20261202T0200)

/** One kept version of a stored resource. */
export interface VersionRow { version: number; patient_id: string | null; resource: Record<string, any>; recorded_at: Date }

/** Versions of a stored resource, newest first, one page, with how many there are. */
export async function resourceVersions(db: Db, type: string, id: string, page: { count: number; offset: number }): Promise<{ rows: VersionRow[]; total: number }> {
  const base = db.selectFrom('fhir_resource_versions').where('resource_type', '=', type).where('id', '=', id);
  const { total } = await base.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow();
  const rows = page.count === 0 ? [] : await base.select(['version', 'patient_id', 'resource', 'recorded_at'])
    .orderBy('version', 'desc').limit(page.count).offset(page.offset).execute();
  return { rows: rows.map((r) => ({ ...r, resource: asJson(r.resource) })), total };
}

/** One kept version of a stored resource. */
export async function resourceVersion(db: Db, type: string, id: string, version: number): Promise<VersionRow | undefined> {
  const r = await db.selectFrom('fhir_resource_versions').select(['version', 'patient_id', 'resource', 'recorded_at'])
    .where('resource_type', '=', type).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return r ? { ...r, resource: asJson(r.resource) } : undefined;
}

/** Every patient any version of a stored resource was about. */
export async function versionPatients(db: Db, type: string, id: string): Promise<string[]> {
  const rows = await db.selectFrom('fhir_resource_versions').select('patient_id').distinct()
    .where('resource_type', '=', type).where('id', '=', id).where('patient_id', 'is not', null).execute();
  return rows.map((r) => r.patient_id!);
}

/**
 * The kept versions of a patient, newest first: the registry row (timestamps back as Date, as a read
 * gives them) and the kept FHIR resource beside it as it stood then (null when there was none).
 */
export async function patientVersions(db: Db, patientId: string): Promise<{ row: Selectable<PatientsTable>; kept: { resource: Record<string, any>; registry: any } | null }[]> {
  const rows = await db.selectFrom('fhir_patient_versions').select(['row', 'kept']).where('patient_id', '=', patientId).orderBy('updated_at', 'desc').execute();
  return rows.map(({ row, kept }) => {
    const r = asJson(row);
    for (const [k, v] of Object.entries(r)) if (k.endsWith('_at') && typeof v === 'string') r[k] = new Date(v);
    return { row: { card_token: '', ...r } as Selectable<PatientsTable>, kept: kept === null ? null : asJson(kept) as any };
  });
}

// ---------------------------------------------------------------- document receipts

/** A document Bundle's key: Bundle.identifier and the digest of its content. */
export interface DocumentKey { system: string; value: string; digest: string }

/**
 * Claims a document for this transaction: true when it is the first of its key. A parallel post of the
 * same document waits here until the first commits (then false) or rolls back (then true).
 */
export async function claimDocument(db: Db, key: DocumentKey, by: string): Promise<boolean> {
  const row = await db.insertInto('fhir_document_receipts')
    .values({ identifier_system: key.system, identifier_value: key.value, digest: key.digest, received_by: by })
    .onConflict((oc) => oc.doNothing()).returning('digest').executeTakeFirst();
  return !!row;
}

/** What the first post of a document was answered, and the patient it was about. */
export async function documentReceipt(db: Db, key: DocumentKey) {
  const row = await db.selectFrom('fhir_document_receipts').select(['patient_id', 'response'])
    .where('identifier_system', '=', key.system).where('identifier_value', '=', key.value).where('digest', '=', key.digest).executeTakeFirst();
  return row ? { patientId: row.patient_id, response: row.response === null ? null : asJson(row.response) } : undefined;
}

/** Keeps the answer a document got, for the posts of it that follow. */
export async function recordDocumentResponse(db: Db, key: DocumentKey, patientId: string | null, response: unknown) {
  await db.updateTable('fhir_document_receipts').set({ patient_id: patientId, response: JSON.stringify(response) })
    .where('identifier_system', '=', key.system).where('identifier_value', '=', key.value).where('digest', '=', key.digest).execute();
}

/**
 * Waits (inside a transaction) until no other transaction holds any of these keys, then holds them until
 * commit: parallel conditional creates of the same thing then run one after the other, so the second
 * finds what the first made. Keys are hashed to PostgreSQL's 64-bit advisory lock space and taken in
 * order, so two requests never wait on each other.
 */
export async function lockKeys(db: Db, keys: string[]) {
  const ids = [...new Set(keys.map((k) => BigInt.asIntN(64, BigInt(`0x${createHash('sha256').update(k).digest('hex').slice(0, 16)}`))))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const id of ids) await sql`select pg_advisory_xact_lock(${id.toString()}::bigint)`.execute(db);
}

/** The facility with this org unit id, if it is one. */
export async function facilityById(db: Db, id: string) {
  return db.selectFrom('facilities').select('id').where('id', '=', id).executeTakeFirst();
}
