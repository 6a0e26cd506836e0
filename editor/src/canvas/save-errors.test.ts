import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.ts';
import { describeSaveFailure, issuesByNode } from './save-errors.ts';

const graph = {
  nodes: [
    { id: 'hook', type: 'core.webhook', version: 1, config: {}, position: { x: 0, y: 0 } },
    { id: 'call', type: 'core.http', version: 1, config: {}, position: { x: 200, y: 0 } },
  ],
  edges: [{ id: 'e1', source: 'hook', target: 'call' }],
};

describe('save failures', () => {
  it('puts 422 issues on the nodes they name', () => {
    const issues = issuesByNode(graph, [
      { path: 'body.graph.nodes.1.config.url', message: 'required' },
      { path: 'body.graph.edges.0.targetHandle', message: "has no 'x'" },
      { path: 'body.graph.nodes', message: 'a workflow needs exactly one trigger node' },
    ]);
    expect(issues).toEqual({ call: ['config.url: required'], hook: ["connection to call: has no 'x'"], '': ['nodes: a workflow needs exactly one trigger node'] });
  });

  it.each([
    [new ApiError(409, 'conflict'), 'conflict', /saved this workflow since/],
    [new ApiError(422, 'invalid', 'invalid', [{ path: 'body.graph.nodes.1.config.url', message: 'required' }]), 'invalid', /1 problem is marked on the nodes/],
    [new ApiError(0, 'down', 'network'), 'other', /cannot be reached. Your edits are kept/],
    [new ApiError(401, 'expired'), 'other', /session ended.*log in and save again/],
    [new ApiError(500, 'boom'), 'other', /Your edits are kept/],
  ])('explains %s', (error, kind, message) => {
    const f = describeSaveFailure(error, graph);
    expect(f.kind).toBe(kind);
    expect(f.message).toMatch(message);
  });
});
