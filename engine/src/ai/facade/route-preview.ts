// What the router would choose for an AI node with the owner's keys and settings, without calling
// anyone: the editor's AI node form shows it ("this runs on X, about $Y per run, because…").
// Same ranking, same quality rule, same policy filters as a real call (create-ai-factory.ts).
import type { Db } from '../../store/database.ts';
import { getSettings } from '../../store/settings.repo.ts';
import { loadCatalog, type Catalog, type Tier } from '../catalog/catalog.ts';
import { inferTask, loadQuality, type QualityTable, type Task } from '../catalog/quality/quality.ts';
import { applyQuality, utcDay } from '../router/apply-quality.ts';
import { marginLabels } from '../router/quality-gate.ts';
import { NoModelAvailable } from '../router/router-errors.ts';
import { rankCandidates } from '../router/select-candidates.ts';
import { onlyDeployed, type DeploymentHolder } from '../router/deployments.ts';
import { deploymentMap } from './load-ai-credentials.ts';
import type { QualityExplanation, ScoreView } from '../router/router-types.ts';
import { providerIds, type ProviderId } from '../types.ts';
import { matchesAny, policyTests } from './routing-policy.ts';

export interface RoutePreviewInput {
  task?: Task | undefined;
  tier?: Tier | undefined;
  referenceModel?: string | undefined;
  json?: boolean | undefined;
  promptTokens: number;
  maxTokens: number;
}

export interface RoutePreview {
  /** Null when nothing can serve the node with these keys and settings (`why` says what is missing). */
  chosen: { provider: ProviderId; model: string; expectedCostMicros: number; scores: ScoreView[] } | null;
  /** The next few the router would fail over to, in order. */
  fallbacks: { provider: ProviderId; model: string; expectedCostMicros: number }[];
  candidateCount: number;
  task: Task;
  tier: Tier;
  margin: string;
  marginLabel: string;
  quality: QualityExplanation | null;
  why: string;
  assumed: { promptTokens: number; maxTokens: number };
}

function hostOf(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/** Providers of the owner's usable AI keys that pass the residency filter (no key is decrypted). */
async function usableProviders(db: Db, ownerId: string, residency: { providers: string[]; azureEndpoints: string[] } | null): Promise<{ providers: Set<ProviderId>; holders: DeploymentHolder[] }> {
  const rows = await db.selectFrom('credentials').select(['provider', 'meta']).where('owner_id', '=', ownerId).where('provider', 'in', [...providerIds]).where('status', '!=', 'invalid').execute();
  const hosts = new Set((residency?.azureEndpoints ?? []).map((e) => hostOf(e) ?? e.toLowerCase()));
  const out = new Set<ProviderId>();
  const holders: DeploymentHolder[] = [];
  for (const r of rows) {
    const p = r.provider as ProviderId;
    if (residency && !residency.providers.includes(p)) continue;
    if (residency && p === 'azure_openai' && !hosts.has(hostOf((r.meta as Record<string, unknown> | null)?.endpoint) ?? '')) continue;
    out.add(p);
    // Azure's deployment map, as the router will see it (load-ai-credentials.ts).
    const deployments = p === 'azure_openai' ? deploymentMap(r.meta) : undefined;
    holders.push({ provider: p, credential: deployments ? { deployments } : {} });
  }
  return { providers: out, holders };
}

export async function previewRoute(db: Db, ownerId: string, input: RoutePreviewInput, deps: { catalog?: Catalog; quality?: QualityTable; now?: () => number } = {}): Promise<RoutePreview> {
  const catalog = deps.catalog ?? loadCatalog();
  const quality = deps.quality ?? loadQuality();
  const settings = await getSettings(db, ownerId);
  const { providers, holders } = await usableProviders(db, ownerId, settings.routing.dataResidency);
  const tier = input.tier ?? settings.defaultTier;
  const task = inferTask(input.task, { json: input.json === true });
  const margin = settings.routing.margin;
  const needs = { tier, json: input.json === true, vision: task === 'vision' };
  const order = settings.providerOrder.filter((p): p is ProviderId => (providerIds as readonly string[]).includes(p));
  if (input.referenceModel && !catalog.find(input.referenceModel)) throw new NoModelAvailable(`reference model ${input.referenceModel} is not in the price table`);
  const base = { fallbacks: [], candidateCount: 0, task, tier, margin, marginLabel: marginLabels[margin], assumed: { promptTokens: input.promptTokens, maxTokens: input.maxTokens } };
  try {
    return choose();
  } catch (err) {
    // An answer, not an error: the form shows what is missing (no key, nothing good enough).
    if (err instanceof NoModelAvailable) return { ...base, chosen: null, quality: null, why: err.message };
    throw err;
  }

  function choose(): RoutePreview {
  const ranked = onlyDeployed(rankCandidates({ catalog, needs: margin === 'any' ? needs : { ...needs, tier: undefined }, providers, promptTokens: input.promptTokens, maxTokens: input.maxTokens, providerOrder: order }), holders);
  const q = { task, referenceModel: input.referenceModel, margin, ...policyTests(settings.routing) };
  const qr = applyQuality(ranked, q, needs, { catalog, quality, today: utcDay((deps.now ?? Date.now)()), promptTokens: input.promptTokens, maxTokens: input.maxTokens });
  const first = qr.models[0];
  if (!first) throw new Error('applyQuality returned no model');
  const scores = qr.scores[0] ?? [];
  const e = qr.explanation;
  const proof = first.ref === e.reference.ref ? 'it is the reference model itself' : scores.length > 0 ? `it scores ${scores.map((s) => `${s.value} vs ${s.reference} on ${s.benchmark}`).join(', ')}` : 'margin "any capable": no score check';
  const preferred = matchesAny(settings.routing.prefer, first.ref) ? ' (a preferred provider/model)' : '';
  return {
    chosen: { provider: first.provider, model: first.model, expectedCostMicros: qr.expected[0] ?? 0, scores },
    fallbacks: qr.models.slice(1, 4).map((m, i) => ({ provider: m.provider, model: m.model, expectedCostMicros: qr.expected[i + 1] ?? 0 })),
    candidateCount: qr.models.length,
    task,
    tier,
    margin,
    marginLabel: marginLabels[margin],
    quality: e,
    why: `${first.ref}${preferred} is the cheapest of ${qr.models.length} model(s) on your keys ${e.marginLabel} ${e.reference.ref} (${e.reference.origin}) for ${task}: ${proof}`,
    assumed: { promptTokens: input.promptTokens, maxTokens: input.maxTokens },
  };
  }
}
