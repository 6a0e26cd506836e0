// EventBus over Redis pub/sub: one publishing connection (auto-pipelined) and one subscriber
// connection per process; local listeners are fanned out from it.
import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import { isOutcome, type EventBus, type RunEvent } from './event-bus.ts';

const PREFIX = 'kf:ev:';
const OUTCOMES = `${PREFIX}outcomes`;
const CANCEL = `${PREFIX}cancel`;

export class RedisEventBus implements EventBus {
  readonly #pub: Redis;
  readonly #sub: Redis;
  readonly #local = new EventEmitter();
  readonly #refs = new Map<string, number>();

  constructor(url: string) {
    this.#pub = new Redis(url, { enableAutoPipelining: true, maxRetriesPerRequest: null, lazyConnect: false });
    this.#sub = new Redis(url, { maxRetriesPerRequest: null });
    this.#pub.on('error', () => undefined);
    this.#sub.on('error', () => undefined);
    this.#local.setMaxListeners(0);
    this.#sub.on('message', (channel: string, message: string) => {
      this.#local.emit(channel, channel === CANCEL ? message : JSON.parse(message));
    });
  }

  publishRun(event: RunEvent): void {
    const text = JSON.stringify(event);
    void this.#pub.publish(`${PREFIX}run:${event.runId}`, text).catch(() => undefined);
    if (isOutcome(event)) void this.#pub.publish(OUTCOMES, text).catch(() => undefined);
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

  subscribeRun(runId: string, listener: (event: RunEvent) => void): Promise<() => void> {
    return this.#subscribe(`${PREFIX}run:${runId}`, listener);
  }

  subscribeOutcomes(listener: (event: RunEvent) => void): Promise<() => void> {
    return this.#subscribe(OUTCOMES, listener);
  }

  publishCancel(runId: string): void {
    void this.#pub.publish(CANCEL, runId).catch(() => undefined);
  }

  subscribeCancel(listener: (runId: string) => void): Promise<() => void> {
    return this.#subscribe(CANCEL, listener);
  }

  async close(): Promise<void> {
    this.#local.removeAllListeners();
    await Promise.allSettled([this.#pub.quit(), this.#sub.quit()]);
  }
}
