// notion.page_updated: starts a run each time a page of a Notion database is edited (its
// last_edited_time moves; minute precision). Polled; see page-poll.ts.
import { defineNode, NonRetriableNodeError } from '../../contract/index.ts';
import { isRecord } from '../../core/is-record.ts';
import { notionPagePoll, notionPollConfig, notionPollPayload } from './page-poll.ts';
import { notionSpec } from './spec.ts';

export const notionPageUpdatedPoll = notionPagePoll('last_edited_time');

export const notionPageUpdatedTrigger = defineNode({
  type: 'notion.page_updated',
  version: 1,
  title: 'Notion: on a page updated in a database',
  description: 'Starts the workflow each time a page in a Notion database is added or edited, with its properties as plain values, checked every few minutes.',
  keywords: ['notion page updated', 'page changed in notion', 'notion database row edited', 'when a notion page changes', 'notion status changed'],
  examples: [
    { text: 'When a page in my Notion database is updated, refresh its embeddings' },
    { text: 'When a Notion task changes, sync it to Google Sheets' },
  ],
  category: 'trigger',
  kind: 'trigger',
  credential: { provider: notionSpec.service, optional: true },
  config: notionPollConfig,
  output: notionPollPayload,
  async run(ctx) {
    const parsed = notionPollPayload.safeParse(isRecord(ctx.trigger) ? ctx.trigger : undefined);
    if (!parsed.success) throw new NonRetriableNodeError('notion.page_updated was started without a Notion page (runs start from the engine’s Notion polling)');
    return { output: parsed.data };
  },
});
