/**
 * Editing a patient's demographics through the plain API (PATCH /api/patients/{id}), and the history
 * of a record's merges. An edit names the version it was made on (the record's `version`, which is
 * FHIR's meta.versionId: the time of the last change in milliseconds); the row is locked and a stale
 * version is a 409, so two clerks editing the same record never overwrite each other unseen. What
 * changed (before and after, only the fields that changed; of an Aadhaar number only its last four
 * digits) goes to the audit log. A FHIR read shows the registry's values for what was edited (see
 * fhir.patient.view.ts), as it does after a merge.
 */
import { Type, type Static } from '@sinclair/typebox';
import { sql, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { Database, PatientsTable } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { conflict, fieldErrors, forbidden, notFound, type FieldProblem } from '../../platform/errors.js';
import { todayIst } from '../../platform/periods.js';
import { checkAadhaar, normaliseMobile, parseAbhaAddress, parseAbhaNumber } from './patients.identity.js';
import { Address } from './patients.schema.js';
import { ageOn, canRead, homeOf, loadPatient, nameForms, readableSet, toDto } from './patients.service.js';

type Db = Kysely<Database>;
type PatientRow = Selectable<PatientsTable>;
type PatientSet = Omit<Updateable<PatientsTable>, 'name_words'> & Partial<Pick<PatientRow, 'updated_at'>>;

const date = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const BLOOD_GROUPS = ['A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-'];

export const EditPatientBody = Type.Object({
  version: Type.String({ minLength: 1, maxLength: 20, pattern: '^\\d+$', description: 'the record\'s `version` as read (GET /api/patients/{id}; FHIR meta.versionId): a record changed since is 409' }),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'as the person writes it, in Devanagari or Latin letters' })),
  nameHi: Type.Optional(Type.String({ maxLength: 200, description: 'the name in Devanagari when `name` is in Latin letters; empty clears it' })),
  sex: Type.Optional(Type.String({ enum: ['male', 'female', 'other'] })),
  birthDate: Type.Optional(date),
  age: Type.Optional(Type.Integer({ minimum: 0, maximum: 130, description: 'in years, when the date of birth is not known (kept as 1 January of that year, marked estimated)' })),
  mobile: Type.Optional(Type.String({ maxLength: 20, description: 'empty clears it' })),
  address: Type.Optional(Address),
  addressLine: Type.Optional(Type.String({ maxLength: 300, description: 'the house, street or landmark alone, the home place staying as it is; empty clears it' })),
  abha: Type.Optional(Type.String({ maxLength: 30, description: 'ABHA number, 14 digits; empty clears it' })),
  abhaAddress: Type.Optional(Type.String({ maxLength: 60, description: 'ABHA address; empty clears it' })),
  aadhaar: Type.Optional(Type.String({ maxLength: 20, description: 'checked, then only its last four digits are kept; empty clears them' })),
  bloodGroup: Type.Optional(Type.String({ enum: [...BLOOD_GROUPS, ''] })),
}, { additionalProperties: false });
export type EditPatientInput = Static<typeof EditPatientBody>;

/** A patient's version: the time of its last change in milliseconds (FHIR's meta.versionId). */
export const versionOf = (row: Pick<PatientRow, 'updated_at'>) => String(row.updated_at.getTime());

const notYours = () => forbidden(
  'Only staff of a facility where this patient is registered or has been seen may change the record',
  'यह रिकॉर्ड केवल उन्हीं संस्थानों के कर्मचारी बदल सकते हैं जहाँ मरीज़ पंजीकृत है या दिखाया गया है',
);

/**
 * Permission and scope of an edit, from the URL alone (run before the body is read): the caller may
 * update patients and may read this one.
 */
