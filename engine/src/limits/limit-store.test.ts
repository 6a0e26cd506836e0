import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { dropQueue, redisUrl, requireRedis, testQueueName } from '../../test/support/redis.ts';
import { MemoryLimitStore, RedisLimitStore, type Limit } from './limit-store.ts';

const backoff = (key: string): Limit => ({ kind: 'backoff', name: 'b', key, free: 3, baseMs: 1000, maxMs: 60_000 });
const window = (key: string, max: number): Limit => ({ kind: 'window', name: 'w', key, windowMs: 60_000, max });

describe('MemoryLimitStore', () => {
  it('lets the first failures through, then doubles the wait with each further failure', async () => {
    const s = new MemoryLimitStore();
    const t0 = 1_000_000;
    expect(await s.attempt([backoff('k')], t0)).toBe(0);
    expect(await s.attempt([backoff('k')], t0)).toBe(0);
    const waits: number[] = [];
    let now = t0;
    for (let i = 0; i < 5; i++) {
      expect(await s.attempt([backoff('k')], now)).toBe(0);
      const wait = await s.attempt([backoff('k')], now); // refused: counts nothing
      waits.push(wait);
      now += wait * 1000; // the client waits exactly as told
    }
    expect(waits).toEqual([1, 2, 4, 8, 16]);
  });

  it('caps the wait, keeps keys apart, and forgets a key on forgive or after a long quiet', async () => {
    const s = new MemoryLimitStore();
    for (let i = 0; i < 40; i++) await s.attempt([backoff('a')], i * 60_000);
    expect(await s.attempt([backoff('a')], 39 * 60_000)).toBe(60);
    expect(await s.attempt([backoff('b')], 0)).toBe(0);
    await s.forgive([backoff('a')]);
    expect(await s.attempt([backoff('a')], 39 * 60_000)).toBe(0);
    for (let i = 0; i < 3; i++) await s.attempt([backoff('c')], 0);
    // Quiet for longer than the longest wait: counted as a first failure.
    expect(await s.attempt([backoff('c')], 200_000)).toBe(0);
    expect(await s.attempt([backoff('c')], 200_000)).toBe(0);
  });

  it('counts nothing on any limit when one of them refuses', async () => {
    const s = new MemoryLimitStore();
    expect(await s.attempt([window('x', 1)], 0)).toBe(0);
    expect(await s.attempt([window('x', 1), window('y', 1)], 0)).toBe(60);
    expect(await s.attempt([window('y', 1)], 0)).toBe(0);
    expect(await s.attempt([window('y', 1)], 60_000)).toBe(0); // a new window
  });
});

