// Secrets never leak: canary keys for every provider go in through the API, then everything is
// exercised (create, list, read, patch, replace, live tests against the provider fakes, AI
// runs that succeed and runs whose providers echo the key back in their error bodies), in
// queue mode (BullMQ on Redis). Afterwards every log line, response body, Redis key and value,
// published run event, table row and a pg_dump of the database are searched: zero hits.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropQueue, redisUrl, requireRedis, testQueueName } from '@keyflow/engine/testing';
import { startFakes, type Fakes } from '@keyflow/engine/fakes';
import { startFakeAsana, type FakeAsana } from '@keyflow/nodes/testing/fake-asana';
import { createFakeGoogle, type FakeGoogle } from '@keyflow/nodes/testing/fake-google';
import { startFakeTelegram, type FakeTelegram } from '@keyflow/nodes/testing/fake-telegram';
import { createTestApp, type TestApp } from './support.ts';

const hex = () => randomUUID().replaceAll('-', '');
const queueName = testQueueName('canary');

/** Every canary with the parts of it that must never show up (the whole key, its unique part, a slice). */
const needles = new Set<string>();
function canary(make: (unique: string[]) => string, ...unique: string[]): string {
  const secret = make(unique);
  needles.add(secret);
  for (const u of unique) {
    needles.add(u);
    needles.add(u.slice(8, 20));
  }
  return secret;
}

function freshCanaries() {
  const u = randomUUID();
  const [h1, h2, h3, h4, h5, h6, h7] = [hex(), hex(), hex(), hex(), hex(), hex(), hex()];
  const v = randomUUID();
  const w = randomUUID();
  const x = randomUUID();
  return {
    openai: canary(([a]) => `sk-canary-${a}`, u),
    anthropic: canary(([a]) => `sk-ant-canary-${a}`, v),
    deepseek: canary(([a]) => `sk-canary-${a}`, w),
    gemini: canary(([a]) => `AIzaCanary${a}`, h1),
    azure_openai: canary(([a]) => `canary${a}`, h2),
    slack: canary(([a]) => `xoxb-canary-${a}`, x),
    notion: canary(([a]) => `ntn_canary${a}`, h3),
    trello: canary(([a, b, c]) => `${a}:${b}${c}`, h4, h5, h6),
    asana: canary(([a]) => `2/1204567890123/1209876543210:${a}`, h7),
    google: canary(([a]) => `ya29.canary-${a}`, randomUUID()),
    // The bot token travels in the URL path (api.telegram.org/bot<token>/…).
    telegram: canary(([a]) => `7000000099:AAH${a}`, hex()),
  };
}

type Provider = keyof ReturnType<typeof freshCanaries>;
const aiKeys = ['openai', 'anthropic', 'deepseek', 'gemini'] as const satisfies readonly Provider[];

let fakes: Fakes;
let asana: FakeAsana;
let google: FakeGoogle;
let telegram: FakeTelegram;
let t: TestApp;
let token: string;
let subscriber: ChildProcess | undefined;
const logLines: string[] = [];
const bodies: string[] = [];
const published: string[] = [];
const secrets = freshCanaries();
const ids = {} as Record<Provider, string>;
let workflowId: string;

