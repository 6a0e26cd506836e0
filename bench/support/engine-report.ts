// Turns the engine bench's measurements into the printed report: one throughput table, the
// per-step cost, memory, Keyflow/Node-RED ratios, persistence and crash-recovery checks, and
// the issue's targets as PASS/MISS (a MISS is reported, never an error).
import type { CrashResult } from './engine-crash.ts';
import type { ModeResult, Persisted } from './engine-keyflow.ts';
import { formatMemoryParts, formatRssSamples } from './engine-memory.ts';
import type { WindowCounters } from './engine-metrics.ts';
import { CONNECTIONS, EMBEDDED_RATE, failures, perStepMs, RATED, type Measured, type ScenarioSet } from './engine-measure.ts';
import type { LoadResult } from './load-types.ts';
import { formatTable } from './format-table.ts';

export type Outcome<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface EngineBenchResult {
  nproc: number;
  node: string;
  /** Share of all cores already busy before the bench started (other work on the machine). */
  backgroundBusy: number;
  queue: Outcome<ModeResult>;
  embedded: Outcome<ModeResult>;
  nodeRed: Outcome<{ set: ScenarioSet; rssBytes: number | undefined; version: string }>;
}

export const TARGETS = { queueRps: 1000, ratedP99Ms: 50, embeddedRatedP99Ms: 100, rssMB: 300, embeddedRps: 500, perStepMs: 0.25, stackRunMs: 1.5, stackStepMs: 0.1 };

/**
 * Issue 15's starting point (bench/README.md, before the hot-path work): CPU of a 1-step run
 * across server, worker, Postgres and Redis, and of each extra step without and with them.
 */
export const BEFORE = { stackRunMs: 3.3, stepMs: 0.15, stackStepMs: 0.27 };

const MB = 1_000_000;
const f = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const mb = (bytes: number | undefined) => (bytes === undefined ? 'unknown' : `${f(bytes / MB)} MB`);
const mark = (pass: boolean) => (pass ? 'PASS' : 'MISS');
const failText = (r: LoadResult) => `${r.errors + r.timeouts}/${r.non2xx}`;

function loadRow(system: string, m: Measured): string[] {
  const r = m.load;
  return [system, r.title, f(r.requestsPerSecond, 0), f(r.latencyMs.p50), f(r.latencyMs.p99), failText(r), f(m.cpuMsPerReq, 3), f(m.stackCpuMsPerReq, 3)];
}

function setRows(system: string, set: ScenarioSet): string[][] {
  const rows = [loadRow(system, set.max1)];
  if (set.rated) {
    const r = set.rated;
    rows.push([system, `${r.title} paced`, f(r.requestsPerSecond, 0), f(r.latencyMs.p50), f(r.latencyMs.p99), `${failText(r)}${r.dropped ? ` (${r.dropped} dropped)` : ''}`, '-', '-']);
  }
  rows.push(loadRow(system, set.max20));
  return rows;
}

/** Persisted runs must match the 2xx answers, give or take the requests in flight when the load stopped. */
export function persistedOk(p: Persisted, stepsPerRun: number): boolean {
  return p.runs >= p.requests2xx && p.runs <= p.requests2xx + CONNECTIONS * 2 && p.steps >= p.succeeded * stepsPerRun;
}

function persistedLine(mode: string, p: Persisted): string {
  const perRun = p.runs ? p.steps / p.runs : 0;
  return `${mode}: 1-step max answered ${p.requests2xx}×200; runs rows ${p.runs} (${p.succeeded} succeeded), run_steps rows ${p.steps} (${f(perRun, 2)} per run, 3 expected) — ${persistedOk(p, 3) ? 'OK' : 'MISMATCH'}`;
}

