// Saved versions, newest first (time and note; every version of a workflow is its owner's).
// Open one read-only, compare two on the canvas, or restore one: restoring replaces the
// working graph as one undoable edit, saved like any other edit.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useEditorStore } from '../store/editor-store.ts';
import { diffGraphs, overlayGraph } from '../store/diff.ts';
import { getVersion, listVersions, versionsKey } from './workflow-api.ts';

const CURRENT = 0; // the working graph on the canvas, in the compare pickers

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function VersionsPanel(props: { workflowId: string; activeVersion: number | null }) {
  const versions = useQuery({ queryKey: versionsKey(props.workflowId), queryFn: () => listVersions(props.workflowId) });
  const [from, setFrom] = useState<number | undefined>();
  const [to, setTo] = useState<number>(CURRENT);
  const [busy, setBusy] = useState(false);

  async function graphOf(n: number) {
    return n === CURRENT ? useEditorStore.getState().graph() : (await getVersion(props.workflowId, n)).graph;
  }

  async function run(what: () => Promise<void>) {
    setBusy(true);
    try {
      await what();
    } catch (error) {
      useEditorStore.getState().toast('error', `Could not load that version: ${(error as Error).message}`);
    } finally {
      setBusy(false);
    }
  }

  const view = (n: number) =>
    run(async () => {
      const graph = await graphOf(n);
      useEditorStore.getState().setView({ label: `Version ${n} (read-only)`, graph });
    });

  const compare = (a: number, b: number) =>
    run(async () => {
      const [before, after] = await Promise.all([graphOf(a), graphOf(b)]);
      const diff = diffGraphs(before, after);
      const name = (n: number) => (n === CURRENT ? 'your working copy' : `version ${n}`);
      useEditorStore.getState().setView({ label: `Comparing ${name(a)} with ${name(b)}`, graph: overlayGraph(before, after, diff), diff });
    });

  const restore = (n: number) =>
    run(async () => {
      const graph = await graphOf(n);
      const s = useEditorStore.getState();
      s.setView(undefined);
      s.replaceGraph(graph, `restore version ${n}`);
      s.toast('info', `Version ${n} is on the canvas. Save to keep it, or press Ctrl+Z to go back.`);
    });

  if (versions.isPending) return <p className="kf-muted">Loading versions…</p>;
  if (versions.isError) return <p className="kf-alert">Could not load the versions: {versions.error.message}</p>;
  const items = versions.data.items;
  const active = props.activeVersion;

  return (
    <section className="kf-versions" aria-label="Versions">
      <form
        className="kf-compare-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (from !== undefined) void compare(from, to);
        }}
      >
        <label>
          Compare
          <select className="kf-input" value={from ?? ''} onChange={(e) => setFrom(e.target.value === '' ? undefined : Number(e.target.value))} aria-label="Compare from version">
            <option value="">choose a version</option>
            {items.map((v) => (
              <option key={v.version} value={v.version}>
                Version {v.version}
              </option>
            ))}
          </select>
        </label>
        <label>
          with
          <select className="kf-input" value={to} onChange={(e) => setTo(Number(e.target.value))} aria-label="Compare with version">
            <option value={CURRENT}>the working copy</option>
            {items.map((v) => (
              <option key={v.version} value={v.version}>
                Version {v.version}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="kf-button kf-button--small" disabled={busy || from === undefined}>
          Compare
        </button>
      </form>
      <ol className="kf-version-list">
        {items.map((v) => (
          <li key={v.version} className="kf-version">
            <div className="kf-version-head">
              <strong>Version {v.version}</strong>
              {v.version === active && <span className="kf-pill">active</span>}
              {v.version === items[0]?.version && <span className="kf-pill kf-pill--muted">latest</span>}
            </div>
            <div className="kf-muted">
              {when(v.createdAt)} · by you{v.note ? ` · ${v.note}` : ''}
            </div>
            <div className="kf-version-actions">
              <button type="button" className="kf-button kf-button--small" disabled={busy} onClick={() => void view(v.version)}>
                Open
              </button>
              <button type="button" className="kf-button kf-button--small" disabled={busy} onClick={() => void compare(v.version, CURRENT)} aria-label={`Compare version ${v.version} with the working copy`}>
                Compare
              </button>
              <button type="button" className="kf-button kf-button--small" disabled={busy} onClick={() => void restore(v.version)} aria-label={`Restore version ${v.version}`}>
                Restore
              </button>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
