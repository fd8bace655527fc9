/**
 * FHIR Patient over the state patient registry. A Patient is kept as sent (`patient_fhir`, see
 * fhir.patient.view.ts) beside the registry row derived from it. Create goes through `registerPatient`
 * (via 'fhir'), read through `readPatient` (privacy rule and read audit), search through
 * `searchPatients` (state-wide, both scripts) and the index of kept identifiers; update replaces the
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
import { normaliseMobile, parseAbhaNumber } from '../patients/patients.identity.js';
import { devanagariToLatin, phoneticKey, scriptOf, similarity } from '../patients/patients.names.js';
import { canRead, facilityFor, loadPatient, readableSet, readableSql, readAudited, registerPatient, requireRecordArea, statePrefix, toDto } from '../patients/patients.service.js';
import { byOrder, classifyQuery, searchPatients, type PatientOrder } from '../patients/patients.search.js';
import { maskAadhaarIdentifiers, maskForStorage } from './fhir.aadhaar.js';
import { FhirError, invalid, notAllowed, type Issue } from './fhir.outcome.js';
import { keepPatientResource, keptPatients, patientIdsWithIdentifier } from './fhir.patient.kept.js';
import { patientVersion, readPatientResource, toLimitedPatient, type PatientFacts, type Places } from './fhir.patient.map.js';
import { keptForm, patientView, snapshotOf, type KeptPatient } from './fhir.patient.view.js';
import { addressLine, indianDistrict, placeFor } from './fhir.patient.place.js';
import { withIncluded } from './fhir.include.js';
import * as repo from './fhir.repository.js';
import { single, values, type Page, type Query, type SearchEntry } from './fhir.search.js';
import { ABHA_ADDRESS_SYSTEMS, ABHA_NUMBER_SYSTEMS, SYSTEM, versionFromEtag, type FhirResource } from './fhir.types.js';

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
type KeptAndPlaces = { kept_resource: unknown; kept_registry: unknown; place_home_name: string | null; place_home_level: string | null;
  place_district_name: string | null; place_district_level: string | null; place_state_name: string | null };
/** Columns and joins over `alias` (a patients row), only for rows whose `alias.readable` is true when `checked`. */
function keptAndPlaces(alias: string, checked = true) {
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
const keptOf = (r: Partial<KeptAndPlaces>): KeptPatient | null => (r.kept_resource ? { resource: asJson(r.kept_resource), registry: asJson(r.kept_registry) } : null);
const placesOf = (r: Partial<KeptAndPlaces>): Places => ({
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

// ---------------------------------------------------------------- search

/** A `birthdate` value: a comparison prefix and a date of 4, 7 or 10 characters. */
interface DateTest { op: string; date: string }
interface Criteria {
  id?: string;
  name?: string;
  /** `other`: a system the registry has no column for, looked up among kept identifiers; `any`: no system. */
  identifier?: { kind: 'abha' | 'abhaAddress' | 'stateNumber' | 'any' | 'other'; value: string; system?: string };
  /** Patients an `any` or `other` identifier names: by kept identifiers (readable only) and by registry columns. */
  identified?: { kept: Set<string>; registry: Set<string> };
  phone?: string;
  genders?: string[];
  /** ANDed groups of ORed date tests. */
  birthdates: DateTest[][];
  /** A criterion that can match nobody (a phone that is no number). */
  none: boolean;
}

function readCriteria(q: Query): Criteria {
  const c: Criteria = { birthdates: [], none: false };
  c.id = single(q, '_id');
  c.name = single(q, 'name');
  const identifier = single(q, 'identifier');
  if (identifier) {
    const bar = identifier.lastIndexOf('|');
    const system = bar >= 0 ? identifier.slice(0, bar).replace(/\/+$/, '') : null;
    const value = bar >= 0 ? identifier.slice(bar + 1) : identifier;
    if (system === null || system === '') c.identifier = { kind: 'any', value };
    else if (ABHA_NUMBER_SYSTEMS.includes(system)) {
      const n = parseAbhaNumber(value);
      if (!n.ok) throw invalid(`identifier: ${n.message}`, 'identifier', n.messageHi);
      c.identifier = { kind: 'abha', value: n.digits };
    } else if (ABHA_ADDRESS_SYSTEMS.includes(system)) c.identifier = { kind: 'abhaAddress', value: value.trim().toLowerCase() };
    else if (system === SYSTEM.stateNumber) c.identifier = { kind: 'stateNumber', value: value.trim().toUpperCase() };
    else c.identifier = { kind: 'other', system: identifier.slice(0, bar), value };
  }
  const phone = single(q, 'phone') ?? single(q, 'telecom')?.replace(/^phone\|/, '');
  if (phone) {
    const m = normaliseMobile(phone);
    if (m.ok) c.phone = m.mobile; else c.none = true;
  }
  const gender = values(q, 'gender');
  if (gender.length) c.genders = gender.flatMap((g) => g.split(','));
  for (const v of values(q, 'birthdate')) {
    c.birthdates.push(v.split(',').map((one) => {
      const m = /^(eq|ne|gt|lt|ge|le|sa|eb|ap)?(\d{4}(?:-\d{2}(?:-\d{2})?)?)$/.exec(one.trim());
      if (!m) throw invalid(`birthdate must be a date (YYYY, YYYY-MM or YYYY-MM-DD) with an optional prefix such as ge or le, not ${JSON.stringify(one)}`, 'birthdate');
      return { op: m[1] ?? 'eq', date: m[2] };
    }));
  }
  return c;
}

/** True when a date (YYYY-MM-DD) passes a test, comparing at the precision the test was given in. */
function dateMatches(birthDate: string, t: DateTest): boolean {
  const d = birthDate.slice(0, t.date.length);
  switch (t.op) {
    case 'ne': return d !== t.date;
    case 'gt': case 'sa': return d > t.date;
    case 'lt': case 'eb': return d < t.date;
    case 'ge': return d >= t.date;
    case 'le': return d <= t.date;
    default: return d === t.date;
  }
}

function matches(p: PatientRow, c: Criteria): boolean {
  if (c.id && p.id !== c.id) return false;
  if (c.name && Math.max(similarity(c.name, p.name), similarity(c.name, p.name_latin)) < 0.3) return false;
  if (c.identifier) {
    const { kind, value } = c.identifier;
    const digits = value.replace(/[\s-]/g, '');
    const ok = kind === 'abha' ? p.abha_number === value
      : kind === 'abhaAddress' ? p.abha_address === value
      : kind === 'stateNumber' ? p.state_number === value
      : kind === 'other' ? !!c.identified?.kept.has(p.id)
      : p.abha_number === digits || p.abha_address === value.toLowerCase() || p.state_number === value.toUpperCase() || !!c.identified?.kept.has(p.id);
    if (!ok) return false;
  }
  if (c.phone && p.mobile !== c.phone) return false;
  if (c.genders && !c.genders.includes(p.sex)) return false;
  // An estimated birth date is known to the year only: compare it at that precision.
  const born = p.birth_date_estimated ? p.birth_date.slice(0, 4) : p.birth_date;
  return c.birthdates.every((group) => group.some((t) => {
    const n = Math.min(t.date.length, born.length);
    return dateMatches(born.slice(0, n), { op: t.op, date: t.date.slice(0, n) });
  }));
}

/** The text `searchPatients` is given for the most selective criterion, or null when none can drive a search. */
function driverOf(c: Criteria): string | null {
  if (c.identifier) {
    const kind = classifyQuery(c.identifier.value).kind;
    return kind === 'name' || kind === 'mobile' ? null : c.identifier.value;
  }
  if (c.phone) return c.phone;
  if (c.name) return classifyQuery(c.name).kind === 'name' ? c.name : null;
  return null;
}

/** How many candidates a narrowed search looks through (best matches first). */
const SCAN_LIMIT = 500;

/**
 * Searches patients: `name` (either script, small misspellings), `identifier` (ABHA number under either
 * ABDM system, ABHA address, state patient number), `phone`, `_id`, narrowed by `gender` and `birthdate`
 * (prefixes eq, ne, gt, lt, ge, le). Patients the caller may read come whole (each read audited);
 * others only as name, gender and birth year, marked REDACTED, as the registry's own search shows them,
 * and only when nothing narrows the search: a narrowed search matches only patients the caller may read.
 * A national account searches nobody (403).
 */
export async function searchFhirPatients(db: Db, actor: Actor, q: Query, page: Page): Promise<{ entries: SearchEntry[]; more: boolean; total?: number }> {
  requirePermission(actor, 'can_search_patient');
  const area = requireRecordArea(actor);
  const state = statePrefix(area);
  const c = readCriteria(q);
  if (c.none) return { entries: [], more: false };
  if (c.identifier?.kind === 'any' || c.identifier?.kind === 'other') {
    c.identified = await patientIdsWithIdentifier(db, {
      system: c.identifier.system, value: c.identifier.value.trim(), readableUnder: area, limit: SCAN_LIMIT,
      ...(c.identifier.kind === 'any' ? { registry: { statePrefix: state } } : {}),
    });
  }
  type Hit = { row: PatientRow & Partial<KeptAndPlaces>; readable: boolean };
  let hits: Hit[] = [];
  let more = false;
  let total: number | undefined;
  let kind: string;
  // Whether the hits came with their kept resources and places, their audit row already written.
  let viewed = false;
  if (c.id) {
    kind = 'id';
    const row = await loadPatient(db, c.id).catch(() => undefined);
    const readable = row ? await canRead(db, actor, row.id) : false;
    // Other criteria test only records the caller may read: a filter never tells a fact of another.
    const filtered = !!(c.name || c.identifier || c.phone || c.genders || c.birthdates.length);
    if (row && row.id === c.id && (readable || (!filtered && row.home_path.startsWith(state))) && matches(row, c)) hits = [{ row, readable }];
    hits = hits.slice(page.offset, page.offset + page.count);
  } else if (c.identified) {
    kind = 'identifier';
    // Any identifier a kept Patient carries (patients the caller may read), or the registry's own
    // (state-wide, the others shown as name, gender and birth year unless the search is narrowed).
    const { kept, registry } = c.identified;
    const ids = [...new Set([...kept, ...registry])];
    const readable = await readableSet(db, actor, ids);
    const narrowed = !!(c.name || c.phone || c.genders || c.birthdates.length);
    const found = (await repo.patientsByIds(db, ids))
      .filter((row) => (readable.has(row.id) ? matches(row, c) : !narrowed && registry.has(row.id) && row.home_path.startsWith(state)))
      .sort(page.sort?.length ? byOrder(page.sort as PatientOrder[]) : (a, b) => b.created_at.getTime() - a.created_at.getTime() || a.id.localeCompare(b.id));
    total = found.length;
    more = found.length > page.offset + page.count;
    hits = found.slice(page.offset, page.offset + page.count).map((row) => ({ row, readable: readable.has(row.id) }));
  } else {
    const driver = driverOf(c);
    if (driver === null) {
      if (!c.name && !c.identifier && !c.phone) {
        throw invalid('Search patients by name, identifier, phone or _id; gender and birthdate narrow such a search', undefined,
          'मरीज़ को नाम, पहचान संख्या, फ़ोन या _id से खोजें; gender और birthdate केवल खोज को सीमित करते हैं', 'too-costly');
      }
      return { entries: [], more: false };
    }
    kind = classifyQuery(driver).kind;
    // Criteria besides the one searched on are checked here, so paging then happens over the checked
    // list, and only on records the caller may read: a filter (birthdate=le…, gender) then never
    // tells anything of a record the caller may not read, however many searches are made.
    const narrowed = !!(c.genders || c.birthdates.length || (c.name && driver !== c.name) || (c.phone && driver !== c.phone)
      || (c.identifier && driver !== c.identifier.value));
    const order = page.sort as PatientOrder[];
    if (!narrowed) {
      // The common case, one page of one search: the page, its total (a name search), the kept
      // resources and place names, and the audit row naming everyone on it come in the statements
      // of the search itself.
      const r = await searchPatients(db, actor, { q: driver, limit: page.count, offset: page.offset }, {
        total: page.total !== 'none' && driver === c.name, order, extra: keptAndPlaces('page'),
        audit: { entry: { action: 'read', entity: 'patient', orgPath: actor.orgPath, purpose: 'care', after: { search: kind } }, limited: true },
      }).catch((e) => { throw inFhirTerms(e); });
      hits = r.rows.map((row) => ({ row: row as Hit['row'], readable: row.readable }));
      more = r.more;
      total = r.total;
      viewed = true;
    } else {
      const want = page.offset + page.count;
      const found: Hit[] = [];
      let offset = 0;
      for (;;) {
        const r = await searchPatients(db, actor, { q: driver, limit: 100, offset }, { order, audit: false }).catch((e) => { throw inFhirTerms(e); });
        for (const row of r.rows) if (row.readable && matches(row, c)) found.push({ row, readable: true });
        offset += r.rows.length;
        more = r.more;
        if (!r.more || found.length > want || offset >= SCAN_LIMIT) break;
      }
      more = found.length > want || (more && offset < SCAN_LIMIT);
      hits = found.slice(page.offset, want);
    }
  }
  if (!viewed) {
    // One statement: the audit row naming every patient shown, and the kept resources and place
    // names of those shown whole.
    const shown = hits.map((h) => h.row.id);
    const limited = hits.filter((h) => !h.readable).map((h) => h.row.id);
    const audit = auditInsert(actor, { action: 'read', entity: 'patient', orgPath: actor.orgPath, purpose: 'care', patientIds: shown,
      after: { search: kind, results: shown.length, ...(limited.length ? { limited } : {}) } });
    const { select, joins } = keptAndPlaces('p', false);
    const { rows } = await sql<KeptAndPlaces & { id: string }>`with a as (${audit})
      select p.id ${select} from patients p ${joins} where p.id = any(${hits.filter((h) => h.readable).map((h) => h.row.id)}::text[])`.execute(db);
    const views = new Map(rows.map((r) => [r.id, r]));
    hits = hits.map((h) => ({ ...h, row: { ...h.row, ...views.get(h.row.id) } }));
  }
  const entries: SearchEntry[] = hits.map(({ row: r, readable }) => ({
    resource: readable ? patientView(r, keptOf(r), placesOf(r))
      : toLimitedPatient({ id: r.id, name: r.name, nameHi: r.name_hi, nameLatin: r.name_latin, sex: r.sex, birthYear: Number(r.birth_date.slice(0, 4)) }),
  }));
  return { entries: await withIncluded(db, actor, 'Patient', page, entries), more, total };
}
