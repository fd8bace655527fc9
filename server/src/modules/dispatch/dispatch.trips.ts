// Sending a vehicle and moving its trip on: assign (the nearest available of the right service and
// kind, or the one the dispatcher picked), the crew's steps, decline and the silent-vehicle sweep
// (both offer the call to the next nearest vehicle), arrival at hospital from the geofence, and the
// receiving hospital's list and acknowledgement. The rules hold in PostgreSQL: a vehicle is taken by
// a conditional update (`status = 'available'`), the partial unique indexes allow one active trip per
// vehicle and per call, and every change of a call happens under its row lock (call first, then trip).
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import type { TripStatus } from '../../db/types.dispatch.js';
import { inScope, requirePermission, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import { uid } from '../../platform/ids.js';
import { isUniqueViolation } from '../../platform/races.js';
import { nearestAvailable } from '../ambulances/ambulances.js';
import { announceLive, type LiveEvent } from '../ambulances/ambulances.live.js';
import { defaultEstimator, type RouteEstimator } from './dispatch.estimate.js';
import * as repo from './dispatch.repository.js';
import { callInScope, tripDto } from './dispatch.service.js';
import type { StepInput } from './dispatch.schema.js';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;
type By = { userId: string | null; system: string | null };

export interface Assigned { tripId: string; callId: string; ambulanceId: string; registrationNumber: string; distanceKm: number | null; etaMinutes: number | null }

/** Who may look for vehicles when the system offers a call again: the vehicles based in the call's district. */
const districtActor = (path: string): Actor => ({
  userId: 'system', username: 'system', role: 'dispatcher', orgUnitId: '', orgPath: path, permissions: new Set(['can_read_ambulances']), ip: null,
});

/**
 * Gives the call (locked by the caller) to a vehicle: the one named, else the nearest available of
 * the call's service (and kind) that has not refused it. Null when none could be taken.
 */
async function sendVehicle(trx: Trx, call: repo.CallRow, o: { searcher: Actor; ambulanceId?: string; by: By; estimator: RouteEstimator; events: LiveEvent[] }): Promise<Assigned | null> {
  const at = { latitude: call.latitude, longitude: call.longitude };
  let candidates: { id: string; registrationNumber: string; position: { latitude: number; longitude: number } | null }[];
  if (o.ambulanceId) {
    const v = await repo.vehicle(trx, o.ambulanceId);
    if (!v || !inScope(o.searcher, v.base_path)) throw notFound(`No ambulance has id ${o.ambulanceId}`, `आईडी ${o.ambulanceId} वाली कोई एम्बुलेंस नहीं है`);
    const a = {
      id: v.id, registrationNumber: v.registration_number, service: v.service, kind: v.kind, status: v.status,
      position: v.latitude != null && v.longitude != null ? { latitude: v.latitude, longitude: v.longitude } : null,
    };
    if (a.service !== call.service) {
      throw badRequest(`${a.registrationNumber} serves ${a.service}; this is a ${call.service} call`, `${a.registrationNumber} ${a.service} सेवा का वाहन है; यह ${call.service} कॉल है`, { field: 'ambulanceId' });
    }
    if (call.kind && a.kind !== call.kind) {
      throw badRequest(`${a.registrationNumber} is ${a.kind}; this call needs ${call.kind}`, `${a.registrationNumber} ${a.kind} है; इस कॉल को ${call.kind} चाहिए`, { field: 'ambulanceId' });
    }
    if (a.status !== 'available') {
      throw conflict(`${a.registrationNumber} is ${a.status}, not available; choose another vehicle`, `${a.registrationNumber} उपलब्ध नहीं है (${a.status}); दूसरा वाहन चुनें`, { field: 'ambulanceId', status: a.status });
    }
    candidates = [a];
  } else {
    const refused = new Set(await repo.refusedVehicles(trx, call.id));
    const near = await nearestAvailable(trx, o.searcher, { ...at, service: call.service, kind: call.kind ?? undefined, limit: 50 });
    candidates = near.items.filter((x) => !refused.has(x.id));
  }
  const estimates = await o.estimator.estimate(candidates.map((c) => c.position ?? at), at);
  const ranked = candidates.map((c, i) => ({ ...c, est: c.position ? estimates[i] : null }))
    .filter((c) => o.ambulanceId || c.est)
    .sort((a, b) => (a.est?.etaMinutes ?? Infinity) - (b.est?.etaMinutes ?? Infinity) || (a.est?.distanceKm ?? Infinity) - (b.est?.distanceKm ?? Infinity) || a.id.localeCompare(b.id));
  for (const c of ranked) {
    // Taken only if still available: a parallel assign that took it first leaves nothing to update.
    if (!(await repo.takeVehicle(trx, c.id))) continue;
    const tripId = uid();
    try {
      await repo.insertTrip(trx, { id: tripId, callId: call.id, ambulanceId: c.id, distanceKm: c.est?.distanceKm ?? null, etaMinutes: c.est?.etaMinutes ?? null, assignedBy: o.by.userId });
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw conflict(`${c.registrationNumber} or this call already has an active trip; read the call again`, `${c.registrationNumber} या इस कॉल की यात्रा पहले से चल रही है; कॉल फिर से देखें`, { field: 'ambulanceId' });
      }
      throw e;
    }
    await repo.setCallStatus(trx, call.id, 'assigned');
    await repo.insertStep(trx, { callId: call.id, tripId, step: 'assigned', byUser: o.by.userId, bySystem: o.by.system, note: c.registrationNumber });
    o.events.push({ type: 'call', callId: call.id, districtId: call.district_id, status: 'assigned' }, { type: 'vehicle', ambulanceId: c.id, status: 'dispatched' });
    return { tripId, callId: call.id, ambulanceId: c.id, registrationNumber: c.registrationNumber, distanceKm: c.est?.distanceKm ?? null, etaMinutes: c.est?.etaMinutes ?? null };
  }
  if (o.ambulanceId) {
    throw conflict('That vehicle was taken for another call just now; choose another', 'वह वाहन अभी दूसरी कॉल को दिया गया; दूसरा वाहन चुनें', { field: 'ambulanceId' });
  }
  return null;
}

