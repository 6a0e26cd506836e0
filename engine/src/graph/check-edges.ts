// Edge faults: ids, ends, handles, triggers fed by an edge, cycles, and loop back edges.
import { handleOf, LOOP_BACK_HANDLE, LOOP_ITEM_HANDLE, type AnyNodeDefinition } from '@keyflow/nodes/contract';
import { findCycles, type Arc } from './find-cycles.ts';
import type { GraphEdge, GraphNode } from './graph.schema.ts';
import type { GraphIssue } from './validate-graph.ts';

export interface NodeSlot {
  index: number;
  node: GraphNode;
  /** Undefined for an unknown type (already reported): its edges are not checked further. */
  def: AnyNodeDefinition | undefined;
  /** Undefined when the outputs depend on a config that does not parse yet. */
  outputs: readonly string[] | undefined;
}

function label(slot: NodeSlot): string {
  return `node '${slot.node.id}' (${slot.node.type})`;
}

function handleProblem(handles: readonly string[], given: string | null | undefined, what: string): string | undefined {
  if (handles.includes(handleOf(given))) return undefined;
  const list = handles.join(', ');
  if (given === null || given === undefined) return `${what} has several (${list}): name one`;
  return `${what} has no '${given}' (it has ${list || 'none'})`;
}

/** Nodes reachable from a loop's 'item' output without passing through the loop. */
function bodyOf(loop: number, arcs: readonly (readonly Arc[])[], edges: readonly (GraphEdge | undefined)[]): Set<number> {
  const body = new Set<number>();
  const stack = arcs[loop]!.filter((a) => handleOf(edges[a.edge]!.sourceHandle) === LOOP_ITEM_HANDLE).map((a) => a.target);
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (v === loop || body.has(v)) continue;
    body.add(v);
    for (const arc of arcs[v]!) stack.push(arc.target);
  }
  return body;
}

export function checkEdges(edges: readonly (GraphEdge | undefined)[], slots: ReadonlyMap<string, NodeSlot>, shadowIds: ReadonlySet<string>): GraphIssue[] {
  const issues: GraphIssue[] = [];
  const list = [...slots.values()];
  const position = new Map(list.map((s, k) => [s.node.id, k]));
  const arcs: Arc[][] = list.map(() => []);
  const backEdges: { edge: number; loop: number; source: number }[] = [];
  const edgeIds = new Map<string, number>();
  const links = new Map<string, number>();

  edges.forEach((edge, j) => {
    if (!edge) return;
    const firstId = edgeIds.get(edge.id);
    if (firstId !== undefined) issues.push({ path: ['edges', j, 'id'], message: `duplicate edge id '${edge.id}' (first at edges[${firstId}])` });
    else edgeIds.set(edge.id, j);

    const source = slots.get(edge.source);
    const target = slots.get(edge.target);
    if (!source && !shadowIds.has(edge.source)) issues.push({ path: ['edges', j, 'source'], message: `no node '${edge.source}'` });
    if (!target && !shadowIds.has(edge.target)) issues.push({ path: ['edges', j, 'target'], message: `no node '${edge.target}'` });
    if (!source || !target) return;

    if (source.def && source.outputs) {
      const problem = handleProblem(source.outputs, edge.sourceHandle, `${label(source)}'s outputs`);
      if (problem) issues.push({ path: ['edges', j, 'sourceHandle'], message: problem });
    }
    if (target.def?.kind === 'trigger') {
      issues.push({ path: ['edges', j, 'target'], message: `${label(target)} is a trigger: nothing may lead into it` });
      return;
    }
    if (target.def) {
      const problem = handleProblem(target.def.inputs, edge.targetHandle, `${label(target)}'s inputs`);
      if (problem) issues.push({ path: ['edges', j, 'targetHandle'], message: problem });
    }

    const link = [edge.source, handleOf(edge.sourceHandle), edge.target, handleOf(edge.targetHandle)].join('\0');
    const firstLink = links.get(link);
    if (firstLink !== undefined) issues.push({ path: ['edges', j], message: `repeats the connection of edges[${firstLink}]` });
    else links.set(link, j);

    const s = position.get(edge.source)!;
    const t = position.get(edge.target)!;
    if (target.def?.kind === 'loop' && handleOf(edge.targetHandle) === LOOP_BACK_HANDLE) backEdges.push({ edge: j, loop: t, source: s });
    else arcs[s]!.push({ edge: j, target: t });
  });

  for (const cycle of findCycles(arcs)) {
    const ids = cycle.nodes.map((k) => `'${list[k]!.node.id}'`).join(', ');
    issues.push({ path: ['edges', cycle.edge], message: `this edge closes a cycle through ${ids}; only an edge into a loop's '${LOOP_BACK_HANDLE}' input may lead back` });
  }

  const bodies = new Map<number, Set<number>>();
  for (const back of backEdges) {
    let body = bodies.get(back.loop);
    if (!body) bodies.set(back.loop, (body = bodyOf(back.loop, arcs, edges)));
    if (!body.has(back.source)) {
      const loop = list[back.loop]!;
      issues.push({ path: ['edges', back.edge, 'source'], message: `an edge into ${label(loop)}'s '${LOOP_BACK_HANDLE}' input must come from its body (after its '${LOOP_ITEM_HANDLE}' output)` });
    }
  }
  return issues;
}
