// The live state of one run, folded from its events (SSE) and its stored steps (GET /api/runs/:id).
// Pure and order-proof: events may arrive out of order, twice (a replay after Last-Event-ID
// reconnects), or as stored rows before the stream catches up. Each (scope, node) keeps the
// state of its newest event by sequence number, so an old event never overwrites a newer one.
// Loop bodies run once per item in scopes named `<loopId>:<index>` (nested with '/').

export type NodeRunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'waiting';
export type RunStatus = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';

/** The events of GET /api/runs/:id/events (engine RunEvent), as the browser parses them. */
export type RunEventIn =
  | { type: 'step.started'; runId: string; seq: number; nodeId: string; scope: string; attempt: number; at: string }
  | { type: 'step.finished'; runId: string; seq: number; nodeId: string; scope: string; attempt: number; at: string; status: 'succeeded' | 'waiting'; output: unknown; costMicros: number }
  | { type: 'step.failed'; runId: string; seq: number; nodeId: string; scope: string; attempt: number; at: string; error: unknown; willRetry: boolean }
  | { type: 'run.response'; runId: string; seq: number; response: unknown }
  | { type: 'run.finished'; runId: string; seq: number; status: string; error?: unknown; output?: unknown; costMicros: number }
  | { type: 'run.parked'; runId: string; seq: number; resumeAt: string };

/** A stored step as GET /api/runs/:id returns it. */
export interface StepRow {
  id: string;
  nodeId: string;
  scope: string;
  attempt: number;
  status: string;
  input: unknown;
  output: unknown;
  error: unknown;
  costMicros: number;
  seq: number;
  startedAt: string;
  finishedAt: string | null;
  resumeAt: string | null;
}

export interface StepState {
  status: 'running' | 'succeeded' | 'failed' | 'waiting';
  /** The sequence number this state came from. */
  seq: number;
  attempt: number;
  startedAt?: string;
  finishedAt?: string;
  costMicros: number;
  output?: unknown;
  error?: unknown;
  willRetry?: boolean;
  resumeAt?: string;
}

export interface RunState {
  runId: string;
  status: RunStatus;
  /** Steps by `${scope}\u0000${nodeId}`. */
  steps: Record<string, StepState>;
  /** Every sequence number applied (replays are dropped). */
  seen: Record<number, true>;
  /** The highest sequence number seen: the resume point for Last-Event-ID. */
  lastSeq: number;
  /** The seq of the run-level state (finished/parked), so a late older event cannot revive a finished run. */
  runSeq: number;
  costMicros: number;
  resumeAt?: string;
  error?: unknown;
}

export interface NodeView {
  status: NodeRunStatus;
  attempts: number;
  durationMs?: number;
  costMicros: number;
  resumeAt?: string;
  /** Loop nodes: items whose body has finished / all items. */
  loop?: { done: number; total: number | undefined };
}

const TERMINAL: readonly string[] = ['succeeded', 'failed', 'cancelled'];
const key = (scope: string, nodeId: string) => `${scope}\u0000${nodeId}`;

export function emptyRun(runId: string, status: RunStatus = 'queued'): RunState {
  return { runId, status, steps: {}, seen: {}, lastSeq: 0, runSeq: 0, costMicros: 0 };
}

function asRunStatus(s: string): RunStatus {
  return (['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'] as const).find((x) => x === s) ?? 'failed';
}

/** Writes a step's new state into `steps` (the batch's own copy). */
function putStep(steps: Record<string, StepState>, k: string, next: StepState, seq: number): void {
  const old = steps[k];
  // A newer event of this step already arrived: keep it, but remember facts only older events carry.
  if (old && old.seq > seq) {
    if (next.startedAt && (!old.startedAt || next.startedAt < old.startedAt)) steps[k] = { ...old, startedAt: next.startedAt };
    return;
  }
  const startedAt = old?.startedAt && (!next.startedAt || old.startedAt < next.startedAt) && old.attempt === next.attempt ? old.startedAt : next.startedAt;
  steps[k] = { ...next, ...(startedAt ? { startedAt } : {}), attempt: Math.max(next.attempt, old?.attempt ?? 0) };
}

/** A copy of the state whose records this batch may write to. */
const draft = (state: RunState): RunState => ({ ...state, steps: { ...state.steps }, seen: { ...state.seen } });

