// Alert settings and the alerts raised (issue 14). The webhook secret is sealed under the
// owner's key and never answered; a Slack connection must be the caller's own Slack credential.
import { Hono } from 'hono';
import { sql } from 'kysely';
import { alertsStore, Invalid, users } from '@keyflow/engine';
import { activityQuery, activityResponse, alertEventsResponse, alertSettingsBody, alertSettingsResponse } from '../contract/alerts.schema.ts';
import { route } from '../http/route.ts';
import type { AppEnv } from '../http/types.ts';

function present(s: alertsStore.StoredAlertSettings, emailConfigured: boolean) {
  const c = s.config;
  return { ...c, email: { ...c.email, configured: emailConfigured }, webhook: { ...c.webhook, hasSecret: s.webhookSecretCiphertext !== null }, updatedAt: s.updatedAt ? s.updatedAt.toISOString() : null };
}

export function alertRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const tag = 'alerts';

  route(app, { method: 'get', path: '/api/alerts/settings', tag, summary: 'Alert rules and channels (all off until saved)', response: alertSettingsResponse }, async (c, { user }) => {
    const { db, config } = c.get('services');
    return c.json(present(await alertsStore.getAlertSettings(db, user.id), config.smtp !== undefined));
  });

  route(app, { method: 'put', path: '/api/alerts/settings', tag, summary: 'Save alert rules and channels; omitted sections and fields keep their value', body: alertSettingsBody, response: alertSettingsResponse }, async (c, { body, user }) => {
    const { db, config, keyring } = c.get('services');
    const current = (await alertsStore.getAlertSettings(db, user.id)).config;
    const { secret, ...webhook } = body.webhook ?? {};
    const next: alertsStore.AlertConfig = {
      email: { ...current.email, ...body.email },
      slack: { ...current.slack, ...body.slack },
      webhook: { ...current.webhook, ...webhook },
      workflowFailures: { ...current.workflowFailures, ...body.workflowFailures },
      budget: { ...current.budget, ...body.budget },
      credentialInvalid: { ...current.credentialInvalid, ...body.credentialInvalid },
      providerCooldown: { ...current.providerCooldown, ...body.providerCooldown },
    };
    const issues: { path: (string | number)[]; message: string }[] = [];
    if (next.slack.credentialId) {
      const cred = await db.selectFrom('credentials').select('provider').where('owner_id', '=', user.id).where('id', '=', next.slack.credentialId).executeTakeFirst();
      if (cred?.provider !== 'slack') issues.push({ path: ['body', 'slack', 'credentialId'], message: 'is not one of your Slack connections' });
    }
    if (next.slack.enabled && (!next.slack.credentialId || !next.slack.channel)) issues.push({ path: ['body', 'slack'], message: 'Slack alerts need credentialId and channel' });
    if (next.webhook.enabled && !next.webhook.url) issues.push({ path: ['body', 'webhook', 'url'], message: 'webhook alerts need a URL' });
    if (issues.length) throw new Invalid('invalid alert settings', issues);
    const sealed = secret === undefined ? undefined : secret === null ? null : keyring.encrypt(user.id, secret).ciphertext;
    const saved = await alertsStore.saveAlertSettings(db, user.id, alertsStore.alertConfigOf(next), sealed);
    await users.audit(db, user.id, 'alerts.update', { type: 'settings', id: user.id }, { sections: Object.keys(body) });
    return c.json(present(saved, config.smtp !== undefined));
  });

  route(app, { method: 'get', path: '/api/alerts', tag, summary: 'The latest alerts raised (newest first), with what each channel answered', response: alertEventsResponse }, async (c, { user }) => {
    const items = await alertsStore.listAlertEvents(c.get('services').db, user.id);
    return c.json({ items: items.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })) });
  });

  route(app, { method: 'get', path: '/api/activity', tag, summary: 'Runs, failures and AI spend per hour, and credential health: the editor’s Activity page', query: activityQuery, response: activityResponse }, async (c, { query, user }) => {
    const { db } = c.get('services');
    const HOUR = 3_600_000;
    const to = new Date(Math.floor(Date.now() / HOUR) * HOUR + HOUR);
    const from = new Date(to.getTime() - query.hours * HOUR);
    const hour = sql<Date>`date_trunc('hour', created_at)`;
    const [runRows, spendRows, healthRows] = await Promise.all([
      db.selectFrom('runs').select([hour.as('h'), (eb) => eb.fn.countAll<string>().as('n'), sql<string>`count(*) filter (where status = 'failed')`.as('failed')]).where('owner_id', '=', user.id).where('created_at', '>=', from).groupBy(sql`1`).execute(),
      db.selectFrom('usage_events').select([hour.as('h'), sql<string>`coalesce(sum(cost_micros), 0)`.as('cost')]).where('owner_id', '=', user.id).where('created_at', '>=', from).groupBy(sql`1`).execute(),
      db.selectFrom('credentials').select(['health', (eb) => eb.fn.countAll<string>().as('n')]).where('owner_id', '=', user.id).groupBy('health').execute(),
    ]);
    const hours = Array.from({ length: query.hours }, (_, i) => ({ hour: new Date(from.getTime() + i * HOUR).toISOString(), runs: 0, failed: 0, costMicros: 0 }));
    const at = (d: Date) => hours[Math.floor((new Date(d).getTime() - from.getTime()) / HOUR)];
    for (const r of runRows) {
      const h = at(r.h);
      if (h) (h.runs = Number(r.n)), (h.failed = Number(r.failed));
    }
    for (const r of spendRows) {
      const h = at(r.h);
      if (h) h.costMicros = Number(r.cost);
    }
    const totals = hours.reduce((t, h) => ({ runs: t.runs + h.runs, failed: t.failed + h.failed, costMicros: t.costMicros + h.costMicros }), { runs: 0, failed: 0, costMicros: 0 });
    return c.json({ from: from.toISOString(), to: to.toISOString(), hours, totals, health: Object.fromEntries(healthRows.map((r) => [r.health, Number(r.n)])) });
  });

  return app;
}
