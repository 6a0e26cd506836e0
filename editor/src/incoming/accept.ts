// Where an accepted graph (generated, or imported from n8n) goes: on a canvas that holds only
// the new workflow's lone trigger (or nothing) it replaces it; otherwise it is added to the
// right of what is there. Either way it is one edit, so one undo removes it.
import type { Graph } from '@keyflow/engine/graph';
import type { Doc } from '../store/types.ts';

export type AcceptPlan = { mode: 'replace' } | { mode: 'add'; offset: { x: number; y: number } };

const GAP = 300;

/** True when the canvas has nothing a person made yet: no nodes, or one unconnected trigger and notes. */
export function isBlankCanvas(doc: Doc, isTrigger: (type: string) => boolean): boolean {
  const flow = doc.nodes.filter((n) => n.type === 'workflow');
  if (flow.length === 0) return doc.nodes.length === 0;
  return flow.length === 1 && doc.edges.length === 0 && doc.nodes.length === 1 && isTrigger((flow[0]!.data as { type: string }).type);
}

export function acceptPlan(doc: Doc, graph: Graph, isTrigger: (type: string) => boolean): AcceptPlan {
  if (isBlankCanvas(doc, isTrigger)) return { mode: 'replace' };
  const right = Math.max(...doc.nodes.map((n) => n.position.x + (n.measured?.width ?? n.width ?? 200)));
  const top = Math.min(...doc.nodes.map((n) => n.position.y));
  const incoming = [...graph.nodes, ...(graph.notes ?? [])];
  const left = incoming.length > 0 ? Math.min(...incoming.map((n) => n.position.x)) : 0;
  const up = incoming.length > 0 ? Math.min(...incoming.map((n) => n.position.y)) : 0;
  return { mode: 'add', offset: { x: Math.round(right + GAP - left), y: Math.round(top - up) } };
}
