import type { Logger } from 'pino';
import type { AiFacade, NodeCredential, NodeRegistry, RunInfo, SafeFetch, ServiceSettings } from '@keyflow/nodes/contract';
import type { EventBus } from '../events/event-bus.ts';
import type { Db } from '../store/database.ts';
import type { GraphCache } from './graph-cache.ts';
import type { RunWriter } from './run-writer.ts';
import type { StepWriter } from './step-writer.ts';

/** Lends the owner's credential for one node call; undefined when the owner has none. */
export type CredentialLender = (ownerId: string, provider: string, credentialId?: string) => Promise<NodeCredential | undefined>;

/** Records what a run learned about a credential's health; errors are logged, never fail the run. */
export type CredentialHealthSink = (ownerId: string, credentialId: string, update: { health: 'invalid' | 'rate_limited'; error: string } | { health: 'recovered' }) => Promise<void>;

/** Builds the AI facade for one step; `onCost` accumulates the step's spend. */
/** `step.id` is the id the attempt's run_steps row will have, so usage events can point at it. */
export type AiFactory = (run: RunInfo, step: { id: string; nodeId: string; scope: string }, onCost: (micros: number) => void) => AiFacade;

/** What bounds one run; see Engine's options for the defaults. */
export interface ExecutorLimits {
  /** A step output larger than this (as JSON) fails its step; a loop's collected results too. */
  maxOutputBytes: number;
  /** A stored input, error or run output larger than this is stored as a truncation marker. */
  maxStoredBytes: number;
  runTimeoutMs: number;
  /** Step rows one run may write (attempts included). */
  maxRunSteps: number;
  /** Bytes of outputs (and rendered configs of running steps) one run may hold at once. */
  maxRunBytes: number;
  /** Bytes of data the expressions of one node's config may build. */
  maxBuildBytes: number;
  /** Executions in a row that died with their process before a run is failed as poison. */
  maxCrashes: number;
}

export interface ExecutorDeps {
  db: Db;
  /** Where step checkpoints and claims go; may commit asynchronously (see openDatabase). Defaults to db. */
  checkpointDb?: Db;
  registry: NodeRegistry;
  bus: EventBus;
  graphs: GraphCache;
  fetch: SafeFetch;
  credentials: CredentialLender;
  /** Integration settings handed to nodes as ctx.services (operator base URLs). */
  services?: ServiceSettings;
  /** Told when a step's failure says something about its credential (refused, rate limited). */
  credentialHealth?: CredentialHealthSink;
  ai?: AiFactory;
  log: Logger;
  /** Writes step checkpoints (group commit on checkpointDb ?? db). */
  steps: StepWriter;
  /** Writes run rows' inserts (runs executed at once) and ends (group commit on db). */
  runRows: RunWriter;
  limits: ExecutorLimits;
  now?: () => Date;
  random?: () => number;
  /** Aborts a run from outside (cancellation); the engine registers each active run here. */
  active: Map<string, AbortController>;
  /** Told (not awaited) of every run that ended: the alerts look at failures and spend. */
  onRunFinished?: (run: FinishedRun) => void;
  /** Whether a caller in this process waits for the run's response (a webhook in "wait" mode). */
  waitsHere?: (runId: string) => boolean;
}

export interface FinishedRun {
  id: string;
  ownerId: string;
  workflowId: string;
  trigger: string;
  status: 'succeeded' | 'failed' | 'cancelled';
  costMicros: number;
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

/**
 * The database connection broke under the run (a session terminated, Postgres restarting,
 * unreachable, or out of connection slots for a new session: 53300): nothing the workflow did, so the run is not failed; its execution stops and the
 * queue resumes it from its checkpoints (each such retry counts as one of KEYFLOW_MAX_RUN_CRASHES).
 */
export function isDatabaseInterruption(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300' || code === 'ECONNREFUSED' || code === 'ECONNRESET')) return true;
  return /Connection terminated|connection error and is not queryable|terminating connection due to administrator command/.test(err.message);
}
