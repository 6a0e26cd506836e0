// A fake NodeContext for node unit tests (ours and every integration's). Pure: no I/O,
// a fixed clock, a fetch that fails loudly unless the test supplies one.
import type { NodeContext, NodeLogger, SafeFetch } from './context.ts';

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown> | undefined;
}

export type TestContext<C> = NodeContext<C> & { readonly logs: LogEntry[] };

export const TEST_NOW = new Date('2025-01-01T00:00:00.000Z');

const noFetch: SafeFetch = async (url) => {
  throw new Error(`test context has no fetch (called for ${url})`);
};

/** A context with `config` and sensible fakes; override any field. */
export function createTestContext<C>(config: C, overrides: Partial<NodeContext<C>> = {}): TestContext<C> {
  const logs: LogEntry[] = [];
  const log: NodeLogger = {
    info: (message, fields) => logs.push({ level: 'info', message, fields }),
    warn: (message, fields) => logs.push({ level: 'warn', message, fields }),
    error: (message, fields) => logs.push({ level: 'error', message, fields }),
  };
  return {
    config,
    input: undefined,
    trigger: undefined,
    run: { id: 'run_1', workflowId: 'wf_1', ownerId: 'user_1' },
    nodeId: 'node_1',
    attempt: 1,
    fetch: noFetch,
    log,
    signal: new AbortController().signal,
    idempotencyKey: 'run_1:node_1',
    now: () => new Date(TEST_NOW),
    ...overrides,
    logs,
  };
}
