// core.code through the executor: it gets the node's input, $trigger and the outputs of the
// nodes before it; its output is capped like any step's; its failures are one-try step errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEngine, type Mode, type TestEngine } from './support/engine.ts';

const pos = { x: 0, y: 0 };
const n = (id: string, type: string, config: unknown = {}) => ({ id, type, version: 1, config, position: pos });
const e = (source: string, target: string) => ({ id: `${source}-${target}`, source, target });
type Step = { nodeId: string; status: string; output: unknown; error: unknown; attempt: number };
const stepsOf = (run: { steps: Step[] }, id: string) => run.steps.filter((s) => s.nodeId === id);

const MAX_OUTPUT = 64 * 1024;

describe.each<Mode>(['embedded', 'queue'])('core.code in a run (%s)', (mode) => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await createTestEngine(mode, { maxOutputBytes: MAX_OUTPUT });
  });
  afterAll(() => t.close());

  it('reads its input, $trigger and $node, in both modes', async () => {
    const code = 'return items.map((item) => ({ json: { id: item.json.id, by: $trigger.who, prefix: $node["shape"].output.prefix } }))';
    const run = await t.run(
      {
        nodes: [
          n('start', 'core.manual'),
          n('shape', 'core.transform', { fields: [{ name: 'prefix', value: 'lead-' }, { name: 'rows', value: '{{ $trigger.rows }}' }] }),
          n('pick', 'core.code', { code: 'return $input.first().json.rows' }),
          n('all', 'core.code', { code }),
          n('each', 'core.code', { mode: 'runOnceForEachItem', code: 'return { label: $node["shape"].output.prefix + $json.id }' }),
        ],
        edges: [e('start', 'shape'), e('shape', 'pick'), e('pick', 'all'), e('all', 'each')],
      },
      { who: 'ada', rows: [{ id: 1 }, { id: 2 }] },
    );
    expect(run.status).toBe('succeeded');
    expect(stepsOf(run, 'all')[0]!.output).toEqual([
      { id: 1, by: 'ada', prefix: 'lead-' },
      { id: 2, by: 'ada', prefix: 'lead-' },
    ]);
    expect(stepsOf(run, 'each')[0]!.output).toEqual([{ label: 'lead-1' }, { label: 'lead-2' }]);
  });

  it("caps a huge result with the engine's output limit", async () => {
    const run = await t.run({ nodes: [n('start', 'core.manual'), n('big', 'core.code', { code: 'return "x".repeat(200000)' })], edges: [e('start', 'big')] });
    expect(run.status).toBe('failed');
    const [step] = stepsOf(run, 'big');
    expect((step!.error as { message: string }).message).toContain(`over the ${MAX_OUTPUT}-byte limit`);
  });

  it('fails an endless loop once, as a non-retriable step error naming the limit', async () => {
    const run = await t.run({ nodes: [n('start', 'core.manual'), n('spin', 'core.code', { code: 'for (;;) {}', timeoutMs: 100 })], edges: [e('start', 'spin')] });
    expect(run.status).toBe('failed');
    const steps = stepsOf(run, 'spin');
    expect(steps).toHaveLength(1);
    expect(steps[0]!.error).toMatchObject({ name: 'NonRetriableNodeError', retryable: false, message: 'the code ran longer than its 100 ms limit (an endless loop?)', details: { problem: 'timeout' } });
  });

  it('leaves nothing behind for the next run', async () => {
    const graph = (code: string) => ({ nodes: [n('start', 'core.manual'), n('c', 'core.code', { code })], edges: [e('start', 'c')] });
    await t.run(graph('globalThis.leak = 1; Object.prototype.seen = 1; return 1'));
    const run = await t.run(graph('return [typeof leak, typeof ({}).seen]'));
    expect(stepsOf(run, 'c')[0]!.output).toEqual(['undefined', 'undefined']);
  });
});
