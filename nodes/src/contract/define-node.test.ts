import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEFAULT_RETRY, DEFAULT_TIMEOUT_MS, defineNode, nodeOutputs, parseNodeConfig, zodIssues } from './define-node.ts';
import { NonRetriableNodeError } from './errors.ts';
import type { NodeKind } from './results.ts';

const base = { version: 1, title: 'T', description: 'D', config: z.strictObject({}) };

describe('defineNode', () => {
  it.each<[NodeKind, string[], string[]]>([
    ['trigger', [], ['main']],
    ['action', ['main'], ['main']],
    ['condition', ['main'], ['true', 'false']],
    ['merge', ['main'], ['main']],
    ['loop', ['main', 'next'], ['item', 'done']],
    ['delay', ['main'], ['main']],
    ['respond', ['main'], ['main']],
  ])('a %s node gets inputs %j and outputs %j', (kind, inputs, outputs) => {
    const def = defineNode({
      ...base,
      type: 'demo.node',
      kind,
      category: kind === 'trigger' ? 'trigger' : 'core',
      // run() is not called here; its result type depends on the kind.
      run: async () => ({ output: null, branch: 'true', items: [], concurrency: 1, resumeAt: new Date(), response: { status: 200, headers: {}, body: null } }),
    });
    expect(def.inputs).toEqual(inputs);
    expect(def.outputs).toEqual(outputs);
    expect(def.retry).toEqual(DEFAULT_RETRY);
    expect(def.timeoutMs).toBe(DEFAULT_TIMEOUT_MS);
    expect(Object.isFrozen(def)).toBe(true);
  });

  it('merges retry overrides with the defaults', () => {
    const def = defineNode({ ...base, type: 'demo.x', kind: 'action', category: 'core', retry: { maxAttempts: 5 }, run: async () => ({ output: 1 }) });
    expect(def.retry).toEqual({ ...DEFAULT_RETRY, maxAttempts: 5 });
  });

  it.each([
    ['a malformed type', { type: 'Demo' }, /type must look like/],
    ['a zero version', { version: 0 }, /version must be a positive integer/],
    ['a fractional version', { version: 1.5 }, /version must be a positive integer/],
    ['a trigger category on an action', { category: 'trigger' as const }, /triggers and only triggers/],
    ['no outputs', { outputs: [] }, /at least one output/],
    ['duplicate outputs', { outputs: ['a', 'a'] }, /duplicate handle 'a'/],
    ['a bad handle name', { outputs: ['a b'] }, /invalid handle name/],
    ['computed outputs outside switch', { outputs: () => ['a'] }, /only switch nodes/],
    ['zero retries', { retry: { maxAttempts: 0 } }, /maxAttempts/],
    ['a bad timeout', { timeoutMs: -1 }, /timeoutMs/],
  ])('rejects %s', (_name, override, message) => {
    expect(() => defineNode({ ...base, type: 'demo.x', kind: 'action', category: 'core', run: async () => ({ output: 1 }), ...override })).toThrow(message);
  });

  it('refuses a condition with other outputs', () => {
    expect(() =>
      defineNode({ ...base, type: 'demo.c', kind: 'condition', category: 'core', outputs: ['yes', 'no'], run: async () => ({ output: 1, branch: 'true' as const }) }),
    ).toThrow(/outputs are true, false/);
  });

  it('types ctx.config from the schema and computes outputs from config', async () => {
    const def = defineNode({
      ...base,
      type: 'demo.s',
      kind: 'switch',
      category: 'core',
      config: z.strictObject({ names: z.array(z.string()) }),
      outputs: (config) => [...config.names, 'default'],
      run: async (ctx) => ({ output: ctx.config.names.length, branch: ctx.config.names[0] ?? 'default' }),
    });
    expect(nodeOutputs(def, { names: ['a', 'b'] })).toEqual(['a', 'b', 'default']);
  });
});

describe('parseNodeConfig', () => {
  const def = { type: 'demo.p', config: z.strictObject({ n: z.int().min(1).default(3), s: z.string() }) };

  it('applies defaults', () => {
    expect(parseNodeConfig(def, { s: 'x' })).toEqual({ n: 3, s: 'x' });
  });

  it('throws a non-retriable error listing the issues', () => {
    let caught: unknown;
    try {
      parseNodeConfig(def, { n: 0, s: 'x', extra: true });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(NonRetriableNodeError);
    const error = caught as NonRetriableNodeError;
    expect(error.message).toMatch(/^invalid demo\.p config at n:/);
    expect(error.details?.issues).toEqual([
      { path: ['n'], message: expect.stringMatching(/>=1/) },
      { path: ['extra'], message: "unknown field 'extra'" },
    ]);
  });
});

describe('zodIssues', () => {
  it('says "required" for a missing unknown-typed key', () => {
    const result = z.strictObject({ value: z.unknown() }).safeParse({});
    expect(result.success).toBe(false);
    expect(zodIssues(result.error!.issues)).toEqual([{ path: ['value'], message: 'required' }]);
  });
});
