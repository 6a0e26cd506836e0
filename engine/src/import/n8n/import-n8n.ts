// An n8n workflow export → a Keyflow graph and an honest report. Nothing is saved here: the
// caller (POST /api/workflows/import/n8n, the editor) shows the report and saves if asked.
// Order: bound and type the untrusted document, pick the one trigger, fold chat models into
// the AI node they feed, map each node (or keep it as a placeholder), wire edges by handle,
// then validate with the API's validator and demote what it refuses, so the graph is valid.
import { MAIN_HANDLE, type NodeRegistry } from '@keyflow/nodes/contract';
import { Invalid } from '../../errors.ts';
import { graphSchema, MAX_NAME_LENGTH, validateGraph, type Graph, type GraphEdge, type GraphNode } from '../../graph/index.ts';
import * as graphLimits from '../../graph/graph.schema.ts';
import { n8nExportSchema, type N8nNode } from './export.schema.ts';
import { literalText, type ExpressionCounts, type ExpressionScope } from './expressions.ts';
import { inspectJson } from './inspect-json.ts';
import { IMPORT_LIMITS } from './limits.ts';
import { CHAT_MODELS, chatModelOf, isN8nTrigger, MAPPERS, type FoldedModel, type MapContext, type Mapped } from './mappers.ts';
import { isRecord } from './records.ts';

export interface ImportOptions {
  registry: NodeRegistry;
  /** The schedule floor (KEYFLOW_MIN_SCHEDULE_SECONDS); faster n8n schedules are slowed to it. */
  minScheduleSeconds?: number;
  /** The operator's node limit (KEYFLOW_MAX_WORKFLOW_NODES), when lower than the graph's own. */
  maxNodes?: number;
}

export interface NodeReport {
  name: string;
  n8nType: string;
  keyflowType: string | null;
  status: 'mapped' | 'placeholder';
  reason?: string;
  /** Our node id (absent for chat models folded into another node). */
  nodeId?: string;
}

export interface CredentialToConnect {
  node: string;
  nodeId?: string;
  /** n8n's credential type, e.g. slackOAuth2Api; the credential itself is never imported. */
  n8nCredentialType: string;
}

export interface ImportReport {
  nodes: NodeReport[];
  credentialsToConnect: CredentialToConnect[];
  expressions: ExpressionCounts;
  /** Sticky notes, when the graph has no notes of its own to carry them. */
  stickyNotes?: { text: string }[];
  /** Connections that could not be carried. */
  warnings: string[];
}

export interface ImportResult {
  graph: Graph;
  report: ImportReport;
  name?: string;
}

const STICKY = 'n8n-nodes-base.stickyNote';
const SUPPORTS_NOTES = 'notes' in graphSchema.shape;
// Read by name so this builds whether or not the graph schema has notes yet.
const MAX_NOTE_TEXT = (graphLimits as Record<string, unknown>).MAX_NOTE_TEXT as number | undefined ?? 5_000;
const MAX_NOTES = (graphLimits as Record<string, unknown>).MAX_NOTES as number | undefined ?? 200;

interface Slot {
  n8n: N8nNode;
  id: string;
  report: NodeReport;
  node?: GraphNode;
  mapped?: Mapped;
  /** Placeholder outputs, by n8n output index. */
  placeholder?: boolean;
  isTrigger: boolean;
  /** A manual trigger beside the workflow's trigger: its connections start from that trigger instead. */
  folded?: boolean;
  /** The second node of a mapping in two (Mapped.then): the n8n node's outputs leave from it. */
  extra?: GraphNode;
  /** Left out: a sub-node wired to nothing, which n8n never runs. */
  dropped?: boolean;
}

const MANUAL_TRIGGERS = new Set(['n8n-nodes-base.manualTrigger', 'n8n-nodes-base.start']);

function triggerRank(type: string): number {
  // A trigger Keyflow has a mapping for comes before one it would keep as a placeholder.
  if (!MAPPERS.has(type)) return 10;
  if (type === 'n8n-nodes-base.webhook') return 0;
  if (['n8n-nodes-base.scheduleTrigger', 'n8n-nodes-base.cron', 'n8n-nodes-base.interval'].includes(type)) return 1;
  if (type === 'n8n-nodes-base.manualTrigger' || type === 'n8n-nodes-base.start') return 3;
  return 2;
}

