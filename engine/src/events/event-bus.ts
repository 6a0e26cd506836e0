// Live run events and control signals. In-process it is an EventEmitter; in queue mode Redis
// pub/sub carries the same messages between servers and workers.
import { EventEmitter } from 'node:events';

export type RunEvent =
  | { type: 'step.started'; runId: string; seq: number; nodeId: string; scope: string; attempt: number; at: string }
  | { type: 'step.finished'; runId: string; seq: number; nodeId: string; scope: string; attempt: number; at: string; status: 'succeeded' | 'waiting'; output: unknown; costMicros: number }
  | { type: 'step.failed'; runId: string; seq: number; nodeId: string; scope: string; attempt: number; at: string; error: unknown; willRetry: boolean }
  | { type: 'run.response'; runId: string; seq: number; response: { status: number; headers: Record<string, string>; body: unknown } }
  | { type: 'run.finished'; runId: string; seq: number; status: string; error?: unknown; output?: unknown; costMicros: number }
  | { type: 'run.parked'; runId: string; seq: number; resumeAt: string };

export interface EventBus {
  /**
   * Publishes an event of one run. Outcomes (response, finished, parked) reach every
   * outcome listener and the run's listeners; step events reach the run's listeners.
   */
  publishRun(event: RunEvent): void;
  /**
   * Hands an event to this process's listeners only: for a run.response whose waiter is in this
   * process while nobody watches the run (SSE fills the gap from the rows if one starts watching).
   */
  publishLocal(event: RunEvent): void;
  /** Every event of one run (SSE, tests). Subscribing marks the run as watched. */
  subscribeRun(runId: string, listener: (event: RunEvent) => void): Promise<() => void>;
  /** Whether anyone listens to this run's step events; executors skip publishing them otherwise. */
  isWatched(runId: string): Promise<boolean>;
  /** Responses and run ends of every run, for webhook "wait" callers on any server. */
  subscribeOutcomes(listener: (event: RunEvent) => void): Promise<() => void>;
  /** Cancellation requests, for whichever worker holds the run. */
  publishCancel(runId: string): void;
  subscribeCancel(listener: (runId: string) => void): Promise<() => void>;
  close(): Promise<void>;
}

export const isOutcome = (e: RunEvent): boolean => e.type === 'run.response' || e.type === 'run.finished' || e.type === 'run.parked';

export class InProcessEventBus implements EventBus {
  readonly #emitter = new EventEmitter();

  constructor() {
    this.#emitter.setMaxListeners(0);
  }

  publishRun(event: RunEvent): void {
    this.#emitter.emit(`run:${event.runId}`, event);
    if (isOutcome(event)) this.#emitter.emit('outcomes', event);
  }

  publishLocal(event: RunEvent): void {
    this.publishRun(event);
  }

  async subscribeRun(runId: string, listener: (event: RunEvent) => void): Promise<() => void> {
    this.#emitter.on(`run:${runId}`, listener);
    return () => this.#emitter.off(`run:${runId}`, listener);
  }

  async isWatched(runId: string): Promise<boolean> {
    return this.#emitter.listenerCount(`run:${runId}`) > 0;
  }

  async subscribeOutcomes(listener: (event: RunEvent) => void): Promise<() => void> {
    this.#emitter.on('outcomes', listener);
    return () => this.#emitter.off('outcomes', listener);
  }

  publishCancel(runId: string): void {
    this.#emitter.emit('cancel', runId);
  }

  async subscribeCancel(listener: (runId: string) => void): Promise<() => void> {
    this.#emitter.on('cancel', listener);
    return () => this.#emitter.off('cancel', listener);
  }

  async close(): Promise<void> {
    this.#emitter.removeAllListeners();
  }
}
