// Serving the built editor: immutable hashed assets, index.html revalidated, client routes fall
// back to index.html, a missing asset is a 404 (not HTML), no path climbs out of dist, and the
// app's CSP is on the page. A fixture dist keeps this independent of a real build.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editorRoutes } from '../src/routes/editor.routes.ts';
import type { AppEnv } from '../src/http/types.ts';
import { createTestApp, type TestApp } from './support.ts';

let base: string;
let dist: string;
let app: Hono<AppEnv>;
const INDEX = '<!doctype html><title>Keyflow test build</title><script type="module" src="/assets/index-abc123.js"></script>';

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'kf-editor-dist-'));
  dist = join(base, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), INDEX);
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log("app")');
  writeFileSync(join(dist, 'assets', 'index-abc123.css'), 'body{}');
  writeFileSync(join(dist, 'favicon.svg'), '<svg/>');
  writeFileSync(join(dist, '.keyflow-build'), 'production\n');
  // Beside dist, where a traversal would land.
  writeFileSync(join(base, 'secret.txt'), 'do not serve');
  app = new Hono<AppEnv>();
  app.route('/', editorRoutes(dist));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const get = (path: string) => app.request(path);

describe('editor serving', () => {
  it('serves hashed assets immutable with their type, and index.html with no-cache', async () => {
    const js = await get('/assets/index-abc123.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await js.text()).toBe('console.log("app")');
    const css = await get('/assets/index-abc123.css');
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);

    const root = await get('/');
    expect(root.status).toBe(200);
    expect(root.headers.get('cache-control')).toBe('no-cache');
    expect(root.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await root.text()).toBe(INDEX);
    expect((await get('/favicon.svg')).headers.get('cache-control')).not.toMatch(/immutable/);
  });

  it('answers client-side routes with index.html', async () => {
    for (const path of ['/login', '/signup?next=%2F', '/workflows/6f1c0c52-3a59-4f57-9a57-cc0b1b0b9a10', '/some/deep/route']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('no-cache');
      expect(await res.text(), path).toBe(INDEX);
    }
  });

  it('answers a missing asset or file with 404, never index.html', async () => {
    for (const path of ['/assets/index-old999.js', '/assets/', '/assets', '/favicon.ico', '/assets/sub/x.css', '/.keyflow-build']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toContain('<!doctype html>');
    }
  });

  it('refuses paths that climb out of dist', async () => {
    for (const path of ['/assets/..%2f..%2fsecret.txt', '/..%2fsecret.txt', '/assets/..%5c..%5csecret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/assets/x%00.js']) {
      const res = await get(path);
      expect([400, 404], path).toContain(res.status);
      expect(await res.text(), path).not.toContain('do not serve');
    }
    expect((await get('/assets/..%2f..%2fsecret.txt')).status).toBe(400);
  });

  it('leaves /api and /hooks to their own routes', async () => {
    expect((await get('/api/nope')).status).toBe(404);
    expect(await (await get('/api/nope')).text()).not.toContain('<!doctype html>');
    expect((await get('/hooks/nope')).status).toBe(404);
  });
});

describe('editor serving inside the app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(() => t.close());

  it('puts the app CSP (scripts from /assets/ only, no inline, no eval) on pages and assets', async () => {
    for (const path of ['/', '/workflows/6f1c0c52-3a59-4f57-9a57-cc0b1b0b9a10', '/assets/missing-000.js']) {
      const res = await t.request('GET', path);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toMatch(/script-src [^;]*\/assets\//);
      expect(csp, path).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(csp, path).not.toContain('unsafe-eval');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
    expect((await t.request('GET', '/assets/missing-000.js')).status).toBe(404);
  });
});
