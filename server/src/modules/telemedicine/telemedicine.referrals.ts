// Referrals to another hospital: from a teleconsultation (by its doctor or the spoke) or from a facility
// directly. The destination sees them as incoming, acknowledges, records arrival and that the patient
// was seen (referred → acknowledged → arrived → seen; acknowledging may be skipped); the referrer may
// cancel before arrival. Referring links the patient to the destination, so its staff read the record.
import { sql, type Kysely } from 'kysely';
import type { Database, ReferralStatus } from '../../db/types.js';
import { inScope, requirePermission, requireScope, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { uid } from '../../platform/ids.js';
import { resolveOrgUnit } from '../geo/geo.service.js';
import { ageOn, canRead, facilityFor, linkFacility, loadPatient, readableSet } from '../patients/patients.service.js';
import type { ReferralInput, ReferralListInput } from './telemedicine.clinical.schema.js';
import { loadRequest } from './telemedicine.queue.js';
import { isSpecialty, SPECIALTY_CODES, specialtyName } from './telemedicine.specialties.js';
import { loadFacility } from './telemedicine.network.js';

type Db = Kysely<Database>;

/** Where a referral may go next from each status. */
export const NEXT: Record<ReferralStatus, ReferralStatus[]> = {
  referred: ['acknowledged', 'arrived', 'cancelled'],
  acknowledged: ['arrived', 'cancelled'],
  arrived: ['seen'],
  seen: [],
  cancelled: [],
};
const STATUS_HI: Record<ReferralStatus, string> = { referred: 'रेफर किया गया', acknowledged: 'स्वीकार किया गया', arrived: 'पहुँच गया', seen: 'देख लिया गया', cancelled: 'रद्द' };

function referralQuery(db: Db) {
  return db.selectFrom('referrals as r')
    .innerJoin('org_units as t', 't.id', 'r.to_facility_id')
    .leftJoin('org_units as f', 'f.id', 'r.from_facility_id')
    .innerJoin('patients as p', 'p.id', 'r.patient_id')
    .selectAll('r')
    .select(['t.name as to_name', 't.name_hi as to_name_hi', 'f.name as from_name', 'f.name_hi as from_name_hi',
      'p.name as p_name', 'p.name_hi as p_name_hi', 'p.state_number as p_number', 'p.sex as p_sex', 'p.birth_date as p_birth']);
}
type Row = Awaited<ReturnType<ReturnType<typeof referralQuery>['executeTakeFirstOrThrow']>>;

/** A referral as the API shows it; the patient's name and the reason only to those who may read the record. */
function toDto(r: Row, showPatient: boolean) {
  return {
    id: r.id,
    patientId: r.patient_id,
    patient: showPatient
      ? { stateNumber: r.p_number, name: r.p_name, nameHi: r.p_name_hi, sex: r.p_sex, age: ageOn(r.p_birth) }
      : { stateNumber: r.p_number },
    requestId: r.request_id,
    from: r.from_facility_id ? { id: r.from_facility_id, name: r.from_name, nameHi: r.from_name_hi } : null,
    to: { id: r.to_facility_id, name: r.to_name, nameHi: r.to_name_hi },
    specialty: r.specialty, specialtyName: r.specialty ? specialtyName(r.specialty) : null, specialtyNameHi: r.specialty ? specialtyName(r.specialty, 'hi') : null,
    urgency: r.urgency, reason: showPatient ? r.reason : null, status: r.status, statusHi: STATUS_HI[r.status], next: NEXT[r.status],
    referredBy: r.referred_by, referredAt: r.referred_at.toISOString(),
    acknowledgedAt: r.acknowledged_at?.toISOString() ?? null, acknowledgedBy: r.acknowledged_by,
    arrivedAt: r.arrived_at?.toISOString() ?? null, seenAt: r.seen_at?.toISOString() ?? null, updatedAt: r.updated_at.toISOString(),
  };
}

async function loadReferral(db: Db, id: string, lock = false): Promise<Row> {
  if (lock) await db.selectFrom('referrals').select('id').where('id', '=', id).forUpdate().execute();
  const r = await referralQuery(db).where('r.id', '=', id).executeTakeFirst();
  if (!r) throw notFound(`No referral has id ${id}`, `आईडी ${id} वाला कोई रेफरल नहीं मिला`);
  return r;
}

/**
 * Refers a patient. From a teleconsultation (`requestId`): its doctor or staff of its spoke, and the
 * referral is from the spoke where the patient is. Otherwise: staff who may read the patient's record,
 * from their own facility.
 */
export async function createReferral(db: Db, actor: Actor, input: ReferralInput) {
  requirePermission(actor, 'can_refer');
  const patient = await loadPatient(db, input.patientId);
  let from: { id: string; path: string } | null;
  if (input.requestId) {
    const request = await loadRequest(db, input.requestId);
    if (request.patient_id !== patient.id) {
      throw badRequest(`Consultation ${request.id} is about another patient; refer the patient it is about, or leave out requestId`, `परामर्श ${request.id} किसी अन्य मरीज़ का है`, { field: 'requestId' });
    }
    const isDoctor = request.doctor_id === actor.userId;
    const atSpoke = !!request.spoke_path && inScope(actor, request.spoke_path);
    if (!isDoctor && !atSpoke) {
      throw forbidden('Only the doctor of this consultation or staff of its spoke may refer from it', 'इस परामर्श से केवल उसके डॉक्टर या स्पोक के कर्मचारी रेफर कर सकते हैं');
    }
    from = request.spoke_id && request.spoke_path ? { id: request.spoke_id, path: request.spoke_path } : await facilityFor(db, actor, undefined);
  } else {
    if (!(await canRead(db, actor, patient.id))) {
      throw forbidden('Only staff of a facility where this patient is registered or has been seen may refer them; if the patient is here, show it (a code to their mobile, their health card, or a break-glass reason) and register the visit',
        'केवल उन्हीं संस्थानों के कर्मचारी रेफर कर सकते हैं जहाँ मरीज़ पंजीकृत है या दिखाया गया है; मरीज़ यहाँ है तो पहले यह दिखाएँ (उनके मोबाइल पर कोड, हेल्थ कार्ड या ब्रेक-ग्लास कारण), फिर विज़िट दर्ज करें');
    }
    from = await facilityFor(db, actor, undefined);
  }
  const to = await loadFacility(db, input.toFacilityId, 'toFacilityId');
  if (to.closed_on) throw badRequest(`toFacilityId: ${to.name} closed on ${to.closed_on}; choose another hospital`, `toFacilityId: ${to.name} बंद हो चुका है; दूसरा अस्पताल चुनें`, { field: 'toFacilityId' });
  if (from && to.id === from.id) throw badRequest('toFacilityId: refer to another facility, not the one referring', 'toFacilityId: किसी दूसरे संस्थान को रेफर करें', { field: 'toFacilityId' });
  if (input.specialty && !isSpecialty(input.specialty)) {
    throw badRequest(`specialty ${input.specialty} is not one of ${SPECIALTY_CODES.join(', ')}`, `विशेषज्ञता ${input.specialty} मान्य नहीं है`, { field: 'specialty' });
  }
  const id = uid();
  await db.insertInto('referrals').values({
    id, patient_id: patient.id, request_id: input.requestId ?? null, from_facility_id: from?.id ?? null, from_path: from?.path ?? null,
    to_facility_id: to.id, to_path: to.path, specialty: input.specialty ?? null, urgency: input.urgency as Row['urgency'],
    reason: input.reason.trim(), status: 'referred', referred_by: actor.username,
  }).execute();
  await linkFacility(db, patient.id, to);
  await recordAudit(db, actor, {
    action: 'create', entity: 'referral', entityId: id, orgPath: from?.path ?? to.path,
    after: { patient: patient.id, to: to.id, urgency: input.urgency, request: input.requestId ?? null },
  });
  return toDto(await loadReferral(db, id), true);
}

/**
 * Incoming referrals (to facilities under the caller, or the one named) for the destination's staff
 * and officers over it; outgoing ones (from there, or made by the caller) for referrers and officers.
 */
export async function listReferrals(db: Db, actor: Actor, q: ReferralListInput) {
  const incoming = q.direction === 'incoming';
  const may = incoming ? ['can_receive_referral', 'can_read_telemedicine'] as const : ['can_refer', 'can_read_telemedicine'] as const;
  if (!may.some((p) => actor.permissions.has(p))) requirePermission(actor, may[0]);
  let path = actor.orgPath;
  if (q.facilityId) {
    const unit = await resolveOrgUnit(db, q.facilityId, ['district'], 'facilityId');
    requireScope(actor, unit.path, unit.name);
    path = unit.path;
  }
  const like = `${path.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
  let query = referralQuery(db);
  if (incoming) query = query.where('r.to_path', 'like', like);
  else if (q.facilityId) query = query.where('r.from_path', 'like', like);
  else query = query.where((eb) => eb.or([eb('r.from_path', 'like', like), eb('r.referred_by', '=', actor.username)]));
  if (q.status) query = query.where('r.status', '=', q.status as ReferralStatus);
  const rows = await query.orderBy(sql`case r.urgency when 'emergency' then 0 when 'urgent' then 1 else 2 end`).orderBy('r.referred_at', 'desc')
    .limit((q.limit ?? 50) + 1).offset(q.offset ?? 0).execute();
  const more = rows.length > (q.limit ?? 50);
  const page = rows.slice(0, q.limit ?? 50);
  const readable = await readableSet(db, actor, [...new Set(page.map((r) => r.patient_id))]);
  // A list that names patients is a read of personal data: one audit row per view.
  const named = page.filter((r) => readable.has(r.patient_id)).length;
  if (named) await recordAudit(db, actor, { action: 'read', entity: 'referral', orgPath: path, purpose: 'referrals', after: { direction: q.direction, named } });
  return { items: page.map((r) => toDto(r, readable.has(r.patient_id))), more, limit: q.limit ?? 50, offset: q.offset ?? 0 };
}

/**
 * Moves a referral on. Acknowledged, arrived and seen are recorded by the destination's staff; the
 * referrer (or staff of the referring facility) may cancel before the patient arrives. A step that
 * does not follow from the current status is 409. Call inside a transaction.
 */
export async function moveReferral(db: Db, actor: Actor, id: string, status: ReferralStatus) {
  const r = await loadReferral(db, id, true);
  if (status === 'cancelled') {
    const referrer = r.referred_by === actor.username || (!!r.from_path && actor.permissions.has('can_refer') && inScope(actor, r.from_path));
    if (!referrer) throw forbidden('Only whoever referred the patient, or staff of the referring facility, may cancel a referral', 'रेफरल केवल रेफर करने वाला या रेफर करने वाले संस्थान के कर्मचारी रद्द कर सकते हैं');
  } else {
    requirePermission(actor, 'can_receive_referral');
    if (!inScope(actor, r.to_path)) {
      throw forbidden(`Only staff of ${r.to_name}, where the patient was referred, record that the referral was ${status}`, `केवल ${r.to_name_hi ?? r.to_name} के कर्मचारी यह दर्ज कर सकते हैं`);
    }
  }
  if (!NEXT[r.status].includes(status)) {
    const next = NEXT[r.status];
    throw conflict(`This referral is ${r.status}; it cannot become ${status}${next.length ? ` (next: ${next.join(' or ')})` : ' (it is closed)'}`,
      `यह रेफरल "${STATUS_HI[r.status]}" है; इसे "${STATUS_HI[status]}" नहीं किया जा सकता`, { status: r.status, next });
  }
  const now = new Date();
  await db.updateTable('referrals').set({
    status, updated_at: now,
    ...(status === 'acknowledged' ? { acknowledged_at: now, acknowledged_by: actor.username } : {}),
    ...(status === 'arrived' ? { arrived_at: now } : {}),
    ...(status === 'seen' ? { seen_at: now } : {}),
  }).where('id', '=', r.id).execute();
  if (status === 'arrived' || status === 'seen') await linkFacility(db, r.patient_id, { id: r.to_facility_id, path: r.to_path });
  await recordAudit(db, actor, { action: 'update', entity: 'referral', entityId: r.id, orgPath: status === 'cancelled' ? r.from_path ?? r.to_path : r.to_path, before: { status: r.status }, after: { status } });
  const after = await loadReferral(db, r.id);
  return toDto(after, (await readableSet(db, actor, [r.patient_id])).has(r.patient_id));
}

/** Every referral of a patient, newest first (for those already allowed to read the record). */
export async function referralsOfPatient(db: Db, patientId: string) {
  const rows = await referralQuery(db).where('r.patient_id', '=', patientId).orderBy('r.referred_at', 'desc').limit(100).execute();
  return rows.map((r) => toDto(r, true));
}

/** The referrals of one request (for FHIR export; the caller has checked access). */
export async function referralsOfRequest(db: Db, requestId: string) {
  const rows = await referralQuery(db).where('r.request_id', '=', requestId).where('r.status', '!=', 'cancelled').orderBy('r.referred_at').execute();
  return rows.map((r) => toDto(r, true));
}

/** Facility types a patient is referred to (not sub-centres or other spokes). */
const DESTINATION_TYPES = ['PHC', 'CHC', 'SDH', 'DH', 'MC', 'PRIVATE_HOSPITAL', 'NURSING_HOME', 'AYUSH'];

/**
 * Hospitals in the actor's state to refer a patient to, found by name in either script: a referral
 * leaves the referrer's own area, so this search is state-wide (names and places only).
 */
export async function referralDestinations(db: Db, actor: Actor, q: string, limit = 20) {
  requirePermission(actor, 'can_refer');
  const text = q.trim();
  if (text.length < 2) throw badRequest('Type at least two letters of the hospital\'s name', 'अस्पताल के नाम के कम से कम दो अक्षर लिखें', { field: 'q' });
  const state = actor.orgPath.split('/').filter(Boolean).slice(0, 2);
  const under = state.length === 2 ? `/${state.join('/')}/` : actor.orgPath;
  const like = `%${text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
  const rows = await db.selectFrom('facilities as f').innerJoin('org_units as o', 'o.id', 'f.id')
    .leftJoin('org_units as d', (j) => j.on(sql<boolean>`d.id = split_part(o.path, '/', 4)`))
    .select(['o.id', 'o.name', 'o.name_hi', 'f.type', 'f.ownership', 'd.name as district', 'd.name_hi as district_hi'])
    .where('o.path', 'like', `${under}%`).where('o.closed_on', 'is', null).where('f.type', 'in', DESTINATION_TYPES)
    .where((eb) => eb.or([eb('o.name', 'ilike', like), eb('o.name_hi', 'ilike', like)]))
    .orderBy(sql`case f.type when 'MC' then 0 when 'DH' then 1 when 'SDH' then 2 when 'CHC' then 3 else 4 end`).orderBy('o.name')
    .limit(Math.min(Math.max(limit, 1), 50)).execute();
  return { items: rows.map((r) => ({ id: r.id, name: r.name, nameHi: r.name_hi, type: r.type, ownership: r.ownership, district: r.district ? { name: r.district, nameHi: r.district_hi } : null })) };
}
