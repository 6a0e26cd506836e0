// Raises each owner's alerts and delivers them once per dedupe window. Run failures and spend
// are looked at when a run ends (told by the executor, never awaited by it); invalid
// credentials and providers in cool-down by a check every minute. Every process may raise the
// same alert: the dedupe row (alerts.repo takeAlert) lets exactly one deliver it.
import type { Logger } from 'pino';
import type { ServiceSettings } from '@keyflow/nodes/contract';
import type { LenderOptions } from '../engine/credential-lender.ts';
import type { FinishedRun } from '../executor/types.ts';
import type { SafeFetch } from '../net/index.ts';
import * as alerts from '../store/alerts.repo.ts';
import type { Db } from '../store/database.ts';
import { getSettings } from '../store/settings.repo.ts';
import { spentBetween } from '../store/usage.repo.ts';
import type { Keyring } from '../vault/keyring.ts';
import { postSlack, postWebhook, sendEmail, type AlertMessage } from './channels.ts';

export interface AlertDeps {
  db: Db;
  keyring: Keyring;
  log: Logger;
  publicUrl: string;
  /** KEYFLOW_SMTP_URL and KEYFLOW_ALERT_FROM; without them email alerts are recorded as not sent. */
  smtp?: { url: string; from: string };
  /** The SSRF-guarded fetch (the HTTP node's), for signed webhooks. */
  fetch: SafeFetch;
  slack: { lender: LenderOptions; settings: ServiceSettings };
  /** This process's breakers: owners × providers open for a while (the cool-down check). */
  coolingDown?: (minMs: number) => Array<{ ownerId: string; provider: string; sinceMs: number }>;
  now?: () => Date;
}

export interface Raised {
  key: string;
  kind: 'workflow_failed' | 'workflow_failures' | 'budget' | 'credential_invalid' | 'provider_cooldown';
  subject: string;
  text: string;
  link: string | null;
  windowMs: number;
}

const HOUR = 3_600_000;

/** A delivery failure in our own words, safe to show the owner. */
class Undeliverable extends Error {}
// The mail server's own answer can name hosts and accounts of the operator: the owner sees this instead.
const SMTP_FAILED = 'the mail server did not accept the message (the operator can see why in the server log)';

export class AlertService {
  readonly #d: AlertDeps;
  readonly #pending = new Set<Promise<unknown>>();
  #timer: NodeJS.Timeout | undefined;

  constructor(deps: AlertDeps) {
    this.#d = deps;
  }

