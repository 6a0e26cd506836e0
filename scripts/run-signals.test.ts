// `npm start` under a supervisor: SIGTERM to scripts/run.mjs must reach the server it launched,
// so the supervisor's stop does not leave an orphan holding the port.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function answers(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}

async function until(what: () => string, check: () => Promise<boolean> | boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what()}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Our processes whose environment names `marker` (the test's own data dir). */
function processesWithEnv(marker: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`, 'utf8').includes(marker)) pids.push(Number(name));
    } catch {
      // another user's process, or gone meanwhile
    }
  }
  return pids;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe('scripts/run.mjs', () => {
  it('forwards SIGTERM to the server it launched and exits with its code', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kf-run-signals-'));
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, KEYFLOW_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' };
    delete env.DATABASE_URL;
    delete env.REDIS_URL;
    // `server` refuses an unmigrated database, so migrate the fresh data dir first.
    const migrate = spawnSync(process.execPath, ['scripts/run.mjs', 'keyflow', 'migrate'], { cwd: root, env, encoding: 'utf8' });
    expect(migrate.status, migrate.stderr).toBe(0);
    const child = spawn(process.execPath, ['scripts/run.mjs', 'keyflow', 'server'], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    cleanups.push(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    });

    await until(() => `the server on port ${port} (stderr: ${stderr})`, () => answers(port), 60_000);
    const servers = processesWithEnv(dataDir).filter((pid) => pid !== child.pid);
    expect(servers.length).toBeGreaterThan(0);
    cleanups.unshift(() => {
      for (const pid of servers) if (alive(pid)) process.kill(pid, 'SIGKILL');
    });
    child.kill('SIGTERM');
    const result = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 15_000))]);
    expect(result).not.toBe('hung');
    // The server shut down cleanly (0), or run.mjs reports the signal that killed it as 128+15.
    if (result !== 'hung') expect([0, 143]).toContain(result.code);
    expect(servers.filter(alive)).toEqual([]);
    expect(await answers(port)).toBe(false);
  }, 120_000);
});
