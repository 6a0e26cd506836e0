import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { databaseKinds, type TestDatabase } from './support/postgres.ts';
import { budgetMonth, createDbBudgetStore, type Reservation } from '../src/ai/router/budget.ts';
import { CircuitBreaker } from '../src/ai/router/breaker.ts';
import { createRouter } from '../src/ai/router/router.ts';
import { BudgetExceeded } from '../src/ai/router/router-errors.ts';
import { cred, memoryUsageSink, stubProvider, testCatalog, usageOf } from '../src/ai/router/test-stubs.ts';
import type { ProviderClient } from '../src/ai/types.ts';

async function newOwner(t: TestDatabase, budget: number | null | 'no-settings'): Promise<string> {
  const id = crypto.randomUUID();
  await t.db.insertInto('users').values({ id, email: `${id}@x.test`, password_hash: 'x' }).execute();
  if (budget !== 'no-settings') await t.db.insertInto('owner_settings').values({ owner_id: id, provider_order: '[]', default_tier: 'balanced', monthly_budget_micros: budget }).execute();
  return id;
}

async function ledger(t: TestDatabase, ownerId: string) {
  return t.db.selectFrom('ai_budget_months').select(['month', 'spent_micros', 'reserved_micros']).where('owner_id', '=', ownerId).orderBy('month').execute();
}

describe.each(databaseKinds)('budget store on %s', (_kind, create) => {
  let t: TestDatabase;
  let now = Date.UTC(2026, 7, 31, 23, 0);
  beforeAll(async () => {
    t = await create();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('reserves within the budget, settles the real cost, releases failures', async () => {
    const owner = await newOwner(t, 1_000);
    const store = createDbBudgetStore(t.db, { now: () => now });
    const a = await store.reserve(owner, 600);
    expect(a).toEqual({ ownerId: owner, month: '2026-08', micros: 600 });
    expect(await store.reserve(owner, 401)).toBe('over_budget');
    const b = (await store.reserve(owner, 400)) as Reservation;
    expect(await store.remaining(owner)).toBe(0);
    await store.settle(a as Reservation, 250);
    await store.release(b);
    expect(await ledger(t, owner)).toEqual([{ month: '2026-08', spent_micros: 250, reserved_micros: 0 }]);
    expect(await store.remaining(owner)).toBe(750);
  });

  it('starts a new ledger row each month', async () => {
    const owner = await newOwner(t, 1_000);
    const store = createDbBudgetStore(t.db, { now: () => now });
    await store.settle((await store.reserve(owner, 900)) as Reservation, 900);
    expect(await store.reserve(owner, 200)).toBe('over_budget');
    now += 2 * 3_600_000;
    expect(budgetMonth(now)).toBe('2026-09');
    expect(await store.reserve(owner, 200)).toMatchObject({ month: '2026-09' });
    expect((await ledger(t, owner)).map((r) => r.month)).toEqual(['2026-08', '2026-09']);
  });

  it.each([[null], ['no-settings' as const]])('treats a %s budget as unlimited but still keeps the ledger', async (budget) => {
    const owner = await newOwner(t, budget);
    const store = createDbBudgetStore(t.db, { now: () => now });
    expect(await store.reserve(owner, 5_000_000_000)).not.toBe('over_budget');
    expect(await store.remaining(owner)).toBeNull();
    expect((await ledger(t, owner))[0]?.reserved_micros).toBe(5_000_000_000);
  });

  it('50 concurrent reservations never pass the budget', async () => {
    const owner = await newOwner(t, 1_000);
    const store = createDbBudgetStore(t.db, { now: () => now });
    const results = await Promise.all(Array.from({ length: 50 }, () => store.reserve(owner, 75)));
    expect(results.filter((r) => r !== 'over_budget')).toHaveLength(13); // 13 × 75 = 975
    expect(await ledger(t, owner)).toEqual([expect.objectContaining({ spent_micros: 0, reserved_micros: 975 })]);
  });

  it('50 concurrent route() calls against a nearly spent budget never overspend', async () => {
    const budget = 100_000;
    const owner = await newOwner(t, budget);
    const month = budgetMonth(now);
    await t.db.insertInto('ai_budget_months').values({ owner_id: owner, month, spent_micros: budget - 500, reserved_micros: 0 }).execute();
    const base = stubProvider('deepseek', [{ usage: usageOf(10, 5) }]);
    // The answer takes a moment, so reservations overlap the way real calls do.
    const slow: ProviderClient = { id: 'deepseek', testKey: base.testKey, complete: async (req, c) => (await sleep(5), base.complete(req, c)) };
    const router = createRouter({ providers: { deepseek: slow }, catalog: testCatalog(), breaker: new CircuitBreaker(), budget: createDbBudgetStore(t.db, { now: () => now }), usage: memoryUsageSink(), now: () => now });
    const call = { ownerId: owner, request: { messages: [{ role: 'user' as const, content: 'hello' }], maxTokens: 100 }, needs: {}, credentials: [cred('deepseek')] };

    const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => router.route(call)));
    const ok = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(ok.length).toBeGreaterThanOrEqual(11); // 500 / worst case 45
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect(r.reason).toBeInstanceOf(BudgetExceeded);
    expect(base.calls).toHaveLength(ok.length);
    const [row] = await ledger(t, owner);
    expect(row?.reserved_micros).toBe(0);
    expect(row?.spent_micros).toBe(budget - 500 + ok.length * 5);
    expect((row?.spent_micros ?? Infinity) + (row?.reserved_micros ?? 0)).toBeLessThanOrEqual(budget);
  });
});
