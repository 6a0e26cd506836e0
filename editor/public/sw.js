// Keyflow's service worker: makes the editor installable and its shell load without a network.
// It caches only the shell: the page (network first, the cached copy when offline) and the
// build's hashed files under /assets/ (cache first: their names change with their content).
// Everything else, above all /api/ and /hooks/, goes to the network untouched: API answers are
// per-person and live, and a webhook path belongs to a tenant's workflow.
'use strict';

const SHELL_CACHE = 'keyflow-shell-v1';
const ASSET_LIMIT = 120; // old builds' chunks are dropped, oldest first, past this many
const NEVER = ['/api/', '/hooks/', '/healthz'];

/** How a request is answered: 'network' (not touched), 'page' or 'asset'. Exposed for tests. */
function strategyFor(request, origin) {
  if (request.method !== 'GET') return 'network';
  const url = new URL(request.url);
  if (url.origin !== origin) return 'network';
  if (NEVER.some((p) => url.pathname === p.replace(/\/$/, '') || url.pathname.startsWith(p))) return 'network';
  if (request.mode === 'navigate') return 'page';
  if (url.pathname.startsWith('/assets/') && !url.search) return 'asset';
  return 'network';
}

async function trimAssets(cache) {
  const keys = (await cache.keys()).filter((r) => new URL(r.url).pathname.startsWith('/assets/'));
  for (const old of keys.slice(0, Math.max(0, keys.length - ASSET_LIMIT))) await cache.delete(old);
}

async function page(request) {
  const cache = await caches.open(SHELL_CACHE);
  try {
    const fresh = await fetch(request);
    // Only the app's own page is kept: never an error, a redirect (log-in) or another file.
    if (fresh.ok && !fresh.redirected && (fresh.headers.get('content-type') || '').startsWith('text/html')) await cache.put('/', fresh.clone());
    return fresh;
  } catch (err) {
    const cached = await cache.match('/');
    if (cached) return cached;
    throw err;
  }
}

async function asset(request) {
  const cache = await caches.open(SHELL_CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const fresh = await fetch(request);
  if (fresh.ok) {
    await cache.put(request, fresh.clone());
    await trimAssets(cache);
  }
  return fresh;
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.add(new Request('/', { cache: 'no-cache' })).catch(() => undefined))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith('keyflow-') && n !== SHELL_CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const how = strategyFor(event.request, self.location.origin);
  if (how === 'page') event.respondWith(page(event.request));
  else if (how === 'asset') event.respondWith(asset(event.request));
  // 'network': no respondWith, so the browser fetches as if there were no worker.
});

self.keyflowStrategyFor = strategyFor;
