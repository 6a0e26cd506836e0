// What bounds one run, on both dispatch modes: the bytes its expressions build, its steps, its
// loop nesting, the bytes it holds, and the size of every value it stores (truncation markers);
// plus redaction of what it stores beyond step rows. Embedded mode also shows that a long loop
// lets the run timeout and a cancellation fire.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEngine, type Mode, type TestEngine } from './support/engine.ts';

const pos = { x: 0, y: 0 };
const n = (id: string, type: string, config: unknown = {}) => ({ id, type, version: 1, config, position: pos });
const e = (source: string, target: string, sourceHandle?: string, targetHandle?: string) => ({ id: `${source}-${target}-${sourceHandle ?? 'm'}-${targetHandle ?? 'm'}`, source, target, ...(sourceHandle ? { sourceHandle } : {}), ...(targetHandle ? { targetHandle } : {}) });
type Step = { nodeId: string; status: string; input: unknown; output: unknown; error: unknown };
const stepsOf = (run: { steps: Step[] }, id: string) => run.steps.filter((s) => s.nodeId === id);
const messageOf = (v: unknown) => JSON.stringify(v);

/** start → each (loop over $trigger.items) → body, whose last node feeds the loop's next input. */
function loopOver(body: ReturnType<typeof n>[]) {
  const ids = body.map((b) => b.id);
  const edges = [e('start', 'each'), e('each', ids[0]!, 'item'), ...ids.slice(1).map((id, i) => e(ids[i]!, id)), e(ids.at(-1)!, 'each', undefined, 'next')];
  return { nodes: [n('start', 'core.manual'), n('each', 'core.loop', { items: '{{ $trigger.items }}' }), ...body], edges };
}

const MAX_OUTPUT = 64 * 1024;
const MAX_STORED = 16 * 1024;
const MAX_STEPS = 300;
const MAX_RUN_BYTES = 256 * 1024;

