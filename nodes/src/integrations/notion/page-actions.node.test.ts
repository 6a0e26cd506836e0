// update_page, get_page, append_blocks and archive_page against the fake.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NonRetriableNodeError } from '../../contract/index.ts';
import { notionAppendBlocksNode } from './append-blocks.node.ts';
import { notionArchivePageNode } from './archive-page.node.ts';
import { notionGetPageNode } from './get-page.node.ts';
import { notionUpdatePageNode } from './update-page.node.ts';
import { checkRequests } from './testing/spec-check.ts';
import { requestsTo, runNotionNode, startKit, type Kit } from './testing/notion-test-kit.ts';

let kit: Kit;
let pageId: string;
beforeEach(async () => {
  kit = await startKit();
  pageId = kit.fake.addPage(kit.dataSourceId, { Name: [{ text: { content: 'Existing' } }], Points: 1 });
});
afterEach(async () => {
  expect(checkRequests(kit.fake.requests)).toEqual([]);
  await kit.fake.close();
});

describe('notion.update_page', () => {
  it("converts the properties by the page's database schema and returns the page as plain values", async () => {
    const { output } = await runNotionNode(kit.fake, notionUpdatePageNode, { pageId, properties: { Points: '8', Stage: 'Done', Due: { start: '2025-05-01', end: '2025-05-03' } } });
    const [patch] = requestsTo(kit.fake, 'PATCH', /^\/v1\/pages\//);
    expect(patch!.body).toEqual({ properties: { Points: { number: 8 }, Stage: { status: { name: 'Done' } }, Due: { date: { start: '2025-05-01', end: '2025-05-03' } } } });
    expect(output).toMatchObject({ id: pageId, archived: false, properties: { Name: 'Existing', Points: 8, Stage: 'Done', Due: { start: '2025-05-01', end: '2025-05-03' } } });
  });

  it('appends markdown content after the properties', async () => {
    await runNotionNode(kit.fake, notionUpdatePageNode, { pageId, properties: { Done: true }, appendContent: '## Log\n- shipped' });
    expect(kit.fake.children.get(pageId)!.map((b) => b.type)).toEqual(['heading_2', 'bulleted_list_item']);
  });

  it('names the property when a value does not fit, before writing', async () => {
    await expect(runNotionNode(kit.fake, notionUpdatePageNode, { pageId, properties: { Done: 'maybe' } })).rejects.toThrow("Notion property 'Done' (checkbox): expected true or false");
    expect(requestsTo(kit.fake, 'PATCH', /./)).toHaveLength(0);
  });
});

describe('notion.get_page', () => {
  it('reads properties and, when asked, all of the text through the cursor', async () => {
    const content = Array.from({ length: 130 }, (_, i) => `- line ${i}`).join('\n');
    await runNotionNode(kit.fake, notionAppendBlocksNode, { blockId: pageId, content: `# Title\n${content}` });
    const { output } = await runNotionNode(kit.fake, notionGetPageNode, { pageId, includeContent: true });
    expect(output.properties).toMatchObject({ Name: 'Existing', Points: 1 });
    const text = output.content as string;
    expect(text.split('\n')).toHaveLength(131);
    expect(text.startsWith('# Title\n- line 0\n')).toBe(true);
    expect(text.endsWith('- line 129')).toBe(true);
    expect(requestsTo(kit.fake, 'GET', /\/children$/).map((r) => r.query.start_cursor !== undefined)).toEqual([false, true]);
  });

  it('does not read content unless asked', async () => {
    const { output } = await runNotionNode(kit.fake, notionGetPageNode, { pageId });
    expect(output.content).toBeUndefined();
    expect(requestsTo(kit.fake, 'GET', /\/children$/)).toHaveLength(0);
  });
});

describe('notion.append_blocks', () => {
  it('appends in order in chunks of 100, chaining `after` so the order holds', async () => {
    const first = kit.fake.children.get(pageId)!;
    const { output: a } = await runNotionNode(kit.fake, notionAppendBlocksNode, { blockId: pageId, content: 'start\n\nend' });
    const startId = (a.blockIds as string[])[0]!;
    expect(first).toHaveLength(2);
    const content = Array.from({ length: 120 }, (_, i) => `${i}. item`).join('\n');
    const { output } = await runNotionNode(kit.fake, notionAppendBlocksNode, { blockId: pageId, content, after: startId });
    expect(output.count).toBe(120);
    const bodies = requestsTo(kit.fake, 'PATCH', /\/children$/).slice(1).map((r) => r.body as { after?: string; children: unknown[] });
    expect(bodies.map((b) => b.children.length)).toEqual([100, 20]);
    expect(bodies[0]!.after).toBe(startId);
    expect(bodies[1]!.after).toBe((output.blockIds as string[])[99]);
  });

  it('refuses content with no text', async () => {
    await expect(runNotionNode(kit.fake, notionAppendBlocksNode, { blockId: pageId, content: '   \n' })).rejects.toThrow(NonRetriableNodeError);
  });

  it('keeps a failure of the first chunk retryable: nothing landed', async () => {
    kit.fake.failNext({ method: 'PATCH', path: /\/children$/, status: 500, code: 'internal_server_error', message: 'boom' });
    const err = await runNotionNode(kit.fake, notionAppendBlocksNode, { blockId: pageId, content: '- a\n- b' }).catch((e: unknown) => e);
    expect((err as NonRetriableNodeError).retryable).toBe(true);
  });

  it('reports how far it got when a later chunk fails, as final (a retry would duplicate)', async () => {
    kit.fake.failNext({ method: 'PATCH', path: /\/children$/, skip: 1, status: 500, code: 'internal_server_error', message: 'boom' });
    const content = Array.from({ length: 150 }, (_, i) => `- ${i}`).join('\n');
    const err = await runNotionNode(kit.fake, notionAppendBlocksNode, { blockId: pageId, content }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonRetriableNodeError);
    expect((err as Error).message).toBe('Notion: 100 of 150 blocks were appended, then adding the rest failed (not retried, to avoid duplicates): Notion had a server error (HTTP 500): boom');
    expect((err as NonRetriableNodeError).details).toMatchObject({ appendedBlocks: 100, totalBlocks: 150 });
    expect(kit.fake.children.get(pageId)).toHaveLength(100);
  });
});

describe('notion.archive_page', () => {
  it('moves the page to the trash and restores it', async () => {
    const { output } = await runNotionNode(kit.fake, notionArchivePageNode, { pageId });
    expect(output).toEqual({ id: pageId, archived: true });
    expect(kit.fake.pages.get(pageId)!.inTrash).toBe(true);
    const restored = await runNotionNode(kit.fake, notionArchivePageNode, { pageId, archived: false });
    expect(restored.output).toEqual({ id: pageId, archived: false });
    expect(requestsTo(kit.fake, 'PATCH', /^\/v1\/pages\//).map((r) => r.body)).toEqual([{ in_trash: true }, { in_trash: false }]);
  });

  it('says which page is missing', async () => {
    const missing = '11111111-2222-4333-8444-555555555555';
    await expect(runNotionNode(kit.fake, notionArchivePageNode, { pageId: missing })).rejects.toThrow(`Notion: page ${missing} was not found or is not shared with this credential`);
  });
});
