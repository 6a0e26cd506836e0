// Everything that makes a graph runnable, reported all at once with a path per fault, so
// the editor can mark each node and edge. O(n + e) apart from one walk per loop node.
import { nodeOutputs, zodIssues, type AnyNodeDefinition, type NodeRegistry } from '@keyflow/nodes/contract';
import { z } from 'zod';
import { checkNodeConfig } from './check-node-config.ts';
import { checkEdges, type NodeSlot } from './check-edges.ts';
import { checkLoopNesting } from './check-loop-nesting.ts';
import { scheduleFloorProblem } from './check-schedule-floor.ts';
import { graphEdgeSchema, graphNodeSchema, graphNoteSchema, MAX_EDGES, MAX_NODES, MAX_NODES_CEILING, MAX_NOTES, type Graph, type GraphEdge, type GraphNode, type GraphNote } from './graph.schema.ts';

export interface GraphIssue {
  path: (string | number)[];
  message: string;
}

export type GraphValidation = { ok: true; graph: Graph } | { ok: false; issues: GraphIssue[] };

export interface ValidateGraphOptions {
  /**
   * Extra checks of a node's config, e.g. expression syntax (engine/expr). Paths are relative
   * to the config; they are reported under ['nodes', i, 'config', …]. Not called for
   * disabled nodes or nodes of unknown type.
   */
  checkTemplates?: (config: Record<string, unknown>, node: GraphNode) => GraphIssue[];
  /**
   * The schedule floor (KEYFLOW_MIN_SCHEDULE_SECONDS): an enabled core.schedule trigger whose
   * cron fires two ticks closer than this is refused, at ['nodes', i, 'config', 'cron'].
   */
  minScheduleSeconds?: number;
  /** Most nodes a workflow may have (the server's KEYFLOW_MAX_WORKFLOW_NODES); default MAX_NODES. */
  maxNodes?: number;
}

const SCHEDULE_TYPE = 'core.schedule';

const envelopes = new Map<number, z.ZodType<{ nodes: unknown[]; edges: unknown[]; notes?: unknown[] | undefined }>>();

/** The top-level shape for one node limit (built once per limit: the limit is in the message). */
function envelopeFor(maxNodes: number) {
  let envelope = envelopes.get(maxNodes);
  if (!envelope) {
    envelope = z.strictObject({
      nodes: z.array(z.unknown()).max(maxNodes, `a workflow has at most ${maxNodes} nodes`),
      edges: z.array(z.unknown()).max(MAX_EDGES, `a workflow has at most ${MAX_EDGES} edges`),
      notes: z.array(z.unknown()).max(MAX_NOTES, `a workflow has at most ${MAX_NOTES} notes`).optional(),
    });
    envelopes.set(maxNodes, envelope);
  }
  return envelope;
}

function prefixed(prefix: (string | number)[], issues: GraphIssue[]): GraphIssue[] {
  return issues.map((i) => ({ path: [...prefix, ...i.path], message: i.message }));
}

/** Parses elements one by one, so one bad node does not hide the faults of the others. */
function parseElements<T>(items: unknown[], schema: z.ZodType<T>, key: 'nodes' | 'edges' | 'notes', issues: GraphIssue[]): (T | undefined)[] {
  return items.map((item, i) => {
    const parsed = schema.safeParse(item);
    if (parsed.success) return parsed.data;
    issues.push(...prefixed([key, i], zodIssues(parsed.error.issues)));
    return undefined;
  });
}

function describeUnknown(registry: NodeRegistry, node: GraphNode): GraphIssue {
  const versions = registry.versions(node.type);
  if (versions.length === 0) return { path: ['type'], message: `unknown node type '${node.type}'` };
  return { path: ['version'], message: `${node.type} has no version ${node.version} (known: ${versions.join(', ')})` };
}

/** Outputs a node's edges can be checked against, or undefined when config hides them. */
function outputsOf(def: AnyNodeDefinition, parsed: { value: unknown } | undefined): readonly string[] | undefined {
  if (typeof def.outputs !== 'function') return def.outputs;
  return parsed ? nodeOutputs(def, parsed.value) : undefined;
}

/**
 * Validates a graph document against the schema and the registry: element shapes, node
 * types and versions, each node's config, ids, edge ends and handles, cycles (a back edge
 * into a loop's 'next' input is the one allowed), exactly one trigger and none fed by an edge.
 */
