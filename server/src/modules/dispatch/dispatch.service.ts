// Calls to the 108/102 control room: taken, listed, read (the caller's number in full is an audited
// read) and cancelled. Vehicles are sent and trips moved on in dispatch.trips.ts.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import { inScope, requirePermission, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import { uid } from '../../platform/ids.js';
import { announceLive, type LiveEvent } from '../ambulances/ambulances.live.js';
import { validPregnancyRegistrationNumber } from '../patients/patients.identity.js';
import { placeCall } from './dispatch.place.js';
import * as repo from './dispatch.repository.js';
import type { CallInput, CallListQuery } from './dispatch.schema.js';

type Db = Kysely<Database>;

const iso = (d: Date | string | null | undefined) => (d == null ? null : (d instanceof Date ? d : new Date(d)).toISOString());

/** The caller's number as the lists show it: all but the last four digits hidden. */
export const maskPhone = (phone: string) => (phone.length <= 4 ? '****' : `${'*'.repeat(phone.length - 4)}${phone.slice(-4)}`);

export function cleanPhone(raw: string): string {
  const p = raw.replace(/[\s()-]/g, '');
  if (!/^\+?\d{6,14}$/.test(p)) {
    throw badRequest('Give the caller\'s phone number as digits (a mobile 98765 43210, a landline with its STD code 01662-123456, or +91…)', 'कॉल करने वाले का फ़ोन नंबर अंकों में दें (मोबाइल 98765 43210, लैंडलाइन STD कोड सहित 01662-123456, या +91…)', { field: 'callerPhone' });
  }
  return p;
}

export function tripDto(t: repo.TripRow) {
  return {
    id: t.id, callId: t.call_id, ambulanceId: t.ambulance_id, registrationNumber: t.registration_number, status: t.status,
    distanceKm: t.distance_km == null ? null : Number(t.distance_km), etaMinutes: t.eta_minutes == null ? null : Number(t.eta_minutes),
    destinationFacilityId: t.destination_facility_id, destinationFacilityName: t.destination_name ?? null,
    assignedAt: iso(t.assigned_at)!, enRouteAt: iso(t.en_route_at), atSceneAt: iso(t.at_scene_at), leftSceneAt: iso(t.left_scene_at),
    atHospitalAt: iso(t.at_hospital_at), acknowledgedAt: iso(t.acknowledged_at), completedAt: iso(t.completed_at), endedReason: t.ended_reason,
  };
}

function callSummary(c: Omit<repo.CallRow, 'district_path' | 'district_name'>) {
  return {
    id: c.id, service: c.service, kind: c.kind, complaint: c.complaint, latitude: c.latitude, longitude: c.longitude,
    districtId: c.district_id, area: c.area, status: c.status, createdAt: iso(c.created_at)!, callerPhoneMasked: maskPhone(c.caller_phone),
  };
}

/** A call outside the caller's area is as if there were none. */
export async function callInScope(db: Db, actor: Actor, id: string, lock?: 'lock') {
  const call = lock && db.isTransaction ? await repo.lockCall(db as Transaction<Database>, id) : await repo.loadCall(db, id);
  if (!call || !inScope(actor, call.district_path)) throw notFound(`No call has id ${id}`, `आईडी ${id} वाली कोई कॉल नहीं है`);
  return call;
}

/**
 * Takes a call: the control room's own (can_dispatch_ambulances), or one the 104 helpline passes on
 * (`via.helplineCallId`, an agent with can_log_helpline_calls: the call then waits for a dispatcher).
 */
export async function createCall(db: Db, actor: Actor, input: CallInput, via?: { helplineCallId: string }) {
  requirePermission(actor, via ? 'can_log_helpline_calls' : 'can_dispatch_ambulances');
  const phone = cleanPhone(input.callerPhone);
  const complaint = input.complaint.trim();
  if (!complaint) throw badRequest('Say what happened (the chief complaint)', 'क्या हुआ, यह बताएँ (मुख्य शिकायत)', { field: 'complaint' });
  if (input.service === '102' && input.kind === 'ALS') {
    throw badRequest('102 vehicles carry mothers and children (BLS or PTV); for an ALS vehicle take the call as 108', '102 वाहन माँ और बच्चों के लिए हैं (BLS या PTV); ALS वाहन के लिए कॉल 108 में लें', { field: 'kind' });
  }
  const place = await placeCall(db, actor, input);
  let pregnancy: Awaited<ReturnType<typeof repo.pregnancyByNumber>> | undefined;
  if (input.pregnancyRegistrationNumber) {
    const number = input.pregnancyRegistrationNumber.replace(/[\s-]/g, '');
    pregnancy = validPregnancyRegistrationNumber(number) ? await repo.pregnancyByNumber(db, number) : undefined;
    if (!pregnancy) {
      throw badRequest(`No pregnancy is registered with number ${input.pregnancyRegistrationNumber}; check the number on her ANC card, or leave it out`, `नंबर ${input.pregnancyRegistrationNumber} से कोई गर्भावस्था पंजीकृत नहीं है; एएनसी कार्ड पर नंबर जाँचें या इसे खाली छोड़ें`, { field: 'pregnancyRegistrationNumber' });
    }
  }
  const id = uid();
  return db.transaction().execute(async (trx) => {
    await repo.insertCall(trx, {
      id, service: input.service, kind: input.kind ?? null, caller_name: input.callerName?.trim() || null, caller_phone: phone,
      latitude: input.latitude, longitude: input.longitude, village_id: place.village?.id ?? null, district_id: place.district.id,
      area: input.area ?? 'rural', complaint, pregnancy_id: pregnancy?.id ?? null, patient_id: pregnancy?.patient_id ?? null,
      destination_facility_id: null, cancel_reason: null, created_by: actor.userId, closed_at: null,
    });
    await repo.insertStep(trx, { callId: id, step: 'call_received', byUser: actor.userId, note: via ? `from helpline call ${via.helplineCallId}` : null });
    if (pregnancy) {
      // The woman's registration was looked up and linked: a read of her record.
      await recordAudit(trx, actor, { action: 'read', entity: 'pregnancy', entityId: pregnancy.id, orgPath: pregnancy.facility_path, purpose: `ambulance call ${id}`, after: { patient: pregnancy.patient_id } });
    }
    await recordAudit(trx, actor, { action: 'create', entity: 'dispatch_call', entityId: id, orgPath: place.district.path, after: { service: input.service, districtId: place.district.id, pregnancyId: pregnancy?.id ?? null } });
    await announceLive(trx, [{ type: 'call', callId: id, districtId: place.district.id, status: 'waiting' }]);
    const row = (await repo.loadCall(trx, id))!;
    return {
      ...callSummary(row), districtName: place.district.name, villageId: row.village_id, callerName: row.caller_name,
      pregnancyId: row.pregnancy_id, patientId: row.patient_id,
    };
  });
}

