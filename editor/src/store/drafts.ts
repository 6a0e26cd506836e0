// Unsaved work in localStorage, one entry per workflow, so a reload, a crash or an expired
// session never loses an edit. Cleared when the graph is saved.
import { graphSchema, type Graph } from '@keyflow/engine/graph';

export interface Draft {
  /** The server version the edits were made on: saving sends it as baseVersion (409 when stale). */
  baseVersion: number;
  savedAt: string;
  name?: string;
  graph: Graph;
}

/** The draft's outline; the graph itself is checked with graphSchema (and again by the server on save). */
function asDraft(value: unknown): Draft | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (!Number.isInteger(v.baseVersion) || (v.baseVersion as number) < 1) return undefined;
  if (typeof v.savedAt !== 'string' || Number.isNaN(Date.parse(v.savedAt))) return undefined;
  if (v.name !== undefined && (typeof v.name !== 'string' || v.name.length > 200)) return undefined;
  const graph = graphSchema.safeParse(v.graph);
  if (!graph.success) return undefined;
  const draft: Draft = { baseVersion: v.baseVersion as number, savedAt: v.savedAt, graph: graph.data };
  if (typeof v.name === 'string') draft.name = v.name;
  return draft;
}

const KEY_PREFIX = 'keyflow.draft.';

export function draftKey(workflowId: string): string {
  return KEY_PREFIX + workflowId;
}

export function saveDraft(workflowId: string, draft: Draft, storage: Storage = localStorage): boolean {
  try {
    storage.setItem(draftKey(workflowId), JSON.stringify(draft));
    return true;
  } catch {
    // Quota or private mode: the edit is still on screen; the caller may tell the person.
    return false;
  }
}

export function loadDraft(workflowId: string, storage: Storage = localStorage): Draft | undefined {
  let raw: string | null;
  try {
    raw = storage.getItem(draftKey(workflowId));
  } catch {
    return undefined;
  }
  if (raw === null) return undefined;
  try {
    const draft = asDraft(JSON.parse(raw));
    if (draft) return draft;
  } catch {
    // fall through: a corrupt draft is dropped
  }
  storage.removeItem(draftKey(workflowId));
  return undefined;
}

export function clearDraft(workflowId: string, storage: Storage = localStorage): void {
  try {
    storage.removeItem(draftKey(workflowId));
  } catch {
    // nothing to do
  }
}
