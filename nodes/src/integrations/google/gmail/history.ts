// The gmail.new_message polling logic, pure: which messages a users.history.list answer adds,
// where the cursor goes next, and the fallback after an expired history id. I/O lives in
// new-message.trigger.ts; the engine persists the cursor and the seen ids with the runs.
//
// Rules:
//  - only `messagesAdded` records count, only messages carrying the watched label (Gmail's
//    `labelId` filter on history.list already narrows them; checked again here), each id once;
//  - ids the engine has already started a run for (`seen`) are skipped;
//  - at most `max` new messages per poll. When there are more, the cursor stops at the last
//    history record fully taken, so the next poll reads the rest (seen ids guard the edge);
//    otherwise it moves to the answer's historyId.
import type { gmail_v1 } from '@googleapis/gmail';

export interface NewMessageRef {
  id: string;
  threadId: string;
  labelIds: string[];
}

export interface HistoryScan {
  messages: NewMessageRef[];
  cursor: string;
  /** More new messages remain past `max`: poll again soon. */
  truncated: boolean;
}

/** The new messages of one or more history.list pages (in order) after `cursor`. */
export function scanHistory(pages: readonly gmail_v1.Schema$ListHistoryResponse[], opts: { cursor: string; labelId?: string; seen: ReadonlySet<string>; max: number }): HistoryScan {
  const messages: NewMessageRef[] = [];
  const taken = new Set<string>();
  let cursor = opts.cursor;
  for (const page of pages) {
    for (const record of page.history ?? []) {
      const fresh: NewMessageRef[] = [];
      for (const added of record.messagesAdded ?? []) {
        const m = added.message;
        if (!m?.id || taken.has(m.id) || opts.seen.has(m.id)) continue;
        if (opts.labelId && !(m.labelIds ?? []).includes(opts.labelId)) continue;
        taken.add(m.id);
        fresh.push({ id: m.id, threadId: m.threadId ?? m.id, labelIds: m.labelIds ?? [] });
      }
      if (messages.length + fresh.length > opts.max && messages.length > 0) return { messages, cursor, truncated: true };
      messages.push(...fresh);
      if (record.id) cursor = maxHistoryId(cursor, record.id);
    }
  }
  const last = pages.at(-1)?.historyId;
  return { messages, cursor: last ? maxHistoryId(cursor, last) : cursor, truncated: false };
}

/** History ids are decimal uint64 strings: compare by length, then lexically. Never move back. */
export function maxHistoryId(a: string, b: string): string {
  if (a === '') return b;
  if (b === '' || !/^\d+$/.test(b)) return a;
  return a.length !== b.length ? (a.length > b.length ? a : b) : a >= b ? a : b;
}

/**
 * After a 404 on history.list (the history id is older than Gmail keeps, about a week): the
 * newest messages from a bounded messages.list, oldest first, minus those already seen.
 */
export function fallbackMessages(listed: readonly gmail_v1.Schema$Message[], seen: ReadonlySet<string>): NewMessageRef[] {
  const out: NewMessageRef[] = [];
  for (const m of listed) if (m.id && !seen.has(m.id)) out.push({ id: m.id, threadId: m.threadId ?? m.id, labelIds: m.labelIds ?? [] });
  return out.reverse();
}

