// Executor flatness: a run of a 1,000-node chain and a loop of 10,000 items, each through the
// real server (manual run over the API). Per-step time comes from the steps' own timestamps (the
// first tenth of the run's steps against the last tenth), memory from the server's RSS sampled
// while the run goes, and checkpoint writes from Postgres's own counters over the run.
import type { TestDatabase } from '@keyflow/engine/testing';
import { apiCall, stringField } from './api-client.ts';
import { signupAndToken } from './signup-and-token.ts';
import { fmtMs } from './scale-http.ts';
import { connectPg, STATS_FLUSH_MS, type BenchPg } from './scale-pg.ts';
import type { ServerUnderTest } from '../scale.ts';

const pos = { x: 0, y: 0 };
type Edge = { id: string; source: string; target: string; sourceHandle?: string; targetHandle?: string };

export function chainOf(nodes: number): { nodes: unknown[]; edges: Edge[] } {
  const ids = Array.from({ length: nodes - 1 }, (_, i) => `t${i + 1}`);
  return {
    nodes: [
      { id: 'start', type: 'core.manual', version: 1, config: {}, position: pos },
      ...ids.map((id, i) => ({ id, type: 'core.transform', version: 1, config: { fields: [{ name: 'n', value: i === 0 ? 'first' : `{{ $node["t${i}"].output.n }}` }] }, position: pos })),
    ],
    edges: ids.map((target, i) => ({ id: `e${i}`, source: i === 0 ? 'start' : ids[i - 1]!, target })),
  };
}

export function loopOf(): { nodes: unknown[]; edges: Edge[] } {
  return {
    nodes: [
      { id: 'start', type: 'core.manual', version: 1, config: {}, position: pos },
      { id: 'each', type: 'core.loop', version: 1, config: { items: '{{ $trigger.items }}' }, position: pos },
      { id: 'double', type: 'core.transform', version: 1, config: { fields: [{ name: 'v', value: '{{ $item * 2 }}' }] }, position: pos },
      { id: 'after', type: 'core.transform', version: 1, config: { fields: [{ name: 'count', value: '{{ $node["each"].output.length }}' }] }, position: pos },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'each' },
      { id: 'e2', source: 'each', target: 'double', sourceHandle: 'item' },
      { id: 'e3', source: 'double', target: 'each', targetHandle: 'next' },
      { id: 'e4', source: 'each', target: 'after', sourceHandle: 'done' },
    ],
  };
}

interface DbCounters {
  commits: number;
  inserted: number;
  updated: number;
}

async function counters(pg: BenchPg): Promise<DbCounters> {
  // Statistics reach pg_stat_database when a backend goes idle; ask for a fresh snapshot.
  await pg.query('select pg_stat_clear_snapshot()');
  const { rows } = await pg.query(`select xact_commit::int8 as c, tup_inserted::int8 as i, tup_updated::int8 as u from pg_stat_database where datname = current_database()`);
  return { commits: Number(rows[0]!.c), inserted: Number(rows[0]!.i), updated: Number(rows[0]!.u) };
}

interface Flatness {
  label: string;
  steps: number;
  seconds: number;
  firstTenthMs: number;
  lastTenthMs: number;
  rssStartMb: number;
  rssPeakMb: number;
  commits: number;
  inserted: number;
}

/**
 * Time per step over consecutive steps' `finished_at` (ms), leaving out the longest gap: a step
 * of a chain starts once its predecessor's row has committed, so the gaps are the steps. A tenth
 * of a 1,000-node chain lasts about 30 ms, and one GC pause or Postgres checkpoint in it (the
 * full-size run measures right after seeding a million runs) read as ×1.8 over the whole span
 * while every other step was as fast as in the first tenth. `finished_at` has millisecond
 * resolution, so a median of single gaps (mostly 0 or 1 ms) would say nothing.
 */
export function msPerStepWithoutLongestGap(finishedAt: number[]): number {
  if (finishedAt.length < 3) return Number.NaN;
  let longest = 0;
  for (let i = 1; i < finishedAt.length; i++) longest = Math.max(longest, finishedAt[i]! - finishedAt[i - 1]!);
  return (finishedAt.at(-1)! - finishedAt[0]! - longest) / (finishedAt.length - 2);
}

