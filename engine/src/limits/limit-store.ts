// Abuse limits (log-in, sign-up, webhook rates) behind one interface, so every server process
// counts against the same budget. Queue mode keeps the counters in Redis, each check-and-count
// one Lua script (atomic: parallel requests to several servers cannot all slip under the
// limit); embedded mode, a single process, keeps them in memory with the same semantics.
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';

/**
 * `window`: a fixed window of `windowMs` allowing `max` attempts. `backoff`: the first `free`
 * failures are free, then each further one doubles the wait (`baseMs`, 2×, 4× … up to `maxMs`);
 * quiet for `maxMs`, the key starts afresh.
 */
export type Limit =
  | {
      kind: 'window'; name: string; key: string; windowMs: number; max: number;
      /**
       * A hot key may be counted ahead in small batches (RedisLimitStore: one round trip per
       * batch, not per attempt). Never more than `max` per window across processes; a batch a
       * process holds unused is lost to the others until the window ends. For limits whose
       * attempts are never forgiven (webhook rates), not for the log-in and sign-up limits.
       */
      batch?: boolean;
    }
  | { kind: 'backoff'; name: string; key: string; free: number; baseMs: number; maxMs: number };

export interface LimitStore {
  /**
   * One attempt against every limit at once: when any is over, answers the seconds to wait
   * (the largest) and counts nothing; else counts it on each and answers 0.
   */
  attempt(limits: Limit[]): Promise<number>;
  /** Takes an attempt back: a window forgets one hit, a backoff starts afresh (a success). */
  forgive(limits: Limit[]): Promise<void>;
  close(): Promise<void>;
}

const waitSeconds = (ms: number): number => (ms > 0 ? Math.max(1, Math.ceil(ms / 1000)) : 0);

interface Entry {
  /** window: hits; backoff: failures. */
  count: number;
  /** window: end of the window; backoff: blocked until. */
  until: number;
  /** backoff: the last failure. */
  lastAt: number;
}

export class MemoryLimitStore implements LimitStore {
  readonly #entries = new Map<string, Entry>();

  async attempt(limits: Limit[], now = Date.now()): Promise<number> {
    let wait = 0;
    for (const l of limits) wait = Math.max(wait, this.#waitMs(l, now));
    if (wait > 0) return waitSeconds(wait);
    for (const l of limits) this.#count(l, now);
    if (this.#entries.size > 100_000) this.#sweep(now);
    return 0;
  }

  async forgive(limits: Limit[]): Promise<void> {
    for (const l of limits) {
      const id = `${l.name}\n${l.key}`;
      const e = this.#entries.get(id);
      if (!e) continue;
      if (l.kind === 'backoff') this.#entries.delete(id);
      else if (e.count > 0) e.count -= 1;
    }
  }

  async close(): Promise<void> {
    this.#entries.clear();
  }

  #waitMs(l: Limit, now: number): number {
    const e = this.#entries.get(`${l.name}\n${l.key}`);
    if (!e) return 0;
    if (l.kind === 'window') return e.until > now && e.count >= l.max ? e.until - now : 0;
    return e.until > now ? e.until - now : 0;
  }

  #count(l: Limit, now: number): void {
    const id = `${l.name}\n${l.key}`;
    let e = this.#entries.get(id);
    if (l.kind === 'window') {
      if (!e || e.until <= now) this.#entries.set(id, (e = { count: 0, until: now + l.windowMs, lastAt: now }));
      e.count += 1;
      return;
    }
    if (!e || now - e.lastAt > l.maxMs) this.#entries.set(id, (e = { count: 0, until: 0, lastAt: now }));
    e.count += 1;
    e.lastAt = now;
    if (e.count >= l.free) e.until = now + Math.min(l.baseMs * 2 ** Math.min(e.count - l.free, 30), l.maxMs);
  }

  #sweep(now: number): void {
    // Nothing here outlives an hour-long window or a quiet backoff (whose maxMs is at most that).
    for (const [k, e] of this.#entries) if (e.until <= now && now - e.lastAt > 3_600_000) this.#entries.delete(k);
  }
}

