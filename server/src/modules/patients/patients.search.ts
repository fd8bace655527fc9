// Finding patients: by name in either script (as spelt, corrected, by beginning, or by near words),
// mobile, ABHA or state number; and the likely duplicates of someone about to be registered.
import { sql, type Kysely, type Selectable, type SelectQueryBuilder } from 'kysely';
import type { Database, PatientsTable } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, badRequest } from '../../platform/errors.js';
import { todayIst } from '../../platform/periods.js';
import { resolveOrgUnit } from '../geo/geo.service.js';
import { normaliseMobile, parseAbhaAddress } from './patients.identity.js';
import { phoneticKey, similarity } from './patients.names.js';
import type { DuplicateInput, SearchInput } from './patients.schema.js';
import { ageOn, readableSet, requireRecordArea, statePrefix } from './patients.service.js';

type Db = Kysely<Database>;
type PatientRow = Selectable<PatientsTable>;

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

/** An order a caller may ask of a search instead of the search's own: by birth date, name (Latin letters), last change or id. */
export interface PatientOrder { key: 'birthdate' | 'name' | '_lastUpdated' | '_id'; desc: boolean }
const ORDER_COLUMNS = { birthdate: sql`p.birth_date`, name: sql`(p.name_latin collate "C")`, _lastUpdated: sql`p.updated_at`, _id: sql`p.id` };

/** The same order over rows in hand (byte-wise, as the ORDER BY compares). */
export function byOrder(order: PatientOrder[]) {
  const value = (p: PatientRow, key: PatientOrder['key']) => (key === 'birthdate' ? p.birth_date : key === 'name' ? p.name_latin : key === '_lastUpdated' ? p.updated_at.toISOString() : p.id);
  return (a: PatientRow, b: PatientRow) => {
    for (const o of [...order, { key: '_id' as const, desc: false }]) {
      const [x, y] = [value(a, o.key), value(b, o.key)];
      if (x !== y) return (x < y ? -1 : 1) * (o.desc ? -1 : 1);
    }
    return 0;
  };
}

/** The ORDER BY of the orders asked, ties broken by id (so a page never repeats or skips anyone); undefined when none were. */
function orderedBy(order: PatientOrder[] | undefined) {
  if (!order?.length) return undefined;
  return (q: SelectQueryBuilder<any, any, any>) => [...order.map((o) => sql`${ORDER_COLUMNS[o.key]} ${sql.raw(o.desc ? 'desc' : 'asc')}`), sql`p.id`]
    .reduce((acc, o) => acc.orderBy(o as any), q);
}

/**
 * Patients by name key, each step only when the one before found no one: the key as spelt (either
 * script), newest first; the key with each word corrected to its nearest word in the dictionary of
 * name words (by trigrams, or the same consonants); names beginning with the key, in key order;
 * then names having a near word for every word typed, best match first. The first three read the (name_key, created_at) index in order.
 * Every page of one query reads the same step, the first that finds anyone at all (at offset 0),
 * and the offset applies within that step's fixed order: a later page never falls through to
 * another step, so each person is on exactly one page.
 */
async function searchByName<Q extends SelectQueryBuilder<any, any, any>>(db: Db, base: (d?: Db) => Q, key: string, limit: number, offset: number, withTotal = false, asked?: PatientOrder[]) {
  type Row = Awaited<ReturnType<Q['execute']>>[number];
  type Found = { rows: Row[]; total?: number };
  const score = sql<number>`similarity(p.name_key, ${key})`.as('score');
  const keyOrder = orderedBy(asked) ?? ((q: SelectQueryBuilder<any, any, any>) => q.orderBy(nameKeyC).orderBy('p.created_at', 'desc').orderBy('p.id'));
  // This step's page (and, when asked, how many it finds in all), or null when the step finds no one
  // at all (then the next step is tried). Counting is needed only when the page does not tell.
  const page = async (found: SelectQueryBuilder<any, any, any>, order: typeof keyOrder): Promise<Found | null> => {
    const run = (from: number, take: number) => order(found.select(score)).limit(take).offset(from).execute() as Promise<Row[]>;
    const rows = await run(offset, limit + 1);
    if (!rows.length && !(offset > 0 && (await run(0, 1)).length)) return null; // else paged past the last of them
    if (!withTotal) return { rows };
    if (rows.length && rows.length <= limit) return { rows, total: offset + rows.length };
    const n = await found.clearSelect().select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
    return { rows, total: Number(n.n) };
  };
  const exact = (k: string, d: Db = db) => page(base(d).where(sql<boolean>`${nameKeyC} = ${k}`), keyOrder);
  const spelt = await exact(key);
  if (spelt) return spelt;
  return db.transaction().execute(async (trx): Promise<Found> => {
    await sql`select set_config('pg_trgm.similarity_threshold', '0.4', true)`.execute(trx);
    const words = key.split(' ');
    const near = await sql<{ i: number; word: string; s: number }>`
      select q.i::int as i, w.word, w.s from unnest(${words}::text[]) with ordinality as q(word, i)
      cross join lateral (select word, similarity(word, q.word) as s from patient_name_words
        where word % q.word or skeleton = regexp_replace(q.word, '[aeiou]', '', 'g') order by 2 desc, 1 limit 3) w`.execute(trx);
    const sets = words.map((_, i) => near.rows.filter((r) => r.i === i + 1));
    const corrected = sets.map((c, i) => c[0]?.word ?? words[i]).join(' ');
    if (corrected !== key) {
      const found = await exact(corrected, trx);
      if (found) return found;
    }
    const prefix = key.replace(/[\\%_]/g, '');
    const begins = await page(base(trx).where(sql<boolean>`${nameKeyC} like ${`${prefix}%`}`), keyOrder);
    if (begins) return begins;
    const close = sets.map((c) => c.filter((r) => r.s >= c[0].s - 0.1).map((r) => r.word)).filter((c) => c.length);
    if (!close.length) return { rows: [], total: withTotal ? 0 : undefined };
    let fuzzy: SelectQueryBuilder<any, any, any> = base(trx);
    for (const c of close) fuzzy = fuzzy.where(sql<boolean>`p.name_words && ${c}::text[]`);
    // A word typed that is near no name word leaves the others to match many people: show them in
    // record order rather than rank them all.
    const order = orderedBy(asked) ?? (close.length < words.length ? (q: SelectQueryBuilder<any, any, any>) => q.orderBy('p.id')
      : (q: SelectQueryBuilder<any, any, any>) => q.orderBy(sql`similarity(p.name_key, ${key})`, 'desc').orderBy('p.created_at', 'desc').orderBy('p.id'));
    return (await page(fuzzy, order)) ?? { rows: [], total: withTotal ? 0 : undefined };
  });
}

