// Loops inside loops multiply: three levels of 10,000 items is a trillion steps. The nesting
// depth is bounded at save time here and again by the executor, for graphs saved before.
import { indexGraph, loopBody } from './graph-index.ts';
import type { Graph } from './graph.schema.ts';

/** The deepest loop nesting a workflow may have (a loop in a loop in a loop). */
export const MAX_LOOP_NESTING = 3;

/** Each loop's depth: 1 at the top level, plus one for every loop whose body holds it. */
export function loopDepths(graph: Graph, isLoop: (type: string, version: number) => boolean): Map<string, number> {
  const index = indexGraph(graph);
  const loops = graph.nodes.filter((node) => isLoop(node.type, node.version)).map((node) => node.id);
  const depths = new Map<string, number>(loops.map((id) => [id, 1]));
  for (const outer of loops) {
    for (const inner of loopBody(index, outer)) if (depths.has(inner)) depths.set(inner, depths.get(inner)! + 1);
  }
  return depths;
}

/** An issue per loop nested deeper than MAX_LOOP_NESTING, at its node. */
export function checkLoopNesting(graph: Graph, isLoop: (type: string, version: number) => boolean): { path: (string | number)[]; message: string }[] {
  const depths = loopDepths(graph, isLoop);
  const issues: { path: (string | number)[]; message: string }[] = [];
  graph.nodes.forEach((node, i) => {
    const depth = depths.get(node.id) ?? 0;
    if (depth > MAX_LOOP_NESTING) issues.push({ path: ['nodes', i], message: `loops are nested more than ${MAX_LOOP_NESTING} deep (this loop is at depth ${depth})` });
  });
  return issues;
}
