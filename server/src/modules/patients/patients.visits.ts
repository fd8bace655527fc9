// OPD visits (complaint, vitals, ICD-10 diagnoses, prescriptions) and the HMIS counts they make:
// a facility that records visits in Swasthya does not type its OPD attendance and disease counts.
import { parse as parseCsv } from 'csv-parse/sync';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { badRequest, fieldErrors, forbidden, type FieldProblem } from '../../platform/errors.js';
import { uid } from '../../platform/ids.js';
import { parsePeriod, todayIst } from '../../platform/periods.js';
import { holdReturns, returnKey, upsertValues, type ValueRow } from '../hmis/hmis.datavalues.repository.js';
import { DEFAULTS } from '../hmis/hmis.metadata.types.js';
import { bare, dotted, findCodes, namesOf } from '../codes/icd10.search.js';
import { closeTokenForVisit } from './patients.opd.js';
import { requirePresence } from './patients.presence.js';
import { ageOn, canRead, facilityFor, linkFacility, loadPatient } from './patients.service.js';

type Db = Kysely<Database>;

/** An ICD-10 code as written (A09, J18.9) or as the CMS files store it (J189). */
export const ICD = /^[A-Z]\d[0-9A-Z](\.?[0-9A-Z]{1,4})?$/;
export { bare, dotted } from '../codes/icd10.search.js';

/**
 * The titles of those of `codes` (bare: J189) that the state's ICD-10 list or the built-in one knows
 * (codes/icd10.search.ts). `listLoaded` stays for callers that warned when no list was loaded: a list
 * now always is.
 */
export async function lookUpCodes(db: Db, codes: string[]): Promise<{ titles: Map<string, string>; listLoaded: boolean }> {
  const names = await namesOf(db, codes);
  return { titles: new Map([...names].map(([c, n]) => [c, n.title])), listLoaded: true };
}

// ---------------------------------------------------------------- code list

export interface IcdImportResult { read: number; stored: number; refused: { line: number; reason: string }[] }

/**
 * Loads a state's ICD-10 code list (CSV with `code,title` and optionally `title_hi`), replacing titles
 * of codes already there; it is searched with, and named before, the built-in list.
 */
export async function importIcdCodes(db: Db, text: string, progress?: (done: number, total: number) => void): Promise<IcdImportResult> {
  let rows: string[][];
  try {
    rows = parseCsv(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true });
  } catch (e) {
    throw badRequest(`The CSV cannot be read: ${(e as Error).message}`);
  }
  const header = rows[0]?.map((c) => c.trim().toLowerCase()) ?? [];
  if (header[0] !== 'code' || !header[1]?.startsWith('title') && header[1] !== 'description') {
    throw badRequest(`Expected the header: code,title (got ${rows[0]?.join(',') ?? 'an empty file'})`);
  }
  const refused: IcdImportResult['refused'] = [];
  const hiColumn = header.findIndex((h, i) => i > 1 && (h === 'title_hi' || h === 'titlehi' || h === 'hindi'));
  const good: { code: string; title: string; titleHi: string | null }[] = [];
  rows.slice(1).forEach((r, i) => {
    const code = bare(r[0] ?? '');
    const title = (r[1] ?? '').trim();
    if (!ICD.test(code)) refused.push({ line: i + 2, reason: `"${r[0]}" is not an ICD-10 code` });
    else if (!title) refused.push({ line: i + 2, reason: `code ${code} has no title` });
    else good.push({ code, title, titleHi: hiColumn > 0 ? (r[hiColumn] ?? '').trim() || null : null });
  });
  for (let i = 0; i < good.length; i += 2000) {
    const b = good.slice(i, i + 2000);
    await sql`insert into icd_codes (code, title, title_hi) select * from unnest(${b.map((x) => x.code)}::text[], ${b.map((x) => x.title)}::text[], ${b.map((x) => x.titleHi)}::text[])
      on conflict (code) do update set title = excluded.title, title_hi = coalesce(excluded.title_hi, icd_codes.title_hi)`.execute(db);
    progress?.(Math.min(i + 2000, good.length), good.length);
  }
  return { read: rows.length - 1, stored: good.length, refused };
}

/** Finds codes by code prefix (J18, J18.9) or by English or Hindi words of the title (pneumonia, निमोनिया). */
export async function searchCodes(db: Db, actor: Actor, q: string, limit = 20, offset = 0) {
  requirePermission(actor, 'can_read_patient');
  return findCodes(db, q, limit, offset);
}

// ---------------------------------------------------------------- HMIS counts

