// Seeds workflows through the API (so every row is exactly what the server writes itself).
import { apiCall, stringField } from './api-client.ts';

/** Manual trigger → transform: the smallest graph that exercises validation and templates. */
export const benchGraph = {
  nodes: [
    { id: 'start', type: 'core.manual', version: 1, config: {}, position: { x: 0, y: 0 } },
    { id: 'shape', type: 'core.transform', version: 1, config: { fields: [{ name: 'greeting', value: 'Hello {{ $trigger.body.name }}' }] }, position: { x: 240, y: 0 } },
  ],
  edges: [{ id: 'e1', source: 'start', target: 'shape' }],
};

/** Creates `count` workflows, a few at a time; returns their ids in creation order. */
export async function seedWorkflows(baseUrl: string, token: string, count: number, parallel = 8): Promise<string[]> {
  const ids: string[] = new Array<string>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const res = await apiCall(baseUrl, '/api/workflows', { method: 'POST', token, body: { name: `seed ${i + 1}`, graph: benchGraph }, expect: 201 });
      ids[i] = stringField(res.json, 'id', 'create workflow');
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  return ids;
}
