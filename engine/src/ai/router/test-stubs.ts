// In-memory stand-ins for the router's dependencies, shared by the router tests.
import { catalogFrom, type CatalogEntry } from '../catalog/catalog.ts';
import { qualityFrom, type QualityTable } from '../catalog/quality/quality.ts';
import { Secret } from '../../vault/secret.ts';
import { providerIds, type CompletionRequest, type CompletionResult, type NormalizedUsage, type ProviderClient, type ProviderCredential, type ProviderId } from '../types.ts';
import { CircuitBreaker } from './breaker.ts';
import { createRouter } from './router.ts';
import { budgetMonth, type BudgetStore, type Reservation } from './budget.ts';
import type { OwnerCredential, RouteCall, UsageEvent, UsageSink } from './router-types.ts';

const all = { json: true, tools: true, vision: true };
/** A small table whose prices make the expected order easy to read. */
export const testEntries: CatalogEntry[] = [
  { provider: 'openai', model: 'o-small', input: 100_000, output: 400_000, cacheRead: 25_000, cacheWrite: null, reasoning: null, maxInput: 128_000, maxOutput: 16_384, supports: all },
  { provider: 'openai', model: 'o-mid', input: 1_000_000, output: 4_000_000, cacheRead: 250_000, cacheWrite: null, reasoning: null, maxInput: 200_000, maxOutput: 100_000, supports: all },
  { provider: 'openai', model: 'o-big', input: 2_500_000, output: 10_000_000, cacheRead: 1_250_000, cacheWrite: null, reasoning: null, maxInput: 128_000, maxOutput: 16_384, supports: all },
  { provider: 'anthropic', model: 'a-small', input: 250_000, output: 1_250_000, cacheRead: 30_000, cacheWrite: 312_500, reasoning: null, maxInput: 200_000, maxOutput: 8_192, supports: { json: false, tools: true, vision: true } },
  { provider: 'anthropic', model: 'a-big', input: 3_000_000, output: 15_000_000, cacheRead: 300_000, cacheWrite: 3_750_000, reasoning: null, maxInput: 200_000, maxOutput: 64_000, supports: all },
  { provider: 'deepseek', model: 'd-chat', input: 280_000, output: 420_000, cacheRead: 28_000, cacheWrite: null, reasoning: null, maxInput: 64_000, maxOutput: 8_192, supports: { json: true, tools: true, vision: false } },
  { provider: 'gemini', model: 'g-small', input: 100_000, output: 400_000, cacheRead: 10_000, cacheWrite: null, reasoning: 400_000, maxInput: 1_000_000, maxOutput: 65_536, supports: all },
  { provider: 'gemini', model: 'g-pro', input: 1_250_000, output: 10_000_000, cacheRead: 125_000, cacheWrite: null, reasoning: 12_000_000, maxInput: 1_000_000, maxOutput: 65_536, supports: all },
];
export const testCatalog = () => catalogFrom(testEntries);

export function cred(provider: ProviderId, id = `${provider}-key`): OwnerCredential {
  return { id, provider, credential: { apiKey: new Secret(`sk-test-${id}-0000`) } };
}

export const usageOf = (inputTokens: number, outputTokens: number): NormalizedUsage => ({ inputTokens, outputTokens, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });

/** One scripted answer: a result, an error to throw, or deltas streamed before either. */
export type Step = { usage?: NormalizedUsage; text?: string; deltas?: string[]; error?: Error };

export interface StubProvider extends ProviderClient {
  calls: { req: CompletionRequest; credential: ProviderCredential }[];
}

/** A provider that plays `script` in order (the last step repeats) and records its calls. */
export function stubProvider(id: ProviderId, script: Step[] = [{}]): StubProvider {
  const calls: StubProvider['calls'] = [];
  return {
    id,
    calls,
    async complete(req, credential): Promise<CompletionResult> {
      calls.push({ req, credential });
      const step = script[Math.min(calls.length - 1, script.length - 1)] ?? {};
      for (const d of step.deltas ?? []) req.onDelta?.(d);
      if (step.error) throw step.error;
      return { text: step.text ?? (step.deltas ?? []).join('') ?? 'ok', usage: step.usage ?? usageOf(10, 5), model: req.model, finishReason: 'stop' };
    },
    async testKey() {},
  };
}

export function memoryUsageSink(): UsageSink & { events: UsageEvent[] } {
  const events: UsageEvent[] = [];
  return {
    events,
    async record(e) {
      events.push(e);
    },
  };
}

