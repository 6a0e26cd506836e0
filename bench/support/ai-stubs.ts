// In-memory stand-ins for the router's outside world, so `bench ai` measures the router alone:
// providers that answer at once, an unlimited budget, a usage sink that only counts.
import { aiRouter, providerIds, type ProviderClient, type ProviderId } from '@keyflow/engine';
import { Secret } from '@keyflow/engine/vault';

export type UsageFor = (req: Parameters<ProviderClient['complete']>[0]) => { inputTokens: number; outputTokens: number };

/** Providers whose complete() resolves immediately with the usage `usageFor` gives. */
export function instantProviders(usageFor: UsageFor): Record<ProviderId, ProviderClient> {
  const make = (id: ProviderId): ProviderClient => ({
    id,
    async complete(req) {
      const u = usageFor(req);
      return { text: 'ok', model: req.model, finishReason: 'stop', usage: { ...u, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 } };
    },
    async testKey() {},
  });
  return Object.fromEntries(providerIds.map((id) => [id, make(id)])) as Record<ProviderId, ProviderClient>;
}

/** No budget set: every reservation succeeds. */
export const unlimitedBudget: aiRouter.BudgetStore = {
  async reserve(ownerId, micros) {
    return { ownerId, month: '2026-01', micros };
  },
  async settle() {},
  async release() {},
  async remaining() {
    return null;
  },
};

export function countingUsageSink(): aiRouter.UsageSink & { count: number } {
  const sink = {
    count: 0,
    async record() {
      sink.count++;
    },
  };
  return sink;
}

/** One key for each of the five providers. */
export function allProviderCredentials(): aiRouter.OwnerCredential[] {
  return providerIds.map((provider) => ({ id: `bench-${provider}`, provider, credential: { apiKey: new Secret(`sk-bench-${provider}-0000`) } }));
}

/** A router over the pinned price table with instant providers and in-memory sinks. */
export function benchRouter(usageFor: UsageFor): { router: aiRouter.Router; usage: ReturnType<typeof countingUsageSink>; catalog: aiRouter.Catalog } {
  const catalog = aiRouter.loadCatalog();
  const usage = countingUsageSink();
  const router = aiRouter.createRouter({ providers: instantProviders(usageFor), catalog, breaker: new aiRouter.CircuitBreaker(), budget: unlimitedBudget, usage });
  return { router, usage, catalog };
}
