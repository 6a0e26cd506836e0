// Starts the real Keyflow API server (`cli.ts server`) as a child process on a free loopback
// port, so the code under test runs on its own event loop, exactly as in production.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onCleanup } from './cleanup.ts';
import { freePort, spawnKeyflow, waitForHttp } from './engine-process.ts';

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

/** Spawns the server in Postgres mode, waits for /healthz; shutdown is registered as a cleanup step. */
export async function startServer(opts: StartServerOptions): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'keyflow-bench-'));
  const unregister = onCleanup(() => rmSync(dataDir, { recursive: true, force: true }));
  const url = `http://127.0.0.1:${port}`;
  const proc = spawnKeyflow({
    label: 'server',
    command: 'server',
    env: { DATABASE_URL: opts.databaseUrl, REDIS_URL: '', PORT: String(port), KEYFLOW_PUBLIC_URL: url, KEYFLOW_DATA_DIR: dataDir, KEYFLOW_ENCRYPTION_KEYS: randomBytes(32).toString('base64url'), ...opts.env },
  });
  const stop = async () => {
    await proc.stop();
    unregister();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHttp(proc, `${url}/healthz`, opts.timeoutMs ?? 20_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, pid: proc.pid, rssBytes: () => proc.rssBytes(), stop };
}
