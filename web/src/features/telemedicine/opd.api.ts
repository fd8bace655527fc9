// The citizen's OPD from home: no account; the mobile is confirmed with a code and the booking returns
// a key that opens its waiting room.
import { api, get } from '../../api.ts';
import type { Hub, TeleRequest } from './tele.api.ts';

export interface Booking extends TeleRequest { key: string }
export interface NewHomePatient { name: string; sex: 'male' | 'female' | 'other'; age: number; address: { district: string } }
export interface District { id: string; lgdCode: string | number | null; name: string; nameHi: string | null }

export const getOpds = (signal?: AbortSignal) => get<{ items: Hub[] }>('/api/public/telemedicine/opds', undefined, signal);
export const sendCode = (mobile: string) =>
  api<{ challengeId: string; expiresAt: string; sentTo: string; channel: 'log' | 'http' }>('POST', '/api/public/telemedicine/otp', { body: { mobile } });
export const book = (body: {
  mobile: string; challengeId: string; code: string; hubId: string; specialty: string; stateNumber?: string; patient?: NewHomePatient; complaint?: string;
}) => api<Booking>('POST', '/api/public/telemedicine/requests', { body });

/** Find my place: the open bookings of the mobile, confirmed by a code sent to it; each comes back with a new key. */
export const findPlace = (body: { mobile: string; challengeId: string; code: string }) =>
  api<{ items: Booking[] }>('POST', '/api/public/telemedicine/find', { body });

const path = (id: string) => `/api/public/telemedicine/requests/${encodeURIComponent(id)}`;
export const getBooking = (id: string, key: string, signal?: AbortSignal) => get<TeleRequest>(path(id), { key }, signal);
export const leaveQueue = (id: string, key: string) => api<TeleRequest>('POST', `${path(id)}/cancel?key=${encodeURIComponent(key)}`);
export const eventsUrl = (id: string, key: string) => `${path(id)}/events?key=${encodeURIComponent(key)}`;
export const prescriptionUrl = (id: string, key: string) => `${path(id)}/prescription.pdf?key=${encodeURIComponent(key)}`;
export const waitingRoomHash = (id: string, key: string) => `#/opd/wait/${encodeURIComponent(id)}?key=${encodeURIComponent(key)}`;

/**
 * Districts a citizen may give as their home. The public list is asked of the server; a server without
 * it (404) leaves the form asking for the district's LGD code instead.
 */
export async function getDistricts(signal?: AbortSignal): Promise<District[] | null> {
  // A plain fetch: a 401 or 404 here must not end a staff session that happens to be open.
  const res = await fetch('/api/public/districts', { headers: { Accept: 'application/json' }, signal });
  if (!res.ok) return null;
  return ((await res.json()) as { items: District[] }).items;
}

const LAST = 'swasthya.opd.last';
/** The last booking made on this device, so a closed tab can find its waiting room again. */
export function lastBooking(): { id: string; key: string; token: number } | null {
  try {
    const v = JSON.parse(localStorage.getItem(LAST) ?? 'null') as { id: string; key: string; token: number } | null;
    return v && typeof v.id === 'string' && typeof v.key === 'string' ? v : null;
  } catch {
    return null;
  }
}
export function rememberBooking(b: { id: string; key: string; token: number } | null): void {
  try {
    if (b) localStorage.setItem(LAST, JSON.stringify({ id: b.id, key: b.key, token: b.token }));
    else localStorage.removeItem(LAST);
  } catch {
    /* private mode */
  }
}
