// Prices a trace of AI calls five ways: on the model each author picked; routed by Keyflow's
// quality rule (issue 12) to the cheapest model at least as good as the author's model for the
// call's task (and "within 2%"); and, for comparison, the price-only rules it replaced: cheapest
// model of at least the same price tier, and cheapest model that meets the call's needs at all.
// An estimate from prompt-template sizes and an assumed output length, not usage.
import { aiRouter } from '@keyflow/engine';
import { allProviderCredentials, benchRouter } from './ai-stubs.ts';
import type { TraceCall } from './ai-trace-extract.ts';

export interface SavingsOptions {
  /** Output tokens assumed for a call that declares no maxTokens. */
  defaultOutputTokens: number;
}

export interface Arm {
  totalMicros: number;
  medianMicros: number;
  /** Calls per chosen model ref, most used first. */
  models: Array<[string, number]>;
}

export interface SavingsReport {
  calls: number;
  priced: number;
  /** Model refs the price table does not know (calls excluded), with their call counts. */
  unknown: Array<[string, number]>;
  /** Priced calls whose node left the model at n8n's default. */
  defaultedModels: number;
  /** Priced calls no catalog model could serve under the routing needs (kept on the author's model). */
  unroutable: number;
  configured: Arm;
  sameTier: Arm;
  cheapest: Arm;
  /** Quality rule, margin "at least as good" / "within 2%", reference = the author's model. */
  quality: Arm;
  quality2pct: Arm;
  /** Quality-rule calls that stayed on the author's model (no scored, cheaper substitute), per margin. */
  qualityKept: { equal: number; within_2pct: number };
  /** Quality-rule calls whose author's model is retired and nothing could be shown as good (kept, priced on the author's model). */
  qualityUnroutable: number;
  /** Calls per inferred task. */
  tasks: Array<[string, number]>;
}

/**
 * The task of a traced n8n node, as an import would set it: the node kind where it says what
 * the node does, else the needs (images → vision, a structured answer → extraction), else general.
 */
export function taskOf(call: TraceCall): aiRouter.Task {
  if (call.kind === 'textClassifier' || call.kind === 'sentimentAnalysis') return 'classification';
  if (call.kind === 'informationExtractor') return 'extraction';
  if (call.kind === 'chainSummarization') return 'summarization';
  return aiRouter.inferTask(undefined, { json: call.needs.json, images: call.needs.vision });
}

/**
 * The call as the router sees it: ASCII filler of the traced token estimates (4 characters a
 * token, which the estimator maps back exactly) and one image for a vision call.
 */
export function requestOf(call: TraceCall, defaultOutputTokens: number): aiRouter.RouteCall['request'] {
  const user = 'x'.repeat(call.userTokens * 4);
  return {
    ...(call.systemTokens > 0 ? { system: 'x'.repeat(call.systemTokens * 4) } : {}),
    messages: [{ role: 'user', content: call.needs.vision ? [{ type: 'text', text: user }, { type: 'image', mediaType: 'image/png', base64: '' }] : user }],
    maxTokens: call.maxTokens ?? defaultOutputTokens,
  };
}

/** Usage billed for a request in this estimate: the estimated prompt in, the full maxTokens out. */
export const assumedUsage = (req: Parameters<typeof aiRouter.estimatePromptTokens>[0] & { maxTokens: number }) => ({ inputTokens: aiRouter.estimatePromptTokens(req), outputTokens: req.maxTokens });

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] ?? 0) : Math.round(((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2);
}

function tally(refs: string[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const r of refs) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

function arm(costs: number[], refs: string[]): Arm {
  return { totalMicros: costs.reduce((a, b) => a + b, 0), medianMicros: median(costs), models: tally(refs) };
}

/** Savings as a percentage of the configured cost (0 when nothing was priced). */
export function savingsPct(configured: Arm, routed: Arm): number {
  return configured.totalMicros === 0 ? 0 : (100 * (configured.totalMicros - routed.totalMicros)) / configured.totalMicros;
}

export async function costTrace(trace: readonly TraceCall[], opts: SavingsOptions): Promise<SavingsReport> {
  const { router, catalog } = benchRouter(assumedUsage);
  const credentials = allProviderCredentials();
  const unknown: string[] = [];
  const cost = { configured: [] as number[], sameTier: [] as number[], cheapest: [] as number[], quality: [] as number[], quality2pct: [] as number[] };
  const refs = { configured: [] as string[], sameTier: [] as string[], cheapest: [] as string[], quality: [] as string[], quality2pct: [] as string[] };
  const qualityKept = { equal: 0, within_2pct: 0 };
  let qualityUnroutable = 0;
  const tasks: string[] = [];
  let defaultedModels = 0;
  let unroutable = 0;

  for (const call of trace) {
    const ref = `${call.provider}/${call.model ?? '(n8n default)'}`;
    const authored = call.model === null ? undefined : catalog.find(ref);
    if (!authored) {
      unknown.push(ref);
      continue;
    }
    if (!call.modelDeclared) defaultedModels++;
    const base = { ownerId: 'bench-owner', request: requestOf(call, opts.defaultOutputTokens), credentials };
    // As configured: the author's model ran the call in n8n, so no need is re-checked against it.
    const own = { costMicros: aiRouter.costMicros(authored, { ...assumedUsage(base.request), cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 }) };
    cost.configured.push(own.costMicros);
    refs.configured.push(authored.ref);

    const routed = async (tier: aiRouter.Tier | undefined): Promise<{ micros: number; ref: string }> => {
      try {
        const r = await router.route({ ...base, needs: { ...call.needs, ...(tier ? { tier } : {}) } });
        return { micros: r.costMicros, ref: `${r.provider}/${r.model}` };
      } catch (err) {
        if (!(err instanceof aiRouter.NoModelAvailable)) throw err;
        unroutable++;
        return { micros: own.costMicros, ref: authored.ref };
      }
    };
    const task = taskOf(call);
    tasks.push(task);
    for (const [margin, key] of [['equal', 'quality'], ['within_2pct', 'quality2pct']] as const) {
      try {
        const r = await router.route({ ...base, needs: call.needs, quality: { task, referenceModel: authored.ref, margin } });
        const ref = `${r.provider}/${r.model}`;
        if (ref === authored.ref) qualityKept[margin]++;
        cost[key].push(r.costMicros);
        refs[key].push(ref);
      } catch (err) {
        if (!(err instanceof aiRouter.NoModelAvailable)) throw err;
        if (margin === 'equal') qualityUnroutable++;
        cost[key].push(own.costMicros);
        refs[key].push(authored.ref);
      }
    }
    const same = await routed(authored.tier);
    const cheap = await routed(undefined);
    cost.sameTier.push(same.micros);
    refs.sameTier.push(same.ref);
    cost.cheapest.push(cheap.micros);
    refs.cheapest.push(cheap.ref);
  }

  return {
    calls: trace.length,
    priced: cost.configured.length,
    unknown: tally(unknown),
    defaultedModels,
    unroutable,
    configured: arm(cost.configured, refs.configured),
    sameTier: arm(cost.sameTier, refs.sameTier),
    cheapest: arm(cost.cheapest, refs.cheapest),
    quality: arm(cost.quality, refs.quality),
    quality2pct: arm(cost.quality2pct, refs.quality2pct),
    qualityKept,
    qualityUnroutable,
    tasks: tally(tasks),
  };
}
