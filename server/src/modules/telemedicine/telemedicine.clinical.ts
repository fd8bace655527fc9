// The consultation record: the consulting doctor's notes, ICD-10 diagnoses, advice and follow-up date
// on a request; read by whoever may read the request, and later by staff who may read the patient's
// record (GET /api/patients/:id/consultations), each read audited like any other patient read.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { conflict, fieldErrors, forbidden, type FieldProblem } from '../../platform/errors.js';
import { todayIst } from '../../platform/periods.js';
import { canRead, loadPatient } from '../patients/patients.service.js';
import { bare, dotted, ICD, lookUpCodes } from '../patients/patients.visits.js';
import type { ConsultationInput } from './telemedicine.clinical.schema.js';
import { canReadClinical, loadRequest, requireConsultingDoctor } from './telemedicine.queue.js';
import { prescriptionsOfRequests } from './telemedicine.prescriptions.js';
import { referralsOfPatient } from './telemedicine.referrals.js';
import { specialtyName } from './telemedicine.specialties.js';

type Db = Kysely<Database>;
export interface Diagnosis { code: string; title: string | null }


const NO_READ = ['You may not read this consultation: it is for the staff of its spoke and hub, the doctor, and officers over them',
  'आप यह परामर्श नहीं देख सकते: यह केवल स्पोक और हब के कर्मचारियों, डॉक्टर और उनके अधिकारियों के लिए है'] as const;

/**
 * Checks diagnoses (J06.9 or J069) against the ICD-10 list of the patients module. When no list is
 * loaded (a new installation), codes are checked for their form only and a warning says so.
 */
async function checkDiagnoses(db: Db, input: { code: string }[]): Promise<{ diagnoses: Diagnosis[]; listLoaded: boolean }> {
  const codes = [...new Set(input.map((d) => bare(d.code)))];
  const problems: FieldProblem[] = [];
  const malformed = [...new Set(input.map((d) => d.code.trim()).filter((c) => !ICD.test(bare(c))))];
  if (malformed.length) {
    problems.push({ field: 'diagnoses', message: `${malformed.join(', ')} ${malformed.length > 1 ? 'are not ICD-10 codes' : 'is not an ICD-10 code'} (like A09 or J06.9); search with GET /api/codes/icd10?q=`, messageHi: `${malformed.join(', ')} ICD-10 कोड नहीं है (जैसे A09 या J06.9); GET /api/codes/icd10?q= से खोजें` });
  }
  const wellFormed = codes.filter((c) => ICD.test(c));
  const { titles, listLoaded } = await lookUpCodes(db, wellFormed);
  const diagnoses: Diagnosis[] = [];
  const unknown: string[] = [];
  for (const code of wellFormed) {
    if (listLoaded && !titles.has(code)) unknown.push(dotted(code));
    else diagnoses.push({ code: dotted(code), title: titles.get(code) ?? null });
  }
  if (unknown.length) problems.push({ field: 'diagnoses', message: `${unknown.join(', ')} not in the ICD-10 list; search with GET /api/codes/icd10?q=`, messageHi: `${unknown.join(', ')} ICD-10 सूची में नहीं है` });
  if (problems.length) throw fieldErrors(problems);
  return { diagnoses, listLoaded };
}

function checkFollowUp(value: string): void {
  const today = todayIst();
  const t = new Date(`${value}T00:00:00Z`);
  const latest = new Date(Date.parse(`${today}T00:00:00Z`) + 366 * 86_400_000).toISOString().slice(0, 10);
  if (Number.isNaN(t.getTime()) || !t.toISOString().startsWith(value)) throw fieldErrors([{ field: 'followUpOn', message: `${value} is not a date`, messageHi: `${value} सही तिथि नहीं है` }]);
  if (value < today) throw fieldErrors([{ field: 'followUpOn', message: `must be today (${today}) or later`, messageHi: `आज (${today}) या बाद की तिथि होनी चाहिए` }]);
  if (value > latest) throw fieldErrors([{ field: 'followUpOn', message: 'must be within a year', messageHi: 'एक वर्ष के भीतर होनी चाहिए' }]);
}

type ConsultationRow = { request_id: string; notes: string | null; diagnoses: unknown; advice: string | null; follow_up_on: string | null; updated_at: Date; doctor_id: string };
const toDto = (c: ConsultationRow | undefined) => ({
  notes: c?.notes ?? null,
  diagnoses: (c?.diagnoses ?? []) as Diagnosis[],
  advice: c?.advice ?? null,
  followUpOn: c?.follow_up_on ?? null,
  updatedAt: c?.updated_at.toISOString() ?? null,
});

/**
 * Writes the consultation record of a request (the doctor holding it, once started). Fields left out
 * keep their value; an empty string or null clears one. Audited with the codes, not the notes.
 */
