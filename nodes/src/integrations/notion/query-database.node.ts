import type { QueryDataSourceParameters } from '@notionhq/client';
import { z } from 'zod';
import { defineNode, NonRetriableNodeError } from '../../contract/index.ts';
import { credentialIdField } from '../framework/index.ts';
import { notionApi, notionServiceCall, withNotion } from './call-notion.ts';
import { notionIdField } from './fields.ts';
import { pageOutput, toPageOutput, type PageOutput } from './page-output.ts';
import { resolveDataSource } from './resolve-data-source.ts';
import { notionSpec } from './spec.ts';

export const MAX_QUERY_LIMIT = 10_000;

/** Filters and sorts are Notion's own JSON; a text holding JSON (from an expression) is parsed. */
const jsonValue = <T extends z.ZodType>(schema: T, field: string) =>
  z.preprocess((v) => {
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v) as unknown;
    } catch {
      return Symbol.for(`invalid JSON in ${field}`);
    }
  }, schema);

export const queryDatabaseConfig = z.strictObject({
  credentialId: credentialIdField,
  databaseId: notionIdField('database (or data source)'),
  filter: jsonValue(z.record(z.string(), z.unknown(), 'must be a Notion filter object (JSON)'), 'filter').optional().describe('A Notion filter object, e.g. { "property": "Done", "checkbox": { "equals": false } }'),
  sorts: jsonValue(z.array(z.record(z.string(), z.unknown()), 'must be a list of Notion sort objects (JSON)').max(100), 'sorts').optional().describe('Notion sort objects, e.g. [{ "property": "Due", "direction": "ascending" }]'),
  limit: z.int().min(1).max(MAX_QUERY_LIMIT).default(100).describe('Most pages returned (all pages are followed through the cursor up to this)'),
});

export const queryDatabaseOutput = z.object({ results: z.array(pageOutput), count: z.int(), hasMore: z.boolean() });

/** Queries a database's pages with Notion's filter and sorts, following the cursor up to `limit`. */
export const notionQueryDatabaseNode = defineNode({
  type: 'notion.query_database',
  version: 1,
  title: 'Notion: query database',
  description: 'Lists the pages of a Notion database matching a filter, in the given order.',
  keywords: ["query the database", "fetch from notion", "posts from a notion database", "list pages", "from notion", "notion database"],
  examples: [
    { text: "Fetch the posts from a Notion database" },
  ],
  category: 'integration',
  kind: 'action',
  config: queryDatabaseConfig,
  output: queryDatabaseOutput,
  credential: { provider: notionSpec.service },
  timeoutMs: 300_000,
  async run(ctx) {
    const call = notionServiceCall(ctx);
    const { databaseId, filter, sorts, limit } = ctx.config;
    const source = await withNotion(call, (client) => resolveDataSource(client, databaseId));
    const results: PageOutput[] = [];
    let cursor: string | undefined;
    let more = true;
    while (more && results.length < limit) {
      if (ctx.signal.aborted) throw new NonRetriableNodeError('cancelled');
      const pageSize = Math.min(100, limit - results.length);
      const res = await notionApi(call, { what: `data source ${source.dataSourceId}`, capability: 'read content' }, (client) =>
        client.dataSources.query({
          data_source_id: source.dataSourceId,
          page_size: pageSize,
          ...(filter ? { filter: filter as QueryDataSourceParameters['filter'] } : {}),
          ...(sorts ? { sorts: sorts as QueryDataSourceParameters['sorts'] } : {}),
          ...(cursor ? { start_cursor: cursor } : {}),
        }),
      );
      for (const item of res.results) if (item.object === 'page') results.push(toPageOutput(item));
      more = res.has_more && res.next_cursor !== null;
      cursor = res.next_cursor ?? undefined;
    }
    const kept = results.slice(0, limit);
    return { output: { results: kept, count: kept.length, hasMore: more || results.length > limit } };
  },
});
