// Two (three) real `keyflow server` processes on one Redis and one Postgres: the log-in limits
// hold across them, and the client address comes from X-Forwarded-For only when a proxy is trusted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKey } from '@keyflow/engine/vault';
import { createPostgresDatabase, dropQueue, ProcessGroup, redisUrl, requireRedis, testQueueName, type TestDatabase } from '@keyflow/engine/testing';
import { callAt, type ServedApp } from './serve-app.ts';

const procs = new ProcessGroup();
const queueName = testQueueName('limits');
let db: TestDatabase;
// One key for every server: they share the database (the webhook test reads a workflow another server stored).
const key = generateKey();
let plain: ServedApp['call'][] = [];
let proxied: ServedApp['call'];

async function startServer(label: string, env: Record<string, string> = {}): Promise<ServedApp['call']> {
  const p = procs.spawnNode(label, ['server/src/cli.ts', 'server'], {
    DATABASE_URL: db.url!, REDIS_URL: redisUrl, KEYFLOW_QUEUE_NAME: queueName, KEYFLOW_ENCRYPTION_KEYS: key, PORT: '0', LOG_LEVEL: 'warn', KEYFLOW_WEBHOOK_RATE_PER_MINUTE: '4', ...env,
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
  // Attempts go out at once: the first wrong passwords start a backoff of 1 s, which a slow,
  // loaded machine could outlast between sequential attempts. Sent together, each server
  // checks and counts in one Redis script, so exactly five get through between the two.
  const counts = (statuses: number[]) => ({ 401: statuses.filter((s) => s === 401).length, 429: statuses.filter((s) => s === 429).length });

  it('counts log-in failures of one client on both servers together: five get through, the rest are refused wherever they land', async () => {
    const statuses = await Promise.all(Array.from({ length: 8 }, (_, i) => guess(plain[i % 2]!, '127.0.0.10')));
    // Per process, each server would have seen only four failures and let every one through.
    expect(counts(statuses)).toEqual({ 401: 5, 429: 3 });
    // Another client is not affected.
    expect((await plain[1]!('127.0.0.11', 'POST', '/api/auth/login', { body: { email: 'victim@example.test', password: 'the victim password' } })).status).toBe(200);
  });

  it('ignores a spoofed X-Forwarded-For when no proxy is trusted', async () => {
    const statuses = await Promise.all(Array.from({ length: 8 }, (_, i) => guess(plain[i % 2]!, '127.0.0.12', { 'x-forwarded-for': `198.51.100.${i + 1}`, forwarded: `for=198.51.100.${i + 1}` })));
    expect(counts(statuses)).toEqual({ 401: 5, 429: 3 });
  });

  it('behind a trusted hop, counts the address the proxy appended and ignores what the client wrote before it', async () => {
    // One proxy (127.0.0.20) in front; the client prepends a fresh fake address every time.
    const statuses = await Promise.all(Array.from({ length: 7 }, (_, i) => guess(proxied, '127.0.0.20', { 'x-forwarded-for': `10.9.9.${i}, 203.0.113.7` })));
    expect(counts(statuses)).toEqual({ 401: 5, 429: 2 });
    // Another client behind the same proxy is another budget.
    expect(await guess(proxied, '127.0.0.20', { 'x-forwarded-for': '203.0.113.8' })).toBe(401);
    // The same client reaching a server that trusts no proxy is counted by the proxy's address instead.
    expect(await guess(plain[0]!, '127.0.0.20', { 'x-forwarded-for': '203.0.113.7' })).toBe(401);
  });

  it('counts one webhook’s requests on both servers together', async () => {
    const [a, b] = plain as [ServedApp['call'], ServedApp['call']];
    const signup = await a('127.0.0.30', 'POST', '/api/auth/signup', { body: { email: 'hooks@example.test', password: 'a long enough password' } });
    expect(signup.status).toBe(201);
    const cookie = String(signup.headers['set-cookie']).split(';')[0]!;
    const csrf = (signup.body as { csrfToken: string }).csrfToken;
    const token = ((await a('127.0.0.30', 'POST', '/api/tokens', { body: { name: 't' }, headers: { cookie, 'x-csrf-token': csrf } })).body as { token: string }).token;
    const auth = { authorization: `Bearer ${token}` };
    const pos = { x: 0, y: 0 };
    const graph = {
      nodes: [{ id: 'hook', type: 'core.webhook', version: 1, config: {}, position: pos }, { id: 'shape', type: 'core.transform', version: 1, config: { fields: [{ name: 'ok', value: 'yes' }] }, position: pos }],
      edges: [{ id: 'e1', source: 'hook', target: 'shape' }],
    };
    const wf = (await a('127.0.0.30', 'POST', '/api/workflows', { body: { name: 'hook', graph }, headers: auth })).body as { id: string };
    expect((await a('127.0.0.30', 'POST', `/api/workflows/${wf.id}/activate`, { headers: auth })).status).toBe(200);
    const [hook] = (await a('127.0.0.30', 'GET', `/api/workflows/${wf.id}/webhooks`, { headers: auth })).body as { url: string }[];
    const path = new URL(hook!.url).pathname;
    // Server B caches a path's workflow for a second; let it see the activation.
    await new Promise((r) => setTimeout(r, 1100));
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await (i % 2 ? b : a)(`127.0.0.${40 + i}`, 'POST', path, { body: { i } })).status);
    expect(statuses).toEqual([202, 202, 202, 202, 429]);
  });
});
