// Liveness of an embedded server (`keyflow start`, PGlite, in-process queue) while one heavy run
// goes on: /healthz is probed one request at a time every 50 ms from this process, and its
// latency reported as p50/p99/max beside the run's duration and outcome. Scenarios: a
// 10,000-item loop, and a nested loop (outer × inner) large enough to reach the per-run step cap.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiCall, stringField } from './support/api-client.ts';
import { onCleanup } from './support/cleanup.ts';
import { freePort, spawnKeyflow, waitForHttp } from './support/engine-process.ts';
import { formatTable } from './support/format-table.ts';
import { signupAndToken } from './support/signup-and-token.ts';

const progress = (msg: string) => process.stderr.write(`bench embedded-health: ${msg}\n`);
const pos = { x: 0, y: 0 };
/** How long one scenario is watched at most (a frozen server may never finish its run). */
const WINDOW_MS = Number(process.env.KEYFLOW_BENCH_WINDOW_MS ?? 120_000);
const PROBE_EVERY_MS = 50;
const TARGET_P99_MS = 200;

interface Scenario {
  name: string;
  graph: unknown;
  payload: unknown;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function loopScenario(items: number): Scenario {
  return {
    name: `loop of ${items.toLocaleString('en')} items`,
    payload: { items: range(items) },
    graph: {
      nodes: [
        { id: 'start', type: 'core.manual', version: 1, config: {}, position: pos },
        { id: 'each', type: 'core.loop', version: 1, config: { items: '{{ $trigger.items }}' }, position: pos },
        { id: 'double', type: 'core.transform', version: 1, config: { fields: [{ name: 'v', value: '{{ $item * 2 }}' }] }, position: pos },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'each' },
        { id: 'e2', source: 'each', sourceHandle: 'item', target: 'double' },
        { id: 'e3', source: 'double', target: 'each', targetHandle: 'next' },
      ],
    },
  };
}

function nestedScenario(outer: number, inner: number): Scenario {
  return {
    name: `nested loop ${outer} × ${inner}`,
    payload: { outer: range(outer), inner: range(inner) },
    graph: {
      nodes: [
        { id: 'start', type: 'core.manual', version: 1, config: {}, position: pos },
        { id: 'outer', type: 'core.loop', version: 1, config: { items: '{{ $trigger.outer }}' }, position: pos },
        { id: 'inner', type: 'core.loop', version: 1, config: { items: '{{ $trigger.inner }}' }, position: pos },
        { id: 'cell', type: 'core.transform', version: 1, config: { fields: [{ name: 'v', value: '{{ $item }}' }] }, position: pos },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'outer' },
        { id: 'e2', source: 'outer', sourceHandle: 'item', target: 'inner' },
        { id: 'e3', source: 'inner', sourceHandle: 'item', target: 'cell' },
        { id: 'e4', source: 'cell', target: 'inner', targetHandle: 'next' },
        { id: 'e5', source: 'inner', sourceHandle: 'done', target: 'outer', targetHandle: 'next' },
      ],
    },
  };
}

interface Figures {
  scenario: string;
  probes: number;
  p50: number;
  p99: number;
  max: number;
  over200: number;
  runStatus: string;
  runMs: number;
  error: string;
  /** When (ms after the run started) each probe over the target answered, and how slowly. */
  slow: string[];
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** One probe: time of a full GET /healthz (the request waits as long as the server makes it). */
async function probe(baseUrl: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(WINDOW_MS) });
  await res.text();
  return performance.now() - t0;
}

