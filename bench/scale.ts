// `npm run bench -- scale [--small]`: costs as data grows (issue 15 items 5–6). Seeds a fresh
// Postgres database with 10,000 workflows, 1,000,000 runs and 5,000,000 steps across 100 owners
// (--small: a twentieth), then measures the API's reads and a webhook run against the real server
// (`keyflow start` on that DATABASE_URL) beside the same server on an empty database, EXPLAINs
// the repositories' SQL, prunes 30 days of history, runs the executor on a 1,000-node graph and a
// 10,000-item loop, and measures runs/s with 1, 2 and 4 workers (queue mode).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runs, settings, usage, users, workflows, type Db } from '@keyflow/engine';
import { createPostgresDatabase, type TestDatabase } from '@keyflow/engine/testing';
import { onCleanup } from './support/cleanup.ts';
import { freePort, spawnKeyflow, waitForHttp, type KeyflowProcess } from './support/engine-process.ts';
import { signupAndToken } from './support/signup-and-token.ts';
import { chainGraph, createHookWorkflow } from './support/engine-workflows.ts';
import { BIG_TABLES, capturingDb, explainAll } from './support/scale-explain.ts';
import { fmtMs, latencyOf, timedRequest, type Latency, type Probe } from './support/scale-http.ts';
import { measureRead, type ReadCost, type ServerGauge } from './support/scale-cost.ts';
import { connectPg, type BenchPg } from './support/scale-pg.ts';
import { FULL_SIZE, scaledSize, seedScale, type SeededOwner } from './support/scale-seed.ts';
import { measureExecutor } from './support/scale-executor.ts';
import { measureScaleOut } from './support/scale-out.ts';

const READ_P99_TARGET_MS = 20;
const WEBHOOK_TOLERANCE = 0.1;

const progress = (msg: string) => process.stderr.write(`[scale] ${msg}\n`);
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

export interface ServerUnderTest {
  proc: KeyflowProcess;
  origin: string;
  /** KEYFLOW_METRICS_TOKEN of the process: /metrics on its port. */
  metricsToken: string;
}