function crashLine(c: CrashResult | { error: string } | undefined): string {
  if (!c) return 'crash recovery: not measured';
  if ('error' in c) return `crash recovery: could not be measured: ${c.error}`;
  return `crash recovery: kill -9 of the worker mid-step → run ${c.status} on a new worker in ${c.totalMs} ms (new worker up after ${c.workerStartMs} ms, then ${c.totalMs - c.workerStartMs} ms to resume and finish; KEYFLOW_QUEUE_LOCK_MS=${c.lockMs}, default 15000; the held step was called ${c.heldStepCalls}×)`;
}

export function targetLines(r: EngineBenchResult): string[] {
  const lines: string[] = [];
  const t = TARGETS;
  if (r.queue.ok) {
    const q = r.queue.value;
    const rps = q.set.max1.load.requestsPerSecond;
    lines.push(`queue mode ≥ ${t.queueRps} runs/s: ${f(rps, 0)} — ${mark(rps >= t.queueRps && failures(q.set.max1.load) === 0)}`);
    if (q.set.rated) {
      const p99 = q.set.rated.latencyMs.p99;
      const ok = p99 < t.ratedP99Ms && failures(q.set.rated) === 0 && q.set.rated.dropped === 0;
      lines.push(`queue mode p99 < ${t.ratedP99Ms} ms at ${RATED.rate} req/s: ${f(p99)} ms — ${mark(ok)}`);
    }
    const known = q.rss.every((x) => x.bytes !== undefined);
    const sum = q.rss.reduce((s, x) => s + (x.bytes ?? 0), 0);
    lines.push(`server + worker RSS < ${t.rssMB} MB: ${known ? mb(sum) : 'unknown'} — ${mark(known && sum < t.rssMB * MB)}`);
    const step = perStepMs(q.set);
    lines.push(`queue mode CPU per extra step < ${t.perStepMs} ms: ${f(step, 3)} ms — ${mark(step < t.perStepMs)}`);
    const run = q.set.max1.stackCpuMsPerReq;
    lines.push(`queue mode CPU per 1-step run with Postgres + Redis < ${t.stackRunMs} ms: ${f(run, 3)} ms — ${mark(run < t.stackRunMs)}`);
    const stackStep = perStepMs(q.set, (m) => m.stackCpuMsPerReq);
    lines.push(`queue mode CPU per extra step with Postgres + Redis < ${t.stackStepMs} ms: ${f(stackStep, 3)} ms — ${mark(stackStep < t.stackStepMs)}`);
  } else lines.push(`queue mode targets: not measured (${r.queue.reason})`);
  if (r.embedded.ok) {
    const e = r.embedded.value;
    const rps = e.set.max1.load.requestsPerSecond;
    lines.push(`embedded ≥ ${t.embeddedRps} runs/s: ${f(rps, 0)} — ${mark(rps >= t.embeddedRps && failures(e.set.max1.load) === 0)}`);
    if (e.set.rated) {
      const p99 = e.set.rated.latencyMs.p99;
      const ok = p99 < t.embeddedRatedP99Ms && failures(e.set.rated) === 0 && e.set.rated.dropped === 0;
      lines.push(`embedded p99 < ${t.embeddedRatedP99Ms} ms at ${EMBEDDED_RATE} req/s: ${f(p99)} ms — ${mark(ok)}`);
    }
    const step = perStepMs(e.set);
    lines.push(`embedded CPU per extra step < ${t.perStepMs} ms: ${f(step, 3)} ms — ${mark(step < t.perStepMs)}`);
  } else lines.push(`embedded targets: not measured (${r.embedded.reason})`);
  return lines;
}

