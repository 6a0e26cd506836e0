// A generated or imported graph shown for review in place of the canvas, styled apart (dashed,
// tinted, labelled "Preview"): it is not part of the workflow until Accept. Beside it: for a
// generated graph, which path made it, one sentence per node, what could not be placed and the
// connections to pick, with edit-and-retry; for an n8n import, the report (mapped or placeholder
// per node, credentials to connect, expressions translated and kept).
import { useMemo } from 'react';
import { graphToDoc } from '../store/graph-doc.ts';
import type { KfEdge, KfNode } from '../store/types.ts';
import { ReadOnlyCanvas } from '../canvas/ReadOnlyCanvas.tsx';
import { withDeclaredGeometry } from '../canvas/node-geometry.ts';
import { useEditorStore } from '../store/editor-store.ts';
import { useIncoming, type Pending } from './incoming-store.ts';
import { PromptBox } from './PromptBox.tsx';
import { formatUsd } from '../inspector/estimate-ai-cost.ts';

function nameOf(pending: Pending, id: string | undefined): string {
  if (!id) return '';
  const n = pending.result.graph.nodes.find((x) => x.id === id);
  return n?.name || n?.type || id;
}

function GeneratedReport({ pending }: { pending: Extract<Pending, { kind: 'generate' }> }) {
  const r = pending.result;
  return (
    <>
      <p data-testid="generated-source" data-source={r.source}>
        Made by{' '}
        {r.source === 'ai' ? (
          <strong>AI (your key, through the router)</strong>
        ) : (
          <strong>the built-in planner</strong>
        )}
        {r.ai ? ` · ${r.ai.calls} AI call${r.ai.calls === 1 ? '' : 's'}, ${formatUsd(r.ai.costMicros)}` : ''}
        {r.source === 'planner' && (r.ai?.failure ? ` — the AI path failed: ${r.ai.failure}` : ' — you have no AI key, so no AI was used')}
      </p>
      <h3>Why each node</h3>
      <ol aria-label="Explanation">
        {r.explanation.map((e) => (
          <li key={e.nodeId} data-node-id={e.nodeId}>
            <strong>{nameOf(pending, e.nodeId)}</strong>: {e.text}
          </li>
        ))}
      </ol>
      {r.unplaced.length > 0 && (
        <>
          <h3>Could not place</h3>
          <ul aria-label="Not placed">
            {r.unplaced.map((u) => (
              <li key={u}>{u}</li>
            ))}
          </ul>
        </>
      )}
      {r.credentials.length > 0 && (
        <>
          <h3>Connections to pick</h3>
          <ul aria-label="Connections to pick">
            {r.credentials.map((c) => (
              <li key={c.nodeId}>
                {nameOf(pending, c.nodeId)}: a {c.provider} connection (never guessed; pick it in the node's form)
              </li>
            ))}
          </ul>
        </>
      )}
      <PromptBox idSuffix="retry" retry />
    </>
  );
}

function ImportReport({ pending }: { pending: Extract<Pending, { kind: 'n8n' }> }) {
  const r = pending.result.report;
  const placeholders = r.nodes.filter((n) => n.status === 'placeholder').length;
  return (
    <>
      <p data-testid="import-summary">
        From {pending.from}
        {pending.result.name ? ` (“${pending.result.name}”)` : ''}: {r.nodes.length - placeholders} of {r.nodes.length} nodes mapped
        {placeholders > 0 ? `, ${placeholders} placeholder${placeholders === 1 ? '' : 's'} to replace before it can be activated` : ''}.
      </p>
      <table aria-label="Import report" className="kf-import-table">
        <thead>
          <tr>
            <th>n8n node</th>
            <th>Became</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {r.nodes.map((n, i) => (
            <tr key={`${n.name}-${i}`} data-status={n.status}>
              <td>
                {n.name}
                <div className="kf-muted">{n.n8nType}</div>
              </td>
              <td>{n.keyflowType ?? '—'}</td>
              <td>
                {n.status}
                {n.reason ? <div className="kf-muted">{n.reason}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Credentials to connect</h3>
      {r.credentialsToConnect.length === 0 ? (
        <p className="kf-muted">None.</p>
      ) : (
        <ul aria-label="Credentials to connect">
          {r.credentialsToConnect.map((c, i) => (
            <li key={`${c.node}-${i}`}>
              {c.node}: {c.n8nCredentialType} (credentials are never imported; connect it under Keys and pick it in the node)
            </li>
          ))}
        </ul>
      )}
      <p data-testid="import-expressions">
        Expressions: {r.expressions.translated} translated, {r.expressions.kept} kept as they were (check those).
      </p>
      {r.warnings.length > 0 && (
        <ul aria-label="Warnings">
          {r.warnings.map((w, i) => (
            <li key={i}>{w}</li>
          ))}
        </ul>
      )}
    </>
  );
}

export function IncomingPreview({ pending }: { pending: Pending }) {
  const { accept, discard, busy } = useIncoming();
  const descriptors = useEditorStore((st) => st.descriptors);
  // Declared sizes let fit view frame the whole graph at once, before any node is measured.
  const doc = useMemo(() => {
    const d = graphToDoc(pending.result.graph);
    return { nodes: (d.nodes as KfNode[]).map((n) => withDeclaredGeometry(n, descriptors)), edges: d.edges as KfEdge[] };
  }, [pending, descriptors]);
  const title = pending.kind === 'generate' ? 'Preview: generated workflow' : 'Preview: imported from n8n';
  return (
    <div className="kf-version-view kf-incoming" data-preview={pending.kind}>
      <div className="kf-version-banner kf-incoming-banner" role="status">
        <strong>{title}</strong>
        <span className="kf-muted">Not part of your workflow until you accept it.</span>
        <button type="button" className="kf-button kf-button--primary kf-button--small" onClick={accept} disabled={busy !== undefined}>
          {pending.kind === 'generate' ? 'Accept' : 'Insert'}
        </button>
        <button type="button" className="kf-button kf-button--small" onClick={discard}>
          Discard
        </button>
      </div>
      <div className="kf-version-body">
        <ReadOnlyCanvas nodes={doc.nodes} edges={doc.edges} className="kf-canvas--preview" label="Preview canvas" />
        <section className="kf-diff-list kf-incoming-report" aria-label={pending.kind === 'generate' ? 'Generated workflow' : 'n8n import'}>
          {pending.kind === 'generate' ? <GeneratedReport pending={pending} /> : <ImportReport pending={pending} />}
        </section>
      </div>
    </div>
  );
}
