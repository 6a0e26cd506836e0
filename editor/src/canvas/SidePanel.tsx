// The right-hand panel: the Inspector of the one selected node (with a webhook's URLs), or
// the version list. Each has its own error boundary, so a failure shows there, not a blank screen.
// The inspector's forms, the step inspector and the version list load lazily, when first shown:
// none is on the screen when a workflow opens, and they keep the canvas's first download small.
import { lazy, Suspense, useEffect, useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';

import { useShallow } from 'zustand/react/shallow';
import { ErrorBoundary } from '../app/ErrorBoundary.tsx';
import { preloadable } from '../app/preloadable.tsx';
import type { LastRun, UpstreamNode } from '../inspector/index.ts';
import { RunsPanel, openRun } from '../runs/RunsPanel.tsx';
import { getRun, listRuns, rerun, runKey, runsKey, runStaleTime } from '../runs/runs-api.ts';
import { isTerminal } from '../runs/run-state.ts';
import { useRunStream } from '../runs/use-run-stream.ts';
import { useEditorStore } from '../store/editor-store.ts';
import { descriptorKey, type KfWorkflowNode } from '../store/types.ts';
import { upstreamIds } from './upstream.ts';
import { WebhookUrlsView } from './WebhookUrls.tsx';

const { Component: Inspector, preload: loadInspector } = preloadable(() => import('../inspector/inspector.tsx').then((m) => m.Inspector));
const { Component: StepInspector, preload: loadStepInspector } = preloadable(() => import('../runs/StepInspector.tsx').then((m) => m.StepInspector));
const VersionsPanel = lazy(() => import('./VersionsPanel.tsx').then((m) => ({ default: m.VersionsPanel })));
const loading = <p className="kf-muted">Loading…</p>;

/**
 * Fetches the inspectors once the graph is on the canvas (two frames after it arrived, when the
 * page is next idle), so the first click on a node does not wait for them, nor do they delay
 * the canvas's first paint.
 */
function usePrefetchInspectors(): void {
  const loaded = useEditorStore((s) => s.nodes.length > 0);
  useEffect(() => {
    if (!loaded) return;
    let cancelled = false;
    const idle = (fn: () => void) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(fn, { timeout: 2000 }) : setTimeout(fn, 200));
    const frame = requestAnimationFrame(() =>
      requestAnimationFrame(() =>
        idle(() => {
          if (cancelled) return;
          void loadInspector();
          void loadStepInspector();
        }),
      ),
    );
    return () => {
      cancelled = true;
      cancelAnimationFrame(frame);
    };
  }, [loaded]);
}

function selectedNodeId(nodes: readonly { id: string; type?: string; selected?: boolean }[]): string | undefined {
  let found: string | undefined;
  for (const n of nodes) {
    if (!n.selected) continue;
    if (found !== undefined || n.type !== 'workflow') return undefined;
    found = n.id;
  }
  return found;
}

/** The run whose data feeds expression previews: the one shown on the canvas, else the workflow's newest. */
function useLastRun(workflowId: string): LastRun | undefined {
  const shown = useEditorStore((s) => s.run?.runId);
  const filters = { workflowId, limit: 1 };
  const latest = useQuery({ queryKey: runsKey(filters), queryFn: () => listRuns(filters), enabled: shown === undefined });
  const runId = shown ?? latest.data?.items[0]?.id;
  // While the shown run streams in, previews keep what the cache has: an enabled observer here
  // made every frame of step events refetch the whole growing run (all its rows) for previews
  // nobody was typing into. The stream reads the rows once at the run's end, and this follows.
  const live = useEditorStore((s) => s.run !== undefined && s.run.runId === runId && !isTerminal(s.run.status));
  const detail = useQuery({ queryKey: runKey(runId ?? ''), queryFn: () => getRun(runId!), enabled: runId !== undefined && !live, staleTime: runStaleTime });
  return useMemo(() => {
    if (!detail.data) return undefined;
    const outputs: Record<string, unknown> = {};
    for (const st of [...detail.data.steps].sort((a, b) => a.seq - b.seq)) if (st.scope === '' && st.status === 'succeeded') outputs[st.nodeId] = st.output;
    return { trigger: detail.data.triggerPayload, outputs };
  }, [detail.data]);
}

/** Keeps the shown run's live stream open whichever tab is visible. */
function RunWatcher() {
  useRunStream(useEditorStore((s) => s.run?.runId));
  return null;
}

