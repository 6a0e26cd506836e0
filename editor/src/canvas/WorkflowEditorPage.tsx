// The whole editing screen (ed-shell routes /workflows/:id here, lazily): toolbar, palette,
// canvas, side panel (inspector, versions), dialogs. Opens the saved graph, or the newer
// unsaved draft of it with a notice; warns before leaving with unsaved edits.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { queryClient } from '../api/client.ts';
import { ErrorBoundary } from '../app/ErrorBoundary.tsx';
import type { NodeDescriptor } from '../inspector/index.ts';
import { useEditorStore } from '../store/editor-store.ts';
import { parseFragment } from '../store/clipboard.ts';
import { loadDraft } from '../store/drafts.ts';
import { docKey, graphToDoc } from '../store/graph-doc.ts';
import { layoutPositions } from './auto-layout.ts';
import { ConflictDialog } from './ConflictDialog.tsx';
import { CanvasArea } from './CanvasArea.tsx';
import { HelpDialog } from './HelpDialog.tsx';
import { Palette } from './Palette.tsx';
import { SidePanel } from './SidePanel.tsx';
import { Toasts } from './Toasts.tsx';
import { Toolbar } from './Toolbar.tsx';
import { useEditorKeys } from './use-editor-keys.ts';
import { useSave } from './use-save.ts';
import { nodeCatalogQuery, setActive, workflowKey, workflowQuery, type WorkflowDetail } from './workflow-api.ts';
import { FIT_ALL } from './node-geometry.ts';
import { openRun } from '../runs/RunsPanel.tsx';
import { getRun } from '../runs/runs-api.ts';
import { takeIncomingText } from '../incoming/IncomingLayer.tsx';
import { DescribeDialog } from '../incoming/PromptBox.tsx';
import { useIncoming } from '../incoming/incoming-store.ts';
import './canvas.css';

