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
  | { kind: 'window'; name: string; key: string; windowMs: number; max: number }
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

type LimitRedis = Redis & {
  kfLimitAttempt(...args: (string | number)[]): Promise<number>;
  kfLimitForgive(...args: string[]): Promise<number>;
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
    const args: (string | number)[] = [limits.length, ...limits.map((l) => this.#key(l))];
    for (const l of limits) args.push(...(l.kind === 'window' ? ['w', l.windowMs, l.max, 0] : ['b', l.free, l.baseMs, l.maxMs]));
    return waitSeconds(Number(await this.#redis.kfLimitAttempt(...args)));
  }

  async forgive(limits: Limit[]): Promise<void> {
    if (limits.length === 0) return;
    await this.#redis.kfLimitForgive(String(limits.length), ...limits.map((l) => this.#key(l)), ...limits.map((l) => (l.kind === 'window' ? 'w' : 'b')));
  }

  async close(): Promise<void> {
    await this.#redis.quit().catch(() => undefined);
  }
}
