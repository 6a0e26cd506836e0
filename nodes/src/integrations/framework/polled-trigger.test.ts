// The node of a polling trigger hands on the poll item it was started with, and refuses a run
// that did not come from a poll (a webhook body, nothing) instead of passing garbage on.
import { describe, expect, it } from 'vitest';
import { createTestContext, NonRetriableNodeError, parseNodeConfig } from '../../contract/index.ts';
import { newFileTrigger } from '../google/drive/new-file.trigger.ts';
import { notionPageAddedTrigger } from '../notion/page-added.trigger.ts';

const file = { id: '1abcDEFghijkLMNop', name: 'a.pdf', mimeType: 'application/pdf', size: 5, createdTime: '2026-01-01T00:00:00.000Z', modifiedTime: '2026-01-01T00:00:00.000Z', webViewLink: 'https://drive.google.com/file/d/1abcDEFghijkLMNop/view', parents: ['root'] };

describe('polledTriggerNode', () => {
  it('outputs the poll item it was started with', async () => {
    const ctx = createTestContext(parseNodeConfig(newFileTrigger, { folderId: 'root' }), { trigger: file });
    expect(await newFileTrigger.run(ctx as never)).toEqual({ output: file });
  });

  it.each([undefined, { body: {}, query: {}, headers: {} }, { ...file, id: 7 }])('refuses a run not started by its poll (%j)', async (trigger) => {
    const ctx = createTestContext(parseNodeConfig(notionPageAddedTrigger, { databaseId: 'ec6dc7b4-9ce0-47f7-8025-ef09295999fd' }), { trigger });
    await expect(notionPageAddedTrigger.run(ctx as never)).rejects.toThrow(NonRetriableNodeError);
    await expect(notionPageAddedTrigger.run(ctx as never)).rejects.toThrow(/notion\.page_added was started without a Notion page/);
  });

  it('declares an optional credential and the trigger kind, with keywords for the planner', () => {
    expect(newFileTrigger).toMatchObject({ kind: 'trigger', category: 'trigger', credential: { provider: 'google', optional: true } });
    expect(notionPageAddedTrigger.keywords).toContain('page added to notion database');
  });
});