/**
 * Finds people across the state by name in either script (tolerating small misspellings), mobile,
 * ABHA number or address, or state number, optionally within a district or village. Results show
 * what is needed to recognise a person; `canRead` says whether the caller may open the record.
 */
export async function searchPatients(db: Db, actor: Actor, input: SearchInput, opts: { total?: boolean; order?: PatientOrder[] } = {}) {
  requirePermission(actor, 'can_search_patient');
  const state = statePrefix(requireRecordArea(actor));
  const limit = input.limit ?? 20;
  const offset = input.offset ?? 0;
  const within = input.village !== undefined ? await resolveOrgUnit(db, input.village, ['village'], 'village')
    : input.district !== undefined ? await resolveOrgUnit(db, input.district, ['district'], 'district') : null;
  // A place narrows the search within the caller's state; it never takes it into another state.
  if (within && !within.path.startsWith(state)) {
    const field = input.village !== undefined ? 'village' : 'district';
    throw new AppError('forbidden', { en: `${field} ${within.name} is in another state; search finds patients of your own state only`,
      hi: `${within.name} दूसरे राज्य में है; खोज केवल आपके अपने राज्य के मरीज़ों में होती है` }, { field });
  }
  const area = within?.path ?? state;
  const c = classifyQuery(input.q);
  const base = (d: Db = db) => d.selectFrom('patients as p').leftJoin('org_units as h', 'h.id', 'p.home_id')
    .selectAll('p').select(['h.name as home_name', 'h.name_hi as home_name_hi'])
    .where('p.home_path', 'like', `${area}%`);
  let rows: Awaited<ReturnType<ReturnType<typeof base>['execute']>>;
  let total: number | undefined;
  if (c.kind === 'name') {
    const key = phoneticKey(c.value);
    if (!key) throw badRequest('Type at least two letters of the name', 'नाम के कम से कम दो अक्षर लिखें', { field: 'q' });
    ({ rows, total } = await searchByName(db, base, key, limit, offset, opts.total, opts.order));
  } else {
    let q = base();
    if (c.kind === 'abha') q = q.where('p.abha_number', '=', c.value);
    else if (c.kind === 'abhaAddress') q = q.where('p.abha_address', '=', c.value);
    else if (c.kind === 'mobile') q = q.where('p.mobile', '=', c.value);
    else q = q.where('p.state_number', '=', c.value);
    rows = await (orderedBy(opts.order) ?? ((o: typeof q) => o.orderBy('p.created_at', 'desc').orderBy('p.id')))(q).limit(limit + 1).offset(offset).execute() as typeof rows;
  }
  const page = rows.slice(0, limit);
  const readable = await readableSet(db, actor, page.map((r) => r.id));
  const today = todayIst();
  await recordAudit(db, actor, { action: 'read', entity: 'patient_search', orgPath: area, purpose: 'search', after: { kind: c.kind, results: page.length } });
  return { items: page.map((r) => searchItem(r as any, readable.has(r.id), today)), limit, offset, more: rows.length > limit, kind: c.kind, total };
}

/**
 * People who may be the one about to be registered: the same mobile, or a similar name (either
 * script) of the same sex born within two years. Shown before a new registration is made.
 */
export async function likelyDuplicates(db: Db, actor: Actor, input: DuplicateInput) {
  // It shows people found state-wide, as a search does: for those who may search (not ASHAs).
  requirePermission(actor, 'can_search_patient');
  const key = phoneticKey(input.name);
  const mobile = input.mobile ? normaliseMobile(input.mobile) : null;
  const year = input.birthDate ? Number(input.birthDate.slice(0, 4)) : input.age !== undefined ? Number(todayIst().slice(0, 4)) - input.age : null;
  const area = statePrefix(requireRecordArea(actor));
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
  await recordAudit(db, actor, { action: 'read', entity: 'patient_search', orgPath: area, purpose: 'duplicates', after: { kind: 'duplicates', results: scored.length } });
  return {
    items: scored.map((x) => ({ ...searchItem({ ...(x.r as any), score: x.nameScore }, readable.has(x.r.id), today), sameMobile: x.sameMobile })),
  };
}
