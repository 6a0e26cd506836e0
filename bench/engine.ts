// Engine benchmark: Keyflow's webhook → transform → respond path in queue mode and embedded
// mode, the per-step cost of a 20-step chain, Node-RED on the same workloads for ratios, and
// crash recovery. Prints figures and the targets as PASS/MISS; exits non-zero only
// when Keyflow itself could not be set up.
import { availableParallelism } from 'node:os';
import { formatEngineReport, type EngineBenchResult, type Outcome } from './support/engine-report.ts';
import { runEmbeddedMode, runQueueMode, type ModeResult } from './support/engine-keyflow.ts';
import { runScenarioSet } from './support/engine-measure.ts';
import { machineBusyShare } from './support/engine-proc-stats.ts';
import { ensureNodeRed, NODE_RED_VERSION, startNodeRed } from './support/node-red.ts';
import type { ScenarioSet } from './support/engine-measure.ts';

const progress = (msg: string) => process.stderr.write(`bench engine: ${msg}\n`);

async function nodeRedFigures(): Promise<Outcome<{ set: ScenarioSet; rssBytes: number | undefined; version: string }>> {
  const installed = await ensureNodeRed(progress);
  if (!installed.ok) {
    progress(`Node-RED skipped: ${installed.reason}`);
    return { ok: false, reason: installed.reason };
  }
  try {
    const nr = await startNodeRed();
    try {
      const set = await runScenarioSet({ label: 'Node-RED', origin: nr.origin, warmPaths: ['/hook1'], paths1: ['/hook1'], paths20: ['/hook20'], procs: [nr], progress });
      return { ok: true, value: { set, rssBytes: nr.rssBytes(), version: NODE_RED_VERSION } };
    } finally {
      await nr.stop();
    }
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    progress(`Node-RED failed: ${reason}`);
    return { ok: false, reason };
  }
}

export async function runEngineBench(): Promise<void> {
  const started = Date.now();
  const backgroundBusy = await machineBusyShare(1000);
  // Keyflow first: a setup failure there is the one thing that fails the bench.
  // KEYFLOW_BENCH_MODES=queue,embedded,node-red (default: all) narrows a profiling run.
  const modes = new Set((process.env.KEYFLOW_BENCH_MODES ?? 'queue,embedded,node-red').split(','));
  const skipped = (mode: string) => ({ ok: false as const, reason: `not in KEYFLOW_BENCH_MODES (${mode})` });
  const queue: Outcome<ModeResult> = modes.has('queue') ? { ok: true, value: await runQueueMode(progress) } : skipped('queue');
  const embedded: Outcome<ModeResult> = modes.has('embedded') ? { ok: true, value: await runEmbeddedMode(progress) } : skipped('embedded');
  const nodeRed = modes.has('node-red') ? await nodeRedFigures() : skipped('node-red');
  const result: EngineBenchResult = { nproc: availableParallelism(), node: process.version, backgroundBusy, queue, embedded, nodeRed };
  process.stdout.write(`\n${formatEngineReport(result)}\n\nbench took ${Math.round((Date.now() - started) / 1000)} s\n`);
}
