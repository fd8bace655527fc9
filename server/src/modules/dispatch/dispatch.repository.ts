// The only SQL of dispatch. Functions take the database or a transaction first; the ones that lock
// take a Transaction so that FOR UPDATE cannot run outside one.
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import type { CallStatus, TripStatus } from '../../db/types.dispatch.js';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

/** Trip states in which the vehicle is busy with the call (the partial unique indexes cover these). */
export const ACTIVE_TRIP: readonly TripStatus[] = ['assigned', 'en_route', 'at_scene', 'left_scene', 'at_hospital'];
export const OPEN_CALL: readonly CallStatus[] = ['waiting', 'assigned', 'en_route', 'at_scene', 'left_scene', 'at_hospital'];

function callQuery(db: Db) {
  return db.selectFrom('dispatch_calls as c')
    .innerJoin('org_units as d', 'd.id', 'c.district_id')
    .selectAll('c')
    .select(['d.path as district_path', 'd.name as district_name']);
}
export type CallRow = Awaited<ReturnType<ReturnType<typeof callQuery>['executeTakeFirstOrThrow']>>;

export const loadCall = (db: Db, id: string) => callQuery(db).where('c.id', '=', id).executeTakeFirst();

/** Locks the call's row until the transaction ends: two assigns (or an assign and a cancel) of one call take turns. */
export function lockCall(trx: Trx, id: string, skip?: 'skip locked') {
  const q = callQuery(trx).where('c.id', '=', id).forUpdate('c');
  // The upkeep sweep passes over a call someone is working on at this moment; it comes back next round.
  return (skip ? q.skipLocked() : q).executeTakeFirst();
}

export async function insertCall(db: Db, row: Insertable<Database['dispatch_calls']>) {
  await db.insertInto('dispatch_calls').values(row).execute();
}

export async function insertStep(db: Db, s: { callId: string; tripId?: string | null; step: string; byUser?: string | null; bySystem?: string | null; note?: string | null; at?: Date }) {
  await db.insertInto('dispatch_steps').values({
    call_id: s.callId, trip_id: s.tripId ?? null, step: s.step, by_user: s.byUser ?? null, by_system: s.bySystem ?? null, note: s.note ?? null,
    ...(s.at ? { at: s.at } : {}),
  }).execute();
}

export async function setCallStatus(db: Db, id: string, status: CallStatus, extra: { cancel_reason?: string; closed?: boolean; destination_facility_id?: string | null } = {}) {
  await db.updateTable('dispatch_calls').set({
    status, updated_at: sql`now()`,
    ...(extra.cancel_reason !== undefined ? { cancel_reason: extra.cancel_reason } : {}),
    ...(extra.closed ? { closed_at: sql`now()` } : {}),
    ...(extra.destination_facility_id !== undefined ? { destination_facility_id: extra.destination_facility_id } : {}),
  }).where('id', '=', id).execute();
}

/** Calls whose district lies in `path`, newest first (open ones first when both are asked for). */
export async function listCalls(db: Db, path: string, q: { status: 'open' | 'closed' | 'all'; limit: number; offset: number }) {
  let query = db.selectFrom('dispatch_calls as c').innerJoin('org_units as d', 'd.id', 'c.district_id').where('d.path', 'like', `${path}%`);
  if (q.status === 'open') query = query.where('c.status', 'in', OPEN_CALL);
  if (q.status === 'closed') query = query.where('c.status', 'not in', OPEN_CALL);
  const rows = await query
    .leftJoinLateral(
      (eb) => eb.selectFrom('dispatch_trips as t').innerJoin('ambulances as a', 'a.id', 't.ambulance_id')
        .select(['t.id as trip_id', 't.ambulance_id', 'a.registration_number', 't.status as trip_status', 't.distance_km', 't.eta_minutes', 't.assigned_at'])
        .whereRef('t.call_id', '=', 'c.id').orderBy('t.assigned_at', 'desc').orderBy('t.id', 'desc').limit(1).as('t'),
      (join) => join.onTrue(),
    )
    .selectAll('c').select(['t.trip_id', 't.ambulance_id', 't.registration_number', 't.trip_status', 't.distance_km', 't.eta_minutes', 't.assigned_at'])
    .orderBy(sql`c.status in ('closed', 'cancelled')`).orderBy('c.created_at', 'desc').orderBy('c.id', 'desc')
    .limit(q.limit).offset(q.offset).execute();
  const { n } = await query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return { rows, total: Number(n) };
}

