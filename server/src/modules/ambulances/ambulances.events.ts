// Events read from the fixes of each vehicle (issue 12, part 3): online/offline, overspeed, entering and
// leaving a facility's geofence (the vehicle's base is a facility too), long halts away from a facility.
//
// storeFixes (ambulances.positions.ts) hands every fix it stored to detectEvents; a late fix (not newer
// than the vehicle's newest one read so far) makes no event, a resent fix is never stored twice and so
// makes none either. A batch is read in a few set-based statements in one transaction: the vehicles'
// state rows (ambulance_event_state) are locked in id order (FOR UPDATE), so parallel batches of one
// vehicle take turns and cannot both see the same transition; an event is also unique per vehicle,
// kind, time and facility. Offline comes from a sweep (sweepOffline, every minute): vehicles still
// online whose newest fix is older than SWASTHYA_OFFLINE_MINUTES.
//
// After an event is stored (committed) the listeners registered with onAmbulanceEvents are called,
// and the live map hears it (announceLive, type 'event'). The dispatch module can, for instance, mark a
// trip's arrival at hospital on a geofence_enter at the trip's destination.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import type { AmbulanceEventKind } from '../../db/types.ambulances.js';
import { inTransaction } from '../../db/transaction.js';
import { haversineKm } from './ambulances.js';
import { announceLive } from './ambulances.live.js';

type Db = Kysely<Database>;

export const EVENT_KINDS = ['online', 'offline', 'overspeed', 'geofence_enter', 'geofence_exit', 'long_halt'] as const satisfies readonly AmbulanceEventKind[];
export type EventKind = AmbulanceEventKind;

export interface EventSettings {
  /** A vehicle without a fix for this long is offline. */
  offlineMinutes: number;
  /** Faster than this is overspeed (one event each time the vehicle goes above it). */
  overspeedKmh: number;
  /** Radius of the geofence around every facility with coordinates. */
  geofenceMetres: number;
  /** Halted this long away from any facility is a long halt (at the scene, on the way). */
  longHaltMinutes: number;
}
export const DEFAULT_EVENT_SETTINGS: Readonly<EventSettings> = Object.freeze({ offlineMinutes: 10, overspeedKmh: 100, geofenceMetres: 200, longHaltMinutes: 20 });
/** Slower than this (or without a speed) a vehicle may be halted… */
export const HALT_SPEED_KMH = 5;
/** …and it stays halted while within this distance of where it stopped. */
export const HALT_RADIUS_M = 100;

export interface AmbulanceEvent {
  id: string;
  ambulanceId: string;
  kind: EventKind;
  at: string;
  latitude: number | null;
  longitude: number | null;
  facilityId: string | null;
  details: Record<string, unknown>;
}

type Log = { warn: (obj: object, msg: string) => void };
const configured = new WeakMap<object, { settings: EventSettings; log: Log }>();
const consoleLog: Log = { warn: (obj, msg) => console.warn(msg, obj) };

/** The settings (from the server's config) used for fixes stored through this database handle. */
export function configureEvents(db: Db, settings: EventSettings, log: Log = consoleLog): void {
  configured.set(db, { settings: { ...settings }, log });
}
const setup = (db: Db) => configured.get(db) ?? { settings: DEFAULT_EVENT_SETTINGS, log: consoleLog };

export type EventListener = (db: Db, events: AmbulanceEvent[]) => Promise<void>;
const listeners = new Set<EventListener>();

/**
 * Calls `listener` with every batch of events once they are stored (committed), with the database
 * (not a transaction: the listener opens its own). A listener that throws is logged; the fixes and the
 * events stay stored. Returns a function that removes the listener (call it when the app closes).
 */
export function onAmbulanceEvents(listener: EventListener): () => void {
  listeners.add(listener);
  return () => { listeners.delete(listener); };
}

async function tell(db: Db, events: AmbulanceEvent[]): Promise<void> {
  if (!events.length) return;
  for (const listener of [...listeners]) {
    try { await listener(db, events); } catch (e) { setup(db).log.warn({ err: (e as Error).message }, 'ambulance events: a listener failed'); }
  }
}

/** A fix as storeFixes stored it. */
export interface StoredFix { ambulance_id: string; fix_time: Date; latitude: number; longitude: number; speed_kmh: number | null }

interface State {
  ambulance_id: string;
  last_fix_time: Date | null;
  last_latitude: number | null;
  last_longitude: number | null;
  online: boolean;
  overspeeding: boolean;
  inside_facility_id: string | null;
  halted_since: Date | null;
  halt_latitude: number | null;
  halt_longitude: number | null;
  halt_reported: boolean;
}
type NewEvent = { ambulance_id: string; kind: EventKind; at: Date; latitude: number | null; longitude: number | null; facility_id: string | null; details: Record<string, unknown> };

