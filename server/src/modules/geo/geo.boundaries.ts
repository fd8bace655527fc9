import type { Kysely } from 'kysely';
import type { Database, OrgUnitRow } from '../../db/types.js';
import { ImportFileError, type Progress } from './geo.import.js';
import { loadPlaceIndex } from './geo.places.js';
import * as repo from './geo.repository.js';

type Db = Kysely<Database>;
type Position = number[];
type Ring = Position[];
type Geometry = { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };

/** About 500 m: district outlines stay recognisable on a state map at a small fraction of the size. */
export const SIMPLIFY_TOLERANCE = 0.005;

export interface UnplacedFeature { feature: number; name: string; reason: string }
export interface BoundaryImportResult {
  read: number;
  stored: number;
  unplaced: UnplacedFeature[];
  /** Coordinate pairs in the file and stored after simplification. */
  points: { before: number; after: number };
}

/** The levels an outline can be stored for; wards are units of the panchayat level (docs/geo.md). */
export const OUTLINE_LEVELS = ['district', 'block', 'panchayat', 'village'] as const;
export type OutlineLevel = (typeof OUTLINE_LEVELS)[number];

/**
 * The property that carries a feature's LGD code, per level (names compared in lower case, with spaces,
 * dots and hyphens read as underscores, so LGD's "Local Body Code" is local_body_code). A feature is
 * placed at the most specific level it names: a panchayat's outline usually carries its district's code too.
 */
const CODE_KEYS: Record<OutlineLevel, string[]> = {
  village: ['village_lgd', 'vill_lgd', 'village_lgd_code', 'lgd_village_code'],
  panchayat: ['gp_lgd', 'gp_lgd_code', 'lgd_gp_code', 'panchayat_lgd', 'gram_panchayat_lgd', 'local_body_code', 'localbody_code', 'lb_lgd', 'lb_code', 'ward_lgd', 'ward_lgd_code'],
  block: ['block_lgd', 'blk_lgd', 'block_lgd_code', 'development_block_code'],
  district: ['dist_lgd', 'district_lgd', 'dt_lgd'],
};
/** A bare `lgd_code` is read at the level the import names, a district when it names none. */
const GENERIC_CODE_KEYS = ['lgd_code', 'lgd'];
const NAME_KEYS = ['dtname', 'district', 'district_name', 'dist_name'];
const UNIT_NAME_KEYS = ['name', 'gp_name', 'panchayat_name', 'local_body_name_(in_english)', 'local_body_name', 'lb_name', 'ward_name', 'block_name', 'village_name', 'vill_name'];
const STATE_KEYS = ['stname', 'state', 'state_name'];
const STATE_CODE_KEYS = ['state_lgd', 'st_lgd'];

/** Simplification per level: about 500 m for a district, 200 m a block, 50 m a panchayat, 20 m a village. */
export const TOLERANCE: Record<OutlineLevel, number> = { district: SIMPLIFY_TOLERANCE, block: 0.002, panchayat: 0.0005, village: 0.0002 };

const keyOf = (k: string) => k.trim().toLowerCase().replace(/[\s.-]+/g, '_');

function prop(props: Record<string, unknown>, keys: string[]): unknown {
  for (const [k, v] of Object.entries(props)) if (keys.includes(keyOf(k)) && v !== null && v !== '') return v;
  return undefined;
}

const asCode = (v: unknown) => (typeof v === 'number' || (typeof v === 'string' && /^\s*\d{1,9}\s*$/.test(v)) ? Number(v) : null);

// ---------------------------------------------------------------------------------------------
// Douglas–Peucker

function segmentDistance(p: Position, a: Position, b: Position): number {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const len2 = dx * dx + dy * dy;
  let t = len2 ? ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2 : 0;
  t = Math.max(0, Math.min(1, t));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

/** Douglas–Peucker on an open line; keeps both ends. Iterative, so 10,000-point rings are fine. */
export function simplifyLine(points: Position[], tolerance: number): Position[] {
  if (points.length <= 2) return points.slice();
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length) {
    const [first, last] = stack.pop()!;
    let index = -1;
    let max = tolerance;
    for (let i = first + 1; i < last; i++) {
      const d = segmentDistance(points[i], points[first], points[last]);
      if (d > max) { max = d; index = i; }
    }
    if (index >= 0) {
      keep[index] = 1;
      stack.push([first, index], [index, last]);
    }
  }
  return points.filter((_, i) => keep[i]);
}

const round = (p: Position): Position => [Math.round(p[0] * 1e5) / 1e5, Math.round(p[1] * 1e5) / 1e5];

