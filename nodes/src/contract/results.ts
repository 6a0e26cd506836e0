// What run() returns, per node kind. The discriminant is the definition's `kind`, not a
// field of the result: `switch (def.kind)` narrows `def.run` to the matching result type.
// `checkNodeResult` guards at run time, since a node can lie to the type checker.
import { NonRetriableNodeError } from './errors.ts';

/** A node's kind tells the executor how to treat it. */
export const NODE_KINDS = ['trigger', 'action', 'condition', 'switch', 'merge', 'loop', 'delay', 'respond'] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

/** trigger, action, merge: `output` flows on to every edge out of the main handle. */
export interface OutputResult {
  output: unknown;
}

/** Routes to the 'true' or 'false' handle; the other branch is skipped. */
export interface ConditionResult {
  output: unknown;
  branch: 'true' | 'false';
}

/** Routes to one handle of the node's outputs(config); the others are skipped. */
export interface SwitchResult {
  output: unknown;
  branch: string;
}

/**
 * The executor runs the loop body (the nodes reachable from the 'item' handle) once per item,
 * at most `concurrency` at a time, each with the item as input. Each item's result is what
 * reaches the loop's 'next' input (a back edge), or the item itself when no back edge
 * exists. Then 'done' fires once with output = the results, in item order.
 */
export interface LoopResult {
  items: unknown[];
  concurrency: number;
}

/**
 * The executor checkpoints the step as waiting and parks the run (no worker held) until
 * `resumeAt`; then the step settles with `output` without calling run() again.
 */
export interface DelayResult {
  output: unknown;
  resumeAt: Date;
}

/**
 * In webhook "wait" mode the server answers with `response` (first respond node wins);
 * `output` flows on so the workflow can continue after responding.
 */
export interface RespondResult {
  output: unknown;
  response: { status: number; headers: Record<string, string>; body: unknown };
}

export interface NodeResultByKind {
  trigger: OutputResult;
  action: OutputResult;
  condition: ConditionResult;
  switch: SwitchResult;
  merge: OutputResult;
  loop: LoopResult;
  delay: DelayResult;
  respond: RespondResult;
}

export type NodeResult = NodeResultByKind[NodeKind];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shapeProblem(kind: NodeKind, value: unknown): string | undefined {
  if (!isRecord(value)) return 'run() must return an object';
  if (kind === 'loop') {
    if (!Array.isArray(value.items)) return 'a loop result needs items: unknown[]';
    const c = value.concurrency;
    return typeof c === 'number' && Number.isInteger(c) && c >= 1 ? undefined : 'a loop result needs concurrency ≥ 1';
  }
  if (!('output' in value)) return 'the result needs an output';
  if (kind === 'condition' && value.branch !== 'true' && value.branch !== 'false') return "a condition result needs branch 'true' or 'false'";
  if (kind === 'switch' && typeof value.branch !== 'string') return 'a switch result needs a branch';
  if (kind === 'delay' && !(value.resumeAt instanceof Date && Number.isFinite(value.resumeAt.getTime()))) return 'a delay result needs a valid resumeAt date';
  if (kind === 'respond') {
    const r = value.response;
    if (!isRecord(r) || typeof r.status !== 'number' || !isRecord(r.headers)) return 'a respond result needs response { status, headers, body }';
  }
  return undefined;
}

/** Checks the shape of a run() result for `kind`; throws NonRetriableNodeError if wrong. */
export function checkNodeResult<K extends NodeKind>(kind: K, value: unknown): NodeResultByKind[K] {
  const problem = shapeProblem(kind, value);
  if (problem !== undefined) throw new NonRetriableNodeError(`invalid ${kind} node result: ${problem}`);
  return value as NodeResultByKind[K];
}
