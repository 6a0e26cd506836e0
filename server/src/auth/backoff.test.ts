import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.ts';

describe('Backoff', () => {
  const make = () => new Backoff({ free: 3, baseMs: 1000, maxMs: 60_000 });

  it('lets the first failures through, then doubles the wait with each further failure', () => {
    const b = make();
    const t0 = 1_000_000;
    b.fail('k', t0);
    b.fail('k', t0);
    expect(b.wait('k', t0)).toBe(0);
    const waits: number[] = [];
    let now = t0;
    for (let i = 0; i < 5; i++) {
      b.fail('k', now);
      waits.push(b.wait('k', now));
      now += b.wait('k', now) * 1000; // the client waits exactly as told
      expect(b.wait('k', now)).toBe(0);
    }
    expect(waits).toEqual([1, 2, 4, 8, 16]);
  });

  it('caps the wait, keeps keys apart, and forgets a key on reset or after a long quiet', () => {
    const b = make();
    for (let i = 0; i < 40; i++) b.fail('a', 0);
    expect(b.wait('a', 0)).toBe(60);
    expect(b.wait('b', 0)).toBe(0);
    b.reset('a');
    expect(b.wait('a', 0)).toBe(0);
    for (let i = 0; i < 10; i++) b.fail('c', 0);
    b.fail('c', 200_000); // quiet for longer than the longest wait: counted as a first failure
    expect(b.wait('c', 200_000)).toBe(0);
  });
});
