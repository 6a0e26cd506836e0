// Crash recovery: a run whose middle step is an HTTP call held open by a local server; the
// worker running it is killed with SIGKILL, a fresh worker is started, and the time from the
// kill to the run finishing is what a user waits for.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiCall, stringField } from './api-client.ts';
import type { KeyflowProcess } from './engine-process.ts';
import { createHookWorkflow } from './engine-workflows.ts';

export interface CrashResult {
  /** kill -9 → run in a terminal state. */
  totalMs: number;
  /** kill -9 → the new worker logged "worker started". */
  workerStartMs: number;
  status: string;
  /** Calls the held step made (2 when it ran again after the crash). */
  heldStepCalls: number;
  lockMs: number;
}

export interface CrashOptions {
  baseUrl: string;
  token: string;
  lockMs: number;
  /** Starts a worker with KEYFLOW_HTTP_ALLOW=127.0.0.1 and the lock setting, logging at info. */
  startWorker(label: string): KeyflowProcess;
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** Holds the first request forever (until its socket dies); answers every later one at once. */
async function holdingServer(): Promise<{ url: string; calls(): number; firstSeen: Promise<void>; close(): Promise<void> }> {
  let calls = 0;
  let seen!: () => void;
  const firstSeen = new Promise<void>((r) => (seen = r));
  const server: Server = createServer((req, res) => {
    calls++;
    req.resume();
    req.on('end', () => {
      if (calls === 1) return seen();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/slow`,
    calls: () => calls,
    firstSeen,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function within<T>(what: string, p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export async function measureCrashRecovery(opts: CrashOptions): Promise<CrashResult> {
  const held = await holdingServer();
  try {
    const pos = { x: 0, y: 0 };
    const graph = {
      nodes: [
        { id: 'hook', type: 'core.webhook', version: 1, config: { responseMode: 'accepted' }, position: pos },
        { id: 'call', type: 'core.http', version: 1, config: { method: 'POST', url: held.url, body: { step: 'call' }, timeoutMs: 20_000 }, position: pos },
        { id: 'shape', type: 'core.transform', version: 1, config: { fields: [{ name: 'greeting', value: 'Hello {{ $trigger.body.name }}' }] }, position: pos },
      ],
      edges: [{ id: 'e1', source: 'hook', target: 'call' }, { id: 'e2', source: 'call', target: 'shape' }],
    };
    const { path } = await createHookWorkflow(opts.baseUrl, opts.token, 'bench crash', graph);
    const w1 = opts.startWorker('worker W1');
    await w1.waitForOutput(/worker started/, 20_000);
    const accepted = await apiCall(opts.baseUrl, path, { method: 'POST', body: { name: 'x' }, expect: 202 });
    const runId = stringField(accepted.json, 'runId', 'webhook (accepted)');
    await within('worker W1 to call the held step', held.firstSeen, 15_000);

    const killedAt = Date.now();
    await w1.kill9();
    const w2 = opts.startWorker('worker W2');
    await w2.waitForOutput(/worker started/, 20_000);
    const workerStartMs = Date.now() - killedAt;
    const deadline = killedAt + 60_000;
    let status = 'unknown';
    while (Date.now() < deadline) {
      const run = await apiCall(opts.baseUrl, `/api/runs/${runId}`, { token: opts.token });
      status = stringField(run.json, 'status', 'run');
      if (TERMINAL.has(status)) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const totalMs = Date.now() - killedAt;
    await w2.stop();
    if (!TERMINAL.has(status)) throw new Error(`the run did not finish within 60 s of the kill (status ${status})`);
    return { totalMs, workerStartMs, status, heldStepCalls: held.calls(), lockMs: opts.lockMs };
  } finally {
    await held.close();
  }
}
