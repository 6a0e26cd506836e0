// The middle of the editing screen: the working canvas, a version under review, or an incoming
// graph's preview, with the shown run's id and status as data attributes (tests wait on them).
// It reads those from the store itself and is memoized: when the editing screen read them, each
// change of a run's status (none → queued → running → succeeded) re-rendered the whole screen,
// the palette's entries and React Flow's edges included (230 ms of script under load as a run
// started: bench/README.md, "run view").
import { memo } from 'react';
import { useEditorStore } from '../store/editor-store.ts';
import { BlankCanvasPrompt, useFileDrop } from '../incoming/IncomingLayer.tsx';
import { IncomingPreview } from '../incoming/IncomingPreview.tsx';
import { useIncoming } from '../incoming/incoming-store.ts';
import { ErrorBoundary } from '../app/ErrorBoundary.tsx';
import { FlowCanvas } from './FlowCanvas.tsx';
import { VersionView } from './VersionView.tsx';

function CanvasAreaView() {
  const view = useEditorStore((s) => s.view);
  const shownRun = useEditorStore((s) => s.run?.runId);
  const shownRunStatus = useEditorStore((s) => s.run?.status);
  const pending = useIncoming((s) => s.pending);
  const drop = useFileDrop();
  return (
    <main className="kf-canvas-area" data-shown-run={shownRun} data-shown-run-status={shownRunStatus} onDragOver={drop.onDragOver} onDrop={drop.onDrop}>
      <ErrorBoundary area="the canvas">
        {pending ? (
          <IncomingPreview pending={pending} />
        ) : view ? (
          <VersionView view={view} />
        ) : (
          <div className="kf-canvas">
            <FlowCanvas />
            <BlankCanvasPrompt />
          </div>
        )}
      </ErrorBoundary>
    </main>
  );
}

export const CanvasArea = memo(CanvasAreaView);
