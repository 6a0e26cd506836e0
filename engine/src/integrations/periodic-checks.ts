// Keeps the connections page current: every integration credential's identity call runs about
// every KEYFLOW_CONNECTION_CHECK_MINUTES, spread (each next check lands at a random point of
// 90–110% of the interval, so credentials created together drift apart), one at a time per
// credential across processes (claimCheck moves the due time before the call).
import type { Logger } from 'pino';
import { integrations } from '@keyflow/nodes';
import { claimCheck, dueForCheck } from '../store/credential-health.repo.ts';
import { checkConnection, type CheckDeps } from './check-connection.ts';

export interface PeriodicOptions {
  intervalMinutes: number;
  log: Logger;
  random?: () => number;
  /** How often to look for due credentials (default a minute). */
  tickMs?: number;
  /** Most credentials checked per tick. */
  batch?: number;
}

export function nextCheckAt(now: Date, intervalMinutes: number, random: () => number = Math.random): Date {
  const ms = intervalMinutes * 60_000 * (0.9 + 0.2 * random());
  return new Date(now.getTime() + ms);
}

/** One pass: claims and checks due credentials one after another. Answers how many were checked. */
export async function runDueChecks(deps: CheckDeps, opts: Omit<PeriodicOptions, 'tickMs'>): Promise<number> {
  const now = deps.now?.() ?? new Date();
  const providers = integrations.map((i) => i.service);
  const due = await dueForCheck(deps.db, providers, now, opts.batch ?? 20);
  const next = (at: Date) => nextCheckAt(at, opts.intervalMinutes, opts.random);
  let checked = 0;
  for (const c of due) {
    if (!(await claimCheck(deps.db, c.id, now, next(now)))) continue;
    try {
      await checkConnection({ ...deps, nextAt: next }, c.ownerId, c.id);
      checked += 1;
    } catch (err) {
      opts.log.warn({ credentialId: c.id, err: err instanceof Error ? err.name : typeof err }, 'connection check failed');
    }
  }
  return checked;
}

/** Starts the timer; the returned function stops it. 0 minutes: no checks. */
export function startConnectionChecks(deps: CheckDeps, opts: PeriodicOptions): () => void {
  if (opts.intervalMinutes <= 0) return () => {};
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    runDueChecks(deps, opts)
      .catch((err: unknown) => opts.log.warn({ err: err instanceof Error ? err.name : typeof err }, 'connection checks failed'))
      .finally(() => (running = false));
  }, opts.tickMs ?? 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