async function measureOne(label: string, server: ServerUnderTest, pg: BenchPg, token: string, graph: unknown, payload: unknown, progress: (m: string) => void): Promise<Flatness> {
  const created = await apiCall(server.origin, '/api/workflows', { method: 'POST', token, body: { name: `scale ${label}`, graph }, expect: 201 });
  const id = stringField(created.json, 'id', 'create workflow');
  await new Promise((r) => setTimeout(r, STATS_FLUSH_MS));
  const before = await counters(pg);
  const rssStart = server.proc.rssBytes() ?? 0;
  let rssPeak = rssStart;
  const t0 = performance.now();
  const started = await apiCall(server.origin, `/api/workflows/${id}/run`, { method: 'POST', token, body: { payload }, expect: 202 });
  const runId = stringField(started.json, 'runId', 'manual run');
  let status = 'queued';
  while (status === 'queued' || status === 'running') {
    await new Promise((r) => setTimeout(r, 100));
    rssPeak = Math.max(rssPeak, server.proc.rssBytes() ?? 0);
    const { rows } = await pg.query('select status from runs where id = $1', [runId]);
    status = String(rows[0]?.status ?? 'gone');
    if (performance.now() - t0 > 600_000) throw new Error(`${label}: the run did not finish in 10 minutes`);
  }
  const seconds = (performance.now() - t0) / 1000;
  if (status !== 'succeeded') {
    const { rows } = await pg.query('select error from runs where id = $1', [runId]);
    throw new Error(`${label}: the run ended ${status}: ${JSON.stringify(rows[0]?.error).slice(0, 300)}`);
  }
  await new Promise((r) => setTimeout(r, STATS_FLUSH_MS));
  const after = await counters(pg);
  const { rows } = await pg.query(`select extract(epoch from finished_at) * 1000 as f from run_steps where run_id = $1 order by seq`, [runId]);
  const f = rows.map((r) => Number(r.f));
  const tenth = Math.floor(f.length / 10);
  const per = (from: number) => msPerStepWithoutLongestGap(f.slice(from, from + tenth));
  const result: Flatness = {
    label, steps: f.length, seconds, firstTenthMs: per(0), lastTenthMs: per(f.length - tenth),
    rssStartMb: rssStart / 2 ** 20, rssPeakMb: rssPeak / 2 ** 20,
    commits: after.commits - before.commits, inserted: after.inserted - before.inserted,
  };
  progress(`${label}: ${result.steps} steps in ${seconds.toFixed(1)} s`);
  return result;
}

export async function measureExecutor(server: ServerUnderTest, db: TestDatabase, progress: (m: string) => void): Promise<void> {
  const pg = await connectPg(db.url!);
  try {
    const { token } = await signupAndToken(server.origin);
    const loopItems = Number(process.env.KEYFLOW_BENCH_SCALE_LOOP ?? 10_000);
    const chainNodes = Number(process.env.KEYFLOW_BENCH_SCALE_CHAIN ?? 1_000);
    const results = [
      await measureOne(`chain of ${chainNodes / 10} nodes`, server, pg, token, chainOf(chainNodes / 10), {}, progress),
      await measureOne(`chain of ${chainNodes} nodes`, server, pg, token, chainOf(chainNodes), {}, progress),
      await measureOne(`loop of ${loopItems / 10} items`, server, pg, token, loopOf(), { items: Array.from({ length: loopItems / 10 }, (_, i) => i) }, progress),
      await measureOne(`loop of ${loopItems} items`, server, pg, token, loopOf(), { items: Array.from({ length: loopItems }, (_, i) => i) }, progress),
    ];
    console.log('\n## Executor flatness (manual runs through the server, empty database)\n');
    console.log('| run | steps | time | ms/step, first tenth (longest gap left out) | ms/step, last tenth (same) | last/first | RSS start → peak | commits / step | rows inserted / step |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of results) {
      console.log(`| ${r.label} | ${r.steps.toLocaleString('en-US')} | ${r.seconds.toFixed(1)} s | ${fmtMs(r.firstTenthMs)} | ${fmtMs(r.lastTenthMs)} | ×${(r.lastTenthMs / r.firstTenthMs).toFixed(2)} | ${r.rssStartMb.toFixed(0)} → ${r.rssPeakMb.toFixed(0)} MB | ${(r.commits / r.steps).toFixed(2)} | ${(r.inserted / r.steps).toFixed(2)} |`);
    }
    for (const [small, big] of [[results[0]!, results[1]!], [results[2]!, results[3]!]] as const) {
      const perStep = (r: Flatness) => (r.seconds * 1000) / r.steps;
      const ratio = perStep(big) / perStep(small);
      const flat = ratio < 1.5 && big.lastTenthMs / big.firstTenthMs < 1.5;
      console.log(`${big.label} vs ${small.label}: ${fmtMs(perStep(small))} → ${fmtMs(perStep(big))} ms per step (×${ratio.toFixed(2)}), RSS growth ${((big.rssPeakMb - big.rssStartMb) * 1024 / big.steps).toFixed(1)} KB per step; flat (× < 1.5 both ways): ${flat ? 'PASS' : 'MISS'}`);
    }
  } finally {
    await pg.end();
  }
}
