// The survey's local adapter: what the phone keeps in localStorage, per signed-in user, so that a
// shared phone never mixes two enumerators' households. Households (patient data) stay only until
// they are synced and cleared; the list of assigned areas (not patient data) is kept for offline use.
import { useSyncExternalStore } from 'react';
import type { Area } from './survey.api.ts';
import type { LocalHousehold } from './household.ts';

const PREFIX = 'swasthya.survey.';
const CHANGED = 'swasthya:survey-store';

const householdsKey = (userId: string) => `${PREFIX}${userId}.households`;
const areasKey = (userId: string) => `${PREFIX}${userId}.areas`;

/** Thrown when the phone's storage is full or refused: the household was not kept. */
export class StorageFullError extends Error {}

function read<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}

function write(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    throw new StorageFullError('storage full');
  }
  window.dispatchEvent(new Event(CHANGED));
}

export function loadHouseholds(userId: string): LocalHousehold[] {
  const list = read<LocalHousehold[]>(householdsKey(userId), []);
  return Array.isArray(list) ? list : [];
}

/** Adds the household, or replaces the one with the same client id (an edited refusal). */
export function putHousehold(userId: string, h: LocalHousehold): void {
  const list = loadHouseholds(userId);
  const i = list.findIndex((x) => x.clientId === h.clientId);
  if (i >= 0) list[i] = h;
  else list.unshift(h);
  write(householdsKey(userId), list);
}

/** Applies `change` to the households with these client ids (the others are left as they are). */
export function updateHouseholds(userId: string, change: (h: LocalHousehold) => LocalHousehold | null): void {
  const next: LocalHousehold[] = [];
  for (const h of loadHouseholds(userId)) {
    const c = change(h);
    if (c) next.push(c);
  }
  write(householdsKey(userId), next);
}

export function removeHousehold(userId: string, clientId: string): void {
  updateHouseholds(userId, (h) => (h.clientId === clientId ? null : h));
}

/** Removes synced households from the phone (they are on the server now). */
export function clearSynced(userId: string): void {
  updateHouseholds(userId, (h) => (h.status === 'synced' ? null : h));
}

export function loadAreas(userId: string): Area[] | null {
  return read<Area[] | null>(areasKey(userId), null);
}

export function saveAreas(userId: string, areas: Area[]): void {
  try {
    write(areasKey(userId), areas);
  } catch {
    /* the list is fetched again next time */
  }
}

function subscribe(onChange: () => void): () => void {
  const onStorage = (e: StorageEvent) => e.key?.startsWith(PREFIX) && onChange();
  window.addEventListener(CHANGED, onChange);
  window.addEventListener('storage', onStorage);
  return () => {
    window.removeEventListener(CHANGED, onChange);
    window.removeEventListener('storage', onStorage);
  };
}

/** The user's households, re-read whenever the store changes (in this tab or another). */
export function useHouseholds(userId: string): LocalHousehold[] {
  const raw = useSyncExternalStore(subscribe, () => {
    try {
      return localStorage.getItem(householdsKey(userId)) ?? '[]';
    } catch {
      return '[]';
    }
  });
  return parseList(raw);
}

// useSyncExternalStore needs a stable snapshot: parse once per distinct string.
let lastRaw = '';
let lastList: LocalHousehold[] = [];
function parseList(raw: string): LocalHousehold[] {
  if (raw !== lastRaw) {
    lastRaw = raw;
    try {
      const v = JSON.parse(raw) as unknown;
      lastList = Array.isArray(v) ? (v as LocalHousehold[]) : [];
    } catch {
      lastList = [];
    }
  }
  return lastList;
}
