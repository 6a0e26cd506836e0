// The cost-aware AI router: the cheapest model that can do the job among the owner's keys,
// failing over on provider trouble, inside the owner's budget, with a usage event per attempt.
import type { Catalog } from '../catalog/catalog.ts';
import { ProviderError, type ProviderClient, type ProviderId } from '../types.ts';
import type { Breaker } from './breaker.ts';
import type { BudgetStore, Reservation } from './budget.ts';
import { costMicros, estimatePromptTokens } from './cost.ts';
import { AllProvidersFailed, BudgetExceeded, type FailedAttempt } from './router-errors.ts';
import type { AttemptRecord, CandidateView, OwnerCredential, RouteCall, RouteResult, UsageSink } from './router-types.ts';
import { selectCandidates, type Candidate } from './select-candidates.ts';

export interface RouterDeps {
  providers: Partial<Record<ProviderId, ProviderClient>>;
  catalog: Catalog;
  breaker: Breaker;
  budget: BudgetStore;
  usage: UsageSink;
  /** A provider rejected this key (401/403): the caller marks it invalid in the store. */
  onCredentialInvalid?: (credentialId: string) => Promise<void> | void;
  now?: () => number;
  /** Provider calls per route() before giving up (default 5). */
  maxAttempts?: number;
}

export interface Router {
  route(call: RouteCall): Promise<RouteResult>;
}

const zeroUsage = { inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 };

function hasImages(call: RouteCall): boolean {
  return call.request.messages.some((m) => typeof m.content !== 'string' && m.content.some((p) => p.type === 'image'));
}