async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await t.request(method, path, { token, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  bodies.push(text);
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function runToEnd(payload: unknown): Promise<{ id: string; status: string }> {
  const started = await api<{ runId: string }>('POST', `/api/workflows/${workflowId}/run`, { payload });
  expect(started.status).toBe(202);
  for (let i = 0; i < 1000; i++) {
    const { body: run } = await api<{ id: string; status: string }>('GET', `/api/runs/${started.body.runId}`);
    if (['succeeded', 'failed', 'cancelled'].includes(run.status)) return run;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('run did not finish');
}

/** Replies that quote the caller's key back, as some providers and proxies do. */
function echoKey(status: number) {
  return (req: { key: string | undefined }) => ({ status, message: `upstream refused key ${req.key ?? ''} (${req.key ?? ''})` });
}

const redis = (...args: string[]) => execFileSync('redis-cli', ['-u', redisUrl, '--no-raw', ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

/**
 * Every key under Keyflow's own prefix (`kf:*`: fairness counters, watch marks…) and BullMQ's
 * (`bull:*`), of this test's queue and any other, with its value as text, whatever its type.
 * A key of a type this cannot read fails the scan instead of being skipped.
 */
function dumpRedis(): string[] {
  const scan = (pattern: string) => redis('--scan', '--pattern', pattern).split('\n').map((k) => k.trim().replace(/^"|"$/g, '')).filter(Boolean);
  const keys = [...scan('kf:*'), ...scan('bull:*')];
  const read: Record<string, string[]> = { string: ['GET'], hash: ['HGETALL'], list: ['LRANGE', '0', '-1'], set: ['SMEMBERS'], zset: ['ZRANGE', '0', '-1', 'WITHSCORES'], stream: ['XRANGE', '-', '+'] };
  const out: string[] = [];
  for (const key of keys) {
    const type = redis('TYPE', key).trim();
    if (type === 'none') continue; // another test file removed it between SCAN and TYPE
    const cmd = read[type];
    if (!cmd) throw new Error(`canary scan cannot read Redis key ${key} of type ${type}`);
    out.push(`${key} (${type}) ${redis(cmd[0]!, key, ...cmd.slice(1))}`);
  }
  return out;
}

beforeAll(async () => {
  await requireRedis();
  fakes = await startFakes();
  asana = await startFakeAsana();
  google = await createFakeGoogle();
  telegram = await startFakeTelegram();
  // Every run event the bus publishes on Redis (pub/sub keeps nothing, so listen while it runs).
  subscriber = spawn('redis-cli', ['-u', redisUrl, 'psubscribe', '*'], { stdio: ['ignore', 'pipe', 'ignore'] });
  subscriber.stdout?.on('data', (chunk: Buffer) => published.push(chunk.toString('utf8')));
  const log = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  t = await createTestApp(
    'postgres',
    {
      // Queue mode: BullMQ on a queue of our own (createTestApp sets DATABASE_URL to the test database).
      REDIS_URL: redisUrl,
      KEYFLOW_QUEUE_NAME: queueName,
      KEYFLOW_OPENAI_BASE_URL: fakes.baseUrls.openai,
      KEYFLOW_ANTHROPIC_BASE_URL: fakes.baseUrls.anthropic,
      KEYFLOW_DEEPSEEK_BASE_URL: fakes.baseUrls.deepseek,
      KEYFLOW_GEMINI_BASE_URL: fakes.baseUrls.gemini,
      KEYFLOW_ASANA_BASE_URL: asana.url,
      // Google's live test (tokeninfo) goes to the fake too: nothing reaches the internet.
      KEYFLOW_GOOGLE_BASE_URL: google.url,
      KEYFLOW_TELEGRAM_BASE_URL: telegram.url,
    },
    { log },
  );
  token = (await t.signup()).token;
});

afterAll(async () => {
  subscriber?.kill();
  await t?.close();
  await fakes?.close();
  await asana?.close();
  await google?.close();
  await telegram?.close();
  await dropQueue(queueName);
});

describe('canary secrets', () => {
  it('stores a canary key for every provider and answers only masks', async () => {
    for (const provider of Object.keys(secrets) as Provider[]) {
      const azure = provider === 'azure_openai' ? { endpoint: 'https://canary.openai.azure.com', apiVersion: '2024-10-21' } : {};
      const res = await api<{ id: string; hint: string }>('POST', '/api/credentials', { provider, label: `${provider} canary`, secret: secrets[provider], ...azure });
      expect(res.status, provider).toBe(201);
      expect(res.body.hint).toContain('…');
      ids[provider] = res.body.id;
    }
    const list = await api<{ items: unknown[] }>('GET', '/api/credentials');
    expect(list.body.items).toHaveLength(11);
    for (const id of Object.values(ids)) {
      expect((await api('GET', `/api/credentials/${id}`)).status).toBe(200);
      expect((await api('PATCH', `/api/credentials/${id}`, { label: 'renamed' })).status).toBe(200);
    }
  });

  it('runs an AI workflow with the canary keys', async () => {
    const graph = {
      nodes: [
        { id: 'start', type: 'core.manual', version: 1, config: {}, position: { x: 0, y: 0 } },
        // Azure's key points at a real Azure host, which no test may reach: the run uses the others.
        { id: 'ask', type: 'ai.complete', version: 1, config: { prompt: 'Say hi to {{ $trigger.name }}', tier: 'economy', credentialIds: aiKeys.map((p) => ids[p]) }, position: { x: 240, y: 0 } },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'ask' }],
    };
    workflowId = (await api<{ id: string }>('POST', '/api/workflows', { name: 'canary flow', graph })).body.id;
    expect((await runToEnd({ name: 'Ada' })).status).toBe('succeeded');
    const used = aiKeys.filter((p) => fakes.servers[p].requests.length > 0);
    expect(used).toHaveLength(1);
    expect(fakes.servers[used[0]!].requests[0]!.key).toBe(secrets[used[0]!]);
  });

  it('fails a run whose providers all quote the key back, and keeps the key out of the record', async () => {
    fakes.reset();
    fakes.servers.openai.setHandler(() => ({ status: 401 })); // the fake's own 401 quotes the key
    fakes.servers.anthropic.setHandler(echoKey(500));
    fakes.servers.deepseek.setHandler(echoKey(503));
    fakes.servers.gemini.setHandler(echoKey(500));
    const run = await runToEnd({ name: 'Grace' });
    expect(run.status).toBe('failed');
    const echoed = aiKeys.filter((p) => fakes.servers[p].requests.some((r) => r.key === secrets[p]));
    expect(echoed.length).toBeGreaterThanOrEqual(3);
    const usage = await t.db.db.selectFrom('usage_events').select(['outcome']).where('run_id', '=', run.id).execute();
    expect(usage.map((u) => u.outcome)).toContain('auth');
  });

  it('replaces a key and tests keys live, including refusals that quote the key', async () => {
    fakes.reset();
    const replacement = freshCanaries().openai;
    expect((await api('PATCH', `/api/credentials/${ids.openai}`, { secret: replacement })).status).toBe(200);
    const test = async (p: Provider) => (await api<{ status: string; message: string }>('POST', `/api/credentials/${ids[p]}/test`)).body;
    expect((await test('openai')).status).toBe('valid');
    expect(fakes.servers.openai.lastRequest.key).toBe(replacement);
    fakes.servers.deepseek.setHandler(() => ({ status: 401 }));
    expect((await test('deepseek')).status).toBe('invalid_key');
    fakes.servers.anthropic.setHandler(() => ({ status: 401 }));
    expect((await test('anthropic')).status).toBe('invalid_key');
    fakes.servers.gemini.setHandler(echoKey(500));
    expect((await test('gemini')).status).toBe('error');
    // Slack, Notion, Trello and Asana have live identity checks (their own tests): the fake Asana refuses the canary token.
    expect((await test('asana')).status).toBe('invalid_key');
    expect(asana.requests.at(-1)?.headers.authorization).toContain('Bearer 2/1204567890123/');
    // The fake Google knows no canary token either.
    expect((await test('google')).status).toBe('invalid_key');
    expect(google.requests.some((r) => JSON.stringify(r.query.toString() + String(r.headers.authorization ?? '')).includes('ya29.canary-'))).toBe(true);
    // Telegram: the fake knows no such bot; the token was in the request path, and in nothing Keyflow kept.
    const tg = (await api<{ id: string }>('POST', '/api/workflows', { name: 'canary bot', graph: { nodes: [{ id: 'start', type: 'core.manual', version: 1, config: {}, position: { x: 0, y: 0 } }, { id: 'say', type: 'telegram.send_message', version: 1, config: { chatId: '424242', text: 'hi', credentialId: ids.telegram }, position: { x: 240, y: 0 } }], edges: [{ id: 'e1', source: 'start', target: 'say' }] } })).body.id;
    const started = await api<{ runId: string }>('POST', `/api/workflows/${tg}/run`, { payload: {} });
    for (let i = 0; i < 500; i++) {
      const { body: run } = await api<{ status: string }>('GET', `/api/runs/${started.body.runId}`);
      if (run.status === 'failed' || run.status === 'succeeded') {
        expect(run.status).toBe('failed');
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(telegram.requests.at(-1)?.path).toBe(`/bot${secrets.telegram}/sendMessage`);
    expect((await test('telegram')).status).toBe('invalid_key');
    expect(telegram.requests.at(-1)?.path).toBe(`/bot${secrets.telegram}/getMe`);
  });

  it('leaves no trace of any canary in logs, responses, Redis, rows or a pg_dump', async () => {
    await new Promise((r) => setTimeout(r, 200)); // let the last published events reach the listener
    const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(t.db.db);
    expect(tables.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['credentials', 'runs', 'run_steps', 'usage_events', 'audit_log']));
    const rows: string[] = [];
    for (const { table_name } of tables.rows) {
      const r = await sql<{ row: unknown }>`select row_to_json(x) as row from ${sql.table(table_name)} x`.execute(t.db.db);
      rows.push(...r.rows.map((x) => `${table_name}: ${JSON.stringify(x.row)}`));
    }
    const dump = execFileSync('pg_dump', ['--no-owner', t.db.url!], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const redisDump = dumpRedis();

    // The capture itself must have worked, or "no hits" would prove nothing.
    expect(logLines.length).toBeGreaterThan(10);
    expect(bodies.length).toBeGreaterThan(30);
    expect(redisDump.some((k) => k.startsWith(`bull:${queueName}:`))).toBe(true);
    // Outcomes are always published; step events only while a run is watched (SSE), and they
    // carry the same redacted outputs as run_steps, which the rows and pg_dump scans cover.
    expect(published.join('')).toContain('run.finished');
    expect(rows.some((r) => r.startsWith('credentials:'))).toBe(true);
    expect(dump).toContain('COPY public.credentials');

    const haystacks: Record<string, string[]> = { logs: logLines, responses: bodies, redis: redisDump, published, rows, pg_dump: [dump] };
    const hits: string[] = [];
    for (const [where, texts] of Object.entries(haystacks)) {
      for (const text of texts) for (const needle of needles) if (text.includes(needle)) hits.push(`${where}: ${needle}`);
    }
    expect(hits).toEqual([]);
  });
});
