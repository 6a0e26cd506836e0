// The node catalogue for the editor: every installed node type and version, with its config
// JSON Schema (the editor renders forms from it) and its handles; and the AI model catalog
// (tiers and prices from the engine's pinned price table) for the editor's cost estimates.
import { Hono } from 'hono';
import { z } from 'zod';
import { aiRouter, providerIds, settings } from '@keyflow/engine';
import { defaultRegistry, describeNode } from '@keyflow/nodes';
import { route } from '../http/route.ts';
import type { AppEnv } from '../http/types.ts';

const tierEnum = z.enum(aiRouter.tiers);

/** What the editor needs of each model: ids, class, prices per million tokens, limits. */
const catalogModel = z.object({
  ref: z.string(),
  provider: z.enum(providerIds),
  model: z.string(),
  tier: tierEnum,
  /** Micro-dollars per million tokens (integers); null cache/reasoning rates bill at the plain rate. */
  prices: z.object({ input: z.int(), output: z.int(), cacheRead: z.int().nullable(), cacheWrite: z.int().nullable(), reasoning: z.int().nullable() }),
  maxInput: z.int(),
  maxOutput: z.int(),
  supports: z.object({ json: z.boolean(), tools: z.boolean(), vision: z.boolean() }),
});

export const modelCatalogResponse = z.object({
  priceDate: z.string(),
  tiers: z.array(tierEnum),
  providers: z.array(z.enum(providerIds)),
  /** The owner's default tier (settings): what an AI node without `tier` asks for. */
  defaultTier: tierEnum,
  models: z.array(catalogModel),
});

export function nodeRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const descriptors = defaultRegistry.list().map(describeNode);
  route(app, { method: 'get', path: '/api/nodes', tag: 'nodes', summary: 'Installed node types with their config schemas', response: z.object({ items: z.array(z.record(z.string(), z.unknown())) }) }, (c) => c.json({ items: descriptors }));

  // The pinned table is the same for everyone; built once, on first use.
  let models: z.infer<typeof catalogModel>[] | undefined;
  let priceDate = '';
  route(app, { method: 'get', path: '/api/catalog/models', tag: 'nodes', summary: 'AI models with tiers and prices per million tokens, and the owner’s default tier', response: modelCatalogResponse }, async (c, { user }) => {
    if (!models) {
      const catalog = aiRouter.loadCatalog();
      priceDate = catalog.priceDate;
      models = catalog.models.map((m) => ({ ref: m.ref, provider: m.provider, model: m.model, tier: m.tier, prices: { ...m.prices }, maxInput: m.maxInput, maxOutput: m.maxOutput, supports: { ...m.supports } }));
    }
    const owner = await settings.getSettings(c.get('services').db, user.id);
    return c.json({ priceDate, tiers: [...aiRouter.tiers], providers: [...providerIds], defaultTier: owner.defaultTier, models });
  });
  return app;
}
