// The parts both server-side Chromium tests share: a test app served on a real port, and one
// Chromium (Debian's, headless) that resolves two made-up names to loopback, so the app and the
// webhooks can be two origins while nothing leaves the machine.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type BrowserContext } from 'playwright-core';
import { createTestApp, type TestApp } from './support.ts';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Two names for 127.0.0.1 inside the browser: [app, webhooks]. */
export const HOSTS = ['app.keyflow.test', 'hooks.keyflow.test'] as const;

export async function freePort(): Promise<number> {
  const probe: Server = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export interface Served {
  t: TestApp;
  server: ServerType;
}

/** An embedded test app listening on 127.0.0.1:`port` with `env` on top of the test defaults. */
export async function serveTestApp(port: number, env: Record<string, string>): Promise<Served> {
  const t = await createTestApp('pglite', { PORT: String(port), ...env });
  const server = serve({ fetch: t.app.fetch, port, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return { t, server };
}

export async function stopServed(s: Served | undefined): Promise<void> {
  if (!s) return;
  // Chromium keeps connections alive; close() alone would wait for them.
  const closed = new Promise<void>((resolve) => s.server.close(() => resolve()));
  if ('closeAllConnections' in s.server) s.server.closeAllConnections();
  await closed;
  await s.t.close();
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Chromium with a throw-away profile, HOSTS mapped to loopback. */
export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'kf-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [...FLAGS, `--host-resolver-rules=${HOSTS.map((h) => `MAP ${h} 127.0.0.1`).join(',')}`],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
