// Owner settings (round trip, exact micro-dollar budgets, refusals) and spend reports over
// usage_events seeded directly, with exact sums and nothing from another owner.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, sampleGraph, type TestApp } from './support.ts';

let t: TestApp;
let alice: { id: string; token: string };
let bob: { id: string; token: string };
let leadScorer: string;
let bobsFlow: string;

type ErrorBody = { error: { code: string; issues?: { path: (string | number)[]; message: string }[] } };
type Settings = { providerOrder: string[]; defaultTier: string; monthlyBudgetUsd: number | null; monthlyBudgetMicros: number | null; baselineModel: string | null; updatedAt: string | null };
type Sums = { calls: number; tokens: Record<string, number>; costMicros: number; costUsd: string; baselineCostMicros: number | null; savedMicros: number | null; savedUsd: string | null; quality?: { calls: number; costMicros: number; referenceCostMicros: number; savedMicros: number; savedUsd: string } };
type Report = { buckets: (Sums & { key: string; label: string })[]; totals: Sums; savingsBasis: string | null; qualitySavingsBasis: string; qualityReferences: { ref: string; calls: number; costMicros: number; referenceCostMicros: number; savedMicros: number; savedUsd: string; benchmarks: string[] }[]; budget: Record<string, unknown>; from: string; to: string };

