// What the AI path sends: the node catalog, the graph document's JSON Schema and the shape of
// the answer, then the user's description; a repair turn quotes the validator's issues.
import { z } from 'zod';
import { graphEdgeSchema, graphNodeSchema } from '../graph/graph.schema.ts';
import type { GraphIssue } from '../graph/validate-graph.ts';
import { catalogForPrompt, type CatalogEntry } from './catalog.ts';

/** The answer the model must give: a graph plus one sentence per node and what it left out. */
export function answerJsonSchema(): Record<string, unknown> {
  const answer = z.strictObject({
    nodes: z.array(graphNodeSchema.extend({ position: graphNodeSchema.shape.position.optional() })),
    edges: z.array(graphEdgeSchema),
    explanation: z.array(z.strictObject({ nodeId: z.string(), text: z.string() })),
    unplaced: z.array(z.string()),
  });
  return z.toJSONSchema(answer, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

export function systemPrompt(catalog: readonly CatalogEntry[]): string {
  return [
    'You design workflows for Keyflow, a visual workflow builder. Turn the user\'s description into one workflow graph.',
    'Rules:',
    '- Use only node types and versions from the catalog below; each node\'s "config" must match that node\'s config JSON Schema.',
    '- Exactly one trigger node (kind "trigger"), first; no edge into it. Edges go from a source node\'s output handle (sourceHandle: "main" or null, "true"/"false" for a condition, "item"/"done" for a loop, a case handle for a switch) to a target.',
    '- Node ids: 1-64 letters, digits, _ or -. Reference earlier nodes\' data in configs with {{ $node["<id>"].output… }} and the trigger\'s with {{ $trigger… }}; inside a loop body, {{ $item }}.',
    '- Never put credentials, API keys, tokens or credentialId in a config: the user picks connections.',
    '- explanation: one sentence per node saying why it is there. unplaced: what the description asks for that no catalog node can do.',
    '- Answer with one JSON object only, matching the answer schema.',
    '',
    `Answer schema: ${JSON.stringify(answerJsonSchema())}`,
    '',
    `Node catalog: ${JSON.stringify(catalogForPrompt(catalog))}`,
  ].join('\n');
}

export function userPrompt(description: string): string {
  return `Workflow description:\n"""\n${description}\n"""`;
}

/** The repair turn: the issues as the validator states them, a bounded number. */
export function repairPrompt(issues: readonly GraphIssue[]): string {
  const listed = issues.slice(0, 30).map((i) => `- ${i.path.length ? i.path.join('.') : '(answer)'}: ${i.message}`);
  const more = issues.length > 30 ? [`- …and ${issues.length - 30} more`] : [];
  return ['Your answer is not a valid Keyflow graph:', ...listed, ...more, 'Answer again with the whole corrected JSON object.'].join('\n');
}
