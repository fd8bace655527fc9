/**
 * Searching the clinical resources kept whole in `fhir_resources`: `_id`, `patient`/`subject`,
 * `identifier`, `status`, `clinical-status`, `code`, `encounter` and the date parameters (`date` of an
 * Encounter's period, `authoredon`), each as a JSON containment or a calendar-day comparison that runs
 * the same on PostgreSQL 15 and PGlite; sorted by `_sort` with ties broken by id, so pages never
 * repeat or skip. Resources about patients the caller may not read are never found or counted.
 */
import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { Database, FhirResourcesTable } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { forbidden } from '../../platform/errors.js';
import { canRead, loadPatient, recordArea } from '../patients/patients.service.js';
import { withIncluded } from './fhir.include.js';
import { invalid } from './fhir.outcome.js';
import type { StoredRow } from './fhir.repository.js';
import { single, values, type Page, type Query, type SearchEntry, type SortKey } from './fhir.search.js';
import { auditEntity, PRIVACY, PRIVACY_HI, storedResource } from './fhir.store.js';
import { ID_PATTERN, parseReference, patientIdOf } from './fhir.types.js';

type Db = Kysely<Database>;

/** A day range a date parameter asks about, with its prefix. */
interface DateTest { start: string; end: string; prefix: string; lo: string; hi: string }

/** What a stored-resource search filters on. */
export interface StoreFilter {
  type: string;
  ids?: string[];
  patientIds?: string[];
  /** Each group is ORed JSON containments (`resource @> …`); the groups are ANDed. */
  contains?: string[][];
  dates?: DateTest[];
  /** Only resources without a patient or whose patient is linked to a facility under this path; null = none about a patient. */
  readableUnder: string | null;
}

/** JSON paths of the date parameters: the element holding the start and the end of the resource's time. */
const DATE_PATHS: Record<string, Record<string, [start: string[], end: string[]]>> = {
  Encounter: { date: [['period', 'start'], ['period', 'end']] },
  MedicationRequest: { authoredon: [['authoredOn'], ['authoredOn']] },
};
/** What each sort key orders by (a text column or JSON text, compared byte-wise). */
const SORT_PATHS: Record<string, Record<string, string[]>> = {
  Encounter: { date: ['period', 'start'] },
  MedicationRequest: { authoredon: ['authoredOn'] },
};
/** Where a token parameter looks: a code, or a CodeableConcept's codings. */
const TOKENS: Record<string, Record<string, { path: string; concept: boolean }>> = {
  Encounter: { status: { path: 'status', concept: false } },
  Condition: { 'clinical-status': { path: 'clinicalStatus', concept: true }, code: { path: 'code', concept: true } },
  MedicationRequest: { status: { path: 'status', concept: false }, code: { path: 'medicationCodeableConcept', concept: true } },
  MedicationStatement: { status: { path: 'status', concept: false }, code: { path: 'medicationCodeableConcept', concept: true } },
};
const ENCOUNTER_OF = new Set(['Condition', 'MedicationRequest']);

/** A token value (`system|code`, `code`, `system|`) as a containment of the element at `path`. */
function tokenJson(path: string, concept: boolean, token: string): string {
  const bar = token.indexOf('|');
  const system = bar >= 0 ? token.slice(0, bar) : '';
  const code = bar >= 0 ? token.slice(bar + 1) : token;
  if (!concept) return JSON.stringify({ [path]: code });
  return JSON.stringify({ [path]: { coding: [{ ...(system ? { system } : {}), ...(code ? { code } : {}) }] } });
}

const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** `ge2024-03` → prefix ge, 2024-03-01 to 2024-03-31 (a time of day counts as its day). */
function dateTest(name: string, text: string, start: string[], end: string[]): DateTest {
  const m = /^(eq|ne|gt|lt|ge|le|sa|eb)?(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T[\d:.]+(?:Z|[+-]\d{2}:\d{2})?)?$/.exec(text);
  const month = m?.[3] ? Number(m[3]) : undefined;
  const day = m?.[4] ? Number(m[4]) : undefined;
  if (!m || (month !== undefined && (month < 1 || month > 12)) || (day !== undefined && (day < 1 || day > lastDay(Number(m[2]), month!)))) {
    throw invalid(`${name} must be a date YYYY, YYYY-MM or YYYY-MM-DD, optionally after eq, ne, gt, lt, ge, le, sa or eb (as ge2024-01-31), not ${JSON.stringify(text)}`,
      name, `${name} तारीख़ YYYY-MM-DD होनी चाहिए, जैसे ge2024-01-31`);
  }
  const y = m[2];
  const mm = m[3] ?? '01';
  const lo = `${y}-${mm}-${m[4] ?? '01'}`;
  const hi = `${y}-${m[3] ?? '12'}-${m[4] ?? String(lastDay(Number(y), Number(m[3] ?? 12))).padStart(2, '0')}`;
  return { start: start.join(','), end: end.join(','), prefix: m[1] ?? 'eq', lo, hi };
}

