// Fills every table that can hold an owner's rows for one user: through the API where a route
// writes it (workflows, versions, runs and steps, webhooks, schedules, credentials, settings,
// tokens, sessions, audit), directly where only the engine does (usage, budget months, OAuth
// states, webhook deliveries). Used by the account and backup tests.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Db } from '@keyflow/engine';
import { sampleGraph, type TestApp } from './support.ts';

export const CANARY_PREFIX = 'sk-canary-owner-data-';

export function hookGraph() {
  return { nodes: [{ id: 'hook', type: 'core.webhook', version: 1, config: {}, position: { x: 0, y: 0 } }], edges: [] };
}

export function scheduleGraph() {
  return { nodes: [{ id: 'tick', type: 'core.schedule', version: 1, config: { cron: '0 3 * * *', timezone: 'UTC' }, position: { x: 0, y: 0 } }], edges: [] };
}

export interface SeededOwner {
  id: string;
  token: string;
  workflowId: string;
  runId: string;
  credentialId: string;
  secret: string;
}

async function json<T>(res: Response | Promise<Response>, status?: number): Promise<T> {
  const r = await res;
  const text = await r.text();
  if (status !== undefined) expect(r.status, text).toBe(status);
  return JSON.parse(text) as T;
}

export async function seedOwner(t: TestApp, user: { id: string; token: string }, tag: string): Promise<SeededOwner> {
  const { token } = user;
  const wf = await json<{ id: string }>(t.request('POST', '/api/workflows', { token, body: { name: `${tag} workflow`, graph: sampleGraph(tag) } }), 201);
  await json(t.request('PUT', `/api/workflows/${wf.id}`, { token, body: { graph: sampleGraph(`${tag} v2`), baseVersion: 1 } }), 200);
  const { runId } = await json<{ runId: string }>(t.request('POST', `/api/workflows/${wf.id}/run`, { token, body: { payload: { name: tag } } }));
  for (let i = 0; i < 400; i++) {
    const run = await json<{ status: string }>(t.request('GET', `/api/runs/${runId}`, { token }));
    if (run.status === 'succeeded') break;
    await new Promise((r) => setTimeout(r, 25));
  }
  await json(t.request('POST', '/api/workflows', { token, body: { name: `${tag} hook`, graph: hookGraph() } }), 201);
  const sched = await json<{ id: string }>(t.request('POST', '/api/workflows', { token, body: { name: `${tag} nightly`, graph: scheduleGraph() } }), 201);
  await json(t.request('POST', `/api/workflows/${sched.id}/activate`, { token, body: { version: 1 } }), 200);
  const secret = `${CANARY_PREFIX}${tag}-${randomUUID()}`;
  const cred = await json<{ id: string }>(t.request('POST', '/api/credentials', { token, body: { provider: 'openai', label: `${tag} key`, secret } }), 201);
  await json(t.request('PUT', '/api/settings', { token, body: { defaultTier: 'economy' } }), 200);
  const db: Db = t.db.db;
  await db.insertInto('usage_events').values({ id: randomUUID(), owner_id: user.id, run_id: runId, workflow_id: wf.id, credential_id: cred.id, provider: 'openai', model: 'gpt-4o-mini', tokens_in: 10, tokens_out: 5, tokens_cache_read: 0, tokens_cache_write: 0, tokens_reasoning: 0, cost_micros: 42, baseline_cost_micros: 50, latency_ms: 7, outcome: 'ok' }).execute();
  await db.insertInto('ai_budget_months').values({ owner_id: user.id, month: '2026-12', spent_micros: 42, reserved_micros: 0 }).execute();
  const session = await db.selectFrom('sessions').select('id').where('user_id', '=', user.id).executeTakeFirstOrThrow();
  await db.insertInto('oauth_states').values({ id: randomUUID(), owner_id: user.id, session_id: session.id, service: 'slack', verifier_ciphertext: null, label: `${tag} oauth`, expires_at: new Date(Date.now() + 600_000) }).execute();
  const hook = await db.selectFrom('webhooks').select('id').where('owner_id', '=', user.id).executeTakeFirstOrThrow();
  await db.insertInto('webhook_deliveries').values({ webhook_id: hook.id, delivery_id: `${tag}-delivery`, expires_at: new Date(Date.now() + 3_600_000) }).execute();
  await db.insertInto('poll_triggers').values({ workflow_id: wf.id, node_id: 'mail', owner_id: user.id, node_type: 'gmail.new_message', interval_ms: 60_000, cursor: `${tag}-history`, seen_ids: '[]', last_polled_at: null, last_note: null, last_error: null }).execute();
  await db.insertInto('alert_settings').values({ owner_id: user.id, config: JSON.stringify({}) }).execute();
  await db.insertInto('alert_events').values({ id: randomUUID(), owner_id: user.id, dedupe_key: `${tag}-alert`, kind: 'workflow_failed', subject: `${tag} failed`, window_until: new Date(Date.now() + 600_000) }).execute();
  return { id: user.id, token, workflowId: wf.id, runId, credentialId: cred.id, secret };
}

/** Every table of the public schema with a column naming an owner (owner_id, user_id; users by id). */
export async function ownerTables(db: Db): Promise<{ table: string; column: string }[]> {
  const rows = await db
    .selectFrom('information_schema.columns' as never)
    .select(['table_name' as never, 'column_name' as never])
    .where('table_schema' as never, '=', 'public' as never)
    .where('column_name' as never, 'in', ['owner_id', 'user_id'] as never)
    .execute() as { table_name: string; column_name: string }[];
  return [...rows.map((r) => ({ table: r.table_name, column: r.column_name })), { table: 'users', column: 'id' }].sort((a, b) => a.table.localeCompare(b.table));
}

/** Rows per owner table for one owner. */
export async function countsFor(db: Db, ownerId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const { table, column } of await ownerTables(db)) {
    const r = await db.selectFrom(table as never).select((eb) => eb.fn.countAll<number>().as('n')).where(column as never, '=', ownerId as never).executeTakeFirstOrThrow();
    out[table] = Number((r as { n: number }).n);
  }
  return out;
}
