// Slack's actions against the fake Web API, through @slack/web-api pointed at it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CredentialRejectedError, NodeError, NonRetriableNodeError, parseNodeConfig, RetryAfterNodeError, type AnyNodeDefinition } from '../../contract/index.ts';
import { createIntegrationTestContext, testCredential } from '../framework/testing/test-context.ts';
import { addReactionNode } from './add-reaction.node.ts';
import { deleteMessageNode } from './delete-message.node.ts';
import { findUserNode } from './find-user.node.ts';
import { listChannelsNode } from './list-channels.node.ts';
import { postMessageNode } from './post-message.node.ts';
import { startFakeSlack, type FakeSlack } from './testing/fake-slack.ts';
import { updateMessageNode } from './update-message.node.ts';
import { uploadFileNode } from './upload-file.node.ts';

const GOOD = 'xoxb-1111-good-token-abcdef';
const NO_SCOPES = 'xoxb-2222-no-scopes-abcdef';
const ALL_SCOPES = ['chat:write', 'reactions:write', 'files:write', 'channels:read', 'users:read', 'users:read.email'];

let fake: FakeSlack;

beforeAll(async () => {
  fake = await startFakeSlack();
});
afterAll(async () => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.violations.length = 0;
  fake.uploads.length = 0;
  fake.uploadBase = undefined;
  fake.tokens = new Map([
    [GOOD, ALL_SCOPES],
    [NO_SCOPES, []],
  ]);
  fake.channels = Array.from({ length: 250 }, (_, i) => ({ id: `C${String(i).padStart(4, '0')}`, name: i === 0 ? 'general' : `chan-${i}`, is_member: i < 3 }));
  fake.users = [{ id: 'U0001', name: 'ada', real_name: 'Ada Lovelace', email: 'ada@example.com' }];
});

async function run(def: AnyNodeDefinition, raw: unknown, token = GOOD): Promise<unknown> {
  const config = parseNodeConfig(def, raw);
  const ctx = createIntegrationTestContext(config, { credential: testCredential({ provider: 'slack', secret: token }), baseUrls: { slack: fake.apiUrl } });
  const result = (await (def.run as (c: typeof ctx) => Promise<{ output: unknown }>)(ctx)) as { output: unknown };
  return result.output;
}

async function failure(def: AnyNodeDefinition, raw: unknown, token = GOOD): Promise<NodeError> {
  try {
    await run(def, raw, token);
  } catch (err) {
    expect(err).toBeInstanceOf(NodeError);
    const e = err as NodeError;
    // The token never appears in what the run records.
    expect(`${e.message} ${JSON.stringify(e.details ?? {})}`).not.toContain(token);
    return e;
  }
  throw new Error('expected the node to fail');
}

async function postOne(): Promise<{ channel: string; ts: string }> {
  return (await run(postMessageNode, { channel: 'C0000', text: 'seed' })) as { channel: string; ts: string };
}

type Case = { name: string; def: AnyNodeDefinition; config: () => Promise<Record<string, unknown>> | Record<string, unknown>; method: string; scope: string; invalid: Record<string, unknown>; invalidCode: string };

const cases: Case[] = [
  { name: 'post_message', def: postMessageNode, config: () => ({ channel: 'C0001', text: 'Hello *team*', threadTs: '1712345678.000001', unfurlLinks: false }), method: 'chat.postMessage', scope: 'chat:write', invalid: { channel: 'C0001', text: 'x', blocks: '[{"type":"section"}]' }, invalidCode: 'invalid_blocks' },
  { name: 'update_message', def: updateMessageNode, config: async () => ({ ...(await postOne()), text: 'edited' }), method: 'chat.update', scope: 'chat:write', invalid: { channel: 'C0001', ts: '1.1', text: 'x' }, invalidCode: 'message_not_found' },
  { name: 'delete_message', def: deleteMessageNode, config: async () => ({ ...(await postOne()) }), method: 'chat.delete', scope: 'chat:write', invalid: { channel: 'C0001', ts: '1.1' }, invalidCode: 'message_not_found' },
  { name: 'add_reaction', def: addReactionNode, config: async () => ({ ...(await postOne()), name: ':thumbsup:' }), method: 'reactions.add', scope: 'reactions:write', invalid: { channel: 'C0001', ts: '1.1', name: 'tada' }, invalidCode: 'message_not_found' },
  { name: 'upload_file', def: uploadFileNode, config: () => ({ filename: 'report.txt', content: 'hello file', channel: 'C0001', title: 'Report' }), method: 'files.getUploadURLExternal', scope: 'files:write', invalid: { filename: 'a.txt', content: 'x', channel: 'C9999' }, invalidCode: 'channel_not_found' },
  { name: 'list_channels', def: listChannelsNode, config: () => ({ limit: 10 }), method: 'conversations.list', scope: 'channels:read', invalid: { limit: 10 }, invalidCode: 'invalid_cursor' },
  { name: 'find_user', def: findUserNode, config: () => ({ email: 'ada@example.com' }), method: 'users.lookupByEmail', scope: 'users:read.email', invalid: { email: 'nobody@example.com' }, invalidCode: 'users_not_found' },
];

