// `npm run bench -- mem`: where the RSS of `server`, `worker` and `start` goes, idle and after a
// load. Each process runs with the flags `npm start` gives it plus `--expose-gc` and
// support/mem-agent.mjs, which answers SIGUSR2 with process.memoryUsage(), V8's heap spaces and
// code statistics, and /proc/self/smaps (and a heap snapshot with KEYFLOW_BENCH_MEM_SNAPSHOT=1,
// summarised by constructor and by retaining module, support/heap-summary.ts).
// KEYFLOW_BENCH_MEM_MODES=queue,embedded narrows it; KEYFLOW_BENCH_MEM_REQUESTS (default 4000)
// sets the 1-step requests of the load (a quarter as many 20-step ones follow).
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPostgresDatabase } from '@keyflow/engine/testing';
import { onCleanup } from './support/cleanup.ts';
import { BENCH_HOOK_RATE_PER_MINUTE, freePort, spawnKeyflow, waitForHttp, type KeyflowProcess } from './support/engine-process.ts';
import { flushBenchDb } from './support/engine-redis.ts';
import { chainGraph, createHookPool } from './support/engine-workflows.ts';
import { formatHeapSummary, readSnapshot, summariseHeap } from './support/heap-summary.ts';
import { signupAndToken } from './support/signup-and-token.ts';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const agent = fileURLToPath(new URL('./support/mem-agent.mjs', import.meta.url));
const REDIS_DB = 9;

interface Mapping {
  size: number;
  perms: string;
  name: string;
  rss: number;
  /** An anonymous mapping aligned to 64 MiB: a glibc thread arena's heap. */
  arena: boolean;
}
export interface MemReport {
  pid: number;
  rssBeforeGc: number;
  memoryUsage: NodeJS.MemoryUsage;
  heapSpaces: { space_name: string; space_size: number; space_used_size: number }[];
  heapCode: { code_and_metadata_size: number; bytecode_and_metadata_size: number; external_script_source_size: number };
  commonJsModules: number;
  smaps: Mapping[];
}

interface Probed {
  proc: KeyflowProcess;
  base: string;
  n: number;
}

function spawnProbed(label: string, command: 'start' | 'server' | 'worker', env: Record<string, string>, dir: string): Probed {
  const base = join(dir, label);
  const proc = spawnKeyflow({ label, command, env: { ...env, KEYFLOW_MEM_REPORT: base }, nodeArgs: ['--expose-gc', '--import', agent] });
  return { proc, base, n: 0 };
}

async function probe(p: Probed, snapshot = false): Promise<{ report: MemReport; snapshot?: string }> {
  p.n += 1;
  const file = `${p.base}.${p.n}`;
  if (snapshot) writeFileSync(`${file}.want-snapshot`, '');
  process.kill(p.proc.pid, 'SIGUSR2');
  const deadline = Date.now() + 120_000;
  while (!existsSync(`${file}.done`)) {
    if (Date.now() > deadline) throw new Error(`${p.proc.label} wrote no memory report within 120 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const report = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as MemReport;
  return { report, ...(existsSync(`${file}.heapsnapshot`) ? { snapshot: `${file}.heapsnapshot` } : {}) };
}

/** Resident kB of /proc/self/smaps, sorted into what holds it. */
export function smapsBreakdown(maps: Mapping[]): Record<string, number> {
  const out: Record<string, number> = { 'WebAssembly memories (≥ 1 GiB reservations)': 0, 'malloc main arena ([heap])': 0, 'malloc thread arenas (64 MiB-aligned)': 0, 'node binary + shared libraries': 0, 'other anonymous (V8 heap, code, stacks)': 0, 'other files': 0 };
  for (const m of maps) {
    if (m.size >= 1024 * 1024) out['WebAssembly memories (≥ 1 GiB reservations)']! += m.rss;
    else if (m.name === '[heap]') out['malloc main arena ([heap])']! += m.rss;
    else if (m.arena) out['malloc thread arenas (64 MiB-aligned)']! += m.rss;
    else if (m.name.startsWith('/') && (m.name.includes('/bin/node') || m.name.includes('.so'))) out['node binary + shared libraries']! += m.rss;
    else if (!m.name || m.name.startsWith('[')) out['other anonymous (V8 heap, code, stacks)']! += m.rss;
    else out['other files']! += m.rss;
  }
  return out;
}

const mb = (bytes: number) => (bytes / 1048576).toFixed(1);
function formatReport(label: string, r: MemReport): string {
  const u = r.memoryUsage;
  const spaces = r.heapSpaces.filter((s) => s.space_size > 0).map((s) => `${s.space_name.replace(/_space$/, '')} ${mb(s.space_used_size)}/${mb(s.space_size)}`).join(', ');
  const smaps = Object.entries(smapsBreakdown(r.smaps)).map(([k, kb]) => `    ${(kb / 1024).toFixed(1).padStart(7)} MB  ${k}`).join('\n');
  const wasm = r.smaps.filter((m) => m.size >= 1024 * 1024).map((m) => (m.rss / 1024).toFixed(1)).join(' + ');
  return [
    `${label}: rss ${mb(r.rssBeforeGc)} MB (after a full GC ${mb(u.rss)}); heap used/total ${mb(u.heapUsed)}/${mb(u.heapTotal)}, external ${mb(u.external)}, arrayBuffers ${mb(u.arrayBuffers)}`,
    `  heap spaces used/size MB: ${spaces}`,
    `  code: compiled ${mb(r.heapCode.code_and_metadata_size)} MB, bytecode ${mb(r.heapCode.bytecode_and_metadata_size)} MB, external script source ${mb(r.heapCode.external_script_source_size)} MB; CommonJS modules ${r.commonJsModules}`,
    `  /proc/self/smaps resident:`,
    smaps,
    `    (WebAssembly memories, each: ${wasm || 'none'} MB)`,
    `    largest: ${[...r.smaps].sort((a, b) => b.rss - a.rss).slice(0, 6).map((m) => `${(m.rss / 1024).toFixed(1)} of ${(m.size / 1024).toFixed(0)} MB ${m.name || 'anon'}`).join('; ')}`,
  ].join('\n');
}

async function fire(origin: string, paths: string[], total: number, concurrency = 10): Promise<{ ok: number; failed: number }> {
  let next = 0;
  let ok = 0;
  let failed = 0;
  const one = async () => {
    while (next < total) {
      const i = next++;
      const res = await fetch(`${origin}${paths[i % paths.length]!}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"x"}' });
      await res.text();
      if (res.status === 200) ok++;
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, one));
  return { ok, failed };
}

