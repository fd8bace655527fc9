import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { badRequest } from '../../platform/errors.js';
import { ensureDayPartition, oldestKept } from './ambulances.partitions.js';
import { eventSettings, readEvents, tellEvents, type AmbulanceEvent } from './ambulances.events.js';
import { inTransaction } from '../../db/transaction.js';
import { keyChecker, lookupDevices } from './ambulances.keys.js';
import { announceLive } from './ambulances.live.js';

type Db = Kysely<Database>;

/** A fix as it came from a device, in the units stored (km/h, degrees, metres, battery %). */
export interface Fix {
  deviceId: string;
  latitude: number;
  longitude: number;
  fixTime: Date;
  speedKmh?: number | null;
  course?: number | null;
  altitude?: number | null;
  accuracy?: number | null;
  battery?: number | null;
  /** The device key sent with the fix, checked when the vehicle has one (ambulances.keys.ts). */
  key?: string | null;
}
export type Source = 'osmand' | 'batch' | 'mqtt';

/** India's bounding box, with a margin (Andaman and Nicobar to Ladakh, Gujarat to Arunachal). */
export const INDIA = { south: 6.0, north: 37.6, west: 68.0, east: 97.5 } as const;
/** Faster than any road ambulance: a jump in the fix, not a drive. */
export const MAX_SPEED_KMH = 200;
/** Device clocks run a little ahead; further ahead is a wrong clock. */
export const FUTURE_SLACK_MS = 5 * 60_000;
/** At most this many positions in one batch. */
export const MAX_BATCH = 2_000;

export const KNOT_KMH = 1.852;
export const MPS_KMH = 3.6;

const invalid = (what: string, field: string) => badRequest(what, undefined, { field });

function num(v: string | undefined, field: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw invalid(`${field} must be a number, not "${v.slice(0, 40)}"`, field);
  return n;
}

/**
 * A time as OsmAnd clients send it: Unix seconds (below 2^31) or milliseconds, ISO 8601 (has a "T"),
 * or "yyyy-MM-dd HH:mm:ss" (read as UTC).
 */
export function parseDeviceTime(v: string, field = 'timestamp'): Date {
  const s = v.trim();
  let t: number;
  if (/^\d+(\.\d+)?$/.test(s)) {
    const n = Number(s);
    t = n < 2_147_483_647 ? n * 1000 : n;
  } else if (s.includes('T')) {
    t = Date.parse(s);
  } else {
    const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d+)?$/.exec(s);
    t = m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], m[7] ? Math.round(Number(m[7]) * 1000) : 0) : NaN;
  }
  if (!Number.isFinite(t)) throw invalid(`${field} must be Unix seconds or milliseconds, ISO 8601, or yyyy-MM-dd HH:mm:ss; not "${s.slice(0, 40)}"`, field);
  return new Date(t);
}

/**
 * Traccar's OsmAnd protocol: parameters in the query string, or (when it has none) in a form body.
 * `id`/`deviceid`, `lat` and `lon` or `location=lat,lon`, `timestamp`, `speed` in knots,
 * `bearing`/`heading`, `altitude`, `accuracy`, `batt`. Other parameters (hdop, cell, wifi…) are ignored.
 */
export function parseOsmAnd(params: Record<string, string | string[] | undefined>, now = new Date()): Fix {
  const one = (k: string) => { const v = params[k]; return Array.isArray(v) ? v[v.length - 1] : v; };
  const deviceId = (one('id') ?? one('deviceid') ?? '').trim();
  if (!deviceId) throw invalid('Give the device id as id= (or deviceid=)', 'id');
  let latitude = num(one('lat'), 'lat');
  let longitude = num(one('lon'), 'lon');
  const location = one('location');
  if (location !== undefined) {
    const [a, b] = location.split(',');
    latitude = num(a, 'location');
    longitude = num(b, 'location');
  }
  if (latitude === undefined || longitude === undefined) throw invalid('Give the position as lat= and lon= (or location=lat,lon)', 'lat');
  const ts = one('timestamp');
  const speedKn = num(one('speed'), 'speed');
  return {
    deviceId, latitude, longitude,
    fixTime: ts === undefined || ts === '' ? now : parseDeviceTime(ts),
    speedKmh: speedKn === undefined ? null : speedKn * KNOT_KMH,
    course: num(one('bearing') ?? one('heading'), 'bearing') ?? null,
    altitude: num(one('altitude'), 'altitude') ?? null,
    accuracy: num(one('accuracy'), 'accuracy') ?? null,
    battery: num(one('batt'), 'batt') ?? null,
  };
}

/**
 * The JSON body of newer Traccar Client versions: `{device_id, location: {timestamp, coords:
 * {latitude, longitude, speed (m/s), heading, altitude, accuracy}, battery: {level 0..1}}}`.
 */