describe.each(cases)('slack.$name', (c) => {
  it('succeeds, sending the owner token and only parameters the official spec declares', async () => {
    const out = await run(c.def, await c.config());
    expect(out).toBeTruthy();
    const calls = fake.calls(c.method);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((r) => r.token === GOOD)).toBe(true);
    expect(fake.violations).toEqual([]);
  });

  it('bad auth: no retry, the credential is named and the fix is said', async () => {
    const e = await failure(c.def, await c.config(), 'xoxb-9999-unknown-token');
    expect(e).toBeInstanceOf(CredentialRejectedError);
    expect(e.retryable).toBe(false);
    expect(e.message).toMatch(/rejected credential 00000000-0000-4000-8000-00000000c0de \(invalid_auth\).*reconnect Slack/);
  });

  it('missing scope: no retry, names the scope', async () => {
    const config = await c.config();
    const e = await failure(c.def, config, NO_SCOPES);
    expect(e).toBeInstanceOf(NonRetriableNodeError);
    expect(e).not.toBeInstanceOf(CredentialRejectedError);
    expect(e.message).toContain(`"${c.scope}"`);
    expect(e.details?.scope).toBe(c.scope);
  });

  it('rate limit: retry after Slack’s Retry-After, then success', async () => {
    const config = await c.config();
    fake.failNext(c.method, { status: 429, retryAfter: '7' });
    const e = await failure(c.def, config);
    expect(e).toBeInstanceOf(RetryAfterNodeError);
    expect((e as RetryAfterNodeError).retryAfterMs).toBe(7000);
    expect(e.details?.credentialId).toBe('00000000-0000-4000-8000-00000000c0de');
    // The SDK itself did not retry: the engine will, after the delay.
    expect(fake.calls(c.method).filter((r) => r.token === GOOD).length).toBeGreaterThanOrEqual(1);
    const before = fake.calls(c.method).length;
    await expect(run(c.def, config)).resolves.toBeTruthy();
    expect(fake.calls(c.method).length).toBeGreaterThan(before);
  });

  it('validation error: no retry, Slack’s message passed on', async () => {
    if (c.name === 'list_channels') fake.failNext('conversations.list', { error: 'invalid_cursor' });
    const e = await failure(c.def, c.invalid);
    expect(e.retryable).toBe(false);
    expect(e.message).toContain(c.invalidCode);
  });

  it('a 5xx is retryable and the SDK does not retry it by itself', async () => {
    const config = await c.config();
    const before = fake.calls(c.method).length;
    fake.failNext(c.method, { status: 503 });
    const e = await failure(c.def, config);
    expect(e.retryable).toBe(true);
    expect(e).not.toBeInstanceOf(RetryAfterNodeError);
    expect(fake.calls(c.method).length).toBe(before + 1);
  });
});

