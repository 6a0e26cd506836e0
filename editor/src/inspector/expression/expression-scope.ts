// What an expression can reach from this node, for autocomplete and the preview: `$trigger`
// (the trigger's payload), `$node["<id>"].output` of every upstream node, `$run`. Each value is
// known by its output schema (what the node declares) and, once a run exists, by real data.
import type { JsonSchema, LastRun, UpstreamNode } from '../types.ts';
import { isObject } from '../field-kind.ts';

/** What is known about a value: its declared schema and/or a sample from the last run. */
export interface Shape {
  schema?: JsonSchema;
  sample?: unknown;
  hasSample: boolean;
}

export interface ScopeInfo {
  upstream: UpstreamNode[];
  lastRun?: LastRun;
}

export interface FieldInfo {
  name: string;
  /** "string", "number", "object"… from the sample when there is one, else the schema. */
  type: string;
  /** A short JSON rendering of the last run's value, when known. */
  sample?: string;
}

const RUN_SCHEMA: JsonSchema = {
  type: 'object',
  properties: { id: { type: 'string' }, workflowId: { type: 'string' }, startedAt: { type: 'string' } },
};

export const ROOTS: { name: string; detail: string }[] = [
  { name: '$trigger', detail: 'the trigger’s payload' },
  { name: '$node', detail: 'outputs of earlier nodes' },
  { name: '$run', detail: 'id, workflow id, start time' },
];

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function schemaType(schema: JsonSchema | undefined): string {
  const t = schema?.['type'];
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.join(' | ');
  return 'any';
}

/** A one-line JSON preview, cut to `max` characters. */
export function preview(value: unknown, max = 60): string {
  let text: string;
  try {
    text = value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function triggerNode(info: ScopeInfo): UpstreamNode | undefined {
  return info.upstream.find((n) => n.descriptor?.kind === 'trigger' || n.descriptor?.category === 'trigger');
}

/** The shape of a root identifier, or undefined when it is not one we know. */
export function rootShape(root: string, info: ScopeInfo): Shape | undefined {
  if (root === '$trigger') {
    const schema = triggerNode(info)?.descriptor?.outputSchema ?? undefined;
    const hasSample = info.lastRun?.trigger !== undefined;
    return { ...(schema ? { schema } : {}), ...(hasSample ? { sample: info.lastRun?.trigger } : {}), hasSample };
  }
  if (root === '$run') return { schema: RUN_SCHEMA, hasSample: false };
  return undefined;
}

/** The shape of `$node["id"]`: an object whose one field is `output`. */
export function nodeShape(id: string, info: ScopeInfo): Shape | undefined {
  const node = info.upstream.find((n) => n.id === id);
  if (!node) return undefined;
  const outputs = info.lastRun?.outputs;
  const hasSample = outputs !== undefined && Object.hasOwn(outputs, id);
  const output = node.descriptor?.outputSchema ?? {};
  return {
    schema: { type: 'object', properties: { output } },
    ...(hasSample ? { sample: { output: outputs[id] } } : {}),
    hasSample,
  };
}

/** The shape one step down: a property of an object or an index of an array. */
export function childShape(shape: Shape, key: string): Shape {
  let schema: JsonSchema | undefined;
  const s = shape.schema;
  if (s) {
    const props = s['properties'];
    if (isObject(props) && isObject(props[key])) schema = props[key];
    else if (/^\d+$/.test(key) && isObject(s['items'])) schema = s['items'];
    else if (isObject(s['additionalProperties'])) schema = s['additionalProperties'];
  }
  let sample: unknown;
  let hasSample = false;
  if (shape.hasSample) {
    const v = shape.sample;
    if (isObject(v) && Object.hasOwn(v, key)) {
      sample = v[key];
      hasSample = true;
    } else if (Array.isArray(v) && /^\d+$/.test(key) && Number(key) < v.length) {
      sample = v[Number(key)];
      hasSample = true;
    }
  }
  return { ...(schema ? { schema } : {}), ...(hasSample ? { sample } : {}), hasSample };
}

/** The fields one can write after `.`: the sample's own keys first, then the schema's. */
export function fieldsOf(shape: Shape): FieldInfo[] {
  const out = new Map<string, FieldInfo>();
  const v = shape.sample;
  if (shape.hasSample && isObject(v)) {
    for (const [name, value] of Object.entries(v)) out.set(name, { name, type: typeOf(value), sample: preview(value) });
  }
  const props = shape.schema?.['properties'];
  if (isObject(props)) {
    for (const [name, s] of Object.entries(props)) {
      if (!out.has(name)) out.set(name, { name, type: schemaType(isObject(s) ? s : undefined) });
    }
  }
  if ((shape.hasSample && Array.isArray(v)) || schemaType(shape.schema) === 'array') out.set('length', { name: 'length', type: 'number' });
  return [...out.values()];
}

/** The scope an expression is evaluated in, from the last run (what the engine builds). */
export function previewScope(info: ScopeInfo): Record<string, unknown> {
  const nodes: Record<string, unknown> = {};
  for (const [id, output] of Object.entries(info.lastRun?.outputs ?? {})) nodes[id] = { output };
  return {
    $trigger: info.lastRun?.trigger,
    $node: nodes,
    $run: { id: 'preview', workflowId: 'preview', startedAt: new Date().toISOString() },
  };
}