export function parseTraccarJson(body: unknown, now = new Date()): Fix {
  const b = (body ?? {}) as Record<string, any>;
  const deviceId = String(b.device_id ?? b.deviceId ?? b.id ?? '').trim();
  if (!deviceId) throw invalid('Give the device id as device_id', 'device_id');
  const loc = b.location && typeof b.location === 'object' ? b.location : {};
  const c = loc.coords && typeof loc.coords === 'object' ? loc.coords : {};
  const n = (v: unknown, field: string) => (v === undefined || v === null ? undefined : num(String(v), field));
  const latitude = n(c.latitude, 'location.coords.latitude');
  const longitude = n(c.longitude, 'location.coords.longitude');
  if (latitude === undefined || longitude === undefined) throw invalid('Give location.coords.latitude and longitude', 'location.coords');
  const speed = n(c.speed, 'location.coords.speed');
  const level = n(loc.battery?.level, 'location.battery.level');
  return {
    deviceId, latitude, longitude,
    fixTime: loc.timestamp === undefined || loc.timestamp === null ? now : parseDeviceTime(String(loc.timestamp), 'location.timestamp'),
    // The client sends -1 when it does not know the speed or heading.
    speedKmh: speed === undefined || speed < 0 ? null : speed * MPS_KMH,
    course: (() => { const h = n(c.heading, 'location.coords.heading'); return h === undefined || h < 0 ? null : h; })(),
    altitude: n(c.altitude, 'location.coords.altitude') ?? null,
    accuracy: n(c.accuracy, 'location.coords.accuracy') ?? null,
    battery: level === undefined ? null : level <= 1 ? Math.round(level * 100) : level,
  };
}

/** Why a fix cannot be true (or cannot be kept), or null. */
export function implausible(f: Fix, now = new Date()): string | null {
  if (!Number.isFinite(f.latitude) || !Number.isFinite(f.longitude) || Math.abs(f.latitude) > 90 || Math.abs(f.longitude) > 180) return 'invalid_coordinates';
  if (f.latitude === 0 && f.longitude === 0) return 'null_island';
  if (f.latitude < INDIA.south || f.latitude > INDIA.north || f.longitude < INDIA.west || f.longitude > INDIA.east) return 'outside_india';
  if (f.speedKmh != null && (!Number.isFinite(f.speedKmh) || f.speedKmh < 0 || f.speedKmh > MAX_SPEED_KMH)) return 'impossible_speed';
  if (!Number.isFinite(f.fixTime.getTime())) return 'invalid_time';
  if (f.fixTime.getTime() > now.getTime() + FUTURE_SLACK_MS) return 'future_fix';
  if (f.fixTime.getTime() < oldestKept(now).getTime()) return 'older_than_kept';
  return null;
}

export interface StoreResult { accepted: number; duplicates: number; refused: { index: number; reason: string }[] }

const isDeadlock = (e: unknown) => (e as { code?: string }).code === '40P01';
const isNoPartition = (e: unknown) => (e as { code?: string }).code === '23514' && /partition/i.test(String((e as Error).message));
const round = (v: number | null | undefined, d = 1) => (v == null ? null : Math.round(v * 10 ** d) / 10 ** d);

/**
 * Stores fixes: unknown devices and impossible fixes refused with a reason (by index); a fix already
 * stored (same device and time) dropped; each vehicle's latest position moved only by a newer fix.
 */
