import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialRejectedError, RetryAfterNodeError } from '../../contract/index.ts';
import { findIntegration, findOptionList } from '../registry.ts';
import { notionIdentity } from './identity.ts';
import { notionIntegration } from './index.ts';
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

describe('notion integration', () => {
  it('is registered with its host, credential kinds and every action', () => {
    expect(findIntegration('notion')).toBe(notionIntegration);
    expect(notionIntegration.apiHosts).toEqual(['api.notion.com']);
    expect(notionIntegration.defaultBaseUrl).toBe('https://api.notion.com');
    expect(notionIntegration.nodes.map((n) => n.type).sort()).toEqual(['notion.append_blocks', 'notion.archive_page', 'notion.create_page', 'notion.get_page', 'notion.page_added', 'notion.page_updated', 'notion.query_database', 'notion.update_page']);
    expect(notionIntegration.oauth).toMatchObject({ clientAuth: 'client_secret_basic', authorizationParams: { owner: 'user' }, pkce: false });
    expect(notionIntegration.oauth!.labelFrom!({ access_token: 'x', workspace_name: 'Acme' })).toBe('Notion: Acme');
    expect(notionIntegration.oauth!.labelFrom!({ access_token: 'x' })).toBeUndefined();
  });
});

describe('notion identity (users.me)', () => {
  it('names the workspace and bot', async () => {
    const bot = kit.fake.addToken('ntn_identity_secret_value_x', { botId: '99999999-2222-4333-8444-555555555555' });
    await expect(notionIdentity(notionTestCall(kit.fake, 'ntn_identity_secret_value_x'))).resolves.toEqual({ name: 'Fake workspace / Keyflow test bot', accountId: bot.botId });
  });

  it('rejects a revoked secret with CredentialRejectedError, and a rate limit with its delay', async () => {
    await expect(notionIdentity(notionTestCall(kit.fake, 'ntn_revoked_secret_value'))).rejects.toBeInstanceOf(CredentialRejectedError);
    kit.fake.rateLimitNext(2);
    const err = await notionIdentity(notionTestCall(kit.fake)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryAfterNodeError);
    expect((err as RetryAfterNodeError).retryAfterMs).toBe(2000);
  });
});

describe('notion options', () => {
  it('lists the databases the integration can see, paginated, filtered by search', async () => {
    for (let i = 0; i < 120; i += 1) kit.fake.addDatabase(`Project ${i}`, [{ name: 'Name', type: 'title' }]);
    const hidden = kit.fake.addDatabase('Secret plans', [{ name: 'Name', type: 'title' }]);
    kit.fake.addToken('ntn_partial_secret_value_1', { shared: new Set([kit.databaseId]) });
    const list = findOptionList('notion.create_page', 'databases')!.list.list;
    const first = await list(notionTestCall(kit.fake), { params: {} });
    expect(first.items).toHaveLength(100);
    expect(first.items[0]).toEqual({ value: kit.dataSourceId, label: 'Tasks', meta: { databaseId: kit.databaseId } });
    const second = await list(notionTestCall(kit.fake), { params: {}, cursor: first.nextCursor! });
    expect(second.items).toHaveLength(22);
    expect(second.nextCursor).toBeUndefined();
    const searched = await list(notionTestCall(kit.fake), { params: {}, search: 'secret' });
    expect(searched.items.map((i) => i.value)).toEqual([hidden.dataSourceIds[0]]);
    const partial = await list(notionTestCall(kit.fake, 'ntn_partial_secret_value_1'), { params: {} });
    expect(partial.items.map((i) => i.label)).toEqual(['Tasks']);
    expect(requestsTo(kit.fake, 'POST', /^\/v1\/search$/)[0]!.body).toEqual({ filter: { property: 'object', value: 'data_source' }, page_size: 100 });
  });

  it("lists a database's properties with their types and options, one field each", async () => {
    const list = findOptionList('notion.create_page', 'properties')!;
    expect(list.integration).toBe(notionIntegration);
    expect(list.list.dependsOn).toEqual(['databaseId']);
    const { items } = await list.list.list(notionTestCall(kit.fake), { params: { databaseId: kit.databaseId } });
    expect(items.map((i) => i.label)).toEqual([
      'Name (title)', 'Notes (rich_text)', 'Points (number)', 'Kind (select)', 'Tags (multi_select)', 'Stage (status)', 'Due (date)', 'Done (checkbox)', 'Link (url)', 'Owner email (email)', 'Owner (people)', 'Related (relation)', 'Score (formula)',
    ]);
    expect(items.find((i) => i.value === 'Stage')!.meta).toEqual({ id: 'p5', type: 'status', writable: true, expected: 'a status name', options: 'Not started, In progress, Done' });
    expect(items.find((i) => i.value === 'Score')!.meta).toMatchObject({ writable: false, expected: null });
  });

  it('names a missing databaseId', async () => {
    const list = findOptionList('notion.update_page', 'properties')!.list.list;
    await expect(list(notionTestCall(kit.fake), { params: {} })).rejects.toThrow('databaseId must be a Notion id');
  });
});
