// GET /api/catalog/route-preview: the model an AI node would run on for the caller's keys and
// settings, its estimated cost per run and why. Owner-scoped: only the caller's keys and policy.
import { Hono } from 'hono';
import { aiRouter, previewRoute } from '@keyflow/engine';
import { routePreviewQuery, routePreviewResponse } from '../contract/catalog.schema.ts';
import { formatMicros } from '../contract/money.ts';
import { route } from '../http/route.ts';
import type { AppEnv } from '../http/types.ts';

export function catalogRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  route(
    app,
    { method: 'get', path: '/api/catalog/route-preview', tag: 'catalog', summary: 'The model an AI node would use with your keys and routing policy, its estimated cost and why', query: routePreviewQuery, response: routePreviewResponse },
    async (c, { query, user }) => {
      const p = await previewRoute(c.get('services').db, user.id, {
        task: query.task,
        tier: query.tier,
        referenceModel: query.referenceModel,
        json: query.json === 'true',
        promptTokens: query.promptTokens,
        maxTokens: query.maxTokens,
      });
      const ref = p.quality?.reference;
      return c.json({
        chosen: p.chosen ? { ...p.chosen, expectedCostUsd: formatMicros(p.chosen.expectedCostMicros) } : null,
        fallbacks: p.fallbacks.map((f) => ({ ...f, expectedCostUsd: formatMicros(f.expectedCostMicros) })),
        candidateCount: p.candidateCount,
        task: p.task,
        tier: p.tier,
        margin: p.margin,
        marginLabel: p.marginLabel,
        reference: { ref: ref?.ref ?? '', origin: ref?.origin ?? '', expectedCostMicros: ref?.expectedCostMicros ?? null, expectedCostUsd: ref?.expectedCostMicros == null ? null : formatMicros(ref.expectedCostMicros) },
        rejected: p.quality?.rejected ?? [],
        why: p.why,
        assumed: p.assumed,
        priceDate: aiRouter.priceDate,
      });
    },
  );
  return app;
}
