import { describe, expect, it } from 'vitest';
import { fallbackMessages, maxHistoryId, scanHistory } from './history.ts';

const added = (id: string, labels = ['INBOX']) => ({ message: { id, threadId: `t-${id}`, labelIds: labels } });

describe('scanHistory', () => {
  const pages = [
    { history: [{ id: '101', messagesAdded: [added('a'), added('b')] }, { id: '102', messagesAdded: [added('spam', ['SPAM'])] }], nextPageToken: 'p2', historyId: '110' },
    { history: [{ id: '105', messagesAdded: [added('b'), added('c')] }], historyId: '110' },
  ];

  it('collects added messages with the label once each, in order, and moves to the answer historyId', () => {
    const scan = scanHistory(pages, { cursor: '100', labelId: 'INBOX', seen: new Set(), max: 50 });
    expect(scan.messages.map((m) => m.id)).toEqual(['a', 'b', 'c']);
    expect(scan).toMatchObject({ cursor: '110', truncated: false });
  });

  it('skips ids already seen', () => {
    expect(scanHistory(pages, { cursor: '100', labelId: 'INBOX', seen: new Set(['a', 'c']), max: 50 }).messages.map((m) => m.id)).toEqual(['b']);
  });

  it('stops at a record boundary past max and leaves the cursor at the last record taken', () => {
    const scan = scanHistory(pages, { cursor: '100', labelId: 'INBOX', seen: new Set(), max: 2 });
    expect(scan.messages.map((m) => m.id)).toEqual(['a', 'b']);
    expect(scan).toMatchObject({ cursor: '102', truncated: true });
  });

  it('with nothing new keeps the answer historyId and never moves back', () => {
    expect(scanHistory([{ historyId: '120' }], { cursor: '100', seen: new Set(), max: 5 })).toEqual({ messages: [], cursor: '120', truncated: false });
    expect(scanHistory([{ historyId: '90' }], { cursor: '100', seen: new Set(), max: 5 }).cursor).toBe('100');
  });
});

describe('maxHistoryId', () => {
  it.each([['9', '10', '10'], ['10', '9', '10'], ['123', '124', '124'], ['', '5', '5'], ['5', 'x', '5']])('%s vs %s', (a, b, want) => {
    expect(maxHistoryId(a, b)).toBe(want);
  });
});

describe('fallbackMessages', () => {
  it('lists unseen messages oldest first', () => {
    expect(fallbackMessages([{ id: 'n3' }, { id: 'n2' }, { id: 'n1' }], new Set(['n2'])).map((m) => m.id)).toEqual(['n1', 'n3']);
  });
});
