// Per-owner preferences for the AI router and cost reports. An owner who never saved any gets
// the defaults; a save is an upsert that changes only the fields it is given.
import type { Db } from './database.ts';

export type Tier = 'economy' | 'balanced' | 'premium';

export type QualityMargin = 'equal' | 'within_2pct' | 'any';
const margins: readonly QualityMargin[] = ['equal', 'within_2pct', 'any'];

/**
 * How the AI router may substitute models (issue 12). The server validates it on save; a stored
 * value that no longer parses falls back field by field to the defaults.
 */
export interface RoutingPolicy {
  /** "equal": at least as good as the reference; "within_2pct"; "any": cheapest capable, no quality check. */
  margin: QualityMargin;
  /** Among candidates of equal cost and score, these go first: provider ids or `provider/model`. */
  prefer: string[];
  /** Never routed to (pinned models are not affected): provider ids or `provider/model`. */
  exclude: string[];
  /**
   * Only these keys may serve routed and pinned calls: providers, and for azure_openai only keys
   * whose endpoint host is listed (an Azure endpoint name does not reveal its region, so the owner
   * names the resources that are, e.g., in the EU). Null: no residency restriction.
   */
  dataResidency: { providers: string[]; azureEndpoints: string[] } | null;
}

export const defaultRoutingPolicy: RoutingPolicy = Object.freeze({ margin: 'equal', prefer: [], exclude: [], dataResidency: null }) as RoutingPolicy;

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function routingPolicyOf(value: unknown): RoutingPolicy {
  const v = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const margin = margins.find((m) => m === v.margin) ?? defaultRoutingPolicy.margin;
  const dr = v.dataResidency !== null && typeof v.dataResidency === 'object' ? (v.dataResidency as Record<string, unknown>) : null;
  return { margin, prefer: stringsOf(v.prefer), exclude: stringsOf(v.exclude), dataResidency: dr ? { providers: stringsOf(dr.providers), azureEndpoints: stringsOf(dr.azureEndpoints) } : null };
}

export interface OwnerSettings {
  /** Provider ids, most preferred first. */
  providerOrder: string[];
  defaultTier: Tier;
  /** Integer micro-dollars; null means no budget. */
  monthlyBudgetMicros: number | null;
  /** `<provider>/<model>` that "saved" is measured against; null means no savings are claimed. */
  baselineModel: string | null;
  routing: RoutingPolicy;
  /** Null until the owner first saves. */
  updatedAt: Date | null;
}

export type SettingsPatch = Partial<Omit<OwnerSettings, 'updatedAt'>>;

export const defaultSettings: OwnerSettings = Object.freeze({ providerOrder: [], defaultTier: 'balanced', monthlyBudgetMicros: null, baselineModel: null, routing: defaultRoutingPolicy, updatedAt: null });

function tierOf(value: string): Tier {
  return value === 'economy' || value === 'premium' ? value : 'balanced';
}

function orderOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

const columns = ['provider_order', 'default_tier', 'monthly_budget_micros', 'baseline_model', 'routing_policy', 'updated_at'] as const;
type Row = { provider_order: unknown; default_tier: string; monthly_budget_micros: number | null; baseline_model: string | null; routing_policy: unknown; updated_at: Date };

function fromRow(r: Row): OwnerSettings {
  return { providerOrder: orderOf(r.provider_order), defaultTier: tierOf(r.default_tier), monthlyBudgetMicros: r.monthly_budget_micros, baselineModel: r.baseline_model, routing: routingPolicyOf(r.routing_policy), updatedAt: r.updated_at };
}

export async function getSettings(db: Db, ownerId: string): Promise<OwnerSettings> {
  const row = await db.selectFrom('owner_settings').select(columns).where('owner_id', '=', ownerId).executeTakeFirst();
  return row ? fromRow(row) : { ...defaultSettings, providerOrder: [], routing: routingPolicyOf({}) };
}

export async function saveSettings(db: Db, ownerId: string, patch: SettingsPatch): Promise<OwnerSettings> {
  const now = new Date();
  const changes = {
    updated_at: now,
    ...(patch.providerOrder !== undefined ? { provider_order: JSON.stringify(patch.providerOrder) } : {}),
    ...(patch.defaultTier !== undefined ? { default_tier: patch.defaultTier } : {}),
    ...(patch.monthlyBudgetMicros !== undefined ? { monthly_budget_micros: patch.monthlyBudgetMicros } : {}),
    ...(patch.baselineModel !== undefined ? { baseline_model: patch.baselineModel } : {}),
    ...(patch.routing !== undefined ? { routing_policy: JSON.stringify(patch.routing) } : {}),
  };
  const row = await db
    .insertInto('owner_settings')
    .values({
      owner_id: ownerId,
      provider_order: JSON.stringify(patch.providerOrder ?? defaultSettings.providerOrder),
      default_tier: patch.defaultTier ?? defaultSettings.defaultTier,
      monthly_budget_micros: patch.monthlyBudgetMicros ?? null,
      baseline_model: patch.baselineModel ?? null,
      routing_policy: JSON.stringify(patch.routing ?? defaultRoutingPolicy),
      updated_at: now,
    })
    .onConflict((oc) => oc.column('owner_id').doUpdateSet(changes))
    .returning(columns)
    .executeTakeFirstOrThrow();
  return fromRow(row);
}