const ms = (d: Date | string) => (d instanceof Date ? d : new Date(d)).getTime();
const metres = (lat1: number, lon1: number, lat2: number, lon2: number) => haversineKm(lat1, lon1, lat2, lon2) * 1000;

/** Facilities within the geofence radius of each fix (by index), nearest first. One query for a whole batch. */
async function facilitiesNear(db: Db, fixes: StoredFix[], radiusM: number): Promise<Map<number, { id: string; m: number }>> {
  const out = new Map<number, { id: string; m: number }>();
  if (!fixes.length) return out;
  const dLat = radiusM / 111_320;
  const rows = await sql<{ i: number; id: string; latitude: number; longitude: number }>`
    select f.i::int as i, fa.id, fa.latitude, fa.longitude
    from unnest(${fixes.map((_, i) => i)}::int[], ${fixes.map((f) => f.latitude)}::float8[], ${fixes.map((f) => f.longitude)}::float8[]) as f(i, lat, lon)
    join facilities fa on fa.latitude is not null and fa.longitude is not null
      and fa.latitude between f.lat - ${dLat}::float8 and f.lat + ${dLat}::float8
      and fa.longitude between f.lon - ${dLat}::float8 / greatest(cos(radians(f.lat)), 0.01) and f.lon + ${dLat}::float8 / greatest(cos(radians(f.lat)), 0.01)`.execute(db);
  for (const r of rows.rows) {
    const f = fixes[r.i];
    const m = metres(f.latitude, f.longitude, r.latitude, r.longitude);
    if (m > radiusM) continue;
    const cur = out.get(r.i);
    if (!cur || m < cur.m || (m === cur.m && r.id < cur.id)) out.set(r.i, { id: r.id, m });
  }
  return out;
}

/**
 * Reads the events in fixes just stored (any vehicles, any order): per vehicle only the fixes newer
 * than the newest one read before, in time order. Returns the events stored (after their listeners ran).
 */
export async function detectEvents(db: Db, fixes: StoredFix[], now = new Date()): Promise<AmbulanceEvent[]> {
  const stored = await inTransaction(db, (trx) => readEvents(trx, fixes, now, setup(db).settings));
  await tellEvents(db, stored);
  return stored;
}

/**
 * The part of detectEvents that runs in the caller's transaction (storeFixes stores a batch and reads
 * its events in one transaction: one commit). Once it commits, hand the events to tellEvents.
 */