export function validateGraph(graph: unknown, registry: NodeRegistry, options: ValidateGraphOptions = {}): GraphValidation {
  const maxNodes = options.maxNodes ?? MAX_NODES;
  if (!Number.isInteger(maxNodes) || maxNodes < 1 || maxNodes > MAX_NODES_CEILING) throw new RangeError(`maxNodes must be a whole number from 1 to ${MAX_NODES_CEILING}`);
  const top = envelopeFor(maxNodes).safeParse(graph);
  if (!top.success) return { ok: false, issues: zodIssues(top.error.issues) };

  const issues: GraphIssue[] = [];
  const nodes = parseElements(top.data.nodes, graphNodeSchema, 'nodes', issues);
  const edges = parseElements(top.data.edges, graphEdgeSchema, 'edges', issues);
  const notes = top.data.notes === undefined ? undefined : parseElements(top.data.notes, graphNoteSchema, 'notes', issues);
  if (notes) {
    const noteIds = new Map<string, number>();
    notes.forEach((note, i) => {
      if (!note) return;
      const first = noteIds.get(note.id);
      if (first !== undefined) issues.push({ path: ['notes', i, 'id'], message: `duplicate note id '${note.id}' (first at notes[${first}])` });
      else noteIds.set(note.id, i);
    });
  }
  // Ids of nodes that exist but failed to parse: edges to them are not "to a missing node".
  const shadowIds = new Set<string>();
  top.data.nodes.forEach((raw, i) => {
    if (nodes[i] === undefined && typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string') shadowIds.add(raw.id);
  });

  const slots = new Map<string, NodeSlot>();
  const triggers: number[] = [];
  let unresolved = nodes.includes(undefined);
  nodes.forEach((node, i) => {
    if (!node) return;
    const first = slots.get(node.id);
    if (first) {
      issues.push({ path: ['nodes', i, 'id'], message: `duplicate node id '${node.id}' (first at nodes[${first.index}])` });
      return;
    }
    const def = registry.get(node.type, node.version);
    if (!def) {
      unresolved = true;
      issues.push(...prefixed(['nodes', i], [describeUnknown(registry, node)]));
      slots.set(node.id, { index: i, node, def: undefined, outputs: undefined });
      return;
    }
    const check = checkNodeConfig(def, node.config);
    if (!node.disabled) {
      issues.push(...prefixed(['nodes', i, 'config'], check.issues));
      if (options.checkTemplates) issues.push(...prefixed(['nodes', i, 'config'], options.checkTemplates(node.config, node)));
      if (options.minScheduleSeconds && node.type === SCHEDULE_TYPE && check.issues.length === 0 && check.parsed) {
        const { cron, timezone } = check.parsed.value as { cron: string; timezone: string };
        const problem = scheduleFloorProblem(cron, timezone, options.minScheduleSeconds);
        if (problem) issues.push({ path: ['nodes', i, 'config', 'cron'], message: problem });
      }
    }
    slots.set(node.id, { index: i, node, def, outputs: outputsOf(def, check.parsed) });
    if (def.kind === 'trigger') {
      triggers.push(i);
      if (node.disabled) issues.push({ path: ['nodes', i, 'disabled'], message: 'the trigger cannot be disabled' });
    }
  });

  if (triggers.length === 0 && !unresolved) {
    issues.push({ path: ['nodes'], message: 'a workflow needs exactly one trigger node, and has none' });
  }
  for (const i of triggers.slice(1)) {
    issues.push({ path: ['nodes', i, 'type'], message: `a workflow has exactly one trigger; '${nodes[triggers[0]!]!.id}' is already one` });
  }

  issues.push(...checkEdges(edges, slots, shadowIds));

  if (issues.length > 0) return { ok: false, issues };
  const valid: Graph = { nodes: nodes.filter((n): n is GraphNode => n !== undefined), edges: edges.filter((e): e is GraphEdge => e !== undefined) };
  // Notes are kept only when the document has them, so a graph without notes round-trips unchanged.
  if (notes) valid.notes = notes.filter((n): n is GraphNote => n !== undefined);
  // Only on an otherwise valid graph: loop bodies are walked over edges already checked.
  const nesting = checkLoopNesting(valid, (type, version) => registry.get(type, version)?.kind === 'loop');
  if (nesting.length > 0) return { ok: false, issues: nesting };
  return { ok: true, graph: valid };
}
