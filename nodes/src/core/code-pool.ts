// A few worker threads that run core.code (code-worker.ts), so a sandbox busy for its whole
// time limit holds a worker and never the event loop every other run, webhook and heartbeat
// share. Workers are reused; one that fails to answer in time is terminated and replaced.
//
// node:worker_threads is imported lazily: the editor bundles this package for its forms and
// never runs a node.
import type { Worker } from 'node:worker_threads';
import { NodeError, NonRetriableNodeError } from '../contract/errors.ts';
import type { CodeMode } from './code-modes.ts';
import type { SandboxData, SandboxResult } from './code-sandbox.ts';
import type { CodeTask, CodeTaskMessage } from './code-worker.ts';

const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 2;
/** At most this many executions run at once; more wait for a free worker. */
// Two at least, so one long execution does not queue every other; four at most per process.
export const MAX_CODE_WORKERS = Math.min(4, Math.max(2, cores - 1));
/**
 * How long past its own time limit an execution may stay silent before its worker is killed.
 * The sandbox stops itself at the limit; this is the backstop, and it covers a new worker's
 * start (loading the modules and compiling QuickJS).
 */
export const KILL_GRACE_MS = 5_000;

export interface PoolRunOptions {
  code: string;
  mode: CodeMode;
  data: SandboxData;
  timeoutMs: number;
  memoryMb: number;
  signal?: AbortSignal;
  onLog(level: 'info' | 'warn' | 'error', line: string): void;
}

interface Waiter {
  resolve(worker: Worker): void;
  reject(err: unknown): void;
}

const idle: Worker[] = [];
const waiting: Waiter[] = [];
let total = 0;
let nextId = 1;

const cancelled = () => new NodeError('the code was cancelled');

function forget(worker: Worker): void {
  const at = idle.indexOf(worker);
  if (at >= 0) idle.splice(at, 1);
  total -= 1;
  const next = waiting.shift();
  if (next) spawn().then(next.resolve, next.reject);
}

async function spawn(): Promise<Worker> {
  total += 1;
  try {
    const { Worker } = await import('node:worker_threads');
    // Compiled by `npm run build`, this module is code-pool.js beside code-worker.js.
    const worker = new Worker(new URL(import.meta.url.endsWith('.ts') ? './code-worker.ts' : './code-worker.js', import.meta.url));
    // An idle worker must not keep the process alive.
    worker.unref();
    worker.once('exit', () => forget(worker));
    return worker;
  } catch (err) {
    total -= 1;
    throw new NonRetriableNodeError('the code sandbox could not start', { cause: err });
  }
}

function acquire(signal: AbortSignal | undefined): Promise<Worker> {
  if (signal?.aborted) return Promise.reject(cancelled());
  const ready = idle.pop();
  if (ready) return Promise.resolve(ready);
  if (total < MAX_CODE_WORKERS) return spawn();
  return new Promise<Worker>((resolve, reject) => {
    const onAbort = () => {
      const at = waiting.indexOf(waiter);
      if (at >= 0) waiting.splice(at, 1);
      reject(cancelled());
    };
    const waiter: Waiter = {
      resolve: (w) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(w);
      },
      reject: (e) => {
        signal?.removeEventListener('abort', onAbort);
        reject(e);
      },
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    waiting.push(waiter);
  });
}

function release(worker: Worker): void {
  const next = waiting.shift();
  if (next) next.resolve(worker);
  else idle.push(worker);
}

/** Runs one execution on a pooled worker thread; errors are the sandbox's own NodeErrors. */
export async function runInWorker(opts: PoolRunOptions): Promise<SandboxResult> {
  const worker = await acquire(opts.signal);
  const id = nextId++;
  const cancel = new SharedArrayBuffer(4);
  const flag = new Int32Array(cancel);
  return new Promise<SandboxResult>((resolve, reject) => {
    let done = false;
    let killedFor: 'timeout' | 'cancel' | undefined;
    let timer: NodeJS.Timeout | undefined;
    const kill = (why: 'timeout' | 'cancel') => {
      killedFor = why;
      void worker.terminate();
    };
    const arm = (ms: number, why: 'timeout' | 'cancel') => {
      clearTimeout(timer);
      timer = setTimeout(() => kill(why), ms);
    };
    const finish = (settle: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      opts.signal?.removeEventListener('abort', onAbort);
      settle();
    };
    const onMessage = (m: CodeTaskMessage) => {
      if (m.id !== id) return;
      if (m.type === 'log') return opts.onLog(m.level, m.line);
      finish(() => {
        release(worker);
        if (m.type === 'done') return resolve(JSON.parse(m.json) as SandboxResult);
        const { message, retryable, details } = m.error;
        const options = details ? { details } : {};
        reject(retryable ? new NodeError(message, options) : new NonRetriableNodeError(message, options));
      });
    };
    const onError = (err: unknown) => finish(() => reject(new NonRetriableNodeError('the code sandbox failed', { cause: err })));
    const onExit = () =>
      finish(() => {
        if (killedFor === 'cancel') return reject(cancelled());
        if (killedFor === 'timeout') return reject(new NonRetriableNodeError(`the code ran longer than its ${opts.timeoutMs} ms limit (an endless loop?)`, { details: { problem: 'timeout' } }));
        reject(new NonRetriableNodeError('the code sandbox stopped unexpectedly'));
      });
    const onAbort = () => {
      // The interrupt handler sees the flag within milliseconds; the timer is the backstop.
      Atomics.store(flag, 0, 1);
      arm(KILL_GRACE_MS, 'cancel');
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    arm(opts.timeoutMs + KILL_GRACE_MS, 'timeout');
    const task: CodeTask = { id, code: opts.code, mode: opts.mode, data: opts.data, timeoutMs: opts.timeoutMs, memoryMb: opts.memoryMb, cancel };
    try {
      worker.postMessage(task);
    } catch (err) {
      // Data that cannot be cloned; the worker itself is fine.
      finish(() => {
        release(worker);
        reject(new NonRetriableNodeError('the input of the code is not JSON', { cause: err }));
      });
    }
  });
}
