// One level of the graph walk: the top level of a run, or one item of a loop body. It
// answers, from the states of its nodes, which node is ready, which is skipped, and what a
// node's input is. Pure bookkeeping: no I/O.
import { handleOf, LOOP_ITEM_HANDLE, type MergeInput } from '@keyflow/nodes/contract';
import { isBackEdge, type GraphEdge } from '../graph/index.ts';
import type { PreparedGraph } from './graph-cache.ts';

export interface NodeState {
  status: 'pending' | 'running' | 'done' | 'skipped' | 'failed' | 'waiting';
  output?: unknown;
  /** The output handle that fired ('main' for plain nodes, 'done' for a finished loop). */
  branch?: string;
  resumeAt?: Date;
  /** The output's size as JSON: what the run holds while this frame lives. */
  bytes?: number;
  /** The attempt that produced it. */
  attempt?: number;
}

const NO_EDGES: readonly GraphEdge[] = [];

export type Readiness = 'ready' | 'skip' | 'wait';

export class Frame {
  readonly scope: string;
  readonly parent: Frame | undefined;
  readonly members: Set<string>;
  readonly states = new Map<string, NodeState>();
  /** `$node` as expressions see it: this frame's finished outputs over the parent's. */
  readonly nodeScope: Record<string, { output: unknown }>;
  readonly entry: { loopId: string; item: unknown; index: number } | undefined;
  /** How many loops this frame runs inside (0 at the top level). */
  readonly loopDepth: number;
  /** Bytes of outputs this frame holds; the run lets go of them when the frame ends. */
  heldBytes = 0;
  /** The expressions' scope of this frame, kept by RunExecution.scopeOf. */
  exprScope: Record<string, unknown> | undefined;
  readonly #g: PreparedGraph;

  constructor(g: PreparedGraph, members: Set<string>, opts: { scope?: string; parent?: Frame; entry?: { loopId: string; item: unknown; index: number } } = {}) {
    this.#g = g;
    this.members = members;
    this.scope = opts.scope ?? '';
    this.parent = opts.parent;
    this.entry = opts.entry;
    this.loopDepth = (opts.parent?.loopDepth ?? 0) + (opts.entry ? 1 : 0);
    this.nodeScope = Object.assign(Object.create(null) as Record<string, { output: unknown }>, opts.parent?.nodeScope);
    for (const id of members) this.states.set(id, { status: 'pending' });
  }

  stateOf(id: string): NodeState | undefined {
    return this.members.has(id) ? this.states.get(id) : this.parent?.stateOf(id);
  }

  set(id: string, state: NodeState): void {
    this.states.set(id, state);
    if (state.status === 'done') this.nodeScope[id] = { output: state.output };
  }

  /** Edges that decide readiness: not back edges; for a loop item, its 'item' edge. */
  #incoming(id: string): readonly GraphEdge[] {
    return this.#g.forwardIn.get(id) ?? NO_EDGES;
  }

  #edgeState(e: GraphEdge): { settled: boolean; active: boolean; value?: unknown } {
    if (this.entry && e.source === this.entry.loopId && handleOf(e.sourceHandle) === LOOP_ITEM_HANDLE) return { settled: true, active: true, value: this.entry.item };
    const s = this.stateOf(e.source);
    if (!s) return { settled: true, active: false };
    if (s.status === 'done') {
      const active = handleOf(e.sourceHandle) === s.branch;
      return active ? { settled: true, active, value: s.output } : { settled: true, active };
    }
    if (s.status === 'skipped' || s.status === 'failed') return { settled: true, active: false };
    return { settled: false, active: false };
  }

  /** Ready when every input is settled and one is live; skipped when all are dead. */
  readiness(id: string, isTrigger: boolean): Readiness {
    const edges = this.#incoming(id);
    if (edges.length === 0) return isTrigger && !this.parent ? 'ready' : 'skip';
    let live = false;
    for (const e of edges) {
      const s = this.#edgeState(e);
      if (!s.settled) return 'wait';
      if (s.active) live = true;
    }
    return live ? 'ready' : 'skip';
  }

  /** The upstream output of the first live edge, or every live upstream output for a merge. */
  inputOf(id: string, isMerge: boolean): unknown {
    const merged: MergeInput = {};
    for (const e of this.#incoming(id)) {
      const s = this.#edgeState(e);
      if (!s.active) continue;
      if (!isMerge) return s.value;
      if (!(e.source in merged)) merged[e.source] = s.value;
    }
    return isMerge ? merged : undefined;
  }

  /** Members fed by `id` (forward edges only): the nodes to re-evaluate when it settles. */
  successorsOf(id: string): string[] {
    const out: string[] = [];
    for (const e of this.#g.index.outgoing.get(id) ?? []) if (!isBackEdge(e) && this.members.has(e.target)) out.push(e.target);
    return out;
  }

  /** A loop item's result and its size: what its back edge delivers, else the item itself. */
  loopResult(loopId: string): { value: unknown; bytes: number } {
    for (const e of this.#g.index.incoming.get(loopId) ?? []) {
      if (!isBackEdge(e)) continue;
      const s = this.states.get(e.source);
      if (s?.status === 'done') return { value: s.output, bytes: s.bytes ?? jsonBytes(s.output) };
    }
    return { value: this.entry?.item, bytes: jsonBytes(this.entry?.item) };
  }
}

/** The length of a value's JSON (4 for what JSON cannot say, like undefined). */
export function jsonBytes(value: unknown): number {
  return JSON.stringify(value)?.length ?? 4;
}