export async function requireEditable(db: Db, actor: Actor, ref: string): Promise<PatientRow> {
  requirePermission(actor, 'can_update_patient');
  // Runs before the route's schema and input guard have seen the path: an id no patient can have (a NUL,
  // a huge string) is a 404 here, not sent to PostgreSQL.
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(ref)) throw notFound(`No patient has id or number ${ref.slice(0, 40).replace(/[^\w-]/g, '?')}`, 'इस आईडी या नंबर वाला कोई मरीज़ नहीं मिला');
  const row = await loadPatient(db, ref);
  if (!(await canRead(db, actor, row.id))) throw notYours();
  return row;
}

/** The registry columns an edit sets, from the body; every problem at once. No I/O but the home place. */
async function columnsFrom(db: Db, before: PatientRow, input: EditPatientInput) {
  const problems: FieldProblem[] = [];
  const set: PatientSet = {};
  if (input.name !== undefined || input.nameHi !== undefined) {
    const name = input.name ?? before.name;
    // A Hindi name kept beside a Latin one stays unless replaced; one that was the name itself goes with it.
    const keptHi = before.name_hi && before.name_hi !== before.name ? before.name_hi : undefined;
    if (!name.trim()) problems.push({ field: 'name', message: 'must not be empty', messageHi: 'नाम खाली नहीं हो सकता' });
    else Object.assign(set, nameForms(name, input.nameHi ?? keptHi));
  }
  if (input.sex !== undefined) set.sex = input.sex as PatientRow['sex'];
  if (input.birthDate !== undefined && input.age !== undefined) {
    problems.push({ field: 'age', message: 'give the date of birth or the age, not both', messageHi: 'जन्म तिथि या आयु में से एक ही दें' });
  } else if (input.birthDate !== undefined) {
    const today = todayIst();
    if (Number.isNaN(Date.parse(input.birthDate))) problems.push({ field: 'birthDate', message: `${input.birthDate} is not a date; use YYYY-MM-DD`, messageHi: 'तिथि YYYY-MM-DD में लिखें' });
    else if (input.birthDate > today) problems.push({ field: 'birthDate', message: 'must not be in the future', messageHi: 'भविष्य की तिथि नहीं हो सकती' });
    else if (ageOn(input.birthDate, today) > 130) problems.push({ field: 'birthDate', message: 'makes the person older than 130', messageHi: 'आयु 130 वर्ष से अधिक हो जाती है' });
    else { set.birth_date = input.birthDate; set.birth_date_estimated = false; }
  } else if (input.age !== undefined) {
    // Only a changed age moves the date: an unchanged estimate keeps the date it had.
    if (input.age !== ageOn(before.birth_date)) { set.birth_date = `${Number(todayIst().slice(0, 4)) - input.age}-01-01`; set.birth_date_estimated = true; }
  }
  if (input.mobile !== undefined) {
    const r = input.mobile.trim() ? normaliseMobile(input.mobile) : { ok: true as const, mobile: null };
    if (!r.ok) problems.push({ field: 'mobile', message: r.message, messageHi: r.messageHi });
    else if (r.mobile !== before.mobile) { set.mobile = r.mobile; set.mobile_verified_at = null; }
  }
  if (input.abha !== undefined) {
    const r = input.abha.trim() ? parseAbhaNumber(input.abha) : { ok: true as const, digits: null };
    if (!r.ok) problems.push({ field: 'abha', message: r.message, messageHi: r.messageHi });
    else set.abha_number = r.digits;
  }
  if (input.abhaAddress !== undefined) {
    const r = input.abhaAddress.trim() ? parseAbhaAddress(input.abhaAddress) : { ok: true as const, address: null };
    if (!r.ok) problems.push({ field: 'abhaAddress', message: r.message, messageHi: r.messageHi });
    else set.abha_address = r.address;
  }
  if (input.aadhaar !== undefined) {
    const r = input.aadhaar.trim() ? checkAadhaar(input.aadhaar) : { ok: true as const, last4: null };
    if (!r.ok) problems.push({ field: 'aadhaar', message: r.message, messageHi: r.messageHi });
    else set.aadhaar_last4 = r.last4;
  }
  if (input.bloodGroup !== undefined) set.blood_group = input.bloodGroup || null;
  if (input.address && input.addressLine !== undefined) problems.push({ field: 'addressLine', message: 'give the whole address or the address line, not both', messageHi: 'पूरा पता या केवल पते की पंक्ति में से एक ही दें' });
  if (problems.length) throw fieldErrors(problems);
  if (input.addressLine !== undefined) set.address_line = input.addressLine.trim() || null;
  if (input.address) {
    const home = await homeOf(db, input.address);
    Object.assign(set, { home_id: home.id, home_path: home.path, state_lgd: home.state_lgd, address_line: input.address.line?.trim() || null });
  }
  return set;
}