function slugId(name: string, taken: Set<string>): string {
  const base = name.normalize('NFKD').replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 56) || 'node';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
  taken.add(id);
  return id;
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}

function positionOf(node: N8nNode, index: number): { x: number; y: number } {
  const p = node.position;
  if (p) return { x: clamp(p[0], -1e7, 1e7), y: clamp(p[1], -1e7, 1e7) };
  return { x: (index % 10) * 220, y: Math.floor(index / 10) * 160 };
}

/** Placeholder parameters: `{{` written inert, so they render back to exactly the original text. */
function inert(value: unknown): unknown {
  if (typeof value === 'string') return literalText(value);
  if (Array.isArray(value)) return value.map(inert);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: inert(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

function outputHandle(index: number): string {
  return index === 0 ? MAIN_HANDLE : `output${index}`;
}

function fail(message: string, path: (string | number)[], detail: string): never {
  throw new Invalid(message, [{ path, message: detail }]);
}

/** Parses, bounds and types the export; every refusal is an Invalid (422) naming the field. */
function readExport(input: unknown) {
  let doc = input;
  if (typeof input === 'string') {
    if (Buffer.byteLength(input, 'utf8') > IMPORT_LIMITS.maxTextBytes) fail('the n8n export is too large', [], `an export is at most ${IMPORT_LIMITS.maxTextBytes} bytes`);
    try {
      doc = JSON.parse(input);
    } catch {
      fail('the n8n export is not JSON', [], 'is not valid JSON');
    }
  }
  // n8n's "copy" gives the workflow; some tools wrap it as { workflow: … } or a one-element array.
  if (Array.isArray(doc) && doc.length === 1) doc = doc[0];
  if (isRecord(doc) && !('nodes' in doc) && isRecord(doc.workflow)) doc = doc.workflow;
  const problem = inspectJson(doc);
  if (problem) fail('the n8n export cannot be imported', problem.path, problem.message);
  if (!isRecord(doc)) fail('the n8n export is not a workflow', [], 'expected an object with "nodes" and "connections"');
  const parsed = n8nExportSchema.safeParse(doc);
  if (!parsed.success) {
    throw new Invalid('the n8n export has fields of the wrong shape', parsed.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message })));
  }
  return parsed.data;
}

