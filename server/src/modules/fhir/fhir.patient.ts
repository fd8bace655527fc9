/**
 * FHIR Patient over the state patient registry. A Patient is kept as sent (`patient_fhir`, see
 * fhir.patient.view.ts) beside the registry row derived from it. Create goes through `registerPatient`
 * (via 'fhir'), read through `readPatient` (privacy rule and read audit), search (fhir.patient.search.ts)
 * through `searchPatients` (state-wide, both scripts) and the index of kept identifiers; update replaces the
 * kept resource and the registry's fields under the same rules. The one change made to what is sent:
 * a whole Aadhaar number is cut to its last four digits, said in a warning.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, OrgUnitRow, PatientsTable } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { auditInsert, recordAudit } from '../../platform/audit.js';
import { AppError, conflict, forbidden } from '../../platform/errors.js';
import { isUid } from '../../platform/ids.js';
import { todayIst } from '../../platform/periods.js';
import { devanagariToLatin, phoneticKey, scriptOf } from '../patients/patients.names.js';
import { canRead, facilityFor, loadPatient, readableSql, readAudited, registerPatient, toDto } from '../patients/patients.service.js';
import { maskAadhaarIdentifiers, maskForStorage } from './fhir.aadhaar.js';
import { FhirError, invalid, notAllowed, type Issue } from './fhir.outcome.js';
import { keepPatientResource, keptPatients } from './fhir.patient.kept.js';
import { patientVersion, readPatientResource, type PatientFacts, type Places } from './fhir.patient.map.js';
import { keptForm, patientView, snapshotOf, type KeptPatient } from './fhir.patient.view.js';
import { addressLine, indianDistrict, placeFor } from './fhir.patient.place.js';
import * as repo from './fhir.repository.js';
import { versionFromEtag, type FhirResource } from './fhir.types.js';

type Db = Kysely<Database>;
type PatientRow = Selectable<PatientsTable>;

/** Registry field names as FHIR elements, so refusals from the registry name what the client sent. */
const FIELD_PATH: Record<string, string> = {
  name: 'Patient.name', nameHi: 'Patient.name', sex: 'Patient.gender', birthDate: 'Patient.birthDate', age: 'Patient.birthDate',
  mobile: 'Patient.telecom', abha: 'Patient.identifier', abhaAddress: 'Patient.identifier', 'address.district': 'Patient.address',
  'address.line': 'Patient.address', facilityId: 'Patient.managingOrganization',
};

/** An AppError from the registry with its field names turned into FHIR element paths. */
export function inFhirTerms(e: unknown): unknown {
  if (!(e instanceof AppError) || !e.details) return e;
  const map = (f: string) => FIELD_PATH[f] ?? f;
  const d = e.details;
  return new AppError(e.code, e.msg, {
    ...d,
    ...(d.fields ? { fields: d.fields.map((f) => ({ ...f, field: map(f.field) })) } : {}),
    ...(typeof d.field === 'string' ? { field: map(d.field) } : {}),
 });
}

/** Place names for Patient addresses: home unit, its district and state, for many rows at once. */
async function placesFor(db: Db, rows: PatientRow[]): Promise<Map<string, Places>> {
  const parts = (p: PatientRow) => p.home_path.split('/');
  const units = await repo.unitsByIds(db, rows.flatMap((p) => [p.home_id, parts(p)[2], parts(p)[3]]));
  const byId = new Map(units.map((u) => [u.id, u]));
  return new Map(rows.map((p) => {
    const district = byId.get(parts(p)[3]);
    return [p.id, {
      home: byId.has(p.home_id) ? { name: byId.get(p.home_id)!.name, level: byId.get(p.home_id)!.level } : null,
      district: district?.level === 'district' ? district.name : null,
      state: byId.get(parts(p)[2])?.name ?? null,
   }];
 }));
}

/** A registry patient as the Patient a client reads: the kept resource (if any) with the registry beside it. */
export async function patientResource(db: Db, row: PatientRow, kept?: KeptPatient | null): Promise<FhirResource> {
  // `kept` given: an earlier version's (fhir.history.ts); otherwise the one kept now.
  return patientView(row, kept === undefined ? (await keptPatients(db, [row.id])).get(row.id) : kept, (await placesFor(db, [row])).get(row.id));
}

/** The facility named by managingOrganization, when it is one; otherwise the caller's own. */
async function facilityOf(db: Db, actor: Actor, facts: PatientFacts): Promise<OrgUnitRow | null> {
  if (facts.organizationId && isUid(facts.organizationId)) {
    const unit = (await repo.unitsByIds(db, [facts.organizationId]))[0];
    if (unit?.level === 'facility') return facilityFor(db, actor, unit.id).catch((e) => { throw inFhirTerms(e); });
 }
  return facilityFor(db, actor, undefined);
}

/**
 * Registers a FHIR Patient (registered via 'fhir') at the caller's facility, or at the facility named
 * by managingOrganization. Returns the stored Patient and any warnings (an ABHA check digit that fails).
 */
