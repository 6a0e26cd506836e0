// The query an AI node's form sends to GET /api/catalog/route-preview (the router's choice for
// the node's task, tier or reference model under the owner's keys and routing policy), and what
// to tell a person when no key can serve it.
import { promptTokens, type AiCostInput } from './estimate-ai-cost.ts';

/** The answer of GET /api/catalog/route-preview (server/src/contract/catalog.schema.ts). */
export interface RoutePreview {
  chosen: { provider: string; model: string; expectedCostMicros: number; expectedCostUsd: string; scores: { benchmark: string; value: number; reference: number; floor: number }[] } | null;
  fallbacks: { provider: string; model: string; expectedCostMicros: number; expectedCostUsd: string }[];
  candidateCount: number;
  task: string;
  tier: string;
  margin: string;
  marginLabel: string;
  reference: { ref: string; origin: string; expectedCostMicros: number | null; expectedCostUsd: string | null };
  rejected: { provider: string; model: string; expectedCostMicros: number; reason: string }[];
  why: string;
  assumed: { promptTokens: number; maxTokens: number };
  priceDate: string;
}

const TIERS = new Set(['economy', 'balanced', 'premium']);
const TASKS = new Set(['general', 'writing', 'extraction', 'classification', 'summarization', 'coding', 'reasoning', 'vision']);
const MODEL_REF = /^[a-z_]+\/[A-Za-z0-9._:-]+$/;

/**
 * The route-preview query string for a node's config, or undefined for a pinned model (never
 * routed). Only settled values are sent: a value with an expression, or one the server would
 * refuse, is left out so the preview shows the default the router would use for it.
 */
export function routePreviewQuery(config: Record<string, unknown>, resolvedPrompt?: string): string | undefined {
  const str = (k: string) => (typeof config[k] === 'string' && !(config[k] as string).includes('{{') ? (config[k] as string) : undefined);
  if (str('model')) return undefined;
  const q = new URLSearchParams();
  const task = str('task');
  if (task && TASKS.has(task)) q.set('task', task);
  const tier = str('tier');
  if (tier && TIERS.has(tier)) q.set('tier', tier);
  const ref = str('referenceModel');
  if (ref && MODEL_REF.test(ref)) q.set('referenceModel', ref);
  const json = config['jsonSchema'] !== undefined && config['jsonSchema'] !== null;
  if (json) q.set('json', 'true');
  // Prompt size: the resolved prompt when there is one, else the template itself (its expressions counted as written).
  const text = (k: string) => (typeof config[k] === 'string' ? (config[k] as string) : undefined);
  const input: AiCostInput = { prompt: resolvedPrompt ?? text('prompt') ?? '' };
  const system = text('system');
  if (system) input.system = system;
  if (json) input.jsonSchema = config['jsonSchema'];
  q.set('promptTokens', String(Math.min(1_000_000, promptTokens(input))));
  const max = config['maxTokens'];
  if (typeof max === 'number' && Number.isInteger(max) && max >= 1 && max <= 32_000) q.set('maxTokens', String(max));
  return q.toString();
}

const PROVIDER_TITLES: Record<string, string> = { openai: 'OpenAI', anthropic: 'Anthropic', deepseek: 'DeepSeek', gemini: 'Gemini', azure_openai: 'Azure OpenAI' };
export const providerTitle = (p: string): string => PROVIDER_TITLES[p] ?? p;

/** Each tier's reference model (README "Routing keeps quality"; engine/src/ai/router/quality-gate.ts). */
export const TIER_REFERENCE: Record<string, string> = { economy: 'openai/gpt-4o-mini', balanced: 'openai/gpt-4.1-mini', premium: 'openai/gpt-4.1' };

/** What to do when nothing can serve the node: which key to add, or what setting shuts everything out. */
export function noRouteAdvice(preview: RoutePreview, aiKeyCount: number, referenceModel?: string): string {
  const ref = preview.reference.ref || referenceModel || TIER_REFERENCE[preview.tier] || '';
  const refProvider = ref.split('/')[0] ?? '';
  if (aiKeyCount === 0) {
    const first = refProvider ? `an ${providerTitle(refProvider)} key serves the reference model ${ref} itself` : 'any AI provider key will do';
    return `Add an AI key under Keys: ${first}; a key of another provider works where it has a model at least as good.`;
  }
  if (refProvider) return `None of your keys has a model ${preview.marginLabel} ${ref} for ${preview.task}: add an ${providerTitle(refProvider)} key under Keys, choose a lower tier or reference model, or widen the quality margin in Costs → settings.`;
  return 'None of your keys can serve this node: add another AI key under Keys or loosen the routing settings in Costs.';
}
