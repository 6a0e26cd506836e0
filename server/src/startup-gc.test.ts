import { describe, expect, it } from 'vitest';
import { releaseStartupGarbage } from './startup-gc.ts';

describe('releaseStartupGarbage', () => {
  it('runs one synchronous last-resort major GC when gc is exposed', () => {
    const calls: unknown[] = [];
    expect(releaseStartupGarbage({ gc: (options: unknown) => calls.push(options) })).toBe(true);
    expect(calls).toEqual([{ type: 'major', execution: 'sync', flavor: 'last-resort' }]);
  });

  it('does nothing without --expose-gc', () => {
    expect(releaseStartupGarbage({})).toBe(false);
    expect(releaseStartupGarbage({ gc: 'not a function' })).toBe(false);
  });
});
