// Serves the built editor (editor/dist) when present, else a small page that says how to
// reach the API. The editor's own issue fills in the canvas.
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { AppEnv } from '../http/types.ts';

const dist = fileURLToPath(new URL('../../../editor/dist/', import.meta.url));
const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.png': 'image/png', '.ico': 'image/x-icon', '.woff2': 'font/woff2' };

const fallback = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Keyflow</title></head>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto;line-height:1.5">
<h1>Keyflow is running</h1><p>The API is at <code>/api</code>; its description is at <a href="/api/openapi.json">/api/openapi.json</a>.</p>
<p>Sign up with <code>POST /api/auth/signup</code>, then create workflows with <code>POST /api/workflows</code>.</p></body></html>`;

export function editorRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('*', (c) => {
    if (c.req.path.startsWith('/api/') || c.req.path.startsWith('/hooks/')) return c.notFound();
    const rel = normalize(decodeURIComponent(c.req.path)).replace(/^([/\\])+/, '');
    const file = join(dist, rel);
    if (rel && file.startsWith(dist) && !rel.split(sep).includes('..') && existsSync(file) && extname(file)) {
      return c.body(readFileSync(file), 200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream', 'X-Content-Type-Options': 'nosniff' });
    }
    const index = join(dist, 'index.html');
    return c.html(existsSync(index) ? readFileSync(index, 'utf8') : fallback);
  });
  return app;
}
