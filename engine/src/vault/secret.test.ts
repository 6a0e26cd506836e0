import { format, inspect } from 'node:util';
import { describe, it, expect } from 'vitest';
import { maskSecret } from './mask-secret.ts';
import { Secret } from './secret.ts';

describe('maskSecret', () => {
  it.each([
    { value: 'sk-proj-abcdefghijklmnopqrstuvwxyzABCD', mask: 'sk-proj-…ABCD' },
    { value: 'sk-ant-api03-abcdefghijklmnop1234', mask: 'sk-ant-…1234' },
    { value: 'sk-abcdefghijklmnopqrstu9876', mask: 'sk-…9876' },
    { value: 'xoxb-1111-2222-abcdefWXYZ', mask: 'xoxb-…WXYZ' },
    { value: 'plainrandomtokenvalue42zz', mask: '…42zz' },
    // A prefix is shown only if 8 characters stay hidden; a shorter known prefix may still fit.
    { value: 'sk-ant-abcdefgh', mask: 'sk-…efgh' },
    { value: 'sk-ant-abcdef', mask: '…cdef' },
    { value: 'abcdefghij', mask: '…ij' },
    { value: 'abcd', mask: '…' },
    { value: '', mask: '…' },
  ])('$value → $mask', ({ value, mask }) => {
    expect(maskSecret(value)).toBe(mask);
  });
});

describe('Secret', () => {
  const raw = 'sk-canary-0f8c2a9e-5d1b-4c7e-9a3f-deadbeef1234';
  const s = new Secret(raw);

  it('reveals the value only on request', () => {
    expect(s.reveal()).toBe(raw);
    expect(s.masked).toBe('sk-…1234');
  });

  it.each([
    { how: 'JSON.stringify', out: () => JSON.stringify({ nested: { deep: [s] }, s }) },
    { how: 'template string', out: () => `key=${s}` },
    { how: 'concatenation', out: () => 'key=' + s },
    { how: 'String()', out: () => String(s) },
    { how: 'util.inspect', out: () => inspect({ a: { b: s } }, { showHidden: true, depth: 10 }) },
    { how: 'util.format', out: () => format('%s %o %j %O', s, s, s, s) },
    { how: 'util.format of a container', out: () => format('%s %o', { s }, [s]) },
    { how: 'Error message', out: () => new Error(`bad key ${s}`).message },
    { how: 'Error with cause, inspected', out: () => inspect(new Error('bad', { cause: { s } })) },
    { how: 'Object.entries', out: () => JSON.stringify(Object.entries(s)) },
    { how: 'structuredClone', out: () => inspect(structuredClone({ s })) },
  ])('$how never contains the raw value', ({ out }) => {
    const text = out();
    expect(text).not.toContain(raw);
    expect(text).not.toContain('canary');
  });

  it('prints the mask where it prints anything', () => {
    expect(JSON.stringify(s)).toBe('"sk-…1234"');
    expect(`${s}`).toBe('sk-…1234');
    expect(inspect(s)).toContain('sk-…1234');
    expect(format('%s', s)).toBe('sk-…1234');
  });

  it('cannot be modified to expose the value', () => {
    expect(Object.isFrozen(s)).toBe(true);
  });
});
