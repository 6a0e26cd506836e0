import type { BlockObjectRequest, CreatePageParameters } from '@notionhq/client';
import { z } from 'zod';
import { defineNode } from '../../contract/index.ts';
import { credentialIdField } from '../framework/index.ts';
import { appendContent } from './append-content.ts';
import { notionApi, notionServiceCall, withNotion } from './call-notion.ts';
import { contentField, notionIdField, propertiesField } from './fields.ts';
import { chunkBlocks, markdownToBlocks } from './markdown.ts';
import { toPropertyValues } from './properties.ts';
import { resolveDataSource } from './resolve-data-source.ts';
import { notionSpec } from './spec.ts';

export const createPageConfig = z.strictObject({
  credentialId: credentialIdField,
  databaseId: notionIdField('database (or data source)'),
  properties: propertiesField.default({}),
  content: contentField.optional(),
});

export const createPageOutput = z.object({ id: z.string(), url: z.string() });

/**
 * Creates a page in a database (or one of its data sources), its properties converted by the
 * schema, its content from markdown. Not idempotent at Notion, so only failures before the page
 * exists are retried.
 */
export const notionCreatePageNode = defineNode({
  type: 'notion.create_page',
  version: 1,
  title: 'Notion: create page',
  description: 'Creates a page in a Notion database with properties and markdown content.',
  keywords: ["notion", "add to notion", "create a page", "new page", "notion database", "notion table", "log it", "save it", "add a row"],
  examples: [
    { text: "Add the lead to my Notion database" },
  ],
  category: 'integration',
  kind: 'action',
  config: createPageConfig,
  output: createPageOutput,
  credential: { provider: notionSpec.service },
  retry: { maxAttempts: 4, initialDelayMs: 1_000, maxDelayMs: 60_000 },
  async run(ctx) {
    const call = notionServiceCall(ctx);
    const { databaseId, properties, content } = ctx.config;
    const source = await withNotion(call, (client) => resolveDataSource(client, databaseId));
    const values = toPropertyValues(source.properties, properties);
    const [first = [], ...rest] = chunkBlocks(content ? markdownToBlocks(content) : []);
    const page = await notionApi(call, { what: `data source ${source.dataSourceId}`, capability: 'insert content' }, (client) =>
      client.pages.create({
        parent: { type: 'data_source_id', data_source_id: source.dataSourceId },
        properties: values as CreatePageParameters['properties'],
        ...(first.length > 0 ? { children: first as unknown as BlockObjectRequest[] } : {}),
      }),
    );
    const url = 'url' in page ? page.url : `https://www.notion.so/${page.id.replace(/-/g, '')}`;
    if (rest.length > 0) await appendContent(call, page.id, rest.flat(), { alreadyDone: `page ${url} was created` });
    return { output: { id: page.id, url } };
  },
});
