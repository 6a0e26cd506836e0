import { describe, expect, it } from 'vitest';
import { findCycles, type Arc } from './find-cycles.ts';

/** Builds arcs from [source, target] pairs; the pair's index is the edge index. */
function arcs(n: number, pairs: [number, number][]): Arc[][] {
  const out: Arc[][] = Array.from({ length: n }, () => []);
  pairs.forEach(([s, t], edge) => out[s]!.push({ edge, target: t }));
  return out;
}

describe('findCycles', () => {
  it.each<[string, number, [number, number][], { nodes: number[]; edge: number }[]]>([
    ['none in a DAG', 4, [[0, 1], [0, 2], [1, 3], [2, 3]], []],
    ['a self-loop', 2, [[0, 1], [1, 1]], [{ nodes: [1], edge: 1 }]],
    ['a triangle', 4, [[0, 1], [1, 2], [2, 3], [3, 1]], [{ nodes: [1, 2, 3], edge: 1 }]],
    ['two separate cycles', 5, [[0, 1], [1, 0], [2, 3], [3, 4], [4, 2]], [{ nodes: [0, 1], edge: 0 }, { nodes: [2, 3, 4], edge: 2 }]],
    ['nested cycles as one component', 3, [[0, 1], [1, 0], [1, 2], [2, 1]], [{ nodes: [0, 1, 2], edge: 0 }]],
  ])('finds %s', (_name, n, pairs, expected) => {
    expect(findCycles(arcs(n, pairs))).toEqual(expected);
  });

  it('walks a 10 000-node chain without overflowing the stack', () => {
    const n = 10_000;
    const pairs: [number, number][] = Array.from({ length: n - 1 }, (_, i) => [i, i + 1]);
    pairs.push([n - 1, 0]);
    const cycles = findCycles(arcs(n, pairs));
    expect(cycles).toHaveLength(1);
    expect(cycles[0]!.nodes).toHaveLength(n);
  });
});
