import { describe, expect, it } from 'vitest';
import { createTestContext, nodeOutputs, parseNodeConfig } from '../contract/index.ts';
import { conditionNode, isTruthy } from './condition.node.ts';
import { mergeNode } from './merge.node.ts';
import { switchNode } from './switch.node.ts';

describe('core.condition', () => {
  it.each<[unknown, 'true' | 'false']>([
    [true, 'true'],
    [false, 'false'],
    [1, 'true'],
    [0, 'false'],
    ['yes', 'true'],
    ['', 'false'],
    ['false', 'false'],
    [' FALSE ', 'false'],
    [null, 'false'],
    [undefined, 'false'],
    [{}, 'true'],
  ])('routes if=%j to %s and passes the input on', async (value, branch) => {
    const result = await conditionNode.run(createTestContext(parseNodeConfig(conditionNode, { if: value }), { input: { n: 1 } }));
    expect(result).toEqual({ output: { n: 1 }, branch });
    expect(isTruthy(value)).toBe(branch === 'true');
  });

  it('requires an if', () => {
    expect(conditionNode.config.safeParse({}).success).toBe(false);
    expect(conditionNode.outputs).toEqual(['true', 'false']);
  });
});

describe('core.switch', () => {
  const config = parseNodeConfig(switchNode, {
    value: 'x',
    cases: [{ equals: 'a' }, { equals: { k: [1, 2] }, handle: 'obj' }, { equals: 2 }],
  });

  it('names a handle per case, then default', () => {
    expect(nodeOutputs(switchNode, config)).toEqual(['case0', 'obj', 'case2', 'default']);
  });

  it.each<[unknown, string]>([
    ['a', 'case0'],
    [{ k: [1, 2] }, 'obj'],
    [2, 'case2'],
    ['2', 'default'],
    [{ k: [1] }, 'default'],
    [undefined, 'default'],
  ])('routes value %j to %s', async (value, branch) => {
    const result = await switchNode.run(createTestContext({ ...config, value }, { input: 'in' }));
    expect(result).toEqual({ output: 'in', branch });
  });

  it.each([
    ['no cases', { value: 1, cases: [] }],
    ['a repeated handle', { value: 1, cases: [{ equals: 1, handle: 'x' }, { equals: 2, handle: 'x' }] }],
    ['a handle called default', { value: 1, cases: [{ equals: 1, handle: 'default' }] }],
    ['a handle clashing with a generated one', { value: 1, cases: [{ equals: 1 }, { equals: 2, handle: 'case0' }] }],
    ['a malformed handle', { value: 1, cases: [{ equals: 1, handle: 'a b' }] }],
    ['too many cases', { value: 1, cases: Array.from({ length: 51 }, (_, i) => ({ equals: i })) }],
  ])('rejects %s', (_name, c) => {
    expect(switchNode.config.safeParse(c).success).toBe(false);
  });
});

describe('core.merge', () => {
  const input = { left: { a: 1 }, right: { b: 2 } };

  it.each([
    ['all', input, input],
    ['first', input, { a: 1 }],
    ['first', {}, null],
    ['all', undefined, {}],
  ])('mode %s of %j outputs %j', async (mode, given, expected) => {
    const result = await mergeNode.run(createTestContext(parseNodeConfig(mergeNode, { mode }), { input: given }));
    expect(result.output).toEqual(expected);
  });

  it('defaults to all and refuses other modes', () => {
    expect(parseNodeConfig(mergeNode, {})).toEqual({ mode: 'all' });
    expect(mergeNode.config.safeParse({ mode: 'race' }).success).toBe(false);
  });
});
