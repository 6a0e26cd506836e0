// The benchmark's workflows, made through the public API: webhook ("wait") → N transforms →
// respond. Each step evaluates one template, like each change node of the Node-RED flow.
import { apiCall, stringField } from './api-client.ts';

const pos = { x: 0, y: 0 };

export interface GraphNode {
  id: string;
  type: string;
  version: number;
  config: Record<string, unknown>;
  position: { x: number; y: number };
}

/** webhook → `steps` transforms in a line → respond with the last transform's output. */
export function chainGraph(steps: number, responseMode: 'wait' | 'accepted' = 'wait'): { nodes: GraphNode[]; edges: { id: string; source: string; target: string }[] } {
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`a chain needs at least one step, got ${steps}`);
  const ids = Array.from({ length: steps }, (_, i) => (steps === 1 ? 'shape' : `shape${i + 1}`));
  const nodes: GraphNode[] = [
    { id: 'hook', type: 'core.webhook', version: 1, config: { responseMode }, position: pos },
    ...ids.map((id) => ({ id, type: 'core.transform', version: 1, config: { fields: [{ name: 'greeting', value: 'Hello {{ $trigger.body.name }}' }] }, position: pos })),
    { id: 'reply', type: 'core.respond', version: 1, config: { status: 200, body: `{{ $node["${ids.at(-1)!}"].output }}` }, position: pos },
  ];
  const order = nodes.map((n) => n.id);
  return { nodes, edges: order.slice(1).map((target, i) => ({ id: `e${i + 1}`, source: order[i]!, target })) };
}

export interface HookPool {
  workflowIds: string[];
  /** Webhook URL paths (production), one per workflow. */
  paths: string[];
}

/** Creates, activates and reads back the webhook of one workflow; returns its id and path. */
export async function createHookWorkflow(baseUrl: string, token: string, name: string, graph: unknown): Promise<{ id: string; path: string }> {
  const created = await apiCall(baseUrl, '/api/workflows', { method: 'POST', token, body: { name, graph }, expect: 201 });
  const id = stringField(created.json, 'id', 'create workflow');
  await apiCall(baseUrl, `/api/workflows/${id}/activate`, { method: 'POST', token });
  const hooks = await apiCall(baseUrl, `/api/workflows/${id}/webhooks`, { token });
  const first = Array.isArray(hooks.json) ? (hooks.json[0] as unknown) : undefined;
  return { id, path: new URL(stringField(first, 'url', 'webhooks of the workflow')).pathname };
}

/**
 * `count` identical workflows. The server caps each webhook's requests a minute
 * (KEYFLOW_WEBHOOK_RATE_PER_MINUTE); with a cap below a scenario's load, it is spread over several hooks.
 */
export async function createHookPool(baseUrl: string, token: string, label: string, graph: unknown, count: number, parallel = 8): Promise<HookPool> {
  const made: { id: string; path: string }[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      made[i] = await createHookWorkflow(baseUrl, token, `bench ${label} ${i + 1}`, graph);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  return { workflowIds: made.map((m) => m.id), paths: made.map((m) => m.path) };
}

/** Pool size so a scenario of `expectedRequests` stays under the per-hook cap with room to spare. */
export function poolSizeFor(expectedRequests: number, perHookCap = 600): number {
  return Math.max(1, Math.ceil(expectedRequests / (perHookCap * 0.8)));
}
