import { describe, expect, it } from 'vitest';
import type { ModeResult } from './engine-keyflow.ts';
import type { Measured, ScenarioSet } from './engine-measure.ts';
import { perStepMs } from './engine-measure.ts';
import { beforeAfterLines, counterLines, formatEngineReport, persistedOk, targetLines, type EngineBenchResult } from './engine-report.ts';
import type { LoadResult } from './load-types.ts';

function load(title: string, rps: number, p99: number, extra: Partial<LoadResult> = {}): LoadResult {
  return { title, requestsPerSecond: rps, total: rps * 10, latencyMs: { p50: p99 / 4, p90: p99 / 2, p99, max: p99 * 2 }, errors: 0, timeouts: 0, non2xx: 0, statusCodes: { '200': rps * 10 }, durationS: 10, ...extra };
}
const measured = (l: LoadResult, cpu: number): Measured => ({ load: l, cpuMsPerReq: cpu, stackCpuMsPerReq: cpu * 2 });

function mode(rps: number, cpu1: number, cpu20: number, rssMB: number[], rated?: { p99: number; dropped: number }): ModeResult {
  const set: ScenarioSet = {
    max1: measured(load('1 step, max', rps, 20), cpu1),
    max20: measured(load('20 steps, max', rps / 2, 40), cpu20),
    ...(rated ? { rated: { ...load('1 step @200/s', 200, rated.p99), late: 0, dropped: rated.dropped } } : {}),
  };
  return {
    set,
    rss: rssMB.map((mb, i) => ({ label: `p${i}`, bytes: mb * 1_000_000 })),
    persisted: { requests2xx: rps * 10, runs: rps * 10 + 3, succeeded: rps * 10 + 3, steps: (rps * 10 + 3) * 3 },
  };
}

function result(queue: ModeResult, embedded: ModeResult): EngineBenchResult {
  const nodeRedSet: ScenarioSet = { max1: measured(load('1 step, max', 6000, 5), 0.15), max20: measured(load('20 steps, max', 3000, 8), 0.34) };
  return { nproc: 2, node: 'v24.9.0', backgroundBusy: 0.05, queue: { ok: true, value: queue }, embedded: { ok: true, value: embedded }, nodeRed: { ok: true, value: { set: nodeRedSet, rssBytes: 200_000_000, version: '5.0.7' } } };
}

describe('perStepMs', () => {
  it('divides the 20-step minus 1-step CPU by 19', () => {
    expect(perStepMs({ max1: measured(load('a', 1, 1), 1), max20: measured(load('b', 1, 1), 4.8) })).toBeCloseTo(0.2);
  });
});

describe('targetLines', () => {
  it('passes every target when the figures meet them', () => {
    const lines = targetLines(result(mode(1500, 0.5, 1.4, [120, 130], { p99: 30, dropped: 0 }), mode(800, 1, 4.8, [150], { p99: 80, dropped: 0 })));
    expect(lines).toHaveLength(9);
    expect(lines.every((l) => l.endsWith('PASS'))).toBe(true);
  });

  it.each([
    ['queue throughput', mode(900, 1, 4.8, [120, 130], { p99: 30, dropped: 0 }), /≥ 1000 runs\/s: 900 — MISS/],
    ['p99 at 200 req/s', mode(1500, 1, 4.8, [120, 130], { p99: 60, dropped: 0 }), /p99 < 50 ms at 200 req\/s: 60.0 ms — MISS/],
    ['dropped paced requests', mode(1500, 1, 4.8, [120, 130], { p99: 30, dropped: 5 }), /p99 < 50 ms .* — MISS/],
    ['memory', mode(1500, 1, 4.8, [200, 150], { p99: 30, dropped: 0 }), /RSS < 300 MB: 350.0 MB — MISS/],
    ['per-step CPU', mode(1500, 1, 7, [120, 130], { p99: 30, dropped: 0 }), /queue mode CPU per extra step < 0.25 ms: 0.316 ms — MISS/],
    ['CPU per run with Postgres + Redis', mode(1500, 1, 1.5, [120, 130], { p99: 30, dropped: 0 }), /CPU per 1-step run with Postgres \+ Redis < 1.5 ms: 2.000 ms — MISS/],
    ['CPU per extra step with Postgres + Redis', mode(1500, 0.5, 1.6, [120, 130], { p99: 30, dropped: 0 }), /per extra step with Postgres \+ Redis < 0.1 ms: 0.116 ms — MISS/],
  ])('reports a MISS for %s', (_, queue, pattern) => {
    const lines = targetLines(result(queue, mode(800, 1, 4.8, [150])));
    expect(lines.some((l) => pattern.test(l))).toBe(true);
  });

  it('reports a MISS for the embedded p99 at 100 req/s', () => {
    const lines = targetLines(result(mode(1500, 1, 4.8, [1, 1]), mode(800, 1, 4.8, [150], { p99: 150, dropped: 0 })));
    expect(lines).toContain('embedded p99 < 100 ms at 100 req/s: 150.0 ms — MISS');
  });

  it('says when a mode was not measured', () => {
    const r: EngineBenchResult = { ...result(mode(1500, 1, 4.8, [1, 1]), mode(800, 1, 4.8, [1])), embedded: { ok: false, reason: 'no PGlite' } };
    expect(targetLines(r).at(-1)).toBe('embedded targets: not measured (no PGlite)');
  });
});

