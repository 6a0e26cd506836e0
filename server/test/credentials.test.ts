// The credentials API: CRUD, masking everywhere, sealing per owner, format checks, and live key
// tests through scripted provider clients. Every response, log line and audit row is scanned
// for the canary secrets at the end.
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasIdentityCheck, ProviderError, providerIds, type ProviderClient, type ProviderCredential, type ProviderId } from '@keyflow/engine';
import { InvalidToken, Secret } from '@keyflow/engine/vault';
import { aiProviders, credentialProviders } from '../src/contract/credentials.schema.ts';
import { createTestApp, type TestApp } from './support.ts';

const logLines: string[] = [];
const seen: { provider: ProviderId; key: string; isSecret: boolean; baseUrl: string | undefined; apiVersion: string | undefined }[] = [];
let nextTest: () => Promise<void> = () => Promise.resolve();

function scripted(id: ProviderId): ProviderClient {
  return {
    id,
    complete: () => Promise.reject(new Error('complete() is not used by these tests')),
    testKey: (credential: ProviderCredential) => {
      seen.push({ provider: id, key: credential.apiKey.reveal(), isSecret: credential.apiKey instanceof Secret, baseUrl: credential.baseUrl, apiVersion: credential.apiVersion });
      return nextTest();
    },
  };
}

const uuids: string[] = [];
/** A fresh secret whose unique part (a uuid) must never appear outside the ciphertext. */
function canary(prefix: string, compact = false): string {
  const id = randomUUID();
  uuids.push(compact ? id.replaceAll('-', '') : id);
  return `${prefix}${compact ? id.replaceAll('-', '') : id}`;
}

let t: TestApp;
let alice: { id: string; token: string };
let bob: { id: string; token: string };
const bodies: string[] = [];

beforeAll(async () => {
  const log = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  t = await createTestApp('postgres', {}, { providers: Object.fromEntries(providerIds.map((id) => [id, scripted(id)])), log });
  alice = await t.signup();
  bob = await t.signup();
});
afterAll(() => t.close());

type Cred = { id: string; provider: string; label: string; hint: string; status: string; meta: Record<string, string>; lastUsedAt: string | null };
type ErrorBody = { error: { code: string; message: string; issues?: { path: (string | number)[]; message: string }[] } };

