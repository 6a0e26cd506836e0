import { describe, expect, it } from 'vitest';
import { createTestContext, parseNodeConfig } from '../contract/index.ts';
import { transformNode } from './transform.node.ts';

async function transform(config: unknown, input: unknown): Promise<unknown> {
  const { output } = await transformNode.run(createTestContext(parseNodeConfig(transformNode, config), { input }));
  return output;
}

describe('core.transform', () => {
  it('sets fields on an empty object by default', async () => {
    expect(await transform({ fields: [{ name: 'greeting', value: 'Hello Ada' }] }, { name: 'Ada' })).toEqual({ greeting: 'Hello Ada' });
  });

  it('sets dotted paths, creating objects on the way', async () => {
    const out = await transform({ fields: [{ name: 'a.b.c', value: 1 }, { name: 'a.d', value: [1] }] }, null);
    expect(out).toEqual({ a: { b: { c: 1 }, d: [1] } });
  });

  it('keeps, renames and removes input fields without touching the input', async () => {
    const input = { user: { first: 'Ada', last: 'L', password: 'x' }, keep: true };
    const out = await transform(
      { keepInput: true, rename: [{ from: 'user.first', to: 'firstName' }, { from: 'missing', to: 'nothing' }], remove: ['user.password'], fields: [{ name: 'ok', value: 1 }] },
      input,
    );
    expect(out).toEqual({ user: { last: 'L' }, keep: true, firstName: 'Ada', ok: 1 });
    expect(input.user.password).toBe('x');
  });

  it('replaces a non-object on the way of a path', async () => {
    expect(await transform({ keepInput: true, fields: [{ name: 'a.b', value: 2 }] }, { a: 5 })).toEqual({ a: { b: 2 } });
  });

  it.each(['__proto__.polluted', 'a.constructor.prototype', 'prototype', 'a..b', '.a'])('refuses the path %j', (name) => {
    const result = transformNode.config.safeParse({ fields: [{ name, value: 1 }] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['fields', 0, 'name']);
  });

  it('cannot pollute Object.prototype through input keys either', async () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}}') as unknown;
    await transform({ keepInput: true, fields: [{ name: 'x', value: 1 }] }, input);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['no fields', {}, ['fields']],
    ['rename without keepInput', { fields: [], rename: [{ from: 'a', to: 'b' }] }, ['keepInput']],
    ['remove without keepInput', { fields: [], remove: ['a'] }, ['keepInput']],
    ['an unknown option', { fields: [], merge: true }, []],
  ])('rejects %s', (_name, config, path) => {
    const result = transformNode.config.safeParse(config);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(path);
  });
});
