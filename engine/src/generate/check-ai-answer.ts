// Turns a model's text into a valid graph or the issues that stop it. Positions are recomputed
// (left to right) and credential ids dropped: a model never chooses a user's connection.
import type { NodeRegistry } from '@keyflow/nodes/contract';
import { z } from 'zod';
import { validateGraph, type GraphIssue } from '../graph/validate-graph.ts';
import type { Graph } from '../graph/graph.schema.ts';
import type { NodeExplanation } from './generate-types.ts';
import { layoutLeftToRight } from './layout.ts';

const fence = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/i;

const envelope = z.object({
  nodes: z.array(z.unknown()),
  edges: z.array(z.unknown()),
  explanation: z.array(z.object({ nodeId: z.string().max(64), text: z.string().max(1_000) })).max(500).optional(),
  unplaced: z.array(z.string().max(500)).max(100).optional(),
});

export type CheckedAnswer = { ok: true; graph: Graph; explanation: NodeExplanation[]; unplaced: string[] } | { ok: false; issues: GraphIssue[] };

function withoutCredentials(node: unknown): unknown {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return node;
  const n = { ...(node as Record<string, unknown>) };
  if (typeof n.config === 'object' && n.config !== null && !Array.isArray(n.config)) {
    const config = { ...(n.config as Record<string, unknown>) };
    delete config.credentialId;
    delete config.credentialIds;
    n.config = config;
  }
  if (n.position === undefined) n.position = { x: 0, y: 0 };
  return n;
}

export function checkAiAnswer(text: string, registry: NodeRegistry, options: { minScheduleSeconds?: number }): CheckedAnswer {
  const trimmed = text.trim();
  let value: unknown;
  try {
    value = JSON.parse(fence.exec(trimmed)?.[1] ?? trimmed);
  } catch {
    return { ok: false, issues: [{ path: [], message: 'the answer is not valid JSON' }] };
  }
  const top = envelope.safeParse(value);
  if (!top.success) return { ok: false, issues: top.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'number' ? p : String(p))), message: i.message })) };
  const graph = { nodes: top.data.nodes.map(withoutCredentials), edges: top.data.edges };
  const checked = validateGraph(graph, registry, options.minScheduleSeconds ? { minScheduleSeconds: options.minScheduleSeconds } : {});
  if (!checked.ok) return { ok: false, issues: checked.issues };
  const laid = layoutLeftToRight(checked.graph);
  const given = new Map((top.data.explanation ?? []).map((e) => [e.nodeId, e.text]));
  const explanation = laid.nodes.map((n) => ({ nodeId: n.id, text: given.get(n.id)?.trim() || `${n.name ?? n.type}.` }));
  return { ok: true, graph: laid, explanation, unplaced: top.data.unplaced ?? [] };
}
