// The run endpoints the editor uses (server/src/routes/runs.routes.ts, workflows.routes.ts).
import { api, queryClient } from '../api/client.ts';
import { isTerminal, type RunStatus, type StepRow } from './run-state.ts';

export interface RunSummary {
  id: string;
  workflowId: string;
  workflowVersion: number;
  trigger: string;
  status: RunStatus;
  error: unknown;
  output: unknown;
  costMicros: number;
  rerunOf: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  resumeAt: string | null;
}

export interface RunDetail extends RunSummary {
  triggerPayload: unknown;
  steps: StepRow[];
}

export interface RunFilters {
  workflowId?: string;
  status?: RunStatus;
  trigger?: string;
  from?: string;
  to?: string;
  /** Runs created before this time. */
  before?: string;
  /** Keyset pagination: the previous page's `nextCursor` (exact to the run, so runs made within one millisecond are not skipped). */
  cursor?: string;
  limit?: number;
}

export const runsKey = (f: RunFilters) => ['runs', f] as const;
export const runKey = (id: string) => ['run', id] as const;
/**
 * A run's rows never change once it has ended, and they can be large (a 5 MB output): its query
 * is then fresh for good, so opening a step does not fetch it again (a live run's stream still
 * invalidates it after each step).
 */
export function runStaleTime(query: { state: { data: RunDetail | undefined } }): number {
  const status = query.state.data?.status;
  return status !== undefined && isTerminal(status) ? Infinity : 0;
}

export function listRuns(f: RunFilters): Promise<{ items: RunSummary[]; nextCursor: string | null }> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== '') q.set(k, String(v));
  return api('GET', `/api/runs?${q.toString()}`);
}

/**
 * Marks the run lists stale once the page is idle: a run's start and end redraw the canvas in
 * that frame, and the history's refetch and re-render follow in a frame of their own.
 */
export function invalidateRunListsWhenIdle(): void {
  const go = () => void queryClient.invalidateQueries({ queryKey: ['runs'] });
  if (typeof requestIdleCallback === 'function') requestIdleCallback(go, { timeout: 500 });
  else setTimeout(go, 0);
}

export const getRun = (id: string) => api<RunDetail>('GET', `/api/runs/${encodeURIComponent(id)}`);
/** With `graph`, runs that unsaved draft (checked by the server as a save is; nothing is saved). */
export const startManualRun = (workflowId: string, payload: unknown, graph?: unknown) =>
  api<{ runId: string }>('POST', `/api/workflows/${encodeURIComponent(workflowId)}/run`, graph === undefined ? { payload } : { payload, graph });
export const cancelRun = (id: string) => api<RunSummary>('POST', `/api/runs/${encodeURIComponent(id)}/cancel`);
export const rerun = (id: string, fromNodeId?: string) => api<{ runId: string }>('POST', `/api/runs/${encodeURIComponent(id)}/rerun`, fromNodeId ? { fromNodeId } : {});
export const deleteRun = (id: string) => api<void>('DELETE', `/api/runs/${encodeURIComponent(id)}`);
