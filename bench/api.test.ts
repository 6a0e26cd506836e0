import { describe, expect, it } from 'vitest';
import { verdict } from './api.ts';
import type { LoadResult } from './support/load-types.ts';

function run(title: string, over: { p99?: number; rps?: number; non2xx?: number; errors?: number } = {}): LoadResult {
  return {
    title,
    requestsPerSecond: over.rps ?? 500,
    total: 7500,
    latencyMs: { p50: 2, p90: 5, p99: over.p99 ?? 10, max: 40 },
    errors: over.errors ?? 0,
    timeouts: 0,
    non2xx: over.non2xx ?? 0,
    statusCodes: {},
    durationS: 15,
  };
}

describe('verdict', () => {
  it('passes when every target run is fast, at rate and clean, ignoring non-target runs', () => {
    const v = verdict([
      { result: run('list'), target: true },
      { result: run('get', { p99: 19 }), target: true },
      { result: run('create', { p99: 500, non2xx: 9 }), target: false },
    ]);
    expect(v).toEqual({ pass: true, detail: 'list p99 10 ms; get p99 19 ms' });
  });

  it.each([
    ['a slow tail', { p99: 20 }, 'list: p99 20 ms'],
    ['a rate it could not keep', { rps: 400 }, 'list: only 400 req/s'],
    ['non-2xx answers', { non2xx: 3 }, 'list: 3 failed requests'],
    ['connection errors', { errors: 2 }, 'list: 2 failed requests'],
  ])('misses on %s', (_, over, detail) => {
    expect(verdict([{ result: run('list', over), target: true }])).toEqual({ pass: false, detail });
  });

  it('misses when there was nothing to check', () => {
    expect(verdict([{ result: run('create'), target: false }]).pass).toBe(false);
  });
});
