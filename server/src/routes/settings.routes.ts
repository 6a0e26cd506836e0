// Owner settings: AI provider preferences, default tier, monthly budget, baseline model.
import { Hono } from 'hono';
import { settings, users } from '@keyflow/engine';
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
    const saved = await settings.saveSettings(db, user.id, {
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
