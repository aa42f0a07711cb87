/*
 * Service worker (production builds only): the app shell and its assets are cached at install, so
 * after the first visit the app opens and works offline. Models are cached by the app itself in
 * IndexedDB. Pages and the model catalog are network-first (updates arrive when online), assets
 * cache-first (they are content-hashed). Only same-origin GET requests are handled; nothing is ever
 * sent anywhere.
 * The build fills in the two tokens below.
 */
const CACHE = 'whats-in-the-picture-__CACHE_VERSION__';
const PRECACHE = __PRECACHE_MANIFEST__;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith('whats-in-the-picture-') && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

/** The network's answer (kept for next time), else the cached copy; a page falls back to the app's start page. */
async function networkFirst(request, isPage) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached =
      (await cache.match(request, { ignoreVary: true })) ??
      (isPage ? await cache.match('./', { ignoreSearch: true, ignoreVary: true }) : undefined);
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request) {
  // ignoreVary: hosts send `Vary: Origin`, and module scripts are requested with an Origin header.
  const cached = await caches.match(request, { ignoreSearch: true, ignoreVary: true });
  return cached ?? fetch(request);
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(networkFirst(request, true));
    return;
  }
  // The list of models: a deployer may change it at any time, and the app needs it to start offline.
  if (url.pathname.endsWith('/models/catalog.json')) {
    event.respondWith(networkFirst(request, false));
    return;
  }
  // Model weights are cached by the app in IndexedDB; keep them out of this cache (they are 100 MB).
  if (url.pathname.includes('/models/') && !url.pathname.endsWith('imagenet_class_index.json')) return;
  event.respondWith(cacheFirst(request));
});
