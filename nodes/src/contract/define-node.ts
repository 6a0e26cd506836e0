// A node definition is data plus run(ctx). `config` is a zod schema: it validates stored
// graphs, generates the editor's form (describeNode) and types run()'s ctx.config.
//
// One schema serves the stored config and the resolved one: the graph validator defers
// any issue that sits on a string holding a `{{ … }}` expression, and the executor parses
// the resolved config again (parseNodeConfig) before run(), which applies defaults and
// checks what could only be checked once expressions had values.
import type { z } from 'zod';
import type { NodeContext } from './context.ts';
import { NonRetriableNodeError } from './errors.ts';
import { FALSE_HANDLE, HANDLE_PATTERN, LOOP_BACK_HANDLE, LOOP_DONE_HANDLE, LOOP_ITEM_HANDLE, MAIN_HANDLE, TRUE_HANDLE } from './handles.ts';
import { NODE_KINDS, type NodeKind, type NodeResultByKind } from './results.ts';

export type NodeCategory = 'trigger' | 'core' | 'ai' | 'integration';

/** A function of the parsed config; declared as a method so definitions stay assignable. */
export type HandlesOf<C> = { handles(config: C): readonly string[] }['handles'];
/** Static handle names, or a function of the parsed config (core.switch). */
export type HandleSpec<C> = readonly string[] | HandlesOf<C>;

export interface CredentialRequirement {
  /** e.g. 'slack'; the executor lends the owner's credential for this provider. */
  provider: string;
  /** When true the node runs without one (ctx.credential undefined). */
  optional?: boolean;
}

export interface RetryPolicy {
  /** Total tries including the first. 1 = no retry. */
  maxAttempts: number;
  /** Exponential backoff: initialDelayMs × 2^(attempt-1), capped, with full jitter. */
  initialDelayMs: number;
  maxDelayMs: number;
}

/**
 * A sentence a user might write that this node serves, with a config that validates as a
 * starting point. The generator (engine/generate) matches descriptions against these and the
 * keywords, and uses `config` to fill a node it places.
 */
export interface NodeExample {
  text: string;
  config?: Record<string, unknown>;
}

export const DEFAULT_RETRY: RetryPolicy = Object.freeze({ maxAttempts: 3, initialDelayMs: 1_000, maxDelayMs: 60_000 });
export const DEFAULT_TIMEOUT_MS = 60_000;

export interface NodeDefinition<S extends z.ZodType = z.ZodType, K extends NodeKind = NodeKind> {
  /** '<integration>.<action>', e.g. 'core.transform'. */
  readonly type: string;
  /** A breaking change makes a new version; old versions stay registered and runnable. */
  readonly version: number;
  readonly title: string;
  readonly description: string;
  readonly category: NodeCategory;
  readonly kind: K;
  readonly config: S;
  /** Output handles. Triggers/actions: ['main']; condition: ['true','false']; loop: ['item','done']. */
  readonly outputs: HandleSpec<z.output<S>>;
  /** Input handles. Triggers: []; loop: ['main','next']; everyone else ['main']. */
  readonly inputs: readonly string[];
  /** Informational: the shape of `output`, for the editor's autocomplete. */
  readonly output?: z.ZodType;
  readonly credential?: CredentialRequirement;
  /** Words and short phrases a description uses for this node ('summarise', 'post to slack'). Optional. */
  readonly keywords?: readonly string[];
  /** Example uses, for the generator and the editor's palette. Optional. */
  readonly examples?: readonly NodeExample[];
  /**
   * An app trigger's sample event: what a delivery or a poll hands it (its `ctx.trigger`), with
   * made-up values. The editor's first test payload for a workflow it starts, so a test run needs
   * no live service; a test checks that the trigger accepts it.
   */
  readonly sampleEvent?: unknown;
  readonly retry: RetryPolicy;
  readonly timeoutMs: number;
  run(ctx: NodeContext<z.output<S>>): Promise<NodeResultByKind[K]>;
}

/** Any registered definition; `switch (def.kind)` narrows run()'s result type. */
export type AnyNodeDefinition = { [K in NodeKind]: NodeDefinition<z.ZodType, K> }[NodeKind];

export interface NodeDefinitionInput<S extends z.ZodType, K extends NodeKind> {
  type: string;
  version: number;
  title: string;
  description: string;
  category: NodeCategory;
  kind: K;
  config: S;
  outputs?: HandleSpec<z.output<S>>;
  output?: z.ZodType;
  credential?: CredentialRequirement;
  keywords?: readonly string[];
  examples?: readonly NodeExample[];
  sampleEvent?: unknown;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  run(ctx: NodeContext<z.output<S>>): Promise<NodeResultByKind[K]>;
}

export const NODE_TYPE_PATTERN = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;

const FIXED_OUTPUTS: Partial<Record<NodeKind, readonly string[]>> = {
  condition: [TRUE_HANDLE, FALSE_HANDLE],
  loop: [LOOP_ITEM_HANDLE, LOOP_DONE_HANDLE],
};

function inputsFor(kind: NodeKind): readonly string[] {
  if (kind === 'trigger') return [];
  if (kind === 'loop') return [MAIN_HANDLE, LOOP_BACK_HANDLE];
  return [MAIN_HANDLE];
}

