// vitest globalSetup: gives this test run a token that every test queue name carries (see
// testQueueName), and afterwards removes that run's Redis keys, and only those: a Keyflow
// server, a bench or another test run on the same Redis keep theirs. Tests drop their own
// queues too; this catches what a failed or interrupted test left behind.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { deleteMatching, redisUrl, TEST_RUN_ENV, testRunKeyPatterns } from './redis.ts';

export default function setup(): () => Promise<void> {
  const run = randomBytes(4).toString('hex');
  // Inherited by the test worker processes, which are started after global setup.
  process.env[TEST_RUN_ENV] = run;
  return async () => {
    const r = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 });
    r.on('error', () => undefined);
    try {
      await r.connect();
    } catch {
      return; // no Redis: the run used none
    }
    try {
      for (const pattern of testRunKeyPatterns(run)) await deleteMatching(r, pattern);
    } finally {
      r.disconnect();
    }
  };
}
