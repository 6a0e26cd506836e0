// Owner settings: the AI router's preferences, the monthly budget and the baseline model that
// cost reports measure savings against.
import { z } from 'zod';
import { aiProviders, endpointProblem, normalizeEndpoint } from './credentials.schema.ts';

export const tiers = ['economy', 'balanced', 'premium'] as const;
export const MAX_MONTHLY_BUDGET_USD = 1_000_000;

/** `<provider>/<model>`, e.g. `anthropic/claude-3-5-sonnet-latest`. */
export const modelRef = z
  .string()
  .max(200)
  .regex(/^[a-z_]+\/[A-Za-z0-9][A-Za-z0-9._:@/-]*$/, 'must be "<provider>/<model>", e.g. "openai/gpt-4o"')
  .refine((v) => (aiProviders as readonly string[]).includes(v.split('/')[0] ?? ''), `provider must be one of ${aiProviders.join(', ')}`);

export const qualityMargins = ['equal', 'within_2pct', 'any'] as const;
export const MAX_POLICY_ENTRIES = 50;

/** A provider id, or one `<provider>/<model>`. */
const providerOrModel = z.union([z.enum(aiProviders), modelRef], { error: `must be a provider (${aiProviders.join(', ')}) or "<provider>/<model>"` });

function noDuplicates(list: readonly string[], ctx: z.RefinementCtx): void {
  list.forEach((v, i) => {
    if (list.indexOf(v) !== i) ctx.addIssue({ code: 'custom', path: [i], message: `"${v}" is listed twice` });
  });
}

/**
 * The routing policy (issue 12). `margin`: "equal" = at least as good as the reference model,
 * "within_2pct", "any" = cheapest capable with no quality check (the rule before issue 12).
 * Whether a named model is in the price table is checked by the route (it needs the catalog).
 */
export const routingPolicyBody = z
  .strictObject({
    margin: z.enum(qualityMargins, { error: `must be one of ${qualityMargins.join(', ')}` }),
    prefer: z.array(providerOrModel).max(MAX_POLICY_ENTRIES).superRefine(noDuplicates),
    exclude: z.array(providerOrModel).max(MAX_POLICY_ENTRIES).superRefine(noDuplicates),
    dataResidency: z
      .strictObject({
        providers: z.array(z.enum(aiProviders)).min(1, 'must name at least one provider').max(aiProviders.length).superRefine(noDuplicates),
        azureEndpoints: z
          .array(z.string().trim().max(500).transform(normalizeEndpoint))
          .max(MAX_POLICY_ENTRIES)
          .superRefine((list, ctx) => {
            noDuplicates(list, ctx);
            list.forEach((e, i) => {
              const problem = endpointProblem(e);
              if (problem) ctx.addIssue({ code: 'custom', path: [i], message: problem });
            });
          }),
      })
      .superRefine((d, ctx) => {
        if (d.providers.includes('azure_openai') && d.azureEndpoints.length === 0) ctx.addIssue({ code: 'custom', path: ['azureEndpoints'], message: 'list the Azure resources that meet the residency rule (e.g. https://my-eu.openai.azure.com)' });
        if (!d.providers.includes('azure_openai') && d.azureEndpoints.length > 0) ctx.addIssue({ code: 'custom', path: ['azureEndpoints'], message: 'only used when providers includes azure_openai' });
      })
      .nullable(),
  })
  .partial()
  .superRefine((p, ctx) => {
    (p.prefer ?? []).forEach((v, i) => {
      if ((p.exclude ?? []).includes(v)) ctx.addIssue({ code: 'custom', path: ['prefer', i], message: `"${v}" is also excluded` });
    });
  });

export const routingPolicyResponse = z.object({
  margin: z.enum(qualityMargins),
  marginLabel: z.string(),
  prefer: z.array(z.string()),
  exclude: z.array(z.string()),
  dataResidency: z.object({ providers: z.array(z.string()), azureEndpoints: z.array(z.string()) }).nullable(),
});

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
  /** Fields given replace the stored ones; omitted fields keep theirs. */
  routing: routingPolicyBody.optional(),
});

export const settingsResponse = z.object({
  providerOrder: z.array(z.string()),
  defaultTier: z.enum(tiers),
  /** Dollars, for display; the exact amount is monthlyBudgetMicros. */
  monthlyBudgetUsd: z.number().nullable(),
  monthlyBudgetMicros: z.int().nullable(),
  baselineModel: z.string().nullable(),
  routing: routingPolicyResponse,
  /** Null while the owner runs on defaults. */
  updatedAt: z.string().nullable(),
});
