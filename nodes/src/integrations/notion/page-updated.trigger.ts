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
  keywords: ['notion page updated', 'page changed in notion', 'notion database row edited', 'when a notion page changes', 'notion status changed'],
  examples: [
    { text: 'When a page in my Notion database is updated, refresh its embeddings' },
    { text: 'When a Notion task changes, sync it to Google Sheets' },
  ],
  provider: notionSpec.service,
  config: notionPollConfig,
  output: notionPollPayload,
  item: 'a Notion page',
});
