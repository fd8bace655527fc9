/**
 * FHIR Patient over the state patient registry. Create goes through `registerPatient` (via 'fhir'),
 * read through `readPatient` (privacy rule and read audit), search through `searchPatients` (state-wide,
 * both scripts); update replaces the demographic columns under the same rules.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database, OrgUnitRow, PatientsTable } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, conflict, forbidden } from '../../platform/errors.js';
import { isUid } from '../../platform/ids.js';
import { todayIst } from '../../platform/periods.js';
import { normaliseMobile, parseAbhaNumber } from '../patients/patients.identity.js';
import { devanagariToLatin, phoneticKey, scriptOf, similarity } from '../patients/patients.names.js';
import { canRead, facilityFor, loadPatient, readPatient, registerPatient, requireRecordArea, statePrefix, toDto } from '../patients/patients.service.js';
import { classifyQuery, searchPatients } from '../patients/patients.search.js';
import { maskAadhaarIdentifiers } from './fhir.aadhaar.js';
import { FhirError, invalid, notAllowed, type Issue } from './fhir.outcome.js';
import { patientVersion, readPatientResource, toLimitedPatient, toPatientResource, type PatientFacts, type Places } from './fhir.patient.map.js';
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

/** A registry row as a Patient resource, with its place names. */
export async function patientResource(db: Db, row: PatientRow): Promise<FhirResource> {
  return toPatientResource(row, (await placesFor(db, [row])).get(row.id));
}

/**
 * The district of a FHIR address: `district`, else `city`, matched case-insensitively against district
 * names (English or Hindi; an LGD code works too). Several districts of one name are told apart by
 * `state`, else the caller's own state. Failing that, the district of the caller's facility; failing
 * that, 400 naming Patient.address.
 */
export async function districtFor(db: Db, actor: Actor, address: PatientFacts['address'], facility: OrgUnitRow | null): Promise<{ district: OrgUnitRow; matched?: string }> {
  for (const text of [address.district, address.city]) {
    if (!text) continue;
    const rows = /^\d{1,9}$/.test(text)
      ? (await db.selectFrom('org_units').selectAll().where('level', '=', 'district').where('lgd_code', '=', Number(text)).execute()).map((r) => ({ ...r, state_name: null, state_name_hi: null }))
      : await repo.districtsNamed(db, text.replace(/\s+/g, ' '));
    if (!rows.length) continue;
    let pick = rows;
    const state = address.state?.toLowerCase();
    if (state && pick.length > 1) pick = pick.filter((r) => r.state_name?.toLowerCase() === state || r.state_name_hi === address.state);
    if (pick.length > 1) pick = pick.filter((r) => r.path.startsWith(statePrefix(actor.orgPath)));
    if (pick.length === 1) {
      const { state_name: _s, state_name_hi: _h, ...district } = pick[0];
      return { district, matched: text };
    }
    throw invalid(`Patient.address: ${rows.length} districts are called ${text}; give Patient.address.state (${rows.map((r) => r.state_name).join(', ')})`,
      'Patient.address', `${text} नाम के ${rows.length} ज़िले हैं; Patient.address.state दें`);
  }
  if (facility) {
    const district = (await repo.unitsByIds(db, [facility.path.split('/')[3]]))[0];
    if (district?.level === 'district') return { district };
  }
  throw invalid('Patient.address: give the district (address.district or address.city, e.g. "Hisar"); it names no Indian district, and you are not posted at a facility whose district could be used',
    'Patient.address', 'Patient.address में ज़िला दें (जैसे "Hisar"); आप किसी संस्थान में तैनात नहीं हैं जिसका ज़िला लिया जा सके');
}