export function importN8nWorkflow(input: unknown, options: ImportOptions): ImportResult {
  const { registry } = options;
  const minScheduleSeconds = options.minScheduleSeconds ?? 60;
  const maxNodes = Math.min(IMPORT_LIMITS.maxNodes, options.maxNodes ?? IMPORT_LIMITS.maxNodes);
  const limits = { minScheduleSeconds, maxNodes };
  const doc = readExport(input);
  const counts: ExpressionCounts = { translated: 0, kept: 0 };
  const warnings: string[] = [];

  const sticky: { node: N8nNode; index: number }[] = [];
  const real: { node: N8nNode; index: number }[] = [];
  doc.nodes.forEach((node, index) => (node.type === STICKY ? sticky : real).push({ node, index }));
  if (real.length > maxNodes) fail('the n8n export has too many nodes', ['nodes'], `a Keyflow workflow has at most ${maxNodes} nodes; this export has ${real.length} (sticky notes aside)`);

  const byName = new Map<string, number>();
  for (const { node, index } of real) {
    if (byName.has(node.name)) fail('the n8n export repeats a node name', ['nodes', index, 'name'], `the name '${node.name.slice(0, 100)}' is used by two nodes; n8n names are unique`);
    byName.set(node.name, index);
  }

  // Connections, checked against the node names before anything is built from them.
  interface Link {
    from: string;
    to: string;
    kind: string;
    output: number;
  }
  const links: Link[] = [];
  for (const [from, byKind] of Object.entries(doc.connections)) {
    if (!byName.has(from)) {
      warnings.push(`connections from '${from.slice(0, 100)}', which is not a node (or is a sticky note), were ignored`);
      continue;
    }
    for (const [kind, outputs] of Object.entries(byKind)) {
      outputs.forEach((targets, output) => {
        targets?.forEach((t, j) => {
          if (!byName.has(t.node)) fail('the n8n export connects to a node it does not have', ['connections', from, kind, output, j, 'node'], `no node is named '${t.node.slice(0, 100)}'`);
          links.push({ from, to: t.node, kind, output });
          if (links.length > IMPORT_LIMITS.maxConnections) fail('the n8n export has too many connections', ['connections'], `at most ${IMPORT_LIMITS.maxConnections} connections`);
        });
      });
    }
  }
  const mainLinks = links.filter((l) => l.kind === 'main');
  const subLinks = links.filter((l) => l.kind !== 'main');

  // Ids, and the one trigger.
  const taken = new Set<string>();
  const slots = new Map<string, Slot>();
  const nodeAt = (name: string): N8nNode => doc.nodes[byName.get(name)!]!;
  const triggerCandidates = real.filter(({ node }) => isN8nTrigger(node.type) && !subLinks.some((l) => l.from === node.name));
  const chosen = [...triggerCandidates].sort((a, b) => triggerRank(a.node.type) - triggerRank(b.node.type) || a.index - b.index).find(({ node }) => !node.disabled) ?? triggerCandidates[0];
  for (const { node } of real) {
    slots.set(node.name, {
      n8n: node,
      id: slugId(node.name, taken),
      report: { name: node.name, n8nType: node.type, keyflowType: null, status: 'placeholder' },
      isTrigger: chosen?.node === node,
      // "When clicking 'Test workflow'" beside a real trigger: any Keyflow workflow runs by hand (Run), so it is that trigger.
      folded: chosen !== undefined && chosen.node !== node && MANUAL_TRIGGERS.has(node.type) && !MANUAL_TRIGGERS.has(chosen.node.type),
    });
  }
  // n8n's `.json` of a node is its item; an HTTP Request's item is the response body, which ours keeps under `body`.
  const refOf = (name: string): string | undefined => {
    const slot = slots.get(name);
    if (!slot) return undefined;
    if (slot.folded) return '$trigger';
    if (slot.mapped?.passThrough) return currentOf(name);
    if (slot.mapped?.readsThen && slot.extra) return `$node["${slot.extra.id}"].output`;
    return `$node["${slot.id}"].output${slot.mapped?.itemPath ?? (slot.n8n.type === 'n8n-nodes-base.httpRequest' ? '.body' : '')}`;
  };

  // Chat models feed an AI node through ai_languageModel; other sub-nodes (tools, memory, parsers) are listed on it.
  const models = new Map<string, FoldedModel>();
  const subNodesOf = new Map<string, { name: string; connection: string }[]>();
  const subNodeOf = new Map<string, { consumer: string; connection: string }>();
  for (const l of subLinks) {
    subNodeOf.set(l.from, { consumer: l.to, connection: l.kind });
    if (l.kind === 'ai_languageModel' && CHAT_MODELS.has(nodeAt(l.from).type)) {
      if (!models.has(l.to)) models.set(l.to, chatModelOf(nodeAt(l.from)));
    } else subNodesOf.set(l.to, [...(subNodesOf.get(l.to) ?? []), { name: l.from, connection: l.kind }]);
  }

  // What $json means for each node: the output of the node(s) feeding it.
  const preds = new Map<string, Link[]>();
  for (const l of mainLinks) preds.set(l.to, [...(preds.get(l.to) ?? []), l]);
  const reaches = (start: string, goal: string): boolean => {
    const seen = new Set<string>();
    const stack = [start];
    while (stack.length > 0) {
      const at = stack.pop()!;
      if (at === goal) return true;
      if (seen.has(at)) continue;
      seen.add(at);
      for (const l of mainLinks) if (l.from === at) stack.push(l.to);
    }
    return false;
  };
  const currentOf = (name: string): string => {
    // A loop's own body feeds it back; what it iterates over comes from outside the body.
    const isLoop = nodeAt(name).type === 'n8n-nodes-base.splitInBatches';
    const from = [...new Set((preds.get(name) ?? []).filter((l) => !(isLoop && reaches(name, l.from))).map((l) => l.from))];
    const loopItem = (l: Link) => {
      const src = nodeAt(l.from);
      return src.type === 'n8n-nodes-base.splitInBatches' && ((src.typeVersion ?? 1) >= 3 ? l.output === 1 : l.output === 0);
    };
    if (from.length === 0) return '$trigger';
    if (from.length === 1) return (preds.get(name) ?? []).filter((l) => l.from === from[0]).every(loopItem) ? '$item' : refOf(from[0]!)!;
    return `(${from.map((f) => refOf(f)!.replace(/^(\$node\["[^"]+"\])\.output/, '$1?.output')).join(' ?? ')})`;
  };

  const timezone = doc.settings?.timezone && isValidZone(doc.settings.timezone) ? doc.settings.timezone : 'UTC';
  const placeholder = (slot: Slot, reason: string): void => {
    const trigger = slot.isTrigger;
    slot.mapped = undefined;
    slot.extra = undefined;
    slot.placeholder = true;
    slot.report = { name: slot.n8n.name, n8nType: slot.n8n.type, keyflowType: null, status: 'placeholder', reason, nodeId: slot.id };
    const type = trigger ? 'core.unsupported_trigger' : 'core.unsupported';
    slot.node = node(slot, type, { originalType: slot.n8n.type, source: 'n8n', parameters: inert(slot.n8n.parameters ?? {}), reason: reason.slice(0, 2000) });
  };
  const node = (slot: Slot, type: string, config: Record<string, unknown>): GraphNode => {
    const def = registry.latest(type);
    const index = byName.get(slot.n8n.name)!;
    return {
      id: slot.id,
      type,
      version: def?.version ?? 1,
      name: slot.n8n.name.slice(0, MAX_NAME_LENGTH),
      config,
      position: positionOf(slot.n8n, index),
      ...(slot.n8n.disabled && !slot.isTrigger ? { disabled: true } : {}),
    };
  };

  for (const slot of slots.values()) {
    const { n8n } = slot;
    if (CHAT_MODELS.has(n8n.type) && subNodeOf.get(n8n.name)?.connection === 'ai_languageModel') continue; // folded below
    if (CHAT_MODELS.has(n8n.type) && !links.some((l) => l.from === n8n.name || l.to === n8n.name)) {
      // A chat model wired to nothing is inert in n8n; a placeholder would only block activation.
      slot.dropped = true;
      slot.report = { name: n8n.name, n8nType: n8n.type, keyflowType: null, status: 'mapped', reason: 'a chat model connected to nothing: n8n never runs it, so it is left out' };
      continue;
    }
    const sub = subNodeOf.get(n8n.name);
    if (sub) {
      placeholder(slot, `an AI ${sub.connection.replace(/^ai_/, '')} sub-node of '${sub.consumer.slice(0, 100)}'; Keyflow's AI node makes one call and does not use it`);
      continue;
    }
    if (slot.folded) continue; // reported once the trigger is mapped
    if (isN8nTrigger(n8n.type) && !slot.isTrigger) {
      const starts = `'${chosen!.node.name.slice(0, 100)}'`;
      placeholder(slot, MAPPERS.has(n8n.type) ? `a Keyflow workflow has one trigger, and ${starts} is it; split this one into its own workflow` : `Keyflow has no counterpart for ${n8n.type.slice(0, 200)}; the workflow starts from ${starts} instead`);
      continue;
    }
    const mapper = MAPPERS.get(n8n.type);
    if (!mapper) {
      placeholder(slot, `Keyflow has no counterpart for ${n8n.type.slice(0, 200)}`);
      continue;
    }
    const scope: ExpressionScope = { refOf, current: currentOf(n8n.name) };
    const ctx: MapContext = { node: n8n, params: n8n.parameters ?? {}, scope, counts, registry, minScheduleSeconds, timezone, subNodes: subNodesOf.get(n8n.name) ?? [], ...(models.has(n8n.name) ? { model: models.get(n8n.name)! } : {}) };
    let outcome;
    try {
      outcome = mapper(ctx, n8n.typeVersion ?? 1);
    } catch (error) {
      // A mapper meeting a shape it did not expect is a placeholder, never a 500.
      outcome = { failure: `its parameters could not be read (${error instanceof Error ? error.message.slice(0, 200) : 'unexpected shape'})` };
    }
    if ('failure' in outcome) {
      placeholder(slot, outcome.failure);
      continue;
    }
    const def = registry.latest(outcome.type);
    if (!def) {
      placeholder(slot, `Keyflow has no ${outcome.type} node installed`);
      continue;
    }
    if ((def.kind === 'trigger') !== slot.isTrigger) {
      placeholder(slot, slot.isTrigger ? `${outcome.type} cannot start a workflow` : `${outcome.type} is a trigger, and this workflow already has one`);
      continue;
    }
    const then = outcome.then;
    if (then && !registry.latest(then.type)) {
      placeholder(slot, `Keyflow has no ${then.type} node installed`);
      continue;
    }
    slot.mapped = outcome;
    slot.node = node(slot, outcome.type, outcome.config);
    if (then) {
      const first = slot.node;
      const label = then.label ?? 'route';
      slot.extra = { ...node(slot, then.type, then.config(first.id)), id: slugId(`${slot.id}_${label}`, taken), name: `${n8n.name.slice(0, MAX_NAME_LENGTH - label.length - 3)} (${label})`, position: { x: first.position.x + 200, y: first.position.y } };
    }
    slot.report = { name: n8n.name, n8nType: n8n.type, keyflowType: outcome.type, status: 'mapped', ...(outcome.notes.length > 0 ? { reason: outcome.notes.join('; ') } : {}), nodeId: slot.id };
  }

  // Chat models: mapped when folded into an AI node that mapped, else placeholders of their own.
  for (const slot of slots.values()) {
    if (slot.node || slot.folded || slot.dropped) continue;
    const consumer = slots.get(subNodeOf.get(slot.n8n.name)!.consumer)!;
    if (consumer.mapped?.type === 'ai.complete') {
      const m = chatModelOf(slot.n8n);
      slot.report = { name: slot.n8n.name, n8nType: slot.n8n.type, keyflowType: 'ai.complete', status: 'mapped', reason: `folded into '${consumer.n8n.name.slice(0, 100)}'${m.model ? ` (model ${m.model.slice(0, 100)})` : ''}` };
    } else placeholder(slot, `a chat model for '${consumer.n8n.name.slice(0, 100)}', which could not be mapped`);
  }

  // Folded manual triggers: what they started now starts from the workflow's trigger.
  const triggerSlot = chosen ? slots.get(chosen.node.name) : undefined;
  for (const slot of slots.values()) {
    if (!slot.folded || !triggerSlot) continue;
    if (triggerSlot.placeholder) {
      // Run by hand, a placeholder trigger fails: this entry point stays as it was in n8n, listed.
      slot.folded = false;
      placeholder(slot, `a Keyflow workflow has one trigger, and '${triggerSlot.n8n.name.slice(0, 100)}' is it (a placeholder); split this one into its own workflow`);
      continue;
    }
    const into = `'${triggerSlot.n8n.name.slice(0, 100)}'`;
    slot.report = { name: slot.n8n.name, n8nType: slot.n8n.type, keyflowType: triggerSlot.node?.type ?? null, status: 'mapped', reason: `a second way to start it by hand: every Keyflow workflow can be run by hand (Run), so what it started now starts from ${into}`, nodeId: triggerSlot.id };
  }

  // A workflow with no trigger at all (a sub-workflow, or one started by hand) gets a manual trigger.
  let added: GraphNode | undefined;
  if (!chosen) {
    added = { id: slugId('manual_trigger', taken), type: 'core.manual', version: registry.latest('core.manual')?.version ?? 1, name: 'Manual trigger (added on import)', config: {}, position: { x: -300, y: 0 } };
    warnings.push('the export has no trigger: a manual trigger was added and connected to the nodes nothing else feeds');
  }

  // Notes are built once (their ids take slugs); a note the validator refuses is left out.
  const allNotes = SUPPORTS_NOTES && sticky.length > 0 ? notesOf() : undefined;
  const droppedNotes = new Set<string>();
  const graph = buildGraph();
  function buildGraph(): Graph {
    const nodes = [...(added ? [added] : []), ...[...slots.values()].flatMap((s) => (s.node ? [s.node, ...(s.extra ? [s.extra] : [])] : []))];
    const edges: GraphEdge[] = [];
    const seen = new Set<string>();
    const placeholderOutputs = new Map<string, Set<string>>();
    for (const l of mainLinks) {
      const from = slots.get(l.from)!;
      const src = from.folded && triggerSlot ? triggerSlot : from;
      const dst = slots.get(l.to)!;
      if (!src.node || !dst.node) continue;
      if (dst.isTrigger) {
        warnings.push(`the connection from '${l.from.slice(0, 100)}' into the trigger '${l.to.slice(0, 100)}' was dropped`);
        continue;
      }
      const then = src.extra ? src.mapped?.then : undefined;
      const handle = then ? then.handle(l.output) : src.mapped ? src.mapped.handle(l.output) : outputHandle(l.output);
      if (handle === undefined) {
        warnings.push(`the connection from output ${l.output} of '${l.from.slice(0, 100)}' to '${l.to.slice(0, 100)}' has no counterpart and was dropped`);
        continue;
      }
      if (src.placeholder) placeholderOutputs.set(src.id, (placeholderOutputs.get(src.id) ?? new Set()).add(handle));
      const sourceId = src.extra?.id ?? src.id;
      const key = `${sourceId}|${handle}|${dst.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      edges.push({ id: `e${edges.length + 1}`, source: sourceId, target: dst.id, sourceHandle: handle === MAIN_HANDLE ? null : handle, targetHandle: null });
    }
    // A mapping in two: its first node feeds the second.
    for (const s of slots.values()) if (s.node && s.extra) edges.push({ id: `e${edges.length + 1}`, source: s.node.id, target: s.extra.id, sourceHandle: null, targetHandle: null });
    if (added) {
      const fed = new Set(edges.map((e) => e.target));
      for (const n of nodes) {
        const own = [...slots.values()].find((s) => s.id === n.id);
        if (n === added || fed.has(n.id) || !own || subNodeOf.has(own.n8n.name)) continue;
        edges.push({ id: `e${edges.length + 1}`, source: added.id, target: n.id, sourceHandle: null, targetHandle: null });
      }
    }
    // Placeholders keep the outputs their edges use, so the original wiring survives.
    for (const n of nodes) {
      if (n.type !== 'core.unsupported') continue;
      const used = placeholderOutputs.get(n.id);
      n.config.outputs = used && used.size > 0 ? [...used].sort((a, b) => (a === MAIN_HANDLE ? -1 : b === MAIN_HANDLE ? 1 : a.localeCompare(b, 'en', { numeric: true }))) : [MAIN_HANDLE];
    }
    markBackEdges(nodes, edges);
    return { nodes, edges, ...(allNotes ? { notes: allNotes.filter((n) => !droppedNotes.has((n as { id: string }).id)) } : {}) } as Graph;
  }

  function notesOf(): unknown[] {
    if (sticky.length > MAX_NOTES) warnings.push(`the export has ${sticky.length} sticky notes; the first ${MAX_NOTES} were kept`);
    return sticky.slice(0, MAX_NOTES).map(({ node, index }) => {
      const p = node.parameters ?? {};
      const text = typeof p.content === 'string' ? p.content : '';
      return {
        id: slugId(`note_${node.name}`, taken),
        text: text.length > MAX_NOTE_TEXT ? `${text.slice(0, MAX_NOTE_TEXT - 1)}…` : text,
        position: positionOf(node, index),
        ...(typeof p.width === 'number' ? { width: clamp(p.width, 40, 4000) } : {}),
        ...(typeof p.height === 'number' ? { height: clamp(p.height, 30, 4000) } : {}),
      };
    });
  }

  // Validate with the API's validator; demote what it refuses and try again, so the result is valid.
  let result = graph;
  for (let round = 0; round < 6; round++) {
    const v = validateGraph(result, registry, limits);
    if (v.ok) {
      result = v.graph;
      break;
    }
    let changed = false;
    const dropEdges = new Set<number>();
    for (const issue of v.issues) {
      const [where, i] = issue.path;
      if (where === 'nodes' && typeof i === 'number') {
        const n = result.nodes[i];
        const slot = [...slots.values()].find((s) => s.id === n?.id || (s.extra !== undefined && s.extra.id === n?.id));
        if (slot && !slot.placeholder) {
          placeholder(slot, `its settings do not fit Keyflow's ${n!.type}: ${issue.path.slice(issue.path[2] === 'config' ? 3 : 2).join('.') || 'node'}: ${issue.message}`);
          changed = true;
        }
      } else if (where === 'edges' && typeof i === 'number') dropEdges.add(i);
      else if (where === 'notes' && typeof i === 'number' && Array.isArray((result as { notes?: unknown[] }).notes)) {
        // A note the canvas refuses is dropped, never the import.
        const note = (result as { notes: { id: string }[] }).notes[i];
        if (note && !droppedNotes.has(note.id)) {
          warnings.push(`sticky note '${note.id}' was dropped: ${issue.message}`);
          droppedNotes.add(note.id);
          changed = true;
        }
      }
    }
    if (changed) {
      result = buildGraph();
      continue;
    }
    if (dropEdges.size > 0) {
      for (const i of dropEdges) {
        const e = result.edges[i]!;
        warnings.push(`the connection from '${e.source}' to '${e.target}' was dropped: ${v.issues.find((x) => x.path[0] === 'edges' && x.path[1] === i)?.message ?? 'invalid'}`);
      }
      result = { ...result, edges: result.edges.filter((_, i) => !dropEdges.has(i)) };
      continue;
    }
    throw new Invalid('the imported workflow is not a valid Keyflow graph', v.issues);
  }
  const final = validateGraph(result, registry, limits);
  if (!final.ok) throw new Invalid('the imported workflow is not a valid Keyflow graph', final.issues);

  const credentialsToConnect: CredentialToConnect[] = [];
  for (const slot of slots.values()) {
    if (slot.dropped) continue;
    for (const type of Object.keys(slot.n8n.credentials ?? {})) credentialsToConnect.push({ node: slot.n8n.name, ...(slot.node ? { nodeId: slot.id } : {}), n8nCredentialType: type });
  }
  const report: ImportReport = {
    nodes: real.map(({ node }) => slots.get(node.name)!.report),
    credentialsToConnect,
    expressions: counts,
    warnings,
    ...(!SUPPORTS_NOTES && sticky.length > 0 ? { stickyNotes: sticky.map(({ node }) => ({ text: typeof node.parameters?.content === 'string' ? node.parameters.content.slice(0, MAX_NOTE_TEXT) : '' })) } : {}),
  };
  return { graph: final.graph, report, ...(doc.name ? { name: doc.name.slice(0, MAX_NAME_LENGTH) } : {}) };
}

function isValidZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Edges into a loop from inside its body are its back edges: they enter the 'next' input. */
function markBackEdges(nodes: GraphNode[], edges: GraphEdge[]): void {
  const out = new Map<string, GraphEdge[]>();
  for (const e of edges) out.set(e.source, [...(out.get(e.source) ?? []), e]);
  for (const loop of nodes.filter((n) => n.type === 'core.loop')) {
    const body = new Set<string>();
    const stack = (out.get(loop.id) ?? []).filter((e) => e.sourceHandle === 'item').map((e) => e.target);
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (id === loop.id || body.has(id)) continue;
      body.add(id);
      for (const e of out.get(id) ?? []) stack.push(e.target);
    }
    for (const e of edges) if (e.target === loop.id && body.has(e.source)) e.targetHandle = 'next';
  }
}
