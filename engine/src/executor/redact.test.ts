import { describe, expect, it } from 'vitest';
import { redactForStorage } from './redact.ts';

describe('redactForStorage', () => {
  it('replaces values under credential-like keys, anywhere in the structure', () => {
    expect(redactForStorage({ a: [{ apiKey: 'sk-1', keep: 1 }], headers: { Authorization: 'Bearer x' }, token: '' })).toEqual({ a: [{ apiKey: '[redacted]', keep: 1 }], headers: { Authorization: '[redacted]' }, token: '' });
  });

  it('never passes on, unredacted, what lies deeper than it looks', () => {
    let deep: unknown = { password: 'sk-canary-deep' };
    for (let i = 0; i < 100; i++) deep = { next: deep };
    expect(JSON.stringify(redactForStorage(deep))).not.toContain('sk-canary-deep');
  });

  it('returns what it was given when nothing is replaced, and a copy (the original untouched) when something is', () => {
    const clean = { a: [{ keep: 1 }], headers: { accept: 'x' } };
    expect(redactForStorage(clean)).toBe(clean);
    const dirty = { a: [{ keep: 1 }, { password: 'p' }], b: 2 };
    const out = redactForStorage(dirty) as typeof dirty;
    expect(out).toEqual({ a: [{ keep: 1 }, { password: '[redacted]' }], b: 2 });
    expect(out).not.toBe(dirty);
    expect(out.a[0]).toBe(dirty.a[0]);
    expect(dirty.a[1]).toEqual({ password: 'p' });
  });
});