async function call<T>(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: T; text: string }> {
  const res = await t.request(method, path, { token, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as T, text };
}

async function seed(ownerId: string, at: string | Date, e: { provider: string; model: string; workflowId?: string | null; tokens?: [number, number, number, number, number]; cost: number; baseline: number; reference?: [string, number] }) {
  const [tin, tout, cacheRead, cacheWrite, reasoning] = e.tokens ?? [0, 0, 0, 0, 0];
  await t.db.db
    .insertInto('usage_events')
    .values({
      id: randomUUID(),
      owner_id: ownerId,
      run_id: null,
      step_id: null,
      credential_id: null,
      workflow_id: e.workflowId ?? null,
      provider: e.provider,
      model: e.model,
      tokens_in: tin,
      tokens_out: tout,
      tokens_cache_read: cacheRead,
      tokens_cache_write: cacheWrite,
      tokens_reasoning: reasoning,
      cost_micros: e.cost,
      baseline_cost_micros: e.baseline,
      reference_model: e.reference?.[0] ?? null,
      reference_cost_micros: e.reference?.[1] ?? null,
      latency_ms: 120,
      outcome: 'ok',
      created_at: at,
    })
    .execute();
}

beforeAll(async () => {
  t = await createTestApp('postgres');
  alice = await t.signup();
  bob = await t.signup();
  const wf = async (token: string, name: string) => ((await call<{ id: string }>('POST', '/api/workflows', token, { name, graph: sampleGraph() })).body).id;
  leadScorer = await wf(alice.token, 'Lead scorer');
  bobsFlow = await wf(bob.token, 'Bob private flow');

  await seed(alice.id, '2025-03-01T10:00:00Z', { provider: 'openai', model: 'gpt-4o-mini', workflowId: leadScorer, tokens: [1000, 200, 50, 0, 0], cost: 1_234_567, baseline: 5_000_000 });
  await seed(alice.id, '2025-03-01T23:59:59.999Z', { provider: 'anthropic', model: 'claude-3-5-haiku', workflowId: leadScorer, tokens: [10, 20, 0, 30, 0], cost: 333_333, baseline: 1_000_000 });
  await seed(alice.id, '2025-03-02T00:00:00Z', { provider: 'openai', model: 'gpt-4o-mini', tokens: [1, 2, 0, 0, 7], cost: 1, baseline: 2 });
  // Points at Bob's workflow: the report must not reveal its name.
  await seed(alice.id, '2025-03-15T12:00:00Z', { provider: 'openai', model: 'o3-mini', workflowId: bobsFlow, tokens: [5, 5, 0, 0, 100], cost: 2_000_000, baseline: 1_500_000 });
  await seed(alice.id, '2025-02-28T23:59:59.999Z', { provider: 'openai', model: 'gpt-4o-mini', cost: 888, baseline: 0 });
  await seed(alice.id, '2025-04-01T00:00:00Z', { provider: 'openai', model: 'gpt-4o-mini', cost: 777, baseline: 0 });
  await seed(bob.id, '2025-03-01T10:00:00Z', { provider: 'openai', model: 'gpt-4o-mini', workflowId: bobsFlow, tokens: [9, 9, 9, 9, 9], cost: 50_000_000, baseline: 60_000_000 });
});
afterAll(() => t.close());

describe('settings', () => {
  it('answers defaults until saved, then round-trips, keeps omitted fields and clears with null', async () => {
    expect((await call<Settings>('GET', '/api/settings', alice.token)).body).toEqual({ providerOrder: [], defaultTier: 'balanced', monthlyBudgetUsd: null, monthlyBudgetMicros: null, baselineModel: null, routing: { margin: 'equal', marginLabel: 'at least as good as', prefer: [], exclude: [], dataResidency: null }, updatedAt: null });
    const full = { providerOrder: ['anthropic', 'openai'], defaultTier: 'economy', monthlyBudgetUsd: 25.5, baselineModel: 'anthropic/claude-3-5-sonnet-latest' };
    const saved = await call<Settings>('PUT', '/api/settings', alice.token, full);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ ...full, monthlyBudgetMicros: 25_500_000 });
    expect((await call<Settings>('GET', '/api/settings', alice.token)).body).toEqual(saved.body);

    const partial = await call<Settings>('PUT', '/api/settings', alice.token, { defaultTier: 'premium' });
    expect(partial.body).toMatchObject({ ...full, defaultTier: 'premium', monthlyBudgetMicros: 25_500_000 });
    const cleared = await call<Settings>('PUT', '/api/settings', alice.token, { monthlyBudgetUsd: null, baselineModel: null });
    expect(cleared.body).toMatchObject({ providerOrder: ['anthropic', 'openai'], monthlyBudgetUsd: null, monthlyBudgetMicros: null, baselineModel: null });
    // Bob still sees the defaults.
    expect((await call<Settings>('GET', '/api/settings', bob.token)).body.updatedAt).toBeNull();
  });

  it('saves the routing policy field by field and answers it with the margin in words', async () => {
    const policy = { margin: 'within_2pct', prefer: ['anthropic'], exclude: ['deepseek', 'openai/gpt-4o'], dataResidency: { providers: ['azure_openai'], azureEndpoints: ['https://kf-eu.openai.azure.com/'] } };
    const saved = await call<Settings & { routing: Record<string, unknown> }>('PUT', '/api/settings', alice.token, { routing: policy });
    expect(saved.status).toBe(200);
    expect(saved.body.routing).toEqual({ ...policy, marginLabel: 'within 2% of', dataResidency: { providers: ['azure_openai'], azureEndpoints: ['https://kf-eu.openai.azure.com'] } });
    const partial = await call<Settings & { routing: Record<string, unknown> }>('PUT', '/api/settings', alice.token, { routing: { margin: 'any', dataResidency: null } });
    expect(partial.body.routing).toMatchObject({ margin: 'any', prefer: ['anthropic'], exclude: ['deepseek', 'openai/gpt-4o'], dataResidency: null });
    expect((await call<Settings & { routing: { margin: string } }>('GET', '/api/settings', bob.token)).body.routing.margin).toBe('equal');
    await call('PUT', '/api/settings', alice.token, { routing: { margin: 'equal', prefer: [], exclude: [] } });
  });

  it.each([
    [12.34, 12_340_000],
    [0.1 + 0.2, 300_000],
    [0.3, 300_000],
    [19.99, 19_990_000],
    [0.0001245, 125], // Math.round(x * 1e6) gives 124
    [0.000001, 1],
    [5e-7, 1],
    [1e-7, 0],
    [0, 0],
    [999_999.999999, 999_999_999_999],
    [1e6, 1_000_000_000_000],
  ])('stores a budget of %s dollars as exactly %i micro-dollars', async (usd, micros) => {
    const res = await call<Settings>('PUT', '/api/settings', alice.token, { monthlyBudgetUsd: usd });
    expect(res.body.monthlyBudgetMicros).toBe(micros);
    const stored = await t.db.db.selectFrom('owner_settings').select('monthly_budget_micros').where('owner_id', '=', alice.id).executeTakeFirstOrThrow();
    expect(stored.monthly_budget_micros).toBe(micros);
  });

  it.each([
    ['a negative budget', { monthlyBudgetUsd: -0.01 }, ['body', 'monthlyBudgetUsd']],
    ['a budget over 1e6', { monthlyBudgetUsd: 1_000_000.01 }, ['body', 'monthlyBudgetUsd']],
    ['a budget as text', { monthlyBudgetUsd: '12' }, ['body', 'monthlyBudgetUsd']],
    ['a provider listed twice', { providerOrder: ['openai', 'anthropic', 'openai'] }, ['body', 'providerOrder', 2]],
    ['a provider that is not an AI provider', { providerOrder: ['slack'] }, ['body', 'providerOrder', 0]],
    ['an unknown tier', { defaultTier: 'cheap' }, ['body', 'defaultTier']],
    ['a baseline without provider', { baselineModel: 'gpt-4o' }, ['body', 'baselineModel']],
    ['a baseline on an unknown provider', { baselineModel: 'slack/gpt-4o' }, ['body', 'baselineModel']],
    ['an unknown quality margin', { routing: { margin: 'loose' } }, ['body', 'routing', 'margin']],
    ['a preferred entry that is neither provider nor model', { routing: { prefer: ['gpt-4o'] } }, ['body', 'routing', 'prefer', 0]],
    ['an excluded model twice', { routing: { exclude: ['openai/gpt-4o', 'openai/gpt-4o'] } }, ['body', 'routing', 'exclude', 1]],
    ['an excluded model not in the price table', { routing: { exclude: ['openai/gpt-9'] } }, ['body', 'routing', 'exclude', 0]],
    ['a provider both preferred and excluded', { routing: { prefer: ['openai'], exclude: ['openai'] } }, ['body', 'routing', 'prefer', 0]],
    ['residency with Azure but no endpoints', { routing: { dataResidency: { providers: ['azure_openai'], azureEndpoints: [] } } }, ['body', 'routing', 'dataResidency', 'azureEndpoints']],
    ['residency endpoint that is not Azure', { routing: { dataResidency: { providers: ['azure_openai'], azureEndpoints: ['https://evil.example.com'] } } }, ['body', 'routing', 'dataResidency', 'azureEndpoints', 0]],
    ['residency with no provider', { routing: { dataResidency: { providers: [], azureEndpoints: [] } } }, ['body', 'routing', 'dataResidency', 'providers']],
    ['an unknown routing field', { routing: { strict: true } }, ['body', 'routing']],
  ])('refuses %s, naming the field and saving nothing', async (_what, body, path) => {
    const before = (await call<Settings>('GET', '/api/settings', alice.token)).body;
    const res = await call<ErrorBody>('PUT', '/api/settings', alice.token, body);
    expect(res.status).toBe(422);
    expect(res.body.error.issues!.map((i) => i.path)).toContainEqual(path);
    expect((await call<Settings>('GET', '/api/settings', alice.token)).body).toEqual(before);
  });
});

