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
});