/** Throws if handle names are malformed or repeated. */
export function checkHandles(handles: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const h of handles) {
    if (!HANDLE_PATTERN.test(h)) throw new TypeError(`${what}: invalid handle name '${h}'`);
    if (seen.has(h)) throw new TypeError(`${what}: duplicate handle '${h}'`);
    seen.add(h);
  }
}

/**
 * Declares a node. Fills per-kind defaults (handles, retry, timeout) and rejects
 * malformed definitions at import time, so a bad node never reaches a registry.
 *
 * @example
 * export const echoNode = defineNode({ type: 'demo.echo', version: 1, title: 'Echo',
 *   description: 'Passes its input on', category: 'core', kind: 'action',
 *   config: z.strictObject({}), async run(ctx) { return { output: ctx.input }; } });
 */
export function defineNode<S extends z.ZodType, K extends NodeKind>(input: NodeDefinitionInput<S, K>): NodeDefinition<S, K> {
  const where = `${input.type}@${input.version}`;
  if (!NODE_TYPE_PATTERN.test(input.type)) throw new TypeError(`${where}: type must look like 'integration.action'`);
  if (!Number.isInteger(input.version) || input.version < 1) throw new TypeError(`${where}: version must be a positive integer`);
  if (!NODE_KINDS.includes(input.kind)) throw new TypeError(`${where}: unknown kind '${String(input.kind)}'`);
  if ((input.kind === 'trigger') !== (input.category === 'trigger')) throw new TypeError(`${where}: triggers and only triggers use category 'trigger'`);
  const fixed = FIXED_OUTPUTS[input.kind];
  const outputs: HandleSpec<z.output<S>> = input.outputs ?? fixed ?? [MAIN_HANDLE];
  if (typeof outputs !== 'function') {
    if (outputs.length === 0) throw new TypeError(`${where}: a node needs at least one output`);
    checkHandles(outputs, where);
    if (fixed && outputs.join() !== fixed.join()) throw new TypeError(`${where}: a ${input.kind} node's outputs are ${fixed.join(', ')}`);
  } else if (input.kind !== 'switch') {
    throw new TypeError(`${where}: only switch nodes may compute their outputs from config`);
  }
  const timeoutMs = input.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new TypeError(`${where}: timeoutMs must be a positive integer`);
  const retry: RetryPolicy = Object.freeze({ ...DEFAULT_RETRY, ...input.retry });
  const keywords = input.keywords?.map((k) => k.trim().toLowerCase());
  if (keywords?.some((k) => k === '')) throw new TypeError(`${where}: keywords must not be empty`);
  if (input.examples?.some((e) => e.text.trim() === '')) throw new TypeError(`${where}: an example needs its text`);
  if (!Number.isInteger(retry.maxAttempts) || retry.maxAttempts < 1) throw new TypeError(`${where}: retry.maxAttempts must be ≥ 1`);
  if (input.sampleEvent !== undefined && input.kind !== 'trigger') throw new TypeError(`${where}: only a trigger has a sample event`);
  return Object.freeze({
    ...input,
    outputs: typeof outputs === 'function' ? outputs : Object.freeze([...outputs]),
    inputs: Object.freeze([...inputsFor(input.kind)]),
    ...(keywords ? { keywords: Object.freeze(keywords) } : {}),
    ...(input.examples ? { examples: Object.freeze(input.examples.map((e) => Object.freeze({ ...e }))) } : {}),
    retry,
    timeoutMs,
  });
}

/** The node's output handles for a parsed config (the executor checks a branch against it). */
export function nodeOutputs<C>(def: { outputs: HandleSpec<C> }, config: C): readonly string[] {
  return typeof def.outputs === 'function' ? def.outputs(config) : def.outputs;
}

export interface ConfigIssue {
  path: (string | number)[];
  message: string;
}

/** zod issue paths may hold symbols; ours never do, but the type says so. */
export function toIssuePath(path: readonly PropertyKey[]): (string | number)[] {
  return path.map((p) => (typeof p === 'number' ? p : String(p)));
}

/** Flattens zod issues into path + message, one per unknown key. */
export function zodIssues(issues: z.ZodError['issues']): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) {
    const path = toIssuePath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: [...path, key], message: `unknown field '${key}'` });
    } else if (issue.code === 'invalid_type' && issue.expected === 'nonoptional') {
      // zod's wording for a missing z.unknown() key ("expected nonoptional") means nothing to users.
      out.push({ path, message: 'required' });
    } else {
      out.push({ path, message: issue.message });
    }
  }
  return out;
}

/**
 * Parses a resolved config with the node's schema, for the executor, just before run().
 * Throws NonRetriableNodeError with `details.issues` when it does not fit.
 */
export function parseNodeConfig<S extends z.ZodType>(def: { type: string; config: S }, resolved: unknown): z.output<S> {
  const result = def.config.safeParse(resolved);
  if (result.success) return result.data;
  const issues = zodIssues(result.error.issues);
  const first = issues[0];
  const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
  throw new NonRetriableNodeError(`invalid ${def.type} config${where}: ${first?.message ?? 'invalid'}`, { details: { issues } });
}
