import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, requireScope, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import { uid } from '../../platform/ids.js';
import { announceLive } from './ambulances.live.js';
import { baseOperatorOnly, requireBaseMove, requireFleetRead, withCrew, withCrewNames, type CrewOnShift } from './ambulances.crew.js';

type Db = Kysely<Database>;

export const SERVICES = ['108', '102'] as const;
export const KINDS = ['BLS', 'ALS', 'PTV'] as const;
export const STATUSES = ['available', 'dispatched', 'on_trip', 'off_road'] as const;
export type Service = (typeof SERVICES)[number];
export type Kind = (typeof KINDS)[number];
export type Status = (typeof STATUSES)[number];

export interface Position { latitude: number; longitude: number; fixTime: string; speedKmh: number | null; course: number | null; battery: number | null }
export interface Ambulance {
  id: string;
  registrationNumber: string;
  service: Service;
  kind: Kind;
  baseFacilityId: string;
  baseFacilityName: string;
  deviceId: string;
  status: Status;
  position: Position | null;
  /** Crew on shift now (ambulances.crew.ts): names in lists, mobile numbers (audited) for one vehicle. */
  crew?: CrewOnShift;
  createdAt: string;
  updatedAt: string;
}

/** A unique violation of this index (PGlite may name it in the message only). */
const violates = (e: unknown, index: string) => {
  const x = e as { code?: string; constraint?: string; message?: string } | null;
  return x?.code === '23505' && (x.constraint === index || String(x.message ?? '').includes(index));
};

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

/** Registration numbers are kept in capitals with single spaces ("HR 39 GA 1082"). */
export function cleanRegistration(s: string): string {
  const r = s.trim().toUpperCase().replace(/\s+/g, ' ');
  if (!/^[A-Z0-9][A-Z0-9 -]{2,18}[A-Z0-9]$/.test(r) || (r.match(/[A-Z0-9]/g) ?? []).length < 4) {
    throw badRequest('Give the registration number as on the vehicle, e.g. HR 39 GA 1082 (letters, digits, spaces)', 'वाहन का पंजीकरण नंबर वाहन पर लिखे अनुसार दें, जैसे HR 39 GA 1082', { field: 'registrationNumber' });
  }
  return r;
}

function baseQuery(db: Db) {
  return db.selectFrom('ambulances as a')
    .innerJoin('org_units as f', 'f.id', 'a.base_facility_id')
    .leftJoin('ambulance_latest_positions as p', 'p.ambulance_id', 'a.id')
    .select([
      'a.id', 'a.registration_number', 'a.service', 'a.kind', 'a.base_facility_id', 'a.device_id', 'a.status', 'a.created_at', 'a.updated_at',
      'f.name as base_name', 'f.path as base_path',
      'p.latitude', 'p.longitude', 'p.fix_time', 'p.speed_kmh', 'p.course', 'p.battery',
    ]);
}
type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

