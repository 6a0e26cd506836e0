// The server's edge rules (engine/src/graph/check-edges.ts), checked while a person drags a
// connection, so a refused edge comes with its reason at once instead of a 422 on save.
import { handleOf, LOOP_BACK_HANDLE, LOOP_ITEM_HANDLE } from '@keyflow/nodes/contract';
import { outputsOf, inputsOf } from './handles.ts';
import { descriptorKey, type DescriptorMap, type Doc, type KfEdge, type KfWorkflowNode } from './types.ts';

export interface ConnectionAttempt {
  source: string;
  target: string;
  sourceHandle?: string | null;
  targetHandle?: string | null;
}

function isBackEdge(edge: { target: string; targetHandle?: string | null }, loops: ReadonlySet<string>): boolean {
  return loops.has(edge.target) && handleOf(edge.targetHandle) === LOOP_BACK_HANDLE;
}

/** Whether `to` can be reached from `from` over forward edges (back edges into loops do not count). */
function reaches(from: string, to: string, edges: readonly KfEdge[], loops: ReadonlySet<string>, firstHandle?: string): boolean {
  const out = new Map<string, KfEdge[]>();
  for (const e of edges) {
    if (isBackEdge(e, loops)) continue;
    let list = out.get(e.source);
    if (!list) out.set(e.source, (list = []));
    list.push(e);
  }
  const seen = new Set<string>();
  const stack = (out.get(from) ?? []).filter((e) => firstHandle === undefined || handleOf(e.sourceHandle) === firstHandle).map((e) => e.target);
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (v === to) return true;
    if (seen.has(v)) continue;
    seen.add(v);
    for (const e of out.get(v) ?? []) stack.push(e.target);
  }
  return false;
}

/** Why this connection is refused, in words a person can act on; undefined when it is allowed. */
export function connectionProblem(doc: Doc, attempt: ConnectionAttempt, descriptors: DescriptorMap): string | undefined {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const source = byId.get(attempt.source);
  const target = byId.get(attempt.target);
  if (!source || !target || source.type !== 'workflow' || target.type !== 'workflow') return 'a connection joins two nodes (notes have no handles)';
  const s = source as KfWorkflowNode;
  const t = target as KfWorkflowNode;
  if (s.id === t.id) return 'a node cannot be connected to itself';
  const sd = descriptors.get(descriptorKey(s.data.type, s.data.version));
  const td = descriptors.get(descriptorKey(t.data.type, t.data.version));
  if (td?.kind === 'trigger') return `${t.data.name || td.title} is a trigger: nothing may lead into it`;
  if (sd && !outputsOf(sd, s.data).includes(handleOf(attempt.sourceHandle))) return `${s.data.name || sd.title} has no output '${handleOf(attempt.sourceHandle)}'`;
  if (td && !inputsOf(td).includes(handleOf(attempt.targetHandle))) return `${t.data.name || td.title} has no input '${handleOf(attempt.targetHandle)}'`;

  const same = doc.edges.some(
    (e) => e.source === attempt.source && e.target === attempt.target && handleOf(e.sourceHandle) === handleOf(attempt.sourceHandle) && handleOf(e.targetHandle) === handleOf(attempt.targetHandle),
  );
  if (same) return 'these handles are already connected';

  const loops = new Set<string>();
  for (const n of doc.nodes) {
    if (n.type !== 'workflow') continue;
    const d = descriptors.get(descriptorKey((n as KfWorkflowNode).data.type, (n as KfWorkflowNode).data.version));
    if (d?.kind === 'loop') loops.add(n.id);
  }
  if (isBackEdge(attempt, loops)) {
    // A back edge must come from the loop's body: reachable from its 'item' output.
    if (!reaches(t.id, s.id, doc.edges, loops, LOOP_ITEM_HANDLE)) return `the '${LOOP_BACK_HANDLE}' input of a loop takes an edge from the end of its body (a node after its '${LOOP_ITEM_HANDLE}' output)`;
    return undefined;
  }
  if (reaches(t.id, s.id, doc.edges, loops)) return `this would close a cycle; only an edge into a loop's '${LOOP_BACK_HANDLE}' input may lead back`;
  return undefined;
}
