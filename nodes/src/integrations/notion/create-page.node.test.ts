import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NonRetriableNodeError, parseNodeConfig } from '../../contract/index.ts';
import { defaultRegistry } from '../../index.ts';
import { notionCreatePageNode } from './create-page.node.ts';
import { checkRequests } from './testing/spec-check.ts';
import { requestsTo, runNotionNode, SECRET, startKit, type Kit } from './testing/notion-test-kit.ts';

let kit: Kit;
beforeEach(async () => {
  kit = await startKit();
});
afterEach(async () => {
  // Every request any test made must fit Notion's spec.
  expect(checkRequests(kit.fake.requests)).toEqual([]);
  await kit.fake.close();
});

const USER = '6a1f0c1e-2b3d-4c5e-8f90-1a2b3c4d5e6f';
const run = (config: Record<string, unknown>, opts?: Parameters<typeof runNotionNode>[3]) => runNotionNode(kit.fake, notionCreatePageNode, config, opts);

describe('notion.create_page', () => {
  it('is registered with the pinned config and output shape', () => {
    expect(defaultRegistry.get('notion.create_page', 1)).toBe(notionCreatePageNode);
    expect(parseNodeConfig(notionCreatePageNode, { databaseId: 'x' })).toEqual({ databaseId: 'x', properties: {} });
    expect(() => parseNodeConfig(notionCreatePageNode, { databaseId: 'x', secret: 'y' })).toThrow('secret');
  });

  it('creates a page in a database, converting every property by its type, with the owner secret', async () => {
    const related = kit.fake.addPage(kit.dataSourceId);
    const { output } = await run({
      databaseId: kit.databaseId,
      properties: {
        Name: 'Ship it',
        Notes: 'from Keyflow',
        Points: '3',
        Kind: 'Bug',
        Tags: 'ops, urgent',
        Stage: 'In progress',
        Due: '2025-02-01',
        Done: false,
        Link: 'https://example.com/t/1',
        'Owner email': 'ada@example.com',
        Owner: USER,
        Related: [related],
      },
    });
    const page = kit.fake.pages.get(output.id as string)!;
    expect(output).toEqual({ id: page.id, url: `https://www.notion.so/${page.id.replace(/-/g, '')}` });
    const [create] = requestsTo(kit.fake, 'POST', /^\/v1\/pages$/);
    expect(create!.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(create!.headers['notion-version']).toBe('2025-09-03');
    expect(create!.body).toEqual({
      parent: { type: 'data_source_id', data_source_id: kit.dataSourceId },
      properties: {
        Name: { title: [{ type: 'text', text: { content: 'Ship it' } }] },
        Notes: { rich_text: [{ type: 'text', text: { content: 'from Keyflow' } }] },
        Points: { number: 3 },
        Kind: { select: { name: 'Bug' } },
        Tags: { multi_select: [{ name: 'ops' }, { name: 'urgent' }] },
        Stage: { status: { name: 'In progress' } },
        Due: { date: { start: '2025-02-01' } },
        Done: { checkbox: false },
        Link: { url: 'https://example.com/t/1' },
        'Owner email': { email: 'ada@example.com' },
        Owner: { people: [{ object: 'user', id: USER }] },
        Related: { relation: [{ id: related }] },
      },
    });
  });

  it('accepts a data source id and a notion.so link as databaseId', async () => {
    await run({ databaseId: kit.dataSourceId, properties: { Name: 'a' } });
    await run({ databaseId: `https://www.notion.so/acme/Tasks-${kit.databaseId.replace(/-/g, '')}?v=1`, properties: { Name: 'b' } });
    const parents = requestsTo(kit.fake, 'POST', /^\/v1\/pages$/).map((r) => (r.body as { parent: unknown }).parent);
    expect(parents).toEqual([
      { type: 'data_source_id', data_source_id: kit.dataSourceId },
      { type: 'data_source_id', data_source_id: kit.dataSourceId },
    ]);
  });

  it('writes markdown content as blocks, sending 100 with the page and appending the rest', async () => {
    const content = '# Report\n\nSome **bold** text.\n\n' + Array.from({ length: 240 }, (_, i) => `- item ${i}`).join('\n');
    const { output } = await run({ databaseId: kit.databaseId, properties: { Name: 'Long' }, content });
    const [create] = requestsTo(kit.fake, 'POST', /^\/v1\/pages$/);
    const children = (create!.body as { children: { type: string }[] }).children;
    expect(children).toHaveLength(100);
    expect(children.slice(0, 2)).toEqual([
      { object: 'block', type: 'heading_1', heading_1: { rich_text: [{ type: 'text', text: { content: 'Report' } }] } },
      { object: 'block', type: 'paragraph', paragraph: { rich_text: [{ type: 'text', text: { content: 'Some ' } }, { type: 'text', text: { content: 'bold' }, annotations: { bold: true } }, { type: 'text', text: { content: ' text.' } }] } },
    ]);
    const appends = requestsTo(kit.fake, 'PATCH', /\/children$/);
    expect(appends.map((r) => (r.body as { children: unknown[] }).children.length)).toEqual([100, 42]);
    expect(kit.fake.children.get(output.id as string)).toHaveLength(242);
  });

  it('refuses a database with several data sources, listing them', async () => {
    const { databaseId, dataSourceIds } = kit.fake.addDatabase('Split', [{ name: 'Name', type: 'title' }], 2);
    const err = await run({ databaseId, properties: { Name: 'x' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonRetriableNodeError);
    expect((err as Error).message).toContain(`has 2 data sources: set databaseId to the one to use`);
    expect((err as Error).message).toContain(dataSourceIds[1]!);
  });

  it('names an unknown property and a bad value before creating anything', async () => {
    await expect(run({ databaseId: kit.databaseId, properties: { Title: 'x' } })).rejects.toThrow("Notion database has no property 'Title'; its properties are: Name, Notes");
    await expect(run({ databaseId: kit.databaseId, properties: { Points: 'many' } })).rejects.toThrow("Notion property 'Points' (number): expected a number");
    await expect(run({ databaseId: kit.databaseId, properties: { Stage: 'Shipped' } })).rejects.toThrow('the statuses are: Not started, In progress, Done');
    expect(requestsTo(kit.fake, 'POST', /^\/v1\/pages$/)).toHaveLength(0);
  });

  it('says which database is missing or not shared', async () => {
    kit.fake.addToken('ntn_unshared_secret_value', { shared: new Set() });
    const err = await run({ databaseId: kit.databaseId, properties: {} }, { secret: 'ntn_unshared_secret_value' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonRetriableNodeError);
    expect((err as Error).message).toBe(
      `Notion: database or data source ${kit.databaseId} was not found or is not shared with this credential (Could not find data_source with ID: ${kit.databaseId}. Make sure the relevant pages and databases are shared with your integration.)`,
    );
  });

  it('refuses a databaseId that is not a Notion id, naming the field', async () => {
    await expect(run({ databaseId: 'my tasks' })).rejects.toThrow('databaseId must be a Notion id');
    expect(kit.fake.requests).toHaveLength(0);
  });

  it('does not retry when the appended content fails after the page exists', async () => {
    const content = Array.from({ length: 150 }, (_, i) => `- ${i}`).join('\n');
    kit.fake.failNext({ method: 'PATCH', path: /\/children$/, status: 503, code: 'service_unavailable', message: 'Notion is unavailable.' });
    const err = await run({ databaseId: kit.databaseId, properties: { Name: 'x' }, content }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonRetriableNodeError);
    expect((err as Error).message).toMatch(/^Notion: page https:\/\/www\.notion\.so\/[0-9a-f]{32} was created, then adding the rest failed \(not retried, to avoid duplicates\)/);
    expect(kit.fake.pages.size).toBe(1);
  });
});
