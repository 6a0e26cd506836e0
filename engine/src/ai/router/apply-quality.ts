// Applies the quality rule to a capability ranking: keeps the models the rule admits, cheapest
// first with ties to the better score, and says what it compared. Used by the router and by the
// route preview (server), so both tell the same story.
import type { Catalog, CatalogModel } from '../catalog/catalog.ts';
import { taskCategories, type QualityTable, type Task } from '../catalog/quality/quality.ts';
import { judge, marginLabels, tierReferences, type Verdict } from './quality-gate.ts';
import { expectedCostMicros } from './cost.ts';
import { NoModelAvailable } from './router-errors.ts';
import type { Needs, QualityCall, QualityExplanation, RejectedView, ScoreView } from './router-types.ts';
import type { RankedCandidates } from './select-candidates.ts';

export const MAX_REJECTED = 10;

export interface QualityRanked extends RankedCandidates {
  scores: ScoreView[][];
  explanation: QualityExplanation;
  /** The reference as a catalog model (null when the price table lacks it: a tier reference in a test table). */
  reference: CatalogModel | null;
}

export function referenceOf(q: QualityCall, needs: Needs): { ref: string; origin: QualityExplanation['reference']['origin'] } {
  return q.referenceModel ? { ref: q.referenceModel, origin: 'reference model' } : { ref: tierReferences[needs.tier ?? 'economy'], origin: 'tier reference' };
}

interface Judged {
  v: Verdict;
  scores: ScoreView[];
}

/**
 * Verdicts per (table, reference, task, margin, day) and model ref: none depends on the call, so
 * each is worked out once, and a routed call pays one map lookup per candidate (bench ai (a)).
 */
const judgedCache = new WeakMap<QualityTable, Map<string, Map<string, Judged>>>();
const MAX_CACHED_KEYS = 1_000;

function judgedFor(quality: QualityTable, reference: string, task: Task, margin: QualityCall['margin'], today: string): Map<string, Judged> {
  let byKey = judgedCache.get(quality);
  if (!byKey) judgedCache.set(quality, (byKey = new Map()));
  const key = `${reference}\u0000${task}\u0000${margin}\u0000${today}`;
  let judged = byKey.get(key);
  if (!judged) {
    // References are free text from node configs: bound the memo rather than grow forever.
    if (byKey.size >= MAX_CACHED_KEYS) byKey.clear();
    byKey.set(key, (judged = new Map()));
  }
  return judged;
}

function hasEqualCosts(kept: readonly { i: number }[], expected: readonly number[]): boolean {
  for (let k = 1; k < kept.length; k++) if ((expected[(kept[k] as { i: number }).i] ?? 0) <= (expected[(kept[k - 1] as { i: number }).i] ?? 0)) return true;
  return false;
}

export function applyQuality(ranked: RankedCandidates, q: QualityCall, needs: Needs, ctx: { catalog: Catalog; quality: QualityTable; today: string; promptTokens: number; maxTokens: number }): QualityRanked {
  const { ref, origin } = referenceOf(q, needs);
  const reference = ctx.catalog.find(ref) ?? null;
  if (q.referenceModel && !reference) throw new NoModelAvailable(`reference model ${ref} is not in the price table`);
  const input = { quality: ctx.quality, task: q.task, reference: ref, margin: q.margin, today: ctx.today };
  const judged = judgedFor(ctx.quality, ref, q.task, q.margin, ctx.today);
  const verdictOf = (m: CatalogModel): Judged => {
    let j = judged.get(m.ref);
    if (!j) {
      const v = judge(input, m.ref);
      // Frozen: shared by every call's decision.
      const scores = Object.freeze(v.comparisons.map((c) => Object.freeze({ benchmark: c.label, value: c.value, reference: c.reference, floor: c.floor }))) as ScoreView[];
      judged.set(m.ref, (j = { v, scores }));
    }
    return j;
  };
  const kept: { i: number; j: Judged; preferred: boolean }[] = [];
  const rejected: RejectedView[] = [];
  const reasonOf = (m: CatalogModel): string => (q.allow && !q.allow(m.ref) ? 'excluded by the owner’s routing policy' : verdictOf(m).v.reason);
  for (let i = 0; i < ranked.models.length; i++) {
    const m = ranked.models[i] as CatalogModel;
    const allowed = !q.allow || q.allow(m.ref);
    const j = allowed ? verdictOf(m) : undefined;
    if (j?.v.ok) {
      kept.push({ i, j, preferred: q.prefer?.(m.ref) ?? false });
      continue;
    }
    if (kept.length === 0 && rejected.length < MAX_REJECTED) rejected.push({ provider: m.provider, model: m.model, expectedCostMicros: ranked.expected[i] ?? 0, reason: reasonOf(m) });
  }
  const explanation: QualityExplanation = {
    task: q.task,
    categories: [...taskCategories[q.task]],
    margin: q.margin,
    marginLabel: marginLabels[q.margin],
    reference: { ref, expectedCostMicros: reference ? expectedCostMicros(reference, ctx.promptTokens, ctx.maxTokens) : null, origin },
    rejected,
  };
  if (kept.length === 0) {
    const reasons = new Map<string, number>();
    for (const m of ranked.models) reasons.set(reasonOf(m), (reasons.get(reasonOf(m)) ?? 0) + 1);
    const top = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([r, n]) => `${n}× ${r}`).join('; ');
    throw new NoModelAvailable(`no capable model is ${marginLabels[q.margin]} ${ref} for ${q.task} among the owner's keys (${top || 'no capable model'})`);
  }
  // Stable: equal cost → larger lead over the reference → owner's preferred → capability order.
  // The ranking is already cheapest first, so only a run of equal costs can need reordering.
  if (hasEqualCosts(kept, ranked.expected)) kept.sort((a, b) => (ranked.expected[a.i] ?? 0) - (ranked.expected[b.i] ?? 0) || b.j.v.lead - a.j.v.lead || Number(b.preferred) - Number(a.preferred) || a.i - b.i);
  return {
    models: kept.map((k) => ranked.models[k.i] as CatalogModel),
    expected: kept.map((k) => ranked.expected[k.i] ?? 0),
    worst: kept.map((k) => ranked.worst[k.i] ?? 0),
    scores: kept.map((k) => k.j.scores),
    explanation,
    reference,
  };
}

const DAY_MS = 86_400_000;
let dayStart = NaN;
let dayText = '';

/** `YYYY-MM-DD` (UTC) of `ms`; the last day's text is kept, so a call pays no Date formatting. */
export function utcDay(ms: number): string {
  if (!(ms >= dayStart && ms < dayStart + DAY_MS)) {
    dayStart = Math.floor(ms / DAY_MS) * DAY_MS;
    dayText = new Date(dayStart).toISOString().slice(0, 10);
  }
  return dayText;
}
