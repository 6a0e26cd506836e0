import { z } from 'zod';
import { defineNode } from '../../contract/index.ts';
import { credentialIdField } from '../framework/index.ts';
import { notionApi, notionServiceCall } from './call-notion.ts';
import { blocksToText } from './blocks-to-text.ts';
import { notionIdField } from './fields.ts';
import { pageOutput, toPageOutput } from './page-output.ts';
import { requireNotionId } from './resolve-data-source.ts';
import { notionSpec } from './spec.ts';

/** Content beyond this many top-level blocks is left out (and said so): a step output stays small. */
export const MAX_CONTENT_BLOCKS = 1_000;

export const getPageConfig = z.strictObject({
  credentialId: credentialIdField,
  pageId: notionIdField('page'),
  includeContent: z.boolean().default(false).describe("Also read the page's text (its top-level blocks)"),
});

export const getPageOutput = pageOutput.extend({ content: z.string().optional(), contentTruncated: z.boolean().optional() });

/** Reads a page: its properties as plain values and, if asked, its text. */
export const notionGetPageNode = defineNode({
  type: 'notion.get_page',
  version: 1,
  title: 'Notion: get page',
  description: "Reads a Notion page's properties and, optionally, its text.",
  keywords: ["get the page", "read the page", "page content"],
  examples: [
    { text: "Read the Notion page's text" },
  ],
  category: 'integration',
  kind: 'action',
  config: getPageConfig,
  output: getPageOutput,
  credential: { provider: notionSpec.service },
  async run(ctx) {
    const call = notionServiceCall(ctx);
    const pageId = requireNotionId(ctx.config.pageId, 'pageId');
    const target = { what: `page ${pageId}`, capability: 'read content' };
    const page = await notionApi(call, target, (client) => client.pages.retrieve({ page_id: pageId }));
    const output = toPageOutput(page);
    if (!ctx.config.includeContent) return { output };
    const blocks: unknown[] = [];
    let cursor: string | undefined;
    let more = true;
    while (more && blocks.length < MAX_CONTENT_BLOCKS) {
      const res = await notionApi(call, target, (client) => client.blocks.children.list({ block_id: pageId, page_size: 100, ...(cursor ? { start_cursor: cursor } : {}) }));
      blocks.push(...res.results);
      more = res.has_more && res.next_cursor !== null;
      cursor = res.next_cursor ?? undefined;
    }
    const truncated = more || blocks.length > MAX_CONTENT_BLOCKS;
    return { output: { ...output, content: blocksToText(blocks.slice(0, MAX_CONTENT_BLOCKS)), ...(truncated ? { contentTruncated: true } : {}) } };
  },
});
