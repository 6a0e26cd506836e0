import { describe, expect, it } from 'vitest';
import { logStartupGarbage, releaseStartupGarbage } from './startup-gc.ts';

describe('releaseStartupGarbage', () => {
  it('runs one synchronous last-resort major GC when gc is exposed, with the RSS around it', () => {
    const calls: unknown[] = [];
    const rss = [130_000_000, 107_000_000];
    expect(releaseStartupGarbage({ gc: (options: unknown) => calls.push(options) }, () => rss.shift()!)).toEqual({ rssBefore: 130_000_000, rssAfter: 107_000_000 });
    expect(calls).toEqual([{ type: 'major', execution: 'sync', flavor: 'last-resort' }]);
  });

  it('does nothing without --expose-gc', () => {
    expect(releaseStartupGarbage({})).toBeUndefined();
    expect(releaseStartupGarbage({ gc: 'not a function' })).toBeUndefined();
  });

  it('logs the RSS before and after in MB, and nothing when it did not run', () => {
    const lines: [object, string][] = [];
    const log = { info: (obj: object, msg: string) => void lines.push([obj, msg]) };
    logStartupGarbage(log, { rssBefore: 130_400_000, rssAfter: 107_300_000 });
    logStartupGarbage(log, undefined);
    expect(lines).toEqual([[{ rssBeforeMb: 130, rssAfterMb: 107 }, 'released start-up garbage']]);
  });
});
