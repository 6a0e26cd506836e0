import { describe, expect, it } from 'vitest';
import { coreNodes } from '@keyflow/nodes';
import { createNodeRegistry } from '@keyflow/nodes/contract';
import { loadConfig } from '../config.ts';
import { ConfigError } from '../errors.ts';
import { gapUnderFloor, scheduleFloorProblem } from './check-schedule-floor.ts';
import { validateGraph } from './validate-graph.ts';

describe('gapUnderFloor', () => {
  it.each([
    ['* * * * * *', 60, 1],
    ['0,30 * * * * *', 60, 30],
    ['*/10 * * * * *', 60, 10],
    ['0,1 * * * *', 300, 60],
    // The gap that is short only where the minutes wrap round the hour: 56 → 0 is 4 minutes.
    ['*/7 * * * *', 300, 240],
    // Short only across midnight: 23:59 → 00:00.
    ['59 23 * * *', 60, undefined],
    ['0,59 0,23 * * *', 120, 60],
  ])('%s under a %is floor → %s', (cron, floor, gap) => {
    expect(gapUnderFloor(cron, 'UTC', floor)).toBe(gap);
  });

  it.each([['* * * * *'], ['0 * * * * *'], ['@hourly'], ['@daily'], ['*/5 * * * *'], ['0 9 * * MON-FRI']])('accepts %s under the default one-minute floor', (cron) => {
    expect(gapUnderFloor(cron, 'Europe/Paris', 60)).toBeUndefined();
  });

  it('applies a raised floor', () => {
    expect(gapUnderFloor('*/2 * * * *', 'UTC', 300)).toBe(120);
    expect(gapUnderFloor('*/5 * * * *', 'UTC', 300)).toBeUndefined();
  });

  it('says what fires how often, and which variable sets the floor', () => {
    expect(scheduleFloorProblem('* * * * * *', 'UTC', 60)).toBe('fires 1 second apart; schedules may fire at most once every 1 minute (KEYFLOW_MIN_SCHEDULE_SECONDS)');
    expect(scheduleFloorProblem('*/2 * * * *', 'UTC', 600)).toBe('fires 2 minutes apart; schedules may fire at most once every 10 minutes (KEYFLOW_MIN_SCHEDULE_SECONDS)');
  });
});

describe('validateGraph with minScheduleSeconds', () => {
  const registry = createNodeRegistry(coreNodes);
  const graph = (cron: string, disabled = false) => ({
    nodes: [
      { id: 'tick', type: 'core.schedule', version: 1, config: { cron }, position: { x: 0, y: 0 } },
      { id: 'shape', type: 'core.transform', version: 1, config: { fields: [] }, position: { x: 1, y: 0 }, ...(disabled ? { disabled } : {}) },
    ],
    edges: [{ id: 'e', source: 'tick', target: 'shape' }],
  });

  it('refuses a per-second cron at the cron field', () => {
    const r = validateGraph(graph('*/5 * * * * *'), registry, { minScheduleSeconds: 60 });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues).toEqual([{ path: ['nodes', 0, 'config', 'cron'], message: expect.stringContaining('fires 5 seconds apart') }]);
  });

  it('accepts it without a floor (engine-internal callers) and accepts an every-minute cron with one', () => {
    expect(validateGraph(graph('*/5 * * * * *'), registry).ok).toBe(true);
    expect(validateGraph(graph('* * * * *'), registry, { minScheduleSeconds: 60 }).ok).toBe(true);
  });
});

describe('KEYFLOW_MIN_SCHEDULE_SECONDS', () => {
  const base = { KEYFLOW_DATA_DIR: '/tmp/keyflow-test' };
  it('defaults to one minute and takes a whole number of seconds up to a day', () => {
    expect(loadConfig(base).minScheduleSeconds).toBe(60);
    expect(loadConfig({ ...base, KEYFLOW_MIN_SCHEDULE_SECONDS: '300' }).minScheduleSeconds).toBe(300);
    expect(loadConfig({ ...base, KEYFLOW_MIN_SCHEDULE_SECONDS: '1' }).minScheduleSeconds).toBe(1);
  });

  it.each([['0'], ['-5'], ['1.5'], ['90000'], ['soon']])('refuses %s naming the variable', (raw) => {
    expect(() => loadConfig({ ...base, KEYFLOW_MIN_SCHEDULE_SECONDS: raw })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, KEYFLOW_MIN_SCHEDULE_SECONDS: raw })).toThrow(/KEYFLOW_MIN_SCHEDULE_SECONDS/);
  });
});
