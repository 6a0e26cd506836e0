// A layered left-to-right layout: a node's column is its longest distance from the trigger
// (back edges into a loop's 'next' ignored), rows in the order nodes were placed. Pure maths,
// no browser: the editor can re-layout, but a generated graph is readable as it comes.
import type { Graph } from '../graph/graph.schema.ts';

export const COLUMN_WIDTH = 280;
export const ROW_HEIGHT = 140;

export function layoutLeftToRight(graph: Graph): Graph {
  const ids = graph.nodes.map((n) => n.id);
  const column = new Map(ids.map((id) => [id, 0]));
  const forward = graph.edges.filter((e) => e.targetHandle !== 'next');
  // Longest path by relaxation; a DAG of ≤ 500 nodes settles in at most n passes.
  for (let pass = 0; pass < ids.length; pass++) {
    let changed = false;
    for (const e of forward) {
      const next = (column.get(e.source) ?? 0) + 1;
      if (column.has(e.target) && next > column.get(e.target)!) {
        column.set(e.target, next);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const rows = new Map<number, number>();
  const nodes = graph.nodes.map((n) => {
    const col = column.get(n.id) ?? 0;
    const row = rows.get(col) ?? 0;
    rows.set(col, row + 1);
    return { ...n, position: { x: col * COLUMN_WIDTH, y: row * ROW_HEIGHT } };
  });
  return { nodes, edges: graph.edges };
}
