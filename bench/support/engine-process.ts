// Starts a process under test (a Keyflow `cli.ts start | server | worker`, or Node-RED) as a
// child with its own event loop, and exposes what the engine bench measures: pid, RSS, CPU.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onCleanup } from './cleanup.ts';
import { createServer } from 'node:net';
import { processCpuMs, readRssBytes } from './engine-proc-stats.ts';
import { keyflowProcessEnv, nodeFlagsFor } from '../../scripts/process-env.mjs';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const cliPath = join(repoRoot, 'server', 'src', 'cli.ts');
const OUTPUT_TAIL = 16_000;

/** The bench lifts the per-webhook rate limit (KEYFLOW_WEBHOOK_RATE_PER_MINUTE) so one hook can carry a scenario. */
export const BENCH_HOOK_RATE_PER_MINUTE = 10_000_000;

export interface KeyflowProcess {
  label: string;
  pid: number;
  rssBytes(): number | undefined;
  cpuMs(): number | undefined;
  output(): string;
  /** Resolves when its output matches `pattern`; rejects if it exits first or on timeout. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** SIGTERM, then SIGKILL after 12 s. */
  stop(): Promise<void>;
  /** SIGKILL, resolving once the process is gone. */
  kill9(): Promise<void>;
}

export interface TrackedOptions {
  label: string;
  /** Arguments to this Node binary (script first, unless node flags precede it). */
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

export interface KeyflowProcessOptions {
  label: string;
  command: 'start' | 'server' | 'worker';
  env: Record<string, string>;
  /** Extra node flags (e.g. --cpu-prof) placed before the script. */
  nodeArgs?: string[];
}

/** A port that was free a moment ago (the process binds it right after). */
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

/** Node flags for every process under test, for profiling (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, `--trace-gc`). */
export function benchNodeArgs(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.KEYFLOW_BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
}

/** The environment scripts/run.mjs gives `start`, `server` and `worker` (malloc settings, Node's compile cache). */
export function keyflowEnv(env: NodeJS.ProcessEnv = process.env, command?: string): NodeJS.ProcessEnv {
  return keyflowProcessEnv(repoRoot, env, command);
}

/** A Keyflow process with the flags and environment `npm start` and `npm run keyflow -- server|worker` give it (scripts/run.mjs), so the bench measures what users run. */
export function spawnKeyflow(opts: KeyflowProcessOptions): KeyflowProcess {
  return spawnTracked({ label: opts.label, args: [...nodeFlagsFor(opts.command), ...benchNodeArgs(), ...(opts.nodeArgs ?? []), cliPath, opts.command], cwd: repoRoot, env: { HOST: '127.0.0.1', LOG_LEVEL: 'warn', KEYFLOW_WEBHOOK_RATE_PER_MINUTE: String(BENCH_HOOK_RATE_PER_MINUTE), ...opts.env } }, keyflowEnv(process.env, opts.command));
}

/** Spawns `node <args>`, drains its output, and registers its shutdown as a cleanup step. */
export function spawnTracked(opts: TrackedOptions, baseEnv: NodeJS.ProcessEnv = process.env): KeyflowProcess {
  const child = spawn(process.execPath, opts.args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...baseEnv, ...opts.env } });
  if (child.pid === undefined) throw new Error(`could not start ${opts.label}`);
  const pid = child.pid;
  let output = '';
  const listeners = new Set<() => void>();
  // Keep draining both pipes (a full pipe would stall the process) and keep the tail for errors.
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL);
    for (const l of listeners) l();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited: string | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = signal ? `signal ${signal}` : `code ${code}`;
      for (const l of listeners) l();
      resolve();
    });
  });
  const stop = async () => {
    if (exited !== undefined) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 12_000);
    await exit;
    clearTimeout(killer);
  };
  const unregister = onCleanup(stop);

  return {
    label: opts.label,
    pid,
    rssBytes: () => (exited === undefined ? readRssBytes(pid) : undefined),
    cpuMs: () => (exited === undefined ? processCpuMs(pid) : undefined),
    output: () => output,
    waitForOutput: (pattern, timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        const finish = (err?: Error) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (err) reject(err);
          else resolve();
        };
        const check = () => {
          if (pattern.test(output)) finish();
          else if (exited !== undefined) finish(new Error(`${opts.label} exited (${exited}) before printing ${pattern}:\n${output.slice(-4000).trim()}`));
        };
        const timer = setTimeout(() => finish(new Error(`${opts.label} did not print ${pattern} within ${timeoutMs} ms:\n${output.slice(-4000).trim()}`)), timeoutMs);
        listeners.add(check);
        check();
      }),
    async stop() {
      unregister();
      await stop();
    },
    async kill9() {
      unregister();
      if (exited === undefined) child.kill('SIGKILL');
      await exit;
    },
  };
}

/** Polls `url` until it answers 2xx, or throws with the process output. */
export async function waitForHttp(proc: KeyflowProcess, url: string, timeoutMs = 30_000, bearer?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.cpuMs() === undefined) throw new Error(`${proc.label} exited during start-up:\n${proc.output().trim()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000), ...(bearer ? { headers: { authorization: `Bearer ${bearer}` } } : {}) });
      await res.body?.cancel();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${proc.label} did not answer ${url} within ${timeoutMs} ms:\n${proc.output().trim()}`);
}
