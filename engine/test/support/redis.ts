import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

export const redisUrl = process.env.KEYFLOW_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const START_REDIS = 'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no';

/** Fails loudly, with the command that starts Redis, when it is not reachable. */
export async function requireRedis(): Promise<void> {
  const r = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 });
  r.on('error', () => undefined);
  try {
    await r.connect();
    await r.ping();
  } catch (err) {
    throw new Error(`Redis is not reachable at ${redisUrl}. Start it with: ${START_REDIS}`, { cause: err });
  } finally {
    r.disconnect();
  }
}

/** Removes a BullMQ queue and Keyflow's fairness counters for it (tests use a queue each). */
export async function dropQueue(name: string): Promise<void> {
  const { Queue } = await import('bullmq');
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const q = new Queue(name, { connection });
  await q.obliterate({ force: true });
  await q.close();
  // Keyflow's own keys of the queue: fairness counters, event-bus watch marks.
  await deleteMatching(connection, `kf:{${name}}:*`);
  connection.disconnect();
}

/**
 * Set by the vitest global setup for one `npm test`: every queue (and so every Redis key) a
 * test makes carries it, and the teardown removes exactly that run's keys, never those of a
 * server, a bench or another test run sharing the Redis.
 */
export const TEST_RUN_ENV = 'KEYFLOW_TEST_RUN';

/** A fresh queue name for one test: `kf-t<run>-<kind>-<random>`. */
export function testQueueName(kind: string): string {
  const run = process.env[TEST_RUN_ENV] ?? 'adhoc';
  return `kf-t${run}-${kind}-${randomUUID().slice(0, 8)}`;
}

/** SCAN patterns matching every key of one test run (BullMQ's and Keyflow's own). */
export function testRunKeyPatterns(run: string): string[] {
  return [`bull:kf-t${run}-*`, `kf:{kf-t${run}-*`];
}

/** Deletes every key matching a SCAN pattern; answers how many it removed. */
export async function deleteMatching(connection: Redis, pattern: string): Promise<number> {
  let removed = 0;
  let cursor = '0';
  do {
    const [next, keys] = await connection.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) removed += await connection.unlink(...keys);
  } while (cursor !== '0');
  return removed;
}
