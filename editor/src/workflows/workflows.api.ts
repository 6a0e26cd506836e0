// The workflow list's server calls, typed after server/src/contract/workflows.schema.ts.
import { api } from '../api/client.ts';

export interface LastRun {
  id: string;
  status: string;
  createdAt: string;
  finishedAt: string | null;
}
export interface WorkflowListItem {
  id: string;
  name: string;
  active: boolean;
  currentVersion: number;
  activeVersion: number | null;
  createdAt: string;
  updatedAt: string;
  lastRun: LastRun | null;
}
export interface WorkflowDetail extends Omit<WorkflowListItem, 'lastRun'> {
  graph: unknown;
}
export interface WorkflowPage {
  items: WorkflowListItem[];
  nextCursor: string | null;
}
export interface ListFilter {
  name: string;
  active: 'all' | 'true' | 'false';
  cursor: string | null;
}

export const PAGE_SIZE = 25;

export function listWorkflows(f: ListFilter, signal?: AbortSignal): Promise<WorkflowPage> {
  const q = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (f.name.trim()) q.set('name', f.name.trim());
  if (f.active !== 'all') q.set('active', f.active);
  if (f.cursor) q.set('cursor', f.cursor);
  return api<WorkflowPage>('GET', `/api/workflows?${q}`, undefined, signal ? { signal } : undefined);
}

const path = (id: string) => `/api/workflows/${encodeURIComponent(id)}`;

/**
 * A new workflow starts with a manual trigger: the API requires exactly one trigger, and "run
 * by hand" is the one every workflow can have; the canvas lets the person swap it.
 */
export const starterGraph = () => ({ nodes: [{ id: 'start', type: 'core.manual', version: 1, name: 'Start', config: {}, position: { x: 0, y: 0 } }], edges: [] });
export const createWorkflow = (name: string) => api<WorkflowDetail>('POST', '/api/workflows', { name, graph: starterGraph() });
export const renameWorkflow = (id: string, name: string) => api<WorkflowListItem>('PATCH', path(id), { name });
export const deleteWorkflow = (id: string) => api<void>('DELETE', path(id));
export const setActive = (id: string, active: boolean) => api<WorkflowListItem>('POST', `${path(id)}/${active ? 'activate' : 'deactivate'}`);

/** A copy of the current version under a new name (inactive, version 1). */
export async function duplicateWorkflow(id: string, name: string): Promise<WorkflowDetail> {
  const source = await api<WorkflowDetail>('GET', path(id));
  return api<WorkflowDetail>('POST', '/api/workflows', { name, graph: source.graph });
}

/** "Copy of X", kept within the API's 200-character limit. */
export function copyName(name: string): string {
  return `${name} (copy)`.length <= 200 ? `${name} (copy)` : `${name.slice(0, 193)} (copy)`;
}
