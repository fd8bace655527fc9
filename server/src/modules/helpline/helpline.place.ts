// Where an ambulance call from the helpline is: the point the caller gave (a GPS position read out,
// or picked on the map), else the middle of their village's outline when the state has imported it.
// A village without an outline, or no place at all, cannot be placed: the call is recorded and waits
// (ambulance_status awaiting_place) until the agent adds a point.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { badRequest } from '../../platform/errors.js';
import * as geoRepo from '../geo/geo.repository.js';

type Db = Kysely<Database>;

export type Placed = { ok: true; latitude: number; longitude: number; villageId: string | null } | { ok: false; problem: string; problemHi: string };

/** The mean of a polygon's outer ring (good enough to find the nearest vehicle for a village). */
function middle(geometry: unknown): { latitude: number; longitude: number } | null {
  const g = (typeof geometry === 'string' ? JSON.parse(geometry) : geometry) as { type?: string; coordinates?: any };
  const ring: number[][] | undefined = g?.type === 'Polygon' ? g.coordinates?.[0] : g?.type === 'MultiPolygon' ? g.coordinates?.[0]?.[0] : undefined;
  if (!ring?.length) return null;
  const pts = ring.length > 1 && ring[0][0] === ring.at(-1)![0] && ring[0][1] === ring.at(-1)![1] ? ring.slice(0, -1) : ring;
  const longitude = pts.reduce((s, p) => s + p[0], 0) / pts.length;
  const latitude = pts.reduce((s, p) => s + p[1], 0) / pts.length;
  return Number.isFinite(latitude) && Number.isFinite(longitude) ? { latitude, longitude } : null;
}

export async function placeHelplineCall(db: Db, at: { latitude?: number; longitude?: number; villageId?: string }): Promise<Placed> {
  if ((at.latitude === undefined) !== (at.longitude === undefined)) {
    throw badRequest('Give both latitude and longitude of the caller\'s place, or neither', 'कॉल करने वाले के स्थान का अक्षांश और देशांतर दोनों दें, या कोई नहीं', { field: at.latitude === undefined ? 'latitude' : 'longitude' });
  }
  let village = null;
  if (at.villageId) {
    village = await geoRepo.findById(db, at.villageId);
    if (!village || village.level !== 'village') {
      throw badRequest(`No village has id ${at.villageId}; pick the village from the list, or leave it out and give the place as coordinates`, `आईडी ${at.villageId} वाला कोई गाँव नहीं है; सूची से गाँव चुनें या स्थान निर्देशांक में दें`, { field: 'villageId' });
    }
  }
  if (at.latitude !== undefined && at.longitude !== undefined) return { ok: true, latitude: at.latitude, longitude: at.longitude, villageId: village?.id ?? null };
  if (!village) {
    return { ok: false, problem: 'No place was given: ask the caller for a GPS position or a village, and add it to send the ambulance', problemHi: 'कोई स्थान नहीं दिया गया: कॉल करने वाले से GPS स्थिति या गाँव पूछें और एम्बुलेंस भेजने के लिए जोड़ें' };
  }
  const outline = (await geoRepo.boundariesUnder(db, village.path)).find((b) => b.id === village.id);
  const point = outline ? middle(outline.geometry) : null;
  if (!point) {
    return { ok: false, problem: `Village ${village.name} has no outline on the map to place it by: ask the caller for a landmark or GPS position and add the point`, problemHi: `गाँव ${village.name_hi ?? village.name} की सीमा नक्शे पर नहीं है: कॉल करने वाले से कोई पहचान चिह्न या GPS स्थिति पूछें और बिंदु जोड़ें` };
  }
  return { ok: true, ...point, villageId: village.id };
}