  #now(): Date {
    return this.#d.now?.() ?? new Date();
  }

  /** The executor's hook: never throws, never holds the run up. */
  onRunFinished = (run: FinishedRun): void => {
    this.#track(this.#afterRun(run));
  };

  #track(p: Promise<unknown>): void {
    const q = p.catch((err: unknown) => this.#d.log.warn({ err: String(err) }, 'alert check failed')).finally(() => this.#pending.delete(q));
    this.#pending.add(q);
  }

  /** Waits for the checks and deliveries under way (tests, shutdown). */
  async settle(): Promise<void> {
    while (this.#pending.size) await Promise.all([...this.#pending]);
  }

  start(everyMs = 60_000): void {
    this.#timer = setInterval(() => this.#track(this.sweep()), everyMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.settle();
  }

  async #afterRun(run: FinishedRun): Promise<void> {
    if (run.status !== 'failed' && run.costMicros <= 0) return;
    const { config } = await alerts.getAlertSettings(this.#d.db, run.ownerId);
    if (run.status === 'failed' && config.workflowFailures.enabled) await this.#failure(run, config);
    if (run.costMicros > 0 && config.budget.enabled) await this.checkBudget(run.ownerId, config);
  }

  #runLink(workflowId: string, runId: string): string {
    return `${this.#d.publicUrl}/workflows/${encodeURIComponent(workflowId)}?run=${encodeURIComponent(runId)}`;
  }

  async #failure(run: FinishedRun, config: alerts.AlertConfig): Promise<void> {
    const rule = config.workflowFailures;
    const wf = await this.#d.db.selectFrom('workflows').select('name').where('owner_id', '=', run.ownerId).where('id', '=', run.workflowId).executeTakeFirst();
    const name = wf?.name ?? 'a workflow';
    const windowMs = rule.minutes * 60_000;
    const link = this.#runLink(run.workflowId, run.id);
    if (rule.mode === 'first') {
      await this.raise(run.ownerId, config, { key: `workflow_failed:${run.workflowId}`, kind: 'workflow_failed', subject: `"${name}" failed`, text: `A ${run.trigger} run of "${name}" failed. Further failures within ${rule.minutes} min are not sent again.`, link, windowMs });
      return;
    }
    const since = new Date(this.#now().getTime() - windowMs);
    const row = await this.#d.db.selectFrom('runs').select((eb) => eb.fn.countAll<string>().as('n')).where('owner_id', '=', run.ownerId).where('workflow_id', '=', run.workflowId).where('status', '=', 'failed').where('finished_at', '>=', since).executeTakeFirst();
    const failures = Number(row?.n ?? 0);
    if (failures < rule.count) return;
    await this.raise(run.ownerId, config, { key: `workflow_failures:${run.workflowId}`, kind: 'workflow_failures', subject: `"${name}" failed ${failures} times in ${rule.minutes} min`, text: `"${name}" failed ${failures} times in the last ${rule.minutes} minutes (your threshold: ${rule.count}). The latest failed run is linked.`, link, windowMs });
  }

  /** Spend this calendar month (UTC) against the owner's monthly budget, at each threshold crossed. */
  async checkBudget(ownerId: string, config?: alerts.AlertConfig): Promise<void> {
    const cfg = config ?? (await alerts.getAlertSettings(this.#d.db, ownerId)).config;
    const { monthlyBudgetMicros } = await getSettings(this.#d.db, ownerId);
    if (!monthlyBudgetMicros) return;
    const now = this.#now();
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    const spent = await spentBetween(this.#d.db, ownerId, from, to);
    const pct = (spent / monthlyBudgetMicros) * 100;
    const crossed = cfg.budget.thresholds.filter((t) => pct >= t).at(-1);
    if (crossed === undefined) return;
    const month = from.toISOString().slice(0, 7);
    const usd = (m: number) => `$${(m / 1_000_000).toFixed(2)}`;
    await this.raise(ownerId, cfg, {
      key: `budget:${month}:${crossed}`, kind: 'budget', subject: `AI spend reached ${crossed}% of this month's budget`,
      text: `You have spent ${usd(spent)} of your ${usd(monthlyBudgetMicros)} budget for ${month} (${Math.floor(pct)}%).`, link: `${this.#d.publicUrl}/costs`, windowMs: to.getTime() - now.getTime() + HOUR,
    });
  }

  /** The periodic checks: credentials turned invalid, providers in cool-down for long, and spend outside runs (generation). */
  async sweep(): Promise<void> {
    for (const ownerId of await alerts.ownersWithRule(this.#d.db, 'budget')) await this.checkBudget(ownerId);
    for (const ownerId of await alerts.ownersWithRule(this.#d.db, 'credentialInvalid')) {
      const { config } = await alerts.getAlertSettings(this.#d.db, ownerId);
      const bad = await this.#d.db.selectFrom('credentials').select(['id', 'label', 'provider', 'health_error']).where('owner_id', '=', ownerId).where((eb) => eb.or([eb('status', '=', 'invalid'), eb('health', '=', 'invalid')])).execute();
      for (const c of bad) {
        await this.raise(ownerId, config, { key: `credential_invalid:${c.id}`, kind: 'credential_invalid', subject: `The ${c.provider} key "${c.label}" stopped working`, text: `${c.provider} refused the key "${c.label}"${c.health_error ? `: ${c.health_error}` : ''}. Replace or reconnect it.`, link: `${this.#d.publicUrl}/connections`, windowMs: 24 * HOUR });
      }
    }
    const cooling = this.#d.coolingDown;
    if (!cooling) return;
    const owners = new Set(await alerts.ownersWithRule(this.#d.db, 'providerCooldown'));
    if (!owners.size) return;
    const configs = new Map<string, alerts.AlertConfig>();
    for (const c of cooling(60_000)) {
      if (!owners.has(c.ownerId)) continue;
      let config = configs.get(c.ownerId);
      if (!config) configs.set(c.ownerId, (config = (await alerts.getAlertSettings(this.#d.db, c.ownerId)).config));
      if (c.sinceMs < config.providerCooldown.minutes * 60_000) continue;
      const minutes = Math.floor(c.sinceMs / 60_000);
      await this.raise(c.ownerId, config, { key: `provider_cooldown:${c.provider}`, kind: 'provider_cooldown', subject: `${c.provider} has been in cool-down for ${minutes} min`, text: `Keyflow has stopped sending your AI calls to ${c.provider} for ${minutes} minutes because its calls keep failing; they go to your other providers meanwhile.`, link: `${this.#d.publicUrl}/connections`, windowMs: 6 * HOUR });
    }
  }

  /** Takes the dedupe key and, when it is the first in its window, delivers on every channel on. */
  async raise(ownerId: string, config: alerts.AlertConfig, a: Raised): Promise<'sent' | 'suppressed'> {
    const id = await alerts.takeAlert(this.#d.db, ownerId, { key: a.key, kind: a.kind, subject: a.subject, link: a.link, windowMs: a.windowMs });
    if (!id) return 'suppressed';
    const m: AlertMessage = { id, kind: a.kind, subject: a.subject, text: a.text, link: a.link, at: this.#now() };
    const results: Array<{ channel: string; ok: boolean; error?: string }> = [];
    const attempt = async (channel: string, send: () => Promise<void>) => {
      try {
        await send();
        results.push({ channel, ok: true });
      } catch (err) {
        const mine = err instanceof Undeliverable || channel !== 'email';
        results.push({ channel, ok: false, error: mine && err instanceof Error ? err.message.slice(0, 200) : SMTP_FAILED });
        // The server log gets the SMTP code, never the SMTP URL (it holds the password).
        if (!mine) this.#d.log.warn({ alertId: id, code: (err as { code?: unknown; responseCode?: unknown })?.code, responseCode: (err as { responseCode?: unknown })?.responseCode }, 'alert email not accepted');
      }
    };
    if (config.email.enabled) {
      const smtp = this.#d.smtp;
      const to = config.email.to ?? (await this.#d.db.selectFrom('users').select('email').where('id', '=', ownerId).executeTakeFirst())?.email;
      await attempt('email', async () => {
        if (!smtp) throw new Undeliverable('email is not configured on this server (KEYFLOW_SMTP_URL)');
        if (!to) throw new Undeliverable('no address');
        await sendEmail(smtp, to, m);
      });
    }
    if (config.slack.enabled && config.slack.credentialId && config.slack.channel) {
      const { credentialId, channel } = config.slack;
      await attempt('slack', () => postSlack({ db: this.#d.db, keyring: this.#d.keyring, ...this.#d.slack }, ownerId, credentialId, channel, m));
    }
    if (config.webhook.enabled && config.webhook.url) {
      const url = config.webhook.url;
      const stored = await alerts.getAlertSettings(this.#d.db, ownerId);
      const secret = stored.webhookSecretCiphertext ? this.#d.keyring.decrypt(ownerId, stored.webhookSecretCiphertext) : undefined;
      await attempt('webhook', () => postWebhook(this.#d.fetch, url, secret, m));
    }
    await alerts.recordDeliveries(this.#d.db, ownerId, id, results);
    for (const r of results) if (!r.ok) this.#d.log.warn({ alertId: id, channel: r.channel, error: r.error }, 'alert delivery failed');
    return 'sent';
  }
}
