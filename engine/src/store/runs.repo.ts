// Runs and their checkpointed steps. Reads for the API take the owner id; the executor's
// functions take a run id it was handed by the queue (the job carries no user input).
import { randomUUID } from 'node:crypto';
import { CompiledQuery, sql } from 'kysely';
import { NotFound } from '../errors.ts';
import { preparedStatement, type Db } from './database.ts';
import { pruneDraftSnapshots } from './workflows.repo.ts';
import { decodeKeyset, encodeKeyset } from './keyset.ts';

export type RunStatus = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';
export const TERMINAL: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled'];
export type StepStatus = 'succeeded' | 'failed' | 'waiting' | 'cancelled';

export interface StepRecord {
  id: string;
  nodeId: string;
  scope: string;
  attempt: number;
  status: StepStatus;
  input: unknown;
  output: unknown;
  error: unknown;
  costMicros: number;
  seq: number;
  startedAt: Date;
  finishedAt: Date | null;
  resumeAt: Date | null;
  branch: string | null;
}

export interface RunRecord {
  id: string;
  ownerId: string;
  workflowId: string;
  workflowVersion: number;
  trigger: string;
  triggerPayload: unknown;
  status: RunStatus;
  error: unknown;
  output: unknown;
  response: unknown;
  costMicros: number;
  cancelRequested: boolean;
  rerunOf: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  resumeAt: Date | null;
}

type RunRow = {
  id: string; owner_id: string; workflow_id: string; workflow_version: number; trigger: string; trigger_payload: unknown; status: string;
  error: unknown; output: unknown; response: unknown; cost_micros: number; cancel_requested: boolean; rerun_of: string | null;
  created_at: Date; started_at: Date | null; finished_at: Date | null; resume_at: Date | null;
};

function toRun(r: RunRow): RunRecord {
  return {
    id: r.id, ownerId: r.owner_id, workflowId: r.workflow_id, workflowVersion: r.workflow_version, trigger: r.trigger, triggerPayload: r.trigger_payload,
    status: r.status as RunStatus, error: r.error, output: r.output, response: r.response, costMicros: r.cost_micros, cancelRequested: r.cancel_requested,
    rerunOf: r.rerun_of, createdAt: r.created_at, startedAt: r.started_at, finishedAt: r.finished_at, resumeAt: r.resume_at,
  };
}

type StepRow = {
  id: string; node_id: string; scope: string; attempt: number; status: string; input: unknown; output: unknown; error: unknown;
  cost_micros: number; seq: number; started_at: Date; finished_at: Date | null; resume_at: Date | null; branch: string | null;
};

function toStep(r: StepRow): StepRecord {
  return {
    id: r.id, nodeId: r.node_id, scope: r.scope, attempt: r.attempt, status: r.status as StepStatus, input: r.input, output: r.output, error: r.error,
    costMicros: r.cost_micros, seq: r.seq, startedAt: r.started_at, finishedAt: r.finished_at, resumeAt: r.resume_at, branch: r.branch,
  };
}

const runColumns = ['id', 'owner_id', 'workflow_id', 'workflow_version', 'trigger', 'trigger_payload', 'status', 'error', 'output', 'response', 'cost_micros', 'cancel_requested', 'rerun_of', 'created_at', 'started_at', 'finished_at', 'resume_at'] as const;
const stepColumns = ['id', 'node_id', 'scope', 'attempt', 'status', 'input', 'output', 'error', 'cost_micros', 'seq', 'started_at', 'finished_at', 'resume_at', 'branch'] as const;

export interface NewRun {
  id?: string;
  ownerId: string;
  workflowId: string;
  workflowVersion: number;
  trigger: string;
  triggerPayload: unknown;
  rerunOf?: string;
}

const INSERT_RUN = preparedStatement('kf_insert_run', `insert into runs (id, owner_id, workflow_id, workflow_version, trigger, trigger_payload, status, rerun_of)
  values ($1, $2, $3, $4, $5, $6, 'queued', $7)`);

/** Writes the run row in 'queued'. The caller enqueues it; the sweeper catches a lost enqueue. */
export async function insertRun(db: Db, run: NewRun): Promise<string> {
  const id = run.id ?? randomUUID();
  await db.executeQuery(CompiledQuery.raw(INSERT_RUN, [id, run.ownerId, run.workflowId, run.workflowVersion, run.trigger, JSON.stringify(run.triggerPayload ?? null), run.rerunOf ?? null]));
  return id;
}

