// n8n's pollTimes (a polling trigger's schedule) → the interval, in minutes, of a Keyflow
// polling trigger (gmail.new_message, drive.*, notion.page_*), shared by their mappers.
import { isRecord } from './records.ts';
import type { MapContext } from './map-kit.ts';

export const POLL_TIMES_FAILURE = 'the poll times are not a fixed interval Keyflow can keep';

/** The shortest of n8n's poll times, in minutes (1–60); undefined when none is a fixed interval. */
export function pollMinutes(pollTimes: unknown): { minutes: number; note?: string } | undefined {
  const items = isRecord(pollTimes) && Array.isArray(pollTimes.item) ? pollTimes.item.filter(isRecord).filter((i) => typeof i.mode === 'string') : [];
  if (items.length === 0) return { minutes: 1, note: 'n8n checked every minute (its default)' };
  const each = items.map((i): number | undefined => {
    if (i.mode === 'everyMinute') return 1;
    if (i.mode === 'everyX') {
      const n = typeof i.value === 'number' ? i.value : Number(i.value);
      if (!Number.isFinite(n) || n <= 0) return undefined;
      return i.unit === 'hours' ? n * 60 : n;
    }
    if (i.mode === 'everyHour') return 60;
    if (['everyDay', 'everyWeek', 'everyMonth'].includes(i.mode as string)) return 24 * 60;
    return undefined;
  });
  const known = each.filter((m): m is number => m !== undefined);
  if (known.length === 0) return undefined;
  const minutes = Math.min(...known);
  if (minutes > 60) return { minutes: 60, note: "n8n checked less often than hourly; Keyflow's polling triggers check at least every 60 minutes (each new item still starts one run)" };
  return { minutes: Math.max(1, Math.round(minutes)) };
}

/** The trigger's intervalMinutes from n8n's pollTimes, never below the operator's schedule floor; undefined when not a fixed interval. */
export function pollInterval(ctx: MapContext): { intervalMinutes: number; note?: string } | undefined {
  const poll = pollMinutes(ctx.params.pollTimes);
  if (!poll) return undefined;
  const intervalMinutes = Math.min(60, Math.max(poll.minutes, Math.ceil(ctx.minScheduleSeconds / 60), 1));
  return { intervalMinutes, ...(poll.note ? { note: poll.note } : {}) };
}
