// Spend reports over usage_events, one owner at a time. Sums are done by Postgres as int8 and
// stay integers of micro-dollars end to end; nothing here touches a float.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from './database.ts';

export type UsageGroupBy = 'day' | 'workflow' | 'model' | 'provider';

export interface TokenCounts {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  reasoning: number;
}

export interface UsageSums {
  calls: number;
  tokens: TokenCounts;
  costMicros: number;
  baselineCostMicros: number;
  /** Calls routed under the quality rule (a reference priced beside them), their cost, and the same usage on the references. */
  quality: { calls: number; costMicros: number; referenceCostMicros: number };
}

export interface UsageBucket extends UsageSums {
  /** Day `YYYY-MM-DD` (UTC), workflow id (`none` for calls outside a workflow), `provider/model`, or provider. */
  key: string;
  label: string;
}

export interface UsageSummary {
  buckets: UsageBucket[];
  totals: UsageSums;
}

const NO_WORKFLOW = 'none';

function keyExpression(groupBy: UsageGroupBy): RawBuilder<string> {
  switch (groupBy) {
    case 'day':
      return sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD')`;
    case 'workflow':
      return sql<string>`coalesce(workflow_id::text, ${sql.lit(NO_WORKFLOW)})`;
    case 'model':
      return sql<string>`provider || '/' || model`;
    case 'provider':
      return sql<string>`provider`;
  }
}

export function emptySums(): UsageSums {
  return { calls: 0, tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 }, costMicros: 0, baselineCostMicros: 0, quality: { calls: 0, costMicros: 0, referenceCostMicros: 0 } };
}

function add(into: UsageSums, s: UsageSums): void {
  into.calls += s.calls;
  into.costMicros += s.costMicros;
  into.baselineCostMicros += s.baselineCostMicros;
  into.quality.calls += s.quality.calls;
  into.quality.costMicros += s.quality.costMicros;
  into.quality.referenceCostMicros += s.quality.referenceCostMicros;
  for (const k of Object.keys(into.tokens) as (keyof TokenCounts)[]) into.tokens[k] += s.tokens[k];
}

/** Spend of one owner in [from, to), one bucket per key, plus totals. */
export async function summarizeUsage(db: Db, ownerId: string, opts: { from: Date; to: Date; groupBy: UsageGroupBy }): Promise<UsageSummary> {
  const key = keyExpression(opts.groupBy);
  const rows = await db
    .selectFrom('usage_events')
    .select([
      key.as('key'),
      sql<number>`count(*)::int8`.as('calls'),
      sql<number>`coalesce(sum(tokens_in), 0)::int8`.as('input'),
      sql<number>`coalesce(sum(tokens_out), 0)::int8`.as('output'),
      sql<number>`coalesce(sum(tokens_cache_read), 0)::int8`.as('cache_read'),
      sql<number>`coalesce(sum(tokens_cache_write), 0)::int8`.as('cache_write'),
      sql<number>`coalesce(sum(tokens_reasoning), 0)::int8`.as('reasoning'),
      sql<number>`coalesce(sum(cost_micros), 0)::int8`.as('cost'),
      sql<number>`coalesce(sum(baseline_cost_micros), 0)::int8`.as('baseline'),
      sql<number>`count(reference_cost_micros)::int8`.as('q_calls'),
      sql<number>`coalesce(sum(cost_micros) filter (where reference_cost_micros is not null), 0)::int8`.as('q_cost'),
      sql<number>`coalesce(sum(reference_cost_micros), 0)::int8`.as('q_reference'),
    ])
    .where('owner_id', '=', ownerId)
    .where('created_at', '>=', opts.from)
    .where('created_at', '<', opts.to)
    .groupBy(key)
    .execute();

  const names = opts.groupBy === 'workflow' ? await workflowNames(db, ownerId, rows.map((r) => r.key).filter((k) => k !== NO_WORKFLOW)) : new Map<string, string>();
  const totals = emptySums();
  const buckets = rows.map((r): UsageBucket => {
    const sums: UsageSums = {
      calls: Number(r.calls),
      tokens: { input: Number(r.input), output: Number(r.output), cacheRead: Number(r.cache_read), cacheWrite: Number(r.cache_write), reasoning: Number(r.reasoning) },
      costMicros: Number(r.cost),
      baselineCostMicros: Number(r.baseline),
      quality: { calls: Number(r.q_calls), costMicros: Number(r.q_cost), referenceCostMicros: Number(r.q_reference) },
    };
    add(totals, sums);
    return { key: r.key, label: labelFor(opts.groupBy, r.key, names), ...sums };
  });
  buckets.sort(opts.groupBy === 'day' ? (a, b) => a.key.localeCompare(b.key) : (a, b) => b.costMicros - a.costMicros || a.key.localeCompare(b.key));
  return { buckets, totals };
}

function labelFor(groupBy: UsageGroupBy, key: string, names: Map<string, string>): string {
  if (groupBy !== 'workflow') return key;
  if (key === NO_WORKFLOW) return '(no workflow)';
  return names.get(key) ?? '(deleted workflow)';
}

