// Small formatters shared by the run views: money in micro-dollars, durations, times.

/** Micro-dollars as dollars: exact to the micro-dollar below a cent, two decimals above a dollar. */
export function formatMicros(micros: number): string {
  if (micros === 0) return '$0';
  const dollars = micros / 1_000_000;
  if (Math.abs(dollars) >= 1) return `$${dollars.toFixed(2)}`;
  return `$${dollars.toFixed(6).replace(/0+$/, '').replace(/\.$/, '')}`;
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}

// One formatter for every call: toLocaleString with options builds a new one each time (about
// 0.2 ms, and the run list formats every row on each render).
let timeFormat: Intl.DateTimeFormat | undefined;

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  timeFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });
  return timeFormat.format(new Date(iso));
}

export function durationBetween(from: string | null | undefined, to: string | null | undefined): number | undefined {
  if (!from || !to) return undefined;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}
