// The installable app: the service worker and the web app manifest are served from the root
// with revalidation (a new build's worker is seen at once), the right types, and a CSP that
// admits exactly /sw.js as a worker — not 'self', which would also admit /hooks/*, the one
// path a tenant controls — while scripts still come only from /assets/.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editorRoutes } from '../src/routes/editor.routes.ts';
import type { AppEnv } from '../src/http/types.ts';
import { createTestApp, type TestApp } from './support.ts';

let base: string;
let app: Hono<AppEnv>;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'kf-pwa-dist-'));
  mkdirSync(join(base, 'assets'), { recursive: true });
  writeFileSync(join(base, 'index.html'), '<!doctype html><link rel="manifest" href="/manifest.webmanifest">');
  writeFileSync(join(base, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  writeFileSync(join(base, 'manifest.webmanifest'), '{"name":"Keyflow"}');
  app = new Hono<AppEnv>();
  app.route('/', editorRoutes(base));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('service worker and manifest files', () => {
  it('serves /sw.js as JavaScript, revalidated on every load', async () => {
    const res = await app.request('/sw.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });

  it('serves the manifest with its registered media type, revalidated', async () => {
    const res = await app.request('/manifest.webmanifest');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/manifest+json');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.json()).toEqual({ name: 'Keyflow' });
  });
});

describe('the app CSP for the installable app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(() => t.close());

  const directive = (csp: string, name: string) => csp.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `));

  it('allows exactly /sw.js as a worker and the manifest from the app origin', async () => {
    for (const path of ['/', '/sw.js', '/connections']) {
      const csp = (await t.request('GET', path)).headers.get('content-security-policy') ?? '';
      const worker = directive(csp, 'worker-src');
      expect(worker, path).toBeDefined();
      const sources = worker!.split(/\s+/).slice(1);
      expect(sources.length, path).toBeGreaterThan(0);
      for (const s of sources) expect(s, path).toMatch(/^https?:\/\/[^/]+\/sw\.js$/);
      expect(directive(csp, 'manifest-src'), path).toBe("manifest-src 'self'");
      // Scripts are still only the build's assets.
      for (const s of directive(csp, 'script-src')!.split(/\s+/).slice(1)) expect(s, path).toMatch(/\/assets\/$/);
    }
  });

  it('keeps webhook answers sandboxed, with no worker allowed', async () => {
    const csp = (await t.request('GET', '/hooks/00000000-0000-4000-8000-000000000000')).headers.get('content-security-policy') ?? '';
    expect(csp).toBe("sandbox; default-src 'none'");
  });
});
