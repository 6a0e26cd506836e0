// One node of one frame: restore it from a checkpoint, or resolve its config, lend its
// credential, call run() under a timeout with retries, and checkpoint every attempt.
import { randomUUID } from 'node:crypto';
import {
  checkNodeResult,
  CredentialRejectedError,
  MAIN_HANDLE,
  NodeError,
  NonRetriableNodeError,
  parseNodeConfig,
  RetryAfterNodeError,
  toNodeError,
  type AnyNodeDefinition,
  type NodeContext,
  type NodeCredential,
} from '@keyflow/nodes/contract';
import { renderValue } from '../expr/index.ts';
import type { GraphNode } from '../graph/index.ts';
import * as runs from '../store/runs.repo.ts';
import { backoffMs, sleep } from './backoff.ts';
import { capStored, capStoredJson, capText, isTruncated } from './cap-stored.ts';
import type { Frame, NodeState } from './frame.ts';
import { redactForStorage } from './redact.ts';
import type { RunExecution } from './run-execution.ts';
import { isDatabaseInterruption, RunCancelled } from './types.ts';
import { observeStep } from '../metrics/metrics.ts';

export interface Restored {
  succeeded?: runs.StepRecord;
  waiting?: runs.StepRecord;
  /** The highest failed attempt number already recorded. */
  failures: number;
  settled?: boolean;
  /** Size of the restored outputs, held by the run until a frame takes them over. */
  bytes: number;
}

/** Longest error message stored; node errors may quote what an API answered. */
const MAX_MESSAGE_CHARS = 4096;

function firstOutput(def: AnyNodeDefinition, config: unknown): string {
  const outs = typeof def.outputs === 'function' ? def.outputs(config as never) : def.outputs;
  return outs[0] ?? MAIN_HANDLE;
}

/**
 * One attempt's cancellation: by the run (cancelled, timed out) or by the node's own timeout.
 * Its AbortController is made only when the node asks for `ctx.signal` (most nodes never do);
 * either way `settle` rejects as soon as it aborts, so a node that ignores its signal cannot
 * hold the run. The run's signal reaches it through RunExecution.attempts (one listener per run,
 * not one per step).
 */
export class AttemptAbort {
  #ctl: AbortController | undefined;
  #reject: ((reason: unknown) => void) | undefined;
  aborted = false;
  reason: unknown;
  timedOut = false;

  get signal(): AbortSignal {
    if (!this.#ctl) {
      this.#ctl = new AbortController();
      if (this.aborted) this.#ctl.abort(this.reason);
    }
    return this.#ctl.signal;
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    // The node's own listeners first, then the race (as when the race listened on the signal).
    this.#ctl?.abort(reason);
    this.#reject?.(reason);
  }

  /** `promise`, or its rejection with the abort reason once this aborts (at once if it has). */
  settle<T>(promise: Promise<T>): Promise<T> {
    if (this.aborted) {
      promise.catch(() => undefined);
      return Promise.reject(this.reason);
    }
    return new Promise<T>((resolve, reject) => {
      this.#reject = reject;
      promise.then(resolve, reject);
    });
  }
}

/** An error as stored: its message cut to MAX_MESSAGE_CHARS, its details redacted and capped to half of `maxStoredBytes`. */
export function errorRecord(err: NodeError, maxStoredBytes: number): Record<string, unknown> {
  return {
    name: err.name,
    message: capText(err.message, MAX_MESSAGE_CHARS),
    retryable: err.retryable,
    ...(err instanceof RetryAfterNodeError ? { retryAfterMs: err.retryAfterMs } : {}),
    ...(err.details !== undefined ? { details: capStored(redactForStorage(err.details), Math.floor(maxStoredBytes / 2)) } : {}),
  };
}

/**
 * A refused credential is marked invalid at once (the connections page shows it broken before
 * the next run tries it); a rate-limited one is shown as such. Never fails the step itself.
 */
async function noteCredentialHealth(exec: RunExecution, err: NodeError): Promise<void> {
  const sink = exec.deps.credentialHealth;
  if (!sink) return;
  let update: { credentialId: string; health: 'invalid' | 'rate_limited' } | undefined;
  if (err instanceof CredentialRejectedError) update = { credentialId: err.credentialId, health: 'invalid' };
  else if (err instanceof RetryAfterNodeError && typeof err.details?.credentialId === 'string') update = { credentialId: err.details.credentialId, health: 'rate_limited' };
  if (!update) return;
  try {
    await sink(exec.run.ownerId, update.credentialId, { health: update.health, error: capText(err.message, MAX_MESSAGE_CHARS) });
  } catch (e) {
    exec.deps.log.warn({ runId: exec.run.id, credentialId: update.credentialId, err: e instanceof Error ? e.name : typeof e }, 'could not record credential health');
  }
}

