// A fixed-window counter per key, in memory. Enough for one server process; several server
// processes each count on their own (documented in the README).
export class RateLimiter {
  readonly #windowMs: number;
  readonly #max: number;
  readonly #hits = new Map<string, { count: number; resetAt: number }>();

  constructor(opts: { windowMs: number; max: number }) {
    this.#windowMs = opts.windowMs;
    this.#max = opts.max;
  }

  /** Counts a hit; returns seconds to wait when the key is over its limit, else 0. */
  hit(key: string, now = Date.now()): number {
    let entry = this.#hits.get(key);
    if (!entry || entry.resetAt <= now) {
      entry = { count: 0, resetAt: now + this.#windowMs };
      this.#hits.set(key, entry);
      if (this.#hits.size > 100_000) this.#sweep(now);
    }
    entry.count += 1;
    return entry.count > this.#max ? Math.ceil((entry.resetAt - now) / 1000) : 0;
  }

  /** Seconds to wait when the key is already over its limit, else 0; counts nothing. */
  peek(key: string, now = Date.now()): number {
    const entry = this.#hits.get(key);
    if (!entry || entry.resetAt <= now || entry.count < this.#max) return 0;
    return Math.ceil((entry.resetAt - now) / 1000);
  }

  /** Takes back one hit (an attempt counted up front that turned out fine). */
  forgive(key: string): void {
    const entry = this.#hits.get(key);
    if (entry && entry.count > 0) entry.count -= 1;
  }

  reset(key: string): void {
    this.#hits.delete(key);
  }

  #sweep(now: number): void {
    for (const [k, v] of this.#hits) if (v.resetAt <= now) this.#hits.delete(k);
  }
}
