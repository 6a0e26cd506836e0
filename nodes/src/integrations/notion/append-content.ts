// Appends blocks under a page or block in requests of at most 100 (Notion's limit). A later
// chunk failing after earlier ones landed must not be retried as a whole (the retry would
// duplicate them), so that failure is reported as final, saying how far it got.
import type { BlockObjectRequest } from '@notionhq/client';
import { NodeError, NonRetriableNodeError } from '../../contract/index.ts';
import type { ServiceCall } from '../framework/index.ts';
import { notionApi } from './call-notion.ts';
import { chunkBlocks, type NotionBlock } from './markdown.ts';

export interface AppendResult {
  blockIds: string[];
}

/**
 * Appends `blocks` under `parentId` (after block `after`, else at the end). `alreadyDone`
 * describes work that happened before (e.g. "page … was created"), which also makes the first
 * chunk's failure final.
 */
export async function appendContent(call: ServiceCall, parentId: string, blocks: readonly NotionBlock[], opts: { after?: string; alreadyDone?: string } = {}): Promise<AppendResult> {
  const blockIds: string[] = [];
  let after = opts.after;
  for (const chunk of chunkBlocks(blocks)) {
    try {
      const res = await notionApi(call, { what: `page or block ${parentId}`, capability: 'insert content' }, (client) =>
        client.blocks.children.append({ block_id: parentId, children: chunk as unknown as BlockObjectRequest[], ...(after ? { after } : {}) }),
      );
      const ids = res.results.map((b) => b.id);
      blockIds.push(...ids);
      // The response lists the appended blocks first; keep the order for the next chunk.
      if (after !== undefined) after = ids[chunk.length - 1] ?? after;
    } catch (err) {
      if (blockIds.length === 0 && !opts.alreadyDone) throw err;
      const done = [opts.alreadyDone, blockIds.length > 0 ? `${blockIds.length} of ${blocks.length} blocks were appended` : undefined].filter(Boolean).join(' and ');
      const reason = err instanceof Error ? err.message : 'unknown error';
      throw new NonRetriableNodeError(`Notion: ${done}, then adding the rest failed (not retried, to avoid duplicates): ${reason}`, {
        cause: err,
        details: { parentId, appendedBlocks: blockIds.length, totalBlocks: blocks.length, ...(err instanceof NodeError ? err.details : {}) },
      });
    }
  }
  return { blockIds };
}
