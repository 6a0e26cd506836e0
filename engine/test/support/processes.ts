// Real child processes for tests that crash and stop workers: every spawned process is tracked
// so a failing test still leaves none behind, and its output is kept for the failure message.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ManagedProcess {
  readonly label: string;
  readonly pid: number;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves once its output matches; rejects on timeout or if it exits first. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void>;
  readonly exited: Promise<Exit>;
  /** Resolves with its exit, or rejects naming the process after `timeoutMs`. */
  waitForExit(timeoutMs: number): Promise<Exit>;
  signal(sig: NodeJS.Signals): void;
}

/** Polls `check` until it returns a value other than undefined; rejects with `what` after `timeoutMs`. */
export async function waitUntil<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function tail(text: string): string {
  return text.length > 4000 ? `…${text.slice(-4000)}` : text;
}

/** The processes one test file started; `killAll()` in afterEach/afterAll. */
export class ProcessGroup {
  readonly #children = new Map<ChildProcess, Promise<Exit>>();

  /** Runs `node <args>` (the Node running the tests) from the repo root with `env` added. */
  spawnNode(label: string, args: string[], env: Record<string, string>): ManagedProcess {
    return this.spawnCommand(label, process.execPath, args, env, repoRoot);
  }

  /** Runs any command from `cwd` with `env` added (e.g. the production build's bin/keyflow). */
  spawnCommand(label: string, command: string, args: string[], env: Record<string, string>, cwd: string): ManagedProcess {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid === undefined) throw new Error(`could not start ${label}`);
    let out = '';
    const listeners = new Set<() => void>();
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      for (const l of listeners) l();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    let done: Exit | undefined;
    void exited.then((e) => {
      done = e;
      for (const l of listeners) l();
    });
    this.#children.set(child, exited);
    const pid = child.pid;
    return {
      label, pid, exited,
      output: () => out,
      waitForOutput: (pattern, timeoutMs) => new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(out)) finish();
          else if (done) finish(new Error(`${label} exited (${done.code ?? done.signal}) before printing ${pattern}:\n${tail(out)}`));
        };
        const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms waiting for ${label} to print ${pattern}:\n${tail(out)}`)), timeoutMs);
        const finish = (err?: Error) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (err) reject(err);
          else resolve();
        };
        listeners.add(check);
        check();
      }),
      waitForExit: async (timeoutMs) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${label} to exit:\n${tail(out)}`)), timeoutMs);
        });
        try {
          return await Promise.race([exited, timeout]);
        } finally {
          clearTimeout(timer);
        }
      },
      signal: (sig) => {
        process.kill(pid, sig);
      },
    };
  }

  /** SIGKILLs every child still running and waits for them to be gone. */
  async killAll(): Promise<void> {
    const waits: Promise<Exit>[] = [];
    for (const [child, exited] of this.#children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      waits.push(exited);
    }
    await Promise.all(waits);
    this.#children.clear();
  }
}
