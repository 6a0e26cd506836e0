// The run slice: the run shown on the canvas (live or past), folded by the pure reducer in
// runs/run-state.ts, plus what the canvas draws from it (a view per node, the edges that
// carried data), recomputed once per batch of events so each node component reads one small
// object. A node's view and the carried-edge set keep their identity while unchanged, so an
// event re-renders only the nodes it changed (and the edges only when one starts carrying).
import type { StateCreator } from 'zustand';
import { applyRunEvents, applyStoredRun, carriedEdges, emptyRun, nodeViews, type NodeView, type RunEventIn, type RunState, type StepRow } from '../runs/run-state.ts';
import type { KfEdge } from './types.ts';

export interface StoredRun {
  id: string;
  status: string;
  costMicros: number;
  resumeAt: string | null;
  error?: unknown;
  steps: readonly StepRow[];
}

export interface RunSlice {
  run: RunState | undefined;
  runViews: Record<string, NodeView>;
  runEdges: ReadonlySet<string>;
  /** Starts showing a run (empty until its rows or events arrive); undefined stops. */
  showRun(runId: string | undefined): void;
  applyRunEvent(event: RunEventIn): void;
  /** Applies events in order and redraws once (the live stream hands over one batch per frame). */
  applyRunEvents(events: readonly RunEventIn[]): void;
  applyStoredRun(run: StoredRun): void;
}

/** The graph the run is drawn on: the open version view, or the working canvas. */
interface Drawn {
  nodes: readonly { id: string; type?: string }[];
  edges: readonly KfEdge[];
  view: { graph: { nodes: readonly { id: string }[]; edges: readonly { id: string; source: string; target: string }[] } } | undefined;
}

function sameView(a: NodeView | undefined, b: NodeView): boolean {
  if (!a) return false;
  return a.status === b.status && a.attempts === b.attempts && a.durationMs === b.durationMs && a.costMicros === b.costMicros && a.resumeAt === b.resumeAt && a.loop?.done === b.loop?.done && a.loop?.total === b.loop?.total && (a.loop === undefined) === (b.loop === undefined);
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of b) if (!a.has(x)) return false;
  return true;
}

function derive(run: RunState | undefined, s: Drawn & Partial<Pick<RunSlice, 'runViews' | 'runEdges'>>): Pick<RunSlice, 'runViews' | 'runEdges'> {
  if (!run) return { runViews: {}, runEdges: new Set() };
  const ids = s.view ? s.view.graph.nodes.map((n) => n.id) : s.nodes.filter((n) => n.type === 'workflow').map((n) => n.id);
  const fresh = nodeViews(run, ids);
  const before = s.runViews ?? {};
  const views: Record<string, NodeView> = {};
  for (const [id, v] of Object.entries(fresh)) views[id] = sameView(before[id], v) ? before[id]! : v;
  const edges = s.view ? s.view.graph.edges : s.edges;
  const carried = carriedEdges(views, edges);
  return { runViews: views, runEdges: s.runEdges && sameSet(s.runEdges, carried) ? s.runEdges : carried };
}

export const createRunSlice = <S extends RunSlice & Drawn>(): StateCreator<S, [], [], RunSlice> => (set, get) => {
  const update = (run: RunState | undefined) => set({ run, ...derive(run, get()) } as Partial<S>);
  return {
    run: undefined,
    runViews: {},
    runEdges: new Set(),
    showRun(runId) {
      update(runId ? emptyRun(runId) : undefined);
    },
    applyRunEvent(event) {
      get().applyRunEvents([event]);
    },
    applyRunEvents(events) {
      const run = get().run;
      if (!run) return;
      const next = applyRunEvents(run, events);
      if (next !== run) update(next);
    },
    applyStoredRun(stored) {
      const run = get().run;
      if (!run || run.runId !== stored.id) return;
      update(applyStoredRun(run, stored));
    },
  };
};

/** Recomputes the views after the drawn graph changed (nodes added, a version view opened). */
export function rederive(s: RunSlice & Drawn): Pick<RunSlice, 'runViews' | 'runEdges'> {
  return derive(s.run, s);
}
