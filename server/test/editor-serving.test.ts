// Serving the built editor: immutable hashed assets, index.html revalidated, client routes fall
// back to index.html, a missing asset is a 404 (not HTML), no path climbs out of dist, and the
// app's CSP is on the page; assets the build pre-compressed go out compressed when the browser
// accepts it. A fixture dist keeps this independent of a real build.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressAssets } from '../../scripts/build-editor.mjs';
import { acceptsEncoding, editorRoutes } from '../src/routes/editor.routes.ts';
import type { AppEnv } from '../src/http/types.ts';
import { createTestApp, type TestApp } from './support.ts';

let base: string;
let dist: string;
let app: Hono<AppEnv>;
// Big and repetitive enough that both compressed variants are smaller than it.
const BUNDLE = `export const rows = [${Array.from({ length: 400 }, (_, i) => `{ id: ${i}, label: "row ${i}" }`).join(', ')}];\n`;
const INDEX = '<!doctype html><title>Keyflow test build</title><script type="module" src="/assets/index-abc123.js"></script>';

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'kf-editor-dist-'));
  dist = join(base, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), INDEX);
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log("app")');
  writeFileSync(join(dist, 'assets', 'index-abc123.css'), 'body{}');
  writeFileSync(join(dist, 'assets', 'bundle-def456.js'), BUNDLE);
  // The build's own step writes the variants (not a copy of it here).
  precompressAssets(join(dist, 'assets'));
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

  it('sends a pre-compressed asset with Content-Encoding and Vary when accepted, bytes that decompress to the file', async () => {
    const path = '/assets/bundle-def456.js';
    // The build wrote both variants; 'body{}' is too small to gain, so it has none.
    expect(existsSync(join(dist, 'assets', 'bundle-def456.js.br'))).toBe(true);
    expect(existsSync(join(dist, 'assets', 'bundle-def456.js.gz'))).toBe(true);
    expect(existsSync(join(dist, 'assets', 'index-abc123.css.br'))).toBe(false);
    const req = (accept?: string) => app.request(path, accept === undefined ? {} : { headers: { 'Accept-Encoding': accept } });
    const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());

    const br = await req('gzip, deflate, br, zstd');
    expect(br.status).toBe(200);
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toBe('Accept-Encoding');
    expect(br.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const brBody = await bytes(br);
    expect(brBody.length).toBeLessThan(BUNDLE.length / 3);
    expect(brotliDecompressSync(brBody).toString('utf8')).toBe(BUNDLE);

    for (const accept of ['gzip', 'br;q=0, gzip;q=0.5', 'identity;q=0.2, gzip']) {
      const gz = await req(accept);
      expect(gz.headers.get('content-encoding'), accept).toBe('gzip');
      expect(gz.headers.get('vary'), accept).toBe('Accept-Encoding');
      expect(gunzipSync(await bytes(gz)).toString('utf8'), accept).toBe(BUNDLE);
    }
    for (const accept of [undefined, '', 'identity', 'br;q=0, gzip;q=0', 'deflate', '*;q=0']) {
      const raw = await req(accept);
      expect(raw.headers.get('content-encoding'), String(accept)).toBeNull();
      expect(raw.headers.get('vary'), String(accept)).toBe('Accept-Encoding');
      expect((await bytes(raw)).toString('utf8'), String(accept)).toBe(BUNDLE);
    }
    // An asset without variants goes out as it is, whatever is accepted.
    const css = await get('/assets/index-abc123.css');
    expect(css.headers.get('content-encoding')).toBeNull();
    expect(await (await app.request('/assets/index-abc123.css', { headers: { 'Accept-Encoding': 'br' } })).text()).toBe('body{}');
    // index.html is never served compressed from a stray variant.
    writeFileSync(join(dist, 'index.html.br'), 'not html');
    const page = await app.request('/', { headers: { 'Accept-Encoding': 'br' } });
    expect(page.headers.get('content-encoding')).toBeNull();
    expect(await page.text()).toBe(INDEX);
    expect(readFileSync(join(dist, 'assets', 'bundle-def456.js'), 'utf8')).toBe(BUNDLE);
  });

  it('reads Accept-Encoding with its q-values', () => {
    expect(acceptsEncoding('gzip, br', 'br')).toBe(true);
    expect(acceptsEncoding('GZIP;Q=1', 'gzip')).toBe(true);
    expect(acceptsEncoding('br;q=0', 'br')).toBe(false);
    expect(acceptsEncoding('br; q=0.0', 'br')).toBe(false);
    expect(acceptsEncoding('*', 'br')).toBe(true);
    expect(acceptsEncoding('*;q=0, gzip', 'br')).toBe(false);
    expect(acceptsEncoding('gzip;q=0, *', 'gzip')).toBe(false);
    expect(acceptsEncoding('identity', 'gzip')).toBe(false);
    expect(acceptsEncoding(undefined, 'gzip')).toBe(false);
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
