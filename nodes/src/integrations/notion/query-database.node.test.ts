import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NonRetriableNodeError, parseNodeConfig } from '../../contract/index.ts';
import { notionQueryDatabaseNode } from './query-database.node.ts';
import { checkRequests } from './testing/spec-check.ts';
import { requestsTo, runNotionNode, startKit, type Kit } from './testing/notion-test-kit.ts';

let kit: Kit;
beforeEach(async () => {
  kit = await startKit();
  for (let i = 0; i < 250; i += 1) kit.fake.addPage(kit.dataSourceId, { Name: [{ text: { content: `Task ${i}` } }], Points: i });
});
afterEach(async () => {
  expect(checkRequests(kit.fake.requests)).toEqual([]);
  await kit.fake.close();
});

const run = (config: Record<string, unknown>) => runNotionNode(kit.fake, notionQueryDatabaseNode, config);
const queries = () => requestsTo(kit.fake, 'POST', /\/query$/).map((r) => r.body as Record<string, unknown>);

describe('notion.query_database', () => {
  it('follows the cursor through every page up to the limit', async () => {
    const { output } = await run({ databaseId: kit.databaseId, limit: 230 });
    expect(output.count).toBe(230);
    expect(output.hasMore).toBe(true);
    const results = output.results as { properties: Record<string, unknown> }[];
    expect(results[0]!.properties).toMatchObject({ Name: 'Task 0', Points: 0, Done: false, Tags: [] });
    expect(results[229]!.properties.Name).toBe('Task 229');
    expect(queries().map((q) => [q.page_size, q.start_cursor !== undefined])).toEqual([
      [100, false],
      [100, true],
      [30, true],
    ]);
  });

  it('returns everything when the limit is above the count, with hasMore false', async () => {
    const { output } = await run({ databaseId: kit.databaseId, limit: 1000 });
    expect(output).toMatchObject({ count: 250, hasMore: false });
    expect(queries()).toHaveLength(3);
  });

  it('sends the filter and sorts as given, also from JSON text', async () => {
    const filter = { and: [{ property: 'Done', checkbox: { equals: false } }, { property: 'Points', number: { greater_than: 2 } }] };
    const sorts = [{ property: 'Points', direction: 'descending' }];
    await run({ databaseId: kit.dataSourceId, filter, sorts, limit: 5 });
    await run({ databaseId: kit.dataSourceId, filter: JSON.stringify(filter), sorts: JSON.stringify(sorts), limit: 5 });
    expect(queries()).toEqual([
      { filter, sorts, page_size: 5 },
      { filter, sorts, page_size: 5 },
    ]);
  });

  it('refuses a filter that is not JSON, naming the field', () => {
    expect(() => parseNodeConfig(notionQueryDatabaseNode, { databaseId: 'x', filter: '{ nope' })).toThrow('at filter: must be a Notion filter object (JSON)');
    expect(() => parseNodeConfig(notionQueryDatabaseNode, { databaseId: 'x', limit: 0 })).toThrow(NonRetriableNodeError);
    expect(() => parseNodeConfig(notionQueryDatabaseNode, { databaseId: 'x', limit: 10_001 })).toThrow('limit');
  });
});
