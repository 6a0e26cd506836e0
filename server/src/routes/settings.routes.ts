// Owner settings: AI provider preferences, default tier, monthly budget, baseline model.
import { Hono } from 'hono';
import { aiRouter, Invalid, settings, users } from '@keyflow/engine';
import { microsToUsd, usdToMicros } from '../contract/money.ts';
import { settingsResponse, updateSettingsBody } from '../contract/settings.schema.ts';
import { route } from '../http/route.ts';
import type { AppEnv } from '../http/types.ts';

function present(s: settings.OwnerSettings) {
  return {
    providerOrder: s.providerOrder,
    defaultTier: s.defaultTier,
    monthlyBudgetUsd: s.monthlyBudgetMicros === null ? null : microsToUsd(s.monthlyBudgetMicros),
    monthlyBudgetMicros: s.monthlyBudgetMicros,
    baselineModel: s.baselineModel,
    routing: { ...s.routing, marginLabel: aiRouter.marginLabels[s.routing.margin] },
    updatedAt: s.updatedAt ? s.updatedAt.toISOString() : null,
  };
}

export function settingsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const tag = 'settings';

  route(app, { method: 'get', path: '/api/settings', tag, summary: 'Get the owner’s settings (defaults until first saved)', response: settingsResponse }, async (c, { user }) =>
    c.json(present(await settings.getSettings(c.get('services').db, user.id))),
  );

  route(app, { method: 'put', path: '/api/settings', tag, summary: 'Save settings; omitted fields keep their value, null clears budget or baseline', body: updateSettingsBody, response: settingsResponse }, async (c, { body, user }) => {
    const { db } = c.get('services');
    let routing: settings.RoutingPolicy | undefined;
    if (body.routing !== undefined) {
      // A named model must exist, or the policy would silently never match anything.
      const catalog = aiRouter.loadCatalog();
      const issues: { path: (string | number)[]; message: string }[] = [];
      for (const field of ['prefer', 'exclude'] as const) {
        (body.routing[field] ?? []).forEach((v, i) => {
          if (v.includes('/') && !catalog.find(v)) issues.push({ path: ['body', 'routing', field, i], message: `${v} is not in the price table` });
        });
      }
      if (issues.length > 0) throw new Invalid('invalid routing policy', issues);
      const current = (await settings.getSettings(db, user.id)).routing;
      routing = {
        margin: body.routing.margin ?? current.margin,
        prefer: body.routing.prefer ?? current.prefer,
        exclude: body.routing.exclude ?? current.exclude,
        dataResidency: body.routing.dataResidency !== undefined ? body.routing.dataResidency : current.dataResidency,
      };
    }
    const saved = await settings.saveSettings(db, user.id, {
      routing,
      providerOrder: body.providerOrder,
      defaultTier: body.defaultTier,
      monthlyBudgetMicros: body.monthlyBudgetUsd === undefined || body.monthlyBudgetUsd === null ? body.monthlyBudgetUsd : usdToMicros(body.monthlyBudgetUsd),
      baselineModel: body.baselineModel,
    });
    const fields = Object.entries(body).filter(([, v]) => v !== undefined).map(([k]) => k);
    await users.audit(db, user.id, 'settings.update', { type: 'settings', id: user.id }, { fields });
    return c.json(present(saved));
  });

  return app;
}