// KEYS: one hash per limit. ARGV: per limit, kind ('w' | 'b') and three numbers
// (w: windowMs, max, unused; b: free, baseMs, maxMs). Time is Redis's own clock, so servers
// with skewed clocks still agree. Fields: c = count, u = until (ms), l = last failure (ms).
const ATTEMPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local wait = 0
for i, key in ipairs(KEYS) do
  local kind = ARGV[(i - 1) * 4 + 1]
  local a = tonumber(ARGV[(i - 1) * 4 + 2])
  local b = tonumber(ARGV[(i - 1) * 4 + 3])
  local v = redis.call('HMGET', key, 'c', 'u')
  local c = tonumber(v[1]) or 0
  local u = tonumber(v[2]) or 0
  if kind == 'w' then
    if u > now and c >= b and u - now > wait then wait = u - now end
  elseif u > now and u - now > wait then wait = u - now end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  local kind = ARGV[(i - 1) * 4 + 1]
  local a = tonumber(ARGV[(i - 1) * 4 + 2])
  local b = tonumber(ARGV[(i - 1) * 4 + 3])
  local m = tonumber(ARGV[(i - 1) * 4 + 4])
  local v = redis.call('HMGET', key, 'c', 'u', 'l')
  local c = tonumber(v[1]) or 0
  local u = tonumber(v[2]) or 0
  local l = tonumber(v[3]) or 0
  if kind == 'w' then
    if u <= now then
      redis.call('HSET', key, 'c', 1, 'u', now + a)
      redis.call('PEXPIRE', key, a)
    else
      redis.call('HINCRBY', key, 'c', 1)
    end
  else
    if v[1] == false or now - l > m then c = 0; u = 0 end
    c = c + 1
    if c >= a then u = now + math.min(b * math.pow(2, math.min(c - a, 30)), m) end
    redis.call('HSET', key, 'c', c, 'u', u, 'l', now)
    redis.call('PEXPIRE', key, m * 2)
  end
end
return 0
`;

// KEYS: one hash per limit; ARGV: its kind. A window forgets one hit; a backoff is deleted.
const FORGIVE = `
for i, key in ipairs(KEYS) do
  if ARGV[i] == 'b' then
    redis.call('DEL', key)
  elseif (tonumber(redis.call('HGET', key, 'c')) or 0) > 0 then
    redis.call('HINCRBY', key, 'c', -1)
  end
end
return 0
`;

// KEYS: one window's hash (the same fields as ATTEMPT's). ARGV: windowMs, max, wanted. Counts up
// to `wanted` attempts at once (fewer when the window has less left) and answers how many it
// counted and the ms left in the window: {granted, ms}; {0, ms} when the window is full.
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local windowMs = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
local v = redis.call('HMGET', KEYS[1], 'c', 'u')
local c = tonumber(v[1]) or 0
local u = tonumber(v[2]) or 0
if u <= now then
  c = 0
  u = now + windowMs
  redis.call('HSET', KEYS[1], 'c', 0, 'u', u)
  redis.call('PEXPIRE', KEYS[1], windowMs)
end
local granted = math.min(tonumber(ARGV[3]), max - c)
if granted <= 0 then return {0, u - now} end
redis.call('HINCRBY', KEYS[1], 'c', granted)
return {granted, u - now}
`;

/** How long a batch should last at the key's recent rate: what a process may hold unused. */
const BATCH_SPAN_MS = 100;

/** A batch of attempts counted in Redis ahead of use, by this process, for one window key. */
interface Lease {
  /** Counted in Redis, not used yet. */
  left: number;
  /** Local time by which the window has surely ended (send time + the ms Redis said were left). */
  until: number;
  /** Local time until which the window is known full (nothing admits before it ends). */
  fullUntil: number;
  /** The last batch's size and when it was asked for (the key's rate since sizes the next). */
  granted: number;
  at: number;
  /** In flight: the attempts that find no batch wait for it instead of asking again. */
  pending: Promise<void> | undefined;
}

type LimitRedis = Redis & {
  kfLimitAttempt(...args: (string | number)[]): Promise<number>;
  kfLimitForgive(...args: string[]): Promise<number>;
  kfLimitReserve(key: string, windowMs: number, max: number, wanted: number): Promise<[number, number]>;
};

export class RedisLimitStore implements LimitStore {
  readonly #redis: LimitRedis;
  readonly #prefix: string;