export async function readEvents(trx: Db, fixes: StoredFix[], now: Date, settings: EventSettings): Promise<AmbulanceEvent[]> {
  if (!fixes.length) return [];
  const byVehicle = new Map<string, StoredFix[]>();
  for (const f of fixes) {
    const list = byVehicle.get(f.ambulance_id);
    if (list) list.push(f); else byVehicle.set(f.ambulance_id, [f]);
  }
  const ids = [...byVehicle.keys()].sort();
  // One state row per vehicle, locked in id order: parallel batches wait. A vehicle's first fix makes its
  // row (then locked); two batches both holding a new vehicle can deadlock, and storeFixes retries those.
  // With each its base and the trip it is at the scene of, if any (read with the lock: one statement, not three).
  const lock = async (some: string[]) => (await sql<State & { base_facility_id: string | null; scene_trip_id: string | null; scene_call_id: string | null }>`
    select s.*, a.base_facility_id, t.id as scene_trip_id, t.call_id as scene_call_id
    from ambulance_event_state s
    left join ambulances a on a.id = s.ambulance_id
    left join lateral (select id, call_id from dispatch_trips where ambulance_id = s.ambulance_id and status = 'at_scene' limit 1) t on true
    where s.ambulance_id = any(${some}::text[])
    order by s.ambulance_id
    for update of s`.execute(trx)).rows;
  const locked = await lock(ids);
  if (locked.length < ids.length) {
    const have = new Set(locked.map((r) => r.ambulance_id));
    const missing = ids.filter((id) => !have.has(id));
    await sql`insert into ambulance_event_state (ambulance_id) select id from unnest(${missing}::text[]) as id on conflict (ambulance_id) do nothing`.execute(trx);
    locked.push(...await lock(missing));
  }
  const states = new Map<string, State>(locked.map(({ base_facility_id: _b, scene_trip_id: _t, scene_call_id: _c, ...state }) => [state.ambulance_id, state]));
  const baseOf = new Map(locked.map((r) => [r.ambulance_id, r.base_facility_id]));
  const sceneOf = new Map(locked.flatMap((r) => (r.scene_trip_id ? [[r.ambulance_id, { id: r.scene_trip_id, call_id: r.scene_call_id }] as const] : [])));
  // Late fixes (not newer than the newest read before) are left out: they are history, not news.
  const fresh: StoredFix[] = [];
  for (const id of ids) {
    const last = states.get(id)?.last_fix_time;
    const list = byVehicle.get(id)!.filter((f) => last == null || ms(f.fix_time) > ms(last)).sort((a, b) => ms(a.fix_time) - ms(b.fix_time));
    byVehicle.set(id, list);
    fresh.push(...list);
  }
  if (!fresh.length) return [];
  const vehicles = ids.filter((id) => byVehicle.get(id)!.length);
  const near = await facilitiesNear(trx, fresh, settings.geofenceMetres);
  const index = new Map(fresh.map((f, i) => [f, i]));

  const events: NewEvent[] = [];
  const changed: State[] = [];
  const onlineSince = now.getTime() - settings.offlineMinutes * 60_000;
  for (const id of vehicles) {
    const st: State = { ...states.get(id)! };
    const base = baseOf.get(id) ?? null;
    const facilityDetails = (facilityId: string) => (facilityId === base ? { base: true } : {});
    for (const f of byVehicle.get(id)!) {
      const at = f.fix_time;
      const ev = (kind: EventKind, details: Record<string, unknown> = {}, facility_id: string | null = null, lat = f.latitude, lon = f.longitude) =>
        events.push({ ambulance_id: id, kind, at, latitude: lat, longitude: lon, facility_id, details });
      const first = st.last_fix_time == null;
      // Online: a fix no older than the offline limit while the vehicle was offline (or never heard).
      if (!st.online && ms(at) >= onlineSince) {
        ev('online', st.last_fix_time ? { previousFixAt: new Date(st.last_fix_time).toISOString() } : {});
        st.online = true;
      }
      // Overspeed: once each time the speed goes above the limit.
      if (f.speed_kmh != null) {
        if (f.speed_kmh > settings.overspeedKmh) {
          if (!st.overspeeding) ev('overspeed', { speedKmh: f.speed_kmh, limitKmh: settings.overspeedKmh });
          st.overspeeding = true;
        } else st.overspeeding = false;
      }
      // Geofences: the nearest facility within the radius. The first fix ever only says where the vehicle is.
      const inside = near.get(index.get(f)!)?.id ?? null;
      if (!first && inside !== st.inside_facility_id) {
        if (st.inside_facility_id) ev('geofence_exit', facilityDetails(st.inside_facility_id), st.inside_facility_id);
        if (inside) ev('geofence_enter', { ...facilityDetails(inside), metres: Math.round(near.get(index.get(f)!)!.m) }, inside);
      }
      st.inside_facility_id = inside;
      // Halts: slow (or no speed) and within HALT_RADIUS_M of where the vehicle stopped.
      const slow = f.speed_kmh == null || f.speed_kmh < HALT_SPEED_KMH;
      if (slow && st.halted_since && st.halt_latitude != null && st.halt_longitude != null
        && metres(st.halt_latitude, st.halt_longitude, f.latitude, f.longitude) <= HALT_RADIUS_M) {
        const minutes = (ms(at) - ms(st.halted_since)) / 60_000;
        if (!st.halt_reported && !inside && minutes >= settings.longHaltMinutes) {
          const trip = sceneOf.get(id);
          ev('long_halt', { since: new Date(st.halted_since).toISOString(), minutes: Math.round(minutes), ...(trip ? { tripId: trip.id, callId: trip.call_id, atScene: true } : {}) }, null, st.halt_latitude, st.halt_longitude);
          st.halt_reported = true;
        }
      } else if (slow) {
        Object.assign(st, { halted_since: at, halt_latitude: f.latitude, halt_longitude: f.longitude, halt_reported: false });
      } else {
        Object.assign(st, { halted_since: null, halt_latitude: null, halt_longitude: null, halt_reported: false });
      }
      Object.assign(st, { last_fix_time: at, last_latitude: f.latitude, last_longitude: f.longitude });
    }
    changed.push(st);
  }

  // The states, in one statement.
  const col = <K extends keyof State>(k: K, map: (v: State[K]) => string | null = (v) => (v == null ? null : String(v))) => changed.map((s) => map(s[k]));
  const time = (v: Date | null) => (v == null ? null : new Date(v).toISOString());
  await sql`
    update ambulance_event_state s set
      last_fix_time = v.last_fix_time::timestamptz, last_latitude = v.last_latitude::float8, last_longitude = v.last_longitude::float8,
      online = v.online::boolean, overspeeding = v.overspeeding::boolean, inside_facility_id = v.inside_facility_id,
      halted_since = v.halted_since::timestamptz, halt_latitude = v.halt_latitude::float8, halt_longitude = v.halt_longitude::float8,
      halt_reported = v.halt_reported::boolean, updated_at = now()
    from unnest(${col('ambulance_id')}::text[], ${col('last_fix_time', time)}::text[], ${col('last_latitude')}::text[], ${col('last_longitude')}::text[],
                ${col('online')}::text[], ${col('overspeeding')}::text[], ${col('inside_facility_id')}::text[],
                ${col('halted_since', time)}::text[], ${col('halt_latitude')}::text[], ${col('halt_longitude')}::text[], ${col('halt_reported')}::text[])
      as v(ambulance_id, last_fix_time, last_latitude, last_longitude, online, overspeeding, inside_facility_id, halted_since, halt_latitude, halt_longitude, halt_reported)
    where s.ambulance_id = v.ambulance_id`.execute(trx);
  return insertEvents(trx, events);
}