/** The day (YYYY-MM-DD, as written) of a JSON path of the resource, byte-wise comparable. */
const dayAt = (path: string) => sql`(left(r.resource #>> ${`{${path}}`}, 10) collate "C")`;

/** A date test as SQL: the resource's days from S to E (an end alone or a start alone is both). */
function dateSql(d: DateTest): RawBuilder<boolean> {
  const s = sql`coalesce(${dayAt(d.start)}, ${dayAt(d.end)})`;
  const e = sql`coalesce(${dayAt(d.end)}, ${dayAt(d.start)})`;
  const within = sql`(${s} >= ${d.lo} and ${e} <= ${d.hi})`;
  const test = {
    eq: within,
    ne: sql`not ${within}`,
    gt: sql`${e} > ${d.hi}`,
    lt: sql`${s} < ${d.lo}`,
    ge: sql`(${e} > ${d.hi} or ${within})`,
    le: sql`(${s} < ${d.lo} or ${within})`,
    sa: sql`${s} > ${d.hi}`,
    eb: sql`${e} < ${d.lo}`,
  }[d.prefix]!;
  return sql<boolean>`(${s} is not null and ${test})`;
}

/** An `encounter=` value as the reference kept in the resource. */
function encounterRef(value: string): string {
  const ref = parseReference(value);
  if (ref?.type === 'Encounter') return `Encounter/${ref.id}`;
  if (!ref && ID_PATTERN.test(value)) return `Encounter/${value}`;
  throw invalid(`encounter must be Encounter/<id> or an id, not ${JSON.stringify(value)}`, 'encounter');
}

/**
 * The filter of a search of `type` from its query (patient aside). Comma-separated values are ORed,
 * repeated parameters ANDed.
 */
export function filterOf(type: string, q: Query, readableUnder: string | null): StoreFilter {
  const f: StoreFilter = { type, readableUnder, contains: [], dates: [] };
  f.ids = single(q, '_id')?.split(',').map((s) => s.trim()).filter(Boolean);
  const identifiers = single(q, 'identifier')?.split(',').map((t) => {
    const bar = t.lastIndexOf('|');
    return bar >= 0 ? { system: t.slice(0, bar) || undefined, value: t.slice(bar + 1) || undefined } : { value: t };
  });
  if (identifiers?.length) {
    const tokens = identifiers.map((t) => ({ ...(t.system ? { system: t.system } : {}), ...(t.value ? { value: t.value } : {}) }));
    // identifier is an array in every type but a few (Encounter.identifier is an array too; some types keep one).
    f.contains!.push(tokens.flatMap((t) => [JSON.stringify({ identifier: [t] }), JSON.stringify({ identifier: t })]));
  }
  for (const [name, { path, concept }] of Object.entries(TOKENS[type] ?? {})) {
    for (const v of values(q, name)) f.contains!.push(v.split(',').map((t) => t.trim()).filter(Boolean).map((t) => tokenJson(path, concept, t)));
  }
  if (ENCOUNTER_OF.has(type)) {
    for (const v of values(q, 'encounter')) f.contains!.push(v.split(',').map((t) => JSON.stringify({ encounter: { reference: encounterRef(t.trim()) } })));
  }
  for (const [name, [start, end]] of Object.entries(DATE_PATHS[type] ?? {})) {
    for (const v of values(q, name)) f.dates!.push(dateTest(name, v, start, end));
  }
  return f;
}

/** The ORDER BY of a sort: the keys asked for, then id (or newest first when none were). */
function orderOf(type: string, sort: SortKey[]): RawBuilder<unknown>[] {
  const keys = sort.map(({ key, desc }) => {
    const dir = sql.raw(desc ? 'desc nulls last' : 'asc nulls last');
    if (key === '_lastUpdated') return sql`r.updated_at ${dir}`;
    if (key === '_id') return sql`r.id ${dir}`;
    return sql`(r.resource #>> ${`{${SORT_PATHS[type][key].join(',')}}`} collate "C") ${dir}`;
  });
  if (!keys.length) keys.push(sql`r.updated_at desc`);
  return [...keys, sql`r.id asc`];
}

