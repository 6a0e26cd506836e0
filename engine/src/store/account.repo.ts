// An owner's whole account: deletion of everything they have (one transaction) and an export
// of their data as JSON (workflows with versions, runs with steps, usage; credentials masked).
import { sql } from 'kysely';
import type { Database } from '@keyflow/migrations';
import { forgetApiTokens } from './api-token-cache.ts';
import type { Db } from './database.ts';

type Table = keyof Database;

/**
 * Every table that holds an owner's rows, with the column naming the owner, children before
 * parents. A new table with an owner column must be listed here: account.test.ts compares this
 * list with the schema and fails on a table it does not name. `webhook_deliveries` has no owner
 * column; its rows go through their webhook.
 */
export const OWNER_TABLES: readonly { table: Table; column: string }[] = [
  { table: 'run_steps', column: 'owner_id' },
  { table: 'usage_events', column: 'owner_id' },
  { table: 'runs', column: 'owner_id' },
  { table: 'schedules', column: 'owner_id' },
  { table: 'poll_triggers', column: 'owner_id' },
  { table: 'alert_events', column: 'owner_id' },
  { table: 'alert_settings', column: 'owner_id' },
  { table: 'webhooks', column: 'owner_id' },
  { table: 'workflow_versions', column: 'owner_id' },
  { table: 'workflows', column: 'owner_id' },
  { table: 'oauth_states', column: 'owner_id' },
  { table: 'credentials', column: 'owner_id' },
  { table: 'ai_budget_months', column: 'owner_id' },
  { table: 'owner_settings', column: 'owner_id' },
  { table: 'audit_log', column: 'owner_id' },
  { table: 'api_tokens', column: 'owner_id' },
  { table: 'sessions', column: 'user_id' },
  { table: 'users', column: 'id' },
];

/**
 * Deletes the owner and everything they have in one transaction (nothing half-deleted if it
 * fails). Returns the rows removed per table. Queued jobs of the owner's runs stay in the queue
 * but find no run row and are skipped by the worker.
 */
export async function deleteAccount(db: Db, ownerId: string): Promise<Record<string, number>> {
  const removed = await db.transaction().execute(async (trx) => {
    const removed: Record<string, number> = {};
    const hooks = trx.selectFrom('webhooks').select('id').where('owner_id', '=', ownerId);
    const d = await trx.deleteFrom('webhook_deliveries').where('webhook_id', 'in', hooks).executeTakeFirst();
    removed.webhook_deliveries = Number(d.numDeletedRows);
    for (const { table, column } of OWNER_TABLES) {
      // Table and column come from the constant list above, never from input.
      const r = await trx.deleteFrom(table).where(sql.ref(column), '=', ownerId).executeTakeFirst();
      removed[table] = Number(r.numDeletedRows);
    }
    return removed;
  });
  forgetApiTokens(db);
  return removed;
}

