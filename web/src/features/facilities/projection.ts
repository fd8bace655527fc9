import type { Feature } from '../geo/geo.api.ts';

export interface BBox {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

export interface Projection {
  width: number;
  height: number;
  project: (lon: number, lat: number) => [number, number];
}

type Ring = number[][];

/** The rings of a Polygon or MultiPolygon (other geometries are skipped). */
export function ringsOf(feature: Feature): Ring[] {
  const g = feature.geometry;
  if (!g || !Array.isArray(g.coordinates)) return [];
  if (g.type === 'Polygon') return g.coordinates as Ring[];
  if (g.type === 'MultiPolygon') return (g.coordinates as Ring[][]).flat();
  return [];
}

const valid = (lon: unknown, lat: unknown): lon is number =>
  typeof lon === 'number' && typeof lat === 'number' && Number.isFinite(lon) && Number.isFinite(lat);

export function bboxOf(features: Feature[], points: { longitude: number | null; latitude: number | null }[]): BBox | null {
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  const add = (lon: number, lat: number) => {
    if (lon < minLon) minLon = lon;
    if (lon > maxLon) maxLon = lon;
    if (lat < minLat) minLat = lat;
    if (lat > maxLat) maxLat = lat;
  };
  for (const f of features) for (const ring of ringsOf(f)) for (const [lon, lat] of ring) if (valid(lon, lat)) add(lon, lat as number);
  for (const p of points) if (valid(p.longitude, p.latitude)) add(p.longitude, p.latitude as number);
  if (minLon === Infinity) return null;
  return { minLon, minLat, maxLon, maxLat };
}

/**
 * Equirectangular projection fitted to the box: x = lon·cos(φ₀), y = −lat, where φ₀ is the box's
 * middle latitude, so that shapes keep their proportions at Indian latitudes.
 */
export function fitProjection(box: BBox, width: number, pad = 16, maxHeight = 640): Projection {
  const k = Math.cos((((box.minLat + box.maxLat) / 2) * Math.PI) / 180);
  // A single point (or a line) still needs an area to draw in.
  const spanX = Math.max((box.maxLon - box.minLon) * k, 0.02);
  const spanY = Math.max(box.maxLat - box.minLat, 0.02);
  const scale = Math.min((width - 2 * pad) / spanX, (maxHeight - 2 * pad) / spanY);
  const height = Math.round(spanY * scale + 2 * pad);
  const offX = (width - spanX * scale) / 2;
  const midLon = (box.minLon + box.maxLon) / 2;
  const midLat = (box.minLat + box.maxLat) / 2;
  return {
    width,
    height,
    project: (lon, lat) => [
      offX + ((lon - midLon) * k + spanX / 2) * scale,
      pad + (midLat - lat + spanY / 2) * scale,
    ],
  };
}

/** An SVG path for the feature's rings, rounded to 0.1 px to keep the markup small. */
export function pathOf(feature: Feature, proj: Projection): string {
  const parts: string[] = [];
  for (const ring of ringsOf(feature)) {
    let first = true;
    for (const [lon, lat] of ring) {
      if (!valid(lon, lat)) continue;
      const [x, y] = proj.project(lon, lat as number);
      parts.push(`${first ? 'M' : 'L'}${x.toFixed(1)} ${y.toFixed(1)}`);
      first = false;
    }
    if (!first) parts.push('Z');
  }
  return parts.join('');
}
