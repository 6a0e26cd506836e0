// A worker thread that runs core.code executions one at a time (code-pool.ts sends them), so a
// busy sandbox holds this thread, not the event loop. The QuickJS module is compiled once per
// worker and reused; every execution still gets a runtime of its own.
import { parentPort } from 'node:worker_threads';
import { NodeError } from '../contract/errors.ts';
import type { CodeMode } from './code-modes.ts';
import { runSandboxed, type SandboxData } from './code-sandbox.ts';

export interface CodeTask {
  id: number;
  code: string;
  mode: CodeMode;
  data: SandboxData;
  timeoutMs: number;
  memoryMb: number;
  /** One Int32: set to 1 by the pool to cancel; read by the interrupt handler. */
  cancel: SharedArrayBuffer;
}

export type CodeTaskMessage =
  | { id: number; type: 'log'; level: 'info' | 'warn' | 'error'; line: string }
  /** The result as JSON text: parsed on the other side, so a `__proto__` key stays plain data. */
  | { id: number; type: 'done'; json: string }
  | { id: number; type: 'failed'; error: { message: string; retryable: boolean; details?: Record<string, unknown> } };

const port = parentPort;
if (!port) throw new Error('code-worker.ts runs as a worker thread');

port.on('message', (task: CodeTask) => {
  const flag = new Int32Array(task.cancel);
  const post = (message: CodeTaskMessage) => port.postMessage(message);
  runSandboxed({
    code: task.code,
    mode: task.mode,
    data: task.data,
    timeoutMs: task.timeoutMs,
    memoryMb: task.memoryMb,
    isCancelled: () => Atomics.load(flag, 0) !== 0,
    onLog: (level, line) => post({ id: task.id, type: 'log', level, line }),
  }).then(
    (result) => post({ id: task.id, type: 'done', json: JSON.stringify(result) }),
    (err: unknown) => {
      const error = err instanceof NodeError ? err : new NodeError('the code sandbox failed');
      post({ id: task.id, type: 'failed', error: { message: error.message, retryable: error.retryable, ...(error.details ? { details: error.details } : {}) } });
    },
  );
});