/** A count in the monthly return made from visits: the HMIS item, and which visits it counts. */
interface VisitCount { item: string; counts: (v: { diagnoses: string[]; age_years: number }) => boolean }
const inRange = (from: string, to: string) => (d: string) => d.slice(0, 3) >= from && d.slice(0, 3) <= to;
const any = (test: (d: string) => boolean) => (v: { diagnoses: string[] }) => v.diagnoses.some(test);
const underFive = (test: (d: string) => boolean) => (v: { diagnoses: string[]; age_years: number }) => v.age_years < 5 && v.diagnoses.some(test);
export const VISIT_COUNTS: VisitCount[] = [
  { item: '14.1.1', counts: any(inRange('E08', 'E14')) },   // diabetes
  { item: '14.1.2', counts: any(inRange('I10', 'I16')) },   // hypertension
  { item: '10.1', counts: underFive(inRange('J12', 'J18')) },  // childhood pneumonia
  { item: '10.7', counts: underFive(inRange('A15', 'A19')) },  // childhood tuberculosis
  { item: '10.10', counts: underFive(inRange('B50', 'B54')) }, // childhood malaria
  { item: '10.11', counts: underFive(inRange('A00', 'A09')) }, // childhood diarrhoea
];

/**
 * Recounts a facility's month from its visits into the HMIS return: OPD attendance (14.2.1
 * allopathic or 14.2.2 AYUSH, by the facility's system) and the disease counts above. A return
 * already approved is left as it is; the answer says so.
 */
export async function recountHmis(db: Db, facilityId: string, period: string) {
  const p = parsePeriod(period);
  const facility = await db.selectFrom('org_units as o').innerJoin('facilities as f', 'f.id', 'o.id')
    .select(['o.id', 'o.path', 'o.state_lgd', 'f.system']).where('o.id', '=', facilityId).executeTakeFirstOrThrow();
  const ds = await db.selectFrom('hmis_data_sets').select('id').where('code', '=', 'HMIS_MONTHLY').executeTakeFirst();
  if (!ds) return { period, updated: [], skipped: 'no HMIS monthly data set' };
  // Held against approval until the visit commits; an approved return is left as it is.
  const locked = await holdReturns(db, [returnKey(ds.id, p.id, facility.id, DEFAULTS.categoryOptionCombo)]);
  if (locked.size) return { period: p.id, updated: [], skipped: 'the return is approved and locked' };
  const visits = await db.selectFrom('opd_visits').select(['diagnoses', 'age_years']).where('facility_id', '=', facilityId).where('period', '=', p.id).execute();
  const counts = new Map<string, number>([[facility.system === 'ayush' ? '14.2.2' : '14.2.1', visits.length]]);
  for (const c of VISIT_COUNTS) counts.set(c.item, visits.filter(c.counts).length);
  const elements = await db.selectFrom('hmis_data_elements').select(['id', 'code']).where('code', 'in', [...counts.keys()]).execute();
  const rows: ValueRow[] = elements.map((e) => {
    const n = counts.get(e.code!) ?? 0;
    return {
      de: e.id, period: p.id, ou: facility.id, coc: DEFAULTS.categoryOptionCombo, aoc: DEFAULTS.categoryOptionCombo, value: String(n), num: n,
      comment: null, followUp: false, storedBy: 'opd-visits', periodType: p.type, start: p.startDate, end: p.endDate, path: facility.path, stateLgd: facility.state_lgd,
    };
  });
  await upsertValues(db, rows, 'CREATE_AND_UPDATE');
  return { period: p.id, updated: elements.map((e) => ({ item: e.code, value: counts.get(e.code!) ?? 0 })).sort((a, b) => String(a.item).localeCompare(String(b.item))) };
}

// ---------------------------------------------------------------- visits

export interface VisitInput {
  patientId: string;
  facilityId?: string;
  opdRegistrationId?: string;
  complaint?: string;
  vitals?: Record<string, number>;
  diagnoses?: string[];
  notes?: string;
  prescriptions?: { drug: string; dose?: string; frequency?: string; days?: number }[];
}

const VITALS: Record<string, [number, number, string]> = {
  temperatureC: [30, 45, '°C'], pulse: [20, 250, '/min'], systolic: [50, 280, 'mmHg'], diastolic: [30, 180, 'mmHg'],
  respiratoryRate: [5, 80, '/min'], spo2: [50, 100, '%'], weightKg: [0.3, 300, 'kg'], heightCm: [30, 250, 'cm'],
};

