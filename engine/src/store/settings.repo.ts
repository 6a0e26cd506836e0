// Per-owner preferences for the AI router and cost reports. An owner who never saved any gets
// the defaults; a save is an upsert that changes only the fields it is given.
import type { Db } from './database.ts';

export type Tier = 'economy' | 'balanced' | 'premium';

export interface OwnerSettings {
  /** Provider ids, most preferred first. */
  providerOrder: string[];
  defaultTier: Tier;
  /** Integer micro-dollars; null means no budget. */
  monthlyBudgetMicros: number | null;
  /** `<provider>/<model>` that "saved" is measured against; null means no savings are claimed. */
  baselineModel: string | null;
  /** Null until the owner first saves. */
  updatedAt: Date | null;
}

export type SettingsPatch = Partial<Omit<OwnerSettings, 'updatedAt'>>;

export const defaultSettings: OwnerSettings = Object.freeze({ providerOrder: [], defaultTier: 'balanced', monthlyBudgetMicros: null, baselineModel: null, updatedAt: null });

function tierOf(value: string): Tier {
  return value === 'economy' || value === 'premium' ? value : 'balanced';
}

function orderOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

const columns = ['provider_order', 'default_tier', 'monthly_budget_micros', 'baseline_model', 'updated_at'] as const;
type Row = { provider_order: unknown; default_tier: string; monthly_budget_micros: number | null; baseline_model: string | null; updated_at: Date };

function fromRow(r: Row): OwnerSettings {
  return { providerOrder: orderOf(r.provider_order), defaultTier: tierOf(r.default_tier), monthlyBudgetMicros: r.monthly_budget_micros, baselineModel: r.baseline_model, updatedAt: r.updated_at };
}

export async function getSettings(db: Db, ownerId: string): Promise<OwnerSettings> {
  const row = await db.selectFrom('owner_settings').select(columns).where('owner_id', '=', ownerId).executeTakeFirst();
  return row ? fromRow(row) : { ...defaultSettings, providerOrder: [] };
}

export async function saveSettings(db: Db, ownerId: string, patch: SettingsPatch): Promise<OwnerSettings> {
  const now = new Date();
  const changes = {
    updated_at: now,
    ...(patch.providerOrder !== undefined ? { provider_order: JSON.stringify(patch.providerOrder) } : {}),
    ...(patch.defaultTier !== undefined ? { default_tier: patch.defaultTier } : {}),
    ...(patch.monthlyBudgetMicros !== undefined ? { monthly_budget_micros: patch.monthlyBudgetMicros } : {}),
    ...(patch.baselineModel !== undefined ? { baseline_model: patch.baselineModel } : {}),
  };
  const row = await db
    .insertInto('owner_settings')
    .values({
      owner_id: ownerId,
      provider_order: JSON.stringify(patch.providerOrder ?? defaultSettings.providerOrder),
      default_tier: patch.defaultTier ?? defaultSettings.defaultTier,
      monthly_budget_micros: patch.monthlyBudgetMicros ?? null,
      baseline_model: patch.baselineModel ?? null,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('owner_id').doUpdateSet(changes))
    .returning(columns)
    .executeTakeFirstOrThrow();
  return fromRow(row);
}
