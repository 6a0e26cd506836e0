// Generation for an owner: with an AI key, the router (economy or balanced tier, the owner's keys,
// preferences and budget, a usage row per attempt) and a bounded repair loop; without one, or
// when the AI path fails, the deterministic planner. Nothing is saved.
import type { NodeRegistry } from '@keyflow/nodes/contract';
import { loadCatalog, type Catalog } from '../ai/catalog/catalog.ts';
import { createDbUsageSink } from '../ai/facade/db-usage-sink.ts';
import { loadAiCredentials } from '../ai/facade/load-ai-credentials.ts';
import { CircuitBreaker, type Breaker } from '../ai/router/breaker.ts';
import { createDbBudgetStore, type BudgetStore } from '../ai/router/budget.ts';
import type { UsageSink } from '../ai/router/router-types.ts';
import { createRouter } from '../ai/router/router.ts';
import { providerIds, type ProviderClient, type ProviderId } from '../ai/types.ts';
import { markUsed } from '../store/credentials.repo.ts';
import type { Db } from '../store/database.ts';
import { getSettings } from '../store/settings.repo.ts';
import type { Keyring } from '../vault/keyring.ts';
import { answerJsonSchema, systemPrompt } from './ai-prompt.ts';
import { aiGenerate, type AiTrace } from './ai-generate.ts';
import { buildCatalog } from './catalog.ts';
import type { GenerateResult } from './generate-types.ts';
import { planWorkflow } from './plan-workflow.ts';

export interface GeneratorDeps {
  db: Db;
  keyring: Keyring;
  providers: Partial<Record<ProviderId, ProviderClient>>;
  registry: NodeRegistry;
  catalog?: Catalog;
  breaker?: Breaker;
  budget?: BudgetStore;
  /** Default: usage_events rows; the bench counts in memory. */
  usage?: UsageSink;
  now?: () => number;
  /** Repair turns after the first answer (default 1: two answers at most, then the planner). */
  maxRepairs?: number;
  /** Output tokens allowed per answer (default 4096). */
  maxTokens?: number;
}

export interface GenerateOptions {
  minScheduleSeconds?: number;
}

export type { AiTrace };

export type GenerateOutcome = GenerateResult & { ai: AiTrace | null };

export interface Generator {
  generate(ownerId: string, description: string, options?: GenerateOptions): Promise<GenerateOutcome>;
}

function isProviderId(value: string): value is ProviderId {
  return (providerIds as readonly string[]).includes(value);
}

export function createGenerator(deps: GeneratorDeps): Generator {
  const now = deps.now ?? Date.now;
  const priceCatalog = deps.catalog ?? loadCatalog();
  const breaker = deps.breaker ?? new CircuitBreaker({ now });
  const budget = deps.budget ?? createDbBudgetStore(deps.db, { now });
  const usage = deps.usage ?? createDbUsageSink(deps.db);
  const maxRepairs = deps.maxRepairs ?? 1;
  const nodeCatalog = buildCatalog(deps.registry);
  const system = systemPrompt(nodeCatalog);
  const schema = answerJsonSchema();

  async function viaAi(ownerId: string, description: string, options: GenerateOptions, trace: AiTrace): Promise<GenerateResult | undefined> {
    const [settings, credentials] = await Promise.all([getSettings(deps.db, ownerId), loadAiCredentials(deps.db, deps.keyring, ownerId)]);
    if (credentials.length === 0) return undefined;
    const router = createRouter({
      providers: deps.providers,
      catalog: priceCatalog,
      breaker,
      budget,
      usage,
      now,
      onCredentialInvalid: async (credentialId) => {
        await deps.db.updateTable('credentials').set({ status: 'invalid', updated_at: new Date() }).where('owner_id', '=', ownerId).where('id', '=', credentialId).execute();
      },
    });
    // Economy unless the owner asks for better by default; never premium for a draft.
    const tier = settings.defaultTier === 'economy' ? 'economy' : 'balanced';
    const call = { ownerId, credentials, providerOrder: settings.providerOrder.filter(isProviderId), baselineModel: settings.baselineModel };
    return aiGenerate({ router, call, tier, registry: deps.registry, system, schema, maxRepairs, maxTokens: deps.maxTokens ?? 4096, onUsed: (id) => markUsed(deps.db, ownerId, id) }, description, options, trace);
  }

  return {
    async generate(ownerId, description, options = {}) {
      const trace: AiTrace = { calls: 0, inputTokens: 0, outputTokens: 0, costMicros: 0 };
      let result: GenerateResult | undefined;
      try {
        result = await viaAi(ownerId, description, options, trace);
      } catch (err) {
        // Router errors name providers, models and amounts, never keys or prompts.
        trace.failure = err instanceof Error ? err.message : 'the AI call failed';
      }
      if (result) return { ...result, ai: trace };
      const planned = planWorkflow(description, deps.registry, options);
      return { ...planned, ai: trace.calls > 0 || trace.failure ? trace : null };
    },
  };
}