const toAmbulance = (r: Row): Ambulance => ({
  id: r.id,
  registrationNumber: r.registration_number,
  service: r.service,
  kind: r.kind,
  baseFacilityId: r.base_facility_id,
  baseFacilityName: r.base_name,
  deviceId: r.device_id,
  status: r.status,
  position: r.fix_time == null || r.latitude == null || r.longitude == null ? null : {
    latitude: r.latitude, longitude: r.longitude, fixTime: iso(r.fix_time),
    speedKmh: r.speed_kmh == null ? null : Math.round(Number(r.speed_kmh) * 10) / 10,
    course: r.course == null ? null : Number(r.course),
    battery: r.battery == null ? null : Number(r.battery),
  },
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

const noSuch = (id: string) => notFound(`No ambulance has id ${id}`, `आईडी ${id} वाली कोई एम्बुलेंस नहीं है`);

async function loadInScope(db: Db, actor: Actor, id: string): Promise<Row> {
  const row = await baseQuery(db).where('a.id', '=', id).executeTakeFirst();
  // Outside the caller's area it is as if there were none.
  if (!row || !row.base_path.startsWith(actor.orgPath)) throw noSuch(id);
  return row;
}

export interface CreateInput { registrationNumber: string; service: Service; kind: Kind; baseFacilityId: string; deviceId: string }

export async function createAmbulance(db: Db, actor: Actor, input: CreateInput): Promise<Ambulance> {
  requirePermission(actor, 'can_manage_ambulances');
  const registration = cleanRegistration(input.registrationNumber);
  const deviceId = input.deviceId.trim();
  if (!deviceId) throw badRequest('Give the GPS device id (as the tracker sends it, e.g. its IMEI)', 'GPS डिवाइस आईडी दें (जैसे ट्रैकर भेजता है, उदाहरण IMEI)', { field: 'deviceId' });
  if (input.service === '102' && input.kind === 'ALS') {
    throw badRequest('102 vehicles carry mothers and children (BLS or PTV); an ALS vehicle serves 108', '102 वाहन माँ और बच्चों के लिए हैं (BLS या PTV); ALS वाहन 108 के लिए है', { field: 'kind' });
  }
  const base = await db.selectFrom('facilities as fa').innerJoin('org_units as o', 'o.id', 'fa.id')
    .select(['o.id', 'o.name', 'o.path']).where('fa.id', '=', input.baseFacilityId).executeTakeFirst();
  if (!base) throw badRequest(`No facility has id ${input.baseFacilityId}`, `आईडी ${input.baseFacilityId} वाला कोई स्वास्थ्य संस्थान नहीं है`, { field: 'baseFacilityId' });
  requireScope(actor, base.path, `Facility ${base.name}`);
  const id = uid();
  try {
    await db.insertInto('ambulances').values({
      id, registration_number: registration, service: input.service, kind: input.kind,
      base_facility_id: base.id, device_id: deviceId, created_by: actor.userId,
    }).execute();
  } catch (e) {
    if (violates(e, 'ambulances_registration_number')) {
      throw conflict(`An ambulance with registration number ${registration} is already registered`, `पंजीकरण नंबर ${registration} वाली एम्बुलेंस पहले से दर्ज है`, { field: 'registrationNumber' });
    }
    if (violates(e, 'ambulances_device_id')) {
      throw conflict(`GPS device ${deviceId} is already fitted to another ambulance; remove it there first`, `GPS डिवाइस ${deviceId} पहले से दूसरी एम्बुलेंस में लगा है`, { field: 'deviceId' });
    }
    throw e;
  }
  const made = toAmbulance(await baseQuery(db).where('a.id', '=', id).executeTakeFirstOrThrow());
  await recordAudit(db, actor, { action: 'create', entity: 'ambulance', entityId: id, orgPath: base.path, after: { ...made, position: undefined } });
  return made;
}

export async function getAmbulance(db: Db, actor: Actor, id: string): Promise<Ambulance> {
  requireFleetRead(actor);
  const row = await loadInScope(db, actor, id);
  return withCrew(db, actor, toAmbulance(row), row.base_path);
}

export interface ListQuery { status?: Status; service?: Service; kind?: Kind; q?: string; limit?: number; offset?: number }

/** The vehicles based in the caller's area, by registration number, with their latest positions. */
export async function listAmbulances(db: Db, actor: Actor, q: ListQuery) {
  requireFleetRead(actor);
  const limit = q.limit ?? 50;
  const offset = q.offset ?? 0;
  let query = baseQuery(db).where('f.path', 'like', `${actor.orgPath}%`);
  if (q.status) query = query.where('a.status', '=', q.status);
  if (q.service) query = query.where('a.service', '=', q.service);
  if (q.kind) query = query.where('a.kind', '=', q.kind);
  const term = q.q?.trim().toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (term) query = query.where(sql<string>`upper(regexp_replace(a.registration_number, '[^A-Za-z0-9]', '', 'g'))`, 'like', `%${term}%`);
  const [rows, count] = await Promise.all([
    query.orderBy('a.registration_number').orderBy('a.id').limit(limit).offset(offset).execute(),
    query.clearSelect().select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: await withCrewNames(db, rows.map(toAmbulance)), total: Number(count.n), limit, offset };
}

/** available → dispatched → on_trip → available; off_road (and back) from anything but a trip. */
const MOVES: Record<Status, readonly Status[]> = {
  available: ['dispatched', 'off_road'],
  dispatched: ['on_trip', 'available'],
  on_trip: ['available'],
  off_road: ['available'],
};

export async function setStatus(db: Db, actor: Actor, id: string, status: Status): Promise<Ambulance> {
  // The base facility's operator: available and off_road only (ambulances.crew.ts).
  const baseOnly = baseOperatorOnly(actor);
  const row = await loadInScope(db, actor, id);
  if (baseOnly) requireBaseMove(row.status, status);
  if (row.status === status) return toAmbulance(row);
  if (!MOVES[row.status].includes(status)) {
    throw conflict(`An ambulance that is ${row.status} cannot become ${status}`, `${row.status} एम्बुलेंस ${status} नहीं हो सकती`, { field: 'status', from: row.status });
  }
  // Only from the status read: a second change made meanwhile makes this one 409.
  const r = await db.updateTable('ambulances').set({ status, updated_at: sql`now()` })
    .where('id', '=', id).where('status', '=', row.status).executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) {
    throw conflict('The ambulance\'s status changed meanwhile; read it again', 'इस बीच एम्बुलेंस की स्थिति बदल गई; फिर से देखें', { field: 'status' });
  }
  await recordAudit(db, actor, { action: 'update', entity: 'ambulance', entityId: id, orgPath: row.base_path, before: { status: row.status }, after: { status } });
  await announceLive(db, [{ type: 'vehicle', ambulanceId: id, status }]);
  return toAmbulance(await baseQuery(db).where('a.id', '=', id).executeTakeFirstOrThrow());
}

/** Straight-line distance × this, for the road (a routing engine may replace the whole estimate later). */
export const DETOUR_FACTOR = Number(process.env.SWASTHYA_DETOUR_FACTOR) > 0 ? Number(process.env.SWASTHYA_DETOUR_FACTOR) : 1.3;
/** Assumed average speed of an ambulance on the way to a call. */
export const ASSUMED_KMH = 40;

/** Great-circle distance in km. */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = (d: number) => (d * Math.PI) / 180;
  const a = Math.sin(r(lat2 - lat1) / 2) ** 2 + Math.cos(r(lat1)) * Math.cos(r(lat2)) * Math.sin(r(lon2 - lon1) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * The nearest search's index holds each latest position rounded to a grid of 0.05° (migration
 * 20261209T0100, so that most fixes update the row in place); a position is at most half the cell's
 * diagonal, 0.05 × √2 / 2 degrees, from its rounded point.
 */
const GRID_HALF_DIAGONAL = (0.05 * Math.SQRT2) / 2;

/**
 * The least great-circle distance in km from a place at `latitude` to any point `degrees` or more
 * away from it by the plane distance `point(lon, lat) <-> point(lon, lat)`. With c the cosine of the
 * furthest latitude either can have (|latitude| + degrees), haversine gives hav(θ) = hav(Δφ) +
 * cos φ₁ cos φ₂ hav(Δλ) ≥ c² (hav(Δφ) + hav(Δλ)) ≥ c² hav(degrees), hav(√x) being concave in x; so
 * θ ≥ 2 asin(c sin(degrees / 2)).
 */
export function leastKmAtPlaneDegrees(latitude: number, degrees: number): number {
  if (degrees <= 0) return 0;
  const rad = (d: number) => (d * Math.PI) / 180;
  const c = Math.cos(rad(Math.min(90, Math.abs(latitude) + degrees)));
  return 2 * 6371 * Math.asin(Math.min(1, c * Math.sin(rad(degrees) / 2)));
}

/**
 * Available vehicles of a service in the caller's area with a known position, nearest first:
 * straight-line distance × DETOUR_FACTOR at ASSUMED_KMH. One statement walks the GiST index of latest
 * positions (ambulance_latest_positions_grid: grid points by plane distance in degrees from the
 * place) and keeps, as it goes, the vehicles that qualify: of the service and kind (held on the
 * latest position row, so others are passed over at once), available and in the caller's area (looked
 * up by primary keys in a lateral subquery the planner cannot flatten, so it cannot trade the walk for
 * a sort of every vehicle), stopping after `read` of them; those are ranked by
 * great-circle distance from their true positions. The answer is the same as ranking every vehicle:
 * it stands once `limit` of them are nearer than any qualifying vehicle not read can be (its grid
 * point is at least as far as the furthest read, so the vehicle is at least that less
 * GRID_HALF_DIAGONAL in degrees away: leastKmAtPlaneDegrees), or when fewer than `read` qualify at
 * all; else more are read.
 */
export async function nearestAvailable(db: Db, actor: Actor, q: { latitude: number; longitude: number; service: Service; kind?: Kind; limit?: number }) {
  requirePermission(actor, 'can_read_ambulances');
  const limit = q.limit ?? 10;
  const here = sql`point(${q.longitude}::float8, ${q.latitude}::float8)`;
  // By distance; only the answer's vehicles are made whole (a search reads 4 × as many).
  const rank = (rows: Row[]) => rows.map((r) => {
    const km = haversineKm(q.latitude, q.longitude, r.latitude!, r.longitude!) * DETOUR_FACTOR;
    return { r, km, distanceKm: Math.round(km * 10) / 10 };
  }).sort((a, b) => a.distanceKm - b.distanceKm || a.r.id.localeCompare(b.r.id));
  for (let read = limit * 3 + 10; ; read *= 4) {
    const found = await sql<Row & { plane: number }>`
      select a.id, a.registration_number, a.service, a.kind, a.base_facility_id, a.device_id, a.status, a.created_at, a.updated_at,
        a.base_name, a.base_path, n.latitude, n.longitude, n.fix_time, n.speed_kmh, n.course, n.battery,
        point(n.grid_longitude, n.grid_latitude) <-> ${here} as plane
      from ambulance_latest_positions n
      cross join lateral (
        -- offset 0: a subquery per candidate, so the walk in index order stays the plan.
        select a.*, f.name as base_name, f.path as base_path
        from ambulances a join org_units f on f.id = a.base_facility_id
        where a.id = n.ambulance_id and a.status = 'available' and a.service = ${q.service} and f.path like ${`${actor.orgPath}%`}
          ${q.kind ? sql`and a.kind = ${q.kind}` : sql``}
        offset 0) a
      where n.service = ${q.service} ${q.kind ? sql`and n.kind = ${q.kind}` : sql``}
      order by point(n.grid_longitude, n.grid_latitude) <-> ${here}
      limit ${read}`.execute(db);
    const rows = found.rows;
    const ranked = rank(rows);
    const edge = Number(rows[rows.length - 1]?.plane ?? 0);
    // A qualifying vehicle not read is at least this far (× the detour factor); 0.2 km clear of that, its rounded distance cannot tie.
    const clear = leastKmAtPlaneDegrees(q.latitude, edge - GRID_HALF_DIAGONAL) * DETOUR_FACTOR - 0.2;
    const done = rows.length < read || ranked.filter((r) => r.km <= clear).length >= limit;
    if (done) return { items: ranked.slice(0, limit).map(({ r, km, distanceKm }) => ({ ...toAmbulance(r), distanceKm, etaMinutes: Math.round((km / ASSUMED_KMH) * 60) })) };
  }
}