/**
 * Simplifies a closed ring. The ring is cut at its first point and the point farthest from it, so
 * both halves keep their shape; the result is closed again. Null when fewer than 4 points remain.
 */
export function simplifyRing(ring: Ring, tolerance: number): Ring | null {
  const pts = ring.map(round).filter((p, i, a) => i === 0 || p[0] !== a[i - 1][0] || p[1] !== a[i - 1][1]);
  if (pts.length > 1 && pts[0][0] === pts[pts.length - 1][0] && pts[0][1] === pts[pts.length - 1][1]) pts.pop();
  if (pts.length < 3) return null;
  let far = 1;
  let best = -1;
  for (let i = 1; i < pts.length; i++) {
    const d = Math.hypot(pts[i][0] - pts[0][0], pts[i][1] - pts[0][1]);
    if (d > best) { best = d; far = i; }
  }
  const a = simplifyLine(pts.slice(0, far + 1), tolerance);
  const b = simplifyLine([...pts.slice(far), pts[0]], tolerance);
  const out = [...a, ...b.slice(1)];
  return out.length >= 4 ? out : null;
}

/** An outer ring is never dropped: the tolerance shrinks until it keeps 4 points. */
function simplifyOuter(ring: Ring, tolerance: number): Ring | null {
  for (let t = tolerance; t > tolerance / 1000; t /= 4) {
    const r = simplifyRing(ring, t);
    if (r) return r;
  }
  return null;
}

function bboxArea(ring: Ring): number {
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  return (Math.max(...xs) - Math.min(...xs)) * (Math.max(...ys) - Math.min(...ys));
}

/** Polygon or MultiPolygon simplified: holes and islands smaller than the tolerance go, the main outline stays. */
export function simplifyGeometry(g: Geometry, tolerance = SIMPLIFY_TOLERANCE): Geometry | null {
  const polygon = (rings: Ring[], mustKeep: boolean): Ring[] | null => {
    const outer = mustKeep ? simplifyOuter(rings[0], tolerance) : simplifyRing(rings[0], tolerance);
    if (!outer) return null;
    const holes = rings.slice(1).map((h) => simplifyRing(h, tolerance)).filter((h): h is Ring => !!h);
    return [outer, ...holes];
  };
  if (g.type === 'Polygon') {
    const p = polygon(g.coordinates, true);
    return p ? { type: 'Polygon', coordinates: p } : null;
  }
  const parts = g.coordinates.filter((p) => p.length && p[0].length);
  let kept = parts.map((p) => polygon(p, false)).filter((p): p is Ring[] => !!p);
  if (!kept.length && parts.length) {
    const largest = parts.reduce((a, b) => (bboxArea(b[0]) > bboxArea(a[0]) ? b : a));
    const p = polygon(largest, true);
    kept = p ? [p] : [];
  }
  if (!kept.length) return null;
  return kept.length === 1 ? { type: 'Polygon', coordinates: kept[0] } : { type: 'MultiPolygon', coordinates: kept };
}

const countPoints = (g: Geometry): number =>
  g.type === 'Polygon'
    ? g.coordinates.reduce((a, r) => a + r.length, 0)
    : g.coordinates.reduce((a, p) => a + p.reduce((b, r) => b + r.length, 0), 0);

function isGeometry(g: unknown): g is Geometry {
  const x = g as { type?: unknown; coordinates?: unknown };
  return !!x && (x.type === 'Polygon' || x.type === 'MultiPolygon') && Array.isArray(x.coordinates);
}

// ---------------------------------------------------------------------------------------------

export interface BoundaryImportOptions {
  /** The level a bare `lgd_code` names (default district); level-named keys (gp_lgd, block_lgd, …) are read anyway. */
  level?: OutlineLevel;
  /** Only units under this path (the caller's area) are stored; a feature of a unit outside it is not placed. */
  under?: string;
}

/** The level and LGD code a feature names: the most specific level-named key, else a bare lgd_code at `level`. */
function codeOf(props: Record<string, unknown>, level: OutlineLevel | undefined): { level: OutlineLevel; code: number | null } {
  for (const l of [...OUTLINE_LEVELS].reverse()) {
    const v = prop(props, CODE_KEYS[l]);
    if (v !== undefined) return { level: l, code: asCode(v) };
  }
  return { level: level ?? 'district', code: asCode(prop(props, GENERIC_CODE_KEYS)) };
}

/**
 * Stores outlines from a GeoJSON FeatureCollection: districts, blocks, gram panchayats (and urban wards)
 * or villages, each placed by its LGD code (district: Dist_LGD, dist_lgd or district_lgd; block:
 * block_lgd; panchayat or ward: gp_lgd, local_body_code, ward_lgd; village: village_lgd; a bare
 * lgd_code at `options.level`). A district without a code is placed by its name (dtname, DTNAME,
 * district) within its state (stname or State_LGD); other levels only by code, since their names
 * repeat. Geometries are simplified (finer for smaller units) before storing.
 */