/** The fields of `set` whose value differs from the row's. */
function changedOf(before: PatientRow, set: PatientSet): PatientSet {
  const same = (a: unknown, b: unknown) => String(a ?? '') === String(b ?? '');
  return Object.fromEntries(Object.entries(set).filter(([k, v]) => !same(before[k as keyof PatientRow], v))) as PatientSet;
}

/** Audit's view of changed columns: DTO names, never the card token; Aadhaar as its last four digits only. */
function auditView(row: PatientRow, keys: string[]) {
  const dto = toDto(row) as Record<string, unknown>;
  const field: Record<string, string> = {
    name: 'name', name_hi: 'nameHi', name_latin: 'nameLatin', sex: 'sex', birth_date: 'birthDate', birth_date_estimated: 'birthDateEstimated',
    mobile: 'mobile', abha_number: 'abha', abha_address: 'abhaAddress', aadhaar_last4: 'aadhaarLast4', blood_group: 'bloodGroup',
    address_line: 'address', home_id: 'address',
  };
  const names = [...new Set(keys.map((k) => field[k]).filter(Boolean))];
  return Object.fromEntries(names.map((n) => [n, dto[n]]));
}

/**
 * Edits a patient's demographics on the version the caller read. Call inside a transaction: the row is
 * locked, the version checked, ABHA numbers and addresses kept unique (a race meets the unique index:
 * 409), and the change audited. Answers the record with its new version and the fields changed.
 */
