// A failed save, told in words a person can act on; nothing on screen is thrown away.
import type { Graph } from '@keyflow/engine/graph';
import { ApiError } from '../api/client.ts';

/**
 * The API's 422 issues ("body.graph.nodes.2.config.url") by node id, so each shows on its
 * node. Edge faults are shown on the edge's source node; faults of the whole graph under ''.
 */
export function issuesByNode(graph: Graph, fields: readonly { path: string; message: string }[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (id: string, message: string) => (out[id] ??= []).push(message);
  for (const f of fields) {
    const parts = f.path.replace(/^body\.graph\.?/, '').split('.').filter(Boolean);
    const [kind, index, ...rest] = parts;
    const i = Number(index);
    const where = rest.length > 0 ? `${rest.join('.')}: ` : '';
    if (kind === 'nodes' && Number.isInteger(i) && graph.nodes[i]) add(graph.nodes[i].id, where + f.message);
    else if (kind === 'edges' && Number.isInteger(i) && graph.edges[i]) add(graph.edges[i].source, `connection to ${graph.edges[i].target}: ${f.message}`);
    else add('', parts.length > 0 ? `${parts.join('.')}: ${f.message}` : f.message);
  }
  return out;
}

export type SaveFailure =
  | { kind: 'conflict'; message: string }
  | { kind: 'invalid'; message: string; issues: Record<string, string[]> }
  | { kind: 'other'; message: string };

export function describeSaveFailure(error: unknown, graph: Graph): SaveFailure {
  if (error instanceof ApiError) {
    if (error.status === 409) return { kind: 'conflict', message: 'Someone saved this workflow since you opened it.' };
    if (error.status === 422) {
      const issues = issuesByNode(graph, error.fields);
      const count = error.fields.length;
      const general = issues['']?.join('; ');
      return { kind: 'invalid', issues, message: `Not saved: ${count} problem${count === 1 ? '' : 's'} ${count === 1 ? 'is' : 'are'} marked on the nodes${general ? ` (${general})` : ''}. Fix ${count === 1 ? 'it' : 'them'} and save again.` };
    }
    if (error.status === 0) return { kind: 'other', message: 'Not saved: the server cannot be reached. Your edits are kept in this browser; save again when you are back online.' };
    if (error.status === 401) return { kind: 'other', message: 'Not saved: your session ended. Your edits are kept in this browser; log in and save again.' };
    if (error.status === 413) return { kind: 'other', message: 'Not saved: the workflow is larger than the server accepts.' };
    return { kind: 'other', message: `Not saved: ${error.message}. Your edits are kept; try again.` };
  }
  return { kind: 'other', message: 'Not saved: something went wrong. Your edits are kept; try again.' };
}
