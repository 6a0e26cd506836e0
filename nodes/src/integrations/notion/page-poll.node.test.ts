// notion.page_added and notion.page_updated polling through @notionhq/client against the fake
// Notion (timestamp filter + timestamp sort, times rounded to the minute as Notion answers them).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialRejectedError, RetryAfterNodeError } from '../../contract/index.ts';
import type { PollTrigger } from '../framework/index.ts';
import { findPoll } from '../registry.ts';
import { notionPageAddedPoll } from './page-added.trigger.ts';
import { MAX_PER_POLL } from './page-poll.ts';
import { notionPageUpdatedPoll } from './page-updated.trigger.ts';
import { checkRequests } from './testing/spec-check.ts';
import { notionTestCall, requestsTo, startKit, type Kit } from './testing/notion-test-kit.ts';

let kit: Kit;
beforeEach(async () => {
  kit = await startKit();
});
afterEach(async () => {
  expect(checkRequests(kit.fake.requests)).toEqual([]);
  await kit.fake.close();
});

const page = (name: string) => kit.fake.addPage(kit.dataSourceId, { Name: [{ text: { content: name } }], Points: 1 });
const queries = () => requestsTo(kit.fake, 'POST', /\/query$/).map((r) => r.body as Record<string, unknown>);

async function pollAll(poll: PollTrigger, config: unknown, cursor: string, seen = new Set<string>(), secret?: string) {
  const out = await poll.poll(notionTestCall(kit.fake, secret), { config, cursor, seen });
  for (const i of out.items) seen.add(i.id);
  return { ...out, ids: out.items.map((i) => i.id), seen };
}

describe('notion.page_added polling', () => {
  it('reports pages added after activation once, in order, with plain property values', async () => {
    page('before 1');
    page('before 2');
    const config = { databaseId: kit.databaseId };
    const { cursor } = await notionPageAddedPoll.start(notionTestCall(kit.fake), { config });
    expect(queries()[0]).toEqual({ sorts: [{ timestamp: 'created_time', direction: 'descending' }], page_size: 100 });
    // Same minute as the pages before activation (Notion's precision): still new, still once.
    const a = page('A');
    const b = page('B');
    const first = await pollAll(notionPageAddedPoll, config, cursor);
    expect(first.ids).toEqual([a, b]);
    expect(first.items[0]!.payload).toMatchObject({ id: a, createdTime: '2025-01-01T00:00:00.000Z', properties: { Name: 'A', Points: 1, Done: false } });
    expect(queries().at(-1)).toMatchObject({ filter: { timestamp: 'created_time', created_time: { on_or_after: expect.any(String) } }, sorts: [{ timestamp: 'created_time', direction: 'ascending' }] });
    expect((await pollAll(notionPageAddedPoll, config, first.cursor, first.seen)).ids).toEqual([]);
    // An hour later: the query asks from the cursor's window (3 minutes before its time); only C is new.
    kit.fake.advanceClock(3_600_000);
    const c = page('C');
    const later = await pollAll(notionPageAddedPoll, config, first.cursor);
    expect(later.ids).toEqual([c]);
    expect((queries().at(-1)!.filter as { created_time: { on_or_after: string } }).created_time.on_or_after).toBe('2024-12-31T23:57:00.000Z');
    // The resolved data source is kept in the cursor: one databases.retrieve at start only.
    expect(requestsTo(kit.fake, 'GET', /^\/v1\/databases\//)).toHaveLength(1);
  });

  it('a burst in one minute is split over polls: none lost, none twice', async () => {
    const config = { databaseId: kit.databaseId };
    const { cursor: start } = await notionPageAddedPoll.start(notionTestCall(kit.fake), { config });
    const ids = Array.from({ length: MAX_PER_POLL * 2 + 20 }, (_, i) => page(`P${i}`));
    let cursor = start;
    const seen = new Set<string>();
    const got: string[] = [];
    for (let i = 0; i < 4; i++) {
      const out = await pollAll(notionPageAddedPoll, config, cursor, seen);
      if (i === 0) expect(out.note).toMatch(/rest follow/);
      got.push(...out.ids);
      cursor = out.cursor;
    }
    expect(got).toEqual(ids);
  });

  it('a refused secret is a rejected credential, a 429 is retried later; a bad database id names the field', async () => {
    const config = { databaseId: kit.databaseId };
    const { cursor } = await notionPageAddedPoll.start(notionTestCall(kit.fake), { config });
    await expect(notionPageAddedPoll.poll(notionTestCall(kit.fake, 'ntn_revoked'), { config, cursor, seen: new Set() })).rejects.toBeInstanceOf(CredentialRejectedError);
    kit.fake.rateLimitNext(5, { path: /\/query$/ });
    await expect(notionPageAddedPoll.poll(notionTestCall(kit.fake), { config, cursor, seen: new Set() })).rejects.toBeInstanceOf(RetryAfterNodeError);
    const a = page('after');
    expect((await pollAll(notionPageAddedPoll, config, cursor)).ids).toEqual([a]);
    expect(() => notionPageAddedPoll.intervalMs({ databaseId: 'not an id' })).toThrow(/databaseId/);
    expect(notionPageAddedPoll.intervalMs({ databaseId: kit.databaseId, intervalMinutes: 2 })).toBe(120_000);
    expect(findPoll('notion.page_added')?.integration.service).toBe('notion');
  });
});

describe('notion.page_updated polling', () => {
  it('reports each edit (page@last_edited_time); an unchanged page none, a later edit again', async () => {
    const p = page('Doc');
    const config = { databaseId: kit.databaseId };
    const { cursor } = await notionPageUpdatedPoll.start(notionTestCall(kit.fake), { config });
    expect((await pollAll(notionPageUpdatedPoll, config, cursor)).ids).toEqual([]);
    kit.fake.advanceClock(120_000);
    kit.fake.touchPage(p);
    const first = await pollAll(notionPageUpdatedPoll, config, cursor);
    expect(first.ids).toEqual([`${p}@2025-01-01T00:02:00.000Z`]);
    expect(first.items[0]!.payload).toMatchObject({ id: p, lastEditedTime: '2025-01-01T00:02:00.000Z', properties: { Name: 'Doc' } });
    expect((await pollAll(notionPageUpdatedPoll, config, first.cursor, first.seen)).ids).toEqual([]);
    kit.fake.advanceClock(60_000);
    kit.fake.touchPage(p);
    expect((await pollAll(notionPageUpdatedPoll, config, first.cursor, first.seen)).ids).toEqual([`${p}@2025-01-01T00:03:00.000Z`]);
  });
});