function InspectorSlot(props: { workflowId: string }) {
  const lastRun = useLastRun(props.workflowId);
  const shownRun = useEditorStore((s) => s.run?.runId);
  const id = useEditorStore((s) => selectedNodeId(s.nodes));
  const data = useEditorStore((s) => (id ? (s.nodes.find((n) => n.id === id) as KfWorkflowNode | undefined)?.data : undefined));
  const edges = useEditorStore((s) => s.edges);
  const descriptors = useEditorStore((s) => s.descriptors);
  const { readOnly, updateConfig, renameNode, setPinned, serverIssues } = useEditorStore(
    useShallow((s) => ({ readOnly: s.readOnly, updateConfig: s.updateConfig, renameNode: s.renameNode, setPinned: s.setPinned, serverIssues: id ? s.serverIssues[id] : undefined })),
  );
  const ups = useMemo(() => (id ? upstreamIds(id, edges) : []), [id, edges]);
  const upstreamData = useEditorStore(useShallow((s) => ups.map((u) => (s.nodes.find((n) => n.id === u) as KfWorkflowNode | undefined)?.data)));
  const upstream = useMemo<UpstreamNode[]>(
    () =>
      ups.flatMap((u, i) => {
        const d = upstreamData[i];
        if (!d) return [];
        const descriptor = descriptors.get(descriptorKey(d.type, d.version));
        return [{ id: u, type: d.type, ...(d.name ? { name: d.name } : {}), ...(descriptor ? { descriptor } : {}) }];
      }),
    [ups, upstreamData, descriptors],
  );

  if (!id || !data) {
    return (
      <div className="kf-side-empty">
        <p>Select a node to configure it.</p>
        <p className="kf-muted">Drag nodes from the palette, connect their handles, and press ? for every shortcut.</p>
      </div>
    );
  }
  const descriptor = descriptors.get(descriptorKey(data.type, data.version));
  if (!descriptor) return <div className="kf-alert">This node's type ({data.type} version {data.version}) is not known to this server.</div>;
  return (
    <>
      {serverIssues && serverIssues.length > 0 && (
        <div className="kf-alert" role="alert">
          <strong>The server refused this node:</strong>
          <ul>
            {serverIssues.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </div>
      )}
      {(data.type === 'core.webhook' || data.type === 'core.form' || data.type === 'core.chat') && <WebhookUrlsView workflowId={props.workflowId} nodeId={id} nodeType={data.type} />}
      {shownRun && (
        <ErrorBoundary area="the step">
          <Suspense fallback={loading}>
          <StepInspector
            runId={shownRun}
            nodeId={id}
            onRerunFrom={(nodeId) =>
              // A re-run runs the version (or draft snapshot) the shown run ran on.
              void Promise.all([rerun(shownRun, nodeId), getRun(shownRun)]).then(
                ([{ runId }, old]) => openRun(props.workflowId, { id: runId, workflowVersion: old.workflowVersion }),
                (e: Error) => useEditorStore.getState().toast('error', `Could not re-run: ${e.message}`),
              )
            }
            {...(readOnly || descriptor.kind === 'trigger' ? {} : { onPin: (nodeId: string, output: unknown) => setPinned(nodeId, output) })}
          />
          </Suspense>
        </ErrorBoundary>
      )}
      {data.pinned !== undefined && (
        <div className="kf-alert kf-alert--info" role="status">
          Pinned: test runs use the pinned output instead of running this node; production runs ignore it.{' '}
          <button type="button" className="kf-button kf-button--small" disabled={readOnly} onClick={() => setPinned(id, undefined)}>
            Unpin
          </button>
        </div>
      )}
      <Suspense fallback={loading}>
      <Inspector
        key={id}
        node={{ id, type: data.type, ...(data.name !== undefined ? { name: data.name } : {}), config: data.config }}
        descriptor={descriptor}
        upstream={upstream}
        {...(lastRun ? { lastRun } : {})}
        readOnly={readOnly}
        onChange={(config) => updateConfig(id, config)}
        onRename={(name) => renameNode(id, name)}
      />
      </Suspense>
    </>
  );
}

export function SidePanel(props: { workflowId: string; activeVersion: number | null; currentVersion: number }) {
  const panel = useEditorStore((s) => s.sidePanel);
  const setPanel = useEditorStore((s) => s.setSidePanel);
  usePrefetchInspectors();
  return (
    <aside className="kf-side" aria-label="Side panel">
      <div className="kf-side-tabs" role="tablist" aria-label="Panels">
        <button type="button" role="tab" aria-selected={panel === 'inspector'} className="kf-side-tab" onClick={() => setPanel('inspector')}>
          Node
        </button>
        <button type="button" role="tab" aria-selected={panel === 'versions'} className="kf-side-tab" onClick={() => setPanel('versions')}>
          Versions
        </button>
        <button type="button" role="tab" aria-selected={panel === 'runs'} className="kf-side-tab" onClick={() => setPanel('runs')}>
          Runs
        </button>
      </div>
      <RunWatcher />
      <div className="kf-side-body" role="tabpanel">
        {panel === 'runs' ? (
          <ErrorBoundary area="the runs">
            <RunsPanel workflowId={props.workflowId} currentVersion={props.currentVersion} />
          </ErrorBoundary>
        ) : panel === 'versions' ? (
          <ErrorBoundary area="the version list">
            <Suspense fallback={loading}>
              <VersionsPanel workflowId={props.workflowId} activeVersion={props.activeVersion} />
            </Suspense>
          </ErrorBoundary>
        ) : (
          <ErrorBoundary area="the inspector">
            <InspectorSlot workflowId={props.workflowId} />
          </ErrorBoundary>
        )}
      </div>
    </aside>
  );
}