// Of a new claimed row only the times are the database's: the rest is what was written, so it is
// not sent back (nor its payload parsed again).
const CLAIMED_RUN_RETURNING = 'id, created_at, started_at';
type ClaimedRunRow = { id: string; created_at: Date; started_at: Date };

/** The record of a run just written claimed, from what was written and the times the database gave it. */
const claimedRun = (run: NewRun & { id: string }, row: ClaimedRunRow): RunRecord & { fresh: true; crashes: 0 } => ({
  id: run.id, ownerId: run.ownerId, workflowId: run.workflowId, workflowVersion: run.workflowVersion, trigger: run.trigger, triggerPayload: run.triggerPayload ?? null,
  status: 'running', error: null, output: null, response: null, costMicros: 0, cancelRequested: false, rerunOf: run.rerunOf ?? null,
  createdAt: row.created_at, startedAt: row.started_at, finishedAt: null, resumeAt: null, fresh: true, crashes: 0,
});

const INSERT_CLAIMED_RUN = preparedStatement('kf_insert_claimed_run', `insert into runs (id, owner_id, workflow_id, workflow_version, trigger, trigger_payload, status, rerun_of, started_at, lease_until, unfinished_claims)
  values ($1, $2, $3, $4, $5, $6, 'running', $7, now(), case when $8::int is null then null else now() + make_interval(secs => $8::int / 1000.0) end, 1)
  returning ${CLAIMED_RUN_RETURNING}`);

/**
 * Writes the run row already claimed by its writer under a lease (what claimRun would make of a
 * queued row), in one statement instead of an insert and a claim: for a run this process
 * executes at once. A writer that dies leaves a lapsing lease; the sweeper hands the run on.
 * Without `leaseMs` no lease is taken (embedded mode: its restart resumes every running run).
 */
const claimedRunValues = (run: NewRun & { id: string }, leaseMs: number | undefined): unknown[] => [
  run.id, run.ownerId, run.workflowId, run.workflowVersion, run.trigger, JSON.stringify(run.triggerPayload ?? null), run.rerunOf ?? null, leaseMs ?? null,
];

export async function insertClaimedRun(db: Db, run: NewRun & { id: string }, leaseMs: number | undefined): Promise<RunRecord & { fresh: true; crashes: 0 }> {
  const { rows } = await db.executeQuery<ClaimedRunRow>(CompiledQuery.raw(INSERT_CLAIMED_RUN, claimedRunValues(run, leaseMs)));
  return claimedRun(run, rows[0]!);
}

const CLAIMED_RUN_PARAMS = 8;
const INSERT_CLAIMED_RUN_HEAD = INSERT_CLAIMED_RUN.slice(0, INSERT_CLAIMED_RUN.indexOf('values'));
// The single insert's tuple, its parameters renumbered for the row's place in a group insert.
const CLAIMED_RUN_TUPLE = INSERT_CLAIMED_RUN.slice(INSERT_CLAIMED_RUN.indexOf('values') + 'values'.length, INSERT_CLAIMED_RUN.indexOf('returning')).trim();
const claimedRunTuple = (first: number) => CLAIMED_RUN_TUPLE.replace(/\$(\d+)/g, (_, n: string) => `$${first + Number(n) - 1}`);
/** Group statements of up to this many runs are named (prepared) per size; larger ones are not. */
const PREPARED_RUN_BATCH = 16;
const insertClaimedRunsTexts = new Map<number, string>();
function insertClaimedRunsText(n: number): string {
  let text = insertClaimedRunsTexts.get(n);
  if (text === undefined) {
    text = `${INSERT_CLAIMED_RUN_HEAD}values ${Array.from({ length: n }, (_, i) => claimedRunTuple(1 + i * CLAIMED_RUN_PARAMS)).join(', ')}
  returning ${CLAIMED_RUN_RETURNING}`;
    if (n <= PREPARED_RUN_BATCH) preparedStatement(`kf_insert_claimed_runs_${n}`, text);
    insertClaimedRunsTexts.set(n, text);
  }
  return text;
}

export interface NewClaimedRun {
  run: NewRun & { id: string };
  leaseMs: number | undefined;
}

