// GET /api/usage/events (issue 10): every provider call of the caller, failed ones included,
// newest first, filtered by run, workflow, provider, outcome and time, paged by cursor without
// skipping or repeating a row (calls within one millisecond, and at one instant), and never
// another owner's.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support.ts';

type Event = { id: string; runId: string | null; stepId: string | null; workflowId: string | null; provider: string; model: string; outcome: string; latencyMs: number; costMicros: number; costUsd: string; tokens: Record<string, number>; referenceModel: string | null; referenceCostMicros: number | null; at: string };
type Page = { items: Event[]; nextCursor: string | null };
type ErrorBody = { error: { issues: { path: (string | number)[]; message: string }[] } };

describe.each(['postgres', 'pglite'] as const)('usage events (%s)', (kind) => {
  let t: TestApp;
  let alice: { id: string; token: string };
  let bob: { id: string; token: string };
  const runA = randomUUID();
  const runB = randomUUID();
  const wf = randomUUID();
  const ids: string[] = [];

  async function get<T>(token: string, query: string): Promise<{ status: number; body: T }> {
    const res = await t.request('GET', `/api/usage/events${query ? `?${query}` : ''}`, { token });
    return { status: res.status, body: (await res.json()) as T };
  }

  async function seed(ownerId: string, at: string, e: { runId?: string; workflowId?: string; provider: string; model?: string; outcome?: string; cost?: number; reference?: [string, number] }) {
    const id = randomUUID();
    await t.db.db
      .insertInto('usage_events')
      .values({
        id, owner_id: ownerId, run_id: e.runId ?? null, step_id: e.runId ? randomUUID() : null, workflow_id: e.workflowId ?? null, credential_id: null,
        provider: e.provider, model: e.model ?? 'gpt-4.1-nano', tokens_in: 12, tokens_out: 5, tokens_cache_read: 1, tokens_cache_write: 0, tokens_reasoning: 0,
        cost_micros: e.cost ?? 0, baseline_cost_micros: e.cost ?? 0, reference_model: e.reference?.[0] ?? null, reference_cost_micros: e.reference?.[1] ?? null,
        latency_ms: 40, outcome: e.outcome ?? 'ok', created_at: at,
      })
      .execute();
    return id;
  }

  beforeAll(async () => {
    t = await createTestApp(kind);
    alice = await t.signup();
    bob = await t.signup();
    // Oldest first; the three at 10:00:00.000 differ only in microseconds or not at all.
    ids.push(await seed(alice.id, '2026-11-30T09:00:00Z', { provider: 'openai', cost: 1 }));
    ids.push(await seed(alice.id, '2026-12-01T10:00:00.000100Z', { runId: runA, workflowId: wf, provider: 'openai', outcome: 'rate_limited' }));
    ids.push(await seed(alice.id, '2026-12-01T10:00:00.000200Z', { runId: runA, workflowId: wf, provider: 'anthropic', model: 'claude-haiku-4-5', cost: 1_234_567, reference: ['openai/gpt-4o-mini', 2_000_000] }));
    const same = '2026-12-01T10:00:00.000300Z';
    ids.push(await seed(alice.id, same, { runId: runB, workflowId: wf, provider: 'openai', cost: 3 }));
    ids.push(await seed(alice.id, same, { runId: runB, workflowId: wf, provider: 'openai', cost: 4 }));
    ids.push(await seed(alice.id, '2026-12-02T08:00:00Z', { provider: 'gemini', outcome: 'server' }));
    await seed(bob.id, '2026-12-01T10:00:00Z', { runId: runA, workflowId: wf, provider: 'openai', cost: 50 });
  });
  afterAll(() => t?.close());

  it('lists the caller’s calls newest first, failed ones included, with cost to the micro-dollar', async () => {
    const { status, body } = await get<Page>(alice.token, '');
    expect(status).toBe(200);
    expect(body.items).toHaveLength(6);
    expect(body.nextCursor).toBeNull();
    expect(body.items.map((e) => e.at)).toEqual([...body.items.map((e) => e.at)].sort().reverse());
    expect(body.items.map((e) => e.outcome)).toContain('rate_limited');
    const paid = body.items.find((e) => e.provider === 'anthropic')!;
    expect(paid).toMatchObject({ runId: runA, workflowId: wf, model: 'claude-haiku-4-5', outcome: 'ok', latencyMs: 40, costMicros: 1_234_567, costUsd: '1.234567', referenceModel: 'openai/gpt-4o-mini', referenceCostMicros: 2_000_000, at: '2026-12-01T10:00:00.000200Z' });
    expect(paid.tokens).toEqual({ input: 12, output: 5, cacheRead: 1, cacheWrite: 0, reasoning: 0 });
    // Bob's call on a run id Alice also used is not hers.
    expect(body.items.some((e) => e.costMicros === 50)).toBe(false);
    expect((await get<Page>(bob.token, `runId=${runA}`)).body.items.map((e) => e.costMicros)).toEqual([50]);
  });

  it('filters by run, workflow, provider, outcome and time range', async () => {
    const costs = async (q: string) => {
      const res = await get<Page>(alice.token, q);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.items.map((e) => e.id);
    };
    expect(await costs(`runId=${runA}`)).toEqual([ids[2], ids[1]]);
    expect((await costs(`workflowId=${wf}`)).sort()).toEqual([ids[1], ids[2], ids[3], ids[4]].sort());
    expect(await costs('provider=gemini')).toEqual([ids[5]]);
    expect(await costs('outcome=rate_limited')).toEqual([ids[1]]);
    expect(await costs(`runId=${runB}&provider=anthropic`)).toEqual([]);
    expect((await costs('from=2026-12-01&to=2026-12-01')).sort()).toEqual([ids[1], ids[2], ids[3], ids[4]].sort());
    expect((await costs('from=2026-12-01T10:00:00.000Z&to=2026-12-01T10:00:00.001Z')).sort()).toEqual([ids[1], ids[2], ids[3], ids[4]].sort());
    expect(await costs('from=2026-12-01T10:00:00.001Z&to=2026-12-03T00:00:00Z')).toEqual([ids[5]]);
    expect(await costs('to=2026-12-01T00:00:00Z')).toEqual([ids[0]]);
  });

  it('pages by cursor without skipping or repeating a call, even within one millisecond', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: Page } = await get<Page>(alice.token, `limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(1);
      seen.push(...res.body.items.map((e) => e.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    expect([...seen].sort()).toEqual([...ids].sort());
    const two = await get<Page>(alice.token, `limit=2&workflowId=${wf}`);
    expect(two.body.items).toHaveLength(2);
    const rest = await get<Page>(alice.token, `limit=2&workflowId=${wf}&cursor=${two.body.nextCursor}`);
    expect(rest.body.items).toHaveLength(2);
    expect(rest.body.nextCursor).toBeNull();
  });

  it.each([
    ['an unknown provider', 'provider=acme', ['query', 'provider']],
    ['an unknown outcome', 'outcome=fine', ['query', 'outcome']],
    ['a run id that is not a uuid', 'runId=42', ['query', 'runId']],
    ['a forged cursor', `cursor=${Buffer.from('yesterday|me').toString('base64url')}`, ['query', 'cursor']],
    ['from after to', 'from=2026-12-02&to=2026-12-01', ['query', 'to']],
    ['a page too large', 'limit=201', ['query', 'limit']],
    ['an owner filter', `ownerId=${randomUUID()}`, ['query']],
  ])('refuses %s, naming the field', async (_what, query, path) => {
    const res = await get<ErrorBody>(alice.token, query);
    expect(res.status).toBe(422);
    expect(res.body.error.issues.map((i) => i.path)).toContainEqual(path);
  });
});