function downloadJson(name: string, value: unknown) {
  const blob = new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 60) || 'workflow'}.keyflow.json`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function when(iso: string): string {
  const d = new Date(iso);
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Loads the graph into the store once per workflow: the saved version, or a newer draft of it. */
function useOpenWorkflow(workflowId: string, wf: WorkflowDetail | undefined) {
  const opened = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!wf || opened.current === workflowId) return;
    opened.current = workflowId;
    const s = useEditorStore.getState();
    const draft = loadDraft(workflowId);
    if (draft && docKey(graphToDoc(draft.graph)) !== docKey(graphToDoc(wf.graph))) {
      s.load({ workflowId, graph: draft.graph, version: draft.baseVersion, savedGraph: wf.graph });
      const stale = draft.baseVersion < wf.currentVersion;
      s.toast(
        'info',
        `Restored your unsaved edits from ${when(draft.savedAt)}.${stale ? ` They were made on version ${draft.baseVersion}; version ${wf.currentVersion} has been saved since, so saving will ask whose to keep.` : ' Save to keep them.'}`,
      );
    } else {
      s.load({ workflowId, graph: wf.graph, version: wf.currentVersion });
    }
  }, [workflowId, wf]);
}

/** `?run=<id>` (from the all-runs page): shows that run on the canvas once the workflow is open. */
function useOpenRunFromUrl(workflowId: string, loaded: boolean) {
  const done = useRef(false);
  useEffect(() => {
    if (!loaded || done.current) return;
    done.current = true;
    const runId = new URLSearchParams(window.location.search).get('run');
    if (!runId || !/^[0-9a-f-]{36}$/i.test(runId)) return;
    useEditorStore.getState().setSidePanel('runs');
    void getRun(runId).then(
      (r) => (r.workflowId === workflowId ? openRun(workflowId, r) : undefined),
      (e: Error) => useEditorStore.getState().toast('error', `Could not open the run: ${e.message}`),
    );
  }, [workflowId, loaded]);
}

function EditorScreen({ workflowId, wf, descriptors }: { workflowId: string; wf: WorkflowDetail; descriptors: NodeDescriptor[] }) {
  const { fitView, screenToFlowPosition } = useReactFlow();
  const { save, saving, conflict, reloadTheirs, overwrite, dismissConflict } = useSave(workflowId);
  const [layingOut, setLayingOut] = useState(false);
  const loaded = useEditorStore((s) => s.workflowId === workflowId);
  // A graph under review belongs to the workflow it was made for.
  useEffect(() => useIncoming.setState({ pending: undefined, error: undefined, describeOpen: false }), [workflowId]);

  useEffect(() => useEditorStore.getState().setDescriptors(descriptors), [descriptors]);
  useOpenWorkflow(workflowId, wf);
  useOpenRunFromUrl(workflowId, loaded);

  // Unsaved edits: the draft is written now and the browser asks before leaving.
  useEffect(() => {
    const onLeave = (e: BeforeUnloadEvent) => {
      const s = useEditorStore.getState();
      if (!s.dirty) return;
      s.flushDraft();
      e.preventDefault();
      e.returnValue = '';
    };
    const onHide = () => useEditorStore.getState().flushDraft();
    window.addEventListener('beforeunload', onLeave);
    window.addEventListener('pagehide', onHide);
    return () => {
      window.removeEventListener('beforeunload', onLeave);
      window.removeEventListener('pagehide', onHide);
      onHide();
    };
  }, []);

  const autoLayout = useCallback(async () => {
    const s = useEditorStore.getState();
    if (s.readOnly) return;
    setLayingOut(true);
    try {
      s.applyLayout(await layoutPositions({ nodes: s.nodes, edges: s.edges }, s.descriptors));
      requestAnimationFrame(() => void fitView({ ...FIT_ALL, duration: 200 }));
    } catch (error) {
      s.toast('error', `Auto-layout failed: ${(error as Error).message}`);
    } finally {
      setLayingOut(false);
    }
  }, [fitView]);

  const addNote = useCallback(() => {
    const pane = document.querySelector('.kf-canvas .react-flow')?.getBoundingClientRect();
    const at = pane ? screenToFlowPosition({ x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 }) : { x: 0, y: 0 };
    useEditorStore.getState().addNote({ x: at.x - 110, y: at.y - 60 });
  }, [screenToFlowPosition]);

  const keyActions = useMemo(() => ({ save: () => void save(), autoLayout: () => void autoLayout() }), [save, autoLayout]);
  useEditorKeys(keyActions);

  const toggleActive = useCallback(
    async (active: boolean) => {
      const s = useEditorStore.getState();
      if (active && s.dirty) s.toast('info', 'Activating the last saved version; your unsaved edits are not part of it until you save.');
      try {
        const next = await setActive(workflowId, active);
        queryClient.setQueryData(workflowKey(workflowId), (old: WorkflowDetail | undefined) => (old ? { ...old, ...next, graph: old.graph } : next));
        void queryClient.invalidateQueries({ queryKey: ['workflows'] });
        s.toast('info', active ? `Active: version ${next.activeVersion} now answers its triggers.` : 'Inactive: its triggers no longer start runs.');
      } catch (error) {
        s.toast('error', `Could not ${active ? 'activate' : 'deactivate'}: ${(error as Error).message}`);
      }
    },
    [workflowId],
  );

  function importText(text: string, from: string) {
    takeIncomingText(text, from, () => importKeyflow(text, from));
  }

  function importKeyflow(text: string, from: string) {
    const s = useEditorStore.getState();
    const parsed = parseFragment(text);
    if (!parsed.ok) {
      s.toast('error', `Nothing imported from ${from}: ${parsed.message}.`);
      return;
    }
    s.replaceGraph(parsed.graph, 'import');
    s.toast('info', `Imported ${parsed.graph.nodes.length} nodes from ${from}. Save to keep them, or press Ctrl+Z to go back.`);
    requestAnimationFrame(() => void fitView({ ...FIT_ALL, duration: 200 }));
  }

  if (!loaded) return <div className="kf-loading">Opening the workflow…</div>;

  return (
    <div className="kf-editor">
      <ErrorBoundary area="the toolbar">
        <Toolbar
          name={wf.name}
          active={wf.active}
          activeVersion={wf.activeVersion}
          saving={saving}
          layingOut={layingOut}
          onSave={() => void save()}
          onAutoLayout={() => void autoLayout()}
          onFitView={() => void fitView({ ...FIT_ALL, duration: 200 })}
          onAddNote={addNote}
          onDescribe={() => useIncoming.getState().setDescribeOpen(true)}
          onToggleActive={(a) => void toggleActive(a)}
          onExportFile={() => {
            const s = useEditorStore.getState();
            if (s.dirty) s.toast('info', 'The file holds what is on the canvas, unsaved edits included.');
            downloadJson(wf.name, { keyflow: 1, name: wf.name, graph: s.graph(), exportedAt: new Date().toISOString() });
          }}
          onExportClipboard={() => {
            const s = useEditorStore.getState();
            navigator.clipboard.writeText(JSON.stringify({ keyflow: 1, name: wf.name, graph: s.graph(), exportedAt: new Date().toISOString() }, null, 2)).then(
              () => s.toast('info', 'The workflow is on the clipboard as JSON.'),
              () => s.toast('error', 'The browser refused to write to the clipboard; use "Download as JSON file" instead.'),
            );
          }}
          onImportFile={(file) => {
            if (file.size > 8 * 1024 * 1024) {
              useEditorStore.getState().toast('error', 'That file is larger than 8 MB: not a Keyflow workflow.');
              return;
            }
            void file.text().then((t) => importText(t, file.name));
          }}
          onImportClipboard={() => {
            navigator.clipboard.readText().then(
              (t) => importText(t, 'the clipboard'),
              () => useEditorStore.getState().toast('error', 'The browser refused to read the clipboard: paste with Ctrl+V on the canvas instead.'),
            );
          }}
        />
      </ErrorBoundary>
      <div className="kf-editor-body">
        <ErrorBoundary area="the palette">
          <Palette descriptors={descriptors} />
        </ErrorBoundary>
        <CanvasArea />
        <SidePanel
          workflowId={workflowId}
          activeVersion={wf.activeVersion}
          currentVersion={wf.currentVersion}
        />
      </div>
      <HelpDialog />
      <DescribeDialog />
      <ConflictDialog open={conflict} busy={saving} onReloadTheirs={() => void reloadTheirs()} onOverwrite={() => void overwrite()} onCancel={dismissConflict} />
      <Toasts />
    </div>
  );
}

export default function WorkflowEditorPage(props: { workflowId: string }) {
  const wf = useQuery(workflowQuery(props.workflowId));
  const nodes = useQuery(nodeCatalogQuery);

  if (wf.isError || nodes.isError) {
    const error = (wf.error ?? nodes.error)!;
    return (
      <div role="alert" className="kf-alert" style={{ margin: 24 }}>
        Could not open this workflow: {error.message}{' '}
        <button type="button" className="kf-button kf-button--small" onClick={() => void (wf.isError ? wf.refetch() : nodes.refetch())}>
          Retry
        </button>
      </div>
    );
  }
  if (!wf.data || !nodes.data) return <div className="kf-loading">Opening the workflow…</div>;
  return (
    <ReactFlowProvider>
      <EditorScreen workflowId={props.workflowId} wf={wf.data} descriptors={nodes.data.items} />
    </ReactFlowProvider>
  );
}

