// Runs one run to its end (or to a park for a delay): claims it, restores checkpoints, walks
// the graph frame by frame, and records the outcome. Called once per queue job.
import { LOOP_DONE_HANDLE, NonRetriableNodeError, type AnyNodeDefinition, type RunInfo } from '@keyflow/nodes/contract';
import type { GraphNode } from '../graph/index.ts';
import type { RunEvent } from '../events/event-bus.ts';
import * as runs from '../store/runs.repo.ts';
import { Frame } from './frame.ts';
import type { PreparedGraph } from './graph-cache.ts';
import { runNode, type Restored } from './run-node.ts';
import { RunCancelled, RunTimedOut, type ExecutorDeps, type RunOutcome } from './types.ts';

type FrameResult = 'done' | 'parked' | 'failed';

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
  lastOutput: unknown;
  lastSeq = -1;

  constructor(deps: ExecutorDeps, run: runs.RunRecord, g: PreparedGraph, steps: runs.StepRecord[]) {
    this.deps = deps;
    this.run = run;
    this.g = g;
    this.info = { id: run.id, workflowId: run.workflowId, ownerId: run.ownerId };
    for (const s of steps) {
      this.seq = Math.max(this.seq, s.seq);
      const key = `${s.scope}\u0000${s.nodeId}`;
      const r = this.restored.get(key) ?? { failures: 0 };
      if (s.status === 'succeeded') r.succeeded = s;
      else if (s.status === 'waiting') r.waiting = s;
      else if (s.status === 'failed') r.failures = Math.max(r.failures, s.attempt);
      this.restored.set(key, r);
    }
    this.responded = run.response !== null && run.response !== undefined;
  }

  /** Whether anyone watches this run's steps; refreshed at most every 500 ms. */
  watched = true;
  #watchCheckedAt = 0;

  /** Step events go out only while someone watches the run (SSE replays the rest from the rows). */
  emitStep(event: RunEvent): void {
    const now = Date.now();
    if (now - this.#watchCheckedAt > 500) {
      this.#watchCheckedAt = now;
      void this.deps.bus.isWatched(this.run.id).then((w) => (this.watched = w), () => (this.watched = true));
    }
    if (this.watched) this.deps.bus.publishRun(event);
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

  get signal(): AbortSignal {
    return this.controller.signal;
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
      if (def.kind === 'loop' && !node.disabled) return await this.#runLoop(frame, node, def, input);
      const state = await runNode(this, frame, node, def, input);
      frame.set(node.id, state);
      if (state.status === 'done') this.lastOutput = state.output;
    } catch (err) {
      // Never rejects: runFrame races these promises, and a cancelled run must not leave
      // rejections behind. runFrame rethrows the abort reason once the frame drains.
      if (this.signal.aborted) return frame.set(node.id, { status: 'failed' });
      this.firstFailure ??= { nodeId: node.id, scope: frame.scope, error: { message: err instanceof Error ? err.message : 'node failed' } };
      frame.set(node.id, { status: 'failed' });
    }
  }

  /** Runs the loop node for its items, then its body once per item with bounded concurrency. */
  async #runLoop(frame: Frame, node: GraphNode, def: AnyNodeDefinition, input: unknown): Promise<void> {
    const restored = this.restored.get(`${frame.scope}\u0000${node.id}`)?.succeeded;
    if (restored) {
      frame.set(node.id, { status: 'done', output: restored.output, branch: LOOP_DONE_HANDLE });
      return;
    }
    const expanded = await runNode(this, frame, node, def, input);
    if (expanded.status !== 'done') return frame.set(node.id, expanded);
    const { items, concurrency } = expanded.output as { items: unknown[]; concurrency: number };
    const body = this.g.loopBodies.get(node.id) ?? new Set<string>();
    const results: unknown[] = new Array(items.length);
    const outcomes: FrameResult[] = [];
    let next = 0;
    const worker = async () => {
      while (next < items.length && !this.firstFailure && !this.signal.aborted) {
        const index = next++;
        const scope = `${frame.scope}${frame.scope ? '/' : ''}${node.id}:${index}`;
        const child = new Frame(this.g, body, { scope, parent: frame, entry: { loopId: node.id, item: items[index], index } });
        const r = await this.runFrame(child);
        outcomes.push(r);
        if (r === 'done') results[index] = child.loopResult(node.id);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
    if (this.signal.aborted) throw this.signal.reason;
    if (outcomes.includes('failed') || this.firstFailure) return frame.set(node.id, { status: 'failed' });
    if (outcomes.includes('parked')) return frame.set(node.id, { status: 'waiting' });
    const seq = this.nextSeq();
    const at = this.now();
    await runs.insertStep(this.deps.checkpointDb ?? this.deps.db, { runId: this.run.id, ownerId: this.run.ownerId, nodeId: node.id, scope: frame.scope, attempt: 1, status: 'succeeded', input: { items: items.length }, output: results, error: undefined, costMicros: 0, seq, startedAt: at, finishedAt: at, branch: LOOP_DONE_HANDLE });
    this.emitStep({ type: 'step.finished', runId: this.run.id, seq, nodeId: node.id, scope: frame.scope, attempt: 1, at: at.toISOString(), status: 'succeeded', output: results, costMicros: 0 });
    frame.set(node.id, { status: 'done', output: results, branch: LOOP_DONE_HANDLE });
    this.lastOutput = results;
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

/** Executes (or resumes) a run. Safe to call twice for the same run: a finished run is skipped. */
export async function executeRun(deps: ExecutorDeps, runId: string, opts: { leaseMs?: number } = {}): Promise<RunOutcome> {
  const db = deps.checkpointDb ?? deps.db;
  // Whether anyone watches is asked beside the claim, not after it: one round trip less.
  const [run, watched] = await Promise.all([runs.claimRun(db, runId, opts.leaseMs), deps.bus.isWatched(runId).catch(() => true)]);
  if (!run) return { kind: 'skipped' };
  // A leased run (executed outside the queue) keeps its lease fresh until it ends or parks.
  const leaseMs = opts.leaseMs;
  const renewal = leaseMs ? setInterval(() => void runs.renewLease(db, runId, leaseMs).catch(() => undefined), Math.max(500, Math.floor(leaseMs / 3))) : undefined;
  try {
    return await executeClaimed(deps, run, watched);
  } finally {
    clearInterval(renewal);
  }
}

async function executeClaimed(deps: ExecutorDeps, run: runs.RunRecord & { fresh: boolean }, watched: boolean): Promise<RunOutcome> {
  const runId = run.id;
  /** Persists the end, then announces it: a listener that reads the run sees it finished. */
  const end = async (exec: RunExecution | undefined, status: 'succeeded' | 'failed' | 'cancelled', error?: unknown, output?: unknown) => {
    const seq = exec?.nextSeq() ?? 1;
    const costMicros = exec?.costMicros ?? run.costMicros;
    await runs.finishRun(deps.db, runId, { status, error, output, costMicros, eventSeq: seq, response: exec?.response });
    deps.bus.publishRun({ type: 'run.finished', runId, seq, status, ...(error !== undefined ? { error } : {}), ...(output !== undefined ? { output } : {}), costMicros });
  };
  if (run.cancelRequested) {
    await end(undefined, 'cancelled');
    return { kind: 'finished', status: 'cancelled' };
  }
  let exec: RunExecution | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const [g, steps] = await Promise.all([deps.graphs.get(deps.db, run.ownerId, run.workflowId, run.workflowVersion), run.fresh ? [] : runs.loadSteps(deps.db, runId)]);
    exec = new RunExecution(deps, run, g, steps);
    exec.setWatched(watched);
    exec.costMicros = run.costMicros;
    deps.active.set(runId, exec.controller);
    const ctl = exec.controller;
    timer = setTimeout(() => ctl.abort(new RunTimedOut(deps.limits.runTimeoutMs)), deps.limits.runTimeoutMs);
    const top = new Frame(g, new Set([...g.index.nodes.keys()].filter((id) => !g.inBody.has(id))));
    const result = await exec.runFrame(top);
    if (result === 'failed') {
      const error = exec.firstFailure ?? { message: 'run failed' };
      await end(exec, 'failed', error);
      return { kind: 'finished', status: 'failed' };
    }
    if (result === 'parked') {
      const resumeAt = exec.earliestResume(top) ?? new Date(Date.now() + 1000);
      const seq = exec.nextSeq();
      await runs.parkRun(deps.db, runId, resumeAt, seq, exec.response);
      deps.bus.publishRun({ type: 'run.parked', runId, seq, resumeAt: resumeAt.toISOString() });
      return { kind: 'parked', resumeAt };
    }
    await end(exec, 'succeeded', undefined, exec.lastOutput ?? null);
    return { kind: 'finished', status: 'succeeded' };
  } catch (err) {
    const timedOut = err instanceof RunTimedOut;
    const cancelled = !timedOut && (err instanceof RunCancelled || exec?.signal.aborted === true);
    const status = cancelled ? 'cancelled' : 'failed';
    const error = cancelled ? undefined : { message: err instanceof Error ? err.message : 'run failed' };
    if (!cancelled && !timedOut) deps.log.error({ runId, err: { name: (err as Error)?.name, message: (err as Error)?.message } }, 'run failed outside a node');
    await end(exec, status, error);
    return { kind: 'finished', status };
  } finally {
    clearTimeout(timer);
    deps.active.delete(runId);
  }
}
