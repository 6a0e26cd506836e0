// The service worker (public/sw.js) run in a sandbox with a fake `self`, Cache Storage and
// network: it never answers /api/ or /hooks/ requests (nor other origins, nor non-GET), serves
// the page network-first with the cached shell offline, and keeps hashed assets cache-first.
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

const SOURCE = readFileSync(new URL('../../public/sw.js', import.meta.url), 'utf8');
const ORIGIN = 'https://keyflow.example';

type Listener = (event: { request?: Request; respondWith?(r: Promise<Response>): void; waitUntil?(p: Promise<unknown>): void }) => void;

function load(network: (req: Request) => Promise<Response>) {
  const listeners: Record<string, Listener> = {};
  const store = new Map<string, Response>();
  const keyOf = (r: Request | string) => (typeof r === 'string' ? new URL(r, ORIGIN).href : r.url);
  const cache = {
    match: (r: Request | string) => Promise.resolve(store.get(keyOf(r))?.clone()),
    put: (r: Request | string, res: Response) => {
      store.set(keyOf(r), res);
      return Promise.resolve();
    },
    add: async (r: Request) => void store.set(keyOf(r), await network(r)),
    keys: () => Promise.resolve([...store.keys()].map((k) => new Request(k))),
    delete: (r: Request) => Promise.resolve(store.delete(keyOf(r))),
  };
  const fetched: string[] = [];
  const self = {
    location: { origin: ORIGIN },
    addEventListener: (type: string, fn: Listener) => void (listeners[type] = fn),
    skipWaiting: () => Promise.resolve(),
    clients: { claim: () => Promise.resolve() },
  } as Record<string, unknown>;
  runInNewContext(SOURCE, {
    self,
    caches: { open: () => Promise.resolve(cache), keys: () => Promise.resolve([]), delete: () => Promise.resolve(true) },
    fetch: (r: Request) => {
      fetched.push(new URL(r.url).pathname);
      return network(r);
    },
    Request,
    Response,
    URL,
    Promise,
  });
  /** Dispatches a fetch event; answers the worker's response, or null when it left the request alone. */
  async function dispatch(path: string, init: RequestInit & { mode?: RequestMode } = {}): Promise<Response | null> {
    const { mode, ...rest } = init;
    const request = new Request(new URL(path, ORIGIN), rest);
    // Node's Request has no navigation mode; the worker reads `mode` like a browser's would.
    if (mode === 'navigate') Object.defineProperty(request, 'mode', { value: 'navigate' });
    let answer: Promise<Response> | null = null;
    listeners.fetch!({ request, respondWith: (r) => void (answer = r) });
    return answer;
  }
  return { dispatch, store, fetched };
}

const html = (body: string) => new Response(body, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' } });

describe('service worker', () => {
  it('leaves /api, /hooks, /healthz, other origins and non-GET requests to the network', async () => {
    const sw = load(() => Promise.resolve(new Response('{}')));
    for (const path of ['/api/auth/me', '/api/oauth/slack/start', '/hooks/abc', '/healthz', 'https://other.example/assets/x.js']) {
      expect(await sw.dispatch(path), path).toBeNull();
      expect(await sw.dispatch(path, { mode: 'navigate' }), `${path} (navigation)`).toBeNull();
    }
    expect(await sw.dispatch('/assets/index-abc.js', { method: 'POST', body: 'x' })).toBeNull();
    expect(sw.store.size).toBe(0);
  });

  it('serves pages network first and the cached shell when offline', async () => {
    let online = true;
    const sw = load((req) => (online ? Promise.resolve(html(`page for ${new URL(req.url).pathname}`)) : Promise.reject(new TypeError('offline'))));
    const first = await sw.dispatch('/costs', { mode: 'navigate' });
    expect(await first!.text()).toBe('page for /costs');
    online = false;
    const offline = await sw.dispatch('/connections', { mode: 'navigate' });
    expect(await offline!.text()).toBe('page for /costs');
  });

  it('never caches an error or a non-HTML page as the shell', async () => {
    const sw = load(() => Promise.resolve(new Response('{"error":{}}', { status: 500, headers: { 'content-type': 'application/json' } })));
    await sw.dispatch('/', { mode: 'navigate' });
    expect(sw.store.size).toBe(0);
  });

  it('keeps hashed assets cache first', async () => {
    const sw = load(() => Promise.resolve(new Response('console.log(1)', { headers: { 'content-type': 'text/javascript' } })));
    expect(await (await sw.dispatch('/assets/index-abc.js'))!.text()).toBe('console.log(1)');
    expect(await (await sw.dispatch('/assets/index-abc.js'))!.text()).toBe('console.log(1)');
    expect(sw.fetched.filter((p) => p === '/assets/index-abc.js')).toHaveLength(1);
    // Other files (the manifest, icons, sw.js itself) are not intercepted.
    expect(await sw.dispatch('/manifest.webmanifest')).toBeNull();
  });
});
