// Serves the built editor (editor/dist): hashed files under /assets/ are cached for a year
// (their names change with their content), index.html is revalidated on every load so a new
// build is picked up at once, and every client-side route (/, /login, /workflows/:id …) gets
// index.html. A missing asset is a 404, never index.html: a stale tab asking for an old chunk
// must fail loudly, not parse HTML as JavaScript. An asset the build pre-compressed (foo.js.br,
// foo.js.gz beside foo.js: scripts/build-editor.mjs) is sent compressed when the browser's
// Accept-Encoding allows, brotli first, with Vary: Accept-Encoding. Without a build, a small page says how to
// reach the API. The CSP comes from the security-headers middleware like every response.
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { errorBody } from '../http/error-handler.ts';
import type { AppEnv } from '../http/types.ts';

const defaultDist = fileURLToPath(new URL('../../../editor/dist/', import.meta.url));
const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
// Files whose URL never changes but whose content does with each build: the service worker (the
// browser must see a new one at once, or old shells linger) and the web app manifest.
const UNHASHED_APP_FILES = new Set(['index.html', 'sw.js', 'manifest.webmanifest']);

const fallback = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Keyflow</title></head>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto;line-height:1.5">
<h1>Keyflow is running</h1><p>The editor is not built: run <code>npm start</code> (it builds it) or <code>node scripts/build-editor.mjs</code>.</p>
<p>The API is at <code>/api</code>; its description is at <a href="/api/openapi.json">/api/openapi.json</a>.</p></body></html>`;

/** Pre-compressed variants, in the order they are preferred. */
const ENCODINGS = [
  { name: 'br', ext: '.br' },
  { name: 'gzip', ext: '.gz' },
] as const;
const COMPRESSIBLE = new Set(['.js', '.mjs', '.css', '.svg', '.json', '.wasm', '.txt']);

/**
 * Whether an Accept-Encoding header allows `coding` (RFC 9110 §12.5.3): listed, or covered by
 * `*`, with a q-value above zero; `identity` and absent headers allow nothing compressed.
 */
export function acceptsEncoding(header: string | undefined, coding: string): boolean {
  if (!header) return false;
  let star: boolean | undefined;
  for (const part of header.split(',')) {
    const [token = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const allowed = q === undefined || Number(q.slice(2)) > 0;
    if (token.trim() === coding) return allowed;
    if (token.trim() === '*') star = allowed;
  }
  return star ?? false;
}

async function fileAt(path: string): Promise<Buffer | null> {
  try {
    const st = await stat(path);
    return st.isFile() ? await readFile(path) : null;
  } catch {
    return null;
  }
}

/** `dist`: the build folder (tests pass their own). */
export function editorRoutes(dist: string = defaultDist): Hono<AppEnv> {
  const root = dist.endsWith(sep) ? dist : dist + sep;
  const app = new Hono<AppEnv>();
  const notFound = (what: string) => new Response(JSON.stringify(errorBody('not_found', `no ${what}`)), { status: 404, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } });

  app.get('*', async (c) => {
    const path = c.req.path;
    if (path.startsWith('/api/') || path.startsWith('/hooks/')) return c.notFound();
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return notFound('such file');
    }
    // Split on both separators after decoding, so "..%2f" or "..\\" cannot climb out either.
    const segments = decoded.split(/[/\\]+/).filter(Boolean);
    if (decoded.includes('\0') || segments.some((s) => s === '..' || s === '.')) {
      return c.json(errorBody('bad_path', 'the path may not contain "." or ".." segments'), 400);
    }
    // Dotfiles (the build stamp, anything a tool leaves) are not part of the app.
    if (segments.some((s) => s.startsWith('.'))) return notFound('such file');
    const file = join(root, ...segments);
    if (!file.startsWith(root)) return c.json(errorBody('bad_path', 'the path leaves the editor folder'), 400);

    const isAsset = segments[0] === 'assets';
    if (segments.length > 0 && extname(file) !== '') {
      const body = await fileAt(file);
      if (!body) return notFound(isAsset ? `asset ${segments.slice(1).join('/')} (the editor may have been rebuilt: reload the page)` : 'such file');
      const headers: Record<string, string> = {
        'Content-Type': types[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'Cache-Control': isAsset ? IMMUTABLE : segments.length === 1 && UNHASHED_APP_FILES.has(segments[0]!) ? REVALIDATE : 'public, max-age=3600',
      };
      // Only hashed assets have variants (the build writes none for the unhashed app files).
      if (isAsset && COMPRESSIBLE.has(extname(file).toLowerCase())) {
        headers.Vary = 'Accept-Encoding';
        const accept = c.req.header('accept-encoding');
        for (const enc of ENCODINGS) {
          if (!acceptsEncoding(accept, enc.name)) continue;
          const packed = await fileAt(file + enc.ext);
          if (packed) return c.body(new Uint8Array(packed), 200, { ...headers, 'Content-Encoding': enc.name });
        }
      }
      return c.body(new Uint8Array(body), 200, headers);
    }
    if (isAsset) return notFound('asset listing');
    // A client-side route: the app's page, revalidated so a new build is never missed.
    const index = join(root, 'index.html');
    const html = existsSync(index) ? await readFile(index, 'utf8') : fallback;
    return c.html(html, 200, { 'Cache-Control': REVALIDATE });
  });
  return app;
}
