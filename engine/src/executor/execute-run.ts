// Runs one run to its end (or to a park for a delay): claims it, fails it if its earlier
// executions kept dying with their process, restores checkpoints, walks the graph frame by
// frame (run-execution.ts), and records the outcome. Called once per queue job.
import * as runs from '../store/runs.repo.ts';
import { capStored } from './cap-stored.ts';
import { Frame } from './frame.ts';
import { redactForStorage } from './redact.ts';
import { RunExecution } from './run-execution.ts';
import { runsFinished, runStartDelay, runsStarted } from '../metrics/metrics.ts';
import { isDatabaseInterruption, RunCancelled, RunTimedOut, type ExecutorDeps, type RunOutcome } from './types.ts';

/** Executes (or resumes) a run. Safe to call twice for the same run: a finished run is skipped. */
export async function executeRun(deps: ExecutorDeps, runId: string, opts: { leaseMs?: number } = {}): Promise<RunOutcome> {
  const db = deps.checkpointDb ?? deps.db;
  // Whether anyone watches is asked beside the claim, not after it: one round trip less.
  const [run, watched] = await Promise.all([runs.claimRun(db, runId, opts.leaseMs), deps.bus.isWatched(runId).catch(() => true)]);
  if (!run) return { kind: 'skipped' };
  return executeClaimedRun(deps, run, watched, opts.leaseMs);
}

/**
 * Executes a run its caller has claimed already (claimRun, or runs.insertClaimedRun for a run
 * written and claimed in one statement). `watched`: whether anyone listened when it was claimed.
 */
export async function executeClaimedRun(deps: ExecutorDeps, run: runs.RunRecord & { fresh: boolean; crashes: number }, watched: boolean, leaseMs?: number, opts: { waitedHere?: boolean } = {}): Promise<RunOutcome> {
  const db = deps.checkpointDb ?? deps.db;
  const runId = run.id;
  // A leased run (executed outside the queue) keeps its lease fresh until it ends or parks.
  const renewal = leaseMs ? setInterval(() => void runs.renewLease(db, runId, leaseMs).catch(() => undefined), Math.max(500, Math.floor(leaseMs / 3))) : undefined;
  try {
    return await executeClaimed(deps, run, watched, opts.waitedHere === true);
  } finally {
    clearInterval(renewal);
  }
}

/**
 * `waitedHere`: the run's only waiter is in this process (a webhook run it executes itself).
 * Its end then goes to Redis only if someone watches, asked after the end is committed: a
 * watcher subscribes before it reads the run, so one that starts later reads it finished.
 */
async function executeClaimed(deps: ExecutorDeps, run: runs.RunRecord & { fresh: boolean; crashes: number }, watched: boolean, waitedHere: boolean): Promise<RunOutcome> {
  const runId = run.id;
  const maxStored = deps.limits.maxStoredBytes;
  /** Persists the end, then announces it: a listener that reads the run sees it finished. */
  const end = async (exec: RunExecution | undefined, status: 'succeeded' | 'failed' | 'cancelled', rawError?: unknown, rawOutput?: unknown) => {
    const seq = exec?.nextSeq() ?? 1;
    const costMicros = exec?.costMicros ?? run.costMicros;
    // What is stored and announced of the run obeys the rules of its step rows: redacted, capped.
    const error = capStored(rawError, maxStored);
    const output = capStored(redactForStorage(rawOutput), maxStored);
    await deps.runRows.finish(runId, { status, error, output, costMicros, eventSeq: seq, response: exec?.response }, exec?.takeUnwritten() ?? []);
    const finished = { type: 'run.finished' as const, runId, seq, status, ...(error !== undefined ? { error } : {}), ...(output !== undefined ? { output } : {}), costMicros };
    if (waitedHere && !(await deps.bus.isWatched(runId).catch(() => true))) deps.bus.publishLocal(finished);
    else deps.bus.publishRun(finished);
    runsFinished.inc({ trigger: run.trigger, status });
    deps.onRunFinished?.({ id: runId, ownerId: run.ownerId, workflowId: run.workflowId, trigger: run.trigger, status, costMicros });
  };
  if (run.fresh) {
    runsStarted.inc({ trigger: run.trigger });
    runStartDelay.observe(Math.max(0, Date.now() - run.createdAt.getTime()) / 1000);
  }
  if (run.cancelRequested) {
    await end(undefined, 'cancelled');
    return { kind: 'finished', status: 'cancelled' };
  }
  if (run.crashes >= deps.limits.maxCrashes) {
    // A poison run: resuming it again would only take another process down with it.
    deps.log.error({ runId, crashes: run.crashes }, 'run failed: it crashed its worker too many times');
    await end(undefined, 'failed', { message: `this run crashed its worker ${run.crashes} times in a row, so it is not resumed again (KEYFLOW_MAX_RUN_CRASHES=${deps.limits.maxCrashes})` });
    return { kind: 'finished', status: 'failed' };
  }
  let exec: RunExecution | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const [g, steps] = await Promise.all([deps.graphs.get(deps.db, run.ownerId, run.workflowId, run.workflowVersion), run.fresh ? [] : runs.loadCheckpoints(deps.db, runId)]);
    exec = new RunExecution(deps, run, g, steps);
    exec.setWatched(watched);
    exec.costMicros = run.costMicros;
    deps.active.set(runId, exec.controller);
    const ctl = exec.controller;
    timer = setTimeout(() => ctl.abort(new RunTimedOut(deps.limits.runTimeoutMs)), deps.limits.runTimeoutMs);
    const top = new Frame(g, new Set([...g.index.nodes.keys()].filter((id) => !g.inBody.has(id))));
    const result = await exec.runFrame(top);
    if (exec.interrupted !== undefined) throw exec.interrupted;
    if (result === 'failed') {
      const error = exec.firstFailure ?? { message: 'run failed' };
      await end(exec, 'failed', error);
      return { kind: 'finished', status: 'failed' };
    }
    if (result === 'parked') {
      const resumeAt = exec.earliestResume(top) ?? new Date(Date.now() + 1000);
      const seq = exec.nextSeq();
      const unwritten = exec.takeUnwritten();
      if (unwritten.length > 0) await deps.steps.write(unwritten);
      await runs.parkRun(deps.db, runId, resumeAt, seq, exec.response);
      deps.bus.publishRun({ type: 'run.parked', runId, seq, resumeAt: resumeAt.toISOString() });
      return { kind: 'parked', resumeAt };
    }
    await end(exec, 'succeeded', undefined, exec.lastOutput ?? null);
    return { kind: 'finished', status: 'succeeded' };
  } catch (err) {
    // Not the run's failure: the caller resumes it from its checkpoints once the database answers.
    if (isDatabaseInterruption(err)) throw err;
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