/** Same contract as the Postgres store, for one process (router unit tests). */
export function memoryBudgetStore(budgets: Record<string, number | null>, now: () => number = Date.now): BudgetStore & { ledger: Map<string, { spent: number; reserved: number }> } {
  const ledger = new Map<string, { spent: number; reserved: number }>();
  const row = (ownerId: string, month: string) => {
    const key = `${ownerId}/${month}`;
    let r = ledger.get(key);
    if (!r) ledger.set(key, (r = { spent: 0, reserved: 0 }));
    return r;
  };
  return {
    ledger,
    async reserve(ownerId, micros): Promise<Reservation | 'over_budget'> {
      const month = budgetMonth(now());
      const r = row(ownerId, month);
      const budget = budgets[ownerId] ?? null;
      if (budget !== null && r.spent + r.reserved + micros > budget) return 'over_budget';
      r.reserved += micros;
      return { ownerId, month, micros };
    },
    async settle(res, actual) {
      const r = row(res.ownerId, res.month);
      r.reserved -= res.micros;
      r.spent += actual;
    },
    async release(res) {
      row(res.ownerId, res.month).reserved -= res.micros;
    },
    async remaining(ownerId) {
      const budget = budgets[ownerId] ?? null;
      if (budget === null) return null;
      const r = row(ownerId, budgetMonth(now()));
      return budget - r.spent - r.reserved;
    },
  };
}

export interface HarnessOptions {
  scripts?: Partial<Record<ProviderId, Step[]>>;
  budgets?: Record<string, number | null>;
  maxAttempts?: number;
  /** Another price table (default: testEntries). */
  entries?: CatalogEntry[];
}

/** A router over the test catalog with stub providers, an injected clock and in-memory stores. */
export function routerHarness(opts: HarnessOptions = {}) {
  let t = Date.UTC(2026, 7, 15);
  const clock = { now: () => t, advance: (ms: number) => (t += ms) };
  const providers = Object.fromEntries(providerIds.map((p) => [p, stubProvider(p, opts.scripts?.[p])])) as Record<ProviderId, StubProvider>;
  const usage = memoryUsageSink();
  const budget = memoryBudgetStore(opts.budgets ?? {}, clock.now);
  const breaker = new CircuitBreaker({ now: clock.now });
  const invalidated: string[] = [];
  const router = createRouter({
    providers,
    catalog: opts.entries ? catalogFrom(opts.entries) : testCatalog(),
    breaker,
    budget,
    usage,
    now: clock.now,
    onCredentialInvalid: (id) => {
      invalidated.push(id);
    },
    ...(opts.maxAttempts ? { maxAttempts: opts.maxAttempts } : {}),
  });
  const call = (over: Partial<RouteCall> = {}): RouteCall => ({
    ownerId: 'owner-1',
    request: { messages: [{ role: 'user', content: 'hello' }], maxTokens: 100 },
    needs: {},
    credentials: [cred('openai'), cred('anthropic'), cred('deepseek')],
    ...over,
  });
  return { router, providers, usage, budget, breaker, clock, invalidated, call };
}

/**
 * Benchmark scores for the test table in three clear classes, with the real tier references
 * (gpt-4o-mini, gpt-4.1-mini, gpt-4.1) on the same scale, so that under the quality rule a tier
 * admits the same models its price class did: small 1300, mid/pro 1350, big 1400.
 */
export function testQuality(): QualityTable {
  const cls: Record<string, number> = {
    'openai/o-small': 1300, 'anthropic/a-small': 1300, 'deepseek/d-chat': 1300, 'gemini/g-small': 1300,
    'openai/o-mid': 1350, 'gemini/g-pro': 1400, 'openai/o-big': 1400, 'anthropic/a-big': 1400,
    'openai/gpt-4o-mini': 1300, 'openai/gpt-4.1-mini': 1350, 'openai/gpt-4.1': 1400,
  };
  const measures = ['lmarena-text-2025-12-11:overall', 'lmarena-text-2025-12-11:instruction_following', 'lmarena-text-2025-12-11:coding', 'lmarena-text-2025-12-11:math', 'lmarena-vision-2025-12-11:overall', 'livebench-2026-01-08:data_analysis'];
  return qualityFrom({ scores: Object.fromEntries(Object.entries(cls).map(([ref, v]) => [ref, measures.map((m) => ({ m, v, row: 'test' }))])), retirements: {} });
}
