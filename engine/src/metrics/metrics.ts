// Prometheus metrics of one process (prom-client), one registry per process. Everything on a
// hot path is a synchronous counter or histogram update; what costs a round trip (queue depth,
// credential health) is collected only when a scraper asks. Labels are bounded sets only
// (route patterns, statuses, triggers, node types, providers, error kinds): never an owner,
// run, workflow or credential id.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'keyflow_' });

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

export const httpDuration = new Histogram({
  name: 'keyflow_http_request_duration_seconds',
  help: 'HTTP requests by method, route pattern (not the raw path) and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: SECONDS,
  registers: [registry],
});

export const runsStarted = new Counter({ name: 'keyflow_runs_started_total', help: 'Runs whose first execution began, by trigger', labelNames: ['trigger'] as const, registers: [registry] });
export const runsFinished = new Counter({ name: 'keyflow_runs_finished_total', help: 'Runs finished, by trigger and status', labelNames: ['trigger', 'status'] as const, registers: [registry] });
export const runStartDelay = new Histogram({ name: 'keyflow_run_start_delay_seconds', help: 'Time from a run being enqueued (created) to its first execution starting', buckets: SECONDS, registers: [registry] });
export const stepDuration = new Histogram({ name: 'keyflow_step_duration_seconds', help: 'Step executions by node type and status (succeeded, failed, waiting)', labelNames: ['node_type', 'status'] as const, buckets: SECONDS, registers: [registry] });

/** Statements sent to the database, by prepared-statement name or verb and table (a bounded set). */
export const dbStatements = new Counter({ name: 'keyflow_db_statements_total', help: 'Database statements this process sent (begin and commit included), by prepared-statement name or by verb and table', labelNames: ['statement'] as const, registers: [registry] });

const statementLabels = new Map<string, string>();
const TABLE_AFTER: Record<string, RegExp> = {
  select: /\bfrom\s+"?([a-z_]+)/i,
  insert: /^\s*insert\s+into\s+"?([a-z_]+)/i,
  update: /^\s*update\s+"?([a-z_]+)/i,
  delete: /^\s*delete\s+from\s+"?([a-z_]+)/i,
};

/** A statement's label: its prepared name, or its verb and first table (cached per text, bounded). */
export function statementLabel(text: string, preparedName?: string): string {
  if (preparedName) return preparedName;
  let label = statementLabels.get(text);
  if (label === undefined) {
    const head = text.slice(0, 400);
    const verb = /^\s*([a-z]+)/i.exec(head)?.[1]?.toLowerCase() ?? 'other';
    const table = TABLE_AFTER[verb]?.exec(head)?.[1]?.toLowerCase();
    label = table ? `${verb} ${table}` : verb;
    if (statementLabels.size < 2000) statementLabels.set(text, label);
  }
  return label;
}

export const providerDuration = new Histogram({ name: 'keyflow_ai_call_duration_seconds', help: 'AI provider calls by provider and outcome (ok or the error kind)', labelNames: ['provider', 'outcome'] as const, buckets: SECONDS, registers: [registry] });
export const providerErrors = new Counter({ name: 'keyflow_ai_call_errors_total', help: 'Failed AI provider calls by provider and error kind', labelNames: ['provider', 'kind'] as const, registers: [registry] });
export const aiTokens = new Counter({ name: 'keyflow_ai_tokens_total', help: 'Tokens billed by provider and kind (input, output, cache_read, cache_write, reasoning)', labelNames: ['provider', 'kind'] as const, registers: [registry] });
export const aiCost = new Counter({ name: 'keyflow_ai_cost_usd_total', help: 'Cost of AI calls in US dollars, by provider', labelNames: ['provider'] as const, registers: [registry] });

/** What a breaker tells the metrics: how many circuits are in each state, per provider. */
export interface BreakerCounts {
  circuitCounts(): Array<{ provider: string; state: string; count: number }>;
}
const breakers = new Set<BreakerCounts>();
/** The process's AI breakers register themselves; read on scrape. */
export function trackBreaker(b: BreakerCounts): void {
  breakers.add(b);
}
new Gauge({
  name: 'keyflow_ai_breaker_circuits',
  help: 'Circuit breakers (one per owner and provider) in this process by provider and state (closed, open, half_open)',
  labelNames: ['provider', 'state'] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const b of breakers) for (const { provider, state, count } of b.circuitCounts()) this.inc({ provider, state }, count);
  },
});

type QueueCounts = Record<'waiting' | 'active' | 'delayed', number>;
let queueCounts: (() => Promise<QueueCounts>) | undefined;
/** Queue depth by state, read from the queue on each scrape (BullMQ: one round trip). */
export function trackQueue(counts: () => Promise<QueueCounts>): void {
  queueCounts = counts;
}
new Gauge({
  name: 'keyflow_queue_jobs',
  help: 'Run jobs in the queue by state (waiting, active, delayed), read on scrape',
  labelNames: ['state'] as const,
  registers: [registry],
  async collect() {
    if (!queueCounts) return;
    try {
      const counts = await queueCounts();
      for (const state of ['waiting', 'active', 'delayed'] as const) this.set({ state }, counts[state]);
    } catch {
      this.reset(); // the queue is unreachable: no figure rather than a stale one
    }
  },
});

type HealthCounts = Array<{ health: string; count: number }>;
let healthCounts: (() => Promise<HealthCounts>) | undefined;
let healthCache: { at: number; rows: HealthCounts } = { at: 0, rows: [] };
/** Credentials by health, counted on scrape at most every 30 s (one grouped query). */
export function trackCredentialHealth(count: () => Promise<HealthCounts>): void {
  healthCounts = count;
  healthCache = { at: 0, rows: [] };
}
new Gauge({
  name: 'keyflow_credentials',
  help: 'Stored credentials of all owners together by health (healthy, invalid, rate_limited, error, unknown), read on scrape at most every 30 s',
  labelNames: ['health'] as const,
  registers: [registry],
  async collect() {
    if (!healthCounts) return;
    if (Date.now() - healthCache.at > 30_000) healthCache = { at: Date.now(), rows: await healthCounts().catch(() => healthCache.rows) };
    this.reset();
    for (const r of healthCache.rows) this.set({ health: r.health }, r.count);
  },
});

/** The text exposition of every series of this process. */
export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}

/** Records a finished provider call: latency, error kind, tokens and cost. Synchronous, cheap. */
export function observeProviderCall(provider: string, outcome: string, latencyMs: number, usage: { inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number; reasoningTokens: number }, costMicros: number): void {
  providerDuration.observe({ provider, outcome }, latencyMs / 1000);
  if (outcome !== 'ok') providerErrors.inc({ provider, kind: outcome });
  if (usage.inputTokens) aiTokens.inc({ provider, kind: 'input' }, usage.inputTokens);
  if (usage.outputTokens) aiTokens.inc({ provider, kind: 'output' }, usage.outputTokens);
  if (usage.cacheReadTokens) aiTokens.inc({ provider, kind: 'cache_read' }, usage.cacheReadTokens);
  if (usage.cacheWriteTokens) aiTokens.inc({ provider, kind: 'cache_write' }, usage.cacheWriteTokens);
  if (usage.reasoningTokens) aiTokens.inc({ provider, kind: 'reasoning' }, usage.reasoningTokens);
  if (costMicros) aiCost.inc({ provider }, costMicros / 1_000_000);
}

/** One step's duration in keyflow_step_duration_seconds. */
export function observeStep(nodeType: string, status: 'succeeded' | 'failed', seconds: number): void {
  stepDuration.observe({ node_type: nodeType, status }, seconds);
}
