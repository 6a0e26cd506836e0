// Exponential backoff per key, in memory: the first `free` failures cost nothing, then each
// further one doubles the wait (1 s, 2 s, 4 s … up to `maxMs`). Keyed by (client, email) for
// log-in, it slows one client guessing one account without ever locking the owner out from
// elsewhere — unlike a per-email lock-out, which anyone can trigger.
export class Backoff {
  readonly #free: number;
  readonly #baseMs: number;
  readonly #maxMs: number;
  readonly #entries = new Map<string, { failures: number; blockedUntil: number; lastAt: number }>();

  constructor(opts: { free: number; baseMs: number; maxMs: number }) {
    this.#free = opts.free;
    this.#baseMs = opts.baseMs;
    this.#maxMs = opts.maxMs;
  }

  /** Seconds the key must still wait (0: it may try now). */
  wait(key: string, now = Date.now()): number {
    const e = this.#entries.get(key);
    return e && e.blockedUntil > now ? Math.ceil((e.blockedUntil - now) / 1000) : 0;
  }

  /** Records a failure; from the `free`-th on, the key waits twice as long as the time before. */
  fail(key: string, now = Date.now()): void {
    let e = this.#entries.get(key);
    // Quiet for the longest wait: the key starts afresh.
    if (!e || now - e.lastAt > this.#maxMs) {
      e = { failures: 0, blockedUntil: 0, lastAt: now };
      this.#entries.set(key, e);
      if (this.#entries.size > 100_000) this.#sweep(now);
    }
    e.failures += 1;
    e.lastAt = now;
    if (e.failures >= this.#free) {
      const exponent = Math.min(e.failures - this.#free, 30);
      e.blockedUntil = now + Math.min(this.#baseMs * 2 ** exponent, this.#maxMs);
    }
  }

  reset(key: string): void {
    this.#entries.delete(key);
  }

  #sweep(now: number): void {
    for (const [k, v] of this.#entries) if (now - v.lastAt > this.#maxMs && v.blockedUntil <= now) this.#entries.delete(k);
  }
}
