// The undo stack: each entry holds the document before and after one edit. Documents are
// immutable arrays of immutable nodes, so entries share every node they did not change and a
// long history of a 1,000-node graph stays small.
import type { Doc } from './types.ts';

export interface HistoryEntry {
  label: string;
  before: Doc;
  after: Doc;
  /** Edits with the same key in quick succession merge into one entry (typing in one field). */
  mergeKey?: string;
  at: number;
}

export const MAX_HISTORY = 200;
/** Edits with one merge key this close together are one undo step. */
export const MERGE_WINDOW_MS = 1500;

export interface History {
  past: HistoryEntry[];
  future: HistoryEntry[];
}

export const emptyHistory = (): History => ({ past: [], future: [] });

export function record(history: History, entry: HistoryEntry): History {
  const last = history.past[history.past.length - 1];
  if (entry.mergeKey && last?.mergeKey === entry.mergeKey && entry.at - last.at < MERGE_WINDOW_MS) {
    return { past: [...history.past.slice(0, -1), { ...last, after: entry.after, at: entry.at }], future: [] };
  }
  const past = history.past.length >= MAX_HISTORY ? history.past.slice(1) : history.past;
  return { past: [...past, entry], future: [] };
}