async function runScenario(baseUrl: string, token: string, s: Scenario): Promise<Figures> {
  const wf = await apiCall(baseUrl, '/api/workflows', { method: 'POST', token, body: { name: s.name, graph: s.graph }, expect: 201 });
  const workflowId = stringField(wf.json, 'id', 'create workflow');
  const started = await apiCall(baseUrl, `/api/workflows/${workflowId}/run`, { method: 'POST', token, body: { payload: s.payload }, expect: 202 });
  const runId = stringField(started.json, 'runId', 'run');
  const t0 = Date.now();
  const latencies: number[] = [];
  const slow: string[] = [];
  let status = 'running';
  let error = '';
  let lastStatusCheck = 0;
  while (Date.now() - t0 < WINDOW_MS) {
    try {
      const ms = await probe(baseUrl);
      latencies.push(ms);
      if (ms > TARGET_P99_MS) slow.push(`${Math.round(ms)} ms at +${Date.now() - t0} ms`);
    } catch (err) {
      // A server that died (or stopped answering) under the run is the finding, not a bench failure.
      status = 'server down';
      error = `/healthz failed: ${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}`;
      break;
    }
    if (Date.now() - lastStatusCheck > 1000) {
      lastStatusCheck = Date.now();
      // The list, not the run's detail: a 10,000-step detail would load the server it measures.
      const list = await apiCall(baseUrl, `/api/runs?workflowId=${workflowId}`, { token }).catch(() => undefined);
      const r = (list?.json as { items?: { id: string; status: string; error?: unknown }[] } | undefined)?.items?.find((x) => x.id === runId);
      status = r?.status ?? status;
      if (r && ['succeeded', 'failed', 'cancelled'].includes(status)) {
        error = r.error ? JSON.stringify(r.error).slice(0, 120) : '';
        break;
      }
    }
    await new Promise((r) => setTimeout(r, PROBE_EVERY_MS));
  }
  const runMs = Date.now() - t0;
  if (status !== 'server down' && !['succeeded', 'failed', 'cancelled'].includes(status)) {
    // Leave no run behind for the next scenario.
    await apiCall(baseUrl, `/api/runs/${runId}/cancel`, { method: 'POST', token }).catch(() => undefined);
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  return { scenario: s.name, probes: latencies.length, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted.at(-1) ?? Number.NaN, over200: latencies.filter((l) => l > TARGET_P99_MS).length, runStatus: status, runMs, error, slow };
}

export async function runEmbeddedHealthBench(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyflow-bench-health-'));
  onCleanup(() => rmSync(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  progress(`keyflow start (embedded, PGlite in ${dataDir}); watch window ${WINDOW_MS} ms per scenario`);
  const proc = spawnKeyflow({
    label: 'start', command: 'start',
    env: { DATABASE_URL: '', REDIS_URL: '', KEYFLOW_DATA_DIR: dataDir, KEYFLOW_ENCRYPTION_KEYS: randomBytes(32).toString('base64url'), PORT: String(port), KEYFLOW_PUBLIC_URL: baseUrl },
  });
  await waitForHttp(proc, `${baseUrl}/healthz`, 60_000);
  const { token } = await signupAndToken(baseUrl);
  const rows: Figures[] = [];
  for (const s of [loopScenario(10_000), nestedScenario(400, 400)]) {
    progress(s.name);
    const f = await runScenario(baseUrl, token, s);
    if (f.runStatus === 'server down') progress(`server output:\n${proc.output().slice(-3000)}`);
    progress(`${s.name}: p99 ${f.p99.toFixed(1)} ms, max ${f.max.toFixed(0)} ms, run ${f.runStatus} after ${f.runMs} ms ${f.error}`);
    rows.push(f);
  }
  const rss = proc.rssBytes();
  await proc.stop();
  const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '—');
  const table = formatTable(
    ['scenario', 'probes', 'p50 ms', 'p99 ms', 'max ms', `> ${TARGET_P99_MS} ms`, 'run', 'run ms', `p99 < ${TARGET_P99_MS} ms`],
    rows.map((r) => [r.scenario, String(r.probes), ms(r.p50), ms(r.p99), ms(r.max), String(r.over200), r.runStatus, String(r.runMs), r.p99 < TARGET_P99_MS ? 'PASS' : 'MISS']),
  );
  const notes = rows.flatMap((r) => [...(r.error ? [`${r.scenario}: ${r.error}`] : []), ...(r.slow.length ? [`${r.scenario}: probes over ${TARGET_P99_MS} ms: ${r.slow.slice(0, 10).join(', ')}`] : [])]);
  process.stdout.write(`\n/healthz while one heavy run goes on (embedded mode)\n${table}\n${notes.join('\n')}\nserver RSS at the end: ${rss ? `${Math.round(rss / 1048576)} MiB` : '—'}\n`);
}
