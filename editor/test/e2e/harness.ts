// End-to-end harness for the editor: builds it when stale, starts the real server as a child
// process (`keyflow start`, embedded mode, PGlite in a temp KEYFLOW_DATA_DIR, on a free port),
// drives Debian's Chromium with playwright-core, records every console error or warning and
// every uncaught page error (a test fails on any: call `assertNoProblems()` in afterEach),
// saves screenshots under editor/test/screenshots/, and closes everything it opened.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ensureEditorBuilt } from '../../../scripts/build-editor.mjs';

const root = fileURLToPath(new URL('../../../', import.meta.url));
export const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Problem {
  kind: 'console.error' | 'console.warning' | 'pageerror';
  text: string;
  url: string;
}

export interface Harness {
  baseUrl: string;
  browser: Browser;
  /** A fresh browser profile (its own cookies and storage), watched for problems. */
  newContext(): Promise<BrowserContext>;
  /** A page in `context` (a new context when omitted), watched for problems. */
  newPage(context?: BrowserContext): Promise<Page>;
  screenshot(page: Page, name: string): Promise<string>;
  /**
   * Chromium reports every 4xx response on the console ("Failed to load resource: … status of
   * 401"). A test that causes one on purpose (a wrong password, an expired session) names it
   * here; it is ignored for that request path until the next `assertNoProblems()`.
   */
  expectHttpError(status: number, path: string): void;
  problems(): Problem[];
  /** Throws listing every unexpected console error/warning or page error since the last call. */
  assertNoProblems(): void;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function startServer(port: number, dataDir: string, extraEnv: Record<string, string> = {}): Promise<{ child: ChildProcess; output: () => string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv, PORT: String(port), HOST: '127.0.0.1', KEYFLOW_PUBLIC_URL: `http://127.0.0.1:${port}`, KEYFLOW_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  // Embedded mode: no external database or queue.
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  delete env.KEYFLOW_WEBHOOK_URL;
  const child = spawn(process.execPath, [join(root, 'server/src/cli.ts'), 'start'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start within 45 s:\n${out}`));
    }, 45_000);
    const onData = () => {
      if (out.includes('Keyflow is running at')) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve({ child, output: () => out });
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before listening:\n${out}`));
    });
  });
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** `env`: extra server environment (a fake provider's KEYFLOW_<PROVIDER>_BASE_URL). */
export async function startHarness(opts: { env?: Record<string, string> } = {}): Promise<Harness> {
  ensureEditorBuilt((msg) => process.stderr.write(`[e2e] ${msg}\n`));
  mkdirSync(SCREENSHOTS, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'kf-e2e-data-'));
  const port = await freePort();
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  let browser: Browser | undefined;
  try {
    server = await startServer(port, dataDir, opts.env);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  } catch (err) {
    if (server) await stopServer(server.child);
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const baseUrl = `http://127.0.0.1:${port}`;
  let problems: Problem[] = [];
  let expected: { status: number; path: string }[] = [];
  const contexts: BrowserContext[] = [];

  const isExpected = (text: string, url: string) =>
    expected.some((e) => text.includes(`status of ${e.status}`) && (() => {
      try {
        return new URL(url).pathname === e.path;
      } catch {
        return false;
      }
    })());

  const watch = (page: Page) => {
    page.on('console', (msg) => {
      const type = msg.type();
      if (type !== 'error' && type !== 'warning') return;
      const url = msg.location().url;
      if (isExpected(msg.text(), url)) return;
      problems.push({ kind: type === 'error' ? 'console.error' : 'console.warning', text: msg.text(), url });
    });
    page.on('pageerror', (err) => problems.push({ kind: 'pageerror', text: `${err.name}: ${err.message}`, url: page.url() }));
    // Any alert() would mean an injected script ran; record it and dismiss it.
    page.on('dialog', (d) => {
      problems.push({ kind: 'pageerror', text: `unexpected ${d.type()} dialog: ${d.message()}`, url: page.url() });
      void d.dismiss();
    });
  };

  const h: Harness = {
    baseUrl,
    browser,
    async newContext() {
      const ctx = await browser!.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 800 } });
      ctx.on('page', watch);
      contexts.push(ctx);
      return ctx;
    },
    async newPage(context) {
      const ctx = context ?? (await h.newContext());
      const page = await ctx.newPage();
      return page;
    },
    async screenshot(page, name) {
      const file = join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    expectHttpError(status, path) {
      expected.push({ status, path });
    },
    problems: () => [...problems],
    assertNoProblems() {
      const found = problems;
      problems = [];
      expected = [];
      if (found.length > 0) throw new Error(`the browser reported problems:\n${found.map((p) => `- ${p.kind}: ${p.text}${p.url ? ` (${p.url})` : ''}`).join('\n')}`);
    },
    async close() {
      for (const ctx of contexts) await ctx.close().catch(() => undefined);
      await browser!.close().catch(() => undefined);
      if (server) await stopServer(server.child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return h;
}

/** The password every browser test signs up with. */
export const E2E_PASSWORD = 'correct horse battery';

/** An address no other test (or earlier run) has used. */
export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.test`;
}

/** Signs a new person up through the sign-up page, as a person would, and waits for the workflow list. */
export async function signUpInPage(h: Harness, page: Page, email: string, password = E2E_PASSWORD): Promise<void> {
  h.expectHttpError(401, '/api/auth/me'); // the first visit asks who is signed in: nobody
  await page.goto('/signup');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('heading', { name: 'Workflows', exact: true }).waitFor();
}

/** A call to the API from the signed-in page (cookie session and CSRF header, as the editor sends them). */
export async function apiFromPage<T>(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const me = (await (await fetch('/api/auth/me')).json()) as { csrfToken: string };
      const res = await fetch(path, { method, headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
    { method, path, body },
  );
}
