// A teleconsultation as an ABDM health record: a FHIR R4 document Bundle with the NRCeS profiles —
// OPConsultRecord (Composition type SNOMED 371530004) or PrescriptionRecord (440545006) — holding the
// Patient (the registry's own mapping), the doctor as Practitioner, the hub as Organization, the
// Encounter, a Condition per ICD-10 diagnosis, a MedicationRequest per prescribed line, referrals as
// ServiceRequests, the follow-up as an Appointment, and (PrescriptionRecord) the printed PDF as Binary.
// What /fhir's bundle import takes back in whole.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { conflict, forbidden } from '../../platform/errors.js';
import { patientResource } from '../fhir/fhir.patient.js';
import { SYSTEM, type FhirResource } from '../fhir/fhir.types.js';
import { loadPatient } from '../patients/patients.service.js';
import type { Diagnosis } from './telemedicine.clinical.js';
import { FREQUENCIES } from './telemedicine.clinical.schema.js';
import { doctorProfile } from './telemedicine.network.js';
import { prescriptionPdfBytes, withTitle } from './telemedicine.prescription.pdf.js';
import { prescriptionsOfRequests, type PrescriptionItem } from './telemedicine.prescriptions.js';
import { canReadClinical, canReadRequest, loadRequest } from './telemedicine.queue.js';
import { referralsOfRequest } from './telemedicine.referrals.js';
import { specialtyName } from './telemedicine.specialties.js';

type Db = Kysely<Database>;
export type RecordType = 'OPConsultRecord' | 'PrescriptionRecord';

const NRCES = 'https://nrces.in/ndhm/fhir/r4/StructureDefinition';
const SNOMED = 'http://snomed.info/sct';
const ICD10 = 'http://hl7.org/fhir/sid/icd-10';
export const TELE_SYSTEM = {
  request: 'https://swasthya.example/fhir/sid/tele-request',
  prescription: 'https://swasthya.example/fhir/sid/prescription',
  prescriptionItem: 'https://swasthya.example/fhir/sid/prescription-item',
  referral: 'https://swasthya.example/fhir/sid/referral',
  formulary: 'https://swasthya.example/fhir/CodeSystem/formulary',
  registration: 'https://swasthya.example/fhir/sid/medical-registration',
  hpr: 'https://doctor.ndhm.gov.in',
} as const;

/** Composition type of each record, as ABDM codes them. */
export const RECORD_TYPES: Record<RecordType, { code: string; display: string; title: string }> = {
  OPConsultRecord: { code: '371530004', display: 'Clinical consultation report', title: 'Consultation Report' },
  PrescriptionRecord: { code: '440545006', display: 'Prescription record', title: 'Prescription record' },
};
/** Sections of an OPConsultRecord (NRCeS IG v6). */
const SECTION = {
  complaints: ['422843007', 'Chief complaint section', 'Chief complaints'],
  medications: ['721912009', 'Medication summary document', 'Medications'],
  followUp: ['390906007', 'Follow-up encounter', 'Follow Up'],
  referral: ['306206005', 'Referral to service', 'Referral'],
  observations: ['404684003', 'Clinical finding', 'Other Observations'],
} as const;

const escapeXml = (s: string) => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
const narrative = (text: string) => ({ status: 'additional', div: `<div xmlns="http://www.w3.org/1999/xhtml">${escapeXml(text).replace(/\n/g, '<br/>')}</div>` });
const profile = (name: string) => ({ profile: [`${NRCES}/${name}`] });

/** The FHIR Timing of a line: times a day for the number of days; at bedtime, when needed, once, weekly. */
function timingOf(frequency: string, days: number) {
  const bounds = { boundsDuration: { value: days, unit: 'days', system: 'http://unitsofmeasure.org', code: 'd' } };
  switch (frequency) {
    case 'OD': case 'BD': case 'TDS': case 'QID':
      return { timing: { repeat: { ...bounds, frequency: { OD: 1, BD: 2, TDS: 3, QID: 4 }[frequency], period: 1, periodUnit: 'd' } } };
    case 'HS': return { timing: { repeat: { ...bounds, frequency: 1, period: 1, periodUnit: 'd', when: ['HS'] } } };
    case 'WEEKLY': return { timing: { repeat: { ...bounds, frequency: 1, period: 1, periodUnit: 'wk' } } };
    case 'STAT': return { timing: { repeat: { count: 1 } } };
    default: return { asNeededBoolean: true, timing: { repeat: bounds } };
  }
}