function tripQuery(db: Db) {
  return db.selectFrom('dispatch_trips as t')
    .innerJoin('dispatch_calls as c', 'c.id', 't.call_id')
    .innerJoin('org_units as d', 'd.id', 'c.district_id')
    .innerJoin('ambulances as a', 'a.id', 't.ambulance_id')
    .innerJoin('org_units as b', 'b.id', 'a.base_facility_id')
    .leftJoin('org_units as h', 'h.id', 't.destination_facility_id')
    .selectAll('t')
    .select(['c.district_id', 'd.path as district_path', 'c.status as call_status', 'c.service', 'c.kind as call_kind', 'c.complaint',
      'a.registration_number', 'a.kind as vehicle_kind', 'a.base_facility_id', 'b.path as base_path', 'h.name as destination_name', 'h.path as destination_path']);
}
export type TripRow = Awaited<ReturnType<ReturnType<typeof tripQuery>['executeTakeFirstOrThrow']>>;

export const loadTrip = (db: Db, id: string) => tripQuery(db).where('t.id', '=', id).executeTakeFirst();
export const lockTrip = (trx: Trx, id: string) => tripQuery(trx).where('t.id', '=', id).forUpdate('t').executeTakeFirst();
export const tripsOfCall = (db: Db, callId: string) => tripQuery(db).where('t.call_id', '=', callId).orderBy('t.assigned_at').orderBy('t.id').execute();
export const activeTripOfCall = (db: Db, callId: string) => tripQuery(db).where('t.call_id', '=', callId).where('t.status', 'in', ACTIVE_TRIP).executeTakeFirst();

export async function stepsOfCall(db: Db, callId: string) {
  return db.selectFrom('dispatch_steps as s').leftJoin('users as u', 'u.id', 's.by_user')
    .select(['s.id', 's.step', 's.at', 's.trip_id', 's.by_user', 's.by_system', 's.note', 'u.username', 'u.display_name'])
    .where('s.call_id', '=', callId).orderBy('s.at').orderBy('s.id').execute();
}

/**
 * The vehicle becomes dispatched only if it is available at this moment: a parallel assign that got
 * there first leaves nothing to update (its row lock makes this one wait for it, then see the change).
 */
