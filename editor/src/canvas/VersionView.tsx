// An old version, or a comparison of two, drawn read-only in place of the working graph:
// added nodes green, removed red (where they were), changed amber, with every config
// difference listed per node. Closing it returns to the working graph untouched.
import { useMemo } from 'react';
import { useEditorStore, type VersionView as View } from '../store/editor-store.ts';
import { graphToDoc } from '../store/graph-doc.ts';
import type { KfEdge, KfNode } from '../store/types.ts';
import { withDeclaredGeometry } from './node-geometry.ts';
import { ReadOnlyCanvas } from './ReadOnlyCanvas.tsx';

function show(value: unknown): string {
  if (value === undefined) return '(none)';
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function ChangeList({ view }: { view: View }) {
  const diff = view.diff!;
  const nameOf = (id: string) => view.graph.nodes.find((n) => n.id === id)?.name || id;
  const none = diff.added.length + diff.removed.length + diff.changed.size + diff.moved.length + diff.addedEdges.length + diff.removedEdges.length === 0;
  return (
    <section className="kf-diff-list" aria-label="Differences">
      {none && <p>These two versions are the same.</p>}
      {diff.added.length > 0 && <p><span className="kf-diff-key kf-diff-key--added" /> Added: {diff.added.map(nameOf).join(', ')}</p>}
      {diff.removed.length > 0 && <p><span className="kf-diff-key kf-diff-key--removed" /> Removed: {diff.removed.map(nameOf).join(', ')}</p>}
      {diff.moved.length > 0 && <p className="kf-muted">Moved only: {diff.moved.map(nameOf).join(', ')}</p>}
      {(diff.addedEdges.length > 0 || diff.removedEdges.length > 0) && (
        <p className="kf-muted">
          Connections: {diff.addedEdges.length} added, {diff.removedEdges.length} removed
        </p>
      )}
      {[...diff.changed].map(([id, changes]) => (
        <details key={id} open>
          <summary>
            <span className="kf-diff-key kf-diff-key--changed" /> Changed: {nameOf(id)}
          </summary>
          <table className="kf-diff-table">
            <thead>
              <tr>
                <th>Field</th>
                <th>Before</th>
                <th>After</th>
              </tr>
            </thead>
            <tbody>
              {changes.map((c) => (
                <tr key={c.path}>
                  <td>{c.path}</td>
                  <td>{show(c.before)}</td>
                  <td>{show(c.after)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ))}
    </section>
  );
}

export function VersionView({ view }: { view: View }) {
  const setView = useEditorStore((s) => s.setView);
  const kinds = useEditorStore((s) => s.diffKinds);
  const descriptors = useEditorStore((s) => s.descriptors);
  const doc = useMemo(() => {
    const d = graphToDoc(view.graph);
    const nodes: KfNode[] = d.nodes.map((n) => withDeclaredGeometry(kinds?.[n.id] ? { ...n, className: `kf-diff-wrap-${kinds[n.id]}` } : n, descriptors));
    const edges: KfEdge[] = d.edges.map((e) => (view.diff?.addedEdges.includes(e.id) ? { ...e, className: 'kf-edge-added' } : view.diff?.removedEdges.includes(e.id) ? { ...e, className: 'kf-edge-removed' } : e));
    return { nodes, edges };
  }, [view, kinds, descriptors]);

  return (
    <div className="kf-version-view">
      <div className="kf-version-banner" role="status">
        <strong>{view.label}</strong>
        <span className="kf-muted">Nothing here can be edited.</span>
        <button type="button" className="kf-button kf-button--small" onClick={() => setView(undefined)}>
          Back to editing
        </button>
      </div>
      <div className="kf-version-body">
        <ReadOnlyCanvas nodes={doc.nodes} edges={doc.edges} label="Read-only canvas" miniMap cull />
        {view.diff && <ChangeList view={view} />}
      </div>
    </div>
  );
}
