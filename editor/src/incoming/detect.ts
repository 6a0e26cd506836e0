// What a paste or a dropped file holds: Keyflow nodes (our graph JSON or a Keyflow export, the
// canvas's own clipboard format), an n8n workflow (an export or n8n's own canvas copy), or
// neither. n8n's shape: `nodes` whose entries carry `type` and `parameters` (and usually
// `typeVersion`), with `connections` keyed by node name; ours has `edges` and `version`.
import { parseFragment } from '../store/clipboard.ts';
import type { Graph } from '@keyflow/engine/graph';

export type Incoming = { kind: 'keyflow'; graph: Graph } | { kind: 'n8n'; workflow: Record<string, unknown> } | { kind: 'none'; message: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True for an n8n workflow export or n8n canvas copy. */
export function looksLikeN8n(value: unknown): value is Record<string, unknown> {
  if (!isObject(value) || !Array.isArray(value['nodes']) || 'edges' in value || 'keyflow' in value) return false;
  const nodes = value['nodes'] as unknown[];
  if (nodes.length === 0) return isObject(value['connections']);
  return nodes.every((n) => isObject(n) && typeof n['type'] === 'string' && isObject(n['parameters']) && !('config' in n));
}

export function classifyText(text: string): Incoming {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'none', message: 'it is not JSON' };
  }
  if (looksLikeN8n(value)) return { kind: 'n8n', workflow: value };
  const ours = parseFragment(text);
  if (ours.ok) return { kind: 'keyflow', graph: ours.graph };
  return { kind: 'none', message: ours.message.replace(/^the clipboard does not hold Keyflow nodes /, 'it holds neither Keyflow nodes nor an n8n workflow ') };
}