const noVehicle = (service: string) => conflict(`No ${service} vehicle is available near this call; the call waits (try again, or name a vehicle)`, `इस कॉल के पास कोई ${service} वाहन उपलब्ध नहीं है; कॉल प्रतीक्षा में है`, { field: 'ambulanceId', reason: 'none_available' });

export async function assignCall(db: Db, actor: Actor, callId: string, input: { ambulanceId?: string }, estimator: RouteEstimator = defaultEstimator): Promise<Assigned> {
  requirePermission(actor, 'can_dispatch_ambulances');
  return db.transaction().execute(async (trx) => {
    const call = await callInScope(trx, actor, callId, 'lock');
    if (call.status !== 'waiting') {
      throw conflict(call.status === 'closed' || call.status === 'cancelled' ? `This call is ${call.status}` : `This call already has a vehicle (${call.status}); decline that trip first to send another`,
        `इस कॉल की स्थिति ${call.status} है`, { field: 'status', status: call.status });
    }
    const events: LiveEvent[] = [];
    const sent = await sendVehicle(trx, call, { searcher: actor, ambulanceId: input.ambulanceId, by: { userId: actor.userId, system: null }, estimator, events });
    if (!sent) throw noVehicle(call.service);
    await recordAudit(trx, actor, { action: 'update', entity: 'dispatch_call', entityId: callId, orgPath: call.district_path, after: { assigned: sent.ambulanceId, tripId: sent.tripId } });
    await announceLive(trx, events);
    return sent;
  });
}

/** The call goes to the next nearest available vehicle of its district, or waits. */
async function offerAgain(trx: Trx, call: repo.CallRow, estimator: RouteEstimator, events: LiveEvent[]) {
  const next = await sendVehicle(trx, call, { searcher: districtActor(call.district_path), by: { userId: null, system: 'reassign' }, estimator, events });
  if (!next) {
    await repo.insertStep(trx, { callId: call.id, step: 'waiting', bySystem: 'reassign', note: 'no available vehicle' });
    events.push({ type: 'call', callId: call.id, districtId: call.district_id, status: 'waiting' });
  }
  return next;
}

/** May this actor move the trip: a dispatcher of the call's area, or the operator of the vehicle's base (the crew). */
function canWork(actor: Actor, trip: repo.TripRow): boolean {
  return (actor.permissions.has('can_dispatch_ambulances') && inScope(actor, trip.district_path))
    || (actor.permissions.has('can_report_ambulance_trip') && inScope(actor, trip.base_path));
}
function requireWorker(actor: Actor) {
  if (!actor.permissions.has('can_dispatch_ambulances') && !actor.permissions.has('can_report_ambulance_trip')) requirePermission(actor, 'can_dispatch_ambulances');
}
const noTrip = (id: string) => notFound(`No trip has id ${id}`, `आईडी ${id} वाली कोई यात्रा नहीं है`);

