// The AI facade a node gets as ctx.ai: the router bound to the run's owner, with the owner's
// keys (opened for the call only), preferences and budget, a usage row per attempt, and the
// routed cost added to the step.
import { NonRetriableNodeError, type AiCompleteRequest, type AiCompleteResult, type AiFacade } from '@keyflow/nodes/contract';
import type { AiFactory } from '../../executor/types.ts';
import { markUsed, recordCoolDown } from '../../store/credentials.repo.ts';
import type { Db } from '../../store/database.ts';
import { getSettings } from '../../store/settings.repo.ts';
import type { Keyring } from '../../vault/keyring.ts';
import { loadCatalog, type Catalog } from '../catalog/catalog.ts';
import { inferTask, type QualityTable } from '../catalog/quality/quality.ts';
import { policyTests, residentCredentials } from './routing-policy.ts';
import { CircuitBreaker, type Breaker } from '../router/breaker.ts';
import { trackBreaker } from '../../metrics/metrics.ts';
import { createDbBudgetStore, type BudgetStore } from '../router/budget.ts';
import type { RouteCall, RouteResult } from '../router/router-types.ts';
import { createRouter } from '../router/router.ts';
import { providerIds, type ChatMessage, type CompletionResult, type ProviderClient, type ProviderId } from '../types.ts';
import { describeIssues, schemaIssues, schemaValidator } from './check-json-answer.ts';
import { createDbUsageSink } from './db-usage-sink.ts';
import { loadAiCredentials } from './load-ai-credentials.ts';
import { parseJsonAnswer } from './parse-json-answer.ts';
import { routerErrorToNodeError } from './router-error-to-node-error.ts';

export interface AiFactoryDeps {
  db: Db;
  keyring: Keyring;
  providers: Partial<Record<ProviderId, ProviderClient>>;
  /** Default: the pinned price table. */
  catalog?: Catalog;
  /** Default: the pinned benchmark scores (catalog/quality). */
  quality?: QualityTable;
  /** One per process, shared by every owner (it keys by owner and provider). */
  breaker?: Breaker;
  /** Default: the Postgres ledger, atomic across processes. */
  budget?: BudgetStore;
  now?: () => number;
}

function isProviderId(value: string): value is ProviderId {
  return (providerIds as readonly string[]).includes(value);
}

/** Token counts as a user reads them: every prompt token in, every generated token out. */
function nodeUsage(r: CompletionResult, costMicros: number): AiCompleteResult['usage'] {
  const u = r.usage;
  return { inputTokens: u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens, outputTokens: u.outputTokens + u.reasoningTokens, cachedTokens: u.cacheReadTokens, costMicros };
}

function toResult(routed: RouteResult, wantJson: boolean): AiCompleteResult {
  const text = routed.result.text;
  return {
    text,
    ...(wantJson ? { json: parseJsonAnswer(text, `${routed.provider}/${routed.model}`) } : {}),
    provider: routed.provider,
    model: routed.model,
    usage: nodeUsage(routed.result, routed.costMicros),
    decision: routed.decision,
  };
}

/** The answer's usage plus an earlier call's: what the step spent on it. */
function addUsage(result: AiCompleteResult, earlier: AiCompleteResult['usage']): AiCompleteResult {
  const u = result.usage;
  return {
    ...result,
    usage: {
      inputTokens: u.inputTokens + earlier.inputTokens,
      outputTokens: u.outputTokens + earlier.outputTokens,
      cachedTokens: (u.cachedTokens ?? 0) + (earlier.cachedTokens ?? 0),
      costMicros: u.costMicros + earlier.costMicros,
    },
  };
}

/**
 * The process's circuit breaker for AI providers. A cool-down is written to the owner's keys of
 * that provider (the keys page shows it, whichever process saw it); a failed write never fails the call.
 */
export function createAiBreaker(db: Db, now: () => number = Date.now): CircuitBreaker {
  return new CircuitBreaker({ now, onCoolDown: (ownerId, provider, state) => void recordCoolDown(db, ownerId, provider, state).catch(() => undefined) });
}

/**
 * Builds the executor's AiFactory.
 * @example new Engine({ ..., ai: createAiFactory({ db, keyring, providers: createProviders({ baseUrls }) }) })
 */