function ratioLines(r: EngineBenchResult): string[] {
  if (!r.nodeRed.ok) return [`Keyflow/Node-RED ratios: none (${r.nodeRed.reason})`];
  const nr = r.nodeRed.value;
  const out = [`Keyflow/Node-RED ratios (same machine, same run; throughput > 1 is better for Keyflow, CPU and RSS < 1 are):`];
  for (const [name, mode] of [['queue', r.queue], ['embedded', r.embedded]] as const) {
    if (!mode.ok) continue;
    const k = mode.value;
    const rss = k.rss.reduce((s, x) => s + (x.bytes ?? 0), 0);
    out.push(`  ${name}: throughput 1 step ${f(k.set.max1.load.requestsPerSecond / nr.set.max1.load.requestsPerSecond, 3)}, 20 steps ${f(k.set.max20.load.requestsPerSecond / nr.set.max20.load.requestsPerSecond, 3)}; `
      + `CPU/request ${f(k.set.max1.cpuMsPerReq / nr.set.max1.cpuMsPerReq, 2)}; per-step CPU ${f(perStepMs(k.set) / perStepMs(nr.set), 2)}; RSS ${nr.rssBytes ? f(rss / nr.rssBytes, 2) : 'n/a'}`);
  }
  return out;
}

const perRun = (n: number) => f(n, 2);

/** What the processes said about each window: statements, GC, event-loop delay; Redis commands. */
export function counterLines(name: string, set: ScenarioSet): string[] {
  const out: string[] = [];
  const windows: [string, WindowCounters | undefined][] = [[set.max1.load.title, set.max1.counters], ...(set.rated ? [[`${set.rated.title} paced`, set.ratedCounters] as [string, WindowCounters | undefined]] : []), [set.max20.load.title, set.max20.counters]];
  for (const [title, c] of windows) {
    if (!c) continue;
    out.push(`  ${name}, ${title}: ${perRun(c.statementsPerRun)} statements/run (${c.topStatements.map(([k, v]) => `${k} ${perRun(v)}`).join(', ')}); GC ${perRun(c.gcPerRun)}/run (full ${f(c.majorGcPerRun * 1000, 2)} per 1,000 runs), ${f(c.gcMsPerRun, 3)} ms/run; event-loop delay p99 ${f(c.loopP99Ms)} ms, max ${f(c.loopMaxMs)} ms${c.controlLoopP99Ms !== undefined ? ` (an idle process meanwhile: p99 ${f(c.controlLoopP99Ms)} ms, max ${f(c.controlLoopMaxMs ?? 0)} ms)` : ''}`);
  }
  if (set.redis) out.push(`  ${name}: ${perRun(set.redis.perRun)} Redis commands/run over ${set.redis.runs} runs (${set.redis.byCommand.slice(0, 8).map(([k, v]) => `${k} ${perRun(v)}`).join(', ')})`);
  return out;
}

/** This run against issue 15's starting point (BEFORE): the ratios < 1 are the saving. */
export function beforeAfterLines(q: ModeResult): string[] {
  const run = q.set.max1.stackCpuMsPerReq;
  const step = perStepMs(q.set);
  const stackStep = perStepMs(q.set, (m) => m.stackCpuMsPerReq);
  return [
    `against issue 15's starting point (queue mode): CPU per 1-step run with Postgres + Redis ${f(run, 3)} ms vs ${BEFORE.stackRunMs} (×${f(run / BEFORE.stackRunMs, 2)}); `
      + `per extra step ${f(step, 3)} ms vs ${BEFORE.stepMs} (×${f(step / BEFORE.stepMs, 2)}), with Postgres + Redis ${f(stackStep, 3)} ms vs ${BEFORE.stackStepMs} (×${f(stackStep / BEFORE.stackStepMs, 2)})`,
  ];
}