describe('usage reports', () => {
  const march = 'from=2025-03-01&to=2025-03-31';
  const report = async (token: string, query: string) => {
    const res = await call<Report>('GET', `/api/usage?${query}`, token);
    expect(res.status).toBe(200);
    return res;
  };

  it('sums per day exactly, inside the range only, and claims no savings without a baseline', async () => {
    await call('PUT', '/api/settings', alice.token, { baselineModel: null });
    const { body } = await report(alice.token, `${march}&groupBy=day`);
    expect(body.from).toBe('2025-03-01T00:00:00.000Z');
    expect(body.to).toBe('2025-04-01T00:00:00.000Z');
    expect(body.buckets.map((b) => [b.key, b.calls, b.costMicros, b.costUsd])).toEqual([
      ['2025-03-01', 2, 1_567_900, '1.567900'],
      ['2025-03-02', 1, 1, '0.000001'],
      ['2025-03-15', 1, 2_000_000, '2.000000'],
    ]);
    expect(body.totals).toEqual({
      calls: 4,
      tokens: { input: 1016, output: 227, cacheRead: 50, cacheWrite: 30, reasoning: 107 },
      costMicros: 3_567_901,
      costUsd: '3.567901',
      baselineCostMicros: null,
      savedMicros: null,
      savedUsd: null,
      quality: { calls: 0, costMicros: 0, referenceCostMicros: 0, savedMicros: 0, savedUsd: '0.000000' },
    });
    expect(body.savingsBasis).toBeNull();
  });

  it('measures savings against the stated baseline, negative where the baseline was cheaper', async () => {
    await call('PUT', '/api/settings', alice.token, { baselineModel: 'anthropic/claude-3-5-sonnet-latest' });
    const { body } = await report(alice.token, `${march}&groupBy=day`);
    expect(body.savingsBasis).toBe('baseline model anthropic/claude-3-5-sonnet-latest for the same calls');
    expect(body.buckets.map((b) => [b.key, b.baselineCostMicros, b.savedMicros, b.savedUsd])).toEqual([
      ['2025-03-01', 6_000_000, 4_432_100, '4.432100'],
      ['2025-03-02', 2, 1, '0.000001'],
      ['2025-03-15', 1_500_000, -500_000, '-0.500000'],
    ]);
    expect(body.totals).toMatchObject({ baselineCostMicros: 7_500_002, savedMicros: 3_932_101, savedUsd: '3.932101' });
  });

  it.each([
    ['model', [['openai/o3-mini', 1, 2_000_000], ['openai/gpt-4o-mini', 2, 1_234_568], ['anthropic/claude-3-5-haiku', 1, 333_333]]],
    ['provider', [['openai', 3, 3_234_568], ['anthropic', 1, 333_333]]],
  ])('groups by %s, most expensive first', async (groupBy, expected) => {
    const { body } = await report(alice.token, `${march}&groupBy=${groupBy}`);
    expect(body.buckets.map((b) => [b.key, b.calls, b.costMicros])).toEqual(expected);
    expect(body.totals.costMicros).toBe(3_567_901);
  });

  it('groups by workflow with names, never naming another owner’s workflow', async () => {
    const { body, text } = await report(alice.token, `${march}&groupBy=workflow`);
    expect(body.buckets.map((b) => [b.key, b.label, b.costMicros])).toEqual([
      [bobsFlow, '(deleted workflow)', 2_000_000],
      [leadScorer, 'Lead scorer', 1_567_900],
      ['none', '(no workflow)', 1],
    ]);
    expect(text).not.toContain('Bob private flow');
  });

  it('measures quality-rule savings only on routed calls, each against its own reference, and says so', async () => {
    const carol = await t.signup();
    const day = '2025-05-10T10:00:00Z';
    await seed(carol.id, day, { provider: 'openai', model: 'gpt-4.1-nano', cost: 300, baseline: 300, reference: ['openai/gpt-4o-mini', 450] });
    await seed(carol.id, day, { provider: 'gemini', model: 'gemini-2.5-flash', cost: 900, baseline: 900, reference: ['openai/gpt-4.1', 4_000] });
    // A pinned call: no reference, never counted as saved.
    await seed(carol.id, day, { provider: 'anthropic', model: 'claude-haiku-4-5', cost: 5_000, baseline: 5_000 });
    const { body } = await report(carol.token, 'from=2025-05-01&to=2025-05-31&groupBy=provider');
    expect(body.totals.quality).toEqual({ calls: 2, costMicros: 1_200, referenceCostMicros: 4_450, savedMicros: 3_250, savedUsd: '0.003250' });
    expect(body.buckets.find((b) => b.key === 'anthropic')?.quality).toMatchObject({ calls: 0, savedMicros: 0 });
    expect(body.qualitySavingsBasis).toMatch(/^quality rule: only calls the router substituted under it, each priced on the reference model it had to match/);
    expect(body.savingsBasis).toBeNull();
    // Per reference model, largest saving first, with the benchmarks that score the reference.
    expect(body.qualityReferences.map(({ benchmarks: _, ...r }) => r)).toEqual([
      { ref: 'openai/gpt-4.1', calls: 1, costMicros: 900, referenceCostMicros: 4_000, savedMicros: 3_100, savedUsd: '0.003100' },
      { ref: 'openai/gpt-4o-mini', calls: 1, costMicros: 300, referenceCostMicros: 450, savedMicros: 150, savedUsd: '0.000150' },
    ]);
    for (const r of body.qualityReferences) expect(r.benchmarks).toEqual(['LMArena text (style control) 2025-12-11', 'LiveBench 2025-04-25', 'Aider polyglot (board of 2025-10-04)', 'LMArena vision (style control) 2025-12-11']);
  });

  it('shows each owner only their own spend', async () => {
    const { body } = await report(bob.token, `${march}&groupBy=workflow`);
    expect(body.buckets.map((b) => [b.label, b.calls, b.costMicros])).toEqual([['Bob private flow', 1, 50_000_000]]);
    expect(body.totals.costMicros).toBe(50_000_000);
  });

  it('reads a date-only "to" as the whole day and a date-time "to" as exclusive', async () => {
    expect((await report(alice.token, 'from=2025-03-15&to=2025-03-15')).body.totals.costMicros).toBe(2_000_000);
    expect((await report(alice.token, 'from=2025-03-01&to=2025-03-15T12:00:00Z')).body.totals.costMicros).toBe(1_567_901);
    expect((await report(alice.token, 'from=2025-03-01T10:00:00.001Z&to=2025-03-02T00:00:00.001Z')).body.totals.costMicros).toBe(333_334);
  });

  it('reports this month’s budget and spend', async () => {
    await seed(alice.id, new Date(), { provider: 'openai', model: 'gpt-4o-mini', cost: 2_500_000, baseline: 0 });
    await call('PUT', '/api/settings', alice.token, { monthlyBudgetUsd: 10 });
    const { body } = await report(alice.token, 'groupBy=provider');
    expect(body.budget).toEqual({ month: new Date().toISOString().slice(0, 7), monthlyBudgetMicros: 10_000_000, monthlyBudgetUsd: '10.000000', spentMicros: 2_500_000, spentUsd: '2.500000', remainingMicros: 7_500_000 });
    expect(body.totals.costMicros).toBe(2_500_000);
    expect((await report(bob.token, 'groupBy=provider')).body.budget).toMatchObject({ monthlyBudgetMicros: null, spentMicros: 0, remainingMicros: null });
  });

  it.each([
    ['from after to', 'from=2025-03-02&to=2025-03-01', ['query', 'to']],
    ['an unknown grouping', 'groupBy=week', ['query', 'groupBy']],
    ['a malformed date', 'from=yesterday', ['query', 'from']],
    ['an unknown filter', 'ownerId=00000000-0000-0000-0000-000000000000', ['query']],
  ])('refuses %s', async (_what, query, path) => {
    const res = await call<ErrorBody>('GET', `/api/usage?${query}`, alice.token);
    expect(res.status).toBe(422);
    expect(res.body.error.issues!.map((i) => i.path)).toContainEqual(path);
  });
});