export async function editPatient(db: Db, actor: Actor, ref: string, input: EditPatientInput) {
  const found = await requireEditable(db, actor, ref);
  const before = await db.selectFrom('patients').selectAll().where('id', '=', found.id).forUpdate().executeTakeFirstOrThrow();
  if (before.merged_into) {
    const into = await db.selectFrom('patients').select('state_number').where('id', '=', before.merged_into).executeTakeFirst();
    throw conflict(`Patient ${before.state_number} was merged into ${into?.state_number ?? 'another record'}; edit that record, or undo the merge first`,
      `मरीज़ ${before.state_number} को ${into?.state_number ?? 'दूसरे रिकॉर्ड'} में मिलाया जा चुका है; उस रिकॉर्ड को बदलें, या पहले विलय वापस लें`, { mergedInto: before.merged_into });
  }
  if (input.version !== versionOf(before)) {
    throw conflict('Someone else changed this record after you opened it; reload it to see their change, then make yours again',
      'आपके खोलने के बाद किसी और ने यह रिकॉर्ड बदल दिया है; उनका बदलाव देखने के लिए इसे फिर से खोलें, फिर अपना बदलाव दोबारा करें',
      { field: 'version', version: versionOf(before) });
  }
  const changed = changedOf(before, await columnsFrom(db, before, input));
  for (const [column, field, label, labelHi] of [['abha_number', 'abha', 'ABHA number', 'ABHA नंबर'], ['abha_address', 'abhaAddress', 'ABHA address', 'ABHA पता']] as const) {
    const value = changed[column];
    if (!value) continue;
    const holder = await db.selectFrom('patients').select('state_number').where(column, '=', value).where('id', '<>', before.id).executeTakeFirst();
    if (holder) throw conflict(`${label} ${value} is already registered to patient ${holder.state_number}; merge the two records instead`, `${labelHi} ${value} पहले से मरीज़ ${holder.state_number} के नाम है; दोनों रिकॉर्ड मिलाएँ`, { field, stateNumber: holder.state_number });
  }
  const keys = Object.keys(changed);
  if (!keys.length) return { ...toDto(before), version: versionOf(before), changed: [] as string[] };
  // The new version is later than the one read, even within the same millisecond.
  const after = await db.updateTable('patients')
    .set({ ...changed, updated_at: sql<Date>`greatest(clock_timestamp(), updated_at + interval '1 millisecond')` })
    .where('id', '=', before.id).returningAll().executeTakeFirstOrThrow()
    .catch((e: { code?: string; constraint?: string; message?: string }) => {
      if (e.code !== '23505') throw e;
      const field = /abha_address/.test(`${e.constraint} ${e.message}`) ? 'abhaAddress' : 'abha';
      throw conflict('This ABHA was just registered to another patient; find that patient and merge the two records', 'यह ABHA अभी किसी अन्य मरीज़ के नाम दर्ज हुआ है; उस मरीज़ को खोजकर दोनों रिकॉर्ड मिलाएँ', { field });
    });
  const fields = Object.keys(auditView(after, keys));
  await recordAudit(db, actor, {
    action: 'update', entity: 'patient', entityId: after.id, orgPath: actor.orgPath, purpose: 'edit',
    before: auditView(before, keys), after: { ...auditView(after, keys), version: versionOf(after) },
  });
  return { ...toDto(after), version: versionOf(after), changed: fields };
}

/** The merges a record took part in (as the duplicate or as the record kept), newest first; the read is audited. */
export async function mergeHistory(db: Db, actor: Actor, ref: string) {
  requirePermission(actor, 'can_read_patient');
  const row = await loadPatient(db, ref);
  if (!(await canRead(db, actor, row.id))) throw forbidden('You may not read this patient\'s record', 'आप इस मरीज़ का रिकॉर्ड नहीं देख सकते');
  const merges = await db.selectFrom('patient_merges as m')
    .innerJoin('patients as f', 'f.id', 'm.from_id').innerJoin('patients as i', 'i.id', 'm.into_id')
    .select(['m.id', 'm.from_id', 'm.into_id', 'm.reason', 'm.merged_by', 'm.merged_at', 'm.undone_by', 'm.undone_at',
      'f.state_number as from_number', 'f.name as from_name', 'f.name_hi as from_name_hi', 'i.state_number as into_number', 'i.name as into_name', 'i.name_hi as into_name_hi'])
    .where((eb) => eb.or([eb('m.from_id', '=', row.id), eb('m.into_id', '=', row.id)]))
    .orderBy('m.merged_at', 'desc').limit(100).execute();
  // The other record's name only to those who may read it; its number always (it is on the merge).
  const readable = await readableSet(db, actor, merges.flatMap((m) => [m.from_id, m.into_id]));
  const side = (id: string, number: string, name: string, nameHi: string | null) => ({ id, stateNumber: number, ...(readable.has(id) ? { name, nameHi } : {}) });
  await recordAudit(db, actor, { action: 'read', entity: 'patient', entityId: row.id, orgPath: actor.orgPath, purpose: 'merges', after: { merges: merges.length } });
  return {
    items: merges.map((m) => ({
      id: m.id, reason: m.reason, mergedBy: m.merged_by, mergedAt: m.merged_at.toISOString(),
      undoneBy: m.undone_by, undoneAt: m.undone_at ? m.undone_at.toISOString() : null,
      from: side(m.from_id, m.from_number, m.from_name, m.from_name_hi), into: side(m.into_id, m.into_number, m.into_name, m.into_name_hi),
    })),
  };
}