/** One line of a prescription as a MedicationRequest. */
function medicationRequest(item: PrescriptionItem, ctx: { issuedAt: string; prescriptionId: string; patient: object; encounter: object; requester: object; reasons: object[] }): FhirResource {
  const f = (FREQUENCIES as Record<string, { en: string }>)[item.frequency];
  const text = `${item.dose} ${f?.en ?? item.frequency} for ${item.days} day${item.days > 1 ? 's' : ''}${item.instructions ? `; ${item.instructions}` : ''}`;
  return {
    resourceType: 'MedicationRequest', meta: profile('MedicationRequest'),
    identifier: [{ system: TELE_SYSTEM.prescriptionItem, value: item.id }],
    groupIdentifier: { system: TELE_SYSTEM.prescription, value: ctx.prescriptionId },
    status: 'active', intent: 'order',
    medicationCodeableConcept: { ...(item.code ? { coding: [{ system: TELE_SYSTEM.formulary, code: item.code, display: item.label }] } : {}), text: item.label },
    subject: ctx.patient, encounter: ctx.encounter, authoredOn: ctx.issuedAt, requester: ctx.requester,
    ...(ctx.reasons.length ? { reasonReference: ctx.reasons } : {}),
    dosageInstruction: [{ sequence: 1, text, ...(item.instructions ? { patientInstruction: item.instructions } : {}), ...timingOf(item.frequency, item.days) }],
    dispenseRequest: {
      expectedSupplyDuration: { value: item.days, unit: 'days', system: 'http://unitsofmeasure.org', code: 'd' },
      ...(item.suggestedQuantity ? { quantity: { value: item.suggestedQuantity, unit: item.form ?? 'unit' } } : {}),
    },
  };
}

/**
 * Exports a teleconsultation (started or completed) as an ABDM document Bundle, for staff who may read
 * both the request and patient records; audited as a read of the patient with purpose `fhir_export`.
 */
