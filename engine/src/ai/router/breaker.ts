// Per (owner, provider) circuit breaker: a provider that keeps failing for one owner is left
// alone for a while instead of adding its timeout to every call. In memory: each process learns
// on its own, which is enough to stop hammering a provider that is down.
import type { ProviderId } from '../types.ts';

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface BreakerOptions {
  /** Consecutive retryable failures that open the circuit. */
  failureThreshold?: number;
  /** First cool-down; doubles on every failed probe, up to `maxCoolDownMs`. */
  coolDownMs?: number;
  maxCoolDownMs?: number;
  now?: () => number;
  /**
   * Told when a circuit opens (with when the cool-down ends and the failure that opened it) and
   * when it closes again (null), so the keys page can show "cooling down" across processes.
   */
  onCoolDown?: (ownerId: string, provider: ProviderId, state: CoolDown | null) => void;
}

export interface CoolDown {
  since: Date;
  until: Date;
  /** The failure that opened the circuit, as the router words it (kind, status, model; never a provider's body). */
  lastError: string;
}

/** What the router needs from a breaker. */
export interface Breaker {
  /** May a call go to this provider now? In half-open, true exactly once (the probe). */
  tryAcquire(ownerId: string, provider: ProviderId): boolean;
  /** The provider answered properly. */
  onSuccess(ownerId: string, provider: ProviderId): void;
  /** A retryable failure (rate limit, 5xx, timeout, connection); `reason` is kept for the cool-down notice. */
  onFailure(ownerId: string, provider: ProviderId, reason?: string): void;
  /** An outcome that says nothing about the provider's health (bad request, bad key): frees a probe. */
  onNeutral(ownerId: string, provider: ProviderId): void;
  state(ownerId: string, provider: ProviderId): CircuitState;
}

interface Circuit {
  state: CircuitState;
  failures: number;
  openedAt: number;
  coolDownMs: number;
  probeInFlight: boolean;
  lastError: string;
  /** When it last left `closed` (0 while closed): how long the provider has been in cool-down. */
  coolingSince: number;
}

export class CircuitBreaker implements Breaker {
  readonly #circuits = new Map<string, Circuit>();
  readonly #threshold: number;
  readonly #coolDownMs: number;
  readonly #maxCoolDownMs: number;
  readonly #now: () => number;
  readonly #onCoolDown: BreakerOptions['onCoolDown'];

  constructor(opts: BreakerOptions = {}) {
    this.#onCoolDown = opts.onCoolDown;
    this.#threshold = opts.failureThreshold ?? 3;
    this.#coolDownMs = opts.coolDownMs ?? 30_000;
    this.#maxCoolDownMs = opts.maxCoolDownMs ?? 10 * 60_000;
    this.#now = opts.now ?? Date.now;
  }

  #get(ownerId: string, provider: ProviderId): Circuit {
    const key = `${ownerId}\u0000${provider}`;
    let c = this.#circuits.get(key);
    if (!c) {
      c = { state: 'closed', failures: 0, openedAt: 0, coolDownMs: this.#coolDownMs, probeInFlight: false, lastError: '', coolingSince: 0 };
      this.#circuits.set(key, c);
    }
    return c;
  }

  state(ownerId: string, provider: ProviderId): CircuitState {
    const c = this.#get(ownerId, provider);
    if (c.state === 'open' && this.#now() - c.openedAt >= c.coolDownMs) return 'half_open';
    return c.state;
  }

  /** How many circuits (owners) are in each state, per provider: for the metrics, no owner named. */
  circuitCounts(): Array<{ provider: string; state: CircuitState; count: number }> {
    const counts = new Map<string, number>();
    for (const [key, c] of this.#circuits) {
      const provider = key.slice(key.indexOf('\u0000') + 1);
      const state = c.state === 'open' && this.#now() - c.openedAt >= c.coolDownMs ? 'half_open' : c.state;
      counts.set(`${provider}\u0000${state}`, (counts.get(`${provider}\u0000${state}`) ?? 0) + 1);
    }
    return [...counts].map(([k, count]) => {
      const [provider, state] = k.split('\u0000') as [string, CircuitState];
      return { provider, state, count };
    });
  }

  /** Owners × providers whose circuit has not closed for at least `minMs` (the cool-down alert). */
  coolingDown(minMs: number): Array<{ ownerId: string; provider: string; sinceMs: number }> {
    const now = this.#now();
    const out: Array<{ ownerId: string; provider: string; sinceMs: number }> = [];
    for (const [key, c] of this.#circuits) {
      if (c.state === 'closed' || now - c.coolingSince < minMs) continue;
      const cut = key.indexOf('\u0000');
      out.push({ ownerId: key.slice(0, cut), provider: key.slice(cut + 1), sinceMs: now - c.coolingSince });
    }
    return out;
  }

  tryAcquire(ownerId: string, provider: ProviderId): boolean {
    const c = this.#get(ownerId, provider);
    if (c.state === 'closed') return true;
    if (c.state === 'open') {
      if (this.#now() - c.openedAt < c.coolDownMs) return false;
      c.state = 'half_open';
      c.probeInFlight = false;
    }
    if (c.probeInFlight) return false;
    c.probeInFlight = true;
    return true;
  }

  onSuccess(ownerId: string, provider: ProviderId): void {
    const c = this.#get(ownerId, provider);
    if (c.state !== 'closed') this.#onCoolDown?.(ownerId, provider, null);
    c.state = 'closed';
    c.coolingSince = 0;
    c.failures = 0;
    c.coolDownMs = this.#coolDownMs;
    c.probeInFlight = false;
  }

  onFailure(ownerId: string, provider: ProviderId, reason = 'failed'): void {
    const c = this.#get(ownerId, provider);
    if (c.state === 'half_open') {
      c.coolDownMs = Math.min(c.coolDownMs * 2, this.#maxCoolDownMs);
      c.lastError = reason;
      this.#open(c, ownerId, provider);
      return;
    }
    if (c.state === 'open') return;
    c.failures++;
    c.lastError = reason;
    if (c.failures >= this.#threshold) this.#open(c, ownerId, provider);
  }

  onNeutral(ownerId: string, provider: ProviderId): void {
    const c = this.#get(ownerId, provider);
    if (c.state === 'half_open') c.probeInFlight = false;
  }

  #open(c: Circuit, ownerId: string, provider: ProviderId): void {
    if (c.state === 'closed') c.coolingSince = this.#now();
    c.state = 'open';
    c.openedAt = this.#now();
    c.probeInFlight = false;
    c.failures = 0;
    this.#onCoolDown?.(ownerId, provider, { since: new Date(c.openedAt), until: new Date(c.openedAt + c.coolDownMs), lastError: c.lastError });
  }
}
