import { z } from 'zod';
import { defineNode } from '../contract/index.ts';
import { toItems, unwrapResult } from './code-items.ts';
import { runInWorker } from './code-pool.ts';
// Only the worker thread loads the sandbox and QuickJS; this side needs the mode names.
import { CODE_MODES } from './code-modes.ts';

export const MAX_CODE_TIMEOUT_MS = 10_000;
export const MAX_CODE_MEMORY_MB = 128;

export const codeConfig = z.strictObject({
  code: z.string().min(1, 'must not be empty').max(100_000).describe('JavaScript; end it with "return …"'),
  mode: z
    .enum(CODE_MODES)
    .default('runOnceForAllItems')
    .describe('Once for all items ($input.all(), items) or once per item ($json, $input.item)'),
  timeoutMs: z.int().min(10).max(MAX_CODE_TIMEOUT_MS).default(1_000).describe('Stop the code after this long'),
  memoryMb: z.int().min(1).max(MAX_CODE_MEMORY_MB).default(32).describe('Memory the code may use, its input included'),
});

/**
 * Runs the user's JavaScript in a QuickJS sandbox (code-sandbox.ts) on a worker thread
 * (code-pool.ts): n8n's Code node, so
 * imported ones run as they did. The input's items (an array is one item per element) come in
 * as { json }; `$trigger` and `$node["<id>"].output` as in expressions. What the code returns
 * is unwrapped from { json } items back to plain values. Per item, the output is one value per
 * input item: an array when the input was one, a single value otherwise.
 */
export const codeNode = defineNode({
  type: 'core.code',
  version: 1,
  title: 'Code',
  description: 'Runs your JavaScript on the data, in a sandbox with no network or file access.',
  keywords: ['code', 'javascript', 'script', 'function', 'custom logic', 'compute', 'calculate'],
  examples: [
    { text: 'Add up the amounts of all items', config: { code: 'const total = items.reduce((sum, item) => sum + item.json.amount, 0);\nreturn [{ json: { total } }];', mode: 'runOnceForAllItems' } },
  ],
  category: 'core',
  kind: 'action',
  config: codeConfig,
  // The same code on the same data fails the same way: one try.
  retry: { maxAttempts: 1 },
  // Above the largest timeoutMs, a wait for a free worker and a new worker's start.
  timeoutMs: 30_000,
  async run(ctx) {
    const { code, mode, timeoutMs, memoryMb } = ctx.config;
    const result = await runInWorker({
      code,
      mode,
      timeoutMs,
      memoryMb,
      signal: ctx.signal,
      data: { items: toItems(ctx.input), trigger: ctx.trigger ?? null, nodes: { ...ctx.nodes } },
      onLog: (level, line) => ctx.log[level]('console', { line }),
    });
    if (result.mode === 'runOnceForAllItems') return { output: unwrapResult(result.value) };
    const values = result.values.map((v) => unwrapResult(v));
    return { output: Array.isArray(ctx.input) ? values : (values[0] ?? null) };
  },
});
