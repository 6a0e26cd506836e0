// Cooperative yielding. PGlite runs its queries on this thread and answers through promises
// alone, so a run whose every await is a PGlite query never lets the event loop reach its I/O:
// no request is answered, no timer fires, until the run ends. Every executor calls pace() before
// each step; after YIELD_AFTER_MS of work without a break, it waits for the event loop's next
// turn (setImmediate: after pending I/O and timers). All runs share one clock and one gate, so
// twenty busy runs still give the loop a turn every slice, not one each.

/** Longest stretch of executor work between two turns of the event loop. */
export const YIELD_AFTER_MS = 10;

let sliceStart = performance.now();
let gate: Promise<void> | undefined;

/** Undefined while the current slice lasts; otherwise a promise for the event loop's next turn. */
export function pace(): Promise<void> | undefined {
  if (gate) return gate;
  if (performance.now() - sliceStart < YIELD_AFTER_MS) return undefined;
  gate = new Promise<void>((resolve) =>
    setImmediate(() => {
      gate = undefined;
      sliceStart = performance.now();
      resolve();
    }),
  );
  return gate;
}