async function workflowNames(db: Db, ownerId: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  // Filtered by owner too: a usage row must never reveal the name of someone else's workflow.
  const rows = await db.selectFrom('workflows').select(['id', 'name']).where('owner_id', '=', ownerId).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export interface ReferenceSums {
  /** The reference model the calls had to match (`provider/model`). */
  ref: string;
  calls: number;
  costMicros: number;
  referenceCostMicros: number;
}

/** Calls routed under the quality rule in [from, to), one row per reference model, largest saving first. */
export async function qualityByReference(db: Db, ownerId: string, opts: { from: Date; to: Date }): Promise<ReferenceSums[]> {
  const rows = await db
    .selectFrom('usage_events')
    .select([
      sql<string>`reference_model`.as('ref'),
      sql<number>`count(*)::int8`.as('calls'),
      sql<number>`coalesce(sum(cost_micros), 0)::int8`.as('cost'),
      sql<number>`coalesce(sum(reference_cost_micros), 0)::int8`.as('reference'),
    ])
    .where('owner_id', '=', ownerId)
    .where('created_at', '>=', opts.from)
    .where('created_at', '<', opts.to)
    .where('reference_cost_micros', 'is not', null)
    .where('reference_model', 'is not', null)
    .groupBy('reference_model')
    .execute();
  return rows
    .map((r) => ({ ref: r.ref, calls: Number(r.calls), costMicros: Number(r.cost), referenceCostMicros: Number(r.reference) }))
    .sort((a, b) => b.referenceCostMicros - b.costMicros - (a.referenceCostMicros - a.costMicros) || a.ref.localeCompare(b.ref));
}

export interface UsageEventFilter {
  runId?: string | undefined;
  workflowId?: string | undefined;
  provider?: string | undefined;
  outcome?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** From a previous page's `nextCursor`: rows strictly older than it. */
  cursor?: { at: string; id: string } | undefined;
  limit: number;
}

export interface UsageEventRow {
  id: string;
  runId: string | null;
  stepId: string | null;
  workflowId: string | null;
  provider: string;
  model: string;
  outcome: string;
  latencyMs: number;
  costMicros: number;
  tokens: TokenCounts;
  referenceModel: string | null;
  referenceCostMicros: number | null;
  /** Microsecond ISO time, as stored: what the cursor carries, so no row is skipped or repeated. */
  at: string;
}

/** One owner's provider calls (failed ones included), newest first, one page at a time. */
export async function listUsageEvents(db: Db, ownerId: string, f: UsageEventFilter): Promise<{ items: UsageEventRow[]; nextCursor: { at: string; id: string } | null }> {
  let q = db
    .selectFrom('usage_events')
    .select([
      'id', 'run_id', 'step_id', 'workflow_id', 'provider', 'model', 'outcome', 'latency_ms', 'cost_micros', 'reference_model', 'reference_cost_micros',
      'tokens_in', 'tokens_out', 'tokens_cache_read', 'tokens_cache_write', 'tokens_reasoning',
      sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('at'),
    ])
    .where('owner_id', '=', ownerId);
  if (f.runId) q = q.where('run_id', '=', f.runId);
  if (f.workflowId) q = q.where('workflow_id', '=', f.workflowId);
  if (f.provider) q = q.where('provider', '=', f.provider);
  if (f.outcome) q = q.where('outcome', '=', f.outcome);
  if (f.from) q = q.where('created_at', '>=', f.from);
  if (f.to) q = q.where('created_at', '<', f.to);
  if (f.cursor) q = q.where(sql<boolean>`(created_at, id) < (${f.cursor.at}::timestamptz, ${f.cursor.id}::uuid)`);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit + 1).execute();
  const page = rows.slice(0, f.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: r.id, runId: r.run_id, stepId: r.step_id, workflowId: r.workflow_id, provider: r.provider, model: r.model, outcome: r.outcome,
      latencyMs: r.latency_ms, costMicros: Number(r.cost_micros),
      tokens: { input: r.tokens_in, output: r.tokens_out, cacheRead: r.tokens_cache_read, cacheWrite: r.tokens_cache_write, reasoning: r.tokens_reasoning },
      referenceModel: r.reference_model, referenceCostMicros: r.reference_cost_micros === null ? null : Number(r.reference_cost_micros), at: r.at,
    })),
    nextCursor: rows.length > f.limit && last ? { at: last.at, id: last.id } : null,
  };
}

/** Total cost of one owner in [from, to), in micro-dollars. */
export async function spentBetween(db: Db, ownerId: string, from: Date, to: Date): Promise<number> {
  const row = await db
    .selectFrom('usage_events')
    .select(sql<number>`coalesce(sum(cost_micros), 0)::int8`.as('cost'))
    .where('owner_id', '=', ownerId)
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .executeTakeFirstOrThrow();
  return Number(row.cost);
}
