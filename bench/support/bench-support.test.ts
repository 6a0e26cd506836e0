import { describe, expect, it } from 'vitest';
import { formatTable } from './format-table.ts';
import { isLoadResult, isLoadSpec, type LoadResult } from './load-types.ts';
import { readRssBytes } from './engine-proc-stats.ts';

const result: LoadResult = {
  title: 'list',
  requestsPerSecond: 500,
  total: 7500,
  latencyMs: { p50: 3, p90: 6, p99: 12, max: 30 },
  errors: 0,
  timeouts: 0,
  non2xx: 0,
  statusCodes: { '200': 7500 },
  durationS: 15,
};

describe('formatTable', () => {
  it('pads the first column left and the others right, under a rule', () => {
    expect(formatTable(['name', 'n'], [['a', '1'], ['bbb', '200']]).split('\n')).toEqual(['name    n', '----  ---', 'a       1', 'bbb   200']);
  });
});

describe('load worker messages', () => {
  it('accepts a complete result', () => {
    expect(isLoadResult(JSON.parse(JSON.stringify(result)))).toBe(true);
  });

  it.each([
    ['no latency', { ...result, latencyMs: undefined }],
    ['a string count', { ...result, non2xx: '0' }],
    ['a missing p99', { ...result, latencyMs: { p50: 1, p90: 2, max: 3 } }],
    ['an array', [result]],
  ])('rejects a result with %s', (_, value) => {
    expect(isLoadResult(value)).toBe(false);
  });

  it.each([
    [{ title: 't', url: 'http://127.0.0.1:1/', connections: 1, durationS: 1 }, true],
    [{ title: 't', url: 'http://127.0.0.1:1/', connections: 1 }, false],
    [{ url: 'http://127.0.0.1:1/', connections: 1, durationS: 1 }, false],
    [null, false],
  ])('checks a spec %#', (spec, ok) => {
    expect(isLoadSpec(spec)).toBe(ok);
  });
});

describe('readRssBytes', () => {
  it('reads this process RSS from /proc', () => {
    const rss = readRssBytes(process.pid);
    expect(rss).toBeGreaterThan(1024 * 1024);
  });

  it('is undefined for a process that does not exist', () => {
    expect(readRssBytes(2 ** 22 + 1)).toBeUndefined();
  });
});
