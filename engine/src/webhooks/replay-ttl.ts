import type { ReplayKey } from './signature.ts';

/**
 * How long a delivery key must be remembered. A key bound by a signed timestamp is refused by
 * verifySignature once the timestamp leaves ±tolerance, so twice the tolerance (plus a minute
 * for clock steps) covers every replay. A signed id is also retried by its sender with fresh
 * timestamps for hours (Standard Webhooks: about a day), and a body-only signature (GitHub) has
 * no age at all: both are kept for the configured replay window.
 */
export function replayTtlSeconds(bound: ReplayKey['bound'] | 'unsigned', toleranceSeconds: number, windowSeconds: number): number {
  const byTimestamp = 2 * toleranceSeconds + 60;
  if (bound === 'timestamp') return byTimestamp;
  if (bound === 'id') return Math.max(windowSeconds, byTimestamp);
  return windowSeconds;
}
