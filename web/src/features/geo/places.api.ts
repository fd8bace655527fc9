import { api, ApiError, get, getToken } from '../../api.ts';
import { storedLang } from '../../i18n/i18n.tsx';
import type { GeoUnit } from './geo.api.ts';

export const PLACES_PAGE = 25;
export type PlaceLevel = 'block' | 'panchayat' | 'village';

export interface Place {
  id: string;
  level: string;
  lgdCode: number | null;
  code: string | null;
  name: string;
  nameHi: string | null;
  parentId: string | null;
  path: string;
  childCount: number;
}

export interface PlacePage {
  unit: Place;
  ancestors: GeoUnit[];
  items: Place[];
  total: number;
  offset: number;
  limit: number;
  canAdd: PlaceLevel[];
}

export interface PlaceFields { name: string; nameHi: string | null; lgdCode: number | null; code: string | null }

/** A unit and a page of its places (or of the places under it whose name holds `q`); not cached, since places are edited here. */
export const listPlaces = (id: string, q: string, offset: number, signal?: AbortSignal) =>
  get<PlacePage>(`/api/geo/units/${encodeURIComponent(id)}/places`, { q: q.trim() || undefined, offset, limit: PLACES_PAGE }, signal);

export const addPlace = (body: PlaceFields & { parent: string; level: PlaceLevel }) =>
  api<Place>('POST', '/api/geo/units', { body });

export const changePlace = (id: string, body: Partial<PlaceFields>) =>
  api<Place>('PATCH', `/api/geo/units/${encodeURIComponent(id)}`, { body });

export interface ImportAnswer { level: 'blocks' | 'villages'; added: number; updated: number; unchanged: number; under?: string }

/**
 * Sends an LGD CSV to POST /api/geo/units/import, telling how much is uploaded as it goes (fetch
 * cannot report upload progress; XMLHttpRequest can). A refusal is an ApiError with the server's
 * message and `details.rows` ({line, reason}).
 */
export function importPlaces(level: 'blocks' | 'villages', file: Blob, onProgress: (sent: number, total: number) => void): Promise<ImportAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/geo/units/import?level=${level}`);
    xhr.setRequestHeader('Content-Type', 'text/csv');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Accept-Language', storedLang());
    const token = getToken();
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onerror = () => reject(new ApiError(0, 'network', 'network error'));
    xhr.onload = () => {
      let data: any;
      try { data = xhr.responseText ? JSON.parse(xhr.responseText) : undefined; } catch { data = undefined; }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data as ImportAnswer);
      else reject(new ApiError(xhr.status, data?.error?.code ?? `http_${xhr.status}`, data?.error?.message ?? `HTTP ${xhr.status}`, data?.error?.details));
    };
    xhr.send(file);
  });
}
