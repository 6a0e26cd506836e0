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
  await connection.del(`kf:{${name}}:owner-pending`);
  connection.disconnect();
}
