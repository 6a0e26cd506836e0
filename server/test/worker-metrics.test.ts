// A worker is a process without an HTTP port: KEYFLOW_METRICS_PORT gives it a listener that
// serves only /metrics (with the token when one is set).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateKey } from '@keyflow/engine/vault';
import { createPostgresDatabase, dropQueue, ProcessGroup, redisUrl, requireRedis, testQueueName, type TestDatabase } from '@keyflow/engine/testing';

const procs = new ProcessGroup();
const queueName = testQueueName('wmetrics');
let db: TestDatabase;

beforeAll(async () => {
  await requireRedis();
  db = await createPostgresDatabase();
});
afterAll(async () => {
  await procs.killAll();
  await db?.drop();
  await dropQueue(queueName);
});

it('a worker serves its own metrics on KEYFLOW_METRICS_PORT, behind the token', async () => {
  const token = 'worker-metrics-token-0123456789';
  const w = procs.spawnNode('worker', ['server/src/cli.ts', 'worker'], {
    DATABASE_URL: db.url!, REDIS_URL: redisUrl, KEYFLOW_QUEUE_NAME: queueName, KEYFLOW_ENCRYPTION_KEYS: generateKey(), KEYFLOW_METRICS_PORT: '0', KEYFLOW_METRICS_TOKEN: token, LOG_LEVEL: 'warn',
  });
  await w.waitForOutput(/Metrics at http:\/\/127\.0\.0\.1:\d+\/metrics/, 30_000);
  const url = /Metrics at (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(w.output())![1]!;
  expect((await fetch(url)).status).toBe(401);
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  const text = await res.text();
  expect(text).toMatch(/^keyflow_queue_jobs\{state="waiting"\} 0$/m);
  expect(text).toContain('keyflow_process_resident_memory_bytes');
  expect((await fetch(url.replace('/metrics', '/api/workflows'))).status).toBe(404);
}, 45_000);
