// `npm run bench -- build`: what the production build (`npm run build`, build/) saves against
// today's TypeScript path. Each variant is started several times on an already-initialised
// database (a restart, the common case) and measured from spawn to the first 200 from /readyz,
// and by RSS of its whole process tree once ready (`npm start` is a wrapper process plus the
// server). Variants: embedded `start` (PGlite) and queue-mode `server` (Postgres + Redis).
// Needs the local Postgres and Redis, and builds build/ first when it is missing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPostgresDatabase } from '@keyflow/engine/testing';
import { generateKey } from '@keyflow/engine/vault';
import { NODE_FLAGS, QUEUE_NODE_FLAGS, SERVE_NODE_FLAGS } from '../deploy/commands.mjs';
import { onCleanup } from './support/cleanup.ts';
import { freePort, spawnTracked, type KeyflowProcess } from './support/engine-process.ts';
import { formatTable } from './support/format-table.ts';
import { percentile } from './support/ai-timing.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const buildDir = join(root, 'build');
const STARTS = Number(process.env.KEYFLOW_BENCH_STARTS ?? 7);
const progress = (msg: string) => process.stderr.write(`bench build: ${msg}\n`);

/** RSS of a process and all its descendants, from /proc. */
function treeRssBytes(pid: number): number {
  let total = 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const kids = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const kid of kids ? kids.split(/\s+/) : []) total += treeRssBytes(Number(kid));
    }
  } catch {
    // the process ended meanwhile
  }
  return total;
}

interface Variant {
  name: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

async function startOnce(v: Variant): Promise<{ readyMs: number; rssMb: number }> {
  const port = await freePort();
  const t0 = performance.now();
  const proc: KeyflowProcess = spawnTracked({ label: v.name, args: v.args, cwd: v.cwd, env: { HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...v.env } });
  try {
    for (;;) {
      if (proc.cpuMs() === undefined) throw new Error(`${v.name} exited during start-up:\n${proc.output().trim()}`);
      if (performance.now() - t0 > 120_000) throw new Error(`${v.name} did not become ready in 120 s:\n${proc.output().trim()}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(1000) });
        await res.body?.cancel();
        if (res.status === 200) break;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    const readyMs = performance.now() - t0;
    // Settled a moment, so start-up's transient allocations are counted the same way for both.
    await new Promise((r) => setTimeout(r, 500));
    return { readyMs, rssMb: treeRssBytes(proc.pid) / 1024 / 1024 };
  } finally {
    await proc.stop();
  }
}

export async function runBuildBench(): Promise<void> {
  if (!existsSync(join(buildDir, 'server', 'src', 'cli.js')) || !existsSync(join(buildDir, 'node_modules'))) {
    progress('build/ is missing: running npm run build');
    const r = spawnSync(process.execPath, ['scripts/run.mjs', 'build'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('npm run build failed');
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'keyflow-bench-build-'));
  onCleanup(async () => rmSync(dataDir, { recursive: true, force: true }));
  const db = await createPostgresDatabase();
  onCleanup(() => db.drop());
  const queueEnv = { DATABASE_URL: db.url!, REDIS_URL: process.env.KEYFLOW_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', KEYFLOW_ENCRYPTION_KEYS: generateKey(), KEYFLOW_QUEUE_NAME: `bench-build-${process.pid}`, KEYFLOW_DATA_DIR: dataDir };
  const embeddedEnv = { KEYFLOW_DATA_DIR: join(dataDir, 'embedded') };
  const variants: Variant[] = [
    { name: 'embedded start, npm start path (run.mjs + .ts)', args: ['scripts/run.mjs', 'start'], cwd: root, env: embeddedEnv },
    { name: 'embedded start, build/ (.js)', args: [...NODE_FLAGS, ...SERVE_NODE_FLAGS, 'server/src/cli.js', 'start'], cwd: buildDir, env: embeddedEnv },
    { name: 'queue server, npm run keyflow path (run.mjs + .ts)', args: ['scripts/run.mjs', 'keyflow', 'server'], cwd: root, env: queueEnv },
    { name: 'queue server, build/ (.js)', args: [...NODE_FLAGS, ...QUEUE_NODE_FLAGS, 'server/src/cli.js', 'server'], cwd: buildDir, env: queueEnv },
  ];
  // One unmeasured start each: creates the embedded database, warms the OS file cache.
  for (const v of variants) {
    progress(`warm-up: ${v.name}`);
    await startOnce(v);
  }
  const results = new Map<string, { ready: number[]; rss: number[] }>(variants.map((v) => [v.name, { ready: [], rss: [] }]));
  // Interleaved, so a change in the machine's load hits every variant alike.
  for (let i = 0; i < STARTS; i++) {
    for (const v of variants) {
      const r = await startOnce(v);
      results.get(v.name)!.ready.push(r.readyMs);
      results.get(v.name)!.rss.push(r.rssMb);
    }
    progress(`round ${i + 1}/${STARTS} done`);
  }
  const rows = variants.map((v) => {
    const r = results.get(v.name)!;
    const ready = [...r.ready].sort((a, b) => a - b);
    const rss = [...r.rss].sort((a, b) => a - b);
    return [v.name, String(STARTS), ...[50, 90, 100].map((p) => percentile(ready, p).toFixed(0)), ...[50, 100].map((p) => percentile(rss, p).toFixed(0))];
  });
  process.stdout.write(`\nStart-up to the first 200 from /readyz (ms) and RSS of the process tree once ready (MB), ${STARTS} starts each (interleaved; the machine is shared, compare rows of one run only)\n\n`);
  process.stdout.write(`${formatTable(['variant', 'starts', 'ready p50', 'p90', 'max', 'RSS p50', 'max'], rows)}\n\n`);
  const p50 = (name: string) => percentile([...results.get(name)!.ready].sort((a, b) => a - b), 50);
  const rss50 = (name: string) => percentile([...results.get(name)!.rss].sort((a, b) => a - b), 50);
  for (const [a, b] of [[variants[0]!, variants[1]!], [variants[2]!, variants[3]!]] as const) {
    process.stdout.write(`${b.name}: start-up p50 ${(p50(a.name) - p50(b.name)).toFixed(0)} ms faster (${((1 - p50(b.name) / p50(a.name)) * 100).toFixed(0)}%), RSS p50 ${(rss50(a.name) - rss50(b.name)).toFixed(0)} MB lower\n`);
  }
}