async function measure(label: string, origin: string, procs: Probed[], out: (s: string) => void): Promise<void> {
  await new Promise((r) => setTimeout(r, 2000));
  for (const p of procs) {
    const { report } = await probe(p);
    out(formatReport(`${p.proc.label}, idle after start-up`, report));
  }
  const { token } = await signupAndToken(origin);
  const one = await createHookPool(origin, token, 'mem-1', chainGraph(1), 20);
  const twenty = await createHookPool(origin, token, 'mem-20', chainGraph(20), 20);
  const requests = Number(process.env.KEYFLOW_BENCH_MEM_REQUESTS ?? 4000);
  const t0 = Date.now();
  const a = await fire(origin, one.paths, requests);
  const b = await fire(origin, twenty.paths, Math.round(requests / 4));
  const endRss = procs.map((p) => `${p.proc.label} ${mb(p.proc.rssBytes() ?? 0)} MB`).join(', ');
  out(`${label}: load ${a.ok + b.ok} runs answered 200 (${a.failed + b.failed} not) in ${((Date.now() - t0) / 1000).toFixed(1)} s; RSS at the end of the load: ${endRss}`);
  for (const p of procs) {
    const { report, snapshot } = await probe(p, process.env.KEYFLOW_BENCH_MEM_SNAPSHOT === '1');
    out(formatReport(`${p.proc.label}, after the load`, report));
    if (snapshot) {
      out(formatHeapSummary(summariseHeap(readSnapshot(snapshot), repoRoot, 20)));
      rmSync(snapshot);
    }
  }
}

export async function runMemBench(): Promise<void> {
  const out = (s: string) => process.stdout.write(s + '\n');
  const modes = (process.env.KEYFLOW_BENCH_MEM_MODES ?? 'queue,embedded').split(',');
  const dir = mkdtempSync(join(tmpdir(), 'keyflow-bench-mem-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  out(`machine: load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  if (modes.includes('queue')) {
    const db = await createPostgresDatabase();
    onCleanup(() => db.drop());
    const redisUrl = `redis://127.0.0.1:6379/${REDIS_DB}`;
    await flushBenchDb(redisUrl);
    onCleanup(() => flushBenchDb(redisUrl));
    const port = await freePort();
    const metricsPort = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const token = randomBytes(24).toString('base64url');
    const env = {
      KEYFLOW_METRICS_TOKEN: token, DATABASE_URL: db.url!, REDIS_URL: redisUrl, KEYFLOW_QUEUE_NAME: `kf-mem-${randomUUID().slice(0, 8)}`, KEYFLOW_DATA_DIR: dir,
      KEYFLOW_ENCRYPTION_KEYS: randomBytes(32).toString('base64url'), PORT: String(port), KEYFLOW_PUBLIC_URL: origin, KEYFLOW_WEBHOOK_RATE_PER_MINUTE: String(BENCH_HOOK_RATE_PER_MINUTE),
    };
    const server = spawnProbed('server', 'server', env, dir);
    const worker = spawnProbed('worker', 'worker', { ...env, KEYFLOW_METRICS_PORT: String(metricsPort) }, dir);
    await waitForHttp(server.proc, `${origin}/healthz`);
    await waitForHttp(worker.proc, `http://127.0.0.1:${metricsPort}/metrics`, 30_000, token);
    await measure('queue mode', origin, [server, worker], out);
    await worker.proc.stop();
    await server.proc.stop();
  }
  if (modes.includes('embedded')) {
    const dataDir = mkdtempSync(join(tmpdir(), 'keyflow-bench-mem-embedded-'));
    onCleanup(() => rmSync(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const start = spawnProbed('start', 'start', { DATABASE_URL: '', REDIS_URL: '', KEYFLOW_DATA_DIR: dataDir, KEYFLOW_ENCRYPTION_KEYS: randomBytes(32).toString('base64url'), PORT: String(port), KEYFLOW_PUBLIC_URL: origin }, dir);
    await waitForHttp(start.proc, `${origin}/healthz`, 60_000);
    await measure('embedded mode', origin, [start], out);
    await start.proc.stop();
  }
}
