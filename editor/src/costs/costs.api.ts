// The costs page's server state: spend reports (/api/usage grouped by day, provider, model or
// workflow), the owner's settings and the model catalog (for the price table's date and the
// baseline model choices). Money stays in integer micro-dollars until it is shown.
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';

export type GroupBy = 'day' | 'workflow' | 'model' | 'provider';
export interface Sums {
  calls: number;
  tokens: { input: number; output: number; cacheRead: number; cacheWrite: number; reasoning: number };
  costMicros: number;
  costUsd: string;
  baselineCostMicros: number | null;
  savedMicros: number | null;
  savedUsd: string | null;
  /** The quality rule's figure: routed calls only, each against the reference model it had to match. */
  quality: { calls: number; costMicros: number; referenceCostMicros: number; savedMicros: number; savedUsd: string };
}
export interface QualityReference {
  ref: string;
  calls: number;
  costMicros: number;
  referenceCostMicros: number;
  savedMicros: number;
  savedUsd: string;
  /** Sources with a score for the reference, e.g. "LiveBench 2025-04-25". */
  benchmarks: string[];
}
export interface UsageReport {
  from: string;
  to: string;
  groupBy: GroupBy;
  buckets: (Sums & { key: string; label: string })[];
  totals: Sums;
  savingsBasis: string | null;
  qualitySavingsBasis: string;
  qualityReferences: QualityReference[];
  budget: { month: string; monthlyBudgetMicros: number | null; monthlyBudgetUsd: string | null; spentMicros: number; spentUsd: string; remainingMicros: number | null };
}
export interface Settings {
  providerOrder: string[];
  defaultTier: 'economy' | 'balanced' | 'premium';
  monthlyBudgetUsd: number | null;
  monthlyBudgetMicros: number | null;
  baselineModel: string | null;
  routing: RoutingPolicy & { marginLabel: string };
  updatedAt: string | null;
}
export const qualityMargins = ['equal', 'within_2pct', 'any'] as const;
export type QualityMargin = (typeof qualityMargins)[number];
export interface RoutingPolicy {
  margin: QualityMargin;
  /** Providers or `provider/model`s preferred among the candidates that pass, and never used. */
  prefer: string[];
  exclude: string[];
  /** Only these providers (and for Azure, only these resources); null: no residency rule. */
  dataResidency: { providers: string[]; azureEndpoints: string[] } | null;
}
export interface Catalog {
  priceDate: string;
  tiers: string[];
  providers: string[];
  models: { ref: string; provider: string; model: string; tier: string }[];
}
export type SettingsUpdate = Partial<Pick<Settings, 'providerOrder' | 'defaultTier' | 'monthlyBudgetUsd' | 'baselineModel'> & { routing: Partial<RoutingPolicy> }>;

export const usageKey = ['usage'] as const;
export const settingsKey = ['settings'] as const;

export function useUsage(groupBy: GroupBy) {
  return useQuery({ queryKey: [...usageKey, groupBy], queryFn: ({ signal }) => api<UsageReport>('GET', `/api/usage?groupBy=${groupBy}`, undefined, { signal }) });
}
export function useSettings() {
  return useQuery({ queryKey: settingsKey, queryFn: ({ signal }) => api<Settings>('GET', '/api/settings', undefined, { signal }) });
}
export function useCatalog() {
  return useQuery({ queryKey: ['catalog', 'models'], queryFn: ({ signal }) => api<Catalog>('GET', '/api/catalog/models', undefined, { signal }), staleTime: 5 * 60_000 });
}
export const saveSettings = (body: SettingsUpdate) => api<Settings>('PUT', '/api/settings', body);

/** Micro-dollars as dollars with six decimals, by integer math (no float rounding). */
export function usd(micros: number): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(micros);
  return `${sign}$${Math.floor(abs / 1_000_000)}.${String(abs % 1_000_000).padStart(6, '0')}`;
}

/** Every day of the report's month, with its spend (0 where there was none), for the chart. */
export function daysOfMonth(report: UsageReport): { day: string; micros: number }[] {
  const from = new Date(report.from);
  const to = new Date(report.to);
  const byDay = new Map(report.buckets.map((b) => [b.key.slice(0, 10), b.costMicros]));
  const out: { day: string; micros: number }[] = [];
  for (let t = from.getTime(); t < to.getTime(); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    out.push({ day, micros: byDay.get(day) ?? 0 });
  }
  return out;
}

/** Share of the budget used, and whether it is past the warning line (80%). */
export function budgetState(b: UsageReport['budget']): { ratio: number | null; warn: boolean; over: boolean } {
  if (b.monthlyBudgetMicros === null) return { ratio: null, warn: false, over: false };
  if (b.monthlyBudgetMicros === 0) return { ratio: b.spentMicros > 0 ? 1 : 0, warn: b.spentMicros > 0, over: b.spentMicros > 0 };
  const ratio = b.spentMicros / b.monthlyBudgetMicros;
  return { ratio, warn: ratio > 0.8, over: ratio >= 1 };
}