describe.each<Mode>(['embedded', 'queue'])('run limits (%s)', (mode) => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await createTestEngine(mode, { maxOutputBytes: MAX_OUTPUT, maxStoredBytes: MAX_STORED, maxRunSteps: MAX_STEPS, maxRunBytes: MAX_RUN_BYTES });
  });
  afterAll(() => t.close());

  it('fails a step whose expressions would copy the trigger a thousand times, naming the field and the limit', async () => {
    // 229 KB of small objects; each field is 9,000 characters, inside the expression length limit.
    const payload = { rows: Array.from({ length: 5_000 }, (_, i) => ({ id: i, name: `customer ${i}`, tags: ['x'] })) };
    expect(JSON.stringify(payload).length).toBeGreaterThan(200_000);
    const amplify = `{{ [${Array.from({ length: 1_000 }, () => '$trigger').join(',')}] }}`;
    const run = await t.run({
      nodes: [n('start', 'core.manual'), n('shape', 'core.transform', { fields: ['a', 'b', 'c'].map((name) => ({ name, value: amplify })) })],
      edges: [e('start', 'shape')],
    }, payload, { timeoutMs: 30_000 });
    expect(run.status).toBe('failed');
    const message = (stepsOf(run, 'shape')[0]!.error as { message: string }).message;
    expect(message).toContain('node "shape"');
    expect(message).toMatch(/evaluation exceeded its budget of \d+ bytes of built data/);
    expect(message).toContain('at fields[0].value');
  });

  it('fails a run that reaches its step limit, saying so', async () => {
    const run = await t.run(loopOver([n('double', 'core.transform', { fields: [{ name: 'v', value: '{{ $item * 2 }}' }] })]), { items: Array.from({ length: 400 }, (_, i) => i) }, { timeoutMs: 30_000 });
    expect(run.status).toBe('failed');
    expect(messageOf(run.error)).toContain(`reached its limit of ${MAX_STEPS} steps`);
    expect(run.steps.length).toBeLessThanOrEqual(MAX_STEPS + 2);
  });

  it('refuses, at run time, loops nested more than 3 deep', async () => {
    const loops = ['l1', 'l2', 'l3', 'l4'];
    const nodes = [n('start', 'core.manual'), ...loops.map((id) => n(id, 'core.loop', { items: '{{ [1] }}' })), n('leaf', 'test.count')];
    const edges = [e('start', 'l1'), e('l1', 'l2', 'item'), e('l2', 'l3', 'item'), e('l3', 'l4', 'item'), e('l4', 'leaf', 'item'), e('leaf', 'l4', undefined, 'next'), e('l4', 'l3', 'done', 'next'), e('l3', 'l2', 'done', 'next'), e('l2', 'l1', 'done', 'next')];
    const run = await t.run({ nodes, edges });
    expect(run.status).toBe('failed');
    expect(messageOf(run.error)).toContain('loops are nested more than 3 deep');
    expect(stepsOf(run, 'leaf')).toHaveLength(0);
  });

  it("caps a loop's collected results like any other step output", async () => {
    const run = await t.run(loopOver([n('big', 'test.big', { bytes: 1_000 })]), { items: Array.from({ length: 100 }, (_, i) => i) }, { timeoutMs: 30_000 });
    expect(run.status).toBe('failed');
    expect(messageOf(run.error)).toContain(`over the ${MAX_OUTPUT}-byte limit`);
    const largest = Math.max(...run.steps.map((s) => JSON.stringify(s.output ?? null).length));
    expect(largest).toBeLessThanOrEqual(MAX_OUTPUT);
  });

  it('stores an oversized rendered config as a truncation marker, and the step still runs', async () => {
    const big = 'z'.repeat(40_000);
    const run = await t.run({ nodes: [n('start', 'core.manual'), n('sink', 'test.sink', { data: '{{ $trigger.big }}' })], edges: [e('start', 'sink')] }, { big });
    expect(run.status).toBe('succeeded');
    const step = stepsOf(run, 'sink')[0]!;
    expect(step.output).toEqual({ bytes: 40_002 });
    expect(step.input).toMatchObject({ $truncated: true, bytes: expect.any(Number) as number, preview: expect.any(String) as string });
    const marker = step.input as { bytes: number; preview: string };
    expect(marker.bytes).toBeGreaterThan(40_000);
    expect(marker.preview.length).toBeLessThanOrEqual(1024);
  });

  it('stores oversized error details as a truncation marker, keeping the message', async () => {
    const run = await t.run({ nodes: [n('start', 'core.manual'), n('fail', 'test.fail_big', { bytes: 40_000 })], edges: [e('start', 'fail')] });
    expect(run.status).toBe('failed');
    const error = stepsOf(run, 'fail')[0]!.error as { message: string; details: unknown };
    expect(error.message).toBe('failed with a lot to say');
    expect(error.details).toMatchObject({ $truncated: true });
    expect(JSON.stringify(run.error).length).toBeLessThanOrEqual(MAX_STORED);
  });

  it("redacts credential-like keys in the run's output and in a loop's collected results", async () => {
    const run = await t.run(loopOver([n('shape', 'core.transform', { fields: [{ name: 'apiKey', value: 'sk-canary-loop' }, { name: 'i', value: '{{ $index }}' }] })]), { items: [1, 2] });
    expect(run.status).toBe('succeeded');
    expect(JSON.stringify(stepsOf(run, 'each'))).not.toContain('sk-canary-loop');
    expect(stepsOf(run, 'each')[0]!.output).toEqual([{ apiKey: '[redacted]', i: 0 }, { apiKey: '[redacted]', i: 1 }]);
    const last = await t.run({ nodes: [n('start', 'core.manual'), n('shape', 'core.transform', { fields: [{ name: 'token', value: 'sk-canary-out' }, { name: 'ok', value: true }] })], edges: [e('start', 'shape')] });
    expect(last.status).toBe('succeeded');
    expect(last.output).toEqual({ token: '[redacted]', ok: true });
    // The step row too: the text made for the output's size check is not the stored one here.
    expect(stepsOf(last, 'shape')[0]!.output).toEqual({ token: '[redacted]', ok: true });
  });

  it('fails the step that would make the run hold more than its byte bound', async () => {
    const ids = ['b1', 'b2', 'b3', 'b4', 'b5', 'b6'];
    const run = await t.run({ nodes: [n('start', 'core.manual'), ...ids.map((id) => n(id, 'test.big', { bytes: 60_000 }))], edges: ['start', ...ids].slice(1).map((id, i) => e(['start', ...ids][i]!, id)) });
    expect(run.status).toBe('failed');
    expect(messageOf(run.error)).toContain(`more than its limit of ${MAX_RUN_BYTES} bytes`);
    expect(stepsOf(run, 'b1')[0]!.status).toBe('succeeded');
    expect(stepsOf(run, 'b6')).toHaveLength(0);
  });
});

describe('a long loop in embedded mode', () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await createTestEngine('embedded', { runTimeoutMs: 1_000 });
  });
  afterAll(() => t.close());
  const items = Array.from({ length: 10_000 }, (_, i) => i);
  // Five steps per item (the loop's cap is 10,000 items), so no machine finishes it inside the 1 s
  // run timeout: with one step per item a quiet machine once did, once steps got cheaper, and the
  // test then saw the loop's output-size failure instead of the timeout.
  const graph = loopOver(['a', 'b', 'c', 'd', 'double'].map((id) => n(id, 'core.transform', { fields: [{ name: 'v', value: '{{ $item * 2 }}' }] })));

  it('lets the run timeout fire while it goes on', async () => {
    const run = await t.run(graph, { items }, { timeoutMs: 60_000 });
    expect(run.status).toBe('failed');
    expect(messageOf(run.error)).toContain('run timed out after 1000 ms');
    expect(stepsOf(run, 'double').length).toBeLessThan(items.length);
  });

  it('lets a cancellation requested from a timer stop it', async () => {
    const { workflowId, version } = await t.save(graph);
    const runId = await t.engine.startRun({ ownerId: t.ownerId, workflowId, version, trigger: 'manual', payload: { items } });
    const finished = t.waitFor(runId, (ev) => ev.type === 'run.finished', 60_000);
    setTimeout(() => void t.engine.cancel(t.ownerId, runId), 200);
    expect(await finished).toMatchObject({ status: 'cancelled' });
  });
});
