// The spend report: calls, tokens and cost per bucket (day, workflow, model or provider), with
// savings measured against the owner's stated baseline model, and this month's budget.
import { z } from 'zod';
import { aiProviders } from './credentials.schema.ts';

const DAY_MS = 86_400_000;
const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

// The range a report can cover: year 0 is a valid ISO date that PostgreSQL refuses (a 500),
// and no usage predates Keyflow or lies centuries ahead.
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2200, 0, 1);

/** `YYYY-MM-DD` (UTC midnight) or an ISO date-time with offset, between 2000 and 2200. */
const instant = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .refine((v) => {
    const t = Date.parse(v);
    return t >= EARLIEST && t < LATEST;
  }, 'must lie between 2000-01-01 and 2199-12-31');

export const usageQuery = z
  .strictObject({
    from: instant.optional().describe('inclusive; default: the first day of this month (UTC)'),
    to: instant.optional().describe('exclusive for a date-time; a date includes that whole day; default: the end of this month (UTC)'),
    groupBy: z.enum(['day', 'workflow', 'model', 'provider']).default('day'),
  })
  .transform((q, ctx) => {
    const now = new Date();
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    const from = q.from ? new Date(q.from) : monthStart;
    const to = q.to ? new Date(dateOnly.test(q.to) ? Date.parse(q.to) + DAY_MS : q.to) : nextMonth;
    if (from.getTime() >= to.getTime()) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
      return z.NEVER;
    }
    return { from, to, groupBy: q.groupBy };
  });

const tokens = z.object({ input: z.int(), output: z.int(), cacheRead: z.int(), cacheWrite: z.int(), reasoning: z.int() });
const sums = z.object({
  calls: z.int(),
  tokens,
  costMicros: z.int(),
  /** Dollars with six decimals, from integer math. */
  costUsd: z.string(),
  /** Null when the owner has no baseline model: no savings are claimed. */
  baselineCostMicros: z.int().nullable(),
  /** baselineCostMicros − costMicros; negative when the baseline would have been cheaper. */
  savedMicros: z.int().nullable(),
  savedUsd: z.string().nullable(),
  /**
   * Savings under the quality rule (issue 12), the same rule the router routes by: only calls it
   * routed, each against the reference model it had to match (the author's model or the tier's
   * reference), priced on the same tokens.
   */
  quality: z.object({ calls: z.int(), costMicros: z.int(), referenceCostMicros: z.int(), savedMicros: z.int(), savedUsd: z.string() }),
});

export const usageReport = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(['day', 'workflow', 'model', 'provider']),
  buckets: z.array(sums.extend({ key: z.string(), label: z.string() })),
  totals: sums,
  savingsBasis: z.string().nullable(),
  /** How the quality figure is measured, in words. */
  qualitySavingsBasis: z.string(),
  /** The quality figure of the whole range per reference model, with the benchmarks that score that model. */
  qualityReferences: z.array(
    z.object({
      ref: z.string(),
      calls: z.int(),
      costMicros: z.int(),
      referenceCostMicros: z.int(),
      savedMicros: z.int(),
      savedUsd: z.string(),
      /** Sources (one release each) with a score for the reference, e.g. "LiveBench 2026-01-08"; the step's explanation names the measures compared. */
      benchmarks: z.array(z.string()),
    }),
  ),
  budget: z.object({
    month: z.string(),
    monthlyBudgetMicros: z.int().nullable(),
    monthlyBudgetUsd: z.string().nullable(),
    spentMicros: z.int(),
    spentUsd: z.string(),
    remainingMicros: z.int().nullable(),
  }),
});

/** Outcomes a provider call is stored with: `ok`, or the failure kind. */
export const callOutcomes = ['ok', 'rate_limited', 'server', 'timeout', 'connection', 'bad_request', 'auth', 'not_found', 'other'] as const;

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
export const encodeCursor = (c: { at: string; id: string }) => Buffer.from(`${c.at}|${c.id}`).toString('base64url');

export const usageEventsQuery = z
  .strictObject({
    runId: z.uuid().optional(),
    workflowId: z.uuid().optional(),
    provider: z.enum(aiProviders, { error: `must be one of ${aiProviders.join(', ')}` }).optional(),
    outcome: z.enum(callOutcomes, { error: `must be one of ${callOutcomes.join(', ')}` }).optional(),
    from: instant.optional().describe('inclusive'),
    to: instant.optional().describe('exclusive for a date-time; a date includes that whole day'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z
      .string()
      .max(200)
      .transform((v, ctx) => {
        const m = CURSOR.exec(Buffer.from(v, 'base64url').toString('utf8'));
        if (!m) {
          ctx.addIssue({ code: 'custom', message: 'must be a nextCursor this endpoint returned' });
          return z.NEVER;
        }
        return { at: m[1] as string, id: m[2] as string };
      })
      .optional()
      .describe('nextCursor of the previous page'),
  })
  .transform((q, ctx) => {
    const from = q.from ? new Date(q.from) : undefined;
    const to = q.to ? new Date(dateOnly.test(q.to) ? Date.parse(q.to) + DAY_MS : q.to) : undefined;
    if (from && to && from.getTime() >= to.getTime()) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
      return z.NEVER;
    }
    return { ...q, from, to };
  });

export const usageEventView = z.object({
  id: z.uuid(),
  runId: z.uuid().nullable(),
  stepId: z.uuid().nullable(),
  workflowId: z.uuid().nullable(),
  provider: z.string(),
  model: z.string(),
  outcome: z.string(),
  latencyMs: z.int(),
  costMicros: z.int(),
  costUsd: z.string(),
  tokens,
  /** The model the router had to match under the quality rule, and the same tokens priced on it; null for pinned or "any capable" calls. */
  referenceModel: z.string().nullable(),
  referenceCostMicros: z.int().nullable(),
  at: z.string(),
});
export const usageEventsResponse = z.object({ items: z.array(usageEventView), nextCursor: z.string().nullable() });