export async function listCalls(db: Db, actor: Actor, q: CallListQuery) {
  requirePermission(actor, 'can_read_ambulances');
  const limit = q.limit ?? 50;
  const offset = q.offset ?? 0;
  const { rows, total } = await repo.listCalls(db, actor.orgPath, { status: q.status ?? 'open', limit, offset });
  return {
    items: rows.map((r) => ({
      ...callSummary(r),
      trip: r.trip_id ? {
        id: r.trip_id, ambulanceId: r.ambulance_id!, registrationNumber: r.registration_number!, status: r.trip_status!,
        distanceKm: r.distance_km == null ? null : Number(r.distance_km), etaMinutes: r.eta_minutes == null ? null : Number(r.eta_minutes), assignedAt: iso(r.assigned_at)!,
      } : null,
    })),
    total, limit, offset,
  };
}

/** One call with the caller's number in full (an audited read), its trips and every step with who took it. */
export async function getCall(db: Db, actor: Actor, id: string) {
  requirePermission(actor, 'can_dispatch_ambulances');
  const call = await callInScope(db, actor, id);
  const [trips, steps] = await Promise.all([repo.tripsOfCall(db, id), repo.stepsOfCall(db, id)]);
  await recordAudit(db, actor, { action: 'read', entity: 'dispatch_call', entityId: id, orgPath: call.district_path, purpose: 'caller phone' });
  return {
    ...callSummary(call), districtName: call.district_name, villageId: call.village_id, callerName: call.caller_name, callerPhone: call.caller_phone,
    pregnancyId: call.pregnancy_id, patientId: call.patient_id, destinationFacilityId: call.destination_facility_id,
    cancelReason: call.cancel_reason, closedAt: iso(call.closed_at), updatedAt: iso(call.updated_at)!,
    trips: trips.map(tripDto),
    steps: steps.map((s) => ({
      step: s.step, at: iso(s.at)!, tripId: s.trip_id,
      by: s.by_user ? { userId: s.by_user, name: s.display_name ?? s.username ?? s.by_user } : null,
      bySystem: s.by_system, note: s.note,
    })),
  };
}

/** Cancels an open call; a vehicle on it is free again. */
export async function cancelCall(db: Db, actor: Actor, id: string, reason: string) {
  requirePermission(actor, 'can_dispatch_ambulances');
  const why = reason.trim();
  if (!why) throw badRequest('Say why the call is cancelled', 'कॉल रद्द करने का कारण बताएँ', { field: 'reason' });
  return db.transaction().execute(async (trx) => {
    const call = await callInScope(trx, actor, id, 'lock');
    if (!(repo.OPEN_CALL as readonly string[]).includes(call.status)) {
      throw conflict(`This call is already ${call.status}`, `यह कॉल पहले से ${call.status} है`, { field: 'status', status: call.status });
    }
    const events: LiveEvent[] = [{ type: 'call', callId: id, districtId: call.district_id, status: 'cancelled' }];
    const trip = await repo.activeTripOfCall(trx, id);
    if (trip) {
      await repo.lockTrip(trx, trip.id);
      await repo.moveTrip(trx, trip.id, repo.ACTIVE_TRIP, 'cancelled', { ended_reason: why, completed_at: new Date() });
      if (await repo.moveVehicle(trx, trip.ambulance_id, ['dispatched', 'on_trip'], 'available')) events.push({ type: 'vehicle', ambulanceId: trip.ambulance_id, status: 'available' });
    }
    await repo.setCallStatus(trx, id, 'cancelled', { cancel_reason: why, closed: true });
    await repo.insertStep(trx, { callId: id, tripId: trip?.id ?? null, step: 'cancelled', byUser: actor.userId, note: why });
    await recordAudit(trx, actor, { action: 'update', entity: 'dispatch_call', entityId: id, orgPath: call.district_path, before: { status: call.status }, after: { status: 'cancelled', reason: why } });
    await announceLive(trx, events);
    return { id, status: 'cancelled' as const, freedAmbulanceId: trip?.ambulance_id ?? null };
  });
}