/** Runs that take pinned data: the test runs. A production run (or a re-run of one) never does. */
const PINNED_TRIGGERS = new Set(['manual', 'test']);
/** Triggers, loops (their output drives the walk) and responses (their effect is the answer) are never pinned. */
const PINNABLE = new Set<string>(['action', 'condition', 'switch', 'merge']);

/** A pinned node: its step is recorded (marked pinned) with the pinned output, and nothing is called. */
async function usePinned(exec: RunExecution, frame: Frame, node: GraphNode, def: AnyNodeDefinition, pinned: { output?: unknown; branch?: string | null | undefined }): Promise<NodeState> {
  const { run } = exec;
  const output = pinned.output ?? null;
  const branch = pinned.branch ?? firstOutput(def, node.config);
  const stored = redactForStorage(output);
  const at = exec.now();
  const startSeq = exec.nextSeq();
  exec.emitStep(() => ({ type: 'step.started', runId: run.id, seq: startSeq, nodeId: node.id, scope: frame.scope, attempt: 1, at: at.toISOString() }));
  const seq = exec.nextSeq();
  await exec.writeStep({ id: randomUUID(), runId: run.id, ownerId: run.ownerId, nodeId: node.id, scope: frame.scope, attempt: 1, status: 'succeeded', input: { pinned: true }, output: stored, error: undefined, costMicros: 0, seq, startedAt: at, finishedAt: at, resumeAt: null, branch });
  exec.emitStep(() => ({ type: 'step.finished', runId: run.id, seq, nodeId: node.id, scope: frame.scope, attempt: 1, at: at.toISOString(), status: 'succeeded', output: stored, costMicros: 0 }));
  return { status: 'done', output, branch, attempt: 1 };
}

