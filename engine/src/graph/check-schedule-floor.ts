// The schedule floor: a cron trigger may not fire more often than once per
// KEYFLOW_MIN_SCHEDULE_SECONDS (default one minute). Cron strings say nothing directly about
// their shortest gap ("0,1 * * * * *", "*/7 * * * *" wraps at the hour), so the check walks
// the schedule's next ticks and measures the gaps between them. The walk is bounded (ticks and
// span): every pattern's shortest gap repeats within the first year, and the ticks of a
// pattern fine enough to need more than MAX_TICKS are MAX_TICKS apart by construction.
import { Cron } from 'croner';

const MAX_TICKS = 1_500;
const MAX_SPAN_MS = 400 * 86_400_000;
/** A fixed start, so the answer does not depend on when the workflow is saved. */
const FROM = new Date('2026-01-01T00:00:00Z');

/** Seconds between the two closest ticks of `cron` in `timezone`, if under `floorSeconds`; else undefined. */
export function gapUnderFloor(cron: string, timezone: string, floorSeconds: number): number | undefined {
  let job: Cron;
  try {
    job = new Cron(cron, { timezone, paused: true, mode: '5-or-6-parts' });
  } catch {
    return undefined; // the node's own config check reports an invalid expression or zone
  }
  try {
    let prev = job.nextRun(FROM);
    if (!prev) return undefined;
    const first = prev.getTime();
    for (let i = 0; i < MAX_TICKS; i++) {
      const next = job.nextRun(prev);
      if (!next) return undefined;
      const gap = (next.getTime() - prev.getTime()) / 1000;
      if (gap < floorSeconds) return gap;
      if (next.getTime() - first > MAX_SPAN_MS) return undefined;
      prev = next;
    }
    return undefined;
  } finally {
    job.stop();
  }
}

/** The problem with a schedule's cron under the floor, or undefined. */
export function scheduleFloorProblem(cron: string, timezone: string, floorSeconds: number): string | undefined {
  const gap = gapUnderFloor(cron, timezone, floorSeconds);
  if (gap === undefined) return undefined;
  const every = (s: number) => (s % 60 === 0 ? `${s / 60} minute${s === 60 ? '' : 's'}` : `${s} second${s === 1 ? '' : 's'}`);
  return `fires ${every(gap)} apart; schedules may fire at most once every ${every(floorSeconds)} (KEYFLOW_MIN_SCHEDULE_SECONDS)`;
}
