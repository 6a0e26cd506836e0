// The global setup gave this run a token; test queues carry it, so the teardown can remove
// exactly this run's keys. A queue name without it would be left in Redis for good.
import { describe, expect, it } from 'vitest';
import { TEST_RUN_ENV, testQueueName, testRunKeyPatterns } from './support/redis.ts';

describe('test Redis keys', () => {
  it('test queue names carry this run’s token, which the teardown patterns match', () => {
    const run = process.env[TEST_RUN_ENV];
    expect(run, 'the vitest globalSetup did not set the run token').toMatch(/^[0-9a-f]{8}$/);
    const name = testQueueName('x');
    expect(name.startsWith(`kf-t${run}-x-`)).toBe(true);
    const [bull, kf] = testRunKeyPatterns(run!);
    const glob = (p: string) => new RegExp(`^${p.replace(/[{}.]/g, '\\$&').replaceAll('*', '.*')}$`);
    expect(glob(bull!).test(`bull:${name}:wait`)).toBe(true);
    expect(glob(kf!).test(`kf:{${name}}:ev:watch:abc`)).toBe(true);
    expect(glob(kf!).test(`kf:{keyflow-runs}:owner-pending`)).toBe(false);
    expect(glob(bull!).test('bull:keyflow-runs:wait')).toBe(false);
  });
});