describe('RedisLimitStore', () => {
  const queue = testQueueName('limits');
  let a: RedisLimitStore;
  let b: RedisLimitStore;
  beforeAll(async () => {
    await requireRedis();
    a = new RedisLimitStore(redisUrl, queue);
    b = new RedisLimitStore(redisUrl, queue);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await dropQueue(queue);
  });

  it('two stores on one Redis share a window; a parallel burst is counted in full', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).attempt([window('burst', 5)])));
    expect(results.filter((r) => r === 0)).toHaveLength(5);
    expect(results.filter((r) => r > 0 && r <= 60)).toHaveLength(15);
    await a.forgive([window('burst', 5)]);
    expect(await b.attempt([window('burst', 5)])).toBe(0);
    expect(await b.attempt([window('burst', 5)])).toBeGreaterThan(0);
  });

  it('backs off after the free failures across stores, and a success starts afresh', async () => {
    for (let i = 0; i < 3; i++) expect(await (i % 2 ? a : b).attempt([backoff('pair')])).toBe(0);
    expect(await a.attempt([backoff('pair')])).toBe(1);
    await b.forgive([backoff('pair')]);
    expect(await a.attempt([backoff('pair')])).toBe(0);
  });

  it('keeps no address or email in its keys, only under the queue namespace, each with an expiry', async () => {
    await a.attempt([{ ...window('203.0.113.9\nvictim@example.test', 5), name: 'login' }]);
    const r = new Redis(redisUrl);
    const keys = await r.keys(`kf:{${queue}}:limit:*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(' ')).not.toMatch(/203\.0\.113|victim/);
    for (const k of keys) expect(await r.pttl(k)).toBeGreaterThan(0);
    r.disconnect();
  });

  describe('batched windows (webhook rates)', () => {
    const batched = (key: string, max: number, batch = true): Limit => ({ kind: 'window', name: 'hook', key, windowMs: 60_000, max, batch });

    /** Script calls on this test's hook keys while `fn` runs, counted with MONITOR on a raw socket. */
    async function roundTrips(fn: () => Promise<unknown>): Promise<number> {
      const url = new URL(redisUrl);
      const socket = connect(Number(url.port || 6379), url.hostname);
      let seen = '';
      socket.on('data', (d: Buffer) => (seen += d.toString('latin1')));
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.write('MONITOR\r\n');
      await new Promise((r) => setTimeout(r, 100));
      await fn();
      await new Promise((r) => setTimeout(r, 200));
      socket.destroy();
      return seen.split('\r\n').filter((line) => /"evalsha"|"eval"/i.test(line) && line.includes(`{${queue}}:limit:hook`)).length;
    }

    it('never admits more than max per window across stores, and leaves little of it unused', async () => {
      const max = 400;
      const results: number[] = [];
      // Two "processes" hammering one hook: 10 in flight each, 600 attempts in all.
      await Promise.all([a, b].map(async (s) => {
        for (let i = 0; i < 30; i++) results.push(...(await Promise.all(Array.from({ length: 10 }, () => s.attempt([batched('hot', max)])))));
      }));
      const admitted = results.filter((r) => r === 0).length;
      expect(admitted).toBeLessThanOrEqual(max);
      // What a store holds unused is at most a tenth of max (its last batch), per store.
      expect(admitted).toBeGreaterThanOrEqual(max - 2 * (max / 10));
      expect(results.filter((r) => r > 0).every((r) => r > 0 && r <= 60)).toBe(true);
      const r = new Redis(redisUrl);
      const keys = await r.keys(`kf:{${queue}}:limit:hook:*`);
      expect(Number(await r.hget(keys[0]!, 'c'))).toBeLessThanOrEqual(max);
      r.disconnect();
    });

    it('a hot key costs one round trip per batch; a quiet one, one per attempt as before', async () => {
      const hot = await roundTrips(async () => {
        for (let i = 0; i < 50; i++) await Promise.all(Array.from({ length: 10 }, () => a.attempt([batched('busy', 100_000)])));
      });
      expect(hot).toBeGreaterThan(0);
      expect(hot).toBeLessThan(50); // 500 attempts
      const quiet = await roundTrips(async () => {
        for (let i = 0; i < 4; i++) {
          expect(await a.attempt([batched('calm', 100_000)])).toBe(0);
          await new Promise((r) => setTimeout(r, 150));
        }
      });
      expect(quiet).toBe(4);
    });

    it('a store that goes quiet holds at most a tenth of max unused', async () => {
      const max = 1000;
      let byA = 0;
      for (let i = 0; i < 20; i++) byA += (await Promise.all(Array.from({ length: 10 }, () => a.attempt([batched('quiet-after', max)])))).filter((r) => r === 0).length;
      expect(byA).toBe(200);
      let byB = 0;
      while ((await b.attempt([batched('quiet-after', max)])) === 0) byB += 1;
      expect(byB).toBeGreaterThanOrEqual(max - byA - max / 10);
      expect(byA + byB).toBeLessThanOrEqual(max);
    });

    it('never spends a batch after its window ended', async () => {
      const short = (key: string): Limit => ({ kind: 'window', name: 'hook', key, windowMs: 500, max: 200, batch: true });
      // Eight at once: batches of 1, 2, 4 and 8, so this store holds 7 unused.
      expect((await Promise.all(Array.from({ length: 8 }, () => a.attempt([short('ends')]))))).toEqual(Array(8).fill(0));
      await new Promise((r) => setTimeout(r, 600));
      // The next window, taken whole by the other store.
      let byB = 0;
      while ((await b.attempt([short('ends')])) === 0) byB += 1;
      expect(byB).toBe(200);
      expect(await a.attempt([short('ends')])).toBeGreaterThan(0);
    });

    it('refuses a full window with its wait, counting nothing and without asking Redis again', async () => {
      expect(await b.attempt([batched('full', 2)])).toBe(0);
      expect(await a.attempt([batched('full', 2)])).toBe(0);
      const first = await a.attempt([batched('full', 2)]);
      expect(first).toBeGreaterThan(0);
      expect(first).toBeLessThanOrEqual(60);
      const again = await roundTrips(async () => {
        for (let i = 0; i < 5; i++) expect(await a.attempt([batched('full', 2)])).toBeGreaterThan(0);
      });
      expect(again).toBe(0);
      // An unbatched attempt on the same key sees the same count (one window, one hash).
      expect(await b.attempt([batched('full', 2, false)])).toBeGreaterThan(0);
    });
  });
});