export async function createPatient(db: Db, actor: Actor, resource: FhirResource): Promise<{ resource: FhirResource; row: PatientRow; notes: Issue[] }> {
  requirePermission(actor, 'can_register_patient');
  const facts = readPatientResource(resource);
  // Kept as sent; a whole Aadhaar number is cut to its last four digits, and the client is told.
  const kept = keptForm(resource);
  const masked = maskForStorage(kept);
  maskAadhaarIdentifiers(resource, 'Patient');
  const facility = await facilityOf(db, actor, facts);
  const { district, block, matched } = await placeFor(db, actor, facts.address, facility);
  let created: Awaited<ReturnType<typeof registerPatient>>;
  try {
    created = await registerPatient(db, actor, {
      name: facts.name, nameHi: facts.nameHi, sex: facts.sex, birthDate: facts.birthDate, age: facts.age, mobile: facts.mobile,
      abha: facts.abha, abhaAddress: facts.abhaAddress, address: { district: district.id, ...(block ? { block: block.id } : {}), line: addressLine(facts.address, matched) },
      facilityId: facility?.id,
   }, 'fhir');
 } catch (e) {
    throw inFhirTerms(e);
 }
  if (facts.aadhaarLast4) await repo.updatePatientRow(db, created.id, { aadhaar_last4: facts.aadhaarLast4 });
  const row = await loadPatient(db, created.id);
  await keepPatientResource(db, row, kept);
  const notes: Issue[] = (created.warnings ?? []).map((w) => ({ severity: 'warning', code: 'value', diagnostics: w.message, expression: ['Patient.identifier'] }));
  notes.push(...masked);
  if (!matched) {
    notes.push({ severity: 'information', code: 'informational', expression: ['Patient.address'],
      diagnostics: `Patient.address names no Indian district: in the registry the patient belongs to ${block ? `${block.name}, ` : ''}${district.name} district (${facility ? `the registering facility's` : 'your own area'}); the address is kept as sent` });
 }
  return { resource: patientView(row, { resource: kept, registry: snapshotOf(row) }, (await placesFor(db, [row])).get(row.id)), row, notes };
}

/**
 * Reads a Patient under the privacy rule, audited with purpose 'care': one statement finds the
 * patient, checks the rule, writes the audit row and brings the kept resource and the place names.
 */
export async function readFhirPatient(db: Db, actor: Actor, id: string): Promise<FhirResource> {
  requirePermission(actor, 'can_read_patient');
  const { select, joins } = keptAndPlaces('p');
  const row = await readAudited<KeptAndPlaces>(db, actor, id, 'care', select, joins);
  return patientView(row, keptOf(row), placesOf(row));
}

/**
 * Reads the patients of `ids` the caller may read (others are left out, not refused), as one read
 * audited in one row naming them all (purpose care): one statement, as `readFhirPatient` for one.
 * In the order of `ids`.
 */
export async function readFhirPatients(db: Db, actor: Actor, ids: string[], why: Record<string, unknown>): Promise<FhirResource[]> {
  requirePermission(actor, 'can_read_patient');
  if (!ids.length) return [];
  const audit = auditInsert(actor, { action: 'read', entity: 'patient', orgPath: actor.orgPath, purpose: 'care', after: why },
    { patientIds: sql`(select array_agg(p.id order by p.id) from p where p.readable)` }, sql`where exists (select 1 from p where p.readable)`);
  const { select, joins } = keptAndPlaces('p');
  const { rows } = await sql<PatientRow & { readable: boolean } & KeptAndPlaces>`
    with p as (select p.*, ${readableSql(actor)} as readable from patients p where p.id = any(${ids}::text[])), a as (${audit})
    select p.* ${select} from p ${joins} where p.readable`.execute(db);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [patientView(row, keptOf(row), placesOf(row))] : [];
 });
}

/** The kept resource and place names of a patient row, read in the statement that reads the row. */
export type KeptAndPlaces = { kept_resource: unknown; kept_registry: unknown; place_home_name: string | null; place_home_level: string | null;
  place_district_name: string | null; place_district_level: string | null; place_state_name: string | null };
/** Columns and joins over `alias` (a patients row), only for rows whose `alias.readable` is true when `checked`. */
export function keptAndPlaces(alias: string, checked = true) {
  const a = sql.raw(alias);
  const only = checked ? sql` and ${a}.readable` : sql``;
  return {
    select: sql`, k.resource as kept_resource, k.registry as kept_registry, ph.name as place_home_name, ph.level as place_home_level,
      pd.name as place_district_name, pd.level as place_district_level, ps.name as place_state_name`,
    // Each a look-up by key per row (`limit 1` keeps the planner from hashing whole tables for a page of 20).
    joins: sql`left join lateral (select resource, registry from patient_fhir where patient_id = ${a}.id${only} limit 1) k on true
      left join lateral (select name, level from org_units where id = ${a}.home_id${only} limit 1) ph on true
      left join lateral (select name, level from org_units where id = split_part(${a}.home_path, '/', 4)${only} limit 1) pd on true
      left join lateral (select name from org_units where id = split_part(${a}.home_path, '/', 3)${only} limit 1) ps on true`,
 };
}
const asJson = (v: unknown): any => (typeof v === 'string' ? JSON.parse(v) : v);
export const keptOf = (r: Partial<KeptAndPlaces>): KeptPatient | null => (r.kept_resource ? { resource: asJson(r.kept_resource), registry: asJson(r.kept_registry) } : null);
export const placesOf = (r: Partial<KeptAndPlaces>): Places => ({
  home: r.place_home_name == null ? null : { name: r.place_home_name, level: r.place_home_level! },
  district: r.place_district_level === 'district' ? r.place_district_name! : null,
  state: r.place_state_name ?? null,
});