export async function exportRecord(db: Db, actor: Actor, requestId: string, type: RecordType = 'OPConsultRecord'): Promise<FhirResource> {
  requirePermission(actor, 'can_read_patient');
  const request = await loadRequest(db, requestId);
  // Both rules, for every role: following the request is not reading the record (a national admin reads none).
  if (!(await canReadRequest(db, actor, request)) || !(await canReadClinical(db, actor, request))) throw forbidden('You may not read this consultation', 'आप यह परामर्श नहीं देख सकते');
  if (request.status !== 'in_consultation' && request.status !== 'completed') {
    throw conflict(`This consultation is ${request.status}: only a started or completed consultation is a health record`, `यह परामर्श ${request.status} है: केवल शुरू या पूरा हुआ परामर्श ही स्वास्थ्य रिकॉर्ड है`, { status: request.status });
  }
  const prescriptions = (await prescriptionsOfRequests(db, [request.id])).get(request.id) ?? [];
  if (type === 'PrescriptionRecord' && !prescriptions.length) {
    throw conflict('No prescription was written in this consultation; export the OPConsultRecord instead', 'इस परामर्श में कोई पर्चा नहीं लिखा गया; OPConsultRecord निकालें');
  }
  const [record, patientRow, doctor, hub, referrals] = await Promise.all([
    db.selectFrom('tele_consultations').selectAll().where('request_id', '=', request.id).executeTakeFirst(),
    loadPatient(db, request.patient_id),
    request.doctor_id ? doctorProfile(db, request.doctor_id) : undefined,
    db.selectFrom('org_units as o').innerJoin('facilities as f', 'f.id', 'o.id').select(['o.id', 'o.name', 'o.name_hi', 'f.hfr_id']).where('o.id', '=', request.hub_id).executeTakeFirstOrThrow(),
    type === 'OPConsultRecord' ? referralsOfRequest(db, request.id) : Promise.resolve([]),
  ]);
  const doctorUser = request.doctor_id ? await db.selectFrom('users').select(['username', 'display_name']).where('id', '=', request.doctor_id).executeTakeFirst() : undefined;
  const doctorName = doctor?.name ?? doctorUser?.display_name ?? doctorUser?.username ?? 'Doctor';
  await recordAudit(db, actor, { action: 'read', entity: 'patient', entityId: patientRow.id, orgPath: actor.orgPath, purpose: 'fhir_export' });

  const entries: FhirResource[] = [];
  const add = (r: FhirResource) => {
    const id = randomUUID();
    entries.push({ ...r, id });
    return { reference: `urn:uuid:${id}` };
  };
  const { meta: _m, managingOrganization: _o, link: _l, ...patientBody } = await patientResource(db, patientRow);
  const patient = { ...add({ ...patientBody, resourceType: 'Patient', meta: profile('Patient') }), display: patientRow.name };
  const practitioner = { ...add({
    resourceType: 'Practitioner', meta: profile('Practitioner'),
    identifier: [
      ...(doctor?.hprId ? [{ type: { coding: [{ system: SYSTEM.v2IdentifierType, code: 'MD', display: 'Medical License number' }] }, system: TELE_SYSTEM.hpr, value: doctor.hprId }] : []),
      ...(doctor?.registrationNumber ? [{ type: { text: 'Medical registration number' }, system: TELE_SYSTEM.registration, value: doctor.registrationNumber, ...(doctor.council ? { assigner: { display: doctor.council } } : {}) }] : []),
    ],
    name: [{ text: withTitle(doctorName) }, ...(doctor?.nameHi ? [{ text: doctor.nameHi, extension: [{ url: SYSTEM.language, valueCode: 'hi' }] }] : [])],
    ...(doctor?.qualification ? { qualification: [{ code: { text: doctor.qualification } }] } : {}),
  }), display: withTitle(doctorName) };
  const organization = { ...add({
    resourceType: 'Organization', meta: profile('Organization'),
    identifier: [
      ...(hub.hfr_id ? [{ type: { coding: [{ system: SYSTEM.v2IdentifierType, code: 'PRN', display: 'Provider number' }] }, system: SYSTEM.hfr, value: hub.hfr_id }] : []),
      { system: SYSTEM.orgUnit, value: hub.id },
    ],
    name: hub.name, ...(hub.name_hi ? { alias: [hub.name_hi] } : {}),
  }), display: hub.name };
  const encounter = add({
    resourceType: 'Encounter', meta: profile('Encounter'),
    identifier: [{ system: TELE_SYSTEM.request, value: request.id }],
    status: request.status === 'completed' ? 'finished' : 'in-progress',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR', display: 'virtual' },
    serviceType: { text: specialtyName(request.specialty) },
    subject: patient,
    participant: [{ individual: practitioner }],
    period: { start: (request.started_at ?? request.created_at).toISOString(), ...(request.ended_at ? { end: request.ended_at.toISOString() } : {}) },
    ...(request.complaint ? { reasonCode: [{ text: request.complaint }] } : {}),
    serviceProvider: organization,
  });
  const recordedAt = (record?.updated_at ?? request.started_at ?? request.created_at).toISOString();
  const conditions = ((record?.diagnoses ?? []) as Diagnosis[]).map((d) => add({
    resourceType: 'Condition', meta: profile('Condition'),
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active', display: 'Active' }] },
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis', display: 'Encounter Diagnosis' }] }],
    code: { coding: [{ system: ICD10, code: d.code, ...(d.title ? { display: d.title } : {}) }], text: d.title ?? d.code },
    subject: patient, encounter, recordedDate: recordedAt, recorder: practitioner,
  }));
  const complaint = request.complaint && type === 'OPConsultRecord'
    ? add({
      resourceType: 'Condition', meta: profile('Condition'),
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item', display: 'Problem List Item' }] }],
      code: { text: request.complaint }, subject: patient, encounter, recordedDate: request.created_at.toISOString(),
    })
    : null;
  const medications = prescriptions.flatMap((rx) => rx.items.map((item) => add(medicationRequest(item, {
    issuedAt: rx.issuedAt, prescriptionId: rx.id, patient, encounter, requester: practitioner, reasons: conditions,
  }))));

  const sections: object[] = [];
  const section = (key: keyof typeof SECTION, entry: object[], text?: string | null) => {
    const [code, display, title] = SECTION[key];
    if (!entry.length && !text) return;
    sections.push({ title, code: { coding: [{ system: SNOMED, code, display }] }, ...(text ? { text: narrative(text) } : {}), ...(entry.length ? { entry } : {}) });
  };
  if (type === 'OPConsultRecord') {
    section('complaints', [...(complaint ? [complaint] : []), ...conditions]);
    section('observations', [], record?.notes);
    section('medications', medications);
    const followUp = record?.follow_up_on
      ? [add({
        resourceType: 'Appointment', meta: profile('Appointment'), status: 'proposed', description: 'Follow-up teleconsultation',
        serviceType: [{ text: specialtyName(request.specialty) }], requestedPeriod: [{ start: record.follow_up_on, end: record.follow_up_on }],
        participant: [{ actor: patient, status: 'needs-action' }, { actor: practitioner, status: 'needs-action' }],
      })]
      : [];
    section('followUp', followUp, record?.advice);
    section('referral', referrals.map((r) => add({
      resourceType: 'ServiceRequest', meta: profile('ServiceRequest'),
      identifier: [{ system: TELE_SYSTEM.referral, value: r.id }],
      status: r.status === 'seen' ? 'completed' : 'active', intent: 'order',
      priority: r.urgency === 'emergency' ? 'stat' : r.urgency,
      code: { coding: [{ system: SNOMED, code: '306206005', display: 'Referral to service' }], text: `Referral to ${r.to.name}${r.specialtyName ? ` (${r.specialtyName})` : ''}` },
      subject: patient, encounter, authoredOn: r.referredAt,
      requester: r.referredBy === doctorUser?.username ? practitioner : { display: r.referredBy },
      performer: [{ display: r.to.name }],
      reasonCode: [{ text: r.reason }],
    })));
  } else {
    const pdf = await prescriptionPdfBytes(db, prescriptions[prescriptions.length - 1].id);
    const binary = add({ resourceType: 'Binary', meta: profile('Binary'), contentType: 'application/pdf', data: pdf.toString('base64') });
    const [code, display] = [RECORD_TYPES.PrescriptionRecord.code, RECORD_TYPES.PrescriptionRecord.display];
    sections.push({ title: 'Prescription record', code: { coding: [{ system: SNOMED, code, display }] }, entry: [...medications, binary] });
  }

  const t = RECORD_TYPES[type];
  const compositionId = randomUUID();
  const composition: FhirResource = {
    resourceType: 'Composition', id: compositionId, meta: profile(type), language: 'en-IN',
    identifier: { system: TELE_SYSTEM.request, value: `${request.id}/${type}` },
    status: request.status === 'completed' ? 'final' : 'preliminary',
    type: { coding: [{ system: SNOMED, code: t.code, display: t.display }], text: t.display },
    subject: patient, encounter, date: recordedAt, author: [practitioner], title: t.title, custodian: organization,
    section: sections,
  };
  const now = new Date().toISOString();
  return {
    resourceType: 'Bundle', id: randomUUID(),
    meta: { lastUpdated: now, ...profile('DocumentBundle'), security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'V', display: 'very restricted' }] },
    identifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${randomUUID()}` },
    type: 'document', timestamp: now,
    entry: [composition, ...entries].map((r) => ({ fullUrl: `urn:uuid:${r.id}`, resource: r })),
  };
}