  /** Keys live under `kf:{<queueName>}:limit:` (one hash slot, so a script may touch several). */
  constructor(url: string, queueName: string) {
    const redis = new Redis(url, { maxRetriesPerRequest: 2, enableAutoPipelining: true });
    redis.on('error', () => undefined);
    redis.defineCommand('kfLimitAttempt', { lua: ATTEMPT });
    redis.defineCommand('kfLimitForgive', { lua: FORGIVE });
    redis.defineCommand('kfLimitReserve', { lua: RESERVE, numberOfKeys: 1 });
    this.#redis = redis as LimitRedis;
    this.#prefix = `kf:{${queueName}}:limit:`;
  }

  // Digests of recent keys: a webhook's key is hashed once, not on every request it gets.
  readonly #digests = new Map<string, string>();

  /** The key holds no address or email in the clear: a digest of what it counts. */
  #key(l: Limit): string {
    const id = `${l.name}\n${l.key}`;
    let key = this.#digests.get(id);
    if (key === undefined) {
      key = `${this.#prefix}${l.name}:${createHash('sha256').update(l.key).digest('base64url').slice(0, 32)}`;
      if (this.#digests.size >= 10_000) this.#digests.clear();
      this.#digests.set(id, key);
    }
    return key;
  }

  async attempt(limits: Limit[]): Promise<number> {
    if (limits.length === 0) return 0;
    const only = limits.length === 1 ? limits[0]! : undefined;
    if (only?.kind === 'window' && only.batch) return this.#attemptBatched(only);
    const args: (string | number)[] = [limits.length, ...limits.map((l) => this.#key(l))];
    for (const l of limits) args.push(...(l.kind === 'window' ? ['w', l.windowMs, l.max, 0] : ['b', l.free, l.baseMs, l.maxMs]));
    return waitSeconds(Number(await this.#redis.kfLimitAttempt(...args)));
  }

  readonly #leases = new Map<string, Lease>();

  /**
   * A batched window: spends an attempt this process has already counted in Redis, or counts a
   * new batch. The batch grows with the key's rate (at most twice the last one, about
   * BATCH_SPAN_MS of the recent rate, at most a tenth of `max`): a key seen now and then gets
   * batches of one, exactly as an unbatched attempt; a hot key, one round trip per batch.
   */
  async #attemptBatched(l: Extract<Limit, { kind: 'window' }>): Promise<number> {
    const key = this.#key(l);
    let lease = this.#leases.get(key);
    if (!lease) {
      if (this.#leases.size >= 10_000) this.#leases.clear();
      this.#leases.set(key, (lease = { left: 0, until: 0, fullUntil: 0, granted: 0, at: 0, pending: undefined }));
    }
    for (;;) {
      const now = Date.now();
      if (lease.left > 0 && now < lease.until) {
        lease.left -= 1;
        return 0;
      }
      if (now < lease.fullUntil) return waitSeconds(lease.fullUntil - now);
      if (!lease.pending) {
        const held = lease;
        held.pending = this.#reserve(key, l, held, now).finally(() => (held.pending = undefined));
      }
      await lease.pending;
    }
  }

  async #reserve(key: string, l: Extract<Limit, { kind: 'window' }>, lease: Lease, sentAt: number): Promise<void> {
    // Leftovers of an ended window count as unused: the rate is what was spent.
    const used = lease.granted - lease.left;
    const span = Math.max(1, sentAt - lease.at);
    const wanted = lease.granted === 0 ? 1 : Math.max(1, Math.min(2 * used, Math.ceil((used * BATCH_SPAN_MS) / span), Math.floor(l.max / 10)));
    const [granted, msLeft] = (await this.#redis.kfLimitReserve(key, l.windowMs, l.max, wanted)).map(Number) as [number, number];
    lease.at = sentAt;
    lease.until = sentAt + msLeft;
    lease.left = granted;
    if (granted > 0) lease.granted = granted;
    else lease.fullUntil = sentAt + msLeft;
  }

  async forgive(limits: Limit[]): Promise<void> {
    if (limits.length === 0) return;
    for (const l of limits) this.#leases.delete(this.#key(l));
    await this.#redis.kfLimitForgive(String(limits.length), ...limits.map((l) => this.#key(l)), ...limits.map((l) => (l.kind === 'window' ? 'w' : 'b')));
  }

  async close(): Promise<void> {
    await this.#redis.quit().catch(() => undefined);
  }
}
