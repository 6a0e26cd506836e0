// Nodes upstream of one node (transitively, over every edge into it), nearest first: the
// Inspector offers their outputs in expression autocomplete.
import type { KfEdge } from '../store/types.ts';

export function upstreamIds(nodeId: string, edges: readonly KfEdge[]): string[] {
  const into = new Map<string, string[]>();
  for (const e of edges) {
    const list = into.get(e.target) ?? [];
    list.push(e.source);
    into.set(e.target, list);
  }
  const order: string[] = [];
  const seen = new Set([nodeId]);
  let frontier = [nodeId];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const src of into.get(id) ?? []) {
        if (seen.has(src)) continue;
        seen.add(src);
        order.push(src);
        next.push(src);
      }
    }
    frontier = next;
  }
  return order;
}