describe('slack specifics', () => {
  it('post_message answers { channel, ts } and passes blocks and thread', async () => {
    const out = (await run(postMessageNode, { channel: '#general', text: 'fallback', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*hi*' } }], threadTs: '1712345678.000001' })) as Record<string, unknown>;
    expect(out).toMatchObject({ channel: 'C0000', ts: expect.stringMatching(/^\d+\.\d+$/) });
    const sent = fake.calls('chat.postMessage')[0]!.params;
    expect(JSON.parse(sent.blocks!)).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: '*hi*' } }]);
    expect(sent.thread_ts).toBe('1712345678.000001');
  });

  it('post_message to an unknown channel names the channel', async () => {
    const e = await failure(postMessageNode, { channel: 'C9999', text: 'x' });
    expect(e.message).toContain('the channel C9999 was not found');
    expect(e.details?.what).toBe('the channel C9999');
  });

  it('config is checked before any call, naming the field', () => {
    expect(() => parseNodeConfig(postMessageNode, { channel: 'not a channel!', text: 'x' })).toThrow(/channel/);
    expect(() => parseNodeConfig(postMessageNode, { channel: 'C0001', text: '' })).toThrow(/text or blocks/);
    expect(() => parseNodeConfig(postMessageNode, { channel: 'C0001', text: 'x', baseUrl: 'https://evil.example' })).toThrow(/unknown field 'baseUrl'/);
  });

  it('list_channels follows the cursor through every page up to the limit', async () => {
    const out = (await run(listChannelsNode, { limit: 1000 })) as { channels: { id: string }[]; truncated: boolean };
    expect(out.channels).toHaveLength(250);
    expect(new Set(out.channels.map((c) => c.id)).size).toBe(250);
    expect(out.truncated).toBe(false);
    const pages = fake.calls('conversations.list');
    expect(pages).toHaveLength(2);
    expect(pages[0]!.params.cursor).toBeUndefined();
    expect(pages[1]!.params.cursor).toBeTruthy();
    const limited = (await run(listChannelsNode, { limit: 30 })) as { channels: unknown[]; truncated: boolean };
    expect(limited.channels).toHaveLength(30);
    expect(limited.truncated).toBe(true);
  });

  it('upload_file runs the external upload flow without sending the token to the upload URL', async () => {
    const out = (await run(uploadFileNode, { filename: 'report.txt', content: 'hello file', channel: 'C0001', title: 'Report' })) as Record<string, unknown>;
    expect(out).toMatchObject({ fileId: expect.stringMatching(/^F\d+$/), title: 'Report', permalink: expect.stringContaining(String(out.fileId)) });
    expect(fake.uploads).toHaveLength(1);
    expect(fake.uploads[0]!.bytes.toString()).toBe('hello file');
    expect(fake.uploads[0]!.authorization).toBeUndefined();
    expect(fake.calls('files.getUploadURLExternal')[0]!.params).toMatchObject({ filename: 'report.txt', length: '10' });
    expect(JSON.parse(fake.calls('files.completeUploadExternal')[0]!.params.files!)).toEqual([{ id: out.fileId, title: 'Report' }]);
    expect(fake.calls('files.upload')).toHaveLength(0);
  });

  it('upload_file refuses an upload URL on another host', async () => {
    fake.uploadBase = 'http://127.0.0.2:9';
    const e = await failure(uploadFileNode, { filename: 'a.txt', content: 'x' });
    expect(e.message).toMatch(/outside its own hosts/);
    expect(fake.uploads).toHaveLength(0);
  });

  it('find_user with ifMissing "empty" answers found: false', async () => {
    await expect(run(findUserNode, { email: 'nobody@example.com', ifMissing: 'empty' })).resolves.toEqual({ found: false });
    await expect(run(findUserNode, { email: 'ada@example.com' })).resolves.toMatchObject({ found: true, id: 'U0001', email: 'ada@example.com' });
  });

  it('add_reaction already there counts as done', async () => {
    const msg = await postOne();
    fake.failNext('reactions.add', { error: 'already_reacted' });
    await expect(run(addReactionNode, { ...msg, name: 'tada' })).resolves.toMatchObject({ alreadyReacted: true });
  });

  it('a refused OAuth token is refreshed once and the call retried', async () => {
    const config = parseNodeConfig(postMessageNode, { channel: 'C0001', text: 'x' });
    const credential = testCredential({ provider: 'slack', secret: 'xoxb-expired-abcdef', refresh: async () => GOOD });
    const ctx = createIntegrationTestContext(config, { credential, baseUrls: { slack: fake.apiUrl } });
    await expect(postMessageNode.run(ctx)).resolves.toMatchObject({ output: { channel: 'C0001' } });
    expect(credential.refreshes).toBe(1);
    expect(fake.calls('chat.postMessage').map((r) => r.token)).toEqual(['xoxb-expired-abcdef', GOOD]);
  });

  it('a refresh that does not help ends in CredentialRejectedError after one retry', async () => {
    const config = parseNodeConfig(postMessageNode, { channel: 'C0001', text: 'x' });
    const credential = testCredential({ provider: 'slack', secret: 'xoxb-expired-abcdef', refresh: async () => 'xoxb-still-bad-abcdef' });
    const ctx = createIntegrationTestContext(config, { credential, baseUrls: { slack: fake.apiUrl } });
    await expect(postMessageNode.run(ctx)).rejects.toBeInstanceOf(CredentialRejectedError);
    expect(credential.refreshes).toBe(1);
    expect(fake.calls('chat.postMessage')).toHaveLength(2);
  });
});
