import { describe, expect, it } from 'vitest';
import { parseDurationMs, parseRetryAfter } from './retry-after.ts';

const now = Date.parse('2026-01-01T00:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    [{ 'retry-after': '2' }, 2000],
    [{ 'retry-after': '0.5' }, 500],
    [{ 'retry-after-ms': '1500', 'retry-after': '2' }, 1500],
    [{ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }, 30_000],
    [{ 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }, 0],
    [{ 'retry-after': 'soon' }, undefined],
    [{ 'retry-after': '-3' }, undefined],
    [{}, undefined],
  ])('%j → %s', (headers, expected) => {
    expect(parseRetryAfter(new Headers(headers), now)).toBe(expected);
  });
});

describe('parseDurationMs (google.rpc.RetryInfo.retryDelay)', () => {
  it.each([['20s', 20_000], ['1.5s', 1500], ['0s', 0], ['20', undefined], [20, undefined]])('%j → %s', (value, expected) => {
    expect(parseDurationMs(value)).toBe(expected);
  });
});
