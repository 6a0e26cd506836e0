// Starts the real Keyflow API server (`cli.ts server`) as a child process on a free loopback
// port, so the code under test runs on its own event loop, exactly as in production.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onCleanup } from './cleanup.ts';

/** The flags `npm run keyflow -- server|worker` adds (scripts/run.mjs), so the bench measures what users run. */
export const QUEUE_MODE_NODE_FLAGS = ['--max-semi-space-size=4'];

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const cliPath = join(repoRoot, 'server', 'src', 'cli.ts');
const OUTPUT_TAIL = 4000;

export interface ServerProcess {
  url: string;
  pid: number;
  /** Resident set size from /proc (Linux); undefined once the process is gone or elsewhere. */
  rssBytes(): number | undefined;
  stop(): Promise<void>;
}

export interface StartServerOptions {
  databaseUrl: string;
  /** Extra or overriding environment for the server. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** A port that was free a moment ago (the server binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('could not find a free port'))));
    });
  });
}

/** VmRSS of a process in bytes, read from /proc/<pid>/status. */
export function readRssBytes(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Spawns the server, waits for /healthz, and registers its shutdown as a cleanup step. */
export async function startServer(opts: StartServerOptions): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'keyflow-bench-'));
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...QUEUE_MODE_NODE_FLAGS, cliPath, 'server'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DATABASE_URL: opts.databaseUrl,
      REDIS_URL: '',
      HOST: '127.0.0.1',
      PORT: String(port),
      KEYFLOW_PUBLIC_URL: url,
      KEYFLOW_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      KEYFLOW_ENCRYPTION_KEYS: `${randomBytes(32).toString('base64url')}=`,
      ...opts.env,
    },
  });
  // Keep draining both pipes (a full pipe would stall the server) and keep the tail for errors.
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited: string | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = signal ? `signal ${signal}` : `code ${code}`;
      resolve();
    });
  });

  const stop = async () => {
    if (exited === undefined) {
      child.kill('SIGTERM');
      // The server forces its own exit after 10 s; past that something is stuck.
      const killer = setTimeout(() => child.kill('SIGKILL'), 12_000);
      await exit;
      clearTimeout(killer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const unregister = onCleanup(stop);

  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  while (true) {
    if (exited !== undefined) {
      unregister();
      await stop();
      throw new Error(`the server exited during start-up (${exited}):\n${output.trim()}`);
    }
    if (await healthy(url)) break;
    if (Date.now() > deadline) {
      unregister();
      await stop();
      throw new Error(`the server did not answer ${url}/healthz within ${opts.timeoutMs ?? 20_000} ms:\n${output.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    url,
    pid: child.pid!,
    rssBytes: () => (exited === undefined ? readRssBytes(child.pid!) : undefined),
    async stop() {
      unregister();
      await stop();
    },
  };
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}
