// notion.page_updated: starts a run each time a page of a Notion database is edited (its
// last_edited_time moves; minute precision). Polled; see page-poll.ts.
import { polledTriggerNode } from '../framework/index.ts';
import { notionPagePoll, notionPollConfig, notionPollPayload } from './page-poll.ts';
import { notionSpec } from './spec.ts';

export const notionPageUpdatedPoll = notionPagePoll('last_edited_time');

export const notionPageUpdatedTrigger = polledTriggerNode({
  type: 'notion.page_updated',
  title: 'Notion: on a page updated in a database',
  description: 'Starts the workflow each time a page in a Notion database is added or edited, with its properties as plain values, checked every few minutes.',
  keywords: ['update', 'change', 'edit', 'modified', 'notion page updated', 'page changed in notion', 'notion database row edited', 'when a notion page changes', 'notion status changed'],
  examples: [
    { text: 'When a page in my Notion database is updated, refresh its embeddings' },
    { text: 'When a Notion task changes, sync it to Google Sheets' },
  ],
  provider: notionSpec.service,
  config: notionPollConfig,
  output: notionPollPayload,
  item: 'a Notion page',
  sampleEvent: { id: '2b1c3d4e-5f60-4172-8394-a5b6c7d8e9f0', url: 'https://www.notion.so/Acme-proposal-2b1c3d4e5f6041728394a5b6c7d8e9f0', createdTime: '2026-12-01T09:30:00.000Z', lastEditedTime: '2026-12-02T14:05:00.000Z', archived: false, properties: { Name: 'Acme proposal', Status: 'In review', Budget: 25000 } },
});