/** Locks the trip's call, then the trip (always in this order). */
async function lockTripOf(trx: Trx, actor: Actor | null, id: string) {
  const seen = await repo.loadTrip(trx, id);
  if (!seen || (actor && !canWork(actor, seen))) throw noTrip(id);
  const call = (await repo.lockCall(trx, seen.call_id))!;
  const trip = (await repo.lockTrip(trx, id))!;
  return { call, trip };
}

export const STEPS = ['en_route', 'at_scene', 'left_scene', 'at_hospital', 'back_in_service'] as const;
export type Step = (typeof STEPS)[number];
const MOVES: Record<Step, { from: readonly TripStatus[]; to: TripStatus; stamp: 'en_route_at' | 'at_scene_at' | 'left_scene_at' | 'at_hospital_at' | 'completed_at' }> = {
  en_route: { from: ['assigned'], to: 'en_route', stamp: 'en_route_at' },
  at_scene: { from: ['en_route'], to: 'at_scene', stamp: 'at_scene_at' },
  left_scene: { from: ['at_scene'], to: 'left_scene', stamp: 'left_scene_at' },
  at_hospital: { from: ['left_scene'], to: 'at_hospital', stamp: 'at_hospital_at' },
  // From the hospital, or from the scene when no patient was carried.
  back_in_service: { from: ['at_hospital', 'left_scene'], to: 'completed', stamp: 'completed_at' },
};

/**
 * A step of the trip, in order only: assigned → en_route → at_scene → left_scene (to a facility, or
 * with a note when nobody was carried) → at_hospital → back_in_service. The vehicle is on_trip from
 * en route and available again (the call closed) once back in service.
 */
export async function stepTrip(db: Db, actor: Actor, id: string, input: StepInput) {
  requireWorker(actor);
  return db.transaction().execute(async (trx) => {
    const { call, trip } = await lockTripOf(trx, actor, id);
    const move = MOVES[input.step];
    if (!move.from.includes(trip.status)) {
      throw conflict(`This trip is ${trip.status}; ${input.step} cannot come next`, `यह यात्रा ${trip.status} है; अब ${input.step} नहीं हो सकता`, { field: 'step', status: trip.status });
    }
    const note = input.note?.trim() || null;
    let destination: string | null | undefined;
    if (input.step === 'left_scene') {
      if (input.destinationFacilityId) {
        const f = await repo.facility(trx, input.destinationFacilityId);
        if (!f) throw badRequest(`No facility has id ${input.destinationFacilityId}`, `आईडी ${input.destinationFacilityId} वाला कोई स्वास्थ्य संस्थान नहीं है`, { field: 'destinationFacilityId' });
        destination = f.id;
      } else if (!note) {
        throw badRequest('Name the hospital the patient is taken to (destinationFacilityId), or say in a note why nobody was carried', 'मरीज़ को किस अस्पताल ले जा रहे हैं (destinationFacilityId) बताएँ, या नोट में लिखें कि किसी को क्यों नहीं ले जाया गया', { field: 'destinationFacilityId' });
      } else destination = null;
    }
    if (input.step === 'at_hospital' && !trip.destination_facility_id) {
      throw conflict('Nobody was carried on this trip (no destination); the next step is back_in_service', 'इस यात्रा में किसी को नहीं ले जाया गया; अगला चरण back_in_service है', { field: 'step' });
    }
    if (input.step === 'back_in_service' && trip.status === 'left_scene' && trip.destination_facility_id) {
      throw conflict('The vehicle is on its way to hospital; at_hospital comes first', 'वाहन अस्पताल के रास्ते में है; पहले at_hospital', { field: 'step', status: trip.status });
    }
    await repo.moveTrip(trx, id, move.from, move.to, { [move.stamp]: new Date(), ...(destination !== undefined ? { destination_facility_id: destination } : {}) });
    const events: LiveEvent[] = [];
    if (input.step === 'back_in_service') {
      if (await repo.moveVehicle(trx, trip.ambulance_id, ['dispatched', 'on_trip'], 'available')) events.push({ type: 'vehicle', ambulanceId: trip.ambulance_id, status: 'available' });
      await repo.setCallStatus(trx, call.id, 'closed', { closed: true });
      events.push({ type: 'call', callId: call.id, districtId: call.district_id, status: 'closed' });
    } else {
      if (input.step === 'en_route' && await repo.moveVehicle(trx, trip.ambulance_id, ['dispatched'], 'on_trip')) events.push({ type: 'vehicle', ambulanceId: trip.ambulance_id, status: 'on_trip' });
      await repo.setCallStatus(trx, call.id, move.to as 'en_route', destination !== undefined ? { destination_facility_id: destination } : {});
      events.push({ type: 'call', callId: call.id, districtId: call.district_id, status: move.to });
    }
    await repo.insertStep(trx, { callId: call.id, tripId: id, step: input.step, byUser: actor.userId, note });
    await announceLive(trx, events);
    return tripDto((await repo.loadTrip(trx, id))!);
  });
}

