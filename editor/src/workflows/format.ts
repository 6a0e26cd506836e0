// Human readings of run statuses and times for the list.
const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Infinity],
];

export function timeAgo(iso: string, now = Date.now()): string {
  let value = (new Date(iso).getTime() - now) / 1000;
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return rtf.format(Math.round(value), unit);
    value /= size;
  }
  return new Date(iso).toLocaleString();
}

const LABELS: Record<string, string> = {
  queued: 'Queued',
  running: 'Running',
  waiting: 'Waiting',
  succeeded: 'Succeeded',
  success: 'Succeeded',
  failed: 'Failed',
  error: 'Failed',
  cancelled: 'Cancelled',
  canceled: 'Cancelled',
  timed_out: 'Timed out',
};
export function statusLabel(status: string): string {
  return LABELS[status] ?? status.replace(/_/g, ' ');
}
export function statusTone(status: string): 'ok' | 'bad' | 'busy' | 'neutral' {
  if (status === 'succeeded' || status === 'success') return 'ok';
  if (status === 'failed' || status === 'error' || status === 'timed_out') return 'bad';
  if (status === 'queued' || status === 'running' || status === 'waiting') return 'busy';
  return 'neutral';
}
