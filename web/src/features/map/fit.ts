import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';
import type { Feature } from '../geo/geo.api.ts';

export interface Point { latitude: number | null; longitude: number | null }

/** India's extent: a point outside it is a geocoding error wherever it was meant to be. */
const INDIA = { minLat: 6, maxLat: 38, minLon: 68, maxLon: 98 };

/** Without an outline, a point farther than this many times the median distance from the middle is set apart. */
const SPREAD_FACTOR = 5;
/** …but never one nearer than this (a compact town's facilities may all lie within a few km). */
const MIN_RADIUS_KM = 30;

export type Located<P extends Point> = P & { latitude: number; longitude: number };

export interface Placed<P extends Point> {
  /** Drawn, and the view is fitted to them (with the outline). */
  inside: Located<P>[];
  /** Coordinates that lie outside the area: listed for correction, not drawn, not fitted to. */
  outside: Located<P>[];
}

const located = <P extends Point>(p: P): p is Located<P> =>
  typeof p.latitude === 'number' && typeof p.longitude === 'number' && Number.isFinite(p.latitude) && Number.isFinite(p.longitude);

const polygonal = (f: Feature): f is Feature & { geometry: Polygon | MultiPolygon } =>
  !!f.geometry && (f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon') && Array.isArray(f.geometry.coordinates);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Great-circle distance in km (haversine). */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * Splits facility points into those inside the area and those outside it. With outlines, a point
 * is inside when an outline holds it. Without, a point outside India is outside, and so is one far
 * from the others (beyond SPREAD_FACTOR × the median distance from the median point, at least
 * MIN_RADIUS_KM): one bad coordinate must not stretch the view over half the country.
 */
export function placePoints<P extends Point>(features: Feature[], points: P[]): Placed<P> {
  const inside: Located<P>[] = [];
  const outside: Located<P>[] = [];
  const outlines = features.filter(polygonal);
  const candidates: Located<P>[] = [];
  for (const p of points) {
    if (!located(p)) continue;
    const inIndia = p.latitude >= INDIA.minLat && p.latitude <= INDIA.maxLat && p.longitude >= INDIA.minLon && p.longitude <= INDIA.maxLon;
    (inIndia ? candidates : outside).push(p);
  }
  if (outlines.length) {
    for (const p of candidates) {
      const hit = outlines.some((f) => booleanPointInPolygon([p.longitude, p.latitude], f.geometry));
      (hit ? inside : outside).push(p);
    }
    return { inside, outside };
  }
  if (candidates.length < 5) return { inside: candidates, outside };
  const midLat = median(candidates.map((p) => p.latitude));
  const midLon = median(candidates.map((p) => p.longitude));
  const dist = candidates.map((p) => distanceKm(midLat, midLon, p.latitude, p.longitude));
  const limit = Math.max(MIN_RADIUS_KM, SPREAD_FACTOR * median(dist));
  candidates.forEach((p, i) => (dist[i]! <= limit ? inside : outside).push(p));
  return { inside, outside };
}
