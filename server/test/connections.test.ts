// Connections: health from identity calls (Slack auth.test), from the periodic check and from
// failing runs; the options endpoint with its owner check; the exactly-one credential rule; and
// the Slack token kept out of logs, responses and run records even when Slack echoes it.
import pino from 'pino';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runDueChecks } from '@keyflow/engine';
import { startFakeSlack, type FakeSlack } from '@keyflow/nodes/testing/fake-slack';
import { createTestApp, type TestApp } from './support.ts';

const TOKEN = 'xoxb-canary-connections-7f3a9c1e5b';
const OTHER = 'xoxb-second-workspace-0a1b2c3d4e';
const logLines: string[] = [];
let slack: FakeSlack;
let t: TestApp;
let alice: { id: string; token: string };
let bob: { id: string; token: string };
const bodies: string[] = [];

beforeAll(async () => {
  slack = await startFakeSlack();
  t = await createTestApp('postgres', { KEYFLOW_SLACK_BASE_URL: slack.apiUrl }, { log: pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) }) });
  alice = await t.signup();
  bob = await t.signup();
});
afterAll(async () => {
  await t.close();
  await slack.close();
});
beforeEach(async () => {
  slack.tokens = new Map([
    [TOKEN, ['chat:write', 'channels:read', 'users:read']],
    [OTHER, ['chat:write', 'channels:read']],
  ]);
  slack.revoked.clear();
  slack.channels = Array.from({ length: 230 }, (_, i) => ({ id: `C${String(i).padStart(4, '0')}`, name: `room-${i}` }));
  slack.users = [{ id: 'U0001', name: 'ada', real_name: 'Ada Lovelace', email: 'ada@example.com' }];
  await t.db.db.deleteFrom('credentials').execute();
});

