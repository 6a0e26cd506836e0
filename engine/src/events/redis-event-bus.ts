// EventBus over Redis pub/sub: one publishing connection (auto-pipelined) and one subscriber
// connection per process; local listeners are fanned out from it. Every channel and key is
// under `kf:{<namespace>}:ev:` (the namespace is the queue name), so two deployments sharing
// one Redis never hear each other's run events or cancellations.
import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import { isOutcome, type EventBus, type RunEvent } from './event-bus.ts';

const WATCH_TTL_MS = 120_000;
const NAMESPACE = /^[A-Za-z0-9_.-]{1,100}$/;

export class RedisEventBus implements EventBus {
  readonly #pub: Redis;
  readonly #sub: Redis;
  readonly #local = new EventEmitter();
  readonly #refs = new Map<string, number>();
  readonly #prefix: string;
  readonly #outcomes: string;
  readonly #cancel: string;

  /** `namespace` is the deployment's queue name (KEYFLOW_QUEUE_NAME). */
  constructor(url: string, namespace: string) {
    // Same rule as the queue name: a brace or colon would break the key layout.
    if (!NAMESPACE.test(namespace)) throw new Error(`RedisEventBus: namespace ${JSON.stringify(namespace)} may hold only letters, digits, "_", "." and "-" (at most 100)`);
    this.#prefix = `kf:{${namespace}}:ev:`;
    this.#outcomes = `${this.#prefix}outcomes`;
    this.#cancel = `${this.#prefix}cancel`;
    this.#pub = new Redis(url, { enableAutoPipelining: true, maxRetriesPerRequest: null, lazyConnect: false });
    this.#sub = new Redis(url, { maxRetriesPerRequest: null });
    this.#pub.on('error', () => undefined);
    this.#sub.on('error', () => undefined);
    this.#local.setMaxListeners(0);
    this.#sub.on('message', (channel: string, message: string) => {
      if (channel === this.#cancel) return void this.#local.emit(channel, message);
      const event = JSON.parse(message) as RunEvent;
      this.#local.emit(channel, event);
      // Outcomes travel once, on the outcomes channel; a run's own listeners get them from there.
      if (channel === this.#outcomes) this.#local.emit(this.#runChannel(event.runId), event);
    });
  }

  #runChannel(runId: string): string {
    return `${this.#prefix}run:${runId}`;
  }

  publishRun(event: RunEvent): void {
    const channel = this.#emitLocal(event);
    // Listeners in this process heard it already (a server running a run itself answers its own
    // waiter without the Redis round trip); the echo from Redis is a duplicate they tolerate
    // (waiters are gone by then; SSE skips sequence numbers it has sent).
    void this.#pub.publish(channel, JSON.stringify(event)).catch(() => undefined);
  }

  publishLocal(event: RunEvent): void {
    this.#emitLocal(event);
  }

  #emitLocal(event: RunEvent): string {
    const channel = isOutcome(event) ? this.#outcomes : this.#runChannel(event.runId);
    this.#local.emit(channel, event);
    if (channel === this.#outcomes) this.#local.emit(this.#runChannel(event.runId), event);
    return channel;
  }

  async isWatched(runId: string): Promise<boolean> {
    try {
      return (await this.#pub.exists(`${this.#prefix}watch:${runId}`)) === 1;
    } catch {
      return true; // unsure: publish rather than leave a watcher in the dark
    }
  }

  async #subscribe<T>(channel: string, listener: (value: T) => void): Promise<() => void> {
    this.#local.on(channel, listener);
    const n = (this.#refs.get(channel) ?? 0) + 1;
    this.#refs.set(channel, n);
    if (n === 1) await this.#sub.subscribe(channel);
    return () => {
      this.#local.off(channel, listener);
      const left = (this.#refs.get(channel) ?? 1) - 1;
      if (left === 0) {
        this.#refs.delete(channel);
        void this.#sub.unsubscribe(channel).catch(() => undefined);
      } else this.#refs.set(channel, left);
    };
  }

  /** Marks the run watched (a key with a TTL, refreshed while subscribed) and listens to it and to outcomes. */
  async subscribeRun(runId: string, listener: (event: RunEvent) => void): Promise<() => void> {
    const key = `${this.#prefix}watch:${runId}`;
    await this.#pub.set(key, '1', 'PX', WATCH_TTL_MS);
    const refresh = setInterval(() => void this.#pub.set(key, '1', 'PX', WATCH_TTL_MS).catch(() => undefined), WATCH_TTL_MS / 2);
    refresh.unref();
    const offRun = await this.#subscribe(this.#runChannel(runId), listener);
    const offOutcomes = await this.#subscribe(this.#outcomes, () => undefined);
    return () => {
      clearInterval(refresh);
      offRun();
      offOutcomes();
      if (!this.#refs.has(this.#runChannel(runId))) void this.#pub.del(key).catch(() => undefined);
    };
  }

  subscribeOutcomes(listener: (event: RunEvent) => void): Promise<() => void> {
    return this.#subscribe(this.#outcomes, listener);
  }

  publishCancel(runId: string): void {
    void this.#pub.publish(this.#cancel, runId).catch(() => undefined);
  }

  subscribeCancel(listener: (runId: string) => void): Promise<() => void> {
    return this.#subscribe(this.#cancel, listener);
  }

  async close(): Promise<void> {
    this.#local.removeAllListeners();
    await Promise.allSettled([this.#pub.quit(), this.#sub.quit()]);
  }
}