/** Runs per group statement at most (8 parameters each). */
export const MAX_RUNS_PER_STATEMENT = 100;

/** Several insertClaimedRun in one statement (one commit: all or none); results in their order. */
export async function insertClaimedRuns(db: Db, items: NewClaimedRun[]): Promise<(RunRecord & { fresh: true; crashes: 0 })[]> {
  if (items.length === 1) return [await insertClaimedRun(db, items[0]!.run, items[0]!.leaseMs)];
  const values = items.flatMap(({ run, leaseMs }) => claimedRunValues(run, leaseMs));
  const { rows } = await db.executeQuery<ClaimedRunRow>(CompiledQuery.raw(insertClaimedRunsText(items.length), values));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return items.map(({ run }) => {
    const row = byId.get(run.id);
    if (!row) throw new Error(`insertClaimedRuns: no row returned for run ${run.id}`);
    return claimedRun(run, row);
  });
}

// `fresh`: started_at was empty before this claim. The CTE reads the statement's snapshot, so it
// sees the row as it was before the UPDATE (no FOR UPDATE: a row locked and then updated by the
// same statement would read as gone). A running run is claimable again only when no live lease
// holds it (a worker's run has none: BullMQ's job lock guards it instead). Every claim counts up
// `unfinished_claims`; a clean end of the execution sets it back, so what the claim finds there
// is how many executions in a row died with their process (`crashes`).
const CLAIM_RUN = preparedStatement('kf_claim_run', `with prev as materialized (select started_at from runs where id = $1)
  update runs set status = 'running', started_at = coalesce(runs.started_at, now()), resume_at = null,
    lease_until = case when $2::int is null then null else now() + make_interval(secs => $2::int / 1000.0) end,
    unfinished_claims = runs.unfinished_claims + 1
  where id = $1 and (status in ('queued', 'waiting') or (status = 'running' and (lease_until is null or lease_until < now())))
  returning ${runColumns.join(', ')}, (select started_at from prev) is null as fresh, unfinished_claims - 1 as crashes`);

/**
 * Takes a run for execution: queued/waiting/running (a stalled one) → running. Undefined when
 * it is finished, gone, or leased by another process. `fresh` is true on the first start: there
 * are no checkpoints to load. `crashes`: earlier executions of it that never ended (their
 * process died). `leaseMs`: hold the run this long (renew with renewLease).
 */
export async function claimRun(db: Db, runId: string, leaseMs?: number): Promise<(RunRecord & { fresh: boolean; crashes: number }) | undefined> {
  const { rows } = await db.executeQuery<RunRow & { fresh: boolean; crashes: number }>(CompiledQuery.raw(CLAIM_RUN, [runId, leaseMs ?? null]));
  const row = rows[0];
  return row && { ...toRun(row), fresh: row.fresh, crashes: Number(row.crashes) };
}

/**
 * An orderly shutdown hands back runs it could not finish in its grace period: their claim did
 * not end in a crash, so the next claim must not count it as one.
 */
export async function releaseClaims(db: Db, runIds: string[]): Promise<void> {
  if (runIds.length === 0) return;
  await db.updateTable('runs').set({ unfinished_claims: sql<number>`greatest(unfinished_claims - 1, 0)` }).where('id', 'in', runIds).where('status', '=', 'running').execute();
}

export async function renewLease(db: Db, runId: string, leaseMs: number): Promise<void> {
  await db.executeQuery(CompiledQuery.raw(`update runs set lease_until = now() + make_interval(secs => $2::int / 1000.0) where id = $1 and status = 'running'`, [runId, leaseMs]));
}

export async function loadSteps(db: Db, runId: string): Promise<StepRecord[]> {
  const rows = await db.selectFrom('run_steps').select(stepColumns).where('run_id', '=', runId).orderBy('seq').execute();
  return rows.map(toStep);
}

/** What a resumed run needs of its steps: not their inputs or errors, which may be large and are never read back. */
export async function loadCheckpoints(db: Db, runId: string): Promise<StepRecord[]> {
  const rows = await db
    .selectFrom('run_steps')
    .select(['id', 'node_id', 'scope', 'attempt', 'status', 'output', 'cost_micros', 'seq', 'started_at', 'finished_at', 'resume_at', 'branch'])
    .where('run_id', '=', runId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => toStep({ ...r, input: null, error: null }));
}