async function api<T>(method: string, path: string, who = alice, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await t.request(method, path, { token: who.token, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  bodies.push(text);
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}
async function addSlack(secret = TOKEN, who = alice): Promise<string> {
  const r = await api<{ id: string }>('POST', '/api/credentials', who, { provider: 'slack', label: 'Acme Slack', secret });
  expect(r.status).toBe(201);
  return r.body.id;
}
type Conn = { id: string; service: string; status: string; lastCheckedAt: string | null; latencyMs: number | null; lastError: string | null };
const connections = async (who = alice) => (await api<{ items: Conn[] }>('GET', '/api/connections', who)).body.items;

async function runPost(config: Record<string, unknown>) {
  const graph = {
    nodes: [
      { id: 'start', type: 'core.manual', version: 1, config: {}, position: { x: 0, y: 0 } },
      { id: 'post', type: 'slack.post_message', version: 1, config: { channel: 'C0001', text: 'Hi {{ $trigger.name }}', ...config }, position: { x: 0, y: 0 } },
    ],
    edges: [{ id: 'e', source: 'start', target: 'post' }],
  };
  const wf = await api<{ id: string }>('POST', '/api/workflows', alice, { name: 'post', graph });
  const started = await api<{ runId: string }>('POST', `/api/workflows/${wf.body.id}/run`, alice, { payload: { name: 'Ada' } });
  for (let i = 0; i < 300; i++) {
    const run = await api<{ status: string; steps: { nodeId: string; status: string; output: unknown; error?: { message: string; retryable: boolean } }[] }>('GET', `/api/runs/${started.body.runId}`);
    if (['succeeded', 'failed'].includes(run.body.status)) return run.body;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('run did not finish');
}

describe('health', () => {
  it('POST /api/credentials/:id/test runs auth.test and records the outcome', async () => {
    const id = await addSlack();
    const ok = await api<{ status: string; message: string; latencyMs: number }>('POST', `/api/credentials/${id}/test`);
    expect(ok.body).toMatchObject({ status: 'valid', message: 'connected as Acme / keyflow-bot' });
    expect(ok.body.latencyMs).toBeGreaterThanOrEqual(0);
    expect(slack.calls('auth.test').at(-1)!.token).toBe(TOKEN);
    expect((await connections())[0]).toMatchObject({ id, service: 'slack', status: 'healthy', lastError: null });
    slack.revoked.add(TOKEN);
    const bad = await api<{ status: string; message: string }>('POST', `/api/credentials/${id}/test`);
    expect(bad.body.status).toBe('invalid_key');
    expect(bad.body.message).toMatch(new RegExp(`rejected credential ${id} \\(token_revoked\\).*reconnect Slack`));
    const [conn] = await connections();
    expect(conn).toMatchObject({ status: 'invalid', lastError: expect.stringContaining('token_revoked') });
    expect(conn!.lastCheckedAt).not.toBeNull();
  });

  it('rate limiting shows as rate_limited', async () => {
    const id = await addSlack();
    slack.failNext('auth.test', { status: 429, retryAfter: '30' });
    expect((await api<{ status: string }>('POST', `/api/credentials/${id}/test`)).body.status).toBe('rate_limited');
    expect((await connections())[0]!.status).toBe('rate_limited');
  });

  it('the periodic check shows a revoked token as broken before the next run, one check per credential', async () => {
    const id = await addSlack();
    const deps = { ...t.engine ? {} : {}, db: t.db.db, keyring: t.keyring, lender: {}, settings: { baseUrl: (s: string) => (s === 'slack' ? slack.apiUrl : undefined) } };
    const log = pino({ level: 'silent' });
    slack.revoked.add(TOKEN);
    const before = slack.calls('auth.test').length;
    const [a, b] = await Promise.all([runDueChecks(deps, { intervalMinutes: 60, log }), runDueChecks(deps, { intervalMinutes: 60, log })]);
    expect(a + b).toBe(1);
    expect(slack.calls('auth.test').length).toBe(before + 1);
    expect((await connections()).find((c) => c.id === id)).toMatchObject({ status: 'invalid' });
    // Not due again for about an hour (spread between 54 and 66 minutes).
    const row = await t.db.db.selectFrom('credentials').select(['health_next_at']).where('id', '=', id).executeTakeFirstOrThrow();
    const inMin = (row.health_next_at!.getTime() - Date.now()) / 60_000;
    expect(inMin).toBeGreaterThan(53);
    expect(inMin).toBeLessThan(67);
    expect(await runDueChecks(deps, { intervalMinutes: 60, log })).toBe(0);
    // The next run fails at once, before calling Slack, saying what to do.
    const posts = slack.calls('chat.postMessage').length;
    const run = await runPost({});
    expect(run.status).toBe('failed');
    expect(run.steps.find((s) => s.status === 'failed')!.error!.message).toMatch(/is marked invalid: reconnect it or paste a new key/);
    expect(slack.calls('chat.postMessage').length).toBe(posts);
  });

  it('a run refused by Slack marks the credential invalid, without retrying', async () => {
    const id = await addSlack();
    slack.revoked.add(TOKEN);
    const run = await runPost({});
    expect(run.status).toBe('failed');
    const failed = run.steps.filter((s) => s.nodeId === 'post');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.error).toMatchObject({ retryable: false, message: expect.stringContaining(`rejected credential ${id}`) });
    expect((await connections())[0]).toMatchObject({ status: 'invalid', lastError: expect.stringContaining('token_revoked') });
  });
});

describe('retries through the engine', () => {
  it('a 429 is retried after Slack’s Retry-After and then succeeds; the connection shows it was rate limited', async () => {
    await addSlack();
    slack.failNext('chat.postMessage', { status: 429, retryAfter: '1' });
    const started = Date.now();
    const run = await runPost({});
    expect(run.status).toBe('succeeded');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const attempts = run.steps.filter((s) => s.nodeId === 'post');
    expect(attempts.map((s) => s.status)).toEqual(['failed', 'succeeded']);
    expect(attempts[0]!.error).toMatchObject({ name: 'RetryAfterNodeError', retryAfterMs: 1000, retryable: true });
    expect(attempts[1]!.output).toMatchObject({ channel: 'C0001', ts: expect.any(String) });
    // The failed attempt showed it rate limited; the call that went through ended that.
    expect((await connections())[0]).toMatchObject({ status: 'healthy', lastError: null });
  });

  it('a rate-limited credential stays shown so until a call goes through', async () => {
    const id = await addSlack();
    slack.failNext('chat.postMessage', { status: 429, retryAfter: '1' }, { status: 429, retryAfter: '1' }, { status: 429, retryAfter: '1' });
    const run = await runPost({});
    expect(run.status).toBe('failed');
    expect((await connections()).find((c) => c.id === id)).toMatchObject({ status: 'rate_limited', lastError: expect.stringContaining('rate limiting') });
  });
});

describe('credential choice', () => {
  it('uses the only Slack credential without credentialId; several need one; none says so', async () => {
    const none = await runPost({});
    expect(none.steps.find((s) => s.status === 'failed')!.error!.message).toMatch(/no slack credential/);
    await addSlack(TOKEN);
    expect((await runPost({})).status).toBe('succeeded');
    const second = await addSlack(OTHER);
    const several = await runPost({});
    expect(several.steps.find((s) => s.status === 'failed')!.error!.message).toMatch(/several slack credentials: choose one in the node's credentialId/);
    expect((await runPost({ credentialId: second })).status).toBe('succeeded');
    expect(slack.calls('chat.postMessage').at(-1)!.token).toBe(OTHER);
    // Another owner's credential id is not one of yours.
    const bobs = await addSlack(TOKEN, bob);
    const stolen = await runPost({ credentialId: bobs });
    expect(stolen.steps.find((s) => s.status === 'failed')!.error!.message).toMatch(/is not one of your slack credentials/);
  });
});

describe('options', () => {
  it('serves channels page by page with Slack cursors, and users', async () => {
    const id = await addSlack();
    const first = await api<{ items: { value: string; label: string }[]; nextCursor?: string }>('GET', `/api/nodes/slack.post_message/options/channels?credentialId=${id}`);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(200);
    expect(first.body.items[0]).toEqual({ value: 'C0000', label: '#room-0', meta: { isPrivate: false, isMember: false } });
    const second = await api<{ items: unknown[]; nextCursor?: string }>('GET', `/api/nodes/slack.post_message/options/channels?credentialId=${id}&cursor=${encodeURIComponent(first.body.nextCursor!)}`);
    expect(second.body.items).toHaveLength(30);
    expect(second.body.nextCursor).toBeUndefined();
    // Without credentialId: the only one.
    const users = await api<{ items: unknown[] }>('GET', '/api/nodes/slack.find_user/options/users');
    expect(users.body.items).toEqual([{ value: 'U0001', label: 'Ada Lovelace', meta: { isBot: false } }]);
  });

  it("refuses another owner's credential, another service's, unknown lists and bad input", async () => {
    const id = await addSlack();
    const bobs = await api<{ error: { code: string } }>('GET', `/api/nodes/slack.post_message/options/channels?credentialId=${id}`, bob);
    expect(bobs.status).toBe(404);
    const callsBefore = slack.requests.length;
    const openai = (await api<{ id: string }>('POST', '/api/credentials', alice, { provider: 'openai', label: 'ai', secret: `sk-options-${'a'.repeat(24)}` })).body.id;
    expect((await api('GET', `/api/nodes/slack.post_message/options/channels?credentialId=${openai}`)).status).toBe(404);
    expect((await api('GET', `/api/nodes/slack.post_message/options/nosuch?credentialId=${id}`)).status).toBe(404);
    expect((await api('GET', `/api/nodes/core.transform/options/channels?credentialId=${id}`)).status).toBe(404);
    expect((await api('GET', `/api/nodes/slack.post_message/options/channels?credentialId=not-a-uuid`)).status).toBe(422);
    expect(slack.requests.length).toBe(callsBefore);
    await addSlack(OTHER);
    const several = await api<{ error: { message: string } }>('GET', '/api/nodes/slack.post_message/options/channels');
    expect(several.status).toBe(400);
    expect(several.body.error.message).toContain('several slack credentials');
  });

  it('a refused token answers 409 and marks the credential invalid', async () => {
    const id = await addSlack();
    slack.revoked.add(TOKEN);
    const r = await api<{ error: { code: string; message: string } }>('GET', `/api/nodes/slack.post_message/options/channels?credentialId=${id}`);
    expect(r.status).toBe(409);
    expect(r.body.error.message).toContain('reconnect Slack');
    expect((await connections())[0]!.status).toBe('invalid');
  });
});

describe('secrets', () => {
  it('never puts the Slack token in responses, logs, step rows or health, even when Slack echoes it', async () => {
    await addSlack();
    slack.failNext('chat.postMessage', { error: `invalid_arguments token=${TOKEN}` });
    const run = await runPost({});
    expect(run.status).toBe('failed');
    expect(run.steps.find((s) => s.status === 'failed')!.error!.message).toContain('[redacted]');
    const id = (await connections())[0]!.id;
    slack.failNext('auth.test', { error: `weird ${TOKEN}` });
    await api('POST', `/api/credentials/${id}/test`);
    await api('GET', '/api/connections');
    const rows = await sql<{ row: unknown }>`select row_to_json(s) as row from run_steps s`.execute(t.db.db);
    const health = await t.db.db.selectFrom('credentials').select(['health_error', 'hint', 'label', 'meta']).execute();
    const haystacks = { responses: bodies.join('\n'), logs: logLines.join(''), steps: JSON.stringify(rows.rows), health: JSON.stringify(health) };
    expect(logLines.length).toBeGreaterThan(0);
    for (const [where, text] of Object.entries(haystacks)) {
      expect(text.includes(TOKEN), `${where} contains the token`).toBe(false);
      expect(text.includes('canary-connections-7f3a'), `${where} contains part of the token`).toBe(false);
    }
    // Slack did receive it: the check above would pass vacuously otherwise.
    expect(slack.calls('chat.postMessage').some((r) => r.token === TOKEN)).toBe(true);
  });
});
