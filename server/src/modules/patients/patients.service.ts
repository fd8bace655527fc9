import { sql, type Kysely, type Selectable, type SelectQueryBuilder } from 'kysely';
import type { Database, OrgUnitRow, PatientsTable } from '../../db/types.js';
import { requirePermission, requireScope, type Actor } from '../../platform/actor.js';
import { auditRow, recordAudit } from '../../platform/audit.js';
import { badRequest, conflict, fieldErrors, forbidden, notFound, type FieldProblem } from '../../platform/errors.js';
import { newToken, uid } from '../../platform/ids.js';
import { todayIst } from '../../platform/periods.js';
import { cachedUnit } from '../geo/geo.cache.js';
import { resolveOrgUnit } from '../geo/geo.service.js';
import { checkAadhaar, luhnCheckDigit, normaliseMobile, parseAbhaAddress, parseAbhaNumber } from './patients.identity.js';
import { devanagariToLatin, phoneticKey, scriptOf, similarity } from './patients.names.js';
import type { DuplicateInput, NewPatientInput, SearchInput } from './patients.schema.js';

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
async function homeOf(db: Db, address: NewPatientInput['address']): Promise<OrgUnitRow> {
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

/** Checks identifiers and dates; every problem at once, ABHA check digits as warnings. */
function checkIdentity(input: Pick<NewPatientInput, 'abha' | 'abhaAddress' | 'aadhaar' | 'mobile' | 'birthDate' | 'age'>, warnings: Warning[]): Identity {
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
function nameForms(name: string, nameHi?: string) {
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
  if (actor && via === 'counter' && !facility && actor.role !== 'admin') {
    throw badRequest('Say at which facility the patient is registered (facilityId)', 'बताएँ कि मरीज़ किस संस्थान में पंजीकृत हो रहा है (facilityId)', { field: 'facilityId' });
  }
  if (id.abhaNumber) {
    const taken = await db.selectFrom('patients').select(['state_number']).where('abha_number', '=', id.abhaNumber).executeTakeFirst();
    if (taken) throw conflict(`ABHA number ${input.abha} is already registered to patient ${taken.state_number}; find that patient instead`, `ABHA नंबर ${input.abha} पहले से मरीज़ ${taken.state_number} के नाम है; उसी को खोजें`, { field: 'abha', stateNumber: taken.state_number });
  }
  if (id.abhaAddress) {
    const taken = await db.selectFrom('patients').select(['state_number']).where('abha_address', '=', id.abhaAddress).executeTakeFirst();
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
  const link = facility ? [{ patient_id: row.id, facility_id: facility.id, facility_path: facility.path }] : [];
  const statement = facility
    ? db.with('p', (q) => q.insertInto('patients').values(row)).with('l', (q) => q.insertInto('patient_facilities').values(link)).insertInto('audit_log').values(audit)
    : db.with('p', (q) => q.insertInto('patients').values(row)).insertInto('audit_log').values(audit);
  await statement.execute().catch((e: unknown) => { throw uniqueToConflict(e, input); });
  return { ...dto, facilityId: facility?.id ?? null, ...(warnings.length ? { warnings } : {}) };
}

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

/** What a search shows of a person: enough to recognise them, not their record. */
function searchItem(p: PatientRow & { home_name: string | null; home_name_hi: string | null; score?: number }, readable: boolean, today: string) {
  return {
    id: p.id,
    stateNumber: p.state_number,
    name: p.name,
    nameHi: p.name_hi,
    nameLatin: p.name_latin,
    sex: p.sex,
    age: ageOn(p.birth_date, today),
    birthYear: Number(p.birth_date.slice(0, 4)),
    place: p.home_name,
    placeHi: p.home_name_hi,
    mobileLast4: p.mobile ? p.mobile.slice(-4) : null,
    hasAbha: !!p.abha_number,
    mergedInto: p.merged_into,
    score: p.score === undefined ? undefined : Math.round(p.score * 100) / 100,
    canRead: readable,
  };
}

type Classified = { kind: 'abha'; value: string } | { kind: 'abhaAddress'; value: string } | { kind: 'mobile'; value: string } | { kind: 'stateNumber'; value: string } | { kind: 'name'; value: string };

/** What a search box was given: an ABHA number or address, a mobile, a state number or a name. */
export function classifyQuery(q: string): Classified {
  const text = q.trim();
  if (/^p\d{11}$/i.test(text)) return { kind: 'stateNumber', value: text.toUpperCase() };
  if (text.includes('@')) { const a = parseAbhaAddress(text); if (a.ok) return { kind: 'abhaAddress', value: a.address }; }
  const digits = text.replace(/[\s-]/g, '');
  if (/^\d{14}$/.test(digits)) return { kind: 'abha', value: digits };
  if (/^(\+?91|0)?[6-9]\d{9}$/.test(digits)) { const m = normaliseMobile(text); if (m.ok) return { kind: 'mobile', value: m.mobile }; }
  return { kind: 'name', value: text };
}

const nameKeyC = sql<string>`(p.name_key collate "C")`;

/**
 * Patients by name key, each step only when the one before found no one: the key as spelt (either
 * script), newest first; the key with each word corrected to its nearest word in the dictionary of
 * name words (by trigrams, or the same consonants); names beginning with the key, in key order;
 * then names having a near word for every word typed, best match first. The first three read the (name_key, created_at) index in order.
 */
async function searchByName<Q extends SelectQueryBuilder<any, any, any>>(db: Db, base: (d?: Db) => Q, key: string, limit: number, offset: number) {
  const score = sql<number>`similarity(p.name_key, ${key})`.as('score');
  const exact = (k: string, from = offset, d: Db = db) => base(d).where(sql<boolean>`${nameKeyC} = ${k}`).select(score)
    .orderBy(nameKeyC).orderBy('p.created_at', 'desc').orderBy('p.id').limit(limit + 1).offset(from).execute();
  let rows = await exact(key);
  if (rows.length) return rows;
  if (offset > 0 && (await exact(key, 0)).length) return rows; // paged past the last of them
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('pg_trgm.similarity_threshold', '0.4', true)`.execute(trx);
    const words = key.split(' ');
    const near = await sql<{ i: number; word: string; s: number }>`
      select q.i::int as i, w.word, w.s from unnest(${words}::text[]) with ordinality as q(word, i)
      cross join lateral (select word, similarity(word, q.word) as s from patient_name_words
        where word % q.word or skeleton = regexp_replace(q.word, '[aeiou]', '', 'g') order by 2 desc, 1 limit 3) w`.execute(trx);
    const sets = words.map((_, i) => near.rows.filter((r) => r.i === i + 1));
    const corrected = sets.map((c, i) => c[0]?.word ?? words[i]).join(' ');
    if (corrected !== key) {
      rows = await exact(corrected, offset, trx);
      if (rows.length) return rows;
    }
    const prefix = key.replace(/[\\%_]/g, '');
    rows = await base(trx).where(sql<boolean>`${nameKeyC} like ${`${prefix}%`}`).select(score)
      .orderBy(nameKeyC).orderBy('p.created_at', 'desc').orderBy('p.id').limit(limit + 1).offset(offset).execute();
    if (rows.length || offset > 0) return rows;
    const close = sets.map((c) => c.filter((r) => r.s >= c[0].s - 0.1).map((r) => r.word)).filter((c) => c.length);
    if (!close.length) return [];
    let fuzzy = base(trx).select(score);
    for (const c of close) fuzzy = fuzzy.where(sql<boolean>`p.name_words && ${c}::text[]`);
    // A word typed that is near no name word leaves the others to match many people: show some of
    // them rather than rank them all.
    if (close.length < words.length) return fuzzy.limit(limit + 1).execute();
    return fuzzy.orderBy(sql`similarity(p.name_key, ${key})`, 'desc').orderBy('p.created_at', 'desc').orderBy('p.id').limit(limit + 1).execute();
  });
}

/**
 * Finds people across the state by name in either script (tolerating small misspellings), mobile,
 * ABHA number or address, or state number, optionally within a district or village. Results show
 * what is needed to recognise a person; `canRead` says whether the caller may open the record.
 */
export async function searchPatients(db: Db, actor: Actor, input: SearchInput) {
  requirePermission(actor, 'can_search_patient');
  const limit = input.limit ?? 20;
  const offset = input.offset ?? 0;
  const within = input.village !== undefined ? await resolveOrgUnit(db, input.village, ['village'], 'village')
    : input.district !== undefined ? await resolveOrgUnit(db, input.district, ['district'], 'district') : null;
  const area = within?.path ?? statePrefix(actor.orgPath);
  const c = classifyQuery(input.q);
  const base = (d: Db = db) => d.selectFrom('patients as p').leftJoin('org_units as h', 'h.id', 'p.home_id')
    .selectAll('p').select(['h.name as home_name', 'h.name_hi as home_name_hi'])
    .where('p.home_path', 'like', `${area}%`);
  let rows: Awaited<ReturnType<ReturnType<typeof base>['execute']>>;
  if (c.kind === 'name') {
    const key = phoneticKey(c.value);
    if (!key) throw badRequest('Type at least two letters of the name', 'नाम के कम से कम दो अक्षर लिखें', { field: 'q' });
    rows = await searchByName(db, base, key, limit, offset);
  } else {
    let q = base();
    if (c.kind === 'abha') q = q.where('p.abha_number', '=', c.value);
    else if (c.kind === 'abhaAddress') q = q.where('p.abha_address', '=', c.value);
    else if (c.kind === 'mobile') q = q.where('p.mobile', '=', c.value);
    else q = q.where('p.state_number', '=', c.value);
    rows = await q.orderBy('p.created_at', 'desc').orderBy('p.id').limit(limit + 1).offset(offset).execute();
  }
  const page = rows.slice(0, limit);
  const readable = await readableSet(db, actor, page.map((r) => r.id));
  const today = todayIst();
  await recordAudit(db, actor, { action: 'read', entity: 'patient_search', orgPath: area, purpose: 'search', after: { kind: c.kind, results: page.length } });
  return { items: page.map((r) => searchItem(r as any, readable.has(r.id), today)), limit, offset, more: rows.length > limit, kind: c.kind };
}

/**
 * People who may be the one about to be registered: the same mobile, or a similar name (either
 * script) of the same sex born within two years. Shown before a new registration is made.
 */
export async function likelyDuplicates(db: Db, actor: Actor, input: DuplicateInput) {
  requirePermission(actor, 'can_register_patient');
  const key = phoneticKey(input.name);
  const mobile = input.mobile ? normaliseMobile(input.mobile) : null;
  const year = input.birthDate ? Number(input.birthDate.slice(0, 4)) : input.age !== undefined ? Number(todayIst().slice(0, 4)) - input.age : null;
  const area = statePrefix(actor.orgPath);
  let q = db.selectFrom('patients as p').leftJoin('org_units as h', 'h.id', 'p.home_id')
    .selectAll('p').select(['h.name as home_name', 'h.name_hi as home_name_hi'])
    .select(sql<number>`similarity(p.name_key, ${key})`.as('score'))
    .where('p.home_path', 'like', `${area}%`).where('p.merged_into', 'is', null)
    .where((eb) => eb.or([
      sql<boolean>`p.name_key % ${key}`,
      ...(mobile?.ok ? [eb('p.mobile', '=', mobile.mobile)] : []),
    ]));
  if (input.sex) q = q.where('p.sex', '=', input.sex as PatientRow['sex']);
  const rows = await q.orderBy('score', 'desc').limit(200).execute();
  const today = todayIst();
  const scored = rows.map((r) => {
    const sameMobile = !!(mobile?.ok && r.mobile === mobile.mobile);
    const nameScore = similarity(input.name, r.name);
    const born = Number(r.birth_date.slice(0, 4));
    const ageClose = year === null || Math.abs(born - year) <= 2;
    return { r, sameMobile, nameScore, ageClose };
  }).filter((x) => (x.sameMobile && x.nameScore >= 0.3) || (x.nameScore >= 0.5 && x.ageClose))
    .sort((a, b) => Number(b.sameMobile) - Number(a.sameMobile) || b.nameScore - a.nameScore)
    .slice(0, 10);
  const readable = await readableSet(db, actor, scored.map((x) => x.r.id));
  return {
    items: scored.map((x) => ({ ...searchItem({ ...(x.r as any), score: x.nameScore }, readable.has(x.r.id), today), sameMobile: x.sameMobile })),
  };
}

/** The ids among `ids` whose full record `actor` may read (see canRead). */
async function readableSet(db: Db, actor: Actor, ids: string[]): Promise<Set<string>> {
  if (!ids.length || !actor.permissions.has('can_read_patient')) return new Set();
  if (actor.role === 'admin') return new Set(ids);
  const rows = await db.selectFrom('patient_facilities').select('patient_id').where('patient_id', 'in', ids)
    .where('facility_path', 'like', `${actor.orgPath}%`).execute();
  return new Set(rows.map((r) => r.patient_id));
}

/**
 * Whether `actor` may read a patient's record: an admin, or staff of a facility where the patient
 * is registered or was seen (the link lies under the staff member's own unit).
 */
export async function canRead(db: Db, actor: Actor, patientId: string): Promise<boolean> {
  return (await readableSet(db, actor, [patientId])).has(patientId);
}

export async function loadPatient(db: Db, id: string): Promise<PatientRow> {
  const row = await db.selectFrom('patients').selectAll().where((eb) => eb.or([eb('id', '=', id), eb('state_number', '=', id.toUpperCase())])).executeTakeFirst();
  if (!row) throw notFound(`No patient has id or number ${id}`, `आईडी या नंबर ${id} वाला कोई मरीज़ नहीं मिला`);
  return row;
}

/** Reads a record, checking the privacy rule and recording who read it and why. */
export async function readPatient(db: Db, actor: Actor, id: string, purpose = 'care') {
  requirePermission(actor, 'can_read_patient');
  const row = await loadPatient(db, id);
  if (!(await canRead(db, actor, row.id))) {
    throw forbidden(
      'Only staff of a facility where this patient is registered or has been seen may read the record; register the visit first',
      'यह रिकॉर्ड केवल उन्हीं संस्थानों के कर्मचारी देख सकते हैं जहाँ मरीज़ पंजीकृत है या दिखाया गया है; पहले विज़िट दर्ज करें',
    );
  }
  await recordAudit(db, actor, { action: 'read', entity: 'patient', entityId: row.id, orgPath: actor.orgPath, purpose });
  const facilities = await db.selectFrom('patient_facilities as pf').innerJoin('org_units as o', 'o.id', 'pf.facility_id')
    .select(['o.id', 'o.name', 'o.name_hi', 'pf.first_seen', 'pf.last_seen']).where('pf.patient_id', '=', row.id).orderBy('pf.first_seen').execute();
  const home = await db.selectFrom('org_units').select(['name', 'name_hi', 'level']).where('id', '=', row.home_id).executeTakeFirst();
  const dto = toDto(row);
  return {
    ...dto,
    address: { ...dto.address, place: home?.name ?? null, placeHi: home?.name_hi ?? null, level: home?.level ?? null },
    facilities: facilities.map((f) => ({ id: f.id, name: f.name, nameHi: f.name_hi, firstSeen: f.first_seen.toISOString(), lastSeen: f.last_seen.toISOString() })),
  };
}

/** Who read a patient's record, when and why: for the patient (and those who may read the record). */
export async function accessLog(db: Db, actor: Actor, id: string) {
  requirePermission(actor, 'can_read_patient');
  const row = await loadPatient(db, id);
  if (!(await canRead(db, actor, row.id))) throw forbidden('You may not read this patient\'s record', 'आप इस मरीज़ का रिकॉर्ड नहीं देख सकते');
  const rows = await db.selectFrom('audit_log').select(['at', 'actor_username', 'action', 'purpose', 'org_unit_path'])
    .where('entity', '=', 'patient').where('entity_id', '=', row.id).orderBy('at', 'desc').limit(200).execute();
  return { items: rows.map((r) => ({ at: (r.at as Date).toISOString(), by: r.actor_username, action: r.action, purpose: r.purpose })) };
}