/**
 * A step row to write; `id` is allocated by the caller when something (a usage event) must point
 * at the row first. `inputJson` / `outputJson`: the JSON text of `input` / `output` when the
 * caller has made it already (a size check), so it is not serialised twice.
 */
export type NewStep = Omit<StepRecord, 'id' | 'resumeAt' | 'branch'> & { id?: string; runId: string; ownerId: string; resumeAt?: Date | null; branch?: string | null; inputJson?: string; outputJson?: string };

// The hot path writes one step per node: a prepared text, no query building per call.
const INSERT_STEP = preparedStatement('kf_insert_step', `insert into run_steps (id, run_id, owner_id, node_id, scope, attempt, status, input, output, error, cost_micros, seq, started_at, finished_at, resume_at, branch)
  values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
  on conflict (run_id, node_id, scope, attempt) do nothing`);

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

/** A step row's parameters; `id` is the row's (allocated here when the caller has none). */
const stepValues = (s: NewStep, id: string = s.id ?? randomUUID()): unknown[] => [
  id, s.runId, s.ownerId, s.nodeId, s.scope, s.attempt, s.status, s.inputJson ?? json(s.input), s.outputJson ?? json(s.output), json(s.error),
  s.costMicros, s.seq, s.startedAt, s.finishedAt, s.resumeAt ?? null, s.branch ?? null,
];

export async function insertStep(db: Db, s: NewStep): Promise<string> {
  const id = s.id ?? randomUUID();
  // A resumed run may write an attempt that a dead worker already wrote; the first wins.
  await db.executeQuery(CompiledQuery.raw(INSERT_STEP, stepValues(s, id)));
  return id;
}

const STEP_COLUMNS = 16;
/** Rows per statement: 16 parameters each, far below Postgres's 65,535. */
export const MAX_STEPS_PER_INSERT = 500;

const ON_CONFLICT = 'on conflict (run_id, node_id, scope, attempt) do nothing';
/** The tuples of an n-row step insert, its parameters numbered from `first`. */
const stepTuples = (rows: number, first = 1) =>
  Array.from({ length: rows }, (_, row) => `(${Array.from({ length: STEP_COLUMNS }, (_, col) => `$${first + row * STEP_COLUMNS + col}`).join(', ')})`).join(', ');
const INSERT_STEPS_HEAD = INSERT_STEP.slice(0, INSERT_STEP.indexOf('values'));
/** Batches up to this many rows use a named (prepared) statement per size: parsed once per connection, not per batch. */
const PREPARED_BATCH_ROWS = 16;
const INSERT_STEPS = Array.from({ length: PREPARED_BATCH_ROWS + 1 }, (_, n) => (n < 2 ? INSERT_STEP : preparedStatement(`kf_insert_steps_${n}`, `${INSERT_STEPS_HEAD}values ${stepTuples(n)}\n  ${ON_CONFLICT}`)));
const insertStepsText = (rows: number) => INSERT_STEPS[rows] ?? `${INSERT_STEPS_HEAD}values ${stepTuples(rows)}\n  ${ON_CONFLICT}`;

/** Several step rows in one statement (one round trip, one commit); the first of a duplicate wins. */
export async function insertSteps(db: Db, steps: NewStep[]): Promise<void> {
  for (let from = 0; from < steps.length; from += MAX_STEPS_PER_INSERT) {
    const chunk = steps.slice(from, from + MAX_STEPS_PER_INSERT);
    await db.executeQuery(CompiledQuery.raw(insertStepsText(chunk.length), chunk.flatMap((s) => stepValues(s))));
  }
}

/** A parked delay step settles when the run resumes. */
export async function settleWaitingStep(db: Db, stepId: string, seq: number): Promise<void> {
  await db.updateTable('run_steps').set({ status: 'succeeded', finished_at: new Date(), seq }).where('id', '=', stepId).where('status', '=', 'waiting').execute();
}

const FINISH_RUN = preparedStatement('kf_finish_run', `update runs set status = $2, error = $3, output = $4, cost_micros = $5, finished_at = now(), event_seq = $6,
  response = coalesce($7, response), unfinished_claims = 0 where id = $1`);