/** What `GET /api/account/export` answers. */
export interface AccountExport {
  format: 'keyflow-account-export';
  version: 1;
  exportedAt: string;
  user: { id: string; email: string; createdAt: string };
  settings: Record<string, unknown> | null;
  workflows: Record<string, unknown>[];
  runs: Record<string, unknown>[];
  usage: Record<string, unknown>[];
  credentials: { id: string; provider: string; label: string; hint: string; status: string; createdAt: string; lastUsedAt: string | null }[];
  apiTokens: { id: string; name: string; prefix: string; createdAt: string; lastUsedAt: string | null }[];
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

/** The owner's data, every query scoped by owner. Credentials appear only by label and hint (their masked form). */
export async function exportAccount(db: Db, ownerId: string, now = new Date()): Promise<AccountExport | undefined> {
  const user = await db.selectFrom('users').select(['id', 'email', 'created_at']).where('id', '=', ownerId).executeTakeFirst();
  if (!user) return undefined;
  const [settings, wfs, versions, runRows, steps, usage, creds, tokens] = await Promise.all([
    db.selectFrom('owner_settings').selectAll().where('owner_id', '=', ownerId).executeTakeFirst(),
    db.selectFrom('workflows').selectAll().where('owner_id', '=', ownerId).orderBy('created_at').execute(),
    db.selectFrom('workflow_versions').selectAll().where('owner_id', '=', ownerId).orderBy('version').execute(),
    db.selectFrom('runs').selectAll().where('owner_id', '=', ownerId).orderBy('created_at').execute(),
    db.selectFrom('run_steps').selectAll().where('owner_id', '=', ownerId).orderBy('seq').execute(),
    db.selectFrom('usage_events').selectAll().where('owner_id', '=', ownerId).orderBy('created_at').execute(),
    db.selectFrom('credentials').select(['id', 'provider', 'label', 'hint', 'status', 'created_at', 'last_used_at']).where('owner_id', '=', ownerId).orderBy('created_at').execute(),
    db.selectFrom('api_tokens').select(['id', 'name', 'prefix', 'created_at', 'last_used_at']).where('owner_id', '=', ownerId).orderBy('created_at').execute(),
  ]);
  const stepsByRun = new Map<string, Record<string, unknown>[]>();
  for (const s of steps) {
    const list = stepsByRun.get(s.run_id) ?? [];
    list.push({ id: s.id, nodeId: s.node_id, attempt: s.attempt, status: s.status, scope: s.scope, branch: s.branch, input: s.input, output: s.output, error: s.error, costMicros: s.cost_micros, startedAt: iso(s.started_at), finishedAt: iso(s.finished_at) });
    stepsByRun.set(s.run_id, list);
  }
  return {
    format: 'keyflow-account-export',
    version: 1,
    exportedAt: now.toISOString(),
    user: { id: user.id, email: user.email, createdAt: iso(user.created_at)! },
    settings: settings ? { providerOrder: settings.provider_order, defaultTier: settings.default_tier, monthlyBudgetMicros: settings.monthly_budget_micros, baselineModel: settings.baseline_model, routing: settings.routing_policy } : null,
    workflows: wfs.map((w) => ({
      id: w.id, name: w.name, active: w.active, currentVersion: w.current_version, activeVersion: w.active_version, createdAt: iso(w.created_at), updatedAt: iso(w.updated_at),
      versions: versions.filter((v) => v.workflow_id === w.id).map((v) => ({ version: v.version, note: v.note, graph: v.graph, createdAt: iso(v.created_at) })),
    })),
    runs: runRows.map((r) => ({
      id: r.id, workflowId: r.workflow_id, workflowVersion: r.workflow_version, trigger: r.trigger, triggerPayload: r.trigger_payload, status: r.status, error: r.error, output: r.output, response: r.response,
      costMicros: r.cost_micros, rerunOf: r.rerun_of, createdAt: iso(r.created_at), startedAt: iso(r.started_at), finishedAt: iso(r.finished_at), steps: stepsByRun.get(r.id) ?? [],
    })),
    usage: usage.map((u) => ({
      id: u.id, runId: u.run_id, stepId: u.step_id, workflowId: u.workflow_id, credentialId: u.credential_id, provider: u.provider, model: u.model,
      tokensIn: u.tokens_in, tokensOut: u.tokens_out, tokensCacheRead: u.tokens_cache_read, tokensCacheWrite: u.tokens_cache_write, tokensReasoning: u.tokens_reasoning,
      costMicros: u.cost_micros, baselineCostMicros: u.baseline_cost_micros, referenceModel: u.reference_model, referenceCostMicros: u.reference_cost_micros, latencyMs: u.latency_ms, outcome: u.outcome, createdAt: iso(u.created_at),
    })),
    credentials: creds.map((c) => ({ id: c.id, provider: c.provider, label: c.label, hint: c.hint, status: c.status, createdAt: iso(c.created_at)!, lastUsedAt: iso(c.last_used_at) })),
    apiTokens: tokens.map((t) => ({ id: t.id, name: t.name, prefix: t.prefix, createdAt: iso(t.created_at)!, lastUsedAt: iso(t.last_used_at) })),
  };
}
