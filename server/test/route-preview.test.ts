// GET /api/catalog/route-preview (issue 12): the model an AI node would run on for the caller's
// keys and routing policy, its estimated cost and why; owner-scoped, validated per field.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support.ts';

type Preview = {
  chosen: { provider: string; model: string; expectedCostMicros: number; expectedCostUsd: string; scores: { benchmark: string; value: number; reference: number; floor: number }[] } | null;
  fallbacks: { provider: string; model: string }[];
  task: string;
  tier: string;
  margin: string;
  reference: { ref: string; origin: string; expectedCostMicros: number | null };
  rejected: { model: string; reason: string }[];
  why: string;
  assumed: { promptTokens: number; maxTokens: number };
};
type ErrorBody = { error: { code: string; message: string; issues?: { path: (string | number)[]; message: string }[] } };

let t: TestApp;
let alice: { id: string; token: string };
let bob: { id: string; token: string };

async function call<T>(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await t.request(method, path, { token, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

beforeAll(async () => {
  t = await createTestApp('pglite');
  alice = await t.signup();
  bob = await t.signup();
  for (const [provider, secret] of [['openai', `sk-${randomUUID()}`], ['deepseek', `sk-${randomUUID()}`], ['anthropic', `sk-ant-${randomUUID()}`]] as const) {
    expect((await call('POST', '/api/credentials', alice.token, { provider, label: provider, secret })).status).toBe(201);
  }
  expect((await call('POST', '/api/credentials', bob.token, { provider: 'gemini', label: 'g', secret: `AIza${randomUUID().replaceAll('-', '')}` })).status).toBe(201);
});

afterAll(async () => {
  await t?.close();
});

describe('GET /api/catalog/route-preview', () => {
  it('with only an Azure key, offers only the models its deployments serve', async () => {
    const carol = await t.signup();
    const azure = { provider: 'azure_openai', label: 'az', secret: 'a1'.repeat(16), endpoint: 'https://acme.openai.azure.com', apiVersion: '2024-10-21' };
    expect((await call('POST', '/api/credentials', carol.token, { ...azure, deployments: { 'prod-large': 'gpt-4.1' } })).status).toBe(201);
    const { body } = await call<Preview>('GET', '/api/catalog/route-preview?tier=economy&maxTokens=100', carol.token);
    expect(body.chosen).toMatchObject({ provider: 'azure_openai', model: 'gpt-4.1' });
    expect(body.fallbacks).toEqual([]);
  });

  it('names the chosen model, its estimated cost, the reference and why, for the caller’s keys', async () => {
    const { status, body } = await call<Preview>('GET', '/api/catalog/route-preview?task=summarization&referenceModel=openai/gpt-4o-mini&promptTokens=800&maxTokens=500', alice.token);
    expect(status).toBe(200);
    expect(['openai', 'deepseek', 'anthropic']).toContain(body.chosen!.provider);
    expect(body.chosen!.model).not.toBe('deepseek-coder');
    expect(body.chosen!.expectedCostMicros).toBeGreaterThan(0);
    expect(body.chosen!.expectedCostMicros).toBeLessThanOrEqual(body.reference.expectedCostMicros!);
    expect(body.reference).toMatchObject({ ref: 'openai/gpt-4o-mini', origin: 'reference model' });
    expect(body.rejected).toContainEqual(expect.objectContaining({ model: 'deepseek-coder', reason: 'a coding model, never used for summarization' }));
    expect(body.why).toContain(`${body.chosen!.provider}/${body.chosen!.model}`);
    expect(body.why).toContain('at least as good as openai/gpt-4o-mini');
    expect(body.assumed).toEqual({ promptTokens: 800, maxTokens: 500 });
  });

  it('follows the owner’s tier and policy, and another owner’s keys never count', async () => {
    const economy = await call<Preview>('GET', '/api/catalog/route-preview?tier=economy', alice.token);
    expect(economy.body.reference).toMatchObject({ ref: 'openai/gpt-4o-mini', origin: 'tier reference' });
    expect((await call('PUT', '/api/settings', alice.token, { routing: { exclude: ['openai'] } })).status).toBe(200);
    const excluded = await call<Preview>('GET', '/api/catalog/route-preview?tier=economy', alice.token);
    expect(excluded.body.chosen!.provider).not.toBe('openai');
    await call('PUT', '/api/settings', alice.token, { routing: { exclude: [] } });
    // Bob holds only a Gemini key: his preview is Gemini, whatever Alice holds.
    const bobs = await call<Preview>('GET', '/api/catalog/route-preview?tier=economy', bob.token);
    expect(bobs.status).toBe(200);
    expect(bobs.body.chosen!.provider).toBe('gemini');
    expect(bobs.body.fallbacks.every((f) => f.provider === 'gemini')).toBe(true);
  });

  it('infers extraction from json=true', async () => {
    expect((await call<Preview>('GET', '/api/catalog/route-preview?json=true', alice.token)).body.task).toBe('extraction');
  });

  it.each([
    ['an unknown task', 'task=poetry', ['query', 'task']],
    ['a malformed reference model', 'referenceModel=gpt-4o', ['query', 'referenceModel']],
    ['a negative prompt size', 'promptTokens=-1', ['query', 'promptTokens']],
    ['an unknown parameter', 'ownerId=x', ['query']],
  ])('refuses %s, naming the field', async (_what, query, path) => {
    const res = await call<ErrorBody>('GET', `/api/catalog/route-preview?${query}`, alice.token);
    expect(res.status).toBe(422);
    expect(res.body.error.issues!.map((i) => i.path)).toContainEqual(path);
  });

  it('answers 422 naming a reference model the price table lacks', async () => {
    const res = await call<ErrorBody>('GET', '/api/catalog/route-preview?referenceModel=openai/gpt-9', alice.token);
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('reference model openai/gpt-9 is not in the price table');
  });

  it('answers chosen: null with the reason when nothing can serve the node', async () => {
    const carol = await t.signup();
    const res = await call<Preview>('GET', '/api/catalog/route-preview', carol.token);
    expect(res.status).toBe(200);
    expect(res.body.chosen).toBeNull();
    expect(res.body.why).toContain('the owner has no usable AI key');
  });

  it('needs a signed-in caller', async () => {
    expect((await t.request('GET', '/api/catalog/route-preview')).status).toBe(401);
  });
});