async function call<T>(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await t.request(method, path, { token, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  bodies.push(text);
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function create(token: string, body: Record<string, unknown>): Promise<Cred> {
  const res = await call<Cred>('POST', '/api/credentials', token, body);
  expect(res.status).toBe(201);
  return res.body;
}

const row = (id: string) => t.db.db.selectFrom('credentials').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('credentials CRUD', () => {
  it('creates, lists, reads, renames and deletes, answering only the mask', async () => {
    const secret = canary('sk-canary-');
    const created = await create(alice.token, { provider: 'openai', label: 'Main OpenAI', secret });
    expect(created).toMatchObject({ provider: 'openai', label: 'Main OpenAI', hint: `sk-…${secret.slice(-4)}`, status: 'unknown', meta: {}, lastUsedAt: null });
    expect(Object.keys(created).sort()).toEqual(['createdAt', 'hint', 'id', 'label', 'lastUsedAt', 'meta', 'provider', 'status', 'updatedAt']);

    const list = await call<{ items: Cred[] }>('GET', '/api/credentials', alice.token);
    expect(list.body.items.map((c) => c.id)).toContain(created.id);
    expect((await call<{ items: Cred[] }>('GET', '/api/credentials', bob.token)).body.items).toEqual([]);
    expect((await call<Cred>('GET', `/api/credentials/${created.id}`, alice.token)).body.hint).toBe(created.hint);

    const renamed = await call<Cred>('PATCH', `/api/credentials/${created.id}`, alice.token, { label: 'Renamed' });
    expect(renamed.body).toMatchObject({ label: 'Renamed', hint: created.hint });

    expect((await call('DELETE', `/api/credentials/${created.id}`, alice.token)).status).toBe(204);
    expect((await call('GET', `/api/credentials/${created.id}`, alice.token)).status).toBe(404);
    expect((await call('DELETE', `/api/credentials/${created.id}`, alice.token)).status).toBe(404);

    const audit = await t.db.db.selectFrom('audit_log').select(['action', 'meta']).where('target_id', '=', created.id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['credential.create', 'credential.update', 'credential.delete']);
    expect(audit[1]!.meta).toEqual({ fields: ['label'] });
  });

  it('seals the key per owner: the ciphertext differs from the key and does not open for another owner', async () => {
    const secret = canary('sk-canary-');
    const cred = await create(alice.token, { provider: 'openai', label: 'sealed', secret });
    const stored = await row(cred.id);
    expect(stored.ciphertext).not.toContain(secret.slice(10));
    expect(stored.hint).toBe(cred.hint);
    expect(t.keyring.decrypt(alice.id, stored.ciphertext)).toBe(secret);
    expect(() => t.keyring.decrypt(bob.id, stored.ciphertext)).toThrow(InvalidToken);

    // Bob's own row carrying Alice's ciphertext: the test reports a decryption error and calls no provider.
    const bobs = await create(bob.token, { provider: 'openai', label: 'bob', secret: canary('sk-canary-') });
    await t.db.db.updateTable('credentials').set({ ciphertext: stored.ciphertext }).where('id', '=', bobs.id).execute();
    const before = seen.length;
    const res = await call<{ status: string; message: string }>('POST', `/api/credentials/${bobs.id}/test`, bob.token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'error', message: expect.stringMatching(/could not be decrypted/) });
    expect(seen.length).toBe(before);
  });

  it('never overwrites the key with an echoed mask, and re-seals a real replacement', async () => {
    const secret = canary('sk-ant-canary-');
    const cred = await create(alice.token, { provider: 'anthropic', label: 'claude', secret });
    const original = (await row(cred.id)).ciphertext;
    for (const echo of [cred.hint, 'sk-ant-…zzzz', '…']) {
      const res = await call<Cred>('PATCH', `/api/credentials/${cred.id}`, alice.token, { secret: echo, label: 'still claude' });
      expect(res.status).toBe(200);
      expect((await row(cred.id)).ciphertext).toBe(original);
    }
    await t.db.db.updateTable('credentials').set({ status: 'valid' }).where('id', '=', cred.id).execute();
    const replacement = canary('sk-ant-canary-');
    const replaced = await call<Cred>('PATCH', `/api/credentials/${cred.id}`, alice.token, { secret: replacement });
    expect(replaced.body).toMatchObject({ hint: `sk-ant-…${replacement.slice(-4)}`, status: 'unknown' });
    const stored = await row(cred.id);
    expect(stored.ciphertext).not.toBe(original);
    expect(t.keyring.decrypt(alice.id, stored.ciphertext)).toBe(replacement);
  });
});

describe('format checks name the field', () => {
  const azure = { endpoint: 'https://acme.openai.azure.com', apiVersion: '2024-10-21' };
  it.each([
    ['openai given an Anthropic key', { provider: 'openai', secret: `sk-ant-${'x'.repeat(30)}` }, 'secret'],
    ['anthropic given an OpenAI key', { provider: 'anthropic', secret: `sk-${'x'.repeat(30)}` }, 'secret'],
    ['gemini without AIza', { provider: 'gemini', secret: `AIzb${'x'.repeat(35)}` }, 'secret'],
    ['slack app-level token', { provider: 'slack', secret: `xapp-${'1'.repeat(30)}` }, 'secret'],
    ['notion without ntn_/secret_', { provider: 'notion', secret: `ntx_${'a'.repeat(40)}` }, 'secret'],
    ['trello token without the API key', { provider: 'trello', secret: `ATTA${'a'.repeat(60)}` }, 'secret'],
    ['telegram token without the bot id', { provider: 'telegram', secret: `AAH${'a'.repeat(33)}` }, 'secret'],
    ['telegram token with a short secret part', { provider: 'telegram', secret: '7000000001:AAHshort' }, 'secret'],
    ['a key with a space inside', { provider: 'openai', secret: `sk-${'x'.repeat(10)} ${'y'.repeat(20)}` }, 'secret'],
    ['a masked value', { provider: 'openai', secret: 'sk-…abcd' }, 'secret'],
    ['azure without endpoint', { provider: 'azure_openai', secret: 'a'.repeat(32), apiVersion: '2024-10-21' }, 'endpoint'],
    ['azure over http', { provider: 'azure_openai', secret: 'a'.repeat(32), ...azure, endpoint: 'http://acme.openai.azure.com' }, 'endpoint'],
    ['azure at an IP address', { provider: 'azure_openai', secret: 'a'.repeat(32), ...azure, endpoint: 'https://169.254.169.254' }, 'endpoint'],
    ['azure at localhost', { provider: 'azure_openai', secret: 'a'.repeat(32), ...azure, endpoint: 'https://localhost:8443' }, 'endpoint'],
    ['azure at a host that is not Azure', { provider: 'azure_openai', secret: 'a'.repeat(32), ...azure, endpoint: 'https://internal.example.com' }, 'endpoint'],
    ['azure at a look-alike host', { provider: 'azure_openai', secret: 'a'.repeat(32), ...azure, endpoint: 'https://openai.azure.com.evil.test' }, 'endpoint'],
    ['azure without apiVersion', { provider: 'azure_openai', secret: 'a'.repeat(32), endpoint: azure.endpoint }, 'apiVersion'],
    ['azure with a malformed apiVersion', { provider: 'azure_openai', secret: 'a'.repeat(32), ...azure, apiVersion: 'yesterday' }, 'apiVersion'],
    ['an endpoint for openai', { provider: 'openai', secret: `sk-${'x'.repeat(30)}`, endpoint: 'https://evil.example.com' }, 'endpoint'],
    ['deployments for openai', { provider: 'openai', secret: `sk-${'x'.repeat(30)}`, deployments: { prod: 'gpt-4o' } }, 'deployments'],
    ['an empty deployment map', { provider: 'azure_openai', secret: 'a'.repeat(32), ...azure, deployments: {} }, 'deployments'],
  ])('refuses %s', async (_what, body, field) => {
    const before = await t.db.db.selectFrom('credentials').select('id').execute();
    const res = await call<ErrorBody>('POST', '/api/credentials', alice.token, { label: 'x', ...body });
    expect(res.status).toBe(422);
    expect(res.body.error.issues!.map((i) => i.path)).toContainEqual(['body', field]);
    expect(JSON.stringify(res.body)).not.toContain(body.secret);
    expect(await t.db.db.selectFrom('credentials').select('id').execute()).toHaveLength(before.length);
  });

  it.each([
    ['openai', `sk-proj-${'A1b2'.repeat(10)}`],
    ['deepseek', `sk-${'0f'.repeat(16)}`],
    ['gemini', `AIza${'Sy'.repeat(18)}`],
    ['slack', 'xoxb-1234567890-abcdefghij'],
    ['notion', `ntn_${'a1'.repeat(20)}`],
    ['trello', `${'0a'.repeat(16)}:ATTA${'b'.repeat(60)}`],
    ['asana', `2/1204/1205:${'c'.repeat(32)}`],
    ['telegram', `7000000001:AAH${'d_-'.repeat(11)}`],
    ['typeform', `tfp_${'e1'.repeat(16)}`],
    ['calcom', `cal_live_${'f2'.repeat(12)}`],
    ['webflow', 'a1'.repeat(32)],
    ['google', JSON.stringify({ type: 'service_account', client_email: 'bot@p.iam.gserviceaccount.com', private_key: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n' })],
  ])('accepts a well-formed %s credential', async (provider, secret) => {
    const cred = await create(alice.token, { provider, label: provider, secret });
    expect(cred.hint).not.toContain(secret);
  });

  it('checks a replacement key against the stored provider, and asks for the key again when the endpoint moves', async () => {
    const openai = await create(alice.token, { provider: 'openai', label: 'o', secret: canary('sk-canary-') });
    const wrong = await call<ErrorBody>('PATCH', `/api/credentials/${openai.id}`, alice.token, { secret: 'xoxb-1234567890-abcdefghij' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.issues!.map((i) => i.path)).toEqual([['body', 'secret']]);

    const az = await create(alice.token, { provider: 'azure_openai', label: 'az', secret: canary('', true), endpoint: 'https://acme.openai.azure.com/', apiVersion: '2024-10-21' });
    expect(az.meta).toEqual({ endpoint: 'https://acme.openai.azure.com', apiVersion: '2024-10-21' });
    const moved = await call<ErrorBody>('PATCH', `/api/credentials/${az.id}`, alice.token, { endpoint: 'https://attacker.openai.azure.com' });
    expect(moved.status).toBe(422);
    expect(moved.body.error.issues!.map((i) => i.path)).toEqual([['body', 'secret']]);
    expect((await row(az.id)).meta).toMatchObject({ endpoint: 'https://acme.openai.azure.com' });
    const rekeyed = await call<Cred>('PATCH', `/api/credentials/${az.id}`, alice.token, { endpoint: 'https://other.openai.azure.com', secret: canary('', true), apiVersion: '2025-01-01-preview' });
    expect(rekeyed.body.meta).toEqual({ endpoint: 'https://other.openai.azure.com', apiVersion: '2025-01-01-preview' });
  });
});

describe('Azure deployments', () => {
  const azure = { provider: 'azure_openai', label: 'az', endpoint: 'https://acme.openai.azure.com', apiVersion: '2024-10-21' };
  it('stores the deployment → model map, shows it in meta, updates and removes it', async () => {
    const az = await create(alice.token, { ...azure, secret: canary('', true), deployments: { 'prod-mini': 'gpt-4o-mini', 'prod.big': 'gpt-4.1' } });
    expect(az.meta).toEqual({ endpoint: 'https://acme.openai.azure.com', apiVersion: '2024-10-21', deployments: { 'prod-mini': 'gpt-4o-mini', 'prod.big': 'gpt-4.1' } });
    const changed = await call<Cred>('PATCH', `/api/credentials/${az.id}`, alice.token, { deployments: { only: 'gpt-4o' } });
    expect(changed.status).toBe(200);
    expect(changed.body.meta.deployments).toEqual({ only: 'gpt-4o' });
    expect((await row(az.id)).meta).toMatchObject({ deployments: { only: 'gpt-4o' } });
    const removed = await call<Cred>('PATCH', `/api/credentials/${az.id}`, alice.token, { deployments: null });
    expect(removed.body.meta.deployments).toBeUndefined();
  });

  it('refuses a model the price table does not know for Azure and a malformed deployment name, naming them', async () => {
    const before = (await t.db.db.selectFrom('credentials').select('id').execute()).length;
    const unknown = await call<ErrorBody>('POST', '/api/credentials', alice.token, { ...azure, secret: 'b'.repeat(32), deployments: { prod: 'gpt-9-ultra' } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.issues).toContainEqual(expect.objectContaining({ path: ['body', 'deployments', 'prod'], message: expect.stringContaining('"gpt-9-ultra" is not an Azure OpenAI model') }));
    const badName = await call<ErrorBody>('POST', '/api/credentials', alice.token, { ...azure, secret: 'b'.repeat(32), deployments: { 'has space': 'gpt-4o' } });
    expect(badName.status).toBe(422);
    expect(JSON.stringify(badName.body.error.issues)).toContain('deployments');
    expect(await t.db.db.selectFrom('credentials').select('id').execute()).toHaveLength(before);
    const az = await create(alice.token, { ...azure, secret: canary('', true) });
    const patch = await call<ErrorBody>('PATCH', `/api/credentials/${az.id}`, alice.token, { deployments: { prod: 'claude-3' } });
    expect(patch.status).toBe(422);
    expect((await row(az.id)).meta).not.toHaveProperty('deployments');
  });
});

describe('POST /api/credentials/:id/test', () => {
  const fail = (err: unknown) => () => Promise.reject(err);
  it.each([
    ['a working key', () => Promise.resolve(), 'valid', 'valid'],
    ['a rejected key', fail(new ProviderError('openai', 'auth', 'bad key', { status: 401 })), 'invalid_key', 'invalid'],
    ['a rate limit', fail(new ProviderError('openai', 'rate_limited', 'slow down', { status: 429 })), 'rate_limited', 'unknown'],
    ['a refused connection', fail(new ProviderError('openai', 'connection', 'ECONNREFUSED')), 'unreachable', 'unknown'],
    ['a timeout', fail(new ProviderError('openai', 'timeout', 'deadline')), 'unreachable', 'unknown'],
    ['a server error', fail(new ProviderError('openai', 'server', 'oops', { status: 503 })), 'error', 'unknown'],
    ['a non-provider error', fail(new Error('boom')), 'error', 'unknown'],
  ])('reports %s and records the outcome', async (_what, behaviour, outcome, status) => {
    const secret = canary('sk-canary-');
    const cred = await create(alice.token, { provider: 'openai', label: 'tested', secret });
    nextTest = behaviour;
    const res = await call<{ status: string; latencyMs: number; message: string }>('POST', `/api/credentials/${cred.id}/test`, alice.token);
    nextTest = () => Promise.resolve();
    expect(res.status).toBe(200);
    expect(res.body.status).toBe(outcome);
    expect(res.body.latencyMs).toBeGreaterThanOrEqual(0);
    expect(res.body.message.length).toBeGreaterThan(0);
    expect(seen.at(-1)).toMatchObject({ provider: 'openai', key: secret, isSecret: true, baseUrl: undefined });
    const after = (await call<Cred>('GET', `/api/credentials/${cred.id}`, alice.token)).body;
    expect(after.status).toBe(status);
    expect(after.meta.lastCheckStatus).toBe(outcome);
    expect(Number.isNaN(Date.parse(after.meta.lastCheckedAt!))).toBe(false);
    const audit = await t.db.db.selectFrom('audit_log').select('meta').where('target_id', '=', cred.id).where('action', '=', 'credential.test').execute();
    expect(audit.map((a) => a.meta)).toEqual([{ status: outcome }]);
  });

  it('never repeats a provider error text, which may quote the key', async () => {
    const secret = canary('sk-canary-');
    const cred = await create(alice.token, { provider: 'openai', label: 'quoted', secret });
    nextTest = fail(new ProviderError('openai', 'auth', `Incorrect API key provided: ${secret}`, { status: 401 }));
    const res = await call<{ message: string }>('POST', `/api/credentials/${cred.id}/test`, alice.token);
    nextTest = () => Promise.resolve();
    expect(res.body.message).toBe('openai rejected the key (HTTP 401)');
  });

  it('sends an Azure key with its own endpoint and api-version', async () => {
    const secret = canary('', true);
    const cred = await create(alice.token, { provider: 'azure_openai', label: 'az', secret, endpoint: 'https://acme.openai.azure.com', apiVersion: '2024-10-21' });
    expect((await call<{ status: string }>('POST', `/api/credentials/${cred.id}/test`, alice.token)).body.status).toBe('valid');
    expect(seen.at(-1)).toEqual({ provider: 'azure_openai', key: secret, isSecret: true, baseUrl: 'https://acme.openai.azure.com', apiVersion: '2024-10-21' });
  });

  it('has a live test for every provider: AI keys call their provider, integrations their identity call', () => {
    // Slack, Notion, Trello, Asana and Google all have identity checks (their connections tests), so no
    // provider is left "untested"; the branch stays for a future provider without one.
    expect(credentialProviders.filter((p) => !(aiProviders as readonly string[]).includes(p) && !hasIdentityCheck(p))).toEqual([]);
  });
});

describe('leak scan', () => {
  it('finds no canary in any response, log line, audit row or non-ciphertext column', async () => {
    expect(uuids.length).toBeGreaterThan(10);
    const audit = JSON.stringify(await t.db.db.selectFrom('audit_log').selectAll().execute());
    const columns = JSON.stringify(await t.db.db.selectFrom('credentials').select(['id', 'label', 'hint', 'status', 'meta', 'provider', 'key_id']).execute());
    const haystacks = { responses: bodies.join('\n'), logs: logLines.join(''), audit, columns };
    expect(logLines.length).toBeGreaterThan(0);
    for (const [where, text] of Object.entries(haystacks)) {
      for (const id of uuids) expect(text.includes(id), `${where} contains a canary`).toBe(false);
    }
  });
});