export async function runNode(exec: RunExecution, frame: Frame, node: GraphNode, def: AnyNodeDefinition, input: unknown): Promise<NodeState> {
  const { deps, run } = exec;
  const key = `${frame.scope}\u0000${node.id}`;
  const restored = exec.restored.get(key);
  // A trigger's copy of a payload too large to store was stored as a marker: a trigger is a
  // pure function of the payload, so it runs again instead of being restored.
  const truncatedTrigger = def.kind === 'trigger' && isTruncated(restored?.succeeded?.output);
  if (restored?.succeeded && !truncatedTrigger) {
    const bytes = restored.bytes;
    exec.consumeRestored(key);
    return { status: 'done', output: restored.succeeded.output, branch: restored.succeeded.branch ?? MAIN_HANDLE, bytes };
  }
  if (restored?.waiting) {
    const w = restored.waiting;
    if (w.resumeAt && w.resumeAt > exec.now()) return { status: 'waiting', output: w.output, resumeAt: w.resumeAt };
    const seq = exec.nextSeq();
    await runs.settleWaitingStep(deps.checkpointDb ?? deps.db, w.id, seq);
    restored.settled = true;
    exec.emitStep(() => ({ type: 'step.finished', runId: run.id, seq, nodeId: node.id, scope: frame.scope, attempt: w.attempt, at: exec.now().toISOString(), status: 'succeeded', output: w.output, costMicros: 0 }));
    return { status: 'done', output: w.output, branch: w.branch ?? MAIN_HANDLE };
  }
  if (node.disabled) return { status: 'done', output: input, branch: firstOutput(def, node.config) };
  if (node.pinned && PINNED_TRIGGERS.has(run.trigger) && PINNABLE.has(def.kind)) return usePinned(exec, frame, node, def, node.pinned);

  const scope = exec.scopeOf(frame);
  let attempt = (restored?.failures ?? 0) + 1;
  const { limits } = deps;
  for (;;) {
    await exec.pace();
    if (exec.signal.aborted) throw exec.signal.reason ?? new RunCancelled();
    const startedAt = exec.now();
    const startSeq = exec.nextSeq();
    exec.emitStep(() => ({ type: 'step.started', runId: run.id, seq: startSeq, nodeId: node.id, scope: frame.scope, attempt, at: startedAt.toISOString() }));
    let stepCost = 0;
    let config: unknown;
    // The attempt's row id, known before the call so usage events can name their step.
    const stepId = randomUUID();
    // The rendered config is held by the run while the step runs.
    const built = { max: limits.maxBuildBytes, used: 0 };
    let heldConfig = 0;
    let step: AttemptAbort | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      exec.countStep();
      try {
        config = parseNodeConfig(def, renderValue(node.config, scope, { now: exec.clock, budget: built }));
      } catch (err) {
        if (err instanceof NonRetriableNodeError) throw err;
        throw new NonRetriableNodeError(`node "${node.name ?? node.id}": ${err instanceof Error ? err.message : 'invalid config'}`, { cause: err });
      }
      exec.checkHold(built.used);
      heldConfig = built.used;
      exec.heldBytes += heldConfig;
      let credential: NodeCredential | undefined;
      if (def.credential) {
        const wanted = typeof (config as { credentialId?: unknown }).credentialId === 'string' ? (config as { credentialId: string }).credentialId : undefined;
        credential = await deps.credentials(run.ownerId, def.credential.provider, wanted);
        if (!credential && !def.credential.optional) throw new NonRetriableNodeError(`no ${def.credential.provider} credential: add one under Keys`);
      }
      // Aborted by the run's signal (RunExecution.attempts) or the node's timeout; both let go in
      // `finally`. Its AbortController exists only if the node reads ctx.signal (see AttemptAbort).
      const attemptState = new AttemptAbort();
      step = attemptState;
      exec.attempts.add(attemptState);
      if (exec.signal.aborted) attemptState.abort(exec.signal.reason);
      timer = setTimeout(() => {
        attemptState.timedOut = true;
        attemptState.abort(new DOMException(`The operation timed out after ${def.timeoutMs} ms`, 'TimeoutError'));
      }, def.timeoutMs);
      timer.unref();
      // The node's logger is made only if the node logs.
      let nodeLog: ReturnType<typeof deps.log.child> | undefined;
      const log = () => (nodeLog ??= deps.log.child({ runId: run.id, nodeId: node.id, attempt }));
      const ctx: NodeContext<unknown> = {
        config, input, trigger: run.triggerPayload, nodes: frame.nodeScope, run: exec.info, nodeId: node.id, attempt,
        ...(credential ? { credential } : {}),
        ...(deps.services ? { services: deps.services } : {}),
        ...(deps.ai ? { ai: deps.ai(exec.info, { id: stepId, nodeId: node.id, scope: frame.scope }, (m) => (stepCost += m)) } : {}),
        fetch: (url, init) => deps.fetch(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, attemptState.signal]) : attemptState.signal }),
        log: { info: (m, f) => log().info(f ?? {}, m), warn: (m, f) => log().warn(f ?? {}, m), error: (m, f) => log().error(f ?? {}, m) },
        get signal() {
          return attemptState.signal;
        },
        idempotencyKey: `${run.id}:${frame.scope}:${node.id}`,
        now: exec.clock,
      };
      let raw: unknown;
      try {
        raw = await attemptState.settle((def.run as (c: NodeContext<unknown>) => Promise<unknown>)(ctx));
      } catch (err) {
        if (exec.signal.aborted) throw new RunCancelled();
        if (attemptState.timedOut) throw new NodeError(`timed out after ${def.timeoutMs} ms`, { cause: err });
        throw err;
      } finally {
        // Let the timer go as soon as the call settles (heap snapshots showed tens of thousands
        // of step timers alive for their full timeout otherwise).
        clearTimeout(timer);
      }
      const result = checkNodeResult(def.kind, raw) as { output?: unknown; branch?: string; resumeAt?: Date; response?: { status: number; headers: Record<string, string>; body: unknown }; items?: unknown[] };
      const output = def.kind === 'loop' ? { items: result.items, concurrency: (result as { concurrency: number }).concurrency } : result.output;
      // A trigger's output is its payload (bounded where it entered, by the request body limit),
      // which the run already holds: it is neither capped nor counted again.
      const isTrigger = def.kind === 'trigger';
      const outputText = isTrigger ? undefined : JSON.stringify(output ?? null);
      const bytes = outputText?.length ?? 0;
      if (bytes > limits.maxOutputBytes) throw new NonRetriableNodeError(`step output is ${bytes} bytes, over the ${limits.maxOutputBytes}-byte limit`);
      exec.checkHold(bytes);
      const branch = result.branch ?? MAIN_HANDLE;
      if (def.kind === 'loop') return { status: 'done', output, branch, attempt };
      const waiting = def.kind === 'delay';
      const seq = exec.nextSeq();
      // Outputs are checkpoints that later steps read back, so only a trigger's may be cut.
      const stored = isTrigger ? capStored(redactForStorage(output), limits.maxStoredBytes) : redactForStorage(output);
      exec.costMicros += stepCost;
      // One clock reading for the duration and the row's end.
      const endedAt = exec.now();
      if (!waiting) observeStep(node.type, 'succeeded', (endedAt.getTime() - startedAt.getTime()) / 1000);
      const storedInput = capStoredJson(redactForStorage({ config }), limits.maxStoredBytes);
      const row: runs.NewStep = {
        id: stepId, runId: run.id, ownerId: run.ownerId, nodeId: node.id, scope: frame.scope, attempt, status: waiting ? 'waiting' : 'succeeded',
        input: storedInput.value, output: stored, error: undefined, costMicros: stepCost, seq, startedAt, finishedAt: waiting ? null : endedAt,
        resumeAt: waiting ? (result.resumeAt ?? null) : null, branch,
        // The size check's text is the stored one when redaction replaced nothing (it returns the same object then).
        ...(storedInput.text !== undefined ? { inputJson: storedInput.text } : {}),
        ...(outputText !== undefined && output !== undefined && stored === output ? { outputJson: outputText } : {}),
      };
      // A parked step is never the run's last: the run's park needs its row first.
      await (waiting ? exec.writeStep(row) : exec.writeStepOrDefer(frame, node.id, def, row));
      exec.emitStep(() => ({ type: 'step.finished', runId: run.id, seq, nodeId: node.id, scope: frame.scope, attempt, at: exec.now().toISOString(), status: waiting ? 'waiting' : 'succeeded', output: stored, costMicros: stepCost }));
      if (def.kind === 'respond' && result.response && !exec.responded) {
        exec.responded = true;
        // The caller is waiting: answer now. The run row keeps the response when it finishes or parks.
        exec.response = result.response;
        const event = { type: 'run.response' as const, runId: run.id, seq: exec.nextSeq(), response: result.response };
        // Its waiter is here and nobody watches: no other process needs it (the run row keeps it).
        if (!exec.watched && deps.waitsHere?.(run.id)) deps.bus.publishLocal(event);
        else deps.bus.publishRun(event);
      }
      // A call that went through ends a rate-limited spell on the connections page.
      if (credential && deps.credentialHealth) await deps.credentialHealth(run.ownerId, credential.id, { health: 'recovered' }).catch(() => undefined);
      if (waiting) return { status: 'waiting', output, bytes, attempt, ...(result.resumeAt ? { resumeAt: result.resumeAt } : {}) };
      return { status: 'done', output, branch, bytes, attempt };
    } catch (thrown) {
      if (thrown instanceof RunCancelled || exec.signal.aborted) throw exec.signal.reason ?? thrown;
      // The run's own bookkeeping lost its database: not the node's failure (and its row could not be written).
      if (isDatabaseInterruption(thrown)) throw thrown;
      const err = toNodeError(thrown);
      await noteCredentialHealth(exec, err);
      const willRetry = err.retryable && attempt < def.retry.maxAttempts;
      const seq = exec.nextSeq();
      const error = errorRecord(err, limits.maxStoredBytes);
      exec.costMicros += stepCost;
      observeStep(node.type, 'failed', (exec.now().getTime() - startedAt.getTime()) / 1000);
      await exec.writeStep({ id: stepId, runId: run.id, ownerId: run.ownerId, nodeId: node.id, scope: frame.scope, attempt, status: 'failed', input: config === undefined ? undefined : capStored(redactForStorage({ config }), limits.maxStoredBytes), output: undefined, error, costMicros: stepCost, seq, startedAt, finishedAt: exec.now() });
      exec.emitStep(() => ({ type: 'step.failed', runId: run.id, seq, nodeId: node.id, scope: frame.scope, attempt, at: exec.now().toISOString(), error, willRetry }));
      if (!willRetry) {
        exec.firstFailure ??= { nodeId: node.id, scope: frame.scope, error };
        return { status: 'failed' };
      }
      const wait = err instanceof RetryAfterNodeError ? err.retryAfterMs : backoffMs(def.retry, attempt, deps.random);
      await sleep(wait, exec.signal).catch(() => {
        throw exec.signal.reason ?? new RunCancelled();
      });
      attempt += 1;
    } finally {
      exec.release(heldConfig);
      if (step) {
        clearTimeout(timer);
        exec.attempts.delete(step);
      }
    }
  }
}