/** Calls the listeners with events once their transaction committed (onAmbulanceEvents). */
export async function tellEvents(db: Db, events: AmbulanceEvent[]): Promise<void> {
  await tell(db, events);
}

/** The event settings configured for this database handle (configureEvents). */
export const eventSettings = (db: Db): EventSettings => setup(db).settings;

/** Stores events (a copy already stored is dropped) and announces them to the live map, in the caller's transaction. */
async function insertEvents(trx: Db, events: NewEvent[]): Promise<AmbulanceEvent[]> {
  let out: AmbulanceEvent[] = [];
  for (let i = 0; i < events.length; i += 500) {
    const rows = await trx.insertInto('ambulance_events')
      .values(events.slice(i, i + 500).map((e) => ({ ...e, details: JSON.stringify(e.details) })))
      .onConflict((oc) => oc.doNothing())
      .returning(['id', 'ambulance_id', 'kind', 'at', 'latitude', 'longitude', 'facility_id', 'details'])
      .execute();
    out = out.concat(rows.map(toEvent));
  }
  await announceLive(trx, out.map((e) => ({ type: 'event' as const, eventId: e.id, ambulanceId: e.ambulanceId, kind: e.kind, at: e.at, latitude: e.latitude, longitude: e.longitude, facilityId: e.facilityId })));
  return out;
}

export const toEvent = (r: { id: string | number | bigint; ambulance_id: string; kind: EventKind; at: Date | string; latitude: number | null; longitude: number | null; facility_id: string | null; details: unknown }): AmbulanceEvent => ({
  id: String(r.id),
  ambulanceId: r.ambulance_id,
  kind: r.kind,
  at: new Date(r.at).toISOString(),
  latitude: r.latitude,
  longitude: r.longitude,
  facilityId: r.facility_id,
  details: (typeof r.details === 'string' ? JSON.parse(r.details) : r.details ?? {}) as Record<string, unknown>,
});

/**
 * Offline: vehicles online whose newest fix is older than the limit (at most `max` at a time; a vehicle
 * whose fixes are being read just now is skipped and looked at next time). The event's time is when
 * the vehicle went silent for that long: its last fix + the limit.
 */
export async function sweepOffline(db: Db, now = new Date(), max = 5_000): Promise<AmbulanceEvent[]> {
  const { settings } = setup(db);
  const cutoff = new Date(now.getTime() - settings.offlineMinutes * 60_000);
  const stored = await inTransaction(db, async (trx) => {
    const gone = await sql<{ ambulance_id: string; last_fix_time: Date; last_latitude: number | null; last_longitude: number | null }>`
      update ambulance_event_state s set online = false, updated_at = now()
      where s.ambulance_id in (
        select ambulance_id from ambulance_event_state
        where online and last_fix_time < ${cutoff}
        order by last_fix_time limit ${max} for update skip locked)
      and s.online and s.last_fix_time < ${cutoff}
      returning s.ambulance_id, s.last_fix_time, s.last_latitude, s.last_longitude`.execute(trx);
    return insertEvents(trx, gone.rows.map((r) => ({
      ambulance_id: r.ambulance_id, kind: 'offline' as const,
      at: new Date(ms(r.last_fix_time) + settings.offlineMinutes * 60_000),
      latitude: r.last_latitude, longitude: r.last_longitude, facility_id: null,
      details: { lastFixAt: new Date(r.last_fix_time).toISOString(), minutes: settings.offlineMinutes },
    })));
  });
  await tell(db, stored);
  return stored;
}
