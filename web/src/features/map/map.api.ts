import { get } from '../../api.ts';

export interface MapSettings {
  /** The state's tile server ({z}/{x}/{y}); null = district outlines only, no background map. */
  tileUrl: string | null;
  attribution: string | null;
}

let settings: Promise<MapSettings> | null = null;

/** The server's map settings (SWASTHYA_TILE_URL), read once per page. */
export function getMapSettings(): Promise<MapSettings> {
  if (!settings) {
    settings = get<MapSettings>('/api/public/map');
    settings.catch(() => { settings = null; });
  }
  return settings;
}
