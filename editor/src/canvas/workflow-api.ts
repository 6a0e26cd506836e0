// The workflow endpoints the editing screen uses (server/src/routes/workflows.routes.ts).
import type { Graph } from '@keyflow/engine/graph';
import type { NodeDescriptor } from '@keyflow/nodes/contract';
import { api, queryClient } from '../api/client.ts';

export interface WorkflowDetail {
  id: string;
  name: string;
  active: boolean;
  currentVersion: number;
  activeVersion: number | null;
  createdAt: string;
  updatedAt: string;
  graph: Graph;
}

export interface VersionSummary {
  version: number;
  note: string | null;
  createdAt: string;
}

export interface VersionDetail extends VersionSummary {
  graph: Graph;
}

export interface WebhookUrls {
  nodeId: string;
  url: string;
  testUrl: string;
  signed: boolean;
}

export const workflowKey = (id: string) => ['workflow', id] as const;
export const versionsKey = (id: string) => ['workflow', id, 'versions'] as const;
export const webhooksKey = (id: string) => ['workflow', id, 'webhooks'] as const;

const base = (id: string) => `/api/workflows/${encodeURIComponent(id)}`;

export const getWorkflow = (id: string) => api<WorkflowDetail>('GET', base(id));

/** The two reads the editing screen opens with: the workflow and the node catalog (fresh until changed here). */
export const workflowQuery = (id: string) => ({ queryKey: workflowKey(id), queryFn: () => getWorkflow(id), staleTime: Infinity });
export const nodeCatalogQuery = { queryKey: ['nodes'], queryFn: () => api<{ items: NodeDescriptor[] }>('GET', '/api/nodes'), staleTime: Infinity };

/** Starts both reads (the router calls it once the session is known, while the editor's code still loads). */
export function prefetchEditorData(id: string): void {
  void queryClient.prefetchQuery(workflowQuery(id));
  void queryClient.prefetchQuery(nodeCatalogQuery);
}
export const saveWorkflow = (id: string, graph: Graph, baseVersion: number) => api<WorkflowDetail>('PUT', base(id), { graph, baseVersion });
export const listVersions = (id: string) => api<{ items: VersionSummary[] }>('GET', `${base(id)}/versions`);
export const getVersion = (id: string, n: number) => api<VersionDetail>('GET', `${base(id)}/versions/${n}`);
export const setActive = (id: string, active: boolean) => api<WorkflowDetail>('POST', `${base(id)}/${active ? 'activate' : 'deactivate'}`, active ? {} : undefined);
export const listWebhooks = (id: string) => api<WebhookUrls[]>('GET', `${base(id)}/webhooks`);
export const exportWorkflow = (id: string) => api<{ keyflow: 1; name: string; graph: Graph; exportedAt: string }>('GET', `${base(id)}/export`);
