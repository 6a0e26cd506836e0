import { describe, expect, it } from 'vitest';
import { classifyText, looksLikeN8n } from './detect.ts';

const n8nExport = {
  name: 'Leads',
  nodes: [
    { id: 'a1', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], parameters: { path: 'leads' } },
    { id: 'a2', name: 'Slack', type: 'n8n-nodes-base.slack', typeVersion: 2, position: [200, 0], parameters: { text: '={{ $json.body.name }}' }, credentials: { slackApi: { id: '1', name: 'x' } } },
  ],
  connections: { Webhook: { main: [[{ node: 'Slack', type: 'main', index: 0 }]] } },
  pinData: {},
  meta: { instanceId: 'abc' },
};
// n8n's own canvas copy has no name or settings, only nodes and connections.
const n8nCanvasCopy = { nodes: [n8nExport.nodes[0]], connections: {} };
const ours = { nodes: [{ id: 'start', type: 'core.manual', version: 1, config: {}, position: { x: 0, y: 0 } }], edges: [] };

describe('telling pasted JSON apart', () => {
  it('recognises an n8n export and an n8n canvas copy', () => {
    expect(classifyText(JSON.stringify(n8nExport)).kind).toBe('n8n');
    expect(classifyText(JSON.stringify(n8nCanvasCopy)).kind).toBe('n8n');
  });

  it('keeps our own clipboard format and a Keyflow export as Keyflow nodes', () => {
    const mine = classifyText(JSON.stringify(ours));
    expect(mine.kind).toBe('keyflow');
    expect(classifyText(JSON.stringify({ keyflow: 1, name: 'x', graph: ours })).kind).toBe('keyflow');
  });

  it('is neither for other JSON or non-JSON, and says so', () => {
    expect(classifyText('hello')).toEqual({ kind: 'none', message: 'it is not JSON' });
    const other = classifyText(JSON.stringify({ nodes: [{ id: 'x' }] }));
    expect(other.kind).toBe('none');
    expect(other.kind === 'none' && other.message).toContain('neither Keyflow nodes nor an n8n workflow');
  });

  it('does not take a Keyflow graph with n8n-looking parameters for n8n', () => {
    expect(looksLikeN8n({ nodes: [{ type: 'core.http', parameters: {}, config: {} }], edges: [] })).toBe(false);
    expect(looksLikeN8n({ nodes: [{ type: 'n8n-nodes-base.set' }], connections: {} })).toBe(false);
    expect(looksLikeN8n([n8nExport])).toBe(false);
  });
});
