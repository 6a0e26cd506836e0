import type { UpdatePageParameters } from '@notionhq/client';
import { z } from 'zod';
import { defineNode } from '../../contract/index.ts';
import { credentialIdField } from '../framework/index.ts';
import { appendContent } from './append-content.ts';
import { notionApi, notionServiceCall, withNotion } from './call-notion.ts';
import { contentField, notionIdField, propertiesField } from './fields.ts';
import { markdownToBlocks } from './markdown.ts';
import { pageOutput, toPageOutput } from './page-output.ts';
import { toPropertyValues, type PropertySchemas } from './properties.ts';
import { requireNotionId, resolveDataSource } from './resolve-data-source.ts';
import { notionSpec } from './spec.ts';

export const updatePageConfig = z.strictObject({
  credentialId: credentialIdField,
  pageId: notionIdField('page'),
  properties: propertiesField.default({}),
  appendContent: contentField.optional().describe('Markdown appended at the end of the page'),
});

/** A page outside any database has one property, its title. */
const PLAIN_PAGE_SCHEMA: PropertySchemas = { title: { id: 'title', name: 'title', type: 'title' } };

/** Changes a page's properties (converted by its database's schema) and may append content. */
export const notionUpdatePageNode = defineNode({
  type: 'notion.update_page',
  version: 1,
  title: 'Notion: update page',
  description: "Updates a Notion page's properties and can append markdown content.",
  keywords: ["update the page", "update notion", "change the page"],
  examples: [
    { text: "Update the Notion page's status" },
  ],
  category: 'integration',
  kind: 'action',
  config: updatePageConfig,
  output: pageOutput,
  credential: { provider: notionSpec.service },
  async run(ctx) {
    const call = notionServiceCall(ctx);
    const pageId = requireNotionId(ctx.config.pageId, 'pageId');
    const { properties, appendContent: content } = ctx.config;
    let page = await notionApi(call, { what: `page ${pageId}`, capability: 'read content' }, (client) => client.pages.retrieve({ page_id: pageId }));
    if (Object.keys(properties).length > 0) {
      const parent = 'parent' in page ? (page.parent as { type?: string; data_source_id?: string }) : undefined;
      const schemas = parent?.type === 'data_source_id' && parent.data_source_id
        ? (await withNotion(call, (client) => resolveDataSource(client, parent.data_source_id!, 'pageId'))).properties
        : PLAIN_PAGE_SCHEMA;
      const values = toPropertyValues(schemas, properties);
      page = await notionApi(call, { what: `page ${pageId}`, capability: 'update content' }, (client) =>
        client.pages.update({ page_id: pageId, properties: values as UpdatePageParameters['properties'] }),
      );
    }
    if (content) {
      const blocks = markdownToBlocks(content);
      // The properties were already saved: a failed append must not be retried as a whole.
      if (blocks.length > 0) await appendContent(call, pageId, blocks, Object.keys(properties).length > 0 ? { alreadyDone: `the properties of page ${pageId} were updated` } : {});
    }
    return { output: toPageOutput(page) };
  },
});
