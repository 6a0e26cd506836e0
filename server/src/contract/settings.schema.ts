// Owner settings: the AI router's preferences, the monthly budget and the baseline model that
// cost reports measure savings against.
import { z } from 'zod';
import { aiProviders } from './credentials.schema.ts';

export const tiers = ['economy', 'balanced', 'premium'] as const;
export const MAX_MONTHLY_BUDGET_USD = 1_000_000;

/** `<provider>/<model>`, e.g. `anthropic/claude-3-5-sonnet-latest`. */
export const modelRef = z
  .string()
  .max(200)
  .regex(/^[a-z_]+\/[A-Za-z0-9][A-Za-z0-9._:@/-]*$/, 'must be "<provider>/<model>", e.g. "openai/gpt-4o"')
  .refine((v) => (aiProviders as readonly string[]).includes(v.split('/')[0] ?? ''), `provider must be one of ${aiProviders.join(', ')}`);

export const updateSettingsBody = z.strictObject({
  providerOrder: z
    .array(z.enum(aiProviders))
    .max(aiProviders.length)
    .superRefine((order, ctx) => {
      order.forEach((p, i) => {
        if (order.indexOf(p) !== i) ctx.addIssue({ code: 'custom', path: [i], message: `"${p}" is listed twice` });
      });
    })
    .optional(),
  defaultTier: z.enum(tiers).optional(),
  monthlyBudgetUsd: z.number().min(0, 'must not be negative').max(MAX_MONTHLY_BUDGET_USD, `must be at most ${MAX_MONTHLY_BUDGET_USD}`).nullable().optional(),
  baselineModel: modelRef.nullable().optional(),
});

export const settingsResponse = z.object({
  providerOrder: z.array(z.string()),
  defaultTier: z.enum(tiers),
  /** Dollars, for display; the exact amount is monthlyBudgetMicros. */
  monthlyBudgetUsd: z.number().nullable(),
  monthlyBudgetMicros: z.int().nullable(),
  baselineModel: z.string().nullable(),
  /** Null while the owner runs on defaults. */
  updatedAt: z.string().nullable(),
});
