// The state of one execution of one run: its restored checkpoints, sequence numbers, what it
// holds and has written (against the run's bounds), and the frame walk itself.
import { NonRetriableNodeError, type AnyNodeDefinition, type RunInfo } from '@keyflow/nodes/contract';
import type { GraphNode } from '../graph/index.ts';
import type { RunEvent } from '../events/event-bus.ts';
import type * as runs from '../store/runs.repo.ts';
import { jsonBytes, type Frame } from './frame.ts';
import type { PreparedGraph } from './graph-cache.ts';
import { pace } from './pace.ts';
import { runLoop } from './run-loop.ts';
import { runNode, type AttemptAbort, type Restored } from './run-node.ts';
import { isDatabaseInterruption, RunCancelled, RunTimedOut, type ExecutorDeps } from './types.ts';

export type FrameResult = 'done' | 'parked' | 'failed';

/** Runs started by a request, whose trigger steps are functions of the stored payload alone (see RunExecution.#carried). */
const CARRIED_TRIGGERS = new Set(['webhook', 'test']);
/** A schedule trigger reads the clock: its row is written before its successors start, as any step's. */
const CLOCK_TRIGGERS = new Set(['core.schedule']);

export class RunExecution {
  readonly deps: ExecutorDeps;
  readonly run: runs.RunRecord;
  readonly info: RunInfo;
  readonly g: PreparedGraph;
  readonly controller = new AbortController();
  readonly restored = new Map<string, Restored>();
  seq = 0;
  costMicros = 0;
  responded = false;
  /** A respond node's answer in this execution, saved with the run's end or park. */
  response: unknown;
  firstFailure: { nodeId: string; scope: string; error: unknown } | undefined;
  /** Set when the database connection broke under a step: the run stops without failing (see isDatabaseInterruption). */
  interrupted: unknown;
  lastOutput: unknown;
  lastSeq = -1;
  /** Step rows the run has (restored ones included), against limits.maxRunSteps. */
  stepCount: number;
  /** Bytes of data the run holds now (payload, outputs, checkpoints not yet used), against limits.maxRunBytes. */
  heldBytes: number;

  constructor(deps: ExecutorDeps, run: runs.RunRecord, g: PreparedGraph, steps: runs.StepRecord[]) {
    this.deps = deps;
    this.run = run;
    this.g = g;
    this.info = { id: run.id, workflowId: run.workflowId, ownerId: run.ownerId };
    this.stepCount = steps.length;
    this.heldBytes = jsonBytes(run.triggerPayload);
    for (const s of steps) {
      this.seq = Math.max(this.seq, s.seq);
      const key = `${s.scope}\u0000${s.nodeId}`;
      const r = this.restored.get(key) ?? { failures: 0, bytes: 0 };
      if (s.status === 'succeeded') r.succeeded = s;
      else if (s.status === 'waiting') r.waiting = s;
      else if (s.status === 'failed') r.failures = Math.max(r.failures, s.attempt);
      if (s.status === 'succeeded' || s.status === 'waiting') {
        const bytes = jsonBytes(s.output);
        r.bytes += bytes;
        this.heldBytes += bytes;
      }
      this.restored.set(key, r);
    }
    this.responded = run.response !== null && run.response !== undefined;
    const signal = this.controller.signal;
    signal.addEventListener('abort', () => {
      for (const a of this.attempts) a.abort(signal.reason);
    }, { once: true });
  }

  /** Whether anyone watches this run's steps; refreshed at most every 500 ms. */
  watched = true;
  #watchCheckedAt = 0;

  /**
   * Step events go out only while someone watches the run (SSE replays the rest from the rows).
   * `build` runs only then, so an unwatched run (most runs) builds no event.
   */
  emitStep(build: () => RunEvent): void {
    const now = Date.now();
    if (now - this.#watchCheckedAt > 500) {
      this.#watchCheckedAt = now;
      void this.deps.bus.isWatched(this.run.id).then((w) => (this.watched = w), () => (this.watched = true));
    }
    if (this.watched) this.deps.bus.publishRun(build());
  }

