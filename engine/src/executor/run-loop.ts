// A loop node: expand its items, run its body once per item in a child frame (at most
// `concurrency` at once), collect the results, and checkpoint them as the loop's output. The
// results obey the same bounds as any step output: the output cap, the run's byte bound.
import { LOOP_DONE_HANDLE, NonRetriableNodeError, type AnyNodeDefinition } from '@keyflow/nodes/contract';
import { MAX_LOOP_NESTING, type GraphNode } from '../graph/index.ts';
import { Frame } from './frame.ts';
import { redactForStorage } from './redact.ts';
import type { FrameResult, RunExecution } from './run-execution.ts';
import { runBytesMessage } from './run-execution.ts';
import { errorRecord, runNode } from './run-node.ts';

export async function runLoop(exec: RunExecution, frame: Frame, node: GraphNode, def: AnyNodeDefinition, input: unknown): Promise<void> {
  const key = `${frame.scope}\u0000${node.id}`;
  const restored = exec.restored.get(key);
  if (restored?.succeeded) {
    const bytes = restored.bytes;
    exec.consumeRestored(key);
    frame.set(node.id, { status: 'done', output: restored.succeeded.output, branch: LOOP_DONE_HANDLE, bytes });
    exec.hold(frame, bytes);
    return;
  }
  // Also checked when the workflow is saved; this catches graphs saved before that check.
  if (frame.loopDepth >= MAX_LOOP_NESTING) return failLoop(exec, frame, node, `loops are nested more than ${MAX_LOOP_NESTING} deep`);
  const expanded = await runNode(exec, frame, node, def, input);
  if (expanded.status !== 'done') return frame.set(node.id, expanded);
  const { items, concurrency } = expanded.output as { items: unknown[]; concurrency: number };
  const body = exec.g.loopBodies.get(node.id) ?? new Set<string>();
  const { maxOutputBytes, maxRunBytes } = exec.deps.limits;
  const results: unknown[] = new Array(items.length);
  const outcomes: FrameResult[] = [];
  let resultBytes = 2;
  let overflow: string | undefined;
  let next = 0;
  const worker = async () => {
    while (next < items.length && !exec.firstFailure && !exec.signal.aborted && overflow === undefined) {
      const index = next++;
      await exec.pace();
      const scope = `${frame.scope}${frame.scope ? '/' : ''}${node.id}:${index}`;
      const child = new Frame(exec.g, body, { scope, parent: frame, entry: { loopId: node.id, item: items[index], index } });
      const r = await exec.runFrame(child);
      // The item's frame is done with: the run keeps only its result.
      exec.release(child.heldBytes);
      outcomes.push(r);
      if (r !== 'done') continue;
      const result = child.loopResult(node.id);
      results[index] = result.value;
      resultBytes += result.bytes + 1;
      if (resultBytes > maxOutputBytes) overflow = `the loop's results are more than ${resultBytes} bytes, over the ${maxOutputBytes}-byte limit of a step output`;
      else if (exec.heldBytes + result.bytes > maxRunBytes) overflow = runBytesMessage(maxRunBytes);
      else exec.hold(frame, result.bytes);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  if (exec.signal.aborted) throw exec.signal.reason;
  if (overflow !== undefined) return failLoop(exec, frame, node, overflow, expanded.attempt ?? 1);
  if (outcomes.includes('failed') || exec.firstFailure) return frame.set(node.id, { status: 'failed' });
  if (outcomes.includes('parked')) return frame.set(node.id, { status: 'waiting' });
  // The expansion's attempt counted this row against the run's step limit.
  const seq = exec.nextSeq();
  const at = exec.now();
  const attempt = expanded.attempt ?? 1;
  const stored = redactForStorage(results);
  await exec.writeStep({ runId: exec.run.id, ownerId: exec.run.ownerId, nodeId: node.id, scope: frame.scope, attempt, status: 'succeeded', input: { items: items.length }, output: stored, error: undefined, costMicros: 0, seq, startedAt: at, finishedAt: at, branch: LOOP_DONE_HANDLE });
  exec.emitStep(() => ({ type: 'step.finished', runId: exec.run.id, seq, nodeId: node.id, scope: frame.scope, attempt, at: at.toISOString(), status: 'succeeded', output: stored, costMicros: 0 }));
  // The results' bytes are already held by this frame, item by item.
  frame.set(node.id, { status: 'done', output: results, branch: LOOP_DONE_HANDLE, bytes: resultBytes });
  exec.lastOutput = results;
}

/** Records the loop itself as failed (its own step row, its own error) and fails the run. */
async function failLoop(exec: RunExecution, frame: Frame, node: GraphNode, message: string, attemptAtLeast = 1): Promise<void> {
  const seq = exec.nextSeq();
  const at = exec.now();
  const error = errorRecord(new NonRetriableNodeError(message), exec.deps.limits.maxStoredBytes);
  const attempt = Math.max(attemptAtLeast, (exec.restored.get(`${frame.scope}\u0000${node.id}`)?.failures ?? 0) + 1);
  await exec.writeStep({ runId: exec.run.id, ownerId: exec.run.ownerId, nodeId: node.id, scope: frame.scope, attempt, status: 'failed', input: undefined, output: undefined, error, costMicros: 0, seq, startedAt: at, finishedAt: at });
  exec.emitStep(() => ({ type: 'step.failed', runId: exec.run.id, seq, nodeId: node.id, scope: frame.scope, attempt, at: at.toISOString(), error, willRetry: false }));
  exec.firstFailure ??= { nodeId: node.id, scope: frame.scope, error };
  frame.set(node.id, { status: 'failed' });
}
