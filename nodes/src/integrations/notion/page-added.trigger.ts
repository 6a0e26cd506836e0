// notion.page_added: starts a run for each page added to a Notion database (polled; see page-poll.ts).
import { polledTriggerNode } from '../framework/index.ts';
import { notionPagePoll, notionPollConfig, notionPollPayload } from './page-poll.ts';
import { notionSpec } from './spec.ts';

export const notionPageAddedPoll = notionPagePoll('created_time');

export const notionPageAddedTrigger = polledTriggerNode({
  type: 'notion.page_added',
  title: 'Notion: on a page added to a database',
  description: 'Starts the workflow for each new page in a Notion database, with its properties as plain values, checked every few minutes.',
  keywords: ['new notion page', 'page added to notion database', 'new row in notion', 'new item in notion database', 'notion trigger', 'when a page is created in notion'],
  examples: [
    { text: 'When a page is added to my Notion database, convert it into embeddings' },
    { text: 'When a new task is added in Notion, post it to Slack' },
  ],
  provider: notionSpec.service,
  config: notionPollConfig,
  output: notionPollPayload,
  item: 'a Notion page',
  sampleEvent: { id: '2b1c3d4e-5f60-4172-8394-a5b6c7d8e9f0', url: 'https://www.notion.so/Acme-proposal-2b1c3d4e5f6041728394a5b6c7d8e9f0', createdTime: '2026-12-01T09:30:00.000Z', lastEditedTime: '2026-12-01T09:30:00.000Z', archived: false, properties: { Name: 'Acme proposal', Status: 'In review', Budget: 25000 } },
});
