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

/** Registers the service worker of the built app (not under the Vite dev server). */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const register = () => navigator.serviceWorker.register('/sw.js').catch((err: unknown) => {
    console.warn('service worker not registered: the app will not open offline', err);
  });
  if (document.readyState === 'complete') void register();
  else window.addEventListener('load', () => void register(), { once: true });
}

