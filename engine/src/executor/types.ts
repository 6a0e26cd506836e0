import type { Logger } from 'pino';
import type { AiFacade, NodeCredential, NodeRegistry, RunInfo, SafeFetch } from '@keyflow/nodes/contract';
import type { EventBus } from '../events/event-bus.ts';
import type { Db } from '../store/database.ts';
import type { GraphCache } from './graph-cache.ts';

/** Lends the owner's credential for one node call; undefined when the owner has none. */
export type CredentialLender = (ownerId: string, provider: string, credentialId?: string) => Promise<NodeCredential | undefined>;

/** Builds the AI facade for one step; `onCost` accumulates the step's spend. */
/** `step.id` is the id the attempt's run_steps row will have, so usage events can point at it. */
export type AiFactory = (run: RunInfo, step: { id: string; nodeId: string; scope: string }, onCost: (micros: number) => void) => AiFacade;

export interface ExecutorDeps {
  db: Db;
  /** Where step checkpoints and claims go; may commit asynchronously (see openDatabase). Defaults to db. */
  checkpointDb?: Db;
  registry: NodeRegistry;
  bus: EventBus;
  graphs: GraphCache;
  fetch: SafeFetch;
  credentials: CredentialLender;
  ai?: AiFactory;
  log: Logger;
  limits: { maxOutputBytes: number; runTimeoutMs: number };
  now?: () => Date;
  random?: () => number;
  /** Aborts a run from outside (cancellation); the engine registers each active run here. */
  active: Map<string, AbortController>;
}

export type RunOutcome = { kind: 'finished'; status: 'succeeded' | 'failed' | 'cancelled' } | { kind: 'parked'; resumeAt: Date } | { kind: 'skipped' };

export class RunCancelled extends Error {
  constructor() {
    super('run cancelled');
    this.name = 'RunCancelled';
  }
}

export class RunTimedOut extends Error {
  constructor(ms: number) {
    super(`run timed out after ${ms} ms`);
    this.name = 'RunTimedOut';
  }
}