// The run's end with the step rows not written yet (its last step, a carried trigger row): one
// statement, one commit (the steps' insert is a data-modifying CTE, so all land or none).
const RUN_END_PARAMS = 7;
/** Ends with up to this many rows use a named statement per size; more go first in a step insert of their own. */
const MAX_ROWS_WITH_END = 4;
const FINISH_RUN_WITH_STEPS = Array.from({ length: MAX_ROWS_WITH_END + 1 }, (_, n) =>
  n === 0 ? FINISH_RUN : preparedStatement(n === 1 ? 'kf_finish_run_with_step' : `kf_finish_run_with_steps_${n}`, `with last_steps as (${INSERT_STEPS_HEAD}values ${stepTuples(n, RUN_END_PARAMS + 1)}
  ${ON_CONFLICT})
  ${FINISH_RUN}`));

export interface RunEnd {
  status: 'succeeded' | 'failed' | 'cancelled';
  error?: unknown;
  output?: unknown;
  costMicros: number;
  eventSeq: number;
  response?: unknown;
}

/** One run's end and the step rows to write with it (see finishRun). */
export interface RunEndWrite {
  runId: string;
  end: RunEnd;
  unwritten: NewStep[];
}

const endValues = (runId: string, end: RunEnd): unknown[] => [runId, end.status, json(end.error), json(end.output), end.costMicros, end.eventSeq, json(end.response)];

/** Rows beyond MAX_ROWS_WITH_END go first, in a step insert of their own; the rest ride with the end. */
function splitUnwritten(unwritten: NewStep[]): { early: NewStep[]; withEnd: NewStep[] } {
  const cut = Math.max(0, unwritten.length - MAX_ROWS_WITH_END);
  return { early: unwritten.slice(0, cut), withEnd: unwritten.slice(cut) };
}

const endTuple = (first: number) => `($${first}::uuid, $${first + 1}::text, $${first + 2}::jsonb, $${first + 3}::jsonb, $${first + 4}::int8, $${first + 5}::int, $${first + 6}::jsonb)`;
/** Group ends of up to this many runs and rows are named (prepared) per shape; larger ones are not. */
const PREPARED_END_RUNS = 8;
const finishRunsTexts = new Map<string, string>();
function finishRunsText(runCount: number, stepCount: number): string {
  const key = `${runCount}:${stepCount}`;
  let text = finishRunsTexts.get(key);
  if (text === undefined) {
    const steps = stepCount === 0 ? '' : `last_steps as (${INSERT_STEPS_HEAD}values ${stepTuples(stepCount, runCount * RUN_END_PARAMS + 1)}
  ${ON_CONFLICT}),
  `;
    text = `with ${steps}ends (id, status, error, output, cost_micros, event_seq, response) as (values ${Array.from({ length: runCount }, (_, i) => endTuple(1 + i * RUN_END_PARAMS)).join(', ')})
  update runs set status = ends.status, error = ends.error, output = ends.output, cost_micros = ends.cost_micros, finished_at = now(), event_seq = ends.event_seq,
    response = coalesce(ends.response, runs.response), unfinished_claims = 0 from ends where runs.id = ends.id`;
    if (runCount <= PREPARED_END_RUNS && stepCount <= PREPARED_BATCH_ROWS) preparedStatement(`kf_finish_runs_${runCount}_${stepCount}`, text);
    finishRunsTexts.set(key, text);
  }
  return text;
}

/** Ends of this many runs at most per group statement (7 parameters each, 16 per row with them). */
export const MAX_ENDS_PER_STATEMENT = 100;

/** Several finishRun in one statement (one commit: every end and its rows, or none). */
export async function finishRuns(db: Db, ends: RunEndWrite[]): Promise<void> {
  if (ends.length === 1) return finishRun(db, ends[0]!.runId, ends[0]!.end, ends[0]!.unwritten);
  const split = ends.map((e) => splitUnwritten(e.unwritten));
  const early = split.flatMap((s) => s.early);
  if (early.length > 0) await insertSteps(db, early);
  const rows = split.flatMap((s) => s.withEnd);
  const values = [...ends.flatMap((e) => endValues(e.runId, e.end)), ...rows.flatMap((s) => stepValues(s))];
  await db.executeQuery(CompiledQuery.raw(finishRunsText(ends.length, rows.length), values));
}