/**
 * Replaces a patient's kept Patient resource with the one sent, and the registry fields derived from it
 * (name, gender, birth date, mobile, ABHA number and address, home), and the last four Aadhaar digits
 * when an Aadhaar identifier is given (said in `notes` when a whole number was cut). An address naming
 * no Indian district leaves the registry's home as it is. The state number, blood group and facility
 * links stay. `If-Match` is honoured (412 when the version moved on).
 */
export async function updatePatient(db: Db, actor: Actor, id: string, resource: FhirResource, ifMatch?: string, notes: Issue[] = []): Promise<FhirResource> {
  requirePermission(actor, 'can_update_patient');
  if (resource.id !== id) throw invalid(`Patient.id must be ${id}, as in the URL${resource.id ? `, not ${resource.id}` : ''}`, 'Patient.id', 'Patient.id URL वाली आईडी होनी चाहिए');
  const before = await db.selectFrom('patients').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!before) throw notAllowed(`No patient has id ${id}; this server assigns ids, so register new patients with POST /fhir/Patient`, `आईडी ${id} वाला कोई मरीज़ नहीं; नया मरीज़ POST से दर्ज करें`);
  if (!(await canRead(db, actor, before.id))) throw forbidden('Only staff of a facility where this patient is registered or has been seen may change the record', 'यह रिकॉर्ड केवल उन्हीं संस्थानों के कर्मचारी बदल सकते हैं जहाँ मरीज़ पंजीकृत है या दिखाया गया है');
  if (ifMatch && versionFromEtag(ifMatch) !== patientVersion(before)) {
    throw new FhirError(412, 'conflict', { en: `Patient/${id} is at version ${patientVersion(before)}, not ${versionFromEtag(ifMatch)}; read it again`, hi: 'रिकॉर्ड बदल चुका है; फिर से पढ़ें' });
 }
  const facts = readPatientResource(resource);
  const kept = keptForm(resource);
  notes.push(...maskForStorage(kept));
  maskAadhaarIdentifiers(resource, 'Patient');
  const facility = await facilityFor(db, actor, undefined);
  const named = await indianDistrict(db, actor, facts.address);
  for (const [column, value, label] of [['abha_number', facts.abha, 'ABHA number'], ['abha_address', facts.abhaAddress, 'ABHA address']] as const) {
    const holder = value ? await repo.abhaHolder(db, column, value, id) : undefined;
    if (holder) throw conflict(`${label} ${value} is already registered to patient ${holder.state_number}`, `${label} ${value} पहले से मरीज़ ${holder.state_number} के नाम है`, { field: 'Patient.identifier', stateNumber: holder.state_number });
 }
  // A finer home (block, village) inside the same district is kept: a FHIR address names only the
  // district; an address abroad (or none) leaves the home as it is.
  const keep = { id: before.home_id, path: before.home_path, state_lgd: before.state_lgd };
  const home = !named || before.home_path.startsWith(named.district.path) ? keep : named.district;
  const typed = facts.name.trim().replace(/\s+/g, ' ');
  const latin = scriptOf(typed) === 'latin';
  const birthDate = facts.birthDate ?? `${Number(todayIst().slice(0, 4)) - facts.age!}-01-01`;
  const after = await repo.updatePatientRow(db, id, {
    name: typed,
    name_hi: latin ? facts.nameHi?.trim() || null : typed,
    name_latin: latin ? typed : devanagariToLatin(typed),
    name_key: phoneticKey(typed),
    sex: facts.sex,
    birth_date: birthDate,
    birth_date_estimated: !facts.birthDate,
    mobile: facts.mobile ?? null,
    mobile_verified_at: facts.mobile && facts.mobile === before.mobile ? before.mobile_verified_at : null,
    abha_number: facts.abha ?? null,
    abha_address: facts.abhaAddress ?? null,
    aadhaar_last4: facts.aadhaarLast4 ?? before.aadhaar_last4,
    address_line: addressLine(facts.address, named?.matched) ?? null,
    home_id: home.id,
    home_path: home.path,
    state_lgd: home.state_lgd,
 });
  await recordAudit(db, actor, { action: 'update', entity: 'patient', entityId: id, orgPath: facility?.path ?? after.home_path, before: toDto(before), after: { ...toDto(after), via: 'fhir' } });
  await keepPatientResource(db, after, kept);
  return patientView(after, { resource: kept, registry: snapshotOf(after) }, (await placesFor(db, [after])).get(after.id));
}
