/// <reference lib="webworker" />
// Swasthya's service worker (built to /sw.js by vite-plugin-pwa with Workbox; registered by
// features/survey/offline.ts): once visited, the app opens with no network (an ASHA's phone in a village).
//  - every file of the build (index.html, each screen's chunk, styles, the icon) is precached when the
//    worker installs, with its revision; a new build's worker replaces them all, and removes the old.
//    So a screen never opened before still opens offline.
//  - pages (the app shell, "/"): network first, so a new version shows when online; the precached
//    index.html when the network fails or is slower than a few seconds.
//  - /api and /fhir: not touched at all, so no answer of the API (patient data) is ever cached. What
//    the survey keeps offline it keeps itself, in IndexedDB (survey.store.ts).
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, matchPrecache, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<PrecacheEntry | string> };

const NETWORK_WAIT_MS = 4000;
/** The caches of the hand-written worker this one replaced. */
const OLD_CACHES = ['swasthya-shell-v1', 'swasthya-assets-v1'];

/** The page from the network, or the precached index.html when the network fails or is slow. */
async function page({ request }: { request: Request }): Promise<Response> {
  const network = fetch(request);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), NETWORK_WAIT_MS);
  });
  try {
    const first = await Promise.race([network, late]);
    if (first !== 'late') return first;
  } catch {
    /* no network: the precached shell */
  } finally {
    clearTimeout(timer);
  }
  const shell = await matchPrecache('index.html');
  return shell ?? network;
}

// Registered before the precache's own route, which would answer "/" from the cache first.
registerRoute(new NavigationRoute(page, { denylist: [/^\/api(\/|$)/, /^\/fhir(\/|$)/] }));
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// A new worker takes over at once (it is installed only with everything precached).
void self.skipWaiting();
clientsClaim();

self.addEventListener('activate', (event) => {
  event.waitUntil(Promise.all(OLD_CACHES.map((name) => caches.delete(name))));
});
