// The quality rule (issue 12): a routed call may go to a model only if a public benchmark shows
// it at least as good as the call's reference model for the call's task. Pure and per-model; the
// router applies it to the capability-ranked candidates (select-candidates.ts).
//
// For model C against reference R on task T (categories from taskCategories):
//  - C retired (a known retirement date on or before today), excluded by the owner's policy, or
//    specialised for another task (code models) → never;
//  - C = R → always (the author's own choice needs no proof);
//  - margin "any" → no score comparison: every capable model, today's cheapest-capable rule;
//  - otherwise the measures of T's categories that score both C and R (same source, same
//    release, same metric) are compared; none shared → never (a model without a score is never
//    a substitute, and neither is one scored only on another scale); every shared one must hold:
//      C ≥ R − noise                 ("at least as good")
//      C ≥ R × 0.98 − noise          ("within 2%")
//    noise = the larger half-width of the two 95% intervals where the source gives them, else
//    the measure's fixed noise (quality.ts).
import type { Tier } from '../catalog/catalog.ts';
import { measureOf, taskCategories, type QualityTable, type Task } from '../catalog/quality/quality.ts';

export const qualityMargins = ['equal', 'within_2pct', 'any'] as const;
export type QualityMargin = (typeof qualityMargins)[number];

export const marginLabels: Readonly<Record<QualityMargin, string>> = {
  equal: 'at least as good as',
  within_2pct: 'within 2% of',
  any: 'any capable (no quality check; cheapest model of the tier by price, the rule before issue 12)',
};

/**
 * The reference each tier stands for, when a node names a tier and no reference model. Chosen
 * for breadth of scores (LiveBench, LMArena text and vision, Aider all score them) and because
 * they are what the tier's users most often pick (gpt-4o-mini is n8n's default model).
 */
export const tierReferences: Readonly<Record<Tier, string>> = {
  economy: 'openai/gpt-4o-mini',
  balanced: 'openai/gpt-4.1-mini',
  premium: 'openai/gpt-4.1',
};

export interface Comparison {
  measure: string;
  label: string;
  value: number;
  reference: number;
  /** Lowest value that passes. */
  floor: number;
  passed: boolean;
}

export interface Verdict {
  ok: boolean;
  /** Why (for a refusal) or how (for an admission), one short phrase. */
  reason: string;
  comparisons: Comparison[];
  /** Smallest relative lead over the reference among the comparisons (ties go to the larger). */
  lead: number;
}

const round = (n: number) => Math.round(n * 100) / 100;

function halfWidth(ci: [number, number] | undefined): number {
  return ci ? Math.abs(ci[1] - ci[0]) / 2 : 0;
}

/** The score-based part of the rule: C's scores against R's for the task. */
export function compareScores(quality: QualityTable, candidate: string, reference: string, task: Task, margin: Exclude<QualityMargin, 'any'>): Verdict {
  const cats = taskCategories[task];
  const ofRef = quality.scoresOf(reference).filter((s) => cats.includes(measureOf(s.m)?.category ?? ('' as never)));
  if (ofRef.length === 0) return { ok: false, reason: `reference ${reference} has no ${cats.join('/')} score, so no substitute can be shown as good`, comparisons: [], lead: -Infinity };
  const mine = new Map(quality.scoresOf(candidate).map((s) => [s.m, s]));
  const comparisons: Comparison[] = [];
  for (const r of ofRef) {
    const c = mine.get(r.m);
    const measure = measureOf(r.m);
    if (!c || !measure) continue;
    const noise = r.ci || c.ci ? Math.max(halfWidth(r.ci), halfWidth(c.ci)) : measure.noise;
    const floor = round((margin === 'within_2pct' ? r.v * 0.98 : r.v) - noise);
    comparisons.push({ measure: r.m, label: measure.label, value: c.v, reference: r.v, floor, passed: c.v >= floor });
  }
  if (comparisons.length === 0) return { ok: false, reason: `no ${cats.join('/')} score in a source that also scores ${reference}`, comparisons, lead: -Infinity };
  const lead = Math.min(...comparisons.map((x) => (x.value - x.reference) / Math.max(Math.abs(x.reference), 1e-9)));
  const failed = comparisons.find((x) => !x.passed);
  if (failed) return { ok: false, reason: `below the reference on ${failed.label}: ${failed.value} < ${failed.floor}`, comparisons, lead };
  return { ok: true, reason: `${marginLabels[margin]} ${reference} on ${comparisons.map((x) => `${x.label} (${x.value} vs ${x.reference})`).join('; ')}`, comparisons, lead };
}

export interface GateInput {
  quality: QualityTable;
  task: Task;
  /** `provider/model` the call must match. */
  reference: string;
  margin: QualityMargin;
  /** Today, `YYYY-MM-DD` (UTC): retirements on or before it apply. */
  today: string;
  /** The owner's routing policy: false drops the model. */
  allow?: ((ref: string) => boolean) | undefined;
}

/** Memo of compareScores per table, reference, task and margin: the verdict never depends on the call. */
const memo = new WeakMap<QualityTable, Map<string, Verdict>>();

/** The whole rule for one model. */
export function judge(input: GateInput, candidate: string): Verdict {
  const { quality, task, reference, margin } = input;
  const retired = quality.retirementOf(candidate);
  if (retired && retired.date <= input.today) return { ok: false, reason: `retired on ${retired.date} (${retired.source})`, comparisons: [], lead: -Infinity };
  if (input.allow && !input.allow(candidate)) return { ok: false, reason: 'excluded by the owner’s routing policy', comparisons: [], lead: -Infinity };
  const special = quality.specialisedFor(candidate);
  if (special && special !== task) return { ok: false, reason: `a ${special} model, never used for ${task}`, comparisons: [], lead: -Infinity };
  if (candidate === reference) return { ok: true, reason: 'the reference model itself', comparisons: [], lead: 0 };
  if (margin === 'any') return { ok: true, reason: 'capable (no quality check)', comparisons: [], lead: 0 };
  let cache = memo.get(quality);
  if (!cache) memo.set(quality, (cache = new Map()));
  const key = `${reference}\u0000${task}\u0000${margin}\u0000${candidate}`;
  let v = cache.get(key);
  if (!v) cache.set(key, (v = compareScores(quality, candidate, reference, task, margin)));
  return v;
}