/** The free-text address line kept in the registry: the lines, the city (unless it was the district), PIN and country. */
function addressLine(a: PatientFacts['address'], matched?: string): string | undefined {
  const parts = [...a.lines, a.city !== matched ? a.city : undefined, a.postalCode, a.country && !/^(in|ind|india)$/i.test(a.country) ? a.country : undefined];
  const line = parts.filter(Boolean).join(', ');
  return line ? line.slice(0, 300) : undefined;
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
  const facility = await facilityOf(db, actor, facts);
  const { district, matched } = await districtFor(db, actor, facts.address, facility);
  let created: Awaited<ReturnType<typeof registerPatient>>;
  try {
    created = await registerPatient(db, actor, {
      name: facts.name, nameHi: facts.nameHi, sex: facts.sex, birthDate: facts.birthDate, age: facts.age, mobile: facts.mobile,
      abha: facts.abha, abhaAddress: facts.abhaAddress, address: { district: district.id, line: addressLine(facts.address, matched) },
      facilityId: facility?.id,
    }, 'fhir');
  } catch (e) {
    throw inFhirTerms(e);
  }
  // Aadhaar: the registry keeps the last four digits; the client is told its number was cut.
  if (facts.aadhaarLast4) await repo.updatePatientRow(db, created.id, { aadhaar_last4: facts.aadhaarLast4 });
  const row = await loadPatient(db, created.id);
  const notes: Issue[] = (created.warnings ?? []).map((w) => ({ severity: 'warning', code: 'value', diagnostics: w.message, expression: ['Patient.identifier'] }));
  notes.push(...maskAadhaarIdentifiers(resource, 'Patient'));
  return { resource: await patientResource(db, row), row, notes };
}

/** Reads a Patient under the privacy rule; the read is audited with purpose 'care'. */
export async function readFhirPatient(db: Db, actor: Actor, id: string): Promise<FhirResource> {
  await readPatient(db, actor, id, 'care');
  return patientResource(db, await loadPatient(db, id));
}