/** `keyflow start` (API + in-process worker) on a Postgres database; retention off (the bench prunes itself). */
export async function startServer(label: string, databaseUrl: string, extraEnv: Record<string, string> = {}, nodeArgs: string[] = []): Promise<ServerUnderTest> {
  const dataDir = mkdtempSync(join(tmpdir(), `keyflow-bench-scale-${label}-`));
  onCleanup(() => rmSync(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const metricsToken = randomBytes(24).toString('base64url');
  const proc = spawnKeyflow({
    label, command: 'start', nodeArgs,
    env: {
      DATABASE_URL: databaseUrl, REDIS_URL: '', KEYFLOW_DATA_DIR: dataDir, KEYFLOW_ENCRYPTION_KEYS: randomBytes(32).toString('base64url'),
      PORT: String(port), KEYFLOW_PUBLIC_URL: origin, KEYFLOW_RUN_RETENTION_DAYS: '0', KEYFLOW_METRICS_TOKEN: metricsToken, ...extraEnv,
    },
  });
  await waitForHttp(proc, `${origin}/healthz`, 60_000);
  return { proc, origin, metricsToken };
}

interface OwnerData extends SeededOwner {
  workflowIds: string[];
  runIds: string[];
}

async function ownerData(pg: BenchPg, owners: SeededOwner[]): Promise<OwnerData[]> {
  const wf = await pg.query(`select owner_id, (array_agg(id order by id))[1:5] as ids from workflows group by owner_id`);
  // A few runs per owner from anywhere in the history (tablesample: no full scan).
  const rn = await pg.query(`select owner_id, (array_agg(id))[1:10] as ids from runs tablesample system (1) group by owner_id`);
  const wfBy = new Map(wf.rows.map((r) => [r.owner_id as string, r.ids as string[]]));
  const rnBy = new Map(rn.rows.map((r) => [r.owner_id as string, r.ids as string[]]));
  return owners.map((o) => ({ ...o, workflowIds: wfBy.get(o.id) ?? [], runIds: rnBy.get(o.id) ?? [] })).filter((o) => o.workflowIds.length > 0 && o.runIds.length > 0);
}

interface ReadCase {
  name: string;
  probe: (o: OwnerData, i: number) => Probe;
  /** The repository calls the route makes, for EXPLAIN. */
  repo: (db: Db, o: OwnerData) => Promise<unknown>;
}

/** The reads GET /api/usage makes (server/src/routes/usage.routes.ts), the month's spend taken over the same period. */
async function usageReportReads(db: Db, ownerId: string, from: Date, to: Date, groupBy: usage.UsageGroupBy): Promise<void> {
  await settings.getSettings(db, ownerId);
  await usage.summarizeUsage(db, ownerId, { from, to, groupBy });
  await usage.qualityByReference(db, ownerId, { from, to });
  await usage.spentBetween(db, ownerId, from, to);
}

function readCases(days: number, deepWorkflowCursor: Map<string, string>): ReadCase[] {
  const now = Date.now();
  const dayMs = 86_400_000;
  const iso = (ms: number) => new Date(ms).toISOString();
  const monthAgo = iso(now - 30 * dayMs);
  // Deep pages: a cursor somewhere in the history (the API's `before`, the oldest createdAt of the previous page).
  const deep = (i: number) => iso(now - ((i * 7919) % (days * 1000)) * (dayMs / 1000));
  return [
    { name: 'run list (newest 50)', probe: (o) => ({ path: '/api/runs?limit=50', token: o.token, expect: '"items"' }), repo: (db, o) => runs.listRuns(db, o.id, { limit: 50 }) },
    { name: 'run list status=failed', probe: (o) => ({ path: '/api/runs?limit=50&status=failed', token: o.token }), repo: (db, o) => runs.listRuns(db, o.id, { status: 'failed', limit: 50 }) },
    { name: 'run list status=cancelled', probe: (o) => ({ path: '/api/runs?limit=50&status=cancelled', token: o.token }), repo: (db, o) => runs.listRuns(db, o.id, { status: 'cancelled', limit: 50 }) },
    { name: 'run list workflowId', probe: (o, i) => ({ path: `/api/runs?limit=50&workflowId=${o.workflowIds[i % o.workflowIds.length]}`, token: o.token }), repo: (db, o) => runs.listRuns(db, o.id, { workflowId: o.workflowIds[0], limit: 50 }) },
    { name: 'run list trigger=rerun', probe: (o) => ({ path: '/api/runs?limit=50&trigger=rerun', token: o.token }), repo: (db, o) => runs.listRuns(db, o.id, { trigger: 'rerun', limit: 50 }) },
    { name: 'run list time range (1 day, 9 days ago)', probe: (o) => ({ path: `/api/runs?limit=50&from=${iso(now - 10 * dayMs)}&to=${iso(now - 9 * dayMs)}`, token: o.token }), repo: (db, o) => runs.listRuns(db, o.id, { from: new Date(now - 10 * dayMs), to: new Date(now - 9 * dayMs), limit: 50 }) },
    { name: 'run list deep page (before cursor)', probe: (o, i) => ({ path: `/api/runs?limit=50&before=${deep(i)}`, token: o.token }), repo: (db, o) => runs.listRuns(db, o.id, { before: new Date(deep(3)), limit: 50 }) },
    { name: 'run list deep page, status=failed', probe: (o, i) => ({ path: `/api/runs?limit=50&status=failed&before=${deep(i)}`, token: o.token }), repo: (db, o) => runs.listRuns(db, o.id, { status: 'failed', before: new Date(deep(3)), limit: 50 }) },
    { name: 'run detail with steps', probe: (o, i) => ({ path: `/api/runs/${o.runIds[i % o.runIds.length]}`, token: o.token, expect: '"steps"' }), repo: async (db, o) => { await runs.getRunWithSteps(db, o.id, o.runIds[0]!); await runs.listRunUsage(db, o.id, o.runIds[0]!); } },
    { name: 'workflow list (first page)', probe: (o) => ({ path: '/api/workflows?limit=25', token: o.token, expect: '"items"' }), repo: (db, o) => workflows.listWorkflows(db, o.id, { limit: 25 }) },
    { name: 'workflow list (page 3, cursor)', probe: (o) => ({ path: `/api/workflows?limit=25&cursor=${deepWorkflowCursor.get(o.id) ?? ''}`, token: o.token }), repo: (db, o) => workflows.listWorkflows(db, o.id, { limit: 25, cursor: deepWorkflowCursor.get(o.id) }) },
    { name: 'workflow search name=invoice', probe: (o) => ({ path: '/api/workflows?limit=25&name=invoice', token: o.token, expect: 'invoice' }), repo: (db, o) => workflows.listWorkflows(db, o.id, { limit: 25, name: 'invoice' }) },
    { name: 'usage report, 30 days by day', probe: (o) => ({ path: `/api/usage?from=${monthAgo}&to=${iso(now)}&groupBy=day`, token: o.token, expect: '"totals"' }), repo: (db, o) => usageReportReads(db, o.id, new Date(monthAgo), new Date(now), 'day') },
    { name: 'usage report, 30 days by workflow', probe: (o) => ({ path: `/api/usage?from=${monthAgo}&to=${iso(now)}&groupBy=workflow`, token: o.token, expect: '"totals"' }), repo: (db, o) => usageReportReads(db, o.id, new Date(monthAgo), new Date(now), 'workflow') },
  ];
}

interface ReadResult {
  name: string;
  cost?: ReadCost;
  plans: Awaited<ReturnType<typeof explainAll>>;
}

async function measureReads(server: ServerUnderTest, db: Db, pg: BenchPg, owners: OwnerData[], days: number, samples: number): Promise<ReadResult[]> {
  const { origin } = server;
  const gauge: ServerGauge = { origin, cpuMs: () => server.proc.cpuMs(), metrics: { url: `${origin}/metrics`, token: server.metricsToken } };
  // The third page of each owner's workflow list, by following the API's own cursor.
  const cursors = new Map<string, string>();
  for (const o of owners.slice(0, 20)) {
    let cursor = '';
    for (let page = 0; page < 2; page++) {
      const res = await fetch(`${origin}/api/workflows?limit=25${cursor ? `&cursor=${cursor}` : ''}`, { headers: { authorization: `Bearer ${o.token}` } });
      const body = (await res.json()) as { nextCursor?: string | null };
      if (!body.nextCursor) break;
      cursor = body.nextCursor;
    }
    if (cursor) cursors.set(o.id, cursor);
  }
  const withCursor = owners.filter((o) => cursors.has(o.id));
  const out: ReadResult[] = [];
  const capture = capturingDb(db);
  // Every request authenticates its bearer token first: its lookup is part of every read.
  await users.findApiTokenOwner(capture.db, owners[0]!.token);
  const authPlans = await explainAll(pg, capture.take());
  out.push({ name: 'token lookup (every request; cached 5 s)', plans: authPlans });
  // The sweeper's scan for lost runs, every few seconds on every server.
  await runs.findOrphanedRuns(capture.db, new Date(Date.now() - 30_000));
  out.push({ name: 'sweeper: orphaned runs (every few seconds)', plans: await explainAll(pg, capture.take()) });
  for (const c of readCases(days, cursors)) {
    const pool = c.name.includes('cursor') && c.name.startsWith('workflow') ? withCursor : owners;
    if (pool.length === 0) continue;
    const cost = await measureRead(gauge, (i) => c.probe(pool[i % pool.length]!, Math.floor(i / pool.length)), samples);
    await c.repo(capture.db, pool[1 % pool.length]!);
    const plans = await explainAll(pg, capture.take());
    out.push({ name: c.name, cost, plans });
    progress(`${c.name}: p50 ${fmtMs(cost.latency.p50)} ms, p99 ${fmtMs(cost.latency.p99)} ms, ${cost.cpuMsPerRequest.toFixed(2)} CPU ms and ${cost.statementsPerRequest.toFixed(1)} statements per request`);
  }
  return out;
}

function printReads(results: ReadResult[]): boolean {
  let allPass = true;
  console.log('\n## API reads on the seeded database (one request at a time, owners in turn)\n');
  console.log('| read | samples | p50 ms | p99 ms | max ms | server CPU ms/request | statements/request | p99 < 20 ms |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |');
  for (const r of results) {
    if (!r.cost) continue;
    const { latency, cpuMsPerRequest, statementsPerRequest, statements } = r.cost;
    const pass = latency.p99 < READ_P99_TARGET_MS;
    allPass &&= pass;
    const named = statements.filter(([, n]) => n >= 0.05).map(([name, n]) => `${name} ${n.toFixed(2)}`).join(', ');
    console.log(`| ${r.name} | ${latency.samples} | ${fmtMs(latency.p50)} | ${fmtMs(latency.p99)} | ${fmtMs(latency.max)} | ${cpuMsPerRequest.toFixed(2)} | ${statementsPerRequest.toFixed(2)} (${named}) | ${pass ? 'PASS' : 'MISS'} |`);
  }
  console.log('\n## EXPLAIN (ANALYZE, BUFFERS) of the repositories\' SQL (one owner, warm cache)\n');
  for (const r of results) {
    console.log(`- ${r.name}`);
    for (const p of r.plans) {
      const seq = p.seqScans.filter((t) => BIG_TABLES.has(t));
      console.log(`  - ${p.executionMs.toFixed(2)} ms, buffers hit ${p.sharedHit} read ${p.sharedRead}, rows removed by filter ${p.rowsRemoved}${seq.length ? `, SEQ SCAN of ${seq.join(', ')}` : ''}: ${p.scans.join('; ') || '(no table scan)'}`);
      console.log(`    \`${p.sql.replace(/\s+/g, ' ').slice(0, 240)}\``);
    }
  }
  return allPass;
}

/** Webhook runs (wait mode, 5 steps) on the seeded and the empty database, interleaved so both see the same machine load. */
async function measureWebhooks(seeded: ServerUnderTest, seededToken: string, empty: ServerUnderTest, samples: number): Promise<{ seeded: Latency; empty: Latency }> {
  const graph = chainGraph(3);
  const { token: emptyToken } = await signupAndToken(empty.origin);
  const a = await createHookWorkflow(seeded.origin, seededToken, 'scale webhook', graph);
  const b = await createHookWorkflow(empty.origin, emptyToken, 'scale webhook', graph);
  const probe = (path: string): Probe => ({ path, method: 'POST', body: '{"name":"x"}', expect: 'Hello x' });
  for (let i = 0; i < 50; i++) {
    await timedRequest(seeded.origin, probe(a.path));
    await timedRequest(empty.origin, probe(b.path));
  }
  const sa: number[] = [];
  const sb: number[] = [];
  for (let i = 0; i < samples; i++) {
    // Alternate which goes first, so neither always follows the other's GC or commit.
    if (i % 2 === 0) {
      sa.push(await timedRequest(seeded.origin, probe(a.path)));
      sb.push(await timedRequest(empty.origin, probe(b.path)));
    } else {
      sb.push(await timedRequest(empty.origin, probe(b.path)));
      sa.push(await timedRequest(seeded.origin, probe(a.path)));
    }
  }
  return { seeded: latencyOf(sa), empty: latencyOf(sb) };
}

/** Retention of 30 days through the engine's own pruner, while a probe reads and runs webhooks against the server. */
async function measurePrune(db: Db, pg: BenchPg, server: ServerUnderTest, owner: OwnerData, hookPath: string): Promise<void> {
  const before = await pg.query(`select count(*)::int8 as runs, (select count(*)::int8 from run_steps) as steps from runs`);
  const old = await pg.query(`select count(*)::int8 as n from runs where created_at < now() - interval '30 days'`);
  console.log(`\n## Retention: pruning runs older than 30 days (${Number(old.rows[0]!.n).toLocaleString('en-US')} of ${Number(before.rows[0]!.runs).toLocaleString('en-US')} runs, with their steps)\n`);
  let stop = false;
  const probeMs: number[] = [];
  const lockWaits: string[] = [];
  const prober = (async () => {
    let i = 0;
    while (!stop) {
      const p: Probe = i++ % 2 === 0 ? { path: '/api/runs?limit=50', token: owner.token } : { path: hookPath, method: 'POST', body: '{"name":"x"}', expect: 'Hello x' };
      probeMs.push(await timedRequest(server.origin, p));
    }
  })();
  const watcher = (async () => {
    while (!stop) {
      const { rows } = await pg.query(`select wait_event_type, wait_event, now() - query_start as waited from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`);
      for (const r of rows) lockWaits.push(`${String(r.wait_event)} ${JSON.stringify(r.waited)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const batches: { rows: number; ms: number }[] = [];
  const t0 = performance.now();
  const deleted = await runs.pruneRuns(db, { days: 30 }, { onBatch: (rows, ms) => batches.push({ rows, ms }) });
  const seconds = (performance.now() - t0) / 1000;
  stop = true;
  await Promise.all([prober, watcher]);
  const batchMs = latencyOf(batches.map((b) => b.ms));
  const probe = latencyOf(probeMs);
  console.log(`- deleted ${deleted.toLocaleString('en-US')} runs (their steps by cascade) in ${seconds.toFixed(1)} s: ${(deleted / seconds).toFixed(0)} runs/s`);
  console.log(`- batches: ${batches.length}${batches.length ? ` of up to ${Math.max(...batches.map((b) => b.rows))} runs, each p50 ${fmtMs(batchMs.p50)} ms, p99 ${fmtMs(batchMs.p99)} ms, longest ${fmtMs(batchMs.max)} ms` : ''}`);
  console.log(`- meanwhile ${probe.samples} API requests (run list and webhook runs, alternating): p50 ${fmtMs(probe.p50)} ms, p99 ${fmtMs(probe.p99)} ms, max ${fmtMs(probe.max)} ms`);
  console.log(`- server backends seen waiting on a lock (sampled every 100 ms): ${lockWaits.length}${lockWaits.length ? ` (${lockWaits.slice(0, 5).join(', ')})` : ''}`);
}

export async function runScaleBench(): Promise<void> {
  const small = process.argv.includes('--small') || process.env.KEYFLOW_BENCH_SCALE_SIZE === 'small';
  const only = (process.env.KEYFLOW_BENCH_SCALE_ONLY ?? 'data,executor,workers').split(',');
  const size = small ? scaledSize(20) : FULL_SIZE;
  const samples = Number(process.env.KEYFLOW_BENCH_SCALE_SAMPLES ?? 200);
  console.log(`# bench scale${small ? ' (--small: a twentieth of the runs and workflows)' : ''}`);
  console.log(`${cpus().length} CPUs, load average ${load()} at the start; Node ${process.version}. Times are upper bounds on a shared machine.`);

  const empty = await createPostgresDatabase();
  onCleanup(() => empty.drop());
  const emptyServer = await startServer('empty', empty.url!, { KEYFLOW_MAX_STEP_OUTPUT_BYTES: String(20 * 1024 * 1024), KEYFLOW_BODY_LIMIT_BYTES: String(20 * 1024 * 1024) });

  if (only.includes('data')) await dataPart(size, samples, emptyServer);
  if (only.includes('executor')) await measureExecutor(emptyServer, empty, progress);
  await emptyServer.proc.stop();
  if (only.includes('workers')) await measureScaleOut(progress);
  console.log(`\nload average at the end: ${load()}`);
}

async function dataPart(size: typeof FULL_SIZE, samples: number, emptyServer: ServerUnderTest): Promise<void> {
  let seededDb: TestDatabase | undefined = await createPostgresDatabase();
  const handle = seededDb;
  onCleanup(() => handle.drop());
  const pg = await connectPg(seededDb.url!);
  onCleanup(() => pg.end());
  progress(`seeding ${size.workflows.toLocaleString('en-US')} workflows, ${size.runs.toLocaleString('en-US')} runs × ${size.stepsPerRun} steps, ${size.owners} owners (load ${load()})`);
  const seed = await seedScale(pg, size, progress);
  const dbSize = await pg.query(`select pg_size_pretty(pg_database_size(current_database())) as s`);
  console.log(`\n## Seed (generated in Postgres: generate_series)\n`);
  console.log(`${size.owners} owners, ${size.workflows.toLocaleString('en-US')} workflows, ${size.runs.toLocaleString('en-US')} runs, ${(size.runs * size.stepsPerRun).toLocaleString('en-US')} steps, one usage event per ${size.runsPerUsageEvent} runs, over ${size.days} days; database ${String(dbSize.rows[0]!.s)}`);
  console.log(`seeded in ${seed.totalSeconds.toFixed(1)} s (${seed.phases.map((p) => `${p.name} ${p.seconds.toFixed(1)} s`).join(', ')}), load average ${load()}`);

  const server = await startServer('seeded', seededDb.url!);
  const owners = await ownerData(pg, seed.owners);
  const reads = await measureReads(server, seededDb.db, pg, owners, size.days, samples);
  const readsPass = printReads(reads);

  progress('webhook runs: seeded vs empty database, interleaved');
  const hooks = await measureWebhooks(server, owners[0]!.token, emptyServer, Math.max(samples, 300));
  const r50 = hooks.seeded.p50 / hooks.empty.p50;
  const r99 = hooks.seeded.p99 / hooks.empty.p99;
  console.log(`\n## Webhook run (webhook → 3 transforms → respond, "wait"), seeded vs empty database, interleaved\n`);
  console.log('| database | samples | p50 ms | p99 ms | max ms |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  console.log(`| empty | ${hooks.empty.samples} | ${fmtMs(hooks.empty.p50)} | ${fmtMs(hooks.empty.p99)} | ${fmtMs(hooks.empty.max)} |`);
  console.log(`| seeded (${size.runs.toLocaleString('en-US')} runs) | ${hooks.seeded.samples} | ${fmtMs(hooks.seeded.p50)} | ${fmtMs(hooks.seeded.p99)} | ${fmtMs(hooks.seeded.max)} |`);
  console.log(`seeded/empty: p50 ×${r50.toFixed(2)}, p99 ×${r99.toFixed(2)}; within 10 % (p50): ${r50 <= 1 + WEBHOOK_TOLERANCE ? 'PASS' : 'MISS'}; p99: ${r99 <= 1 + WEBHOOK_TOLERANCE ? 'PASS' : 'MISS'}`);
  console.log(`API reads p99 < ${READ_P99_TARGET_MS} ms: ${readsPass ? 'PASS' : 'MISS'}`);

  const hook = await createHookWorkflow(server.origin, owners[0]!.token, 'scale prune probe', chainGraph(1));
  await measurePrune(seededDb.db, pg, server, owners[0]!, hook.path);
  await server.proc.stop();
  seededDb = undefined;
}