/** Ends the run; `unwritten` step rows, when given, are written in the same statement (see RunExecution.takeUnwritten). */
export async function finishRun(db: Db, runId: string, end: RunEnd, unwritten: NewStep[] = []): Promise<void> {
  const { early, withEnd } = splitUnwritten(unwritten);
  if (early.length > 0) await insertSteps(db, early);
  await db.executeQuery(CompiledQuery.raw(FINISH_RUN_WITH_STEPS[withEnd.length]!, [...endValues(runId, end), ...withEnd.flatMap((s) => stepValues(s))]));
}

export async function parkRun(db: Db, runId: string, resumeAt: Date, eventSeq: number, response?: unknown): Promise<void> {
  await db
    .updateTable('runs')
    .set({ status: 'waiting', resume_at: resumeAt, event_seq: eventSeq, unfinished_claims: 0, ...(response !== undefined ? { response: JSON.stringify(response) } : {}) })
    .where('id', '=', runId)
    .where('status', '=', 'running')
    .execute();
}

export async function isCancelRequested(db: Db, runId: string): Promise<boolean> {
  const r = await db.selectFrom('runs').select('cancel_requested').where('id', '=', runId).executeTakeFirst();
  return r?.cancel_requested ?? true;
}

/** Runs the sweeper must (re-)enqueue: queued for a while with no worker, or parked past their time. */
export async function findOrphanedRuns(db: Db, olderThan: Date, limit = 500): Promise<{ id: string; ownerId: string; resumeAt: Date | null }[]> {
  const rows = await db
    .selectFrom('runs')
    .select(['id', 'owner_id', 'resume_at'])
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'queued'), eb('created_at', '<', olderThan)]),
        eb.and([eb('status', '=', 'waiting'), eb('resume_at', '<', olderThan)]),
        // Executed by a server that stopped renewing its lease (it died): a worker resumes it.
        eb.and([eb('status', '=', 'running'), eb('lease_until', '<', new Date())]),
      ]),
    )
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, ownerId: r.owner_id, resumeAt: r.resume_at }));
}

// ---- owner-scoped reads and writes for the API ----

export async function getRun(db: Db, ownerId: string, runId: string): Promise<RunRecord> {
  const row = await db.selectFrom('runs').select(runColumns).where('owner_id', '=', ownerId).where('id', '=', runId).executeTakeFirst();
  if (!row) throw new NotFound('run');
  return toRun(row);
}

export async function getRunWithSteps(db: Db, ownerId: string, runId: string): Promise<RunRecord & { steps: StepRecord[] }> {
  const run = await getRun(db, ownerId, runId);
  return { ...run, steps: await loadSteps(db, runId) };
}

/** A run list's position after `r` (newest first): pass it back as `cursor` for the next page. */
export const runCursor = (r: RunRecord): string => encodeKeyset(r.createdAt, r.id);
export const isValidRunCursor = (cursor: string): boolean => decodeKeyset(cursor) !== undefined;

/**
 * One page of the owner's runs, newest first. Pages by keyset: `cursor` (created_at and id of the
 * last run of the previous page) or `before` (a time), so a deep page costs what the first does.
 */
export async function listRuns(
  db: Db,
  ownerId: string,
  f: { workflowId?: string | undefined; status?: RunStatus | undefined; trigger?: string | undefined; from?: Date | undefined; to?: Date | undefined; limit: number; before?: Date | undefined; cursor?: string | undefined },
): Promise<RunRecord[]> {
  let q = db.selectFrom('runs').select(runColumns).where('owner_id', '=', ownerId);
  if (f.workflowId) q = q.where('workflow_id', '=', f.workflowId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.trigger) q = q.where('trigger', '=', f.trigger);
  if (f.from) q = q.where('created_at', '>=', f.from);
  if (f.to) q = q.where('created_at', '<', f.to);
  if (f.before) q = q.where('created_at', '<', f.before);
  const after = f.cursor ? decodeKeyset(f.cursor) : undefined;
  if (f.cursor && !after) throw new Error('cursor: not a cursor returned by the run list');
  // The cursor's row gives its exact created_at (microseconds; the cursor's JS time has only
  // milliseconds, and runs made within one millisecond would be skipped); the cursor's own time
  // stands in when that run was deleted meanwhile. `<=` bounds the index range; the tuple breaks ties by id.
  if (after) {
    const at = sql<Date>`coalesce((select r.created_at from runs r where r.id = ${after[1]} and r.owner_id = ${ownerId}), ${after[0]}::timestamptz)`;
    q = q.where('created_at', '<=', at).where(sql<boolean>`(created_at, id) < (${at}, ${after[1]}::uuid)`);
  }
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
  return rows.map(toRun);
}

