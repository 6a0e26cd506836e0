import { describe, expect, it } from 'vitest';
import { upstreamIds } from './upstream.ts';

describe('upstreamIds', () => {
  it('lists every node upstream, nearest first, once, through loops', () => {
    const edges = [
      { id: '1', source: 'hook', target: 'a' },
      { id: '2', source: 'a', target: 'b' },
      { id: '3', source: 'hook', target: 'c' },
      { id: '4', source: 'b', target: 'end' },
      { id: '5', source: 'c', target: 'end' },
      { id: '6', source: 'end', target: 'a' },
    ];
    expect(upstreamIds('end', edges)).toEqual(['b', 'c', 'a', 'hook']);
    expect(upstreamIds('hook', edges)).toEqual([]);
  });
});
