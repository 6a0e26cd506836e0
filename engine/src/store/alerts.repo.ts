// Alert settings and raised alerts, every query scoped by owner. The settings are one JSON
// document (validated by the server's schema on save, read defensively here); the signed
// webhook's secret is sealed in its own column and never read back out through the API.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from './database.ts';

export interface AlertConfig {
  email: { enabled: boolean; to: string | null };
  slack: { enabled: boolean; credentialId: string | null; channel: string | null };
  webhook: { enabled: boolean; url: string | null };
  workflowFailures: { enabled: boolean; mode: 'first' | 'threshold'; count: number; minutes: number };
  budget: { enabled: boolean; thresholds: number[] };
  credentialInvalid: { enabled: boolean };
  providerCooldown: { enabled: boolean; minutes: number };
}

export const defaultAlertConfig: AlertConfig = {
  email: { enabled: false, to: null },
  slack: { enabled: false, credentialId: null, channel: null },
  webhook: { enabled: false, url: null },
  workflowFailures: { enabled: false, mode: 'first', count: 3, minutes: 60 },
  budget: { enabled: false, thresholds: [80, 100] },
  credentialInvalid: { enabled: false },
  providerCooldown: { enabled: false, minutes: 15 },
};

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const bool = (v: unknown, d: boolean) => (typeof v === 'boolean' ? v : d);
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
const int = (v: unknown, d: number, min: number, max: number) => (Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? (v as number) : d);

/** A stored document as a full config: unknown or bad parts fall back to the defaults. */
export function alertConfigOf(raw: unknown): AlertConfig {
  const r = obj(raw);
  const d = defaultAlertConfig;
  const email = obj(r.email), slack = obj(r.slack), webhook = obj(r.webhook), wf = obj(r.workflowFailures), budget = obj(r.budget), cred = obj(r.credentialInvalid), cool = obj(r.providerCooldown);
  const thresholds = Array.isArray(budget.thresholds) ? budget.thresholds.filter((t): t is number => Number.isInteger(t) && t >= 1 && t <= 1000) : d.budget.thresholds;
  return {
    email: { enabled: bool(email.enabled, false), to: str(email.to) },
    slack: { enabled: bool(slack.enabled, false), credentialId: str(slack.credentialId), channel: str(slack.channel) },
    webhook: { enabled: bool(webhook.enabled, false), url: str(webhook.url) },
    workflowFailures: { enabled: bool(wf.enabled, false), mode: wf.mode === 'threshold' ? 'threshold' : 'first', count: int(wf.count, d.workflowFailures.count, 1, 1000), minutes: int(wf.minutes, d.workflowFailures.minutes, 1, 10_080) },
    budget: { enabled: bool(budget.enabled, false), thresholds: [...new Set(thresholds)].sort((a, b) => a - b) },
    credentialInvalid: { enabled: bool(cred.enabled, false) },
    providerCooldown: { enabled: bool(cool.enabled, false), minutes: int(cool.minutes, d.providerCooldown.minutes, 1, 10_080) },
  };
}

export interface StoredAlertSettings {
  config: AlertConfig;
  webhookSecretCiphertext: string | null;
  updatedAt: Date | null;
}

export async function getAlertSettings(db: Db, ownerId: string): Promise<StoredAlertSettings> {
  const row = await db.selectFrom('alert_settings').select(['config', 'webhook_secret_ciphertext', 'updated_at']).where('owner_id', '=', ownerId).executeTakeFirst();
  return row ? { config: alertConfigOf(row.config), webhookSecretCiphertext: row.webhook_secret_ciphertext, updatedAt: row.updated_at } : { config: defaultAlertConfig, webhookSecretCiphertext: null, updatedAt: null };
}

/** Replaces the owner's config; `secret`: a new sealed webhook secret, null to remove it, undefined to keep it. */
export async function saveAlertSettings(db: Db, ownerId: string, config: AlertConfig, secret?: string | null): Promise<StoredAlertSettings> {
  const json = JSON.stringify(config);
  await db
    .insertInto('alert_settings')
    .values({ owner_id: ownerId, config: json, webhook_secret_ciphertext: secret ?? null, updated_at: new Date() })
    .onConflict((oc) => oc.column('owner_id').doUpdateSet({ config: json, updated_at: new Date(), ...(secret !== undefined ? { webhook_secret_ciphertext: secret } : {}) }))
    .execute();
  return getAlertSettings(db, ownerId);
}

/** Owners who turned a rule on (the periodic checks look only at them). */
export async function ownersWithRule(db: Db, rule: 'credentialInvalid' | 'providerCooldown' | 'budget'): Promise<string[]> {
  const rows = await db.selectFrom('alert_settings').select('owner_id').where(sql<boolean>`(config -> ${rule} ->> 'enabled')::boolean is true`).execute();
  return rows.map((r) => r.owner_id);
}

export interface NewAlert {
  key: string;
  kind: string;
  subject: string;
  link: string | null;
  windowMs: number;
}

/**
 * Takes the dedupe key: a new row, or the old one once its window has passed. Answers the
 * alert's id when it is to be delivered, or undefined when it falls inside the window (then it
 * is counted as suppressed). One statement: two processes raising the same alert deliver one.
 */
export async function takeAlert(db: Db, ownerId: string, a: NewAlert): Promise<string | undefined> {
  const id = randomUUID();
  const until = sql<Date>`now() + make_interval(secs => ${a.windowMs / 1000})`;
  const row = await db
    .insertInto('alert_events')
    .values({ id, owner_id: ownerId, dedupe_key: a.key, kind: a.kind, subject: a.subject, link: a.link, window_until: until })
    .onConflict((oc) =>
      oc.columns(['owner_id', 'dedupe_key']).doUpdateSet({ id, kind: a.kind, subject: a.subject, link: a.link, window_until: until, suppressed: 0, deliveries: '[]', created_at: sql`now()` }).where('alert_events.window_until', '<=', sql<Date>`now()`),
    )
    .returning('id')
    .executeTakeFirst();
  if (row) return row.id;
  await db.updateTable('alert_events').set({ suppressed: sql`suppressed + 1` }).where('owner_id', '=', ownerId).where('dedupe_key', '=', a.key).execute();
  return undefined;
}

export async function recordDeliveries(db: Db, ownerId: string, id: string, deliveries: Array<{ channel: string; ok: boolean; error?: string }>): Promise<void> {
  await db.updateTable('alert_events').set({ deliveries: JSON.stringify(deliveries) }).where('owner_id', '=', ownerId).where('id', '=', id).execute();
}

export interface AlertEvent {
  id: string;
  kind: string;
  subject: string;
  link: string | null;
  suppressed: number;
  deliveries: unknown[];
  createdAt: Date;
}

export async function listAlertEvents(db: Db, ownerId: string, limit = 50): Promise<AlertEvent[]> {
  const rows = await db.selectFrom('alert_events').select(['id', 'kind', 'subject', 'link', 'suppressed', 'deliveries', 'created_at']).where('owner_id', '=', ownerId).orderBy('created_at', 'desc').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind, subject: r.subject, link: r.link, suppressed: r.suppressed, deliveries: r.deliveries, createdAt: r.created_at }));
}