/** Applies one event to a draft (mutating it). */
function applyInto(s: RunState, e: RunEventIn): void {
  if (e.seq > 0) {
    s.seen[e.seq] = true;
    s.lastSeq = Math.max(s.lastSeq, e.seq);
  }
  const running = () => {
    if (s.status === 'queued' && s.runSeq <= e.seq) s.status = 'running';
  };
  switch (e.type) {
    case 'step.started':
      putStep(s.steps, key(e.scope, e.nodeId), { status: 'running', seq: e.seq, attempt: e.attempt, startedAt: e.at, costMicros: 0 }, e.seq);
      return running();
    case 'step.finished':
      putStep(s.steps, key(e.scope, e.nodeId), { status: e.status, seq: e.seq, attempt: e.attempt, finishedAt: e.at, costMicros: e.costMicros, output: e.output }, e.seq);
      return running();
    case 'step.failed':
      putStep(s.steps, key(e.scope, e.nodeId), { status: e.willRetry ? 'running' : 'failed', seq: e.seq, attempt: e.attempt, finishedAt: e.at, costMicros: 0, error: e.error, willRetry: e.willRetry }, e.seq);
      return running();
    case 'run.parked':
      if (e.seq < s.runSeq) return;
      s.status = 'waiting';
      s.resumeAt = e.resumeAt;
      s.runSeq = e.seq;
      return;
    case 'run.finished':
      if (e.seq < s.runSeq) return;
      delete s.resumeAt;
      s.status = asRunStatus(e.status);
      s.costMicros = e.costMicros;
      s.runSeq = e.seq;
      if (e.error !== undefined) s.error = e.error;
      return;
    default:
      return;
  }
}

/**
 * Applies events in order. The state's records are copied once for the whole batch (a copy per
 * event made a 200-step run's stream quadratic); events of another run and replays change
 * nothing, and a batch of only those answers the same state object.
 */
export function applyRunEvents(state: RunState, events: readonly RunEventIn[]): RunState {
  let next: RunState | undefined;
  for (const e of events) {
    if (e.runId !== state.runId || (e.seq > 0 && (next ?? state).seen[e.seq])) continue;
    next ??= draft(state);
    applyInto(next, e);
  }
  return next ?? state;
}

/** Applies one event; the same event twice, or an older one after a newer, changes nothing wrong. */
export function applyRunEvent(state: RunState, e: RunEventIn): RunState {
  return applyRunEvents(state, [e]);
}

/** Seeds (or refreshes) the state from stored rows: rows are events too, with their full timings. */
export function applyStoredRun(state: RunState, run: { id: string; status: string; costMicros: number; resumeAt: string | null; error?: unknown; steps: readonly StepRow[] }): RunState {
  let next = draft(state.runId === run.id ? state : emptyRun(run.id));
  for (const s of run.steps) {
    const k = key(s.scope, s.nodeId);
    const status: StepState['status'] = s.status === 'failed' ? 'failed' : s.status === 'waiting' ? 'waiting' : s.status === 'running' ? 'running' : 'succeeded';
    const old = next.steps[k];
    // A failed attempt followed by a later one: the later row wins, the attempt count keeps the maximum.
    if (old && old.seq > s.seq) continue;
    const step: StepState = { status, seq: s.seq, attempt: s.attempt, startedAt: s.startedAt, costMicros: s.costMicros, ...(s.finishedAt ? { finishedAt: s.finishedAt } : {}), ...(s.output !== undefined ? { output: s.output } : {}), ...(s.error != null ? { error: s.error } : {}), ...(s.resumeAt ? { resumeAt: s.resumeAt } : {}) };
    next.steps[k] = { ...step, attempt: Math.max(step.attempt, old?.attempt ?? 0) };
    next.lastSeq = Math.max(next.lastSeq, s.seq);
    next.seen[s.seq] = true;
  }
  const status = asRunStatus(run.status);
  // The rows are the truth once the run has ended; a live stream ahead of the rows keeps its status.
  if (TERMINAL.includes(status) || !TERMINAL.includes(next.status)) {
    const { resumeAt: _drop, ...rest } = next;
    next = { ...rest, status, costMicros: run.costMicros, ...(run.resumeAt ? { resumeAt: run.resumeAt } : {}), ...(run.error != null ? { error: run.error } : {}) };
  }
  return next;
}

/** The loop ids and item index a scope runs inside: 'a:0/b:3' → [['a',0],['b',3]]. */
export function scopeItems(scope: string): [string, number][] {
  if (scope === '') return [];
  return scope.split('/').map((part) => {
    const at = part.lastIndexOf(':');
    return [part.slice(0, at), Number(part.slice(at + 1))];
  });
}

