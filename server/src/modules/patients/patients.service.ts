import { CompiledQuery, sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { Database, OrgUnitRow, PatientsTable } from '../../db/types.js';
import { requirePermission, requireScope, type Actor } from '../../platform/actor.js';
import { AUDIT_COLUMNS, auditInsert, auditRow, recordAudit } from '../../platform/audit.js';
import { badRequest, conflict, fieldErrors, forbidden, notFound, type FieldProblem } from '../../platform/errors.js';
import { newToken, uid } from '../../platform/ids.js';
import { todayIst } from '../../platform/periods.js';
import { cachedUnit } from '../geo/geo.cache.js';
import { resolveOrgUnit } from '../geo/geo.service.js';
import { checkAadhaar, luhnCheckDigit, normaliseMobile, parseAbhaAddress, parseAbhaNumber } from './patients.identity.js';
import { devanagariToLatin, phoneticKey, scriptOf } from './patients.names.js';
import type { NewPatientInput } from './patients.schema.js';

type Db = Kysely<Database>;
type PatientRow = Selectable<PatientsTable>;
export interface Warning { code: string; message: string; messageHi: string }

/** How a patient came to be registered. */
export type RegisteredVia = PatientsTable['registered_via'];

/** The `/IN/<state>/` prefix of a path: patients are found state-wide, never across states. */
export const statePrefix = (path: string) => path.split('/').slice(0, 3).join('/') + '/';

/** Age in whole years on `today` (YYYY-MM-DD). */
export function ageOn(birthDate: string, today = todayIst()): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/**
 * The facility a staff member acts for: the one named (which must be a facility in their area), else
 * their own when they are posted at one. Officers and admins posted above facilities get null.
 */
export async function facilityFor(db: Db, actor: Actor, facilityId: string | undefined): Promise<OrgUnitRow | null> {
  if (facilityId) {
    const unit = await resolveOrgUnit(db, facilityId, ['district'], 'facilityId');
    if (unit.level !== 'facility') throw badRequest(`facilityId ${facilityId} is a ${unit.level}, not a facility`, `facilityId ${facilityId} संस्थान नहीं है`, { field: 'facilityId' });
    requireScope(actor, unit.path, unit.name);
    return unit;
  }
  if (actor.orgLevel && actor.orgLevel !== 'facility') return null;
  const own = await cachedUnit(db, `id:${actor.orgUnitId}`, () => db.selectFrom('org_units').selectAll().where('id', '=', actor.orgUnitId).executeTakeFirst());
  return own?.level === 'facility' ? own : null;
}

/** The home place from an address: district, then block and village inside it. */
export async function homeOf(db: Db, address: NewPatientInput['address']): Promise<OrgUnitRow> {
  const district = (await cachedUnit(db, `district:${address.district}`, () => resolveOrgUnit(db, address.district, ['district'], 'address.district')))!;
  if (district.level !== 'district') throw badRequest(`address.district must be a district; ${district.name} is a ${district.level}`, `address.district में ज़िला दें`, { field: 'address.district' });
  let home = district;
  for (const [key, level] of [['block', 'block'], ['village', 'village']] as const) {
    const ref = address[key];
    if (ref === undefined) continue;
    const unit = await resolveOrgUnit(db, ref, [level], `address.${key}`);
    if (!unit.path.startsWith(home.path) || unit.level !== level) {
      throw badRequest(`address.${key}: ${unit.name} is not a ${level} of ${home.name}`, `address.${key}: ${unit.name}, ${home.name} में नहीं है`, { field: `address.${key}` });
    }
    home = unit;
  }
  return home;
}

interface Identity { abhaNumber: string | null; abhaAddress: string | null; aadhaarLast4: string | null; mobile: string | null; birthDate: string; estimated: boolean }

/** Checks identifiers and dates; every problem at once, ABHA check digits as warnings. No I/O. */
export function checkIdentity(input: Pick<NewPatientInput, 'abha' | 'abhaAddress' | 'aadhaar' | 'mobile' | 'birthDate' | 'age'>, warnings: Warning[]): Identity {
  const problems: FieldProblem[] = [];
  const today = todayIst();
  let abhaNumber: string | null = null;
  if (input.abha) {
    const r = parseAbhaNumber(input.abha);
    if (!r.ok) problems.push({ field: 'abha', message: r.message, messageHi: r.messageHi });
    else {
      abhaNumber = r.digits;
      if (!r.luhnValid) {
        warnings.push({
          code: 'abha_check_digit',
          message: `ABHA number ${r.formatted} fails its check digit; confirm it against the card`,
          messageHi: `ABHA नंबर ${r.formatted} का जाँच अंक मेल नहीं खाता; कार्ड से मिलान करें`,
        });
      }
    }
  }
  let abhaAddress: string | null = null;
  if (input.abhaAddress) {
    const r = parseAbhaAddress(input.abhaAddress);
    if (!r.ok) problems.push({ field: 'abhaAddress', message: r.message, messageHi: r.messageHi });
    else abhaAddress = r.address;
  }
  let aadhaarLast4: string | null = null;
  if (input.aadhaar) {
    const r = checkAadhaar(input.aadhaar);
    if (!r.ok) problems.push({ field: 'aadhaar', message: r.message, messageHi: r.messageHi });
    else aadhaarLast4 = r.last4;
  }
  let mobile: string | null = null;
  if (input.mobile) {
    const r = normaliseMobile(input.mobile);
    if (!r.ok) problems.push({ field: 'mobile', message: r.message, messageHi: r.messageHi });
    else mobile = r.mobile;
  }
  let birthDate = input.birthDate ?? '';
  let estimated = false;
  if (input.birthDate) {
    const t = new Date(`${input.birthDate}T00:00:00Z`);
    if (Number.isNaN(t.getTime()) || !t.toISOString().startsWith(input.birthDate)) problems.push({ field: 'birthDate', message: 'is not a date', messageHi: 'सही तिथि नहीं है' });
    else if (input.birthDate > today) problems.push({ field: 'birthDate', message: 'must not be in the future', messageHi: 'भविष्य की तिथि नहीं हो सकती' });
    else if (ageOn(input.birthDate, today) > 130) problems.push({ field: 'birthDate', message: 'makes the person older than 130', messageHi: 'आयु 130 वर्ष से अधिक हो जाती है' });
  } else if (input.age !== undefined) {
    // An age alone is kept as 1 January of the year it implies, marked estimated (as ABDM does).
    birthDate = `${Number(today.slice(0, 4)) - input.age}-01-01`;
    estimated = true;
  } else {
    problems.push({ field: 'birthDate', message: 'give the date of birth or the age in years', messageHi: 'जन्म तिथि या आयु (वर्षों में) दें' });
  }
  if (problems.length) throw fieldErrors(problems);
  return { abhaNumber, abhaAddress, aadhaarLast4, mobile, birthDate, estimated };
}

/** Names as stored: as typed, the Devanagari form when there is one, a romanised form and the search key. */
export function nameForms(name: string, nameHi?: string) {
  const typed = name.trim().replace(/\s+/g, ' ');
  const script = scriptOf(typed);
  const hindi = script === 'latin' ? nameHi?.trim() || null : typed;
  const latin = script === 'latin' ? typed : devanagariToLatin(typed);
  return { name: typed, name_hi: hindi, name_latin: latin, name_key: phoneticKey(typed) };
}

const numberPools = new WeakMap<object, string[]>();

/**
 * A new state patient number: P, the state's LGD code, a serial and a check digit (P06000001234).
 * Serials are drawn from the sequence fifty at a time outside transactions (gaps are harmless).
 */
async function nextStateNumber(db: Db, stateLgd: number | null): Promise<string> {
  let pool = numberPools.get(db);
  if (!pool?.length) {
    const { rows } = await sql<{ n: string }>`select nextval('patient_number_seq')::text as n from generate_series(1, ${db.isTransaction ? 1 : 50})`.execute(db);
    pool = rows.map((r) => r.n);
    if (!db.isTransaction) numberPools.set(db, pool);
  }
  const digits = `${String(stateLgd ?? 0).padStart(2, '0')}${pool.shift()!.padStart(8, '0')}`;
  return `P${digits}${luhnCheckDigit(digits)}`;
}

export function toDto(p: PatientRow, today = todayIst()) {
  return {
    id: p.id,
    stateNumber: p.state_number,
    name: p.name,
    nameHi: p.name_hi,
    nameLatin: p.name_latin,
    sex: p.sex,
    birthDate: p.birth_date,
    birthDateEstimated: p.birth_date_estimated,
    age: ageOn(p.birth_date, today),
    mobile: p.mobile,
    mobileVerified: !!p.mobile_verified_at,
    abha: p.abha_number ? `${p.abha_number.slice(0, 2)}-${p.abha_number.slice(2, 6)}-${p.abha_number.slice(6, 10)}-${p.abha_number.slice(10)}` : null,
    abhaAddress: p.abha_address,
    aadhaarLast4: p.aadhaar_last4,
    bloodGroup: p.blood_group,
    address: { line: p.address_line, homeId: p.home_id },
    registeredVia: p.registered_via,
    mergedInto: p.merged_into,
    createdAt: p.created_at.toISOString(),
  };
}
export type PatientDto = ReturnType<typeof toDto>;

/**
 * Registers a patient at a facility counter (the staff member's facility, or one named in their
 * area), from home (`online`, mobile confirmed by the caller) or from another system. The person
 * is linked to the facility so that its staff may read the record.
 */
export async function registerPatient(db: Db, actor: Actor | null, input: NewPatientInput, via: RegisteredVia = 'counter', mobileVerified = false) {
  if (actor) requirePermission(actor, 'can_register_patient');
  const warnings: Warning[] = [];
  const id = checkIdentity(input, warnings);
  const home = await homeOf(db, input.address);
  const facility = actor ? await facilityFor(db, actor, input.facilityId) : null;
  if (actor && via === 'counter' && !facility) {
    throw badRequest('Say at which facility the patient is registered (facilityId)', 'बताएँ कि मरीज़ किस संस्थान में पंजीकृत हो रहा है (facilityId)', { field: 'facilityId' });
  }
  if (id.abhaNumber) {
    const taken = await db.selectFrom('patients').select(['state_number']).where('abha_number', '=', id.abhaNumber).executeTakeFirst();
    // Nobody signed in learns where an ABHA number is registered.
    if (taken && !actor) throw abhaTaken('abha');
    if (taken) throw conflict(`ABHA number ${input.abha} is already registered to patient ${taken.state_number}; find that patient instead`, `ABHA नंबर ${input.abha} पहले से मरीज़ ${taken.state_number} के नाम है; उसी को खोजें`, { field: 'abha', stateNumber: taken.state_number });
  }
  if (id.abhaAddress) {
    const taken = await db.selectFrom('patients').select(['state_number']).where('abha_address', '=', id.abhaAddress).executeTakeFirst();
    if (taken && !actor) throw abhaTaken('abhaAddress');
    if (taken) throw conflict(`ABHA address ${id.abhaAddress} is already registered to patient ${taken.state_number}`, `ABHA पता ${id.abhaAddress} पहले से मरीज़ ${taken.state_number} के नाम है`, { field: 'abhaAddress', stateNumber: taken.state_number });
  }
  const row = {
    id: uid(),
    state_number: await nextStateNumber(db, home.state_lgd),
    ...nameForms(input.name, input.nameHi),
    sex: input.sex as PatientRow['sex'],
    birth_date: id.birthDate,
    birth_date_estimated: id.estimated,
    mobile: id.mobile,
    mobile_verified_at: mobileVerified && id.mobile ? new Date() : null,
    abha_number: id.abhaNumber,
    abha_address: id.abhaAddress,
    aadhaar_last4: id.aadhaarLast4,
    blood_group: input.bloodGroup ?? null,
    card_token: newToken().slice(0, 32),
    address_line: input.address.line?.trim() || null,
    home_id: home.id,
    home_path: home.path,
    state_lgd: home.state_lgd,
    registered_via: via,
    registered_at_facility_id: facility?.id ?? null,
    merged_into: null,
    created_by: actor?.username ?? null,
  } as const;
  const created: PatientRow = { ...row, card_issued_at: null, name_words: row.name_key.split(' '), created_at: new Date(), updated_at: new Date() };
  const dto = toDto(created);
  // One statement: the patient, the facility link and the audit row stand or fall together.
  const audit = auditRow(actor, { action: 'create', entity: 'patient', entityId: row.id, orgPath: facility?.path ?? home.path, after: { ...dto, via } });
  // Compile-time guard: every field of the row has its column in the statement.
  const everyColumn: [Exclude<keyof typeof row, (typeof PATIENT_COLUMNS)[number]>] extends [never] ? true : never = true;
  void everyColumn;
  const params = [...PATIENT_COLUMNS.map((c) => row[c]), ...AUDIT_COLUMNS.map((c) => audit[c]), ...(facility ? [row.id, facility.id, facility.path] : [])];
  await db.executeQuery(CompiledQuery.raw(facility ? REGISTER_AT_FACILITY : REGISTER, params)).catch((e: unknown) => { throw uniqueToConflict(e, input); });
  return { ...dto, facilityId: facility?.id ?? null, ...(warnings.length ? { warnings } : {}) };
}

// The registration statement is written once, not built per request: at a busy counter, building
// it with the query builder cost a fifth of the server's time. Columns in a fixed order; values bound.
const PATIENT_COLUMNS = ['id', 'state_number', 'name', 'name_hi', 'name_latin', 'name_key', 'sex', 'birth_date', 'birth_date_estimated', 'mobile',
  'mobile_verified_at', 'abha_number', 'abha_address', 'aadhaar_last4', 'blood_group', 'card_token', 'address_line', 'home_id', 'home_path', 'state_lgd',
  'registered_via', 'registered_at_facility_id', 'merged_into', 'created_by'] as const;
const placeholders = (from: number, n: number) => Array.from({ length: n }, (_, i) => `$${from + i}`).join(', ');
const INSERT_PATIENT = `insert into patients (${PATIENT_COLUMNS.join(', ')}) values (${placeholders(1, PATIENT_COLUMNS.length)})`;
const INSERT_AUDIT = `insert into audit_log (${AUDIT_COLUMNS.join(', ')}) values (${placeholders(PATIENT_COLUMNS.length + 1, AUDIT_COLUMNS.length)})`;
const LINK_AT = PATIENT_COLUMNS.length + AUDIT_COLUMNS.length + 1;
const REGISTER = `with p as (${INSERT_PATIENT}) ${INSERT_AUDIT}`;
const REGISTER_AT_FACILITY = `with p as (${INSERT_PATIENT}), l as (insert into patient_facilities (patient_id, facility_id, facility_path) values (${placeholders(LINK_AT, 3)})) ${INSERT_AUDIT}`;

/** An ABHA number or address already registered, said to someone not signed in: not to whom. */
const abhaTaken = (field: 'abha' | 'abhaAddress') => conflict(
  `This ${field === 'abha' ? 'ABHA number' : 'ABHA address'} is already registered; show the ABHA card at a government health facility to find the record`,
  `यह ${field === 'abha' ? 'ABHA नंबर' : 'ABHA पता'} पहले से पंजीकृत है; रिकॉर्ड खोजने के लिए ABHA कार्ड किसी सरकारी स्वास्थ्य संस्थान में दिखाएँ`, { field });

/** Two registrations of one ABHA at the same moment: the second meets the unique index, answered as a conflict. */
function uniqueToConflict(e: unknown, input: NewPatientInput): unknown {
  const c = e as { code?: string; constraint?: string; message?: string };
  if (c.code !== '23505') return e;
  const field = /abha_address/.test(`${c.constraint} ${c.message}`) ? 'abhaAddress' : 'abha';
  return conflict(`This ${field === 'abha' ? 'ABHA number' : 'ABHA address'} was just registered to another patient; find that patient instead`,
    `यह ${field === 'abha' ? 'ABHA नंबर' : 'ABHA पता'} अभी किसी अन्य मरीज़ के नाम दर्ज हुआ है; उसी को खोजें`, { field, value: field === 'abha' ? input.abha : input.abhaAddress });
}

/** Records that a patient was registered or seen at a facility: its staff may then read the record. */
export async function linkFacility(db: Db, patientId: string, facility: Pick<OrgUnitRow, 'id' | 'path'>) {
  await db.insertInto('patient_facilities').values({ patient_id: patientId, facility_id: facility.id, facility_path: facility.path })
    .onConflict((oc) => oc.columns(['patient_id', 'facility_id']).doUpdateSet({ last_seen: sql`now()` })).execute();
}

/**
 * The path under which `actor` reads patients: their own org unit, whatever the role (admins
 * included). Null for someone posted at the country: a national account manages users and
 * settings, not records, and reads no patient.
 */
export function recordArea(actor: Actor): string | null {
  return actor.orgPath.split('/').filter(Boolean).length < 2 ? null : actor.orgPath;
}

/** 403 for a national account, which reads no patient (not even in a search or a list). */
export function requireRecordArea(actor: Actor): string {
  const area = recordArea(actor);
  if (!area) {
    throw forbidden('A national account manages users and settings, not patient records; sign in with an account of your state, district or facility',
      'राष्ट्रीय खाता उपयोगकर्ताओं और सेटिंग्स के लिए है, मरीज़ों के रिकॉर्ड के लिए नहीं; अपने राज्य, ज़िले या संस्थान के खाते से साइन इन करें');
  }
  return area;
}

/** The ids among `ids` whose full record `actor` may read (see canRead). */
export async function readableSet(db: Db, actor: Actor, ids: string[]): Promise<Set<string>> {
  if (!ids.length || !recordArea(actor) || !actor.permissions.has('can_read_patient')) return new Set();
  const { rows } = await sql<{ id: string }>`select id from unnest(${ids}::text[]) as p(id) where ${readableSql(actor)}`.execute(db);
  return new Set(rows.map((r) => r.id));
}

/**
 * The privacy rule of canRead as SQL over a patient id `p.id`, for statements that check it as they
 * read (so that no record leaves the database before the check). False for a national account.
 */
export function readableSql(actor: Actor, alias = 'p'): RawBuilder<boolean> {
  const area = recordArea(actor);
  if (!area || !actor.permissions.has('can_read_patient')) return sql<boolean>`false`;
  const id = sql.ref(`${alias}.id`);
  const linked = sql<boolean>`exists (select 1 from patient_facilities pf where pf.patient_id = ${id} and pf.facility_path like ${`${area}%`})`;
  // A doctor in an active teleconsultation reads the patient wherever they are registered.
  if (!actor.permissions.has('can_consult')) return linked;
  return sql<boolean>`(${linked} or exists (select 1 from tele_requests t where t.patient_id = ${id} and t.doctor_id = ${actor.userId}
    and t.status in ('called', 'in_consultation')))`;
}

/**
 * Whether `actor` may read a patient's record: staff (admins too) of a facility where the patient
 * is registered or was seen (the link lies under the staff member's own unit, never the country),
 * or the doctor who has the patient in an active teleconsultation (called or in consultation, not
 * after it ends). No role is exempt.
 */
export async function canRead(db: Db, actor: Actor, patientId: string): Promise<boolean> {
  return (await readableSet(db, actor, [patientId])).has(patientId);
}

export async function loadPatient(db: Db, id: string): Promise<PatientRow> {
  const row = await db.selectFrom('patients').selectAll().where((eb) => eb.or([eb('id', '=', id), eb('state_number', '=', id.toUpperCase())])).executeTakeFirst();
  if (!row) throw notFound(`No patient has id or number ${id}`, `आईडी या नंबर ${id} वाला कोई मरीज़ नहीं मिला`);
  return row;
}

/** The refusal of a record the caller may not read. */
export const readRefused = () => forbidden(
  'Only staff of a facility where this patient is registered or has been seen may read the record; if the patient is here, show it (a code to their mobile, their health card, or a break-glass reason) and register the visit',
  'यह रिकॉर्ड केवल उन्हीं संस्थानों के कर्मचारी देख सकते हैं जहाँ मरीज़ पंजीकृत है या दिखाया गया है; मरीज़ यहाँ है तो पहले यह दिखाएँ (उनके मोबाइल पर कोड, हेल्थ कार्ड या ब्रेक-ग्लास कारण), फिर विज़िट दर्ज करें',
);

/**
 * One statement that finds a patient by id or state number, checks the privacy rule and, when the
 * caller may read the record, writes the read's audit row (a data-modifying CTE: no round trip of its
 * own); `select` adds columns over `p` (the row, with `readable`). Null when no patient has that id;
 * 403 when the caller may not read the record (then nothing is audited and nothing else is read).
 */
export async function readAudited<X extends object>(db: Db, actor: Actor, id: string, purpose: string, select: RawBuilder<unknown> = sql``, joins: RawBuilder<unknown> = sql``) {
  const audit = auditInsert(actor, { action: 'read', entity: 'patient', orgPath: actor.orgPath, purpose }, { entityId: sql`p.id`, patientIds: sql`array[p.id]` }, sql`from p where p.readable`);
  const { rows } = await sql<PatientRow & { readable: boolean } & X>`
    with p as (
      select p.*, ${readableSql(actor)} as readable from patients p where p.id = ${id} or p.state_number = ${id.toUpperCase()} limit 1
    ), a as (${audit})
    select p.* ${select} from p ${joins}`.execute(db);
  const row = rows[0];
  if (!row) throw notFound(`No patient has id or number ${id}`, `आईडी या नंबर ${id} वाला कोई मरीज़ नहीं मिला`);
  if (!row.readable) throw readRefused();
  return row;
}

const epochMs = (column: string) => sql.raw(`floor(extract(epoch from ${column}) * 1000)::float8`);

/** Reads a record, checking the privacy rule and recording who read it and why: one statement. */
export async function readPatient(db: Db, actor: Actor, id: string, purpose = 'care') {
  requirePermission(actor, 'can_read_patient');
  type Extra = { home_name: string | null; home_name_hi: string | null; home_level: string | null; facilities: { id: string; name: string; nameHi: string | null; firstSeen: number; lastSeen: number }[] | string | null };
  const row = await readAudited<Extra>(db, actor, id, purpose, sql`, h.name as home_name, h.name_hi as home_name_hi, h.level as home_level,
      case when p.readable then (select coalesce(json_agg(json_build_object('id', o.id, 'name', o.name, 'nameHi', o.name_hi, 'firstSeen', ${epochMs('pf.first_seen')},
        'lastSeen', ${epochMs('pf.last_seen')}) order by pf.first_seen), '[]') from patient_facilities pf join org_units o on o.id = pf.facility_id where pf.patient_id = p.id) end as facilities`,
  sql`left join org_units h on h.id = p.home_id and p.readable`);
  const facilities = (typeof row.facilities === 'string' ? JSON.parse(row.facilities) : row.facilities ?? []) as Exclude<Extra['facilities'], string | null>;
  const { readable: _r, home_name, home_name_hi, home_level, facilities: _f, ...patient } = row;
  const dto = toDto(patient);
  return {
    ...dto,
    version: String(patient.updated_at.getTime()), // what an edit names (PATCH /api/patients/{id}); FHIR's meta.versionId
    address: { ...dto.address, place: home_name ?? null, placeHi: home_name_hi ?? null, level: home_level ?? null },
    facilities: facilities.map((f) => ({ id: f.id, name: f.name, nameHi: f.nameHi, firstSeen: new Date(f.firstSeen).toISOString(), lastSeen: new Date(f.lastSeen).toISOString() })),
  };
}

/**
 * Who read a patient's record, when and why: for the patient (and those who may read the record).
 * Reads of the record alone (entity_id) and reads that returned it among others (patient_ids: a
 * search page, a FHIR search Bundle) both count; a search that showed only what identifies the
 * person (name, age, place), not the record, is listed as a search.
 */
export async function accessLog(db: Db, actor: Actor, id: string) {
  requirePermission(actor, 'can_read_patient');
  const row = await loadPatient(db, id);
  if (!(await canRead(db, actor, row.id))) throw forbidden('You may not read this patient\'s record', 'आप इस मरीज़ का रिकॉर्ड नहीं देख सकते');
  const { rows } = await sql<{ at: Date; actor_username: string | null; action: string; purpose: string | null; entity: string; limited: boolean }>`
    select at, actor_username, action, purpose, entity, coalesce(after -> 'limited' ? ${row.id}, false) as limited from audit_log
    where (entity = 'patient' and entity_id = ${row.id}) or patient_ids @> array[${row.id}]::text[]
    order by at desc, id desc limit 200`.execute(db);
  return { items: rows.map((r) => ({ at: new Date(r.at).toISOString(), by: r.actor_username, action: r.entity === 'patient_search' || r.limited ? 'search' : r.action, purpose: r.purpose })) };
}
