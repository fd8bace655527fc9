import { get } from '../../api.ts';

export interface GeoUnit {
  id: string;
  lgdCode: string | null;
  name: string;
  nameHi?: string | null;
  level: string;
  parentId: string | null;
  path?: string;
}

export interface Feature {
  type: 'Feature';
  properties: { id?: string; lgdCode?: string; name?: string } | null;
  geometry:
    | { type: 'Polygon'; coordinates: number[][][] }
    | { type: 'MultiPolygon'; coordinates: number[][][][] }
    | { type: string; coordinates?: unknown }
    | null;
}

export interface FeatureCollection {
  type: 'FeatureCollection';
  features: Feature[];
}

// Geography changes rarely: one request per unit for the life of the page.
const unitCache = new Map<string, Promise<GeoUnit>>();
const childrenCache = new Map<string, Promise<GeoUnit[]>>();

export function getUnit(code: string): Promise<GeoUnit> {
  let p = unitCache.get(code);
  if (!p) {
    p = get<GeoUnit>(`/api/geo/units/${encodeURIComponent(code)}`);
    p.catch(() => unitCache.delete(code));
    unitCache.set(code, p);
  }
  return p;
}

export function getChildren(code: string): Promise<GeoUnit[]> {
  let p = childrenCache.get(code);
  if (!p) {
    p = get<{ items: GeoUnit[] }>(`/api/geo/units/${encodeURIComponent(code)}/children`).then((r) =>
      [...r.items].sort((a, b) => a.name.localeCompare(b.name)),
    );
    p.catch(() => childrenCache.delete(code));
    childrenCache.set(code, p);
  }
  return p;
}

export function getBoundaries(orgUnit: string, signal?: AbortSignal): Promise<FeatureCollection> {
  return get<FeatureCollection>('/api/geo/boundaries', { orgUnit }, signal);
}

/** The unit's name in the UI language (Hindi name when there is one). */
export function unitName(unit: { name: string; nameHi?: string | null }, lang: string): string {
  return lang === 'hi' && unit.nameHi ? unit.nameHi : unit.name;
}
