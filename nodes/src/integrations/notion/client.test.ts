import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NonRetriableNodeError } from '../../contract/index.ts';
import { testCredential } from '../framework/testing/test-context.ts';
import { guardedNotionFetch, notionClient } from './client.ts';
import { notionTestCall, SECRET, startKit, type Kit } from './testing/notion-test-kit.ts';

let kit: Kit;
beforeEach(async () => {
  kit = await startKit();
});
afterEach(async () => {
  await kit.fake.close();
});

describe('notion client', () => {
  it('sends the secret only to the configured API origin', async () => {
    let called = 0;
    const call = { ...notionTestCall(kit.fake), fetch: (async () => {
      called += 1;
      return new Response('{}');
    }) as typeof fetch };
    const f = guardedNotionFetch(call);
    await expect(f('https://evil.example/v1/users/me', { headers: { authorization: `Bearer ${SECRET}` } })).rejects.toBeInstanceOf(NonRetriableNodeError);
    await expect(f('https://user:pw@api.notion.com/v1/users/me')).rejects.toThrow('only sent to the Notion API host');
    expect(called).toBe(0);
    await f('https://api.notion.com/v1/users/me');
    await f(`${kit.fake.url}/v1/users/me`);
    expect(called).toBe(2);
  });

  it("uses the operator's base URL with Notion-Version 2025-09-03 and SDK retries off", async () => {
    kit.fake.rateLimitNext(1);
    await expect(notionClient(notionTestCall(kit.fake)).users.me({})).rejects.toMatchObject({ status: 429 });
    // One request: the SDK did not retry on its own (the engine does, honouring Retry-After).
    expect(kit.fake.requests).toHaveLength(1);
    expect(kit.fake.requests[0]!.headers['notion-version']).toBe('2025-09-03');
  });

  it('passes the run signal, so a cancelled run stops the request', async () => {
    const controller = new AbortController();
    controller.abort();
    const call = { ...notionTestCall(kit.fake), signal: controller.signal, credential: testCredential({ provider: 'notion', secret: SECRET }) };
    await expect(notionClient(call).users.me({})).rejects.toThrow();
    expect(kit.fake.requests).toHaveLength(0);
  });
});