describe('persistedOk', () => {
  it.each([
    [{ requests2xx: 100, runs: 100, succeeded: 100, steps: 300 }, true],
    [{ requests2xx: 100, runs: 110, succeeded: 110, steps: 330 }, true],
    [{ requests2xx: 100, runs: 99, succeeded: 99, steps: 297 }, false],
    [{ requests2xx: 100, runs: 150, succeeded: 150, steps: 450 }, false],
    [{ requests2xx: 100, runs: 100, succeeded: 100, steps: 200 }, false],
  ])('%o → %s', (p, ok) => {
    expect(persistedOk(p, 3)).toBe(ok);
  });
});

describe('formatEngineReport', () => {
  const text = formatEngineReport(result(mode(1500, 1, 4.8, [120, 130], { p99: 30, dropped: 0 }), mode(800, 2, 5.8, [150])));

  it('prints the core count, every system and the per-step figures', () => {
    expect(text).toContain('nproc 2');
    for (const name of ['Keyflow queue', 'Keyflow embedded', 'Node-RED 5.0.7']) expect(text).toContain(name);
    expect(text).toMatch(/Keyflow queue: 0\.2000 ms/);
    expect(text).toMatch(/sum 250\.0 MB/);
  });

  it('prints the RSS sampled through the load when the mode has it', () => {
    const queue = { ...mode(1500, 1, 4.8, [120, 130]), rssDuringLoad: { meanBytes: 280_000_000, maxBytes: 301_500_000, samples: 200, intervalMs: 250 } };
    const sampled = formatEngineReport(result(queue, mode(800, 2, 5.8, [150])));
    expect(sampled).toContain('Keyflow queue, server + worker, sampled from the first workflow\'s creation to the end of the last window: mean 280.0, max 301.5 MB (200 samples every 250 ms)');
    expect(sampled).not.toContain('Keyflow embedded, sampled');
  });

  it('prints Keyflow/Node-RED ratios', () => {
    expect(text).toMatch(/queue: throughput 1 step 0\.250, 20 steps 0\.250/);
  });

  it('checks the persisted rows', () => {
    expect(text).toMatch(/queue mode: 1-step max answered 15000×200; runs rows 15003 .* — OK/);
  });
});

describe('counterLines and beforeAfterLines', () => {
  const counters = { statementsPerRun: 3, topStatements: [['kf_insert_claimed_run', 1], ['kf_finish_run_with_step', 1], ['insert run_steps', 1]] as [string, number][], gcPerRun: 0.1, gcMsPerRun: 0.25, majorGcPerRun: 0.0012, loopP99Ms: 12, loopMaxMs: 30 };
  const q = mode(1500, 1, 4.8, [120, 130], { p99: 30, dropped: 0 });
  q.set.max1.counters = counters;
  q.set.ratedCounters = { ...counters, controlLoopP99Ms: 11, controlLoopMaxMs: 25 };
  q.set.redis = { perRun: 3.2, byCommand: [['publish', 1.1], ['evalsha', 1]], runs: 100 };

  it('prints statements, GC and event-loop delay per window, the control, and Redis commands per run', () => {
    const lines = counterLines('Keyflow queue', q.set);
    expect(lines[0]).toBe('  Keyflow queue, 1 step, max: 3.00 statements/run (kf_insert_claimed_run 1.00, kf_finish_run_with_step 1.00, insert run_steps 1.00); GC 0.10/run (full 1.20 per 1,000 runs), 0.250 ms/run; event-loop delay p99 12.0 ms, max 30.0 ms');
    expect(lines[1]).toMatch(/1 step @200\/s paced: .*\(an idle process meanwhile: p99 11\.0 ms, max 25\.0 ms\)$/);
    expect(lines.at(-1)).toBe('  Keyflow queue: 3.20 Redis commands/run over 100 runs (publish 1.10, evalsha 1.00)');
  });

  it('compares CPU with issue 15\'s starting point', () => {
    // stack: 2 ms per run; per step (4.8 − 1) / 19 = 0.2 ms, with PG + Redis 0.4 ms.
    expect(beforeAfterLines(q)[0]).toBe("against issue 15's starting point (queue mode): CPU per 1-step run with Postgres + Redis 2.000 ms vs 3.3 (×0.61); per extra step 0.200 ms vs 0.15 (×1.33), with Postgres + Redis 0.400 ms vs 0.27 (×1.48)");
  });
});
