// TODO(merge): temporary stand-in for editor/src/canvas/WorkflowEditorPage.tsx (ed-canvas writes
// it). The lead swaps the lazy import in app/routes.tsx at merge and deletes this file.
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { Link } from '../app/router.tsx';

export default function EditorPlaceholder(props: { workflowId: string }) {
  const wf = useQuery({ queryKey: ['workflow', props.workflowId], queryFn: ({ signal }) => api<{ name: string; currentVersion: number }>('GET', `/api/workflows/${encodeURIComponent(props.workflowId)}`, undefined, { signal }) });
  return (
    <div style={{ padding: 28 }}>
      <p>
        <Link to="/">← All workflows</Link>
      </p>
      <h1>{wf.data ? wf.data.name : wf.isError ? 'Workflow not found' : 'Loading…'}</h1>
      <p className="kf-hint">The canvas arrives with the editor page; this workflow is at version {wf.data?.currentVersion ?? '…'}.</p>
    </div>
  );
}
