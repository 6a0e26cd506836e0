// One memory-reducing full GC once a process has started, before it takes work. Start-up (about
// 1,200 modules loaded, the configuration and schemas built, the migrations checked) leaves
// 20–25 MB of garbage in old space and the young generation at its largest, and in a process that
// then waits (a worker between jobs, a server between requests) no major GC comes to return it:
// RSS of an idle `worker` 122 → 103 MB and `server` 130 → 107 MB with it (bench/README.md). A
// regular full GC does not shrink the heap; the last-resort flavour compacts old space and shrinks
// the young generation, taking 60–90 ms once. `gc` exists when the process runs with
// `--expose-gc` (scripts/process-env.mjs gives it to `server` and `worker`, queue mode); without
// it (tests, embedded `start`, other entry points) this does nothing, and cli.ts calls it in queue
// mode only. User code never runs in this context (the code node runs in QuickJS), so exposing
// `gc` gives it nothing.

type GcOptions = { type: 'major'; execution: 'sync'; flavor: 'last-resort' };

/** Runs the memory-reducing GC when `gc` is exposed: the RSS before and after it (bytes), or undefined when it did not run. */
export function releaseStartupGarbage(scope: { gc?: unknown } = globalThis, rss: () => number = process.memoryUsage.rss): { rssBefore: number; rssAfter: number } | undefined {
  const gc = scope.gc;
  if (typeof gc !== 'function') return undefined;
  const rssBefore = rss();
  (gc as (options: GcOptions) => void)({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  return { rssBefore, rssAfter: rss() };
}

/** Logs what `releaseStartupGarbage` returned (MB), when it ran. */
export function logStartupGarbage(log: { info(obj: object, msg: string): void }, released: { rssBefore: number; rssAfter: number } | undefined): void {
  if (released) log.info({ rssBeforeMb: Math.round(released.rssBefore / 1e6), rssAfterMb: Math.round(released.rssAfter / 1e6) }, 'released start-up garbage');
}
