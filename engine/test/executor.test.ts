// The executor suite, run on both dispatch modes: in-process (PGlite) and BullMQ (Postgres + Redis).
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_TIMEOUT_MS } from '@keyflow/nodes/contract';
import { createTestEngine, probe, type Mode, type TestEngine } from './support/engine.ts';
import type { RunEvent } from '../src/events/event-bus.ts';

const pos = { x: 0, y: 0 };
const n = (id: string, type: string, config: unknown = {}, extra: Record<string, unknown> = {}) => ({ id, type, version: 1, config, position: pos, ...extra });
const e = (source: string, target: string, sourceHandle?: string, targetHandle?: string) => ({ id: `${source}-${target}-${sourceHandle ?? 'm'}`, source, target, ...(sourceHandle ? { sourceHandle } : {}), ...(targetHandle ? { targetHandle } : {}) });
type Step = { nodeId: string; status: string; output: unknown; error: unknown };
const stepsOf = (run: { steps: Step[] }, id: string) => run.steps.filter((s) => s.nodeId === id);

describe.each<Mode>(['embedded', 'queue'])('executor (%s)', (mode) => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await createTestEngine(mode);
  });
  afterAll(() => t.close());
  beforeEach(() => probe.reset());

  it('runs a linear chain with expressions over the trigger and upstream outputs', async () => {
    const run = await t.run(
      {
        nodes: [
          n('start', 'core.manual'),
          n('shape', 'core.transform', { fields: [{ name: 'greeting', value: 'Hello {{ $trigger.name }}' }, { name: 'n', value: '{{ $trigger.count * 2 }}' }] }),
          n('echo', 'test.count', { label: '{{ $node["shape"].output.greeting }}!' }),
        ],
        edges: [e('start', 'shape'), e('shape', 'echo')],
      },
      { name: 'Ada', count: 21 },
    );
    expect(run.status).toBe('succeeded');
    const shape = stepsOf(run, 'shape')[0]!;
    expect(shape.output).toMatchObject({ greeting: 'Hello Ada', n: 42 });
    expect(run.output).toMatchObject({ label: 'Hello Ada!' });
    expect(run.steps.map((s) => s.nodeId)).toEqual(['start', 'shape', 'echo']);
    // Checkpoint order: each step's row is written before its successor starts.
    const seqs = run.steps.map((s) => s.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  });

  it('routes a condition to one branch, skips the other, and merges what ran', async () => {
    const graph = (flag: boolean) => ({
      nodes: [
        n('start', 'core.manual'),
        n('check', 'core.condition', { if: `{{ ${flag} }}` }),
        n('yes', 'test.count', { label: 'yes' }),
        n('no', 'test.count', { label: 'no' }),
        n('after-no', 'test.count', { label: 'after-no' }),
        n('join', 'core.merge', { mode: 'all' }),
      ],
      edges: [e('start', 'check'), e('check', 'yes', 'true'), e('check', 'no', 'false'), e('no', 'after-no'), e('yes', 'join'), e('after-no', 'join')],
    });
    const run = await t.run(graph(true));
    expect(run.status).toBe('succeeded');
    expect(stepsOf(run, 'yes')).toHaveLength(1);
    expect(stepsOf(run, 'no')).toHaveLength(0);
    expect(stepsOf(run, 'after-no')).toHaveLength(0);
    expect(Object.keys(stepsOf(run, 'join')[0]!.output as object)).toEqual(['yes']);
    const other = await t.run(graph(false));
    expect(stepsOf(other, 'yes')).toHaveLength(0);
    expect(Object.keys(stepsOf(other, 'join')[0]!.output as object)).toEqual(['after-no']);
  });

  it('runs independent branches concurrently', async () => {
    // Each branch blocks until the other has started: only a parallel walk finishes.
    const a = probe.barrier('a');
    const b = probe.barrier('b');
    const run = t.run({
      nodes: [n('start', 'core.manual'), n('a', 'test.block', { name: 'a' }), n('b', 'test.block', { name: 'b' }), n('join', 'core.merge', { mode: 'all' })],
      edges: [e('start', 'a'), e('start', 'b'), e('a', 'join'), e('b', 'join')],
    });
    const started = async (name: string) => {
      while (!probe.calls.get(`block:${name}`)) await new Promise((r) => setTimeout(r, 5));
    };
    await Promise.all([started('a'), started('b')]);
    a.release();
    b.release();
    const done = await run;
    expect(done.status).toBe('succeeded');
    expect(stepsOf(done, 'join')[0]!.output).toEqual({ a: { released: 'a' }, b: { released: 'b' } });
  });

  it('retries a retryable failure with backoff and records every attempt', async () => {
    probe.failTimes.set('k1', 2);
    const run = await t.run({ nodes: [n('start', 'core.manual'), n('flaky', 'test.flaky', { key: 'k1' })], edges: [e('start', 'flaky')] });
    expect(run.status).toBe('succeeded');
    const attempts = stepsOf(run, 'flaky');
    expect(attempts.map((s) => s.status)).toEqual(['failed', 'failed', 'succeeded']);
    expect(run.output).toEqual({ ok: true, attempt: 3 });
  });

  it('does not retry a non-retriable failure and fails the run naming the node', async () => {
    probe.failTimes.set('k2', 5);
    const run = await t.run({ nodes: [n('start', 'core.manual'), n('bad', 'test.flaky', { key: 'k2', fatal: true }), n('after', 'test.count')], edges: [e('start', 'bad'), e('bad', 'after')] });
    expect(run.status).toBe('failed');
    expect(stepsOf(run, 'bad')).toHaveLength(1);
    expect(stepsOf(run, 'after')).toHaveLength(0);
    expect(run.error).toMatchObject({ nodeId: 'bad', error: { message: 'bad input, will not retry', retryable: false } });
  });

  it('gives up after the retry budget', async () => {
    probe.failTimes.set('k3', 99);
    const run = await t.run({ nodes: [n('start', 'core.manual'), n('flaky', 'test.flaky', { key: 'k3' })], edges: [e('start', 'flaky')] });
    expect(run.status).toBe('failed');
    expect(stepsOf(run, 'flaky')).toHaveLength(4);
  });

  it('clears each step\'s timeout timer when the step ends, not a minute later', async () => {
    const started: unknown[] = [];
    const cleared = new Set<unknown>();
    const realSet = globalThis.setTimeout;
    const realClear = globalThis.clearTimeout;
    const set = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number, ...args: unknown[]) => {
      const handle = realSet(fn, ms, ...args);
      if (ms === DEFAULT_TIMEOUT_MS) started.push(handle);
      return handle;
    }) as typeof setTimeout);
    const clear = vi.spyOn(globalThis, 'clearTimeout').mockImplementation(((handle?: Parameters<typeof clearTimeout>[0]) => {
      cleared.add(handle);
      realClear(handle);
    }) as typeof clearTimeout);
    try {
      const run = await t.run({ nodes: [n('start', 'core.manual'), n('a', 'core.transform', { fields: [{ name: 'v', value: '1' }] }), n('b', 'core.transform', { fields: [{ name: 'v', value: '2' }] })], edges: [e('start', 'a'), e('a', 'b')] });
      expect(run.status).toBe('succeeded');
    } finally {
      set.mockRestore();
      clear.mockRestore();
    }
    expect(started.length).toBeGreaterThanOrEqual(2);
    expect(started.filter((h) => !cleared.has(h))).toEqual([]);
  });

  it('times out a node that hangs', async () => {
    const run = await t.run({ nodes: [n('start', 'core.manual'), n('hang', 'test.block', { name: 'never' })], edges: [e('start', 'hang')] });
    expect(run.status).toBe('failed');
    expect((stepsOf(run, 'hang')[0] as { error: { message: string } }).error.message).toMatch(/timed out after 2000 ms/);
  });

  it("publishes a watched run's step events as its steps start and finish", async () => {
    const gate = probe.barrier('watched');
    // A watcher seen by the run's next check (at most every 500 ms, made at a step's event): the
    // steps between the release and 'after' give that check time to answer.
    const { workflowId, version } = await t.save({
      nodes: [n('start', 'core.manual'), n('held', 'test.block', { name: 'watched' }), n('c1', 'test.count'), n('c2', 'test.count'), n('after', 'test.count')],
      edges: [e('start', 'held'), e('held', 'c1'), e('c1', 'c2'), e('c2', 'after')],
    });
    const runId = await t.engine.startRun({ ownerId: t.ownerId, workflowId, version, trigger: 'manual', payload: {} });
    while (!probe.calls.get('block:watched')) await new Promise((r) => setTimeout(r, 5));
    const seen: RunEvent[] = [];
    const off = await t.bus.subscribeRun(runId, (ev) => void seen.push(ev));
    await new Promise((r) => setTimeout(r, 600));
    gate.release();
    await vi.waitFor(() => expect(seen.map((ev) => ev.type)).toContain('run.finished'), { timeout: 10_000 });
    off();
    // In queue mode a listener in the running process also hears Redis's echo of each event; SSE
    // skips sequence numbers it has sent, and so does this.
    const after = [...new Map(seen.filter((ev) => 'nodeId' in ev && ev.nodeId === 'after').map((ev) => [`${ev.type}:${'seq' in ev ? ev.seq : ''}`, ev])).values()];
    expect(after).toEqual([
      expect.objectContaining({ type: 'step.started', runId, nodeId: 'after', scope: '', attempt: 1 }),
      expect.objectContaining({ type: 'step.finished', runId, nodeId: 'after', status: 'succeeded', costMicros: 0 }),
    ]);
  });

  it('cancels a running run', async () => {
    probe.barrier('held');
    const { workflowId, version } = await t.save({ nodes: [n('start', 'core.manual'), n('held', 'test.block', { name: 'held' }), n('after', 'test.count')], edges: [e('start', 'held'), e('held', 'after')] });
    const runId = await t.engine.startRun({ ownerId: t.ownerId, workflowId, version, trigger: 'manual', payload: {} });
    while (!probe.calls.get('block:held')) await new Promise((r) => setTimeout(r, 5));
    const finished = t.waitFor(runId, (ev) => ev.type === 'run.finished');
    const cancelledAt = Date.now();
    await t.engine.cancel(t.ownerId, runId);
    expect(await finished).toMatchObject({ status: 'cancelled' });
    // The run's abort reached the step at once (its signal), not through the node's 2 s timeout.
    expect(Date.now() - cancelledAt).toBeLessThan(1500);
    const row = await t.db.db.selectFrom('runs').select('status').where('id', '=', runId).executeTakeFirstOrThrow();
    expect(row.status).toBe('cancelled');
    expect(probe.calls.get('after')).toBeUndefined();
  });

  it('runs a loop body once per item with bounded concurrency and collects results', async () => {
    const run = await t.run(
      {
        nodes: [
          n('start', 'core.manual'),
          n('each', 'core.loop', { items: '{{ $trigger.items }}', concurrency: 2 }),
          n('double', 'core.transform', { fields: [{ name: 'v', value: '{{ $item * 2 }}' }, { name: 'i', value: '{{ $index }}' }] }),
          n('total', 'test.count', { label: 'done' }),
        ],
        edges: [e('start', 'each'), e('each', 'double', 'item'), e('double', 'each', undefined, 'next'), e('each', 'total', 'done')],
      },
      { items: [1, 2, 3] },
    );
    expect(run.status).toBe('succeeded');
    expect(stepsOf(run, 'double')).toHaveLength(3);
    expect(stepsOf(run, 'each')[0]!.output).toEqual([{ v: 2, i: 0 }, { v: 4, i: 1 }, { v: 6, i: 2 }]);
    expect((run.output as { input: unknown }).input).toEqual([{ v: 2, i: 0 }, { v: 4, i: 1 }, { v: 6, i: 2 }]);
  });

  it('parks a run on a delay without holding a worker, then resumes it', async () => {
    const { workflowId, version } = await t.save({ nodes: [n('start', 'core.manual'), n('wait', 'core.delay', { amount: 1, unit: 'seconds' }), n('after', 'test.count', { label: 'after' })], edges: [e('start', 'wait'), e('wait', 'after')] });
    const runId = await t.engine.startRun({ ownerId: t.ownerId, workflowId, version, trigger: 'manual', payload: {} });
    const parked = await t.waitFor(runId, (ev) => ev.type === 'run.parked' || ev.type === 'run.finished');
    expect(parked.type).toBe('run.parked');
    expect((await t.db.db.selectFrom('runs').select('status').where('id', '=', runId).executeTakeFirstOrThrow()).status).toBe('waiting');
    await t.waitFor(runId, (ev) => ev.type === 'run.finished', 10_000);
    const steps = await t.db.db.selectFrom('run_steps').select(['node_id', 'status']).where('run_id', '=', runId).orderBy('seq').execute();
    expect(steps).toEqual([{ node_id: 'start', status: 'succeeded' }, { node_id: 'wait', status: 'succeeded' }, { node_id: 'after', status: 'succeeded' }]);
  });

  it('fails a step whose output is over the size limit', async () => {
    const run = await t.run({ nodes: [n('start', 'core.manual'), n('big', 'test.big', { bytes: 100_000 })], edges: [e('start', 'big')] });
    expect(run.status).toBe('failed');
    expect(JSON.stringify(run.error)).toMatch(/over the 65536-byte limit/);
  });

  it('names the node and field of a failing expression', async () => {
    const run = await t.run({ nodes: [n('start', 'core.manual'), n('shape', 'core.transform', { fields: [{ name: 'x', value: '{{ $trigger.missing.deeper }}' }] })], edges: [e('start', 'shape')] });
    expect(run.status).toBe('failed');
    const msg = (stepsOf(run, 'shape')[0] as { error: { message: string } }).error.message;
    expect(msg).toMatch(/shape/);
    expect(msg).toMatch(/fields\[0\]\.value/);
  });

  it('re-runs from a failed step, reusing the checkpoints before it', async () => {
    probe.failTimes.set('k4', 99);
    const graph = { nodes: [n('start', 'core.manual'), n('first', 'test.count', { label: 'first' }), n('flaky', 'test.flaky', { key: 'k4' })], edges: [e('start', 'first'), e('first', 'flaky')] };
    const failed = await t.run(graph);
    expect(failed.status).toBe('failed');
    probe.failTimes.set('k4', 0);
    const rerunId = await t.engine.rerun(t.ownerId, failed.id, 'flaky');
    await t.waitFor(rerunId, (ev) => ev.type === 'run.finished');
    const rerun = await t.db.db.selectFrom('runs').select(['status', 'rerun_of']).where('id', '=', rerunId).executeTakeFirstOrThrow();
    expect(rerun).toEqual({ status: 'succeeded', rerun_of: failed.id });
    // The step before the failure came from the checkpoint: it never ran under the new run's id.
    expect(probe.calls.get(`${failed.id}::first`)).toBe(1);
    expect(probe.calls.get(`${rerunId}::first`)).toBeUndefined();
    const steps = await t.db.db.selectFrom('run_steps').select(['node_id', 'status']).where('run_id', '=', rerunId).orderBy('seq').execute();
    expect(steps.map((s) => `${s.node_id}:${s.status}`)).toEqual(['start:succeeded', 'first:succeeded', 'flaky:succeeded']);
  });

  it('answers a webhook-style wait with the respond node before the run ends', async () => {
    const { workflowId, version } = await t.save({
      nodes: [n('hook', 'core.webhook', { responseMode: 'wait' }), n('reply', 'core.respond', { status: 201, headers: { 'x-made-by': 'keyflow' }, body: { got: '{{ $trigger.body.name }}' } })],
      edges: [e('hook', 'reply')],
    });
    const outcome = await t.engine.startAndWait({ ownerId: t.ownerId, workflowId, version, trigger: 'webhook', payload: { body: { name: 'Lin' }, headers: {}, query: {} } }, 5_000);
    expect(outcome).toMatchObject({ kind: 'response', response: { status: 201, headers: { 'x-made-by': 'keyflow' }, body: { got: 'Lin' } } });
  });
});