export function formatEngineReport(r: EngineBenchResult): string {
  const out: string[] = [];
  out.push(`Keyflow engine benchmark — node ${r.node}, nproc ${r.nproc}, loopback, ${CONNECTIONS} connections from a separate load process; webhook ("wait") → transform(s) → respond, every run and step persisted`);
  out.push(`machine already ${f(r.backgroundBusy * 100, 0)}% busy (all cores) before the bench started${r.backgroundBusy > 0.15 ? ' — other work is running: figures are noisy, the ratios less so' : ''}`, '');
  const rows: string[][] = [];
  const systems: [string, Outcome<{ set: ScenarioSet }>][] = [['Keyflow queue', r.queue], ['Keyflow embedded', r.embedded], [r.nodeRed.ok ? `Node-RED ${r.nodeRed.value.version}` : 'Node-RED', r.nodeRed]];
  for (const [name, o] of systems) if (o.ok) rows.push(...setRows(name, o.value.set));
  out.push(formatTable(['system', 'scenario', 'req/s', 'p50 ms', 'p99 ms', 'err/non-2xx', 'CPU ms/req', '+PG+Redis ms/req'], rows), '');
  for (const [name, o] of systems) if (!o.ok) out.push(`${name}: not measured — ${o.reason}`);
  out.push('CPU ms/req: utime+stime of the system\'s own processes (queue: server + worker; embedded: the one process, PGlite inside) over the load window ÷ completed requests; +PG+Redis adds the Postgres backends of the bench database and redis-server (queue mode only).');
  out.push(`paced: open loop at even intervals, ≤ ${CONNECTIONS} in flight, latency from the moment each request was due.`, '');
  out.push('CPU per extra step, (20 steps − 1 step) / 19:');
  for (const [name, o] of systems) if (o.ok) out.push(`  ${name}: ${f(perStepMs(o.value.set), 4)} ms (with Postgres + Redis: ${f(perStepMs(o.value.set, (m) => m.stackCpuMsPerReq), 4)} ms)`);
  out.push('', 'RSS at the end of the load (MB: 10^6 bytes; peak: VmHWM since start; anon/file: RssAnon/RssFile; V8 heap from /metrics, used includes garbage not yet collected):');
  if (r.queue.ok) out.push(`  Keyflow queue: ${r.queue.value.rss.map((x) => `${x.label} ${mb(x.bytes)}`).join(', ')}, sum ${mb(r.queue.value.rss.reduce((s, x) => s + (x.bytes ?? 0), 0))}`);
  if (r.embedded.ok) out.push(`  Keyflow embedded: ${r.embedded.value.rss.map((x) => `${x.label} ${mb(x.bytes)}`).join(', ')}`);
  for (const o of [r.queue, r.embedded]) {
    if (!o.ok) continue;
    for (const x of o.value.rss) if (x.memory) out.push(`    ${x.label}: ${formatMemoryParts(x.memory)} (MB)`);
  }
  for (const [name, o] of [['Keyflow queue, server + worker', r.queue], ['Keyflow embedded', r.embedded]] as const) {
    if (o.ok && o.value.rssDuringLoad) out.push(`  ${name}, sampled from the first workflow's creation to the end of the last window: ${formatRssSamples(o.value.rssDuringLoad)}`);
  }
  if (r.nodeRed.ok) out.push(`  Node-RED: ${mb(r.nodeRed.value.rssBytes)}`);
  out.push('', ...ratioLines(r), '');
  const counters = systems.flatMap(([name, o]) => (o.ok && name.startsWith('Keyflow') ? counterLines(name, o.value.set) : []));
  if (counters.length) out.push('per-window counters (from the processes\' /metrics; Redis from MONITOR in a window of its own):', ...counters, '');
  if (r.queue.ok) out.push(...beforeAfterLines(r.queue.value), '');
  for (const [name, o] of systems) {
    if (!o.ok) continue;
    const { max1, max20, rated } = o.value.set;
    for (const load of [max1.load, max20.load, ...(rated ? [rated] : [])]) {
      const odd = Object.entries(load.statusCodes).filter(([code]) => !code.startsWith('2'));
      if (odd.length) out.push(`${name} ${load.title}: status codes ${odd.map(([c, n]) => `${c}×${n}`).join(', ')}`);
    }
  }
  if (r.queue.ok) out.push(persistedLine('queue mode', r.queue.value.persisted));
  if (r.embedded.ok) out.push(persistedLine('embedded mode', r.embedded.value.persisted));
  out.push(crashLine(r.queue.ok ? r.queue.value.crash : undefined), '', 'targets:', ...targetLines(r).map((l) => `  ${l}`));
  return out.join('\n');
}
