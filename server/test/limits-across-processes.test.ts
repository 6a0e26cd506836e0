// Two (three) real `keyflow server` processes on one Redis and one Postgres: the log-in limits
// hold across them, and the client address comes from X-Forwarded-For only when a proxy is trusted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKey } from '@keyflow/engine/vault';
import { createPostgresDatabase, dropQueue, ProcessGroup, redisUrl, requireRedis, testQueueName, type TestDatabase } from '@keyflow/engine/testing';
import { callAt, type ServedApp } from './serve-app.ts';

const procs = new ProcessGroup();
const queueName = testQueueName('limits');
let db: TestDatabase;
let plain: ServedApp['call'][] = [];
let proxied: ServedApp['call'];

async function startServer(label: string, env: Record<string, string> = {}): Promise<ServedApp['call']> {
  const p = procs.spawnNode(label, ['server/src/cli.ts', 'server'], {
    DATABASE_URL: db.url!, REDIS_URL: redisUrl, KEYFLOW_QUEUE_NAME: queueName, KEYFLOW_ENCRYPTION_KEYS: generateKey(), PORT: '0', LOG_LEVEL: 'warn', ...env,
  });
  await p.waitForOutput(/Keyflow is running at http:\/\/localhost:\d+/, 30_000);
  return callAt(Number(/running at http:\/\/localhost:(\d+)/.exec(p.output())![1]));
}

beforeAll(async () => {
  await requireRedis();
  db = await createPostgresDatabase();
  const [a, b, c] = await Promise.all([startServer('server A'), startServer('server B'), startServer('server C (behind one proxy)', { KEYFLOW_TRUST_PROXY: '1' })]);
  plain = [a, b];
  proxied = c;
  expect((await a('127.0.0.2', 'POST', '/api/auth/signup', { body: { email: 'victim@example.test', password: 'the victim password' } })).status).toBe(201);
}, 60_000);

afterAll(async () => {
  await procs.killAll();
  await db?.drop();
  await dropQueue(queueName);
});

const guess = (call: ServedApp['call'], from: string, headers: Record<string, string> = {}) =>
  call(from, 'POST', '/api/auth/login', { body: { email: 'victim@example.test', password: 'a wrong guess' }, headers }).then((a) => a.status);

describe('limits across server processes', () => {
  it('counts log-in failures of one client on both servers together: the 6th attempt is refused wherever it lands', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push(await guess(plain[i % 2]!, '127.0.0.10'));
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    // Per process, each server would have seen only 2 or 3 failures and let these through.
    expect(await guess(plain[1]!, '127.0.0.10')).toBe(429);
    expect(await guess(plain[0]!, '127.0.0.10')).toBe(429);
    // Another client is not affected.
    expect((await plain[1]!('127.0.0.11', 'POST', '/api/auth/login', { body: { email: 'victim@example.test', password: 'the victim password' } })).status).toBe(200);
  });

  it('ignores a spoofed X-Forwarded-For when no proxy is trusted', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push(await guess(plain[i % 2]!, '127.0.0.12', { 'x-forwarded-for': `198.51.100.${i + 1}`, forwarded: `for=198.51.100.${i + 1}` }));
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });

  it('behind a trusted hop, counts the address the proxy appended and ignores what the client wrote before it', async () => {
    const statuses: number[] = [];
    // One proxy (127.0.0.20) in front; the client prepends a fresh fake address every time.
    for (let i = 0; i < 6; i++) statuses.push(await guess(proxied, '127.0.0.20', { 'x-forwarded-for': `10.9.9.${i}, 203.0.113.7` }));
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    // Another client behind the same proxy is another budget.
    expect(await guess(proxied, '127.0.0.20', { 'x-forwarded-for': '203.0.113.8' })).toBe(401);
    // The same client reaching a server that trusts no proxy is counted by the proxy's address instead.
    expect(await guess(plain[0]!, '127.0.0.20', { 'x-forwarded-for': '203.0.113.7' })).toBe(401);
  });
});