  setWatched(watched: boolean): void {
    this.#watchCheckedAt = Date.now();
    this.watched = watched;
  }

  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** `now`, bound once for the run (expressions' clock, ctx.now). */
  readonly clock = (): Date => this.now();

  /** Attempts running now: the run's abort reaches each of them (one listener per run). */
  readonly attempts = new Set<AttemptAbort>();

  /** `$trigger`, `$node`, `$run` (and a loop item's `$item`, `$index`) as a frame's expressions see them; made once per frame. */
  scopeOf(frame: Frame): Record<string, unknown> {
    // `$node` is the frame's live map; `$run.startedAt` is fixed once the run has started.
    if (frame.exprScope !== undefined) return frame.exprScope;
    const run = this.run;
    const scope = { $trigger: run.triggerPayload, $node: frame.nodeScope, $run: { id: run.id, workflowId: run.workflowId, startedAt: (run.startedAt ?? this.now()).toISOString() }, ...(frame.entry ? { $item: frame.entry.item, $index: frame.entry.index } : {}) };
    if (run.startedAt) frame.exprScope = scope;
    return scope;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Gives the event loop a turn when the executor has worked too long without one (see pace.ts). */
  async pace(): Promise<void> {
    const turn = pace();
    if (turn) await turn;
  }

  /** Takes one more step row; throws (failing the step) when the run has used all its steps. */
  countStep(): void {
    const max = this.deps.limits.maxRunSteps;
    if (this.stepCount >= max) throw new NonRetriableNodeError(`the run reached its limit of ${max} steps (KEYFLOW_MAX_RUN_STEPS)`);
    this.stepCount += 1;
  }

  /** Throws (failing the step) when holding `bytes` more would take the run past its bound. */
  checkHold(bytes: number): void {
    const max = this.deps.limits.maxRunBytes;
    if (this.heldBytes + bytes > max) throw new NonRetriableNodeError(runBytesMessage(max));
  }

  /** `frame` keeps `bytes` of output until it ends (the top frame: until the run ends). */
  hold(frame: Frame, bytes: number): void {
    frame.heldBytes += bytes;
    this.heldBytes += bytes;
  }

  release(bytes: number): void {
    this.heldBytes -= bytes;
  }

  /** A checkpoint just put back into a frame: the map lets go of it (the frame holds it now). */
  consumeRestored(key: string): void {
    const r = this.restored.get(key);
    if (!r || r.waiting) return;
    this.restored.delete(key);
    this.heldBytes -= r.bytes;
  }

  /** Writes a step row (with any carried trigger row: same statement); resolves once it is committed. */
  writeStep(step: runs.NewStep): Promise<void> {
    if (this.#carried.length === 0) return this.deps.steps.write(step);
    const rows = [...this.#carried, step];
    this.#carried = [];
    return this.deps.steps.write(rows);
  }

  /**
   * Trigger rows not written yet: each rides with the run's next write (a step's row, its park
   * or its end) instead of costing a statement and a commit of its own. A webhook trigger's
   * output is a pure function of the request, which the run row already holds (the trigger
   * payload), so a process that dies before the row is written re-runs the trigger from the
   * payload and gets the same output; nothing its successors did depends on the row itself.
   */
  #carried: runs.NewStep[] = [];

  /** Whether a trigger's row may ride with the next write (see #carried): webhook runs only. */
  #carries(def: AnyNodeDefinition, frame: Frame): boolean {
    return def.kind === 'trigger' && frame.parent === undefined && CARRIED_TRIGGERS.has(this.run.trigger) && !CLOCK_TRIGGERS.has(def.type);
  }

  /** The run's last step, kept to be written in the statement that ends the run (writeStepOrDefer). */
  deferred: runs.NewStep | undefined;

  /**
   * A succeeded step's row. When it is the run's last step (top frame, no outgoing edge, every
   * other node of the frame done or skipped), nothing can start after it, so its row is kept and
   * written in the same statement as the run's end (one statement and commit less); a process
   * that dies before that re-runs this step alone, as if it had died during the step.
   */
  writeStepOrDefer(frame: Frame, nodeId: string, def: AnyNodeDefinition, step: runs.NewStep): Promise<void> {
    if (this.deferred === undefined && frame.parent === undefined && frame.entry === undefined && !this.g.index.outgoing.get(nodeId)?.length && this.#othersSettled(frame, nodeId)) {
      this.deferred = step;
      return Promise.resolve();
    }
    if (this.#carries(def, frame)) {
      this.#carried.push(step);
      return Promise.resolve();
    }
    return this.writeStep(step);
  }

  #othersSettled(frame: Frame, nodeId: string): boolean {
    for (const [id, s] of frame.states) if (id !== nodeId && s.status !== 'done' && s.status !== 'skipped') return false;
    return true;
  }

  /** The rows not written yet (carried trigger rows, the deferred last step), handed to whoever writes them (the run's end or park), once. */
  takeUnwritten(): runs.NewStep[] {
    const rows = this.deferred === undefined ? this.#carried : [...this.#carried, this.deferred];
    this.#carried = [];
    this.deferred = undefined;
    return rows;
  }

  definition(node: GraphNode): AnyNodeDefinition {
    const def = this.deps.registry.get(node.type, node.version);
    if (!def) throw new NonRetriableNodeError(`node type ${node.type}@${node.version} is not installed`);
    return def;
  }

  /** Walks one frame until nothing more can run in it. */
  async runFrame(frame: Frame): Promise<FrameResult> {
    const running = new Map<string, Promise<string>>();
    const queue = [...frame.members];
    let failed = false;
    let parked = false;
    for (;;) {
      while (queue.length > 0 && !failed && !this.signal.aborted) {
        const id = queue.shift()!;
        const state = frame.states.get(id)!;
        if (state.status !== 'pending') continue;
        const node = this.g.index.nodes.get(id)!;
        const def = this.deps.registry.get(node.type, node.version);
        const readiness = frame.readiness(id, def?.kind === 'trigger');
        if (readiness === 'skip') {
          frame.set(id, { status: 'skipped' });
          queue.push(...frame.successorsOf(id));
        } else if (readiness === 'ready') {
          frame.set(id, { status: 'running' });
          running.set(id, this.#start(frame, node, def?.kind === 'merge').then(() => id));
        }
      }
      if (running.size === 0) break;
      const id = await Promise.race(running.values());
      running.delete(id);
      const state = frame.states.get(id)!;
      if (state.status === 'failed') failed = true;
      else if (state.status === 'waiting') parked = true;
      else queue.push(...frame.successorsOf(id));
    }
    if (this.signal.aborted) throw this.signal.reason instanceof RunTimedOut ? this.signal.reason : new RunCancelled();
    if (failed || this.firstFailure) return 'failed';
    return parked ? 'parked' : 'done';
  }

  async #start(frame: Frame, node: GraphNode, isMerge: boolean): Promise<void> {
    const input = frame.inputOf(node.id, isMerge);
    try {
      const def = this.definition(node);
      if (def.kind === 'loop' && !node.disabled) return await runLoop(this, frame, node, def, input);
      const state = await runNode(this, frame, node, def, input);
      frame.set(node.id, state);
      if (state.bytes) this.hold(frame, state.bytes);
      if (state.status === 'done') this.lastOutput = state.output;
    } catch (err) {
      // Never rejects: runFrame races these promises, and a cancelled run must not leave
      // rejections behind. runFrame rethrows the abort reason once the frame drains.
      if (this.signal.aborted) return frame.set(node.id, { status: 'failed' });
      if (isDatabaseInterruption(err)) {
        this.interrupted ??= err;
        return frame.set(node.id, { status: 'failed' });
      }
      this.firstFailure ??= { nodeId: node.id, scope: frame.scope, error: { message: err instanceof Error ? err.message : 'node failed' } };
      frame.set(node.id, { status: 'failed' });
    }
  }

  /** Earliest wake-up among parked delay steps (restored or new). */
  earliestResume(frame: Frame): Date | undefined {
    let min: Date | undefined;
    const visit = (f: Frame) => {
      for (const s of f.states.values()) if (s.status === 'waiting' && s.resumeAt && (!min || s.resumeAt < min)) min = s.resumeAt;
    };
    visit(frame);
    for (const r of this.restored.values()) if (r.waiting?.resumeAt && !r.settled && (!min || r.waiting.resumeAt < min)) min = r.waiting.resumeAt;
    return min;
  }
}

export function runBytesMessage(max: number): string {
  return `the run would hold more than its limit of ${max} bytes of step outputs (KEYFLOW_MAX_RUN_BYTES)`;
}
