// Finding patients: by name in either script (as spelt, corrected, by beginning, or by near words),
// mobile, ABHA or state number; and the likely duplicates of someone about to be registered.
import { sql, type Kysely, type RawBuilder, type Selectable, type SelectQueryBuilder } from 'kysely';
import type { Database, PatientsTable } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { auditInsert, recordAudit, type AuditEntry } from '../../platform/audit.js';
import { AppError, badRequest } from '../../platform/errors.js';
import { todayIst } from '../../platform/periods.js';
import { resolveOrgUnit } from '../geo/geo.service.js';
import { normaliseMobile, parseAbhaAddress } from './patients.identity.js';
import { phoneticKey, similarity } from './patients.names.js';
import type { DuplicateInput, SearchInput } from './patients.schema.js';
import { ageOn, readableSet, readableSql, requireRecordArea, statePrefix } from './patients.service.js';

type Db = Kysely<Database>;
type PatientRow = Selectable<PatientsTable>;

/** What a search shows of a person: enough to recognise them, not their record. */
function searchItem(p: PatientRow & { home_name: string | null; home_name_hi: string | null; score?: number | null }, readable: boolean, today: string) {
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
    score: p.score == null ? undefined : Math.round(p.score * 100) / 100,
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

/** Runs steps' ordered queries (only one of which finds anyone) for one page: `from`, `take` rows; `audit` false for a probe whose rows are not shown. */
type StepRunner = (qs: SelectQueryBuilder<any, any, any>[], from: number, take: number, audit: boolean) => Promise<SearchRow[]>;
/** A row of a search page: the patient, the home's names, and what the statement adds. */
export type SearchRow = PatientRow & { home_name: string | null; home_name_hi: string | null; score?: number | null; total?: number | null; readable: boolean } & Record<string, unknown>;

/**
 * Patients by name key, each step only when the one before found no one: the key as spelt (either
 * script), newest first; the key with each word corrected to its nearest word in the dictionary of
 * name words (by trigrams, or the same consonants); names beginning with the key, in key order;
 * then names having a near word for every word typed, best match first. The first three read the (name_key, created_at) index in order.
 * Every page of one query reads the same step, the first that finds anyone at all (at offset 0),
 * and the offset applies within that step's fixed order: a later page never falls through to
 * another step, so each person is on exactly one page. A step's page and its total are one
 * statement (a window count), which also audits the page when it shows anyone; the steps after the
 * near words are looked up go in one statement together (each only where those before find no one).
 */
async function searchByName(db: Db, base: () => SelectQueryBuilder<any, any, any>, run: StepRunner, key: string, limit: number, offset: number, asked?: PatientOrder[]) {
  type Found = { rows: SearchRow[]; total?: number };
  const score = sql<number>`similarity(p.name_key, ${key})`.as('score');
  const keyOrder = orderedBy(asked) ?? ((q: SelectQueryBuilder<any, any, any>) => q.orderBy(nameKeyC).orderBy('p.created_at', 'desc').orderBy('p.id'));
  type Step = { found: SelectQueryBuilder<any, any, any>; order: typeof keyOrder };
  // The page of the first of these steps that finds anyone, in one statement (each step's query
  // holds only where the steps before it find no one at all), or null when none finds anyone.
  const page = async (...steps: Step[]): Promise<Found | null> => {
    const qs = steps.map((st, i) => st.order(steps.slice(0, i).reduce((q, before) => q.where(sql<boolean>`not exists (${before.found})`), st.found).select(score)));
    const rows = await run(qs, offset, limit + 1, true);
    if (rows.length) return { rows };
    if (offset > 0) {
      // Paged past the last of them: the step still is the one that finds them (and says how many).
      const first = await run(qs, 0, 1, false);
      if (first.length) return { rows: [], total: first[0].total ?? undefined };
    }
    return null;
  };
  const exact = (k: string): Step => ({ found: base().where(sql<boolean>`${nameKeyC} = ${k}`), order: keyOrder });
  const spelt = await page(exact(key));
  if (spelt) return spelt;
  // Near words by trigrams at 0.4 similarity or more: `%` (at pg_trgm's default threshold of 0.3,
  // below 0.4) lets the trigram index find the candidates, the comparison keeps the near ones. No
  // transaction is needed to set a threshold of the session's own.
  const words = key.split(' ');
  const near = await sql<{ i: number; word: string; s: number }>`
    select q.i::int as i, w.word, w.s from unnest(${words}::text[]) with ordinality as q(word, i)
    cross join lateral (select word, similarity(word, q.word) as s from patient_name_words
      where (word % q.word and similarity(word, q.word) >= 0.4) or skeleton = regexp_replace(q.word, '[aeiou]', '', 'g') order by 2 desc, 1 limit 3) w`.execute(db);
  const sets = words.map((_, i) => near.rows.filter((r) => r.i === i + 1));
  const corrected = sets.map((c, i) => c[0]?.word ?? words[i]).join(' ');
  const prefix = key.replace(/[\\%_]/g, '');
  // The corrected key, names beginning with the key, and near words for every word: one statement.
  const steps: Step[] = [...(corrected !== key ? [exact(corrected)] : []), { found: base().where(sql<boolean>`${nameKeyC} like ${`${prefix}%`}`), order: keyOrder }];
  const close = sets.map((c) => c.filter((r) => r.s >= c[0].s - 0.1).map((r) => r.word)).filter((c) => c.length);
  if (close.length) {
    let fuzzy: SelectQueryBuilder<any, any, any> = base();
    for (const c of close) fuzzy = fuzzy.where(sql<boolean>`p.name_words && ${c}::text[]`);
    // A word typed that is near no name word leaves the others to match many people: show them in
    // record order rather than rank them all.
    const order = orderedBy(asked) ?? (close.length < words.length ? (q: SelectQueryBuilder<any, any, any>) => q.orderBy('p.id')
      : (q: SelectQueryBuilder<any, any, any>) => q.orderBy(sql`similarity(p.name_key, ${key})`, 'desc').orderBy('p.created_at', 'desc').orderBy('p.id'));
    steps.push({ found: fuzzy, order });
  }
  return (await page(...steps)) ?? { rows: [] };
}

/** How a search is audited and what it brings besides the registry row (the FHIR search adds the kept resource). */
export interface SearchOptions {
  /** Count every match (the total), in the statement that reads the page. */
  total?: boolean;
  order?: PatientOrder[];
  /**
   * The page's audit entry (default: entity patient_search, purpose search), written in the statement
   * that reads the page and naming every patient on it; `false` when the caller audits what it shows.
   * With `limited`, `after.limited` lists the patients on the page the caller may not read (shown by
   * name, sex and birth year only).
   */
  audit?: { entry: AuditEntry; limited?: boolean } | false;
  /** Columns over the page's rows (`page`, with `readable`), and the joins they need. */
  extra?: { select: RawBuilder<unknown>; joins: RawBuilder<unknown> };
}

/**
 * Finds people across the state by name in either script (tolerating small misspellings), mobile,
 * ABHA number or address, or state number, optionally within a district or village. Results show
 * what is needed to recognise a person; `canRead` says whether the caller may open the record.
 * One audit row names every person on the page, written in the statement that reads the page.
 */
export async function searchPatients(db: Db, actor: Actor, input: SearchInput, opts: SearchOptions = {}) {
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
  // A step finds and orders ids only (narrow rows sort and count faster); the page's rows are read after.
  const base = () => db.selectFrom('patients as p').select('p.id').where('p.home_path', 'like', `${area}%`);
  const audit = opts.audit === false ? null : opts.audit ?? { entry: { action: 'read', entity: 'patient_search', orgPath: area, purpose: 'search', after: { kind: c.kind } } as AuditEntry };
  let audited = false;
  const run: StepRunner = async (qs, from, take, write) => {
    const parts = qs.map((q) => q.select(opts.total ? sql<number>`(count(*) over ())::int`.as('total') : sql<number>`null::int`.as('total')).limit(take).offset(from));
    const inner = parts.length === 1 ? parts[0] : sql.join(parts.map((q) => sql`(${q})`), sql` union all `);
    const shown = sql`from page where rn <= ${limit}`;
    const statement = audit && write
      ? sql`, a as (${auditInsert(actor, audit.entry, {
        patientIds: sql`array(select id ${shown} order by rn)`,
        after: sql`coalesce(${JSON.stringify(audit.entry.after ?? {})}::jsonb, '{}') || jsonb_build_object('results', (select count(*) ${shown})::int
          ${audit.limited ? sql`, 'limited', to_jsonb(array(select id ${shown} and not readable order by rn))` : sql``})`,
      }, sql`where exists (select 1 ${shown})`)})`
      : sql``;
    const { rows } = await sql<SearchRow & { rn: number }>`
      with page as (
        select p.*, h.name as home_name, h.name_hi as home_name_hi, x.score, x.total, x.rn, ${readableSql(actor, 'p')} as readable
        from (select x.*, row_number() over () as rn from (${inner}) x) x join patients p on p.id = x.id left join org_units h on h.id = p.home_id
      ) ${statement}
      select page.* ${opts.extra?.select ?? sql``} from page ${opts.extra?.joins ?? sql``} order by page.rn`.execute(db);
    if (audit && write && rows.some((r) => Number(r.rn) <= limit)) audited = true;
    return rows;
  };
  let rows: SearchRow[];
  let total: number | undefined;
  if (c.kind === 'name') {
    const key = phoneticKey(c.value);
    if (!key) throw badRequest('Type at least two letters of the name', 'नाम के कम से कम दो अक्षर लिखें', { field: 'q' });
    const found = await searchByName(db, base, run, key, limit, offset, opts.order);
    rows = found.rows;
    total = opts.total ? (rows[0]?.total ?? found.total ?? 0) : undefined;
  } else {
    let q = base();
    if (c.kind === 'abha') q = q.where('p.abha_number', '=', c.value);
    else if (c.kind === 'abhaAddress') q = q.where('p.abha_address', '=', c.value);
    else if (c.kind === 'mobile') q = q.where('p.mobile', '=', c.value);
    else q = q.where('p.state_number', '=', c.value);
    q = q.select(sql<number>`null::real`.as('score'));
    rows = await run([(orderedBy(opts.order) ?? ((o: typeof q) => o.orderBy('p.created_at', 'desc').orderBy('p.id')))(q)], offset, limit + 1, true);
    if (opts.total) total = rows[0]?.total ?? (offset > 0 ? (await run([q], 0, 1, false))[0]?.total ?? 0 : 0);
  }
  const page = rows.slice(0, limit);
  // A search that shows no one is audited too (who searched for whom), in a statement of its own.
  if (audit && !audited) await recordAudit(db, actor, { ...audit.entry, after: { ...(audit.entry.after as object ?? {}), results: 0 }, patientIds: [] });
  const today = todayIst();
  return { items: page.map((r) => searchItem(r, r.readable, today)), rows: page, limit, offset, more: rows.length > limit, kind: c.kind, total };
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
  await recordAudit(db, actor, { action: 'read', entity: 'patient_search', orgPath: area, purpose: 'duplicates', after: { kind: 'duplicates', results: scored.length }, patientIds: scored.map((x) => x.r.id) });
  return {
    items: scored.map((x) => ({ ...searchItem({ ...(x.r as any), score: x.nameScore }, readable.has(x.r.id), today), sameMobile: x.sameMobile })),
  };
}
