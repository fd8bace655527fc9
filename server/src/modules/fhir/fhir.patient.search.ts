/**
 * FHIR Patient search (`GET /fhir/Patient?…`) over the state patient registry: the criteria a client
 * may give, and the search itself (see searchFhirPatients); reads and writes are in fhir.patient.ts.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, PatientsTable } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { auditInsert } from '../../platform/audit.js';
import { normaliseMobile, parseAbhaNumber } from '../patients/patients.identity.js';
import { similarity } from '../patients/patients.names.js';
import { canRead, loadPatient, readableSet, requireRecordArea, statePrefix } from '../patients/patients.service.js';
import { byOrder, classifyQuery, searchPatients, type PatientOrder } from '../patients/patients.search.js';
import { invalid } from './fhir.outcome.js';
import { patientIdsWithIdentifier } from './fhir.patient.kept.js';
import { toLimitedPatient } from './fhir.patient.map.js';
import { patientView } from './fhir.patient.view.js';
import { withIncluded } from './fhir.include.js';
import * as repo from './fhir.repository.js';
import { single, values, type Page, type Query, type SearchEntry } from './fhir.search.js';
import { ABHA_ADDRESS_SYSTEMS, ABHA_NUMBER_SYSTEMS, SYSTEM } from './fhir.types.js';
import { inFhirTerms, keptAndPlaces, keptOf, placesOf, type KeptAndPlaces } from './fhir.patient.js';

type Db = Kysely<Database>;
type PatientRow = Selectable<PatientsTable>;

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
