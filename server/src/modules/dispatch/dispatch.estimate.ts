// How far a vehicle is from a call, and how long it takes to get there. The default is the straight
// line × a detour factor at an assumed speed (as GET /api/ambulances/nearest); a routing engine (OSRM's
// `table` service, Valhalla's `sources_to_targets`) answers the same question from a road network and
// can take its place by implementing RouteEstimator: one request for many vehicles to one place.
import { ASSUMED_KMH, DETOUR_FACTOR, haversineKm } from '../ambulances/ambulances.js';

export interface LatLon { latitude: number; longitude: number }
export interface Estimate { distanceKm: number; etaMinutes: number }

export interface RouteEstimator {
  /** Shown in the trip's record ("straight_line", "osrm"…). */
  readonly name: string;
  /** One estimate per origin, in the order given; null where no road leads there. */
  estimate(origins: readonly LatLon[], destination: LatLon): Promise<(Estimate | null)[]>;
}

/** Straight-line distance × `detour` at `kmh`: what the dispatcher sees until a routing engine is configured. */
export class StraightLineEstimator implements RouteEstimator {
  readonly name = 'straight_line';
  constructor(readonly detour = DETOUR_FACTOR, readonly kmh = ASSUMED_KMH) {}
  async estimate(origins: readonly LatLon[], to: LatLon): Promise<(Estimate | null)[]> {
    return origins.map((o) => {
      const km = haversineKm(o.latitude, o.longitude, to.latitude, to.longitude) * this.detour;
      return { distanceKm: Math.round(km * 10) / 10, etaMinutes: Math.round((km / this.kmh) * 60) };
    });
  }
}

export const defaultEstimator: RouteEstimator = new StraightLineEstimator();
