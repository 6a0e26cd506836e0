// A node's successors start only once its step checkpoint is committed: otherwise a crash in
// between resumes the successors' work without the predecessor's row, and it runs again.
// The store is instrumented: every step insert is held back before it reaches the database
// and logs `commit:<node>` once it is committed; test.trace nodes log `start:<label>`. An
// executor that starts successors early logs their start before the predecessor's commit.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestEngine, probe, type Mode, type TestEngine } from './support/engine.ts';

const HOLD_MS = 40;

vi.mock('../src/store/runs.repo.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/store/runs.repo.ts')>();
  const { traceLog } = await import('./support/trace-log.ts');
  const hold = () => new Promise((r) => setTimeout(r, HOLD_MS));
  return {
    ...real,
    async insertSteps(db: Parameters<typeof real.insertSteps>[0], steps: Parameters<typeof real.insertSteps>[1]) {
      await hold();
      await real.insertSteps(db, steps);
      for (const s of steps) traceLog.push(`commit:${s.nodeId}`);
    },
    async insertStep(db: Parameters<typeof real.insertStep>[0], step: Parameters<typeof real.insertStep>[1]) {
      await hold();
      const id = await real.insertStep(db, step);
      traceLog.push(`commit:${step.nodeId}`);
      return id;
    },
  };
});

const pos = { x: 0, y: 0 };
const n = (id: string, type: string, config: unknown = {}) => ({ id, type, version: 1, config, position: pos });
const e = (source: string, target: string) => ({ id: `${source}-${target}`, source, target });
const trace = (id: string) => n(id, 'test.trace', { label: id });

describe.each<Mode>(['embedded', 'queue'])('checkpoint before successors (%s)', (mode) => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await createTestEngine(mode);
  });
  afterAll(() => t.close());
  beforeEach(() => probe.reset());

  it('starts each successor only after its predecessor’s step row is committed', async () => {
    // start → a → b, a → c (fan-out), b → d
    const run = await t.run({
      nodes: [n('start', 'core.manual'), trace('a'), trace('b'), trace('c'), trace('d')],
      edges: [e('start', 'a'), e('a', 'b'), e('a', 'c'), e('b', 'd')],
    });
    expect(run.status, JSON.stringify(run.error)).toBe('succeeded');
    const at = (entry: string) => {
      const i = probe.log.indexOf(entry);
      expect(i, `${entry} in ${probe.log.join(', ')}`).toBeGreaterThanOrEqual(0);
      return i;
    };
    for (const [from, to] of [['start', 'a'], ['a', 'b'], ['a', 'c'], ['b', 'd']] as const) {
      expect(at(`commit:${from}`), `${from} committed before ${to} started (${probe.log.join(', ')})`).toBeLessThan(at(`start:${to}`));
    }
  });
});
