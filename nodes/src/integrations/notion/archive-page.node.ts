import { z } from 'zod';
import { defineNode } from '../../contract/index.ts';
import { credentialIdField } from '../framework/index.ts';
import { notionApi, notionServiceCall } from './call-notion.ts';
import { notionIdField } from './fields.ts';
import { requireNotionId } from './resolve-data-source.ts';
import { notionSpec } from './spec.ts';

export const archivePageConfig = z.strictObject({
  credentialId: credentialIdField,
  pageId: notionIdField('page'),
  archived: z.boolean().default(true).describe('false restores the page from the trash'),
});

export const archivePageOutput = z.object({ id: z.string(), archived: z.boolean() });

/** Moves a page to Notion's trash (or restores it). Idempotent: archiving twice is harmless. */
export const notionArchivePageNode = defineNode({
  type: 'notion.archive_page',
  version: 1,
  title: 'Notion: archive page',
  description: "Moves a Notion page to the trash, or restores it.",
  keywords: ["archive the page", "delete the page", "trash"],
  examples: [
    { text: "Archive the Notion page" },
  ],
  category: 'integration',
  kind: 'action',
  config: archivePageConfig,
  output: archivePageOutput,
  credential: { provider: notionSpec.service },
  async run(ctx) {
    const call = notionServiceCall(ctx);
    const pageId = requireNotionId(ctx.config.pageId, 'pageId');
    const page = await notionApi(call, { what: `page ${pageId}`, capability: 'update content' }, (client) => client.pages.update({ page_id: pageId, in_trash: ctx.config.archived }));
    const inTrash = 'in_trash' in page ? page.in_trash : ctx.config.archived;
    return { output: { id: page.id, archived: inTrash } };
  },
});
