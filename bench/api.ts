// API benchmark: the real server (own process) on a fresh Postgres database, loaded by
// autocannon from another process. Prints throughput, latency percentiles, errors and the
// server's memory; reports the read-latency target as PASS/MISS without failing on it.
import { availableParallelism } from 'node:os';
import { createPostgresDatabase } from '@keyflow/engine/testing';
import { onCleanup } from './support/cleanup.ts';
import { formatTable } from './support/format-table.ts';
import type { LoadResult, LoadSpec } from './support/load-types.ts';
import { runPacedLoad } from './support/engine-run-paced.ts';
import { runLoad } from './support/run-load.ts';
import { benchGraph, seedWorkflows } from './support/seed-workflows.ts';
import { signupAndToken } from './support/signup-and-token.ts';
import { startServer } from './support/start-server.ts';

const SEED_COUNT = 200;
const CONNECTIONS = 10;
const WARMUP_S = 2;
const TARGET = { rate: 500, p99Ms: 20 };

interface Scenario extends Omit<LoadSpec, 'url' | 'connections' | 'warmupS'> {
  path: string;
  /** Counts toward the read-latency target. */
  target?: boolean;
}

function scenarios(ids: string[]): Scenario[] {
  const byId = ids.map((id) => `/api/workflows/${id}`);
  const createBody = JSON.stringify({ name: 'bench [<id>]', graph: benchGraph });
  return [
    { title: `list 25 @${TARGET.rate}/s`, path: '/api/workflows?limit=25', overallRate: TARGET.rate, durationS: 15, target: true },
    { title: 'list 25, max', path: '/api/workflows?limit=25', durationS: 10 },
    { title: `get by id @${TARGET.rate}/s`, path: byId[0]!, paths: byId, overallRate: TARGET.rate, durationS: 15, target: true },
    { title: 'get by id, max', path: byId[0]!, paths: byId, durationS: 10 },
    // Last: it adds rows, and the reads above should see exactly the seeded set.
    { title: 'create, max', path: '/api/workflows', method: 'POST', headers: { 'content-type': 'application/json' }, body: createBody, idReplacement: true, durationS: 10 },
  ];
}

const progress = (msg: string) => process.stderr.write(`bench api: ${msg}\n`);
const failures = (r: LoadResult) => r.errors + r.timeouts + r.non2xx;

/** PASS when every target scenario kept the rate (within 5 %) with p99 under the limit and no failures. */
export function verdict(results: Array<{ result: LoadResult; target: boolean }>): { pass: boolean; detail: string } {
  const checked = results.filter((r) => r.target).map((r) => r.result);
  const misses = checked.flatMap((r) => {
    const why: string[] = [];
    if (r.latencyMs.p99 >= TARGET.p99Ms) why.push(`p99 ${r.latencyMs.p99} ms`);
    if (r.requestsPerSecond < TARGET.rate * 0.95) why.push(`only ${Math.round(r.requestsPerSecond)} req/s`);
    if (failures(r) > 0) why.push(`${failures(r)} failed requests`);
    return why.length ? [`${r.title}: ${why.join(', ')}`] : [];
  });
  const pass = checked.length > 0 && misses.length === 0;
  return { pass, detail: pass ? checked.map((r) => `${r.title} p99 ${r.latencyMs.p99} ms`).join('; ') : misses.join('; ') };
}

export async function runApiBench(): Promise<void> {
  progress('creating and migrating a fresh Postgres database');
  const db = await createPostgresDatabase();
  onCleanup(() => db.drop());
  if (!db.url) throw new Error('createPostgresDatabase returned no URL');

  progress('starting the server (cli.ts server)');
  const server = await startServer({ databaseUrl: db.url });
  progress(`server pid ${server.pid} at ${server.url}`);

  const { token } = await signupAndToken(server.url);
  progress(`seeding ${SEED_COUNT} workflows`);
  const ids = await seedWorkflows(server.url, token, SEED_COUNT);

  const results: Array<{ result: LoadResult; target: boolean }> = [];
  for (const s of scenarios(ids)) {
    const { path, target, ...spec } = s;
    progress(`${s.title}: ${WARMUP_S} s warm-up + ${s.durationS} s, ${CONNECTIONS} connections`);
    // Rated runs use the paced open-loop generator (even intervals, latency from each request's
    // due time); autocannon's overallRate releases each second's quota in one burst.
    const result = spec.overallRate
      ? await runPacedLoad({ title: spec.title, origin: server.url, paths: spec.paths ?? [path], body: '', method: 'GET', headers: { authorization: `Bearer ${token}` }, rate: spec.overallRate, durationS: spec.durationS, warmupS: WARMUP_S, maxInFlight: CONNECTIONS })
      : await runLoad({
          ...spec,
          url: `${server.url}${path}`,
          headers: { ...spec.headers, authorization: `Bearer ${token}` },
          connections: CONNECTIONS,
          warmupS: WARMUP_S,
        });
    results.push({ result, target: target ?? false });
  }
  const rss = server.rssBytes();
  await server.stop();

  const rows = results.map(({ result: r }) => [
    r.title,
    String(Math.round(r.requestsPerSecond)),
    String(r.latencyMs.p50),
    String(r.latencyMs.p90),
    String(r.latencyMs.p99),
    `${r.errors + r.timeouts}/${r.non2xx}`,
  ]);
  const out = process.stdout;
  out.write(`\nKeyflow API benchmark — node ${process.version}, nproc ${availableParallelism()}, ${SEED_COUNT} seeded workflows, ${CONNECTIONS} connections, loopback\n\n`);
  out.write(`${formatTable(['scenario', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'errors/non-2xx'], rows)}\n\n`);
  for (const { result: r } of results) {
    const odd = Object.entries(r.statusCodes).filter(([code]) => !code.startsWith('2'));
    if (odd.length) out.write(`${r.title}: status codes ${odd.map(([c, n]) => `${c}×${n}`).join(', ')}\n`);
  }
  // Said on every run so nobody reads "@500/s" as a smooth open-loop arrival rate.
  out.write(`rated runs (@${TARGET.rate}/s): paced open loop at even intervals, at most ${CONNECTIONS} in flight, latency from the moment each request was due; max runs: autocannon, ${CONNECTIONS} connections\n`);
  out.write(`server RSS at end: ${rss === undefined ? 'unknown' : `${(rss / 1024 / 1024).toFixed(1)} MiB`}\n`);
  const { pass, detail } = verdict(results);
  out.write(`target: p99 < ${TARGET.p99Ms} ms at ${TARGET.rate} req/s for reads — ${pass ? 'PASS' : 'MISS'} (${detail})\n`);
}