/** Records an OPD visit at the staff member's facility and recounts the facility's month for HMIS. */
export async function recordVisit(db: Db, actor: Actor, input: VisitInput) {
  requirePermission(actor, 'can_read_patient');
  const facility = await facilityFor(db, actor, input.facilityId);
  if (!facility) throw badRequest('Name the facility (facilityId)', 'संस्थान बताएँ (facilityId)', { field: 'facilityId' });
  const patient = await loadPatient(db, input.patientId);
  await requirePresence(db, actor, patient.id);
  const problems: FieldProblem[] = [];
  for (const [k, v] of Object.entries(input.vitals ?? {})) {
    const range = VITALS[k];
    if (!range) problems.push({ field: `vitals.${k}`, message: `is not a vital sign we record (${Object.keys(VITALS).join(', ')})`, messageHi: 'यह दर्ज होने वाला जीवन-चिह्न नहीं है' });
    else if (!(v >= range[0] && v <= range[1])) problems.push({ field: `vitals.${k}`, message: `${v} is outside ${range[0]}–${range[1]} ${range[2]}`, messageHi: `${v} सीमा ${range[0]}–${range[1]} ${range[2]} से बाहर है` });
  }
  const codes = [...new Set((input.diagnoses ?? []).map(bare))];
  const malformed = codes.filter((c) => !ICD.test(c));
  if (malformed.length) problems.push({ field: 'diagnoses', message: `${malformed.join(', ')} ${malformed.length > 1 ? 'are not ICD-10 codes' : 'is not an ICD-10 code'} (like A09 or J18.9)`, messageHi: `${malformed.join(', ')} ICD-10 कोड नहीं है` });
  const { titles, listLoaded } = await lookUpCodes(db, codes);
  const unknown = listLoaded ? codes.filter((c) => ICD.test(c) && !titles.has(c)) : [];
  if (unknown.length) problems.push({ field: 'diagnoses', message: `${unknown.join(', ')} not in the ICD-10 list`, messageHi: `${unknown.join(', ')} ICD-10 सूची में नहीं है` });
  if (input.opdRegistrationId && !(await db.selectFrom('opd_registrations').select('id').where('id', '=', input.opdRegistrationId).where('patient_id', '=', patient.id).executeTakeFirst())) {
    problems.push({ field: 'opdRegistrationId', message: `${input.opdRegistrationId} is not an OPD token of this patient; give the token's id or leave it out`, messageHi: 'यह इस मरीज़ का ओपीडी टोकन नहीं है; टोकन की id दें या इसे छोड़ दें' });
  }
  if (problems.length) throw fieldErrors(problems);

  const day = todayIst();
  // The patient's token today is done now (in this transaction): the named one, or their open one.
  const token = await closeTokenForVisit(db, actor, patient.id, facility, input.opdRegistrationId);
  const row = {
    id: uid(), patient_id: patient.id, facility_id: facility.id, facility_path: facility.path, opd_registration_id: input.opdRegistrationId ?? token,
    period: day.slice(0, 4) + day.slice(5, 7), age_years: ageOn(patient.birth_date, day), sex: patient.sex,
    complaint: input.complaint?.trim() || null, vitals: JSON.stringify(input.vitals ?? {}), diagnoses: codes, notes: input.notes?.trim() || null,
    prescriptions: JSON.stringify(input.prescriptions ?? []), created_by: actor.username,
  };
  await db.insertInto('opd_visits').values(row).execute();
  await linkFacility(db, patient.id, facility);
  const hmis = await recountHmis(db, facility.id, row.period);
  await recordAudit(db, actor, { action: 'create', entity: 'opd_visit', entityId: row.id, orgPath: facility.path, after: { patient: patient.id, diagnoses: codes } });
  return {
    id: row.id, patientId: patient.id, facilityId: facility.id, period: row.period, diagnoses: codes.map(dotted), hmis, opdToken: row.opd_registration_id,
    ...(listLoaded ? {} : { warnings: [{ code: 'icd_list_missing', message: 'The ICD-10 list is not loaded (swasthya import icd10); codes were checked for form only', messageHi: 'ICD-10 सूची लोड नहीं है; कोड केवल रूप से जाँचे गए' }] }),
  };
}

/** A patient's visits, newest first, for those who may read the record. */
export async function listVisits(db: Db, actor: Actor, patientId: string) {
  requirePermission(actor, 'can_read_patient');
  const patient = await loadPatient(db, patientId);
  if (!(await canRead(db, actor, patient.id))) throw forbidden('You may not read this patient\'s record', 'आप इस मरीज़ का रिकॉर्ड नहीं देख सकते');
  const rows = await db.selectFrom('opd_visits as v').innerJoin('org_units as o', 'o.id', 'v.facility_id')
    .select(['v.id', 'v.visited_at', 'v.complaint', 'v.vitals', 'v.diagnoses', 'v.notes', 'v.prescriptions', 'o.name as facility', 'o.name_hi as facility_hi'])
    .where('v.patient_id', '=', patient.id).orderBy('v.visited_at', 'desc').limit(100).execute();
  const names = await namesOf(db, rows.flatMap((r) => r.diagnoses));
  await recordAudit(db, actor, { action: 'read', entity: 'patient', entityId: patient.id, orgPath: actor.orgPath, purpose: 'visits' });
  return {
    items: rows.map((r) => ({
      id: r.id, at: r.visited_at.toISOString(), facility: r.facility, facilityHi: r.facility_hi, complaint: r.complaint, vitals: r.vitals,
      diagnoses: r.diagnoses.map((c) => ({ code: dotted(c), title: names.get(c)?.title ?? null, titleHi: names.get(c)?.titleHi ?? null })), notes: r.notes, prescriptions: r.prescriptions,
    })),
  };
}