/** Ends a trip the vehicle will not make (declined or silent): the vehicle is free, the call offered to the next. */
async function endAndOfferAgain(trx: Trx, call: repo.CallRow, trip: repo.TripRow, how: { status: 'declined' | 'timed_out'; reason: string; by: By }, estimator: RouteEstimator) {
  const events: LiveEvent[] = [];
  await repo.moveTrip(trx, trip.id, ['assigned', 'en_route'], how.status, { ended_reason: how.reason, completed_at: new Date() });
  if (await repo.moveVehicle(trx, trip.ambulance_id, ['dispatched', 'on_trip'], 'available')) events.push({ type: 'vehicle', ambulanceId: trip.ambulance_id, status: 'available' });
  await repo.setCallStatus(trx, call.id, 'waiting');
  await repo.insertStep(trx, { callId: call.id, tripId: trip.id, step: how.status, byUser: how.by.userId, bySystem: how.by.system, note: how.reason });
  const next = await offerAgain(trx, { ...call, status: 'waiting' }, estimator, events);
  await announceLive(trx, events);
  return next;
}

/** The crew (or the dispatcher for them) declines an assigned trip, or one en route: the next nearest vehicle gets the call. */
export async function declineTrip(db: Db, actor: Actor, id: string, reason: string, estimator: RouteEstimator = defaultEstimator) {
  requireWorker(actor);
  const why = reason.trim();
  if (!why) throw badRequest('Say why the vehicle cannot go', 'वाहन क्यों नहीं जा सकता, यह बताएँ', { field: 'reason' });
  return db.transaction().execute(async (trx) => {
    const { call, trip } = await lockTripOf(trx, actor, id);
    if (trip.status !== 'assigned' && trip.status !== 'en_route') {
      throw conflict(`This trip is ${trip.status}; only a trip not yet at the scene can be declined`, `यह यात्रा ${trip.status} है; केवल घटनास्थल पर पहुँचने से पहले मना किया जा सकता है`, { field: 'status', status: trip.status });
    }
    const next = await endAndOfferAgain(trx, call, trip, { status: 'declined', reason: why, by: { userId: actor.userId, system: null } }, estimator);
    return { tripId: id, status: 'declined' as const, callId: call.id, callStatus: next ? 'assigned' : 'waiting', next };
  });
}

/**
 * The upkeep sweep: assigned trips not en route within `acceptSeconds` are timed out and their calls
 * offered to the next vehicle. Safe with several server instances: a call another instance (or a
 * dispatcher) holds is skipped this round, and each trip is re-read under its lock.
 */
export async function sweepSilentVehicles(db: Db, o: { acceptSeconds: number; now?: Date; estimator?: RouteEstimator }) {
  const cutoff = new Date((o.now ?? new Date()).getTime() - o.acceptSeconds * 1000);
  const due = await db.selectFrom('dispatch_trips').select(['id', 'call_id']).where('status', '=', 'assigned').where('assigned_at', '<', cutoff).orderBy('assigned_at').limit(100).execute();
  const out: { tripId: string; callId: string; next: Assigned | null }[] = [];
  for (const d of due) {
    const done = await db.transaction().execute(async (trx) => {
      const call = await repo.lockCall(trx, d.call_id, 'skip locked');
      if (!call) return null;
      const trip = (await repo.lockTrip(trx, d.id))!;
      if (trip.status !== 'assigned' || trip.assigned_at >= cutoff) return null;
      const next = await endAndOfferAgain(trx, call, trip, { status: 'timed_out', reason: `not en route within ${o.acceptSeconds} s`, by: { userId: null, system: 'timeout' } }, o.estimator ?? defaultEstimator);
      return { tripId: d.id, callId: d.call_id, next };
    });
    if (done) out.push(done);
  }
  return { timedOut: out };
}

