// The cost-aware AI router: the cheapest model that can do the job among the owner's keys,
// failing over on provider trouble, inside the owner's budget, with a usage event per attempt.
import type { Catalog, CatalogModel } from '../catalog/catalog.ts';
import { loadQuality, type QualityTable } from '../catalog/quality/quality.ts';
import { applyQuality, utcDay, type QualityRanked } from './apply-quality.ts';
import { NoModelAvailable } from './router-errors.ts';
import { ProviderError, type ProviderClient, type ProviderId } from '../types.ts';
import type { Breaker } from './breaker.ts';
import { observeProviderCall } from '../../metrics/metrics.ts';
import type { BudgetStore, Reservation } from './budget.ts';
import { costMicros, estimatePromptTokens } from './cost.ts';
import { AllProvidersFailed, BudgetExceeded, type FailedAttempt } from './router-errors.ts';
import type { AttemptRecord, CandidateView, OwnerCredential, RouteCall, RouteResult, UsageSink } from './router-types.ts';
import { rankCandidates } from './select-candidates.ts';
import { credentialFor, onlyDeployed } from './deployments.ts';

export interface RouterDeps {
  providers: Partial<Record<ProviderId, ProviderClient>>;
  catalog: Catalog;
  /** Benchmark scores for the quality rule; default: the pinned table (catalog/quality). */
  quality?: QualityTable;
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

const usd = (micros: number) => `$${(micros / 1e6).toFixed(6)}`;

/** The sentence a user reads: the rule, the reference, the winner's scores and price, what lost. */
function qualityWhy(qr: QualityRanked, at: number, n: number): string {
  const e = qr.explanation;
  const winner = qr.models[at] as CatalogModel;
  const price = `expected ${usd(qr.expected[at] ?? 0)}${e.reference.expectedCostMicros !== null ? ` vs ${usd(e.reference.expectedCostMicros)} on the reference` : ''}`;
  const scores = qr.scores[at] ?? [];
  const proof = winner.ref === e.reference.ref ? 'the reference model itself' : scores.length > 0 ? scores.map((s) => `${s.benchmark} ${s.value} vs ${s.reference} (floor ${s.floor})`).join('; ') : 'no score check (margin "any capable")';
  const cheaper = e.rejected.length > 0 ? `; cheaper but refused: ${e.rejected.slice(0, 3).map((r) => `${r.provider}/${r.model} (${r.reason})`).join(', ')}` : '';
  return `${at === 0 ? 'cheapest' : `#${at + 1}`} of ${n} model(s) ${e.marginLabel} ${e.reference.ref} (${e.reference.origin}) for ${e.task} [${e.categories.join(', ')}]: ${winner.ref}, ${proof}; ${price}${cheaper}`;
}

export function createRouter(deps: RouterDeps): Router {
  const now = deps.now ?? Date.now;
  const maxAttempts = deps.maxAttempts ?? 5;
  const quality = deps.quality ?? loadQuality();

  async function route(call: RouteCall): Promise<RouteResult> {
    const promptTokens = estimatePromptTokens(call.request);
    const needs = { ...call.needs, vision: call.needs.vision || hasImages(call) };
    const q = call.quality;
    if (q && call.pinnedModel) {
      // Pinned is never substituted, but a model known to be gone is refused with its date.
      const retired = quality.retirementOf(call.pinnedModel);
      if (retired && retired.date <= utcDay(now())) throw new NoModelAvailable(`pinned model ${call.pinnedModel} retired on ${retired.date} (${retired.source})`);
    }
    const gated = q !== undefined && !call.pinnedModel;
    const byCapability = onlyDeployed(rankCandidates({
      catalog: deps.catalog,
      // Under the score comparison the reference model stands for the tier; "any" keeps the price tier.
      needs: gated && q.margin !== 'any' ? { ...needs, tier: undefined } : needs,
      providers: new Set(call.credentials.map((c) => c.provider)),
      promptTokens,
      maxTokens: call.request.maxTokens,
      pinnedModel: call.pinnedModel,
      providerOrder: call.providerOrder,
    }), call.credentials);
    const qr: QualityRanked | undefined = gated ? applyQuality(byCapability, q, needs, { catalog: deps.catalog, quality, today: utcDay(now()), promptTokens, maxTokens: call.request.maxTokens }) : undefined;
    const ranked = qr ?? byCapability;
    // Savings under the quality rule are measured against the reference the call had to match.
    const baseline = call.baselineModel ? deps.catalog.find(call.baselineModel) : undefined;
    // Savings under the quality rule are measured against the reference the call had to match.
    const reference = qr && q?.margin !== 'any' ? (qr.reference ?? undefined) : undefined;
    const n = ranked.models.length;
    // The decision lists every candidate (callers count them); one small object each is all it costs.
    const views = new Array<CandidateView>(n);
    for (let i = 0; i < n; i++) {
      const m = ranked.models[i] as CatalogModel;
      views[i] = { provider: m.provider, model: m.model, expectedCostMicros: ranked.expected[i] ?? 0 };
      const scores = qr?.scores[i];
      if (scores && scores.length > 0) (views[i] as CandidateView).scores = scores;
    }
    const attempts: AttemptRecord[] = [];
    const failures: FailedAttempt[] = [];
    const invalid = new Set<string>();
    let shortfall: number | undefined;

    const record = (c: CatalogModel, cred: OwnerCredential, a: Omit<AttemptRecord, 'provider' | 'model' | 'credentialId'>, usage = zeroUsage) => {
      attempts.push({ provider: c.provider, model: c.model, credentialId: cred.id, ...a });
      observeProviderCall(c.provider, a.outcome, a.latencyMs, usage, a.costMicros);
      return deps.usage.record({
        ownerId: call.ownerId,
        runId: call.runId ?? null,
        stepId: call.stepId ?? null,
        workflowId: call.workflowId ?? null,
        credentialId: cred.id,
        provider: c.provider,
        model: c.model,
        usage,
        costMicros: a.costMicros,
        baselineCostMicros: baseline ? costMicros(baseline, usage) : null,
        baselineModel: baseline ? baseline.ref : null,
        ...(reference ? { referenceModel: reference.ref, referenceCostMicros: costMicros(reference, usage) } : {}),
        latencyMs: a.latencyMs,
        outcome: a.outcome,
      });
    };

    // A queue, because a provider that just failed retryably goes to the back: the next try
    // should reach another provider, not the same one under another model alias. Until a
    // failover reorders it, the queue is the ranking itself (null).
    let queue: number[] | null = null;
    let head = 0;
    while (head < (queue ? queue.length : n)) {
      const at = queue ? (queue[head] as number) : head;
      head++;
      const c = ranked.models[at] as CatalogModel;
      const view = views[at] as CandidateView;
      const worst = ranked.worst[at] ?? 0;
      if (failures.length >= maxAttempts) break;
      const provider = c.provider;
      const client = deps.providers[provider];
      // Azure: a credential whose deployment map serves this model, and that deployment's name.
      const served = credentialFor(call.credentials, c, (k) => !invalid.has(k.id));
      const cred = served?.cred;
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
        reservation = await deps.budget.reserve(call.ownerId, worst);
      } catch (err) {
        deps.breaker.onNeutral(call.ownerId, provider);
        throw err;
      }
      if (reservation === 'over_budget') {
        deps.breaker.onNeutral(call.ownerId, provider);
        view.skipped = 'over_budget';
        shortfall = Math.min(shortfall ?? Infinity, worst);
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
            model: served!.sendAs,
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
        const cost = costMicros(c, outcome.usage);
        await deps.budget.settle(reservation, cost);
        deps.breaker.onSuccess(call.ownerId, provider);
        await record(c, cred, { outcome: 'ok', latencyMs, costMicros: cost }, outcome.usage);
        const failedOver = failures.length > 0 ? ` after ${failures.map((f) => `${f.provider}/${f.model} ${f.kind}`).join(', ')}` : '';
        const why = call.pinnedModel
          ? `pinned model ${c.ref}${failedOver}`
          : qr
            ? qualityWhy(qr, at, n) + failedOver
            : `cheapest of ${n} model(s) meeting tier ≥ ${needs.tier ?? 'economy'}${failedOver}`;
        const decision = { candidates: views, chosen: { provider, model: c.model }, why, ...(qr ? { quality: qr.explanation } : {}) };
        return { result: outcome, provider, model: c.model, costMicros: cost, attempts, decision };
      }

      await deps.budget.release(reservation);
      const pe = failure instanceof ProviderError ? failure : undefined;
      const kind = pe?.kind ?? 'other';
      if (pe?.retryable) deps.breaker.onFailure(call.ownerId, provider, `${kind}${pe.status ? ` (HTTP ${pe.status})` : ''} from ${c.model}`);
      else deps.breaker.onNeutral(call.ownerId, provider);
      await record(c, cred, { outcome: kind, status: pe?.status, latencyMs, costMicros: 0 });
      failures.push({ provider, model: c.model, kind, status: pe?.status });

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
        const rest: number[] = [];
        for (let i = head; i < (queue ? queue.length : n); i++) rest.push(queue ? (queue[i] as number) : i);
        const isSame = (i: number) => ranked.models[i]?.provider === provider;
        queue = [...rest.filter((i) => !isSame(i)), ...rest.filter(isSame)];
        head = 0;
      }
    }

    if (failures.length === 0 && shortfall !== undefined) throw new BudgetExceeded(shortfall, await deps.budget.remaining(call.ownerId));
    const skipped = new Set(views.filter((v) => v.skipped).map((v) => `${v.provider}: ${v.skipped?.replaceAll('_', ' ')}`));
    throw new AllProvidersFailed(failures, [...skipped]);
  }

  return { route };
}