export function createAiFactory(deps: AiFactoryDeps): AiFactory {
  const { db, keyring } = deps;
  const now = deps.now ?? Date.now;
  const catalog = deps.catalog ?? loadCatalog();
  const breaker = deps.breaker ?? createAiBreaker(db, now);
  if (breaker instanceof CircuitBreaker) trackBreaker(breaker);
  const budget = deps.budget ?? createDbBudgetStore(db, { now });
  const usage = createDbUsageSink(db);

  // Usage rows name the attempt's run_steps row (its id is allocated before the call and the row
  // written after it), with the run and the workflow.
  return (run, step, onCost): AiFacade => ({
    async complete(req: AiCompleteRequest): Promise<AiCompleteResult> {
      const ownerId = run.ownerId;
      const [settings, allCredentials] = await Promise.all([getSettings(db, ownerId), loadAiCredentials(db, keyring, ownerId, req.credentialIds)]);
      if (req.credentialIds && allCredentials.length === 0) {
        throw new NonRetriableNodeError('none of the chosen AI keys can be used (missing, rejected by the provider, or not an AI key)');
      }
      const credentials = residentCredentials(allCredentials, settings.routing);
      if (allCredentials.length > 0 && credentials.length === 0) {
        throw new NonRetriableNodeError('no AI key meets the data-residency filter of your routing policy (settings)');
      }
      const router = createRouter({
        providers: deps.providers,
        catalog,
        ...(deps.quality ? { quality: deps.quality } : {}),
        breaker,
        budget,
        usage,
        now,
        onCredentialInvalid: async (credentialId) => {
          await db.updateTable('credentials').set({ status: 'invalid', updated_at: new Date() }).where('owner_id', '=', ownerId).where('id', '=', credentialId).execute();
        },
      });
      const base: Omit<RouteCall, 'request'> = {
        ownerId,
        runId: run.id,
        stepId: step.id,
        workflowId: run.workflowId,
        needs: { tier: req.tier ?? settings.defaultTier, json: req.jsonSchema !== undefined },
        ...(req.model !== undefined ? { pinnedModel: req.model } : {}),
        credentials,
        providerOrder: settings.providerOrder.filter(isProviderId),
        baselineModel: settings.baselineModel,
        quality: {
          task: inferTask(req.task, { json: req.jsonSchema !== undefined }),
          ...(req.referenceModel !== undefined ? { referenceModel: req.referenceModel } : {}),
          margin: settings.routing.margin,
          ...policyTests(settings.routing),
        },
      };
      const ask = async (messages: ChatMessage[]): Promise<RouteResult> => {
        let routed: RouteResult;
        try {
          routed = await router.route({
            ...base,
            request: {
              messages,
              maxTokens: req.maxTokens ?? 1024,
              ...(req.system !== undefined ? { system: req.system } : {}),
              ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
              ...(req.jsonSchema !== undefined ? { json: { schema: req.jsonSchema, name: 'answer' } } : {}),
              ...(req.signal ? { signal: req.signal } : {}),
            },
          });
        } catch (err) {
          throw routerErrorToNodeError(err);
        }
        // Spent is spent: the step carries the cost even if the answer then fails to parse.
        onCost(routed.costMicros);
        const used = routed.attempts.at(-1)?.credentialId;
        if (used) await markUsed(db, ownerId, used);
        return routed;
      };
      // Checked before any call, so a schema that cannot be used costs nothing.
      const validator = req.jsonSchema !== undefined ? schemaValidator(req.jsonSchema) : undefined;
      const question: ChatMessage[] = [{ role: 'user', content: req.prompt }];
      const first = await ask(question);
      const firstResult = toResult(first, validator !== undefined);
      if (!validator) return firstResult;
      const issues = schemaIssues(validator, firstResult.json);
      if (issues.length === 0) return firstResult;
      // One more try, with the answer and what is wrong with it: models fix most misses when told.
      const repair = `Your answer does not match the JSON Schema. ${describeIssues(issues)}. Answer again with only the corrected JSON.`;
      const second = await ask([...question, { role: 'assistant', content: first.result.text }, { role: 'user', content: repair }]);
      const secondResult = addUsage(toResult(second, true), firstResult.usage);
      const remaining = schemaIssues(validator, secondResult.json);
      if (remaining.length === 0) return secondResult;
      // The answer itself stays out of the message and details: it may quote the prompt's data.
      throw new NonRetriableNodeError(`${second.provider}/${second.model} answered twice without matching the jsonSchema: ${describeIssues(remaining)}`, {
        details: { issues: remaining },
      });
    },
  });
}
