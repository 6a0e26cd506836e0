// The run line under a canvas node: status word, duration, attempts, AI cost, a loop's items
// and a waiting node's wake-up time. Plain text, so it reads the same to a screen reader.
import type { NodeView } from './run-state.ts';
import { formatDuration, formatMicros, formatTime } from './format.ts';

export function RunBadge({ view }: { view: NodeView }) {
  const parts: string[] = [view.status];
  if (view.loop) parts.push(`${view.loop.done}/${view.loop.total ?? '?'} items`);
  if (view.durationMs !== undefined) parts.push(formatDuration(view.durationMs));
  if (view.attempts > 1) parts.push(`${view.attempts} attempts`);
  if (view.costMicros > 0) parts.push(formatMicros(view.costMicros));
  if (view.status === 'waiting' && view.resumeAt) parts.push(`wakes ${formatTime(view.resumeAt)}`);
  return (
    <div className={`kf-run-badge kf-run-badge--${view.status}`} aria-label={`Run: ${parts.join(', ')}`}>
      {parts.join(' · ')}
    </div>
  );
}