export async function takeVehicle(db: Db, ambulanceId: string): Promise<boolean> {
  const r = await db.updateTable('ambulances').set({ status: 'dispatched', updated_at: sql`now()` })
    .where('id', '=', ambulanceId).where('status', '=', 'available').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Moves a vehicle from one of `from` to `to`; false when it was elsewhere (changed by hand meanwhile). */
export async function moveVehicle(db: Db, ambulanceId: string, from: readonly ('available' | 'dispatched' | 'on_trip' | 'off_road')[], to: 'available' | 'dispatched' | 'on_trip'): Promise<boolean> {
  const r = await db.updateTable('ambulances').set({ status: to, updated_at: sql`now()` })
    .where('id', '=', ambulanceId).where('status', 'in', from).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertTrip(db: Db, t: { id: string; callId: string; ambulanceId: string; distanceKm: number | null; etaMinutes: number | null; assignedBy: string | null }) {
  await db.insertInto('dispatch_trips').values({
    id: t.id, call_id: t.callId, ambulance_id: t.ambulanceId, distance_km: t.distanceKm, eta_minutes: t.etaMinutes, assigned_by: t.assignedBy, assigned_at: new Date(),
  }).execute();
}

/** Moves a trip from `from` to `to` with the given columns; false when it had moved on meanwhile. */
export async function moveTrip(db: Db, id: string, from: readonly TripStatus[], to: TripStatus, set: Partial<Record<'en_route_at' | 'at_scene_at' | 'left_scene_at' | 'at_hospital_at' | 'completed_at', Date>> & { destination_facility_id?: string | null; ended_reason?: string | null } = {}) {
  const r = await db.updateTable('dispatch_trips').set({ status: to, updated_at: sql`now()`, ...set })
    .where('id', '=', id).where('status', 'in', from).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Vehicles that already declined or let this call time out: not offered it again. */
export async function refusedVehicles(db: Db, callId: string): Promise<string[]> {
  const rows = await db.selectFrom('dispatch_trips').select('ambulance_id').where('call_id', '=', callId).where('status', 'in', ['declined', 'timed_out']).execute();
  return rows.map((r) => r.ambulance_id);
}

/** Assigned trips not en route since `before`, locked; ones another instance is handling are skipped. */
export async function silentTrips(trx: Trx, before: Date, limit = 50) {
  return trx.selectFrom('dispatch_trips').select(['id', 'call_id', 'ambulance_id']).where('status', '=', 'assigned').where('assigned_at', '<', before)
    .orderBy('assigned_at').limit(limit).forUpdate().skipLocked().execute();
}

/** A left_scene trip of this vehicle to this facility (locked), or its trip already there. */
export async function tripArriving(trx: Trx, ambulanceId: string, facilityId: string) {
  return trx.selectFrom('dispatch_trips').selectAll().where('ambulance_id', '=', ambulanceId).where('destination_facility_id', '=', facilityId)
    .where('status', 'in', ['left_scene', 'at_hospital']).forUpdate().executeTakeFirst();
}

export async function facility(db: Db, id: string) {
  return db.selectFrom('facilities as f').innerJoin('org_units as o', 'o.id', 'f.id').select(['o.id', 'o.name', 'o.path', 'f.latitude', 'f.longitude'])
    .where('f.id', '=', id).executeTakeFirst();
}

export async function pregnancyByNumber(db: Db, number: string) {
  return db.selectFrom('pregnancies').select(['id', 'patient_id', 'facility_path', 'status']).where('registration_number', '=', number).executeTakeFirst();
}

/** Trips heading to (left_scene) or at (at_hospital) a facility in `path`, with the vehicle's latest position. */
export async function incomingTrips(db: Db, path: string) {
  return db.selectFrom('dispatch_trips as t')
    .innerJoin('org_units as h', 'h.id', 't.destination_facility_id')
    .innerJoin('facilities as f', 'f.id', 't.destination_facility_id')
    .innerJoin('dispatch_calls as c', 'c.id', 't.call_id')
    .innerJoin('ambulances as a', 'a.id', 't.ambulance_id')
    .leftJoin('ambulance_latest_positions as p', 'p.ambulance_id', 't.ambulance_id')
    .leftJoin('users as u', 'u.id', 't.acknowledged_by')
    .select(['t.id', 't.call_id', 't.ambulance_id', 't.status', 't.left_scene_at', 't.at_hospital_at', 't.acknowledged_at', 't.acknowledged_by', 'u.username as ack_username', 'u.display_name as ack_name',
      't.destination_facility_id', 'h.name as destination_name', 'f.latitude as dest_lat', 'f.longitude as dest_lon',
      'c.service', 'c.kind', 'c.complaint', 'a.registration_number', 'a.kind as vehicle_kind', 'p.latitude', 'p.longitude', 'p.fix_time'])
    .where('h.path', 'like', `${path}%`).where('t.status', 'in', ['left_scene', 'at_hospital'])
    .orderBy('t.left_scene_at').orderBy('t.id').limit(200).execute();
}

export async function acknowledge(db: Db, tripId: string, userId: string): Promise<boolean> {
  const r = await db.updateTable('dispatch_trips').set({ acknowledged_at: sql`now()`, acknowledged_by: userId, updated_at: sql`now()` })
    .where('id', '=', tripId).where('acknowledged_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A vehicle the dispatcher named, with its base's path and latest position. */
export async function vehicle(db: Db, id: string) {
  return db.selectFrom('ambulances as a').innerJoin('org_units as b', 'b.id', 'a.base_facility_id')
    .leftJoin('ambulance_latest_positions as p', 'p.ambulance_id', 'a.id')
    .select(['a.id', 'a.registration_number', 'a.service', 'a.kind', 'a.status', 'b.path as base_path', 'p.latitude', 'p.longitude'])
    .where('a.id', '=', id).executeTakeFirst();
}
