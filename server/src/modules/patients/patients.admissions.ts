// In-patient episodes on the patient's record: an admission at a hospital, its dates, ICD-10
// diagnoses, procedure and treatment. Other modules write them through `recordAdmission` (HIMCARE's
// claims today: the filing writes the admission, the discharge completes it); the record shows them
// through `listAdmissions`. Unlike `recordVisit` (patients.visits.ts) an admission is not an OPD
// visit: it closes no OPD token and does not recount the facility's HMIS OPD figures.
// Writing does not link the patient to the hospital (patient_facilities): that link opens the whole
// record to the hospital's staff, and needs the patient's presence (patients.presence.ts).
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden } from '../../platform/errors.js';
import { uid } from '../../platform/ids.js';
import { bare, dotted, namesOf } from '../codes/icd10.search.js';
import { canRead, loadPatient } from './patients.service.js';

type Db = Kysely<Database>;
const ICD = /^[A-Z]\d[0-9A-Z](\.?[0-9A-Z]{1,4})?$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface AdmissionInput {
  patientId: string;
  /** The hospital (a facility org unit) inside the caller's area. */
  facilityId: string;
  admittedOn: string;
  dischargedOn?: string | null;
  /** ICD-10 codes, as written (K80.2) or bare (K802). */
  diagnoses: string[];
  procedure?: string | null;
  treatment?: string | null;
  /** What writes the episode ('himcare') and its id there: writing the same again updates the episode. */
  source: string;
  sourceId: string;
}

function checkDay(day: string, field: string) {
  const d = new Date(`${day}T00:00:00Z`);
  if (!DAY.test(day) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day) {
    throw badRequest(`${field} ${day} is not a date; use YYYY-MM-DD`, `${field} ${day} तिथि नहीं है; YYYY-MM-DD लिखें`, { field });
  }
}

/**
 * Writes (or, for the same source and id, updates) an in-patient episode on the patient's record,
 * audited as a write to the record. The caller is staff of the hospital (or above it) who may update
 * patients; the calling module has checked its own rules (a claim: the card, the member, the hospital).
 */
export async function recordAdmission(db: Db, actor: Actor, input: AdmissionInput) {
  requirePermission(actor, 'can_update_patient');
  const facility = await db.selectFrom('org_units').select(['id', 'path', 'level', 'state_lgd', 'name']).where('id', '=', input.facilityId).executeTakeFirst();
  if (!facility || facility.level !== 'facility') throw badRequest(`${input.facilityId} is not a facility; an admission is at a hospital`, `${input.facilityId} कोई संस्थान नहीं है`, { field: 'facilityId' });
  if (!facility.path.startsWith(actor.orgPath)) throw forbidden('You record admissions at your own hospital only', 'आप केवल अपने अस्पताल की भर्ती दर्ज कर सकते हैं');
  checkDay(input.admittedOn, 'admittedOn');
  if (input.dischargedOn) {
    checkDay(input.dischargedOn, 'dischargedOn');
    if (input.dischargedOn < input.admittedOn) throw badRequest('dischargedOn is before admittedOn', 'छुट्टी की तिथि भर्ती से पहले है', { field: 'dischargedOn' });
  }
  const codes = [...new Set(input.diagnoses.map((d) => bare(d.trim().toUpperCase())))];
  const malformed = codes.filter((c) => !ICD.test(c));
  if (malformed.length) throw badRequest(`${malformed.join(', ')} ${malformed.length > 1 ? 'are not ICD-10 codes' : 'is not an ICD-10 code'} (like K80.2)`, `${malformed.join(', ')} ICD-10 कोड नहीं है`, { field: 'diagnoses' });
  const patient = await loadPatient(db, input.patientId);
  const row = {
    id: uid(), patient_id: patient.id, facility_id: facility.id, facility_path: facility.path, state_lgd: facility.state_lgd,
    admitted_on: input.admittedOn, discharged_on: input.dischargedOn ?? null, diagnoses: codes,
    procedure: input.procedure?.trim() || null, treatment: input.treatment?.trim() || null,
    source: input.source, source_id: input.sourceId, created_by: actor.username,
  };
  const done = await db.insertInto('patient_admissions').values(row)
    .onConflict((oc) => oc.columns(['source', 'source_id']).doUpdateSet((eb) => ({
      admitted_on: eb.ref('excluded.admitted_on'), discharged_on: eb.ref('excluded.discharged_on'), diagnoses: eb.ref('excluded.diagnoses'),
      procedure: sql`coalesce(excluded.procedure, patient_admissions.procedure)`, treatment: sql`coalesce(excluded.treatment, patient_admissions.treatment)`, updated_at: sql`now()`,
    })).where('patient_admissions.patient_id', '=', patient.id).where('patient_admissions.facility_id', '=', facility.id))
    .returning(['id', sql<boolean>`xmax = 0`.as('inserted')]).executeTakeFirst();
  // The same source id for another patient or hospital is a caller's mistake, never an overwrite.
  if (!done) throw conflict(`${input.source} ${input.sourceId} already wrote an admission of another patient or hospital`, 'यह भर्ती किसी अन्य मरीज़ या अस्पताल की है');
  const inserted = done.inserted === true || (done.inserted as unknown) === 't';
  await recordAudit(db, actor, {
    action: inserted ? 'create' : 'update', entity: 'patient', entityId: patient.id, orgPath: facility.path, purpose: 'admission',
    after: { admission: done.id, facility: facility.id, admittedOn: row.admitted_on, dischargedOn: row.discharged_on, diagnoses: codes, source: row.source, sourceId: row.source_id },
  });
  return { id: done.id, created: inserted };
}

/** A patient's in-patient episodes, newest admission first, for those who may read the record (an audited read). */
export async function listAdmissions(db: Db, actor: Actor, patientId: string) {
  requirePermission(actor, 'can_read_patient');
  const patient = await loadPatient(db, patientId);
  if (!(await canRead(db, actor, patient.id))) throw forbidden('You may not read this patient\'s record', 'आप इस मरीज़ का रिकॉर्ड नहीं देख सकते');
  const rows = await db.selectFrom('patient_admissions as a').innerJoin('org_units as o', 'o.id', 'a.facility_id')
    .select(['a.id', 'a.admitted_on', 'a.discharged_on', 'a.diagnoses', 'a.procedure', 'a.treatment', 'a.source', 'a.source_id', 'o.id as facility_id', 'o.name as facility', 'o.name_hi as facility_hi'])
    .where('a.patient_id', '=', patient.id).orderBy('a.admitted_on', 'desc').orderBy('a.id', 'desc').limit(100).execute();
  const names = await namesOf(db, rows.flatMap((r) => r.diagnoses));
  await recordAudit(db, actor, { action: 'read', entity: 'patient', entityId: patient.id, orgPath: actor.orgPath, purpose: 'admissions' });
  return {
    items: rows.map((r) => ({
      id: r.id, facility: { id: r.facility_id, name: r.facility, nameHi: r.facility_hi },
      admittedOn: String(r.admitted_on), dischargedOn: r.discharged_on == null ? null : String(r.discharged_on),
      diagnoses: r.diagnoses.map((c) => ({ code: dotted(c), title: names.get(c)?.title ?? null, titleHi: names.get(c)?.titleHi ?? null })),
      procedure: r.procedure, treatment: r.treatment, source: r.source, sourceId: r.source_id,
    })),
  };
}