/**
 * Replaces a patient's demographic fields (name, gender, birth date, mobile, ABHA number and address,
 * address) from a FHIR Patient, and the last four Aadhaar digits when an Aadhaar identifier is given
 * (said in `notes` when a whole number was cut). The state number, blood group and facility links are
 * not part of the FHIR mapping and stay. `If-Match` is honoured (412 when the version moved on).
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
  notes.push(...maskAadhaarIdentifiers(resource, 'Patient'));
  const facility = await facilityFor(db, actor, undefined);
  const { district, matched } = await districtFor(db, actor, facts.address, facility);
  for (const [column, value, label] of [['abha_number', facts.abha, 'ABHA number'], ['abha_address', facts.abhaAddress, 'ABHA address']] as const) {
    const holder = value ? await repo.abhaHolder(db, column, value, id) : undefined;
    if (holder) throw conflict(`${label} ${value} is already registered to patient ${holder.state_number}`, `${label} ${value} पहले से मरीज़ ${holder.state_number} के नाम है`, { field: 'Patient.identifier', stateNumber: holder.state_number });
  }
  // A finer home (block, village) inside the same district is kept: a FHIR address names only the district.
  const home = before.home_path.startsWith(district.path) ? { id: before.home_id, path: before.home_path, state_lgd: before.state_lgd } : district;
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
    address_line: addressLine(facts.address, matched) ?? null,
    home_id: home.id,
    home_path: home.path,
    state_lgd: home.state_lgd,
  });
  await recordAudit(db, actor, { action: 'update', entity: 'patient', entityId: id, orgPath: facility?.path ?? after.home_path, before: toDto(before), after: { ...toDto(after), via: 'fhir' } });
  return patientResource(db, after);
}

// ---------------------------------------------------------------- search

/** A `birthdate` value: a comparison prefix and a date of 4, 7 or 10 characters. */
interface DateTest { op: string; date: string }
interface Criteria {
  id?: string;
  name?: string;
  identifier?: { kind: 'abha' | 'abhaAddress' | 'stateNumber' | 'any'; value: string };
  phone?: string;
  genders?: string[];
  /** ANDed groups of ORed date tests. */
  birthdates: DateTest[][];
  /** A criterion that can match nobody (an identifier system this server does not know). */
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
    else c.none = true;
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
      : p.abha_number === digits || p.abha_address === value.toLowerCase() || p.state_number === value.toUpperCase();
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
  const state = statePrefix(requireRecordArea(actor));
  const c = readCriteria(q);
  if (c.none) return { entries: [], more: false };
  type Hit = { row: PatientRow; item?: { id: string; name: string; nameHi: string | null; nameLatin: string; sex: string; birthYear: number }; readable: boolean };
  let hits: Hit[] = [];
  let more = false;
  let total: number | undefined;
  if (c.id) {
    const row = await loadPatient(db, c.id).catch(() => undefined);
    const readable = row ? await canRead(db, actor, row.id) : false;
    // Other criteria test only records the caller may read: a filter never tells a fact of another.
    const filtered = !!(c.name || c.identifier || c.phone || c.genders || c.birthdates.length);
    if (row && row.id === c.id && (readable || (!filtered && row.home_path.startsWith(state))) && matches(row, c)) hits = [{ row, readable }];
    await recordAudit(db, actor, { action: 'read', entity: 'patient_search', orgPath: state, purpose: 'search', after: { kind: 'id', results: hits.length } });
    hits = hits.slice(page.offset, page.offset + page.count);
  } else {
    const driver = driverOf(c);
    if (driver === null) {
      if (!c.name && !c.identifier && !c.phone) {
        throw invalid('Search patients by name, identifier, phone or _id; gender and birthdate narrow such a search', undefined,
          'मरीज़ को नाम, पहचान संख्या, फ़ोन या _id से खोजें; gender और birthdate केवल खोज को सीमित करते हैं', 'too-costly');
      }
      return { entries: [], more: false };
    }
    // Criteria besides the one searched on are checked here, so paging then happens over the checked
    // list, and only on records the caller may read: a filter (birthdate=le…, gender) then never
    // tells anything of a record the caller may not read, however many searches are made.
    const narrowed = !!(c.genders || c.birthdates.length || (c.name && driver !== c.name) || (c.phone && driver !== c.phone)
      || (c.identifier && driver !== c.identifier.value));
    const want = page.offset + page.count;
    const found: Hit[] = [];
    let offset = narrowed ? 0 : page.offset;
    const limit = narrowed ? 100 : page.count;
    for (;;) {
      // A name search not narrowed further counts its matches (Bundle.total) in the step it pages through.
      const r = await searchPatients(db, actor, { q: driver, limit, offset }, { total: !narrowed && driver === c.name })
        .catch((e) => { throw inFhirTerms(e); });
      total = r.total;
      const rows = new Map((await repo.patientsByIds(db, r.items.map((i) => i.id))).map((p) => [p.id, p]));
      for (const item of r.items) {
        const row = rows.get(item.id);
        if (row && (!narrowed || (item.canRead && matches(row, c)))) found.push({ row, item, readable: item.canRead });
      }
      offset += r.items.length;
      more = r.more;
      if (!narrowed || !r.more || found.length > want || offset >= SCAN_LIMIT) break;
    }
    if (narrowed) {
      more = found.length > want || (more && offset < SCAN_LIMIT);
      hits = found.slice(page.offset, want);
    } else hits = found;
  }
  const readableRows = hits.filter((h) => h.readable).map((h) => h.row);
  const places = await placesFor(db, readableRows);
  const entries: SearchEntry[] = [];
  for (const h of hits) {
    if (h.readable) {
      await readPatient(db, actor, h.row.id, 'care');
      entries.push({ resource: toPatientResource(h.row, places.get(h.row.id)) });
    } else {
      const r = h.row;
      entries.push({ resource: toLimitedPatient(h.item ?? { id: r.id, name: r.name, nameHi: r.name_hi, nameLatin: r.name_latin, sex: r.sex, birthYear: Number(r.birth_date.slice(0, 4)) }) });
    }
  }
  return { entries, more, total };
}
