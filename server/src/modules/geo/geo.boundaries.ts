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

const CODE_KEYS = ['dist_lgd', 'district_lgd', 'lgd_code', 'dt_lgd'];
const NAME_KEYS = ['dtname', 'district', 'district_name', 'dist_name'];
const STATE_KEYS = ['stname', 'state', 'state_name'];
const STATE_CODE_KEYS = ['state_lgd', 'st_lgd'];

function prop(props: Record<string, unknown>, keys: string[]): unknown {
  for (const [k, v] of Object.entries(props)) if (keys.includes(k.toLowerCase()) && v !== null && v !== '') return v;
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

/**
 * Stores district outlines from a GeoJSON FeatureCollection. A feature is placed by its district
 * LGD code (Dist_LGD, dist_lgd or district_lgd), else by its district name (dtname, DTNAME,
 * district) within its state (stname or State_LGD). Geometries are simplified before storing.
 */
export async function importBoundaries(db: Db, geojsonText: string, onProgress: Progress = () => {}, source = 'geojson'): Promise<BoundaryImportResult> {
  let doc: { type?: string; features?: unknown[] };
  try {
    doc = JSON.parse(geojsonText);
  } catch (e) {
    throw new ImportFileError(`the file is not JSON: ${(e as Error).message}`);
  }
  const features = doc?.type === 'FeatureCollection' && Array.isArray(doc.features) ? doc.features : doc?.type === 'Feature' ? [doc] : null;
  if (!features) throw new ImportFileError('the file is not a GeoJSON FeatureCollection ({"type":"FeatureCollection","features":[…]})');

  const districts = await repo.mapByLgd(db, 'district');
  const states = await repo.mapByLgd(db, 'state');
  const places = await loadPlaceIndex(db);
  const result: BoundaryImportResult = { read: features.length, stored: 0, unplaced: [], points: { before: 0, after: 0 } };
  onProgress(0, features.length);

  for (let i = 0; i < features.length; i++) {
    const f = features[i] as { properties?: Record<string, unknown> | null; geometry?: unknown };
    const props = f?.properties ?? {};
    const code = asCode(prop(props, CODE_KEYS));
    const name = String(prop(props, NAME_KEYS) ?? '').trim();
    const stateName = String(prop(props, STATE_KEYS) ?? '').trim();
    const label = name || (code !== null ? `district ${code}` : `feature ${i + 1}`);
    const unplaced = (reason: string) => result.unplaced.push({ feature: i + 1, name: label, reason });
    onProgress(i + 1, features.length);

    if (!isGeometry(f?.geometry)) {
      const type = (f?.geometry as { type?: string } | null)?.type ?? 'no geometry';
      unplaced(`${type === 'no geometry' ? 'it has no geometry' : `its geometry is a ${type}`}; only Polygon and MultiPolygon outlines are stored`);
      continue;
    }
    let unit: OrgUnitRow | undefined = code !== null ? districts.get(code) : undefined;
    if (!unit && name) {
      const stateCode = asCode(prop(props, STATE_CODE_KEYS));
      const state = (stateCode !== null ? states.get(stateCode) : undefined) ?? (stateName ? places.state(stateName) : undefined);
      if (state) {
        const hit = places.district(state, name);
        if ('unit' in hit) unit = hit.unit;
      }
    }
    if (!unit) {
      const byCode = code !== null ? `no district has LGD code ${code}` : 'it has no district LGD code (Dist_LGD)';
      const byName = name ? `no district "${name}" in ${stateName ? `"${stateName}"` : 'an unnamed state'}` : 'it has no district name (dtname)';
      unplaced(`${byCode} and ${byName}`);
      continue;
    }
    const geometry = f.geometry as Geometry;
    const simple = simplifyGeometry(geometry);
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