export async function saveConsultation(db: Db, actor: Actor, requestId: string, input: ConsultationInput) {
  const request = await requireConsultingDoctor(db, actor, requestId);
  if (request.status === 'called') {
    throw conflict('Start the consultation before writing its record', 'रिकॉर्ड लिखने से पहले परामर्श शुरू करें', { status: request.status });
  }
  const checked = input.diagnoses ? await checkDiagnoses(db, input.diagnoses) : null;
  if (input.followUpOn) checkFollowUp(input.followUpOn);
  const before = await db.selectFrom('tele_consultations').selectAll().where('request_id', '=', request.id).forUpdate().executeTakeFirst();
  const text = (v: string | undefined, old: string | null | undefined) => (v === undefined ? old ?? null : v.trim() || null);
  const row = {
    request_id: request.id,
    patient_id: request.patient_id,
    doctor_id: actor.userId,
    notes: text(input.notes, before?.notes),
    diagnoses: JSON.stringify(checked ? checked.diagnoses : before?.diagnoses ?? []),
    advice: text(input.advice, before?.advice),
    follow_up_on: input.followUpOn === undefined ? before?.follow_up_on ?? null : input.followUpOn,
    updated_at: new Date(),
  };
  const { request_id: _r, ...changes } = row;
  const saved = await db.insertInto('tele_consultations').values(row)
    .onConflict((oc) => oc.column('request_id').doUpdateSet(changes)).returningAll().executeTakeFirstOrThrow();
  const summary = (c: { diagnoses: unknown; follow_up_on: string | null } | undefined) => c && { diagnoses: (c.diagnoses as Diagnosis[]).map((d) => d.code), followUpOn: c.follow_up_on };
  await recordAudit(db, actor, {
    action: before ? 'update' : 'create', entity: 'tele_consultation', entityId: request.id, orgPath: request.hub_path,
    before: summary(before), after: { ...summary(saved), patient: request.patient_id },
  });
  return {
    requestId: request.id, patientId: request.patient_id, ...toDto(saved),
    ...(checked && !checked.listLoaded && checked.diagnoses.length ? { warnings: [{ code: 'icd_list_missing', message: 'The ICD-10 list is not loaded (swasthya import icd10); codes were checked for form only', messageHi: 'ICD-10 सूची लोड नहीं है; कोड केवल रूप से जाँचे गए' }] } : {}),
  };
}

/** The consultation record of a request with its prescriptions, for whoever may read the request; audited. */
export async function readConsultation(db: Db, actor: Actor, requestId: string) {
  const request = await loadRequest(db, requestId);
  if (!(await canReadClinical(db, actor, request))) throw forbidden(...NO_READ);
  const record = await db.selectFrom('tele_consultations').selectAll().where('request_id', '=', request.id).executeTakeFirst();
  await recordAudit(db, actor, { action: 'read', entity: 'patient', entityId: request.patient_id, orgPath: actor.orgPath, purpose: 'teleconsultation' });
  const prescriptions = await prescriptionsOfRequests(db, [request.id]);
  return {
    requestId: request.id, patientId: request.patient_id, status: request.status, doctorId: request.doctor_id, ...toDto(record),
    prescriptions: prescriptions.get(request.id) ?? [],
  };
}

/**
 * A patient's teleconsultations, newest first: hub, specialty, doctor, the record, prescriptions with
 * what was dispensed, and the patient's referrals. Under the patient privacy rule (staff of a facility
 * where the patient is registered or was seen); audited with purpose `teleconsultations`.
 */
export async function patientConsultations(db: Db, actor: Actor, patientId: string) {
  requirePermission(actor, 'can_read_patient');
  const patient = await loadPatient(db, patientId);
  if (!(await canRead(db, actor, patient.id))) {
    throw forbidden('Only staff of a facility where this patient is registered or has been seen may read their consultations',
      'परामर्श केवल उन्हीं संस्थानों के कर्मचारी देख सकते हैं जहाँ मरीज़ पंजीकृत है या दिखाया गया है');
  }
  const rows = await db.selectFrom('tele_requests as r')
    .innerJoin('org_units as h', 'h.id', 'r.hub_id')
    .leftJoin('org_units as s', 's.id', 'r.spoke_id')
    .leftJoin('tele_doctors as d', 'd.user_id', 'r.doctor_id')
    .leftJoin('tele_consultations as c', 'c.request_id', 'r.id')
    .select(['r.id', 'r.specialty', 'r.status', 'r.channel', 'r.complaint', 'r.created_at', 'r.started_at', 'r.ended_at',
      'h.id as hub_id', 'h.name as hub', 'h.name_hi as hub_hi', 's.id as spoke_id', 's.name as spoke', 's.name_hi as spoke_hi',
      'd.name as doctor', 'd.name_hi as doctor_hi', 'd.qualification', 'd.registration_number',
      'c.request_id', 'c.notes', 'c.diagnoses', 'c.advice', 'c.follow_up_on', 'c.updated_at', 'c.doctor_id'])
    .where('r.patient_id', '=', patient.id).orderBy('r.created_at', 'desc').limit(100).execute();
  const prescriptions = await prescriptionsOfRequests(db, rows.map((r) => r.id));
  const referrals = await referralsOfPatient(db, patient.id);
  await recordAudit(db, actor, { action: 'read', entity: 'patient', entityId: patient.id, orgPath: actor.orgPath, purpose: 'teleconsultations' });
  return {
    patientId: patient.id,
    items: rows.map((r) => ({
      requestId: r.id, specialty: r.specialty, specialtyName: specialtyName(r.specialty), specialtyNameHi: specialtyName(r.specialty, 'hi'),
      status: r.status, channel: r.channel, complaint: r.complaint, requestedAt: r.created_at.toISOString(),
      startedAt: r.started_at?.toISOString() ?? null, endedAt: r.ended_at?.toISOString() ?? null,
      hub: { id: r.hub_id, name: r.hub, nameHi: r.hub_hi }, spoke: r.spoke_id ? { id: r.spoke_id, name: r.spoke, nameHi: r.spoke_hi } : null,
      doctor: r.doctor ? { name: r.doctor, nameHi: r.doctor_hi, qualification: r.qualification, registrationNumber: r.registration_number } : null,
      ...toDto(r.request_id ? (r as ConsultationRow) : undefined),
      prescriptions: prescriptions.get(r.id) ?? [],
      referrals: referrals.filter((x) => x.requestId === r.id),
    })),
    referrals,
  };
}
