// The claims' local adapter: what the ASHA's phone keeps while it has no network, in IndexedDB (a claim
// may carry a photo, too large for localStorage), per signed-in user so that a shared phone never
// mixes two ASHAs' claims. A claim stays here only until the server has it; then it is removed.
// The catalogue and the last list of her claims from the server (no patient data) are kept in
// localStorage so the screen opens offline.
import { useEffect, useState } from 'react';
import type { Activity, ClaimBody, Flag, MyClaims } from './asha.api.ts';

const DB_NAME = 'swasthya-asha';
const STORE = 'claims';
const CHANGED = 'swasthya:asha-store';

export interface LocalClaim {
  clientId: string;
  userId: string;
  body: ClaimBody;
  /** The activity's names and amount as the phone knew them when the claim was made. */
  nameEn: string;
  nameHi: string | null;
  amount: number;
  savedAt: string;
  /** pending: waiting to send; refused: the server would not take it (the reason in `problem`). */
  status: 'pending' | 'refused';
  problem?: string;
  flags?: Flag[];
}

/** Thrown when the phone's storage refused the claim: it was not kept. */
export class StorageError extends Error {}

let dbPromise: Promise<IDBDatabase> | null = null;

function openDb(): Promise<IDBDatabase> {
  dbPromise ??= new Promise<IDBDatabase>((resolve, reject) => {
    if (typeof indexedDB === 'undefined') {
      reject(new StorageError('no IndexedDB'));
      return;
    }
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(STORE)) {
        const store = db.createObjectStore(STORE, { keyPath: 'clientId' });
        store.createIndex('userId', 'userId');
      }
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new StorageError(req.error?.message ?? 'IndexedDB refused'));
    req.onblocked = () => reject(new StorageError('IndexedDB blocked'));
  }).catch((err: unknown) => {
    dbPromise = null;
    throw err instanceof StorageError ? err : new StorageError(String(err));
  });
  return dbPromise;
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(new StorageError(tx.error?.message ?? 'storage error'));
    tx.onabort = () => reject(new StorageError(tx.error?.message ?? 'storage full'));
  });
}

function changed(): void {
  window.dispatchEvent(new Event(CHANGED));
}

/** The user's claims kept on the phone, oldest first (the order they are sent in). */
export async function loadClaims(userId: string): Promise<LocalClaim[]> {
  const db = await openDb();
  const tx = db.transaction(STORE, 'readonly');
  const req = tx.objectStore(STORE).index('userId').getAll(IDBKeyRange.only(userId));
  const list = await new Promise<LocalClaim[]>((resolve, reject) => {
    req.onsuccess = () => resolve(req.result as LocalClaim[]);
    req.onerror = () => reject(new StorageError(req.error?.message ?? 'storage error'));
  });
  return list.sort((a, b) => a.savedAt.localeCompare(b.savedAt));
}

/** Keeps the claim (or replaces the one with the same client id). */
export async function putClaim(claim: LocalClaim): Promise<void> {
  const db = await openDb();
  const tx = db.transaction(STORE, 'readwrite');
  tx.objectStore(STORE).put(claim);
  await done(tx);
  changed();
}

/** Changes one kept claim, if it is still there; `change` returning null removes it. */
export async function updateClaim(clientId: string, change: (c: LocalClaim) => LocalClaim | null): Promise<void> {
  const db = await openDb();
  const tx = db.transaction(STORE, 'readwrite');
  const store = tx.objectStore(STORE);
  const req = store.get(clientId);
  req.onsuccess = () => {
    const found = req.result as LocalClaim | undefined;
    if (!found) return;
    const next = change(found);
    if (next) store.put(next);
    else store.delete(clientId);
  };
  await done(tx);
  changed();
}

export const removeClaim = (clientId: string) => updateClaim(clientId, () => null);

/** The user's kept claims, read again whenever the store changes in this tab. null while first read. */
export function useLocalClaims(userId: string): { claims: LocalClaim[] | null; storageError: boolean } {
  const [claims, setClaims] = useState<LocalClaim[] | null>(null);
  const [storageError, setStorageError] = useState(false);
  useEffect(() => {
    let live = true;
    const read = () => {
      loadClaims(userId)
        .then((list) => { if (live) { setClaims(list); setStorageError(false); } })
        .catch(() => { if (live) { setClaims([]); setStorageError(true); } });
    };
    read();
    window.addEventListener(CHANGED, read);
    return () => {
      live = false;
      window.removeEventListener(CHANGED, read);
    };
  }, [userId]);
  return { claims, storageError };
}

// ---- not patient data, kept in localStorage so the screen opens offline

const catalogueKey = (userId: string) => `swasthya.asha.${userId}.activities`;
const mineKey = (userId: string) => `swasthya.asha.${userId}.mine`;

function readJson<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

function writeJson(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* fetched again next time */
  }
}

export const loadCatalogue = (userId: string) => readJson<Activity[]>(catalogueKey(userId));
export const saveCatalogue = (userId: string, items: Activity[]) => writeJson(catalogueKey(userId), items);
export const loadMine = (userId: string) => readJson<MyClaims>(mineKey(userId));
export const saveMine = (userId: string, mine: MyClaims) => writeJson(mineKey(userId), mine);
