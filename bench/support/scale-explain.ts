// The SQL the repositories issue, captured as Kysely compiles it (a plugin that compiles the
// query it is handed, exactly as the executor will), then run under EXPLAIN (ANALYZE, BUFFERS)
// with the same parameters, summarised as: the plan's scans (which index, or a sequential scan),
// rows removed by filters, buffers touched, and the execution time.
import type { Db } from '@keyflow/engine';
import type { BenchPg } from './scale-pg.ts';

export interface Captured {
  sql: string;
  parameters: readonly unknown[];
}

type Node = { node: unknown; queryId: unknown };

/** A Db that records every query compiled through it (raw CompiledQuery statements are not seen). */
export function capturingDb(db: Db): { db: Db; take(): Captured[] } {
  let seen: Captured[] = [];
  const executor = db.getExecutor();
  const plugin = {
    transformQuery(args: Node) {
      const compiled = executor.compileQuery(args.node as never, args.queryId as never);
      seen.push({ sql: compiled.sql, parameters: compiled.parameters });
      return args.node as never;
    },
    transformResult: async (args: { result: unknown }) => args.result as never,
  };
  return {
    db: db.withPlugin(plugin as never),
    take() {
      const out = seen;
      seen = [];
      return out;
    },
  };
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

export interface PlanSummary {
  scans: string[];
  seqScans: string[];
  rowsRemoved: number;
  sharedHit: number;
  sharedRead: number;
  executionMs: number;
}

export function summarisePlan(plan: { Plan: PlanNode; 'Execution Time': number }): PlanSummary {
  const scans: string[] = [];
  const seqScans: string[] = [];
  let rowsRemoved = 0;
  const walk = (n: PlanNode) => {
    if (n['Index Name']) scans.push(`${n['Node Type']} ${n['Index Name']} (${n['Actual Rows'] ?? 0}×${n['Actual Loops'] ?? 1} rows)`);
    else if (n['Node Type'] === 'Seq Scan') {
      scans.push(`Seq Scan ${n['Relation Name']} (${n['Actual Rows'] ?? 0} rows)`);
      seqScans.push(n['Relation Name'] ?? '?');
    }
    rowsRemoved += (n['Rows Removed by Filter'] ?? 0) * (n['Actual Loops'] ?? 1);
    for (const c of n.Plans ?? []) walk(c);
  };
  walk(plan.Plan);
  return { scans, seqScans, rowsRemoved, sharedHit: plan.Plan['Shared Hit Blocks'] ?? 0, sharedRead: plan.Plan['Shared Read Blocks'] ?? 0, executionMs: plan['Execution Time'] };
}

/** EXPLAIN (ANALYZE, BUFFERS) of each captured statement; a read only, so it is safe to run. */
export async function explainAll(pg: BenchPg, queries: Captured[]): Promise<(PlanSummary & { sql: string })[]> {
  const out: (PlanSummary & { sql: string })[] = [];
  for (const q of queries) {
    if (!/^\s*(select|with)/i.test(q.sql)) continue;
    const { rows } = await pg.query(`explain (analyze, buffers, format json) ${q.sql}`, [...q.parameters]);
    const plan = (rows[0]!['QUERY PLAN'] as [{ Plan: PlanNode; 'Execution Time': number }])[0];
    out.push({ ...summarisePlan(plan), sql: q.sql });
  }
  return out;
}

/** Tables big enough that a sequential scan of them is a scale problem. */
export const BIG_TABLES = new Set(['runs', 'run_steps', 'usage_events']);
