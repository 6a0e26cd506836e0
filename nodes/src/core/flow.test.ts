import { describe, expect, it } from 'vitest';
import { createTestContext, NonRetriableNodeError, parseNodeConfig, TEST_NOW } from '../contract/index.ts';
import { delayNode } from './delay.node.ts';
import { loopNode } from './loop.node.ts';
import { respondNode } from './respond.node.ts';

describe('core.loop', () => {
  it('hands the items and the concurrency to the executor', async () => {
    const config = parseNodeConfig(loopNode, { items: [1, 2, 3] });
    expect(config.concurrency).toBe(1);
    expect(await loopNode.run(createTestContext({ ...config, concurrency: 4 }))).toEqual({ items: [1, 2, 3], concurrency: 4 });
  });

  it.each([
    ['a string', 'abc'],
    ['null', null],
    ['an object', { 0: 'a' }],
    ['too many items', new Array(10_001).fill(0)],
  ])('fails for good on %s', async (_name, items) => {
    await expect(loopNode.run(createTestContext({ items, concurrency: 1 }))).rejects.toBeInstanceOf(NonRetriableNodeError);
  });

  it.each([0, 21, 1.5])('rejects concurrency %s', (concurrency) => {
    expect(loopNode.config.safeParse({ items: [], concurrency }).success).toBe(false);
  });

  it('requires items', () => {
    expect(loopNode.config.safeParse({}).success).toBe(false);
  });
});

describe('core.delay', () => {
  it.each([
    [30, 'seconds', 30_000],
    [1.5, 'minutes', 90_000],
    [2, 'hours', 7_200_000],
    [30, 'days', 30 * 86_400_000],
  ] as const)('waits %s %s', async (amount, unit, ms) => {
    const result = await delayNode.run(createTestContext(parseNodeConfig(delayNode, { amount, unit }), { input: 'x' }));
    expect(result.output).toBe('x');
    expect(result.resumeAt.getTime() - TEST_NOW.getTime()).toBe(ms);
  });

  it.each([
    ['more than 30 days', { amount: 31, unit: 'days' }, ['amount']],
    ['more than 30 days in hours', { amount: 721, unit: 'hours' }, ['amount']],
    ['zero', { amount: 0, unit: 'seconds' }, ['amount']],
    ['a negative amount', { amount: -1, unit: 'seconds' }, ['amount']],
    ['an unknown unit', { amount: 1, unit: 'weeks' }, ['unit']],
    ['no unit', { amount: 1 }, ['unit']],
  ])('rejects %s', (_name, config, path) => {
    const result = delayNode.config.safeParse(config);
    expect(result.error?.issues[0]?.path).toEqual(path);
  });
});

describe('core.respond', () => {
  it('answers with status, headers and body, and passes the answer on', async () => {
    const config = parseNodeConfig(respondNode, { headers: { 'x-run': 'r1' }, body: { ok: true } });
    const result = await respondNode.run(createTestContext(config));
    const response = { status: 200, headers: { 'x-run': 'r1' }, body: { ok: true } };
    expect(result).toEqual({ output: response, response });
  });

  it('sends null for an undefined body', async () => {
    const result = await respondNode.run(createTestContext(parseNodeConfig(respondNode, { status: 204, body: undefined })));
    expect(result.response).toEqual({ status: 204, headers: {}, body: null });
  });

  it.each([
    ['a status below 200', { status: 199, body: '' }],
    ['a status above 599', { status: 600, body: '' }],
    ['a fractional status', { status: 200.5, body: '' }],
    ['a header with a line break', { headers: { 'x-a': 'v\r\nSet-Cookie: a=b' }, body: '' }],
    ['a malformed header name', { headers: { 'x a': 'v' }, body: '' }],
    ['no body', {}],
  ])('rejects %s', (_name, config) => {
    expect(respondNode.config.safeParse(config).success).toBe(false);
  });
});