const asJson = (v: unknown): Record<string, any> => (typeof v === 'string' ? JSON.parse(v) : (v as Record<string, any>));
const toStored = (r: Selectable<FhirResourcesTable>): StoredRow => ({ ...r, resource: asJson(r.resource) });

/**
 * One page of stored resources matching `f` in the order of `sort`, and how many match in all
 * (unless `withTotal` is false: then nothing is counted and `more` comes from one row past the page).
 */
export async function searchRows(db: Db, f: StoreFilter, page: { count: number; offset: number }, sort: SortKey[] = [], withTotal = true): Promise<{ rows: StoredRow[]; total?: number; more: boolean }> {
  let q = db.selectFrom('fhir_resources as r').selectAll('r').where('r.resource_type', '=', f.type);
  if (f.ids) q = q.where('r.id', 'in', f.ids.length ? f.ids : ['']);
  if (f.patientIds) q = q.where('r.patient_id', 'in', f.patientIds.length ? f.patientIds : ['']);
  for (const group of f.contains ?? []) {
    if (!group.length) continue;
    q = q.where((eb) => eb.or(group.map((json) => sql<boolean>`r.resource @> ${json}::jsonb`)));
  }
  for (const d of f.dates ?? []) q = q.where(dateSql(d));
  // Restricted before any count or page: the total never counts what the caller may not read.
  const under = f.readableUnder === null ? null : `${f.readableUnder}%`;
  q = q.where((eb) => eb.or([
    eb('r.patient_id', 'is', null),
    ...(under === null ? [] : [eb.exists(eb.selectFrom('patient_facilities as pf').select('pf.patient_id')
      .whereRef('pf.patient_id', '=', 'r.patient_id').where('pf.facility_path', 'like', under))]),
  ]));
  const ordered = orderOf(f.type, sort).reduce((acc, o) => acc.orderBy(o as any), q);
  if (!withTotal) {
    const rows = page.count ? await ordered.limit(page.count + 1).offset(page.offset).execute() : [];
    return { rows: rows.slice(0, page.count).map(toStored), more: rows.length > page.count };
  }
  const rows = page.count ? await ordered.select(sql<number>`(count(*) over ())::int`.as('total')).limit(page.count).offset(page.offset).execute() : [];
  // Past the last page (or with _count=0) the window count is missing: count apart.
  const total = rows.length ? rows[0].total : Number((await q.clearSelect().select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  return { rows: rows.map(({ total: _t, ...r }) => toStored(r as Selectable<FhirResourcesTable>)), total, more: page.offset + rows.length < total };
}

/**
 * Searches stored resources of a type (see filterOf), newest first unless `_sort` says otherwise,
 * followed by what `_include`/`_revinclude` bring. Naming a patient the caller may not read is 403;
 * otherwise resources about patients they may not read are left out. With `_total=none` nothing is counted.
 */
export async function searchStored(db: Db, actor: Actor, type: string, q: Query, page: Page): Promise<{ entries: SearchEntry[]; more: boolean; total?: number }> {
  requirePermission(actor, 'can_read_patient');
  const refs = [...values(q, 'patient'), ...values(q, 'subject')];
  if (refs.length > 1) throw invalid('Give one patient (patient= or subject=)', 'patient');
  let patientId: string | undefined;
  if (refs.length) {
    const id = patientIdOf(refs[0]);
    if (!id) throw invalid(`patient must be Patient/<id> or an id, not ${JSON.stringify(refs[0])}`, 'patient');
    const row = await loadPatient(db, id).catch(() => null);
    if (!row) return { entries: [], more: false, total: 0 };
    if (!(await canRead(db, actor, row.id))) throw forbidden(PRIVACY, PRIVACY_HI);
    patientId = row.id;
  }
  const filter = filterOf(type, q, recordArea(actor));
  if (patientId) filter.patientIds = [patientId];
  const { rows, total, more } = await searchRows(db, filter, page, page.sort, page.total !== 'none');
  await recordAudit(db, actor, { action: 'read', entity: auditEntity(type), orgPath: actor.orgPath, purpose: 'care', after: { search: true, patient: patientId ?? null, results: rows.length } });
  const entries = await withIncluded(db, actor, type, page, rows.map((r) => ({ resource: storedResource(r) })));
  return { entries, more, total };
}
