// Two deployments on one Redis (queue names A and B): run events, outcomes, cancellations and
// "watched" marks of one are invisible to the other, and still reach the same deployment's
// other processes. Negative checks end on a sentinel the listening bus publishes afterwards in
// its own namespace: Redis delivers to one subscriber in publish order, so once the sentinel
// arrives, a leaked message would already have arrived too.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { RedisEventBus } from '../src/events/redis-event-bus.ts';
import type { RunEvent } from '../src/events/event-bus.ts';
import { redisUrl, requireRedis, testQueueName } from './support/redis.ts';

const nsA = testQueueName('ns-a');
const nsB = testQueueName('ns-b');
let a1: RedisEventBus, a2: RedisEventBus, b: RedisEventBus, bPub: RedisEventBus;

beforeAll(async () => {
  await requireRedis();
  a1 = new RedisEventBus(redisUrl, nsA);
  a2 = new RedisEventBus(redisUrl, nsA);
  b = new RedisEventBus(redisUrl, nsB);
  bPub = new RedisEventBus(redisUrl, nsB);
});
afterAll(async () => {
  await Promise.all([a1, a2, b, bPub].map((x) => x?.close()));
});

const finished = (runId: string, seq = 1): RunEvent => ({ type: 'run.finished', runId, seq, status: 'succeeded', costMicros: 0 });
const started = (runId: string, seq = 1): RunEvent => ({ type: 'step.started', runId, seq, nodeId: 'n', scope: '', attempt: 1, at: new Date().toISOString() });

function waitFor<T>(got: T[], pred: (v: T) => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 5_000;
    const tick = () => {
      if (got.some(pred)) return resolve();
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 10);
    };
    tick();
  });
}

describe('RedisEventBus namespaces', () => {
  it('refuses a namespace that would break the key layout', () => {
    expect(() => new RedisEventBus(redisUrl, 'a}:b')).toThrow(/namespace/);
    expect(() => new RedisEventBus(redisUrl, '')).toThrow(/namespace/);
  });

  it('outcomes of deployment A reach A’s other processes and never B', async () => {
    const heardA: RunEvent[] = [];
    const heardB: RunEvent[] = [];
    const offA = await a2.subscribeOutcomes((e) => heardA.push(e));
    const offB = await b.subscribeOutcomes((e) => heardB.push(e));
    const leaked = randomUUID();
    a1.publishRun(finished(leaked));
    await waitFor(heardA, (e) => e.runId === leaked, 'A to hear its own outcome');
    const sentinel = randomUUID();
    bPub.publishRun(finished(sentinel));
    await waitFor(heardB, (e) => e.runId === sentinel, 'B to hear its sentinel');
    expect(heardB.map((e) => e.runId)).toEqual([sentinel]);
    offA();
    offB();
  });

  it('step events of a run with the same id stay in their deployment', async () => {
    const runId = randomUUID();
    const heardA: RunEvent[] = [];
    const heardB: RunEvent[] = [];
    const offA = await a2.subscribeRun(runId, (e) => heardA.push(e));
    const offB = await b.subscribeRun(runId, (e) => heardB.push(e));
    a1.publishRun(started(runId, 7));
    await waitFor(heardA, (e) => e.seq === 7, 'A to hear its step event');
    bPub.publishRun(started(runId, 8));
    await waitFor(heardB, (e) => e.seq === 8, 'B to hear its sentinel');
    expect(heardB.map((e) => e.seq)).toEqual([8]);
    expect(heardA.map((e) => e.seq)).toEqual([7]);
    offA();
    offB();
  });

  it('a cancellation in A never cancels B’s run of the same id', async () => {
    const runId = randomUUID();
    const heardA: string[] = [];
    const heardB: string[] = [];
    const offA = await a2.subscribeCancel((id) => heardA.push(id));
    const offB = await b.subscribeCancel((id) => heardB.push(id));
    a1.publishCancel(runId);
    await waitFor(heardA, (id) => id === runId, 'A to hear its cancel');
    const sentinel = randomUUID();
    bPub.publishCancel(sentinel);
    await waitFor(heardB, (id) => id === sentinel, 'B to hear its sentinel');
    expect(heardB).toEqual([sentinel]);
    offA();
    offB();
  });

  it('a run watched in A is not watched in B, and its mark lives under A’s prefix with a TTL', async () => {
    const runId = randomUUID();
    const off = await a1.subscribeRun(runId, () => undefined);
    expect(await a2.isWatched(runId)).toBe(true);
    expect(await b.isWatched(runId)).toBe(false);
    const r = new Redis(redisUrl);
    try {
      const keys = await r.keys(`*${runId}*`);
      expect(keys).toEqual([`kf:{${nsA}}:ev:watch:${runId}`]);
      expect(await r.pttl(keys[0]!)).toBeGreaterThan(0);
    } finally {
      r.disconnect();
    }
    off();
  });
});