export async function storeFixes(db: Db, fixes: Fix[], source: Source, now = new Date()): Promise<StoreResult> {
  const refused: StoreResult['refused'] = [];
  const deviceIds = [...new Set(fixes.map((f) => f.deviceId))];
  // Each device's vehicle and key hash, set-based (ambulances.keys.ts); MQTT is authenticated by the broker.
  const devices = await lookupDevices(db, deviceIds);
  const keyOk = keyChecker();
  const rows: Row[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  fixes.forEach((f, index) => {
    const device = devices.get(f.deviceId);
    if (!device) { refused.push({ index, reason: 'unknown_device' }); return; }
    if (source !== 'mqtt' && !keyOk(device, f.key)) { refused.push({ index, reason: 'bad_device_key' }); return; }
    const ambulanceId = device.ambulanceId;
    const why = implausible(f, now);
    if (why) { refused.push({ index, reason: why }); return; }
    const key = `${ambulanceId} ${f.fixTime.getTime()}`;
    if (seen.has(key)) { duplicates++; return; }
    seen.add(key);
    rows.push({
      ambulance_id: ambulanceId, fix_time: f.fixTime, latitude: f.latitude, longitude: f.longitude,
      speed_kmh: round(f.speedKmh), course: round(f.course), altitude: round(f.altitude), accuracy: round(f.accuracy), battery: round(f.battery),
      source, service: device.service, kind: device.kind,
    });
  });
  if (rows.length === 0) return { accepted: 0, duplicates, refused };
  // In key order, as the latest positions and the event states are: parallel batches lock rows in one order.
  rows.sort((x, y) => (x.ambulance_id < y.ambulance_id ? -1 : x.ambulance_id > y.ambulance_id ? 1 : x.fix_time.getTime() - y.fix_time.getTime()));

  // The fixes, the latest positions, the live map's notices and the events: one transaction, one commit.
  const settings = eventSettings(db);
  const store = () => inTransaction(db, async (trx) => {
    const { stored, moved } = await insertPositions(trx, rows, source);
    // The live map hears only the vehicles whose latest position moved (a late fix moves none), once committed.
    await announceLive(trx, moved.map((r) => ({ type: 'position', ambulanceId: r.ambulance_id, latitude: r.latitude, longitude: r.longitude, fixTime: r.fix_time.toISOString(), speedKmh: r.speed_kmh })));
    // Events (online, overspeed, geofences, long halts) from the fixes stored now, late ones aside (ambulances.events.ts).
    const events = await readEvents(trx, stored, now, settings);
    return { accepted: stored.length, events };
  });
  let result: { accepted: number; events: AmbulanceEvent[] } | undefined;
  for (let attempt = 1; !result; attempt++) {
    try {
      result = await store();
    } catch (e) {
      if (isNoPartition(e)) {
        // A day without its partition yet (the upkeep makes the coming days; a late fix may fall on an older one).
        const days = new Set(rows.map((r) => Math.floor(r.fix_time.getTime() / 86_400_000)));
        for (const d of days) await ensureDayPartition(db, new Date(d * 86_400_000));
      } else if (!(isDeadlock(e) && attempt < 3)) throw e;
      if (attempt >= 3) throw e;
    }
  }
  await tellEvents(db, result.events);
  duplicates += rows.length - result.accepted;
  return { accepted: result.accepted, duplicates, refused };
}

type Row = { ambulance_id: string; fix_time: Date; latitude: number; longitude: number; speed_kmh: number | null; course: number | null; altitude: number | null; accuracy: number | null; battery: number | null; source: string; service: string; kind: string };
const text = (v: number | null) => (v == null ? null : String(v));

/**
 * Inserts the fixes and moves each vehicle's latest position to its newest fix stored now, when that
 * is newer than the one it has, in one statement (each column one array parameter, sent once).
 * Returns the fixes stored (not already there) and those that moved a latest position, by their index.
 */
async function insertPositions(trx: Db, rows: Row[], source: Source): Promise<{ stored: Row[]; moved: Row[] }> {
  const r = await sql<{ k: string; n: number | null; a: string | null }>`
    with x as (
      select x.n::int as n, x.a, x.t::timestamptz as t, x.la::float8 as la, x.lo::float8 as lo, x.s::real as s, x.c::real as c,
        x.al::real as al, x.ac::real as ac, x.b::real as b, x.sv, x.kd
      from unnest(${rows.map((r) => r.ambulance_id)}::text[], ${rows.map((r) => r.fix_time.toISOString())}::text[],
        ${rows.map((r) => String(r.latitude))}::text[], ${rows.map((r) => String(r.longitude))}::text[],
        ${rows.map((r) => text(r.speed_kmh))}::text[], ${rows.map((r) => text(r.course))}::text[], ${rows.map((r) => text(r.altitude))}::text[],
        ${rows.map((r) => text(r.accuracy))}::text[], ${rows.map((r) => text(r.battery))}::text[], ${rows.map((r) => r.service)}::text[], ${rows.map((r) => r.kind)}::text[])
        with ordinality as x(a, t, la, lo, s, c, al, ac, b, sv, kd, n)
    ), ins as (
      insert into ambulance_positions (ambulance_id, fix_time, latitude, longitude, speed_kmh, course, altitude, accuracy, battery, source)
      select a, t, la, lo, s, c, al, ac, b, ${source} from x order by n
      on conflict (ambulance_id, fix_time) do nothing
      returning ambulance_id, fix_time
    ), fresh as (
      select x.* from x join ins on ins.ambulance_id = x.a and ins.fix_time = x.t
    ), newest as (
      select distinct on (a) * from fresh order by a, t desc
    ), up as (
      insert into ambulance_latest_positions as l (ambulance_id, fix_time, latitude, longitude, speed_kmh, course, battery, service, kind)
      select a, t, la, lo, s, c, b, sv, kd from newest order by a
      on conflict (ambulance_id) do update set fix_time = excluded.fix_time, latitude = excluded.latitude, longitude = excluded.longitude,
        speed_kmh = excluded.speed_kmh, course = excluded.course, battery = excluded.battery, received_at = now()
      where l.fix_time < excluded.fix_time
      returning ambulance_id
    )
    select 's' as k, n, null as a from fresh
    union all
    select 'm' as k, null, ambulance_id from up`.execute(trx);
  // In key order, as `rows` are.
  const stored = r.rows.filter((x) => x.k === 's').map((x) => Number(x.n)).sort((p, q) => p - q).map((n) => rows[n - 1]);
  // A vehicle whose latest position moved moved to its newest fix stored now: the last of its stored
  // rows (by vehicle, then time). Matched here rather than by a join in the statement, which a generic
  // plan (estimating one row for each side) made a nested loop of batch × batch comparisons.
  const movedIds = new Set(r.rows.filter((x) => x.k === 'm').map((x) => x.a as string));
  const newest = new Map<string, Row>();
  for (const row of stored) if (movedIds.has(row.ambulance_id)) newest.set(row.ambulance_id, row);
  return { stored, moved: [...newest.values()] };
}