function durationOf(s: StepState): number | undefined {
  if (!s.startedAt || !s.finishedAt) return undefined;
  const ms = Date.parse(s.finishedAt) - Date.parse(s.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/**
 * What each canvas node shows: its own top-level step, or for a node inside a loop body the
 * summary of its per-item steps (running or failed if any item is, else succeeded). Nodes the
 * run never reached are queued while it runs and skipped once it has ended.
 */
export function nodeViews(state: RunState, nodeIds: readonly string[]): Record<string, NodeView> {
  const byNode = new Map<string, StepState[]>();
  // Items of each loop (by the loop's own scope + id): which have started, which are still busy.
  const items = new Map<string, Map<number, boolean>>();
  for (const [k, s] of Object.entries(state.steps)) {
    const sep = k.indexOf('\u0000');
    const scope = k.slice(0, sep);
    const nodeId = k.slice(sep + 1);
    const list = byNode.get(nodeId) ?? [];
    list.push(s);
    byNode.set(nodeId, list);
    const path = scopeItems(scope);
    for (let i = 0; i < path.length; i++) {
      const [loopId, index] = path[i]!;
      const prefix = path.slice(0, i).map(([l, n]) => `${l}:${n}`).join('/');
      const loopKey = key(prefix, loopId);
      const m = items.get(loopKey) ?? new Map<number, boolean>();
      const busy = s.status === 'running' || s.status === 'failed';
      m.set(index, (m.get(index) ?? false) || busy);
      items.set(loopKey, m);
    }
  }
  const ended = TERMINAL.includes(state.status);
  const out: Record<string, NodeView> = {};
  for (const id of nodeIds) {
    const list = byNode.get(id);
    if (!list || list.length === 0) {
      out[id] = { status: ended ? 'skipped' : 'queued', attempts: 0, costMicros: 0 };
      continue;
    }
    const anyOf = (st: StepState['status']) => list.some((s) => s.status === st);
    let status: NodeRunStatus = anyOf('failed') ? 'failed' : anyOf('running') ? 'running' : anyOf('waiting') ? 'waiting' : 'succeeded';
    const costMicros = list.reduce((sum, s) => sum + s.costMicros, 0);
    const attempts = Math.max(...list.map((s) => s.attempt));
    const durations = list.map(durationOf).filter((d): d is number => d !== undefined);
    const view: NodeView = { status, attempts, costMicros, ...(durations.length > 0 ? { durationMs: durations.reduce((a, b) => a + b, 0) } : {}) };
    const waiting = list.find((s) => s.status === 'waiting');
    if (status === 'waiting') {
      const resumeAt = waiting?.resumeAt ?? state.resumeAt;
      if (resumeAt) view.resumeAt = resumeAt;
    }
    // A loop: its top-level step's output is first the expansion ({ items, concurrency }), at the end the results.
    const own = state.steps[key('', id)];
    const loopItems = items.get(key('', id));
    if (loopItems || isExpansion(own?.output)) {
      const done = loopItems ? [...loopItems.values()].filter((busy) => !busy).length : 0;
      const total = isExpansion(own?.output) ? own.output.items.length : Array.isArray(own?.output) ? own.output.length : undefined;
      view.loop = { done: own && !isExpansion(own.output) && own.status === 'succeeded' && total !== undefined ? total : done, total };
      // The expansion finished, the items have not: the loop is still at work.
      if (isExpansion(own?.output) && status === 'succeeded' && !ended) status = 'running';
      view.status = status;
    }
    out[id] = view;
  }
  return out;
}

function isExpansion(v: unknown): v is { items: unknown[]; concurrency: number } {
  return typeof v === 'object' && v !== null && Array.isArray((v as { items?: unknown }).items) && typeof (v as { concurrency?: unknown }).concurrency === 'number';
}

/** Edges that carried data: their source succeeded and their target was reached. */
export function carriedEdges(views: Record<string, NodeView>, edges: readonly { id: string; source: string; target: string }[]): Set<string> {
  const reached = (s: NodeRunStatus | undefined) => s !== undefined && s !== 'queued' && s !== 'skipped';
  return new Set(edges.filter((e) => (views[e.source]?.status === 'succeeded' || views[e.source]?.loop !== undefined) && reached(views[e.target]?.status)).map((e) => e.id));
}

export const isTerminal = (s: RunStatus) => TERMINAL.includes(s);