export function createRouter(deps: RouterDeps): Router {
  const now = deps.now ?? Date.now;
  const maxAttempts = deps.maxAttempts ?? 5;

  async function route(call: RouteCall): Promise<RouteResult> {
    const promptTokens = estimatePromptTokens(call.request);
    const needs = { ...call.needs, vision: call.needs.vision || hasImages(call) };
    const candidates = selectCandidates({
      catalog: deps.catalog,
      needs,
      providers: new Set(call.credentials.map((c) => c.provider)),
      promptTokens,
      maxTokens: call.request.maxTokens,
      pinnedModel: call.pinnedModel,
      providerOrder: call.providerOrder,
    });
    const baseline = call.baselineModel ? deps.catalog.find(call.baselineModel) : undefined;
    const views: CandidateView[] = candidates.map((c) => ({ provider: c.model.provider, model: c.model.model, expectedCostMicros: c.expectedCostMicros }));
    const attempts: AttemptRecord[] = [];
    const failures: FailedAttempt[] = [];
    const invalid = new Set<string>();
    let shortfall: number | undefined;

    const record = (c: Candidate, cred: OwnerCredential, a: Omit<AttemptRecord, 'provider' | 'model' | 'credentialId'>, usage = zeroUsage) => {
      attempts.push({ provider: c.model.provider, model: c.model.model, credentialId: cred.id, ...a });
      return deps.usage.record({
        ownerId: call.ownerId,
        runId: call.runId ?? null,
        stepId: call.stepId ?? null,
        workflowId: call.workflowId ?? null,
        credentialId: cred.id,
        provider: c.model.provider,
        model: c.model.model,
        usage,
        costMicros: a.costMicros,
        baselineCostMicros: baseline ? costMicros(baseline, usage) : null,
        baselineModel: baseline ? baseline.ref : null,
        latencyMs: a.latencyMs,
        outcome: a.outcome,
      });
    };

    // A queue, because a provider that just failed retryably goes to the back: the next try
    // should reach another provider, not the same one under another model alias.
    const queue = candidates.map((c, i) => ({ c, view: views[i] as CandidateView }));
    while (queue.length > 0) {
      const { c, view } = queue.shift() as (typeof queue)[number];
      if (failures.length >= maxAttempts) break;
      const provider = c.model.provider;
      const client = deps.providers[provider];
      const cred = call.credentials.find((k) => k.provider === provider && !invalid.has(k.id));
      if (!client) {
        view.skipped = 'no_client';
        continue;
      }
      if (!cred) {
        view.skipped = 'no_valid_credential';
        continue;
      }
      if (!deps.breaker.tryAcquire(call.ownerId, provider)) {
        view.skipped = 'circuit_open';
        continue;
      }
      let reservation: Reservation | 'over_budget';
      try {
        reservation = await deps.budget.reserve(call.ownerId, c.worstCaseCostMicros);
      } catch (err) {
        deps.breaker.onNeutral(call.ownerId, provider);
        throw err;
      }
      if (reservation === 'over_budget') {
        deps.breaker.onNeutral(call.ownerId, provider);
        view.skipped = 'over_budget';
        shortfall = Math.min(shortfall ?? Infinity, c.worstCaseCostMicros);
        continue;
      }

      // A stream that already showed text cannot be replayed on another model.
      let streamed = false;
      const onDelta = call.request.onDelta;
      const started = now();
      let outcome: Awaited<ReturnType<ProviderClient['complete']>> | undefined;
      let failure: unknown;
      try {
        outcome = await client.complete(
          {
            ...call.request,
            model: c.model.model,
            onDelta: onDelta
              ? (text) => {
                  streamed = true;
                  onDelta(text);
                }
              : undefined,
          },
          cred.credential,
        );
      } catch (err) {
        failure = err;
      }
      const latencyMs = Math.max(0, now() - started);

      if (outcome) {
        const cost = costMicros(c.model, outcome.usage);
        await deps.budget.settle(reservation, cost);
        deps.breaker.onSuccess(call.ownerId, provider);
        await record(c, cred, { outcome: 'ok', latencyMs, costMicros: cost }, outcome.usage);
        const failedOver = failures.length > 0 ? ` after ${failures.map((f) => `${f.provider}/${f.model} ${f.kind}`).join(', ')}` : '';
        const why = call.pinnedModel
          ? `pinned model ${c.model.ref}${failedOver}`
          : `cheapest of ${candidates.length} model(s) meeting tier ≥ ${needs.tier ?? 'economy'}${failedOver}`;
        return { result: outcome, provider, model: c.model.model, costMicros: cost, attempts, decision: { candidates: views, chosen: { provider, model: c.model.model }, why } };
      }

      await deps.budget.release(reservation);
      const pe = failure instanceof ProviderError ? failure : undefined;
      const kind = pe?.kind ?? 'other';
      if (pe?.retryable) deps.breaker.onFailure(call.ownerId, provider);
      else deps.breaker.onNeutral(call.ownerId, provider);
      await record(c, cred, { outcome: kind, status: pe?.status, latencyMs, costMicros: 0 });
      failures.push({ provider, model: c.model.model, kind, status: pe?.status });

      if (kind === 'auth') {
        invalid.add(cred.id);
        try {
          await deps.onCredentialInvalid?.(cred.id);
        } catch {
          // Marking is bookkeeping; the call itself can still succeed on another key.
        }
      }
      const failOver = pe !== undefined && (pe.retryable || kind === 'auth' || kind === 'not_found');
      if (!failOver || streamed || call.request.signal?.aborted) throw failure;
      if (pe.retryable) {
        const same = queue.filter((q) => q.c.model.provider === provider);
        queue.splice(0, queue.length, ...queue.filter((q) => q.c.model.provider !== provider), ...same);
      }
    }

    if (failures.length === 0 && shortfall !== undefined) throw new BudgetExceeded(shortfall, await deps.budget.remaining(call.ownerId));
    const skipped = new Set(views.filter((v) => v.skipped).map((v) => `${v.provider}: ${v.skipped?.replaceAll('_', ' ')}`));
    throw new AllProvidersFailed(failures, [...skipped]);
  }

  return { route };
}
