import { z } from 'zod';
import { defineNode, NonRetriableNodeError } from '../../contract/index.ts';
import { credentialIdField } from '../framework/index.ts';
import { appendContent } from './append-content.ts';
import { notionServiceCall } from './call-notion.ts';
import { contentField, notionIdField } from './fields.ts';
import { markdownToBlocks } from './markdown.ts';
import { requireNotionId } from './resolve-data-source.ts';
import { notionSpec } from './spec.ts';

export const appendBlocksConfig = z.strictObject({
  credentialId: credentialIdField,
  blockId: notionIdField('page or block'),
  content: contentField.min(1, 'required'),
  after: z.string().trim().max(500).optional().describe('Insert after this block id instead of at the end'),
});

export const appendBlocksOutput = z.object({ blockIds: z.array(z.string()), count: z.int() });

/** Appends markdown content to a page (or under a block), 100 blocks per request. */
export const notionAppendBlocksNode = defineNode({
  type: 'notion.append_blocks',
  version: 1,
  title: 'Notion: append content',
  description: 'Adds markdown content (headings, lists, code, links…) to a Notion page.',
  keywords: ["append", "add content", "add notes", "write to the page"],
  examples: [
    { text: "Append the meeting notes to the Notion page" },
  ],
  category: 'integration',
  kind: 'action',
  config: appendBlocksConfig,
  output: appendBlocksOutput,
  credential: { provider: notionSpec.service },
  async run(ctx) {
    const call = notionServiceCall(ctx);
    const blockId = requireNotionId(ctx.config.blockId, 'blockId');
    const after = ctx.config.after ? requireNotionId(ctx.config.after, 'after') : undefined;
    const blocks = markdownToBlocks(ctx.config.content);
    if (blocks.length === 0) throw new NonRetriableNodeError('content has no text to append', { details: { field: 'content' } });
    const { blockIds } = await appendContent(call, blockId, blocks, after ? { after } : {});
    return { output: { blockIds, count: blockIds.length } };
  },
});
