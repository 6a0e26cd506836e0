// The fake against the official SDK and the spec: the wire format tests rely on.
import { APIResponseError, Client } from '@notionhq/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkRequest, checkRequests } from './spec-check.ts';
import { SECRET, startKit, type Kit } from './notion-test-kit.ts';

let kit: Kit;
const sdk = (auth = SECRET) => new Client({ auth, baseUrl: kit.fake.url, retry: false, logger: () => {} });

beforeEach(async () => {
  kit = await startKit();
});
afterEach(async () => {
  await kit.fake.close();
});

async function failure(p: Promise<unknown>): Promise<APIResponseError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(APIResponseError.isAPIResponseError(err)).toBe(true);
  return err as APIResponseError;
}

describe('fake Notion', () => {
  it('answers Notion error objects: 401 for an unknown secret', async () => {
    const err = await failure(sdk('ntn_wrong').users.me({}));
    expect(err).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(JSON.parse(err.body)).toMatchObject({ object: 'error', status: 401, code: 'unauthorized', message: 'API token is invalid.' });
  });

  it('answers 404 object_not_found for a database not shared with the integration', async () => {
    kit.fake.addToken('ntn_other', { shared: new Set() });
    const err = await failure(sdk('ntn_other').databases.retrieve({ database_id: kit.databaseId }));
    expect(err).toMatchObject({ status: 404, code: 'object_not_found' });
    expect(err.message).toContain('shared with your integration');
  });

  it('answers 403 restricted_resource without the insert capability', async () => {
    kit.fake.addToken('ntn_readonly', { capabilities: { insert: false } });
    const err = await failure(sdk('ntn_readonly').pages.create({ parent: { data_source_id: kit.dataSourceId }, properties: {} }));
    expect(err).toMatchObject({ status: 403, code: 'restricted_resource' });
  });

  it('answers 429 rate_limited with Retry-After, once', async () => {
    kit.fake.rateLimitNext(7);
    const err = await failure(sdk().users.me({}));
    expect(err).toMatchObject({ status: 429, code: 'rate_limited' });
    expect((err.headers as Headers).get('retry-after')).toBe('7');
    await expect(sdk().users.me({})).resolves.toMatchObject({ object: 'user', type: 'bot' });
  });

  it('refuses a request without Notion-Version', async () => {
    const res = await fetch(`${kit.fake.url}/v1/users/me`, { headers: { authorization: `Bearer ${SECRET}` } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ object: 'error', code: 'missing_version' });
  });

  it('refuses over 100 children and text over 2000 characters with validation_error', async () => {
    const para = (content: string) => ({ paragraph: { rich_text: [{ text: { content } }] } });
    const page = kit.fake.addPage(kit.dataSourceId);
    const tooMany = await failure(sdk().blocks.children.append({ block_id: page, children: Array.from({ length: 101 }, () => para('x')) }));
    expect(tooMany).toMatchObject({ status: 400, code: 'validation_error' });
    expect(tooMany.message).toContain('body.children.length should be ≤ `100`, instead was `101`');
    const tooLong = await failure(sdk().blocks.children.append({ block_id: page, children: [para('y'.repeat(2001))] }));
    expect(tooLong.message).toContain('text.content.length should be ≤ `2000`');
  });

  it('pages through query results with has_more and next_cursor', async () => {
    for (let i = 0; i < 5; i += 1) kit.fake.addPage(kit.dataSourceId, { Name: [{ text: { content: `t${i}` } }] });
    const first = await sdk().dataSources.query({ data_source_id: kit.dataSourceId, page_size: 2 });
    expect(first.results).toHaveLength(2);
    expect(first.has_more).toBe(true);
    const second = await sdk().dataSources.query({ data_source_id: kit.dataSourceId, page_size: 100, start_cursor: first.next_cursor! });
    expect(second.results).toHaveLength(3);
    expect(second).toMatchObject({ has_more: false, next_cursor: null });
  });

  it('records requests that fit the spec', async () => {
    await sdk().users.me({});
    await sdk().dataSources.query({ data_source_id: kit.dataSourceId, sorts: [{ property: 'Due', direction: 'ascending' }] });
    expect(kit.fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/users/me', `POST /v1/data_sources/${kit.dataSourceId}/query`]);
    expect(kit.fake.requests[0]!.headers['notion-version']).toBe('2025-09-03');
    expect(checkRequests(kit.fake.requests)).toEqual([]);
  });
});

describe('spec check', () => {
  const base = { query: {}, headers: { authorization: 'Bearer x', 'notion-version': '2025-09-03' } };
  it.each([
    ['an unknown operation', { ...base, method: 'DELETE', path: '/v1/pages/abc', body: undefined }, 'no such operation'],
    ['a sort without direction', { ...base, method: 'POST', path: '/v1/data_sources/abc/query', body: { sorts: [{ property: 'Due' }] } }, 'body.sorts[0]: fits 0 of the allowed shapes'],
    ['a timestamp sort on an unknown timestamp', { ...base, method: 'POST', path: '/v1/data_sources/abc/query', body: { sorts: [{ timestamp: 'edited', direction: 'ascending' }] } }, 'body.sorts[0]: fits 0 of the allowed shapes'],
    ['a search filter on an unknown object type', { ...base, method: 'POST', path: '/v1/search', body: { filter: { property: 'object', value: 'database' } } }, 'is not one of'],
    ['append without children', { ...base, method: 'PATCH', path: '/v1/blocks/abc/children', body: {} }, 'body.children: required'],
    ['a page without properties', { ...base, method: 'POST', path: '/v1/pages', body: { parent: { page_id: 'x' } } }, 'body.properties: required'],
    ['a missing Notion-Version', { query: {}, headers: { authorization: 'Bearer x' }, method: 'GET', path: '/v1/users/me', body: undefined }, 'Notion-Version header missing'],
    ['a page_size that is not a number', { ...base, method: 'POST', path: '/v1/data_sources/abc/query', body: { page_size: '10' } }, 'body.page_size: expected integer'],
  ])('catches %s', (_name, req, problem) => {
    expect(checkRequest(req).join('\n')).toContain(problem);
  });
});
