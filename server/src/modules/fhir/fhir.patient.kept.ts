/**
 * SQL of kept FHIR Patients: `patient_fhir` (the resource as sent, with the registry fields beside it
 * when it was kept) and `patient_identifiers` (each of its identifiers, indexed for search).
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, PatientsTable } from '../../db/types.js';
import { indexedIdentifiers, snapshotOf, type KeptPatient, type RegistrySnapshot } from './fhir.patient.view.js';

type Db = Kysely<Database>;
type PatientRow = Selectable<PatientsTable>;

const asJson = (v: unknown): any => (typeof v === 'string' ? JSON.parse(v) : v);

/** Keeps (or replaces) a patient's FHIR resource beside its registry row, and indexes its identifiers. */
export async function keepPatientResource(db: Db, row: PatientRow, resource: Record<string, any>): Promise<void> {
  await sql`
    insert into patient_fhir (patient_id, resource, registry, stored_at)
    values (${row.id}, ${JSON.stringify(resource)}::jsonb, ${JSON.stringify(snapshotOf(row))}::jsonb, now())
    on conflict (patient_id) do update set resource = excluded.resource, registry = excluded.registry, stored_at = excluded.stored_at`.execute(db);
  await sql`delete from patient_identifiers where patient_id = ${row.id}`.execute(db);
  const ids = indexedIdentifiers(resource);
  if (ids.length) {
    await sql`insert into patient_identifiers (patient_id, system, value) values ${sql.join(ids.map((i) => sql`(${row.id}, ${i.system}, ${i.value})`))}`.execute(db);
  }
}

/** The kept resources of these patients (those registered through FHIR), by patient id. */
export async function keptPatients(db: Db, ids: string[]): Promise<Map<string, KeptPatient>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const { rows } = await sql<{ patient_id: string; resource: unknown; registry: unknown }>`
    select patient_id, resource, registry from patient_fhir where patient_id in (${sql.join(unique)})`.execute(db);
  return new Map(rows.map((r) => [r.patient_id, { resource: asJson(r.resource), registry: asJson(r.registry) as RegistrySnapshot }]));
}

/** What an identifier search looks for. */
export interface IdentifierQuery {
  /** The system, or undefined for any system. */
  system?: string;
  value: string;
  /** Records readable under this path (a patient linked to a facility under it). */
  readableUnder: string;
  /** Also the registry's own identifiers (ABHA number, ABHA address, state number), state-wide under this prefix. */
  registry?: { statePrefix: string };
  limit: number;
}

/**
 * Ids of patients with this identifier: kept identifiers (index `patient_identifiers_value`) only of
 * patients the caller may read (linked to a facility under their area, checked in the query), and with
 * `registry`, patients of the state whose ABHA number, ABHA address or state number it is (the
 * registry's search, which shows others only by name, gender and birth year).
 */
export async function patientIdsWithIdentifier(db: Db, q: IdentifierQuery): Promise<{ kept: Set<string>; registry: Set<string> }> {
  const kept = await sql<{ id: string }>`
    select distinct i.patient_id as id from patient_identifiers i
    where i.value = ${q.value} ${q.system !== undefined ? sql`and i.system = ${q.system}` : sql``}
      and exists (select 1 from patient_facilities pf where pf.patient_id = i.patient_id and pf.facility_path like ${`${q.readableUnder}%`})
    limit ${q.limit}`.execute(db);
  let registry: { id: string }[] = [];
  if (q.registry) {
    const digits = q.value.replace(/[\s-]/g, '');
    const { rows } = await sql<{ id: string }>`
      select id from patients where home_path like ${`${q.registry.statePrefix}%`}
        and (state_number = ${q.value.toUpperCase()} ${/^\d{14}$/.test(digits) ? sql`or abha_number = ${digits}` : sql``}
          ${q.value.includes('@') ? sql`or abha_address = ${q.value.toLowerCase()}` : sql``})
      limit ${q.limit}`.execute(db);
    registry = rows;
  }
  return { kept: new Set(kept.rows.map((r) => r.id)), registry: new Set(registry.map((r) => r.id)) };
}
