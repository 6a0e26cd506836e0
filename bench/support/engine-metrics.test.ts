import { describe, expect, it } from 'vitest';
import { parseExposition, snapshotOf, windowCounters } from './engine-metrics.ts';
import { countRedisCommands, redisSimple } from './engine-redis.ts';

const exposition = (statements: Record<string, number>, gc: number, loopP99: number) => [
  '# HELP keyflow_db_statements_total Database statements',
  '# TYPE keyflow_db_statements_total counter',
  ...Object.entries(statements).map(([k, v]) => `keyflow_db_statements_total{statement="${k}"} ${v}`),
  `keyflow_nodejs_gc_duration_seconds_count{kind="minor"} ${gc}`,
  `keyflow_nodejs_gc_duration_seconds_sum{kind="minor"} ${gc * 0.002}`,
  `keyflow_nodejs_gc_duration_seconds_count{kind="major"} ${gc / 5}`,
  `keyflow_nodejs_eventloop_lag_p99_seconds ${loopP99}`,
  'keyflow_nodejs_eventloop_lag_max_seconds 0.05',
].join('\n');

describe('engine metrics windows', () => {
  it('parses the exposition and gives per-run figures between two scrapes of two processes', () => {
    const before = snapshotOf([parseExposition(exposition({ kf_insert_claimed_run: 10, 'insert run_steps': 4 }, 5, 0.01)), parseExposition(exposition({}, 1, 0.002))]);
    const after = snapshotOf([parseExposition(exposition({ kf_insert_claimed_run: 110, 'insert run_steps': 54, kf_finish_run_with_step: 100 }, 25, 0.02)), parseExposition(exposition({}, 1, 0.004))]);
    const w = windowCounters(before, after, 100);
    expect(w.statementsPerRun).toBeCloseTo(2.5);
    expect(w.topStatements).toEqual([['kf_insert_claimed_run', 1], ['kf_finish_run_with_step', 1], ['insert run_steps', 0.5]]);
    // minor 20 + major 4 collections over 100 runs; the time is the minor ones' sum alone here.
    expect(w.gcPerRun).toBeCloseTo(0.24);
    expect(w.majorGcPerRun).toBeCloseTo(0.04);
    expect(w.gcMsPerRun).toBeCloseTo(0.4);
    // The loop figures are the window's own (prom-client resets them on every scrape): the worst process.
    expect(w.loopP99Ms).toBeCloseTo(20);
    expect(w.loopMaxMs).toBeCloseTo(50);
  });
});

describe('countRedisCommands', () => {
  it('counts the commands sent to its database index only', async () => {
    const url = 'redis://127.0.0.1:6379/11';
    const monitor = await countRedisCommands(url);
    await redisSimple(url, [['SELECT', '11'], ['SET', 'kf-bench-count', '1'], ['INCR', 'kf-bench-count'], ['DEL', 'kf-bench-count']]);
    await redisSimple('redis://127.0.0.1:6379/12', [['SELECT', '12'], ['PING']]);
    await new Promise((r) => setTimeout(r, 200));
    const { total, byCommand } = await monitor.stop();
    expect(byCommand.get('set')).toBe(1);
    expect(byCommand.get('incr')).toBe(1);
    expect(byCommand.get('del')).toBe(1);
    expect(byCommand.get('ping')).toBeUndefined();
    expect(total).toBeGreaterThanOrEqual(3);
  });
});