export async function importBoundaries(db: Db, geojson: string | object, onProgress: Progress = () => {}, source = 'geojson', options: BoundaryImportOptions = {}): Promise<BoundaryImportResult> {
  let doc: { type?: string; features?: unknown[] };
  try {
    doc = typeof geojson === 'string' ? JSON.parse(geojson) : geojson;
  } catch (e) {
    throw new ImportFileError(`the file is not JSON: ${(e as Error).message}`);
  }
  const features = doc?.type === 'FeatureCollection' && Array.isArray(doc.features) ? doc.features : doc?.type === 'Feature' ? [doc] : null;
  if (!features) throw new ImportFileError('the file is not a GeoJSON FeatureCollection ({"type":"FeatureCollection","features":[…]})');

  const propsOf = (f: unknown) => ((f as { properties?: Record<string, unknown> | null })?.properties ?? {});
  // The units the file names, fetched by level and code in one query a level.
  const wanted = new Map<OutlineLevel, Set<number>>();
  for (const f of features) {
    const { level, code } = codeOf(propsOf(f), options.level);
    if (code !== null) wanted.set(level, (wanted.get(level) ?? new Set()).add(code));
  }
  const byLevel = new Map<OutlineLevel, Map<number, OrgUnitRow>>();
  for (const [level, codes] of wanted) byLevel.set(level, await repo.mapByLgd(db, level, [...codes]));
  const states = await repo.mapByLgd(db, 'state');
  const places = await loadPlaceIndex(db);
  const result: BoundaryImportResult = { read: features.length, stored: 0, unplaced: [], points: { before: 0, after: 0 } };
  onProgress(0, features.length);

  for (let i = 0; i < features.length; i++) {
    const f = features[i] as { properties?: Record<string, unknown> | null; geometry?: unknown };
    const props = f?.properties ?? {};
    const { level, code } = codeOf(props, options.level);
    const name = String(prop(props, level === 'district' ? NAME_KEYS : UNIT_NAME_KEYS) ?? prop(props, [...NAME_KEYS, ...UNIT_NAME_KEYS]) ?? '').trim();
    const stateName = String(prop(props, STATE_KEYS) ?? '').trim();
    const label = name || (code !== null ? `${level} ${code}` : `feature ${i + 1}`);
    const unplaced = (reason: string) => result.unplaced.push({ feature: i + 1, name: label, reason });
    onProgress(i + 1, features.length);

    if (!isGeometry(f?.geometry)) {
      const type = (f?.geometry as { type?: string } | null)?.type ?? 'no geometry';
      unplaced(`${type === 'no geometry' ? 'it has no geometry' : `its geometry is a ${type}`}; only Polygon and MultiPolygon outlines are stored`);
      continue;
    }
    let unit: OrgUnitRow | undefined = code !== null ? byLevel.get(level)?.get(code) : undefined;
    if (!unit && level === 'district' && name) {
      const stateCode = asCode(prop(props, STATE_CODE_KEYS));
      const state = (stateCode !== null ? states.get(stateCode) : undefined) ?? (stateName ? places.state(stateName) : undefined);
      if (state) {
        const hit = places.district(state, name);
        if ('unit' in hit) unit = hit.unit;
      }
    }
    if (!unit && level !== 'district') {
      unplaced(code !== null ? `no ${level} has LGD code ${code}` : `its ${level} LGD code is not a number`);
      continue;
    }
    if (!unit) {
      const byCode = code !== null ? `no district has LGD code ${code}` : 'it has no district LGD code (Dist_LGD)';
      const byName = name ? `no district "${name}" in ${stateName ? `"${stateName}"` : 'an unnamed state'}` : 'it has no district name (dtname)';
      unplaced(`${byCode} and ${byName}`);
      continue;
    }
    if (options.under && !unit.path.startsWith(options.under)) {
      unplaced(`${unit.name} (${level} ${unit.lgd_code ?? code}) is outside your area`);
      continue;
    }
    const geometry = f.geometry as Geometry;
    const simple = simplifyGeometry(geometry, TOLERANCE[level]);
    if (!simple) {
      unplaced('its outline has fewer than 4 distinct points');
      continue;
    }
    result.points.before += countPoints(geometry);
    result.points.after += countPoints(simple);
    await repo.upsertBoundary(db, unit.id, simple, source);
    result.stored++;
  }
  return result;
}
