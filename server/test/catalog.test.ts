// The editor's catalogs: GET /api/nodes (config and output schemas, credential providers) and
// GET /api/catalog/models (the pinned price table with tiers, and the caller's default tier).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support.ts';

let t: TestApp;
let alice: { id: string; token: string };
let bob: { id: string; token: string };

type Model = { ref: string; provider: string; model: string; tier: string; prices: { input: number; output: number; cacheRead: number | null }; maxOutput: number; supports: { json: boolean } };
type Catalog = { priceDate: string; tiers: string[]; providers: string[]; defaultTier: string; models: Model[] };

// The pinned table as committed, read independently of the engine's loader.
const pinned = JSON.parse(readFileSync(new URL('../../engine/src/ai/catalog/prices.json', import.meta.url), 'utf8')) as { provider: string; model: string; input: number; output: number; cacheRead: number | null; maxOutput: number }[];

beforeAll(async () => {
  t = await createTestApp();
  alice = await t.signup();
  bob = await t.signup();
});
afterAll(async () => t.close());

async function catalog(token: string): Promise<Catalog> {
  const res = await t.request('GET', '/api/catalog/models', { token });
  expect(res.status).toBe(200);
  return (await res.json()) as Catalog;
}

describe('GET /api/catalog/models', () => {
  it('needs a signed-in caller', async () => {
    const res = await t.request('GET', '/api/catalog/models');
    expect(res.status).toBe(401);
  });

  it('serves every priced model with its prices per million tokens and a tier', async () => {
    const c = await catalog(alice.token);
    expect(c.models).toHaveLength(pinned.length);
    expect(c.tiers).toEqual(['economy', 'balanced', 'premium']);
    expect(c.providers).toContain('anthropic');
    expect(c.priceDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const e of pinned.slice(0, 20)) {
      const m = c.models.find((x) => x.ref === `${e.provider}/${e.model}`);
      expect(m, `${e.provider}/${e.model}`).toBeDefined();
      expect(m!.prices.input).toBe(e.input);
      expect(m!.prices.output).toBe(e.output);
      expect(m!.prices.cacheRead).toBe(e.cacheRead);
      expect(m!.maxOutput).toBe(e.maxOutput);
    }
    // Blended (3 × $1 + $5) / 4 = $2 per million: the balanced class.
    expect(c.models.find((m) => m.ref === 'anthropic/claude-haiku-4-5')?.tier).toBe('balanced');
    expect(c.models.find((m) => m.ref === 'anthropic/claude-4-opus-20250514')?.tier).toBe('premium');
  });

  it("answers each owner's own default tier", async () => {
    const put = await t.request('PUT', '/api/settings', { token: alice.token, body: { defaultTier: 'premium' } });
    expect(put.status).toBe(200);
    expect((await catalog(alice.token)).defaultTier).toBe('premium');
    expect((await catalog(bob.token)).defaultTier).toBe('balanced');
  });
});

describe('GET /api/nodes for the inspector', () => {
  it('serves config schemas, output schemas and credential requirements', async () => {
    const res = await t.request('GET', '/api/nodes', { token: alice.token });
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: { type: string; configSchema: { properties: Record<string, unknown> }; outputSchema: { properties: Record<string, unknown> } | null; credential: unknown }[] };
    const webhook = items.find((n) => n.type === 'core.webhook')!;
    expect(Object.keys(webhook.outputSchema!.properties)).toEqual(expect.arrayContaining(['body', 'headers', 'query']));
    const ai = items.find((n) => n.type === 'ai.complete')!;
    expect(Object.keys(ai.configSchema.properties)).toEqual(expect.arrayContaining(['prompt', 'tier', 'model', 'maxTokens']));
    expect(items.every((n) => 'credential' in n)).toBe(true);
  });
});
