// Swasthya's service worker: once visited, the app opens with no network (an ASHA's phone in a
// village). Registered by web/src/features/survey/offline.ts.
//  - pages (the app shell, "/"): network first, so a new version shows when online; the cached copy
//    when the network fails or is slower than a few seconds.
//  - built assets (/assets/…, content-hashed names): cache first.
//  - /api and /fhir: not touched at all, so no answer of the API (patient data) is ever cached.
'use strict';

const SHELL = 'swasthya-shell-v1';
const ASSETS = 'swasthya-assets-v1';
const NETWORK_WAIT_MS = 4000;

const isApi = (url) => url.pathname.startsWith('/api/') || url.pathname === '/api' || url.pathname.startsWith('/fhir/');

/** The /assets/… files the page loads (scripts, styles, preloads). */
function assetUrls(html) {
  return [...new Set([...html.matchAll(/(?:src|href)="(\/assets\/[^"?#]+)"/g)].map((m) => m[1]))];
}

/**
 * Keeps `response` (the page) as the shell, with every asset it names: the assets are fetched
 * first, so the cached shell never names an asset the cache lacks. Assets no page names any more
 * (an older version's) are removed.
 */
async function keepShell(response) {
  const html = await response.clone().text();
  const urls = assetUrls(html);
  const assets = await caches.open(ASSETS);
  await Promise.all(urls.map(async (u) => {
    if (await assets.match(u)) return;
    const res = await fetch(u, { cache: 'no-cache' });
    if (!res.ok) throw new Error(`${u} answered ${res.status}`);
    await assets.put(u, res);
  }));
  const shell = await caches.open(SHELL);
  await shell.put('/', response);
  const keep = new Set(urls.map((u) => new URL(u, self.location.origin).href));
  for (const req of await assets.keys()) {
    if (/\.(js|css)$/.test(new URL(req.url).pathname) && !keep.has(req.url)) await assets.delete(req);
  }
}

self.addEventListener('install', (event) => {
  // Installed only with the shell in the cache: a worker that is ready can open the app offline.
  event.waitUntil(
    fetch('/', { cache: 'no-cache' })
      .then((res) => {
        if (!res.ok) throw new Error(`/ answered ${res.status}`);
        return keepShell(res);
      })
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('swasthya-') && name !== SHELL && name !== ASSETS) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

/** The page: from the network, or the cached shell when the network fails or is slow. `done` settles once the cache is refreshed. */
function page(request) {
  let refreshed = Promise.resolve();
  const network = fetch(request).then((res) => {
    // Refresh the shell from the network answer whenever there is one (even if it came late).
    const html = (res.headers.get('content-type') || '').includes('text/html');
    if (res.ok && html) refreshed = keepShell(res.clone()).catch(() => undefined);
    return res;
  });
  const done = network.then(() => refreshed, () => undefined);
  const response = (async () => {
    const cached = await (await caches.open(SHELL)).match('/');
    if (!cached) return network;
    let timer;
    const late = new Promise((resolve) => {
      timer = setTimeout(() => resolve(cached), NETWORK_WAIT_MS);
    });
    try {
      return await Promise.race([network, late]);
    } catch {
      return cached;
    } finally {
      clearTimeout(timer);
    }
  })();
  return { response, done };
}

async function asset(request) {
  const assets = await caches.open(ASSETS);
  const hit = await assets.match(request);
  if (hit) return hit;
  const res = await fetch(request);
  if (res.ok && res.type === 'basic') await assets.put(request, res.clone());
  return res;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || isApi(url)) return;
  if (request.mode === 'navigate') {
    const { response, done } = page(request);
    event.respondWith(response);
    event.waitUntil(done);
  } else {
    event.respondWith(asset(request));
  }
});
