/// <reference types="vite/client" />
// What lets the app open with no network: the service worker (web/src/sw.ts, built to /sw.js with
// Workbox) serves the app shell and every chunk of the build, precached, and the signed-in user (who
// they are, not any patient data) is remembered so that a reload offline does not fall back to the
// login page.
import { ApiError } from '../../api.ts';
import type { Me } from '../auth/session.tsx';

const ME_KEY = 'swasthya.me';

/** Remembers who is signed in, for an offline start. */
export function rememberMe(me: Me): void {
  try {
    localStorage.setItem(ME_KEY, JSON.stringify(me));
  } catch {
    /* private mode: no offline start */
  }
}

export function forgetMe(): void {
  try {
    localStorage.removeItem(ME_KEY);
  } catch {
    /* ignore */
  }
}

/** The remembered user when `err` is a failure to reach the server (not a refused session). */
export function offlineMe(err: unknown): Me | null {
  if (!(err instanceof ApiError && err.status === 0)) return null;
  try {
    const raw = localStorage.getItem(ME_KEY);
    return raw ? (JSON.parse(raw) as Me) : null;
  } catch {
    return null;
  }
}

const RELOADED_KEY = 'swasthya.reloadedForChunk';

/**
 * A screen's chunk that cannot be loaded is, most often, one of a version replaced while this page
 * was open (the new service worker dropped the old chunks, the server no longer has them): the page
 * is loaded again, and names the new version's chunks. Not twice within a minute, so a chunk that is
 * really missing shows its error instead of reloading for ever.
 */
function reloadOnMissingChunk(): void {
  window.addEventListener('vite:preloadError', (event) => {
    try {
      if (Date.now() - Number(sessionStorage.getItem(RELOADED_KEY) ?? 0) < 60_000) return;
      sessionStorage.setItem(RELOADED_KEY, String(Date.now()));
    } catch {
      return;
    }
    event.preventDefault();
    window.location.reload();
  });
}

/** Registers the service worker of the built app (not under the Vite dev server). */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD) return;
  reloadOnMissingChunk();
  if (!('serviceWorker' in navigator)) return;
  const register = () => navigator.serviceWorker.register('/sw.js').catch((err: unknown) => {
    console.warn('service worker not registered: the app will not open offline', err);
  });
  if (document.readyState === 'complete') void register();
  else window.addEventListener('load', () => void register(), { once: true });
}