/**
 * The geofence saw the vehicle enter its trip's destination: a left_scene trip there becomes
 * at_hospital (stamped `at`, by_system 'geofence'). Idempotent: a trip already there is left as it
 * is; null when the vehicle has no trip to that facility.
 */
export async function arriveAtHospital(db: Db, ambulanceId: string, facilityId: string, at: Date = new Date()) {
  return db.transaction().execute(async (trx) => {
    const seen = await trx.selectFrom('dispatch_trips').select(['id', 'call_id']).where('ambulance_id', '=', ambulanceId).where('destination_facility_id', '=', facilityId)
      .where('status', 'in', ['left_scene', 'at_hospital']).executeTakeFirst();
    if (!seen) return null;
    const call = (await repo.lockCall(trx, seen.call_id))!;
    const trip = (await repo.lockTrip(trx, seen.id))!;
    if (trip.status === 'left_scene') {
      await repo.moveTrip(trx, trip.id, ['left_scene'], 'at_hospital', { at_hospital_at: at });
      await repo.setCallStatus(trx, call.id, 'at_hospital');
      await repo.insertStep(trx, { callId: call.id, tripId: trip.id, step: 'at_hospital', bySystem: 'geofence', at });
      await announceLive(trx, [{ type: 'call', callId: call.id, districtId: call.district_id, status: 'at_hospital' }]);
    } else if (trip.status !== 'at_hospital') return null;
    return tripDto((await repo.loadTrip(trx, trip.id))!);
  });
}

/** Trips heading to (left_scene) or at (at_hospital) the caller's facility, with the vehicle's time to arrive. */
export async function incoming(db: Db, actor: Actor, estimator: RouteEstimator = defaultEstimator) {
  requirePermission(actor, 'can_receive_ambulance');
  const rows = await repo.incomingTrips(db, actor.orgPath);
  const items = await Promise.all(rows.map(async (r) => {
    let etaMinutes: number | null = null;
    let distanceKm: number | null = null;
    if (r.status === 'left_scene' && r.latitude != null && r.longitude != null && r.dest_lat != null && r.dest_lon != null) {
      const [e] = await estimator.estimate([{ latitude: r.latitude, longitude: r.longitude }], { latitude: r.dest_lat, longitude: r.dest_lon });
      etaMinutes = e?.etaMinutes ?? null;
      distanceKm = e?.distanceKm ?? null;
    }
    return {
      tripId: r.id, callId: r.call_id, ambulanceId: r.ambulance_id, registrationNumber: r.registration_number, vehicleKind: r.vehicle_kind,
      service: r.service, kind: r.kind, complaint: r.complaint, status: r.status,
      destinationFacilityId: r.destination_facility_id!, destinationFacilityName: r.destination_name,
      leftSceneAt: r.left_scene_at?.toISOString() ?? null, atHospitalAt: r.at_hospital_at?.toISOString() ?? null,
      distanceKm, etaMinutes,
      position: r.latitude != null && r.longitude != null && r.fix_time ? { latitude: r.latitude, longitude: r.longitude, fixTime: new Date(r.fix_time).toISOString() } : null,
      acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
      acknowledgedBy: r.acknowledged_by ? { userId: r.acknowledged_by, name: r.ack_name ?? r.ack_username ?? r.acknowledged_by } : null,
    };
  }));
  return { items };
}

/** The receiving facility has seen the vehicle coming (or arrived): stamped once, with who. */
export async function acknowledgeTrip(db: Db, actor: Actor, id: string) {
  requirePermission(actor, 'can_receive_ambulance');
  return db.transaction().execute(async (trx) => {
    const seen = await repo.loadTrip(trx, id);
    if (!seen || !seen.destination_path || !inScope(actor, seen.destination_path)) throw noTrip(id);
    await repo.lockCall(trx, seen.call_id);
    const trip = (await repo.lockTrip(trx, id))!;
    if (!['left_scene', 'at_hospital', 'completed'].includes(trip.status)) {
      throw conflict(`This trip is ${trip.status}; it is not coming to your facility`, `यह यात्रा ${trip.status} है; यह आपके संस्थान नहीं आ रही`, { field: 'status', status: trip.status });
    }
    if (await repo.acknowledge(trx, id, actor.userId)) {
      await repo.insertStep(trx, { callId: trip.call_id, tripId: id, step: 'acknowledged', byUser: actor.userId });
    }
    return tripDto((await repo.loadTrip(trx, id))!);
  });
}