/** Marks cancellation; a queued or parked run is cancelled at once, a running one by its worker. */
export async function requestCancel(db: Db, ownerId: string, runId: string): Promise<RunRecord> {
  const row = await db
    .updateTable('runs')
    .set({
      cancel_requested: true,
      status: sql<string>`case when status in ('queued', 'waiting') then 'cancelled' else status end`,
      finished_at: sql<Date>`case when status in ('queued', 'waiting') then now() else finished_at end`,
    })
    .where('owner_id', '=', ownerId)
    .where('id', '=', runId)
    .returning(runColumns)
    .executeTakeFirst();
  if (!row) throw new NotFound('run');
  return toRun(row);
}

export async function deleteRun(db: Db, ownerId: string, runId: string): Promise<void> {
  const r = await db.deleteFrom('runs').where('owner_id', '=', ownerId).where('id', '=', runId).executeTakeFirst();
  if (Number(r.numDeletedRows) !== 1) throw new NotFound('run');
}

/** Rows per retention batch: each batch is its own short statement (its row locks and WAL bounded). */
export const PRUNE_BATCH = 2_000;

/**
 * Retention: keeps runs newer than `days` and at most `keepPerWorkflow` finished runs per
 * workflow, then drops the draft snapshots no run references any more (`pruneDraftSnapshots`).
 * Runs are deleted in batches of `batch` (their steps go with them by cascade), oldest first,
 * each batch one autocommitted statement: no long transaction, no lock held for the whole
 * prune, and live runs writing meanwhile wait at most one batch. Returns the runs deleted.
 */
export async function pruneRuns(db: Db, opts: { days?: number; keepPerWorkflow?: number }, o: { batch?: number; onBatch?: (rows: number, ms: number) => void } = {}): Promise<number> {
  const deleted = await pruneRunRows(db, opts, o);
  await pruneDraftSnapshots(db);
  return deleted;
}

async function pruneRunRows(db: Db, opts: { days?: number; keepPerWorkflow?: number }, o: { batch?: number; onBatch?: (rows: number, ms: number) => void }): Promise<number> {
  const batch = o.batch ?? PRUNE_BATCH;
  let deleted = 0;
  const loop = async (step: () => Promise<number>) => {
    for (;;) {
      const t0 = performance.now();
      const n = await step();
      o.onBatch?.(n, performance.now() - t0);
      deleted += n;
      if (n < batch) return;
    }
  };
  if (opts.days !== undefined) {
    const cutoff = new Date(Date.now() - opts.days * 86_400_000);
    // The (status, created_at) index finds the oldest finished runs without a scan of the rest.
    await loop(async () => {
      const r = await sql`delete from runs where id in (
        select id from runs where status in ('succeeded', 'failed', 'cancelled') and created_at < ${cutoff} order by created_at limit ${batch})`.execute(db);
      return Number(r.numAffectedRows ?? 0n);
    });
  }
  if (opts.keepPerWorkflow !== undefined) {
    const keep = opts.keepPerWorkflow;
    // Workflow by workflow (the (workflow_id, created_at) index), a batch at a time: the
    // runs past the newest `keep` finished ones of each.
    const wfs = await db.selectFrom('workflows').select('id').execute();
    for (const { id } of wfs) {
      await loop(async () => {
        const r = await sql`delete from runs where id in (
          select id from runs where workflow_id = ${id} and status in ('succeeded', 'failed', 'cancelled')
          order by created_at desc offset ${keep} limit ${batch})`.execute(db);
        return Number(r.numAffectedRows ?? 0n);
      });
    }
  }
  return deleted;
}

/** Every provider call of a run's steps, failed ones too (the step inspector shows each failover). */
export async function listRunUsage(db: Db, ownerId: string, runId: string) {
  return db
    .selectFrom('usage_events')
    .select(['step_id', 'provider', 'model', 'outcome', 'latency_ms', 'cost_micros', 'tokens_in', 'tokens_out', 'tokens_cache_read', 'tokens_cache_write', 'tokens_reasoning', 'created_at'])
    .where('owner_id', '=', ownerId)
    .where('run_id', '=', runId)
    .orderBy('created_at')
    .execute();
}
