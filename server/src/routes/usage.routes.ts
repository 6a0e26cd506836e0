// Spend reports: per day, workflow, model or provider, with savings against the owner's
// baseline model and this month's budget. Every figure is this owner's alone.
import { Hono } from 'hono';
import { aiRouter, settings, usage } from '@keyflow/engine';
import { formatMicros } from '../contract/money.ts';
import { encodeCursor, usageEventsQuery, usageEventsResponse, usageQuery, usageReport } from '../contract/usage.schema.ts';
import { route } from '../http/route.ts';
import type { AppEnv } from '../http/types.ts';

/** Adds the dollar text and, only when a baseline is stated, the baseline and savings. */
function withMoney<T extends usage.UsageSums>(sums: T, hasBaseline: boolean) {
  const saved = sums.baselineCostMicros - sums.costMicros;
  const qSaved = sums.quality.referenceCostMicros - sums.quality.costMicros;
  return {
    ...sums,
    quality: { ...sums.quality, savedMicros: qSaved, savedUsd: formatMicros(qSaved) },
    costUsd: formatMicros(sums.costMicros),
    baselineCostMicros: hasBaseline ? sums.baselineCostMicros : null,
    savedMicros: hasBaseline ? saved : null,
    savedUsd: hasBaseline ? formatMicros(saved) : null,
  };
}

/** Said next to the figure, so nobody reads it as more than it is. */
export const QUALITY_BASIS =
  'quality rule: only calls the router substituted under it, each priced on the reference model it had to match (the model the node named, or its tier’s reference) for the same tokens; ' +
  'the model used scored at least as well as that reference (within the owner’s margin) on the public benchmark named in the step’s explanation. Pinned calls and calls routed with margin "any capable" are not counted.';

/** The sources (source and release) that score a model, in the order of the router's measures. */
function benchmarksOf(ref: string): string[] {
  const have = new Set(aiRouter.loadQuality().scoresOf(ref).map((s) => s.m));
  const out = new Map<string, string>();
  for (const m of aiRouter.measures) {
    const source = m.id.slice(0, m.id.indexOf(':'));
    if (have.has(m.id) && !out.has(source)) out.set(source, m.label.slice(0, m.label.indexOf(',')));
  }
  return [...out.values()];
}

export function usageRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  route(app, { method: 'get', path: '/api/usage', tag: 'usage', summary: 'Spend report with savings against the baseline model and the month’s budget', query: usageQuery, response: usageReport }, async (c, { query, user }) => {
    const { db } = c.get('services');
    const now = new Date();
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    // Independent reads, sent together: the report waits for the slowest, not for the sum of four round trips.
    const [prefs, report, references, spent] = await Promise.all([
      settings.getSettings(db, user.id),
      usage.summarizeUsage(db, user.id, query),
      usage.qualityByReference(db, user.id, query),
      usage.spentBetween(db, user.id, monthStart, nextMonth),
    ]);
    const hasBaseline = prefs.baselineModel !== null;
    const budget = prefs.monthlyBudgetMicros;

    return c.json({
      from: query.from.toISOString(),
      to: query.to.toISOString(),
      groupBy: query.groupBy,
      buckets: report.buckets.map((b) => withMoney(b, hasBaseline)),
      totals: withMoney(report.totals, hasBaseline),
      savingsBasis: hasBaseline ? `baseline model ${prefs.baselineModel} for the same calls` : null,
      qualitySavingsBasis: QUALITY_BASIS,
      qualityReferences: references.map((r) => {
        const saved = r.referenceCostMicros - r.costMicros;
        return { ...r, savedMicros: saved, savedUsd: formatMicros(saved), benchmarks: benchmarksOf(r.ref) };
      }),
      budget: {
        month: monthStart.toISOString().slice(0, 7),
        monthlyBudgetMicros: budget,
        monthlyBudgetUsd: budget === null ? null : formatMicros(budget),
        spentMicros: spent,
        spentUsd: formatMicros(spent),
        remainingMicros: budget === null ? null : budget - spent,
      },
    });
  });

  route(app, { method: 'get', path: '/api/usage/events', tag: 'usage', summary: 'Your provider calls, failed ones included, newest first (filter by run, workflow, provider, outcome, time; paged by cursor)', query: usageEventsQuery, response: usageEventsResponse }, async (c, { query, user }) => {
    const page = await usage.listUsageEvents(c.get('services').db, user.id, query);
    return c.json({
      items: page.items.map((e) => ({ ...e, costUsd: formatMicros(e.costMicros) })),
      nextCursor: page.nextCursor ? encodeCursor(page.nextCursor) : null,
    });
  });

  return app;
}
